//! The CloudFormation template generated from the manifest and the settings:
//! per pool an `AWS::Cognito::UserPool` (with its clients), per binary an
//! `AWS::Lambda::Function` with a logging-only role and its log group, and per
//! (pool, function) an `AWS::Lambda::Permission` for Cognito.

use super::ids::{self, FunctionIds, PoolIds};
use super::lambda::{Lambda, TRIGGER_SKIPS, policy, statement};
use super::limits::{self, LOGICAL_ID};
use super::lock::{self, Created, Keep, Lock};
use super::node::{Map, Node, get_att, reference};
use super::problem::{CARGO_TOML, Problem};
use super::settings::{FunctionSettings, PoolSettings, Settings, metadata_path};
use super::{alias, existing};
use crate::KMS_KEY_ARN_VARIABLE;
use cognito_trigger_core::manifest::{Declared, Function, Manifest};
use cognito_trigger_core::suggest::{Quoted, hint};
use cognito_trigger_core::{KmsKey, Trigger};
use std::collections::BTreeMap;

/// Cognito waits this long for a synchronous trigger, and it cannot be changed.
pub const COGNITO_TIMEOUT_SECONDS: u32 = 5;

const DEFAULTS: FunctionSettings = FunctionSettings {
    architecture: None,
    memory_size: Some(128),
    timeout: Some(COGNITO_TIMEOUT_SECONDS),
    log_retention_days: Some(365),
    environment: BTreeMap::new(),
    policy_statements: Vec::new(),
    managed_policy_arns: Vec::new(),
    log_format: None,
    application_log_level: None,
    system_log_level: None,
    alias: None,
    provisioned_concurrency: None,
};
const DEFAULT_ARCHITECTURE: &str = "arm64";

/// A value the declarations or the settings set, which overrides may not change.
#[derive(Debug)]
pub struct Protected {
    pub path: Vec<String>,
    /// Where the value comes from, for the message.
    pub origin: String,
}

pub struct Generated {
    pub template: Map,
    pub protected: Vec<Protected>,
    /// Trigger functions Cognito calls synchronously, which must answer in 5 s.
    pub synchronous: Vec<String>,
    /// The functions behind an alias.
    pub aliased: Vec<FunctionIds>,
    /// The pools the stack creates, with their clients.
    pub created: Vec<Created>,
}

/// `package_path` is the package's directory relative to the template's;
/// `lock` is the package's `cognito-trigger.lock`, if it has one.
pub fn generate(
    manifest: &Manifest,
    settings: &Settings,
    lock: Option<&Lock>,
    package_path: &str,
) -> Result<Generated, Vec<Problem>> {
    let mut errors = Vec::new();
    check_settings_targets(manifest, settings, lock, &mut errors);
    let mut generated = Generated {
        template: Map::new(),
        protected: Vec::new(),
        synchronous: Vec::new(),
        aliased: Vec::new(),
        created: Vec::new(),
    };
    let keep = Keep { lock, settings };
    let mut resources = Map::new();
    let mut outputs = Map::new();
    // What Cognito invokes, by binary: the function, or its alias.
    let mut targets: BTreeMap<String, Node> = BTreeMap::new();
    for function in &manifest.functions {
        let chosen = settings
            .functions
            .get(&function.bin)
            .map_or_else(|| settings.defaults.clone(), |f| f.or(&settings.defaults))
            .or(&DEFAULTS);
        errors.extend(timeout_problem(function, settings, &chosen));
        errors.extend(function_settings_problems(function, settings, &chosen));
        let ids = FunctionIds::of(&function.bin);
        errors.extend(logical_id_problem(function, &ids));
        if function
            .declarations
            .iter()
            .any(|d| d.trigger.is_synchronous())
        {
            generated.synchronous.push(ids.function.clone());
        }
        add_function(
            &mut resources,
            &mut generated.protected,
            function,
            &ids,
            &chosen,
            package_path,
        );
        targets.insert(
            function.bin.clone(),
            ids.invoke_target(chosen.alias.is_some()),
        );
        if let Some(alias) = &chosen.alias {
            alias::add(&mut resources, &ids, alias, chosen.provisioned_concurrency);
            generated.aliased.push(ids);
        }
    }
    let mut pool_ids: BTreeMap<String, &str> = BTreeMap::new();
    for (pool, declarations) in pools(manifest, settings, lock) {
        let ids = keep.pool(pool);
        // Only `renamed_from` can give two pools one ID: declarations with
        // one are refused at the attribute (core's package checks).
        if let Some(other) = pool_ids.insert(ids.pool.clone(), pool) {
            let renamed = if settings
                .pools
                .get(pool)
                .is_some_and(|s| s.renamed_from.is_some())
            {
                pool
            } else {
                other
            };
            errors.push(Problem::new(
                CARGO_TOML,
                metadata_path(&["pools", renamed, "renamed_from"]),
                format!(
                    "pools \"{other}\" and \"{pool}\" would both be `{}`: a pool can be renamed from another only once that one is gone from the declarations",
                    ids.pool
                ),
            ));
            continue;
        }
        let created = add_pool(
            &mut resources,
            &mut outputs,
            &mut generated.protected,
            &mut errors,
            (pool, ids),
            &declarations,
            &keep,
            &targets,
        );
        generated.created.push(created);
    }
    let mut parameters = Map::new();
    let architecture = settings
        .defaults
        .architecture
        .as_deref()
        .unwrap_or(DEFAULT_ARCHITECTURE);
    existing::add_attachments(
        &mut resources,
        &mut parameters,
        manifest,
        (package_path, architecture),
        &targets,
    );
    if !generated.aliased.is_empty() {
        existing::add_deploy_id_parameter(&mut parameters);
    }
    resources.sort();
    outputs.sort();
    generated.template = Map::new()
        .with("AWSTemplateFormatVersion", "2010-09-09")
        .with(
            "Description",
            limits::cut_bytes(
                &format!(
                    "Cognito user pool triggers of {}, generated by cognito-trigger from its #[cognito_trigger] declarations",
                    manifest.package
                ),
                limits::TEMPLATE_DESCRIPTION_BYTES,
            ),
        )
        .with(
            "Metadata",
            // The code paths are local directories, for `aws cloudformation
            // package` or `sam deploy` to upload: cfn-lint warns about that.
            Map::new().with(
                "cfn-lint",
                Map::new().with("config", Map::new().with("ignore_checks", vec!["W3002"])),
            ),
        );
    if !parameters.is_empty() {
        generated.template.insert("Parameters", parameters);
    }
    generated.template.insert("Resources", resources);
    if !outputs.is_empty() {
        generated.template.insert("Outputs", outputs);
    }
    if errors.is_empty() {
        Ok(generated)
    } else {
        Err(errors)
    }
}

