//! The events the driver sends, one function per trigger, each with the keys
//! Cognito sends for the source (the shapes of `runtime/tests/fixtures/events`,
//! whose README gives the guide's page and the captured events behind each;
//! `tests/flow_events.rs` compares every event the driver sends with them).

use cognito_trigger_core::trigger::LambdaVersion;
use serde_json::{Map, Value, json};

/// The `awsSdkVersion` of the guide's test events.
const SDK_VERSION: &str = "aws-sdk-unknown-unknown";
/// The `clientId` of the events of calls made without an app client
/// (`AdminCreateUser`), as captured events show it.
pub(crate) const NO_CLIENT: &str = "CLIENT_ID_NOT_APPLICABLE";
/// The placeholder a custom message puts where the code goes.
pub(crate) const CODE_PARAMETER: &str = "{####}";
/// The placeholder a custom message puts where the username goes.
pub(crate) const USERNAME_PARAMETER: &str = "{username}";
/// The placeholder of a verification link.
const LINK_PARAMETER: &str = "{##Click Here##}";

/// Who an event is about and where it comes from: its common keys.
pub(crate) struct Common<'a> {
    pub region: &'a str,
    pub pool_id: &'a str,
    pub client_id: &'a str,
    /// `None` for machine-to-machine tokens, which are for no user.
    pub user_name: Option<&'a str>,
}

/// An event: the common keys, `request`, and `response` as Cognito sends it
/// (`None`: the custom senders' events have none).
pub(crate) fn event(
    common: &Common,
    version: Option<LambdaVersion>,
    source: &str,
    request: Value,
    response: Option<Value>,
) -> Value {
    let version = match version {
        Some(LambdaVersion::V2_0) => "2",
        Some(LambdaVersion::V3_0) => "3",
        _ => "1",
    };
    let mut event = Map::new();
    event.insert("version".into(), version.into());
    event.insert("triggerSource".into(), source.into());
    event.insert("region".into(), common.region.into());
    event.insert("userPoolId".into(), common.pool_id.into());
    if let Some(user_name) = common.user_name {
        event.insert("userName".into(), user_name.into());
    }
    event.insert(
        "callerContext".into(),
        json!({"awsSdkVersion": SDK_VERSION, "clientId": common.client_id}),
    );
    event.insert("request".into(), request);
    if let Some(response) = response {
        event.insert("response".into(), response);
    }
    Value::Object(event)
}

/// Inserts `clientMetadata` when the call sent some: Cognito forwards what
/// the app sent to the triggers of the sources that take it.
fn with_metadata(mut request: Value, metadata: Option<&Map<String, Value>>) -> Value {
    if let Some(metadata) = metadata {
        request["clientMetadata"] = Value::Object(metadata.clone());
    }
    request
}

/// Inserts `userNotFound`, which Cognito sends only when the app client
/// prevents user existence errors (the guide: "populated when
/// PreventUserExistenceErrors is set to ENABLED"; captured events of other
/// clients have no such key).
fn with_user_not_found(mut request: Value, user_not_found: Option<bool>) -> Value {
    if let Some(user_not_found) = user_not_found {
        request["userNotFound"] = user_not_found.into();
    }
    request
}

fn map_or_null(map: Option<&Map<String, Value>>) -> Value {
    map.map_or(Value::Null, |m| Value::Object(m.clone()))
}

pub(crate) fn pre_sign_up(
    attributes: &Map<String, Value>,
    validation_data: Option<&Map<String, Value>>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "validationData": map_or_null(validation_data),
    });
    (
        with_metadata(request, metadata),
        json!({"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}),
    )
}

pub(crate) fn post_confirmation(
    attributes: &Map<String, Value>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    (
        with_metadata(json!({"userAttributes": attributes}), metadata),
        json!({}),
    )
}

pub(crate) fn pre_authentication(
    attributes: &Map<String, Value>,
    user_not_found: Option<bool>,
    validation_data: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "validationData": map_or_null(validation_data),
    });
    (with_user_not_found(request, user_not_found), json!({}))
}

pub(crate) fn post_authentication(
    attributes: &Map<String, Value>,
    new_device_used: bool,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({"userAttributes": attributes, "newDeviceUsed": new_device_used});
    (with_metadata(request, metadata), json!({}))
}

