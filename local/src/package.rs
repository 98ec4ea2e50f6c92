//! A package of triggers, built with cargo: its binaries, and their names,
//! settings and environment from the template the build step wrote.

use cognito_trigger_core::manifest::Manifest;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A trigger function of the package.
#[derive(Clone, Debug)]
pub struct Function {
    /// The template's logical ID, e.g. `PreSignUpLambdaFunction`.
    pub logical_id: String,
    /// The binary's name, e.g. `pre_sign_up`.
    pub bin: String,
    /// The built binary.
    pub binary: PathBuf,
    /// `Timeout`, counted from when a process takes an event.
    pub timeout: Duration,
    /// `MemorySize`, in MB.
    pub memory: u64,
    /// `LoggingConfig.LogFormat` (`Text` or `JSON`), if the template sets it.
    pub log_format: Option<String>,
    /// The log group, by name: Lambda's default for the function unless the
    /// template names one.
    pub log_group: String,
    /// `Environment.Variables`, with the values that can be known here.
    pub environment: Vec<(String, String)>,
    /// The variables left out of `environment`: their values refer to what
    /// only a deployment knows (a pool's ID, a key's ARN).
    pub unresolved: Vec<String>,
    /// `(pool, trigger)` pairs: the pools' `LambdaConfig` entries naming the
    /// function, by pool name, and its attachments to existing pools, by the
    /// pool's ARN, ID or name as declared.
    pub triggers: Vec<(String, String)>,
}

/// Builds the binaries of the package in `dir` (`--release` if `release`)
/// and reads its functions from the template the build step makes.
pub fn build(dir: &Path, release: bool) -> Result<Vec<Function>, String> {
    let manifest = dir.join("Cargo.toml");
    let manifest = manifest
        .canonicalize()
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    let manifest_arg = manifest.to_string_lossy().into_owned();
    let mut args = vec![
        "build",
        "--bins",
        "--message-format=json-render-diagnostics",
        "--manifest-path",
        &manifest_arg,
    ];
    if release {
        args.push("--release");
    }
    let binaries: Vec<(String, PathBuf)> = cargo(&args)?
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        // This package's binaries, not its dependencies'.
        .filter(|m| {
            m["reason"] == "compiler-artifact"
                && m["manifest_path"].as_str().map(Path::new) == Some(manifest.as_path())
        })
        .filter_map(|m| {
            Some((
                m["target"]["name"].as_str()?.to_owned(),
                PathBuf::from(m["executable"].as_str()?),
            ))
        })
        .collect();
    functions(&package_of(dir)?, &binaries)
}

fn cargo(args: &[&str]) -> Result<String, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo {} failed", args[0]));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// What the build step makes of a package: its declarations and its
/// deployment template.
#[derive(Clone, Debug)]
pub struct Package {
    /// The trigger functions found and what each declares.
    pub manifest: Manifest,
    /// The deployment template, as JSON.
    pub template: Value,
}

/// The manifest and deployment template of the package in `dir`, from the
/// build step.
pub fn package_of(dir: &Path) -> Result<Package, String> {
    let output = cognito_trigger::build::generate(dir).map_err(|e| e.to_string())?;
    let template = output.template.ok_or(
        "the package's declarations have problems: `cargo build` reports them at their attributes",
    )?;
    Ok(Package {
        manifest: output.manifest,
        template: serde_json::from_str(&template.json).map_err(|e| e.to_string())?,
    })
}

/// The trigger functions of the package in `dir`, implemented by `binaries`
/// (name and path, e.g. from `env!("CARGO_BIN_EXE_<name>")` in a test).
pub fn functions_in(dir: &Path, binaries: &[(&str, &str)]) -> Result<Vec<Function>, String> {
    let binaries: Vec<(String, PathBuf)> = binaries
        .iter()
        .map(|(name, path)| ((*name).to_owned(), PathBuf::from(path)))
        .collect();
    functions(&package_of(dir)?, &binaries)
}

