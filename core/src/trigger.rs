//! The catalogue of user pool triggers: their names, CloudFormation keys,
//! event versions and the runtime types that carry their events.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The event version Cognito sends to a trigger (`LambdaVersion` in CloudFormation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LambdaVersion {
    /// `V1_0`: the first event of each trigger; the only one of the custom senders.
    V1_0,
    /// `V2_0`: PreTokenGeneration's event that can change access tokens.
    V2_0,
    /// `V3_0`: PreTokenGeneration's event for machine-to-machine clients too.
    V3_0,
}

impl LambdaVersion {
    /// Every version, oldest first.
    pub const ALL: [LambdaVersion; 3] = [Self::V1_0, Self::V2_0, Self::V3_0];

    /// The name used in `lambda_version = ...` and CloudFormation.
    pub fn name(self) -> &'static str {
        match self {
            Self::V1_0 => "V1_0",
            Self::V2_0 => "V2_0",
            Self::V3_0 => "V3_0",
        }
    }

    /// The version [`LambdaVersion::name`] names, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for LambdaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The catalogue: the one list of user pool triggers, in `LambdaConfig`'s
/// order. Each row is a trigger, named as in `trigger = ...`, in
/// CloudFormation's `LambdaConfig` and in the Serverless Framework's
/// `cognitoUserPool` event, with its family (`_` for none) and the events
/// Cognito sends it (one per event version it can be configured with, the
/// default first), each named by the runtime's marker type `M` of its event
/// type `MEvent`.
///
/// The rows generate [`Trigger`], [`Trigger::ALL`] and what `Trigger`'s
/// methods answer: names, event versions, `LambdaConfig` keys, the names of
/// the runtime's marker and event types, custom senders and families (for
/// the macro, the validation, the build step and attach), and
/// [`for_each_event!`](crate::for_each_event), from which the runtime
/// defines its marker types, the variants of `CognitoEvent` and its
/// families' event types. What cannot be generated from here is checked
/// against it: attach's `slots.rs` matches on `Trigger` with no `_` arm for
/// the SDK's field of each trigger, and `runtime/tests/catalogue.rs` maps
/// every event of every row, by a `match` with no `_` arm, to the runtime's
/// marker and event types, checking their names, `TRIGGER_NAME`, families
/// and sample fixtures.
///
/// Adding a trigger = one row here, plus what the compiler then asks for:
/// the arms in `slots.rs` and `runtime/tests/catalogue.rs`, and the runtime
/// types the row names (an `impl Trigger` for its marker and its event alias
/// in a file of `events/`, and its fixtures in `testing/fixtures.rs`).
macro_rules! catalogue {
    ($d:tt $( $trigger:ident ($family:tt) { $( $marker:ident: $event:expr ),+ $(,)? } )*) => {
        /// A user pool Lambda trigger: a row of the catalogue (see
        /// `core/src/trigger.rs`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Trigger {
            $(
                #[doc = concat!("`trigger = ", stringify!($trigger), "`.")]
                $trigger,
            )*
        }

        impl Trigger {
            /// Every trigger, in `LambdaConfig`'s order.
            pub const ALL: [Trigger; [$(Trigger::$trigger),*].len()] = [$(Trigger::$trigger),*];

            /// The name used in `trigger = ...`, which is also the
            /// `LambdaConfig` key (unless [`Entry::Versioned`] says otherwise).
            pub const fn name(self) -> &'static str {
                match self {
                    $( Trigger::$trigger => stringify!($trigger), )*
                }
            }

            /// The trigger's row of the catalogue.
            pub fn row(self) -> Row {
                match self {
                    $( Trigger::$trigger => {
                        const ROW: Row = Row {
                            events: &[$( $event.marker(stringify!($marker)) ),+],
                            family: family!($family),
                        };
                        ROW
                    } )*
                }
            }
        }

        /// Calls the macro `$then` with every event of the catalogue
        /// (`core/src/trigger.rs`), in its order, as `Marker Trigger Family,`:
        /// the runtime's marker type of the event, the trigger's name, and
        /// its family's name, or `_` for none. The runtime defines its marker
        /// types, the variants of `CognitoEvent` and its families' event
        /// types from it, so they cannot drift from the catalogue.
        ///
        /// ```
        /// macro_rules! markers {
        ///     ($( $marker:ident $trigger:ident $family:tt, )*) => {
        ///         [$(stringify!($marker)),*]
        ///     };
        /// }
        /// let markers = cognito_trigger_core::for_each_event!(markers);
        /// assert_eq!(markers[..3], ["PreSignUp", "PostConfirmation", "PreAuthentication"]);
        /// ```
        #[macro_export]
        macro_rules! for_each_event {
            ($d then:ident) => {
                $d then! { $( $( $marker $trigger $family, )+ )* }
            };
        }
    };
}

/// A row's family: `_` for none.
macro_rules! family {
    (_) => {
        None
    };
    ($family:ident) => {
        Some(Family::$family)
    };
}

use LambdaVersion::{V1_0, V2_0, V3_0};

