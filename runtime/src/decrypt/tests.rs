//! The parser and the decryption, on messages the AWS Encryption SDK for
//! Python wrote under a KMS key (moto's), with the data keys KMS gave back:
//! `tests/fixtures/decrypt/generate.py` made `vectors.json`. The path
//! through KMS itself is tested by `tests/decrypt.rs`.

use super::message::Message;
use super::*;
use serde_json::Value;

struct Vector {
    name: String,
    suite: u16,
    plaintext: String,
    message: Vec<u8>,
    data_key: Option<Vec<u8>>,
}

fn vectors() -> Vec<Vector> {
    let file: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/decrypt/vectors.json")).unwrap();
    file["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Vector {
            name: m["name"].as_str().unwrap().to_owned(),
            suite: m["suite"].as_u64().unwrap() as u16,
            plaintext: m["plaintext"].as_str().unwrap().to_owned(),
            message: base64::engine::general_purpose::STANDARD
                .decode(m["message"].as_str().unwrap())
                .unwrap(),
            data_key: m["data_key"].as_str().map(|hex| {
                (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                    .collect()
            }),
        })
        .collect()
}

fn vector(name: &str) -> Vector {
    vectors().into_iter().find(|v| v.name == name).unwrap()
}

fn internal_message(result: Result<Code, Error>) -> String {
    let error = result.expect_err("refused");
    assert_eq!(error.user_message(), crate::INTERNAL_MESSAGE);
    error.to_string()
}

#[test]
fn decrypts_every_suite_and_framing() {
    let mut suites = Vec::new();
    for v in vectors() {
        let Some(data_key) = &v.data_key else {
            continue;
        };
        let message = Message::parse(&v.message).unwrap();
        assert_eq!(message.suite.id, v.suite, "{}", v.name);
        assert_eq!(
            __open(&v.message, data_key).unwrap(),
            v.plaintext.as_str(),
            "{}",
            v.name
        );
        suites.push(v.suite);
    }
    for suite in [0x0378, 0x0478, 0x0578] {
        assert!(suites.contains(&suite), "a vector of suite {suite:#06x}");
    }
}

#[test]
fn reads_the_encryption_context_and_the_data_keys() {
    let file: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/decrypt/vectors.json")).unwrap();
    let v = vector("v2-0578-two-keys");
    let message = Message::parse(&v.message).unwrap();
    assert_eq!(
        message.context_value(POOL_CONTEXT_KEY),
        file["pool"].as_str()
    );
    assert!(message.context_value(message::PUBLIC_KEY).is_some());
    let infos: Vec<&[u8]> = message.data_keys.iter().map(|k| k.provider_info).collect();
    assert_eq!(infos.len(), 2);
    assert!(infos.contains(&file["key_arn"].as_str().unwrap().as_bytes()));
    assert!(infos.contains(&file["other_key_arn"].as_str().unwrap().as_bytes()));
    assert!(
        message
            .data_keys
            .iter()
            .all(|k| k.provider_id == KMS_PROVIDER)
    );

    let unsigned = vector("v2-0478-frames");
    let unsigned = Message::parse(&unsigned.message).unwrap();
    assert!(unsigned.context.is_empty());
}

/// The offsets of a message's parts: the end of the header body, the start
/// of the footer.
fn layout(v: &Vector) -> (usize, usize) {
    let bytes = &v.message;
    let aad_at = if bytes[0] == 1 { 20 } else { 35 };
    let mut at = aad_at + 2 + usize::from(u16::from_be_bytes([bytes[aad_at], bytes[aad_at + 1]]));
    let keys = u16::from_be_bytes([bytes[at], bytes[at + 1]]);
    at += 2;
    for _ in 0..keys * 3 {
        at += 2 + usize::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]));
    }
    let header_end = at
        + if bytes[0] == 1 {
            1 + 4 + 1 + 4
        } else {
            1 + 4 + 32
        };
    // The footer: a 2-byte length, then an ECDSA P-384 signature in DER
    // (at most 104 bytes), which ends the message.
    let footer = if v.suite == 0x0478 {
        bytes.len()
    } else {
        (bytes.len() - 106..bytes.len() - 2)
            .find(|&at| {
                usize::from(u16::from_be_bytes([bytes[at], bytes[at + 1]])) == bytes.len() - at - 2
            })
            .unwrap()
    };
    (header_end, footer)
}

