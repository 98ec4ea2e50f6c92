//! The round-trip property of issue 7: any JSON object shaped like an event,
//! with arbitrary extra keys, nulls and nesting at every level, and with
//! known keys removed or set to null, deserializes into its typed event and
//! serializes back to an equal JSON value.
//!
//! `round_trip.rs` checks each fixture with one fixed set of unknown keys and
//! each single removal; here the changes are random and accumulate: several
//! at once, at any depth, with values of any JSON type (including deep
//! nesting, unicode keys, big and negative numbers, floats).

mod common;

use cognito_trigger::events::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Every key the event types model, at any level: an inserted "unknown" key
/// is none of these (a known key with an arbitrary value is a malformed event).
const KNOWN: &[&str] = &[
    "accessTokenGeneration",
    "answerCorrect",
    "attributes",
    "autoConfirmUser",
    "autoVerifyEmail",
    "autoVerifyPhone",
    "awsSdkVersion",
    "callerContext",
    "challengeAnswer",
    "challengeMetadata",
    "challengeName",
    "challengeResult",
    "claimsAndScopeOverrideDetails",
    "claimsOverrideDetails",
    "claimsToAddOrOverride",
    "claimsToSuppress",
    "clientId",
    "clientMetadata",
    "code",
    "codeParameter",
    "desiredDeliveryMediums",
    "emailMessage",
    "emailSubject",
    "enableSMSMFA",
    "failAuthentication",
    "finalUserStatus",
    "forceAliasCreation",
    "groupConfiguration",
    "groupOverrideDetails",
    "groupsToOverride",
    "iamRolesToOverride",
    "idToken",
    "idTokenGeneration",
    "issueTokens",
    "linkParameter",
    "messageAction",
    "newDeviceUsed",
    "password",
    "preferredRole",
    "privateChallengeParameters",
    "providerName",
    "providerType",
    "publicChallengeParameters",
    "region",
    "request",
    "response",
    "samlResponse",
    "scopes",
    "scopesToAdd",
    "scopesToSuppress",
    "session",
    "smsMessage",
    "tokenResponse",
    "triggerSource",
    "type",
    "userAttributes",
    "userAttributesToMap",
    "userInfo",
    "userName",
    "userNotFound",
    "userPoolId",
    "usernameParameter",
    "validationData",
    "version",
];

/// Objects of string values (user attributes, client metadata, challenge
/// parameters, claims of V1): any key, string values only.
const STRING_MAPS: &[&str] = &[
    "userAttributes",
    "clientMetadata",
    "validationData",
    "privateChallengeParameters",
    "publicChallengeParameters",
    "userAttributesToMap",
    "claimsToAddOrOverride",
];

/// Objects of any JSON (the identity provider's tokens and user info).
const FREE_MAPS: &[&str] = &["tokenResponse", "idToken", "userInfo", "samlResponse"];

