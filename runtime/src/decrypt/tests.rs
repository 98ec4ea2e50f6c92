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

fn internal_message(result: Result<String, Error>) -> String {
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
            v.plaintext,
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
