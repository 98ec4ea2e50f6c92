//! A custom SMS sender whose pool key is given as an ARN (the seed's
//! `customSMSSenderFunction`).

use cognito_trigger::events::{CustomSmsSenderEvent, CustomSmsSenderSource};
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(
    pool = "MyUserPool1",
    trigger = CustomSMSSender,
    kms_key_id = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1"
)]
async fn custom_sms_sender(event: CustomSmsSenderEvent) -> Result<CustomSmsSenderEvent, Error> {
    let phone = event
        .request
        .user_attributes
        .get("phone_number")
        .cloned()
        .unwrap_or_default();
    let Some(code) = event.request.code.as_deref() else {
        return Err(Error::internal("the event carries no code to send"));
    };
    // A real sender decrypts `code` with the AWS Encryption SDK and calls its
    // SMS provider; this one records the delivery it would make.
    let purpose = match event.trigger_source {
        CustomSmsSenderSource::Authentication => "sign-in code",
        CustomSmsSenderSource::ForgotPassword => "password reset code",
        _ => "verification code",
    };
    tracing::info!(
        phone,
        purpose,
        encrypted_code_len = code.len(),
        "SMS queued"
    );
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn needs_a_code() {
        let error = custom_sms_sender(CustomSmsSenderEvent::default())
            .await
            .unwrap_err();
        assert!(!error.is_rejection());
        let mut event = CustomSmsSenderEvent::default();
        event.request.code = Some("AYADeD0...".into());
        assert!(custom_sms_sender(event).await.is_ok());
    }
}
