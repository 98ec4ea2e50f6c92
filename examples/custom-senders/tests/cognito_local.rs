//! The custom email sender under cognito-local, end to end: moto serves KMS,
//! cognito-local encrypts each code it issues with a key of moto's (with the
//! official AWS Encryption SDK for JavaScript, as Cognito does with the
//! pool's key) and invokes the built binary through cognito-trigger-local;
//! the sender decrypts the code with the same key and writes the email, and
//! the code in the email is the one cognito-local expects back.
//!
//! cognito-local and moto are installed by .ci/run (`npm ci --prefix
//! tests/e2e`, tests/requirements.txt); without them this test fails, it is
//! never skipped.

use cognito_trigger_local::{
    EnvOverride, LocalKms, Options, Server, cognito_local_config, functions_in,
};
use cognito_trigger_support::emulator::{CognitoLocal, Moto};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A directory of this test run under the workspace's target, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace().join(format!("target/tests/{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The email the sender wrote for `trigger_source`, waiting for it a while:
/// cognito-local answers before its sender has finished.
fn email(outbox: &Path, trigger_source: &str) -> String {
    let started = Instant::now();
    loop {
        let found = std::fs::read_dir(outbox).unwrap().flatten().find(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .ends_with(&format!("-{trigger_source}.eml"))
        });
        if let Some(entry) = found {
            let path = entry.path();
            let email = std::fs::read_to_string(&path).unwrap();
            std::fs::remove_file(path).unwrap();
            return email;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no {trigger_source} email in {}",
            outbox.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The code at the end of an email's body ("... code is 123456").
fn code_in(email: &str) -> String {
    let code = email.trim_end().rsplit(' ').next().unwrap().to_owned();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{email}"
    );
    code
}

/// The code cognito-local holds for the user with `email`, from its store.
fn issued_code(state: &Path, pool_id: &str, email: &str) -> String {
    let store: Value = serde_json::from_str(
        &std::fs::read_to_string(state.join(format!(".cognito/db/{pool_id}.json"))).unwrap(),
    )
    .unwrap();
    let users = store["Users"].as_object().unwrap();
    let user = users
        .values()
        .find(|user| {
            user["Attributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["Name"] == "email" && a["Value"] == email)
        })
        .expect("the user is stored");
    user["ConfirmationCode"].as_str().unwrap().to_owned()
}

#[test]
fn the_email_sender_decrypts_the_code_cognito_local_issued() {
    let moto = Moto::start().unwrap();
    let key = moto
        .kms("CreateKey", &json!({"Description": "the pool's key"}))
        .unwrap();
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap();
    let kms = LocalKms::new(moto.endpoint(), key_arn).unwrap();

    let outbox = scratch("outbox");
    let mut env = kms.env();
    env.push(EnvOverride::all("OUTBOX_DIR", outbox.to_string_lossy()));
    let options = Options {
        env,
        ..Options::default()
    };
    // Only the email sender: cognito-local sends every pool's
    // CustomEmailSender to one function, and the package has two.
    let functions: Vec<_> = functions_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            (
                "custom_email_sender",
                env!("CARGO_BIN_EXE_custom_email_sender"),
            ),
            ("custom_sms_sender", env!("CARGO_BIN_EXE_custom_sms_sender")),
            ("custom_sender", env!("CARGO_BIN_EXE_custom_sender")),
        ],
    )
    .unwrap()
    .into_iter()
    .filter(|function| function.bin == "custom_email_sender")
    .collect();
    let server = Server::start_with(functions.clone(), 0, options).unwrap();
    let mut config =
        cognito_local_config(&functions, &format!("http://{}", server.address())).unwrap();
    config["KMSConfig"] = kms.cognito_local_config();
    let state = workspace().join(format!(
        "target/tests/cognito-local-senders-{}",
        std::process::id()
    ));
    // No fixed code: cognito-local issues a new random one each time.
    let cognito = CognitoLocal::start(
        &workspace().join("tests/e2e/node_modules/cognito-local/lib/bin/start.js"),
        &state,
        &config,
        None,
    )
    .unwrap();
    let ok = |action: &str, body: Value| cognito.ok(action, &body).unwrap();

    let pool = ok(
        "CreateUserPool",
        json!({"PoolName": "MyUserPool2", "AutoVerifiedAttributes": ["email"]}),
    );
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web"}),
    );
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    let address = "jane@example.com";

    // Sign-up: the email carries the code cognito-local stored, and it
    // confirms the user.
    ok(
        "SignUp",
        json!({"ClientId": client_id, "Username": address, "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": address}]}),
    );
    let sign_up = email(&outbox, "CustomEmailSender_SignUp");
    assert!(
        sign_up.starts_with(&format!("To: {address}\r\n")),
        "{sign_up}"
    );
    assert!(
        sign_up.contains("Subject: Confirm your account"),
        "{sign_up}"
    );
    let code = code_in(&sign_up);
    assert_eq!(code, issued_code(&state, &pool_id, address));
    ok(
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": address, "ConfirmationCode": code}),
    );
    let user = ok(
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": address}),
    );
    assert_eq!(user["UserStatus"], "CONFIRMED");

    // A forgotten password: a new code, which resets the password.
    ok(
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": address}),
    );
    let reset = code_in(&email(&outbox, "CustomEmailSender_ForgotPassword"));
    assert_ne!(reset, code, "each code is new");
    ok(
        "ConfirmForgotPassword",
        json!({"ClientId": client_id, "Username": address, "ConfirmationCode": reset, "Password": "N3w-Passw0rd!"}),
    );
    let signed_in = ok(
        "InitiateAuth",
        json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": address, "PASSWORD": "N3w-Passw0rd!"}}),
    );
    assert!(signed_in["AuthenticationResult"]["IdToken"].is_string());

    let records = server.records();
    assert_eq!(records.len(), 2, "{records:?}");
    assert!(
        records.iter().all(|r| r.error_type.is_none()),
        "{records:?}"
    );
    let _ = std::fs::remove_dir_all(&outbox);
}
