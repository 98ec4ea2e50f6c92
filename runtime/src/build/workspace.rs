//! The packages of the workspace a package is in, read as cargo reads them,
//! for the rule that a trigger binary's name is its own in the workspace
//! ([`super::check::binary_names_in_workspace`]).

use super::paths;
use std::path::{Path, PathBuf};

/// The directories of the workspace's packages: its root's, if it is one,
/// and those `workspace.members` names (globs, one `*` or `?` pattern per
/// path segment, as cargo reads them) but `workspace.exclude`.
pub fn members(root: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
        return Vec::new();
    };
    let Ok(manifest) = toml::from_str::<toml::Table>(&text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if manifest.contains_key("package") {
        found.push(root.to_path_buf());
    }
    let workspace = manifest.get("workspace").and_then(toml::Value::as_table);
    let list = |key: &str| -> Vec<String> {
        workspace
            .and_then(|w| w.get(key))
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let excluded: Vec<PathBuf> = list("exclude")
        .iter()
        .map(|e| paths::normalize(&root.join(e)))
        .collect();
    for pattern in list("members") {
        for dir in expand(root, &pattern) {
            let dir = paths::normalize(&dir);
            // As cargo reads `exclude`: a path and everything below it.
            let excluded = excluded.iter().any(|e| dir.starts_with(e));
            if dir.join("Cargo.toml").is_file() && !excluded && !found.contains(&dir) {
                found.push(dir);
            }
        }
    }
    found
}

/// The directories under `root` that `pattern` matches.
fn expand(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    for segment in pattern.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if !segment.contains(['*', '?']) {
            dirs = dirs.into_iter().map(|d| d.join(segment)).collect();
            continue;
        }
        let mut next = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.path().is_dir() && wildcard(segment.as_bytes(), name.as_bytes()) {
                    next.push(entry.path());
                }
            }
        }
        next.sort();
        dirs = next;
    }
    dirs
}

/// Whether `name` matches `pattern`, where `*` stands for any run of
/// characters and `?` for one (as in cargo's globs and IAM's actions).
pub fn wildcard(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.split_first(), name.split_first()) {
        (None, None) => true,
        (Some((b'*', rest)), _) => {
            wildcard(rest, name) || (!name.is_empty() && wildcard(pattern, &name[1..]))
        }
        (Some((b'?', rest)), Some((_, name_rest))) => wildcard(rest, name_rest),
        (Some((p, rest)), Some((n, name_rest))) if p == n => wildcard(rest, name_rest),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_cargo_s_globs_do() {
        assert!(wildcard(b"*", b"simple"));
        assert!(wildcard(b"ex*-pool", b"existing-pool"));
        assert!(wildcard(b"?imple", b"simple"));
        assert!(!wildcard(b"ex*-pool", b"examples"));
        assert!(!wildcard(b"?", b""));
    }
}
