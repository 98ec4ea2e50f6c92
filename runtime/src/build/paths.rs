//! Where the template goes, and the paths written into it, which are
//! relative to it: cargo-lambda's output for `Code`, the package for `sam build`.

use std::path::{Component, Path, PathBuf};

/// `<target dir>/cognito/<package>`, where the deployable template is written.
pub fn template_dir(target_dir: &Path, package: &str) -> PathBuf {
    target_dir.join("cognito").join(package)
}

/// Cargo's target directory for the package in `dir`, as a build from the
/// command line uses it: `CARGO_TARGET_DIR` when absolute, else `target` in
/// the workspace root (the nearest ancestor whose Cargo.toml has a
/// `[workspace]`, or the package itself).
pub fn default_target_dir(dir: &Path) -> PathBuf {
    if let Some(target) = absolute_target_dir_variable() {
        return target;
    }
    workspace_root(dir).join("target")
}

/// The root of the workspace of the package in `dir`: the nearest ancestor
/// whose Cargo.toml has a `[workspace]`, or the package itself.
pub fn workspace_root(dir: &Path) -> PathBuf {
    let dir = normalize(dir);
    dir.ancestors()
        .find(|a| {
            std::fs::read_to_string(a.join("Cargo.toml")).is_ok_and(|text| {
                toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.contains_key("workspace"))
            })
        })
        .unwrap_or(&dir)
        .to_path_buf()
}

/// The target directory of the build cargo is running: `CARGO_TARGET_DIR`
/// when absolute, else the nearest ancestor of `OUT_DIR` that cargo marked
/// with `CACHEDIR.TAG`.
pub fn running_target_dir(out_dir: &Path) -> Option<PathBuf> {
    absolute_target_dir_variable().or_else(|| {
        out_dir
            .ancestors()
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
            .map(Path::to_path_buf)
    })
}

fn absolute_target_dir_variable() -> Option<PathBuf> {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
}

/// `to` relative to the directory `from`, with `/` separators.
pub fn relative(from: &Path, to: &Path) -> String {
    let (from, to) = (normalize(from), normalize(to));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = from.components().count() - common;
    let downs: Vec<String> = to
        .components()
        .skip(common)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut parts: Vec<String> = vec!["..".into(); ups];
    parts.extend(downs);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// `path` without `.` and `..` components (lexically, as cargo's paths are).
pub fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let template = Path::new("/w/target/cognito/example-simple");
        assert_eq!(
            relative(template, Path::new("/w/examples/simple")),
            "../../../examples/simple"
        );
        assert_eq!(
            relative(template, Path::new("/w/tests/../examples/simple/")),
            "../../../examples/simple"
        );
        assert_eq!(relative(template, template), ".");
    }
}
