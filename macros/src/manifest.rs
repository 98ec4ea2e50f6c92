//! The macro's side of the build manifest: the function must be in it, as
//! declared here, and the problems the build step found across functions are
//! reported at this function's tokens. A check only the binary ran would come
//! too late: this one fails the build.

use cognito_trigger_core::manifest::{self, Function, Manifest, Part};
use cognito_trigger_core::{Declaration, Errors};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::path::PathBuf;

/// Set by compile-fail harnesses such as trybuild, which cannot run build
/// scripts: the declaration is checked alone.
const SKIP_VARIABLE: &str = "COGNITO_TRIGGER_SKIP_MANIFEST";

/// Set by rustdoc in the environment of the rustc that compiles one doctest
/// alone (`src/librustdoc/doctest.rs`: `compiler.env("UNSTABLE_RUSTDOC_TEST_PATH", path)`,
/// with `UNSTABLE_RUSTDOC_TEST_LINE`), so that the doctest's paths name the
/// documented file. A doctest has no build script, hence no manifest, and is
/// never deployed: no template can miss it, so its declaration is checked
/// alone, as under [`SKIP_VARIABLE`].
///
/// rustdoc sets it only for a doctest compiled alone: since edition 2024 it
/// first compiles a crate's doctests merged into one crate, without the
/// variable, where the check fails and rustdoc silently compiles them alone.
/// The examples that use the attribute are marked `standalone_crate` to skip
/// that failing attempt.
const RUSTDOC_TEST_VARIABLE: &str = "UNSTABLE_RUSTDOC_TEST_PATH";

const BUILD_SCRIPT_HELP: &str = "add a build script that writes the deployment template: `build.rs` with `fn main() { cognito_trigger::build::run(); }`, and in Cargo.toml `[build-dependencies] cognito-trigger = { version = \"0.1\", default-features = false, features = [\"build\"] }`";

/// What the expansion needs from the manifest.
pub struct Placement {
    /// Only the binary's first trigger function writes `main`, so that two
    /// functions in one binary give our message, not a duplicate `main`.
    pub first_in_binary: bool,
    /// Makes the compiler rebuild the binary when the manifest changes.
    pub tracking: TokenStream,
}

pub fn check(function_name: &str, declarations: &[Declaration], errors: &mut Errors) -> Placement {
    let mut placement = Placement {
        first_in_binary: true,
        tracking: TokenStream::new(),
    };
    if std::env::var_os(SKIP_VARIABLE).is_some()
        || std::env::var_os(RUSTDOC_TEST_VARIABLE).is_some()
    {
        return placement;
    }
    let span = declarations
        .first()
        .map_or(Span::call_site(), |d| d.spans.attribute);
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        errors.error(
            span,
            format!("this package has no build step, so no deployment template would include this trigger: {BUILD_SCRIPT_HELP}"),
        );
        return placement;
    };
    let Ok(bin) = std::env::var("CARGO_BIN_NAME") else {
        errors.error(
            span,
            "#[cognito_trigger] goes on a function of a binary target (src/main.rs or src/bin/<name>.rs): each trigger function is its own Lambda binary",
        );
        return placement;
    };
    let out_dir = PathBuf::from(out_dir);
    let path = out_dir.join(manifest::binary_path(&bin));
    let manifest = match std::fs::read_to_string(&path) {
        Ok(json) => match Manifest::from_json(&json) {
            Ok(manifest) => manifest,
            Err(error) => {
                errors.error(
                    span,
                    format!("the build manifest {} is unreadable ({error}): run `cargo clean -p {}` and build again", path.display(), std::env::var("CARGO_PKG_NAME").unwrap_or_default()),
                );
                return placement;
            }
        },
        // The build step ran but found no trigger function in this binary.
        Err(_) if out_dir.join(manifest::BINARIES_IN_OUT_DIR).is_dir() => {
            errors.error(span, unseen(&bin));
            return placement;
        }
        Err(_) => {
            errors.error(
                span,
                format!("the package's build script did not run cognito-trigger's build step: {BUILD_SCRIPT_HELP}"),
            );
            return placement;
        }
    };
    let path = path.to_string_lossy().into_owned();
    placement.tracking = quote!(
        const _: &[u8] = include_bytes!(#path);
    );
    placement.first_in_binary = manifest
        .functions_of(&bin)
        .next()
        .is_none_or(|first| first.name == function_name);
    match manifest
        .functions_of(&bin)
        .find(|f| f.name == function_name)
    {
        Some(found) => check_against(found, declarations, errors),
        None => errors.error(span, unseen(&bin)),
    }
    placement
}

fn unseen(bin: &str) -> String {
    format!(
        "the build step did not see this declaration, so the deployment template would miss it: it reads the top-level functions of binary `{bin}`'s root file, and cannot see a declaration inside a module, produced by a macro, or under `cfg_attr`; write `#[cognito_trigger(...)]` directly on a top-level function of the binary's main file"
    )
}

fn check_against(found: &Function, declarations: &[Declaration], errors: &mut Errors) {
    for (index, declaration) in declarations.iter().enumerate() {
        if !found
            .declarations
            .get(index)
            .is_some_and(|d| d.values == declaration.values)
        {
            errors.error(declaration.spans.attribute, unseen(&found.bin));
            return;
        }
    }
    if found.declarations.len() > declarations.len() {
        let span = declarations
            .first()
            .map_or(Span::call_site(), |d| d.spans.attribute);
        errors.error(
            span,
            format!(
                "the build step found {} declarations on this function but the compiler sees {}: a `cfg` or `cfg_attr` hides some of them; declare triggers unconditionally so the template matches the binary",
                found.declarations.len(),
                declarations.len()
            ),
        );
        return;
    }
    for diagnostic in &found.diagnostics {
        let Some(declaration) = declarations.get(diagnostic.declaration) else {
            continue;
        };
        let spans = &declaration.spans;
        let span = match diagnostic.at {
            Part::Attribute => spans.attribute,
            Part::Pool => spans.pool,
            Part::Trigger => spans.trigger,
            Part::KmsKeyId => spans.kms_key_id.unwrap_or(spans.trigger),
            Part::Existing => spans.existing.unwrap_or(spans.pool),
        };
        errors.error(span, &diagnostic.message);
    }
}
