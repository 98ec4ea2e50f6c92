//! The `#[cognito_trigger]` attribute. Depend on the `cognito-trigger` crate,
//! which re-exports it with the event types it refers to.
//!
//! ```standalone_crate
//! use cognito_trigger::{Error, cognito_trigger, events::PreSignUpEvent};
//!
//! #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
//! async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
//!     event.auto_confirm();
//!     Ok(event)
//! }
//! # let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! # let event = runtime.block_on(pre_sign_up(PreSignUpEvent::default())).unwrap();
//! # assert!(event.response.auto_confirm_user);
//! ```
//!
//! The attribute keeps the function as written and adds the binary's `main`:
//! a Lambda runtime loop that decodes each event, calls the function and
//! reports its result to Cognito. Every mistake in the declaration or the
//! signature is a compile error at the offending token; see the
//! `cognito-trigger` crate for the keys and the rules.

mod expand;
mod manifest;

use proc_macro::TokenStream;

/// Makes an `async fn` the Lambda handler of a Cognito user pool trigger and
/// writes the binary's `main` (see the `cognito-trigger` crate).
#[proc_macro_attribute]
pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cognito_trigger(args.into(), item.into()).into()
}
