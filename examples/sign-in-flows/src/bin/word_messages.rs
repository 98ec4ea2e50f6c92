//! Words the codes Cognito sends, per trigger source.

use cognito_trigger::events::{CustomMessageEvent, CustomMessageSource};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "AppPool", trigger = CustomMessage)]
async fn word_messages(mut event: CustomMessageEvent) -> Result<CustomMessageEvent, Error> {
    let code = event.request.code_parameter.clone();
    let (subject, body) = match event.trigger_source {
        CustomMessageSource::SignUp | CustomMessageSource::ResendCode => (
            "Welcome to the app",
            format!("Welcome! Your confirmation code is {code}."),
        ),
        CustomMessageSource::ForgotPassword => (
            "Reset your password",
            format!("Your password reset code is {code}."),
        ),
        CustomMessageSource::UpdateUserAttribute | CustomMessageSource::VerifyUserAttribute => (
            "Confirm your new address",
            format!("Your verification code is {code}."),
        ),
        _ => return Ok(event),
    };
    event.set_email(subject, body)?;
    Ok(event)
}
