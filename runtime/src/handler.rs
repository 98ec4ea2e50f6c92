//! The traits that check a handler's signature against its declaration.
//! Their messages are the compile errors users see, so they name the
//! expected types.

use crate::Error;
use crate::events::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An event type a handler declared for `T` can take.
#[diagnostic::on_unimplemented(
    message = "a `{T}` handler takes `{T}Event`, not `{Self}`",
    label = "expected `{T}Event`",
    note = "the event type follows the declared triggers; `CognitoEvent` takes the event of any trigger"
)]
pub trait HandlerEvent<T>: Serialize + DeserializeOwned + Answer {}

impl<T: Trigger> HandlerEvent<T> for TriggerEvent<T> {}
impl<T: Trigger> HandlerEvent<T> for CognitoEvent {}
impl HandlerEvent<Cognito> for CognitoEvent {}
// The families' events implement it where they are declared, `events/any.rs`.

/// What a handler taking `E` returns: the event, with its response filled in.
#[diagnostic::on_unimplemented(
    message = "a handler taking `{E}` must return `Result<{E}, cognito_trigger::Error>`, not `{Self}`",
    label = "expected `Result<{E}, cognito_trigger::Error>`",
    note = "Cognito expects the whole event back: return the event the handler received, with its `response` set"
)]
pub trait HandlerOutput<E> {
    /// The answer, or the handler's error as this crate's [`Error`].
    fn into_result(self) -> Result<E, Error>;
}

impl<E, X: Into<Error>> HandlerOutput<E> for Result<E, X> {
    fn into_result(self) -> Result<E, Error> {
        self.map_err(Into::into)
    }
}

/// The type of a handler's by-value argument after the event (and `&State`):
/// only [`Invocation`](crate::Invocation) is one.
#[diagnostic::on_unimplemented(
    message = "a handler's argument after the event (and `&State`) is the invocation, not `{Self}`",
    label = "expected `cognito_trigger::Invocation`",
    note = "a handler is `async fn f(event: XEvent, state: &S, invocation: cognito_trigger::Invocation)`, the last two optional; state is taken by reference"
)]
pub trait HandlerInvocation: Sized {
    /// This type, from the invocation the entrypoint received.
    fn from_invocation(invocation: crate::Invocation) -> Self;
}

impl HandlerInvocation for crate::Invocation {
    fn from_invocation(invocation: crate::Invocation) -> Self {
        invocation
    }
}