#[test]
fn refuses_a_flipped_byte_anywhere() {
    for name in [
        "v1-0378-framed",
        "v1-0378-unframed",
        "v2-0478-framed",
        "v2-0478-frames",
        "v2-0578-frames",
    ] {
        let v = vector(name);
        let data_key = v.data_key.as_deref().unwrap();
        let (header_end, footer) = layout(&v);
        let places = [
            ("message ID", 6),
            ("header body", header_end - 3),
            ("header tag", header_end + 2),
            ("body", footer - 20),
            ("body tag", footer - 1),
            ("signature", v.message.len() - 1),
        ];
        for (part, at) in places {
            if part == "signature" && v.suite == 0x0478 {
                continue;
            }
            let mut altered = v.message.clone();
            altered[at] ^= 0x01;
            let refusal = internal_message(__open(&altered, data_key));
            assert!(
                refusal.starts_with("cannot decrypt the custom sender's code: "),
                "{name}, {part}: {refusal}"
            );
        }
    }
}

#[test]
fn the_refusal_says_what_is_wrong() {
    let signed = vector("v2-0578-framed");
    let mut altered = signed.message.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0x80;
    assert!(
        internal_message(__open(&altered, signed.data_key.as_deref().unwrap()))
            .contains("signature does not verify")
    );

    let v1 = vector("v1-0378-framed");
    let (header_end, _) = layout(&v1);
    let mut altered = v1.message.clone();
    // The frame length: the signature fails before anything is decrypted.
    altered[header_end - 1] ^= 0x01;
    assert!(
        internal_message(__open(&altered, v1.data_key.as_deref().unwrap())).contains("signature")
    );

    // Unsigned: the header's tag and the frames' tags are what catch it.
    let unsigned = vector("v2-0478-framed");
    let key = unsigned.data_key.as_deref().unwrap();
    let (header_end, footer) = layout(&unsigned);
    let mut altered = unsigned.message.clone();
    altered[header_end + 3] ^= 0x01;
    assert!(internal_message(__open(&altered, key)).contains("header's authentication tag"));
    let mut altered = unsigned.message.clone();
    altered[footer - 20] ^= 0x01;
    assert!(internal_message(__open(&altered, key)).contains("frame 1's authentication tag"));
    // The commitment itself.
    let mut altered = unsigned.message.clone();
    altered[header_end - 5] ^= 0x01;
    assert!(internal_message(__open(&altered, key)).contains("key commitment"));
}

#[test]
fn refuses_another_data_key() {
    let wrong = [0x5a; 32];
    let v1 = vector("v1-0378-framed");
    assert!(internal_message(__open(&v1.message, &wrong)).contains("header's authentication tag"));
    let committing = vector("v2-0578-framed");
    assert!(internal_message(__open(&committing.message, &wrong)).contains("key commitment"));
    assert!(internal_message(__open(&committing.message, &wrong[..16])).contains("16 bytes"));
}

#[test]
fn refuses_truncated_and_padded_messages() {
    for v in vectors() {
        for cut in [1, 2, 17, v.message.len() / 2, v.message.len() - 1] {
            let refusal = internal_message(__open(&v.message[..cut], &[0; 32]));
            assert!(
                refusal.contains("truncated") || refusal.contains("signature"),
                "{}: {refusal}",
                v.name
            );
        }
        let mut padded = v.message.clone();
        padded.push(0);
        assert!(
            internal_message(__open(&padded, &[0; 32])).contains("after the end"),
            "{}",
            v.name
        );
    }
    let mut unknown = vector("v1-0378-framed").message;
    unknown[3] = 0x14; // suite 0x0314, uncommitted, unsigned: not accepted
    assert!(
        internal_message(__open(&unknown, &[0; 32])).contains("unsupported algorithm suite 0x0314")
    );
}

