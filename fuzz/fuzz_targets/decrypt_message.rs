//! Fuzz target: see `checks/decrypt_message.rs` for what it checks (input:
//! a 32-byte data key, then the message).

#![no_main]

#[path = "../checks/decrypt_message.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run(data));
