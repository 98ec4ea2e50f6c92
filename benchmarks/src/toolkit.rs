//! cognito-trigger's event path: the generated entrypoint's own
//! `invoke` (decode, handler under CatchPanic, errors), between what
//! lambda_runtime does before and after it.

use cognito_trigger::__private::invoke;
use cognito_trigger::Error;
use cognito_trigger::events::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::task::{Context, Poll, Waker};

/// One invocation as the generated entrypoint serves it.
pub fn run<E, F, Fut>(bytes: &[u8], handler: F) -> Vec<u8>
where
    E: DeserializeOwned + Serialize + Answer,
    F: Fn(E) -> Fut,
    Fut: Future<Output = Result<E, Error>>,
{
    payload();
    let mut invocation = Box::pin(invoke(&handler, bytes));
    let Poll::Ready(response) = invocation
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    else {
        unreachable!("the benchmark handlers never wait")
    };
    let response = response.expect("the handler accepts the event");
    // lambda_runtime's `EventCompletionRequest::into_req`.
    serde_json::to_vec(&response).expect("serializable")
}

/// What lambda_runtime still parses before the entrypoint's service is
/// called: its `deserializer::deserialize` (serde_path_to_error) into the
/// service's payload type, `()`, of the body the entrypoint's layer leaves,
/// `null`. (Until that layer, this pass took the whole event into
/// `Box<RawValue>`.)
pub fn payload() {
    let jd = &mut serde_json::Deserializer::from_slice(std::hint::black_box(b"null"));
    let () = serde_path_to_error::deserialize(jd).expect("null is a unit");
}

/// The PreSignUp logic, shared with the `toolkit_pre_sign_up` binary.
pub async fn screen_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
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
}

pub fn pre_sign_up(bytes: &[u8]) -> Vec<u8> {
    run(bytes, screen_sign_up)
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
