//! Codes encrypted as Cognito encrypts them for custom sender triggers
//! (features `testing` and `decrypt`), so that a test can hand a sender an
//! event its [`CodeDecryptor`](crate::decrypt::CodeDecryptor) decrypts.
//!
//! Cognito encrypts a code with the AWS Encryption SDK (ESDK) under the
//! pool's KMS key. A real code (one posted in awslabs/aws-sdk-rust issue 1250, from
//! `ap-northeast-1`) reads: message format 1, suite `0x0378`
//! (AES-256-GCM, HKDF-SHA384, ECDSA P-384), an encryption context of
//! `aws-crypto-public-key` and `userpool-id` (the pool's ID), one encrypted
//! data key (provider `aws-kms`, the key's ARN), framed content with frame
//! length 4096, a header IV of zeros, the code in one final frame, and a
//! 103-byte signature. This module writes the same, following the ESDK
//! specification (awslabs/aws-encryption-sdk-specification:
//! `client-apis/encrypt.md`, `data-format/message-{header,body,body-aad,footer}.md`,
//! `framework/default-cmm.md`, `framework/aws-kms/aws-kms-keyring.md`).

use crate::BoxError;
use crate::decrypt::{POOL_CONTEXT_KEY, aws_sdk_kms};
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P384_SHA384_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use ring::{aead, hkdf};

/// `AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384`, what Cognito writes.
const SUITE_ID: u16 = 0x0378;
/// The encryption context key of the signature's public key (default CMM).
const PUBLIC_KEY: &str = "aws-crypto-public-key";
/// The key provider ID of the data keys KMS encrypts.
const KMS_PROVIDER: &str = "aws-kms";
/// The SDKs' default frame length, and the one in real Cognito codes.
const FRAME_LENGTH: u32 = 4096;
const FINAL_FRAME: u32 = 0xffff_ffff;
const MESSAGE_ID_LEN: usize = 16;
const IV_LEN: usize = 12;
/// The suite's key derivation input length: what KMS is asked for.
const DATA_KEY_LEN: usize = 32;
/// A DER ECDSA P-384 signature's length varies with `r` and `s`; the SDKs
/// keep it at 103 bytes (the Python SDK signs again until it is), so that a
/// message's length does not depend on its signature; real Cognito codes
/// have 103-byte ones too.
const SIGNATURE_LEN: usize = 103;
/// More signing attempts than a fixed length needs (about half of them
/// give 103 bytes); after them any valid length is kept.
const SIGNING_ATTEMPTS: usize = 64;

