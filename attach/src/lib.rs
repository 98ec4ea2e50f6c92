//! The CloudFormation custom resource behind `existing = true`: it attaches
//! a cognito-trigger function to a user pool the stack does not own.
//!
//! Unlike the Serverless Framework's, it
//! - acts only on the attachments its template declares, for its stack
//!   ([`declared`]: the template's `COGNITO_TRIGGER_ATTACHMENTS`), refusing
//!   anything else before any AWS call, and answers only to CloudFormation's
//!   response URLs or loopback ([`respond::check_url`]);
//! - finds the pool by ID or ARN, or by name only when the name is unique in
//!   the account and region (an ambiguous name is an error, never a guess);
//! - keeps every other setting of the pool: it reads the pool, changes only
//!   this function's `LambdaConfig` entries, and writes everything back;
//! - never takes a trigger another function holds, and on delete removes
//!   exactly what it added;
//! - reads the pool again after writing it, and fails, naming what was
//!   undone, if a concurrent writer (UpdateUserPool replaces the whole
//!   configuration) has undone this write or this write another's (the
//!   template also chains the attachments of a pool, so they never race);
//! - adds the invoke permission (with `SourceArn` and `SourceAccount`)
//!   before it writes a trigger, leaves an unchanged one alone, and removes
//!   it on delete after the triggers, on the pool the physical ID names;
//! - always answers CloudFormation, SUCCESS or FAILED with the reason, before
//!   the function's deadline, so a stack never hangs on it.
//!
//! Resource properties (`Custom::CognitoTriggerAttachment`):
//!
//! ```yaml
//! ServiceToken: !GetAtt CognitoTriggerAttachLambdaFunction.Arn
//! UserPool: legacy-user-pool        # a name, an ID or an ARN
//! FunctionArn: !GetAtt UsersLambdaFunction.Arn
//! Triggers:
//!   - Trigger: CustomMessage
//!   - Trigger: CustomSMSSender
//!     LambdaVersion: V1_0
//! KmsKeyId: arn:aws:kms:...         # with custom senders
//! DeployId: !Ref CognitoTriggerDeployId   # force_deploy: a new value re-applies
//! ```
//!
//! # In a package of triggers
//!
//! The function is a binary of the package that declares `existing = true`
//! triggers, built and deployed with its other functions. Add the crate:
//!
//! ```toml
//! [dependencies]
//! cognito-trigger-attach = "0.1"
//! ```
//!
//! and the binary, `src/bin/cognito-trigger-attach.rs` (as in
//! examples/existing-pool):
//!
//! ```ignore
//! fn main() {
//!     cognito_trigger_attach::run()
//! }
//! ```
//!
//! The template the build step writes points the custom resource's function
//! at that binary; without it, the build fails at each `existing = true`.

// The AWS SDK's futures nest deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod declared;
pub mod handler;
pub mod permission;
pub mod pool;
pub mod request;
pub mod respond;
mod slots;

pub use declared::Declared;
pub use handler::{Clients, handle};
pub use request::{KnownRequest, Properties, Request, Response, Status, TriggerSpec};

use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// Serves CloudFormation's custom resource requests on the Lambda runtime
/// API, as the `main` of the function's binary: returns only if the runtime
/// API fails, and then exits the process with an error.
pub fn run() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    if let Err(error) = runtime.block_on(serve_all()) {
        eprintln!("the Lambda runtime API failed: {error}");
        std::process::exit(1);
    }
}

async fn serve_all() -> Result<(), lambda_runtime::Error> {
    let clients = Clients::from_env().await;
    let clients = &clients;
    // Read once: the template sets it, and it changes only with a new deployment.
    let declared = Declared::from_env();
    let declared = &declared;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        serve(event, declared, clients).await
    }))
    .await
}

async fn serve(
    event: LambdaEvent<Value>,
    declared: &Result<Declared, String>,
    clients: &Clients,
) -> Result<(), lambda_runtime::Error> {
    let request: Request = match serde_json::from_value(event.payload.clone()) {
        Ok(request) => request,
        Err(error) => {
            let message = format!("not a CloudFormation custom resource request: {error}");
            return Err(unanswered(message));
        }
    };
    let Some(request) = KnownRequest::of(&request) else {
        let message = "a custom resource request of a type this function does not know";
        return Err(unanswered(message.into()));
    };
    // Before anything else: a request whose answer would go elsewhere than
    // to CloudFormation is not CloudFormation's, and gets no action.
    if let Err(message) = respond::check_url(request.response_url()) {
        return Err(unanswered(message));
    }
    let declared = match declared {
        Ok(declared) => declared,
        Err(message) => {
            let response = request.response(
                Status::Failed,
                request
                    .physical_resource_id()
                    .unwrap_or(handler::FAILED_CREATE)
                    .to_owned(),
                message.clone(),
                HashMap::new(),
            );
            eprintln!("{message}");
            respond::send(request.response_url(), &response).await?;
            return Ok(());
        }
    };
    // Answer before Lambda's deadline, whatever the calls are doing.
    let left = event
        .context
        .deadline()
        .duration_since(SystemTime::now())
        .unwrap_or_default()
        .saturating_sub(Duration::from_secs(5));
    let response = match tokio::time::timeout(left, handle(request, declared, clients)).await {
        Ok(response) => response,
        Err(_) => request.response(
            Status::Failed,
            request
                .physical_resource_id()
                .unwrap_or(handler::FAILED_CREATE)
                .to_owned(),
            "timed out before the function's deadline".into(),
            HashMap::new(),
        ),
    };
    // Plain lines in the function's log: lambda_runtime's subscriber
    // (tracing-subscriber and its regex engine) made the binary 1.7 MB larger.
    println!(
        "answering CloudFormation: {:?} {}",
        response.status,
        response.reason.as_deref().unwrap_or_default()
    );
    respond::send(request.response_url(), &response).await?;
    Ok(())
}

/// Logs `message`, for a payload there is no known answer to (or no URL to
/// send it to): Lambda reports the returned error.
fn unanswered(message: String) -> lambda_runtime::Error {
    eprintln!("{message}");
    message.into()
}
