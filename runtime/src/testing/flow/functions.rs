//! Running the pool's functions: in process (the annotated `async fn`s, with
//! the generated entrypoint's decoding, answer checks and panic catching) or
//! as their built binaries under the loopback Lambda runtime API. Either
//! way Cognito waits 5 seconds for an answer and tries a timed-out call
//! three times in all, as the developer guide says.

use crate::Invocation;
use crate::events::Answer;
use crate::handler::HandlerOutput;
use crate::testing::{InvokeError, LambdaProcess, Reply};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

/// How long Cognito waits for a synchronous trigger.
pub(crate) const COGNITO_WAIT: Duration = Duration::from_secs(5);
/// How many times Cognito calls a trigger that timed out, in all.
pub(crate) const ATTEMPTS: usize = 3;

type Call = Box<dyn Fn(Vec<u8>, Invocation) -> Pin<Box<dyn Future<Output = Reply>>>>;

/// A handler that runs in the test's process. Implemented for the
/// signatures `#[cognito_trigger]` takes: `async fn(event)` and
/// `async fn(event, Invocation)`; a handler with state goes through
/// [`Cognito::function_with_state`](super::Cognito::function_with_state).
pub trait InProcess<Args>: 'static {
    #[doc(hidden)]
    fn into_call(self) -> Call;
}

/// A handler that takes state (`&S`) and runs in the test's process.
pub trait InProcessWithState<S, Args>: 'static {
    #[doc(hidden)]
    fn into_call(self, state: &'static S) -> Call;
}

/// Runs `handler` on `payload` as the entrypoint does, for the answer as
/// Lambda would report it.
async fn run<E, R, F, Fut>(handler: F, payload: Vec<u8>) -> Reply
where
    E: DeserializeOwned + Serialize + Answer,
    F: Fn(E) -> Fut,
    Fut: Future<Output = R>,
    R: HandlerOutput<E>,
{
    match crate::entry::invoke(&handler, &payload).await {
        Ok(answer) => Reply::Response(serde_json::to_vec(&answer).expect("events serialize")),
        Err(diagnostic) => Reply::Error {
            error_type: diagnostic.error_type,
            error_message: diagnostic.error_message,
        },
    }
}

impl<E, R, F, Fut> InProcess<(E,)> for F
where
    E: DeserializeOwned + Serialize + Answer + 'static,
    F: Fn(E) -> Fut + 'static,
    Fut: Future<Output = R> + 'static,
    R: HandlerOutput<E> + 'static,
{
    fn into_call(self) -> Call {
        let handler = Rc::new(self);
        Box::new(move |payload, _| {
            let handler = handler.clone();
            Box::pin(async move { run(|event| handler(event), payload).await })
        })
    }
}

impl<E, R, F, Fut> InProcess<(E, Invocation)> for F
where
    E: DeserializeOwned + Serialize + Answer + 'static,
    F: Fn(E, Invocation) -> Fut + 'static,
    Fut: Future<Output = R> + 'static,
    R: HandlerOutput<E> + 'static,
{
    fn into_call(self) -> Call {
        let handler = Rc::new(self);
        Box::new(move |payload, invocation| {
            let handler = handler.clone();
            Box::pin(async move { run(|event| handler(event, invocation.clone()), payload).await })
        })
    }
}

