//! The custom senders' AWS Encryption SDK message reader and decryptor
//! (`cognito_trigger::decrypt`, feature `decrypt`) on any bytes, through
//! `cognito_trigger::decrypt::__open`: what `CodeDecryptor::decrypt_code`
//! does once KMS has given the data key (parse the message, verify its
//! signature, check the key commitment and the header's tag, open each
//! frame, read the plaintext as UTF-8).
//!
//! Input: the first 32 bytes are the plaintext data key (an AES-256 key, as
//! KMS returns it), the rest is the message; an input shorter than 32 bytes
//! is all data key, with an empty message. The seeds are the messages of
//! `runtime/tests/fixtures/decrypt/vectors.json` (the Python ESDK's, suites
//! 0x0378, 0x0478 and 0x0578, framed and not) preceded by their data keys.
//!
//! Checks, on every input:
//! - no panic, and no allocation or loop the input's size does not bound
//!   (libFuzzer's `-rss_limit_mb` and `-timeout`);
//! - the same result twice (the same plaintext, or the same refusal);
//! - a refusal is an internal error (`Error::internal`: the user sees
//!   `cognito_trigger::INTERNAL_MESSAGE`, never the details), of type
//!   `InternalError`, whose message starts with "cannot decrypt the custom
//!   sender's code: " and says what is wrong after it.
//!
//! And on an input that decrypts: the message changed in a single byte is
//! refused, at its first, middle and last byte and at three positions
//! derived from the input (with a value derived from it); so is the message
//! cut by its last byte or with a byte appended, and the data key changed in
//! one byte. That holds for every byte of all three suites, with no
//! exception to leave out: with the data key fixed,
//! - the signed suites (0x0378, 0x0578): the ECDSA P-384 signature covers
//!   every byte before the footer (header, header IV and tag, frames), the
//!   public key it is checked with is in the (signed) encryption context, and
//!   the footer's own bytes are its length (which the reader checks against
//!   the end of the message) and the DER signature (which ring parses
//!   strictly);
//! - the unsigned suite (0x0478): the header's AES-GCM tag authenticates
//!   the whole header body, the encrypted data keys included (their
//!   ciphertext is only ever opened by KMS, but it is part of the header's
//!   AAD), and the key commitment, which also binds the message ID; each
//!   frame's tag covers its content, its sequence number and length (in the
//!   AAD) and whether it is the final frame (the AAD's content string); and
//!   what no tag covers, each frame's IV, the reader requires to be the
//!   frame's sequence number;
//! - and in every suite a change of a length or a count moves what comes
//!   after it, which then fails one of the above or the reader's own checks.
//!
//! The fuzzer can forge neither a signature nor a tag, so after mutation an
//! input decrypts only when it is one of the seeds: these checks run on
//! them, and on the fuzzer's inputs everything up to the first tag or
//! signature that fails (the reader, the public key's decompression, the
//! key derivation and the commitment). With `DECRYPT_MESSAGE_EVERY_BYTE`
//! set, an input that decrypts is changed at every byte instead (each one
//! XORed with 0x01, 0x80 and 0xff): run the target on the corpus so to check
//! the claim above in full (`<target binary> corpus/decrypt_message`).
//!
//! Shared by the fuzz target `fuzz_targets/decrypt_message.rs` and, as the
//! other targets' checks, the corpus replay in the normal test run
//! (runtime/tests/properties.rs, behind the `decrypt` feature).

use cognito_trigger::decrypt::__open;
use cognito_trigger::{Error, INTERNAL_MESSAGE};
use std::sync::OnceLock;

/// The length of an AES-256 data key: the input's first bytes.
const DATA_KEY_LEN: usize = 32;

/// How every refusal of the decryptor begins.
const PREFIX: &str = "cannot decrypt the custom sender's code: ";

/// Set (to anything) to change every byte of a message that decrypts.
const EVERY_BYTE: &str = "DECRYPT_MESSAGE_EVERY_BYTE";

