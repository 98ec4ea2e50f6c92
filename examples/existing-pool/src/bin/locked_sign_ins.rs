//! A second function on `legacy-user-pool`, beside `users`: attachments to
//! one existing pool run one after another (each writes the pool's whole
//! configuration), so the template chains them with `DependsOn`.

use cognito_trigger::events::PreAuthenticationEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "legacy-user-pool", trigger = PreAuthentication, existing = true)]
async fn locked_sign_ins(event: PreAuthenticationEvent) -> Result<PreAuthenticationEvent, Error> {
    if event
        .request
        .user_attributes
        .get("custom:locked")
        .is_some_and(|locked| locked == "true")
    {
        return Err(Error::reject("This account is locked; contact support"));
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_locked_accounts_only() {
        let mut event = PreAuthenticationEvent::default();
        assert!(locked_sign_ins(event.clone()).await.is_ok());
        event
            .request
            .user_attributes
            .insert("custom:locked".into(), "true".into());
        assert!(locked_sign_ins(event).await.unwrap_err().is_rejection());
    }
}
