//! A flow driver: Cognito's side of sign-up, sign-in, custom authentication
//! and the rest, played against the package's own triggers, pool by pool.
//!
//! [`cognito!`](crate::testing::cognito) reads the pool's triggers from what
//! the package's build step wrote (the manifest and the template), and each
//! flow method calls the pool's functions in the order Cognito does, with
//! the events Cognito sends, applying their answers as Cognito applies
//! them. A function runs in the test's process when the test registers it
//! ([`Cognito::function`]), else as its built binary under the loopback
//! Lambda runtime API ([`LambdaProcess`](crate::testing::LambdaProcess)),
//! so `main`, logging, panics and timeouts are in the loop.
//!
//! ```no_run
//! use cognito_trigger::testing::flow::{Cognito, SignIn};
//!
//! # async fn test() -> Result<(), Box<dyn std::error::Error>> {
//! // In a package's test, `cognito_trigger::testing::cognito!("PasswordlessPool")`.
//! let mut cognito = Cognito::for_pool("target/debug/build/my-triggers-0123/out", "PasswordlessPool")?;
//! cognito.admin_create_user("jane", [("email", "jane@example.com")]).await?;
//! let SignIn::Challenge(challenge) = cognito.start_custom_auth("jane").await? else {
//!     panic!("the define trigger asks for a challenge");
//! };
//! let signed_in = cognito.answer_challenge(&challenge, "123456").await?;
//! let tokens = signed_in.tokens().expect("the right code signs in");
//! assert_eq!(tokens.id_token["tenant"], "acme");
//! # Ok(())
//! # }
//! ```
//!
//! # What Cognito does that the driver does too
//!
//! - Each pool gets only its own triggers, and every event carries the
//!   pool's ID: an existing pool's as declared (by ID or ARN), else a
//!   stable one of Cognito's shape (`<region>_<9 characters>`) from its name.
//! - A synchronous trigger has 5 seconds; one that overruns is called again,
//!   3 times in all, then the call fails. A rejection surfaces as
//!   `UserLambdaValidationException: <Trigger> failed with error <message>.`,
//!   a timeout as `UnexpectedLambdaException: <Trigger> invocation failed due
//!   to error Socket timeout while invoking Lambda function.`, an answer
//!   Cognito cannot read as `InvalidLambdaResponseException`.
//! - Custom senders are invoked asynchronously: their errors never reach the
//!   app, and Lambda tries a failed asynchronous call twice more. Their code
//!   is an AWS Encryption SDK message under the pool's KMS key (with the
//!   `decrypt` feature and [`Cognito::local_kms`]), so the package's
//!   `CodeDecryptor` runs as in AWS.
//! - The custom authentication loop keeps the session's history, gives each
//!   step a new session string (an answered one is spent) and expires it
//!   after the app client's `AuthSessionValidity` (3 minutes by default).
//!   It also stops after [`MAX_CHALLENGES`], a guard of the driver's own.
//! - `ClientMetadata` goes where the API reference says: a sign-in's to pre
//!   authentication and user migration as `validationData`, an answer's to
//!   the challenge, token and post authentication triggers.
//! - `userNotFound` is in the events of app clients that prevent user
//!   existence errors only; a pool that signs users in by email or phone
//!   names them by their `sub` and gives events the `cognito:*_alias`
//!   attributes.
//! - Pre token generation answers are applied to the tokens' claims, groups
//!   and scopes for the event version configured (V1_0, V2_0, V3_0); a
//!   change to a reserved claim (`sub`, `iss`, `cognito:username`, ...) is
//!   dropped without an error, as Cognito drops it.
//! - A sign-in runs post authentication, then pre token generation (the
//!   order of the guide's table of federated sign-ins, and cognito-local's);
//!   a custom authentication runs pre authentication only when its define
//!   trigger asks for the password (`SRP_A`); an unknown user's password
//!   sign-in runs pre authentication with `userNotFound` when the client
//!   prevents user existence errors; a migration trigger's error reaches the
//!   app as `UserMigration failed with error <message>.`.
//!
//! # Where the driver simplifies
//!
//! - No SRP: a define trigger's `SRP_A` step passes without the exchange and
//!   `PASSWORD_VERIFIER` is answered with the password itself
//!   ([`Cognito::answer_challenge`]).
//! - No real MFA or device cryptography: an MFA code is sent and checked as
//!   a code, a remembered device is a key the driver hands out.
//! - No signed tokens: [`Tokens`] holds the claims decoded.
//! - No threat protection: [`Cognito::notify_account_takeover`] sends the
//!   notice on request.
//! - Settings come from the template for created pools (username and
//!   auto-verified attributes, app clients, groups); an existing pool is
//!   taken to verify `email` and to prevent user existence errors.
//! - Messages go to the user's verified email address, else phone number:
//!   `DesiredDeliveryMediums` is not modelled.

