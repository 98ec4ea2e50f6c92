//! What Lambda says about the invocation a handler is answering: its
//! request ID and, above all, its deadline. Cognito waits 5 seconds for a
//! synchronous trigger, then fails the user's request; a handler that calls
//! a directory or an API can stop in time and say why instead.

use std::future::Future;
use std::time::{Duration, SystemTime};

/// The invocation being handled. A handler takes it by value after the
/// event (and after `&State`, if any):
///
/// ```no_run,standalone_crate
/// use cognito_trigger::events::PreSignUpEvent;
/// use cognito_trigger::{Error, Invocation, cognito_trigger};
/// use std::time::Duration;
///
/// #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
/// async fn pre_sign_up(
///     event: PreSignUpEvent,
///     invocation: Invocation,
/// ) -> Result<PreSignUpEvent, Error> {
///     // Leave half a second to answer Cognito.
///     let lookup = std::future::ready(true); // an HTTP call, in practice
///     match invocation.before_deadline(Duration::from_millis(500), lookup).await {
///         Some(true) => Ok(event),
///         Some(false) => Err(Error::reject("This address cannot sign up")),
///         None => Err(Error::reject("Sign-up is slow right now: try again in a minute")),
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    request_id: String,
    deadline: SystemTime,
    invoked_function_arn: String,
    xray_trace_id: Option<String>,
}

impl Invocation {
    /// An invocation with `request_id` that must be answered by `deadline`,
    /// as tests build one (the entrypoint builds it from Lambda's).
    pub fn new(request_id: impl Into<String>, deadline: SystemTime) -> Self {
        Self {
            request_id: request_id.into(),
            deadline,
            invoked_function_arn: String::new(),
            xray_trace_id: None,
        }
    }

    /// This invocation, of the function (or alias) `arn`.
    pub fn with_invoked_function_arn(mut self, arn: impl Into<String>) -> Self {
        self.invoked_function_arn = arn.into();
        self
    }

    /// This invocation, traced by X-Ray as `trace_id`.
    pub fn with_xray_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.xray_trace_id = Some(trace_id.into());
        self
    }

    /// Lambda's ID of this request, which every log line of it carries.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// When Lambda stops the function: its timeout from the invocation's start.
    pub fn deadline(&self) -> SystemTime {
        self.deadline
    }

    /// The time left before the deadline; zero once it has passed.
    pub fn remaining(&self) -> Duration {
        self.deadline
            .duration_since(SystemTime::now())
            .unwrap_or_default()
    }

    /// The ARN Cognito invoked: the function's, or its alias's.
    pub fn invoked_function_arn(&self) -> &str {
        &self.invoked_function_arn
    }

    /// The X-Ray trace ID, when the function is traced.
    pub fn xray_trace_id(&self) -> Option<&str> {
        self.xray_trace_id.as_deref()
    }

    /// Runs `work` until `margin` before the deadline: its output, or `None`
    /// if it would have taken longer (it is then dropped, which cancels it).
    pub async fn before_deadline<F: Future>(&self, margin: Duration, work: F) -> Option<F::Output> {
        tokio::time::timeout(self.remaining().saturating_sub(margin), work)
            .await
            .ok()
    }
}

impl From<&lambda_runtime::Context> for Invocation {
    fn from(context: &lambda_runtime::Context) -> Self {
        Self {
            request_id: context.request_id.clone(),
            deadline: context.deadline(),
            invoked_function_arn: context.invoked_function_arn.clone(),
            xray_trace_id: context.xray_trace_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn work_past_the_margin_is_stopped() {
        let invocation = Invocation::new("r", SystemTime::now() + Duration::from_secs(5));
        let slow = tokio::time::sleep(Duration::from_secs(10));
        assert_eq!(
            invocation
                .before_deadline(Duration::from_millis(500), slow)
                .await,
            None
        );
        let quick = async { 7 };
        assert_eq!(
            invocation
                .before_deadline(Duration::from_millis(500), quick)
                .await,
            Some(7)
        );
    }

    #[test]
    fn a_passed_deadline_leaves_no_time() {
        let invocation = Invocation::new("r", SystemTime::now() - Duration::from_secs(1));
        assert_eq!(invocation.remaining(), Duration::ZERO);
    }
}
