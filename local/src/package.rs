//! A package of triggers, built with cargo: its binaries, and their names and
//! timeouts from the template the build step wrote.

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
    pub binary: PathBuf,
    pub timeout: Duration,
    /// `(pool name, trigger)` pairs from the pools' `LambdaConfig`.
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
    functions(&template_of(dir)?, &binaries)
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

/// The deployment template of the package in `dir`, from the build step.
pub fn template_of(dir: &Path) -> Result<Value, String> {
    let output = cognito_trigger::build::generate(dir).map_err(|e| e.to_string())?;
    let template = output.template.ok_or(
        "the package's declarations have problems: `cargo build` reports them at their attributes",
    )?;
    serde_json::from_str(&template.json).map_err(|e| e.to_string())
}

/// The trigger functions of the package in `dir`, implemented by `binaries`
/// (name and path, e.g. from `env!("CARGO_BIN_EXE_<name>")` in a test).
pub fn functions_in(dir: &Path, binaries: &[(&str, &str)]) -> Result<Vec<Function>, String> {
    let binaries: Vec<(String, PathBuf)> = binaries
        .iter()
        .map(|(name, path)| ((*name).to_owned(), PathBuf::from(path)))
        .collect();
    functions(&template_of(dir)?, &binaries)
}

/// The template's Lambda functions, with the binaries that implement them.
pub fn functions(
    template: &Value,
    binaries: &[(String, PathBuf)],
) -> Result<Vec<Function>, String> {
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
        let binary = binaries
            .iter()
            .find(|(name, _)| name == bin)
            .map(|(_, path)| path.clone())
            .ok_or(format!("cargo built no binary `{bin}`"))?;
        let timeout = resource["Properties"]["Timeout"].as_f64().unwrap_or(3.0);
        functions.push(Function {
            logical_id: id.clone(),
            bin: bin.to_owned(),
            binary,
            timeout: Duration::from_secs_f64(timeout),
            triggers: triggers_of(resources, id),
        });
    }
    Ok(functions)
}

/// The `(pool name, trigger)` pairs whose `LambdaConfig` entry names `id`.
fn triggers_of(resources: &serde_json::Map<String, Value>, id: &str) -> Vec<(String, String)> {
    let mut triggers = Vec::new();
    for pool in resources
        .values()
        .filter(|r| r["Type"] == "AWS::Cognito::UserPool")
    {
        let name = pool["Properties"]["UserPoolName"]
            .as_str()
            .unwrap_or_default();
        let Some(config) = pool["Properties"]["LambdaConfig"].as_object() else {
            continue;
        };
        for (key, value) in config {
            let arn = if value["LambdaArn"].is_null() {
                value
            } else {
                &value["LambdaArn"]
            };
            if arn["Fn::GetAtt"][0] == id {
                let trigger = key.strip_suffix("Config").unwrap_or(key);
                triggers.push((name.to_owned(), trigger.to_owned()));
            }
        }
    }
    triggers
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