mod error;
mod events;
mod flows;
mod functions;
mod package;
mod tokens;
mod users;

pub use error::CognitoError;
pub use flows::{Challenge, Created, Medium, Message, Provider, SignIn, SignUpOutcome};
pub use functions::{InProcess, InProcessWithState};
pub use tokens::{Claims, Tokens};
pub use users::{Mfa, User, UserStatus};

use crate::events::CognitoEvent;
use cognito_trigger_core::trigger::{LambdaVersion, Trigger};
use error::code;
use functions::{ATTEMPTS, Answered, Runner};
use package::PoolSpec;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The most challenges the driver lets one custom authentication session
/// have. Cognito documents no such number (its sessions expire with the app
/// client's `AuthSessionValidity`); this is the driver's own guard, so that a
/// define trigger that never decides fails a test rather than looping.
pub const MAX_CHALLENGES: usize = 8;

/// The driver of one pool, for one test: its users, its sessions and every
/// invocation of its functions.
pub struct Cognito {
    pool: PoolSpec,
    pool_id: String,
    region: String,
    client: usize,
    runners: BTreeMap<String, Runner>,
    binaries: BTreeMap<String, PathBuf>,
    env: Vec<(String, String)>,
    users: Vec<User>,
    sessions: BTreeMap<String, flows::Session>,
    refresh_tokens: BTreeMap<String, String>,
    devices: BTreeMap<String, String>,
    invocations: Vec<Invoked>,
    messages: Vec<Message>,
    sequence: u64,
    client_metadata: Option<Map<String, Value>>,
    validation_data: Option<Map<String, Value>>,
    #[cfg(feature = "decrypt")]
    kms: Option<(aws_sdk_kms::Client, String)>,
}

/// One invocation of one of the pool's functions: what Cognito sent and got.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoked {
    /// The function's binary.
    pub function: String,
    /// The event's `triggerSource`, e.g. `PreSignUp_SignUp`.
    pub source: String,
    /// The event sent.
    pub event: Value,
    /// The event the function returned, or what went wrong, as Lambda
    /// reported it (`errorType: errorMessage`, or a timeout).
    pub answer: Result<Value, String>,
}

/// Where a flow is in the pool: the caller's app client and the user.
pub(crate) struct Caller<'a> {
    pub client_id: &'a str,
    pub user_name: Option<&'a str>,
}

impl Cognito {
    /// The driver of pool `pool` (its name, or an existing pool's name, ID
    /// or ARN as declared) of the package whose build step wrote into
    /// `out_dir` (`env!("OUT_DIR")` in the package's tests: use
    /// [`cognito!`](crate::testing::cognito)).
    pub fn for_pool(out_dir: impl AsRef<Path>, pool: &str) -> Result<Cognito, String> {
        let pool = PoolSpec::read(out_dir.as_ref(), pool)?;
        // An existing pool declared by ID or ARN keeps its ID; another gets
        // a stable one of Cognito's shape, from its name.
        let declared_id = match cognito_trigger_core::arn::user_pool_id(&pool.name) {
            Ok(id) => Some(id.to_owned()),
            Err(_) => cognito_trigger_core::arn::is_pool_id(&pool.name).then(|| pool.name.clone()),
        };
        let (region, pool_id) = match declared_id {
            Some(id) => (id.split('_').next().unwrap_or_default().to_owned(), id),
            None => {
                let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
                let id = package::id_chars(
                    &pool.name,
                    9,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                );
                (region.clone(), format!("{region}_{id}"))
            }
        };
        Ok(Cognito {
            pool,
            pool_id,
            region,
            client: 0,
            runners: BTreeMap::new(),
            binaries: BTreeMap::new(),
            env: Vec::new(),
            users: Vec::new(),
            sessions: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            devices: BTreeMap::new(),
            invocations: Vec::new(),
            messages: Vec::new(),
            sequence: 0,
            client_metadata: None,
            validation_data: None,
            #[cfg(feature = "decrypt")]
            kms: None,
        })
    }

    /// Runs function `name` (its Rust name or its binary's) in this process:
    /// `handler` is the annotated `async fn`, taking the event, and
    /// optionally the [`Invocation`](crate::Invocation).
    pub fn function<Args>(mut self, name: &str, handler: impl InProcess<Args>) -> Self {
        let bin = self.bin_of(name);
        self.runners
            .insert(bin, Runner::InProcess(handler.into_call()));
        self
    }

