//! Runs once a user is confirmed: here it logs, where an application would
//! create the user's profile.

use cognito_trigger::events::PostConfirmationEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "AppPool", trigger = PostConfirmation)]
async fn welcome(event: PostConfirmationEvent) -> Result<PostConfirmationEvent, Error> {
    tracing::info!(user = %event.user_name, source = %event.trigger_source.as_str(), "user confirmed");
    Ok(event)
}