/// One ESDK message in the making, as the ESDK's default cryptographic
/// materials manager prepares it before it asks KMS for a data key: a new
/// P-384 signing key and the encryption context with its public key. Asking
/// KMS needs that context (the data key is bound to it), so it comes first:
/// [`encryption_context`](Self::encryption_context) is what to pass to KMS
/// `GenerateDataKey`, and [`seal`](Self::seal) writes the message with the
/// key KMS returned. [`encrypt_code`] does both.
pub struct Sealer {
    signing_key: EcdsaKeyPair,
    /// Sorted by key, with the public key.
    context: Vec<(String, String)>,
    rng: SystemRandom,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer")
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// A sealer whose message carries the encryption context `context` (for
    /// Cognito's, `[("userpool-id", pool_id)]`) and the public key of a
    /// signing key generated here. Fails if `context` names
    /// `aws-crypto-public-key` (the SDK refuses to overwrite it) or a key
    /// twice, or does not fit the header's 64 KiB.
    pub fn new(
        context: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>,
    ) -> Result<Self, BoxError> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_ASN1_SIGNING, &rng)
            .map_err(|_| "cannot generate a P-384 signing key")?;
        let signing_key =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_ASN1_SIGNING, pkcs8.as_ref(), &rng)
                .map_err(|error| format!("cannot read the P-384 signing key: {error}"))?;
        let mut context: Vec<(String, String)> = context
            .into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .collect();
        if context.iter().any(|(key, _)| key == PUBLIC_KEY) {
            return Err(format!("the encryption context already has {PUBLIC_KEY}").into());
        }
        let public_key = compress(signing_key.public_key().as_ref());
        context.push((
            PUBLIC_KEY.to_owned(),
            base64::engine::general_purpose::STANDARD.encode(public_key),
        ));
        // `str`'s order is its bytes' order: the spec's "ascending order
        // according to the UTF-8 encoded binary value".
        context.sort_by(|(a, _), (b, _)| a.cmp(b));
        if let Some(pair) = context.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(format!("the encryption context has {} twice", pair[0].0).into());
        }
        serialize_context(&context)?;
        Ok(Self {
            signing_key,
            context,
            rng,
        })
    }

    /// The message's encryption context, sorted by key, with
    /// `aws-crypto-public-key` (the compressed public key, base64): what the
    /// ESDK passes to KMS, and what the decryptor passes back to it.
    pub fn encryption_context(&self) -> &[(String, String)] {
        &self.context
    }

    /// The message (not base64): `plaintext` encrypted under `data_key` (32
    /// bytes, in plaintext), with one encrypted data key whose provider is
    /// `aws-kms`, provider information `key_arn` and ciphertext
    /// `encrypted_data_key`. Its message ID is new; its frames are 4096 bytes
    /// long, the final one holding what remains: a full frame when
    /// `plaintext` is a multiple of 4096 bytes, as the spec recommends (the
    /// Python SDK writes an empty final frame after it instead: both are
    /// valid, and Cognito's codes are far shorter than a frame), an empty
    /// one for an empty `plaintext`. It is signed with this sealer's key,
    /// which signs no other message.
    pub fn seal(
        self,
        plaintext: &[u8],
        data_key: &[u8],
        encrypted_data_key: &[u8],
        key_arn: &str,
    ) -> Result<Vec<u8>, BoxError> {
        if data_key.len() != DATA_KEY_LEN {
            return Err(format!(
                "the data key has {} bytes, not {DATA_KEY_LEN}",
                data_key.len()
            )
            .into());
        }
        let mut message_id = [0u8; MESSAGE_ID_LEN];
        self.rng
            .fill(&mut message_id)
            .map_err(|_| "no randomness for the message ID")?;

        // Header body, format 1.
        let aad = serialize_context(&self.context)?;
        let mut message = Vec::with_capacity(
            512 + aad.len() + encrypted_data_key.len() + plaintext.len() * 17 / 16,
        );
        message.extend_from_slice(&[0x01, 0x80]);
        message.extend_from_slice(&SUITE_ID.to_be_bytes());
        message.extend_from_slice(&message_id);
        message.extend_from_slice(&length16(aad.len(), "encryption context")?.to_be_bytes());
        message.extend_from_slice(&aad);
        message.extend_from_slice(&1u16.to_be_bytes());
        short_field(&mut message, KMS_PROVIDER.as_bytes(), "key provider ID")?;
        short_field(&mut message, key_arn.as_bytes(), "key ARN")?;
        short_field(&mut message, encrypted_data_key, "encrypted data key")?;
        message.push(0x02); // framed
        message.extend_from_slice(&[0; 4]); // reserved
        message.push(IV_LEN as u8);
        message.extend_from_slice(&FRAME_LENGTH.to_be_bytes());

        // HKDF-SHA384 without salt (a hash length of zeros), info = suite
        // ID ‖ message ID; the output goes straight into the AES key.
        let key = hkdf::Salt::new(hkdf::HKDF_SHA384, &[0u8; 48])
            .extract(data_key)
            .expand(&[&SUITE_ID.to_be_bytes(), &message_id], &aead::AES_256_GCM)
            .map(|okm| aead::LessSafeKey::new(okm.into()))
            .map_err(|_| "key derivation failed")?;

        // Header authentication: the tag of an empty plaintext with the
        // header body as AAD, under an IV of zeros (written out in format 1).
        let header_iv = [0u8; IV_LEN];
        let tag = key
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(header_iv),
                aead::Aad::from(&message[..]),
                &mut [],
            )
            .map_err(|_| "cannot authenticate the header")?;
        message.extend_from_slice(&header_iv);
        message.extend_from_slice(tag.as_ref());

        // Body: regular frames while more than a frame remains, then the
        // final frame with the rest (possibly empty).
        let frame_length = FRAME_LENGTH as usize;
        let mut rest = plaintext;
        for sequence in 1..FINAL_FRAME {
            let last = rest.len() <= frame_length;
            let (content, after) = rest.split_at(if last { rest.len() } else { frame_length });
            let iv = frame_iv(sequence);
            if last {
                message.extend_from_slice(&FINAL_FRAME.to_be_bytes());
            }
            message.extend_from_slice(&sequence.to_be_bytes());
            message.extend_from_slice(&iv);
            if last {
                // At most FRAME_LENGTH: fits.
                message.extend_from_slice(&(content.len() as u32).to_be_bytes());
            }
            let start = message.len();
            message.extend_from_slice(content);
            let tag = key
                .seal_in_place_separate_tag(
                    aead::Nonce::assume_unique_for_key(iv),
                    aead::Aad::from(body_aad(&message_id, last, sequence, content.len())),
                    &mut message[start..],
                )
                .map_err(|_| "cannot encrypt a frame")?;
            message.extend_from_slice(tag.as_ref());
            if last {
                // Footer: the signature of header and body.
                let signature = self.sign(&message)?;
                message.extend_from_slice(&(signature.len() as u16).to_be_bytes());
                message.extend_from_slice(&signature);
                return Ok(message);
            }
            rest = after;
        }
        Err("the plaintext needs more frames than a message may have".into())
    }

    /// The ECDSA P-384 / SHA-384 signature of `signed`, DER, of the SDKs'
    /// fixed length when one of the attempts gives it.
    fn sign(&self, signed: &[u8]) -> Result<Vec<u8>, BoxError> {
        let mut signature = Vec::new();
        for _ in 0..SIGNING_ATTEMPTS {
            signature = self
                .signing_key
                .sign(&self.rng, signed)
                .map_err(|_| "cannot sign the message")?
                .as_ref()
                .to_vec();
            if signature.len() == SIGNATURE_LEN {
                break;
            }
        }
        Ok(signature)
    }
}

