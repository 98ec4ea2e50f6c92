//! The Lambda function CloudFormation calls for `Custom::CognitoTriggerAttachment`.

// The AWS SDK's futures nest deeper than the default limit allows.
#![recursion_limit = "256"]

use cognito_trigger_attach::{Clients, Request, Response, Status, handle, respond};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use std::time::{Duration, SystemTime};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let clients = Clients::from_env().await;
    let clients = &clients;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        serve(event, clients).await
    }))
    .await
}

async fn serve(event: LambdaEvent<Value>, clients: &Clients) -> Result<(), Error> {
    let request: Request = match serde_json::from_value(event.payload.clone()) {
        Ok(request) => request,
        Err(error) => {
            // Without a request there is no URL to answer: let Lambda report it.
            tracing::error!(%error, "not a CloudFormation custom resource request");
            return Err(format!("not a CloudFormation custom resource request: {error}").into());
        }
    };
    // Answer before Lambda's deadline, whatever the calls are doing.
    let left = event
        .context
        .deadline()
        .duration_since(SystemTime::now())
        .unwrap_or_default()
        .saturating_sub(Duration::from_secs(5));
    let response = match tokio::time::timeout(left, handle(&request, clients)).await {
        Ok(response) => response,
        Err(_) => Response::to(
            &request,
            Status::Failed,
            request
                .physical_resource_id
                .clone()
                .unwrap_or_else(|| "failed-create".into()),
            "timed out before the function's deadline".into(),
            Value::Null,
        ),
    };
    tracing::info!(status = ?response.status, reason = %response.reason, "answering CloudFormation");
    respond::send(&request.response_url, &response).await?;
    Ok(())
}
