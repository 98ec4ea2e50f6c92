//! The pool a test drives, as the package's build step described it: the
//! manifest parts and the template it wrote to `$OUT_DIR/cognito-trigger/`.

use super::tokens::strings;
use cognito_trigger_core::manifest::{BINARIES_IN_OUT_DIR, Manifest};
use cognito_trigger_core::trigger::{LambdaVersion, Trigger};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// One trigger of the pool and the function that handles it.
#[derive(Clone, Debug)]
pub(crate) struct Wired {
    pub trigger: Trigger,
    pub version: Option<LambdaVersion>,
    /// The function's binary.
    pub bin: String,
}

/// A function of the package, as its pool's triggers run it.
#[derive(Clone, Debug)]
pub(crate) struct FunctionSpec {
    /// The binary, which is also how the template names its code.
    pub bin: String,
    /// The Rust function's name.
    pub name: String,
    /// Lambda's timeout for it.
    pub timeout: Duration,
    /// Its `Environment.Variables` with literal values.
    pub environment: Vec<(String, String)>,
}

/// An app client of the pool.
#[derive(Clone, Debug)]
pub(crate) struct ClientSpec {
    pub name: String,
    pub id: String,
    /// `ExplicitAuthFlows`, as written (`ALLOW_CUSTOM_AUTH`, ...).
    pub auth_flows: Vec<String>,
    /// `PreventUserExistenceErrors` is `ENABLED`.
    pub prevent_user_existence_errors: bool,
    /// `AuthSessionValidity`: how long a sign-in session waits for the
    /// next answer (Cognito's default: 3 minutes).
    pub session_validity: Duration,
}

/// A group of the pool (from the template's `AWS::Cognito::UserPoolGroup`s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GroupSpec {
    pub name: String,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
}

/// The pool: its triggers, functions and the settings the flows follow.
#[derive(Clone, Debug)]
pub(crate) struct PoolSpec {
    /// The pool as declared: its name, or an existing pool's name, ID or ARN.
    pub name: String,
    pub triggers: Vec<Wired>,
    pub functions: Vec<FunctionSpec>,
    /// `UsernameAttributes`: users sign in with these, their username is a UUID.
    pub username_attributes: Vec<String>,
    /// `AutoVerifiedAttributes`: where confirmation codes go.
    pub auto_verified: Vec<String>,
    pub clients: Vec<ClientSpec>,
    pub groups: Vec<GroupSpec>,
}

