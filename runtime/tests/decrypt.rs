//! `CodeDecryptor` end to end: moto serves KMS, the AWS Encryption SDK for
//! Python (`fixtures/decrypt/generate.py`) encrypts codes in every supported
//! suite under a key of moto's, and the decryptor, set up from the
//! environment as in a function, decrypts them from sender events. moto and
//! the SDK come from tests/requirements.txt (.ci/run installs them and puts
//! them on PATH).

mod moto;

use cognito_trigger::Setup;
use cognito_trigger::decrypt::CodeDecryptor;
use cognito_trigger::events::{CustomEmailSenderEvent, CustomSenderEvent, CustomSmsSenderEvent};
use moto::Moto;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The messages generate.py writes against `moto`.
fn generate(moto: &Moto) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decrypt/generate.py");
    let output = Command::new("python3")
        .arg(&script)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "generate.py failed (is aws-encryption-sdk from tests/requirements.txt installed?):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn sample(dir: &str, file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(dir)
        .join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A sender event of the sample `dir/file`, for `pool`, with `code`.
fn event(dir: &str, file: &str, pool: &str, code: Option<&str>) -> Value {
    let mut event = sample(dir, file);
    event["userPoolId"] = pool.into();
    match code {
        Some(code) => event["request"]["code"] = code.into(),
        None => {
            event["request"].as_object_mut().unwrap().remove("code");
        }
    }
    event
}

fn sms(pool: &str, code: Option<&str>) -> CustomSmsSenderEvent {
    serde_json::from_value(event(
        "custom_sms_sender",
        "CustomSMSSender_SignUp.json",
        pool,
        code,
    ))
    .unwrap()
}

fn email(pool: &str, code: Option<&str>) -> CustomEmailSenderEvent {
    serde_json::from_value(event(
        "custom_email_sender",
        "CustomEmailSender_ForgotPassword.json",
        pool,
        code,
    ))
    .unwrap()
}

fn either(pool: &str, code: Option<&str>) -> CustomSenderEvent {
    serde_json::from_value(event(
        "custom_email_sender",
        "CustomEmailSender_AdminCreateUser.json",
        pool,
        code,
    ))
    .unwrap()
}

fn message<'a>(vectors: &'a Value, name: &str) -> &'a str {
    vectors["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap()["message"]
        .as_str()
        .unwrap()
}

fn refusal(
    result: Result<Option<cognito_trigger::decrypt::Code>, cognito_trigger::Error>,
) -> String {
    let error = result.expect_err("refused");
    assert!(!error.is_rejection());
    assert_eq!(error.user_message(), cognito_trigger::INTERNAL_MESSAGE);
    error.to_string()
}

fn flip(code: &str, at: impl FnOnce(usize) -> usize) -> String {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut bytes = engine.decode(code).unwrap();
    let at = at(bytes.len());
    bytes[at] ^= 0x01;
    engine.encode(bytes)
}