/// The ESDK message (not base64) of `plaintext`, for suite `0x0378`, with
/// the encryption context `context` (plus the signing key's
/// `aws-crypto-public-key`) and one `aws-kms` encrypted data key
/// (`key_arn`, `encrypted_data_key`): [`Sealer::new`] then [`Sealer::seal`].
///
/// For tests without KMS, where `encrypted_data_key` can be any bytes. A
/// data key KMS is to decrypt must have been generated under the full
/// context, public key included, which only exists once the signing key
/// does: use [`Sealer`] (or [`encrypt_code`]) for that.
pub fn seal_message(
    plaintext: &[u8],
    data_key: &[u8],
    encrypted_data_key: &[u8],
    key_arn: &str,
    context: &[(&str, &str)],
) -> Result<Vec<u8>, BoxError> {
    Sealer::new(context.iter().copied())?.seal(plaintext, data_key, encrypted_data_key, key_arn)
}

/// `code` encrypted as Cognito encrypts the codes and temporary passwords
/// it gives custom sender triggers, for the pool `pool_id` and under the KMS
/// key `key_arn`: what Cognito puts in `request.code` (the message in
/// base64, standard alphabet, padded).
///
/// ```no_run
/// # async fn example(kms: &cognito_trigger::decrypt::aws_sdk_kms::Client, key_arn: &str) -> Result<(), cognito_trigger::BoxError> {
/// use cognito_trigger::events::{CustomEmailSenderEvent, CustomEmailSenderSource};
/// use cognito_trigger::testing::encrypt_code;
///
/// let mut event = CustomEmailSenderEvent::sample(CustomEmailSenderSource::SignUp);
/// event.request.code = Some(encrypt_code(kms, key_arn, &event.user_pool_id, "123456").await?);
/// # Ok(())
/// # }
/// ```
///
/// As the ESDK does with a KMS keyring (or master key) and the default
/// CMM: a signing key is generated and its public key added to the
/// encryption context `{"userpool-id": pool_id}`; KMS `GenerateDataKey` is
/// called with `key_arn`, 32 bytes (`NumberOfBytes`, as the keyring asks;
/// the same as `KeySpec` `AES_256`) and that whole context; the data key's
/// ciphertext becomes the one encrypted data key, named by the key ARN KMS
/// returned; the message is sealed as [`Sealer::seal`] says.
///
/// Where it simplifies: no grant tokens, no data key caching, the whole
/// code in memory, and nothing wiped (the data key and the signing key are
/// dropped as they are). Cognito's own choices (its context, one data key,
/// 4096-byte frames) are read from a real code; whether Cognito adds
/// anything in other regions or cases is not known.
pub async fn encrypt_code(
    kms: &aws_sdk_kms::Client,
    key_arn: &str,
    pool_id: &str,
    code: &str,
) -> Result<String, BoxError> {
    let sealer = Sealer::new([(POOL_CONTEXT_KEY, pool_id)])?;
    let output = kms
        .generate_data_key()
        .key_id(key_arn)
        .number_of_bytes(DATA_KEY_LEN as i32)
        .set_encryption_context(Some(sealer.encryption_context().iter().cloned().collect()))
        .send()
        .await
        .map_err(|error| {
            format!(
                "KMS GenerateDataKey with {key_arn} failed: {}",
                aws_sdk_kms::error::DisplayErrorContext(error)
            )
        })?;
    let data_key = output
        .plaintext()
        .ok_or("KMS GenerateDataKey returned no plaintext data key")?;
    let encrypted_data_key = output
        .ciphertext_blob()
        .ok_or("KMS GenerateDataKey returned no encrypted data key")?;
    // The keyring names the data key by the ARN KMS returns, whatever
    // identifier it was given.
    let kms_key_arn = output
        .key_id()
        .filter(|id| id.starts_with("arn:") && id.contains(":key/"))
        .ok_or_else(|| {
            format!(
                "KMS GenerateDataKey returned no key ARN ({:?})",
                output.key_id()
            )
        })?;
    let message = sealer.seal(
        code.as_bytes(),
        data_key.as_ref(),
        encrypted_data_key.as_ref(),
        kms_key_arn,
    )?;
    Ok(base64::engine::general_purpose::STANDARD.encode(message))
}

