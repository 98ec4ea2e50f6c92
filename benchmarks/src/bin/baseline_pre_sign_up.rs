//! The benchmarked trigger, written by hand as the cargo-lambda template
//! writes one: `#[tokio::main]` (the multi-thread runtime), `lambda_runtime`
//! and the `aws_lambda_events` type, with the logic of `toolkit_pre_sign_up`.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreSignup;
use cognito_trigger_benchmarks::baseline::screen_sign_up;
use lambda_runtime::{Error, LambdaEvent, run, service_fn, tracing};

async fn pre_sign_up(
    event: LambdaEvent<CognitoEventUserPoolsPreSignup>,
) -> Result<CognitoEventUserPoolsPreSignup, Error> {
    screen_sign_up(event.payload)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    run(service_fn(pre_sign_up)).await
}
