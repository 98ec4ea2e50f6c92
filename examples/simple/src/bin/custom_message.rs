//! Words the messages Cognito sends, per trigger source (the seed's
//! `customMessage.js`).

use cognito_trigger::events::{CustomMessageEvent, CustomMessageSource};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool", trigger = CustomMessage)]
async fn custom_message(mut event: CustomMessageEvent) -> Result<CustomMessageEvent, Error> {
    let code = event.request.code_parameter.clone();
    match event.trigger_source {
        CustomMessageSource::AdminCreateUser => {
            let username = event.request.username_parameter.clone().unwrap_or_default();
            event.set_email(
                "Your new account",
                format!("Welcome! Sign in as {username} with the temporary password {code}."),
            )?;
        }
        CustomMessageSource::ResendCode | CustomMessageSource::SignUp => {
            event.set_email(
                "Confirm your account",
                format!("Your confirmation code is {code}."),
            )?;
            event.set_sms(format!("Your confirmation code is {code}"))?;
        }
        CustomMessageSource::ForgotPassword => {
            event.set_email("Reset your password", format!("Your reset code is {code}."))?;
        }
        // Keep Cognito's default wording for the other messages.
        _ => {}
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cognito's event for `source`, with its `{####}` and `{username}` placeholders.
    fn message(source: CustomMessageSource) -> CustomMessageEvent {
        CustomMessageEvent::sample(source)
    }

    #[tokio::test]
    async fn invitations_carry_username_and_password() {
        let event = custom_message(message(CustomMessageSource::AdminCreateUser))
            .await
            .unwrap();
        let body = event.response.email_message.unwrap();
        assert!(
            body.contains("{username}") && body.contains("{####}"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn resent_codes_get_email_and_sms() {
        let event = custom_message(message(CustomMessageSource::ResendCode))
            .await
            .unwrap();
        assert_eq!(
            event.response.email_subject.as_deref(),
            Some("Confirm your account")
        );
        assert_eq!(
            event.response.sms_message.as_deref(),
            Some("Your confirmation code is {####}")
        );
    }

    #[tokio::test]
    async fn other_sources_keep_the_default_message() {
        let event = custom_message(message(CustomMessageSource::Authentication))
            .await
            .unwrap();
        let response = &event.response;
        assert_eq!(
            (
                &response.email_subject,
                &response.email_message,
                &response.sms_message
            ),
            (&None, &None, &None)
        );
    }
}
