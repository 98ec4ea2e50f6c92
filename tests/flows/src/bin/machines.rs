//! The `Machines` and `Partners` pools: pre token generation V3_0, for
//! users and for machine-to-machine clients (tests/rows.rs); one function
//! on two pools, each of which it sees by its own ID.

use cognito_trigger::events::PreTokenGenerationV3Event;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Machines", trigger = PreTokenGeneration, lambda_version = V3_0)]
#[cognito_trigger(pool = "Partners", trigger = PreTokenGeneration, lambda_version = V3_0)]
async fn machines(
    mut event: PreTokenGenerationV3Event,
) -> Result<PreTokenGenerationV3Event, Error> {
    let source = event.trigger_source.to_string();
    let pool = event.user_pool_id.clone();
    event
        .add_access_token_claim("source", source)
        .add_access_token_claim("pool", pool)
        .add_scope("rows/write");
    Ok(event)
}
