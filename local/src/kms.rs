//! A local KMS (moto, LocalStack) for custom senders. Cognito encrypts the
//! code it gives a custom sender under the pool's KMS key; cognito-local does
//! the same with the key of its `KMSConfig`. Pointing both cognito-local and
//! the functions at one local KMS and one key lets a sender decrypt, locally,
//! the very code cognito-local issued.

use crate::EnvOverride;
use cognito_trigger::KMS_KEY_ARN_VARIABLE;
use serde_json::{Value, json};

/// A KMS endpoint on this machine and the key cognito-local encrypts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalKms {
    endpoint: String,
    key_arn: String,
    region: String,
}

impl LocalKms {
    /// `endpoint` (`http://127.0.0.1:5000`) serves KMS; `key_arn`
    /// (`arn:aws:kms:<region>:<account>:key/<id>`) is a key it holds.
    pub fn new(endpoint: impl Into<String>, key_arn: impl Into<String>) -> Result<Self, String> {
        let key_arn = key_arn.into();
        // A local KMS keeps its keys per region, and the region is the ARN's.
        let region = cognito_trigger_core::arn::kms_key(&key_arn)?.to_owned();
        Ok(Self {
            endpoint: endpoint.into(),
            key_arn,
            region,
        })
    }

    /// cognito-local's `KMSConfig`: the key both generates the data key and
    /// encrypts it (cognito-local's keyring takes a generator and a key).
    pub fn cognito_local_config(&self) -> Value {
        json!({
            "KMSKeyId": self.key_arn,
            "KMSKeyAlias": self.key_arn,
            "endpoint": self.endpoint,
            "region": self.region,
            "credentials": {"accessKeyId": "local", "secretAccessKey": "local"},
        })
    }

    /// The variables that point every function at this KMS and key, for
    /// [`Options::env`](crate::Options::env): the key in `KMS_KEY_ARN` (which
    /// a deployment would set to the pool's key), the endpoint in
    /// `AWS_ENDPOINT_URL_KMS`, and credentials a local KMS accepts when this
    /// process has none to pass on.
    pub fn env(&self) -> Vec<EnvOverride> {
        let mut env = vec![
            (KMS_KEY_ARN_VARIABLE, self.key_arn.clone()),
            ("AWS_ENDPOINT_URL_KMS", self.endpoint.clone()),
        ];
        if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
            env.push(("AWS_ACCESS_KEY_ID", "local".into()));
            env.push(("AWS_SECRET_ACCESS_KEY", "local".into()));
        }
        env.into_iter()
            .map(|(name, value)| EnvOverride::all(name, value))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_region_from_the_key_arn() {
        let kms = LocalKms::new(
            "http://127.0.0.1:5000",
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd",
        )
        .unwrap();
        let config = kms.cognito_local_config();
        assert_eq!(config["region"], "eu-west-1");
        assert_eq!(config["KMSKeyId"], config["KMSKeyAlias"]);
        assert!(kms.env().contains(&EnvOverride::all(
            "KMS_KEY_ARN",
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"
        )));
    }

    #[test]
    fn refuses_what_is_not_a_key_arn() {
        for bad in [
            "alias/pool-key",
            "arn:aws:kms:eu-west-1:123456789012:alias/pool-key",
            "arn:aws:kms::123456789012:key/1234abcd",
            "1234abcd",
        ] {
            assert!(
                LocalKms::new("http://127.0.0.1:5000", bad).is_err(),
                "{bad}"
            );
        }
    }
}
