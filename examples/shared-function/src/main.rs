//! The same function on two pools (the seed's second `preSignUp`).

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool1", trigger = PreSignUp)]
#[cognito_trigger(pool = "MyUserPool2", trigger = PreSignUp)]
async fn pre_sign_up_on_both_pools(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    // Each pool's events name the pool they come from.
    if event.user_pool_id.ends_with("_Pool1") {
        event.auto_confirm();
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tells_the_pools_apart() {
        let mut event = PreSignUpEvent {
            user_pool_id: "us-east-1_Pool1".into(),
            ..Default::default()
        };
        assert!(
            pre_sign_up_on_both_pools(event.clone())
                .await
                .unwrap()
                .response
                .auto_confirm_user
        );
        event.user_pool_id = "us-east-1_Pool2".into();
        assert!(
            !pre_sign_up_on_both_pools(event)
                .await
                .unwrap()
                .response
                .auto_confirm_user
        );
    }
}
