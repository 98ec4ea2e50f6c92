//! The custom resource against real implementations of the calls it makes,
//! all on 127.0.0.1: cognito-local serves ListUserPools, DescribeUserPool
//! and UpdateUserPool, moto serves Lambda's AddPermission, RemovePermission
//! and GetPolicy, and a local endpoint stands in for CloudFormation's
//! pre-signed response URL. cognito-local (npm) and moto (PyPI) are
//! installed by .ci/run; without them this test fails.

use cognito_trigger::testing::http::{call, read_request, write_response};
use cognito_trigger_attach::{Clients, Request, Response, Status, handle, respond};
use cognito_trigger_local::emulator::{CognitoLocal, free_port};
use serde_json::{Value, json};
use std::io::BufReader;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// moto's server, for Lambda and IAM; killed when dropped.
struct Moto {
    child: Child,
    address: SocketAddr,
}

impl Moto {
    fn start() -> Moto {
        let port = free_port().unwrap();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server runs: install tests/requirements.txt (.ci/run does)");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while call(address, "GET", "/moto-api/", &[], b"").is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, address }
    }

    /// An IAM role for Lambda, through IAM's query API (moto checks that a
    /// function's role exists).
    fn create_role(&self) -> String {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let body = format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=trigger&AssumeRolePolicyDocument={}",
            policy
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        );
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ];
        let response = call(self.address, "POST", "/", &headers, body.as_bytes()).unwrap();
        assert_eq!(
            response.status,
            200,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
        "arn:aws:iam::123456789012:role/trigger".into()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Stands in for the pre-signed URL: records every PUT.
fn response_endpoint() -> (SocketAddr, mpsc::Receiver<(String, Option<String>, Value)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut writer = stream.try_clone().unwrap();
            let mut reader = BufReader::new(stream);
            while let Ok(Some(request)) = read_request(&mut reader) {
                let content_type = request.header("content-type").map(str::to_owned);
                let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                let _ = sender.send((request.method.clone(), content_type, body));
                let _ = write_response(&mut writer, 200, &[], b"");
            }
        }
    });
    (address, received)
}

fn request(
    kind: &str,
    properties: Value,
    old: Option<Value>,
    physical_id: Option<&str>,
    url: &str,
) -> Request {
    serde_json::from_value(json!({
        "RequestType": kind,
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": format!("request-{kind}"),
        "ResourceType": "Custom::CognitoTriggerAttachment",
        "LogicalResourceId": "UsersAttachment",
        "PhysicalResourceId": physical_id,
        "ResourceProperties": properties,
        "OldResourceProperties": old,
    }))
    .unwrap()
}

fn properties(pool: &str, function_arn: &str, triggers: &[&str]) -> Value {
    let triggers: Vec<Value> = triggers.iter().map(|t| json!({"Trigger": t})).collect();
    json!({"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:attach", "UserPool": pool, "FunctionArn": function_arn, "Triggers": triggers})
}

fn succeeded(response: &Response) {
    assert_eq!(response.status, Status::Success, "{}", response.reason);
}

