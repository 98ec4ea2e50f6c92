//! The custom user pool example's trigger: log each confirmed user, as in
//! `User confirmed: User-Pool us-east-2_ExaMple00, UserId: ExAmplE0-...`.

use cognito_trigger::events::PostConfirmationEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "CustomUserPool", trigger = PostConfirmation)]
async fn post_confirmation(event: PostConfirmationEvent) -> Result<PostConfirmationEvent, Error> {
    tracing::info!("{}", confirmation_line(&event));
    Ok(event)
}

fn confirmation_line(event: &PostConfirmationEvent) -> String {
    let user_id = event
        .request
        .user_attributes
        .get("sub")
        .unwrap_or(&event.user_name);
    format!(
        "User confirmed: User-Pool {}, UserId: {user_id}",
        event.user_pool_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_the_pool_and_the_user() {
        let mut event = PostConfirmationEvent {
            user_pool_id: "us-east-2_ExaMple00".into(),
            ..Default::default()
        };
        event
            .request
            .user_attributes
            .insert("sub".into(), "ExAmplE0-53a5-45df-b480-96b1bb6b0b51".into());
        assert_eq!(
            confirmation_line(&event),
            "User confirmed: User-Pool us-east-2_ExaMple00, UserId: ExAmplE0-53a5-45df-b480-96b1bb6b0b51"
        );
    }
}
