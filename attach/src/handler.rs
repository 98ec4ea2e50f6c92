//! Create, Update and Delete, as CloudFormation custom resources require:
//! every request gets a response, and a failed one says why.

use crate::request::{KnownRequest, Properties, Response, Status};
use crate::{permission, pool};
use aws_config::BehaviorVersion;
use aws_lambda_events::cloudformation::{DeleteRequest, UpdateRequest};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

pub struct Clients {
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub lambda: aws_sdk_lambda::Client,
    /// How long after a write the pool is read again ([`pool::verify`]).
    pub settle: Duration,
}

impl Clients {
    /// Clients from the environment (the function's role and region;
    /// `AWS_ENDPOINT_URL_*` in tests).
    pub async fn from_env() -> Self {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .load()
            .await;
        Self {
            cognito: aws_sdk_cognitoidentityprovider::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
            settle: pool::SETTLE,
        }
    }
}

/// The physical ID of a resource whose create failed: its delete (during the
/// rollback) then has nothing to undo.
pub(crate) const FAILED_CREATE: &str = "failed-create";

pub async fn handle(request: KnownRequest<'_>, clients: &Clients) -> Response {
    let outcome = match request {
        KnownRequest::Create(create_request) => {
            create(&create_request.resource_properties, clients).await
        }
        KnownRequest::Update(update_request) => update(update_request, clients).await,
        KnownRequest::Delete(delete_request) => delete(delete_request, clients).await,
    };
    match outcome {
        Ok((physical_id, data)) => {
            request.response(Status::Success, physical_id, String::new(), data)
        }
        Err(Failure {
            reason,
            physical_id,
        }) => {
            let physical_id = request
                .physical_resource_id()
                .map(str::to_owned)
                .or(physical_id)
                .unwrap_or_else(|| FAILED_CREATE.to_owned());
            request.response(Status::Failed, physical_id, reason, HashMap::new())
        }
    }
}

/// The physical ID, and the attributes `Fn::GetAtt` reads.
type Outcome = Result<(String, HashMap<String, String>), Failure>;

struct Failure {
    reason: String,
    /// For a create that failed after writing the pool: the resource's ID,
    /// so that the rollback's Delete takes back what the pool holds of it.
    physical_id: Option<String>,
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Self {
            reason,
            physical_id: None,
        }
    }
}

async fn create(properties: &Value, clients: &Clients) -> Outcome {
    let properties = Properties::from_value(properties)?;
    apply(&properties, clients).await
}

/// Same pool and function: re-applied in place, taking back the triggers no
/// longer declared. Another pool or function: a new resource (new physical
/// ID), and CloudFormation deletes the old one with its old properties.
async fn update(request: &UpdateRequest<Value, Value>, clients: &Clients) -> Outcome {
    let properties = Properties::from_value(&request.resource_properties)?;
    let old = Properties::from_value(&request.old_resource_properties)?;
    if old.user_pool == properties.user_pool && old.function_arn == properties.function_arn {
        let dropped: Vec<_> = old
            .triggers
            .iter()
            .filter(|t| !properties.triggers.iter().any(|n| n.trigger == t.trigger))
            .cloned()
            .collect();
        if !dropped.is_empty()
            && let Some(found) = pool::find(&clients.cognito, &old.user_pool).await?
            && let Some(written) =
                pool::detach(&clients.cognito, found, &old.function_arn, &dropped).await?
        {
            pool::verify(&clients.cognito, &written, clients.settle).await?;
        }
    }
    apply(&properties, clients).await
}