/// How an object of the event may change without making it malformed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A typed event object: unknown keys of any value; any key removed or null.
    Typed,
    /// A string map: any key with a string value; any key removed.
    Strings,
    /// Free JSON (under an unknown key, or a provider's token): anything.
    Free,
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The objects of `value` that a change may target, with their kinds.
fn objects(value: &Value) -> Vec<(Vec<Seg>, Kind)> {
    fn walk(value: &Value, path: &mut Vec<Seg>, kind: Kind, out: &mut Vec<(Vec<Seg>, Kind)>) {
        match value {
            Value::Object(map) => {
                out.push((path.clone(), kind));
                for (key, child) in map {
                    let child_kind = match kind {
                        Kind::Typed if STRING_MAPS.contains(&key.as_str()) => Kind::Strings,
                        Kind::Typed if FREE_MAPS.contains(&key.as_str()) => Kind::Free,
                        Kind::Typed if KNOWN.contains(&key.as_str()) => Kind::Typed,
                        Kind::Typed | Kind::Free => Kind::Free,
                        Kind::Strings => continue,
                    };
                    path.push(Seg::Key(key.clone()));
                    walk(child, path, child_kind, out);
                    path.pop();
                }
            }
            // `session` holds typed objects; other known arrays hold strings.
            Value::Array(items) if kind != Kind::Strings => {
                for (index, item) in items.iter().enumerate() {
                    path.push(Seg::Index(index));
                    walk(item, path, kind, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), Kind::Typed, &mut out);
    out
}

fn object_at<'a>(value: &'a mut Value, path: &[Seg]) -> &'a mut Map<String, Value> {
    let mut at = value;
    for seg in path {
        at = match seg {
            Seg::Key(key) => &mut at[key.as_str()],
            Seg::Index(index) => &mut at[*index],
        };
    }
    at.as_object_mut().expect("a path from objects()")
}

/// One change to an event; the indexes pick the object and key when applied.
#[derive(Clone, Debug)]
enum Change {
    Insert {
        at: Index,
        key: String,
        value: Value,
    },
    Remove {
        at: Index,
        key: Index,
    },
    Null {
        at: Index,
        key: Index,
    },
}

fn apply(value: &mut Value, change: &Change) {
    let targets = objects(value);
    match change {
        Change::Insert {
            at,
            key,
            value: new,
        } => {
            let (path, kind) = at.get(&targets).clone();
            let new = match (kind, new) {
                (Kind::Strings, Value::String(_)) | (Kind::Typed | Kind::Free, _) => new.clone(),
                (Kind::Strings, other) => Value::String(other.to_string()),
            };
            let object = object_at(value, &path);
            if kind == Kind::Typed && object.contains_key(key) {
                return;
            }
            object.insert(key.clone(), new);
        }
        Change::Remove { at, key } | Change::Null { at, key } => {
            let (path, kind) = at.get(&targets).clone();
            let object = object_at(value, &path);
            if object.is_empty() {
                return;
            }
            let key = key.get(&object.keys().cloned().collect::<Vec<_>>()).clone();
            match change {
                Change::Remove { .. } => {
                    object.remove(&key);
                }
                _ if kind != Kind::Strings => {
                    object.insert(key, Value::Null);
                }
                _ => {}
            }
        }
    }
}

/// Any JSON value: scalars of every type, and nested arrays and objects.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        decimal().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A float of up to 12 significant digits below 1e15, as most numbers in
/// events are written. Any finite `f64` is drawn too: full-precision floats
/// are what serde_json without `float_roundtrip` changed in the last place
/// (see `full_precision_floats_survive`).
fn decimal() -> impl Strategy<Value = f64> {
    (-999_999_999_999i64..=999_999_999_999, -20i32..=2)
        .prop_map(|(mantissa, exponent)| format!("{mantissa}e{exponent}").parse().unwrap())
}

/// A key no event object models: ASCII words, unicode, the empty string,
/// and near misses of the known keys.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_$][a-zA-Z0-9_:-]{0,10}",
        "\\PC{0,6}",
        prop::sample::select(KNOWN).prop_map(|k| format!("{k}_")),
        prop::sample::select(KNOWN).prop_map(str::to_uppercase),
    ]
    .prop_filter("an unknown key", |k| !KNOWN.contains(&k.as_str()))
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<Index>(), key(), json()).prop_map(|(at, key, value)| Change::Insert { at, key, value }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(at, key)| Change::Remove { at, key }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(at, key)| Change::Null { at, key }),
    ]
}

/// The fixtures' values, without their paths.
fn fixtures(dir: &str) -> Vec<Value> {
    common::fixtures(dir)
        .into_iter()
        .map(|(_, value)| value)
        .collect()
}

