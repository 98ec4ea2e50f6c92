//! The pre sign-up half of the seed's "Overriding a generated User Pool".

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    event.auto_verify_email();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_email_only_when_there_is_one() {
        assert!(
            !pre_sign_up(PreSignUpEvent::default())
                .await
                .unwrap()
                .response
                .auto_verify_email
        );
        let mut event = PreSignUpEvent::default();
        event
            .request
            .user_attributes
            .insert("email".into(), "a@example.com".into());
        assert!(pre_sign_up(event).await.unwrap().response.auto_verify_email);
    }
}
