use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "MyUserPool1", trigger = PreSignUp, force_deploy = true)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
