//! The local Lambda invoke API answers as Lambda does when a function
//! panics, hangs, exits or answers what Cognito would refuse, and the
//! function serves again afterwards.

use cognito_trigger::events::{
    DefineAuthChallengeEvent, DefineAuthChallengeSource, PreSignUpEvent, PreSignUpSource,
};
use cognito_trigger::testing::{LambdaProcess, Reply};
use cognito_trigger_local::{Server, functions_in};
use cognito_trigger_support::http::{Response, call};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn server() -> Server {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let functions = functions_in(
        dir,
        &[
            ("misbehave", env!("CARGO_BIN_EXE_misbehave")),
            ("misroute", env!("CARGO_BIN_EXE_misroute")),
            ("inspect", env!("CARGO_BIN_EXE_inspect")),
        ],
    )
    .unwrap();
    Server::start(functions, 0).unwrap()
}

fn invoke(server: &Server, function: &str, user_name: &str) -> (Response, Value) {
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp).with_user_name(user_name);
    let path = format!("/2015-03-31/functions/{function}/invocations");
    let response = call(
        server.address(),
        "POST",
        &path,
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    let body = serde_json::from_slice(&response.body).unwrap();
    (response, body)
}

/// A function error: 200, `X-Amz-Function-Error: Unhandled`, and the document.
fn function_error(response: &Response, body: &Value) -> String {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("X-Amz-Function-Error"), Some("Unhandled"));
    body["errorType"].as_str().unwrap().to_owned()
}

fn serves(server: &Server) {
    let (response, body) = invoke(server, "MisbehaveLambdaFunction", "jane");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("X-Amz-Function-Error"), None);
    assert_eq!(body["userName"], "jane");
}

#[test]
fn a_panic_is_an_unhandled_error_and_the_process_serves_on() {
    let server = server();
    let (response, body) = invoke(&server, "MisbehaveLambdaFunction", "panic");
    assert_eq!(function_error(&response, &body), "HandlerPanicked");
    assert_eq!(
        body["errorMessage"], "Internal error",
        "no detail reaches the user"
    );
    serves(&server);
}

#[test]
fn an_answer_cognito_would_refuse_is_an_error_and_the_process_serves_on() {
    let server = server();
    let (response, body) = invoke(&server, "MisbehaveLambdaFunction", "unverifiable");
    assert_eq!(function_error(&response, &body), "InvalidResponse");
    assert_eq!(body["errorMessage"], "Internal error");
    serves(&server);
}

#[test]
fn a_hang_times_out_and_the_function_starts_again() {
    let server = server();
    let started = Instant::now();
    let (response, body) = invoke(&server, "MisbehaveLambdaFunction", "hang");
    let elapsed = started.elapsed();
    assert_eq!(function_error(&response, &body), "Sandbox.Timedout");
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap()
            .contains("Task timed out after 1.00 seconds"),
        "{body}"
    );
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    serves(&server);
}

#[test]
fn an_exit_is_reported_and_the_process_restarted() {
    let server = server();
    let (response, body) = invoke(&server, "misbehave", "exit");
    assert_eq!(function_error(&response, &body), "Runtime.ExitError");
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap()
            .contains("exit status: 3"),
        "{body}"
    );
    serves(&server);
}

#[test]
fn an_unknown_function_is_not_found() {
    let server = server();
    let path = "/2015-03-31/functions/Nobody/invocations";
    let response = call(server.address(), "POST", path, &[], b"{}").unwrap();
    assert_eq!(response.status, 404);
    assert_eq!(
        response.header("x-amzn-ErrorType"),
        Some("ResourceNotFoundException")
    );
}

/// Through the Runtime API alone: the refused answer is an error for
/// Cognito, the function's log says what is wrong and for which request,
/// and the next invocation is served.
#[test]
fn an_unknown_challenge_is_refused_and_logged_and_the_process_serves_on() {
    let log = std::env::temp_dir().join(format!("misroute-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_misroute"), "misroute").log_to(&log);
    let event = |user: &str| {
        let event = DefineAuthChallengeEvent::sample(DefineAuthChallengeSource::Authentication)
            .with_user_name(user);
        serde_json::to_vec(&event).unwrap()
    };
    assert_eq!(
        function.invoke(&event("misroute")).unwrap(),
        Reply::Error {
            error_type: "InvalidResponse".into(),
            error_message: "Internal error".into(),
        }
    );
    let Reply::Response(body) = function.invoke(&event("jane")).unwrap() else {
        panic!("the next invocation is served");
    };
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["response"]["challengeName"], "CUSTOM_CHALLENGE");
    function.stop();

    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    let refused = text
        .lines()
        .find(|line| line.contains("would be refused by Cognito"))
        .unwrap_or_else(|| panic!("no line for the refusal in:\n{text}"));
    assert!(refused.starts_with("ERROR "), "{refused}");
    assert!(refused.contains("requestId=\"misroute-"), "{refused}");
    assert!(
        refused.contains("challengeName \\\"CAPTCHA\\\""),
        "{refused}"
    );
}
