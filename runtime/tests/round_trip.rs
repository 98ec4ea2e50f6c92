//! Every fixture (one per trigger and trigger source, written from AWS's
//! documented event shapes) survives deserialize → serialize unchanged, also
//! with unknown keys and nulls added at every level, with any key removed,
//! and with booleans, numbers, nulls, arrays and objects in every attribute
//! map, through its own event type and through `CognitoEvent`.

use cognito_trigger::events::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt::Debug;

mod common;
use common::fixtures;

fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Value {
    let typed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}\n{value:#}"));
    serde_json::to_value(&typed).unwrap()
}

/// Adds an unknown key, an unknown null and an unknown nested object to the
/// event and to each of its objects (`request`, `response`, `callerContext`).
/// Deeper objects are attribute maps, which `with_scalars` fills.
fn with_unknowns(value: &Value) -> Value {
    fn add(map: &mut serde_json::Map<String, Value>) {
        map.insert(
            "zzUnknown".into(),
            json!({"nested": [1, null, {"deep": true}]}),
        );
        map.insert("zzNull".into(), Value::Null);
    }
    let mut event = value.as_object().unwrap().clone();
    for child in event.values_mut() {
        if let Value::Object(child) = child {
            add(child);
        }
    }
    add(&mut event);
    Value::Object(event)
}

/// What attribute maps hold besides strings: Cognito has sent booleans in
/// user attributes, and test events carry numbers and nulls.
fn scalars() -> serde_json::Map<String, Value> {
    let values = json!({
        "zzFalse": false,
        "zzTrue": true,
        "zzZero": 0,
        "zzNegative": -12,
        "zzDecimal": 1.5,
        "zzExponent": -2.5e-8,
        "zzBig": 18446744073709551615u64,
        "zzNull": null,
        "zzList": ["a", 1, null],
        "zzObject": {"nested": {"deep": true}},
        "zzText": "text",
    });
    values.as_object().unwrap().clone()
}

/// The event with `scalars()` added to each attribute map at `maps` (JSON
/// pointers; the maps of any JSON, such as V2_0's claims, hold them already),
/// made an object where it is absent or `null`, as are its parents.
fn with_scalars(value: &Value, maps: &[&str]) -> Value {
    let mut event = value.clone();
    for pointer in maps {
        let mut at = &mut event;
        for key in pointer.split('/').skip(1) {
            if !at.is_object() {
                *at = json!({});
            }
            at = at
                .as_object_mut()
                .unwrap()
                .entry(key)
                .or_insert(Value::Null);
        }
        if !at.is_object() {
            *at = json!({});
        }
        at.as_object_mut().unwrap().extend(scalars());
    }
    event
}

/// Every variant of the event with one key removed or set to null, at the
/// top level or in one of its objects.
fn variants(value: &Value) -> Vec<Value> {
    fn one_level(map: &serde_json::Map<String, Value>) -> Vec<serde_json::Map<String, Value>> {
        let mut out = Vec::new();
        for key in map.keys() {
            let mut removed = map.clone();
            removed.remove(key);
            out.push(removed);
            let mut nulled = map.clone();
            nulled.insert(key.clone(), Value::Null);
            out.push(nulled);
        }
        out
    }
    let event = value.as_object().unwrap();
    let mut out: Vec<Value> = one_level(event).into_iter().map(Value::Object).collect();
    for (key, child) in event {
        if let Value::Object(child) = child {
            for changed in one_level(child) {
                let mut variant = event.clone();
                variant.insert(key.clone(), Value::Object(changed));
                out.push(Value::Object(variant));
            }
        }
    }
    out
}

