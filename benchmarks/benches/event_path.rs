//! Issue 6, event path: one invocation's deserialize + handler + serialize,
//! per trigger, on the 1-3 KB events of `events/`. Each trigger's group runs
//! its four paths back to back, so a ratio compares runs made minutes apart
//! at most: (a) cognito-trigger, (b) the hand-written lambda_runtime baseline,
//! (c) `serde_json::Value` pass-through, (d) a SIMD parse into a value, the
//! floor, and (e) the part of (a) lambda_runtime spends before handing the
//! event to cognito-trigger (its parse into `Box<RawValue>`).
//!
//! `cargo bench -p cognito-trigger-benchmarks --bench event_path`; ratios:
//! `benchmarks/run.sh events`.

use cognito_trigger_benchmarks::{baseline, events, toolkit, value};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};

fn main() {
    // An event takes ~10 µs: 50 per sample keeps the 20 ns timer out of the
    // figures, 500 samples make each bench last ~0.3 s. Flags still override.
    divan::Divan::default()
        .sample_count(500)
        .sample_size(50)
        .config_with_args()
        .main();
}

/// Times `path` on the event of `trigger`, reporting bytes/s too.
fn measure(bencher: Bencher, trigger: &str, path: fn(&[u8]) -> Vec<u8>) {
    let bytes = events::event(trigger);
    bencher
        .counter(BytesCount::of_slice(bytes))
        .bench(|| path(black_box(bytes)));
}

/// Parses into a DOM and drops it: no handler, no output. simd-json parses
/// in place, so each sample gets a fresh copy, made outside the timing.
fn floor(bencher: Bencher, trigger: &str) {
    let bytes = events::event(trigger);
    bencher
        .counter(BytesCount::of_slice(bytes))
        .with_inputs(|| bytes.to_vec())
        .bench_local_refs(|buffer| {
            drop(simd_json::to_borrowed_value(buffer).expect("valid JSON"));
        });
}

/// Stage (e): lambda_runtime's parse into the payload type `entry.rs` asks
/// for, of the body its layer leaves (`null`), a part of (a).
fn runtime_pass(bencher: Bencher, _trigger: &str) {
    bencher.bench(toolkit::payload);
}

macro_rules! triggers {
    ($($trigger:ident),* $(,)?) => {$(
        mod $trigger {
            use super::*;

            #[divan::bench]
            fn a_toolkit(bencher: Bencher) {
                measure(bencher, stringify!($trigger), toolkit::$trigger);
            }

            #[divan::bench]
            fn b_baseline(bencher: Bencher) {
                measure(bencher, stringify!($trigger), baseline::$trigger);
            }

            #[divan::bench]
            fn c_value(bencher: Bencher) {
                measure(bencher, stringify!($trigger), value::$trigger);
            }

            #[divan::bench]
            fn d_floor(bencher: Bencher) {
                floor(bencher, stringify!($trigger));
            }

            #[divan::bench]
            fn e_runtime_pass(bencher: Bencher) {
                runtime_pass(bencher, stringify!($trigger));
            }
        }
    )*};
}

triggers!(
    pre_sign_up,
    pre_token_generation_v1,
    pre_token_generation_v2,
    custom_message,
    define_auth_challenge,
    user_migration,
);
