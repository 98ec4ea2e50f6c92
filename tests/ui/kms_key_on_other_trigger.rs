use cognito_trigger::{cognito_trigger, events::CustomMessageEvent, Error};

#[cognito_trigger(
    pool = "MyUserPool",
    trigger = CustomMessage,
    kms_key_id = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1"
)]
async fn handler(event: CustomMessageEvent) -> Result<CustomMessageEvent, Error> {
    Ok(event)
}
