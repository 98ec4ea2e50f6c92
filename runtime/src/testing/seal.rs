//! The code Cognito gives a custom sender, made as Cognito makes it: an AWS
//! Encryption SDK message, format version 1, algorithm suite `0x0378`
//! (AES-256-GCM, HKDF-SHA384, ECDSA P-384; real codes start `AYADe`, i.e.
//! `01 80 03 78`), framed, whose data key KMS generated under the pool's key.
//! The writing side of `decrypt::message`, following the same specification
//! (aws-encryption-sdk-specification, `data-format/message-*.md`): what one
//! reads, the other writes.
//!
//! Simplified: one encrypted data key (Cognito's), and an encryption
//! context of `userpool-id` and the signature's public key.

use crate::BoxError;
use crate::decrypt::POOL_CONTEXT_KEY;
use crate::decrypt::aws_sdk_kms;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use ring::{aead, hkdf, signature};

const SUITE: u16 = 0x0378;
const IV_LEN: usize = 12;
const KEY_LEN: usize = 32;
/// The SDKs' default frame length.
const FRAME_LENGTH: usize = 4096;
const FINAL_FRAME: u32 = 0xffff_ffff;
const PUBLIC_KEY: &str = "aws-crypto-public-key";

/// `code` encrypted as Cognito gives it to a custom sender of pool
/// `pool_id`: KMS (`kms`) generates the data key under `key_arn`, with the
/// message's encryption context; the result is the message, base64.
pub async fn encrypt_code(
    kms: &aws_sdk_kms::Client,
    key_arn: &str,
    pool_id: &str,
    code: &str,
) -> Result<String, BoxError> {
    let rng = SystemRandom::new();
    let signer = Signer::new(&rng)?;
    let mut context = vec![
        (POOL_CONTEXT_KEY.to_owned(), pool_id.to_owned()),
        (PUBLIC_KEY.to_owned(), signer.public_key()),
    ];
    context.sort();
    let generated = kms
        .generate_data_key()
        .key_id(key_arn)
        .key_spec(aws_sdk_kms::types::DataKeySpec::Aes256)
        .set_encryption_context(Some(context.iter().cloned().collect()))
        .send()
        .await?;
    let data_key = generated.plaintext().ok_or("KMS returned no data key")?;
    let encrypted = generated
        .ciphertext_blob()
        .ok_or("KMS returned no encrypted data key")?;
    let provider_info = generated.key_id().unwrap_or(key_arn);
    let message = seal(
        code.as_bytes(),
        data_key.as_ref(),
        &context,
        (provider_info.as_bytes(), encrypted.as_ref()),
        &signer,
        &rng,
    )?;
    Ok(base64::engine::general_purpose::STANDARD.encode(message))
}

/// The signing key of one message.
pub(crate) struct Signer(signature::EcdsaKeyPair);

impl Signer {
    pub(crate) fn new(rng: &SystemRandom) -> Result<Self, BoxError> {
        let algorithm = &signature::ECDSA_P384_SHA384_ASN1_SIGNING;
        let pkcs8 = signature::EcdsaKeyPair::generate_pkcs8(algorithm, rng)
            .map_err(|_| "cannot generate a P-384 key")?;
        let pair = signature::EcdsaKeyPair::from_pkcs8(algorithm, pkcs8.as_ref(), rng)
            .map_err(|_| "cannot read the P-384 key")?;
        Ok(Self(pair))
    }

    /// The public key as the encryption context carries it: the compressed
    /// point, base64.
    pub(crate) fn public_key(&self) -> String {
        use signature::KeyPair as _;
        // Uncompressed: 0x04 ‖ x ‖ y, 48 bytes each.
        let point = self.0.public_key().as_ref();
        let (x, y) = point[1..].split_at(48);
        let mut compressed = Vec::with_capacity(49);
        compressed.push(0x02 | (y[47] & 1));
        compressed.extend_from_slice(x);
        base64::engine::general_purpose::STANDARD.encode(compressed)
    }
}

fn short_field(out: &mut Vec<u8>, field: &[u8]) -> Result<(), BoxError> {
    let len = u16::try_from(field.len()).map_err(|_| "a header field over 65535 bytes")?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(field);
    Ok(())
}

fn frame_iv(sequence: u32) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    iv[IV_LEN - 4..].copy_from_slice(&sequence.to_be_bytes());
    iv
}

struct KeyLen;

impl hkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

