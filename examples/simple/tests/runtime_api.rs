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
