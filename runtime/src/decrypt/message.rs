//! The AWS Encryption SDK message format (aws-encryption-sdk-specification,
//! `data-format/message-{header,body,body-aad,footer}.md`), read in full:
//! header, framed or non-framed body, footer; and its decryption once the
//! data key is known. Only the suites Cognito and the current SDKs write:
//!
//! | suite | format | key derivation | commitment | signature |
//! |---|---|---|---|---|
//! | `0x0378` | 1 | HKDF-SHA384, no salt, info = suite ID ‖ message ID | none | ECDSA P-384 / SHA-384 |
//! | `0x0478` | 2 | HKDF-SHA512, salt = message ID, info = suite ID ‖ `DERIVEKEY` | HKDF `COMMITKEY` | none |
//! | `0x0578` | 2 | as `0x0478` | as `0x0478` | ECDSA P-384 / SHA-384 |

use super::point;
use crate::Error;
use base64::Engine as _;
use ring::{aead, hkdf, signature};
use std::collections::HashSet;
use std::hash::Hash;
use std::mem::MaybeUninit;
use zeroize::{Zeroize, Zeroizing};

/// The encryption context key of the signature's public key.
pub(super) const PUBLIC_KEY: &str = "aws-crypto-public-key";
const TAG_LEN: usize = 16;
const IV_LEN: usize = 12;
const KEY_LEN: usize = 32;
const FINAL_FRAME: u32 = 0xffff_ffff;

/// The most encrypted data keys a message may carry (the specification's
/// "maximum number of encrypted data keys", client-apis/client.md). Cognito
/// writes one; cognito-local two (its keyring's generator and key, both the
/// pool's key); the official SDKs one per wrapping key. A message over it is
/// refused when its count is read, before any entry is.
pub(super) const MAX_DATA_KEYS: u16 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Suite {
    pub id: u16,
    version: u8,
    committing: bool,
    signed: bool,
}

const SUITES: [Suite; 3] = [
    Suite {
        id: 0x0378,
        version: 1,
        committing: false,
        signed: true,
    },
    Suite {
        id: 0x0478,
        version: 2,
        committing: true,
        signed: false,
    },
    Suite {
        id: 0x0578,
        version: 2,
        committing: true,
        signed: true,
    },
];

fn refuse(detail: impl std::fmt::Display) -> Error {
    Error::internal(format!("cannot decrypt the custom sender's code: {detail}"))
}

/// An encrypted data key of the header.
pub(super) struct EncryptedDataKey<'a> {
    pub provider_id: &'a [u8],
    pub provider_info: &'a [u8],
    pub ciphertext: &'a [u8],
}

struct Frame<'a> {
    sequence: u32,
    content: &'a [u8],
    tag: &'a [u8],
    aad_content: &'static [u8],
}

/// A message, parsed and checked for form; nothing is authenticated yet.
pub(super) struct Message<'a> {
    pub suite: Suite,
    message_id: &'a [u8],
    /// The encryption context, in the message's order (sorted by key).
    pub context: Vec<(String, String)>,
    pub data_keys: Vec<EncryptedDataKey<'a>>,
    header_body: &'a [u8],
    header_iv: [u8; IV_LEN],
    header_tag: &'a [u8],
    commitment: Option<&'a [u8]>,
    frames: Vec<Frame<'a>>,
    /// Header and body: what the signature covers.
    signed: &'a [u8],
    signature: Option<&'a [u8]>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(refuse(format!("the message is truncated in its {what}")));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(self.take(2, what)?.try_into().unwrap()))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.take(4, what)?.try_into().unwrap()))
    }

    fn u64(&mut self, what: &str) -> Result<u64, Error> {
        Ok(u64::from_be_bytes(self.take(8, what)?.try_into().unwrap()))
    }

    /// A field preceded by its 2-byte length.
    fn short_field(&mut self, what: &str) -> Result<&'a [u8], Error> {
        let len = self.u16(what)?;
        self.take(len.into(), what)
    }

    fn is_empty(&self) -> bool {
        self.at == self.bytes.len()
    }
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| refuse(format!("the {what} is not UTF-8")))
}

/// The IV of the frame (or non-framed body) `sequence`: the sequence number,
/// big-endian, left-padded with zeros (the decrypt spec's "Decrypt the message body").
fn frame_iv(sequence: u32) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    iv[IV_LEN - 4..].copy_from_slice(&sequence.to_be_bytes());
    iv
}

