//! The logical IDs of everything the template generates, the names of its
//! outputs and parameter, and the references (`Ref`, `Fn::GetAtt`) to them:
//! each shape is written here once. Overrides and other stacks address the
//! resources by these names, so they never change.
//!
//! A pool's and a function's own IDs are [`cognito_trigger_core::naming`]'s,
//! which the macro shares; every other ID is made from them or from the same
//! UpperCamelCase base.

use super::limits::{self, LOGICAL_ID};
use super::node::{Node, get_att, reference, sub};
use cognito_trigger_core::naming::{function_base, function_logical_id, pool_logical_id};

/// The template's parameter whose new value on a deploy re-applies what the
/// template alone cannot show has changed (see
/// [`super::existing::add_deploy_id_parameter`]).
pub const DEPLOY_ID_PARAMETER: &str = "CognitoTriggerDeployId";

/// The end of an output's name that gives a resource's ID.
const ID_OUTPUT: &str = "Id";

/// The resources of the function built from one binary, each named after
/// the binary (`pre_sign_up` gives `PreSignUpLambdaFunction`,
/// `PreSignUpRole`, ...).
pub struct FunctionIds {
    pub function: String,
    pub role: String,
    pub log_group: String,
    /// Only asynchronous functions have one.
    pub queue: String,
    /// Only functions with an alias have these.
    pub version: String,
    pub alias: String,
    /// Only functions with `pool_access` have one.
    pub pool_access: String,
}

impl FunctionIds {
    pub fn of(bin: &str) -> Self {
        let base = function_base(bin);
        Self {
            function: function_logical_id(bin),
            role: format!("{base}Role"),
            log_group: format!("{base}LogGroup"),
            queue: format!("{base}DeadLetterQueue"),
            version: format!("{base}Version"),
            alias: format!("{base}Alias"),
            pool_access: format!("{base}PoolAccess"),
        }
    }

    /// The longest of them, which a limit on logical IDs concerns.
    pub fn longest(&self) -> &str {
        [
            &self.function,
            &self.role,
            &self.log_group,
            &self.queue,
            &self.version,
            &self.alias,
            &self.pool_access,
        ]
        .into_iter()
        .max_by_key(|id| id.len())
        .expect("seven IDs")
    }

    /// What Cognito and the permissions name: the alias (whose `Ref` is its
    /// ARN) when the function has one, else the function's ARN.
    pub fn invoke_target(&self, aliased: bool) -> Node {
        if aliased {
            reference(&self.alias)
        } else {
            self.function_arn()
        }
    }

    pub fn function_arn(&self) -> Node {
        arn(&self.function)
    }

    /// The function's name (its `Ref`), as a version and an alias take it.
    pub fn function_name(&self) -> Node {
        reference(&self.function)
    }

    /// The number of the published version, which the alias points to.
    pub fn version_number(&self) -> Node {
        get_att(&self.version, "Version")
    }

    pub fn role_arn(&self) -> Node {
        arn(&self.role)
    }

    /// The log group's name (its `Ref`), for the function's `LoggingConfig`.
    pub fn log_group_name(&self) -> Node {
        reference(&self.log_group)
    }

    pub fn log_group_arn(&self) -> Node {
        arn(&self.log_group)
    }

    pub fn queue_arn(&self) -> Node {
        arn(&self.queue)
    }
}

/// A pool's logical ID, and those of what the template generates for it.
/// An existing pool has no resource, but its ID still names its attachments.
pub struct PoolIds {
    pub pool: String,
}

impl PoolIds {
    /// The IDs of the pool a declaration names (a name, an ID or an ARN).
    pub fn of(pool: &str) -> Self {
        Self::with_id(pool_logical_id(pool))
    }

    /// The IDs of a pool whose logical ID is `id` (a renamed pool keeps
    /// its first name's: see [`super::lock::Keep`]).
    pub fn with_id(id: String) -> Self {
        Self { pool: id }
    }

    /// The pool's ID (its `Ref`).
    pub fn pool_id(&self) -> Node {
        reference(&self.pool)
    }

    pub fn pool_arn(&self) -> Node {
        arn(&self.pool)
    }

    /// Client `name`'s: the client's name in UpperCamelCase after the pool's,
    /// shortened to leave room for the [`ID_OUTPUT`] of its output, so that
    /// the two stay alike.
    pub fn client(&self, name: &str) -> String {
        limits::fit_id(
            &format!("{}Client{}", self.pool, function_base(name)),
            LOGICAL_ID - ID_OUTPUT.len(),
        )
    }

    /// The permission of the pool to invoke binary `bin`'s function.
    pub fn permission(&self, bin: &str) -> String {
        limits::fit_id(
            &format!("{}Permission{}", function_base(bin), self.pool),
            LOGICAL_ID,
        )
    }

    /// The custom resource that attaches binary `bin`'s function to the
    /// (existing) pool.
    pub fn attachment(&self, bin: &str) -> String {
        format!("{}Attachment{}", function_base(bin), self.pool)
    }
}

/// A stack output, exported for other stacks.
pub struct Output {
    /// Within [`LOGICAL_ID`].
    pub name: String,
    pub value: Node,
    /// `<stack name>-<output name>`, within [`limits::EXPORT_NAME`] whatever
    /// the stack's name.
    pub export: Node,
}

/// The output of resource `id`'s ID (its `Ref`: a pool's or a client's).
pub fn id_output(id: &str) -> Output {
    output(format!("{id}{ID_OUTPUT}"), reference(id))
}

/// The output of resource `id`'s ARN.
pub fn arn_output(id: &str) -> Output {
    output(format!("{id}Arn"), arn(id))
}

/// Output `name` giving `value`: its name and its export name are each
/// shortened from the whole name, by [`limits::fit_id`].
fn output(name: String, value: Node) -> Output {
    Output {
        export: sub(&format!("${{AWS::StackName}}-{}", export_suffix(&name))),
        name: limits::fit_id(&name, LOGICAL_ID),
        value,
    }
}

/// Output `name` shortened so that the longest stack name and `-` still fit
/// before it in an export name.
fn export_suffix(name: &str) -> String {
    limits::fit_id(name, limits::EXPORT_NAME - limits::STACK_NAME - "-".len())
}

fn arn(id: &str) -> Node {
    get_att(id, "Arn")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_fit_with_the_longest_stack_name() {
        let output = format!("CognitoUserPool{}Arn", "a".repeat(128));
        let suffix = export_suffix(&output);
        assert!(suffix.starts_with("CognitoUserPoolaaa") && suffix.ends_with("aaaArn"));
        let export = format!("{}-{suffix}", "s".repeat(limits::STACK_NAME));
        assert_eq!(export.len(), limits::EXPORT_NAME);
        assert_eq!(
            export_suffix("CognitoUserPoolMyUserPoolArn"),
            "CognitoUserPoolMyUserPoolArn"
        );
    }
}
