//! One PreSignUp function on every pool of an organisation: each user needs
//! an email address, and the organisation's own addresses are trusted at
//! once. Its description and its pools' exports would be too long for
//! CloudFormation as they are, so the template shortens them.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

/// The organisation's own domain: its addresses need no confirmation code.
const OWN_DOMAIN: &str = "@example.com";

#[cognito_trigger(pool = "Customers EU", trigger = PreSignUp)]
#[cognito_trigger(pool = "Customers US", trigger = PreSignUp)]
#[cognito_trigger(pool = "Customers APAC", trigger = PreSignUp)]
#[cognito_trigger(pool = "Partners", trigger = PreSignUp)]
#[cognito_trigger(pool = "Employees", trigger = PreSignUp)]
#[cognito_trigger(pool = "Contractors", trigger = PreSignUp)]
#[cognito_trigger(pool = "Suppliers", trigger = PreSignUp)]
#[cognito_trigger(pool = "Resellers", trigger = PreSignUp)]
#[cognito_trigger(pool = "Support staff", trigger = PreSignUp)]
#[cognito_trigger(pool = "Auditors", trigger = PreSignUp)]
#[cognito_trigger(pool = "Alumni", trigger = PreSignUp)]
#[cognito_trigger(
    pool = "Northwestern-European customer accounts migrated from the LegacyDirectory identity provider during the 2026 springtime migration",
    trigger = PreSignUp
)]
async fn screen_org_sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    if !email.contains('@') {
        return Err(Error::reject("Sign-up needs an email address"));
    }
    if email.ends_with(OWN_DOMAIN) {
        event.auto_confirm().auto_verify_email();
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signing_up(email: &str) -> PreSignUpEvent {
        let mut event = PreSignUpEvent::default();
        event
            .request
            .user_attributes
            .insert("email".into(), email.into());
        event
    }

    #[tokio::test]
    async fn needs_an_email_address() {
        let error = screen_org_sign_up(PreSignUpEvent::default())
            .await
            .unwrap_err();
        assert_eq!(error.user_message(), "Sign-up needs an email address");
    }

    #[tokio::test]
    async fn trusts_only_its_own_domain() {
        let own = screen_org_sign_up(signing_up("jane@example.com"))
            .await
            .unwrap();
        assert!(own.response.auto_confirm_user && own.response.auto_verify_email);
        let other = screen_org_sign_up(signing_up("joe@elsewhere.org"))
            .await
            .unwrap();
        assert!(!other.response.auto_confirm_user && !other.response.auto_verify_email);
    }
}
