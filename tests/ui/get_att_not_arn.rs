use cognito_trigger::{cognito_trigger, events::CustomEmailSenderEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = CustomEmailSender, kms_key_id = get_att("kmsKey", "KeyId"))]
async fn handler(event: CustomEmailSenderEvent) -> Result<CustomEmailSenderEvent, Error> {
    Ok(event)
}
