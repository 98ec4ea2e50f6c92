//! Create, Update and Delete, as CloudFormation custom resources require:
//! every request gets a response, and a failed one says why.

use crate::declared::{Declared, NOT_DECLARED};
use crate::request::{KnownRequest, Properties, Response, Status};
use crate::{permission, pool};
use aws_config::BehaviorVersion;
use aws_lambda_events::cloudformation::{DeleteRequest, UpdateRequest};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use cognito_trigger_core::naming::{PoolReference, pool_reference};
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

/// Answers `request`, acting only if it is one of the attachments
/// `declared` (the template's), for its stack: anything else is refused
/// before any AWS call, with [`NOT_DECLARED`] as the whole reason.
pub async fn handle(request: KnownRequest<'_>, declared: &Declared, clients: &Clients) -> Response {
    let properties = match declared.admit(request) {
        Ok(properties) => properties,
        Err(reason) => {
            let physical_id = request.physical_resource_id().unwrap_or(FAILED_CREATE);
            return request.response(
                Status::Failed,
                physical_id.to_owned(),
                reason.to_owned(),
                HashMap::new(),
            );
        }
    };
    let outcome = match request {
        KnownRequest::Create(_) => apply(properties, clients).await,
        KnownRequest::Update(update_request) => update(update_request, properties, clients).await,
        KnownRequest::Delete(delete_request) => delete(delete_request, properties, clients).await,
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

/// Same pool and function: re-applied in place, taking back the triggers no
/// longer declared. Another pool or function: a new resource (new physical
/// ID), and CloudFormation deletes the old one with its old properties.
async fn update(
    request: &UpdateRequest<Value, Value>,
    properties: &Properties,
    clients: &Clients,
) -> Outcome {
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
    apply(properties, clients).await
}

/// Permission first, trigger second: Cognito calls the function as soon as
/// the pool names it, and fails that flow while it may not.
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
    permission::allow(&clients.lambda, &properties.function_arn, &id, &arn).await?;
    // From here on the resource holds something (the permission, then the
    // triggers): a failed create answers with its ID, so that the
    // rollback's Delete takes it back.
    let physical_id = physical_id(&id, &properties.function_arn);
    let written_failure = |reason| Failure {
        reason,
        physical_id: Some(physical_id.clone()),
    };
    let written = pool::attach(
        &clients.cognito,
        found,
        &properties.function_arn,
        &properties.triggers,
        properties.kms_key_id.as_deref(),
    )
    .await
    .map_err(written_failure)?;
    pool::verify(&clients.cognito, &written, clients.settle)
        .await
        .map_err(written_failure)?;
    let data = HashMap::from([
        ("UserPoolId".to_owned(), id),
        ("UserPoolArn".to_owned(), arn),
    ]);
    Ok((physical_id, data))
}

/// Acts on the pool the physical ID names, never on the one the declared
/// name names now: after a re-created pool's replacement (an Update that
/// attached to the new pool, under a new physical ID), CloudFormation's
/// cleanup Delete of the old resource must leave the new pool alone.
async fn delete(
    request: &DeleteRequest<Value>,
    properties: &Properties,
    clients: &Clients,
) -> Outcome {
    let physical_id = request.physical_resource_id.clone();
    if physical_id == FAILED_CREATE {
        return Ok((physical_id, HashMap::new()));
    }
    // Only an ID this function gives the declared attachment: `<pool ID>/<function>`,
    // on the declared pool when it is declared by ID or ARN.
    let pool_id = physical_id
        .strip_suffix(function_name(&properties.function_arn))
        .and_then(|rest| rest.strip_suffix('/'))
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .ok_or(NOT_DECLARED.to_owned())?;
    let declared_name = match pool_reference(&properties.user_pool) {
        PoolReference::Arn { id } | PoolReference::Id(id) if id != pool_id => {
            return Err(NOT_DECLARED.to_owned().into());
        }
        PoolReference::Arn { .. } | PoolReference::Id(_) => None,
        PoolReference::Name(name) => Some(name),
    };
    // A pool deleted meanwhile has no triggers left to undo.
    if let Some(found) = pool::describe(&clients.cognito, pool_id).await? {
        // A name declares whichever pool has it: this ID must be one of them.
        if declared_name.is_some_and(|name| found.name() != Some(name)) {
            return Err(NOT_DECLARED.to_owned().into());
        }
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
    }
    // After the triggers: the permission stays as long as a trigger may call.
    permission::revoke(&clients.lambda, &properties.function_arn, pool_id).await?;
    Ok((physical_id, HashMap::new()))
}

/// The function's name (or alias) in its ARN, as the physical ID carries it.
fn function_name(function_arn: &str) -> &str {
    function_arn.rsplit(':').next().unwrap_or(function_arn)
}

fn physical_id(pool_id: &str, function_arn: &str) -> String {
    format!("{pool_id}/{}", function_name(function_arn))
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
            "OldResourceProperties": properties,
        }))
        .unwrap()
    }

    fn declared() -> Declared {
        Declared::parse(
            &json!({
                "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
                "Attachments": [{"UserPool": "legacy", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:users", "Triggers": [{"Trigger": "PreSignUp"}]}]
            })
            .to_string(),
        )
        .unwrap()
    }

    /// Clients that cannot reach AWS (no region, no credentials): a request
    /// answered with them was answered without a call.
    #[tokio::test]
    async fn undeclared_requests_are_refused_without_a_call() {
        let properties =
            json!({"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:attach"});
        for kind in ["Create", "Update", "Delete"] {
            let forged = request(kind, properties.clone());
            let response =
                handle(KnownRequest::of(&forged).unwrap(), &declared(), &clients()).await;
            let body = serde_json::to_value(&response).unwrap();
            assert_eq!(body["Status"], "FAILED", "{kind}");
            assert_eq!(body["PhysicalResourceId"], FAILED_CREATE);
            assert_eq!(body["Reason"], NOT_DECLARED);
            assert_eq!(body["RequestId"], "r-1");
            assert_eq!(body["LogicalResourceId"], "UsersAttachment");
        }

        // The rollback's Delete of a failed create has nothing to undo.
        let declared_properties = json!({"ServiceToken": "x", "UserPool": "legacy", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:users", "Triggers": [{"Trigger": "PreSignUp"}]});
        let delete = request("Delete", declared_properties);
        let response = handle(KnownRequest::of(&delete).unwrap(), &declared(), &clients()).await;
        assert_eq!(response.status, Status::Success);
        assert_eq!(response.physical_resource_id, FAILED_CREATE);
    }
}
