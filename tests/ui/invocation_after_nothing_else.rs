use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error, Invocation};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent, invocation: Invocation, extra: u8) -> Result<PreSignUpEvent, Error> {
    let _ = (invocation, extra);
    Ok(event)
}
