//! The build step: `cargo build` writes the deployment template.
//!
//! In the package of triggers:
//!
//! ```toml
//! [build-dependencies]
//! cognito-trigger = { version = "0.1", default-features = false, features = ["build"] }
//! ```
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     cognito_trigger::build::run();
//! }
//! ```
//!
//! Each build scans the package's binaries with the parser the macro uses
//! and writes, when they change:
//!
//! - `$OUT_DIR/cognito-trigger/bins/<binary>.json`: the manifest of each
//!   binary's trigger functions, read back by `#[cognito_trigger]`, which
//!   reports problems spanning several functions at each offending attribute;
//! - `target/cognito/<package>/template.yaml` (and `template.json`): the
//!   CloudFormation template. Its code paths point at cargo-lambda's output,
//!   `target/lambda/<binary>/`, so `cargo lambda build --release` then
//!   `aws cloudformation package` / `deploy` deploy it as it is.
//!
//! # Settings
//!
//! Deployment settings live in `[package.metadata.cognito-trigger]`, each in
//! one place; every key is checked, and a misspelt one is an error with a
//! suggestion:
//!
//! ```toml
//! [package.metadata.cognito-trigger]
//! overrides = "resources.yaml"     # template fragments merged by logical ID
//! architecture = "arm64"           # default; or "x86_64"
//! memory_size = 128                # MB, default 128
//! timeout = 5                      # seconds, default 5: Cognito waits 5 at most
//! log_retention_days = 365         # default 365
//!
//! [package.metadata.cognito-trigger.functions.<binary>]
//! memory_size = 256                # the keys above, but `overrides`
//!
//! [package.metadata.cognito-trigger.pools.<pool name>]
//! allow_public_sign_ups = true     # false: only administrators create users
//! auto_verified_attributes = ["email"]
//! username_attributes = ["email"]
//! verification_message = { default_email_option = "CONFIRM_WITH_CODE", email_subject = "Your code", email_message = "Your code is {####}", sms_message = "Your code is {####}" }
//!
//! [package.metadata.cognito-trigger.pools.<pool name>.clients.<client name>]
//! explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]   # default
//! generate_secret = false          # default
//! ```
//!
//! Each client's ID, and each pool's ID and ARN, are stack outputs.
//!
//! # Overrides
//!
//! The overrides file is a CloudFormation fragment (`Resources`, `Outputs`,
//! `Parameters`, ...), merged deeply into the generated template by logical
//! ID: a pool is `CognitoUserPool<Name>` with only the name's ASCII letters
//! and digits (as in the Serverless Framework), a function
//! `<Binary>LambdaFunction` with the binary's name in UpperCamelCase.
//! `DependsOn` lists are united. What a declaration or a setting sets cannot
//! be overridden (it would be a second truth), and the merged template must
//! have no dangling reference and no circular dependency.

mod cargo;
mod existing;
mod graph;
mod lambda;
mod node;
mod overrides;
mod paths;
mod settings;
mod template;
mod yaml;

use cognito_trigger_core::manifest::{self, Manifest};
use cognito_trigger_core::package::check_package;
use cognito_trigger_core::scan::scan_binary;
use std::fmt;
use std::path::{Path, PathBuf};

/// What the build step makes of a package.
pub struct Output {
    pub manifest: Manifest,
    /// `None` while the manifest has problems for the compiler to report.
    pub template: Option<Template>,
}

/// The deployment template, in both of CloudFormation's formats.
pub struct Template {
    pub yaml: String,
    pub json: String,
}

/// Problems that are not about one declaration (settings, overrides, the
/// template as a whole), all of them.
#[derive(Debug)]
pub struct Error {
    pub messages: Vec<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages.join("\n"))
    }
}

impl std::error::Error for Error {}

impl From<Vec<String>> for Error {
    fn from(messages: Vec<String>) -> Self {
        Self { messages }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Self {
            messages: vec![message],
        }
    }
}

/// Runs the build step from a build script: reads the package cargo is
/// building, writes the manifest and the template, and fails the build with
/// every problem found.
pub fn run() {
    let dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=src");
    if let Ok(package) = cargo::read(&dir)
        && let (settings, _) = settings::read(package.metadata.as_ref())
        && let Some(file) = settings.overrides
    {
        println!("cargo::rerun-if-changed={file}");
    }
    let result = cargo::read(&dir).map_err(Error::from).and_then(|package| {
        let target =
            paths::running_target_dir(&out_dir).unwrap_or_else(|| paths::default_target_dir(&dir));
        let template_dir = paths::template_dir(&target, &package.name);
        let output = generate_for(&dir, package, &template_dir)?;
        write(&out_dir, &template_dir, &output)
            .map_err(|e| Error::from(format!("cannot write the build output: {e}")))
    });
    if let Err(error) = result {
        for message in &error.messages {
            // One line per message: cargo reads directives line by line.
            println!("cargo::error={}", message.replace('\n', " "));
        }
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: cognito_trigger::build::run() runs from a build script")
    })
}

/// The manifest and template of the package in `dir`, as a build from the
/// command line writes them to `target/cognito/<package>/`.
pub fn generate(dir: &Path) -> Result<Output, Error> {
    let package = cargo::read(dir)?;
    let template_dir = paths::template_dir(&paths::default_target_dir(dir), &package.name);
    generate_for(dir, package, &template_dir)
}

