//! The build step's rules: each function checks one, opened by the reason
//! for it, and reports every breach as a [`Problem`] at the place to fix (a
//! key in Cargo.toml, the overrides file, a binary). Assembly is elsewhere
//! (`template`, `pool`, `function`); the lock's rules are in `lock`, and
//! those that span functions in `cognito_trigger_core::package`, which the
//! macro shares.

use super::existing::ATTACH_BINARY;
use super::function::COGNITO_TIMEOUT_SECONDS;
use super::graph;
use super::ids::FunctionIds;
use super::limits::{self, LOGICAL_ID};
use super::lock::{self, Lock};
use super::node::{self, Map, Node};
use super::problem::{CARGO_TOML, Problem};
use super::settings::{
    Architecture, FunctionSettings, LogFormat, PoolSettings, Settings, metadata_path,
};
use super::template::{Generated, pools};
use super::{Template, cargo, paths, workspace};
use crate::KMS_KEY_ARN_VARIABLE;
use cognito_trigger_core::KmsKey;
use cognito_trigger_core::manifest::{Diagnostic, Function, Manifest, Part};
use cognito_trigger_core::suggest::{Quoted, hint};
use std::path::Path;

/// Settings must name pools the stack creates (or the lock records) and
/// binaries with triggers; a retired pool must have no declarations left.
pub fn settings_targets(
    manifest: &Manifest,
    settings: &Settings,
    lock: Option<&Lock>,
    errors: &mut Vec<Problem>,
) {
    let created: Vec<&str> = pools(manifest, settings, None).keys().copied().collect();
    for (pool, pool_settings) in &settings.pools {
        if created.contains(&pool.as_str()) {
            if PoolSettings::is_retired(Some(pool_settings)) {
                errors.push(Problem::new(
                    CARGO_TOML,
                    metadata_path(&["pools", pool, "retired"]),
                    format!("pool \"{pool}\" is still declared by #[cognito_trigger]: a retired pool leaves the template, so remove its declarations first, or remove `retired`"),
                ));
            }
            continue;
        }
        if lock::records(lock, pool, Some(pool_settings)) {
            continue;
        }
        let existing = manifest
            .functions
            .iter()
            .flat_map(|f| &f.declarations)
            .any(|d| d.existing && d.pool == *pool);
        let message = if existing {
            format!(
                "pool \"{pool}\" is an existing pool (`existing = true`): the stack does not own it, so its settings cannot be set here"
            )
        } else {
            let hint = hint(pool, &created, Quoted::Value, "the pools are");
            format!("no #[cognito_trigger] declares pool \"{pool}\": {hint}")
        };
        errors.push(Problem::on_key(
            CARGO_TOML,
            metadata_path(&["pools", pool]),
            message,
        ));
    }
    let bins: Vec<&str> = manifest.functions.iter().map(|f| f.bin.as_str()).collect();
    for bin in settings.functions.keys() {
        if !bins.contains(&bin.as_str()) {
            let hint = hint(bin, &bins, Quoted::Key, "the trigger binaries are");
            errors.push(Problem::on_key(
                CARGO_TOML,
                metadata_path(&["functions", bin]),
                format!("`{bin}` is not a binary with a trigger function: {hint}"),
            ));
        }
    }
}

/// The attach function is built with the package's other binaries, and
/// `cargo lambda build` builds them all for one architecture: with the
/// functions on both and no package-wide `architecture`, it has none to
/// follow.
pub fn one_attach_architecture(
    manifest: &Manifest,
    settings: &Settings,
    architectures: &[Architecture],
) -> Option<Problem> {
    let attaches = manifest
        .functions
        .iter()
        .flat_map(|f| &f.declarations)
        .any(|d| d.existing);
    (attaches && settings.defaults.architecture.is_none() && architectures.len() > 1).then(|| {
        Problem::new(
            CARGO_TOML,
            metadata_path(&[]),
            "the functions are built for both arm64 and x86_64, and the custom resource that attaches them to existing pools is built with them: set `architecture` for the whole package, as `cargo lambda build` builds one at a time",
        )
    })
}

/// Every rule on a binary's function settings in force (`chosen`, from its
/// own table, the package's and the defaults), each reported at the key in
/// force.
pub fn function_settings(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(timeout(function, settings, chosen));
    problems.extend(kms_key_variable(function, settings, chosen));
    problems.extend(provisioned_without_alias(function, settings, chosen));
    problems.extend(log_levels_without_json(function, settings, chosen));
    problems.extend(environment_size(function, settings, chosen));
    problems
}