/// The package's trigger functions, with the binaries that implement them.
/// Other functions of its template (the custom resource attaching triggers
/// to existing pools) are not served.
pub fn functions(
    package: &Package,
    binaries: &[(String, PathBuf)],
) -> Result<Vec<Function>, String> {
    let template = &package.template;
    let resources = template["Resources"]
        .as_object()
        .ok_or("the template has no Resources")?;
    let mut functions = Vec::new();
    for (id, resource) in resources {
        if resource["Type"] != "AWS::Lambda::Function" {
            continue;
        }
        let Some(bin) = resource["Metadata"]["BuildProperties"]["Binary"].as_str() else {
            continue;
        };
        let triggers = triggers_of(&package.manifest, bin);
        if triggers.is_empty() {
            continue;
        }
        let binary = binaries
            .iter()
            .find(|(name, _)| name == bin)
            .map(|(_, path)| path.clone())
            .ok_or(format!("cargo built no binary `{bin}`"))?;
        let properties = &resource["Properties"];
        let timeout = properties["Timeout"].as_f64().unwrap_or(3.0);
        let mut environment = Vec::new();
        let mut unresolved = Vec::new();
        if let Some(variables) = properties["Environment"]["Variables"].as_object() {
            for (name, value) in variables {
                match resolve(template, value) {
                    Some(value) => environment.push((name.clone(), value)),
                    None => unresolved.push(name.clone()),
                }
            }
        }
        let logging = &properties["LoggingConfig"];
        let log_group =
            resolve(template, &logging["LogGroup"]).unwrap_or_else(|| format!("/aws/lambda/{id}"));
        functions.push(Function {
            logical_id: id.clone(),
            bin: bin.to_owned(),
            binary,
            timeout: Duration::from_secs_f64(timeout),
            memory: properties["MemorySize"].as_u64().unwrap_or(128),
            log_format: logging["LogFormat"].as_str().map(str::to_owned),
            log_group,
            environment,
            unresolved,
            triggers,
        });
    }
    Ok(functions)
}

/// The region functions run in here: the one this process is given, as the
/// SDKs read it, else `us-east-1`.
pub fn local_region() -> String {
    std::env::var("AWS_REGION")
        .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|_| "us-east-1".into())
}

/// A template value known without a deployment: a literal, a pseudo
/// parameter, a parameter's default, or a `Ref` to a log group that names
/// itself.
fn resolve(template: &Value, value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Object(object) if object.len() == 1 => {
            let name = object.get("Ref")?.as_str()?;
            match name {
                "AWS::Region" => Some(local_region()),
                // The account in the ARNs the local endpoint uses.
                "AWS::AccountId" => Some("000000000000".into()),
                "AWS::Partition" => Some("aws".into()),
                _ => {
                    if let Some(default) = template["Parameters"][name].get("Default") {
                        return resolve(template, default);
                    }
                    let resource = &template["Resources"][name];
                    if resource["Type"] == "AWS::Logs::LogGroup" {
                        return resolve(template, &resource["Properties"]["LogGroupName"]);
                    }
                    None
                }
            }
        }
        _ => None,
    }
}

/// The triggers binary `bin` declares: `(pool, trigger)`, the pool as
/// declared (a name, or an existing pool's ARN, ID or name).
fn triggers_of(manifest: &Manifest, bin: &str) -> Vec<(String, String)> {
    manifest
        .functions_of(bin)
        .flat_map(|function| &function.declarations)
        .map(|declared| {
            let values = &declared.values;
            (values.pool.clone(), values.trigger.name().to_owned())
        })
        .collect()
}

/// cognito-local's `.cognito/config.json` for `functions` served at
/// `endpoint`: its Lambda client pointed here, and each trigger routed to
/// its function (cognito-local routes a trigger the same way for all pools).
pub fn cognito_local_config(functions: &[Function], endpoint: &str) -> Result<Value, String> {
    let mut routes = serde_json::Map::new();
    for function in functions {
        for (pool, trigger) in &function.triggers {
            match routes.get(trigger).and_then(Value::as_str) {
                Some(other) if other != function.logical_id => {
                    return Err(format!(
                        "cognito-local sends {trigger} of every pool to one function, but {other} and {} (pool \"{pool}\") both have it",
                        function.logical_id
                    ));
                }
                _ => {
                    routes.insert(trigger.clone(), Value::from(function.logical_id.as_str()));
                }
            }
        }
    }
    Ok(serde_json::json!({
        "LambdaClient": {
            "endpoint": endpoint,
            "region": "local",
            "credentials": {"accessKeyId": "local", "secretAccessKey": "local"}
        },
        "TriggerFunctions": routes,
    }))
}
