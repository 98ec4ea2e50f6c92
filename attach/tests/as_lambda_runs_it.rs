//! The attach function as Lambda runs it: this test binary's `main` is
//! `cognito_trigger_attach::run()` when started under a Lambda runtime API
//! (the `testing` feature's loopback one), with the environment the template
//! gives it, against cognito-local and moto (installed by .ci/run) behind
//! proxies that record every AWS call the function makes. It checks what
//! the library's internals would hide: the function acts only on the
//! template's attachments, answers only CloudFormation's URLs or loopback,
//! survives a re-created pool's replacement, and never leaves a trigger
//! without its permission.

use cognito_trigger::testing::{LambdaProcess, Reply};
use cognito_trigger_attach::declared::{NOT_DECLARED, VARIABLE};
use cognito_trigger_support::emulator::{CognitoLocal, Moto};
use cognito_trigger_support::http::{self, Server, call};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

fn main() {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return cognito_trigger_attach::run();
    }
    // `cargo test --test as_lambda_runs_it -- <part of a name>` runs those only.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let scenarios: [(&str, Scenario); 4] = [
        (
            "forged_requests_are_refused_before_any_aws_call",
            forged_requests_are_refused_before_any_aws_call,
        ),
        (
            "answers_go_only_to_cloudformation_or_loopback",
            answers_go_only_to_cloudformation_or_loopback,
        ),
        (
            "a_recreated_pools_replacement_keeps_the_new_pools_triggers",
            a_recreated_pools_replacement_keeps_the_new_pools_triggers,
        ),
        (
            "the_permission_is_there_whenever_the_trigger_is",
            the_permission_is_there_whenever_the_trigger_is,
        ),
    ];
    let world = World::start();
    for (name, scenario) in scenarios {
        if filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())) {
            println!("scenario {name}");
            scenario(&world);
        }
    }
    println!("as_lambda_runs_it: every scenario passed");
}

/// One check, run against the shared servers.
type Scenario = fn(&World);

const STACK_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/attach/1";
const OTHER_STACK: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/elsewhere/2";
/// Another team's functions, holding triggers of the pools.
const OTHER: &str = "arn:aws:lambda:us-east-1:123456789012:function:someone-else";
const GUARD: &str = "arn:aws:lambda:us-east-1:123456789012:function:guard";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A server that passes every request on to `target` and records its AWS
/// action: `X-Amz-Target`'s operation (Cognito), else method and path (Lambda).
struct Recorder {
    server: Server,
    calls: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start(target: SocketAddr) -> Recorder {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let recorded = calls.clone();
        let server = Server::start(move |request| {
            let action = match request.header("x-amz-target") {
                Some(target) => target.rsplit('.').next().unwrap_or(target).to_owned(),
                None => format!("{} {}", request.method, request.path),
            };
            recorded.lock().unwrap().push(action);
            let headers: Vec<(&str, &str)> = request
                .headers
                .iter()
                .filter(|(n, _)| n != "host" && n != "content-length")
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            match call(
                target,
                &request.method,
                &request.path,
                &headers,
                &request.body,
            ) {
                Ok(answer) => http::Response {
                    status: answer.status,
                    headers: answer
                        .headers
                        .into_iter()
                        .filter(|(n, _)| {
                            !["content-length", "transfer-encoding", "connection"]
                                .contains(&n.as_str())
                        })
                        .collect(),
                    body: answer.body,
                },
                Err(error) => http::Response {
                    body: error.to_string().into_bytes(),
                    ..http::Response::new(502)
                },
            }
        })
        .unwrap();
        Recorder { server, calls }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.calls.lock().unwrap())
    }
}

/// The calls that change something: UpdateUserPool, AddPermission
/// (`POST .../policy`) and RemovePermission (`DELETE .../policy/<sid>`).
fn writes(calls: &[String]) -> Vec<&String> {
    calls
        .iter()
        .filter(|c| {
            c.as_str() == "UpdateUserPool"
                || (c.contains("/policy") && (c.starts_with("POST") || c.starts_with("DELETE")))
        })
        .collect()
}

struct World {
    cognito: CognitoLocal,
    moto: Moto,
    cognito_proxy: Recorder,
    lambda_proxy: Recorder,
    /// Stands in for CloudFormation's response URL: every PUT's body.
    _endpoint: Server,
    url: String,
    answers: Mutex<mpsc::Receiver<Value>>,
}

