//! A function process gets the environment Lambda would give it: the
//! template's variables (those known without a deployment), Lambda's own,
//! the server's `AWS_*`, and the overrides; nothing else.
//!
//! One test in this file: it sets a variable of the test process itself.

use cognito_trigger::events::{PreTokenGenerationEvent, TokenGenerationSource};
use cognito_trigger_local::{EnvOverride, Options, Server, functions, local_region, package_of};
use cognito_trigger_support::http::call;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[test]
fn a_process_gets_the_templates_lambdas_and_the_servers_aws_variables() {
    // SAFETY: the only test of this binary, and no other thread runs yet.
    unsafe {
        std::env::set_var(
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "http://127.0.0.1:9229",
        )
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut package = package_of(dir).unwrap();
    let properties = &mut package.template["Resources"]["InspectLambdaFunction"]["Properties"];
    properties["MemorySize"] = json!(256);
    properties["LoggingConfig"]["LogFormat"] = json!("JSON");
    properties["Environment"]["Variables"] = json!({
        "GREETING": "hello",
        "RETRIES": 3,
        "REGION": {"Ref": "AWS::Region"},
        "POOL_ID": {"Ref": "CognitoUserPoolBrokenPool"},
        "OVERRIDDEN": "by the template",
        "AWS_LAMBDA_FUNCTION_NAME": "not Lambda's",
    });
    let binaries: Vec<(String, PathBuf)> = [
        ("misbehave", env!("CARGO_BIN_EXE_misbehave")),
        ("misroute", env!("CARGO_BIN_EXE_misroute")),
        ("inspect", env!("CARGO_BIN_EXE_inspect")),
    ]
    .into_iter()
    .map(|(name, path)| (name.to_owned(), PathBuf::from(path)))
    .collect();
    let functions = functions(&package, &binaries).unwrap();
    let inspect = functions.iter().find(|f| f.bin == "inspect").unwrap();
    assert_eq!(inspect.unresolved, ["POOL_ID"]);
    let server = Server::start_with(
        functions,
        0,
        Options {
            env: vec![
                EnvOverride::all("OVERRIDDEN", "for all"),
                EnvOverride::all("EVERYWHERE", "yes"),
                EnvOverride::only("inspect", "OVERRIDDEN", "for inspect"),
                EnvOverride::only("MisbehaveLambdaFunction", "ELSEWHERE", "no"),
            ],
            ..Options::default()
        },
    )
    .unwrap();

    let event = PreTokenGenerationEvent::sample(TokenGenerationSource::Authentication);
    let response = call(
        server.address(),
        "POST",
        "/2015-03-31/functions/InspectLambdaFunction/invocations",
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    assert_eq!(response.status, 200);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    let env = &body["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"];
    let region = local_region();
    let expected = [
        ("GREETING", "hello"),
        ("RETRIES", "3"),
        ("REGION", region.as_str()),
        ("OVERRIDDEN", "for inspect"),
        ("EVERYWHERE", "yes"),
        ("AWS_LAMBDA_FUNCTION_NAME", "InspectLambdaFunction"),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            "/aws/lambda/InspectLambdaFunction",
        ),
        ("AWS_LAMBDA_LOG_FORMAT", "JSON"),
        ("AWS_REGION", region.as_str()),
        ("AWS_DEFAULT_REGION", region.as_str()),
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "http://127.0.0.1:9229",
        ),
    ];
    for (name, value) in expected {
        assert_eq!(env[name], value, "{name} in {env}");
    }
    let stream = env["AWS_LAMBDA_LOG_STREAM_NAME"].as_str().unwrap();
    let (day, id) = stream.split_once("/[$LATEST]").unwrap();
    assert_eq!((day.len(), id.len()), (10, 32), "{stream}");
    for absent in ["POOL_ID", "ELSEWHERE", "HOME", "CARGO_MANIFEST_DIR"] {
        assert!(env.get(absent).is_none(), "{absent} in {env}");
    }
}
