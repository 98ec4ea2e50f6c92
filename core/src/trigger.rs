//! The catalogue of user pool triggers: their names, CloudFormation keys,
//! event versions and the runtime types that carry their events.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user pool Lambda trigger, named as in CloudFormation's `LambdaConfig`
/// and in the Serverless Framework's `cognitoUserPool` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Trigger {
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    PreTokenGeneration,
    UserMigration,
    CustomMessage,
    CustomSMSSender,
    CustomEmailSender,
    InboundFederation,
}

/// The event version Cognito sends to a trigger (`LambdaVersion` in CloudFormation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LambdaVersion {
    V1_0,
    V2_0,
    V3_0,
}

impl LambdaVersion {
    pub const ALL: [LambdaVersion; 3] = [Self::V1_0, Self::V2_0, Self::V3_0];

    pub fn name(self) -> &'static str {
        match self {
            Self::V1_0 => "V1_0",
            Self::V2_0 => "V2_0",
            Self::V3_0 => "V3_0",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for LambdaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Trigger {
    pub const ALL: [Trigger; 13] = [
        Self::PreSignUp,
        Self::PostConfirmation,
        Self::PreAuthentication,
        Self::PostAuthentication,
        Self::DefineAuthChallenge,
        Self::CreateAuthChallenge,
        Self::VerifyAuthChallengeResponse,
        Self::PreTokenGeneration,
        Self::UserMigration,
        Self::CustomMessage,
        Self::CustomSMSSender,
        Self::CustomEmailSender,
        Self::InboundFederation,
    ];

    /// The name used in `trigger = ...`, which is also the `LambdaConfig` key.
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "PreSignUp",
            Self::PostConfirmation => "PostConfirmation",
            Self::PreAuthentication => "PreAuthentication",
            Self::PostAuthentication => "PostAuthentication",
            Self::DefineAuthChallenge => "DefineAuthChallenge",
            Self::CreateAuthChallenge => "CreateAuthChallenge",
            Self::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            Self::PreTokenGeneration => "PreTokenGeneration",
            Self::UserMigration => "UserMigration",
            Self::CustomMessage => "CustomMessage",
            Self::CustomSMSSender => "CustomSMSSender",
            Self::CustomEmailSender => "CustomEmailSender",
            Self::InboundFederation => "InboundFederation",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Custom senders are invoked asynchronously with a code encrypted by the
    /// pool's KMS key, so they need `kms_key_id`.
    pub fn is_custom_sender(self) -> bool {
        matches!(self, Self::CustomSMSSender | Self::CustomEmailSender)
    }

    /// The event versions Cognito supports for this trigger. A trigger with no
    /// configurable version returns an empty slice.
    pub fn versions(self) -> &'static [LambdaVersion] {
        match self {
            Self::CustomSMSSender | Self::CustomEmailSender | Self::InboundFederation => {
                &[LambdaVersion::V1_0]
            }
            Self::PreTokenGeneration => &LambdaVersion::ALL,
            _ => &[],
        }
    }

    /// The version used when the declaration names none.
    pub fn default_version(self) -> Option<LambdaVersion> {
        self.versions().first().copied()
    }

    /// How the trigger is wired in the pool's `LambdaConfig` at `version`:
    /// its key, and the `LambdaVersion` when the entry is a
    /// `{LambdaArn, LambdaVersion}` object rather than a bare ARN.
    pub fn lambda_config(
        self,
        version: Option<LambdaVersion>,
    ) -> (&'static str, Option<LambdaVersion>) {
        match (self, version) {
            (Self::PreTokenGeneration, Some(version)) if version != LambdaVersion::V1_0 => {
                ("PreTokenGenerationConfig", Some(version))
            }
            (
                Self::CustomSMSSender | Self::CustomEmailSender | Self::InboundFederation,
                version,
            ) => (self.name(), Some(version.unwrap_or(LambdaVersion::V1_0))),
            _ => (self.name(), None),
        }
    }

    /// Cognito invokes every trigger synchronously, waiting at most 5
    /// seconds, except the custom senders, which it invokes asynchronously.
    pub fn is_synchronous(self) -> bool {
        !self.is_custom_sender()
    }

    /// The marker type in `cognito_trigger::triggers` for this trigger at
    /// `version`; PreTokenGeneration has one per event version. A marker
    /// `M` always has the event type `MEvent`, which the compile errors use.
    pub fn marker(self, version: Option<LambdaVersion>) -> &'static str {
        match (self, version) {
            (Self::PreTokenGeneration, Some(LambdaVersion::V2_0)) => "PreTokenGenerationV2",
            (Self::PreTokenGeneration, Some(LambdaVersion::V3_0)) => "PreTokenGenerationV3",
            (Self::CustomSMSSender, _) => "CustomSmsSender",
            _ => self.name(),
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The marker of the event type a function declared for `markers` takes:
/// the trigger's own when there is one, a family's when all belong to it,
/// else `Cognito`, whose `CognitoEvent` holds any trigger's event.
pub fn handler_marker(markers: &[&'static str]) -> &'static str {
    const FAMILIES: [(&str, &[&str]); 2] = [
        ("CustomSender", &["CustomSmsSender", "CustomEmailSender"]),
        (
            "AuthChallenge",
            &[
                "DefineAuthChallenge",
                "CreateAuthChallenge",
                "VerifyAuthChallengeResponse",
            ],
        ),
    ];
    match markers {
        [] => "Cognito",
        [first, rest @ ..] if rest.iter().all(|m| m == first) => first,
        _ => FAMILIES
            .iter()
            .find(|(_, members)| markers.iter().all(|m| members.contains(m)))
            .map_or("Cognito", |(family, _)| family),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for trigger in Trigger::ALL {
            assert_eq!(Trigger::from_name(trigger.name()), Some(trigger));
        }
        for version in LambdaVersion::ALL {
            assert_eq!(LambdaVersion::from_name(version.name()), Some(version));
        }
        assert_eq!(Trigger::from_name("PreSignup"), None);
    }

    #[test]
    fn versions_follow_cognito() {
        assert_eq!(Trigger::PreSignUp.default_version(), None);
        assert_eq!(
            Trigger::CustomSMSSender.versions(),
            &[LambdaVersion::V1_0][..]
        );
        assert_eq!(Trigger::PreTokenGeneration.versions().len(), 3);
        assert_eq!(
            Trigger::PreTokenGeneration.marker(Some(LambdaVersion::V2_0)),
            "PreTokenGenerationV2"
        );
        assert_eq!(
            Trigger::PreTokenGeneration.marker(None),
            "PreTokenGeneration"
        );
        assert_eq!(handler_marker(&["PreSignUp", "PreSignUp"]), "PreSignUp");
        assert_eq!(
            handler_marker(&["CustomSmsSender", "CustomEmailSender"]),
            "CustomSender"
        );
        assert_eq!(
            handler_marker(&["DefineAuthChallenge", "VerifyAuthChallengeResponse"]),
            "AuthChallenge"
        );
        assert_eq!(
            handler_marker(&["PreSignUp", "PostConfirmation"]),
            "Cognito"
        );
        let senders: Vec<_> = Trigger::ALL
            .into_iter()
            .filter(|t| t.is_custom_sender())
            .collect();
        assert_eq!(
            senders,
            [Trigger::CustomSMSSender, Trigger::CustomEmailSender]
        );
    }
}