impl World {
    fn start() -> World {
        let cognito = CognitoLocal::start(
            &workspace().join("tests/e2e/node_modules/cognito-local/lib/bin/start.js"),
            &workspace().join(format!(
                "target/tests/attach-lambda-cognito-local-{}",
                std::process::id()
            )),
            &json!({}),
            None,
        )
        .unwrap();
        let moto = Moto::start().unwrap();
        let cognito_proxy = Recorder::start(cognito.address());
        let lambda_proxy = Recorder::start(moto.address());
        let (sender, answers) = mpsc::channel();
        let endpoint = Server::start(move |request| {
            let _ = sender.send(serde_json::from_slice(&request.body).unwrap_or(Value::Null));
            http::Response::new(200)
        })
        .unwrap();
        let world = World {
            url: format!("http://{}/signed?X-Amz-Signature=abc", endpoint.address()),
            cognito,
            moto,
            cognito_proxy,
            lambda_proxy,
            _endpoint: endpoint,
            answers: Mutex::new(answers),
        };
        world.iam_role();
        world
    }

    /// The attach function, given `declared` as the template gives it.
    fn function(&self, declared: &[Value]) -> LambdaProcess {
        let declared = json!({"StackId": STACK_ID, "Attachments": declared});
        LambdaProcess::new(std::env::current_exe().unwrap(), "attach")
            .env_clear()
            .timeout(Duration::from_secs(60))
            .env(VARIABLE, declared.to_string())
            .env(
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                format!("http://{}", self.cognito_proxy.server.address()),
            )
            .env(
                "AWS_ENDPOINT_URL_LAMBDA",
                format!("http://{}", self.lambda_proxy.server.address()),
            )
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_EC2_METADATA_DISABLED", "true")
    }

    /// Sends `request` to `function`: its answer at the response URL.
    fn invoke(&self, function: &mut LambdaProcess, request: &Value) -> Value {
        let reply = function.invoke(request.to_string().as_bytes()).unwrap();
        assert_eq!(reply, Reply::Response(b"null".to_vec()), "{request}");
        self.answers
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(10))
            .unwrap()
    }

    fn iam_role(&self) {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let body = format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=trigger&AssumeRolePolicyDocument={}",
            policy
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        );
        let response = call(
            self.moto.address(),
            "POST",
            "/",
            &headers("iam", "application/x-www-form-urlencoded"),
            body.as_bytes(),
        )
        .unwrap();
        assert_eq!(
            response.status,
            200,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
    }

    /// A Lambda function named `name` in moto: its ARN.
    fn lambda_function(&self, name: &str) -> String {
        // "zip" is no zip archive; moto keeps it as the code all the same.
        let body = json!({
            "FunctionName": name, "Role": "arn:aws:iam::123456789012:role/trigger",
            "Handler": "bootstrap", "Runtime": "provided.al2023", "Code": {"ZipFile": "emlw"}
        });
        let response = call(
            self.moto.address(),
            "POST",
            "/2015-03-31/functions",
            &headers("lambda", "application/json"),
            body.to_string().as_bytes(),
        )
        .unwrap();
        assert_eq!(
            response.status,
            201,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
        let created: Value = serde_json::from_slice(&response.body).unwrap();
        created["FunctionArn"].as_str().unwrap().to_owned()
    }

    /// The function's resource policy statement for the pool, if any.
    fn statement(&self, function: &str, pool_id: &str) -> Option<Value> {
        let name = function.rsplit(':').next().unwrap();
        let response = call(
            self.moto.address(),
            "GET",
            &format!("/2015-03-31/functions/{name}/policy"),
            &headers("lambda", "application/json"),
            b"",
        )
        .unwrap();
        if response.status == 404 {
            return None;
        }
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        let policy: Value = serde_json::from_str(body["Policy"].as_str()?).ok()?;
        policy["Statement"]
            .as_array()?
            .iter()
            .find(|s| s["Sid"] == format!("cognito-trigger-{pool_id}"))
            .cloned()
    }

    /// A pool created with `settings`: its ID.
    fn pool(&self, settings: Value) -> String {
        let created = self.cognito.ok("CreateUserPool", &settings).unwrap();
        created["UserPool"]["Id"].as_str().unwrap().to_owned()
    }

    fn describe(&self, pool_id: &str) -> Value {
        self.cognito
            .ok("DescribeUserPool", &json!({"UserPoolId": pool_id}))
            .unwrap()["UserPool"]
            .clone()
    }

    /// Both proxies' calls since the last time, emptied.
    fn calls(&self) -> Vec<String> {
        let mut calls = self.cognito_proxy.take();
        calls.extend(self.lambda_proxy.take());
        calls
    }
}

