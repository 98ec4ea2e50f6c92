//! The custom resource against real implementations of the calls it makes,
//! all on 127.0.0.1: cognito-local serves ListUserPools, DescribeUserPool
//! and UpdateUserPool, moto serves Lambda's AddPermission, RemovePermission
//! and GetPolicy, and a local endpoint stands in for CloudFormation's
//! pre-signed response URL. cognito-local (npm) and moto (PyPI) are
//! installed by .ci/run; without them this test fails.
//!
//! The resources name their pools by name: cognito-local's pool IDs and ARNs
//! (`local_…`, region and account `local`) are not shaped like AWS's, so the
//! handler would read them as names too.

use cognito_trigger_attach::{
    Clients, Declared, KnownRequest, Properties, Request, Response, Status, respond,
};
use cognito_trigger_support::emulator::{CognitoLocal, Moto};
use cognito_trigger_support::http::{self, Server, call};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An IAM role for Lambda, through IAM's query API (moto checks that a
/// function's role exists).
fn create_role(moto: &Moto) -> String {
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
    let response = call(moto.address(), "POST", "/", &headers, body.as_bytes()).unwrap();
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    "arn:aws:iam::123456789012:role/trigger".into()
}

/// Stands in for the pre-signed URL: records every PUT.
fn response_endpoint() -> (Server, mpsc::Receiver<(String, Option<String>, Value)>) {
    let (sender, received) = mpsc::channel();
    let endpoint = Server::start(move |request| {
        let content_type = request.header("content-type").map(str::to_owned);
        let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let _ = sender.send((request.method, content_type, body));
        http::Response::new(200)
    })
    .unwrap();
    (endpoint, received)
}

/// The stack every request comes from.
const STACK_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1";

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
        "StackId": STACK_ID,
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
    assert_eq!(response.status, Status::Success, "{:?}", response.reason);
}

/// The handler's answer to `request`, of a type it knows, as a template
/// that declares that attachment has it handled (tests/forged.rs checks
/// what the template does not declare).
async fn handle(request: &Request, clients: &Clients) -> Response {
    let known = KnownRequest::of(request).expect("a Create, Update or Delete");
    let properties = match request {
        Request::Create(r) => &r.resource_properties,
        Request::Update(r) => &r.resource_properties,
        Request::Delete(r) => &r.resource_properties,
        _ => unreachable!("a known request"),
    };
    let declared = Declared {
        stack_id: STACK_ID.into(),
        attachments: vec![Properties::from_value(properties).unwrap()],
    };
    cognito_trigger_attach::handle(known, &declared, clients).await
}

/// Why the handler failed.
fn reason(response: &Response) -> &str {
    response.reason.as_deref().unwrap_or_default()
}

/// The servers, and clients of them through the environment, as the
/// function gets them.
struct World {
    cognito: CognitoLocal,
    /// Serves Lambda until the world is dropped.
    _moto: Moto,
    role: String,
    /// Answers at `url` until the world is dropped.
    _endpoint: Server,
    url: String,
    received: mpsc::Receiver<(String, Option<String>, Value)>,
}

impl World {
    async fn start() -> World {
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
        let moto = Moto::start().unwrap();
        // SAFETY: set before any other thread of this test binary reads them
        // (it has this one test).
        unsafe {
            std::env::set_var(
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                format!("http://{}", cognito.address()),
            );
            std::env::set_var("AWS_ENDPOINT_URL_LAMBDA", moto.endpoint());
            std::env::set_var("AWS_REGION", "us-east-1");
            std::env::set_var("AWS_ACCESS_KEY_ID", "test");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        }
        let role = create_role(&moto);
        let (endpoint, received) = response_endpoint();
        World {
            cognito,
            _moto: moto,
            role,
            url: format!("http://{}/response", endpoint.address()),
            _endpoint: endpoint,
            received,
        }
    }

