//! Fuzz target: see `checks/decode_events.rs` for what it checks.

#![no_main]

#[path = "../checks/decode_events.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run(data));
