//! Runs the built `pre_sign_up` binary against a Lambda Runtime API served on
//! loopback, as Lambda runs it: the generated `main` must fetch events,
//! answer each with the handler's response or an error document, and keep
//! serving after a rejection or a malformed event.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What the function posted back for one invocation.
#[derive(Debug)]
struct Outcome {
    path: String,
    body: Value,
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, body })
}

/// Serves `events` one per `next` call and reports every posted result.
fn serve(listener: TcpListener, events: Vec<String>, outcomes: mpsc::Sender<Outcome>) {
    let mut events = events.into_iter().enumerate();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { return };
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        while let Some(request) = read_request(&mut reader) {
            if request.method == "GET" && request.path.ends_with("/invocation/next") {
                let Some((index, event)) = events.next() else {
                    // No more events: hold the call as Lambda does, until the test ends.
                    thread::sleep(Duration::from_secs(60));
                    return;
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: request-{index}\r\n\
                     Lambda-Runtime-Deadline-Ms: 4102444800000\r\n\
                     Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:111122223333:function:pre_sign_up\r\n\
                     Content-Length: {}\r\n\r\n",
                    event.len()
                );
                writer.write_all(head.as_bytes()).unwrap();
                writer.write_all(event.as_bytes()).unwrap();
            } else {
                let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                outcomes
                    .send(Outcome {
                        path: request.path,
                        body,
                    })
                    .unwrap();
                writer
                    .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}")
                    .unwrap();
            }
        }
    }
}

struct Function(Child);

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sign_up(email: &str) -> String {
    json!({
        "version": "1", "triggerSource": "PreSignUp_SignUp", "region": "us-east-1",
        "userPoolId": "us-east-1_EXAMPLE1a", "userName": "jane",
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3.0.0", "clientId": "1example23456789"},
        "request": {"userAttributes": {"email": email}, "validationData": null, "newField": [1, {"x": null}]},
        "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}
    })
    .to_string()
}

#[test]
fn the_binary_serves_the_runtime_api() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let events = vec![
        sign_up("jane@example.com"),
        sign_up("jane@elsewhere.org"),
        r#"{"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": 42}}"#.to_owned(),
        sign_up("joe@example.com"),
    ];
    let (sender, outcomes) = mpsc::channel();
    thread::spawn(move || serve(listener, events, sender));

    let _function = Function(
        Command::new(env!("CARGO_BIN_EXE_pre_sign_up"))
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "pre_sign_up")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "test")
            .spawn()
            .unwrap(),
    );
    let next = || {
        outcomes
            .recv_timeout(Duration::from_secs(20))
            .expect("the function answers")
    };

    let accepted = next();
    assert_eq!(
        accepted.path,
        "/2018-06-01/runtime/invocation/request-0/response"
    );
    let mut expected: Value = serde_json::from_str(&sign_up("jane@example.com")).unwrap();
    expected["response"]["autoConfirmUser"] = json!(true);
    expected["response"]["autoVerifyEmail"] = json!(true);
    assert_eq!(
        accepted.body, expected,
        "the whole event comes back, unknown fields and nulls included"
    );

    let rejected = next();
    assert_eq!(
        rejected.path,
        "/2018-06-01/runtime/invocation/request-1/error"
    );
    assert_eq!(
        rejected.body,
        json!({"errorType": "Rejected", "errorMessage": "Sign-up is open to @example.com addresses only"})
    );

    let malformed = next();
    assert_eq!(
        malformed.path,
        "/2018-06-01/runtime/invocation/request-2/error"
    );
    assert_eq!(malformed.body["errorType"], "InvalidEvent");
    let message = malformed.body["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("Invalid event: request.userAttributes: invalid type: integer `42`"),
        "{message}"
    );

    let served_again = next();
    assert_eq!(
        served_again.path,
        "/2018-06-01/runtime/invocation/request-3/response"
    );
    assert_eq!(served_again.body["response"]["autoConfirmUser"], true);
}
