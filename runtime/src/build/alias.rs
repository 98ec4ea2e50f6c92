//! `alias = "live"`: a function Cognito invokes through an alias on a
//! published version, which is what provisioned concurrency attaches to.
//!
//! A version is immutable, and CloudFormation publishes one only when the
//! `AWS::Lambda::Version` resource is replaced. Its `Description` carries a
//! hash of the function's configuration, as the merged template has it, and
//! the deploy ID parameter: a deploy publishes a new version when the
//! configuration changed, or when `CognitoTriggerDeployId` is given a new
//! value (the code's changes do not show in the template, whose `Code` is a
//! directory). The same sources always give the same template.

use super::ids::{DEPLOY_ID_PARAMETER, FunctionIds};
use super::limits;
use super::node::{Map, Node, sub};

/// Adds the version of the function `ids` names, and its alias `alias`.
pub fn add(resources: &mut Map, ids: &FunctionIds, alias: &str, provisioned: Option<u32>) {
    resources.insert(
        ids.version.clone(),
        Map::new().with("Type", "AWS::Lambda::Version").with(
            "Properties",
            Map::new()
                .with("FunctionName", ids.function_name())
                // Filled in by `publish_on_change` once overrides are merged.
                .with("Description", ""),
        ),
    );
    let mut properties = Map::new()
        .with("Name", alias)
        .with("FunctionName", ids.function_name())
        .with("FunctionVersion", ids.version_number());
    if let Some(executions) = provisioned {
        properties.insert(
            "ProvisionedConcurrencyConfig",
            Map::new().with("ProvisionedConcurrentExecutions", executions),
        );
    }
    resources.insert(
        ids.alias.clone(),
        Map::new()
            .with("Type", "AWS::Lambda::Alias")
            .with("Properties", properties),
    );
}

/// Sets each version's `Description` from its function's configuration in
/// the merged `template`, so that a changed configuration publishes a new
/// version on the next deploy.
pub fn publish_on_change(template: &mut Map, aliased: &[FunctionIds]) {
    let Some(Node::Map(resources)) = template.get_mut("Resources") else {
        return;
    };
    for ids in aliased {
        let configuration = match resources.get(&ids.function) {
            Some(Node::Map(function)) => function.get("Properties").cloned(),
            _ => None,
        };
        let text = serde_json::to_string(&configuration.unwrap_or(Node::Null))
            .expect("a template serializes");
        let description = sub(&format!(
            "configuration {:016x}, deploy ${{{DEPLOY_ID_PARAMETER}}}",
            limits::fnv1a(text.as_bytes())
        ));
        if let Some(Node::Map(version)) = resources.get_mut(&ids.version)
            && let Some(Node::Map(properties)) = version.get_mut("Properties")
        {
            properties.insert("Description", description);
        }
    }
}
