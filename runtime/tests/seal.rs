//! `testing::encrypt_code` end to end: moto serves KMS; codes sealed under
//! a key of moto's open with `CodeDecryptor` (from custom email sender
//! events) and with the official AWS Encryption SDK for Python
//! (`fixtures/decrypt/open_sealed.py`), both asking moto for the data key.
//! moto and the SDK come from tests/requirements.txt (.ci/run installs them
//! and puts them on PATH).

mod moto;

use cognito_trigger::decrypt::{CodeDecryptor, aws_sdk_kms};
use cognito_trigger::events::{CustomEmailSenderEvent, CustomEmailSenderSource};
use cognito_trigger::testing::encrypt_code;
use moto::Moto;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const REGION: &str = "us-east-1";
const POOL: &str = "us-east-1_Sealed01";

/// A KMS client for moto, without the process environment.
fn kms(moto: &Moto) -> aws_sdk_kms::Client {
    use aws_smithy_http_client::tls;
    // Plain HTTP to moto: no certificate is ever checked, so none is loaded.
    let context = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty())
        .build()
        .unwrap();
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(context)
        .build_https();
    let config = aws_sdk_kms::Config::builder()
        .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
        .region(aws_sdk_kms::config::Region::new(REGION))
        .credentials_provider(aws_sdk_kms::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .endpoint_url(moto.endpoint())
        .http_client(http)
        .build();
    aws_sdk_kms::Client::from_conf(config)
}

/// What the AWS Encryption SDK for Python read from each of `codes`.
fn open_with_python(moto: &Moto, key_arn: &str, codes: &[String]) -> Vec<Value> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decrypt/open_sealed.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let request = json!({ "key_arn": key_arn, "codes": codes });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "open_sealed.py failed (is aws-encryption-sdk from tests/requirements.txt installed?):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn sealed_codes_open_with_the_decryptor_and_the_encryption_sdk() {
    let moto = Moto::start();
    let kms = kms(&moto);
    let key_arn = kms
        .create_key()
        .description("the pool's key")
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .arn
        .unwrap();

    // A code, a temporary password (not ASCII), and plaintexts around and
    // over the frame length.
    let plaintexts = [
        "123456".to_owned(),
        "Tmp!Pässwörd-€42".to_owned(),
        "7".repeat(4095),
        "8".repeat(4096),
        "9".repeat(4097),
        "0123456789".repeat(1000),
    ];
    let mut codes = Vec::new();
    for plaintext in &plaintexts {
        codes.push(encrypt_code(&kms, &key_arn, POOL, plaintext).await.unwrap());
    }

    // (a) The crate's decryptor, from events as Cognito sends them, and
    // insisting that the code names the event's pool.
    let decryptor = CodeDecryptor::new(kms.clone(), &key_arn)
        .unwrap()
        .require_pool_id(true);
    for (plaintext, code) in plaintexts.iter().zip(&codes) {
        let mut event = CustomEmailSenderEvent::sample(CustomEmailSenderSource::ForgotPassword)
            .with_user_pool_id(POOL);
        event.request.code = Some(code.clone());
        let decrypted = decryptor.decrypt(&event).await.unwrap().unwrap();
        assert_eq!(decrypted, plaintext.as_str(), "{} bytes", plaintext.len());

        let other_pool = event.with_user_pool_id("us-east-1_Another02");
        assert!(decryptor.decrypt(&other_pool).await.is_err());
    }

    // (b) The official SDK, with its KMS master key provider.
    let opened = open_with_python(&moto, &key_arn, &codes);
    assert_eq!(opened.len(), plaintexts.len());
    for (plaintext, opened) in plaintexts.iter().zip(&opened) {
        assert_eq!(opened["plaintext"], plaintext.as_str());
        assert_eq!(opened["suite"], 0x0378);
        assert_eq!(opened["frame_length"], 4096);
        assert_eq!(opened["data_keys"], json!([["aws-kms", key_arn]]));
        let context = opened["encryption_context"].as_object().unwrap();
        let mut keys: Vec<&str> = context.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["aws-crypto-public-key", "userpool-id"]);
        assert_eq!(context["userpool-id"], POOL);
    }
}
