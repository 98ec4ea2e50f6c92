//! Events of several triggers in one type, for handlers declared for several
//! triggers. The trigger is told by `request.type` (custom senders), else by
//! the prefix of `triggerSource` and, for PreTokenGeneration, by `version`.

use super::*;
use crate::handler::HandlerEvent;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The marker of the trigger `event` is for (a variant of [`CognitoEvent`]).
fn classify(event: &Value) -> Option<&'static str> {
    let request_type = event.pointer("/request/type").and_then(Value::as_str);
    match request_type {
        Some("customSMSSenderRequestV1") => return Some("CustomSmsSender"),
        Some("customEmailSenderRequestV1") => return Some("CustomEmailSender"),
        _ => {}
    }
    let source = event.get("triggerSource")?.as_str()?;
    let prefix = source.split_once('_').map_or(source, |(prefix, _)| prefix);
    // PreTokenGeneration's versions share their sources.
    if prefix == "TokenGeneration" {
        return Some(match event.get("version").and_then(Value::as_str) {
            Some("2") => "PreTokenGenerationV2",
            Some("3") => "PreTokenGenerationV3",
            _ => "PreTokenGeneration",
        });
    }
    CognitoEvent::marker_of_source(prefix)
}

/// An enum of the events of the markers listed, each variant named after its
/// marker. With `: Family`, a family's event type: what a function declared
/// for `Family` or for any one of its triggers may take.
macro_rules! event_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $family:ident { $( $(#[$variant_meta:meta])* $variant:ident, )* }
    ) => {
        event_enum! {
            $(#[$meta])*
            pub enum $name { $( $(#[$variant_meta])* $variant, )* }
        }

        impl HandlerEvent<$family> for $name {}
        impl HandlerEvent<$family> for CognitoEvent {}
        $( impl HandlerEvent<$variant> for $name {} )*
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$variant_meta:meta])* $variant:ident, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant(TriggerEvent<$variant>), )*
        }

        impl $name {
            /// The trigger's name, as in `LambdaConfig`.
            pub fn trigger_name(&self) -> &'static str {
                match self {
                    $( $name::$variant(_) => TriggerEvent::<$variant>::TRIGGER_NAME, )*
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
            impl From<TriggerEvent<$variant>> for $name {
                fn from(event: TriggerEvent<$variant>) -> Self {
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

/// [`CognitoEvent`], with a variant per marker of the catalogue.
macro_rules! cognito_event {
    ($( $variant:ident $trigger:ident $family:tt, )*) => {
        event_enum! {
            /// The event of any user pool trigger: one handler for several triggers.
            pub enum CognitoEvent {
                $( #[doc = concat!(stringify!($trigger), "'s event.")] $variant, )*
            }
        }

        impl CognitoEvent {
            /// The marker whose `triggerSource` values start with `prefix`.
            fn marker_of_source(prefix: &str) -> Option<&'static str> {
                $(
                    let source = <<$variant as Trigger>::Source>::DOCUMENTED[0].as_str();
                    if source.split_once('_').is_some_and(|(p, _)| p == prefix) {
                        return Some(stringify!($variant));
                    }
                )*
                None
            }
        }
    };
}

cognito_trigger_core::for_each_event!(cognito_event);

/// The event types of the families, each with a variant per event of the
/// catalogue in its family: one pass over the catalogue per family, which
/// keeps the events whose family is named in its arm.
macro_rules! family_events {
    (@select $doc:tt $name:ident CustomSender [$($kept:tt)*]
        $marker:ident $trigger:ident CustomSender, $($rest:tt)*) => {
        family_events!(@select $doc $name CustomSender [$($kept)* $marker $trigger,] $($rest)*);
    };
    (@select $doc:tt $name:ident AuthChallenge [$($kept:tt)*]
        $marker:ident $trigger:ident AuthChallenge, $($rest:tt)*) => {
        family_events!(@select $doc $name AuthChallenge [$($kept)* $marker $trigger,] $($rest)*);
    };
    (@select $doc:tt $name:ident $family:ident [$($kept:tt)*]
        $marker:ident $trigger:ident $other:tt, $($rest:tt)*) => {
        family_events!(@select $doc $name $family [$($kept)*] $($rest)*);
    };
    (@select [$($doc:tt)*] $name:ident $family:ident [$($marker:ident $trigger:ident,)*]) => {
        event_enum! {
            $($doc)*
            pub enum $name: $family {
                $( #[doc = concat!(stringify!($trigger), "'s event.")] $marker, )*
            }
        }
    };
    ($($events:tt)*) => {
        family_events!(@select [
            /// The event of a function declared for both custom senders.
        ] CustomSenderEvent CustomSender [] $($events)*);
        family_events!(@select [
            /// The event of a function declared for the custom challenge triggers.
        ] AuthChallengeEvent AuthChallenge [] $($events)*);
    };
}

cognito_trigger_core::for_each_event!(family_events);
