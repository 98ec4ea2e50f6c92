//! Custom SMS and email senders: deliver Cognito's messages through your own
//! provider. Cognito invokes them asynchronously with the code encrypted by
//! the pool's KMS key (decrypt it with the AWS Encryption SDK).

use super::json::{json_object, string_enum};
use super::markers::{CustomEmailSender, CustomSmsSender};
use super::{Attributes, Empty, Trigger, TriggerEvent};

/// The event of a custom SMS sender trigger.
pub type CustomSmsSenderEvent = TriggerEvent<CustomSmsSender>;
/// The event of a custom email sender trigger.
pub type CustomEmailSenderEvent = TriggerEvent<CustomEmailSender>;

impl Trigger for CustomSmsSender {
    const NAME: &'static str = "CustomSMSSender";
    type Source = CustomSmsSenderSource;
    type Request = CustomSenderRequest;
    type Response = Empty;
}

impl Trigger for CustomEmailSender {
    const NAME: &'static str = "CustomEmailSender";
    type Source = CustomEmailSenderSource;
    type Request = CustomSenderRequest;
    type Response = Empty;
}

string_enum! {
    /// Why the SMS is sent.
    pub enum CustomSmsSenderSource {
        /// The confirmation code after sign-up.
        SignUp = "CustomSMSSender_SignUp",
        /// A confirmation code sent again.
        ResendCode = "CustomSMSSender_ResendCode",
        /// The code to reset a forgotten password.
        ForgotPassword = "CustomSMSSender_ForgotPassword",
        /// The code to verify a changed email address or phone number.
        UpdateUserAttribute = "CustomSMSSender_UpdateUserAttribute",
        /// The code to verify an added email address or phone number.
        VerifyUserAttribute = "CustomSMSSender_VerifyUserAttribute",
        /// An MFA code at sign-in.
        Authentication = "CustomSMSSender_Authentication",
        /// The temporary password of a user an administrator created.
        AdminCreateUser = "CustomSMSSender_AdminCreateUser",
    }
}

string_enum! {
    /// Why the email is sent.
    pub enum CustomEmailSenderSource {
        /// The confirmation code after sign-up.
        SignUp = "CustomEmailSender_SignUp",
        /// A confirmation code sent again.
        ResendCode = "CustomEmailSender_ResendCode",
        /// The code to reset a forgotten password.
        ForgotPassword = "CustomEmailSender_ForgotPassword",
        /// The code to verify a changed email address or phone number.
        UpdateUserAttribute = "CustomEmailSender_UpdateUserAttribute",
        /// The code to verify an added email address or phone number.
        VerifyUserAttribute = "CustomEmailSender_VerifyUserAttribute",
        /// The temporary password of a user an administrator created.
        AdminCreateUser = "CustomEmailSender_AdminCreateUser",
        /// A threat protection notice about a risky sign-in.
        AccountTakeOverNotification = "CustomEmailSender_AccountTakeOverNotification",
        /// An MFA code at sign-in.
        Authentication = "CustomEmailSender_Authentication",
    }
}

string_enum! {
    /// `request.type`: which sender the event is for, whatever `triggerSource` says.
    pub enum CustomSenderRequestType {
        /// The custom SMS sender.
        Sms = "customSMSSenderRequestV1",
        /// The custom email sender.
        Email = "customEmailSenderRequestV1",
    }
}

json_object! {
    /// The custom senders' input.
    pub struct CustomSenderRequest {
        /// Which sender the request is for.
        "type" => pub request_type: CustomSenderRequestType,
        /// The code (or temporary password), encrypted with the pool's KMS key
        /// and base64-encoded; absent for messages without one.
        "code" => pub code: Option<String>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
    }
}