/// Signed as the SDK would; moto reads the region and service from the
/// credential scope and checks no signature.
fn headers(service: &str, content_type: &'static str) -> [(&'static str, &'static str); 2] {
    let authorization: &'static str = Box::leak(
        format!("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0").into_boxed_str(),
    );
    [
        ("Content-Type", content_type),
        ("Authorization", authorization),
    ]
}

fn attachment(pool: &str, function: &str, triggers: &[&str]) -> Value {
    let triggers: Vec<Value> = triggers.iter().map(|t| json!({"Trigger": t})).collect();
    json!({"UserPool": pool, "FunctionArn": function, "Triggers": triggers})
}

/// A custom resource request as CloudFormation sends it.
fn request(
    kind: &str,
    stack: &str,
    properties: &Value,
    old: Option<&Value>,
    physical_id: Option<&str>,
    url: &str,
) -> Value {
    let mut properties = properties.clone();
    properties["ServiceToken"] = json!("arn:aws:lambda:us-east-1:123456789012:function:attach");
    let mut request = json!({
        "RequestType": kind, "ResponseURL": url, "StackId": stack,
        "RequestId": format!("{kind}-{}", std::process::id()),
        "ResourceType": "Custom::CognitoTriggerAttachment", "LogicalResourceId": "UsersAttachment",
        "ResourceProperties": properties,
    });
    if let Some(old) = old {
        let mut old = old.clone();
        old["ServiceToken"] = properties["ServiceToken"].clone();
        request["OldResourceProperties"] = old;
    }
    if let Some(id) = physical_id {
        request["PhysicalResourceId"] = json!(id);
    }
    request
}