#[tokio::test(flavor = "current_thread")]
async fn attaches_to_an_existing_pool_and_detaches_exactly() {
    let cognito = CognitoLocal::start(
        &workspace().join("tests/e2e/node_modules/cognito-local/lib/bin/start.js"),
        &workspace().join(format!(
            "target/tests/attach-cognito-local-{}",
            std::process::id()
        )),
        &json!({}),
        None,
    )
    .unwrap();
    let moto = Moto::start();
    // SAFETY: set before any other thread of this test binary reads them.
    unsafe {
        std::env::set_var(
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            format!("http://{}", cognito.address()),
        );
        std::env::set_var(
            "AWS_ENDPOINT_URL_LAMBDA",
            format!("http://{}", moto.address),
        );
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }
    let clients = Clients::from_env().await;
    let role = moto.create_role();
    let function = clients
        .lambda
        .create_function()
        .function_name("users")
        .role(role)
        .handler("bootstrap")
        .runtime(aws_sdk_lambda::types::Runtime::Providedal2023)
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_sdk_lambda::primitives::Blob::new(b"zip".to_vec()))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let function_arn = function.function_arn.unwrap();
    let other = "arn:aws:lambda:us-east-1:123456789012:function:someone-else";

    // The pool the stack does not own, with settings and another team's trigger.
    let created = cognito
        .ok(
            "CreateUserPool",
            &json!({
                "PoolName": "legacy-user-pool",
                "AutoVerifiedAttributes": ["email"],
                "EmailVerificationSubject": "Keep this subject",
                "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
                "LambdaConfig": {"PostConfirmation": other}
            }),
        )
        .unwrap();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let pool_arn = created["UserPool"]["Arn"].as_str().unwrap().to_owned();
    let describe = || {
        let pool = cognito
            .ok("DescribeUserPool", &json!({"UserPoolId": pool_id}))
            .unwrap();
        pool["UserPool"].clone()
    };
    let (url, received) = response_endpoint();
    let url = format!("http://{url}/response");

    // Create, by name: our trigger is added, everything else stays.
    let create = request(
        "Create",
        properties("legacy-user-pool", &function_arn, &["CustomMessage"]),
        None,
        None,
        &url,
    );
    let response = handle(&create, &clients).await;
    succeeded(&response);
    assert_eq!(response.physical_resource_id, format!("{pool_id}/users"));
    let pool = describe();
    assert_eq!(pool["LambdaConfig"]["CustomMessage"], function_arn.as_str());
    assert_eq!(pool["LambdaConfig"]["PostConfirmation"], other);
    assert_eq!(pool["EmailVerificationSubject"], "Keep this subject");
    assert_eq!(pool["Policies"]["PasswordPolicy"]["MinimumLength"], 12);
    assert_eq!(pool["AutoVerifiedAttributes"], json!(["email"]));

    // The permission names the pool and its account.
    let policy = clients
        .lambda
        .get_policy()
        .function_name(&function_arn)
        .send()
        .await
        .unwrap();
    let policy: Value = serde_json::from_str(&policy.policy.unwrap()).unwrap();
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Sid"], format!("cognito-trigger-{pool_id}"));
    assert_eq!(
        statement["Principal"]["Service"],
        "cognito-idp.amazonaws.com"
    );
    assert_eq!(
        statement["Condition"]["ArnLike"]["AWS:SourceArn"],
        pool_arn.as_str()
    );
    assert!(statement["Condition"]["StringEquals"]["AWS:SourceAccount"].is_string());

    // The answer reaches the pre-signed URL as CloudFormation expects it.
    respond::send(&create.response_url, &response)
        .await
        .unwrap();
    let (method, content_type, body) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        (method.as_str(), content_type.as_deref()),
        ("PUT", Some(""))
    );
    assert_eq!(body["Status"], "SUCCESS");
    assert_eq!(
        body["PhysicalResourceId"],
        response.physical_resource_id.as_str()
    );
    assert_eq!(body["StackId"], create.stack_id.as_str());
    assert_eq!(body["RequestId"], "request-Create");
    assert_eq!(body["LogicalResourceId"], "UsersAttachment");
    assert_eq!(body["Data"]["UserPoolId"], pool_id.as_str());

    // Update, by ARN now and another trigger: the dropped trigger is taken back.
    let update = request(
        "Update",
        properties(&pool_arn, &function_arn, &["PreSignUp"]),
        Some(properties(&pool_arn, &function_arn, &["CustomMessage"])),
        Some(&response.physical_resource_id),
        &url,
    );
    succeeded(&handle(&update, &clients).await);
    let pool = describe();
    assert_eq!(pool["LambdaConfig"]["PreSignUp"], function_arn.as_str());
    assert!(pool["LambdaConfig"]["CustomMessage"].is_null(), "{pool}");
    assert_eq!(pool["LambdaConfig"]["PostConfirmation"], other);

    // Another function's trigger is never taken over.
    let taken = request(
        "Create",
        properties(&pool_arn, &function_arn, &["PostConfirmation"]),
        None,
        None,
        &url,
    );
    let response = handle(&taken, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        response
            .reason
            .contains("never replaces another function's trigger"),
        "{}",
        response.reason
    );
    assert_eq!(describe()["LambdaConfig"]["PostConfirmation"], other);

    // A failed create's rollback delete succeeds without touching anything.
    let rollback = request(
        "Delete",
        properties(&pool_arn, &function_arn, &["PostConfirmation"]),
        None,
        Some(&response.physical_resource_id),
        &url,
    );
    succeeded(&handle(&rollback, &clients).await);
    assert_eq!(describe()["LambdaConfig"]["PostConfirmation"], other);

    // Delete removes exactly what this resource added.
    let delete = request(
        "Delete",
        properties(&pool_arn, &function_arn, &["PreSignUp"]),
        None,
        Some(&format!("{pool_id}/users")),
        &url,
    );
    succeeded(&handle(&delete, &clients).await);
    let pool = describe();
    assert!(pool["LambdaConfig"]["PreSignUp"].is_null(), "{pool}");
    assert_eq!(pool["LambdaConfig"]["PostConfirmation"], other);
    assert_eq!(pool["EmailVerificationSubject"], "Keep this subject");
    let policy = clients
        .lambda
        .get_policy()
        .function_name(&function_arn)
        .send()
        .await;
    let remaining = policy.ok().and_then(|p| p.policy).unwrap_or_default();
    assert!(
        !remaining.contains(&format!("cognito-trigger-{pool_id}")),
        "{remaining}"
    );

    // Names are resolved only when unique.
    for _ in 0..2 {
        cognito
            .ok("CreateUserPool", &json!({"PoolName": "twin"}))
            .unwrap();
    }
    let ambiguous = request(
        "Create",
        properties("twin", &function_arn, &["PreSignUp"]),
        None,
        None,
        &url,
    );
    let response = handle(&ambiguous, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        response
            .reason
            .starts_with("2 user pools are named \"twin\""),
        "{}",
        response.reason
    );

    let missing = request(
        "Create",
        properties("no-such-pool", &function_arn, &["PreSignUp"]),
        None,
        None,
        &url,
    );
    let response = handle(&missing, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        response.reason.contains("no user pool no-such-pool"),
        "{}",
        response.reason
    );
}