#[test]
fn checks_key_arns() {
    assert!(
        check_key_arn(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        )
        .is_ok()
    );
    for bad in [
        "arn:aws:kms:us-east-1:123456789012:alias/my-key",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:key/",
        "arn:aws:s3:us-east-1:123456789012:key/abc",
        "",
    ] {
        assert!(check_key_arn(bad).is_err(), "{bad}");
    }
}

#[test]
fn reads_one_key_arn_or_several_separated_by_commas() {
    let one = "arn:aws:kms:us-east-1:123456789012:key/one";
    let two = "arn:aws:kms:eu-west-1:123456789012:key/two";
    assert_eq!(key_arns_in(one).unwrap(), [one]);
    assert_eq!(key_arns_in(&format!("{one},{two}")).unwrap(), [one, two]);
    assert_eq!(
        key_arns_in(&format!(" {one} , {two} ,")).unwrap(),
        [one, two]
    );
    for empty in ["", " ", ",", " , "] {
        assert!(key_arns_in(empty).is_err(), "{empty:?}");
    }
}

#[test]
fn reads_the_developer_guides_sample_as_a_cognito_message() {
    // The `code` of the guide's sample events: a version 1, 0x0378 message,
    // cut short (240 bytes) in the guide.
    let sample: Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/events/custom_sms_sender/CustomSMSSender_SignUp.json"
    ))
    .unwrap();
    let code = sample["request"]["code"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(code)
        .unwrap();
    assert_eq!(bytes[..4], [0x01, 0x80, 0x03, 0x78]);
    let refusal = internal_message(__open(&bytes, &[0; 32]));
    assert!(refusal.contains("truncated"), "{refusal}");
}

#[test]
fn refuses_a_frame_iv_other_than_its_sequence_number() {
    // Unsigned and framed: the IV is not part of any tag's input, so only
    // the check that it is the sequence number catches a change.
    let v = vector("v2-0478-frames");
    let (header_end, _) = layout(&v);
    let mut altered = v.message.clone();
    // After the header tag (16) and frame 1's sequence number (4): its IV.
    let iv_end = header_end + TAG + 4 + 12;
    assert_eq!(altered[iv_end - 1], 1);
    altered[iv_end - 1] = 2;
    let refusal = internal_message(__open(&altered, v.data_key.as_deref().unwrap()));
    assert!(
        refusal.contains("frame 1 has an IV other than its sequence number"),
        "{refusal}"
    );
}

const TAG: usize = 16;

/// `v`'s message with its one encrypted data key replaced by `count` data
/// keys, each naming `key_arn` with a ciphertext KMS cannot decrypt.
fn with_data_keys(v: &Vector, count: u16, key_arn: &str) -> Vec<u8> {
    let bytes = &v.message;
    let aad_at = if bytes[0] == 1 { 20 } else { 35 };
    let keys_at = aad_at + 2 + usize::from(u16::from_be_bytes([bytes[aad_at], bytes[aad_at + 1]]));
    assert_eq!(
        bytes[keys_at..keys_at + 2],
        [0, 1],
        "{}: one data key",
        v.name
    );
    let mut end = keys_at + 2;
    for _ in 0..3 {
        end += 2 + usize::from(u16::from_be_bytes([bytes[end], bytes[end + 1]]));
    }
    let mut message = bytes[..keys_at].to_vec();
    message.extend_from_slice(&count.to_be_bytes());
    for i in 0..count {
        for field in [
            KMS_PROVIDER,
            key_arn.as_bytes(),
            format!("not a KMS ciphertext {i}").as_bytes(),
        ] {
            message.extend_from_slice(&(field.len() as u16).to_be_bytes());
            message.extend_from_slice(field);
        }
    }
    message.extend_from_slice(&bytes[end..]);
    message
}

