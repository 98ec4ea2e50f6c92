//! The `#[cognito_trigger]` attribute. Depend on the `cognito-trigger` crate,
//! which re-exports it with the event types it refers to.
//!
//! ```ignore
//! #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
//! async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
//!     event.auto_confirm();
//!     Ok(event)
//! }
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

#[proc_macro_attribute]
pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cognito_trigger(args.into(), item.into()).into()
}