/// Requests of another stack, or naming a pool, function or trigger the
/// template does not declare: answered FAILED, with a reason that names
/// nothing of any pool, and without a single AWS call.
fn forged_requests_are_refused_before_any_aws_call(world: &World) {
    let users = world.lambda_function("forged-users");
    let legacy = world
        .pool(json!({"PoolName": "forged-legacy", "LambdaConfig": {"PostConfirmation": OTHER}}));
    let victim = world
        .pool(json!({"PoolName": "forged-victim", "LambdaConfig": {"PreAuthentication": GUARD}}));
    let declared = attachment("forged-legacy", &users, &["CustomMessage"]);
    let mut function = world.function(std::slice::from_ref(&declared));
    let url = &world.url;
    let legacy_id = format!("{legacy}/forged-users");
    let forged = [
        (
            "a Create on another pool",
            request(
                "Create",
                STACK_ID,
                &attachment("forged-victim", &users, &["UserMigration"]),
                None,
                None,
                url,
            ),
        ),
        (
            "a Create of another function",
            request(
                "Create",
                STACK_ID,
                &attachment(
                    "forged-legacy",
                    OTHER.replace("someone-else", "evil").as_str(),
                    &["CustomMessage"],
                ),
                None,
                None,
                url,
            ),
        ),
        (
            "a Create of another trigger",
            request(
                "Create",
                STACK_ID,
                &attachment("forged-legacy", &users, &["PreTokenGeneration"]),
                None,
                None,
                url,
            ),
        ),
        (
            "a Create from another stack",
            request("Create", OTHER_STACK, &declared, None, None, url),
        ),
        (
            "an Update to another trigger",
            request(
                "Update",
                STACK_ID,
                &attachment("forged-legacy", &users, &["UserMigration"]),
                Some(&declared),
                Some(&legacy_id),
                url,
            ),
        ),
        (
            "an Update from another stack",
            request(
                "Update",
                OTHER_STACK,
                &declared,
                Some(&declared),
                Some(&legacy_id),
                url,
            ),
        ),
        (
            "a Delete of another pool's guard",
            request(
                "Delete",
                STACK_ID,
                &attachment("forged-victim", GUARD, &["PreAuthentication"]),
                None,
                Some(&format!("{victim}/guard")),
                url,
            ),
        ),
        (
            "a Delete of another trigger",
            request(
                "Delete",
                STACK_ID,
                &attachment("forged-legacy", &users, &["PostConfirmation"]),
                None,
                Some(&legacy_id),
                url,
            ),
        ),
        (
            "a Delete from another stack",
            request(
                "Delete",
                OTHER_STACK,
                &declared,
                None,
                Some(&legacy_id),
                url,
            ),
        ),
    ];
    let before = (world.describe(&legacy), world.describe(&victim));
    world.calls();
    for (what, request) in &forged {
        let answer = world.invoke(&mut function, request);
        assert_eq!(answer["Status"], "FAILED", "{what}: {answer}");
        assert_eq!(answer["Reason"], NOT_DECLARED, "{what}");
        assert!(
            answer
                .get("Data")
                .is_none_or(|d| d.as_object().is_none_or(|m| m.is_empty())),
            "{what}: {answer}"
        );
        assert_eq!(world.calls(), Vec::<String>::new(), "{what}: AWS calls");
    }
    assert_eq!((world.describe(&legacy), world.describe(&victim)), before);

    // The declared attachment's Delete, with a physical ID of another pool:
    // the pool is read (to tell whether it has the declared name), never written.
    let other_pool = request(
        "Delete",
        STACK_ID,
        &declared,
        None,
        Some(&format!("{victim}/forged-users")),
        url,
    );
    let answer = world.invoke(&mut function, &other_pool);
    assert_eq!(answer["Status"], "FAILED", "{answer}");
    assert_eq!(answer["Reason"], NOT_DECLARED);
    assert_eq!(writes(&world.calls()), Vec::<&String>::new());
    assert_eq!(world.describe(&victim), before.1);

    // The declared one is acted on.
    let create = request("Create", STACK_ID, &declared, None, None, url);
    let answer = world.invoke(&mut function, &create);
    assert_eq!(answer["Status"], "SUCCESS", "{answer}");
    assert_eq!(
        world.describe(&legacy)["LambdaConfig"]["CustomMessage"],
        users.as_str()
    );
}

/// A request whose ResponseURL is not CloudFormation's (nor loopback) gets
/// no action and no answer: the invocation fails, saying why.
fn answers_go_only_to_cloudformation_or_loopback(world: &World) {
    let users = world.lambda_function("url-users");
    let pool = world.pool(json!({"PoolName": "url-pool"}));
    let declared = attachment("url-pool", &users, &["PreSignUp"]);
    let mut function = world.function(std::slice::from_ref(&declared));
    world.calls();
    for url in [
        "http://example.invalid/response",
        "https://example.invalid/response",
        "http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    ] {
        let create = request("Create", STACK_ID, &declared, None, None, url);
        let reply = function.invoke(create.to_string().as_bytes()).unwrap();
        let Reply::Error { error_message, .. } = reply else {
            panic!("{url}: answered {reply:?}");
        };
        assert!(
            error_message.starts_with("the ResponseURL is not CloudFormation's"),
            "{url}: {error_message}"
        );
        assert_eq!(world.calls(), Vec::<String>::new(), "{url}: AWS calls");
        assert!(
            world.describe(&pool)["LambdaConfig"]["PreSignUp"].is_null(),
            "{url}"
        );
    }
}

