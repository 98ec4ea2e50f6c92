//! The Lambda entrypoint behind the `main` that `#[cognito_trigger]`
//! generates: a single-threaded runtime (a Lambda instance handles one
//! invocation at a time) that decodes each event, calls the handler and
//! turns every failure into an error response Cognito understands.

use crate::error::{BoxError, INTERNAL_MESSAGE};
use crate::events::Answer;
use crate::handler::{HandlerEvent, HandlerInvocation, HandlerOutput};
use crate::{Error, Invocation, Setup};
use bytes::Bytes;
use lambda_runtime::layers::TracingLayer;
use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, LambdaEvent, LambdaInvocation, Runtime};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::process::ExitCode;
use std::rc::Rc;
use std::task::{Context, Poll};

/// Runs `handler` for a function declared for trigger (or family) `T`.
pub fn start<T, E, R, F, Fut>(handler: F) -> ExitCode
where
    E: HandlerEvent<T>,
    F: Fn(E) -> Fut + 'static,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    block_on(serve(move |event, _| handler(event)))
}

/// Runs `handler`, which also takes the invocation (its deadline).
pub fn start_with_invocation<T, E, I, R, F, Fut>(handler: F) -> ExitCode
where
    E: HandlerEvent<T>,
    I: HandlerInvocation,
    F: Fn(E, I) -> Fut + 'static,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    block_on(serve(move |event, invocation| {
        handler(event, I::from_invocation(invocation))
    }))
}

/// Runs `handler` with the state `S`, built once before the first invocation.
pub fn start_with_setup<T, E, S, R, F, Fut>(handler: F) -> ExitCode
where
    E: HandlerEvent<T>,
    S: Setup,
    F: Fn(E, &'static S) -> Fut + 'static,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    block_on(async move {
        let state = set_up::<S>().await?;
        serve(move |event, _| handler(event, state)).await
    })
}

/// Runs `handler` with the state `S` and the invocation.
pub fn start_with_setup_and_invocation<T, E, S, I, R, F, Fut>(handler: F) -> ExitCode
where
    E: HandlerEvent<T>,
    S: Setup,
    I: HandlerInvocation,
    F: Fn(E, &'static S, I) -> Fut + 'static,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    block_on(async move {
        let state = set_up::<S>().await?;
        serve(move |event, invocation| handler(event, state, I::from_invocation(invocation))).await
    })
}

async fn set_up<S: Setup>() -> Result<&'static S, BoxError> {
    match S::setup().await {
        // Lives as long as the process, like the state of any Lambda runtime.
        Ok(state) => Ok(Box::leak(Box::new(state))),
        Err(error) => {
            tracing::error!(error = %error, "setup failed");
            Err(error)
        }
    }
}

fn block_on(serving: impl Future<Output = Result<(), BoxError>>) -> ExitCode {
    crate::log::init();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(error = %error, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serving) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "the Lambda runtime stopped");
            ExitCode::FAILURE
        }
    }
}

async fn serve<E, R, F, Fut>(handler: F) -> Result<(), BoxError>
where
    E: DeserializeOwned + serde::Serialize + Answer,
    F: Fn(E, Invocation) -> Fut + 'static,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    let handler = Rc::new(handler);
    let body = Rc::new(RefCell::new(Bytes::new()));
    let event_body = Rc::clone(&body);
    let service = lambda_runtime::service_fn(move |request: LambdaEvent<()>| {
        let handler = Rc::clone(&handler);
        let payload = event_body.take();
        let invocation = Invocation::from(&request.context);
        async move {
            let handler = move |event| handler(event, invocation.clone());
            invoke(&handler, &payload).await
        }
    });
    Runtime::new(service)
        .layer(TakeBody(body))
        .layer(TracingLayer::new())
        .run()
        .await
}

/// Takes each invocation's body before lambda_runtime would deserialize it,
/// leaving it `null` (the `()` the service declares), and hands the bytes to
/// the service through the shared cell. lambda_runtime parses every event
/// into the service's payload type, always through serde_path_to_error; taking
/// a `Box<RawValue>` instead cost a validating scan and a copy of each event,
/// a tenth of the whole event path (BENCHMARKS.md). [`decode`] parses the
/// bytes once, and again to name the field only when they do not parse.
/// The cell is filled and emptied within one synchronous call of the layers
/// below, so invocations cannot see each other's bodies.
struct TakeBody(Rc<RefCell<Bytes>>);

