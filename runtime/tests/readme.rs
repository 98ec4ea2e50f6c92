//! The README's TOML snippets: rustdoc checks its Rust ones (`ReadmeDoctests`
//! in src/lib.rs), this checks that each TOML one parses and that what it
//! asks of this crate exists: its version, and each feature it names.

#![cfg(feature = "build")]

const README: &str = include_str!("../../README.md");
const MANIFEST: &str = include_str!("../Cargo.toml");

/// The contents of the README's ```` ```toml ```` blocks.
fn toml_blocks() -> Vec<&'static str> {
    README
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split_once("```").expect("a closed code block").0)
        .collect()
}

#[test]
fn the_readme_toml_snippets_ask_for_this_version_and_existing_features() {
    let manifest: toml::Table = MANIFEST.parse().expect("Cargo.toml parses");
    let features = manifest["features"].as_table().expect("[features]");
    let version = env!("CARGO_PKG_VERSION");
    let blocks = toml_blocks();
    assert!(!blocks.is_empty(), "the README shows the dependency lines");
    let mut sections = std::collections::BTreeSet::new();
    for block in blocks {
        let table: toml::Table = block.parse().unwrap_or_else(|error| {
            panic!("a README TOML snippet does not parse: {error}\n{block}")
        });
        for section in ["dependencies", "build-dependencies", "dev-dependencies"] {
            let Some(dependency) = table.get(section).and_then(|s| s.get("cognito-trigger")) else {
                continue;
            };
            sections.insert(section);
            let (requirement, named) = match dependency {
                toml::Value::String(requirement) => (requirement.as_str(), Vec::new()),
                toml::Value::Table(table) => (
                    table["version"].as_str().expect("a version string"),
                    table
                        .get("features")
                        .and_then(toml::Value::as_array)
                        .map(|names| names.iter().filter_map(toml::Value::as_str).collect())
                        .unwrap_or_default(),
                ),
                other => panic!("[{section}] cognito-trigger = {other:?}"),
            };
            // A caret requirement such as "0.1" that this version meets.
            assert!(
                version == requirement || version.starts_with(&format!("{requirement}.")),
                "[{section}] asks for cognito-trigger {requirement}, this is {version}"
            );
            for feature in named {
                assert!(
                    features.contains_key(feature),
                    "[{section}] names feature {feature:?}, which cognito-trigger does not have"
                );
            }
        }
    }
    assert_eq!(
        sections.len(),
        3,
        "[dependencies], [build-dependencies] and [dev-dependencies] each shown"
    );
}