/// The manifest, and the template that will be written to `template_dir`
/// (its paths are relative to it).
fn generate_for(dir: &Path, package: cargo::Package, template_dir: &Path) -> Result<Output, Error> {
    let (settings, settings_errors) = settings::read(package.metadata.as_ref());
    let mut manifest = Manifest {
        package: package.name.clone(),
        ..Manifest::default()
    };
    for bin in &package.bins {
        let source = std::fs::read_to_string(dir.join(&bin.path))
            .map_err(|e| format!("cannot read {}: {e}", bin.path))?;
        match scan_binary(&bin.name, &bin.path, &source) {
            Ok(functions) => manifest.functions.extend(functions),
            Err(_) => manifest.unparsed.push(bin.path.clone()),
        }
    }
    check_package(&mut manifest.functions);
    // Problems in declarations are the compiler's to report, at their tokens:
    // the manifest carries them, and no template is written meanwhile.
    let blocked = !manifest.unparsed.is_empty()
        || manifest.functions.iter().any(|f| !f.diagnostics.is_empty());
    let mut errors = settings_errors;
    let template = if blocked {
        None
    } else {
        match template(dir, &manifest, &settings, template_dir) {
            Ok(template) => Some(template),
            Err(error) => {
                errors.extend(error.messages);
                None
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(Output { manifest, template })
}

fn template(
    dir: &Path,
    manifest: &Manifest,
    settings: &settings::Settings,
    template_dir: &Path,
) -> Result<Template, Error> {
    // The attach crate sits beside this one in the source tree.
    let attach = Path::new(env!("CARGO_MANIFEST_DIR")).join("../attach");
    let attach_path = attach
        .join("Cargo.toml")
        .is_file()
        .then(|| paths::relative(template_dir, &attach));
    let package_path = paths::relative(template_dir, dir);
    let mut generated = template::generate(manifest, settings, &package_path, attach_path)?;
    if let Some(file) = &settings.overrides {
        let text = std::fs::read_to_string(dir.join(file)).map_err(|e| {
            format!("cannot read the overrides file {file} (package.metadata.cognito-trigger.overrides): {e}")
        })?;
        let overrides = yaml::from_yaml(&text).map_err(|e| format!("{file}: {e}"))?;
        overrides::merge(
            &mut generated.template,
            overrides,
            &generated.protected,
            file,
        )?;
    }
    let mut errors = graph::check(&generated.template, settings.overrides.as_deref());
    errors.extend(timeouts_after_overrides(&generated));
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let json = serde_json::to_string_pretty(&node::Node::Map(generated.template.clone()))
        .expect("a template serializes");
    Ok(Template {
        yaml: yaml::to_yaml(&generated.template),
        json: json + "\n",
    })
}

/// An override may change a function's `Timeout`, but not beyond what
/// Cognito waits for a synchronous trigger.
fn timeouts_after_overrides(generated: &template::Generated) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(node::Node::Map(resources)) = generated.template.get("Resources") else {
        return errors;
    };
    for id in &generated.synchronous {
        let timeout = match resources.get(id) {
            Some(node::Node::Map(function)) => match function.get("Properties") {
                Some(node::Node::Map(properties)) => properties.get("Timeout"),
                _ => None,
            },
            _ => None,
        };
        if let Some(node::Node::Number(seconds)) = timeout
            && seconds
                .parse::<f64>()
                .is_ok_and(|s| s > f64::from(template::COGNITO_TIMEOUT_SECONDS))
        {
            errors.push(format!(
                "template: Resources.{id}.Properties.Timeout is {seconds} s, but Cognito waits at most {} s for a synchronous trigger: lower it",
                template::COGNITO_TIMEOUT_SECONDS
            ));
        }
    }
    errors
}

/// Writes the outputs into `out_dir` and the template to the stable place
/// under the target directory, each only when its content changed.
fn write(out_dir: &Path, template_dir: &Path, output: &Output) -> std::io::Result<()> {
    let parts = out_dir.join(manifest::BINARIES_IN_OUT_DIR);
    std::fs::create_dir_all(&parts)?;
    let binaries = output.manifest.binaries();
    for bin in &binaries {
        write_if_changed(
            &out_dir.join(manifest::binary_path(bin)),
            &output.manifest.of_binary(bin).to_json(),
        )?;
    }
    // A binary that no longer has trigger functions must not find old ones.
    for entry in std::fs::read_dir(&parts)? {
        let path = entry?.path();
        let current = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .is_some_and(|bin| binaries.contains(&bin));
        if !current {
            std::fs::remove_file(path)?;
        }
    }
    for dir in [&out_dir.join("cognito-trigger"), template_dir] {
        for (name, content) in [
            ("template.yaml", output.template.as_ref().map(|t| &t.yaml)),
            ("template.json", output.template.as_ref().map(|t| &t.json)),
        ] {
            let path = dir.join(name);
            match content {
                Some(content) => write_if_changed(&path, content)?,
                // A template that no longer matches the sources must not be deployed.
                None if path.exists() => std::fs::remove_file(&path)?,
                None => {}
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, content)
}
