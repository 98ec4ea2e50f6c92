//! The pool's users, as the driver keeps them.

use serde_json::{Map, Value};

/// A user's status, as Cognito reports it (`cognito:user_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    /// Signed up, not confirmed yet.
    Unconfirmed,
    /// Confirmed: can sign in.
    Confirmed,
    /// Created by an administrator: must set a new password at first sign-in.
    ForceChangePassword,
    /// Migrated with `RESET_REQUIRED`, or reset: must reset the password.
    ResetRequired,
    /// Signed in through an external identity provider.
    ExternalProvider,
}

impl UserStatus {
    /// The string Cognito uses.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }
}

/// How a user receives sign-in codes (multi-factor authentication).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mfa {
    /// A code by SMS to `phone_number` (challenge `SMS_MFA`).
    Sms,
    /// A code by email to `email` (challenge `EMAIL_OTP`).
    Email,
}

/// What a code the driver sent is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    SignUp,
    ForgotPassword,
    Attribute(String),
    Mfa,
}

/// A user of the pool.
#[derive(Clone, Debug)]
pub struct User {
    /// The username Cognito puts in events (`userName`): a UUID when the
    /// pool signs users in by email or phone number.
    pub user_name: String,
    /// The attributes, `sub` included, with Cognito's `"true"`/`"false"`
    /// strings for `email_verified` and `phone_number_verified`.
    pub attributes: Map<String, Value>,
    /// The status.
    pub status: UserStatus,
    /// The groups the user is in.
    pub groups: Vec<String>,
    pub(crate) password: Option<String>,
    pub(crate) mfa: Option<Mfa>,
    /// Codes sent and not used yet.
    pub(crate) codes: Vec<(Purpose, String)>,
    /// Made up for an unknown user's custom authentication: not a user of
    /// the pool.
    pub(crate) phantom: bool,
}

impl User {
    pub(crate) fn new(
        user_name: String,
        attributes: Map<String, Value>,
        status: UserStatus,
    ) -> User {
        User {
            user_name,
            attributes,
            status,
            groups: Vec::new(),
            password: None,
            mfa: None,
            codes: Vec::new(),
            phantom: false,
        }
    }

    /// The attribute `name`, as a string.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }

    /// The attributes as events carry them: with `cognito:user_status`.
    pub(crate) fn event_attributes(&self) -> Map<String, Value> {
        let mut attributes = self.attributes.clone();
        attributes.insert("cognito:user_status".into(), self.status.as_str().into());
        attributes
    }

    /// Takes the code sent for `purpose` if it is `code`.
    pub(crate) fn take_code(&mut self, purpose: &Purpose, code: &str) -> bool {
        let sent = self.codes.iter().any(|(p, c)| p == purpose && c == code);
        if sent {
            self.codes.retain(|(p, _)| p != purpose);
        }
        sent
    }
}
