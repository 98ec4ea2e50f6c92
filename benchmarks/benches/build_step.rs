//! Issue 6, build step: what `cognito_trigger::build::run()` does in a
//! build script (scan every binary, check across functions, the manifest,
//! the template in YAML and JSON), in-process, for the generated packages
//! of `SIZES`: 10, 100 and 1,000 declarations over 100 pools (10 over 10),
//! every trigger of a pool on one function, so that each template is within
//! CloudFormation's quotas and the build step accepts it (as
//! `tests/build_step.rs` checks). They are written under the target
//! directory first (see `src/build_step.rs`). Only the writing of the files
//! is left out.
//!
//! Also what each `#[cognito_trigger]` does with the manifest: parse its
//! binary's part and find its function, once per handler.
//!
//! `cargo bench -p cognito-trigger-benchmarks --bench build_step`; ratios:
//! `benchmarks/run.sh build`.

use cognito_trigger::build;
use cognito_trigger_benchmarks::build_step::{SIZES, Spec, Variant, handlers, write_package};
use cognito_trigger_core::manifest::Manifest;
use divan::{Bencher, black_box};
use std::path::{Path, PathBuf};

fn main() {
    for declarations in SIZES {
        write_package(
            &package(declarations),
            &format!("scan-{declarations}"),
            Spec::across_100_pools(declarations),
            Variant::BuildStep,
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime"),
        )
        .expect("the generated package is written");
    }
    divan::Divan::default()
        .sample_count(50)
        .config_with_args()
        .main();
}

fn package(declarations: usize) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("build-step/scan-{declarations}"))
}

/// Scan + manifest + template: the build step less its file writes.
#[divan::bench(args = SIZES)]
fn build_step(bencher: Bencher, declarations: usize) {
    let dir = package(declarations);
    bencher.bench(|| {
        let output = build::generate(black_box(&dir)).expect("the package builds");
        let parts: Vec<String> = (output.manifest.binaries().iter())
            .map(|bin| output.manifest.of_binary(bin).to_json())
            .collect();
        (parts, output.template.expect("a template"))
    });
}

/// The manifest's part in one macro expansion: read its binary's part (as
/// the build step writes it), find the function.
#[divan::bench(args = SIZES)]
fn macro_reads_manifest(bencher: Bencher, declarations: usize) {
    let bin = handlers(Spec::across_100_pools(declarations))
        .pop()
        .expect("a handler")
        .bin;
    let json = build::generate(&package(declarations))
        .expect("the package builds")
        .manifest
        .of_binary(&bin)
        .to_json();
    bencher.bench(|| {
        let manifest = Manifest::from_json(black_box(&json)).expect("a manifest");
        manifest
            .functions_of(&bin)
            .next()
            .map(|f| f.declarations.len())
    });
}
