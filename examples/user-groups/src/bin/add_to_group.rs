//! A trigger that calls its own pool: once a user confirms their sign-up,
//! PostConfirmation adds them to the pool's `members` group. The pool's ID
//! comes with the event, and the role may call `AdminAddUserToGroup` on
//! exactly the function's pools (`pool_access` in Cargo.toml), so nothing
//! refers to the pool that the pool needs: no circular dependency. On a
//! pool the stack does not own (`existing = true`), the grant names that
//! pool's ARN the same way.

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use cognito_trigger::events::{PostConfirmationEvent, PostConfirmationSource};
use cognito_trigger::{BoxError, Error, Setup, cognito_trigger};

/// The group every confirmed user joins (resources.yaml creates it).
const GROUP: &str = "members";

/// The Cognito client, built once per cold start. It reads what Lambda
/// gives the function (its credentials, `AWS_REGION`) and, locally,
/// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` to reach cognito-local.
struct Cognito(Client);

impl Setup for Cognito {
    async fn setup() -> Result<Self, BoxError> {
        use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http)
            .load()
            .await;
        Ok(Cognito(Client::new(&config)))
    }
}

#[cognito_trigger(pool = "Members", trigger = PostConfirmation)]
async fn add_to_group(
    event: PostConfirmationEvent,
    cognito: &Cognito,
) -> Result<PostConfirmationEvent, Error> {
    // A reset password confirms no new user.
    if event.trigger_source != PostConfirmationSource::ConfirmSignUp {
        return Ok(event);
    }
    cognito
        .0
        .admin_add_user_to_group()
        .user_pool_id(&event.user_pool_id)
        .username(&event.user_name)
        .group_name(GROUP)
        .send()
        .await
        .map_err(|error| {
            Error::internal(format!(
                "cannot add {} to group {GROUP}: {}",
                event.user_name,
                DisplayErrorContext(&error)
            ))
        })?;
    Ok(event)
}