async fn apply(properties: &Properties, clients: &Clients) -> Outcome {
    let found = pool::find(&clients.cognito, &properties.user_pool)
        .await?
        .ok_or_else(|| {
            format!(
                "no user pool {} in this account and region",
                properties.user_pool
            )
        })?;
    let id = found.id.clone().unwrap_or_default();
    let arn = found.arn.clone().unwrap_or_default();
    let written = pool::attach(
        &clients.cognito,
        found,
        &properties.function_arn,
        &properties.triggers,
        properties.kms_key_id.as_deref(),
    )
    .await?;
    let physical_id = physical_id(&id, &properties.function_arn);
    let written_failure = |reason| Failure {
        reason,
        physical_id: Some(physical_id.clone()),
    };
    pool::verify(&clients.cognito, &written, clients.settle)
        .await
        .map_err(written_failure)?;
    permission::allow(&clients.lambda, &properties.function_arn, &id, &arn)
        .await
        .map_err(written_failure)?;
    let data = HashMap::from([
        ("UserPoolId".to_owned(), id),
        ("UserPoolArn".to_owned(), arn),
    ]);
    Ok((physical_id, data))
}

async fn delete(request: &DeleteRequest<Value>, clients: &Clients) -> Outcome {
    let physical_id = request.physical_resource_id.clone();
    if physical_id == FAILED_CREATE {
        return Ok((physical_id, HashMap::new()));
    }
    let properties = Properties::from_value(&request.resource_properties)?;
    // A pool deleted meanwhile has nothing left to undo.
    if let Some(found) = pool::find(&clients.cognito, &properties.user_pool).await? {
        let id = found.id.clone().unwrap_or_default();
        if let Some(written) = pool::detach(
            &clients.cognito,
            found,
            &properties.function_arn,
            &properties.triggers,
        )
        .await?
        {
            pool::verify(&clients.cognito, &written, clients.settle).await?;
        }
        permission::revoke(&clients.lambda, &properties.function_arn, &id).await?;
    }
    Ok((physical_id, HashMap::new()))
}

fn physical_id(pool_id: &str, function_arn: &str) -> String {
    let function = function_arn.rsplit(':').next().unwrap_or(function_arn);
    format!("{pool_id}/{function}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Request;
    use serde_json::json;

    /// Clients these requests never call: they are answered before any call.
    fn clients() -> Clients {
        let behavior = BehaviorVersion::latest();
        let cognito = aws_sdk_cognitoidentityprovider::Config::builder().behavior_version(behavior);
        let lambda = aws_sdk_lambda::Config::builder().behavior_version(behavior);
        Clients {
            cognito: aws_sdk_cognitoidentityprovider::Client::from_conf(cognito.build()),
            lambda: aws_sdk_lambda::Client::from_conf(lambda.build()),
            settle: Duration::ZERO,
        }
    }

    fn request(kind: &str, properties: Value) -> Request {
        serde_json::from_value(json!({
            "RequestType": kind,
            "ResponseURL": "https://example.invalid/response",
            "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
            "RequestId": "r-1",
            "ResourceType": "Custom::CognitoTriggerAttachment",
            "LogicalResourceId": "UsersAttachment",
            "PhysicalResourceId": FAILED_CREATE,
            "ResourceProperties": properties,
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn properties_that_do_not_parse_are_answered() {
        let properties =
            json!({"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:attach"});
        let create = request("Create", properties.clone());
        let response = handle(KnownRequest::of(&create).unwrap(), &clients()).await;
        let body = serde_json::to_value(&response).unwrap();
        assert_eq!(body["Status"], "FAILED");
        assert_eq!(body["PhysicalResourceId"], FAILED_CREATE);
        assert_eq!(
            body["Reason"],
            "invalid resource properties: missing field `UserPool`"
        );
        assert_eq!(body["RequestId"], "r-1");
        assert_eq!(body["LogicalResourceId"], "UsersAttachment");

        // Its rollback's Delete has nothing to undo, whatever the properties.
        let delete = request("Delete", properties);
        let response = handle(KnownRequest::of(&delete).unwrap(), &clients()).await;
        assert_eq!(response.status, Status::Success);
        assert_eq!(response.physical_resource_id, FAILED_CREATE);
    }
}
