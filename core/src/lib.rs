//! The declaration language of `#[cognito_trigger(...)]`, shared by the
//! attribute macro and the build step so that the two can never disagree.
//!
//! - [`trigger`]: the catalogue of Cognito user pool triggers.
//! - [`ast`]: a parsed declaration, every value with the span it came from.
//! - [`attr`]: the parser from attribute tokens to [`ast::Declaration`].
//! - [`item`]: items read as token trees, without recursion, for the scanner and the macro.
//! - [`valid`]: the rules a declaration (or a function's set of them) must follow.
//! - [`errors`]: the context that collects every error before reporting them.
//! - [`scan`]: the build step's source scanner, on the same parser.
//! - [`manifest`]: what the build step found, read back by the macro.
//! - [`package`]: the rules that span several functions.
//! - [`naming`]: the CloudFormation logical IDs of generated resources, and pool references.
//! - [`arn`]: user pool IDs and ARNs and KMS key ARNs, with one rule for partitions.

pub mod arn;
pub mod ast;
pub mod attr;
pub mod errors;
pub mod item;
pub mod manifest;
pub mod naming;
pub mod package;
pub mod scan;
pub mod suggest;
pub mod trigger;
pub mod valid;

pub use ast::{Declaration, KmsKey, Values};
pub use errors::Errors;
pub use trigger::{LambdaVersion, Trigger};
