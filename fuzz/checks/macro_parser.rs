//! The declaration parser and the build step's scanner on any text: the
//! text as the tokens of `#[cognito_trigger(...)]`, as a whole source file,
//! and inside an attribute of a source file. No panic; a refused
//! declaration always comes with errors, each with a message.
//!
//! Shared by the fuzz target `fuzz_targets/macro_parser.rs` and the corpus replay in
//! the normal test run (core/tests/properties.rs).

use cognito_trigger_core::attr::parse_arguments;
use cognito_trigger_core::errors::Errors;
use cognito_trigger_core::scan::scan_binary;
use cognito_trigger_core::valid;
use proc_macro2::{Span, TokenStream};
use std::str::FromStr;

fn check_errors(errors: &Errors) {
    for error in errors.iter() {
        assert!(
            !error.to_string().trim().is_empty(),
            "an error without a message"
        );
    }
}

fn scan(source: &str) {
    match scan_binary("bin", "src/main.rs", source) {
        Ok(scan) => {
            for function in scan.functions {
                assert!(!function.name.is_empty());
                assert!(!function.declarations.is_empty());
                assert!(function.location.line >= 1);
            }
        }
        Err(error) => assert!(!error.to_string().trim().is_empty()),
    }
}

/// Checks one input; panics on a finding.
pub fn run(data: &[u8]) {
    // The spans of earlier inputs are dead; without this, the thread's
    // source map (span-locations) grows with every input.
    proc_macro2::extra::invalidate_current_thread_spans();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tokens) = TokenStream::from_str(text) {
        let mut errors = Errors::new();
        let declaration = parse_arguments(tokens, Span::call_site(), &mut errors);
        assert_eq!(declaration.is_none(), !errors.is_empty());
        check_errors(&errors);
        if let Some(declaration) = declaration {
            valid::check_declaration(&declaration, &mut errors);
            valid::check_function(&[declaration.clone(), declaration], &mut errors);
            assert!(
                !errors.is_empty(),
                "the same declaration twice was accepted"
            );
            check_errors(&errors);
        }
    }
    scan(text);
    scan(&format!(
        "#[cognito_trigger({text})]\nasync fn f(e: E) -> R {{ todo!() }}\n"
    ));
}
