//! A pool's `LambdaConfig`, one trigger at a time: which function holds it,
//! and setting or clearing it.

use aws_sdk_cognitoidentityprovider::types::{
    CustomEmailLambdaVersionConfigType, CustomEmailSenderLambdaVersionType,
    CustomSmsLambdaVersionConfigType, CustomSmsSenderLambdaVersionType,
    InboundFederationLambdaType, InboundFederationLambdaVersionType, LambdaConfigType,
    PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
};

/// The triggers a `LambdaConfig` has, by their CloudFormation names.
pub const TRIGGERS: [&str; 13] = [
    "PreSignUp",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
    "PreTokenGeneration",
    "UserMigration",
    "CustomMessage",
    "CustomSMSSender",
    "CustomEmailSender",
    "InboundFederation",
];

/// The ARN of the function that holds `trigger`, if any.
pub fn holder<'a>(config: &'a LambdaConfigType, trigger: &str) -> Option<&'a str> {
    match trigger {
        "PreSignUp" => config.pre_sign_up.as_deref(),
        "PostConfirmation" => config.post_confirmation.as_deref(),
        "PreAuthentication" => config.pre_authentication.as_deref(),
        "PostAuthentication" => config.post_authentication.as_deref(),
        "DefineAuthChallenge" => config.define_auth_challenge.as_deref(),
        "CreateAuthChallenge" => config.create_auth_challenge.as_deref(),
        "VerifyAuthChallengeResponse" => config.verify_auth_challenge_response.as_deref(),
        "PreTokenGeneration" => config
            .pre_token_generation_config
            .as_ref()
            .map(|c| c.lambda_arn.as_str())
            .or(config.pre_token_generation.as_deref()),
        "UserMigration" => config.user_migration.as_deref(),
        "CustomMessage" => config.custom_message.as_deref(),
        "CustomSMSSender" => config
            .custom_sms_sender
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
        "CustomEmailSender" => config
            .custom_email_sender
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
        "InboundFederation" => config
            .inbound_federation
            .as_ref()
            .map(|c| c.lambda_arn.as_str()),
        _ => None,
    }
}

/// Gives `trigger` to `arn` (with its event `version`), or clears it (`None`).
pub fn set(config: &mut LambdaConfigType, trigger: &str, arn: Option<&str>, version: Option<&str>) {
    let plain = arn.map(str::to_owned);
    let version = version.unwrap_or("V1_0");
    match trigger {
        "PreSignUp" => config.pre_sign_up = plain,
        "PostConfirmation" => config.post_confirmation = plain,
        "PreAuthentication" => config.pre_authentication = plain,
        "PostAuthentication" => config.post_authentication = plain,
        "DefineAuthChallenge" => config.define_auth_challenge = plain,
        "CreateAuthChallenge" => config.create_auth_challenge = plain,
        "VerifyAuthChallengeResponse" => config.verify_auth_challenge_response = plain,
        "UserMigration" => config.user_migration = plain,
        "CustomMessage" => config.custom_message = plain,
        // The legacy field and the versioned one name the same function.
        "PreTokenGeneration" => {
            config.pre_token_generation.clone_from(&plain);
            config.pre_token_generation_config = plain.and_then(|arn| {
                PreTokenGenerationVersionConfigType::builder()
                    .lambda_version(PreTokenGenerationLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        "CustomSMSSender" => {
            config.custom_sms_sender = plain.and_then(|arn| {
                CustomSmsLambdaVersionConfigType::builder()
                    .lambda_version(CustomSmsSenderLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        "CustomEmailSender" => {
            config.custom_email_sender = plain.and_then(|arn| {
                CustomEmailLambdaVersionConfigType::builder()
                    .lambda_version(CustomEmailSenderLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        "InboundFederation" => {
            config.inbound_federation = plain.and_then(|arn| {
                InboundFederationLambdaType::builder()
                    .lambda_version(InboundFederationLambdaVersionType::from(version))
                    .lambda_arn(arn)
                    .build()
                    .ok()
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_round_trips() {
        let mut config = LambdaConfigType::builder().build();
        for (index, trigger) in TRIGGERS.iter().enumerate() {
            let arn = format!("arn:aws:lambda:us-east-1:111111111111:function:f{index}");
            set(&mut config, trigger, Some(&arn), Some("V1_0"));
            assert_eq!(holder(&config, trigger), Some(arn.as_str()), "{trigger}");
        }
        for trigger in TRIGGERS {
            set(&mut config, trigger, None, None);
            assert_eq!(holder(&config, trigger), None, "{trigger}");
        }
        assert_eq!(config, LambdaConfigType::builder().build());
    }
}