    /// Clients that read the pool again right after writing it, for
    /// scenarios where nothing else writes the pool meanwhile.
    async fn sequential_clients(&self) -> Clients {
        Clients {
            settle: Duration::ZERO,
            ..Clients::from_env().await
        }
    }

    /// A Lambda function named `name`, in moto.
    async fn function(&self, clients: &Clients, name: &str) -> String {
        let function = clients
            .lambda
            .create_function()
            .function_name(name)
            .role(&self.role)
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
        function.function_arn.unwrap()
    }

    /// A pool created with `settings`: its ID and ARN.
    fn pool(&self, settings: Value) -> (String, String) {
        let created = self.cognito.ok("CreateUserPool", &settings).unwrap();
        let pool = &created["UserPool"];
        (
            pool["Id"].as_str().unwrap().to_owned(),
            pool["Arn"].as_str().unwrap().to_owned(),
        )
    }

    fn describe(&self, pool_id: &str) -> Value {
        self.cognito
            .ok("DescribeUserPool", &json!({"UserPoolId": pool_id}))
            .unwrap()["UserPool"]
            .clone()
    }
}

/// Another team's function, holding a trigger of the existing pools.
const OTHER: &str = "arn:aws:lambda:us-east-1:123456789012:function:someone-else";

/// One process of servers for every scenario: the clients are configured
/// through the environment, which only one thread may set.
#[tokio::test(flavor = "current_thread")]
async fn existing_pools() {
    let world = World::start().await;
    attaches_to_an_existing_pool_and_detaches_exactly(&world).await;
    concurrent_attachments_never_both_succeed_with_a_trigger_lost(&world).await;
    a_write_undone_behind_the_handlers_back_fails(&world).await;
    a_pool_that_sends_sms_keeps_its_sms_configuration(&world).await;
}