/// The message of `plaintext` under `data_key`, with the sorted encryption
/// `context` (which holds the signer's public key) and one data key
/// (`provider info`, `encrypted data key`) of provider `aws-kms`.
pub(crate) fn seal(
    plaintext: &[u8],
    data_key: &[u8],
    context: &[(String, String)],
    (provider_info, encrypted_key): (&[u8], &[u8]),
    signer: &Signer,
    rng: &SystemRandom,
) -> Result<Vec<u8>, BoxError> {
    let mut message_id = [0u8; 16];
    rng.fill(&mut message_id).map_err(|_| "no randomness")?;

    let mut header = vec![0x01, 0x80];
    header.extend_from_slice(&SUITE.to_be_bytes());
    header.extend_from_slice(&message_id);
    let mut aad = Vec::new();
    if !context.is_empty() {
        aad.extend_from_slice(&(context.len() as u16).to_be_bytes());
        for (key, value) in context {
            short_field(&mut aad, key.as_bytes())?;
            short_field(&mut aad, value.as_bytes())?;
        }
    }
    short_field(&mut header, &aad)?;
    header.extend_from_slice(&1u16.to_be_bytes());
    short_field(&mut header, b"aws-kms")?;
    short_field(&mut header, provider_info)?;
    short_field(&mut header, encrypted_key)?;
    header.push(0x02); // framed
    header.extend_from_slice(&[0; 4]); // reserved
    header.push(IV_LEN as u8);
    header.extend_from_slice(&(FRAME_LENGTH as u32).to_be_bytes());

    let mut content_key = [0u8; KEY_LEN];
    hkdf::Salt::new(hkdf::HKDF_SHA384, &[0u8; 48])
        .extract(data_key)
        .expand(&[&SUITE.to_be_bytes(), &message_id], KeyLen)
        .and_then(|okm| okm.fill(&mut content_key))
        .map_err(|_| "key derivation failed")?;
    let key = aead::LessSafeKey::new(
        aead::UnboundKey::new(&aead::AES_256_GCM, &content_key)
            .map_err(|_| "not an AES-256 key")?,
    );

    let mut out = header.clone();
    // The header's IV is all zeros, as the SDKs write it.
    let header_iv = [0u8; IV_LEN];
    let tag = key
        .seal_in_place_separate_tag(
            aead::Nonce::assume_unique_for_key(header_iv),
            aead::Aad::from(&header),
            &mut [],
        )
        .map_err(|_| "cannot authenticate the header")?;
    out.extend_from_slice(&header_iv);
    out.extend_from_slice(tag.as_ref());

    // Full frames, then the final frame with the rest (possibly empty).
    let full = plaintext.len().saturating_sub(1) / FRAME_LENGTH;
    let chunks = plaintext.chunks(FRAME_LENGTH);
    let mut sequence = 0u32;
    let mut rest: &[u8] = &[];
    for (index, chunk) in chunks.enumerate() {
        if index == full {
            rest = chunk;
            break;
        }
        sequence += 1;
        frame(&key, &message_id, sequence, chunk, false, &mut out)?;
    }
    frame(&key, &message_id, sequence + 1, rest, true, &mut out)?;

    let signature = signer
        .0
        .sign(rng, &out)
        .map_err(|_| "cannot sign the message")?;
    short_field(&mut out, signature.as_ref())?;
    Ok(out)
}

fn frame(
    key: &aead::LessSafeKey,
    message_id: &[u8],
    sequence: u32,
    content: &[u8],
    last: bool,
    out: &mut Vec<u8>,
) -> Result<(), BoxError> {
    let aad_content: &[u8] = if last {
        b"AWSKMSEncryptionClient Final Frame"
    } else {
        b"AWSKMSEncryptionClient Frame"
    };
    let mut aad = message_id.to_vec();
    aad.extend_from_slice(aad_content);
    aad.extend_from_slice(&sequence.to_be_bytes());
    aad.extend_from_slice(&(content.len() as u64).to_be_bytes());
    if last {
        out.extend_from_slice(&FINAL_FRAME.to_be_bytes());
    }
    out.extend_from_slice(&sequence.to_be_bytes());
    out.extend_from_slice(&frame_iv(sequence));
    if last {
        out.extend_from_slice(&(content.len() as u32).to_be_bytes());
    }
    let mut sealed = content.to_vec();
    let tag = key
        .seal_in_place_separate_tag(
            aead::Nonce::assume_unique_for_key(frame_iv(sequence)),
            aead::Aad::from(aad),
            &mut sealed,
        )
        .map_err(|_| "cannot encrypt a frame")?;
    out.extend_from_slice(&sealed);
    out.extend_from_slice(tag.as_ref());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(plaintext: &[u8], data_key: &[u8; 32]) -> Vec<u8> {
        let rng = SystemRandom::new();
        let signer = Signer::new(&rng).unwrap();
        let mut context = vec![
            ("userpool-id".to_owned(), "us-east-1_EXAMPLE".to_owned()),
            (PUBLIC_KEY.to_owned(), signer.public_key()),
        ];
        context.sort();
        let key_arn =
            b"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        seal(
            plaintext,
            data_key,
            &context,
            (key_arn, b"encrypted"),
            &signer,
            &rng,
        )
        .unwrap()
    }

    #[test]
    fn the_decryptor_opens_every_length_and_refuses_a_changed_byte() {
        let data_key = [7u8; 32];
        for len in [0, 1, 6, 4095, 4096, 4097, 10_000] {
            let plaintext: Vec<u8> = (0..len).map(|i| b'0' + (i % 10) as u8).collect();
            let message = sealed(&plaintext, &data_key);
            assert_eq!(&message[..4], [0x01, 0x80, 0x03, 0x78]);
            let code = crate::decrypt::__open(&message, &data_key).unwrap();
            assert_eq!(code.as_str().as_bytes(), &plaintext[..], "{len} bytes");
            for at in [5, message.len() / 2, message.len() - 1] {
                let mut changed = message.clone();
                changed[at] ^= 1;
                assert!(
                    crate::decrypt::__open(&changed, &data_key).is_err(),
                    "{len} bytes, byte {at}"
                );
            }
            assert!(crate::decrypt::__open(&message, &[8u8; 32]).is_err());
        }
    }
}
