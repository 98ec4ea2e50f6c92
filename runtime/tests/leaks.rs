//! Cognito shows a trigger's `errorMessage` to the end user ("PreSignUp
//! failed with error <message>."), so it must carry no internal detail:
//! no paths, secrets, environment values, panic messages, debug dumps or
//! source locations (issue 7). Each case goes through the entrypoint's own
//! decode → handler → encode path (`testing::dispatch`).

#![cfg(feature = "testing")]

use cognito_trigger::events::*;
use cognito_trigger::testing::{Reply, dispatch};
use cognito_trigger::{Error, INTERNAL_MESSAGE};
use std::fmt;
use std::io;

const SECRET: &str = "sk_live_51HxQ9aSECRETtoken";
const PATH: &str = "/var/task/config/credentials.toml";
const ENV_NAME: &str = "COGNITO_TRIGGER_LEAKS_TEST_DB_URL";
const ENV_VALUE: &str = "postgres://admin:hunter2@10.0.3.7:5432/users";

fn sign_up_event() -> Vec<u8> {
    serde_json::to_vec(&PreSignUpEvent::sample(PreSignUpSource::SignUp)).unwrap()
}

/// The error a handler's failure becomes, as Cognito receives it.
fn error_of(invocation: Reply) -> (String, String) {
    match invocation {
        Reply::Error {
            error_type,
            error_message,
        } => (error_type, error_message),
        Reply::Response(body) => panic!(
            "expected an error, got a response: {}",
            String::from_utf8_lossy(&body)
        ),
    }
}

/// What must never reach the user, whatever failed.
fn assert_no_internal_detail(message: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!message.contains(secret), "{message:?} leaks {secret:?}");
    }
    let artefacts = [
        // Panics and source locations.
        "panicked", "src/", ".rs:",
        // `{:?}` dumps: io::Error's `Os { code, kind, message }` and
        // `Custom { kind, error }`, serde_json's `Error("...", line: 1, ...)`,
        // any derived struct or enum.
        "Os {", "Custom {", "kind:", "code:", "Error(", "Error {", " { ", "Some(",
        // Paths and addresses.
        "/var/", "/tmp/", "/home/", "/root/",
    ];
    for artefact in artefacts {
        assert!(
            !message.contains(artefact),
            "{message:?} carries internal detail {artefact:?}"
        );
    }
}

/// An error type with a path, a secret and an I/O source in its chain.
#[derive(Debug)]
struct ConfigError {
    path: &'static str,
    source: io::Error,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "cannot load {} (api key {SECRET})", self.path)
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

async fn io_error(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Err(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{PATH}: token={SECRET}"),
    ))?
}

async fn os_error(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    // A real OS error, whose Debug form is `Os { code: 2, kind: NotFound, .. }`.
    std::fs::read(format!("{PATH}.missing-{SECRET}"))?;
    unreachable!("the file does not exist")
}

async fn chained_error(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Err(ConfigError {
        path: PATH,
        source: io::Error::other(format!("read {PATH}: {SECRET}")),
    })?
}

async fn internal_error(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    Err(Error::internal(format!("{PATH} has {SECRET}")).with_type("ConfigMissing"))
}

async fn env_error(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    let url = std::env::var(ENV_NAME).unwrap();
    Err(io::Error::new(
        io::ErrorKind::ConnectionRefused,
        format!("connect to {url} refused"),
    ))?
}

async fn panics(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    panic!("config at {PATH} has no key {SECRET}");
}

async fn panics_with_a_struct(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    std::panic::panic_any(ConfigError {
        path: PATH,
        source: io::Error::other(SECRET),
    });
}

async fn panics_on_unwrap(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    // `called Result::unwrap() on an Err value: Os { .. }` in the panic message.
    std::fs::read(PATH).unwrap();
    Ok(event)
}

async fn accepts(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    event.auto_confirm();
    Ok(event)
}

#[test]
fn internal_errors_show_only_internal_error() {
    for (name, invocation) in [
        ("io::Error", dispatch(io_error, &sign_up_event())),
        ("OS error", dispatch(os_error, &sign_up_event())),
        ("error chain", dispatch(chained_error, &sign_up_event())),
        (
            "Error::internal",
            dispatch(internal_error, &sign_up_event()),
        ),
    ] {
        let (error_type, message) = error_of(invocation);
        assert_no_internal_detail(&message, &[PATH, SECRET, "credentials", "os error"]);
        assert_eq!(message, INTERNAL_MESSAGE, "{name}");
        let expected_type = if name == "Error::internal" {
            "ConfigMissing"
        } else {
            "InternalError"
        };
        assert_eq!(error_type, expected_type, "{name}");
    }
}

