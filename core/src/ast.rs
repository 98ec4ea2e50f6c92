//! A parsed `#[cognito_trigger(...)]` declaration: its values, as the
//! manifest records them, and the span of each token they came from so that
//! each check can point at it.

use crate::trigger::{LambdaVersion, Trigger};
use proc_macro2::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// The KMS key custom senders decrypt their codes with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum KmsKey {
    /// `kms_key_id = "arn:aws:kms:..."`
    Arn(String),
    /// `kms_key_id = get_att("kmsKey", "Arn")`: a key declared in the template.
    GetAtt { resource: String },
}

/// What one `#[cognito_trigger(...)]` says, as plain data: a
/// [`Declaration`] without its spans, which the manifest records (beside its
/// location) for the build step and the macro to read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Values {
    pub pool: String,
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_version: Option<LambdaVersion>,
    /// `kms_key_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KmsKey>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub existing: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_deploy: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Values {
    /// The event version in force: the declared one, else the trigger's default.
    pub fn version(&self) -> Option<LambdaVersion> {
        self.lambda_version
            .or_else(|| self.trigger.default_version())
    }
}

/// A parsed declaration: its values, and where each was written.
#[derive(Clone, Debug)]
pub struct Declaration {
    pub values: Values,
    pub spans: Spans,
}

/// Where the parts of a declaration were written, so that each check can
/// point at its token; an optional key's is `None` when it is not written.
#[derive(Clone, Copy, Debug)]
pub struct Spans {
    /// The whole attribute, for errors about something missing.
    pub attribute: Span,
    pub pool: Span,
    pub trigger: Span,
    pub kms_key_id: Option<Span>,
    pub lambda_version: Option<Span>,
    pub existing: Option<Span>,
    pub force_deploy: Option<Span>,
}
