//! The declaration language of `#[cognito_trigger(...)]`, shared by the
//! attribute macro and the build step so that the two can never disagree.
//!
//! With the `parse` feature (the macro's and the build step's), on syn:
//! the parser, the validation and the scanner; without it, on serde alone,
//! the rest, which attach, local and the runtime's run-time part use.
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
//! - [`sync`]: one policy for poisoned locks (recover the guard).
//! - [`date`]: civil dates, for what is written as Lambda writes it.
//!
//! The build step reads a binary's source as the macro reads its attribute,
//! and names the resources it generates for it:
//!
//! ```
//! use cognito_trigger_core::{Trigger, naming, scan};
//!
//! let source = r#"
//!     use cognito_trigger::{Error, cognito_trigger, events::PreSignUpEvent};
//!
//!     #[cognito_trigger(pool = "My User Pool", trigger = PreSignUp)]
//!     async fn pre_sign_up(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
//!         Ok(event)
//!     }
//! "#;
//! let scan = scan::scan_binary("pre_sign_up", "src/bin/pre_sign_up.rs", source).unwrap();
//! let function = &scan.functions[0];
//! let declared = &function.declarations[0];
//! assert_eq!((function.name.as_str(), declared.trigger), ("pre_sign_up", Trigger::PreSignUp));
//! assert_eq!(declared.location.to_string(), "src/bin/pre_sign_up.rs:4:5");
//! assert_eq!(naming::pool_logical_id(&declared.pool), "CognitoUserPoolMyUserPool");
//! assert_eq!(naming::function_logical_id(&function.bin), "PreSignUpLambdaFunction");
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod arn;
pub mod ast;
#[cfg(feature = "parse")]
#[cfg_attr(docsrs, doc(cfg(feature = "parse")))]
pub mod attr;
pub mod date;
#[cfg(feature = "parse")]
#[cfg_attr(docsrs, doc(cfg(feature = "parse")))]
pub mod errors;
#[cfg(feature = "parse")]
#[cfg_attr(docsrs, doc(cfg(feature = "parse")))]
pub mod item;
pub mod manifest;
pub mod naming;
pub mod package;
#[cfg(feature = "parse")]
#[cfg_attr(docsrs, doc(cfg(feature = "parse")))]
pub mod scan;
pub mod suggest;
pub mod sync;
pub mod trigger;
#[cfg(feature = "parse")]
#[cfg_attr(docsrs, doc(cfg(feature = "parse")))]
pub mod valid;

#[cfg(feature = "parse")]
pub use ast::Declaration;
pub use ast::{KmsKey, Values};
#[cfg(feature = "parse")]
pub use errors::Errors;
pub use trigger::{LambdaVersion, Trigger};