/// The source enum of `T` parses every fixture's source as documented, each
/// documented source has a fixture, and every fixture round-trips, also
/// with other JSON than strings in each of the trigger's attribute `maps`.
fn check<T, S>(
    dir: &str,
    documented: &[S],
    source: impl Fn(&T) -> &S,
    trigger_name: &str,
    maps: &[&str],
) where
    T: Serialize + DeserializeOwned + Debug,
    S: Debug + PartialEq + ToString,
{
    let fixtures = fixtures(dir);
    for (path, value) in &fixtures {
        let name = path.display();
        let typed: T =
            serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = source(&typed);
        assert!(
            documented.contains(parsed),
            "{name}: undocumented source {parsed:?}"
        );
        let stem = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .split('.')
            .next()
            .unwrap();
        assert_eq!(
            parsed.to_string(),
            stem,
            "{name}: named after another source"
        );

        assert_eq!(&round_trip::<T>(value), value, "{name}: plain round trip");
        let noisy = with_unknowns(value);
        assert_eq!(
            round_trip::<T>(&noisy),
            noisy,
            "{name}: unknown keys and nulls"
        );
        for variant in variants(value) {
            if variant.get("triggerSource") == value.get("triggerSource") {
                assert_eq!(
                    round_trip::<T>(&variant),
                    variant,
                    "{name}: absent or null key"
                );
            }
        }

        let any: CognitoEvent = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            any.trigger_name(),
            trigger_name,
            "{name}: CognitoEvent variant"
        );
        assert_eq!(
            &serde_json::to_value(&any).unwrap(),
            value,
            "{name}: CognitoEvent round trip"
        );

        let scalars = with_scalars(value, maps);
        assert_eq!(
            round_trip::<T>(&scalars),
            scalars,
            "{name}: non-strings in attribute maps"
        );
        assert_eq!(
            round_trip::<CognitoEvent>(&scalars),
            scalars,
            "{name}: non-strings in attribute maps, through CognitoEvent"
        );
        // From the event's text, as the entrypoint reads it, to text, as
        // Cognito reads the answer.
        let text = serde_json::to_string(&scalars).unwrap();
        let typed: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = serde_json::to_string(&typed).unwrap();
        for sent in [r#""zzFalse":false"#, r#""zzNull":null"#, r#""zzZero":0"#] {
            assert_eq!(
                written.matches(sent).count(),
                maps.len(),
                "{name}: {sent} in {written}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Value>(&written).unwrap(),
            scalars,
            "{name}: non-strings in attribute maps, from text"
        );
    }
    for documented in documented {
        let text = documented.to_string();
        assert!(
            fixtures.iter().any(|(path, _)| path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!("{text}."))),
            "{dir}: no fixture for {text}"
        );
    }
}

#[test]
fn pre_sign_up() {
    check::<PreSignUpEvent, _>(
        "pre_sign_up",
        PreSignUpSource::DOCUMENTED,
        |e| &e.trigger_source,
        "PreSignUp",
        &[
            "/request/userAttributes",
            "/request/validationData",
            "/request/clientMetadata",
        ],
    );
}