    /// Runs function `name` in this process with `state`, as its `Setup`
    /// would have built it (it lives until the test ends, as in Lambda).
    pub fn function_with_state<S: 'static, Args>(
        mut self,
        name: &str,
        handler: impl InProcessWithState<S, Args>,
        state: S,
    ) -> Self {
        let bin = self.bin_of(name);
        let state: &'static S = Box::leak(Box::new(state));
        self.runners
            .insert(bin, Runner::InProcess(handler.into_call(state)));
        self
    }

    /// Runs function `name` as the binary at `path` (by default, the
    /// package's binary built beside the test's executable).
    pub fn binary(mut self, name: &str, path: impl Into<PathBuf>) -> Self {
        let bin = self.bin_of(name);
        self.binaries.insert(bin, path.into());
        self
    }

    /// Leaves function `name` out: the pool runs as if its triggers were not set.
    pub fn without(mut self, name: &str) -> Self {
        let bin = self.bin_of(name);
        self.runners.insert(bin, Runner::Absent);
        self
    }

    /// An environment variable for the functions run as binaries, besides
    /// the literal ones the template gives them.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// A local KMS (moto, or LocalStack) at `endpoint` holding the key
    /// `key_arn`, which stands for the pool's: the driver encrypts the codes
    /// it gives custom senders with it, as Cognito does, and the functions
    /// run as binaries get the variables that point their
    /// `CodeDecryptor::from_env` at it (`KMS_KEY_ARN`,
    /// `AWS_ENDPOINT_URL_KMS`, the key's region, local credentials).
    #[cfg(feature = "decrypt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "decrypt")))]
    pub fn local_kms(mut self, endpoint: &str, key_arn: &str) -> Self {
        use crate::decrypt::aws_sdk_kms::config::{BehaviorVersion, Credentials, Region};
        let region = key_arn.split(':').nth(3).unwrap_or("us-east-1").to_owned();
        let config = crate::decrypt::aws_sdk_kms::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(Region::new(region.clone()))
            .credentials_provider(Credentials::new("local", "local", None, None, "local KMS"))
            .http_client(crate::decrypt::kms_http_client().expect("the HTTPS client builds"))
            .build();
        self.kms = Some((
            crate::decrypt::aws_sdk_kms::Client::from_conf(config),
            key_arn.to_owned(),
        ));
        for (name, value) in [
            (crate::KMS_KEY_ARN_VARIABLE, key_arn),
            ("AWS_ENDPOINT_URL_KMS", endpoint),
            ("AWS_REGION", &region),
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
        ] {
            self.env.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// A decryptor of the codes this driver gives custom senders, for a
    /// sender run in process ([`function_with_state`](Self::function_with_state)).
    /// Panics without [`local_kms`](Self::local_kms).
    #[cfg(feature = "decrypt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "decrypt")))]
    pub fn code_decryptor(&self) -> crate::decrypt::CodeDecryptor {
        let (kms, key_arn) = self
            .kms
            .clone()
            .expect("`.local_kms(endpoint, key_arn)` first");
        crate::decrypt::CodeDecryptor::new(kms, key_arn).expect("a key ARN")
    }

    /// Makes the next calls through the app client `name` (by default the
    /// pool's first).
    pub fn use_client(&mut self, name: &str) -> &mut Self {
        self.client = self
            .pool
            .clients
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| {
                let names: Vec<&str> = self.pool.clients.iter().map(|c| c.name.as_str()).collect();
                panic!(
                    "pool {:?} has no app client {name:?}; it has {names:?}",
                    self.pool.name
                )
            });
        self
    }

    /// Sends `metadata` as `ClientMetadata` with the next calls, as an app
    /// does. Cognito forwards it where the API reference says: a sign-in's
    /// (`InitiateAuth`) to pre authentication and user migration, as their
    /// `validationData`; an answer's (`RespondToAuthChallenge`) to the
    /// challenge, token and post authentication triggers; the other calls'
    /// to the triggers they run.
    pub fn client_metadata<K: Into<String>, V: Into<String>>(
        &mut self,
        metadata: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        self.client_metadata = Some(string_map(metadata));
        self
    }

    /// Sends `data` as `ValidationData` with the next sign-ups and
    /// administrators' user creations (the pre sign-up trigger's
    /// `validationData`).
    pub fn validation_data<K: Into<String>, V: Into<String>>(
        &mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        self.validation_data = Some(string_map(data));
        self
    }

    /// The pool's ID, as every event carries it.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The ID of the app client the calls go through.
    pub fn client_id(&self) -> &str {
        &self.pool.clients[self.client].id
    }

    /// The user signing in as `name` (username, or email or phone number
    /// when the pool signs users in with those).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.find_user(name).map(|i| &self.users[i])
    }

    /// Every invocation so far, in order.
    pub fn invocations(&self) -> &[Invoked] {
        &self.invocations
    }

    /// The `triggerSource` of every invocation so far, in order (a timed-out
    /// call Cognito repeats counts each time).
    pub fn sources(&self) -> Vec<&str> {
        self.invocations.iter().map(|i| i.source.as_str()).collect()
    }

    /// Forgets the invocations so far, so the next assertions see one flow.
    pub fn clear_invocations(&mut self) {
        self.invocations.clear();
    }

    /// The messages Cognito sent (or handed to a custom sender), in order.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The code in the last message to `destination` (an email address or
    /// phone number), as the user reads it.
    pub fn last_code_to(&self, destination: &str) -> Option<&str> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.to == destination)
            .and_then(|m| m.code.as_deref())
    }

    /// The binary of function `name`: its Rust name or its binary's.
    fn bin_of(&self, name: &str) -> String {
        match self
            .pool
            .functions
            .iter()
            .find(|f| f.name == name || f.bin == name)
        {
            Some(function) => function.bin.clone(),
            None => {
                let names: Vec<&str> = self
                    .pool
                    .functions
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect();
                panic!(
                    "pool {:?} has no function {name:?}; its functions are {names:?}",
                    self.pool.name
                )
            }
        }
    }

    pub(crate) fn find_user(&self, name: &str) -> Option<usize> {
        self.users.iter().position(|u| {
            !u.phantom
                && (u.user_name == name
                    || self
                        .pool
                        .username_attributes
                        .iter()
                        .any(|a| u.attribute(a) == Some(name)))
        })
    }

    /// A fresh value for IDs and codes, different on each call.
    pub(crate) fn next(&mut self, kind: &str) -> String {
        self.sequence += 1;
        package::id_chars(
            &format!("{}/{kind}/{}", self.pool.name, self.sequence),
            32,
            b"0123456789abcdef",
        )
    }

    /// The function handling `trigger` on this pool and its event version.
    fn wired(&self, trigger: Trigger) -> Option<(String, Option<LambdaVersion>)> {
        let wired = self.pool.triggers.iter().find(|w| w.trigger == trigger)?;
        match self.runners.get(&wired.bin) {
            Some(Runner::Absent) => None,
            _ => Some((wired.bin.clone(), wired.version)),
        }
    }

    /// Whether the pool has `trigger` (and the test did not leave it out).
    pub(crate) fn has(&self, trigger: Trigger) -> bool {
        self.wired(trigger).is_some()
    }

    /// The event version of the pool's `trigger`.
    pub(crate) fn version_of(&self, trigger: Trigger) -> Option<LambdaVersion> {
        self.wired(trigger).and_then(|(_, version)| version)
    }

    /// The runner of binary `bin`: registered, or its binary.
    fn runner(&mut self, bin: &str) -> &mut Runner {
        if !self.runners.contains_key(bin) {
            let path = self
                .binaries
                .get(bin)
                .cloned()
                .or_else(|| functions::built_binary(bin))
                .unwrap_or_else(|| {
                    panic!(
                        "function {bin:?} of pool {:?} is neither registered (`.function({bin:?}, handler)`) \
                         nor built: run the flow from an integration test (tests/*.rs), for which cargo \
                         builds the package's binaries, or name it with `.binary({bin:?}, path)`, or leave \
                         it out with `.without({bin:?})`",
                        self.pool.name
                    )
                });
            let spec = self
                .pool
                .functions
                .iter()
                .find(|f| f.bin == bin)
                .expect("a function of the pool");
            // Cognito stops waiting at 5 seconds: a longer run ends there.
            let mut process = crate::testing::LambdaProcess::new(path, bin)
                .timeout(spec.timeout.min(functions::COGNITO_WAIT));
            for (name, value) in spec.environment.iter().chain(&self.env) {
                process = process.env(name, value);
            }
            self.runners
                .insert(bin.to_owned(), Runner::Binary(Box::new(process)));
        }
        self.runners.get_mut(bin).expect("inserted")
    }

    /// Calls the pool's `trigger` (if it has one) for `source`, as Cognito
    /// does synchronously, with the request `build` makes for the event
    /// version: the answer's `response`, `None` without a trigger, or the
    /// error the app sees.
    pub(crate) async fn call(
        &mut self,
        trigger: Trigger,
        source: &str,
        caller: &Caller<'_>,
        build: impl FnOnce(Option<LambdaVersion>) -> (Value, Value),
    ) -> Result<Option<Value>, CognitoError> {
        let Some((bin, version)) = self.wired(trigger) else {
            return Ok(None);
        };
        let (request, response) = build(version);
        let event = self.event(caller, version, source, request, Some(response));
        let name = trigger_name(trigger);
        let mut answered = Answered::TimedOut;
        for _ in 0..ATTEMPTS {
            answered = self.invoke(&bin, &event).await;
            if answered != Answered::TimedOut {
                break;
            }
        }
        match answered {
            // Cognito reads the answer's `response` as the trigger's, whatever
            // else the answer says.
            Answered::Event(answer) => {
                let mut read = event.clone();
                read["response"] = answer["response"].clone();
                match serde_json::from_value::<CognitoEvent>(read) {
                    Ok(parsed) if crate::events::Answer::refusal(&parsed).is_none() => {
                        Ok(Some(answer["response"].clone()))
                    }
                    _ => Err(CognitoError::new(
                        code::INVALID_LAMBDA_RESPONSE,
                        "Unrecognizable lambda output",
                    )),
                }
            }
            Answered::Error { error_message, .. } => Err(CognitoError::new(
                code::LAMBDA_VALIDATION,
                format!("{name} failed with error {error_message}."),
            )),
            Answered::Unreadable(_) => Err(CognitoError::new(
                code::INVALID_LAMBDA_RESPONSE,
                "Unrecognizable lambda output",
            )),
            Answered::TimedOut => Err(CognitoError::new(
                code::UNEXPECTED_LAMBDA,
                // What Cognito says when Lambda itself fails it, as apps have
                // reported it (e.g. furaiev/amazon-cognito-identity-dart-2#204).
                format!(
                    "{name} invocation failed due to error Socket timeout while invoking Lambda function."
                ),
            )),
            Answered::Failed(problem) => Err(CognitoError::new(
                code::UNEXPECTED_LAMBDA,
                format!("{name} invocation failed due to error {problem}."),
            )),
        }
    }

    /// Invokes a custom sender as Cognito does: asynchronously, so nothing
    /// comes back to the app, and with Lambda's two retries of a failed call.
    pub(crate) async fn send(
        &mut self,
        trigger: Trigger,
        source: &str,
        caller: &Caller<'_>,
        request: Value,
    ) {
        let Some((bin, version)) = self.wired(trigger) else {
            return;
        };
        let event = self.event(caller, version, source, request, None);
        for _ in 0..ATTEMPTS {
            if let Answered::Event(_) = self.invoke(&bin, &event).await {
                break;
            }
        }
    }

    fn event(
        &self,
        caller: &Caller,
        version: Option<LambdaVersion>,
        source: &str,
        request: Value,
        response: Option<Value>,
    ) -> Value {
        let common = events::Common {
            region: &self.region,
            pool_id: &self.pool_id,
            client_id: caller.client_id,
            user_name: caller.user_name,
        };
        events::event(&common, version, source, request, response)
    }

    async fn invoke(&mut self, bin: &str, event: &Value) -> Answered {
        let request_id = self.next("request");
        let timeout = self
            .pool
            .functions
            .iter()
            .find(|f| f.bin == bin)
            .map_or(functions::COGNITO_WAIT, |f| f.timeout);
        let answered = self.runner(bin).call(event, timeout, &request_id).await;
        self.invocations.push(Invoked {
            function: bin.to_owned(),
            source: event["triggerSource"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            event: event.clone(),
            answer: match &answered {
                Answered::Event(answer) => Ok(answer.clone()),
                Answered::Error {
                    error_type,
                    error_message,
                } => Err(format!("{error_type}: {error_message}")),
                Answered::Unreadable(problem) => Err(format!("unreadable answer: {problem}")),
                Answered::TimedOut => Err("timed out".to_owned()),
                Answered::Failed(problem) => Err(problem.clone()),
            },
        });
        answered
    }
}

/// The name Cognito gives `trigger` in its errors (PreTokenGeneration's
/// versions share one).
fn trigger_name(trigger: Trigger) -> &'static str {
    trigger.name()
}

fn string_map<K: Into<String>, V: Into<String>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.into(), Value::String(v.into())))
        .collect()
}

/// The driver of `pool` of the package under test (read from what its
/// build step wrote to `OUT_DIR`):
///
/// ```ignore
/// let mut cognito = cognito_trigger::testing::cognito!("PasswordlessPool");
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! __cognito {
    ($pool:expr) => {
        $crate::testing::flow::Cognito::for_pool(::core::env!("OUT_DIR"), $pool)
            .unwrap_or_else(|problem| ::core::panic!("{problem}"))
    };
}
