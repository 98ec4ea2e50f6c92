//! The post confirmation half of the seed's "Overriding a generated User Pool".

use cognito_trigger::events::PostConfirmationEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "MyUserPool", trigger = PostConfirmation)]
async fn post_confirmation(event: PostConfirmationEvent) -> Result<PostConfirmationEvent, Error> {
    tracing::info!(user = event.user_name, source = %event.trigger_source, "user confirmed");
    Ok(event)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn returns_the_event_unchanged() {
        let event = cognito_trigger::events::PostConfirmationEvent {
            user_name: "jane".into(),
            ..Default::default()
        };
        assert_eq!(
            super::post_confirmation(event.clone()).await.unwrap(),
            event
        );
    }
}
