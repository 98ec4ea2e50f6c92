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
//!         // send `code.as_str()` through your provider; do not log it
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
//! - at most [`MAX_DATA_KEYS`] encrypted data keys (the specification's
//!   maximum number of encrypted data keys; Cognito writes one,
//!   cognito-local two), refused as soon as their count is read;
//! - only the encrypted data keys whose provider is `aws-kms` and whose key is
//!   a configured ARN, decrypted by KMS with that key ID (never discovery),
//!   and of those at most the first [`MAX_KMS_DECRYPTS`]: a code costs at
//!   most that many KMS calls;
//! - when the encryption context names a `userpool-id`, only the event's
//!   pool; a context without one is accepted unless
//!   [`CodeDecryptor::require_pool_id`] says otherwise (cognito-local writes
//!   no context, and AWS does not document that Cognito always writes it).
//!
//! Anything else fails with an [`Error::internal`] that says what is wrong
//! (the user sees "Internal error"). Neither the code nor the data key is
//! logged. The work before authentication is linear in the message's size.
//!
//! What is wiped, and what is not:
//!
//! - wiped: the plaintext data key KMS returned (once taken from its
//!   response), the HKDF pseudorandom keys, the commitment key and the
//!   AES-256 content key, ring's AES-GCM key state (key schedule and GHASH
//!   key), the plaintext buffer (decrypted in place, in one buffer sized
//!   from the frames' lengths, never regrown), and the returned [`Code`]
//!   when it is dropped (also when it is not UTF-8);
//! - not wiped: the KMS response's body (the data key in base64, in JSON)
//!   in the AWS SDK's and hyper's buffers, and any copy the SDK's decoding
//!   makes before it hands the key over; ring's temporaries on the stack and in registers
//!   while it derives and decrypts, and the copies the compiler makes when
//!   it moves ring's key values; whatever your code makes of the [`Code`]
//!   (a message text, your provider's request).

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

/// The most KMS `Decrypt` calls one code may cost (each is a sequential
/// round trip): of the data keys that name a configured key, only the first
/// ones are tried. Cognito's message has one data key; cognito-local's two,
/// both under the pool's key, the first of which decrypts.
pub const MAX_KMS_DECRYPTS: usize = 3;

/// The most encrypted data keys a code's message may carry, whichever keys
/// they name; a message with more is refused before any is read.
pub const MAX_DATA_KEYS: usize = message::MAX_DATA_KEYS as usize;

/// A decrypted code (or temporary password). Its buffer is wiped when it is
/// dropped; it derefs to `str`. It has no `Display` and its `Debug` shows
/// no character of it, so that it is not logged by accident: what you make
/// of it (a message text with the code in it) is yours to wipe.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(Zeroizing<String>);

impl Code {
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Code({} bytes)", self.0.len())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Decrypts the codes Cognito gives the custom senders of a pool, with the
/// pool's KMS key (or of several pools, with any of their keys). Take `&CodeDecryptor` as a handler's second argument, or
/// hold one in your own [`Setup`] type ([`CodeDecryptor::from_env`],
/// [`CodeDecryptor::new`]).
#[derive(Clone, Debug)]
pub struct CodeDecryptor {
    kms: aws_sdk_kms::Client,
    /// Never empty.
    key_arns: Vec<String>,
    /// Refuse a code whose encryption context names no pool.
    require_pool: bool,
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
        Ok(Self {
            kms,
            key_arns,
            require_pool: false,
        })
    }

    /// Refuse, as made for no pool, a code whose encryption context has no
    /// `userpool-id` (by default such a code is accepted for the event's
    /// pool: cognito-local writes no encryption context, and the AWS
    /// developer guide does not say that Cognito always writes one).
    pub fn require_pool_id(mut self, required: bool) -> Self {
        self.require_pool = required;
        self
    }

