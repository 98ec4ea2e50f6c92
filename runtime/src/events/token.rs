//! Pre token generation, in its three event versions.
//!
//! - V1_0 ([`PreTokenGenerationEvent`]): changes the ID token's claims and groups.
//! - V2_0 ([`PreTokenGenerationV2Event`]): also the access token's claims and scopes.
//! - V3_0 ([`PreTokenGenerationV3Event`]): V2_0, also for machine-to-machine
//!   (client credentials) tokens.

use super::json::{json_object, string_enum};
use super::markers::{PreTokenGeneration, PreTokenGenerationV2, PreTokenGenerationV3};
use super::{Attributes, Trigger, TriggerEvent};
use serde_json::Value;
use std::collections::BTreeMap;

/// The event of a pre token generation trigger, version V1_0.
pub type PreTokenGenerationEvent = TriggerEvent<PreTokenGeneration>;
/// The event of a pre token generation trigger, version V2_0.
pub type PreTokenGenerationV2Event = TriggerEvent<PreTokenGenerationV2>;
/// The event of a pre token generation trigger, version V3_0.
pub type PreTokenGenerationV3Event = TriggerEvent<PreTokenGenerationV3>;

impl Trigger for PreTokenGeneration {
    const NAME: &'static str = "PreTokenGeneration";
    type Source = TokenGenerationSource;
    type Request = TokenGenerationRequest;
    type Response = TokenGenerationResponse;
}

impl Trigger for PreTokenGenerationV2 {
    const NAME: &'static str = "PreTokenGeneration";
    type Source = TokenGenerationSource;
    type Request = TokenGenerationV2Request;
    type Response = TokenGenerationV2Response;
}

impl Trigger for PreTokenGenerationV3 {
    const NAME: &'static str = "PreTokenGeneration";
    type Source = TokenGenerationSource;
    type Request = TokenGenerationV2Request;
    type Response = TokenGenerationV2Response;
}

string_enum! {
    /// Why tokens are being generated.
    pub enum TokenGenerationSource {
        /// Sign-in through the hosted UI.
        HostedAuth = "TokenGeneration_HostedAuth",
        /// An authentication flow completes.
        Authentication = "TokenGeneration_Authentication",
        /// A user created by an administrator sets a new password.
        NewPasswordChallenge = "TokenGeneration_NewPasswordChallenge",
        /// A device authentication completes.
        AuthenticateDevice = "TokenGeneration_AuthenticateDevice",
        /// Tokens are refreshed.
        RefreshTokens = "TokenGeneration_RefreshTokens",
        /// Machine-to-machine tokens (V3_0 only).
        ClientCredentials = "TokenGeneration_ClientCredentials",
    }
}

json_object! {
    /// The user's groups and IAM roles, as Cognito would put them in the tokens.
    pub struct GroupConfiguration {
        /// The user's groups (`cognito:groups`).
        "groupsToOverride" => pub groups_to_override: Vec<String>,
        /// The IAM roles of those groups (`cognito:roles`).
        "iamRolesToOverride" => pub iam_roles_to_override: Vec<String>,
        /// The role of the group with the highest precedence (`cognito:preferred_role`).
        "preferredRole" => pub preferred_role: Option<String>,
    }
}

