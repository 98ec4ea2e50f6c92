//! Adds the user's plan to the ID token.

use cognito_trigger::events::PreTokenGenerationEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "AppPool", trigger = PreTokenGeneration)]
async fn add_plan_claim(
    mut event: PreTokenGenerationEvent,
) -> Result<PreTokenGenerationEvent, Error> {
    event.add_claim("plan", "pro");
    Ok(event)
}
