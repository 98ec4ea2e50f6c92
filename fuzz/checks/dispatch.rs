//! The generated entrypoint's path (decode, handler, encode) on any bytes,
//! with a handler of each family: it never panics; it refuses exactly the
//! inputs that do not parse as the handler's event, with `InvalidEvent` and
//! a message that does not quote the event's values; handlers' rejections
//! reach Cognito as they were written; it refuses exactly the answers
//! Cognito would refuse, with `InvalidResponse`; and a response is JSON that
//! differs from the event only in `response`.
//!
//! Shared by the fuzz target `fuzz_targets/dispatch.rs` and the corpus replay in
//! the normal test run (runtime/tests/properties.rs).

use cognito_trigger::events::*;
use cognito_trigger::testing::{Reply, dispatch};
use cognito_trigger::{Error, INTERNAL_MESSAGE};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

const REJECTION: &str = "Custom challenges are closed";

async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    event.auto_confirm();
    event.auto_verify_email();
    Ok(event)
}

async fn any_trigger(mut event: CognitoEvent) -> Result<CognitoEvent, Error> {
    match &mut event {
        CognitoEvent::PreSignUp(e) => {
            e.auto_confirm();
        }
        CognitoEvent::DefineAuthChallenge(e) => {
            if e.custom_challenges_passed() >= 1 {
                e.issue_tokens();
            } else {
                e.next_challenge(ChallengeName::Custom);
            }
        }
        CognitoEvent::VerifyAuthChallengeResponse(e) => {
            let correct = e.expected("answer") == Some(e.request.challenge_answer.as_str());
            e.answer(correct);
        }
        CognitoEvent::PreTokenGeneration(e) => {
            e.add_claim("tenant", "acme").suppress_claim("email");
        }
        CognitoEvent::PreTokenGenerationV3(e) => {
            e.add_access_token_claim("quota", serde_json::json!({"requests": 100}));
        }
        CognitoEvent::CustomMessage(e) => {
            // Refused (an internal error) when the placeholders are missing:
            // that is the handler's choice, not the runtime's; keep it Ok.
            let _ = e.set_sms("Your code is {####}");
        }
        CognitoEvent::UserMigration(e) => {
            e.migrate(Attributes::from([(
                "email".to_owned(),
                "jane@example.com".to_owned(),
            )]));
        }
        CognitoEvent::InboundFederation(e) => {
            e.map_attribute("email", "jane@example.com");
        }
        _ => {}
    }
    Ok(event)
}

async fn custom_sender(event: CustomSenderEvent) -> Result<CustomSenderEvent, Error> {
    Ok(event)
}

async fn reject(_event: AuthChallengeEvent) -> Result<AuthChallengeEvent, Error> {
    Err(Error::reject(REJECTION))
}

/// The event without its `response`: what a handler must hand back untouched.
fn without_response(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.remove("response");
    }
    value
}

/// What Cognito would refuse in the handler's answer to the event `data`
/// holds, worked out apart from the entrypoint (these handlers never wait).
fn refusal<E, F, Fut>(data: &[u8], handler: &F) -> Option<String>
where
    E: DeserializeOwned + Answer,
    F: Fn(E) -> Fut,
    Fut: Future<Output = Result<E, Error>>,
{
    let event = serde_json::from_slice::<E>(data).ok()?;
    let mut answering = pin!(handler(event));
    match answering
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(answer) => answer.ok()?.refusal(),
        Poll::Pending => panic!("a handler here waited"),
    }
}

fn check<E, F, Fut>(data: &[u8], handler: F, rejects: bool)
where
    E: DeserializeOwned + Serialize + Answer,
    F: Fn(E) -> Fut,
    Fut: Future<Output = Result<E, Error>>,
{
    let parses = serde_json::from_slice::<E>(data).is_ok();
    let refusal = refusal(data, &handler);
    match dispatch(handler, data) {
        Reply::Response(body) => {
            assert!(parses, "answered an event that does not parse");
            assert!(!rejects, "a rejecting handler answered");
            assert_eq!(refusal, None, "answered what Cognito would refuse");
            let response: Value = serde_json::from_slice(&body).expect("the response is JSON");
            assert!(response.is_object(), "the response is not an object");
            // Everything but `response` goes back as it came.
            let input: Value = serde_json::from_slice(data).unwrap();
            assert_eq!(
                without_response(response),
                without_response(input),
                "the handler's answer changed more than `response`"
            );
        }
        Reply::Error {
            error_type,
            error_message,
        } => {
            assert!(!error_message.is_empty(), "{error_type} without a message");
            match error_type.as_str() {
                "InvalidEvent" => {
                    assert!(!parses, "refused an event that parses: {error_message}");
                    assert!(
                        error_message.starts_with("Invalid event"),
                        "{error_message}"
                    );
                    // Never the offending value (serde quotes it: integer
                    // `5`, string "x"): after "expected" comes serde's
                    // description of the type, with no quotes.
                    if let Some((_, expected)) = error_message.rsplit_once(": expected ") {
                        assert!(
                            !expected.contains('"') && !expected.contains('`'),
                            "the message quotes a value: {error_message}"
                        );
                    }
                }
                "InvalidResponse" => {
                    assert!(refusal.is_some(), "refused an answer Cognito takes");
                    assert_eq!(error_message, INTERNAL_MESSAGE);
                }
                "Rejected" => {
                    assert!(
                        parses && rejects,
                        "rejected by a handler that does not reject"
                    );
                    assert_eq!(error_message, REJECTION);
                }
                // No handler here panics: libFuzzer aborts on any panic anyway.
                "HandlerPanicked" => panic!("a handler that cannot panic panicked"),
                other => panic!("unexpected errorType {other}: {error_message}"),
            }
        }
    }
}

/// Checks one input; panics on a finding.
pub fn run(data: &[u8]) {
    check(data, pre_sign_up, false);
    check(data, any_trigger, false);
    check(data, custom_sender, false);
    check(data, reject, true);
}
