use cognito_trigger::{cognito_trigger, events::CustomEmailSenderEvent, Error};

#[cognito_trigger(
    pool = "MyUserPool",
    trigger = CustomEmailSender,
    kms_key_id = "arn:aws:kms:eu-west-1:111111111111:alias/my-key"
)]
async fn handler(event: CustomEmailSenderEvent) -> Result<CustomEmailSenderEvent, Error> {
    Ok(event)
}
