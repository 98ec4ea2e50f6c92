//! A parsed `#[cognito_trigger(...)]` declaration: its values, as the
//! manifest records them, and (with the `parse` feature) the span of each
//! token they came from so that each check can point at it.

use crate::trigger::{LambdaVersion, Trigger};
#[cfg(feature = "parse")]
use proc_macro2::Span;
use serde::{Deserialize, Serialize};

#[cfg(feature = "parse")]
/// A value with the span of the tokens it was read from.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

#[cfg(feature = "parse")]
impl<T> Spanned<T> {
    /// `value`, read at `span`.
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
    GetAtt {
        /// The logical ID of the key's resource (`"kmsKey"`).
        resource: String,
    },
}

/// What one `#[cognito_trigger(...)]` says, as plain data: a
/// [`Declaration`] without its spans, which the manifest records (beside its
/// location) for the build step and the macro to read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Values {
    /// `pool`: the pool's name, or for an existing pool its name, ID or ARN.
    pub pool: String,
    /// `trigger`.
    pub trigger: Trigger,
    /// `lambda_version`, when written (see [`Values::version`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_version: Option<LambdaVersion>,
    /// `kms_key_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KmsKey>,
    /// `existing = true`: a pool the stack does not own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub existing: bool,
    /// `force_deploy = true`: re-apply the trigger to an existing pool on every deploy.
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

#[cfg(feature = "parse")]
/// A parsed declaration: its values, and where each was written.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// What it says.
    pub values: Values,
    /// Where each part was written.
    pub spans: Spans,
}

#[cfg(feature = "parse")]
/// Where the parts of a declaration were written, so that each check can
/// point at its token; an optional key's is `None` when it is not written.
#[derive(Clone, Copy, Debug)]
pub struct Spans {
    /// The whole attribute, for errors about something missing.
    pub attribute: Span,
    /// The `pool` value.
    pub pool: Span,
    /// The `trigger` value.
    pub trigger: Span,
    /// The `kms_key_id` value.
    pub kms_key_id: Option<Span>,
    /// The `lambda_version` value.
    pub lambda_version: Option<Span>,
    /// The `existing` value.
    pub existing: Option<Span>,
    /// The `force_deploy` value.
    pub force_deploy: Option<Span>,
}
