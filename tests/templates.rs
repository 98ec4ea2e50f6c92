//! The examples' templates: each equals its reviewed golden copy in
//! `golden/`, the JSON says what the YAML says, and cfn-lint (installed by
//! .ci/run from requirements.txt) finds no error and no warning.
//!
//! After a deliberate change, review the diff and re-record with
//! `GOLDEN=overwrite cargo test -p cognito-trigger-tests --test templates`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

fn examples() -> Vec<(String, PathBuf)> {
    let mut examples: Vec<_> = std::fs::read_dir(workspace().join("examples"))
        .expect("examples/ exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    examples.sort();
    assert!(examples.len() >= 8, "the seeds' examples are all there");
    examples
}

fn template(dir: &Path) -> cognito_trigger::build::Template {
    let output = cognito_trigger::build::generate(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    output
        .template
        .unwrap_or_else(|| panic!("{}: {:?}", dir.display(), output.manifest))
}

#[test]
fn templates_match_the_reviewed_copies() {
    let overwrite = std::env::var("GOLDEN").is_ok_and(|v| v == "overwrite");
    let mut differ = Vec::new();
    for (name, dir) in examples() {
        let yaml = template(&dir).yaml;
        let golden = workspace()
            .join("tests/golden")
            .join(format!("{name}.yaml"));
        if overwrite {
            std::fs::write(&golden, &yaml).unwrap();
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(yaml.as_str()) {
            differ.push(name);
        }
    }
    assert!(
        differ.is_empty(),
        "templates differ from tests/golden/ for {differ:?}: review with `diff`, then re-record with GOLDEN=overwrite"
    );
}

#[test]
fn templates_are_deterministic() {
    for (_, dir) in examples() {
        assert_eq!(template(&dir).yaml, template(&dir).yaml);
    }
}

#[test]
fn json_and_yaml_say_the_same() {
    for (name, dir) in examples() {
        let template = template(&dir);
        let from_json: serde_json::Value = serde_json::from_str(&template.json).unwrap();
        let from_yaml = yaml_as_json(&template.yaml);
        assert_eq!(from_json, from_yaml, "{name}");
    }
}

/// Reads the YAML back through cfn-lint's own parser, so the comparison does
/// not trust our reader either.
fn yaml_as_json(yaml: &str) -> serde_json::Value {
    let script = "import sys, json\nfrom cfnlint.decode.cfn_yaml import loads\nprint(json.dumps(loads(sys.stdin.read())))";
    let output = python(script, yaml);
    serde_json::from_str(&output).unwrap()
}

fn python(script: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "python3 with cfn-lint failed: install tests/requirements.txt (.ci/run does)"
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn cfn_lint_finds_nothing() {
    let dir = workspace().join("target/tests/templates");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, example) in examples() {
        let template = template(&example);
        for (extension, text) in [("yaml", template.yaml), ("json", template.json)] {
            let file = dir.join(format!("{name}.{extension}"));
            std::fs::write(&file, text).unwrap();
            files.push(file);
        }
    }
    let output = Command::new("cfn-lint")
        .args(&files)
        .output()
        .expect("cfn-lint runs: install tests/requirements.txt (.ci/run does)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "cfn-lint (exit {:?}):\n{report}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn checkov_finds_nothing_unexplained() {
    let dir = workspace().join("target/tests/checkov");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, example) in examples() {
        std::fs::write(dir.join(format!("{name}.yaml")), template(&example).yaml).unwrap();
    }
    let output = Command::new("checkov")
        .args([
            "--framework",
            "cloudformation",
            "--compact",
            "--skip-download",
            "--output",
            "json",
            "-d",
            ".",
        ])
        // From the templates' own directory: checkov's secrets check
        // (CKV_AWS_45) also reads the file path it records beside a
        // function's variables, and flagged the relative path from tests/.
        .current_dir(&dir)
        .output()
        .expect("checkov runs: install tests/requirements.txt (.ci/run does)");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "checkov's report:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let summary = &report["summary"];
    assert!(
        summary["passed"].as_u64().unwrap() > 0,
        "checkov checked something: {summary}"
    );
    assert_eq!(
        summary["failed"], 0,
        "{:#}",
        report["results"]["failed_checks"]
    );
    assert_eq!(summary["parsing_errors"], 0, "{summary}");
    // Every check the templates skip says why.
    for skipped in report["results"]["skipped_checks"].as_array().unwrap() {
        let reason = skipped["check_result"]["suppress_comment"]
            .as_str()
            .unwrap_or_default();
        assert!(
            reason.len() > 20,
            "{} skipped without a reason",
            skipped["check_id"]
        );
    }
}
