//! A custom email sender whose pool key is a KMS key declared in the
//! template (the seed's `customEmailSenderFunction`, `Fn::GetAtt: [kmsKey, Arn]`).

use cognito_trigger::events::CustomEmailSenderEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "MyUserPool2", trigger = CustomEmailSender, kms_key_id = get_att("kmsKey", "Arn"))]
async fn custom_email_sender(
    event: CustomEmailSenderEvent,
) -> Result<CustomEmailSenderEvent, Error> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    tracing::info!(email, source = %event.trigger_source, "email queued");
    Ok(event)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn sends() {
        assert!(super::custom_email_sender(Default::default()).await.is_ok());
    }
}