/// A pool named by name is deleted and created again: the Update attaches
/// to the new pool (a new physical ID), then CloudFormation deletes the old
/// resource. That Delete must act on the old pool, leaving the new one's
/// trigger and permission in place.
fn a_recreated_pools_replacement_keeps_the_new_pools_triggers(world: &World) {
    let users = world.lambda_function("recreated-users");
    let first = world.pool(json!({"PoolName": "recreated"}));
    let declared = attachment("recreated", &users, &["PreSignUp"]);
    let mut function = world.function(std::slice::from_ref(&declared));
    let url = &world.url;
    let mut old = declared.clone();
    old["DeployId"] = json!("1");
    let answer = world.invoke(
        &mut function,
        &request("Create", STACK_ID, &old, None, None, url),
    );
    assert_eq!(answer["Status"], "SUCCESS", "{answer}");
    let old_id = answer["PhysicalResourceId"].as_str().unwrap().to_owned();
    assert_eq!(old_id, format!("{first}/recreated-users"));

    world
        .cognito
        .ok("DeleteUserPool", &json!({"UserPoolId": first}))
        .unwrap();
    let second = world.pool(json!({"PoolName": "recreated"}));
    let mut new = declared.clone();
    new["DeployId"] = json!("2");
    let update = request("Update", STACK_ID, &new, Some(&old), Some(&old_id), url);
    let answer = world.invoke(&mut function, &update);
    assert_eq!(answer["Status"], "SUCCESS", "{answer}");
    assert_eq!(
        answer["PhysicalResourceId"],
        format!("{second}/recreated-users")
    );
    assert_eq!(
        world.describe(&second)["LambdaConfig"]["PreSignUp"],
        users.as_str()
    );

    // CloudFormation's cleanup: the old resource, with its old properties.
    let cleanup = request("Delete", STACK_ID, &old, None, Some(&old_id), url);
    let answer = world.invoke(&mut function, &cleanup);
    assert_eq!(answer["Status"], "SUCCESS", "{answer}");
    let config = &world.describe(&second)["LambdaConfig"];
    assert_eq!(
        config["PreSignUp"],
        users.as_str(),
        "the new pool's trigger: {config}"
    );
    assert!(
        world.statement(&users, &second).is_some(),
        "the new pool's permission"
    );
    assert!(
        world.statement(&users, &first).is_none(),
        "the old pool's permission"
    );
}

/// Watched from outside while the function creates, re-applies and deletes
/// the attachment: the pool never names the function while the function's
/// permission for the pool is missing, and a re-apply that changes nothing
/// leaves the statement alone.
fn the_permission_is_there_whenever_the_trigger_is(world: &World) {
    let users = world.lambda_function("guarded-users");
    let pool = world.pool(json!({"PoolName": "guarded"}));
    let declared = attachment("guarded", &users, &["PreSignUp"]);
    let mut function = world.function(std::slice::from_ref(&declared));
    let url = &world.url;
    let done = AtomicBool::new(false);
    let gaps = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) && !std::thread::panicking() {
                // The permission read first: had it been there and gone by
                // the time the trigger is read, the gap is real all the same.
                let statement = world.statement(&users, &pool);
                let trigger = world.describe(&pool)["LambdaConfig"]["PreSignUp"].clone();
                let mut gaps = gaps.lock().unwrap();
                // Once is enough to say so.
                if trigger == users.as_str() && statement.is_none() && gaps.is_empty() {
                    gaps.push("the trigger without its permission");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let mut old = declared.clone();
        old["DeployId"] = json!("1");
        let answer = world.invoke(
            &mut function,
            &request("Create", STACK_ID, &old, None, None, url),
        );
        assert_eq!(answer["Status"], "SUCCESS", "{answer}");
        let physical_id = answer["PhysicalResourceId"].as_str().unwrap().to_owned();
        assert_eq!(*gaps.lock().unwrap(), Vec::<&str>::new(), "on create");
        world.calls();

        let mut new = declared.clone();
        new["DeployId"] = json!("2");
        let answer = world.invoke(
            &mut function,
            &request(
                "Update",
                STACK_ID,
                &new,
                Some(&old),
                Some(&physical_id),
                url,
            ),
        );
        assert_eq!(answer["Status"], "SUCCESS", "{answer}");
        let permission_writes: Vec<String> = world
            .calls()
            .into_iter()
            .filter(|c| c.contains("/policy") && !c.starts_with("GET"))
            .collect();
        assert_eq!(
            permission_writes,
            Vec::<String>::new(),
            "a re-apply that changes nothing"
        );

        let answer = world.invoke(
            &mut function,
            &request("Delete", STACK_ID, &new, None, Some(&physical_id), url),
        );
        assert_eq!(answer["Status"], "SUCCESS", "{answer}");
        done.store(true, Ordering::Relaxed);
    });
    assert_eq!(gaps.into_inner().unwrap(), Vec::<&str>::new());
    assert!(world.describe(&pool)["LambdaConfig"]["PreSignUp"].is_null());
    assert!(world.statement(&users, &pool).is_none());
}
