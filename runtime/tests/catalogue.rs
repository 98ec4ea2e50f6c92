//! The runtime against core's trigger catalogue (`core/src/trigger.rs`),
//! which the macro and the build step read: every event of every trigger has
//! the marker type `M` and event type `MEvent` the macro names, with the
//! trigger's name, its sample fixtures, and a variant in `CognitoEvent` and
//! in its family's event type that `triggerSource` leads to.

use cognito_trigger::events::{self, CognitoEvent, TriggerEvent};
use cognito_trigger::handler::HandlerEvent;
use cognito_trigger::testing::Samples;
use cognito_trigger_core::trigger::{ANY_MARKER, Family, LambdaVersion, Trigger, event_type};
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::marker::PhantomData;

/// The runtime's types for one event of the catalogue.
#[derive(Debug)]
struct Types {
    /// The names of `M` and `MEvent`, as the test names the types.
    marker: &'static str,
    event: &'static str,
    /// `M::NAME`.
    name: &'static str,
    fixtures: usize,
    /// The family's marker and event type, when the event is in one.
    family: Option<(&'static str, &'static str)>,
}

impl Types {
    /// Checks `M`'s fixtures: each reads as `M`'s event, and as the same
    /// event through `CognitoEvent`.
    fn of<M>(marker: &'static str, event: &'static str, _event_is: PhantomData<M>) -> Types
    where
        M: Samples,
        TriggerEvent<M>: HandlerEvent<M>,
        CognitoEvent: HandlerEvent<M> + From<TriggerEvent<M>>,
    {
        for (source, json) in M::FIXTURES {
            let direct: TriggerEvent<M> = serde_json::from_str(json).unwrap();
            let any: CognitoEvent = serde_json::from_str(json).unwrap();
            assert_eq!(any, CognitoEvent::from(direct), "{marker}: {source}");
        }
        Types {
            marker,
            event,
            name: M::NAME,
            fixtures: M::FIXTURES.len(),
            family: None,
        }
    }

    /// Checks that `M`'s fixtures read as the same event through its
    /// family's event type `E`, which a function declared for `F` takes.
    fn in_family<M, F, E>(self, family: &'static str, family_event: &'static str) -> Types
    where
        M: Samples,
        E: HandlerEvent<M> + HandlerEvent<F> + From<TriggerEvent<M>> + DeserializeOwned,
        E: PartialEq + Debug,
        CognitoEvent: HandlerEvent<F>,
    {
        for (source, json) in M::FIXTURES {
            let direct: TriggerEvent<M> = serde_json::from_str(json).unwrap();
            let grouped: E = serde_json::from_str(json).unwrap();
            assert_eq!(grouped, E::from(direct), "{family_event}: {source}");
        }
        Types {
            family: Some((family, family_event)),
            ..self
        }
    }
}

/// The types of `$marker`, whose event alias is `$event` (and family
/// `$family`, with event type `$family_event`), named by the idents the
/// compiler resolves in `cognito_trigger::events`.
macro_rules! types {
    ($marker:ident, $event:ident $(in $family:ident, $family_event:ident)?) => {{
        let types = Types::of::<events::$marker>(
            stringify!($marker),
            stringify!($event),
            // The alias is the marker's event type.
            PhantomData::<<events::$event as Event>::Marker>,
        );
        $(let types = types.in_family::<events::$marker, events::$family, events::$family_event>(
            stringify!($family),
            stringify!($family_event),
        );)?
        Some(types)
    }};
}

/// The marker type of an event type.
trait Event {
    type Marker;
}

impl<M: events::Trigger> Event for TriggerEvent<M> {
    type Marker = M;
}

