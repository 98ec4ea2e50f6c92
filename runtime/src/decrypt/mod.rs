//! The code a custom sender receives, decrypted (feature `decrypt`).
//!
//! Cognito gives CustomSMSSender and CustomEmailSender triggers the code (or
//! temporary password) in `request.code`: an AWS Encryption SDK message,
//! base64-encoded, whose data key is encrypted by the pool's KMS key. A plain
//! KMS `Decrypt` of it fails; [`CodeDecryptor`] reads the message, has KMS
//! decrypt the data key with the pool's key, and decrypts the code:
//!
//! ```ignore
//! use cognito_trigger::decrypt::CodeDecryptor;
//! use cognito_trigger::{cognito_trigger, events::CustomSmsSenderEvent, Error};
//!
//! #[cognito_trigger(pool = "MyUserPool", trigger = CustomSMSSender, kms_key_id = "arn:aws:kms:...")]
//! async fn send_sms(event: CustomSmsSenderEvent, codes: &CodeDecryptor) -> Result<CustomSmsSenderEvent, Error> {
//!     if let Some(code) = codes.decrypt(&event).await? {
//!         // send `code` through your provider; do not log it
//!     }
//!     Ok(event)
//! }
//! ```
//!
//! Its [`Setup`] reads the function's environment: the region and
//! credentials as every AWS SDK does (`AWS_ENDPOINT_URL_KMS` too), and the
//! pool's key ARN from `KMS_KEY_ARN` (the keys of all its pools, separated by
//! commas, when one function is the sender of several pools: the template
//! writes it so).
//!
//! What it accepts, as the AWS Encryption SDK does in strict mode:
//!
//! - message format 1 with suite `0x0378` (AES-256-GCM, HKDF-SHA384, ECDSA
//!   P-384: what Cognito sends), and format 2 with the committing suites
//!   `0x0478` and `0x0578` (what the SDKs write by default); the signature
//!   and the key commitment are verified;
//! - only the encrypted data keys whose provider is `aws-kms` and whose key is
//!   a configured ARN, decrypted by KMS with that key ID (never discovery);
//! - when the encryption context names a `userpool-id`, only the event's pool.
//!
//! Anything else fails with an [`Error::internal`] that says what is wrong
//! (the user sees "Internal error"). Neither the code nor the data key is
//! logged, and the buffers that held them are wiped.

mod message;
mod point;

use crate::events::{CustomEmailSenderEvent, CustomSenderEvent, CustomSmsSenderEvent};
use crate::{BoxError, Error, Setup};
use base64::Engine as _;
use message::Message;
use std::collections::HashMap;
use zeroize::Zeroizing;

/// The AWS SDK for KMS, in the version [`CodeDecryptor::new`] takes.
pub use aws_sdk_kms;

pub use crate::KMS_KEY_ARN_VARIABLE as KEY_ARN_VARIABLE;

/// The encryption context key with which Cognito names the pool a code is for.
pub const POOL_CONTEXT_KEY: &str = "userpool-id";

/// The key provider ID of the data keys KMS encrypts.
const KMS_PROVIDER: &[u8] = b"aws-kms";

/// Decrypts the codes Cognito gives the custom senders of a pool, with the
/// pool's KMS key (or of several pools, with any of their keys). Take `&CodeDecryptor` as a handler's second argument, or
/// hold one in your own [`Setup`] type ([`CodeDecryptor::from_env`],
/// [`CodeDecryptor::new`]).
#[derive(Clone, Debug)]
pub struct CodeDecryptor {
    kms: aws_sdk_kms::Client,
    /// Never empty.
    key_arns: Vec<String>,
}

impl Setup for CodeDecryptor {
    async fn setup() -> Result<Self, BoxError> {
        Self::from_env().await
    }
}

impl CodeDecryptor {
    /// A decryptor that has `kms` decrypt data keys with the key `key_arn`
    /// (`arn:aws:kms:<region>:<account>:key/<id>`: the key ARN, as the
    /// encrypted data keys name it, not an alias or a bare key ID).
    pub fn new(kms: aws_sdk_kms::Client, key_arn: impl Into<String>) -> Result<Self, BoxError> {
        Self::with_keys(kms, [key_arn])
    }

