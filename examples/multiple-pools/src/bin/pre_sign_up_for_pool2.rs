//! One function per pool (the seed's `preSignUpForPool2`): this pool only
//! accepts users who give a phone number.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "MyUserPool2", trigger = PreSignUp)]
async fn pre_sign_up_for_pool2(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    if !event.request.user_attributes.contains_key("phone_number") {
        return Err(Error::reject("A phone number is required"));
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn requires_a_phone_number() {
        let error = super::pre_sign_up_for_pool2(Default::default())
            .await
            .unwrap_err();
        assert_eq!(error.user_message(), "A phone number is required");
    }
}
