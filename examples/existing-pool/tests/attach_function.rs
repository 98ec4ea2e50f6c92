//! The package's custom resource function (`cognito_trigger_attach::run()`
//! as its `main`), run as Lambda runs it (through the harness's loopback
//! runtime API): it answers CloudFormation at the response URL, and refuses
//! what is not a custom resource request.

use cognito_trigger::testing::{LambdaProcess, Reply};
use cognito_trigger_support::http::{Response, Server};
use serde_json::{Value, json};
use std::sync::mpsc;
use std::time::Duration;

/// The stack, and the one attachment it declares, as the template hands
/// them to the function (`COGNITO_TRIGGER_ATTACHMENTS`).
const STACK_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1";

fn properties() -> Value {
    json!({"UserPool": "legacy-user-pool", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:users", "Triggers": [{"Trigger": "CustomMessage"}]})
}

fn function() -> LambdaProcess {
    let declared = json!({"StackId": STACK_ID, "Attachments": [properties()]});
    LambdaProcess::new(env!("CARGO_BIN_EXE_cognito-trigger-attach"), "attach")
        .env("COGNITO_TRIGGER_ATTACHMENTS", declared.to_string())
        .timeout(Duration::from_secs(30))
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
}

#[test]
fn a_rollback_delete_is_answered_at_the_response_url() {
    let (sender, received) = mpsc::channel();
    let endpoint = Server::start(move |request| {
        let _ = sender.send(request);
        Response::new(200)
    })
    .unwrap();
    let url = format!("http://{}/signed?X-Amz-Signature=abc", endpoint.address());
    let event = json!({
        "RequestType": "Delete",
        "ResponseURL": url,
        "StackId": STACK_ID,
        "RequestId": "r-1",
        "ResourceType": "Custom::CognitoTriggerAttachment",
        "LogicalResourceId": "UsersAttachment",
        "PhysicalResourceId": "failed-create",
        "ResourceProperties": properties()
    });
    let mut function = function();
    let outcome = function.invoke(event.to_string().as_bytes()).unwrap();
    assert_eq!(outcome, Reply::Response(b"null".to_vec()));
    let put = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        (put.method.as_str(), put.path.as_str()),
        ("PUT", "/signed?X-Amz-Signature=abc")
    );
    let body: Value = serde_json::from_slice(&put.body).unwrap();
    assert_eq!(body["Status"], "SUCCESS");
    assert_eq!(body["PhysicalResourceId"], "failed-create");
    assert_eq!(body["RequestId"], "r-1");
}

#[test]
fn other_events_are_refused() {
    let mut function = function();
    let Reply::Error { error_message, .. } = function
        .invoke(br#"{"triggerSource": "PreSignUp_SignUp"}"#)
        .unwrap()
    else {
        panic!("refused");
    };
    assert!(
        error_message.starts_with("not a CloudFormation custom resource request"),
        "{error_message}"
    );
}
