//! Write AWS Cognito user pool Lambda triggers as typed async functions.
//!
//! ```standalone_crate
//! use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};
//!
//! #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
//! async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
//!     let email = event.request.user_attributes.get("email").cloned().unwrap_or_default();
//!     if !email.ends_with("@example.com") {
//!         return Err(Error::reject("Sign-up is open to example.com addresses only"));
//!     }
//!     event.auto_confirm();
//!     Ok(event)
//! }
//! # // The function stays an ordinary async function:
//! # let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! # let mut event = PreSignUpEvent::default();
//! # event.request.user_attributes.insert("email".into(), "jane@elsewhere.org".into());
//! # let error = runtime.block_on(pre_sign_up(event)).unwrap_err();
//! # assert_eq!(error.user_message(), "Sign-up is open to example.com addresses only");
//! # let mut event = PreSignUpEvent::default();
//! # event.request.user_attributes.insert("email".into(), "jane@example.com".into());
//! # assert!(runtime.block_on(pre_sign_up(event)).unwrap().response.auto_confirm_user);
//! ```
//!
//! Put each annotated function in its own binary (`src/main.rs` or
//! `src/bin/<name>.rs`): the attribute generates that binary's `main`, a
//! Lambda runtime loop for the declared trigger. The function itself stays an
//! ordinary async function, so tests call it directly.
//!
//! # The declaration
//!
//! | key | value |
//! |---|---|
//! | `pool` | the user pool's name (required); repeat the attribute for more pools |
//! | `trigger` | `PreSignUp`, `PostConfirmation`, `PreAuthentication`, `PostAuthentication`, `DefineAuthChallenge`, `CreateAuthChallenge`, `VerifyAuthChallengeResponse`, `PreTokenGeneration`, `UserMigration`, `CustomMessage`, `CustomSMSSender`, `CustomEmailSender`, `InboundFederation` (required) |
//! | `kms_key_id` | custom senders only, required: `"arn:aws:kms:..."` or `get_att("MyKey", "Arn")` |
//! | `lambda_version` | `V1_0`, `V2_0`, `V3_0` for PreTokenGeneration (selects the event type); `V1_0` for the custom senders |
//! | `existing` | `true`: attach to a pool the stack does not own |
//! | `force_deploy` | `true`, with `existing`: re-apply the trigger on every deploy |
//!
//! # The handler
//!
//! - It is `async`, takes the trigger's event ([`events`]) and returns
//!   `Result<TriggerEvent, Error>`: the event, with `response` filled in.
//! - A function declared for several triggers takes [`events::CustomSenderEvent`]
//!   (both custom senders), [`events::AuthChallengeEvent`] (the challenge
//!   triggers) or [`events::CognitoEvent`] (any).
//! - State built once per cold start: take `&S` as a second argument, where
//!   `S` implements [`Setup`].
//! - [`Error::reject`] refuses with a message Cognito shows to the user; any
//!   other error is logged and the user sees only "Internal error". A panic
//!   is reported the same way, and the process keeps serving as long as the
//!   profile keeps `panic = "unwind"` (Rust's default).
//! - An answer Cognito would refuse (an email verified for a user without
//!   one, an unknown challenge, a message without its code placeholder) is
//!   not sent: Cognito gets `InvalidResponse` and the log says what is wrong.
//!
//! # Logging
//!
//! The generated `main` installs a small [`tracing`] subscriber: a line per
//! event on stdout, inside the request's span. The level comes from
//! `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG` (with `target=level` directives),
//! default `INFO`; `AWS_LAMBDA_LOG_FORMAT=JSON` writes JSON lines.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "build")]
#[cfg_attr(docsrs, doc(cfg(feature = "build")))]
pub mod build;
#[cfg(feature = "decrypt")]
#[cfg_attr(docsrs, doc(cfg(feature = "decrypt")))]
pub mod decrypt;
#[cfg(feature = "runtime")]
pub mod events;
#[cfg(feature = "runtime")]
pub mod handler;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[cfg(feature = "runtime")]
mod entry;
#[cfg(feature = "runtime")]
mod error;
#[cfg(feature = "runtime")]
mod invocation;
#[cfg(feature = "runtime")]
mod log;
#[cfg(feature = "runtime")]
mod setup;

#[cfg(feature = "runtime")]
pub use cognito_trigger_macros::cognito_trigger;
#[cfg(feature = "runtime")]
pub use error::{BoxError, Error, INTERNAL_MESSAGE};
#[cfg(feature = "runtime")]
pub use invocation::Invocation;
#[cfg(feature = "runtime")]
pub use setup::Setup;
/// Structured logging, set up by the generated entrypoint (`RUST_LOG` or
/// `AWS_LAMBDA_LOG_LEVEL` choose the level).
#[cfg(feature = "runtime")]
pub use tracing;

/// The environment variable in which the template gives a custom sender its
/// pools' KMS key ARNs (separated by commas when there are several), and from
/// which `decrypt::CodeDecryptor` reads them.
#[cfg(any(feature = "build", feature = "decrypt"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "build", feature = "decrypt"))))]
pub const KMS_KEY_ARN_VARIABLE: &str = "KMS_KEY_ARN";

/// What the generated code calls; not a public API.
#[cfg(feature = "runtime")]
#[doc(hidden)]
pub mod __private {
    pub use crate::entry::{
        invoke, start, start_with_invocation, start_with_setup, start_with_setup_and_invocation,
    };
}

/// The README's Rust examples, compiled and run as doctests (`cargo test
/// --doc --all-features`): the build script's needs `build`, the unit
/// test's `testing`. Only under `cfg(doctest)`, so a packaged crate, whose
/// README sits elsewhere, never reads the file.
#[cfg(all(doctest, feature = "build", feature = "testing"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
