//! User migration: create a user from an outside directory on first sign-in.

use super::json::{json_object, string_enum};
use super::markers::UserMigration;
use super::{Attributes, Trigger, TriggerEvent};

/// The event of a migrate user trigger.
pub type UserMigrationEvent = TriggerEvent<UserMigration>;

impl Trigger for UserMigration {
    const NAME: &'static str = "UserMigration";
    type Source = UserMigrationSource;
    type Request = UserMigrationRequest;
    type Response = UserMigrationResponse;

    /// Cognito creates the user only with the values it documents.
    fn refusal(event: &UserMigrationEvent) -> Option<String> {
        let response = &event.response;
        let status = match &response.final_user_status {
            Some(FinalUserStatus::Other(value)) => Some(("finalUserStatus", value)),
            _ => None,
        };
        let action = match &response.message_action {
            Some(MessageAction::Other(value)) => Some(("messageAction", value)),
            _ => None,
        };
        let medium = (response.desired_delivery_mediums.iter().flatten()).find_map(|m| match m {
            DeliveryMedium::Other(value) => Some(("desiredDeliveryMediums", value)),
            _ => None,
        });
        let (field, value) = status.or(action).or(medium)?;
        Some(format!(
            "response.{field} {value:?} is not a value Cognito knows"
        ))
    }
}

string_enum! {
    /// Why the migrate user trigger runs.
    pub enum UserMigrationSource {
        /// A user unknown to the pool signs in.
        Authentication = "UserMigration_Authentication",
        /// A user unknown to the pool asks to reset the password.
        ForgotPassword = "UserMigration_ForgotPassword",
    }
}

string_enum! {
    /// The status of the migrated user.
    pub enum FinalUserStatus {
        /// The user is confirmed and signs in with the password given.
        Confirmed = "CONFIRMED",
        /// The user must reset the password before signing in.
        ResetRequired = "RESET_REQUIRED",
    }
}

string_enum! {
    /// Whether Cognito sends the welcome message.
    pub enum MessageAction {
        /// Send no welcome message.
        Suppress = "SUPPRESS",
        /// Send the welcome message again to an existing user.
        Resend = "RESEND",
    }
}

string_enum! {
    /// A way to send a message to the user.
    pub enum DeliveryMedium {
        /// By SMS.
        Sms = "SMS",
        /// By email.
        Email = "EMAIL",
    }
}

json_object! {
    /// The migrate user trigger's input.
    pub struct UserMigrationRequest {
        /// The password the user signed in with (absent for forgot-password).
        "password" => pub password: Option<String>,
        /// Key-value pairs the app sent as `ValidationData` (sign-up, sign-in).
        "validationData" => pub validation_data: Option<Attributes>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

json_object! {
    /// The migrate user trigger's answer: the user to create.
    pub struct UserMigrationResponse {
        /// The attributes of the user to create; `username` is the event's.
        "userAttributes" => pub user_attributes: Option<Attributes>,
        /// The created user's status: confirmed, or required to reset the password.
        "finalUserStatus" => pub final_user_status: Option<FinalUserStatus>,
        /// `SUPPRESS` the welcome message, or `RESEND` it to an existing user.
        "messageAction" => pub message_action: Option<MessageAction>,
        /// How to send the welcome message: SMS, email or both.
        "desiredDeliveryMediums" => pub desired_delivery_mediums: Option<Vec<DeliveryMedium>>,
        /// `true`: move an email or phone alias already used by another user to this one.
        "forceAliasCreation" => pub force_alias_creation: Option<bool>,
        /// `true`: turn on SMS MFA for the created user.
        "enableSMSMFA" => pub enable_sms_mfa: Option<bool>,
    }
}

impl UserMigrationEvent {
    /// Creates the user with `attributes`, confirmed and without the
    /// welcome message (the user already knows their password).
    pub fn migrate(&mut self, attributes: Attributes) -> &mut Self {
        self.response.user_attributes = Some(attributes);
        self.response.final_user_status = Some(FinalUserStatus::Confirmed);
        self.response.message_action = Some(MessageAction::Suppress);
        self
    }
}
