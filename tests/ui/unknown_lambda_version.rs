use cognito_trigger::{cognito_trigger, events::PreTokenGenerationV2Event, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = PreTokenGeneration, lambda_version = V2)]
async fn handler(event: PreTokenGenerationV2Event) -> Result<PreTokenGenerationV2Event, Error> {
    Ok(event)
}