pub(crate) fn define_auth_challenge(
    attributes: &Map<String, Value>,
    session: &[Value],
    user_not_found: Option<bool>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "session": session,
    });
    (
        with_metadata(with_user_not_found(request, user_not_found), metadata),
        json!({"challengeName": null, "issueTokens": null, "failAuthentication": null}),
    )
}

pub(crate) fn create_auth_challenge(
    attributes: &Map<String, Value>,
    challenge_name: &str,
    session: &[Value],
    user_not_found: Option<bool>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "challengeName": challenge_name,
        "session": session,
    });
    (
        with_metadata(with_user_not_found(request, user_not_found), metadata),
        json!({"publicChallengeParameters": null, "privateChallengeParameters": null, "challengeMetadata": null}),
    )
}

pub(crate) fn verify_auth_challenge_response(
    attributes: &Map<String, Value>,
    private_parameters: &Value,
    answer: &str,
    user_not_found: Option<bool>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "privateChallengeParameters": private_parameters,
        "challengeAnswer": answer,
    });
    (
        with_metadata(with_user_not_found(request, user_not_found), metadata),
        json!({"answerCorrect": null}),
    )
}

/// A pre token generation request: `scopes` only from V2_0 on.
pub(crate) fn token_generation(
    version: Option<LambdaVersion>,
    attributes: &Map<String, Value>,
    group_configuration: Value,
    scopes: &[String],
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let mut request = json!({"userAttributes": attributes});
    let response = match version {
        Some(LambdaVersion::V2_0 | LambdaVersion::V3_0) => {
            request["scopes"] = json!(scopes);
            json!({"claimsAndScopeOverrideDetails": null})
        }
        _ => json!({"claimsOverrideDetails": null}),
    };
    request["groupConfiguration"] = group_configuration;
    (with_metadata(request, metadata), response)
}

pub(crate) fn user_migration(
    password: Option<&str>,
    validation_data: Option<&Map<String, Value>>,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let mut request = json!({});
    if let Some(password) = password {
        request["password"] = password.into();
    }
    request["validationData"] = map_or_null(validation_data);
    (
        with_metadata(request, metadata),
        json!({
            "userAttributes": null, "finalUserStatus": null, "messageAction": null,
            "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null,
        }),
    )
}

/// A custom message request; `with_username`: an invitation, which must
/// carry the username.
pub(crate) fn custom_message(
    attributes: &Map<String, Value>,
    with_username: bool,
    metadata: Option<&Map<String, Value>>,
) -> (Value, Value) {
    let request = json!({
        "userAttributes": attributes,
        "codeParameter": CODE_PARAMETER,
        "linkParameter": LINK_PARAMETER,
        "usernameParameter": if with_username { Value::from(USERNAME_PARAMETER) } else { Value::Null },
    });
    (
        with_metadata(request, metadata),
        json!({"smsMessage": null, "emailMessage": null, "emailSubject": null}),
    )
}

/// What a custom sender's request says of the app's `ClientMetadata`.
pub(crate) enum SenderMetadata<'a> {
    /// The source forwards it: what the app sent, or `null`.
    Forwarded(Option<&'a Map<String, Value>>),
    /// The source never has the key (account takeover notifications).
    Never,
}

/// A custom sender request: `sms` for the SMS sender, the code encrypted.
pub(crate) fn custom_sender(
    sms: bool,
    code: Option<&str>,
    attributes: &Map<String, Value>,
    metadata: SenderMetadata,
) -> Value {
    let mut request = json!({
        "type": if sms { "customSMSSenderRequestV1" } else { "customEmailSenderRequestV1" },
        "code": code,
    });
    if let SenderMetadata::Forwarded(metadata) = metadata {
        request["clientMetadata"] = map_or_null(metadata);
    }
    request["userAttributes"] = Value::Object(attributes.clone());
    request
}

pub(crate) fn inbound_federation(
    provider_name: &str,
    provider_type: &str,
    attributes: Value,
) -> (Value, Value) {
    (
        json!({"providerName": provider_name, "providerType": provider_type, "attributes": attributes}),
        json!({"userAttributesToMap": {}}),
    )
}
