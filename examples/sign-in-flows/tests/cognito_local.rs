//! The package's triggers under cognito-local, the Cognito emulator, driven
//! through Cognito's JSON API: cognito-local calls the built binaries through
//! cognito-trigger-local's Lambda invoke API, everything on 127.0.0.1.
//!
//! cognito-local is installed by .ci/run (`npm ci --prefix tests/e2e`); without
//! it this test fails, it is never skipped.

use cognito_trigger_local::{Record, Server, cognito_local_config, functions_in};
use cognito_trigger_support::emulator::CognitoLocal;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// cognito-local fixes every code it sends to this (its `CODE` variable).
const CODE: &str = "123456";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn start_cognito_local(config: &Value) -> CognitoLocal {
    let workspace = workspace();
    CognitoLocal::start(
        &workspace.join("tests/e2e/node_modules/cognito-local/lib/bin/start.js"),
        &workspace.join(format!("target/tests/cognito-local-{}", std::process::id())),
        config,
        Some(CODE),
    )
    .unwrap()
}

/// The claims of a JWT, unverified: the middle segment, base64url-decoded.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three segments");
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in payload.bytes() {
        let value = alphabet.iter().position(|&a| a == c).expect("base64url") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    serde_json::from_slice(&bytes).unwrap()
}

fn invoked(records: &[Record], trigger_source: &str) -> usize {
    records
        .iter()
        .filter(|r| r.trigger_source == trigger_source)
        .count()
}

#[test]
fn sign_up_and_sign_in_flows_run_the_triggers() {
    let functions = functions_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            ("screen_sign_up", env!("CARGO_BIN_EXE_screen_sign_up")),
            ("welcome", env!("CARGO_BIN_EXE_welcome")),
            ("add_plan_claim", env!("CARGO_BIN_EXE_add_plan_claim")),
            ("word_messages", env!("CARGO_BIN_EXE_word_messages")),
            ("migrate_users", env!("CARGO_BIN_EXE_migrate_users")),
        ],
    )
    .unwrap();
    let server = Server::start(functions.clone(), 0).unwrap();
    let config = cognito_local_config(&functions, &format!("http://{}", server.address())).unwrap();
    let cognito = start_cognito_local(&config);
    let ok = |action: &str, body: Value| cognito.ok(action, &body).unwrap();
    let call = |action: &str, body: Value| cognito.call(action, &body).unwrap();

    let pool = ok(
        "CreateUserPool",
        json!({"PoolName": "AppPool", "AutoVerifiedAttributes": ["email"]}),
    );
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web"}),
    );
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let sign_up = |email: &str| {
        call(
            "SignUp",
            json!({"ClientId": client_id, "Username": email, "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": email}]}),
        )
    };
    let users_with = |email: &str| {
        let users = ok("ListUsers", json!({"UserPoolId": pool_id}));
        users["Users"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| {
                u["Attributes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["Value"] == email)
            })
            .count()
    };
    let sign_in = |email: &str, password: &str| {
        call(
            "InitiateAuth",
            json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
        )
    };

    // PreSignUp refuses: the API error carries the trigger's message, and no user is created.
    let (status, error) = sign_up("jane@elsewhere.org");
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["__type"], "UserLambdaValidationException");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("failed with error Sign-up is open to example.com addresses only"),
        "{message}"
    );
    assert_eq!(users_with("jane@elsewhere.org"), 0);

    // PreSignUp confirms a test account at once, and PostConfirmation runs.
    let (status, signed_up) = sign_up("ann+auto@example.com");
    assert_eq!(status, 200, "{signed_up}");
    assert_eq!(signed_up["UserConfirmed"], true);
    assert_eq!(
        invoked(&server.records(), "PostConfirmation_ConfirmSignUp"),
        1
    );

    // PreTokenGeneration adds a claim to the ID token.
    let (status, signed_in) = sign_in("ann+auto@example.com", "Passw0rd!");
    assert_eq!(status, 200, "{signed_in}");
    let id_token = signed_in["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap();
    assert_eq!(claims(id_token)["plan"], "pro");
    assert_eq!(
        invoked(&server.records(), "TokenGeneration_Authentication"),
        1
    );

    // CustomMessage words the confirmation code of an ordinary sign-up.
    let messages_before = invoked(&server.records(), "CustomMessage_SignUp");
    let (status, signed_up) = sign_up("bob@example.com");
    assert_eq!(
        (status, &signed_up["UserConfirmed"]),
        (200, &json!(false)),
        "{signed_up}"
    );
    assert!(cognito.printed(
        &format!("Welcome! Your confirmation code is {CODE}."),
        Duration::from_secs(10)
    ));
    assert_eq!(
        invoked(&server.records(), "CustomMessage_SignUp"),
        messages_before + 1
    );
    ok(
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "bob@example.com", "ConfirmationCode": CODE}),
    );
    assert_eq!(
        invoked(&server.records(), "PostConfirmation_ConfirmSignUp"),
        2
    );

    // UserMigration moves a user of the old directory in on first sign-in.
    assert_eq!(users_with("legacy@example.com"), 0);
    let (status, refused) = sign_in("legacy@example.com", "wrong");
    assert_eq!(
        (status, &refused["__type"]),
        (400, &json!("NotAuthorizedException")),
        "{refused}"
    );
    let (status, migrated) = sign_in("legacy@example.com", "Legacy-Passw0rd");
    assert_eq!(status, 200, "{migrated}");
    assert!(migrated["AuthenticationResult"]["IdToken"].is_string());
    assert_eq!(users_with("legacy@example.com"), 1);
    assert_eq!(
        invoked(&server.records(), "UserMigration_Authentication"),
        2
    );

    // Forgot-password fires CustomMessage_ForgotPassword, then PostConfirmation.
    ok(
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "bob@example.com"}),
    );
    assert!(cognito.printed(
        &format!("Your password reset code is {CODE}."),
        Duration::from_secs(10)
    ));
    ok(
        "ConfirmForgotPassword",
        json!({"ClientId": client_id, "Username": "bob@example.com", "ConfirmationCode": CODE, "Password": "N3w-Passw0rd!"}),
    );
    assert_eq!(
        invoked(&server.records(), "CustomMessage_ForgotPassword"),
        1
    );
    assert_eq!(
        invoked(&server.records(), "PostConfirmation_ConfirmForgotPassword"),
        1
    );

    // Changing the email fires CustomMessage_UpdateUserAttribute.
    let (status, signed_in) = sign_in("bob@example.com", "N3w-Passw0rd!");
    assert_eq!(status, 200, "{signed_in}");
    let access_token = signed_in["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    let updated = ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access_token, "UserAttributes": [{"Name": "email", "Value": "robert@example.com"}]}),
    );
    // cognito-local answers with the delivery; in our runs it did not print
    // this message, so the function's own record is what shows the source.
    assert_eq!(
        updated["CodeDeliveryDetailsList"][0]["Destination"],
        "robert@example.com"
    );
    assert_eq!(
        invoked(&server.records(), "CustomMessage_UpdateUserAttribute"),
        1
    );

    // Every invocation reached a trigger that answered.
    let records = server.records();
    assert!(
        records.iter().all(|r| r.error_type.is_none()
            || r.function == "ScreenSignUpLambdaFunction"
            || r.function == "MigrateUsersLambdaFunction"),
        "{records:?}"
    );
    server.stop();

    // The flow driver, given the same calls, runs the same triggers in the
    // same order as cognito-local did, but for one place where cognito-local
    // departs from Cognito: it sends the sign-up code even to a user the
    // pre sign-up trigger confirmed and verified (its src/targets/signUp.ts
    // delivers the message whatever the trigger said).
    let mut emulated: Vec<&str> = records.iter().map(|r| r.trigger_source.as_str()).collect();
    assert_eq!(
        emulated[1..4],
        [
            "PreSignUp_SignUp",
            "CustomMessage_SignUp",
            "PostConfirmation_ConfirmSignUp"
        ]
    );
    emulated.remove(2);
    let driven = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(same_calls_under_the_driver());
    assert_eq!(driven, emulated);
}

