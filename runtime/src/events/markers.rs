//! One marker type per trigger (and PreTokenGeneration event version): the
//! `T` of [`TriggerEvent<T>`](super::TriggerEvent). A marker `M` has the event type
//! `MEvent`, which the compile errors rely on. `CustomSender`,
//! `AuthChallenge` and `Cognito` stand for functions declared for several
//! triggers.

/// Calls `$then!` with the marker of every event of core's trigger
/// catalogue (`core/src/trigger.rs`), in its order: the runtime's one list of
/// them, which defines the markers below and the variants of `CognitoEvent`.
/// `runtime/tests/catalogue.rs` checks that the two lists agree.
macro_rules! trigger_markers {
    ($then:ident) => {
        $then! {
            /// PreSignUp.
            PreSignUp,
            /// PostConfirmation.
            PostConfirmation,
            /// PreAuthentication.
            PreAuthentication,
            /// PostAuthentication.
            PostAuthentication,
            /// DefineAuthChallenge.
            DefineAuthChallenge,
            /// CreateAuthChallenge.
            CreateAuthChallenge,
            /// VerifyAuthChallengeResponse.
            VerifyAuthChallengeResponse,
            /// PreTokenGeneration, event version V1_0.
            PreTokenGeneration,
            /// PreTokenGeneration, event version V2_0.
            PreTokenGenerationV2,
            /// PreTokenGeneration, event version V3_0.
            PreTokenGenerationV3,
            /// UserMigration.
            UserMigration,
            /// CustomMessage.
            CustomMessage,
            /// CustomSMSSender.
            CustomSmsSender,
            /// CustomEmailSender.
            CustomEmailSender,
            /// InboundFederation.
            InboundFederation,
        }
    };
}
pub(super) use trigger_markers;

macro_rules! markers {
    ($( $(#[$meta:meta])* $name:ident, )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub struct $name;
        )*
    };
}

trigger_markers!(markers);

markers! {
    /// A function declared for both custom senders.
    CustomSender,
    /// A function declared for several custom challenge triggers.
    AuthChallenge,
    /// A function declared for triggers of different families.
    Cognito,
}
