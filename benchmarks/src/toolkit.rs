//! cognito-trigger's event path. The decoding functions of
//! `runtime/src/entry.rs` are private to the crate, so [`run`] repeats their
//! calls one for one: keep it in step with `entry.rs`.

use cognito_trigger::Error;
use cognito_trigger::events::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::{Context, Poll, Waker};

/// One invocation as the generated entrypoint serves it.
pub fn run<E, F, Fut>(bytes: &[u8], handler: F) -> Vec<u8>
where
    E: DeserializeOwned + Serialize,
    F: Fn(E) -> Fut,
    Fut: Future<Output = Result<E, Error>>,
{
    let payload = payload(bytes);
    // `entry::invoke`: decode, then poll the handler's future under CatchPanic.
    let event = decode::<E>(payload.get()).expect("a valid event");
    let response = poll_catching_panics(handler(event))
        .expect("the handler does not panic")
        .expect("the handler accepts the event");
    // lambda_runtime's `EventCompletionRequest::into_req`.
    serde_json::to_vec(&response).expect("serializable")
}

/// What lambda_runtime hands `entry::serve`'s service: its
/// `deserializer::deserialize` into the payload type `entry.rs` registers,
/// `Box<RawValue>`, which costs a validating scan of the event and a copy.
pub fn payload(bytes: &[u8]) -> Box<RawValue> {
    let jd = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(jd).expect("valid JSON")
}

/// `entry::decode`: parses the fast way; on failure, parses again to name the field at fault.
fn decode<E: DeserializeOwned>(payload: &str) -> Result<E, String> {
    serde_json::from_str(payload).map_err(|error| {
        let deserializer = &mut serde_json::Deserializer::from_str(payload);
        match serde_path_to_error::deserialize::<_, E>(deserializer) {
            Err(located) if located.path().to_string() != "." => {
                format!("{}: {}", located.path(), located.inner())
            }
            _ => error.to_string(),
        }
    })
}

/// `entry::CatchPanic(Box::pin(handler(event))).await`, for a handler that
/// completes in one poll, as these do.
fn poll_catching_panics<F: Future>(future: F) -> Result<F::Output, Box<dyn std::any::Any + Send>> {
    let mut future = Box::pin(future);
    let mut cx = Context::from_waker(Waker::noop());
    match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
        Ok(Poll::Ready(output)) => Ok(output),
        Ok(Poll::Pending) => unreachable!("the benchmark handlers never wait"),
        Err(panic) => Err(panic),
    }
}

pub fn pre_sign_up(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: PreSignUpEvent| {
        if event.trigger_source != PreSignUpSource::SignUp {
            return Ok(event);
        }
        let email = event.request.user_attributes.get("email");
        if !email.is_some_and(|email| email.ends_with("@example.com")) {
            return Err(Error::reject(
                "Sign-up is open to @example.com addresses only",
            ));
        }
        event.auto_confirm().auto_verify_email();
        Ok(event)
    })
}

pub fn pre_token_generation_v1(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: PreTokenGenerationEvent| {
        let tenant = event
            .request
            .user_attributes
            .get("custom:tenant_id")
            .cloned();
        if let Some(tenant) = tenant {
            event.add_claim("tenant", tenant);
        }
        event.suppress_claim("phone_number");
        Ok(event)
    })
}

pub fn pre_token_generation_v2(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: PreTokenGenerationV2Event| {
        let tenant = event
            .request
            .user_attributes
            .get("custom:tenant_id")
            .cloned();
        if let Some(tenant) = tenant {
            event
                .add_id_token_claim("tenant", tenant.clone())
                .add_access_token_claim("tenant", tenant);
        }
        event.add_scope("example-api/read");
        Ok(event)
    })
}

pub fn custom_message(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: CustomMessageEvent| {
        if event.trigger_source == CustomMessageSource::SignUp {
            let name = event.request.user_attributes.get("given_name");
            let message = format!(
                "Hello {}, your verification code is {}.",
                name.map_or("there", String::as_str),
                event.request.code_parameter
            );
            event.set_email("Welcome to Example", message)?;
        }
        Ok(event)
    })
}

pub fn define_auth_challenge(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: DefineAuthChallengeEvent| {
        if event.custom_challenges_passed() >= 1 {
            event.issue_tokens();
        } else if event.session().len() >= 5 {
            event.fail_authentication();
        } else {
            event.next_challenge(ChallengeName::Custom);
        }
        Ok(event)
    })
}

pub fn user_migration(bytes: &[u8]) -> Vec<u8> {
    run(bytes, async |mut event: UserMigrationEvent| {
        if event.request.password.as_deref() != Some("correct-horse-battery-staple") {
            return Err(Error::reject("Incorrect username or password"));
        }
        let attributes = Attributes::from([
            ("email".to_owned(), event.user_name.clone()),
            ("email_verified".to_owned(), "true".to_owned()),
        ]);
        event.migrate(attributes);
        Ok(event)
    })
}
