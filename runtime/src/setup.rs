//! State built once per cold start and shared by every invocation.

use crate::error::BoxError;
use std::future::Future;

/// State a handler needs that is costly to build: SDK clients, configuration,
/// connection pools. The generated entrypoint builds it once, before the
/// first invocation, and passes a reference to every call:
///
/// ```standalone_crate
/// use cognito_trigger::{BoxError, Error, Setup, cognito_trigger, events::PreSignUpEvent};
///
/// struct Config {
///     allowed_domain: String,
/// }
///
/// impl Setup for Config {
///     async fn setup() -> Result<Self, BoxError> {
///         Ok(Config { allowed_domain: std::env::var("ALLOWED_DOMAIN")? })
///     }
/// }
///
/// #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
/// async fn pre_sign_up(event: PreSignUpEvent, config: &Config) -> Result<PreSignUpEvent, Error> {
///     let email = event.request.user_attributes.get("email").map_or("", String::as_str);
///     if !email.ends_with(&format!("@{}", config.allowed_domain)) {
///         return Err(Error::reject("Sign-up is closed to this domain"));
///     }
///     Ok(event)
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // In a unit test, build the state by hand and call the function directly:
/// let config = Config { allowed_domain: "example.com".into() };
/// let mut event = PreSignUpEvent::default();
/// event.request.user_attributes.insert("email".into(), "jane@elsewhere.org".into());
/// let error = pre_sign_up(event, &config).await.unwrap_err();
/// assert_eq!(error.user_message(), "Sign-up is closed to this domain");
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "the handler's second argument must be a reference to a `Setup` type, and `{Self}` is not one",
    label = "`{Self}` does not implement `cognito_trigger::Setup`",
    note = "implement `cognito_trigger::Setup` for `{Self}` to build it once per cold start"
)]
pub trait Setup: Sized + 'static {
    /// Builds the state, once per cold start, before the first invocation.
    /// An error is logged and ends the process with a failure.
    fn setup() -> impl Future<Output = Result<Self, BoxError>>;
}
