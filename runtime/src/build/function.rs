//! A trigger function in the template, from its declarations and the
//! settings in force for its binary: the [`Lambda`] with its role, log
//! group and, for custom senders, their key and dead-letter queue.

use super::ids::FunctionIds;
use super::lambda::{Lambda, TRIGGER_SKIPS, policy, statement};
use super::limits;
use super::node::{Map, Node};
use super::pool::kms_key;
use super::settings::{Architecture, FunctionSettings, Named};
use super::template::Protected;
use crate::KMS_KEY_ARN_VARIABLE;
use cognito_trigger_core::KmsKey;
use cognito_trigger_core::manifest::Function;
use std::collections::{BTreeMap, BTreeSet};

/// Cognito waits this long for a synchronous trigger, and it cannot be changed.
pub const COGNITO_TIMEOUT_SECONDS: u32 = 5;

pub const DEFAULTS: FunctionSettings = FunctionSettings {
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
    pool_access: None,
    given: BTreeSet::new(),
};
pub const DEFAULT_ARCHITECTURE: Architecture = Architecture::Arm64;

pub fn add_function(
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
        let path: Vec<&str> = ["Properties"]
            .into_iter()
            .chain(path.iter().copied())
            .collect();
        protected.push(Protected::at(id, &path, origin));
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
    let logging: Vec<(&'static str, &'static str)> = [
        (
            "LogFormat",
            chosen.log_format.map(Named::name),
            "log_format",
        ),
        (
            "ApplicationLogLevel",
            chosen.application_log_level.map(Named::name),
            "application_log_level",
        ),
        (
            "SystemLogLevel",
            chosen.system_log_level.map(Named::name),
            "system_log_level",
        ),
    ]
    .into_iter()
    .filter_map(|(key, value, setting)| {
        let value = value?;
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
        architecture: chosen.architecture.unwrap_or(DEFAULT_ARCHITECTURE),
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
