use cognito_trigger::{cognito_trigger, events::PreTokenGenerationV2Event, Error};

#[cognito_trigger(pool = "MyUserPool1", trigger = PreTokenGeneration, lambda_version = V2_0)]
#[cognito_trigger(pool = "MyUserPool2", trigger = PreTokenGeneration)]
async fn handler(event: PreTokenGenerationV2Event) -> Result<PreTokenGenerationV2Event, Error> {
    Ok(event)
}
