//! `pool_access`: the Cognito actions a function may call on the pools it
//! is declared on, granted in an `AWS::IAM::Policy` of its own, attached to
//! the function's role. The policy may refer to a created pool (its ARN)
//! because nothing the pool needs refers to the policy: the function, its
//! role and its environment never do, so there is no cycle (the pool needs
//! the function's ARN for its `LambdaConfig`). So that Cognito never
//! invokes the function before it has its grant, the invoke permission of
//! each created pool (and the attachment to an existing pool given by ID or
//! ARN) waits for the policy.

use super::actions::SERVICE;
use super::existing::pool_arn;
use super::ids::{FunctionIds, PoolIds};
use super::lambda::statement;
use super::lock::Keep;
use super::node::{Map, Node, get_att, reference};
use super::overrides::unite_depends_on;
use super::template::Protected;
use cognito_trigger_core::manifest::Function;
use cognito_trigger_core::naming::{PoolReference, pool_reference};

/// The attribute of an attachment that gives the ARN of the pool it found
/// by name (the attach function's answer).
const ATTACHED_POOL_ARN: &str = "UserPoolArn";

/// Adds the policy that lets `function` call `actions` on its pools, and
/// makes what lets Cognito invoke it wait for that policy.
pub fn add(
    resources: &mut Map,
    protected: &mut Vec<Protected>,
    function: &Function,
    actions: &[&str],
    keep: &Keep,
) {
    let ids = FunctionIds::of(&function.bin);
    let mut pools: Vec<Node> = Vec::new();
    let mut waiting: Vec<String> = Vec::new();
    for declared in &function.declarations {
        let (arn, gate) = if declared.existing {
            let attachment = PoolIds::of(&declared.pool).attachment(&function.bin);
            match pool_reference(&declared.pool) {
                PoolReference::Arn { .. } => (declared.pool.as_str().into(), Some(attachment)),
                PoolReference::Id(id) => (pool_arn(id), Some(attachment)),
                // Resolved at deploy time by the attachment, which then
                // cannot wait for the policy that needs its answer.
                PoolReference::Name(_) => (get_att(&attachment, ATTACHED_POOL_ARN), None),
            }
        } else {
            let pool = keep.pool(&declared.pool);
            (pool.pool_arn(), Some(pool.permission(&function.bin)))
        };
        if !pools.contains(&arn) {
            pools.push(arn);
        }
        waiting.extend(gate.filter(|id| !waiting.contains(id)));
    }
    let granted: Vec<Node> = actions
        .iter()
        .map(|action| Node::from(format!("{SERVICE}:{action}")))
        .collect();
    resources.insert(
        ids.pool_access.clone(),
        Map::new().with("Type", "AWS::IAM::Policy").with(
            "Properties",
            Map::new()
                .with("PolicyName", "pool-access")
                .with("Roles", vec![reference(&ids.role)])
                .with(
                    "PolicyDocument",
                    Map::new()
                        .with("Version", "2012-10-17")
                        .with("Statement", vec![statement(granted.into(), pools.into())]),
                ),
        ),
    );
    protected.push(Protected::at(
        &ids.pool_access,
        &["Properties", "PolicyDocument"],
        format!(
            "pool_access in [package.metadata.cognito-trigger] (or its functions.{}) in Cargo.toml",
            function.bin
        ),
    ));
    for id in waiting {
        if let Some(Node::Map(resource)) = resources.get_mut(&id) {
            unite_depends_on(resource, ids.pool_access.as_str().into());
        }
    }
}
