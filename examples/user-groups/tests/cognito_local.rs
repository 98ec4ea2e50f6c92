//! The trigger calls its own pool under cognito-local: cognito-local invokes
//! the built `add_to_group` through cognito-trigger-local's Lambda invoke
//! API, and the function's AWS SDK reaches cognito-local's Cognito API
//! through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, everything on
//! 127.0.0.1.
//!
//! cognito-local is installed by .ci/run (`npm ci --prefix tests/e2e`); without
//! it this test fails, it is never skipped.

use cognito_trigger_local::{EnvOverride, Options, Server, cognito_local_config, functions_in};
use cognito_trigger_support::emulator::{CognitoLocal, free_port};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// cognito-local fixes every code it sends to this (its `CODE` variable).
const CODE: &str = "123456";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn a_confirmed_user_is_added_to_the_group_by_the_trigger() {
    let functions = functions_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[("add_to_group", env!("CARGO_BIN_EXE_add_to_group"))],
    )
    .unwrap();
    // Each needs the other's address: the server's port is chosen first.
    let port = free_port().unwrap();
    let config = cognito_local_config(&functions, &format!("http://127.0.0.1:{port}")).unwrap();
    let workspace = workspace();
    let cognito = CognitoLocal::start(
        &workspace.join("tests/e2e/node_modules/cognito-local/lib/bin/start.js"),
        &workspace.join(format!(
            "target/tests/cognito-local-groups-{}",
            std::process::id()
        )),
        &config,
        Some(CODE),
    )
    .unwrap();
    let endpoint = format!("http://{}", cognito.address());
    let env = [
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            endpoint.as_str(),
        ),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
    ]
    .map(|(name, value)| EnvOverride {
        function: None,
        name: name.to_owned(),
        value: value.to_owned(),
    })
    .to_vec();
    let server = Server::start_with(
        functions,
        port,
        Options {
            env,
            ..Options::default()
        },
    )
    .unwrap();
    let ok = |action: &str, body: Value| cognito.ok(action, &body).unwrap();

    let pool = ok("CreateUserPool", json!({"PoolName": "Members"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    ok(
        "CreateGroup",
        json!({"UserPoolId": pool_id, "GroupName": "members"}),
    );
    let client = ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web"}),
    );
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    ok(
        "SignUp",
        json!({"ClientId": client_id, "Username": "jane@example.com", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "jane@example.com"}]}),
    );
    // The members' emails (cognito-local names a user by its `sub` when
    // the email is an alias, so the group is asked for its users).
    let members = || {
        let listed = ok(
            "ListUsersInGroup",
            json!({"UserPoolId": pool_id, "GroupName": "members"}),
        );
        listed["Users"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|u| u["Attributes"].as_array().unwrap().clone())
            .filter(|a| a["Name"] == "email")
            .map(|a| a["Value"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(members().is_empty(), "not before the confirmation");

    ok(
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "jane@example.com", "ConfirmationCode": CODE}),
    );
    let records = server.records();
    let confirmations: Vec<_> = records
        .iter()
        .filter(|r| r.trigger_source == "PostConfirmation_ConfirmSignUp")
        .collect();
    assert_eq!(confirmations.len(), 1, "{records:?}");
    assert_eq!(confirmations[0].error_type, None, "{records:?}");
    assert_eq!(members(), ["jane@example.com"]);
    server.stop();
}