    /// A decryptor configured from the environment: the AWS SDK's usual
    /// settings (region, credentials, `AWS_ENDPOINT_URL_KMS`) and the key
    /// ARNs in `KMS_KEY_ARN`, separated by commas if there are several.
    ///
    /// Lambda gives every function its region (`AWS_REGION`) and its role's
    /// credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`) in the environment: when they are there, they
    /// are read by aws-config's environment providers alone, without the
    /// default chains (profile files, web identity with its STS client, the
    /// container and instance metadata endpoints), which a cold start would
    /// otherwise set up. Without them the default chains run, as in any
    /// AWS SDK. The HTTPS client trusts Mozilla's root certificates, built
    /// in ([`webpki_root_certs`]), rather than reading the system's
    /// certificate store at each cold start: a KMS endpoint behind a private
    /// certificate authority needs [`CodeDecryptor::new`] with a client of
    /// your own.
    pub async fn from_env() -> Result<Self, BoxError> {
        let variable = std::env::var(KEY_ARN_VARIABLE).map_err(|_| {
            format!("{KEY_ARN_VARIABLE} is not set: it holds the ARN of the pool's KMS key")
        })?;
        let key_arns = key_arns_in(&variable)?;
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(kms_http_client()?);
        if std::env::var_os("AWS_REGION").is_some() {
            loader =
                loader.region(aws_config::environment::EnvironmentVariableRegionProvider::new());
        }
        if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
            loader = loader.credentials_provider(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            );
        }
        let config = loader.load().await;
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
    pub async fn decrypt<E: SenderEvent + ?Sized>(&self, event: &E) -> Result<Option<Code>, Error> {
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
    pub async fn decrypt_code(&self, code: &str, user_pool_id: &str) -> Result<Code, Error> {
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
        match message.context_value(POOL_CONTEXT_KEY) {
            Some(pool) if pool != user_pool_id => {
                return Err(Error::internal(format!(
                    "cannot decrypt the custom sender's code: it was made for the pool {pool}, and the event is for {user_pool_id}"
                )));
            }
            None if self.require_pool => {
                return Err(Error::internal(format!(
                    "cannot decrypt the custom sender's code: its encryption context names no pool ({POOL_CONTEXT_KEY}), and the event is for {user_pool_id}"
                )));
            }
            _ => {}
        }
        let data_key = self.data_key(&message).await?;
        message::into_string(message.decrypt(&data_key)?).map(Code)
    }

    /// The plaintext data key, from the first encrypted data key for a
    /// configured key that KMS decrypts.
    async fn data_key(&self, message: &Message<'_>) -> Result<Zeroizing<Vec<u8>>, Error> {
        let context: HashMap<String, String> = message.context.iter().cloned().collect();
        let mut failures = Vec::new();
        let ours: Vec<_> = message
            .data_keys
            .iter()
            .filter_map(|key| {
                let key_arn = self
                    .key_arns
                    .iter()
                    .find(|arn| key.provider_info == arn.as_bytes())?;
                (key.provider_id == KMS_PROVIDER).then_some((key, key_arn))
            })
            .collect();
        // At most MAX_KMS_DECRYPTS sequential calls, however many data keys
        // name a configured key.
        for &(key, key_arn) in ours.iter().take(MAX_KMS_DECRYPTS) {
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
        let untried = match ours.len().checked_sub(MAX_KMS_DECRYPTS) {
            Some(untried) if untried > 0 => format!(
                " ({untried} more data keys for it left untried: at most {MAX_KMS_DECRYPTS} are sent to KMS)"
            ),
            _ => String::new(),
        };
        Err(Error::internal(format!(
            "cannot decrypt the custom sender's code: KMS did not decrypt its data key with {}: {}{untried}",
            self.key_arns.join(" or "),
            failures.join("; ")
        )))
    }
}

/// For the fuzzer (`fuzz/checks/decrypt_message.rs`): what
/// [`CodeDecryptor::decrypt_code`] does after KMS gave the data key (parse,
/// verify the signature, decrypt), on any bytes. Not a public API.
#[doc(hidden)]
pub fn __open(message: &[u8], data_key: &[u8]) -> Result<Code, Error> {
    let message = Message::parse(message)?;
    message.verify_signature()?;
    message::into_string(message.decrypt(data_key)?).map(Code)
}

/// The HTTPS client of the KMS client: the AWS SDK's, over rustls with
/// ring, trusting Mozilla's root certificates (webpki-root-certs, handed to
/// the SDK as PEM, the form its trust store takes) and not the system's
/// store, whose every file rustls-native-certs would read.
pub(crate) fn kms_http_client() -> Result<aws_sdk_kms::config::SharedHttpClient, BoxError> {
    use aws_smithy_http_client::tls;
    let mut pem = String::with_capacity(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() * 2048);
    for cert in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        pem.push_str("-----BEGIN CERTIFICATE-----\n");
        base64::engine::general_purpose::STANDARD.encode_string(cert, &mut pem);
        pem.push_str("\n-----END CERTIFICATE-----\n");
    }
    let context = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_pem_certificate(pem))
        .build()?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(context)
        .build_https())
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
