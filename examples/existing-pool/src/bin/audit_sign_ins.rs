//! One function on two existing pools, named unambiguously: by ARN and by ID
//! (a name is looked up, and must then be unique in the account).

use cognito_trigger::events::PostAuthenticationEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(
    pool = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123",
    trigger = PostAuthentication,
    existing = true
)]
#[cognito_trigger(pool = "eu-west-1_XyZ789", trigger = PostAuthentication, existing = true)]
async fn audit_sign_ins(event: PostAuthenticationEvent) -> Result<PostAuthenticationEvent, Error> {
    tracing::info!(pool = %event.user_pool_id, user = %event.user_name, "signed in");
    Ok(event)
}
