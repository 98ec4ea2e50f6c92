//! One function for both senders, told apart by `request.type` (the seed's
//! `customSender.js`): it takes `CustomSenderEvent`.

use cognito_trigger::events::CustomSenderEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "MyUserPool3", trigger = CustomSMSSender, kms_key_id = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1")]
#[cognito_trigger(pool = "MyUserPool3", trigger = CustomEmailSender, kms_key_id = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1")]
async fn custom_sender(event: CustomSenderEvent) -> Result<CustomSenderEvent, Error> {
    match &event {
        CustomSenderEvent::CustomSmsSender(sms) => {
            tracing::info!(to = ?sms.request.user_attributes.get("phone_number"), "SMS queued");
        }
        CustomSenderEvent::CustomEmailSender(email) => {
            tracing::info!(to = ?email.request.user_attributes.get("email"), "email queued");
        }
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::CustomEmailSenderEvent;

    #[tokio::test]
    async fn handles_both_senders() {
        let event = CustomSenderEvent::from(CustomEmailSenderEvent::default());
        assert_eq!(
            custom_sender(event).await.unwrap().trigger_name(),
            "CustomEmailSender"
        );
    }
}
