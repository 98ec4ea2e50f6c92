//! Accepts sign-ups from one email domain and confirms them at once.

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger::{Error, cognito_trigger};

const ALLOWED_DOMAIN: &str = "@example.com";

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn pre_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    // Administrators and federated users are trusted as they are.
    if event.trigger_source != PreSignUpSource::SignUp {
        return Ok(event);
    }
    let email = event
        .request
        .user_attributes
        .get("email")
        .map(String::as_str)
        .unwrap_or_default();
    if !email.ends_with(ALLOWED_DOMAIN) {
        return Err(Error::reject(format!(
            "Sign-up is open to {ALLOWED_DOMAIN} addresses only"
        )));
    }
    // Written like a `tracing` event, with the request's ID, as are the
    // records of the many crates that log through `log`.
    log::info!("auto-confirming a sign-up from {ALLOWED_DOMAIN}");
    event.auto_confirm().auto_verify_email();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_up(email: &str) -> PreSignUpEvent {
        let mut event = PreSignUpEvent {
            trigger_source: PreSignUpSource::SignUp,
            ..Default::default()
        };
        event
            .request
            .user_attributes
            .insert("email".into(), email.into());
        event
    }

    #[tokio::test]
    async fn confirms_the_allowed_domain() {
        let event = pre_sign_up(sign_up("jane@example.com")).await.unwrap();
        assert!(event.response.auto_confirm_user);
        assert!(event.response.auto_verify_email);
        assert!(!event.response.auto_verify_phone);
    }

    #[tokio::test]
    async fn rejects_other_domains_with_a_message_for_the_user() {
        let error = pre_sign_up(sign_up("jane@elsewhere.org"))
            .await
            .unwrap_err();
        assert!(error.is_rejection());
        assert_eq!(
            error.user_message(),
            "Sign-up is open to @example.com addresses only"
        );
    }

    #[tokio::test]
    async fn leaves_admin_created_users_alone() {
        let mut event = sign_up("ops@elsewhere.org");
        event.trigger_source = PreSignUpSource::AdminCreateUser;
        let event = pre_sign_up(event).await.unwrap();
        assert!(!event.response.auto_confirm_user);
    }
}
