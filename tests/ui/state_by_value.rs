use cognito_trigger::{cognito_trigger, events::PreSignUpEvent, BoxError, Error, Setup};

struct Config;

impl Setup for Config {
    async fn setup() -> Result<Self, BoxError> {
        Ok(Config)
    }
}

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
async fn handler(event: PreSignUpEvent, config: Config) -> Result<PreSignUpEvent, Error> {
    let _ = config;
    Ok(event)
}
