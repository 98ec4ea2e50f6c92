use cognito_trigger::{cognito_trigger, events::PreSignUpEvent};

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent) {
    let _ = event;
}
