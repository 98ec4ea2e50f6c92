use cognito_trigger::{cognito_trigger, events::CustomEmailSenderEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = CustomEmailSender)]
async fn handler(event: CustomEmailSenderEvent) -> Result<CustomEmailSenderEvent, Error> {
    Ok(event)
}
