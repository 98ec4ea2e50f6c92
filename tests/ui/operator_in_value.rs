use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

// A value is a literal or a name, never an expression: syn's expression
// parser once overflowed rustc's stack on a few hundred of these.
#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp<<<<<<<<<<<<<<<<<<<<)]
async fn handler(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Ok(event)
}