    /// A decryptor for the custom senders of several pools: it decrypts data
    /// keys encrypted by any of `key_arns` (key ARNs, as for [`new`](Self::new)),
    /// and by no other.
    pub fn with_keys(
        kms: aws_sdk_kms::Client,
        key_arns: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Self, BoxError> {
        let key_arns: Vec<String> = key_arns.into_iter().map(Into::into).collect();
        if key_arns.is_empty() {
            return Err("a decryptor needs at least one KMS key ARN".into());
        }
        for key_arn in &key_arns {
            check_key_arn(key_arn)?;
        }
        Ok(Self { kms, key_arns })
    }

    /// A decryptor configured from the environment: the AWS SDK's usual
    /// settings (region, credentials, `AWS_ENDPOINT_URL_KMS`) and the key
    /// ARNs in `KMS_KEY_ARN`, separated by commas if there are several.
    pub async fn from_env() -> Result<Self, BoxError> {
        let variable = std::env::var(KEY_ARN_VARIABLE).map_err(|_| {
            format!("{KEY_ARN_VARIABLE} is not set: it holds the ARN of the pool's KMS key")
        })?;
        let key_arns = key_arns_in(&variable)?;
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http)
            .load()
            .await;
        Self::with_keys(aws_sdk_kms::Client::new(&config), key_arns)
    }

    /// The KMS client, to share with another decryptor or client.
    pub fn kms(&self) -> &aws_sdk_kms::Client {
        &self.kms
    }

    /// The ARNs of the keys data keys may be decrypted with.
    pub fn key_arns(&self) -> &[String] {
        &self.key_arns
    }

