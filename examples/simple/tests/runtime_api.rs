//! Runs the built `pre_sign_up` binary as Lambda runs it, through the
//! harness's loopback Lambda runtime API: the generated `main` must answer
//! each event with the handler's response or an error document, and keep
//! serving after a rejection or a malformed event.

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger::testing::{LambdaProcess, Reply};
use serde_json::{Value, json};

fn sign_up(email: &str) -> Value {
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp).with_user_attribute("email", email);
    let mut event = serde_json::to_value(event).unwrap();
    // Keys this crate does not model, and nulls, must come back as they came.
    event["request"]["newField"] = json!([1, {"x": null}]);
    event["request"]["validationData"] = Value::Null;
    event
}

fn invoke(function: &mut LambdaProcess, event: &Value) -> Reply {
    function
        .invoke(&serde_json::to_vec(event).unwrap())
        .expect("the function answers")
}

#[test]
fn the_binary_serves_the_runtime_api() {
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up");

    let event = sign_up("jane@example.com");
    let Reply::Response(body) = invoke(&mut function, &event) else {
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
        Reply::Error {
            error_type: "Rejected".into(),
            error_message: "Sign-up is open to @example.com addresses only".into()
        }
    );

    let malformed = json!({"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": 42}});
    let Reply::Error {
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

    let Reply::Response(body) = invoke(&mut function, &sign_up("joe@example.com")) else {
        panic!("served again");
    };
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["response"]["autoConfirmUser"],
        true
    );
}

/// A file for the log of one test's function, removed when dropped.
struct LogFile(std::path::PathBuf);

impl LogFile {
    fn new(test: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("cognito-trigger-{test}-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&path);
        LogFile(path)
    }

    fn read(&self) -> String {
        std::fs::read_to_string(&self.0).unwrap_or_default()
    }
}

impl Drop for LogFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The request ID of the last invocation, from its `START` line, and the
/// lines the function wrote for it.
fn invocation_lines(function: &LambdaProcess) -> (String, Vec<String>) {
    let log = function.invocation_log();
    let id = log
        .lines()
        .find_map(|line| line.strip_prefix("START RequestId: "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no START line in:\n{log}"))
        .to_owned();
    let lines = log
        .lines()
        .filter(|line| {
            !["START ", "END ", "REPORT "]
                .iter()
                .any(|p| line.starts_with(p))
        })
        .map(str::to_owned)
        .collect();
    (id, lines)
}

/// A rejection is the handler's decision: one INFO line with its
/// `errorType` and message, and no ERROR line (lambda_runtime's own
/// `Diagnostic` line included), so that alarms on ERROR stay for failures.
/// A `log::info!` in the handler is written inside the request's span.
#[test]
fn a_rejection_is_logged_once_at_info_and_log_records_name_their_request() {
    let file = LogFile::new("text");
    let mut function =
        LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up").log_to(&file.0);

    assert!(matches!(
        invoke(&mut function, &sign_up("jane@elsewhere.org")),
        Reply::Error { .. }
    ));
    let (id, lines) = invocation_lines(&function);
    assert_eq!(
        lines,
        [format!(
            r#" INFO Lambda runtime invoke{{requestId="{id}"}}: rejected errorType="Rejected" errorMessage="Sign-up is open to @example.com addresses only""#
        )],
        "{}",
        file.read()
    );

    assert!(matches!(
        invoke(&mut function, &sign_up("jane@example.com")),
        Reply::Response(_)
    ));
    let (id, lines) = invocation_lines(&function);
    assert_eq!(
        lines,
        [format!(
            r#" INFO Lambda runtime invoke{{requestId="{id}"}}: auto-confirming a sign-up from @example.com"#
        )],
        "{}",
        file.read()
    );
}

/// With `AWS_LAMBDA_LOG_FORMAT=JSON`, every line is an object in Lambda's
/// JSON log format: `timestamp`, `level`, `message`, `logger` and the
/// request's `requestId` at top level, and the event's fields beside them.
#[test]
fn json_lines_follow_lambdas_json_log_format() {
    let file = LogFile::new("json");
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .log_to(&file.0);
    let mut logged = |email: &str| {
        invoke(&mut function, &sign_up(email));
        let (id, lines) = invocation_lines(&function);
        let lines: Vec<Value> = lines
            .iter()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect();
        for line in &lines {
            let timestamp = line["timestamp"].as_str().unwrap_or_default();
            // RFC 3339 in UTC with milliseconds: 2026-12-01T11:50:20.123Z.
            assert!(
                timestamp.len() == 24 && timestamp.ends_with('Z') && &timestamp[19..20] == ".",
                "{line}"
            );
            assert_eq!(line["requestId"], id.as_str(), "{line}");
        }
        lines
    };

    let rejected = logged("jane@elsewhere.org");
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    let mut line = rejected[0].clone();
    line.as_object_mut().unwrap().remove("timestamp");
    line.as_object_mut().unwrap().remove("requestId");
    assert_eq!(
        line,
        json!({
            "level": "INFO",
            "message": "rejected",
            "logger": "cognito_trigger::entry",
            "errorType": "Rejected",
            "errorMessage": "Sign-up is open to @example.com addresses only",
        })
    );

    let accepted = logged("jane@example.com");
    assert_eq!(accepted.len(), 1, "{accepted:?}");
    assert_eq!(
        (
            &accepted[0]["level"],
            &accepted[0]["message"],
            &accepted[0]["logger"]
        ),
        (
            &json!("INFO"),
            &json!("auto-confirming a sign-up from @example.com"),
            &json!("pre_sign_up")
        )
    );
}

/// `AWS_LAMBDA_LOG_LEVEL` sets the level: at WARN, the rejection (INFO) is
/// not written, the malformed event's ERROR line is, naming its request.
#[test]
fn the_binary_logs_at_the_level_lambda_sets() {
    let file = LogFile::new("level");
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_pre_sign_up"), "pre_sign_up")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_LAMBDA_LOG_LEVEL", "WARN")
        .log_to(&file.0);
    let rejected = invoke(&mut function, &sign_up("jane@elsewhere.org"));
    assert!(matches!(rejected, Reply::Error { .. }));
    let malformed = json!({"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": 42}});
    assert!(matches!(
        invoke(&mut function, &malformed),
        Reply::Error { .. }
    ));
    let (id, _) = invocation_lines(&function);
    function.stop();

    let text = file.read();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let invalid = &lines[0];
    assert_eq!(
        (
            &invalid["level"],
            &invalid["message"],
            &invalid["requestId"]
        ),
        (&json!("ERROR"), &json!("invalid event"), &json!(id)),
        "{text}"
    );
    assert!(
        invalid["detail"]
            .as_str()
            .is_some_and(|d| d.contains("request.userAttributes")),
        "{text}"
    );
}
