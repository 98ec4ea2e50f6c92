use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent, deadline: std::time::Duration) -> Result<PreSignUpEvent, Error> {
    let _ = deadline;
    Ok(event)
}