catalogue! { $
    PreSignUp (_) { PreSignUp: Event::PLAIN }
    PostConfirmation (_) { PostConfirmation: Event::PLAIN }
    PreAuthentication (_) { PreAuthentication: Event::PLAIN }
    PostAuthentication (_) { PostAuthentication: Event::PLAIN }
    DefineAuthChallenge (AuthChallenge) { DefineAuthChallenge: Event::PLAIN }
    CreateAuthChallenge (AuthChallenge) { CreateAuthChallenge: Event::PLAIN }
    VerifyAuthChallengeResponse (AuthChallenge) { VerifyAuthChallengeResponse: Event::PLAIN }
    // V1_0 keeps the legacy bare-ARN key; V2_0 and V3_0 need the versioned one.
    PreTokenGeneration (_) {
        PreTokenGeneration: Event::arn(V1_0),
        PreTokenGenerationV2: Event::versioned(V2_0).key("PreTokenGenerationConfig"),
        PreTokenGenerationV3: Event::versioned(V3_0).key("PreTokenGenerationConfig"),
    }
    UserMigration (_) { UserMigration: Event::PLAIN }
    CustomMessage (_) { CustomMessage: Event::PLAIN }
    CustomSMSSender (CustomSender) { CustomSmsSender: Event::versioned(V1_0) }
    CustomEmailSender (CustomSender) { CustomEmailSender: Event::versioned(V1_0) }
    InboundFederation (_) { InboundFederation: Event::versioned(V1_0) }
}

/// A trigger's row in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The events Cognito sends the trigger, never none: one per event
    /// version it can be configured with, the default first, or one without
    /// a version.
    pub events: &'static [Event],
    /// The family whose triggers one function can handle with one event type.
    pub family: Option<Family>,
}

/// One event a trigger receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// `None` when the trigger has no configurable event version.
    pub version: Option<LambdaVersion>,
    /// The marker type `M` in `cognito_trigger::events`, whose event type is
    /// `MEvent`.
    pub marker: &'static str,
    /// How `LambdaConfig` holds the function for this event.
    pub entry: Entry,
}

impl Event {
    /// An event with no version, whose function's ARN is the entry.
    const PLAIN: Event = Event {
        version: None,
        marker: "",
        entry: Entry::Arn,
    };

    const fn arn(version: LambdaVersion) -> Event {
        Event {
            version: Some(version),
            ..Self::PLAIN
        }
    }

    const fn versioned(version: LambdaVersion) -> Event {
        Event {
            version: Some(version),
            entry: Entry::Versioned { key: None },
            ..Self::PLAIN
        }
    }

    const fn marker(self, marker: &'static str) -> Event {
        Event { marker, ..self }
    }

    const fn key(self, key: &'static str) -> Event {
        Event {
            entry: Entry::Versioned { key: Some(key) },
            ..self
        }
    }
}

/// A `LambdaConfig` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The function's ARN, under the trigger's name.
    Arn,
    /// `{LambdaArn, LambdaVersion}`, under `key` or else the trigger's name.
    Versioned {
        /// The `LambdaConfig` key, when it is not the trigger's name.
        key: Option<&'static str>,
    },
}

/// Triggers usually implemented together: a function declared for several
/// of one family takes the family's event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `CustomSMSSender` and `CustomEmailSender`.
    CustomSender,
    /// `DefineAuthChallenge`, `CreateAuthChallenge` and `VerifyAuthChallengeResponse`.
    AuthChallenge,
}

impl Family {
    /// The family's marker type in `cognito_trigger::events` (event type `MEvent`).
    pub fn marker(self) -> &'static str {
        match self {
            Family::CustomSender => "CustomSender",
            Family::AuthChallenge => "AuthChallenge",
        }
    }
}

/// The marker of `CognitoEvent`, which holds any trigger's event.
pub const ANY_MARKER: &str = "Cognito";

/// The event type of marker `marker` in `cognito_trigger::events`.
pub fn event_type(marker: &str) -> String {
    format!("{marker}Event")
}

impl Trigger {
    /// The trigger [`Trigger::name`] names, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The event Cognito sends at `version`; with none, or one the trigger
    /// lacks, the default.
    pub fn event(self, version: Option<LambdaVersion>) -> Event {
        let events = self.row().events;
        events
            .iter()
            .find(|e| e.version == version)
            .copied()
            .unwrap_or(events[0])
    }

    /// Custom senders are invoked asynchronously with a code encrypted by the
    /// pool's KMS key, so they need `kms_key_id`.
    pub fn is_custom_sender(self) -> bool {
        self.row().family == Some(Family::CustomSender)
    }

    /// The event versions Cognito supports for this trigger, the default
    /// first. A trigger with no configurable version has none.
    pub fn versions(self) -> Vec<LambdaVersion> {
        self.row().events.iter().filter_map(|e| e.version).collect()
    }

    /// The version used when the declaration names none.
    pub fn default_version(self) -> Option<LambdaVersion> {
        self.row().events[0].version
    }

