//! `--kms-endpoint` and `--kms-key-arn`: cognito-local's config names the
//! KMS and the key it encrypts the senders' codes with, and the functions get
//! the same key and endpoint (the decryption itself, under cognito-local, is
//! examples/custom-senders/tests/cognito_local.rs).

mod common;

use cognito_trigger::events::{PreTokenGenerationEvent, TokenGenerationSource};
use cognito_trigger_support::http::call;
use common::Serving;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const KEY_ARN: &str = "arn:aws:kms:eu-west-1:000000000000:key/6f1e9a52-3c1d-4d8e-9b0a-2f4c5d6e7f80";

fn broken_handlers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/broken-handlers")
}

#[test]
fn the_key_reaches_cognito_local_and_every_function() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/tests")
        .join(format!("kms-options-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = Serving::start(
        |command| {
            command
                .arg("--package")
                .arg(broken_handlers())
                .arg("--cognito-local")
                .arg(&dir)
                .args(["--kms-endpoint", "http://127.0.0.1:4566"])
                .args(["--kms-key-arn", KEY_ARN])
                // --env comes after the KMS variables, and wins.
                .args(["--env", "AWS_ENDPOINT_URL_KMS=http://127.0.0.1:5000"])
        },
        Duration::from_secs(600),
    );

    let config: Value =
        serde_json::from_slice(&std::fs::read(dir.join(".cognito/config.json")).unwrap()).unwrap();
    let kms = &config["KMSConfig"];
    assert_eq!(kms["KMSKeyId"], KEY_ARN);
    assert_eq!(kms["KMSKeyAlias"], KEY_ARN);
    assert_eq!(kms["endpoint"], "http://127.0.0.1:4566");
    assert_eq!(kms["region"], "eu-west-1", "{kms}");

    let event = PreTokenGenerationEvent::sample(TokenGenerationSource::Authentication);
    let response = call(
        server.address,
        "POST",
        "/2015-03-31/functions/inspect/invocations",
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    assert_eq!(response.status, 200);
    let answer: Value = serde_json::from_slice(&response.body).unwrap();
    let claims = &answer["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"];
    assert_eq!(claims["KMS_KEY_ARN"], KEY_ARN, "{claims}");
    assert_eq!(claims["AWS_ENDPOINT_URL_KMS"], "http://127.0.0.1:5000");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_endpoint_and_the_key_go_together() {
    for args in [
        ["--kms-endpoint", "http://127.0.0.1:4566"],
        ["--kms-key-arn", KEY_ARN],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_cognito-trigger-local"))
            .arg("serve")
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("--kms-endpoint and --kms-key-arn go together"),
            "{stderr}"
        );
    }
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-trigger-local"))
        .args(["serve", "--kms-endpoint", "http://127.0.0.1:4566"])
        .args(["--kms-key-arn", "alias/pool-key"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("malformed KMS key ARN"), "{stderr}");
}
