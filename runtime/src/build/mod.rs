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
//!   `target/lambda/<binary>/`, so `cargo lambda build --release --arm64` then
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
//! environment = { STAGE = "prod" } # Environment.Variables (strings; not Lambda's reserved names)
//! policy_statements = [            # IAM statements the role gets besides writing its logs
//!     { Effect = "Allow", Action = ["cognito-idp:AdminGetUser"], Resource = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/*" },
//! ]
//! managed_policy_arns = ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
//! pool_access = ["AdminAddUserToGroup"] # Cognito actions on the function's own pools
//!                                  # (a function's own list replaces the package's)
//! log_format = "JSON"              # LoggingConfig.LogFormat: "Text" (Lambda's default) or "JSON"
//! application_log_level = "INFO"   # TRACE..FATAL; needs log_format = "JSON"
//! system_log_level = "WARN"        # DEBUG, INFO or WARN; needs log_format = "JSON"
//! alias = "live"                  # Cognito invokes this alias of a published version
//! provisioned_concurrency = 1      # on the alias; needs `alias`
//!
//! [package.metadata.cognito-trigger.functions.<binary>]
//! memory_size = 256                # the keys above, but `overrides`; a function's
//!                                  # environment, statements and policies add to the package's
//!
//! [package.metadata.cognito-trigger.pools.<pool name>]
//! retain = false                   # default true: Retain policies and DeletionProtection
//! renamed_from = "Old name"        # keeps the renamed pool's logical ID (see below)
//! retired = true                   # a recorded pool leaves the template
//! keep = true                      # a recorded pool stays without handlers beside new pools
//! allow_public_sign_ups = true     # false: only administrators create users
//! auto_verified_attributes = ["email"]
//! username_attributes = ["email"]
//! verification_message = { default_email_option = "CONFIRM_WITH_CODE", email_subject = "Your code", email_message = "Your code is {####}", sms_message = "Your code is {####}" }
//!
//! [package.metadata.cognito-trigger.pools.<pool name>.clients.<client name>]
//! explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]   # default
//! generate_secret = false          # default
//! renamed_from = "old-name"        # and `retired = true`, as for pools
//! ```
//!
//! # The lock
//!
//! `cognito-trigger.lock`, beside Cargo.toml and committed with it, records
//! the pools the stack creates and their clients. A build whose template
//! would delete or replace one of them (a pool renamed or left without
//! handlers, a setting Cognito cannot change) fails, naming the ways out:
//! `renamed_from`, a pool section that keeps the pool, `retired`.
//!
//! Each client's ID, and each pool's ID and ARN, are stack outputs. A
//! mistake is reported at its line and column in Cargo.toml.
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
//! have no dangling reference and no circular dependency, and stay within
//! CloudFormation's quotas (500 resources, 200 outputs, 1 MB).
//!
//! # When the build fails
//!
//! Whatever fails (a declaration, a setting, the overrides, a reference, a
//! cycle, a quota), `target/cognito/<package>/template.{yaml,json}` are
//! removed and the build says so: a template that no longer matches the
//! sources is never left to deploy. The next good build writes them again.

mod access;
mod actions;
mod alias;
mod cargo;
mod check;
mod existing;
mod function;
mod generate;
mod graph;
mod ids;
mod lambda;
mod limits;
mod lock;
mod node;
mod overrides;
mod paths;
mod pool;
mod problem;
mod settings;
mod template;
mod unchangeable;
mod workspace;
mod yaml;

pub use generate::generate;
pub use problem::{On, Position, Problem};

use cognito_trigger_core::manifest::{self, Manifest};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the build step makes of a package.
pub struct Output {
    /// Every trigger function found, with the problems that span functions.
    pub manifest: Manifest,
    /// `None` while the manifest has problems for the compiler to report.
    pub template: Option<Template>,
    /// The text of the package's `cognito-trigger.lock` after this build,
    /// with the template: the pools and clients it creates. `None` while
    /// there is no template, or nothing to record and no lock yet.
    pub lock: Option<String>,
}

/// The deployment template, in both of CloudFormation's formats.
pub struct Template {
    /// `template.yaml`.
    pub yaml: String,
    /// `template.json`, the same template.
    pub json: String,
}

