//! The custom resource protocol's documents, as `aws_lambda_events` types
//! them, and this resource's properties.

use aws_lambda_events::cloudformation::{
    CloudFormationCustomResourceRequest, CreateRequest, DeleteRequest, UpdateRequest,
};
pub use aws_lambda_events::cloudformation::{
    CloudFormationCustomResourceResponse as Response,
    CloudFormationCustomResourceResponseStatus as Status,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// A custom resource request, its resource properties as sent: each request
/// type's handler reads them ([`Properties::from_value`]), so a request whose
/// properties do not parse still gets its FAILED response, and a rollback's
/// Delete of a failed create never reads them.
pub type Request = CloudFormationCustomResourceRequest<Value, Value>;

/// A [`Request`] of a type this function handles. `Request` is
/// `#[non_exhaustive]`, for request types CloudFormation might add, which
/// this function would not know how to answer.
#[derive(Clone, Copy, Debug)]
pub enum KnownRequest<'a> {
    Create(&'a CreateRequest<Value>),
    Update(&'a UpdateRequest<Value, Value>),
    Delete(&'a DeleteRequest<Value>),
}

impl<'a> KnownRequest<'a> {
    /// `None` for a request type this function does not know.
    pub fn of(request: &'a Request) -> Option<Self> {
        match request {
            Request::Create(create) => Some(Self::Create(create)),
            Request::Update(update) => Some(Self::Update(update)),
            Request::Delete(delete) => Some(Self::Delete(delete)),
            _ => None,
        }
    }

    /// The pre-signed URL the response goes to.
    pub fn response_url(self) -> &'a str {
        match self {
            Self::Create(create) => &create.response_url,
            Self::Update(update) => &update.response_url,
            Self::Delete(delete) => &delete.response_url,
        }
    }

    /// The resource's physical ID: a Create has none yet.
    pub fn physical_resource_id(self) -> Option<&'a str> {
        match self {
            Self::Create(_) => None,
            Self::Update(update) => Some(&update.physical_resource_id),
            Self::Delete(delete) => Some(&delete.physical_resource_id),
        }
    }

    /// The response to this request, which echoes its IDs.
    pub fn response(
        self,
        status: Status,
        physical_resource_id: String,
        reason: String,
        data: HashMap<String, String>,
    ) -> Response {
        let (stack_id, request_id, logical_resource_id) = match self {
            Self::Create(r) => (&r.stack_id, &r.request_id, &r.logical_resource_id),
            Self::Update(r) => (&r.stack_id, &r.request_id, &r.logical_resource_id),
            Self::Delete(r) => (&r.stack_id, &r.request_id, &r.logical_resource_id),
        };
        // `#[non_exhaustive]`: no struct literal outside its crate.
        let mut response = Response::default();
        response.status = status;
        response.reason = Some(reason);
        response.physical_resource_id = physical_resource_id;
        response.stack_id.clone_from(stack_id);
        response.request_id.clone_from(request_id);
        response.logical_resource_id.clone_from(logical_resource_id);
        response.data = data;
        response
    }
}

/// What this resource attaches, from `ResourceProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Properties {
    pub user_pool: String,
    pub function_arn: String,
    pub triggers: Vec<TriggerSpec>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TriggerSpec {
    pub trigger: String,
    #[serde(default)]
    pub lambda_version: Option<String>,
}

impl Properties {
    pub fn from_value(value: &Value) -> Result<Self, String> {
        serde_json::from_value(value.clone())
            .map_err(|e| format!("invalid resource properties: {e}"))
    }
}