json_object! {
    /// The pre token generation trigger's input (V1_0).
    pub struct TokenGenerationRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// The user's groups and roles, as Cognito would put them in the tokens.
        "groupConfiguration" => pub group_configuration: GroupConfiguration,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

json_object! {
    /// The pre token generation trigger's answer (V1_0).
    pub struct TokenGenerationResponse {
        /// The changes to the ID token, if any.
        "claimsOverrideDetails" => pub claims_override_details: Option<ClaimsOverrideDetails>,
    }
}

json_object! {
    /// V1_0's changes to the ID token.
    pub struct ClaimsOverrideDetails {
        /// Claims to add to the token, or to change.
        "claimsToAddOrOverride" => pub claims_to_add_or_override: Option<Attributes>,
        /// Claims to remove from the token.
        "claimsToSuppress" => pub claims_to_suppress: Option<Vec<String>>,
        /// Groups and roles to put in the tokens instead of the user's.
        "groupOverrideDetails" => pub group_override_details: Option<GroupConfiguration>,
    }
}

json_object! {
    /// The pre token generation trigger's input (V2_0 and V3_0).
    pub struct TokenGenerationV2Request {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// The scopes requested for the access token.
        "scopes" => pub scopes: Vec<String>,
        /// The user's groups and roles, as Cognito would put them in the tokens.
        "groupConfiguration" => pub group_configuration: GroupConfiguration,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

json_object! {
    /// The pre token generation trigger's answer (V2_0 and V3_0).
    pub struct TokenGenerationV2Response {
        /// The changes to the tokens, if any.
        "claimsAndScopeOverrideDetails" => pub claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
    }
}

json_object! {
    /// V2_0 and V3_0's changes to both tokens.
    pub struct ClaimsAndScopeOverrideDetails {
        /// Changes to the ID token.
        "idTokenGeneration" => pub id_token_generation: Option<TokenClaims>,
        /// Changes to the access token.
        "accessTokenGeneration" => pub access_token_generation: Option<AccessTokenClaims>,
        /// Groups and roles to put in the tokens instead of the user's.
        "groupOverrideDetails" => pub group_override_details: Option<GroupConfiguration>,
    }
}

json_object! {
    /// Claims to add or suppress in the ID token. Values may be any JSON.
    pub struct TokenClaims {
        /// Claims to add to the token, or to change.
        "claimsToAddOrOverride" => pub claims_to_add_or_override: Option<BTreeMap<String, Value>>,
        /// Claims to remove from the token.
        "claimsToSuppress" => pub claims_to_suppress: Option<Vec<String>>,
    }
}

json_object! {
    /// Claims and scopes to add or suppress in the access token.
    pub struct AccessTokenClaims {
        /// Claims to add to the token, or to change.
        "claimsToAddOrOverride" => pub claims_to_add_or_override: Option<BTreeMap<String, Value>>,
        /// Claims to remove from the token.
        "claimsToSuppress" => pub claims_to_suppress: Option<Vec<String>>,
        /// Scopes to add to the access token.
        "scopesToAdd" => pub scopes_to_add: Option<Vec<String>>,
        /// Scopes to remove from the access token.
        "scopesToSuppress" => pub scopes_to_suppress: Option<Vec<String>>,
    }
}

impl PreTokenGenerationEvent {
    fn details(&mut self) -> &mut ClaimsOverrideDetails {
        self.response
            .claims_override_details
            .get_or_insert_with(Default::default)
    }

    /// Adds a claim to the ID token, or replaces its value.
    pub fn add_claim(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let claims = self
            .details()
            .claims_to_add_or_override
            .get_or_insert_with(Default::default);
        claims.insert(name.into(), value.into());
        self
    }

    /// Removes a claim from the ID token.
    pub fn suppress_claim(&mut self, name: impl Into<String>) -> &mut Self {
        self.details()
            .claims_to_suppress
            .get_or_insert_with(Default::default)
            .push(name.into());
        self
    }

    /// Replaces the groups (`cognito:groups`) in the ID token.
    pub fn override_groups(&mut self, groups: Vec<String>) -> &mut Self {
        self.details()
            .group_override_details
            .get_or_insert_with(Default::default)
            .groups_to_override = groups;
        self
    }
}

/// The V2_0 and V3_0 helpers: the two versions share their response.
macro_rules! v2_helpers {
    ($event:ty) => {
        impl $event {
            fn details(&mut self) -> &mut ClaimsAndScopeOverrideDetails {
                self.response
                    .claims_and_scope_override_details
                    .get_or_insert_with(Default::default)
            }

            fn id_token(&mut self) -> &mut TokenClaims {
                self.details()
                    .id_token_generation
                    .get_or_insert_with(Default::default)
            }

            fn access_token(&mut self) -> &mut AccessTokenClaims {
                self.details()
                    .access_token_generation
                    .get_or_insert_with(Default::default)
            }

            /// Adds a claim to the ID token, or replaces its value.
            pub fn add_id_token_claim(
                &mut self,
                name: impl Into<String>,
                value: impl Into<Value>,
            ) -> &mut Self {
                let claims = self
                    .id_token()
                    .claims_to_add_or_override
                    .get_or_insert_with(Default::default);
                claims.insert(name.into(), value.into());
                self
            }

            /// Removes a claim from the ID token.
            pub fn suppress_id_token_claim(&mut self, name: impl Into<String>) -> &mut Self {
                self.id_token()
                    .claims_to_suppress
                    .get_or_insert_with(Default::default)
                    .push(name.into());
                self
            }

            /// Adds a claim to the access token, or replaces its value.
            pub fn add_access_token_claim(
                &mut self,
                name: impl Into<String>,
                value: impl Into<Value>,
            ) -> &mut Self {
                let claims = self
                    .access_token()
                    .claims_to_add_or_override
                    .get_or_insert_with(Default::default);
                claims.insert(name.into(), value.into());
                self
            }

            /// Removes a claim from the access token.
            pub fn suppress_access_token_claim(&mut self, name: impl Into<String>) -> &mut Self {
                self.access_token()
                    .claims_to_suppress
                    .get_or_insert_with(Default::default)
                    .push(name.into());
                self
            }

            /// Adds a scope to the access token.
            pub fn add_scope(&mut self, scope: impl Into<String>) -> &mut Self {
                self.access_token()
                    .scopes_to_add
                    .get_or_insert_with(Default::default)
                    .push(scope.into());
                self
            }

            /// Removes a scope from the access token.
            pub fn suppress_scope(&mut self, scope: impl Into<String>) -> &mut Self {
                self.access_token()
                    .scopes_to_suppress
                    .get_or_insert_with(Default::default)
                    .push(scope.into());
                self
            }

            /// Replaces the groups (`cognito:groups`) in the tokens.
            pub fn override_groups(&mut self, groups: Vec<String>) -> &mut Self {
                self.details()
                    .group_override_details
                    .get_or_insert_with(Default::default)
                    .groups_to_override = groups;
                self
            }
        }
    };
}

v2_helpers!(PreTokenGenerationV2Event);
v2_helpers!(PreTokenGenerationV3Event);
