//! The error a handler returns, and what Cognito and the log see of it.

use std::borrow::Cow;
use std::fmt;

/// Any error, as `Setup::setup` and the Lambda runtime pass them on.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the user sees when a handler fails for a reason they should not see.
pub const INTERNAL_MESSAGE: &str = "Internal error";

/// A handler's failure.
///
/// Cognito shows the message of an error to the user, as
/// `"<trigger> failed with error <message>."`, so there are two kinds:
///
/// - [`Error::reject`]: a decision meant for the user ("Sign-up is closed").
///   Its message is returned as is.
/// - Everything else ([`Error::internal`], or any `std::error::Error` through
///   `?`): the details go to the log, the user sees [`INTERNAL_MESSAGE`].
pub struct Error {
    kind: Kind,
    error_type: Cow<'static, str>,
    message: String,
    source: Option<BoxError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Rejected,
    Internal,
}

impl Error {
    /// Refuses the operation with a message for the user.
    pub fn reject(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Rejected,
            error_type: Cow::Borrowed("Rejected"),
            message: message.into(),
            source: None,
        }
    }

    /// Fails for a reason to log but not to show.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            kind: Kind::Internal,
            error_type: Cow::Borrowed("InternalError"),
            message: detail.into(),
            source: None,
        }
    }

    /// Sets the `errorType` Lambda reports (the default is `Rejected` or
    /// `InternalError`); it is visible in Lambda's metrics, not to users.
    pub fn with_type(mut self, error_type: impl Into<Cow<'static, str>>) -> Self {
        self.error_type = error_type.into();
        self
    }

    /// Whether this is the handler's decision ([`Error::reject`]) rather
    /// than a failure: it is logged at INFO, not ERROR.
    pub fn is_rejection(&self) -> bool {
        self.kind == Kind::Rejected
    }

    /// The `errorType` Lambda reports: `Rejected`, `InternalError`, or the
    /// one given with [`Error::with_type`].
    pub fn error_type(&self) -> &str {
        &self.error_type
    }

    /// The message Cognito shows the user.
    pub fn user_message(&self) -> &str {
        match self.kind {
            Kind::Rejected => &self.message,
            Kind::Internal => INTERNAL_MESSAGE,
        }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(error: E) -> Self {
        Self {
            kind: Kind::Internal,
            error_type: Cow::Borrowed("InternalError"),
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        let mut source = self.source.as_deref().and_then(std::error::Error::source);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("error_type", &self.error_type)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_are_shown_internal_errors_are_not() {
        let rejected = Error::reject("Sign-up is closed").with_type("SignUpClosed");
        assert!(rejected.is_rejection());
        assert_eq!(rejected.user_message(), "Sign-up is closed");
        assert_eq!(rejected.error_type(), "SignUpClosed");

        let io = std::io::Error::other("connection refused to db.internal:5432");
        let internal = Error::from(io);
        assert!(!internal.is_rejection());
        assert_eq!(internal.user_message(), INTERNAL_MESSAGE);
        assert_eq!(internal.error_type(), "InternalError");
        assert_eq!(
            internal.to_string(),
            "connection refused to db.internal:5432"
        );
    }
}