#[test]
fn post_confirmation() {
    check::<PostConfirmationEvent, _>(
        "post_confirmation",
        PostConfirmationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "PostConfirmation",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn pre_authentication() {
    check::<PreAuthenticationEvent, _>(
        "pre_authentication",
        PreAuthenticationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "PreAuthentication",
        &["/request/userAttributes", "/request/validationData"],
    );
}

#[test]
fn post_authentication() {
    check::<PostAuthenticationEvent, _>(
        "post_authentication",
        PostAuthenticationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "PostAuthentication",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn define_auth_challenge() {
    check::<DefineAuthChallengeEvent, _>(
        "define_auth_challenge",
        DefineAuthChallengeSource::DOCUMENTED,
        |e| &e.trigger_source,
        "DefineAuthChallenge",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn create_auth_challenge() {
    check::<CreateAuthChallengeEvent, _>(
        "create_auth_challenge",
        CreateAuthChallengeSource::DOCUMENTED,
        |e| &e.trigger_source,
        "CreateAuthChallenge",
        &[
            "/request/userAttributes",
            "/request/clientMetadata",
            "/response/publicChallengeParameters",
            "/response/privateChallengeParameters",
        ],
    );
}

#[test]
fn verify_auth_challenge_response() {
    check::<VerifyAuthChallengeResponseEvent, _>(
        "verify_auth_challenge_response",
        VerifyAuthChallengeResponseSource::DOCUMENTED,
        |e| &e.trigger_source,
        "VerifyAuthChallengeResponse",
        &[
            "/request/userAttributes",
            "/request/privateChallengeParameters",
            "/request/clientMetadata",
        ],
    );
}

/// V1 and V2 never see machine-to-machine requests.
fn user_token_sources() -> Vec<TokenGenerationSource> {
    let m2m = TokenGenerationSource::ClientCredentials;
    TokenGenerationSource::DOCUMENTED
        .iter()
        .filter(|s| **s != m2m)
        .cloned()
        .collect()
}

#[test]
fn pre_token_generation_v1() {
    check::<PreTokenGenerationEvent, _>(
        "pre_token_generation_v1",
        &user_token_sources(),
        |e| &e.trigger_source,
        "PreTokenGeneration",
        &[
            "/request/userAttributes",
            "/request/clientMetadata",
            "/response/claimsOverrideDetails/claimsToAddOrOverride",
        ],
    );
}

#[test]
fn pre_token_generation_v2() {
    check::<PreTokenGenerationV2Event, _>(
        "pre_token_generation_v2",
        &user_token_sources(),
        |e| &e.trigger_source,
        "PreTokenGeneration",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn pre_token_generation_v3() {
    check::<PreTokenGenerationV3Event, _>(
        "pre_token_generation_v3",
        TokenGenerationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "PreTokenGeneration",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn user_migration() {
    check::<UserMigrationEvent, _>(
        "user_migration",
        UserMigrationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "UserMigration",
        &[
            "/request/validationData",
            "/request/clientMetadata",
            "/response/userAttributes",
        ],
    );
}

#[test]
fn custom_message() {
    check::<CustomMessageEvent, _>(
        "custom_message",
        CustomMessageSource::DOCUMENTED,
        |e| &e.trigger_source,
        "CustomMessage",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn custom_sms_sender() {
    check::<CustomSmsSenderEvent, _>(
        "custom_sms_sender",
        CustomSmsSenderSource::DOCUMENTED,
        |e| &e.trigger_source,
        "CustomSMSSender",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn custom_email_sender() {
    check::<CustomEmailSenderEvent, _>(
        "custom_email_sender",
        CustomEmailSenderSource::DOCUMENTED,
        |e| &e.trigger_source,
        "CustomEmailSender",
        &["/request/userAttributes", "/request/clientMetadata"],
    );
}

#[test]
fn inbound_federation() {
    check::<InboundFederationEvent, _>(
        "inbound_federation",
        InboundFederationSource::DOCUMENTED,
        |e| &e.trigger_source,
        "InboundFederation",
        &["/response/userAttributesToMap"],
    );
}

#[test]
fn pre_token_generation_versions_are_told_apart() {
    for (dir, name) in [
        ("pre_token_generation_v2", "PreTokenGenerationV2"),
        ("pre_token_generation_v3", "PreTokenGenerationV3"),
    ] {
        for (path, value) in fixtures(dir) {
            let any: CognitoEvent = serde_json::from_value(value).unwrap();
            let variant = format!("{any:?}");
            assert!(
                variant.starts_with(&format!("{name}(")),
                "{}: {}",
                path.display(),
                &variant[..40]
            );
        }
    }
}

#[test]
fn a_new_trigger_source_is_kept_not_refused() {
    let (_, mut value) = fixtures("pre_sign_up").remove(0);
    value["triggerSource"] = json!("PreSignUp_SomethingNew");
    let event: PreSignUpEvent = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        event.trigger_source,
        PreSignUpSource::Other("PreSignUp_SomethingNew".into())
    );
    assert_eq!(serde_json::to_value(&event).unwrap(), value);
}

#[test]
fn custom_senders_are_told_apart_by_request_type() {
    // The Serverless docs: a sender's triggerSource may name another trigger.
    let (_, mut value) = fixtures("custom_email_sender").remove(0);
    value["triggerSource"] = json!("CustomMessage_SignUp");
    let any: CognitoEvent = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(any.trigger_name(), "CustomEmailSender");
    let senders: CustomSenderEvent = serde_json::from_value(value).unwrap();
    assert!(matches!(senders, CustomSenderEvent::CustomEmailSender(_)));
}

#[test]
fn a_family_enum_refuses_other_triggers() {
    let (_, value) = fixtures("pre_sign_up").remove(0);
    let error = serde_json::from_value::<AuthChallengeEvent>(value)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "a AuthChallengeEvent holds DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse events, not PreSignUp events"
    );
}

#[test]
fn the_handler_changes_only_what_it_sets() {
    let (_, value) = fixtures("pre_sign_up").remove(0);
    let mut event: PreSignUpEvent = serde_json::from_value(with_unknowns(&value)).unwrap();
    event.auto_confirm();
    let mut expected = with_unknowns(&value);
    expected["response"]["autoConfirmUser"] = json!(true);
    assert_eq!(serde_json::to_value(&event).unwrap(), expected);
}

/// aws_lambda_events' CustomMessage test event has booleans in
/// `userAttributes`: the handler reads them as text, Cognito gets them back
/// as booleans.
#[test]
fn booleans_in_user_attributes_read_as_text_and_come_back_as_sent() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/non_string/aws_lambda_events_custommessage.json");
    let text = std::fs::read(&path).unwrap();
    let value: Value = serde_json::from_slice(&text).unwrap();

    let event: CustomMessageEvent = serde_json::from_slice(&text).unwrap();
    let attributes = &event.request.user_attributes;
    let verified = attributes
        .get("email_verified")
        .cloned()
        .unwrap_or_default();
    assert_eq!(verified, "false");
    assert_eq!(attributes["phone_number_verified"], "true");
    let written = serde_json::to_string(&event).unwrap();
    assert!(written.contains(r#""email_verified":false"#), "{written}");
    assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), value);

    let any: CognitoEvent = serde_json::from_slice(&text).unwrap();
    assert_eq!(serde_json::to_value(&any).unwrap(), value);
}

/// A `null` attribute reads as empty: no email to verify.
#[test]
fn a_null_attribute_is_no_attribute_to_verify() {
    let (_, mut value) = fixtures("pre_sign_up").remove(0);
    value["request"]["userAttributes"]["email"] = Value::Null;
    let mut event: PreSignUpEvent = serde_json::from_value(value.clone()).unwrap();
    assert!(!event.auto_verify_email());
    assert_eq!(serde_json::to_value(&event).unwrap(), value);
}
