//! One marker type per trigger (and PreTokenGeneration event version): the
//! `T` of [`TriggerEvent<T>`](super::TriggerEvent). A marker `M` has the event type
//! `MEvent`, which the compile errors rely on. `CustomSender`,
//! `AuthChallenge` and `Cognito` stand for functions declared for several
//! triggers.

/// The marker of each event of core's trigger catalogue
/// (`core/src/trigger.rs`, through `for_each_event!`), in its order.
macro_rules! event_markers {
    ($( $marker:ident $trigger:ident $family:tt, )*) => {
        markers! {
            $(
                #[doc = concat!(
                    "The marker of ", stringify!($trigger), "'s event `",
                    stringify!($marker), "Event`."
                )]
                $marker,
            )*
        }
    };
}

macro_rules! markers {
    ($( $(#[$meta:meta])* $name:ident, )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub struct $name;
        )*
    };
}

cognito_trigger_core::for_each_event!(event_markers);

markers! {
    /// A function declared for both custom senders.
    CustomSender,
    /// A function declared for several custom challenge triggers.
    AuthChallenge,
    /// A function declared for triggers of different families.
    Cognito,
}