impl<S, E, R, F, Fut> InProcessWithState<S, (E,)> for F
where
    S: 'static,
    E: DeserializeOwned + Serialize + Answer + 'static,
    F: Fn(E, &'static S) -> Fut + 'static,
    Fut: Future<Output = R> + 'static,
    R: HandlerOutput<E> + 'static,
{
    fn into_call(self, state: &'static S) -> Call {
        let handler = Rc::new(self);
        Box::new(move |payload, _| {
            let handler = handler.clone();
            Box::pin(async move { run(|event| handler(event, state), payload).await })
        })
    }
}

impl<S, E, R, F, Fut> InProcessWithState<S, (E, Invocation)> for F
where
    S: 'static,
    E: DeserializeOwned + Serialize + Answer + 'static,
    F: Fn(E, &'static S, Invocation) -> Fut + 'static,
    Fut: Future<Output = R> + 'static,
    R: HandlerOutput<E> + 'static,
{
    fn into_call(self, state: &'static S) -> Call {
        let handler = Rc::new(self);
        Box::new(move |payload, invocation| {
            let handler = handler.clone();
            Box::pin(async move {
                run(|event| handler(event, state, invocation.clone()), payload).await
            })
        })
    }
}

/// How a function of the pool runs.
pub(crate) enum Runner {
    InProcess(Call),
    Binary(Box<LambdaProcess>),
    /// Left out by the test: Cognito runs the pool as if the trigger were not set.
    Absent,
}

/// What Cognito got from one call of a function.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Answered {
    /// The event the function returned.
    Event(Value),
    /// The error the function returned: Lambda's `errorType` and `errorMessage`.
    Error {
        error_type: String,
        error_message: String,
    },
    /// The answer is not JSON, or not an object.
    Unreadable(String),
    /// No answer within Cognito's wait.
    TimedOut,
    /// The process died, or could not start.
    Failed(String),
}

impl Runner {
    /// Calls the function once with `event`, waiting as Cognito does: up to
    /// 5 seconds, or until Lambda stops a function whose own `timeout` is
    /// shorter, which is then a function error, as Lambda reports it.
    pub(crate) async fn call(
        &mut self,
        event: &Value,
        timeout: Duration,
        request_id: &str,
    ) -> Answered {
        let payload = serde_json::to_vec(event).expect("events serialize");
        let wait = COGNITO_WAIT.min(timeout);
        let overran = || {
            if timeout < COGNITO_WAIT {
                Answered::Error {
                    error_type: "Sandbox.Timedout".to_owned(),
                    error_message: format!(
                        "{request_id} Task timed out after {:.2} seconds",
                        timeout.as_secs_f64()
                    ),
                }
            } else {
                Answered::TimedOut
            }
        };
        match self {
            Runner::InProcess(call) => {
                let invocation = Invocation::new(request_id, SystemTime::now() + timeout)
                    .with_invoked_function_arn(format!(
                        "arn:aws:lambda:us-east-1:123456789012:function:{request_id}"
                    ));
                match tokio::time::timeout(wait, call(payload, invocation)).await {
                    Ok(reply) => read(reply),
                    Err(_) => overran(),
                }
            }
            Runner::Binary(process) => {
                let started = Instant::now();
                match process.invoke(&payload) {
                    Ok(_) if started.elapsed() > COGNITO_WAIT => Answered::TimedOut,
                    Ok(reply) => read(reply),
                    Err(InvokeError::Timeout(_)) => overran(),
                    Err(InvokeError::Exited(status)) => Answered::Error {
                        error_type: "Runtime.ExitError".to_owned(),
                        error_message: format!(
                            "RequestId: {request_id} Error: Runtime exited with error: {status}"
                        ),
                    },
                    Err(error) => Answered::Failed(error.to_string()),
                }
            }
            Runner::Absent => unreachable!("an absent function is never called"),
        }
    }
}

fn read(reply: Reply) -> Answered {
    match reply {
        Reply::Response(body) => match serde_json::from_slice::<Value>(&body) {
            Ok(value @ Value::Object(_)) => Answered::Event(value),
            Ok(other) => Answered::Unreadable(format!("the answer is {other}, not the event")),
            Err(error) => Answered::Unreadable(error.to_string()),
        },
        Reply::Error {
            error_type,
            error_message,
        } => Answered::Error {
            error_type,
            error_message,
        },
    }
}

/// The built binary `bin` of the package under test: beside the test's own
/// executable's directory (`target/<profile>/deps/<test>` →
/// `target/<profile>/<bin>`), where cargo puts a package's binaries before
/// it runs its integration tests.
pub(crate) fn built_binary(bin: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let path = profile_dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    path.is_file().then_some(path)
}