fn every_byte() -> bool {
    static SET: OnceLock<bool> = OnceLock::new();
    *SET.get_or_init(|| std::env::var_os(EVERY_BYTE).is_some())
}

/// FNV-1a: positions and values that depend on the input, the same on
/// every run.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A refusal as the decryptor must make it.
fn check_refusal(error: &Error, what: &str) {
    let message = error.to_string();
    assert_eq!(
        error.user_message(),
        INTERNAL_MESSAGE,
        "{what}: the user would see the details: {message}"
    );
    assert!(!error.is_rejection(), "{what}: a rejection: {message}");
    assert_eq!(error.error_type(), "InternalError", "{what}: {message}");
    let detail = message.strip_prefix(PREFIX);
    assert!(
        detail.is_some_and(|detail| !detail.trim().is_empty()),
        "{what}: a refusal that does not say what is wrong: {message:?}"
    );
}

/// `__open` twice: the same result both times; a refusal checked.
fn open(message: &[u8], data_key: &[u8], what: &str) -> Result<String, String> {
    let first = __open(message, data_key);
    let second = __open(message, data_key);
    match (first, second) {
        (Ok(first), Ok(second)) => {
            assert_eq!(first, second, "{what}: two plaintexts");
            Ok(first.as_str().to_owned())
        }
        (Err(first), Err(second)) => {
            check_refusal(&first, what);
            assert_eq!(
                (first.to_string(), first.error_type()),
                (second.to_string(), second.error_type()),
                "{what}: two refusals"
            );
            Err(first.to_string())
        }
        (first, second) => panic!(
            "{what}: decrypted once and refused once: {:?}, then {:?}",
            first.map(|code| code.len()).map_err(|e| e.to_string()),
            second.map(|code| code.len()).map_err(|e| e.to_string())
        ),
    }
}

/// `message`, which decrypts with `data_key`, changed so: refused.
fn refused(message: &[u8], data_key: &[u8], what: &str) {
    if let Ok(plaintext) = open(message, data_key, what) {
        panic!(
            "{what}: decrypted after the change ({} bytes of plaintext)",
            plaintext.len()
        );
    }
}

fn flipped(message: &[u8], at: usize, mask: u8) -> Vec<u8> {
    let mut altered = message.to_vec();
    altered[at] ^= mask;
    altered
}

/// The input decrypted: no single change of it does.
fn check_accepted(data: &[u8], data_key: &[u8], message: &[u8]) {
    let len = message.len();
    let hash = fnv(data);
    if every_byte() {
        for at in 0..len {
            for mask in [0x01, 0x80, 0xff] {
                let what = format!("byte {at} of {len} ^ {mask:#04x}");
                refused(&flipped(message, at, mask), data_key, &what);
            }
        }
    } else {
        // Three derived positions, each changed by a derived nonzero value.
        let derived = (0..3).map(|i| {
            let bits = hash.rotate_left(21 * i);
            (bits as u16 as usize % len, ((bits >> 16) as u8).max(1))
        });
        let places = [(0, 0x01), (len / 2, 0x01), (len - 1, 0x01)]
            .into_iter()
            .chain(derived);
        for (at, mask) in places {
            let what = format!("byte {at} of {len} ^ {mask:#04x}");
            refused(&flipped(message, at, mask), data_key, &what);
        }
    }
    refused(&message[..len - 1], data_key, "the last byte cut");
    let mut longer = message.to_vec();
    longer.push(hash as u8);
    refused(&longer, data_key, "a byte appended");
    let at = (hash >> 8) as usize % data_key.len();
    refused(message, &flipped(data_key, at, 0x01), "another data key");
}

/// Checks one input; panics on a finding.
pub fn run(data: &[u8]) {
    let (data_key, message) = data.split_at(data.len().min(DATA_KEY_LEN));
    if open(message, data_key, "the input").is_ok() {
        // A data key of 32 bytes and a message of at least a header.
        check_accepted(data, data_key, message);
    }
}