/// The uncompressed point `04 ‖ x ‖ y` ring gives, compressed (SEC 1,
/// 2.3.3): `02` or `03` as `y` is even or odd, then `x`.
fn compress(uncompressed: &[u8]) -> Vec<u8> {
    let (x, y) = uncompressed[1..].split_at((uncompressed.len() - 1) / 2);
    let mut compressed = Vec::with_capacity(1 + x.len());
    compressed.push(0x02 | (y[y.len() - 1] & 1));
    compressed.extend_from_slice(x);
    compressed
}

/// The encryption context's serialization (`framework/structures.md`):
/// pair count, then each key and value with its 2-byte length; empty for
/// an empty context. `context` is sorted and has no duplicate key.
fn serialize_context(context: &[(String, String)]) -> Result<Vec<u8>, BoxError> {
    if context.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    out.extend_from_slice(&length16(context.len(), "encryption context")?.to_be_bytes());
    for (key, value) in context {
        short_field(&mut out, key.as_bytes(), "encryption context key")?;
        short_field(&mut out, value.as_bytes(), "encryption context value")?;
    }
    length16(out.len(), "encryption context")?;
    Ok(out)
}

fn length16(len: usize, what: &str) -> Result<u16, BoxError> {
    u16::try_from(len).map_err(|_| format!("the {what} is longer than 65535 bytes").into())
}

