//! Pre and post authentication.

use super::json::{json_object, string_enum};
use super::markers::{PostAuthentication, PreAuthentication};
use super::{Attributes, Empty, Trigger, TriggerEvent};

/// The event of a pre authentication trigger.
pub type PreAuthenticationEvent = TriggerEvent<PreAuthentication>;
/// The event of a post authentication trigger.
pub type PostAuthenticationEvent = TriggerEvent<PostAuthentication>;

impl Trigger for PreAuthentication {
    const NAME: &'static str = "PreAuthentication";
    type Source = PreAuthenticationSource;
    type Request = PreAuthenticationRequest;
    type Response = Empty;
}

impl Trigger for PostAuthentication {
    const NAME: &'static str = "PostAuthentication";
    type Source = PostAuthenticationSource;
    type Request = PostAuthenticationRequest;
    type Response = Empty;
}

string_enum! {
    pub enum PreAuthenticationSource {
        Authentication = "PreAuthentication_Authentication",
    }
}

string_enum! {
    pub enum PostAuthenticationSource {
        Authentication = "PostAuthentication_Authentication",
    }
}

json_object! {
    pub struct PreAuthenticationRequest {
        "userAttributes" => pub user_attributes: Attributes,
        "validationData" => pub validation_data: Option<Attributes>,
        /// Set when the pool is configured to tell an unknown user apart.
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    pub struct PostAuthenticationRequest {
        "userAttributes" => pub user_attributes: Attributes,
        "newDeviceUsed" => pub new_device_used: bool,
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}
