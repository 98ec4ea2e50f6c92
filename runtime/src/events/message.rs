//! Custom message: the text of verification, invitation and MFA messages.

use super::json::{json_object, string_enum};
use super::markers::CustomMessage;
use super::{Attributes, Trigger, TriggerEvent};
use crate::Error;

/// The event of a custom message trigger.
pub type CustomMessageEvent = TriggerEvent<CustomMessage>;

impl Trigger for CustomMessage {
    const NAME: &'static str = "CustomMessage";
    type Source = CustomMessageSource;
    type Request = CustomMessageRequest;
    type Response = CustomMessageResponse;

    /// Cognito refuses a message without its placeholders, or over its limits.
    fn refusal(event: &CustomMessageEvent) -> Option<String> {
        let response = &event.response;
        event
            .email_problem(
                response.email_subject.as_deref(),
                response.email_message.as_deref(),
            )
            .or_else(|| event.sms_problem(response.sms_message.as_deref()))
    }
}

string_enum! {
    /// Which message Cognito is about to send.
    pub enum CustomMessageSource {
        /// The confirmation code after sign-up.
        SignUp = "CustomMessage_SignUp",
        /// The temporary password of a user an administrator created.
        AdminCreateUser = "CustomMessage_AdminCreateUser",
        /// A confirmation code sent again.
        ResendCode = "CustomMessage_ResendCode",
        /// The code to reset a forgotten password.
        ForgotPassword = "CustomMessage_ForgotPassword",
        /// The code to verify a changed email address or phone number.
        UpdateUserAttribute = "CustomMessage_UpdateUserAttribute",
        /// The code to verify an added email address or phone number.
        VerifyUserAttribute = "CustomMessage_VerifyUserAttribute",
        /// An MFA code at sign-in.
        Authentication = "CustomMessage_Authentication",
    }
}

json_object! {
    /// The custom message trigger's input.
    pub struct CustomMessageRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// The placeholder Cognito replaces with the code, `{####}`: the
        /// message must contain it.
        "codeParameter" => pub code_parameter: String,
        /// The placeholder of a verification link, `{##Click Here##}`.
        "linkParameter" => pub link_parameter: Option<String>,
        /// The placeholder of the username, `{username}`: an invitation
        /// (AdminCreateUser) must contain it.
        "usernameParameter" => pub username_parameter: Option<String>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
    }
}

json_object! {
    /// The custom message trigger's answer: the message, or nothing for Cognito's own.
    pub struct CustomMessageResponse {
        /// The SMS text; it must contain the code placeholder.
        "smsMessage" => pub sms_message: Option<String>,
        /// The email's body; it must contain the code placeholder.
        "emailMessage" => pub email_message: Option<String>,
        /// The email's subject.
        "emailSubject" => pub email_subject: Option<String>,
    }
}

/// Cognito's limit on a custom email's body, in characters.
pub const EMAIL_MESSAGE_MAX: usize = 20_000;
/// Cognito's limit on a custom email's subject, in characters.
pub const EMAIL_SUBJECT_MAX: usize = 140;

impl CustomMessageEvent {
    /// Sets the email's subject and body. The body must contain the code
    /// placeholder (and, for an invitation, the username placeholder) or
    /// Cognito rejects it; this checks so before Cognito does.
    pub fn set_email(
        &mut self,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Result<&mut Self, Error> {
        let (subject, message) = (subject.into(), message.into());
        if let Some(problem) = self.email_problem(Some(&subject), Some(&message)) {
            return Err(Error::internal(problem));
        }
        self.response.email_subject = Some(subject);
        self.response.email_message = Some(message);
        Ok(self)
    }

    /// Sets the SMS text, which must contain the same placeholders as an email.
    pub fn set_sms(&mut self, message: impl Into<String>) -> Result<&mut Self, Error> {
        let message = message.into();
        if let Some(problem) = self.sms_problem(Some(&message)) {
            return Err(Error::internal(problem));
        }
        self.response.sms_message = Some(message);
        Ok(self)
    }

    /// The placeholders `message` must contain for this trigger source.
    pub fn required_placeholders(&self) -> Vec<&str> {
        let mut required = Vec::new();
        if !self.request.code_parameter.is_empty() {
            required.push(self.request.code_parameter.as_str());
        }
        if self.trigger_source == CustomMessageSource::AdminCreateUser
            && let Some(username) = self
                .request
                .username_parameter
                .as_deref()
                .filter(|u| !u.is_empty())
        {
            required.push(username);
        }
        required
    }

    /// What Cognito would refuse in an email of `subject` and `message`,
    /// the helpers' check and the entrypoint's alike. An empty message is no
    /// message: Cognito sends its own (cognito-local fills the response with
    /// empty strings).
    fn email_problem(&self, subject: Option<&str>, message: Option<&str>) -> Option<String> {
        let message = message.filter(|m| !m.is_empty());
        message
            .and_then(|m| self.missing_placeholder("emailMessage", m))
            .or_else(|| too_long("emailSubject", subject?, EMAIL_SUBJECT_MAX))
            .or_else(|| too_long("emailMessage", message?, EMAIL_MESSAGE_MAX))
    }

    /// What Cognito would refuse in an SMS of `message`.
    fn sms_problem(&self, message: Option<&str>) -> Option<String> {
        self.missing_placeholder("smsMessage", message.filter(|m| !m.is_empty())?)
    }

    fn missing_placeholder(&self, field: &str, message: &str) -> Option<String> {
        let missing = self
            .required_placeholders()
            .into_iter()
            .find(|p| !message.contains(p))?;
        Some(format!(
            "{field} for {} lacks the placeholder {missing}, so Cognito would reject it",
            self.trigger_source
        ))
    }
}

fn too_long(field: &str, text: &str, max: usize) -> Option<String> {
    (text.chars().count() > max).then(|| format!("{field} is longer than {max} characters"))
}