impl<'a> Message<'a> {
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let mut reader = Reader { bytes, at: 0 };
        let version = reader.u8("version")?;
        if version == 1 {
            let kind = reader.u8("type")?;
            if kind != 0x80 {
                return Err(refuse(format!("unknown message type {kind:#04x}")));
            }
        } else if version != 2 {
            return Err(refuse(format!("unknown message format version {version}")));
        }
        let suite_id = reader.u16("algorithm suite")?;
        let Some(suite) = SUITES.iter().copied().find(|suite| suite.id == suite_id) else {
            return Err(refuse(format!(
                "unsupported algorithm suite {suite_id:#06x} (supported: 0x0378, 0x0478, 0x0578)"
            )));
        };
        if suite.version != version {
            return Err(refuse(format!(
                "algorithm suite {suite_id:#06x} in a version {version} message"
            )));
        }
        let message_id = reader.take(if version == 1 { 16 } else { 32 }, "message ID")?;

        let aad_len = reader.u16("encryption context")?;
        let aad = reader.take(aad_len.into(), "encryption context")?;
        let context = parse_context(aad)?;

        let key_count = reader.u16("encrypted data key count")?;
        if key_count == 0 {
            return Err(refuse("the message has no encrypted data key"));
        }
        if key_count > MAX_DATA_KEYS {
            return Err(refuse(format!(
                "the message has {key_count} encrypted data keys, more than the {MAX_DATA_KEYS} accepted"
            )));
        }
        let mut data_keys = Vec::with_capacity(key_count.into());
        for _ in 0..key_count {
            data_keys.push(EncryptedDataKey {
                provider_id: reader.short_field("key provider ID")?,
                provider_info: reader.short_field("key provider information")?,
                ciphertext: reader.short_field("encrypted data key")?,
            });
        }

        let framed = match reader.u8("content type")? {
            0x01 => false,
            0x02 => true,
            other => return Err(refuse(format!("unknown content type {other:#04x}"))),
        };
        if version == 1 {
            if reader.take(4, "reserved field")? != [0; 4] {
                return Err(refuse("the reserved header field is not zero"));
            }
            let iv_len = reader.u8("IV length")?;
            if usize::from(iv_len) != IV_LEN {
                return Err(refuse(format!("IV length {iv_len}, not {IV_LEN}")));
            }
        }
        let frame_length = reader.u32("frame length")?;
        if framed && frame_length == 0 {
            return Err(refuse("framed content with a frame length of 0"));
        }
        if !framed && frame_length != 0 {
            return Err(refuse("non-framed content with a frame length"));
        }
        let commitment = if suite.committing {
            Some(reader.take(KEY_LEN, "key commitment")?)
        } else {
            None
        };
        let header_body = &bytes[..reader.at];

        let mut header_iv = [0u8; IV_LEN];
        if version == 1 {
            header_iv.copy_from_slice(reader.take(IV_LEN, "header IV")?);
        }
        let header_tag = reader.take(TAG_LEN, "header authentication tag")?;

