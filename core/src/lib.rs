//! The declaration language of `#[cognito_trigger(...)]`, shared by the
//! attribute macro and the build step so that the two can never disagree.
//!
//! - [`trigger`]: the catalogue of Cognito user pool triggers.
//! - [`ast`]: a parsed declaration, every value with the span it came from.
//! - [`attr`]: the parser from attribute tokens to [`ast::Declaration`].
//! - [`valid`]: the rules a declaration (or a function's set of them) must follow.
//! - [`errors`]: the context that collects every error before reporting them.

pub mod ast;
pub mod attr;
pub mod errors;
pub mod suggest;
pub mod trigger;
pub mod valid;

pub use ast::{Declaration, KmsKey};
pub use errors::Errors;
pub use trigger::{LambdaVersion, Trigger};
