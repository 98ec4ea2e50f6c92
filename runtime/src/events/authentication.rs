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
    /// Why the pre authentication trigger runs.
    pub enum PreAuthenticationSource {
        /// A user signs in.
        Authentication = "PreAuthentication_Authentication",
    }
}

string_enum! {
    /// Why the post authentication trigger runs.
    pub enum PostAuthenticationSource {
        /// A user signed in.
        Authentication = "PostAuthentication_Authentication",
    }
}

json_object! {
    /// The pre authentication trigger's input.
    pub struct PreAuthenticationRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// Key-value pairs the app sent as `ValidationData` (sign-up, sign-in).
        "validationData" => pub validation_data: Option<Attributes>,
        /// Set when the pool is configured to tell an unknown user apart.
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    /// The post authentication trigger's input.
    pub struct PostAuthenticationRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// Whether the user signed in from a device it had not used before.
        "newDeviceUsed" => pub new_device_used: bool,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}
