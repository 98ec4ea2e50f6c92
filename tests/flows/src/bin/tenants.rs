//! The README's pool with tenant claims in both tokens (V2_0).

use cognito_trigger::events::PreTokenGenerationV2Event;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Tenants", trigger = PreTokenGeneration, lambda_version = V2_0)]
async fn tenants(mut event: PreTokenGenerationV2Event) -> Result<PreTokenGenerationV2Event, Error> {
    let tenant = event
        .request
        .user_attributes
        .get("custom:tenant")
        .cloned()
        .unwrap_or_default();
    event
        .add_id_token_claim("tenant", tenant.clone())
        .add_access_token_claim("tenant", tenant);
    Ok(event)
}