fn config() -> Config {
    Config {
        cases: 256,
        // No regression files next to the sources; a failure prints its input.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Parses `text` as `T` (from the text, as Lambda hands it over) and
/// serializes it back.
fn round_trip<T: Serialize + DeserializeOwned>(text: &str) -> Result<Value, TestCaseError> {
    let typed: T = serde_json::from_str(text)
        .map_err(|e| TestCaseError::fail(format!("{}: {e}\n{text}", std::any::type_name::<T>())))?;
    Ok(serde_json::to_value(&typed).unwrap())
}

/// The property for the fixtures of `dir`, through `T`, through
/// `CognitoEvent` and, when given, a family enum `F`.
fn check<T, F>(dir: &str, family: bool)
where
    T: Serialize + DeserializeOwned,
    F: Serialize + DeserializeOwned,
{
    let fixtures = fixtures(dir);
    let strategy = (0..fixtures.len(), prop::collection::vec(change(), 1..12));
    proptest::test_runner::TestRunner::new(config())
        .run(&strategy, |(index, changes)| {
            let original = &fixtures[index];
            let mut event = original.clone();
            for change in &changes {
                apply(&mut event, change);
            }
            let text = serde_json::to_string(&event).unwrap();
            prop_assert_eq!(&round_trip::<T>(&text)?, &event, "{}", dir);

            // The family enums tell the trigger from `triggerSource`,
            // `version` and `request.type`: while those are as Cognito sent
            // them, the event is the same through them.
            let told_by = ["/triggerSource", "/version", "/request/type"];
            if told_by
                .iter()
                .all(|p| event.pointer(p) == original.pointer(p))
            {
                prop_assert_eq!(&round_trip::<CognitoEvent>(&text)?, &event);
                if family {
                    prop_assert_eq!(&round_trip::<F>(&text)?, &event);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn pre_sign_up() {
    check::<PreSignUpEvent, CognitoEvent>("pre_sign_up", false);
}

#[test]
fn post_confirmation() {
    check::<PostConfirmationEvent, CognitoEvent>("post_confirmation", false);
}

#[test]
fn pre_authentication() {
    check::<PreAuthenticationEvent, CognitoEvent>("pre_authentication", false);
}

#[test]
fn post_authentication() {
    check::<PostAuthenticationEvent, CognitoEvent>("post_authentication", false);
}

#[test]
fn define_auth_challenge() {
    check::<DefineAuthChallengeEvent, AuthChallengeEvent>("define_auth_challenge", true);
}

#[test]
fn create_auth_challenge() {
    check::<CreateAuthChallengeEvent, AuthChallengeEvent>("create_auth_challenge", true);
}

#[test]
fn verify_auth_challenge_response() {
    check::<VerifyAuthChallengeResponseEvent, AuthChallengeEvent>(
        "verify_auth_challenge_response",
        true,
    );
}

#[test]
fn pre_token_generation_v1() {
    check::<PreTokenGenerationEvent, CognitoEvent>("pre_token_generation_v1", false);
}

#[test]
fn pre_token_generation_v2() {
    check::<PreTokenGenerationV2Event, CognitoEvent>("pre_token_generation_v2", false);
}

#[test]
fn pre_token_generation_v3() {
    check::<PreTokenGenerationV3Event, CognitoEvent>("pre_token_generation_v3", false);
}

#[test]
fn user_migration() {
    check::<UserMigrationEvent, CognitoEvent>("user_migration", false);
}

#[test]
fn custom_message() {
    check::<CustomMessageEvent, CognitoEvent>("custom_message", false);
}

#[test]
fn custom_sms_sender() {
    check::<CustomSmsSenderEvent, CustomSenderEvent>("custom_sms_sender", true);
}

#[test]
fn custom_email_sender() {
    check::<CustomEmailSenderEvent, CustomSenderEvent>("custom_email_sender", true);
}

#[test]
fn inbound_federation() {
    check::<InboundFederationEvent, CognitoEvent>("inbound_federation", false);
}

/// The strategy reaches what the property is about: in a sample of changed
/// events, unknown keys land at the event, request and response levels and
/// deeper, and known keys are removed and nulled.
#[test]
fn the_changes_reach_every_level() {
    let fixtures = fixtures("define_auth_challenge");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = prop::collection::vec(change(), 1..12);
    let (mut top, mut request, mut response, mut deeper, mut removed, mut nulled) =
        (0, 0, 0, 0, 0, 0);
    for _ in 0..200 {
        let changes = strategy.new_tree(&mut runner).unwrap().current();
        let mut event = fixtures[0].clone();
        for change in &changes {
            apply(&mut event, change);
        }
        let unknown = |map: &Map<String, Value>| map.keys().any(|k| !KNOWN.contains(&k.as_str()));
        let object = event.as_object().unwrap();
        top += usize::from(unknown(object));
        request += usize::from(event["request"].as_object().is_some_and(unknown));
        response += usize::from(event["response"].as_object().is_some_and(unknown));
        deeper += usize::from(
            event["request"]["session"]
                .as_array()
                .is_some_and(|s| s.iter().filter_map(Value::as_object).any(unknown)),
        );
        removed += usize::from(object.len() < fixtures[0].as_object().unwrap().len());
        nulled += usize::from(object.values().any(Value::is_null));
    }
    for (what, count) in [
        ("top level", top),
        ("request", request),
        ("response", response),
        ("session", deeper),
        ("removed", removed),
        ("nulled", nulled),
    ] {
        assert!(count >= 10, "{what}: only {count} of 200");
    }
}

/// A float in an unknown key comes back as Cognito sent it. This failed
/// before the runtime enabled serde_json's `float_roundtrip` feature: serde_json
/// parsed floats of 16-17 significant digits one ulp off (about one in ten
/// doubles drawn uniformly in [0, 1000)), even some it wrote itself
/// (`3616009099787650.0` read as `3616009099787649.5`), so the response
/// carried `30.366074329203578` where the event had `30.366074329203574`.
#[test]
fn full_precision_floats_survive() {
    let mut event = fixtures("inbound_federation").remove(0);
    let sent = [
        "30.366074329203574",
        "3616009099787650.0",
        "-2.111049833580407e-308",
        "0.1",
        // The fuzz reproducer fuzz/artifacts/decode_events/float-drift-2222e222.json.
        "2222e222",
        "1.7976931348623157e308",
        "5e-324",
    ];
    // Placeholders, replaced by the numbers as text (a Value would hold
    // them already parsed).
    for index in 0..sent.len() {
        event["request"]["attributes"]["userInfo"][format!("n{index}")] =
            json!(format!("@{index}@"));
        event[format!("zz{index}")] = json!(format!("@{index}@"));
    }
    let mut text = serde_json::to_string(&event).unwrap();
    for (index, number) in sent.iter().enumerate() {
        text = text.replace(&format!("\"@{index}@\""), number);
    }
    let typed: InboundFederationEvent = serde_json::from_str(&text).unwrap();
    let back: Value = serde_json::from_str(&serde_json::to_string(&typed).unwrap()).unwrap();
    for (index, number) in sent.iter().enumerate() {
        let expected: f64 = number.parse().unwrap();
        for returned in [
            &back["request"]["attributes"]["userInfo"][format!("n{index}")],
            &back[format!("zz{index}")],
        ] {
            let returned = returned.to_string();
            // Compared with Rust's own (exact) parser, not serde_json's.
            let value: f64 = returned.parse().unwrap();
            assert_eq!(
                value.to_bits(),
                expected.to_bits(),
                "sent {number}, returned {returned}"
            );
        }
    }
}

/// The fuzz targets' checks (shared with `fuzz/`), on every input of their
/// committed corpus: a seconds-long smoke run of the fuzzing in the normal
/// test run.
#[path = "../../fuzz/checks/decode_events.rs"]
mod decode_events;

#[cfg(feature = "testing")]
#[path = "../../fuzz/checks/dispatch.rs"]
mod dispatch;

#[cfg(feature = "decrypt")]
#[path = "../../fuzz/checks/decrypt_message.rs"]
mod decrypt_message;

#[path = "../../fuzz/checks/replay.rs"]
mod replay;
use replay::replay;

/// At least the seeds: one input per fixture.
const SEEDS: usize = 52;

#[test]
fn the_decode_events_corpus_passes() {
    replay("decode_events", SEEDS, decode_events::run);
}

#[cfg(feature = "testing")]
#[test]
fn the_dispatch_corpus_passes() {
    replay("dispatch", SEEDS, dispatch::run);
}

/// The seeds: one per test vector with its data key.
#[cfg(feature = "decrypt")]
#[test]
fn the_decrypt_message_corpus_passes() {
    replay("decrypt_message", 9, decrypt_message::run);
}