    /// The event's code, decrypted; `None` when the event has none.
    pub async fn decrypt<E: SenderEvent + ?Sized>(
        &self,
        event: &E,
    ) -> Result<Option<String>, Error> {
        match event.encrypted_code() {
            Some(code) => self
                .decrypt_code(code, event.user_pool_id())
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// Decrypts `code` (a base64 AWS Encryption SDK message) made for the
    /// pool `user_pool_id`.
    pub async fn decrypt_code(&self, code: &str, user_pool_id: &str) -> Result<String, Error> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(code.trim())
            .map_err(|error| {
                Error::internal(format!(
                    "cannot decrypt the custom sender's code: it is not base64 ({error})"
                ))
            })?;
        let message = Message::parse(&bytes)?;
        // Before KMS is asked anything: a message altered in transit, or
        // made by someone without the private key, stops here.
        message.verify_signature()?;
        if let Some(pool) = message.context_value(POOL_CONTEXT_KEY)
            && pool != user_pool_id
        {
            return Err(Error::internal(format!(
                "cannot decrypt the custom sender's code: it was made for the pool {pool}, and the event is for {user_pool_id}"
            )));
        }
        let data_key = self.data_key(&message).await?;
        message::into_string(message.decrypt(&data_key)?)
    }

    /// The plaintext data key, from the first encrypted data key for a
    /// configured key that KMS decrypts.
    async fn data_key(&self, message: &Message<'_>) -> Result<Zeroizing<Vec<u8>>, Error> {
        let context: HashMap<String, String> = message.context.iter().cloned().collect();
        let mut failures = Vec::new();
        let ours = message.data_keys.iter().filter_map(|key| {
            let key_arn = self
                .key_arns
                .iter()
                .find(|arn| key.provider_info == arn.as_bytes())?;
            (key.provider_id == KMS_PROVIDER).then_some((key, key_arn))
        });
        for (key, key_arn) in ours {
            let response = self
                .kms
                .decrypt()
                .key_id(key_arn)
                .ciphertext_blob(aws_sdk_kms::primitives::Blob::new(key.ciphertext))
                .set_encryption_context(Some(context.clone()))
                .send()
                .await;
            let mut output = match response {
                Ok(output) => output,
                Err(error) => {
                    failures.push(aws_sdk_kms::error::DisplayErrorContext(error).to_string());
                    continue;
                }
            };
            let plaintext = Zeroizing::new(
                output
                    .plaintext
                    .take()
                    .map(|blob| blob.into_inner())
                    .unwrap_or_default(),
            );
            if output.key_id() != Some(key_arn.as_str()) {
                failures.push(format!(
                    "KMS decrypted with {:?}, not {key_arn}",
                    output.key_id()
                ));
                continue;
            }
            return Ok(plaintext);
        }
        if failures.is_empty() {
            let providers: Vec<String> = message
                .data_keys
                .iter()
                .map(|key| {
                    format!(
                        "{}:{}",
                        String::from_utf8_lossy(key.provider_id),
                        String::from_utf8_lossy(key.provider_info)
                    )
                })
                .collect();
            return Err(Error::internal(format!(
                "cannot decrypt the custom sender's code: no data key is encrypted by {} (the message has {}): is {KEY_ARN_VARIABLE} the pool's key?",
                self.key_arns.join(" or "),
                providers.join(", ")
            )));
        }
        Err(Error::internal(format!(
            "cannot decrypt the custom sender's code: KMS did not decrypt its data key with {}: {}",
            self.key_arns.join(" or "),
            failures.join("; ")
        )))
    }
}

/// For the fuzzer (`fuzz/checks/decrypt_message.rs`): what
/// [`CodeDecryptor::decrypt_code`] does after KMS gave the data key (parse,
/// verify the signature, decrypt), on any bytes. Not a public API.
#[doc(hidden)]
pub fn __open(message: &[u8], data_key: &[u8]) -> Result<String, Error> {
    let message = Message::parse(message)?;
    message.verify_signature()?;
    message::into_string(message.decrypt(data_key)?)
}

/// The key ARNs of `KMS_KEY_ARN`'s value: one, or several separated by commas.
fn key_arns_in(variable: &str) -> Result<Vec<String>, BoxError> {
    let key_arns: Vec<String> = variable
        .split(',')
        .map(str::trim)
        .filter(|arn| !arn.is_empty())
        .map(str::to_owned)
        .collect();
    if key_arns.is_empty() {
        return Err(
            format!("{KEY_ARN_VARIABLE} is empty: it holds the ARN of the pool's KMS key").into(),
        );
    }
    Ok(key_arns)
}

/// A key ARN: `arn:<partition>:kms:<region>:<account>:key/<id>`.
/// Only its shape: the declarations' keys are checked in full at build time
/// (`cognito_trigger_core::arn::kms_key`).
fn check_key_arn(arn: &str) -> Result<(), BoxError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && parts[2] == "kms"
        && !parts[3].is_empty()
        && !parts[4].is_empty()
        && parts[5]
            .strip_prefix("key/")
            .is_some_and(|id| !id.is_empty());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{arn:?} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): the code's data key names the key by its ARN"
        )
        .into())
    }
}

/// An event that may carry an encrypted code: [`CustomSmsSenderEvent`],
/// [`CustomEmailSenderEvent`] and [`CustomSenderEvent`].
pub trait SenderEvent: sealed::Sealed {
    /// `request.code`: the base64 message, if any.
    fn encrypted_code(&self) -> Option<&str>;
    /// `userPoolId`.
    fn user_pool_id(&self) -> &str;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! sender_event {
    ($($event:ty),*) => {$(
        impl sealed::Sealed for $event {}
        impl SenderEvent for $event {
            fn encrypted_code(&self) -> Option<&str> {
                self.request.code.as_deref()
            }
            fn user_pool_id(&self) -> &str {
                &self.user_pool_id
            }
        }
    )*};
}

sender_event!(CustomSmsSenderEvent, CustomEmailSenderEvent);

impl sealed::Sealed for CustomSenderEvent {}

impl SenderEvent for CustomSenderEvent {
    fn encrypted_code(&self) -> Option<&str> {
        match self {
            CustomSenderEvent::CustomSmsSender(event) => event.encrypted_code(),
            CustomSenderEvent::CustomEmailSender(event) => event.encrypted_code(),
        }
    }

    fn user_pool_id(&self) -> &str {
        match self {
            CustomSenderEvent::CustomSmsSender(event) => SenderEvent::user_pool_id(event),
            CustomSenderEvent::CustomEmailSender(event) => SenderEvent::user_pool_id(event),
        }
    }
}

#[cfg(test)]
mod tests;
