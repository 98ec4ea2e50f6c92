//! `serve --watch` rebuilds a package whose sources change and serves the new
//! build, and keeps serving the previous build when the new one fails.

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger_support::http::call;
use serde_json::Value;
mod common;

use common::Serving;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// A package of one PreSignUp trigger that rejects every sign-up, outside
/// the workspace but sharing its lock file, toolchain and target directory,
/// so that only the package itself compiles.
fn write_package(dir: &Path) {
    let runtime = workspace().join("runtime");
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "local-watch-fixture"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
cognito-trigger = {{ path = "{runtime}" }}

[build-dependencies]
cognito-trigger = {{ path = "{runtime}", default-features = false, features = ["build"] }}
"#,
            runtime = runtime.display()
        ),
    )
    .unwrap();
    for shared in ["Cargo.lock", "rust-toolchain.toml"] {
        std::fs::copy(workspace().join(shared), dir.join(shared)).unwrap();
    }
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    cognito_trigger::build::run();\n}\n",
    )
    .unwrap();
    write_handler(dir, "first build");
}

fn write_handler(dir: &Path, message: &str) {
    std::fs::write(
        dir.join("src/bin/gate.rs"),
        format!(
            r#"use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{{Error, cognito_trigger}};

#[cognito_trigger(pool = "WatchedPool", trigger = PreSignUp)]
async fn gate(_event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {{
    Err(Error::reject("{message}"))
}}
"#
        ),
    )
    .unwrap();
}

fn rejection(address: SocketAddr) -> String {
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp);
    let response = call(
        address,
        "POST",
        "/2015-03-31/functions/gate/invocations",
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    body["errorMessage"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_change_is_rebuilt_and_served_and_a_failed_build_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("local-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_package(&dir);
    let build = Duration::from_secs(600);
    let server = Serving::start(
        |command| {
            command
                .arg("--watch")
                .arg("--package")
                .arg(&dir)
                .env("CARGO_TARGET_DIR", workspace().join("target"))
                .env("CARGO_NET_OFFLINE", "true")
        },
        build,
    );
    let address = server.address;
    assert_eq!(rejection(address), "first build");

    write_handler(&dir, "second build");
    server.wait_for("rebuilt", build);
    assert_eq!(rejection(address), "second build");

    std::fs::write(dir.join("src/bin/gate.rs"), "fn main() { not rust }\n").unwrap();
    server.wait_for("the previous build keeps serving", build);
    assert_eq!(rejection(address), "second build");
    std::fs::remove_dir_all(&dir).unwrap();
}
