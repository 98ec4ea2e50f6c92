use cognito_trigger::{cognito_trigger, events::CustomSmsSenderEvent, Error};

#[cognito_trigger(
    pool = "MyUserPool",
    trigger = CustomSMSSender,
    kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1"
)]
async fn handler(event: CustomSmsSenderEvent) -> Result<CustomSmsSenderEvent, Error> {
    Ok(event)
}