#[test]
fn environment_values_stay_in_the_log() {
    // SAFETY: the only environment access in this test binary is through
    // std::env, which serializes readers and writers; no C code reads it.
    unsafe { std::env::set_var(ENV_NAME, ENV_VALUE) };
    let (error_type, message) = error_of(dispatch(env_error, &sign_up_event()));
    assert_eq!(error_type, "InternalError");
    assert_no_internal_detail(&message, &[ENV_VALUE, "hunter2", "10.0.3.7", "postgres"]);
    assert_eq!(message, INTERNAL_MESSAGE);
}

#[test]
fn panic_messages_stay_in_the_log() {
    for (name, invocation) in [
        ("panic!", dispatch(panics, &sign_up_event())),
        (
            "panic_any",
            dispatch(panics_with_a_struct, &sign_up_event()),
        ),
        ("unwrap", dispatch(panics_on_unwrap, &sign_up_event())),
    ] {
        let (error_type, message) = error_of(invocation);
        assert_eq!(error_type, "HandlerPanicked", "{name}");
        assert_no_internal_detail(&message, &[PATH, SECRET, "unwrap", "No such file"]);
        assert_eq!(message, INTERNAL_MESSAGE, "{name}");
    }
    // The handlers ran and failed; a good one still answers normally.
    assert!(matches!(
        dispatch(accepts, &sign_up_event()),
        Reply::Response(_)
    ));
}

#[test]
fn a_rejection_shows_exactly_its_message() {
    async fn reject(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
        Err(Error::reject("Sign-up is closed").with_type("SignUpClosed"))
    }
    assert_eq!(
        error_of(dispatch(reject, &sign_up_event())),
        ("SignUpClosed".to_owned(), "Sign-up is closed".to_owned())
    );
}

/// What the message of a malformed event holds: the JSON path of the field
/// at fault and what it should be, or where the JSON breaks; never the
/// offending value, and no internal detail.
#[test]
fn malformed_events_name_the_field_without_internal_detail() {
    let mut event: serde_json::Value = serde_json::from_slice(&sign_up_event()).unwrap();
    event["request"]["userAttributes"] = serde_json::json!(["not", "a", "map"]);
    let payload = serde_json::to_vec(&event).unwrap();
    let cases: [(&str, &[u8], &[&str]); 6] = [
        (
            "wrong type",
            &payload,
            &["Invalid event at request.userAttributes: expected a map"],
        ),
        (
            "wrong scalar",
            b"{\"request\": {\"userAttributes\": {\"email_verified\": false, \"score\": 1.50}}, \"userName\": 5}",
            &["Invalid event at userName: expected a string"],
        ),
        (
            "truncated",
            b"{\"version\": \"1\",",
            &["Invalid event: the JSON ends too soon"],
        ),
        (
            "not an object",
            b"[1, 2]",
            &["Invalid event: expected a JSON object (TriggerEvent)"],
        ),
        (
            "not UTF-8",
            b"{\"version\": \"\xff\"}",
            &["Invalid event: not UTF-8"],
        ),
        (
            "trailing data",
            b"{} {}",
            &["Invalid event: malformed JSON at line 1 column 4"],
        ),
    ];
    for (name, payload, expected) in cases {
        let (error_type, message) = error_of(dispatch(accepts, payload));
        assert_eq!(error_type, "InvalidEvent", "{name}");
        assert!(message.starts_with(expected[0]), "{name}: {message:?}");
        for part in expected {
            assert!(message.contains(part), "{name}: {message:?} lacks {part:?}");
        }
        assert_no_internal_detail(&message, &[]);
    }
}

/// A malformed event's message must not quote the offending value (serde's
/// "invalid type: integer `918273`"): Cognito shows it to the user. Here the
/// value is the answer to a custom challenge, and a token in a field of the
/// wrong type.
#[test]
fn malformed_events_do_not_echo_event_values() {
    let mut event = serde_json::to_value(VerifyAuthChallengeResponseEvent::sample(
        VerifyAuthChallengeResponseSource::Authentication,
    ))
    .unwrap();
    event["request"]["challengeAnswer"] = serde_json::json!(918273);
    let (error_type, message) = error_of(dispatch(
        |event: VerifyAuthChallengeResponseEvent| async move { Ok::<_, Error>(event) },
        &serde_json::to_vec(&event).unwrap(),
    ));
    assert_eq!(error_type, "InvalidEvent");
    assert!(message.contains("request.challengeAnswer"), "{message}");
    assert!(!message.contains("918273"), "{message}");

    let mut event: serde_json::Value = serde_json::from_slice(&sign_up_event()).unwrap();
    event["response"]["autoConfirmUser"] = serde_json::json!(SECRET);
    let (error_type, message) = error_of(dispatch(accepts, &serde_json::to_vec(&event).unwrap()));
    assert_eq!(error_type, "InvalidEvent");
    assert!(message.contains("response.autoConfirmUser"), "{message}");
    assert!(!message.contains(SECRET), "{message}");
}