/// `bytes` preceded by its 2-byte length.
fn short_field(out: &mut Vec<u8>, bytes: &[u8], what: &str) -> Result<(), BoxError> {
    out.extend_from_slice(&length16(bytes.len(), what)?.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// A frame's IV: its sequence number, big-endian, left-padded with zeros.
fn frame_iv(sequence: u32) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    iv[IV_LEN - 4..].copy_from_slice(&sequence.to_be_bytes());
    iv
}

/// A frame's AAD (`data-format/message-body-aad.md`): message ID, content
/// string, sequence number, content length.
fn body_aad(message_id: &[u8], last: bool, sequence: u32, len: usize) -> Vec<u8> {
    let content: &[u8] = if last {
        b"AWSKMSEncryptionClient Final Frame"
    } else {
        b"AWSKMSEncryptionClient Frame"
    };
    let mut aad = Vec::with_capacity(message_id.len() + content.len() + 12);
    aad.extend_from_slice(message_id);
    aad.extend_from_slice(content);
    aad.extend_from_slice(&sequence.to_be_bytes());
    aad.extend_from_slice(&(len as u64).to_be_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decrypt::__open;

    const KEY_ARN: &str =
        "arn:aws:kms:us-east-1:123456789012:key/0b4c5a2e-8a7d-4d0f-9f3e-1c2d3e4f5a6b";
    const POOL: &str = "us-east-1_Seal01";

    fn data_key() -> [u8; 32] {
        let mut key = [0u8; 32];
        SystemRandom::new().fill(&mut key).unwrap();
        key
    }

    /// ASCII, so that the decryptor's UTF-8 check passes, and not periodic
    /// with the frame length.
    fn plaintext(len: usize) -> Vec<u8> {
        (0..len).map(|i| b'!' + (i % 93) as u8).collect()
    }

    fn seal(plaintext: &[u8], data_key: &[u8]) -> Vec<u8> {
        seal_message(
            plaintext,
            data_key,
            b"the KMS ciphertext",
            KEY_ARN,
            &[(POOL_CONTEXT_KEY, POOL)],
        )
        .unwrap()
    }

    /// A frame's sequence number, content length and finality.
    type Frame = (u32, usize, bool);

    /// What a message holds, read back by hand from the spec's layout (not
    /// with the decryptor's parser, which the other tests use).
    #[derive(Debug)]
    struct Layout {
        message_id: Vec<u8>,
        context: Vec<(String, String)>,
        data_keys: Vec<(String, String, Vec<u8>)>,
        frame_length: u32,
        header_iv: Vec<u8>,
        frames: Vec<Frame>,
        signature_len: usize,
    }

    struct Cursor<'a>(&'a [u8]);

    impl<'a> Cursor<'a> {
        fn take(&mut self, len: usize) -> &'a [u8] {
            let (head, tail) = self.0.split_at(len);
            self.0 = tail;
            head
        }
        fn u16(&mut self) -> usize {
            u16::from_be_bytes(self.take(2).try_into().unwrap()).into()
        }
        fn u32(&mut self) -> u32 {
            u32::from_be_bytes(self.take(4).try_into().unwrap())
        }
        fn field(&mut self) -> &'a [u8] {
            let len = self.u16();
            self.take(len)
        }
        fn text(&mut self) -> String {
            String::from_utf8(self.field().to_vec()).unwrap()
        }
    }

    fn layout(message: &[u8]) -> Layout {
        let mut c = Cursor(message);
        assert_eq!(c.take(4), [0x01, 0x80, 0x03, 0x78], "version, type, suite");
        let message_id = c.take(16).to_vec();
        let aad_len = c.u16();
        let mut aad = Cursor(c.take(aad_len));
        let context = (0..aad.u16()).map(|_| (aad.text(), aad.text())).collect();
        assert!(aad.0.is_empty());
        let data_keys = (0..c.u16())
            .map(|_| (c.text(), c.text(), c.field().to_vec()))
            .collect();
        assert_eq!(
            c.take(6),
            [0x02, 0, 0, 0, 0, 12],
            "framed, reserved, IV length"
        );
        let frame_length = c.u32();
        let header_iv = c.take(12).to_vec();
        c.take(16);
        let mut frames = Vec::new();
        loop {
            let first = c.u32();
            let last = first == FINAL_FRAME;
            let sequence = if last { c.u32() } else { first };
            assert_eq!(c.take(12), frame_iv(sequence));
            let len = if last {
                c.u32() as usize
            } else {
                frame_length as usize
            };
            c.take(len + 16);
            frames.push((sequence, len, last));
            if last {
                break;
            }
        }
        let signature_len = c.field().len();
        assert!(c.0.is_empty(), "bytes after the footer");
        Layout {
            message_id,
            context,
            data_keys,
            frame_length,
            header_iv,
            frames,
            signature_len,
        }
    }

    #[test]
    fn sealed_messages_open_with_the_decryptor() {
        for len in [0, 6, 4095, 4096, 4097, 10000] {
            let (plaintext, data_key) = (plaintext(len), data_key());
            let code = __open(&seal(&plaintext, &data_key), &data_key)
                .unwrap_or_else(|error| panic!("{len} bytes: {error}"));
            assert_eq!(code.as_bytes(), plaintext, "{len} bytes");
        }
    }

    #[test]
    fn the_layout_is_cognitos() {
        // (plaintext length, its frames)
        let cases: [(usize, &[Frame]); 6] = [
            (0, &[(1, 0, true)]),
            (6, &[(1, 6, true)]),
            (4095, &[(1, 4095, true)]),
            (4096, &[(1, 4096, true)]),
            (4097, &[(1, 4096, false), (2, 1, true)]),
            (
                10000,
                &[(1, 4096, false), (2, 4096, false), (3, 1808, true)],
            ),
        ];
        for (len, frames) in cases {
            let message = seal(&plaintext(len), &data_key());
            let layout = layout(&message);
            assert_eq!(layout.frames, frames, "{len} bytes");
            assert_eq!(layout.frame_length, 4096);
            assert_eq!(layout.header_iv, [0; 12]);
            assert_eq!(layout.signature_len, SIGNATURE_LEN);
            assert_eq!(
                layout.data_keys,
                [(
                    "aws-kms".to_owned(),
                    KEY_ARN.to_owned(),
                    b"the KMS ciphertext".to_vec()
                )]
            );
            let keys: Vec<&str> = layout.context.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, ["aws-crypto-public-key", "userpool-id"]);
            assert_eq!(layout.context[1].1, POOL);
            let public_key = base64::engine::general_purpose::STANDARD
                .decode(&layout.context[0].1)
                .unwrap();
            assert_eq!(public_key.len(), 49, "a compressed P-384 point");
            assert!(matches!(public_key[0], 0x02 | 0x03));
        }
    }

    #[test]
    fn the_context_is_sorted_by_its_keys_bytes() {
        let sealer =
            Sealer::new([("zeta", "1"), ("Zeta", "2"), ("alpha", "3"), ("é", "4")]).unwrap();
        let keys: Vec<String> = sealer
            .encryption_context()
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(
            keys,
            ["Zeta", "alpha", "aws-crypto-public-key", "zeta", "é"]
        );
        let message = sealer
            .seal(b"123456", &data_key(), b"edk", KEY_ARN)
            .unwrap();
        let written: Vec<String> = layout(&message)
            .context
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(written, keys);
    }

    #[test]
    fn each_message_has_its_own_id_and_signing_key() {
        let data_key = data_key();
        let (a, b) = (seal(b"123456", &data_key), seal(b"123456", &data_key));
        let (a, b) = (layout(&a), layout(&b));
        assert_ne!(a.message_id, b.message_id);
        assert_ne!(a.context[0], b.context[0]);
    }

    #[test]
    fn a_flipped_byte_is_refused() {
        let data_key = data_key();
        let short = seal(b"123456", &data_key);
        // Every byte of a short message, a spread of a long one's.
        let long_plaintext = plaintext(10000);
        let long = seal(&long_plaintext, &data_key);
        let positions = (0..short.len())
            .map(|at| (&short, at))
            .chain((0..long.len()).step_by(97).map(|at| (&long, at)))
            .chain([(&long, long.len() - 1)]);
        for (message, at) in positions {
            let mut altered = message.clone();
            altered[at] ^= 0x01;
            assert!(
                __open(&altered, &data_key).is_err(),
                "byte {at} of {} flipped, and the message still opens",
                message.len()
            );
        }
        assert_eq!(__open(&long, &data_key).unwrap().as_bytes(), long_plaintext);
    }

    #[test]
    fn another_data_key_does_not_open_it() {
        let message = seal(b"123456", &data_key());
        let error = __open(&message, &data_key()).unwrap_err();
        assert!(error.to_string().contains("header"), "{error}");
    }

    #[test]
    fn what_the_sdk_refuses_is_refused() {
        let short_key = seal_message(b"1", &[0; 31], b"edk", KEY_ARN, &[]);
        assert!(short_key.unwrap_err().to_string().contains("31 bytes"));
        let public_key = Sealer::new([(PUBLIC_KEY, "mine")]);
        assert!(public_key.unwrap_err().to_string().contains(PUBLIC_KEY));
        let twice = Sealer::new([("a", "1"), ("a", "2")]);
        assert!(twice.unwrap_err().to_string().contains("a twice"));
        let huge = Sealer::new([("big", "x".repeat(70_000))]);
        assert!(huge.is_err());
        let huge_key = seal_message(b"1", &[0; 32], &vec![0; 70_000], KEY_ARN, &[]);
        assert!(huge_key.is_err());
    }
}
