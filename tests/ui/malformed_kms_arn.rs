use cognito_trigger::{cognito_trigger, events::CustomSmsSenderEvent, Error};

#[cognito_trigger(
    pool = "MyUserPool",
    trigger = CustomSMSSender,
    kms_key_id = "arn:aws:kms:eu-west-1:1111:key/12345678-9abc-def0-1234-56789abcdef1"
)]
async fn handler(event: CustomSmsSenderEvent) -> Result<CustomSmsSenderEvent, Error> {
    Ok(event)
}
