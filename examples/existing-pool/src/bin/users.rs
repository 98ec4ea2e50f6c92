//! A custom message on a pool the stack does not own (the seed's `users`
//! function on `legacy-user-pool`).

use cognito_trigger::events::{CustomMessageEvent, CustomMessageSource};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "legacy-user-pool", trigger = CustomMessage, existing = true)]
async fn users(mut event: CustomMessageEvent) -> Result<CustomMessageEvent, Error> {
    if event.trigger_source == CustomMessageSource::SignUp {
        let code = event.request.code_parameter.clone();
        event.set_email(
            "Welcome back",
            format!("We moved our sign-in. Your code is {code}."),
        )?;
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rewrites_the_sign_up_message() {
        let mut event = CustomMessageEvent {
            trigger_source: CustomMessageSource::SignUp,
            ..Default::default()
        };
        event.request.code_parameter = "{####}".into();
        let event = users(event).await.unwrap();
        assert_eq!(
            event.response.email_subject.as_deref(),
            Some("Welcome back")
        );
    }
}
