//! One function per pool (the seed's `preSignUpForPool1`).

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool1", trigger = PreSignUp)]
async fn pre_sign_up_for_pool1(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    event.auto_confirm();
    Ok(event)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn confirms() {
        let event = super::pre_sign_up_for_pool1(Default::default())
            .await
            .unwrap();
        assert!(event.response.auto_confirm_user);
    }
}