async fn attaches_to_an_existing_pool_and_detaches_exactly(world: &World) {
    let World {
        cognito,
        url,
        received,
        ..
    } = world;
    let url = url.as_str();
    let clients = world.sequential_clients().await;
    let function_arn = world.function(&clients, "users").await;
    let other = OTHER;

    // The pool the stack does not own, with settings and another team's trigger.
    let (pool_id, pool_arn) = world.pool(json!({
        "PoolName": "legacy-user-pool",
        "AutoVerifiedAttributes": ["email"],
        "EmailVerificationSubject": "Keep this subject",
        "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
        "LambdaConfig": {"PostConfirmation": other}
    }));
    let describe = || world.describe(&pool_id);

    // Create, by name: our trigger is added, everything else stays.
    let create = request(
        "Create",
        properties("legacy-user-pool", &function_arn, &["CustomMessage"]),
        None,
        None,
        url,
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
    respond::send(KnownRequest::of(&create).unwrap().response_url(), &response)
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
    assert_eq!(body["StackId"], STACK_ID);
    assert_eq!(body["RequestId"], "request-Create");
    assert_eq!(body["LogicalResourceId"], "UsersAttachment");
    assert_eq!(body["Data"]["UserPoolId"], pool_id.as_str());

    // Update with another trigger: the dropped trigger is taken back.
    let update = request(
        "Update",
        properties("legacy-user-pool", &function_arn, &["PreSignUp"]),
        Some(properties(
            "legacy-user-pool",
            &function_arn,
            &["CustomMessage"],
        )),
        Some(&response.physical_resource_id),
        url,
    );
    succeeded(&handle(&update, &clients).await);
    let pool = describe();
    assert_eq!(pool["LambdaConfig"]["PreSignUp"], function_arn.as_str());
    assert!(pool["LambdaConfig"]["CustomMessage"].is_null(), "{pool}");
    assert_eq!(pool["LambdaConfig"]["PostConfirmation"], other);

    // Another function's trigger is never taken over.
    let taken = request(
        "Create",
        properties("legacy-user-pool", &function_arn, &["PostConfirmation"]),
        None,
        None,
        url,
    );
    let response = handle(&taken, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        reason(&response).contains("never replaces another function's trigger"),
        "{}",
        reason(&response)
    );
    assert_eq!(describe()["LambdaConfig"]["PostConfirmation"], other);

    // A failed create's rollback delete succeeds without touching anything.
    let rollback = request(
        "Delete",
        properties("legacy-user-pool", &function_arn, &["PostConfirmation"]),
        None,
        Some(&response.physical_resource_id),
        url,
    );
    succeeded(&handle(&rollback, &clients).await);
    assert_eq!(describe()["LambdaConfig"]["PostConfirmation"], other);

    // Delete removes exactly what this resource added.
    let delete = request(
        "Delete",
        properties("legacy-user-pool", &function_arn, &["PreSignUp"]),
        None,
        Some(&format!("{pool_id}/users")),
        url,
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
        url,
    );
    let response = handle(&ambiguous, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        reason(&response).starts_with("2 user pools are named \"twin\""),
        "{}",
        reason(&response)
    );

    let missing = request(
        "Create",
        properties("no-such-pool", &function_arn, &["PreSignUp"]),
        None,
        None,
        url,
    );
    let response = handle(&missing, &clients).await;
    assert_eq!(response.status, Status::Failed);
    assert!(
        reason(&response).contains("no user pool no-such-pool"),
        "{}",
        reason(&response)
    );
}

/// Two attachments to one pool at once, as CloudFormation would run them
/// without the template's `DependsOn` chain: each reads the pool and writes
/// it whole, so one write can undo the other. That one must answer FAILED:
/// never two SUCCESS with a trigger missing.
async fn concurrent_attachments_never_both_succeed_with_a_trigger_lost(world: &World) {
    // The production delay before reading the pool again.
    let clients = Clients::from_env().await;
    let first = world.function(&clients, "first").await;
    let second = world.function(&clients, "second").await;
    let mut lost = 0;
    for round in 0..3 {
        let pool = format!("shared-{round}");
        let (pool_id, _) = world.pool(json!({
            "PoolName": pool,
            "LambdaConfig": {"PostConfirmation": OTHER}
        }));
        let attach = |function: &str, trigger: &str| {
            request(
                "Create",
                properties(&pool, function, &[trigger]),
                None,
                None,
                &world.url,
            )
        };
        let (a, b) = (
            attach(&first, "PreSignUp"),
            attach(&second, "CustomMessage"),
        );
        let (answer_a, answer_b) = tokio::join!(handle(&a, &clients), handle(&b, &clients));
        let config = world.describe(&pool_id)["LambdaConfig"].clone();
        assert_eq!(config["PostConfirmation"], OTHER, "round {round}: {config}");
        for (answer, trigger, function, bin) in [
            (&answer_a, "PreSignUp", &first, "first"),
            (&answer_b, "CustomMessage", &second, "second"),
        ] {
            let present = config[trigger] == function.as_str();
            assert_eq!(
                answer.status == Status::Success,
                present,
                "round {round}: {trigger} present: {present}, answer: {answer:?}"
            );
            if !present {
                lost += 1;
                assert!(
                    reason(answer).contains(&format!(
                        "its {trigger} trigger is not set instead of {function}"
                    )),
                    "{}",
                    reason(answer)
                );
                // The rollback's Delete can take back what the pool holds of
                // it, and takes nothing of the other's.
                assert_eq!(answer.physical_resource_id, format!("{pool_id}/{bin}"));
                let rollback = request(
                    "Delete",
                    properties(&pool, function, &[trigger]),
                    None,
                    Some(&answer.physical_resource_id),
                    &world.url,
                );
                succeeded(&handle(&rollback, &clients).await);
                assert_eq!(world.describe(&pool_id)["LambdaConfig"], config);
            }
        }
    }
    // Otherwise the race this guards against did not happen.
    assert!(lost > 0, "no write was lost in 3 rounds of two at once");
}

/// Someone rewrites the pool from a copy read before the handler's write,
/// after that write and before the handler reads the pool again: the
/// handler answers FAILED and says what was undone.
async fn a_write_undone_behind_the_handlers_back_fails(world: &World) {
    use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
    // The production delay before reading the pool again.
    let clients = Clients::from_env().await;
    let function = world.function(&clients, "undone").await;
    let changed = "arn:aws:lambda:us-east-1:123456789012:function:changed";
    let another = "arn:aws:lambda:us-east-1:123456789012:function:another";
    let pool = "rewritten";
    let (pool_id, _) = world.pool(json!({
        "PoolName": pool,
        "LambdaConfig": {"PostConfirmation": OTHER, "CustomMessage": another}
    }));
    let create = request(
        "Create",
        properties(pool, &function, &["PreSignUp"]),
        None,
        None,
        &world.url,
    );
    let rewrite = async {
        loop {
            let pool = clients
                .cognito
                .describe_user_pool()
                .user_pool_id(&pool_id)
                .send()
                .await
                .unwrap()
                .user_pool
                .unwrap();
            let config = pool.lambda_config.unwrap();
            if config.pre_sign_up.as_deref() == Some(function.as_str()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        clients
            .cognito
            .update_user_pool()
            .user_pool_id(&pool_id)
            .lambda_config(
                LambdaConfigType::builder()
                    .post_confirmation(changed)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    };
    let (answer, ()) = tokio::join!(handle(&create, &clients), rewrite);
    assert_eq!(answer.status, Status::Failed);
    for undone in [
        format!("its PreSignUp trigger is not set instead of {function}"),
        format!("its PostConfirmation trigger, {OTHER} before this write, is now {changed}"),
        format!("its CustomMessage trigger, {another} before this write, is now not set"),
    ] {
        assert!(reason(&answer).contains(&undone), "{}", reason(&answer));
    }
    assert!(
        reason(&answer).starts_with(&format!(
            "pool {pool_id} changed after this resource wrote its triggers: "
        )),
        "{}",
        reason(&answer)
    );
}

/// UpdateUserPool resets what it is not given: a pool whose SMS messages go
/// through an SNS role keeps that configuration (the attach role may pass
/// the role back to Cognito: iam:PassRole in the template).
async fn a_pool_that_sends_sms_keeps_its_sms_configuration(world: &World) {
    let clients = world.sequential_clients().await;
    let function = world.function(&clients, "sms").await;
    let sms = json!({
        "SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms",
        "ExternalId": "legacy-sms",
        "SnsRegion": "us-east-1"
    });
    let pool = "sms";
    let (pool_id, _) = world.pool(json!({
        "PoolName": pool,
        "SmsConfiguration": sms,
        "SmsAuthenticationMessage": "Your code is {####}",
        "SmsVerificationMessage": "Your verification code is {####}"
    }));
    let triggers = properties(pool, &function, &["PreSignUp"]);
    let create = request("Create", triggers.clone(), None, None, &world.url);
    succeeded(&handle(&create, &clients).await);
    let pool = world.describe(&pool_id);
    assert_eq!(pool["LambdaConfig"]["PreSignUp"], function.as_str());
    assert_eq!(pool["SmsConfiguration"], sms);
    assert_eq!(pool["SmsAuthenticationMessage"], "Your code is {####}");
    assert_eq!(
        pool["SmsVerificationMessage"],
        "Your verification code is {####}"
    );

    let delete = request(
        "Delete",
        triggers,
        None,
        Some(&format!("{pool_id}/sms")),
        &world.url,
    );
    succeeded(&handle(&delete, &clients).await);
    let pool = world.describe(&pool_id);
    assert!(pool["LambdaConfig"]["PreSignUp"].is_null(), "{pool}");
    assert_eq!(pool["SmsConfiguration"], sms);
}
