//! Adds claims to both tokens and a scope to the access token (event
//! version V2_0).

use cognito_trigger::events::PreTokenGenerationV2Event;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "PasswordlessPool", trigger = PreTokenGeneration, lambda_version = V2_0)]
async fn pre_token_generation(
    mut event: PreTokenGenerationV2Event,
) -> Result<PreTokenGenerationV2Event, Error> {
    let tenant = event
        .request
        .user_attributes
        .get("custom:tenant")
        .cloned()
        .unwrap_or_else(|| "public".into());
    event
        .add_id_token_claim("tenant", tenant.clone())
        .add_access_token_claim("tenant", tenant)
        .add_scope("profile/read")
        .suppress_id_token_claim("phone_number");
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn adds_the_tenant_to_both_tokens() {
        let mut event = PreTokenGenerationV2Event::default();
        event
            .request
            .user_attributes
            .insert("custom:tenant".into(), "acme".into());
        let event = pre_token_generation(event).await.unwrap();
        let response = serde_json::to_value(&event.response).unwrap();
        assert_eq!(
            response,
            json!({"claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}, "claimsToSuppress": ["phone_number"]},
                "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}, "scopesToAdd": ["profile/read"]}
            }})
        );
    }
}
