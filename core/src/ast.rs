//! A parsed `#[cognito_trigger(...)]` declaration. Every value keeps the span
//! of the token it came from so that each check can point at it.

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

#[derive(Clone, Debug)]
pub struct Declaration {
    /// The whole attribute, for errors about something missing.
    pub span: Span,
    pub pool: Spanned<String>,
    pub trigger: Spanned<Trigger>,
    pub kms_key_id: Option<Spanned<KmsKey>>,
    pub lambda_version: Option<Spanned<LambdaVersion>>,
    pub existing: Option<Spanned<bool>>,
    pub force_deploy: Option<Spanned<bool>>,
}

impl Declaration {
    /// The event version in force: the declared one, else the trigger's default.
    pub fn version(&self) -> Option<LambdaVersion> {
        self.lambda_version
            .as_ref()
            .map(|v| v.value)
            .or_else(|| self.trigger.value.default_version())
    }

    pub fn existing(&self) -> bool {
        self.existing.as_ref().is_some_and(|e| e.value)
    }

    /// The marker type in `cognito_trigger::triggers` for this declaration.
    pub fn marker(&self) -> &'static str {
        self.trigger.value.marker(self.version())
    }
}
