//! Testing triggers (feature `testing`): realistic events in one line, and a
//! loopback Lambda runtime API to run a built trigger binary as Lambda does.
//!
//! ```standalone_crate
//! use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
//! # use cognito_trigger::{Error, cognito_trigger};
//! #
//! # #[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
//! # async fn pre_sign_up(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
//! #     match event.request.user_attributes.get("email") {
//! #         Some(email) if email.ends_with("@example.com") => Ok(event),
//! #         _ => Err(Error::reject("Sign-up is open to example.com addresses only")),
//! #     }
//! # }
//!
//! # // rustdoc compiles a doctest without `--test`, which leaves `#[test]`
//! # // functions out: this one is called below instead.
//! # /*
//! #[tokio::test]
//! # */
//! async fn rejects_other_domains() {
//!     let event = PreSignUpEvent::sample(PreSignUpSource::SignUp)
//!         .with_user_attribute("email", "jane@elsewhere.org");
//!     let error = pre_sign_up(event).await.unwrap_err();
//!     assert_eq!(error.user_message(), "Sign-up is open to example.com addresses only");
//! }
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(rejects_other_domains());
//! ```
//!
//! [`LambdaProcess`] runs the binary itself, so the generated `main`, its error
//! reports and its panic handling are tested as they run in Lambda:
//!
//! ```no_run
//! # use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
//! # use cognito_trigger::testing::{Reply, LambdaProcess};
//! # // A doctest has no binary: `env!` stands for cargo's here.
//! # macro_rules! env { ($name:literal) => { "target/debug/pre_sign_up" } }
//! # fn test() -> Result<(), Box<dyn std::error::Error>> {
//! // In an integration test (`tests/*.rs`), where cargo names the built binary:
//! let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up");
//! let event = PreSignUpEvent::sample(PreSignUpSource::SignUp);
//! match function.invoke(&serde_json::to_vec(&event)?)? {
//!     Reply::Response(body) => { /* the event, with `response` set */ }
//!     Reply::Error { error_type, error_message } => { /* as Cognito sees it */ }
//! }
//! # Ok(())
//! # }
//! ```

// Unix only: it collects a process's output through a socket pair. The
// sample events and `dispatch` work everywhere.
#[cfg(unix)]
mod process;

#[doc(hidden)]
pub mod loopback;

#[cfg(feature = "decrypt")]
mod seal;

#[cfg(unix)]
pub use process::{InvokeError, LambdaProcess};
#[cfg(feature = "decrypt")]
#[cfg_attr(docsrs, doc(cfg(feature = "decrypt")))]
pub use seal::{Sealer, encrypt_code, seal_message};

/// How one invocation ended, as the function reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The body the function posted as its response.
    Response(Vec<u8>),
    /// The error document the function posted (`errorType`, `errorMessage`).
    Error {
        /// The kind of error, e.g. `Rejected` or `HandlerPanicked`.
        error_type: String,
        /// What Cognito shows the user.
        error_message: String,
    },
}

use crate::events::{Attributes, Trigger, TriggerEvent};

/// The fixture events of one trigger.
pub trait Samples: Trigger {
    /// The trigger sources there are fixtures of, and each fixture's JSON.
    const FIXTURES: &'static [(&'static str, &'static str)];
}

macro_rules! samples {
    ($($marker:ident => $dir:literal [$($source:literal,)+],)+) => {
        $(impl super::Samples for $marker {
            const FIXTURES: &'static [(&'static str, &'static str)] = &[$((
                $source,
                include_str!(concat!("../../tests/fixtures/events/", $dir, "/", $source, ".json")),
            ),)+];
        })+
    };
}

// After the macro: `macro_rules!` are in scope from their definition on.
mod fixtures;

impl<T: Samples> TriggerEvent<T> {
    /// The event Cognito sends for `source`, from the AWS developer guide's
    /// examples (pool `us-east-1_EXAMPLE`-style IDs, a user with attributes).
    /// A source with no example of its own starts from the trigger's first
    /// one, with `triggerSource` set.
    pub fn sample(source: T::Source) -> Self {
        let name = serde_json::to_value(&source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let json = T::FIXTURES
            .iter()
            .find(|(s, _)| *s == name)
            .unwrap_or(&T::FIXTURES[0])
            .1;
        let mut event: Self = serde_json::from_str(json).expect("the fixtures are valid events");
        event.trigger_source = source;
        event
    }

    /// Sets the event's `userName`.
    pub fn with_user_name(mut self, user_name: impl Into<String>) -> Self {
        self.user_name = user_name.into();
        self
    }

    /// Sets the event's `userPoolId`.
    pub fn with_user_pool_id(mut self, user_pool_id: impl Into<String>) -> Self {
        self.user_pool_id = user_pool_id.into();
        self
    }
}

/// Requests that carry the user's attributes.
pub trait UserAttributes {
    /// The request's `userAttributes`.
    fn user_attributes(&mut self) -> &mut Attributes;
}

impl<T: Samples> TriggerEvent<T>
where
    T::Request: UserAttributes,
{
    /// Sets one of the user's attributes in the request.
    pub fn with_user_attribute(mut self, name: &str, value: impl Into<String>) -> Self {
        self.request
            .user_attributes()
            .insert(name.to_owned(), value.into());
        self
    }
}

macro_rules! user_attributes {
    ($($request:ident),+) => {
        $(impl UserAttributes for crate::events::$request {
            fn user_attributes(&mut self) -> &mut Attributes {
                &mut self.user_attributes
            }
        })+
    };
}

user_attributes!(
    PreSignUpRequest,
    PostConfirmationRequest,
    PreAuthenticationRequest,
    PostAuthenticationRequest,
    DefineAuthChallengeRequest,
    CreateAuthChallengeRequest,
    VerifyAuthChallengeResponseRequest,
    TokenGenerationRequest,
    TokenGenerationV2Request,
    CustomMessageRequest,
    CustomSenderRequest
);

/// Runs `handler` on `payload` the way the generated entrypoint does (the
/// same decoding, error reports and panic catching, on a current-thread
/// runtime), without a process: for fuzzing and quick tests of the whole path.
pub fn dispatch<E, R, F, Fut>(handler: F, payload: &[u8]) -> Reply
where
    E: serde::de::DeserializeOwned + serde::Serialize + crate::events::Answer,
    F: Fn(E) -> Fut,
    Fut: std::future::Future<Output = R>,
    R: crate::handler::HandlerOutput<E>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime starts");
    match runtime.block_on(crate::entry::invoke(&handler, payload)) {
        Ok(event) => Reply::Response(serde_json::to_vec(&event).expect("events serialize")),
        Err(diagnostic) => Reply::Error {
            error_type: diagnostic.error_type,
            error_message: diagnostic.error_message,
        },
    }
}

pub mod flow;

/// The flow driver of pool `$pool` of the package under test, read from
/// what its build step wrote (`OUT_DIR`): see [`flow`].
///
/// ```ignore
/// let mut cognito = cognito_trigger::testing::cognito!("PasswordlessPool");
/// ```
pub use crate::__cognito as cognito;
