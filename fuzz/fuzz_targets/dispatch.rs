//! Fuzz target: see `checks/dispatch.rs` for what it checks.

#![no_main]

#[path = "../checks/dispatch.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run(data));