impl<S> Layer<S> for TakeBody {
    type Service = TakingBody<S>;

    fn layer(&self, inner: S) -> TakingBody<S> {
        TakingBody {
            inner,
            body: Rc::clone(&self.0),
        }
    }
}

struct TakingBody<S> {
    inner: S,
    body: Rc<RefCell<Bytes>>,
}

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for TakingBody<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> S::Future {
        let body = std::mem::replace(&mut invocation.body, Bytes::from_static(b"null"));
        self.body.replace(body);
        self.inner.call(invocation)
    }
}

/// Handles one invocation: the event's JSON in, the response or the error
/// for Cognito out.
#[doc(hidden)]
pub async fn invoke<E, R, F, Fut>(handler: &F, payload: &[u8]) -> Result<E, Diagnostic>
where
    E: DeserializeOwned + Answer,
    F: Fn(E) -> Fut,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    let event = decode::<E>(payload).map_err(|malformed| {
        tracing::error!(detail = %malformed.detail, "invalid event");
        diagnostic("InvalidEvent", malformed.user_message)
    })?;
    match CatchPanic(Box::pin(handler(event))).await {
        Ok(output) => {
            let answer = output.into_result().map_err(report)?;
            match answer.refusal() {
                None => Ok(answer),
                Some(problem) => {
                    tracing::error!(problem, "the handler's answer would be refused by Cognito");
                    Err(diagnostic("InvalidResponse", INTERNAL_MESSAGE.to_owned()))
                }
            }
        }
        Err(panic) => {
            tracing::error!(panic = panic_message(&*panic), "handler panicked");
            Err(diagnostic("HandlerPanicked", INTERNAL_MESSAGE.to_owned()))
        }
    }
}

/// An event that did not parse: what the log gets, and what the user sees.
pub(crate) struct Malformed {
    /// serde_json's whole message, with the offending value.
    pub detail: String,
    /// The field at fault and what it should be, never the value: Cognito
    /// shows this to the user, and an event carries what users must not see
    /// (a challenge's answer, another attribute).
    pub user_message: String,
}

/// Parses the fast way; on failure, parses again to name the field at fault.
pub(crate) fn decode<E: DeserializeOwned>(payload: &[u8]) -> Result<E, Malformed> {
    serde_json::from_slice(payload).map_err(|error| {
        let deserializer = &mut serde_json::Deserializer::from_slice(payload);
        let path = match serde_path_to_error::deserialize::<_, E>(deserializer) {
            Err(located) if located.path().to_string() != "." => Some(located.path().to_string()),
            _ => None,
        };
        let at = path
            .as_deref()
            .map_or(String::new(), |p| format!(" at {p}"));
        let message = error.to_string();
        // serde_json ends its messages with the position.
        let problem = message.split(" at line ").next().unwrap_or_default();
        let user_message = match error.classify() {
            Category::Eof => "Invalid event: the JSON ends too soon".to_owned(),
            Category::Syntax if problem == "invalid unicode code point" => format!(
                "Invalid event: not UTF-8 at line {} column {}",
                error.line(),
                error.column()
            ),
            Category::Syntax | Category::Io => format!(
                "Invalid event: malformed JSON at line {} column {}",
                error.line(),
                error.column()
            ),
            // "missing field `x`" names a field; "invalid type: integer `5`,
            // expected a string" keeps only what was expected.
            Category::Data if problem.starts_with("missing field") => {
                format!("Invalid event{at}: {problem}")
            }
            Category::Data => match problem.split_once(", expected ") {
                Some((_, expected)) => format!("Invalid event{at}: expected {expected}"),
                None => format!("Invalid event{at}"),
            },
        };
        Malformed {
            detail: format!(
                "{}{message}",
                path.map_or(String::new(), |p| format!("{p}: "))
            ),
            user_message,
        }
    })
}

/// Logs a handler's error once, under the keys Lambda gives an error
/// (lambda_runtime's own repeat of it is dropped by the logger).
fn report(error: Error) -> Diagnostic {
    if error.is_rejection() {
        // The handler's decision, not a failure: alarms on ERROR stay quiet.
        tracing::info!(
            errorType = error.error_type(),
            errorMessage = error.user_message(),
            "rejected"
        );
    } else {
        tracing::error!(errorType = error.error_type(), errorMessage = %error, "handler failed");
    }
    diagnostic(error.error_type(), error.user_message().to_owned())
}