/// Problems that are not about one declaration (settings, overrides, the
/// template as a whole), all of them, each where it is.
#[derive(Debug)]
pub struct Error {
    /// In the order found: Cargo.toml's, then the template's.
    pub problems: Vec<Problem>,
}

/// Each problem as rustc shows one: the place, the message, the line.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Vec<Problem>> for Error {
    fn from(problems: Vec<Problem>) -> Self {
        Self { problems }
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
        }
    }
}

/// Runs the build step from a build script: reads the package cargo is
/// building, writes the manifest and the template, and fails the build with
/// every problem found. Whatever fails, no template is left behind: one that
/// no longer matches the sources must not be deployed.
pub fn run() {
    let dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed={}", lock::LOCK_FILE);
    // Known before Cargo.toml is read, so that a template is removed even
    // when reading it fails.
    let target =
        paths::running_target_dir(&out_dir).unwrap_or_else(|| paths::default_target_dir(&dir));
    let template_dir = paths::template_dir(&target, &env("CARGO_PKG_NAME"));
    let template_dirs = [out_dir.join("cognito-trigger"), template_dir.clone()];
    let package = match cargo::read(&dir) {
        Ok(package) => package,
        Err(problem) => {
            println!("cargo::error={}", problem.one_line());
            remove_templates(&template_dirs);
            return;
        }
    };
    let settings = settings::read(package.metadata.as_ref());
    if let Some(file) = &settings.0.overrides {
        println!("cargo::rerun-if-changed={file}");
    }
    match generate::generate_for(&dir, package, settings, &template_dir) {
        Ok(output) => {
            let first_lock = output.lock.is_some() && !dir.join(lock::LOCK_FILE).exists();
            if let Err(error) = write(&out_dir, &template_dirs, &output)
                .and_then(|()| write_lock(&dir, output.lock.as_deref()))
            {
                println!("cargo::error=cannot write the build output: {error}");
                remove_templates(&template_dirs);
            } else if let Some(template) = &output.template {
                if first_lock {
                    println!(
                        "cargo::warning=wrote {}: it records the user pools this package's stack creates, so that no later edit deletes or replaces one. Commit it with the sources",
                        dir.join(lock::LOCK_FILE).display()
                    );
                }
                for warning in check::architecture_mismatches(&target, template) {
                    println!("cargo::warning={warning}");
                }
                for warning in existing::pool_name_warnings(&output.manifest) {
                    println!("cargo::warning={warning}");
                }
            } else {
                println!(
                    "cargo::warning=no deployment template in {}: the #[cognito_trigger] declarations have mistakes, which the compiler reports",
                    template_dir.display()
                );
            }
        }
        Err(error) => {
            for problem in &error.problems {
                // One line per problem: cargo reads directives line by line.
                println!("cargo::error={}", problem.one_line());
            }
            remove_templates(&template_dirs);
            println!(
                "cargo::warning=no deployment template in {} until the errors are fixed",
                template_dir.display()
            );
        }
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: cognito_trigger::build::run() runs from a build script")
    })
}

/// Removes the templates from `dirs`.
fn remove_templates(dirs: &[PathBuf]) {
    for dir in dirs {
        for name in TEMPLATE_FILES {
            let _ = std::fs::remove_file(dir.join(name));
        }
    }
}

const TEMPLATE_FILES: [&str; 2] = ["template.yaml", "template.json"];

/// Writes the outputs into `out_dir` and the template to the stable place
/// under the target directory, each only when its content changed.
fn write(out_dir: &Path, template_dirs: &[PathBuf], output: &Output) -> std::io::Result<()> {
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
    for dir in template_dirs {
        for (name, content) in TEMPLATE_FILES.into_iter().zip([
            output.template.as_ref().map(|t| &t.yaml),
            output.template.as_ref().map(|t| &t.json),
        ]) {
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

/// Writes the package's `cognito-trigger.lock` when it changes.
fn write_lock(dir: &Path, lock: Option<&str>) -> std::io::Result<()> {
    match lock {
        Some(text) => write_if_changed(&dir.join(lock::LOCK_FILE), text),
        None => Ok(()),
    }
}

fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Renamed into place, so that a reader (or an interrupted build) never
    // sees half a template.
    let partial = path.with_extension("partial");
    std::fs::write(&partial, content)?;
    std::fs::rename(&partial, path)
}