    /// How the trigger is wired in the pool's `LambdaConfig` at `version`:
    /// its key, and the `LambdaVersion` when the entry is a
    /// `{LambdaArn, LambdaVersion}` object rather than a bare ARN.
    pub fn lambda_config(
        self,
        version: Option<LambdaVersion>,
    ) -> (&'static str, Option<LambdaVersion>) {
        let event = self.event(version);
        match event.entry {
            Entry::Arn => (self.name(), None),
            Entry::Versioned { key } => (key.unwrap_or(self.name()), event.version),
        }
    }

    /// Cognito invokes every trigger synchronously, waiting at most 5
    /// seconds, except the custom senders, which it invokes asynchronously.
    pub fn is_synchronous(self) -> bool {
        !self.is_custom_sender()
    }

    /// The marker type in `cognito_trigger::events` for this trigger at
    /// `version`. A marker `M` always has the event type `MEvent`, which the
    /// compile errors use.
    pub fn marker(self, version: Option<LambdaVersion>) -> &'static str {
        self.event(version).marker
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The marker of the event type a function declared for `declared` (each
/// trigger with its event version) takes: the trigger's own when there is
/// one, a family's when all belong to it, else [`ANY_MARKER`].
pub fn handler_marker(declared: &[(Trigger, Option<LambdaVersion>)]) -> &'static str {
    let mut markers = declared.iter().map(|&(t, v)| t.marker(v));
    let Some(first) = markers.next() else {
        return ANY_MARKER;
    };
    if markers.all(|m| m == first) {
        return first;
    }
    let family = declared[0].0.row().family;
    if declared.iter().all(|(t, _)| t.row().family == family) {
        family.map_or(ANY_MARKER, Family::marker)
    } else {
        ANY_MARKER
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
        assert_eq!(Trigger::CustomSMSSender.versions(), [V1_0]);
        assert_eq!(Trigger::PreTokenGeneration.versions().len(), 3);
        assert_eq!(
            Trigger::PreTokenGeneration.marker(Some(LambdaVersion::V2_0)),
            "PreTokenGenerationV2"
        );
        assert_eq!(
            Trigger::PreTokenGeneration.marker(None),
            "PreTokenGeneration"
        );
        use Trigger::*;
        let v1 = Some(V1_0);
        assert_eq!(
            handler_marker(&[(PreSignUp, None), (PreSignUp, None)]),
            "PreSignUp"
        );
        assert_eq!(
            handler_marker(&[(CustomSMSSender, v1), (CustomEmailSender, v1)]),
            "CustomSender"
        );
        assert_eq!(
            handler_marker(&[
                (DefineAuthChallenge, None),
                (VerifyAuthChallengeResponse, None)
            ]),
            "AuthChallenge"
        );
        assert_eq!(
            handler_marker(&[(PreSignUp, None), (PostConfirmation, None)]),
            "Cognito"
        );
        assert_eq!(
            handler_marker(&[(PreTokenGeneration, v1), (PreTokenGeneration, Some(V2_0))]),
            "Cognito"
        );
        assert_eq!(
            handler_marker(&[(CustomSMSSender, v1), (DefineAuthChallenge, None)]),
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

    #[test]
    fn lambda_config_follows_cloudformation() {
        use Trigger::*;
        assert_eq!(PreSignUp.lambda_config(None), ("PreSignUp", None));
        let v1 = Some(V1_0);
        assert_eq!(
            PreTokenGeneration.lambda_config(v1),
            ("PreTokenGeneration", None)
        );
        for version in [V2_0, V3_0] {
            assert_eq!(
                PreTokenGeneration.lambda_config(Some(version)),
                ("PreTokenGenerationConfig", Some(version))
            );
        }
        for trigger in [CustomSMSSender, CustomEmailSender, InboundFederation] {
            assert_eq!(trigger.lambda_config(None), (trigger.name(), v1));
            assert_eq!(trigger.lambda_config(v1), (trigger.name(), v1));
        }
        assert_eq!(CustomSMSSender.marker(None), "CustomSmsSender");
    }

    /// What the rest of the code assumes of every row.
    #[test]
    fn the_catalogue_is_well_formed() {
        let mut markers = Vec::new();
        for trigger in Trigger::ALL {
            let events = trigger.row().events;
            assert!(!events.is_empty(), "{trigger}");
            let unversioned = events.iter().filter(|e| e.version.is_none()).count();
            // Either one event without a version, or every event with one.
            assert!(unversioned == 0 || events.len() == 1, "{trigger}");
            for event in events {
                assert_eq!(trigger.event(event.version), *event, "{trigger}");
                let marker = trigger.marker(event.version);
                assert!(!markers.contains(&marker), "{marker} twice");
                markers.push(marker);
            }
        }
        let families = Trigger::ALL.iter().filter_map(|t| t.row().family);
        for family in families {
            assert!(!markers.contains(&family.marker()), "{family:?}");
        }
        assert!(!markers.contains(&ANY_MARKER));
    }
}