/// The runtime's types for `trigger`'s event at `version`. Total over the
/// catalogue's triggers: a new row does not compile until it has an arm here.
fn runtime(trigger: Trigger, version: Option<LambdaVersion>) -> Option<Types> {
    match trigger {
        Trigger::PreSignUp => types!(PreSignUp, PreSignUpEvent),
        Trigger::PostConfirmation => types!(PostConfirmation, PostConfirmationEvent),
        Trigger::PreAuthentication => types!(PreAuthentication, PreAuthenticationEvent),
        Trigger::PostAuthentication => types!(PostAuthentication, PostAuthenticationEvent),
        Trigger::DefineAuthChallenge => types!(
            DefineAuthChallenge,
            DefineAuthChallengeEvent in AuthChallenge,
            AuthChallengeEvent
        ),
        Trigger::CreateAuthChallenge => types!(
            CreateAuthChallenge,
            CreateAuthChallengeEvent in AuthChallenge,
            AuthChallengeEvent
        ),
        Trigger::VerifyAuthChallengeResponse => types!(
            VerifyAuthChallengeResponse,
            VerifyAuthChallengeResponseEvent in AuthChallenge,
            AuthChallengeEvent
        ),
        Trigger::PreTokenGeneration => match version {
            Some(LambdaVersion::V1_0) => types!(PreTokenGeneration, PreTokenGenerationEvent),
            Some(LambdaVersion::V2_0) => types!(PreTokenGenerationV2, PreTokenGenerationV2Event),
            Some(LambdaVersion::V3_0) => types!(PreTokenGenerationV3, PreTokenGenerationV3Event),
            None => None,
        },
        Trigger::UserMigration => types!(UserMigration, UserMigrationEvent),
        Trigger::CustomMessage => types!(CustomMessage, CustomMessageEvent),
        Trigger::CustomSMSSender => types!(
            CustomSmsSender,
            CustomSmsSenderEvent in CustomSender,
            CustomSenderEvent
        ),
        Trigger::CustomEmailSender => types!(
            CustomEmailSender,
            CustomEmailSenderEvent in CustomSender,
            CustomSenderEvent
        ),
        Trigger::InboundFederation => types!(InboundFederation, InboundFederationEvent),
    }
}

#[test]
fn every_event_of_the_catalogue_has_the_types_the_macro_names() {
    let mut fixtures = 0;
    for trigger in Trigger::ALL {
        for event in trigger.row().events {
            let at = format!("{trigger} at {:?}", event.version);
            let types = runtime(trigger, event.version)
                .unwrap_or_else(|| panic!("the runtime has no event type for {at}"));
            let marker = trigger.marker(event.version);
            assert_eq!(types.marker, marker, "{at}");
            assert_eq!(types.event, event_type(marker), "{at}");
            assert_eq!(types.name, trigger.name(), "{at}");
            assert!(types.fixtures > 0, "{at} has no sample fixtures");
            fixtures += types.fixtures;
            let family = trigger.row().family.map(Family::marker);
            assert_eq!(types.family.map(|(marker, _)| marker), family, "{at}");
            if let Some((marker, event)) = types.family {
                assert_eq!(event, event_type(marker), "{at}");
            }
        }
    }
    // Every fixture belongs to an event of the catalogue, so the runtime
    // has no trigger the catalogue lacks.
    assert_eq!(fixtures, fixture_files());
}

#[test]
fn a_function_for_triggers_of_several_families_takes_the_any_event() {
    fn takes<M, E: HandlerEvent<M>>(_: PhantomData<(M, E)>) {}
    macro_rules! any {
        ($marker:ident, $event:ident) => {
            takes(PhantomData::<(events::$marker, events::$event)>);
            assert_eq!(ANY_MARKER, stringify!($marker));
            assert_eq!(event_type(ANY_MARKER), stringify!($event));
        };
    }
    any!(Cognito, CognitoEvent);
}

fn fixture_files() -> usize {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
    let directories = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path());
    directories
        .filter(|path| path.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .filter(|file| {
            let path = file.as_ref().unwrap().path();
            path.extension().is_some_and(|e| e == "json")
        })
        .count()
}
