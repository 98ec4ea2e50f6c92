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

mod alias;
mod cargo;
mod existing;
mod graph;
mod ids;
mod lambda;
mod limits;
mod node;
mod overrides;
mod paths;
mod problem;
mod settings;
mod template;
mod yaml;

pub use problem::{On, Position, Problem};

use cognito_trigger_core::KmsKey;
use cognito_trigger_core::manifest::{self, Diagnostic, Manifest, Part};
use cognito_trigger_core::package::check_package;
use cognito_trigger_core::scan::scan_binary;
use node::Node;
use std::fmt;
use std::path::{Path, PathBuf};

/// What the build step makes of a package.
pub struct Output {
    /// Every trigger function found, with the problems that span functions.
    pub manifest: Manifest,
    /// `None` while the manifest has problems for the compiler to report.
    pub template: Option<Template>,
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
    if let (settings, _) = settings::read(package.metadata.as_ref())
        && let Some(file) = settings.overrides
    {
        println!("cargo::rerun-if-changed={file}");
    }
    match generate_for(&dir, package, &template_dir) {
        Ok(output) => {
            if let Err(error) = write(&out_dir, &template_dirs, &output) {
                println!("cargo::error=cannot write the build output: {error}");
                remove_templates(&template_dirs);
            } else if let Some(template) = &output.template {
                for warning in architecture_mismatches(&target, template) {
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
    let (settings, mut problems) = settings::read(package.metadata.as_ref());
    let mut manifest = Manifest {
        package: package.name.clone(),
        ..Manifest::default()
    };
    for bin in &package.bins {
        let source = std::fs::read_to_string(dir.join(&bin.path))
            .map_err(|e| Problem::in_file(&bin.path, format!("cannot read it: {e}")))?;
        match scan_binary(&bin.name, &bin.path, &source) {
            Ok(scan) => {
                manifest.functions.extend(scan.functions);
                manifest
                    .mistakes
                    .extend(scan.mistakes.iter().map(ToString::to_string));
            }
            Err(_) => manifest.mistakes.push(bin.path.clone()),
        }
    }
    check_package(&mut manifest.functions);
    existing::missing_attach_binary(&mut manifest, &package.bins);
    // Problems in declarations are the compiler's to report, at their tokens:
    // the manifest carries them, and no template is written meanwhile. With
    // settings problems, the template is still generated, for its problems.
    let mut template = None;
    if !blocked(&manifest) {
        match generate_template(dir, &mut manifest, &settings, template_dir) {
            Ok(generated) => template = generated,
            Err(error) => problems.extend(error.problems),
        }
    }
    if !problems.is_empty() {
        if let Ok(text) = std::fs::read_to_string(dir.join(problem::CARGO_TOML)) {
            problem::locate_toml(&mut problems, problem::CARGO_TOML, &text);
        }
        return Err(problems.into());
    }
    Ok(Output { manifest, template })
}

/// Whether the declarations have problems the compiler reports.
fn blocked(manifest: &Manifest) -> bool {
    !manifest.mistakes.is_empty() || manifest.functions.iter().any(|f| !f.diagnostics.is_empty())
}

/// The template, or `None` when a declaration refers to what the template
/// lacks (added to the manifest for the compiler to report at its token).
fn generate_template(
    dir: &Path,
    manifest: &mut Manifest,
    settings: &settings::Settings,
    template_dir: &Path,
) -> Result<Option<Template>, Error> {
    let package_path = paths::relative(template_dir, dir);
    let mut generated = template::generate(manifest, settings, &package_path)?;
    let overrides_text = match &settings.overrides {
        Some(file) => Some(std::fs::read_to_string(dir.join(file)).map_err(|e| {
            Problem::new(
                problem::CARGO_TOML,
                settings::metadata_path(&["overrides"]),
                format!("cannot read the overrides file {file}: {e}"),
            )
        })?),
        None => None,
    };
    let positions = overrides_text.as_deref().map(problem::YamlPositions::new);
    if let (Some(file), Some(text)) = (&settings.overrides, &overrides_text) {
        let overrides = yaml::from_yaml(text).map_err(|e| Problem::in_file(file, e))?;
        overrides::merge(
            &mut generated.template,
            overrides,
            &generated.protected,
            file,
        )
        .map_err(|mut problems| {
            problem::locate_yaml(&mut problems, file, text);
            problems
        })?;
    }
    alias::publish_on_change(&mut generated.template, &generated.aliased);
    if undefined_keys(manifest, &generated.template, settings.overrides.as_deref()) {
        return Ok(None);
    }
    let overrides = settings
        .overrides
        .as_deref()
        .zip(positions.as_ref())
        .map(|(file, positions)| graph::Overrides { file, positions });
    let mut problems = graph::check(&generated.template, overrides.as_ref());
    problems.extend(timeouts_after_overrides(&generated, overrides.as_ref()));
    problems.extend(template::quota_problems(&generated.template));
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let json = serde_json::to_string_pretty(&Node::Map(generated.template.clone()))
        .expect("a template serializes");
    let template = Template {
        yaml: yaml::to_yaml(&generated.template),
        json: json + "\n",
    };
    // Either file may be the one deployed.
    let largest = template.yaml.len().max(template.json.len());
    if largest > limits::TEMPLATE_BYTES {
        return Err(Problem::in_template(
            Vec::new(),
            format!(
                "the template is {largest} bytes, and CloudFormation takes at most {} in one stack: spread the pools and functions over several packages",
                limits::TEMPLATE_BYTES
            ),
        )
        .into());
    }
    Ok(Some(template))
}

/// A `kms_key_id = get_att("Key", "Arn")` must name a KMS key the merged
/// template defines: else the declaration gets a diagnostic, which the macro
/// reports at its `kms_key_id`, and the result is `true`.
fn undefined_keys(manifest: &mut Manifest, template: &node::Map, overrides: Option<&str>) -> bool {
    const KMS_KEY: &str = "AWS::KMS::Key";
    let type_of = |id: &str| match template.get("Resources") {
        Some(Node::Map(resources)) => match resources.get(id) {
            Some(Node::Map(resource)) => Some(match resource.get("Type") {
                Some(Node::String(kind)) => kind.clone(),
                _ => String::new(),
            }),
            _ => None,
        },
        _ => None,
    };
    let place = match overrides {
        Some(file) => format!("under `Resources` in {file}, the overrides file"),
        None => "in an overrides file (`overrides = \"resources.yaml\"` under [package.metadata.cognito-trigger] in Cargo.toml)".to_owned(),
    };
    let mut found = false;
    for function in &mut manifest.functions {
        for (index, declared) in function.declarations.iter().enumerate() {
            let Some(KmsKey::GetAtt { resource }) = &declared.kms_key else {
                continue;
            };
            let problem = match type_of(resource) {
                Some(kind) if kind == KMS_KEY => continue,
                Some(kind) => format!(
                    "`{resource}` is {}, not an {KMS_KEY}: name the key's resource, or give the key's ARN (`kms_key_id = \"arn:aws:kms:<region>:<account>:key/<key-id>\"`)",
                    if kind.is_empty() {
                        "a resource without a Type".to_owned()
                    } else {
                        format!("a {kind}")
                    }
                ),
                None => format!(
                    "the template defines no resource `{resource}`: declare the key as `{resource}: {{ Type: {KMS_KEY}, ... }}` {place}, or give the key's ARN (`kms_key_id = \"arn:aws:kms:<region>:<account>:key/<key-id>\"`)"
                ),
            };
            function.diagnostics.push(Diagnostic {
                declaration: index,
                at: Part::KmsKeyId,
                message: problem,
            });
            found = true;
        }
    }
    found
}

/// An override may change a function's `Timeout`, but not beyond what
/// Cognito waits for a synchronous trigger.
fn timeouts_after_overrides(
    generated: &template::Generated,
    overrides: Option<&graph::Overrides>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(Node::Map(resources)) = generated.template.get("Resources") else {
        return problems;
    };
    for id in &generated.synchronous {
        let timeout = match resources.get(id) {
            Some(Node::Map(function)) => match function.get("Properties") {
                Some(Node::Map(properties)) => properties.get("Timeout"),
                _ => None,
            },
            _ => None,
        };
        if let Some(Node::Number(seconds)) = timeout
            && seconds
                .parse::<f64>()
                .is_ok_and(|s| s > f64::from(template::COGNITO_TIMEOUT_SECONDS))
        {
            problems.push(graph::Overrides::problem(
                overrides,
                ["Resources", id, "Properties", "Timeout"].map(String::from).to_vec(),
                format!(
                    "{seconds} s, but Cognito waits at most {} s for a synchronous trigger: lower it",
                    template::COGNITO_TIMEOUT_SECONDS
                ),
            ));
        }
    }
    problems
}

/// The functions whose cargo-lambda binary (`<target>/lambda/<bin>/bootstrap`,
/// if built) is for another architecture than the template says: Lambda
/// would fail every invocation with an exec format error.
fn architecture_mismatches(target: &Path, template: &Template) -> Vec<String> {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str(&template.json) else {
        return Vec::new();
    };
    let Some(serde_json::Value::Object(resources)) = root.get("Resources") else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for resource in resources.values() {
        let properties = &resource["Properties"];
        let (Some(code), Some(wanted)) = (
            properties["Code"].as_str(),
            properties["Architectures"][0].as_str(),
        ) else {
            continue;
        };
        let Some(bin) = code
            .strip_prefix("../../lambda/")
            .map(|b| b.trim_end_matches('/'))
        else {
            continue;
        };
        let bootstrap = target.join("lambda").join(bin).join("bootstrap");
        if let Some(found) = elf_architecture(&bootstrap)
            && found != wanted
        {
            warnings.push(format!(
                "{} is an {found} binary, but the template deploys `{bin}` on {wanted}: rebuild it with `cargo lambda build --release --{}`",
                bootstrap.display(),
                if wanted == "arm64" { "arm64" } else { "x86-64" }
            ));
        }
    }
    warnings
}

/// `arm64` or `x86_64`, from an ELF file's header (its `e_machine`).
fn elf_architecture(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    if &header[..4] != b"\x7fELF" {
        return None;
    }
    match u16::from_le_bytes([header[18], header[19]]) {
        0xB7 => Some("arm64"),
        0x3E => Some("x86_64"),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_of_the_other_architecture_is_named() {
        // This test's own executable stands in for a cargo-lambda build.
        let host = match std::env::consts::ARCH {
            "x86_64" => "x86_64",
            "aarch64" => "arm64",
            _ => return,
        };
        let other = if host == "arm64" { "x86_64" } else { "arm64" };
        let target = std::env::temp_dir().join(format!("cognito-arch-{}", std::process::id()));
        let dir = target.join("lambda/sign_up");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(std::env::current_exe().unwrap(), dir.join("bootstrap")).unwrap();
        let template = |architecture: &str| Template {
            yaml: String::new(),
            json: format!(
                r#"{{"Resources": {{"F": {{"Properties": {{"Code": "../../lambda/sign_up/", "Architectures": ["{architecture}"]}}}}}}}}"#
            ),
        };
        assert_eq!(elf_architecture(&dir.join("bootstrap")), Some(host));
        assert!(architecture_mismatches(&target, &template(host)).is_empty());
        let warnings = architecture_mismatches(&target, &template(other));
        std::fs::remove_dir_all(&target).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains(&format!(
                "is an {host} binary, but the template deploys `sign_up` on {other}"
            )),
            "{warnings:?}"
        );
    }
}