        let mut frames = Vec::new();
        if framed {
            for expected in 1u32.. {
                let first = reader.u32("frame sequence number")?;
                let last = first == FINAL_FRAME;
                let sequence = if last {
                    reader.u32("final frame sequence number")?
                } else {
                    first
                };
                if sequence != expected {
                    return Err(refuse(format!(
                        "frame {sequence} where frame {expected} should be"
                    )));
                }
                if reader.take(IV_LEN, "frame IV")? != frame_iv(sequence) {
                    return Err(refuse(format!(
                        "frame {sequence} has an IV other than its sequence number"
                    )));
                }
                let len = if last {
                    reader.u32("final frame length")?
                } else {
                    frame_length
                };
                if len > frame_length {
                    return Err(refuse("the final frame is longer than the frame length"));
                }
                let content = reader.take(len as usize, "frame content")?;
                let tag = reader.take(TAG_LEN, "frame authentication tag")?;
                let aad_content: &'static [u8] = if last {
                    b"AWSKMSEncryptionClient Final Frame"
                } else {
                    b"AWSKMSEncryptionClient Frame"
                };
                frames.push(Frame {
                    sequence,
                    content,
                    tag,
                    aad_content,
                });
                if last {
                    break;
                }
            }
        } else {
            if reader.take(IV_LEN, "body IV")? != frame_iv(1) {
                return Err(refuse("the body's IV is not 1"));
            }
            let len = reader.u64("body length")?;
            let len = usize::try_from(len).map_err(|_| refuse("the body's length is too large"))?;
            let content = reader.take(len, "body content")?;
            let tag = reader.take(TAG_LEN, "body authentication tag")?;
            frames.push(Frame {
                sequence: 1,
                content,
                tag,
                aad_content: b"AWSKMSEncryptionClient Single Block",
            });
        }
        let signed = &bytes[..reader.at];

        let has_public_key = context.iter().any(|(key, _)| key == PUBLIC_KEY);
        let signature = if suite.signed {
            if !has_public_key {
                return Err(refuse(format!(
                    "a signed message without {PUBLIC_KEY} in its encryption context"
                )));
            }
            Some(reader.short_field("signature")?)
        } else {
            if has_public_key {
                return Err(refuse(format!(
                    "an unsigned message with {PUBLIC_KEY} in its encryption context"
                )));
            }
            None
        };
        if !reader.is_empty() {
            return Err(refuse(format!(
                "{} bytes after the end of the message",
                bytes.len() - reader.at
            )));
        }
        Ok(Message {
            suite,
            message_id,
            context,
            data_keys,
            header_body,
            header_iv,
            header_tag,
            commitment,
            frames,
            signed,
            signature,
        })
    }

    /// The value of `key` in the encryption context.
    pub(super) fn context_value(&self, key: &str) -> Option<&str> {
        self.context
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }

    /// Checks the footer's signature with the public key of the encryption
    /// context; a message of an unsigned suite passes.
    pub(super) fn verify_signature(&self) -> Result<(), Error> {
        let Some(signature) = self.signature else {
            return Ok(());
        };
        let encoded = self.context_value(PUBLIC_KEY).unwrap_or_default();
        let compressed = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| refuse(format!("{PUBLIC_KEY} is not base64")))?;
        let public_key = point::decompress(&compressed)
            .ok_or_else(|| refuse(format!("{PUBLIC_KEY} is not a P-384 point")))?;
        signature::UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_ASN1, &public_key[..])
            .verify(self.signed, signature)
            .map_err(|_| refuse("the message's signature does not verify: it was altered or not signed by its sender"))
    }

    /// Decrypts the body with the plaintext data key: derives the content
    /// key, checks the key commitment and the header's authentication tag,
    /// then opens each frame in place, in one buffer sized from the frames'
    /// lengths (never regrown, so no copy of the plaintext is left behind).
    /// Returns the plaintext.
    pub(super) fn decrypt(&self, data_key: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        if data_key.len() != KEY_LEN {
            return Err(refuse(format!(
                "the data key has {} bytes, not {KEY_LEN}",
                data_key.len()
            )));
        }
        let content_key = self.derive(data_key)?;
        // ring keeps the AES key schedule and GHASH key in the value itself
        // and does not wipe them: `Wiped` does, when this returns.
        let key = Wiped::new(
            aead::UnboundKey::new(&aead::AES_256_GCM, &content_key[..])
                .map(aead::LessSafeKey::new)
                .map_err(|_| refuse("the content key is not an AES-256 key"))?,
        );

        key.open_in_place_separate_tag(
            aead::Nonce::assume_unique_for_key(self.header_iv),
            aead::Aad::from(self.header_body),
            tag(self.header_tag),
            &mut [],
            0..,
        )
        .map_err(|_| {
            refuse("the header's authentication tag does not match: the header was altered")
        })?;

        let total = self.frames.iter().map(|frame| frame.content.len()).sum();
        let mut plaintext = Zeroizing::new(Vec::with_capacity(total));
        for frame in &self.frames {
            let mut aad = Vec::with_capacity(self.message_id.len() + frame.aad_content.len() + 12);
            aad.extend_from_slice(self.message_id);
            aad.extend_from_slice(frame.aad_content);
            aad.extend_from_slice(&frame.sequence.to_be_bytes());
            aad.extend_from_slice(&(frame.content.len() as u64).to_be_bytes());
            let start = plaintext.len();
            plaintext.extend_from_slice(frame.content);
            // On a mismatch the frame's bytes are left in `plaintext`, which
            // is wiped when the error returns.
            key.open_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(frame_iv(frame.sequence)),
                aead::Aad::from(aad),
                tag(frame.tag),
                &mut plaintext[start..],
                0..,
            )
            .map_err(|_| {
                refuse(format!(
                    "frame {}'s authentication tag does not match: the body was altered",
                    frame.sequence
                ))
            })?;
        }
        debug_assert_eq!(plaintext.capacity(), total, "the buffer was regrown");
        Ok(plaintext)
    }

    /// The AES-256-GCM key, derived from the data key by the suite's HKDF;
    /// for the committing suites, after checking the header's commitment.
    fn derive(&self, data_key: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>, Error> {
        let suite_id = self.suite.id.to_be_bytes();
        let mut content_key = Zeroizing::new([0u8; KEY_LEN]);
        let Some(commitment) = self.commitment else {
            let salt = [0u8; 48];
            // The pseudorandom key (an HMAC key state in ring) is as secret
            // as the data key: wiped when it goes.
            let prk = Wiped::new(hkdf::Salt::new(hkdf::HKDF_SHA384, &salt).extract(data_key));
            prk.expand(&[&suite_id, self.message_id], KeyLen)
                .and_then(|okm| okm.fill(&mut content_key[..]))
                .map_err(|_| refuse("key derivation failed"))?;
            return Ok(content_key);
        };
        let prk = Wiped::new(hkdf::Salt::new(hkdf::HKDF_SHA512, self.message_id).extract(data_key));
        let mut commit_key = Zeroizing::new([0u8; KEY_LEN]);
        prk.expand(&[b"COMMITKEY"], KeyLen)
            .and_then(|okm| okm.fill(&mut commit_key[..]))
            .map_err(|_| refuse("commit key derivation failed"))?;
        if !constant_time_eq(&commit_key[..], commitment) {
            return Err(refuse(
                "the key commitment does not match: the message was altered or made for another key",
            ));
        }
        prk.expand(&[&suite_id, b"DERIVEKEY"], KeyLen)
            .and_then(|okm| okm.fill(&mut content_key[..]))
            .map_err(|_| refuse("key derivation failed"))?;
        Ok(content_key)
    }
}

