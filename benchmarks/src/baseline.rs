//! The hand-written baseline: `aws_lambda_events` types (feature `cognito`,
//! which drops the keys it does not model), decoded and encoded as
//! `lambda_runtime` does for a handler taking `LambdaEvent<T>`.

use aws_lambda_events::event::cognito::*;
use lambda_runtime::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;

/// One invocation as `lambda_runtime` serves a typed handler.
pub fn run<E>(bytes: &[u8], handler: impl Fn(E) -> Result<E, Error>) -> Vec<u8>
where
    E: DeserializeOwned + Serialize,
{
    // lambda_runtime's `deserializer::deserialize`: always through serde_path_to_error.
    let jd = &mut serde_json::Deserializer::from_slice(bytes);
    let event: E = serde_path_to_error::deserialize(jd).expect("a valid event");
    let response = handler(event).expect("the handler accepts the event");
    // lambda_runtime's `EventCompletionRequest::into_req`.
    serde_json::to_vec(&response).expect("serializable")
}

/// The PreSignUp logic, shared with the `baseline_pre_sign_up` binary.
pub fn screen_sign_up(
    mut event: CognitoEventUserPoolsPreSignup,
) -> Result<CognitoEventUserPoolsPreSignup, Error> {
    let source = &event.cognito_event_user_pools_header.trigger_source;
    if *source != Some(CognitoEventUserPoolsPreSignupTriggerSource::SignUp) {
        return Ok(event);
    }
    let email = event.request.user_attributes.get("email");
    if !email.is_some_and(|email| email.ends_with("@example.com")) {
        return Err("Sign-up is open to @example.com addresses only".into());
    }
    event.response.auto_confirm_user = true;
    event.response.auto_verify_email = true;
    Ok(event)
}

pub fn pre_sign_up(bytes: &[u8]) -> Vec<u8> {
    run(bytes, screen_sign_up)
}

pub fn pre_token_generation_v1(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |mut event: CognitoEventUserPoolsPreTokenGen| {
        let details = event
            .response
            .claims_override_details
            .get_or_insert_with(Default::default);
        if let Some(tenant) = event.request.user_attributes.get("custom:tenant_id") {
            let claims = &mut details.claims_to_add_or_override;
            claims.insert("tenant".to_owned(), tenant.clone());
        }
        details.claims_to_suppress.push("phone_number".to_owned());
        Ok(event)
    })
}

pub fn pre_token_generation_v2(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |mut event: CognitoEventUserPoolsPreTokenGenV2| {
        let details = event
            .response
            .claims_and_scope_override_details
            .get_or_insert_with(Default::default);
        let access = details
            .access_token_generation
            .get_or_insert_with(Default::default);
        if let Some(tenant) = event.request.user_attributes.get("custom:tenant_id") {
            let id = details
                .id_token_generation
                .get_or_insert_with(Default::default);
            let claim = || ("tenant".to_owned(), Value::from(tenant.as_str()));
            id.claims_to_add_or_override.extend([claim()]);
            access.claims_to_add_or_override.extend([claim()]);
        }
        access.scopes_to_add.push("example-api/read".to_owned());
        Ok(event)
    })
}

pub fn custom_message(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |mut event: CognitoEventUserPoolsCustomMessage| {
        let source = &event.cognito_event_user_pools_header.trigger_source;
        if *source == Some(CognitoEventUserPoolsCustomMessageTriggerSource::SignUp) {
            let name = event.request.user_attributes.get("given_name");
            let message = format!(
                "Hello {}, your verification code is {}.",
                name.and_then(Value::as_str).unwrap_or("there"),
                event.request.code_parameter.as_deref().unwrap_or_default()
            );
            event.response.email_subject = Some("Welcome to Example".to_owned());
            event.response.email_message = Some(message);
        }
        Ok(event)
    })
}

pub fn define_auth_challenge(bytes: &[u8]) -> Vec<u8> {
    run(
        bytes,
        |mut event: CognitoEventUserPoolsDefineAuthChallenge| {
            let session = &event.request.session;
            let passed = session
                .iter()
                .rev()
                .take_while(|c| {
                    c.as_ref().is_some_and(|c| {
                        c.challenge_name.as_deref() == Some("CUSTOM_CHALLENGE")
                            && c.challenge_result
                    })
                })
                .count();
            let response = &mut event.response;
            if passed >= 1 {
                (response.challenge_name, response.issue_tokens) = (None, true);
            } else if session.len() >= 5 {
                (response.challenge_name, response.fail_authentication) = (None, true);
            } else {
                response.challenge_name = Some("CUSTOM_CHALLENGE".to_owned());
            }
            Ok(event)
        },
    )
}

pub fn user_migration(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |mut event: CognitoEventUserPoolsMigrateUser| {
        let request = &event.cognito_event_user_pools_migrate_user_request;
        if request.password.as_deref() != Some("correct-horse-battery-staple") {
            return Err("Incorrect username or password".into());
        }
        let user_name = event.cognito_event_user_pools_header.user_name.clone();
        let response = &mut event.cognito_event_user_pools_migrate_user_response;
        response.user_attributes = HashMap::from([
            ("email".to_owned(), user_name.unwrap_or_default()),
            ("email_verified".to_owned(), "true".to_owned()),
        ]);
        response.final_user_status = Some("CONFIRMED".to_owned());
        response.message_action = Some("SUPPRESS".to_owned());
        Ok(event)
    })
}
