//! Issue 6, where the event path's time goes, stage by stage, for the two
//! typed paths of `event_path.rs`. It explains the ratios rather than
//! adding to them: the stages of (a) are lambda_runtime's parse of the
//! `null` the entrypoint leaves it (`raw`), cognito-trigger's typed parse of
//! the event's bytes (`decode`) and the response's serialization (`encode`);
//! those of (b) are
//! lambda_runtime's parse through serde_path_to_error (`located_parse`),
//! the same types parsed plainly (`plain_parse`, what the re-parse-on-error
//! scheme of `entry.rs` would cost (b)), and `encode`.
//!
//! `cargo bench -p cognito-trigger-benchmarks --bench breakdown`

use aws_lambda_events::event::cognito as aws;
use cognito_trigger::events as ct;
use cognito_trigger_benchmarks::{events, toolkit};
use divan::{Bencher, black_box};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn main() {
    divan::Divan::default()
        .sample_count(500)
        .sample_size(50)
        .config_with_args()
        .main();
}

fn located<T: DeserializeOwned>(bytes: &[u8]) -> T {
    let jd = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(jd).expect("a valid event")
}

fn raw(bencher: Bencher, _trigger: &str) {
    bencher.bench(toolkit::payload);
}

fn decode<E: DeserializeOwned>(bencher: Bencher, trigger: &str) {
    let bytes = events::event(trigger);
    bencher.bench(|| serde_json::from_slice::<E>(black_box(bytes)).expect("a valid event"));
}

fn located_parse<E: DeserializeOwned>(bencher: Bencher, trigger: &str) {
    let bytes = events::event(trigger);
    bencher.bench(|| located::<E>(black_box(bytes)));
}

fn plain_parse<E: DeserializeOwned>(bencher: Bencher, trigger: &str) {
    let bytes = events::event(trigger);
    bencher.bench(|| serde_json::from_slice::<E>(black_box(bytes)).expect("a valid event"));
}

fn encode<E: DeserializeOwned + Serialize>(bencher: Bencher, trigger: &str) {
    let event: E = serde_json::from_slice(events::event(trigger)).expect("a valid event");
    bencher.bench_local(|| serde_json::to_vec(black_box(&event)).expect("serializable"));
}

macro_rules! triggers {
    ($($trigger:ident: $toolkit:ty, $baseline:ty;)*) => {$(
        mod $trigger {
            use super::*;

            #[divan::bench]
            fn a1_raw(bencher: Bencher) {
                raw(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn a2_decode(bencher: Bencher) {
                decode::<$toolkit>(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn a3_encode(bencher: Bencher) {
                encode::<$toolkit>(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn b1_located_parse(bencher: Bencher) {
                located_parse::<$baseline>(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn b2_plain_parse(bencher: Bencher) {
                plain_parse::<$baseline>(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn b3_encode(bencher: Bencher) {
                encode::<$baseline>(bencher, stringify!($trigger));
            }
        }
    )*};
}

triggers! {
    pre_sign_up: ct::PreSignUpEvent, aws::CognitoEventUserPoolsPreSignup;
    pre_token_generation_v1: ct::PreTokenGenerationEvent, aws::CognitoEventUserPoolsPreTokenGen;
    pre_token_generation_v2: ct::PreTokenGenerationV2Event, aws::CognitoEventUserPoolsPreTokenGenV2;
    custom_message: ct::CustomMessageEvent, aws::CognitoEventUserPoolsCustomMessage;
    define_auth_challenge: ct::DefineAuthChallengeEvent, aws::CognitoEventUserPoolsDefineAuthChallenge;
    user_migration: ct::UserMigrationEvent, aws::CognitoEventUserPoolsMigrateUser;
}
