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
        SignUp = "CustomSMSSender_SignUp",
        ResendCode = "CustomSMSSender_ResendCode",
        ForgotPassword = "CustomSMSSender_ForgotPassword",
        UpdateUserAttribute = "CustomSMSSender_UpdateUserAttribute",
        VerifyUserAttribute = "CustomSMSSender_VerifyUserAttribute",
        Authentication = "CustomSMSSender_Authentication",
        AdminCreateUser = "CustomSMSSender_AdminCreateUser",
    }
}

string_enum! {
    /// Why the email is sent.
    pub enum CustomEmailSenderSource {
        SignUp = "CustomEmailSender_SignUp",
        ResendCode = "CustomEmailSender_ResendCode",
        ForgotPassword = "CustomEmailSender_ForgotPassword",
        UpdateUserAttribute = "CustomEmailSender_UpdateUserAttribute",
        VerifyUserAttribute = "CustomEmailSender_VerifyUserAttribute",
        AdminCreateUser = "CustomEmailSender_AdminCreateUser",
        AccountTakeOverNotification = "CustomEmailSender_AccountTakeOverNotification",
        Authentication = "CustomEmailSender_Authentication",
    }
}

string_enum! {
    /// `request.type`: which sender the event is for, whatever `triggerSource` says.
    pub enum CustomSenderRequestType {
        Sms = "customSMSSenderRequestV1",
        Email = "customEmailSenderRequestV1",
    }
}

json_object! {
    pub struct CustomSenderRequest {
        "type" => pub request_type: CustomSenderRequestType,
        /// The code (or temporary password), encrypted with the pool's KMS key
        /// and base64-encoded; absent for messages without one.
        "code" => pub code: Option<String>,
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        "userAttributes" => pub user_attributes: Attributes,
    }
}
