use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "my/user#pool!", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
