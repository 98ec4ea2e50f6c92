//! Pre sign-up and post confirmation.

use super::json::{json_object, string_enum};
use super::markers::{PostConfirmation, PreSignUp};
use super::{Attributes, Empty, Trigger, TriggerEvent};

/// The event of a pre sign-up trigger.
pub type PreSignUpEvent = TriggerEvent<PreSignUp>;
/// The event of a post confirmation trigger.
pub type PostConfirmationEvent = TriggerEvent<PostConfirmation>;

impl Trigger for PreSignUp {
    const NAME: &'static str = "PreSignUp";
    type Source = PreSignUpSource;
    type Request = PreSignUpRequest;
    type Response = PreSignUpResponse;

    /// Cognito fails the sign-up when it is to verify an attribute the user
    /// does not have.
    fn refusal(event: &PreSignUpEvent) -> Option<String> {
        let response = &event.response;
        [
            (response.auto_verify_email, "autoVerifyEmail", "email", "auto_verify_email"),
            (response.auto_verify_phone, "autoVerifyPhone", "phone_number", "auto_verify_phone"),
        ]
        .into_iter()
        .find(|(set, _, attribute, _)| *set && !event.has_attribute(attribute))
        .map(|(_, field, attribute, helper)| {
            format!(
                "response.{field} is true but the user has no {attribute} attribute; set it with {helper}(), which checks"
            )
        })
    }
}

impl Trigger for PostConfirmation {
    const NAME: &'static str = "PostConfirmation";
    type Source = PostConfirmationSource;
    type Request = PostConfirmationRequest;
    type Response = Empty;
}

string_enum! {
    /// Why a pre sign-up trigger runs.
    pub enum PreSignUpSource {
        /// A user signs up.
        SignUp = "PreSignUp_SignUp",
        /// An administrator creates a user.
        AdminCreateUser = "PreSignUp_AdminCreateUser",
        /// A user signs in with an external identity provider the first time.
        ExternalProvider = "PreSignUp_ExternalProvider",
    }
}

string_enum! {
    /// Why a post confirmation trigger runs.
    pub enum PostConfirmationSource {
        /// A user confirmed the sign-up.
        ConfirmSignUp = "PostConfirmation_ConfirmSignUp",
        /// A user reset a forgotten password.
        ConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword",
    }
}

json_object! {
    /// The pre sign-up trigger's input.
    pub struct PreSignUpRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// Sent by the app with the sign-up request, not stored.
        "validationData" => pub validation_data: Option<Attributes>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

json_object! {
    /// The pre sign-up trigger's answer.
    pub struct PreSignUpResponse {
        /// `true`: confirm the user without a code.
        "autoConfirmUser" => pub auto_confirm_user: bool,
        /// `true`: mark the email address verified (it must be present).
        "autoVerifyEmail" => pub auto_verify_email: bool,
        /// `true`: mark the phone number verified (it must be present).
        "autoVerifyPhone" => pub auto_verify_phone: bool,
    }
}

json_object! {
    /// The post confirmation trigger's input.
    pub struct PostConfirmationRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

impl PreSignUpEvent {
    /// Confirms the user without a confirmation code.
    pub fn auto_confirm(&mut self) -> &mut Self {
        self.response.auto_confirm_user = true;
        self
    }

    /// Marks the email address verified. Cognito refuses this for a user
    /// without an `email` attribute, so it is set only when there is one;
    /// returns whether it was set.
    pub fn auto_verify_email(&mut self) -> bool {
        let has_email = self.has_attribute("email");
        self.response.auto_verify_email |= has_email;
        has_email
    }

    /// Marks the phone number verified, when the user has a `phone_number`
    /// attribute; returns whether it was set.
    pub fn auto_verify_phone(&mut self) -> bool {
        let has_phone = self.has_attribute("phone_number");
        self.response.auto_verify_phone |= has_phone;
        has_phone
    }

    /// Whether the user has attribute `name` with a value: what Cognito
    /// needs to verify it.
    fn has_attribute(&self, name: &str) -> bool {
        self.request
            .user_attributes
            .get(name)
            .is_some_and(|value| !value.is_empty())
    }
}
