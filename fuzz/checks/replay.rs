//! A fuzz target's committed corpus, replayed through its check in the
//! normal test run (runtime/tests/properties.rs, core/tests/properties.rs).

use std::path::Path;

/// Runs `check` on every input of `fuzz/corpus/<target>`, of which there are
/// at least `seeds`; panics naming the first input that fails.
pub fn replay(target: &str, seeds: usize, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= seeds,
        "{}: {} inputs",
        root.display(),
        inputs.len()
    );
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("fuzz finding: {}", input.display());
        }
    }
}
