//! Typed, lossless events for every Cognito user pool trigger.
//!
//! Every trigger's event is an [`TriggerEvent<T>`]: the common fields in one place,
//! and the trigger's own `request`, `response` and `triggerSource` types from
//! its [`Trigger`] marker. Each has an alias named after the trigger, such as
//! [`PreSignUpEvent`]. Unknown keys, explicit `null`s and absent keys survive
//! a deserialize → serialize round trip (see [`json::Extra`]). The maps of
//! strings (user attributes, client metadata, ...) are [`Attributes`]: they
//! take any JSON value, read it as a string and write it back as it came.
//!
//! [`CognitoEvent`] holds any trigger's event; [`CustomSenderEvent`] and
//! [`AuthChallengeEvent`] hold the events of the triggers that are usually
//! implemented together.

pub mod json;

mod any;
mod attributes;
mod authentication;
mod challenge;
mod federation;
mod markers;
mod message;
mod migration;
mod sender;
mod sign_up;
mod token;

pub use any::{AuthChallengeEvent, CognitoEvent, CustomSenderEvent};
pub use attributes::Attributes;
pub use authentication::*;
pub use challenge::*;
pub use federation::*;
pub use markers::*;
pub use message::*;
pub use migration::*;
pub use sender::*;
pub use sign_up::*;
pub use token::*;

use json::{Field, json_object};
use std::fmt::Debug;

/// A user pool trigger: what its event carries. Implemented by the marker
/// types of this module.
pub trait Trigger: Clone + Debug + Default + PartialEq + 'static {
    /// The trigger's name, as in CloudFormation's `LambdaConfig`.
    const NAME: &'static str;
    /// The values of `triggerSource` Cognito sends to this trigger.
    type Source: Field + Clone + Debug + PartialEq;
    /// The event's `request`: what Cognito tells the trigger.
    type Request: Field + Clone + Debug + PartialEq;
    /// The event's `response`: what the trigger answers.
    type Response: Field + Clone + Debug + PartialEq;

    /// What Cognito would refuse in `event`, the answer a handler returned,
    /// said for the log; `None` when Cognito takes it.
    fn refusal(_event: &TriggerEvent<Self>) -> Option<String> {
        None
    }
}

/// An event a handler answers with. The entrypoint checks the answer before
/// it goes back: Cognito refuses some (an email verified for a user without
/// one, a challenge that does not exist) with a message that tells the user
/// nothing, so the function reports the problem in its own log instead.
pub trait Answer {
    /// What Cognito would refuse in this answer, if anything.
    fn refusal(&self) -> Option<String>;
}

impl<T: Trigger> Answer for TriggerEvent<T> {
    fn refusal(&self) -> Option<String> {
        T::refusal(self)
    }
}

json_object! {
    /// The event Cognito sends to a trigger and expects back, with the
    /// handler's answer in `response`.
    pub struct TriggerEvent<T: Trigger> {
        /// The event version: `"1"`, or the PreTokenGeneration version.
        "version" => pub version: String,
        /// What made Cognito invoke the trigger.
        "triggerSource" => pub trigger_source: T::Source,
        /// The AWS Region of the user pool.
        "region" => pub region: String,
        /// The user pool's ID.
        "userPoolId" => pub user_pool_id: String,
        /// The user's username; absent for machine-to-machine token requests.
        "userName" => pub user_name: String,
        /// The SDK and app client that made the request.
        "callerContext" => pub caller_context: CallerContext,
        /// The trigger's input.
        "request" => pub request: T::Request,
        /// What the trigger answers: fill it in and return the event.
        "response" => pub response: T::Response,
    }
}

json_object! {
    /// Where the request came from.
    pub struct CallerContext {
        /// The version of the AWS SDK that made the request.
        "awsSdkVersion" => pub aws_sdk_version: String,
        /// The app client's ID.
        "clientId" => pub client_id: String,
    }
}

json_object! {
    /// An object with no documented keys, such as the `response` of the
    /// triggers that only observe; whatever arrives is kept.
    pub struct Empty {}
}
