//! A custom email sender whose pool key is a KMS key declared in the
//! template (the seed's `customEmailSenderFunction`, `Fn::GetAtt: [kmsKey, Arn]`).
//! It decrypts the code Cognito encrypted under that key (the template gives
//! the function the key's ARN in `KMS_KEY_ARN`), ready for the email.

use cognito_trigger::decrypt::CodeDecryptor;
use cognito_trigger::events::CustomEmailSenderEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "MyUserPool2", trigger = CustomEmailSender, kms_key_id = get_att("kmsKey", "Arn"))]
async fn custom_email_sender(
    event: CustomEmailSenderEvent,
    decryptor: &CodeDecryptor,
) -> Result<CustomEmailSenderEvent, Error> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    // The code itself is never logged: it would let anyone with the logs in.
    match decryptor.decrypt(&event).await? {
        Some(code) => {
            tracing::info!(email, source = %event.trigger_source, digits = code.len(), "email with a code queued")
        }
        None => {
            tracing::info!(email, source = %event.trigger_source, "email without a code queued")
        }
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use cognito_trigger::decrypt::{CodeDecryptor, aws_sdk_kms};

    #[tokio::test]
    async fn an_event_without_a_code_needs_no_key() {
        let config = aws_sdk_kms::Config::builder()
            .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
            .region(aws_sdk_kms::config::Region::new("eu-west-1"))
            .build();
        let decryptor = CodeDecryptor::new(
            aws_sdk_kms::Client::from_conf(config),
            "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .unwrap();
        assert!(
            super::custom_email_sender(Default::default(), &decryptor)
                .await
                .is_ok()
        );
    }
}
