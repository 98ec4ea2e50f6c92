use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(_event: & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & & PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    todo!()
}
