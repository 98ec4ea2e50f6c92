//! What the build step needs from the package's Cargo.toml: its name, its
//! binary targets (found the way cargo finds them) and our metadata table.

use super::problem::{CARGO_TOML, Problem};
use std::path::Path;

pub struct Package {
    pub name: String,
    /// Sorted by name.
    pub bins: Vec<Bin>,
    /// `[package.metadata.cognito-trigger]`, if present.
    pub metadata: Option<toml::Table>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bin {
    pub name: String,
    /// The root file, relative to the package, with `/` separators.
    pub path: String,
}

/// The metadata table's name under `[package.metadata]`.
pub const METADATA_KEY: &str = "cognito-trigger";

pub fn read(dir: &Path) -> Result<Package, Problem> {
    let manifest_path = dir.join(CARGO_TOML);
    let text = std::fs::read_to_string(&manifest_path).map_err(|error| {
        Problem::in_file(
            CARGO_TOML,
            format!("cannot read {}: {error}", manifest_path.display()),
        )
    })?;
    let located = |problem: Problem| {
        let mut problems = [problem];
        super::problem::locate_toml(&mut problems, CARGO_TOML, &text);
        let [problem] = problems;
        problem
    };
    let manifest: toml::Table = toml::from_str(&text).map_err(|error| {
        let problem = Problem::in_file(CARGO_TOML, error.message());
        match error.span() {
            Some(span) => problem.at_offset(&text, span.start),
            None => problem,
        }
    })?;
    let package = manifest
        .get("package")
        .and_then(toml::Value::as_table)
        .ok_or_else(|| Problem::in_file(CARGO_TOML, "no [package] table"))?;
    let name = package
        .get("name")
        .and_then(toml::Value::as_str)
        .ok_or_else(|| {
            located(Problem::new(
                CARGO_TOML,
                path(&["package", "name"]),
                "no package name",
            ))
        })?
        .to_owned();
    let metadata = package
        .get("metadata")
        .and_then(|m| m.get(METADATA_KEY))
        .map(|m| {
            m.as_table().cloned().ok_or_else(|| {
                located(Problem::new(
                    CARGO_TOML,
                    path(&["package", "metadata", METADATA_KEY]),
                    "must be a table",
                ))
            })
        })
        .transpose()?;
    let autobins = package
        .get("autobins")
        .and_then(toml::Value::as_bool)
        .unwrap_or(true);
    let explicit = manifest
        .get("bin")
        .and_then(toml::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let bins = binaries(dir, &name, explicit, autobins)
        .map_err(|message| located(Problem::new(CARGO_TOML, path(&["bin"]), message)))?;
    Ok(Package {
        name,
        bins,
        metadata,
    })
}

fn path(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// Cargo's target discovery: `[[bin]]` entries, then (unless `autobins =
/// false`) `src/main.rs`, `src/bin/<name>.rs` and `src/bin/<name>/main.rs`.
fn binaries(
    dir: &Path,
    package: &str,
    explicit: &[toml::Value],
    autobins: bool,
) -> Result<Vec<Bin>, String> {
    let mut inferred = Vec::new();
    if dir.join("src/main.rs").is_file() {
        inferred.push(Bin {
            name: package.to_owned(),
            path: "src/main.rs".into(),
        });
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("src/bin")) {
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if let Some(stem) = file_name.strip_suffix(".rs")
                && path.is_file()
            {
                inferred.push(Bin {
                    name: stem.to_owned(),
                    path: format!("src/bin/{file_name}"),
                });
            } else if path.join("main.rs").is_file() {
                inferred.push(Bin {
                    name: file_name.clone(),
                    path: format!("src/bin/{file_name}/main.rs"),
                });
            }
        }
    }

    let mut bins: Vec<Bin> = Vec::new();
    for entry in explicit {
        let name = entry
            .get("name")
            .and_then(toml::Value::as_str)
            .ok_or("a [[bin]] entry has no name")?;
        let path = match entry.get("path").and_then(toml::Value::as_str) {
            Some(path) => path.replace('\\', "/"),
            None => inferred
                .iter()
                .find(|b| b.name == name)
                .map(|b| b.path.clone())
                .ok_or(format!(
                    "[[bin]] `{name}` has no path, and neither src/bin/{name}.rs nor src/bin/{name}/main.rs exists"
                ))?,
        };
        bins.push(Bin {
            name: name.to_owned(),
            path,
        });
    }
    if autobins {
        for bin in inferred {
            if !bins
                .iter()
                .any(|b| b.name == bin.name || b.path == bin.path)
            {
                bins.push(bin);
            }
        }
    }
    bins.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(bins)
}
