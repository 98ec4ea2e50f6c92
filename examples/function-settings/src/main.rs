//! A PreSignUp trigger whose configuration lives in Cargo.toml: it admits
//! sign-ups from the domain in its `ALLOWED_DOMAIN` environment variable.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "SettingsPool", trigger = PreSignUp)]
async fn admit_domain(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    let domain = std::env::var("ALLOWED_DOMAIN")
        .map_err(|_| Error::internal("ALLOWED_DOMAIN is not set (Cargo.toml sets it)"))?;
    screen(event, &domain)
}

fn screen(event: PreSignUpEvent, domain: &str) -> Result<PreSignUpEvent, Error> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    match email.rsplit_once('@') {
        Some((_, found)) if found.eq_ignore_ascii_case(domain) => Ok(event),
        _ => Err(Error::reject(format!(
            "Sign-up is open to {domain} addresses only"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_up(email: &str) -> PreSignUpEvent {
        let mut event = PreSignUpEvent::default();
        event
            .request
            .user_attributes
            .insert("email".into(), email.into());
        event
    }

    #[test]
    fn admits_only_the_configured_domain() {
        assert!(screen(sign_up("jane@EXAMPLE.com"), "example.com").is_ok());
        let error = screen(sign_up("jane@elsewhere.org"), "example.com").unwrap_err();
        assert_eq!(
            error.user_message(),
            "Sign-up is open to example.com addresses only"
        );
    }
}
