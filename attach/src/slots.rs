//! A pool's `LambdaConfig`, one trigger at a time: which function holds it,
//! and setting or clearing it.

use aws_sdk_cognitoidentityprovider::types::{
    CustomEmailLambdaVersionConfigType, CustomEmailSenderLambdaVersionType,
    CustomSmsLambdaVersionConfigType, CustomSmsSenderLambdaVersionType,
    InboundFederationLambdaType, InboundFederationLambdaVersionType, LambdaConfigType,
    PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
};
use cognito_trigger_core::{LambdaVersion, Trigger};

/// The ARN of the function that holds `trigger`, if any.
pub fn holder(config: &LambdaConfigType, trigger: Trigger) -> Option<&str> {
    match trigger {
        Trigger::PreSignUp => config.pre_sign_up.as_deref(),
        Trigger::PostConfirmation => config.post_confirmation.as_deref(),
        Trigger::PreAuthentication => config.pre_authentication.as_deref(),
        Trigger::PostAuthentication => config.post_authentication.as_deref(),
        Trigger::DefineAuthChallenge => config.define_auth_challenge.as_deref(),
        Trigger::CreateAuthChallenge => config.create_auth_challenge.as_deref(),
        Trigger::VerifyAuthChallengeResponse => config.verify_auth_challenge_response.as_deref(),
        Trigger::PreTokenGeneration => config
            .pre_token_generation_config
            .as_ref()
            .map(|c| c.lambda_arn.as_str())
            .or(config.pre_token_generation.as_deref()),
        Trigger::UserMigration => config.user_migration.as_deref(),
        Trigger::CustomMessage => config.custom_message.as_deref(),
        Trigger::CustomSMSSender => config
            .custom_sms_sender
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
        Trigger::CustomEmailSender => config
            .custom_email_sender
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
        Trigger::InboundFederation => config
            .inbound_federation
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
    }
}

/// The event version `trigger` is called with, for the triggers that have one.
pub fn version(config: &LambdaConfigType, trigger: Trigger) -> Option<&str> {
    match trigger {
        Trigger::PreTokenGeneration => config
            .pre_token_generation_config
            .as_ref()
            .map(|c| c.lambda_version.as_str()),
        Trigger::CustomSMSSender => config
            .custom_sms_sender
            .as_ref()
            .map(|c| c.lambda_version.as_str()),
        Trigger::CustomEmailSender => config
            .custom_email_sender
            .as_ref()
            .map(|c| c.lambda_version.as_str()),
        Trigger::InboundFederation => config
            .inbound_federation
            .as_ref()
            .map(|c| c.lambda_version.as_str()),
        Trigger::PreSignUp
        | Trigger::PostConfirmation
        | Trigger::PreAuthentication
        | Trigger::PostAuthentication
        | Trigger::DefineAuthChallenge
        | Trigger::CreateAuthChallenge
        | Trigger::VerifyAuthChallengeResponse
        | Trigger::UserMigration
        | Trigger::CustomMessage => None,
    }
}

/// Gives `trigger` to `arn` (with its event `version`), or clears it (`None`).
pub fn set(
    config: &mut LambdaConfigType,
    trigger: Trigger,
    arn: Option<&str>,
    version: Option<&str>,
) {
    let plain = arn.map(str::to_owned);
    let default = trigger.default_version().unwrap_or(LambdaVersion::V1_0);
    let version = version.unwrap_or(default.name());
    match trigger {
        Trigger::PreSignUp => config.pre_sign_up = plain,
        Trigger::PostConfirmation => config.post_confirmation = plain,
        Trigger::PreAuthentication => config.pre_authentication = plain,
        Trigger::PostAuthentication => config.post_authentication = plain,
        Trigger::DefineAuthChallenge => config.define_auth_challenge = plain,
        Trigger::CreateAuthChallenge => config.create_auth_challenge = plain,
        Trigger::VerifyAuthChallengeResponse => config.verify_auth_challenge_response = plain,
        Trigger::UserMigration => config.user_migration = plain,
        Trigger::CustomMessage => config.custom_message = plain,
        // The legacy field and the versioned one name the same function.
        Trigger::PreTokenGeneration => {
            config.pre_token_generation.clone_from(&plain);
            config.pre_token_generation_config = plain.and_then(|arn| {
                PreTokenGenerationVersionConfigType::builder()
                    .lambda_version(PreTokenGenerationLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        Trigger::CustomSMSSender => {
            config.custom_sms_sender = plain.and_then(|arn| {
                CustomSmsLambdaVersionConfigType::builder()
                    .lambda_version(CustomSmsSenderLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        Trigger::CustomEmailSender => {
            config.custom_email_sender = plain.and_then(|arn| {
                CustomEmailLambdaVersionConfigType::builder()
                    .lambda_version(CustomEmailSenderLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        Trigger::InboundFederation => {
            config.inbound_federation = plain.and_then(|arn| {
                InboundFederationLambdaType::builder()
                    .lambda_version(InboundFederationLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_round_trips() {
        let mut config = LambdaConfigType::builder().build();
        for (index, trigger) in Trigger::ALL.into_iter().enumerate() {
            let arn = format!("arn:aws:lambda:us-east-1:111111111111:function:f{index}");
            set(&mut config, trigger, Some(&arn), Some("V1_0"));
            assert_eq!(holder(&config, trigger), Some(arn.as_str()), "{trigger}");
            let versioned = !trigger.versions().is_empty();
            let expected = versioned.then_some("V1_0");
            assert_eq!(version(&config, trigger), expected, "{trigger}");
        }
        for trigger in Trigger::ALL {
            set(&mut config, trigger, None, None);
            assert_eq!(holder(&config, trigger), None, "{trigger}");
        }
        assert_eq!(config, LambdaConfigType::builder().build());
    }
}
