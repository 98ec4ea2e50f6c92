use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "us-east-1_AbCdEf123", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
