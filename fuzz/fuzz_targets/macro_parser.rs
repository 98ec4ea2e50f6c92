//! Fuzz target: see `checks/macro_parser.rs` for what it checks.

#![no_main]

#[path = "../checks/macro_parser.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run(data));