impl PoolSpec {
    /// The pool `pool` of the package whose build step wrote into `out_dir`.
    pub fn read(out_dir: &Path, pool: &str) -> Result<PoolSpec, String> {
        let manifest = read_manifest(out_dir)?;
        let template_path = out_dir.join("cognito-trigger/template.json");
        let template: Value = std::fs::read_to_string(&template_path)
            .map_err(|e| {
                format!(
                    "{}: {e} (the build step writes it when the package builds without errors)",
                    template_path.display()
                )
            })
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))?;
        let resources = template["Resources"]
            .as_object()
            .cloned()
            .unwrap_or_default();

        let mut triggers = Vec::new();
        let mut functions: Vec<FunctionSpec> = Vec::new();
        for function in &manifest.functions {
            for declared in function.declarations.iter().filter(|d| d.pool == pool) {
                triggers.push(Wired {
                    trigger: declared.trigger,
                    version: declared.version(),
                    bin: function.bin.clone(),
                });
                if !functions.iter().any(|f| f.bin == function.bin) {
                    functions.push(function_spec(&resources, &function.bin, &function.name));
                }
            }
        }
        if triggers.is_empty() {
            let mut pools: Vec<&str> = manifest
                .functions
                .iter()
                .flat_map(|f| f.declarations.iter().map(|d| d.pool.as_str()))
                .collect();
            pools.sort_unstable();
            pools.dedup();
            return Err(format!(
                "package `{}` declares no trigger on pool {pool:?}; its pools are {}",
                manifest.package,
                pools
                    .iter()
                    .map(|p| format!("{p:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }

        let pool_resource = resources.iter().find(|(_, r)| {
            r["Type"] == "AWS::Cognito::UserPool" && r["Properties"]["UserPoolName"] == pool
        });
        let (username_attributes, auto_verified, clients, groups) = match pool_resource {
            Some((logical_id, resource)) => {
                let properties = &resource["Properties"];
                let of_pool =
                    |r: &&Value| r["Properties"]["UserPoolId"]["Ref"] == logical_id.as_str();
                let clients = resources
                    .values()
                    .filter(|r| r["Type"] == "AWS::Cognito::UserPoolClient")
                    .filter(of_pool)
                    .map(|r| {
                        let name = r["Properties"]["ClientName"].as_str().unwrap_or("client").to_owned();
                        ClientSpec {
                            id: client_id(pool, &name),
                            name,
                            auth_flows: strings(&r["Properties"]["ExplicitAuthFlows"]),
                            prevent_user_existence_errors: r["Properties"]["PreventUserExistenceErrors"] == "ENABLED",
                            session_validity: session_validity(&r["Properties"]["AuthSessionValidity"]),
                        }
                    })
                    .collect();
                let groups = resources
                    .values()
                    .filter(|r| r["Type"] == "AWS::Cognito::UserPoolGroup")
                    .filter(of_pool)
                    .filter_map(|r| {
                        let p = &r["Properties"];
                        Some(GroupSpec {
                            name: p["GroupName"].as_str()?.to_owned(),
                            role_arn: p["RoleArn"].as_str().map(str::to_owned),
                            precedence: p["Precedence"].as_i64(),
                        })
                    })
                    .collect();
                (
                    strings(&properties["UsernameAttributes"]),
                    strings(&properties["AutoVerifiedAttributes"]),
                    clients,
                    groups,
                )
            }
            // An existing pool: its settings are not in the template.
            None => (Vec::new(), vec!["email".to_owned()], Vec::new(), Vec::new()),
        };
        let clients = if clients.is_empty() {
            vec![ClientSpec {
                id: client_id(pool, "app"),
                name: "app".into(),
                auth_flows: Vec::new(),
                prevent_user_existence_errors: true,
                session_validity: session_validity(&Value::Null),
            }]
        } else {
            clients
        };
        Ok(PoolSpec {
            name: pool.to_owned(),
            triggers,
            functions,
            username_attributes,
            auto_verified,
            clients,
            groups,
        })
    }
}

/// A client's `AuthSessionValidity`, in minutes, else Cognito's 3.
fn session_validity(minutes: &Value) -> Duration {
    Duration::from_secs(60 * minutes.as_u64().unwrap_or(3))
}

/// The whole manifest: the union of the binaries' parts.
fn read_manifest(out_dir: &Path) -> Result<Manifest, String> {
    let parts = out_dir.join(BINARIES_IN_OUT_DIR);
    let entries = std::fs::read_dir(&parts).map_err(|e| {
        format!(
            "{}: {e}; the driver reads what the package's build script (`cognito_trigger::build::run()`) writes",
            parts.display()
        )
    })?;
    let mut manifest = Manifest::default();
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let part = Manifest::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        manifest.package = part.package;
        manifest.functions.extend(part.functions);
    }
    Ok(manifest)
}

/// The function of binary `bin`, with the settings the template gives it.
fn function_spec(
    resources: &serde_json::Map<String, Value>,
    bin: &str,
    name: &str,
) -> FunctionSpec {
    let code = format!("/lambda/{bin}/");
    let properties = resources
        .values()
        .filter(|r| r["Type"] == "AWS::Lambda::Function")
        .map(|r| &r["Properties"])
        .find(|p| p["Code"].as_str().is_some_and(|c| c.ends_with(&code)));
    let timeout = properties.and_then(|p| p["Timeout"].as_u64()).unwrap_or(5);
    let environment = properties
        .and_then(|p| p["Environment"]["Variables"].as_object())
        .map(|variables| {
            variables
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    FunctionSpec {
        bin: bin.to_owned(),
        name: name.to_owned(),
        timeout: Duration::from_secs(timeout),
        environment,
    }
}

/// A stable app client ID for `client` of `pool`: 26 characters of
/// `[a-z0-9]`, Cognito's shape.
pub(crate) fn client_id(pool: &str, client: &str) -> String {
    id_chars(
        &format!("{pool}/{client}"),
        26,
        b"abcdefghijklmnopqrstuvwxyz0123456789",
    )
}

/// `len` characters of `alphabet` derived from `seed` (FNV-1a, then a
/// linear congruential stream): stable across runs, so a failing test names
/// the same IDs each time.
pub(crate) fn id_chars(seed: &str, len: usize, alphabet: &[u8]) -> String {
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            alphabet[(state >> 33) as usize % alphabet.len()] as char
        })
        .collect()
}
