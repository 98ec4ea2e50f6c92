//! Create, Update and Delete, as CloudFormation custom resources require:
//! every request gets a response, and a failed one says why.

use crate::request::{Properties, Request, RequestType, Response, Status};
use crate::{permission, pool};
use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use serde_json::{Value, json};

pub struct Clients {
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub lambda: aws_sdk_lambda::Client,
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
        }
    }
}

/// The physical ID of a resource whose create failed: its delete (during the
/// rollback) then has nothing to undo.
const FAILED_CREATE: &str = "failed-create";

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
        Err(reason) => {
            let physical_id = match (&request.request_type, &request.physical_resource_id) {
                (RequestType::Create, _) | (_, None) => FAILED_CREATE.to_owned(),
                (_, Some(id)) => id.clone(),
            };
            Response::to(request, Status::Failed, physical_id, reason, Value::Null)
        }
    }
}

type Outcome = Result<(String, Value), String>;

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
        {
            pool::detach(&clients.cognito, found, &old.function_arn, &dropped).await?;
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
    pool::attach(
        &clients.cognito,
        found,
        &properties.function_arn,
        &properties.triggers,
        properties.kms_key_id.as_deref(),
    )
    .await?;
    permission::allow(&clients.lambda, &properties.function_arn, &id, &arn).await?;
    Ok((
        physical_id(&id, &properties.function_arn),
        json!({"UserPoolId": id, "UserPoolArn": arn}),
    ))
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
        pool::detach(
            &clients.cognito,
            found,
            &properties.function_arn,
            &properties.triggers,
        )
        .await?;
        permission::revoke(&clients.lambda, &properties.function_arn, &id).await?;
    }
    Ok((physical_id, Value::Null))
}

fn physical_id(pool_id: &str, function_arn: &str) -> String {
    let function = function_arn.rsplit(':').next().unwrap_or(function_arn);
    format!("{pool_id}/{function}")
}
