//! A trigger re-applied on every deploy (the seed's "Forcing deploying of
//! triggers").

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool1", trigger = PreSignUp, existing = true, force_deploy = true)]
async fn pre_sign_up(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    if event
        .request
        .user_attributes
        .get("email")
        .is_some_and(|e| e.ends_with("@spam.example"))
    {
        return Err(Error::reject("This email domain is not accepted"));
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blocks_the_spam_domain() {
        let mut event = PreSignUpEvent::default();
        event
            .request
            .user_attributes
            .insert("email".into(), "x@spam.example".into());
        assert!(pre_sign_up(event).await.unwrap_err().is_rejection());
    }
}
