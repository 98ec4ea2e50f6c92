//! The source scanner of the build step: finds the `#[cognito_trigger]`
//! functions of each binary with the parser the macro uses ([`crate::attr`]).
//!
//! It reads what the macro can expand into a Lambda binary: top-level
//! functions of a binary's root file. A declaration the scanner cannot see
//! (inside a module, produced by `macro_rules!`, under `cfg_attr`) is refused
//! by the macro, which checks itself against the manifest.

use crate::ast::Declaration;
use crate::errors::Errors;
use crate::item::items;
use crate::manifest::{Declared, Function, Location};
use crate::{attr, valid};
use proc_macro2::TokenStream;
use std::str::FromStr;

/// What the scanner found in one binary's root file.
#[derive(Debug, Default)]
pub struct Scan {
    /// The trigger functions whose declarations are all valid.
    pub functions: Vec<Function>,
    /// The functions left out because a declaration has a mistake: the macro
    /// reports it at its token, and no template may be written meanwhile (it
    /// would silently lack the function).
    pub mistakes: Vec<Location>,
}

/// The trigger functions of one binary, from its root file's source.
/// `file` is the path shown in messages. The error is the lexer's:
/// unbalanced delimiters, an unterminated string.
pub fn scan_binary(bin: &str, file: &str, source: &str) -> syn::Result<Scan> {
    // Not `syn::parse_str`: its token buffer recurses on nested groups.
    let tokens = TokenStream::from_str(without_preamble(source))
        .map_err(|error| syn::Error::new(error.span(), format!("not Rust tokens: {error}")))?;
    let mut scan = Scan::default();
    for item in items(tokens) {
        let Some(name) = item.function_name() else {
            continue;
        };
        let attributes: Vec<_> = item
            .attributes
            .iter()
            .filter(|a| attr::is_declaration(a))
            .collect();
        if attributes.is_empty() {
            continue;
        }
        let mut errors = Errors::new();
        let mut declarations: Vec<(Declaration, Location)> = Vec::new();
        for attribute in attributes {
            if let Some(declaration) = attr::parse_attribute(attribute, &mut errors) {
                valid::check_declaration(&declaration, &mut errors);
                declarations.push((declaration, location(file, attribute.pound.span())));
            }
        }
        let parsed: Vec<Declaration> = declarations.iter().map(|(d, _)| d.clone()).collect();
        valid::check_function(&parsed, &mut errors);
        if !errors.is_empty() {
            scan.mistakes.push(location(file, item.start()));
            continue;
        }
        scan.functions.push(Function {
            bin: bin.to_owned(),
            name: name.to_string(),
            location: location(file, item.start()),
            declarations: declarations
                .iter()
                .map(|(declaration, at)| Declared {
                    location: at.clone(),
                    values: declaration.values.clone(),
                })
                .collect(),
            diagnostics: Vec::new(),
        });
    }
    Ok(scan)
}

/// The source without what rustc skips before the first token: a byte order
/// mark and a `#!` line that does not start an inner attribute.
fn without_preamble(source: &str) -> &str {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    match source.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => {
            rest.find('\n').map_or("", |end| &rest[end..])
        }
        _ => source,
    }
}

fn location(file: &str, span: proc_macro2::Span) -> Location {
    let start = span.start();
    Location {
        file: file.to_owned(),
        line: start.line,
        column: start.column + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trigger::Trigger;

    #[test]
    fn finds_top_level_trigger_functions() {
        let source = r#"
use cognito_trigger::cognito_trigger;

#[cognito_trigger(pool = "A", trigger = PreSignUp)]
#[cognito_trigger(pool = "B", trigger = PreSignUp)]
async fn sign_up(event: E) -> R { todo!() }

async fn helper() {}

mod inner {
    #[cognito_trigger(pool = "A", trigger = PostConfirmation)]
    async fn hidden(event: E) -> R { todo!() }
}
"#;
        let scan = scan_binary("sign_up", "src/bin/sign_up.rs", source).unwrap();
        assert!(scan.mistakes.is_empty());
        let functions = scan.functions;
        assert_eq!(functions.len(), 1);
        let function = &functions[0];
        assert_eq!(function.name, "sign_up");
        assert_eq!(function.location.line, 4);
        let pools: Vec<_> = function
            .declarations
            .iter()
            .map(|d| d.pool.as_str())
            .collect();
        assert_eq!(pools, ["A", "B"]);
        assert_eq!(
            function.declarations[1].location.to_string(),
            "src/bin/sign_up.rs:5:1"
        );
        assert!(
            function
                .declarations
                .iter()
                .all(|d| d.trigger == Trigger::PreSignUp)
        );
    }

    #[test]
    fn leaves_mistakes_to_the_macro() {
        let source = r#"
#[cognito_trigger(pool = "A", trigger = PreSignup)]
async fn misspelt(event: E) -> R { todo!() }
#[cognito_trigger(pool = "A", trigger = CustomSMSSender)]
async fn keyless(event: E) -> R { todo!() }
"#;
        let scan = scan_binary("b", "b.rs", source).unwrap();
        assert!(scan.functions.is_empty());
        // Each is recorded, so that no template is written without it.
        let lines: Vec<usize> = scan.mistakes.iter().map(|at| at.line).collect();
        assert_eq!(lines, [2, 4]);
        assert!(scan_binary("b", "b.rs", "fn (").is_err());
    }
}
