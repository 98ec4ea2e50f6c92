//! The benchmarked trigger, written by hand as the cargo-lambda template
//! writes one: `#[tokio::main]` (the multi-thread runtime), `lambda_runtime`
//! and the `aws_lambda_events` type, with the logic of `toolkit_pre_sign_up`.

use aws_lambda_events::event::cognito::{
    CognitoEventUserPoolsPreSignup, CognitoEventUserPoolsPreSignupTriggerSource,
};
use lambda_runtime::{Error, LambdaEvent, run, service_fn, tracing};

async fn pre_sign_up(
    event: LambdaEvent<CognitoEventUserPoolsPreSignup>,
) -> Result<CognitoEventUserPoolsPreSignup, Error> {
    let mut event = event.payload;
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

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    run(service_fn(pre_sign_up)).await
}
