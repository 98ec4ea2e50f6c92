//! Create, Update and Delete, as CloudFormation custom resources require:
//! every request gets a response, and a failed one says why.

use crate::request::{Properties, Request, RequestType, Response, Status};
use crate::{permission, pool};
use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use serde_json::{Value, json};
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

pub async fn handle(request: &Request, clients: &Clients) -> Response {
    let outcome = match request.request_type {
        RequestType::Create => create(request, clients).await,
        RequestType::Update => update(request, clients).await,
        RequestType::Delete => delete(request, clients).await,
    };
    match outcome {
        Ok((physical_id, data)) => {
            Response::to(request, Status::Success, physical_id, String::new(), data)
        }
        Err(Failure {
            reason,
            physical_id,
        }) => {
            let physical_id = match &request.physical_resource_id {
                Some(id) if request.request_type != RequestType::Create => id.clone(),
                _ => physical_id.unwrap_or_else(|| FAILED_CREATE.to_owned()),
            };
            Response::to(request, Status::Failed, physical_id, reason, Value::Null)
        }
    }
}

type Outcome = Result<(String, Value), Failure>;

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

async fn create(request: &Request, clients: &Clients) -> Outcome {
    let properties = Properties::from_value(&request.resource_properties)?;
    apply(&properties, clients).await
}

/// Same pool and function: re-applied in place, taking back the triggers no
/// longer declared. Another pool or function: a new resource (new physical
/// ID), and CloudFormation deletes the old one with its old properties.
async fn update(request: &Request, clients: &Clients) -> Outcome {
    let properties = Properties::from_value(&request.resource_properties)?;
    let old = request
        .old_resource_properties
        .as_ref()
        .map(Properties::from_value)
        .transpose()?;
    if let Some(old) = old
        && old.user_pool == properties.user_pool
        && old.function_arn == properties.function_arn
    {
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
    Ok((physical_id, json!({"UserPoolId": id, "UserPoolArn": arn})))
}

async fn delete(request: &Request, clients: &Clients) -> Outcome {
    let physical_id = request.physical_resource_id.clone().unwrap_or_default();
    if physical_id == FAILED_CREATE {
        return Ok((physical_id, Value::Null));
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
    Ok((physical_id, Value::Null))
}

fn physical_id(pool_id: &str, function_arn: &str) -> String {
    let function = function_arn.rsplit(':').next().unwrap_or(function_arn);
    format!("{pool_id}/{function}")
}
