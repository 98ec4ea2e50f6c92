//! A custom email sender whose pool key is a KMS key declared in the
//! template (the seed's `customEmailSenderFunction`, `Fn::GetAtt: [kmsKey, Arn]`).
//! It decrypts the code Cognito encrypted under that key (the template gives
//! the function the key's ARN in `KMS_KEY_ARN`) and writes the email.
//!
//! Where the email goes is the one thing left to you: here, with `OUTBOX_DIR`
//! set (a local run), each email is a file in that directory, named after the
//! user and the reason (`jane@example.com-CustomEmailSender_SignUp.eml`); a
//! deployment would hand it to SES or another provider instead.

use cognito_trigger::decrypt::CodeDecryptor;
use cognito_trigger::events::{CustomEmailSenderEvent, CustomEmailSenderSource};
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "MyUserPool2", trigger = CustomEmailSender, kms_key_id = get_att("kmsKey", "Arn"))]
async fn custom_email_sender(
    event: CustomEmailSenderEvent,
    decryptor: &CodeDecryptor,
) -> Result<CustomEmailSenderEvent, Error> {
    let to = event
        .request
        .user_attributes
        .get("email")
        .cloned()
        .unwrap_or_default();
    let code = decryptor.decrypt(&event).await?;
    let (subject, body) = compose(&event.trigger_source, code.as_deref());
    if let Ok(outbox) = std::env::var("OUTBOX_DIR") {
        let name = format!(
            "{}-{}.eml",
            file_safe(&event.user_name),
            event.trigger_source
        );
        let email = format!("To: {to}\r\nSubject: {subject}\r\n\r\n{body}\r\n");
        std::fs::write(std::path::Path::new(&outbox).join(name), email)
            .map_err(|error| Error::internal(format!("cannot write to {outbox}: {error}")))?;
    }
    // The code itself is never logged: it would let anyone with the logs in.
    tracing::info!(to, source = %event.trigger_source, with_code = code.is_some(), "email sent");
    Ok(event)
}

/// The subject and body of the email Cognito asks for.
fn compose(source: &CustomEmailSenderSource, code: Option<&str>) -> (String, String) {
    let code = code.unwrap_or_default();
    match source {
        CustomEmailSenderSource::SignUp | CustomEmailSenderSource::ResendCode => (
            "Confirm your account".into(),
            format!("Your confirmation code is {code}"),
        ),
        CustomEmailSenderSource::ForgotPassword => (
            "Reset your password".into(),
            format!("Your password reset code is {code}"),
        ),
        CustomEmailSenderSource::AdminCreateUser => (
            "Your new account".into(),
            format!("Your temporary password is {code}"),
        ),
        CustomEmailSenderSource::AccountTakeOverNotification => (
            "A sign-in to your account".into(),
            "We noticed an unusual sign-in to your account.".into(),
        ),
        _ => ("Your code".into(), format!("Your code is {code}")),
    }
}

/// `name` with what a file name cannot hold replaced by `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '@' | '.' | '_' | '+' | '-' => c,
            _ => '_',
        })
        .collect()
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