fn diagnostic(error_type: &str, error_message: String) -> Diagnostic {
    Diagnostic {
        error_type: error_type.to_owned(),
        error_message,
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic with a non-string payload")
}

/// Turns a panic while polling the handler's future into an error, so the
/// process keeps serving (with `panic = "unwind"`, the release profile default).
struct CatchPanic<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::PreSignUpEvent;

    const EVENT: &str = r#"{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1",
        "userPoolId":"us-east-1_EXAMPLE1a","userName":"jane","callerContext":{"awsSdkVersion":"aws-sdk-js-3","clientId":"abc"},
        "request":{"userAttributes":{"email":"jane@example.com"}},"response":{"autoConfirmUser":false}}"#;

    async fn screen(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
        match event
            .request
            .user_attributes
            .get("email")
            .map(String::as_str)
        {
            Some("panic@example.com") => panic!("secret detail: db password hunter2"),
            Some(email) if email.ends_with("@example.com") => {
                event.auto_confirm();
                Ok(event)
            }
            Some(_) => Err(Error::reject(
                "Sign-up is open to example.com addresses only",
            )),
            None => Err(std::io::Error::other("directory at 10.0.0.7 unreachable").into()),
        }
    }

    fn run(payload: &str) -> Result<PreSignUpEvent, Diagnostic> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(invoke(&screen, payload.as_bytes()))
    }

    #[test]
    fn returns_the_event_with_the_response() {
        let event = run(EVENT).unwrap();
        assert!(event.response.auto_confirm_user);
        assert_eq!(event.user_name, "jane");
    }

    #[test]
    fn a_rejection_reaches_the_user() {
        let error = run(&EVENT.replace("jane@example.com", "jane@other.org")).unwrap_err();
        assert_eq!(error.error_type, "Rejected");
        assert_eq!(
            error.error_message,
            "Sign-up is open to example.com addresses only"
        );
    }

    /// The text lines the invocation of `payload` logs.
    fn logged(payload: &str) -> Vec<String> {
        use crate::log::{Filter, Logger};
        use std::sync::Arc;
        let logger = Arc::new(Logger::new(Filter::new(None, None), false, Vec::new()));
        tracing::subscriber::with_default(Arc::clone(&logger), || {
            let _ = run(payload);
        });
        let logger = Arc::into_inner(logger).expect("the only handle left");
        String::from_utf8(logger.into_output())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn rejections_are_logged_at_info_failures_at_error_with_their_details() {
        assert_eq!(
            logged(&EVENT.replace("jane@example.com", "jane@other.org")),
            [
                r#" INFO rejected errorType="Rejected" errorMessage="Sign-up is open to example.com addresses only""#
            ]
        );
        assert_eq!(
            logged(&EVENT.replace(r#""email":"jane@example.com""#, "")),
            [
                r#"ERROR handler failed errorType="InternalError" errorMessage=directory at 10.0.0.7 unreachable"#
            ]
        );
    }

    #[test]
    fn internal_failures_and_panics_stay_in_the_log() {
        let error = run(&EVENT.replace(r#""email":"jane@example.com""#, "")).unwrap_err();
        assert_eq!(
            (error.error_type.as_str(), error.error_message.as_str()),
            ("InternalError", INTERNAL_MESSAGE)
        );

        let error = run(&EVENT.replace("jane@example.com", "panic@example.com")).unwrap_err();
        assert_eq!(
            (error.error_type.as_str(), error.error_message.as_str()),
            ("HandlerPanicked", INTERNAL_MESSAGE)
        );
        // The same handler keeps serving after a panic.
        assert!(run(EVENT).is_ok());
    }

    #[test]
    fn a_malformed_event_names_the_field() {
        let error = run(&EVENT.replace(r#"{"email":"jane@example.com"}"#, "5")).unwrap_err();
        assert_eq!(error.error_type, "InvalidEvent");
        assert!(
            error.error_message == "Invalid event at request.userAttributes: expected a map",
            "{}",
            error.error_message
        );

        let error = run("[1, 2").unwrap_err();
        assert_eq!(error.error_type, "InvalidEvent");
    }
}