/// Counts the KMS operations a client starts, and ends each before it is
/// sent: no KMS is needed to count what a code would cost.
#[derive(Debug, Default, Clone)]
struct CountKmsCalls(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl aws_sdk_kms::config::Intercept for CountKmsCalls {
    fn name(&self) -> &'static str {
        "CountKmsCalls"
    }

    fn read_before_execution(
        &self,
        _: &aws_sdk_kms::config::interceptors::BeforeSerializationInterceptorContextRef<'_>,
        _: &mut aws_sdk_kms::config::ConfigBag,
    ) -> Result<(), aws_sdk_kms::error::BoxError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err("counted, not sent".into())
    }
}

fn counting_decryptor(key_arn: &str) -> (CodeDecryptor, CountKmsCalls) {
    let calls = CountKmsCalls::default();
    let config = aws_sdk_kms::Config::builder()
        .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
        .region(aws_sdk_kms::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_kms::config::Credentials::for_tests())
        .endpoint_url("http://127.0.0.1:9")
        .http_client(kms_http_client().unwrap())
        .retry_config(aws_sdk_kms::config::retry::RetryConfig::disabled())
        .interceptor(calls.clone())
        .build();
    let decryptor = CodeDecryptor::new(aws_sdk_kms::Client::from_conf(config), key_arn).unwrap();
    (decryptor, calls)
}

fn pool_and_key() -> (String, String) {
    let file: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/decrypt/vectors.json")).unwrap();
    (
        file["pool"].as_str().unwrap().to_owned(),
        file["key_arn"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_message_with_too_many_data_keys_costs_no_kms_call() {
    let (pool, key_arn) = pool_and_key();
    // Unsigned (0x0478): nothing before KMS would stop a forged message.
    let v = vector("v2-0478-framed");
    let (decryptor, calls) = counting_decryptor(&key_arn);
    for count in [MAX_DATA_KEYS as u16 + 1, 200, u16::MAX / 64] {
        let code =
            base64::engine::general_purpose::STANDARD.encode(with_data_keys(&v, count, &key_arn));
        let refusal = decryptor.decrypt_code(&code, &pool).await.unwrap_err();
        assert_eq!(refusal.user_message(), crate::INTERNAL_MESSAGE);
        assert!(
            refusal.to_string().contains(&format!(
                "the message has {count} encrypted data keys, more than the {MAX_DATA_KEYS} accepted"
            )),
            "{refusal}"
        );
    }
    assert_eq!(calls.0.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn at_most_max_kms_decrypts_data_keys_are_sent_to_kms() {
    let (pool, key_arn) = pool_and_key();
    let v = vector("v2-0478-framed");
    let (decryptor, calls) = counting_decryptor(&key_arn);
    let code = base64::engine::general_purpose::STANDARD.encode(with_data_keys(
        &v,
        MAX_DATA_KEYS as u16,
        &key_arn,
    ));
    let refusal = decryptor
        .decrypt_code(&code, &pool)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        calls.0.load(std::sync::atomic::Ordering::SeqCst),
        MAX_KMS_DECRYPTS
    );
    assert!(
        refusal.contains(&format!(
            "{} more data keys for it left untried",
            MAX_DATA_KEYS - MAX_KMS_DECRYPTS
        )),
        "{refusal}"
    );
}

#[test]
fn the_limits_leave_room_for_what_cognito_and_cognito_local_send() {
    // Cognito: one data key; cognito-local: two, both under the pool's key.
    const { assert!(MAX_KMS_DECRYPTS >= 2 && MAX_DATA_KEYS >= MAX_KMS_DECRYPTS) };
    let two = vector("v2-0578-two-keys");
    assert_eq!(Message::parse(&two.message).unwrap().data_keys.len(), 2);
}

/// A key that counts how often it is compared and hashed.
struct Counted<'a>(&'a str, &'a std::cell::Cell<usize>);

impl PartialEq for Counted<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.1.set(self.1.get() + 1);
        self.0 == other.0
    }
}

impl Eq for Counted<'_> {}

impl std::hash::Hash for Counted<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.1.set(self.1.get() + 1);
        self.0.hash(state);
    }
}

