//! Events of several triggers in one type, for handlers declared for several
//! triggers. The trigger is told by `request.type` (custom senders), else by
//! the prefix of `triggerSource` and, for PreTokenGeneration, by `version`.

use super::*;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The variant of [`CognitoEvent`] that `event` belongs to.
fn classify(event: &Value) -> Option<&'static str> {
    let request_type = event.pointer("/request/type").and_then(Value::as_str);
    match request_type {
        Some("customSMSSenderRequestV1") => return Some("CustomSmsSender"),
        Some("customEmailSenderRequestV1") => return Some("CustomEmailSender"),
        _ => {}
    }
    let source = event.get("triggerSource")?.as_str()?;
    let prefix = source.split_once('_').map_or(source, |(prefix, _)| prefix);
    Some(match prefix {
        "PreSignUp" => "PreSignUp",
        "PostConfirmation" => "PostConfirmation",
        "PreAuthentication" => "PreAuthentication",
        "PostAuthentication" => "PostAuthentication",
        "DefineAuthChallenge" => "DefineAuthChallenge",
        "CreateAuthChallenge" => "CreateAuthChallenge",
        "VerifyAuthChallengeResponse" => "VerifyAuthChallengeResponse",
        "TokenGeneration" => match event.get("version").and_then(Value::as_str) {
            Some("2") => "PreTokenGenerationV2",
            Some("3") => "PreTokenGenerationV3",
            _ => "PreTokenGeneration",
        },
        "UserMigration" => "UserMigration",
        "CustomMessage" => "CustomMessage",
        "CustomSMSSender" => "CustomSmsSender",
        "CustomEmailSender" => "CustomEmailSender",
        "InboundFederation" => "InboundFederation",
        _ => return None,
    })
}

macro_rules! event_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$variant_meta:meta])* $variant:ident($event:ty), )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant($event), )*
        }

        impl $name {
            /// The trigger's name, as in `LambdaConfig`.
            pub fn trigger_name(&self) -> &'static str {
                match self {
                    $( $name::$variant(_) => <$event>::TRIGGER_NAME, )*
                }
            }
        }

        impl super::Answer for $name {
            fn refusal(&self) -> Option<String> {
                match self {
                    $( $name::$variant(event) => event.refusal(), )*
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( $name::$variant(event) => event.serialize(serializer), )*
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let event = Value::deserialize(deserializer)?;
                let Some(kind) = classify(&event) else {
                    let source = event.get("triggerSource").cloned().unwrap_or(Value::Null);
                    return Err(D::Error::custom(format!(
                        "not a user pool trigger event: unknown triggerSource {source}"
                    )));
                };
                $(
                    if kind == stringify!($variant) {
                        return serde_json::from_value(event).map($name::$variant).map_err(D::Error::custom);
                    }
                )*
                Err(D::Error::custom(format!(
                    concat!("a ", stringify!($name), " holds {} events, not {} events"),
                    [$(stringify!($variant)),*].join(", "),
                    kind
                )))
            }
        }

        $(
            impl From<$event> for $name {
                fn from(event: $event) -> Self {
                    $name::$variant(event)
                }
            }
        )*
    };
}

impl<T: Trigger> TriggerEvent<T> {
    /// The trigger's name, as in `LambdaConfig`.
    pub const TRIGGER_NAME: &'static str = T::NAME;
}

event_enum! {
    /// The event of any user pool trigger: one handler for several triggers.
    pub enum CognitoEvent {
        PreSignUp(PreSignUpEvent),
        PostConfirmation(PostConfirmationEvent),
        PreAuthentication(PreAuthenticationEvent),
        PostAuthentication(PostAuthenticationEvent),
        DefineAuthChallenge(DefineAuthChallengeEvent),
        CreateAuthChallenge(CreateAuthChallengeEvent),
        VerifyAuthChallengeResponse(VerifyAuthChallengeResponseEvent),
        /// PreTokenGeneration, event version V1_0.
        PreTokenGeneration(PreTokenGenerationEvent),
        /// PreTokenGeneration, event version V2_0.
        PreTokenGenerationV2(PreTokenGenerationV2Event),
        /// PreTokenGeneration, event version V3_0.
        PreTokenGenerationV3(PreTokenGenerationV3Event),
        UserMigration(UserMigrationEvent),
        CustomMessage(CustomMessageEvent),
        CustomSmsSender(CustomSmsSenderEvent),
        CustomEmailSender(CustomEmailSenderEvent),
        InboundFederation(InboundFederationEvent),
    }
}

event_enum! {
    /// The event of a function declared for both custom senders.
    pub enum CustomSenderEvent {
        CustomSmsSender(CustomSmsSenderEvent),
        CustomEmailSender(CustomEmailSenderEvent),
    }
}

event_enum! {
    /// The event of a function declared for the custom challenge triggers.
    pub enum AuthChallengeEvent {
        DefineAuthChallenge(DefineAuthChallengeEvent),
        CreateAuthChallenge(CreateAuthChallengeEvent),
        VerifyAuthChallengeResponse(VerifyAuthChallengeResponseEvent),
    }
}
