use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/AbC123", trigger = PreSignUp, existing = true)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
