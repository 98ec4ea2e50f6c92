//! Writes the packages `benchmarks/run.sh build` compiles: the same
//! handlers in each [`Variant`], beside the trivial attribute macro, each
//! with a copy of the workspace's Cargo.lock so they build the same crate
//! versions as the workspace.
//!
//! ```text
//! build_step_packages <dir> [declarations] [pools] [triggers per function]
//! ```
//!
//! The default is 24 declarations over 2 pools, one trigger per function: 13
//! binaries. `run.sh` also writes 1,000 over 100 with 10 triggers per
//! function (every trigger of a pool on one function: 26 binaries, within
//! CloudFormation's quotas, as the in-process bench's largest package).
//!
//! Prints the binaries' names, one a line.

use cognito_trigger_benchmarks::build_step::{
    OUTPUT_QUOTA, RESOURCE_QUOTA, Spec, TRIVIAL_CRATE, TemplateCounts, Variant, handlers,
    write_package, write_trivial_macro,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |index: usize, default: usize| {
        args.get(index)
            .map_or(Ok(default), |a| a.parse::<usize>())
            .map_err(|e| format!("argument {index}: {e}"))
    };
    let (Some(dir), Ok(declarations), Ok(pools), Ok(triggers_per_function)) =
        (args.first(), number(1, 24), number(2, 2), number(3, 1))
    else {
        eprintln!(
            "usage: build_step_packages <dir> [declarations] [pools] [triggers per function]"
        );
        return ExitCode::from(2);
    };
    let spec = Spec {
        declarations,
        pools,
        triggers_per_function,
    };
    let counts = TemplateCounts::of(&handlers(spec));
    if !counts.within_quotas() {
        eprintln!(
            "build_step_packages: {counts:?} is over CloudFormation's quotas ({RESOURCE_QUOTA} resources, {OUTPUT_QUOTA} outputs), so the build step would refuse it: put more triggers on each function"
        );
        return ExitCode::from(2);
    }
    match write(Path::new(dir), spec) {
        Ok(bins) => {
            for bin in bins {
                println!("{bin}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("build_step_packages: {error}");
            ExitCode::FAILURE
        }
    }
}

fn write(dir: &Path, spec: Spec) -> std::io::Result<Vec<String>> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = workspace.join("runtime").canonicalize()?;
    write_trivial_macro(&dir.join(TRIVIAL_CRATE))?;
    let mut bins = Vec::new();
    for variant in Variant::ALL {
        let package = dir.join(variant.name());
        std::fs::create_dir_all(&package)?;
        let name = format!("bench-{}", variant.name().replace('_', "-"));
        let handlers = write_package(&package, &name, spec, variant, &runtime)?;
        std::fs::copy(workspace.join("Cargo.lock"), package.join("Cargo.lock"))?;
        bins = handlers.into_iter().map(|h| h.bin).collect();
    }
    Ok(bins)
}