#[test]
fn the_duplicate_key_check_is_linear() {
    // As many distinct keys as a context's 64 KiB hold, then the first again.
    let keys: Vec<String> = (0..10_850).map(|i| format!("{i:x}")).collect();
    let work = std::cell::Cell::new(0);
    let found = message::first_duplicate(keys.iter().map(|key| Counted(key, &work)));
    assert!(found.is_none());
    assert!(
        work.get() <= 3 * keys.len(),
        "{} comparisons and hashes for {} keys",
        work.get(),
        keys.len()
    );
    let work = std::cell::Cell::new(0);
    let found = message::first_duplicate(
        keys.iter()
            .chain(std::iter::once(&keys[0]))
            .map(|key| Counted(key, &work)),
    );
    assert_eq!(found.map(|key| key.0), Some("0"));
    assert!(work.get() <= 3 * (keys.len() + 1), "{}", work.get());
}

/// A version 2, 0x0478 message whose encryption context is `pairs`, in
/// that order; the rest is `v`'s (its tag no longer matches: only parsing
/// is tested).
fn with_context(v: &Vector, pairs: &[(&str, &str)]) -> Vec<u8> {
    let bytes = &v.message;
    let aad_len = usize::from(u16::from_be_bytes([bytes[35], bytes[36]]));
    let mut aad = (pairs.len() as u16).to_be_bytes().to_vec();
    for (key, value) in pairs {
        for field in [key, value] {
            aad.extend_from_slice(&(field.len() as u16).to_be_bytes());
            aad.extend_from_slice(field.as_bytes());
        }
    }
    let mut message = bytes[..35].to_vec();
    message.extend_from_slice(&(aad.len() as u16).to_be_bytes());
    message.extend_from_slice(&aad);
    message.extend_from_slice(&bytes[37 + aad_len..]);
    message
}

#[test]
fn reads_a_full_context_and_finds_a_key_twice_anywhere_in_it() {
    let v = vector("v2-0478-frames");
    // 8,000 keys: 59,634 bytes of context, near its 65,535.
    let keys: Vec<String> = (0..8_000).map(|i| format!("{i:x}")).collect();
    let mut pairs: Vec<(&str, &str)> = keys.iter().map(|key| (key.as_str(), "")).collect();
    let bytes = with_context(&v, &pairs);
    let message = Message::parse(&bytes).unwrap();
    assert_eq!(message.context.len(), keys.len());
    assert_eq!(message.context_value("1f3f"), Some(""));
    pairs.push(("fa0", "again"));
    let refusal = internal_message(__open(&with_context(&v, &pairs), &[0; 32]));
    assert!(
        refusal.contains("the encryption context has fa0 twice"),
        "{refusal}"
    );
}

#[test]
fn the_code_is_decrypted_into_one_buffer_and_never_shown() {
    for name in ["v1-0378-frames", "v2-0478-frames", "v2-0578-frames"] {
        let v = vector(name);
        let code = __open(&v.message, v.data_key.as_deref().unwrap()).unwrap();
        assert_eq!(code, v.plaintext.as_str());
        // Sized once from the frames' lengths: a buffer grown frame by
        // frame would have left its smaller copies behind, unwiped.
        assert_eq!(code.0.capacity(), v.plaintext.len(), "{name}");
        let shown = format!("{code:?}");
        assert!(!shown.contains(&v.plaintext[..6]), "{shown}");
        assert_eq!(shown, format!("Code({} bytes)", v.plaintext.len()));
    }
}

#[test]
fn wiped_zeroes_a_value_when_dropped() {
    let mut slot = std::mem::MaybeUninit::new(message::Wiped::new([0xa5u8; 64]));
    assert_eq!(**unsafe { slot.assume_init_ref() }, [0xa5; 64]);
    // SAFETY: initialised above, dropped once; the slot's bytes stay ours to
    // read, and Wiped's drop wrote every one of them.
    unsafe { slot.assume_init_drop() };
    let bytes = unsafe {
        std::slice::from_raw_parts(slot.as_ptr().cast::<u8>(), std::mem::size_of_val(&slot))
    };
    assert!(bytes.iter().all(|&byte| byte == 0), "{bytes:?}");
}