/// The calls above, made to the flow driver: the sources it invoked.
async fn same_calls_under_the_driver() -> Vec<String> {
    let mut cognito = cognito_trigger::testing::cognito!("AppPool");
    let attributes = |email: &str| [("email".to_owned(), email.to_owned())];
    assert!(
        cognito
            .sign_up(
                "jane@elsewhere.org",
                "Passw0rd!",
                attributes("jane@elsewhere.org")
            )
            .await
            .is_err()
    );
    cognito
        .sign_up(
            "ann+auto@example.com",
            "Passw0rd!",
            attributes("ann+auto@example.com"),
        )
        .await
        .unwrap();
    cognito
        .sign_in("ann+auto@example.com", "Passw0rd!")
        .await
        .unwrap();
    cognito
        .sign_up(
            "bob@example.com",
            "Passw0rd!",
            attributes("bob@example.com"),
        )
        .await
        .unwrap();
    let code = cognito.last_code_to("bob@example.com").unwrap().to_owned();
    cognito
        .confirm_sign_up("bob@example.com", &code)
        .await
        .unwrap();
    assert!(
        cognito
            .sign_in("legacy@example.com", "wrong")
            .await
            .is_err()
    );
    cognito
        .sign_in("legacy@example.com", "Legacy-Passw0rd")
        .await
        .unwrap();
    cognito.forgot_password("bob@example.com").await.unwrap();
    let code = cognito.last_code_to("bob@example.com").unwrap().to_owned();
    cognito
        .confirm_forgot_password("bob@example.com", &code, "N3w-Passw0rd!")
        .await
        .unwrap();
    cognito
        .sign_in("bob@example.com", "N3w-Passw0rd!")
        .await
        .unwrap();
    cognito
        .update_user_attributes("bob@example.com", attributes("robert@example.com"))
        .await
        .unwrap();
    cognito.sources().into_iter().map(str::to_owned).collect()
}