/// The declarations of each pool the stack creates, by pool name: the
/// declared pools, and those the lock records that a settings section keeps
/// without handlers (which, left out, would be deleted).
fn pools<'a>(
    manifest: &'a Manifest,
    settings: &'a Settings,
    lock: Option<&Lock>,
) -> BTreeMap<&'a str, Vec<(&'a Function, &'a Declared)>> {
    let mut pools: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for function in &manifest.functions {
        for declared in function.declarations.iter().filter(|d| !d.existing) {
            pools
                .entry(declared.pool.as_str())
                .or_default()
                .push((function, declared));
        }
    }
    for (pool, pool_settings) in &settings.pools {
        if lock::records(lock, pool) && !PoolSettings::is_retired(Some(pool_settings)) {
            pools.entry(pool.as_str()).or_default();
        }
    }
    pools
}

/// Settings must name pools the stack creates (or the lock records) and
/// binaries with triggers; a retired pool must have no declarations left.
fn check_settings_targets(
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
        if lock::records(lock, pool) {
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

fn timeout_problem(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Option<Problem> {
    let timeout = chosen.timeout?;
    let synchronous = function
        .declarations
        .iter()
        .find(|d| d.trigger.is_synchronous())?;
    // At the setting in force: the binary's own, else the package's.
    let own = settings
        .functions
        .get(&function.bin)
        .is_some_and(|f| f.timeout.is_some());
    let path = if own {
        metadata_path(&["functions", &function.bin, "timeout"])
    } else {
        metadata_path(&["timeout"])
    };
    (timeout > COGNITO_TIMEOUT_SECONDS).then(|| {
        Problem::new(
            CARGO_TOML,
            path,
            format!(
                "binary `{}` has a timeout of {timeout} s, but Cognito waits at most {COGNITO_TIMEOUT_SECONDS} s for its {} trigger (and cannot be told to wait longer): set `timeout` to {COGNITO_TIMEOUT_SECONDS} or less",
                function.bin, synchronous.trigger
            ),
        )
    })
}

/// The function settings that are wrong only together: log levels without
/// the JSON log format (Lambda refuses them), and an environment over
/// Lambda's 4 KB. Each is reported at the key in force.
fn function_settings_problems(
    function: &Function,
    settings: &Settings,
    chosen: &FunctionSettings,
) -> Vec<Problem> {
    let own = settings.functions.get(&function.bin);
    let at = |key: &str, set_here: bool| {
        if set_here {
            metadata_path(&["functions", &function.bin, key])
        } else {
            metadata_path(&[key])
        }
    };
    let mut problems = Vec::new();
    let sender = function
        .declarations
        .iter()
        .any(|d| d.trigger.is_custom_sender());
    if sender && chosen.environment.contains_key(KMS_KEY_ARN_VARIABLE) {
        let own_setting = own.is_some_and(|f| f.environment.contains_key(KMS_KEY_ARN_VARIABLE));
        let mut path = at("environment", own_setting);
        path.push(KMS_KEY_ARN_VARIABLE.to_owned());
        problems.push(Problem::on_key(
            CARGO_TOML,
            path,
            format!(
                "binary `{}` is a custom sender: the template sets {KMS_KEY_ARN_VARIABLE} to its pool's key (its `kms_key_id`), so remove it here",
                function.bin
            ),
        ));
    }
    if chosen.provisioned_concurrency.is_some() && chosen.alias.is_none() {
        let own_setting = own.is_some_and(|f| f.provisioned_concurrency.is_some());
        problems.push(Problem::new(
            CARGO_TOML,
            at("provisioned_concurrency", own_setting),
            format!(
                "binary `{}` has provisioned concurrency but no alias: Lambda provisions an alias or a version, so add `alias = \"live\"` beside it",
                function.bin
            ),
        ));
    }
    if chosen.log_format.as_deref() != Some("JSON") {
        for (key, level, own_level) in [
            (
                "application_log_level",
                &chosen.application_log_level,
                own.and_then(|f| f.application_log_level.as_ref()),
            ),
            (
                "system_log_level",
                &chosen.system_log_level,
                own.and_then(|f| f.system_log_level.as_ref()),
            ),
        ] {
            if level.is_some() {
                problems.push(Problem::new(
                    CARGO_TOML,
                    at(key, own_level.is_some()),
                    format!(
                        "binary `{}` has a log level but not `log_format = \"JSON\"`: Lambda filters by level only in its JSON format; set both",
                        function.bin
                    ),
                ));
            }
        }
    }
    let size: usize = chosen
        .environment
        .iter()
        .map(|(name, value)| name.len() + value.len())
        .sum();
    if size > limits::ENVIRONMENT_BYTES {
        let own_environment = own.is_some_and(|f| !f.environment.is_empty());
        problems.push(Problem::new(
            CARGO_TOML,
            at("environment", own_environment),
            format!(
                "binary `{}` has {size} bytes of environment variables, and Lambda takes at most {}: move large values to SSM Parameter Store or S3",
                function.bin,
                limits::ENVIRONMENT_BYTES
            ),
        ));
    }
    problems
}

/// A binary whose name makes logical IDs (`ids`) longer than CloudFormation
/// takes. They are not shortened: overrides address functions by them.
fn logical_id_problem(function: &Function, ids: &FunctionIds) -> Option<Problem> {
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
pub fn quota_problems(template: &Map) -> Vec<Problem> {
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

pub fn kms_key(key: &KmsKey) -> Node {
    match key {
        KmsKey::Arn(arn) => arn.as_str().into(),
        KmsKey::GetAtt { resource } => get_att(resource, "Arn"),
    }
}

fn add_function(
    resources: &mut Map,
    protected: &mut Vec<Protected>,
    function: &Function,
    ids: &FunctionIds,
    chosen: &FunctionSettings,
    package_path: &str,
) {
    let triggers: Vec<String> = function
        .declarations
        .iter()
        .map(|d| format!("{} on {}", d.trigger, d.pool))
        .collect();
    let mut policies = Vec::new();
    // A custom sender decrypts the codes Cognito encrypts with the pool's key.
    let mut keys: Vec<&KmsKey> = function
        .declarations
        .iter()
        .filter_map(|d| d.kms_key.as_ref())
        .collect();
    keys.sort();
    keys.dedup();
    let keys: Vec<Node> = keys.into_iter().map(kms_key).collect();
    let mut environment = Map::new();
    for (name, value) in &chosen.environment {
        environment.insert(name.as_str(), value.as_str());
    }
    if !keys.is_empty() {
        policies.push(policy(
            "decrypt-codes",
            vec![statement("kms:Decrypt".into(), keys.clone().into())],
        ));
        // For `cognito_trigger::decrypt`; a function on several pools'
        // keys gets them all, separated by commas.
        let value = match &keys[..] {
            [key] => key.clone(),
            _ => Map::new()
                .with("Fn::Join", vec![Node::from(","), Node::from(keys.clone())])
                .into(),
        };
        environment.insert(KMS_KEY_ARN_VARIABLE, value);
    }
    if !chosen.policy_statements.is_empty() {
        policies.push(policy("from-settings", chosen.policy_statements.clone()));
    }
    let origin = |key: &str| {
        format!(
            "{key} in [package.metadata.cognito-trigger] (or its functions.{}) in Cargo.toml",
            function.bin
        )
    };
    let mut protect = |id: &str, path: &[&str], origin: String| {
        let mut full = vec![
            "Resources".to_owned(),
            id.to_owned(),
            "Properties".to_owned(),
        ];
        full.extend(path.iter().map(|p| p.to_string()));
        protected.push(Protected { path: full, origin });
    };
    for name in chosen.environment.keys() {
        protect(
            &ids.function,
            &["Environment", "Variables", name],
            origin("environment"),
        );
    }
    if !keys.is_empty() {
        protect(
            &ids.function,
            &["Environment", "Variables", KMS_KEY_ARN_VARIABLE],
            format!(
                "the kms_key_id of fn {} ({})",
                function.name, function.location
            ),
        );
    }
    let logging: Vec<(&'static str, String)> = [
        ("LogFormat", &chosen.log_format, "log_format"),
        (
            "ApplicationLogLevel",
            &chosen.application_log_level,
            "application_log_level",
        ),
        (
            "SystemLogLevel",
            &chosen.system_log_level,
            "system_log_level",
        ),
    ]
    .into_iter()
    .filter_map(|(key, value, setting)| {
        let value = value.clone()?;
        protect(&ids.function, &["LoggingConfig", key], origin(setting));
        Some((key, value))
    })
    .collect();
    if !chosen.managed_policy_arns.is_empty() {
        protect(
            &ids.role,
            &["ManagedPolicyArns"],
            origin("managed_policy_arns"),
        );
    }
    // Cognito invokes custom senders asynchronously: an event that still fails
    // after Lambda's retries (a code the user never got) is kept, not dropped.
    let asynchronous = function
        .declarations
        .iter()
        .any(|d| !d.trigger.is_synchronous());
    let mut skips = TRIGGER_SKIPS.to_vec();
    if !environment.is_empty() {
        skips.push((
            "CKV_AWS_173",
            "Lambda encrypts environment variables at rest with its AWS managed key; they hold settings, not secrets (set KmsKeyArn in the overrides for a customer managed key)",
        ));
    }
    if !asynchronous {
        skips.push((
            "CKV_AWS_116",
            "Cognito invokes this trigger synchronously and receives its errors; a dead-letter queue only holds failed asynchronous invocations",
        ));
    }
    Lambda {
        bin: &function.bin,
        description: limits::list_within(
            &triggers,
            &format!(" (fn {} in {})", function.name, function.location.file),
            limits::LAMBDA_DESCRIPTION,
        ),
        architecture: chosen
            .architecture
            .clone()
            .unwrap_or(DEFAULT_ARCHITECTURE.into()),
        memory_size: chosen.memory_size.unwrap_or_default(),
        timeout: chosen.timeout.unwrap_or_default(),
        log_retention_days: chosen.log_retention_days.unwrap_or_default(),
        policies,
        managed_policy_arns: chosen.managed_policy_arns.clone(),
        environment,
        logging,
        package_path,
        asynchronous,
        skips,
    }
    .add_to(resources);
}

// The template's parts being built (resources, outputs, protected paths,
// problems) and the pool's inputs: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn add_pool(
    resources: &mut Map,
    outputs: &mut Map,
    protected: &mut Vec<Protected>,
    errors: &mut Vec<Problem>,
    (pool, pool_ids): (&str, PoolIds),
    declarations: &[(&Function, &Declared)],
    keep: &Keep,
    targets: &BTreeMap<String, Node>,
) -> Created {
    let settings = keep.settings.pools.get(pool);
    let mut created = Created {
        name: pool.to_owned(),
        ids: PoolIds::with_id(pool_ids.pool.clone()),
        clients: Vec::new(),
    };
    let settings_origin = |key: &str| {
        format!("package.metadata.cognito-trigger.pools.\"{pool}\".{key} in Cargo.toml")
    };
    // A pool holds its users' accounts, which nothing can restore: it stays
    // in the account when it leaves the stack or is replaced, and Cognito
    // refuses to delete it, unless the package says `retain = false`.
    let retained = PoolSettings::retained(settings);
    let (policy, protection) = if retained {
        ("Retain", "ACTIVE")
    } else {
        ("Delete", "INACTIVE")
    };
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        protected.push(Protected {
            path: ["Resources", &pool_ids.pool, attribute]
                .map(String::from)
                .to_vec(),
            origin: settings_origin("retain"),
        });
    }
    let mut protect = |path: &[&str], origin: String| {
        let mut full = vec![
            "Resources".to_owned(),
            pool_ids.pool.clone(),
            "Properties".to_owned(),
        ];
        full.extend(path.iter().map(|p| p.to_string()));
        protected.push(Protected { path: full, origin });
    };
    protect(&["DeletionProtection"], settings_origin("retain"));

    let mut ordered: Vec<_> = declarations.to_vec();
    ordered.sort_by_key(|(_, d)| Trigger::ALL.iter().position(|t| *t == d.trigger));
    let mut lambda_config = Map::new();
    for (function, declared) in &ordered {
        let arn = targets[&function.bin].clone();
        let (key, version) = declared.trigger.lambda_config(declared.version());
        let value = match version {
            Some(version) => Map::new()
                .with("LambdaArn", arn)
                .with("LambdaVersion", version.name())
                .into(),
            None => arn,
        };
        lambda_config.insert(key, value);
        protect(
            &["LambdaConfig", key],
            format!(
                "#[cognito_trigger] on fn {} ({})",
                function.name, declared.location
            ),
        );
    }
    // The package checks made sure a pool has one key.
    if let Some((function, declared)) = ordered.iter().find(|(_, d)| d.kms_key.is_some())
        && let Some(key) = &declared.kms_key
    {
        lambda_config.insert("KMSKeyID", kms_key(key));
        protect(
            &["LambdaConfig", "KMSKeyID"],
            format!("kms_key_id on fn {} ({})", function.name, declared.location),
        );
    }

    let mut properties = Map::new()
        .with("UserPoolName", pool)
        .with("DeletionProtection", protection)
        .with("LambdaConfig", lambda_config);
    if let Some(settings) = settings {
        if let Some(allow) = settings.allow_public_sign_ups {
            properties.insert(
                "AdminCreateUserConfig",
                Map::new().with("AllowAdminCreateUserOnly", !allow),
            );
            protect(
                &["AdminCreateUserConfig"],
                settings_origin("allow_public_sign_ups"),
            );
        }
        if let Some(attributes) = &settings.auto_verified_attributes {
            properties.insert("AutoVerifiedAttributes", attributes.clone());
            protect(
                &["AutoVerifiedAttributes"],
                settings_origin("auto_verified_attributes"),
            );
        }
        if let Some(attributes) = &settings.username_attributes {
            properties.insert("UsernameAttributes", attributes.clone());
            protect(
                &["UsernameAttributes"],
                settings_origin("username_attributes"),
            );
        }
        if let Some(message) = &settings.verification_message {
            let mut template = Map::new();
            for (key, value) in [
                ("DefaultEmailOption", &message.default_email_option),
                ("EmailMessage", &message.email_message),
                ("EmailMessageByLink", &message.email_message_by_link),
                ("EmailSubject", &message.email_subject),
                ("EmailSubjectByLink", &message.email_subject_by_link),
                ("SmsMessage", &message.sms_message),
            ] {
                if let Some(value) = value {
                    template.insert(key, value.as_str());
                }
            }
            properties.insert("VerificationMessageTemplate", template);
            protect(
                &["VerificationMessageTemplate"],
                settings_origin("verification_message"),
            );
        }
        let mut client_ids: BTreeMap<String, &str> = BTreeMap::new();
        for (name, client) in &settings.clients {
            if client.retired == Some(true) {
                continue;
            }
            let setting = || metadata_path(&["pools", pool, "clients", name]);
            if let Some(problem) = limits::client_name_problem(name) {
                errors.push(Problem::on_key(CARGO_TOML, setting(), problem));
                continue;
            }
            let client_id = keep.client(&pool_ids, pool, name);
            if let Some(other) = client_ids.insert(client_id.clone(), name) {
                errors.push(Problem::on_key(
                    CARGO_TOML,
                    setting(),
                    format!("clients \"{other}\" and \"{name}\" both get logical ID `{client_id}` (from their ASCII letters and digits): rename one"),
                ));
                continue;
            }
            let flows = client.explicit_auth_flows.clone().unwrap_or_else(|| {
                vec![
                    "ALLOW_USER_SRP_AUTH".into(),
                    "ALLOW_REFRESH_TOKEN_AUTH".into(),
                ]
            });
            created.clients.push((name.clone(), client_id.clone()));
            // An app knows its client by ID, which a new client would not keep.
            resources.insert(
                client_id.clone(),
                Map::new()
                    .with("Type", "AWS::Cognito::UserPoolClient")
                    .with("DeletionPolicy", policy)
                    .with("UpdateReplacePolicy", policy)
                    .with(
                        "Properties",
                        Map::new()
                            .with("ClientName", name.as_str())
                            .with("UserPoolId", pool_ids.pool_id())
                            .with("GenerateSecret", client.generate_secret.unwrap_or(false))
                            .with("ExplicitAuthFlows", flows)
                            .with("PreventUserExistenceErrors", "ENABLED"),
                    ),
            );
            add_output(
                outputs,
                ids::id_output(&client_id),
                format!("The ID of client \"{name}\" of user pool \"{pool}\""),
            );
        }
    }
    resources.insert(
        pool_ids.pool.clone(),
        Map::new()
            .with("Type", "AWS::Cognito::UserPool")
            .with("DeletionPolicy", policy)
            .with("UpdateReplacePolicy", policy)
            .with("Properties", properties),
    );
    add_output(
        outputs,
        ids::id_output(&pool_ids.pool),
        format!("The ID of user pool \"{pool}\""),
    );
    add_output(
        outputs,
        ids::arn_output(&pool_ids.pool),
        format!("The ARN of user pool \"{pool}\""),
    );

    // One permission per function, whatever the number of its triggers here.
    let mut functions: Vec<&Function> = declarations.iter().map(|(f, _)| *f).collect();
    functions.sort_by(|a, b| a.bin.cmp(&b.bin));
    functions.dedup_by(|a, b| a.bin == b.bin);
    for function in functions {
        resources.insert(
            pool_ids.permission(&function.bin),
            Map::new().with("Type", "AWS::Lambda::Permission").with(
                "Properties",
                Map::new()
                    .with("Action", "lambda:InvokeFunction")
                    // On the alias, if any: Cognito invokes what LambdaConfig names.
                    .with("FunctionName", targets[&function.bin].clone())
                    .with("Principal", "cognito-idp.amazonaws.com")
                    // Only this pool, in this account, may invoke the function.
                    .with("SourceArn", pool_ids.pool_arn())
                    .with("SourceAccount", reference("AWS::AccountId")),
            ),
        );
    }
    created
}

/// Adds `output`, its description cut to its limit.
fn add_output(outputs: &mut Map, output: ids::Output, description: String) {
    outputs.insert(
        output.name,
        Map::new()
            .with(
                "Description",
                limits::cut_chars(&description, limits::OUTPUT_DESCRIPTION),
            )
            .with("Value", output.value)
            .with("Export", Map::new().with("Name", output.export)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::settings::ClientSettings;
    use cognito_trigger_core::manifest::Location;

    /// A pool name at Cognito's limit of 128 characters, all kept in the
    /// logical ID.
    const LONGEST_POOL: &str = "Northwestern0European0customer0accounts0migrated0from0the0LegacyDirectory0identity0provider0during0the020260springtime0migration";
    const _: () = assert!(LONGEST_POOL.len() == cognito_trigger_core::valid::POOL_NAME_MAX);

    fn at(file: &str) -> Location {
        Location {
            file: file.into(),
            line: 1,
            column: 1,
        }
    }

    fn function(bin: &str, declarations: &[(&str, Trigger)]) -> Function {
        let file = format!("src/bin/{bin}.rs");
        Function {
            bin: bin.into(),
            name: bin.into(),
            location: at(&file),
            declarations: declarations
                .iter()
                .map(|(pool, trigger)| Declared {
                    location: at(&file),
                    values: cognito_trigger_core::Values {
                        pool: (*pool).into(),
                        trigger: *trigger,
                        lambda_version: None,
                        kms_key: trigger.is_custom_sender().then(|| KmsKey::GetAtt {
                            resource: "CodesKey".into(),
                        }),
                        existing: false,
                        force_deploy: false,
                    },
                })
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    fn manifest_of(function: Function) -> Manifest {
        Manifest {
            package: "limits".into(),
            functions: vec![function],
            ..Manifest::default()
        }
    }

    fn template(manifest: &Manifest, settings: &Settings) -> Map {
        let generated = generate(manifest, settings, None, "../../..")
            .unwrap_or_else(|errors| panic!("{errors:#?}"));
        // The same input, the same template.
        let again = generate(manifest, settings, None, "../../..").ok().unwrap();
        assert_eq!(generated.template, again.template);
        generated.template
    }

    fn errors(manifest: &Manifest, settings: &Settings) -> Vec<String> {
        match generate(manifest, settings, None, "../../..") {
            Ok(_) => panic!("the template was generated"),
            Err(errors) => errors.iter().map(Problem::one_line).collect(),
        }
    }

    fn map(node: Option<&Node>) -> &Map {
        match node {
            Some(Node::Map(map)) => map,
            other => panic!("not a map: {other:?}"),
        }
    }

    fn text(node: Option<&Node>) -> &str {
        match node {
            Some(Node::String(text)) => text,
            other => panic!("not a string: {other:?}"),
        }
    }

    /// Asserts every limit of [`limits`] on `template`.
    fn assert_within_limits(template: &Map) {
        let description = text(template.get("Description"));
        assert!(description.len() <= limits::TEMPLATE_DESCRIPTION_BYTES);
        for section in ["Resources", "Outputs"] {
            for id in map(template.get(section)).keys() {
                assert!(id.len() <= LOGICAL_ID, "{section}.{id}: {}", id.len());
                assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
            }
        }
        for (id, resource) in map(template.get("Resources")).iter() {
            let resource = map(Some(resource));
            let properties = map(resource.get("Properties"));
            // Physical names are left to CloudFormation, which trims them to
            // the service's limit.
            let physical_name = match text(resource.get("Type")) {
                "AWS::Lambda::Function" => {
                    let description = text(properties.get("Description"));
                    assert!(description.chars().count() <= limits::LAMBDA_DESCRIPTION);
                    "FunctionName"
                }
                "AWS::Cognito::UserPoolClient" => {
                    let name = text(properties.get("ClientName"));
                    assert!(name.chars().count() <= limits::CLIENT_NAME);
                    continue;
                }
                "AWS::IAM::Role" => "RoleName",
                "AWS::Logs::LogGroup" => "LogGroupName",
                "AWS::SQS::Queue" => "QueueName",
                _ => continue,
            };
            assert!(
                properties.get(physical_name).is_none(),
                "{id} sets {physical_name}"
            );
        }
        for (name, output) in map(template.get("Outputs")).iter() {
            let output = map(Some(output));
            let description = text(output.get("Description"));
            assert!(description.chars().count() <= limits::OUTPUT_DESCRIPTION);
            let export = map(map(output.get("Export")).get("Name"));
            let suffix = text(export.get("Fn::Sub"))
                .strip_prefix("${AWS::StackName}-")
                .unwrap_or_else(|| panic!("{name}: {export:?}"));
            let longest = limits::STACK_NAME + "-".len() + suffix.len();
            assert!(longest <= limits::EXPORT_NAME, "{name}: {longest}");
        }
    }

    #[test]
    fn every_trigger_on_the_longest_pool_fits() {
        let declarations: Vec<_> = Trigger::ALL.iter().map(|t| (LONGEST_POOL, *t)).collect();
        let manifest = manifest_of(function("every_trigger", &declarations));
        let template = template(&manifest, &Settings::default());
        assert_within_limits(&template);
        let resources = map(template.get("Resources"));
        let function = map(resources.get("EveryTriggerLambdaFunction"));
        let description = text(map(function.get("Properties")).get("Description"));
        assert_eq!(
            description,
            format!(
                "PreSignUp on {LONGEST_POOL} and 12 more (fn every_trigger in src/bin/every_trigger.rs)"
            )
        );
    }

    #[test]
    fn permissions_of_long_names_are_shortened() {
        let bin = "b".repeat(240);
        let pools = [LONGEST_POOL, "Pool"];
        let declarations = pools.map(|pool| (pool, Trigger::PreSignUp));
        let template = template(
            &manifest_of(function(&bin, &declarations)),
            &Settings::default(),
        );
        assert_within_limits(&template);
        let permissions: Vec<&str> = map(template.get("Resources"))
            .iter()
            .filter(|(_, r)| text(map(Some(r)).get("Type")) == "AWS::Lambda::Permission")
            .map(|(id, _)| id)
            .collect();
        let head = format!("B{}", "b".repeat(122));
        assert_eq!(permissions.len(), 2);
        assert!(permissions.iter().all(|id| id.starts_with(&head)));
        for pool_end in ["springtime0migration", "PermissionCognitoUserPoolPool"] {
            let found = permissions.iter().any(|id| id.ends_with(pool_end));
            assert!(found, "{pool_end}: {permissions:?}");
        }
    }

    #[test]
    fn the_longest_client_name_fits() {
        let client = "c".repeat(limits::CLIENT_NAME);
        let settings = Settings {
            pools: BTreeMap::from([(
                LONGEST_POOL.to_owned(),
                PoolSettings {
                    clients: BTreeMap::from([(client.clone(), ClientSettings::default())]),
                    ..PoolSettings::default()
                },
            )]),
            ..Settings::default()
        };
        let manifest = manifest_of(function("screen", &[(LONGEST_POOL, Trigger::PreSignUp)]));
        let template = template(&manifest, &settings);
        assert_within_limits(&template);
        // The output keeps its client's ID: shortened once, then `Id`.
        let (client_id, _) = map(template.get("Resources"))
            .iter()
            .find(|(_, r)| text(map(Some(r)).get("Type")) == "AWS::Cognito::UserPoolClient")
            .unwrap();
        assert_eq!(client_id.len(), LOGICAL_ID - 2);
        assert!(
            map(template.get("Outputs"))
                .get(&format!("{client_id}Id"))
                .is_some()
        );
    }

    #[test]
    fn client_names_outside_cognitos_rules_are_errors() {
        let clients = [
            "web app",
            "web-app",
            "web/app",
            &"c".repeat(limits::CLIENT_NAME + 1),
        ];
        let settings = Settings {
            pools: BTreeMap::from([(
                "Pool".to_owned(),
                PoolSettings {
                    clients: clients
                        .iter()
                        .map(|name| (name.to_string(), ClientSettings::default()))
                        .collect(),
                    ..PoolSettings::default()
                },
            )]),
            ..Settings::default()
        };
        let manifest = manifest_of(function("screen", &[("Pool", Trigger::PreSignUp)]));
        let errors = errors(&manifest, &settings);
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("129 characters") && errors[0].contains("shorten it by 1"));
        assert!(errors[1].contains("\"web app\" and \"web-app\" both get logical ID"));
        assert!(errors[2].contains("clients.\"web/app\"") && errors[2].contains("'/'"));
    }

    #[test]
    fn binary_names_too_long_for_logical_ids_are_errors() {
        let bin = "b".repeat(241);
        let manifest = manifest_of(function(&bin, &[("Pool", Trigger::CustomEmailSender)]));
        let errors = errors(&manifest, &Settings::default());
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("gives its resources logical IDs of up to 256 characters"));
        assert!(errors[0].contains("DeadLetterQueue`") && errors[0].contains("by 1 ASCII"));
        // One character less fits.
        let manifest = manifest_of(function(&bin[1..], &[("Pool", Trigger::CustomEmailSender)]));
        assert_within_limits(&template(&manifest, &Settings::default()));
    }

    #[test]
    fn too_many_pools_for_one_stack_are_an_error() {
        let pools: Vec<String> = (0..=limits::OUTPUTS / 2)
            .map(|i| format!("Pool{i}"))
            .collect();
        let declarations: Vec<_> = pools
            .iter()
            .map(|p| (p.as_str(), Trigger::PreSignUp))
            .collect();
        let generated = template(
            &manifest_of(function("screen", &declarations)),
            &Settings::default(),
        );
        let errors: Vec<String> = quota_problems(&generated)
            .iter()
            .map(Problem::one_line)
            .collect();
        assert_eq!(
            errors,
            [
                "template: Outputs: the template has 202 outputs, and CloudFormation takes at most 200 in one stack: spread the pools and functions over several packages"
            ]
        );
        let fewer = manifest_of(function("screen", &declarations[1..]));
        assert_within_limits(&template(&fewer, &Settings::default()));
    }

    fn settings_from(text: &str) -> Settings {
        let table: toml::Table = toml::from_str(text).unwrap();
        let (settings, problems) = crate::build::settings::read(Some(&table));
        assert!(problems.is_empty(), "{problems:?}");
        settings
    }

    #[test]
    fn an_alias_is_what_cognito_and_the_permissions_name() {
        let mut function = function(
            "sign_up",
            &[("Pool", Trigger::PreSignUp), ("Old", Trigger::PreSignUp)],
        );
        function.declarations[1].values.existing = true;
        let manifest = manifest_of(function);
        let settings =
            settings_from("[functions.sign_up]\nalias = \"live\"\nprovisioned_concurrency = 2\n");
        let generated = generate(&manifest, &settings, None, "../../..").unwrap();
        let yaml = crate::build::yaml::to_yaml(&generated.template);
        let alias = reference("SignUpAlias");
        let resources = match generated.template.get("Resources") {
            Some(Node::Map(resources)) => resources,
            _ => panic!("{yaml}"),
        };
        let property = |id: &str, path: &[&str]| {
            let mut node = resources
                .get(id)
                .unwrap_or_else(|| panic!("{id} in {yaml}"));
            for key in ["Properties"].iter().chain(path) {
                node = match node {
                    Node::Map(map) => map
                        .get(key)
                        .unwrap_or_else(|| panic!("{id}.{key} in {yaml}")),
                    _ => panic!("{yaml}"),
                };
            }
            node.clone()
        };
        assert_eq!(
            property("CognitoUserPoolPool", &["LambdaConfig", "PreSignUp"]),
            alias
        );
        assert_eq!(
            property("SignUpPermissionCognitoUserPoolPool", &["FunctionName"]),
            alias
        );
        assert_eq!(
            property("SignUpAttachmentCognitoUserPoolOld", &["FunctionArn"]),
            alias
        );
        assert_eq!(property("SignUpAlias", &["Name"]), Node::from("live"));
        assert_eq!(
            property(
                "SignUpAlias",
                &[
                    "ProvisionedConcurrencyConfig",
                    "ProvisionedConcurrentExecutions"
                ]
            ),
            Node::from(2u32)
        );
        assert_eq!(
            property("SignUpAlias", &["FunctionVersion"]),
            get_att("SignUpVersion", "Version")
        );
        assert!(yaml.contains("CognitoTriggerDeployId:"), "{yaml}");
    }

    #[test]
    fn a_version_is_published_when_the_configuration_changes_and_only_then() {
        let manifest = manifest_of(function("sign_up", &[("Pool", Trigger::PreSignUp)]));
        let description = |text: &str| {
            let mut generated =
                generate(&manifest, &settings_from(text), None, "../../..").unwrap();
            crate::build::alias::publish_on_change(&mut generated.template, &generated.aliased);
            let yaml = crate::build::yaml::to_yaml(&generated.template);
            let start = yaml.find("SignUpVersion:").expect("a version");
            let line = yaml[start..]
                .lines()
                .find(|l| l.contains("configuration"))
                .unwrap();
            line.to_owned()
        };
        let live = description("alias = \"live\"\n");
        assert_eq!(
            live,
            description("alias = \"live\"\n"),
            "the same sources, the same template"
        );
        assert!(live.contains("deploy ${CognitoTriggerDeployId}"), "{live}");
        assert_ne!(live, description("alias = \"live\"\nmemory_size = 256\n"));
    }

    #[test]
    fn a_pool_renamed_from_one_still_declared_is_an_error() {
        let manifest = manifest_of(function(
            "sign_up",
            &[("Old", Trigger::PreSignUp), ("New", Trigger::PreSignUp)],
        ));
        let errors = errors(
            &manifest,
            &settings_from("[pools.New]\nrenamed_from = \"Old\"\n"),
        );
        assert_eq!(
            errors,
            [
                "Cargo.toml: package.metadata.cognito-trigger.pools.New.renamed_from: pools \"New\" and \"Old\" would both be `CognitoUserPoolOld`: a pool can be renamed from another only once that one is gone from the declarations"
            ]
        );
    }

    #[test]
    fn provisioned_concurrency_needs_an_alias() {
        let manifest = manifest_of(function("sign_up", &[("Pool", Trigger::PreSignUp)]));
        let errors = errors(&manifest, &settings_from("provisioned_concurrency = 2\n"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("Cargo.toml: package.metadata.cognito-trigger.provisioned_concurrency: binary `sign_up` has provisioned concurrency but no alias"),
            "{errors:?}"
        );
    }
}
