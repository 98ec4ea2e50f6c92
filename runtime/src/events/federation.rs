//! Inbound federation: map a federated user's attributes from the identity
//! provider before Cognito stores them.

use super::json::{json_object, string_enum};
use super::markers::InboundFederation;
use super::{Attributes, Trigger, TriggerEvent};
use serde_json::Value;
use std::collections::BTreeMap;

/// The event of an inbound federation trigger.
pub type InboundFederationEvent = TriggerEvent<InboundFederation>;

impl Trigger for InboundFederation {
    const NAME: &'static str = "InboundFederation";
    type Source = InboundFederationSource;
    type Request = InboundFederationRequest;
    type Response = InboundFederationResponse;
}

string_enum! {
    /// Why the inbound federation trigger runs.
    pub enum InboundFederationSource {
        /// A user signs in through an external identity provider.
        ExternalProvider = "InboundFederation_ExternalProvider",
    }
}

string_enum! {
    /// The kind of an identity provider.
    pub enum ProviderType {
        /// An OpenID Connect provider.
        Oidc = "OIDC",
        /// A SAML 2.0 provider.
        Saml = "SAML",
        /// Facebook.
        Facebook = "Facebook",
        /// Google.
        Google = "Google",
        /// Sign in with Apple.
        SignInWithApple = "SignInWithApple",
        /// Login with Amazon.
        LoginWithAmazon = "LoginWithAmazon",
    }
}

json_object! {
    /// The inbound federation trigger's input.
    pub struct InboundFederationRequest {
        /// The identity provider's name in the pool.
        "providerName" => pub provider_name: String,
        /// The identity provider's kind.
        "providerType" => pub provider_type: ProviderType,
        /// What the identity provider returned for the user.
        "attributes" => pub attributes: ProviderAttributes,
    }
}

json_object! {
    /// What the identity provider returned.
    pub struct ProviderAttributes {
        /// OIDC and social providers: the token endpoint's response.
        "tokenResponse" => pub token_response: Option<BTreeMap<String, Value>>,
        /// OIDC and social providers: the ID token's claims.
        "idToken" => pub id_token: Option<BTreeMap<String, Value>>,
        /// OIDC and social providers: the userinfo endpoint's response.
        "userInfo" => pub user_info: Option<BTreeMap<String, Value>>,
        /// SAML providers: the assertion's attributes.
        "samlResponse" => pub saml_response: Option<BTreeMap<String, Value>>,
    }
}

json_object! {
    /// The inbound federation trigger's answer.
    pub struct InboundFederationResponse {
        /// The user pool attributes to store for the user.
        "userAttributesToMap" => pub user_attributes_to_map: Option<Attributes>,
    }
}

impl InboundFederationEvent {
    /// Stores `value` as the user's attribute `name`.
    pub fn map_attribute(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> &mut Self {
        let attributes = self
            .response
            .user_attributes_to_map
            .get_or_insert_with(Default::default);
        attributes.insert(name.into(), value.into());
        self
    }
}
