//! State built once per cold start and shared by every invocation.

use crate::error::BoxError;
use std::future::Future;

/// State a handler needs that is costly to build: SDK clients, configuration,
/// connection pools. The generated entrypoint builds it once, before the
/// first invocation, and passes a reference to every call:
///
/// ```ignore
/// struct Clients { directory: Directory }
///
/// impl cognito_trigger::Setup for Clients {
///     async fn setup() -> Result<Self, cognito_trigger::BoxError> {
///         Ok(Clients { directory: Directory::connect(std::env::var("DIRECTORY_URL")?).await? })
///     }
/// }
///
/// #[cognito_trigger(pool = "MyUserPool", trigger = UserMigration)]
/// async fn migrate(event: UserMigrationEvent, clients: &Clients) -> Result<UserMigrationEvent, Error> { ... }
/// ```
///
/// In a unit test, build the state by hand and call the function directly.
#[diagnostic::on_unimplemented(
    message = "the handler's second argument must be a reference to a `Setup` type, and `{Self}` is not one",
    label = "`{Self}` does not implement `cognito_trigger::Setup`",
    note = "implement `cognito_trigger::Setup` for `{Self}` to build it once per cold start"
)]
pub trait Setup: Sized + 'static {
    fn setup() -> impl Future<Output = Result<Self, BoxError>>;
}