#[test]
fn decrypts_codes_the_encryption_sdk_wrote_under_kms() {
    let moto = Moto::start();
    let vectors = generate(&moto);
    let pool = vectors["pool"].as_str().unwrap();
    let key_arn = vectors["key_arn"].as_str().unwrap();
    let other_arn = vectors["other_key_arn"].as_str().unwrap();

    // The function's environment, as the template sets it. This is the only
    // test of this binary: nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("AWS_ENDPOINT_URL_KMS", moto.endpoint());
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("KMS_KEY_ARN", key_arn);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let codes = CodeDecryptor::setup()
            .await
            .expect("set up from the environment");
        assert_eq!(codes.key_arns(), [key_arn]);

        // Every suite and framing, from each kind of event.
        let mut decrypted = 0;
        for m in vectors["messages"].as_array().unwrap() {
            let name = m["name"].as_str().unwrap();
            if name == "other-key" || name == "other-pool" {
                continue;
            }
            let code = m["message"].as_str();
            let plaintext = m["plaintext"].as_str();
            assert_eq!(
                codes.decrypt(&sms(pool, code)).await.unwrap().as_deref(),
                plaintext,
                "{name}"
            );
            assert_eq!(
                codes.decrypt(&email(pool, code)).await.unwrap().as_deref(),
                plaintext,
                "{name}"
            );
            assert_eq!(
                codes.decrypt(&either(pool, code)).await.unwrap().as_deref(),
                plaintext,
                "{name}"
            );
            decrypted += 1;
        }
        assert_eq!(decrypted, 8);

        // No code, no decryption.
        assert_eq!(codes.decrypt(&sms(pool, None)).await.unwrap(), None);
        assert_eq!(codes.decrypt(&either(pool, None)).await.unwrap(), None);

        // A code whose encryption context names no pool (as cognito-local
        // writes them) is accepted by default, refused when the pool is
        // required; one that names the event's pool is accepted either way.
        let no_pool = message(&vectors, "v2-0478-frames");
        assert!(codes.decrypt(&sms(pool, Some(no_pool))).await.is_ok());
        let strict = codes.clone().require_pool_id(true);
        let error = refusal(strict.decrypt(&sms(pool, Some(no_pool))).await);
        assert!(
            error.contains("its encryption context names no pool (userpool-id)"),
            "{error}"
        );
        assert_eq!(
            strict
                .decrypt(&sms(pool, Some(message(&vectors, "v1-0378-framed"))))
                .await
                .unwrap()
                .as_deref(),
            Some("123456")
        );

        // A code only another key can decrypt.
        let other_key = message(&vectors, "other-key");
        let error = refusal(codes.decrypt(&sms(pool, Some(other_key))).await);
        assert!(
            error.contains(&format!("no data key is encrypted by {key_arn}")),
            "{error}"
        );
        assert!(error.contains(other_arn), "{error}");

        // A code made for another pool, and a good code in another pool's event.
        let other_pool = message(&vectors, "other-pool");
        let error = refusal(codes.decrypt(&email(pool, Some(other_pool))).await);
        assert!(
            error.contains("made for the pool us-east-1_Another02"),
            "{error}"
        );
        let good = message(&vectors, "v1-0378-framed");
        let error = refusal(codes.decrypt(&sms("us-east-1_Another02", Some(good))).await);
        assert!(
            error.contains(&format!("made for the pool {pool}")),
            "{error}"
        );

        // One flipped byte: in the header, the body, the signature.
        let v1 = message(&vectors, "v1-0378-framed");
        for (part, altered) in [
            ("header", flip(v1, |_| 10)),
            ("body", flip(v1, |len| len - 120)),
            ("signature", flip(v1, |len| len - 1)),
        ] {
            let error = refusal(codes.decrypt(&sms(pool, Some(&altered))).await);
            assert!(
                error.contains("signature does not verify"),
                "{part}: {error}"
            );
        }
        // Unsigned (0x0478): the header's and the frames' tags, and KMS for
        // the encrypted data key.
        let v2 = message(&vectors, "v2-0478-framed");
        let error = refusal(
            codes
                .decrypt(&sms(pool, Some(&flip(v2, |len| len - 3))))
                .await,
        );
        assert!(
            error.contains("frame 1's authentication tag does not match"),
            "{error}"
        );
        let error = refusal(codes.decrypt(&sms(pool, Some(&flip(v2, |_| 12)))).await);
        assert!(error.contains("key commitment does not match"), "{error}");
        let edk_end = edk_end(v2);
        let error = refusal(
            codes
                .decrypt(&sms(pool, Some(&flip(v2, |_| edk_end - 1))))
                .await,
        );
        assert!(
            error.contains("KMS did not decrypt its data key"),
            "{error}"
        );
        let error = refusal(codes.decrypt(&sms(pool, Some("not base64!"))).await);
        assert!(error.contains("not base64"), "{error}");

        // A decryptor for the other key decrypts only what that key can.
        let other = CodeDecryptor::new(codes.kms().clone(), other_arn).unwrap();
        assert_eq!(
            other
                .decrypt(&sms(pool, Some(other_key)))
                .await
                .unwrap()
                .as_deref(),
            Some("999999")
        );
        let two_keys = message(&vectors, "v2-0578-two-keys");
        assert_eq!(
            other
                .decrypt(&sms(pool, Some(two_keys)))
                .await
                .unwrap()
                .as_deref(),
            Some("112358")
        );
        let error = refusal(other.decrypt(&sms(pool, Some(good))).await);
        assert!(
            error.contains(&format!("no data key is encrypted by {other_arn}")),
            "{error}"
        );

        // A function that is the sender of two pools: the template joins
        // their keys with a comma, and a code under either decrypts.
        unsafe { std::env::set_var("KMS_KEY_ARN", format!("{key_arn}, {other_arn}")) };
        let both = CodeDecryptor::setup().await.expect("two keys");
        assert_eq!(both.key_arns(), [key_arn, other_arn]);
        for (code, plaintext) in [(good, "123456"), (other_key, "999999")] {
            assert_eq!(
                both.decrypt(&sms(pool, Some(code)))
                    .await
                    .unwrap()
                    .as_deref(),
                Some(plaintext)
            );
        }
        unsafe { std::env::set_var("KMS_KEY_ARN", " , ") };
        let error = CodeDecryptor::setup().await.unwrap_err().to_string();
        assert!(error.contains("KMS_KEY_ARN is empty"), "{error}");
    });
}

/// The end of the (only) encrypted data key of a version 2 message.
fn edk_end(code: &str) -> usize {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(code)
        .unwrap();
    let field = |at: usize| at + 2 + usize::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]));
    let after_context = field(1 + 2 + 32);
    assert_eq!(
        u16::from_be_bytes([bytes[after_context], bytes[after_context + 1]]),
        1
    );
    field(field(field(after_context + 2)))
}
