//! Every typed event of `cognito_trigger::events` parses the input or
//! refuses it, never panics, and an event that parses is lossless: its
//! typed form holds exactly the JSON value of the input, and its text
//! re-parses to that value (numbers included: the runtime's serde_json has
//! `float_roundtrip`), also as the same type again.
//!
//! Shared by the fuzz target `fuzz_targets/decode_events.rs` and the corpus replay in
//! the normal test run (runtime/tests/properties.rs).

use cognito_trigger::events::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn check<T: Serialize + DeserializeOwned>(data: &[u8], input: Option<&Value>) {
    let Ok(event) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let name = std::any::type_name::<T>();
    let value = input.expect("an input that parses as an event is JSON");
    // The typed event holds exactly what arrived (same parser, no text between).
    let typed = serde_json::to_value(&event).expect("an event converts to a JSON value");
    assert_eq!(
        &typed, value,
        "{name}: the typed event differs from its JSON"
    );
    // Serialized and re-parsed, as Cognito reads the response: what it sent.
    let text = serde_json::to_vec(&event).expect("an event serializes");
    let back: Value = serde_json::from_slice(&text).expect("a serialized event is JSON");
    assert_eq!(&back, value, "{name}: the round trip changed the event");
    // And the written event parses again as the same type, holding what
    // was written.
    let again: T = serde_json::from_slice(&text).expect("a serialized event parses again");
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        back,
        "{name}: the second round trip differs"
    );
}

/// Checks one input; panics on a finding.
pub fn run(data: &[u8]) {
    let input = serde_json::from_slice::<Value>(data).ok();
    let input = input.as_ref();
    check::<PreSignUpEvent>(data, input);
    check::<PostConfirmationEvent>(data, input);
    check::<PreAuthenticationEvent>(data, input);
    check::<PostAuthenticationEvent>(data, input);
    check::<DefineAuthChallengeEvent>(data, input);
    check::<CreateAuthChallengeEvent>(data, input);
    check::<VerifyAuthChallengeResponseEvent>(data, input);
    check::<PreTokenGenerationEvent>(data, input);
    check::<PreTokenGenerationV2Event>(data, input);
    check::<PreTokenGenerationV3Event>(data, input);
    check::<UserMigrationEvent>(data, input);
    check::<CustomMessageEvent>(data, input);
    check::<CustomSmsSenderEvent>(data, input);
    check::<CustomEmailSenderEvent>(data, input);
    check::<InboundFederationEvent>(data, input);
    check::<CognitoEvent>(data, input);
    check::<CustomSenderEvent>(data, input);
    check::<AuthChallengeEvent>(data, input);
}
