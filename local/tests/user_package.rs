//! A user's package, outside the workspace, on the crates as `cargo package`
//! makes them for crates.io (unpacked, and put in place of the registry's
//! with `[patch.crates-io]`): `cargo build` writes a template whose functions
//! are the package's own binaries, the attach custom resource among them;
//! `cargo test` runs its unit test; this server serves it; and, when
//! cargo-lambda is on PATH, `cargo lambda build` puts every function's code
//! where the template says.
//!
//! Everything is under target/tests/user-package/, kept between runs: the
//! dependencies compile once, and a crate is unpacked again (and rebuilt)
//! only when its package changed. Offline: the package starts from the
//! workspace's Cargo.lock.

mod common;

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger_support::http::call;
use common::Serving;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The crates a package of triggers depends on.
const CRATES: [&str; 4] = [
    "cognito-trigger-core",
    "cognito-trigger-macros",
    "cognito-trigger",
    "cognito-trigger-attach",
];

const PACKAGE: &str = "user-triggers";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `command`, fails the test if it fails, and returns its stdout.
fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The [`CRATES`] as `cargo package` makes them (verified by .ci/run's
/// `cargo package`), each unpacked under `dir`: `(name, directory)`.
fn packaged_crates(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut package = Command::new(env!("CARGO"));
    package
        .args(["package", "--no-verify", "--offline", "--allow-dirty"])
        .arg("--target-dir")
        .arg(dir.join("package-target"))
        .current_dir(workspace());
    for name in CRATES {
        package.args(["-p", name]);
    }
    run(&mut package);
    let crates = dir.join("crates");
    std::fs::create_dir_all(&crates).unwrap();
    CRATES
        .into_iter()
        .map(|name| {
            let file = format!("{name}-{}", env!("CARGO_PKG_VERSION"));
            let packed = dir
                .join("package-target/package")
                .join(format!("{file}.crate"));
            let previous = crates.join(format!("{file}.crate"));
            let unpacked = crates.join(&file);
            let bytes = std::fs::read(&packed).unwrap();
            if std::fs::read(&previous).ok().as_ref() != Some(&bytes) {
                let _ = std::fs::remove_dir_all(&unpacked);
                // `m`: the files get the time of unpacking, so that cargo
                // sees them changed since its last build.
                run(Command::new("tar")
                    .arg("-xzmf")
                    .arg(&packed)
                    .arg("-C")
                    .arg(&crates));
                std::fs::write(&previous, bytes).unwrap();
            }
            (name, unpacked)
        })
        .collect()
}

/// Writes the package into `dir`, as a user writes it, with its
/// dependencies on the registry's crates patched to `crates`.
fn write_package(dir: &Path, crates: &[(&str, PathBuf)]) {
    let patches: String = crates
        .iter()
        .map(|(name, path)| format!("{name} = {{ path = {:?} }}\n", path.display().to_string()))
        .collect();
    let files = [
        (
            "Cargo.toml",
            format!(
                r#"[package]
name = "{PACKAGE}"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
cognito-trigger = "0.1"
cognito-trigger-attach = "0.1"

[build-dependencies]
cognito-trigger = {{ version = "0.1", default-features = false, features = ["build"] }}

[dev-dependencies]
cognito-trigger = {{ version = "0.1", features = ["testing"] }}
tokio = {{ version = "1", features = ["macros", "rt"] }}

[package.metadata.cognito-trigger]
overrides = "resources.yaml"

[patch.crates-io]
{patches}"#
            ),
        ),
        (
            "build.rs",
            "fn main() {\n    cognito_trigger::build::run();\n}\n".into(),
        ),
        (
            "resources.yaml",
            "Resources:\n  CodesKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy: {}\n".into(),
        ),
        (
            "src/bin/sign_up.rs",
            r#"use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Users", trigger = PreSignUp)]
async fn sign_up(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    let email = event.request.user_attributes.get("email").cloned().unwrap_or_default();
    if !email.ends_with("@example.com") {
        return Err(Error::reject("Sign-up is open to example.com addresses only"));
    }
    event.auto_confirm();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::PreSignUpSource;

    #[tokio::test]
    async fn rejects_other_domains() {
        let event = PreSignUpEvent::sample(PreSignUpSource::SignUp)
            .with_user_attribute("email", "jane@elsewhere.org");
        let error = sign_up(event).await.unwrap_err();
        assert_eq!(error.user_message(), "Sign-up is open to example.com addresses only");
    }
}
"#
            .into(),
        ),
        (
            "src/bin/send_email.rs",
            r#"use cognito_trigger::events::CustomEmailSenderEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Users", trigger = CustomEmailSender, kms_key_id = get_att("CodesKey", "Arn"))]
async fn send_email(event: CustomEmailSenderEvent) -> Result<CustomEmailSenderEvent, Error> {
    Ok(event)
}
"#
            .into(),
        ),
        (
            "src/bin/legacy.rs",
            r#"use cognito_trigger::events::PostConfirmationEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "legacy-pool", trigger = PostConfirmation, existing = true)]
async fn confirmed(event: PostConfirmationEvent) -> Result<PostConfirmationEvent, Error> {
    Ok(event)
}
"#
            .into(),
        ),
        (
            "src/bin/cognito-trigger-attach.rs",
            "fn main() {\n    cognito_trigger_attach::run()\n}\n".into(),
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Unchanged files keep their time: cargo rebuilds nothing for them.
        if std::fs::read_to_string(&path).ok().as_ref() != Some(&text) {
            std::fs::write(path, text).unwrap();
        }
    }
    // The workspace's versions, so nothing new is resolved or compiled.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// `cargo <args> --offline` in `package`, building into `target`.
fn cargo(package: &Path, target: &Path, args: &[&str]) -> String {
    run(Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(package)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("COGNITO_TRIGGER_SKIP_MANIFEST"))
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

#[test]
fn a_user_package_on_the_published_crates() {
    let root = workspace().join("target/tests/user-package");
    let crates = packaged_crates(&root);
    let package = root.join(PACKAGE);
    write_package(&package, &crates);
    let target = root.join("target");

    cargo(&package, &target, &["build"]);
    let template_dir = target.join("cognito").join(PACKAGE);
    let template: Value =
        serde_json::from_str(&std::fs::read_to_string(template_dir.join("template.json")).unwrap())
            .unwrap();
    let mut binaries = Vec::new();
    for (id, resource) in template["Resources"].as_object().unwrap() {
        if resource["Type"] != "AWS::Lambda::Function" {
            continue;
        }
        let metadata = &resource["Metadata"];
        let asset = template_dir.join(metadata["aws:asset:path"].as_str().unwrap());
        assert_eq!(
            asset.canonicalize().unwrap(),
            package.canonicalize().unwrap(),
            "{id} is built from the package"
        );
        let bin = metadata["BuildProperties"]["Binary"].as_str().unwrap();
        assert!(
            package.join(format!("src/bin/{bin}.rs")).is_file(),
            "{id}: the package has no binary {bin}"
        );
        assert_eq!(
            resource["Properties"]["Code"],
            format!("../../lambda/{bin}/"),
            "{id}: cargo-lambda's output"
        );
        binaries.push((bin, resource["Properties"]["Code"].as_str().unwrap()));
    }
    binaries.sort();
    let names: Vec<&str> = binaries.iter().map(|(bin, _)| *bin).collect();
    assert_eq!(
        names,
        ["cognito-trigger-attach", "legacy", "send_email", "sign_up"]
    );

    let tested = cargo(&package, &target, &["test"]);
    assert!(
        tested.contains("test tests::rejects_other_domains ... ok"),
        "{tested}"
    );

    let serving = Serving::start(
        |command| {
            command
                .arg("--package")
                .arg(&package)
                .env("CARGO_TARGET_DIR", &target)
        },
        Duration::from_secs(600),
    );
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp)
        .with_user_attribute("email", "jane@example.com");
    let response = call(
        serving.address,
        "POST",
        "/2015-03-31/functions/SignUpLambdaFunction/invocations",
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    assert_eq!(response.status, 200);
    let answer: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(answer["response"]["autoConfirmUser"], true, "{answer}");
    drop(serving);

    // arm64 needs a Rust target the test cannot install: x86_64, the host's.
    if on_path("cargo-lambda") {
        cargo(
            &package,
            &target,
            &["lambda", "build", "--release", "--x86-64"],
        );
        for (bin, code) in binaries {
            assert!(
                template_dir.join(code).join("bootstrap").is_file(),
                "cargo lambda built no {bin} where the template says, {code}"
            );
        }
    }
}