/// A value of ring's (a key schedule, an HMAC state) whose bytes are
/// zeroed when it goes out of scope: ring's key types hold their state
/// inline and do not wipe it. Only for types without drop glue, so that not
/// running their `Drop` (there is none) loses nothing; the check is at
/// compile time. Copies the compiler made while the value was built and
/// moved here are not reached.
pub(super) struct Wiped<T>(MaybeUninit<T>);

impl<T> Wiped<T> {
    pub(super) fn new(value: T) -> Self {
        const { assert!(!std::mem::needs_drop::<T>()) };
        Self(MaybeUninit::new(value))
    }
}

impl<T> std::ops::Deref for Wiped<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: initialised in `new`, and only zeroed in `drop`.
        unsafe { self.0.assume_init_ref() }
    }
}

impl<T> Drop for Wiped<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

fn tag(bytes: &[u8]) -> aead::Tag {
    // The reader took exactly TAG_LEN bytes for every tag.
    aead::Tag::try_from(bytes).expect("a 16-byte tag")
}

struct KeyLen;

impl hkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// The encryption context of the header's AAD: `count (2) || (key, value)*`,
/// each with a 2-byte length; empty when the AAD is.
fn parse_context(aad: &[u8]) -> Result<Vec<(String, String)>, Error> {
    if aad.is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = Reader { bytes: aad, at: 0 };
    let count = reader.u16("encryption context")?;
    if count == 0 {
        return Err(refuse("an encryption context of 0 pairs with a length"));
    }
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(count.into());
    for _ in 0..count {
        let key = utf8(
            reader.short_field("encryption context")?,
            "encryption context",
        )?;
        let value = utf8(
            reader.short_field("encryption context")?,
            "encryption context",
        )?;
        pairs.push((key, value));
    }
    if !reader.is_empty() {
        return Err(refuse("the encryption context is longer than its pairs"));
    }
    if let Some(key) = first_duplicate(pairs.iter().map(|&(key, _)| key)) {
        return Err(refuse(format!("the encryption context has {key} twice")));
    }
    Ok(pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect())
}

/// The first key seen twice, in time linear in the number of keys (a hash
/// set, with std's randomly keyed hasher, so no input can make its keys
/// collide): a context's 64 KiB hold some 10,850 distinct keys, and
/// comparing each with all the keys before it would cost 59 million
/// comparisons, before anything is authenticated.
pub(super) fn first_duplicate<K: Eq + Hash>(keys: impl IntoIterator<Item = K>) -> Option<K> {
    let keys = keys.into_iter();
    let mut seen = HashSet::with_capacity(keys.size_hint().0);
    for key in keys {
        if let Some(key) = seen.replace(key) {
            return Some(key);
        }
    }
    None
}

/// The plaintext as a string, in the same buffer (no copy); its bytes are
/// wiped when it is not UTF-8.
pub(super) fn into_string(mut plaintext: Zeroizing<Vec<u8>>) -> Result<Zeroizing<String>, Error> {
    match String::from_utf8(std::mem::take(&mut *plaintext)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(error) => {
            error.into_bytes().zeroize();
            Err(refuse("the decrypted code is not UTF-8"))
        }
    }
}
