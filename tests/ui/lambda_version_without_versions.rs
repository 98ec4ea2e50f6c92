use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp, lambda_version = V1_0)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
