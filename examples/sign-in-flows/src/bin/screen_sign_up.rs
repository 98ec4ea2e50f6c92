//! Sign-ups are open to example.com addresses; `+auto` addresses (test
//! accounts) are confirmed at once.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "AppPool", trigger = PreSignUp)]
async fn screen_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    if !email.ends_with("@example.com") {
        return Err(Error::reject(
            "Sign-up is open to example.com addresses only",
        ));
    }
    if email.contains("+auto@") {
        event.auto_confirm().auto_verify_email();
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::PreSignUpSource;

    #[tokio::test]
    async fn screens_by_domain() {
        let event = |email: &str| {
            PreSignUpEvent::sample(PreSignUpSource::SignUp).with_user_attribute("email", email)
        };
        let error = screen_sign_up(event("jane@elsewhere.org"))
            .await
            .unwrap_err();
        assert_eq!(
            error.user_message(),
            "Sign-up is open to example.com addresses only"
        );
        assert!(
            !screen_sign_up(event("jane@example.com"))
                .await
                .unwrap()
                .response
                .auto_confirm_user
        );
        assert!(
            screen_sign_up(event("jane+auto@example.com"))
                .await
                .unwrap()
                .response
                .auto_confirm_user
        );
    }
}
