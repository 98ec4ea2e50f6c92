//! Runs the built `pre_sign_up` binary as Lambda runs it, through the
//! harness's loopback Lambda runtime API: the generated `main` must answer
//! each event with the handler's response or an error document, and keep
//! serving after a rejection or a malformed event.

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger::testing::{Invocation, LambdaProcess};
use serde_json::{Value, json};

fn sign_up(email: &str) -> Value {
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp).with_user_attribute("email", email);
    let mut event = serde_json::to_value(event).unwrap();
    // Keys this crate does not model, and nulls, must come back as they came.
    event["request"]["newField"] = json!([1, {"x": null}]);
    event["request"]["validationData"] = Value::Null;
    event
}

fn invoke(function: &mut LambdaProcess, event: &Value) -> Invocation {
    function
        .invoke(&serde_json::to_vec(event).unwrap())
        .expect("the function answers")
}

#[test]
fn the_binary_serves_the_runtime_api() {
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up");

    let event = sign_up("jane@example.com");
    let Invocation::Response(body) = invoke(&mut function, &event) else {
        panic!("accepted");
    };
    let mut expected = event.clone();
    expected["response"]["autoConfirmUser"] = json!(true);
    expected["response"]["autoVerifyEmail"] = json!(true);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        expected,
        "the whole event comes back, unknown fields and nulls included"
    );

    assert_eq!(
        invoke(&mut function, &sign_up("jane@elsewhere.org")),
        Invocation::Error {
            error_type: "Rejected".into(),
            error_message: "Sign-up is open to @example.com addresses only".into()
        }
    );

    let malformed = json!({"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": 42}});
    let Invocation::Error {
        error_type,
        error_message,
    } = invoke(&mut function, &malformed)
    else {
        panic!("refused");
    };
    assert_eq!(error_type, "InvalidEvent");
    assert_eq!(
        error_message,
        "Invalid event at request.userAttributes: expected a map"
    );

    let Invocation::Response(body) = invoke(&mut function, &sign_up("joe@example.com")) else {
        panic!("served again");
    };
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["response"]["autoConfirmUser"],
        true
    );
}

/// The generated entrypoint's log, as Lambda's JSON log format asks: one JSON
/// object a line, with the level, the event's fields and lambda_runtime's
/// span naming the request; `AWS_LAMBDA_LOG_LEVEL` sets the level.
#[test]
fn the_binary_logs_json_lines_at_the_level_lambda_sets() {
    let log =
        std::env::temp_dir().join(format!("cognito-trigger-log-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_LAMBDA_LOG_LEVEL", "WARN")
        .log_to(&log);
    let rejected = invoke(&mut function, &sign_up("jane@elsewhere.org"));
    assert!(matches!(rejected, Invocation::Error { .. }));
    let malformed = json!({"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": 42}});
    assert!(matches!(
        invoke(&mut function, &malformed),
        Invocation::Error { .. }
    ));
    function.stop();

    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    // The rejection is logged at INFO, under WARN: only the malformed event's
    // ERROR lines are written.
    assert!(!lines.is_empty(), "{text}");
    assert!(lines.iter().all(|line| line["level"] == "ERROR"), "{text}");
    let invalid = lines
        .iter()
        .find(|line| line["fields"]["message"] == "invalid event")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(invalid["span"]["name"], "Lambda runtime invoke");
    assert!(
        invalid["span"]["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{text}"
    );
    assert!(
        invalid["fields"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("request.userAttributes")),
        "{text}"
    );
}
