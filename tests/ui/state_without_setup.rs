use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, Error};

struct Config {
    allowed_domain: String,
}

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent, config: &Config) -> Result<PreSignUpEvent, Error> {
    let _ = &config.allowed_domain;
    Ok(event)
}
