//! The errors Cognito's API gives the app, as the driver reproduces them.

use std::fmt;

/// An error of Cognito's API: its exception name and message, as an app
/// receives them (`UserLambdaValidationException`, `PreSignUp failed with
/// error Sign-up is closed.`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoError {
    code: String,
    message: String,
}

impl CognitoError {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The exception's name, e.g. `NotAuthorizedException`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message the app shows, e.g. `Incorrect username or password.`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CognitoError {}

/// The exception names the driver gives, each with its cause.
pub(crate) mod code {
    /// A trigger returned an error; the message is `<Trigger> failed with error <message>.`
    pub const LAMBDA_VALIDATION: &str = "UserLambdaValidationException";
    /// A trigger did not answer in time, or could not be run.
    pub const UNEXPECTED_LAMBDA: &str = "UnexpectedLambdaException";
    /// A trigger answered with something Cognito cannot use.
    pub const INVALID_LAMBDA_RESPONSE: &str = "InvalidLambdaResponseException";
    /// Wrong credentials, a failed custom authentication, an invalid session.
    pub const NOT_AUTHORIZED: &str = "NotAuthorizedException";
    /// No such user (with user existence errors not prevented).
    pub const USER_NOT_FOUND: &str = "UserNotFoundException";
    /// The username (or alias) is taken.
    pub const USERNAME_EXISTS: &str = "UsernameExistsException";
    /// The user has not confirmed the sign-up.
    pub const USER_NOT_CONFIRMED: &str = "UserNotConfirmedException";
    /// The user must reset the password first.
    pub const PASSWORD_RESET_REQUIRED: &str = "PasswordResetRequiredException";
    /// A wrong confirmation or verification code.
    pub const CODE_MISMATCH: &str = "CodeMismatchException";
    /// A request the pool's settings do not allow.
    pub const INVALID_PARAMETER: &str = "InvalidParameterException";
}
