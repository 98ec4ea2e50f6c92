//! `existing = true`: functions attached to pools the stack does not own,
//! through the `cognito-trigger-attach` custom resource (the `attach/` crate),
//! one resource per (pool, function), so that deleting one takes back
//! exactly that function's triggers on that pool.

use super::lambda::{Lambda, TRIGGER_SKIPS, policy, statement};
use super::node::{Map, Node, get_att, reference, sub};
use super::template::kms_key;
use cognito_trigger_core::manifest::{Declared, Function, Manifest};
use cognito_trigger_core::naming::{
    PoolReference, function_base, function_logical_id, pool_logical_id, pool_reference,
};
use std::collections::BTreeMap;

/// The binary of the `attach/` crate.
pub const ATTACH_BINARY: &str = "cognito-trigger-attach";
const ATTACH_BASE: &str = "CognitoTriggerAttach";
/// Changing it re-applies the declarations with `force_deploy = true`.
pub const DEPLOY_ID_PARAMETER: &str = "CognitoTriggerDeployId";

/// Adds the attachments of `manifest`'s existing-pool declarations, their
/// custom resource function, and the deploy-ID parameter if any declaration
/// forces re-deployment. `attach_path` is the attach crate relative to the
/// template, for `sam build`, when it is at hand.
pub fn add_attachments(
    resources: &mut Map,
    parameters: &mut Map,
    manifest: &Manifest,
    attach_path: Option<String>,
) {
    let mut pairs: BTreeMap<(&str, &str), (&Function, Vec<&Declared>)> = BTreeMap::new();
    for function in &manifest.functions {
        for declared in function.declarations.iter().filter(|d| d.existing) {
            pairs
                .entry((declared.pool.as_str(), function.bin.as_str()))
                .or_insert((function, Vec::new()))
                .1
                .push(declared);
        }
    }
    if pairs.is_empty() {
        return;
    }
    let attach = format!("{ATTACH_BASE}LambdaFunction");
    let mut forced = false;
    for ((pool, _), (function, declarations)) in &pairs {
        let force = declarations.iter().any(|d| d.force_deploy);
        forced |= force;
        let triggers: Vec<Node> = declarations
            .iter()
            .map(|d| {
                let mut entry = Map::new().with("Trigger", d.trigger.name());
                if let Some(version) = d.trigger.lambda_config(d.version()).1 {
                    entry.insert("LambdaVersion", version.name());
                }
                entry.into()
            })
            .collect();
        let mut properties = Map::new()
            .with("ServiceToken", get_att(&attach, "Arn"))
            .with("UserPool", *pool)
            .with(
                "FunctionArn",
                get_att(&function_logical_id(&function.bin), "Arn"),
            )
            .with("Triggers", triggers);
        if let Some(key) = declarations.iter().find_map(|d| d.kms_key.as_ref()) {
            properties.insert("KmsKeyId", kms_key(key));
        }
        if force {
            properties.insert("DeployId", reference(DEPLOY_ID_PARAMETER));
        }
        resources.insert(
            format!(
                "{}Attachment{}",
                function_base(&function.bin),
                pool_logical_id(pool)
            ),
            Map::new()
                .with("Type", "Custom::CognitoTriggerAttachment")
                .with("Properties", properties),
        );
    }
    if forced {
        parameters.insert(
            DEPLOY_ID_PARAMETER,
            Map::new()
                .with("Type", "String")
                .with("Default", "1")
                .with(
                    "Description",
                    "Give it a new value on each deploy (e.g. --parameter-overrides CognitoTriggerDeployId=$(date +%s)) to re-apply the triggers declared with force_deploy on existing pools",
                ),
        );
    }
    let declared: Vec<(&Function, &Declared)> = pairs
        .values()
        .flat_map(|(function, declarations)| declarations.iter().map(move |d| (*function, *d)))
        .collect();
    Lambda {
        base: ATTACH_BASE.into(),
        bin: ATTACH_BINARY,
        description: "Attaches cognito-trigger functions to existing user pools (CloudFormation custom resource)".into(),
        architecture: "arm64".into(),
        memory_size: 128,
        // CloudFormation waits for the answer; the SDK calls take seconds.
        timeout: 300,
        log_retention_days: 365,
        policies: attach_policies(&declared),
        package_path: attach_path,
        asynchronous: false,
        skips: vec![
            TRIGGER_SKIPS[0],
            (
                "CKV_AWS_115",
                "Runs only during deployments, once per custom resource request",
            ),
            (
                "CKV_AWS_116",
                "CloudFormation learns of every failure from the response it waits for; a dead-letter queue would add nothing",
            ),
        ],
    }
    .add_to(resources);
}

/// Least privilege: the pools concerned (every pool, to list them, when one
/// is named by name), the functions concerned, and the custom senders' keys.
fn attach_policies(declared: &[(&Function, &Declared)]) -> Vec<Node> {
    let mut pools: Vec<Node> = Vec::new();
    let mut by_name = false;
    let mut functions: Vec<Node> = Vec::new();
    let mut keys: Vec<Node> = Vec::new();
    for (function, declaration) in declared {
        let arn = match pool_reference(&declaration.pool) {
            PoolReference::Arn { .. } => declaration.pool.as_str().into(),
            PoolReference::Id(id) => pool_arn(id),
            PoolReference::Name(_) => {
                by_name = true;
                pool_arn("*")
            }
        };
        push_unique(&mut pools, arn);
        push_unique(
            &mut functions,
            get_att(&function_logical_id(&function.bin), "Arn"),
        );
        if let Some(key) = &declaration.kms_key {
            push_unique(&mut keys, kms_key(key));
        }
    }
    let mut statements = vec![statement(
        vec!["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"].into(),
        pools.into(),
    )];
    if by_name {
        // ListUserPools has no resource to scope it to.
        statements.push(statement("cognito-idp:ListUserPools".into(), "*".into()));
    }
    statements.push(statement(
        vec!["lambda:AddPermission", "lambda:RemovePermission"].into(),
        functions.into(),
    ));
    if !keys.is_empty() {
        // UpdateUserPool with a KMSKeyID grants Cognito the use of the key.
        statements.push(statement("kms:CreateGrant".into(), keys.into()));
    }
    vec![policy("attach-triggers", statements)]
}

fn pool_arn(id: &str) -> Node {
    sub(&format!(
        "arn:${{AWS::Partition}}:cognito-idp:${{AWS::Region}}:${{AWS::AccountId}}:userpool/{id}"
    ))
}

fn push_unique(list: &mut Vec<Node>, node: Node) {
    if !list.contains(&node) {
        list.push(node);
    }
}