/// Cognito waits at most 5 s for a synchronous trigger, and cannot be told
/// to wait longer: a longer timeout only hides a function that is too slow.
fn timeout(function: &Function, settings: &Settings, chosen: &FunctionSettings) -> Option<Problem> {
    let timeout = chosen.timeout?;
    let synchronous = function
        .declarations
        .iter()
        .find(|d| d.trigger.is_synchronous())?;
    (timeout > COGNITO_TIMEOUT_SECONDS).then(|| {
        Problem::new(
            CARGO_TOML,
            settings.function_key(&function.bin, "timeout"),
            format!(
                "binary `{}` has a timeout of {timeout} s, but Cognito waits at most {COGNITO_TIMEOUT_SECONDS} s for its {} trigger (and cannot be told to wait longer): set `timeout` to {COGNITO_TIMEOUT_SECONDS} or less",
                function.bin, synchronous.trigger
            ),
        )
    })
}

/// The template sets a custom sender's KMS_KEY_ARN to its pool's key: a
/// second value would be a second truth.
fn kms_key_variable(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Option<Problem> {
    let sender = function
        .declarations
        .iter()
        .any(|d| d.trigger.is_custom_sender());
    if !sender || !chosen.environment.contains_key(KMS_KEY_ARN_VARIABLE) {
        return None;
    }
    let own = settings
        .functions
        .get(&function.bin)
        .is_some_and(|f| f.environment.contains_key(KMS_KEY_ARN_VARIABLE));
    let mut path = if own {
        metadata_path(&["functions", &function.bin, "environment"])
    } else {
        metadata_path(&["environment"])
    };
    path.push(KMS_KEY_ARN_VARIABLE.to_owned());
    Some(Problem::on_key(
        CARGO_TOML,
        path,
        format!(
            "binary `{}` is a custom sender: the template sets {KMS_KEY_ARN_VARIABLE} to its pool's key (its `kms_key_id`), so remove it here",
            function.bin
        ),
    ))
}

/// Lambda provisions concurrency on an alias or a version, never on the
/// function itself.
fn provisioned_without_alias(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Option<Problem> {
    (chosen.provisioned_concurrency.is_some() && chosen.alias.is_none()).then(|| {
        Problem::new(
            CARGO_TOML,
            settings.function_key(&function.bin, "provisioned_concurrency"),
            format!(
                "binary `{}` has provisioned concurrency but no alias: Lambda provisions an alias or a version, so add `alias = \"live\"` beside it",
                function.bin
            ),
        )
    })
}

/// Lambda filters logs by level only in its JSON format, and refuses a
/// level without it.
fn log_levels_without_json(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Vec<Problem> {
    if chosen.log_format == Some(LogFormat::Json) {
        return Vec::new();
    }
    [
        ("application_log_level", chosen.application_log_level.is_some()),
        ("system_log_level", chosen.system_log_level.is_some()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(key, _)| {
        Problem::new(
            CARGO_TOML,
            settings.function_key(&function.bin, key),
            format!(
                "binary `{}` has a log level but not `log_format = \"JSON\"`: Lambda filters by level only in its JSON format; set both",
                function.bin
            ),
        )
    })
    .collect()
}

/// Lambda takes at most 4 KB of environment variables, names and values.
fn environment_size(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Option<Problem> {
    let size: usize = chosen
        .environment
        .iter()
        .map(|(name, value)| name.len() + value.len())
        .sum();
    (size > limits::ENVIRONMENT_BYTES).then(|| {
        Problem::new(
            CARGO_TOML,
            settings.function_key(&function.bin, "environment"),
            format!(
                "binary `{}` has {size} bytes of environment variables, and Lambda takes at most {}: move large values to SSM Parameter Store or S3",
                function.bin,
                limits::ENVIRONMENT_BYTES
            ),
        )
    })
}

/// A binary whose name makes logical IDs (`ids`) longer than CloudFormation
/// takes. They are not shortened: overrides address functions by them.
pub fn logical_ids(function: &Function, ids: &FunctionIds) -> Option<Problem> {
    let longest = ids.longest();
    (longest.len() > LOGICAL_ID).then(|| {
        Problem::in_file(&function.location.file, format!(
            "binary `{}` gives its resources logical IDs of up to {} characters (`{longest}`), and CloudFormation takes at most {LOGICAL_ID}: shorten the binary's name by {} ASCII letters or digits",
            function.bin,
            longest.len(),
            longest.len() - LOGICAL_ID
        ))
    })
}

/// A template, after the overrides, over CloudFormation's quotas on
/// resources and outputs.
pub fn quotas(template: &Map) -> Vec<Problem> {
    let count = |section: &str| match template.get(section) {
        Some(Node::Map(entries)) => entries.keys().count(),
        _ => 0,
    };
    [
        ("Resources", limits::RESOURCES),
        ("Outputs", limits::OUTPUTS),
    ]
    .into_iter()
    .filter(|(section, max)| count(section) > *max)
    .map(|(section, max)| {
        Problem::in_template(
            vec![section.to_owned()],
            format!(
                "the template has {} {}, and CloudFormation takes at most {max} in one stack: spread the pools and functions over several packages",
                count(section),
                section.to_lowercase()
            ),
        )
    })
    .collect()
}

/// CloudFormation takes a template of at most 1 MB, in either format (either
/// file may be the one deployed).
pub fn template_size(template: &Template) -> Option<Problem> {
    let largest = template.yaml.len().max(template.json.len());
    (largest > limits::TEMPLATE_BYTES).then(|| {
        Problem::in_template(
            Vec::new(),
            format!(
                "the template is {largest} bytes, and CloudFormation takes at most {} in one stack: spread the pools and functions over several packages",
                limits::TEMPLATE_BYTES
            ),
        )
    })
}

/// A `kms_key_id = get_att("Key", "Arn")` must name a KMS key the merged
/// template defines: else the declaration gets a diagnostic, which the macro
/// reports at its `kms_key_id`, and the result is `true`.
pub fn undefined_keys(
    manifest: &mut Manifest,
    template: &node::Map,
    overrides: Option<&str>,
) -> bool {
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
pub fn timeouts_after_overrides(
    generated: &Generated,
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
                .is_ok_and(|s| s > f64::from(COGNITO_TIMEOUT_SECONDS))
        {
            problems.push(graph::Overrides::problem(
                overrides,
                ["Resources", id, "Properties", "Timeout"].map(String::from).to_vec(),
                format!(
                    "{seconds} s, but Cognito waits at most {} s for a synchronous trigger: lower it",
                    COGNITO_TIMEOUT_SECONDS
                ),
            ));
        }
    }
    problems
}

/// The functions whose cargo-lambda binary (`<target>/lambda/<bin>/bootstrap`,
/// if built) is for another architecture than the template says: Lambda
/// would fail every invocation with an exec format error.
pub fn architecture_mismatches(target: &Path, template: &Template) -> Vec<String> {
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

/// The packages of one workspace share its target directory, and `cargo
/// lambda build` writes each binary to `target/lambda/<binary>/`, where every
/// template's `Code` points: two packages with a binary of the same name
/// would leave one bootstrap there, and one stack would deploy the other
/// package's code (cargo itself only warns of the "output filename
/// collision"). Refusing, rather than making the paths distinct, keeps the
/// one layout both a plain `cargo lambda build` and `sam build` produce;
/// reading the members' manifests costs a few milliseconds. Each package
/// checks when its build step runs (on a change of its own sources), so
/// after a clean build both packages of a clash report it, and after an
/// edit at least the edited one does. Reported at each function.
pub fn binary_names_in_workspace(dir: &Path, functions: &[Function]) -> Vec<Problem> {
    let root = paths::workspace_root(dir);
    let own = paths::normalize(dir);
    let mut problems = Vec::new();
    for member in workspace::members(&root) {
        if paths::normalize(&member) == own {
            continue;
        }
        let Ok(other) = cargo::read(&member) else {
            // Cargo reports a member it cannot read.
            continue;
        };
        for function in functions {
            // Every package's attach binary is the same crate's `run()`.
            if function.bin == ATTACH_BINARY || !other.bins.iter().any(|b| b.name == function.bin) {
                continue;
            }
            let bin = &function.bin;
            let message = format!(
                "package `{}` ({}) in this workspace also has a binary `{bin}`: `cargo lambda build` writes both to target/lambda/{bin}/, so one stack would deploy the other package's code. Give one of them a name of its own in its Cargo.toml: [[bin]] name = \"<new name>\" path = \"{}\"",
                other.name,
                paths::relative(&root, &member),
                function.location.file,
            );
            let problem = Problem::in_file(&function.location.file, message);
            problems.push(
                match std::fs::read_to_string(dir.join(&function.location.file)) {
                    Ok(text) => {
                        problem.at_line(&text, function.location.line, function.location.column)
                    }
                    Err(_) => problem,
                },
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::Template;
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
