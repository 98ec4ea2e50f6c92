//! The attachments the template declares, which the template hands the
//! function in its environment: the only requests it acts on.
//!
//! Anyone allowed to invoke the function could otherwise send it a request
//! of their own (any pool, any function, any trigger) and have its role
//! write it. So every request is checked against this list, and its
//! `StackId` against the stack's, before any AWS call; one that is not
//! declared gets [`NOT_DECLARED`] and nothing else, whatever it names.

use crate::request::{KnownRequest, Properties, TriggerSpec};
use serde::Deserialize;

/// The environment variable the template sets: a JSON document,
/// `{"StackId": ..., "Attachments": [{"UserPool", "FunctionArn",
/// "Triggers": [{"Trigger", "LambdaVersion"?}], "KmsKeyId"?}, ...]}`, each
/// attachment as its custom resource's properties.
pub const VARIABLE: &str = "COGNITO_TRIGGER_ATTACHMENTS";

/// The whole answer to a request that is not one of the template's: it
/// names nothing the request named and nothing of any pool.
pub const NOT_DECLARED: &str = "this request is not one of the attachments this function's template declares for its stack, so nothing was changed. If it is CloudFormation deleting an attachment that is no longer in the template, detach that function's triggers from the pool by hand (the Cognito console or aws cognito-idp update-user-pool)";

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Declared {
    /// The stack the function belongs to (`Ref: AWS::StackId`).
    pub stack_id: String,
    pub attachments: Vec<Properties>,
}

impl Declared {
    /// From [`VARIABLE`]; the error says what is wrong and how to fix it.
    pub fn from_env() -> Result<Self, String> {
        let text = std::env::var(VARIABLE).map_err(|_| {
            format!(
                "{VARIABLE} is not set: this function acts only on the attachments its template declares, in that variable; deploy it with the template the cognito-trigger build step writes (target/cognito/<package>/template.yaml)"
            )
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|error| {
            format!(
                "{VARIABLE} is not the JSON document the cognito-trigger build step writes ({error}): deploy the function with that template, unchanged"
            )
        })
    }

    /// The declared attachment `request` is for, or [`NOT_DECLARED`]. An
    /// Update is checked by its new properties (the old ones are the
    /// previous template's, and are only used when they name the same pool
    /// and function); a Delete by the properties of the resource it deletes.
    pub fn admit(&self, request: KnownRequest<'_>) -> Result<&Properties, &'static str> {
        let (stack_id, properties) = match request {
            KnownRequest::Create(r) => (&r.stack_id, &r.resource_properties),
            KnownRequest::Update(r) => (&r.stack_id, &r.resource_properties),
            KnownRequest::Delete(r) => (&r.stack_id, &r.resource_properties),
        };
        if *stack_id != self.stack_id {
            return Err(NOT_DECLARED);
        }
        let properties = Properties::from_value(properties).map_err(|_| NOT_DECLARED)?;
        self.attachments
            .iter()
            .find(|declared| same(declared, &properties))
            .ok_or(NOT_DECLARED)
    }
}

/// The same attachment: pool (as declared), function, key, and the same
/// triggers with the same event versions, in any order.
fn same(declared: &Properties, requested: &Properties) -> bool {
    fn sorted(triggers: &[TriggerSpec]) -> Vec<(&str, Option<&str>)> {
        let mut list: Vec<_> = triggers
            .iter()
            .map(|t| (t.trigger.as_str(), t.lambda_version.as_deref()))
            .collect();
        list.sort_unstable();
        list
    }
    declared.user_pool == requested.user_pool
        && declared.function_arn == requested.function_arn
        && declared.kms_key_id == requested.kms_key_id
        && sorted(&declared.triggers) == sorted(&requested.triggers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Request;
    use serde_json::{Value, json};

    const STACK: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1";
    const USERS: &str = "arn:aws:lambda:us-east-1:123456789012:function:users";

    fn declared() -> Declared {
        Declared::parse(
            &json!({"StackId": STACK, "Attachments": [{
                "UserPool": "legacy", "FunctionArn": USERS,
                "Triggers": [{"Trigger": "CustomMessage"}, {"Trigger": "PreTokenGeneration", "LambdaVersion": "V2_0"}]
            }]})
            .to_string(),
        )
        .unwrap()
    }

    fn create(stack: &str, properties: Value) -> Request {
        serde_json::from_value(json!({
            "RequestType": "Create", "ResponseURL": "http://127.0.0.1/r", "StackId": stack,
            "RequestId": "r", "ResourceType": "Custom::CognitoTriggerAttachment",
            "LogicalResourceId": "A", "ResourceProperties": properties,
        }))
        .unwrap()
    }

    fn admitted(stack: &str, properties: Value) -> bool {
        let request = create(stack, properties);
        declared()
            .admit(KnownRequest::of(&request).unwrap())
            .is_ok()
    }

    #[test]
    fn only_the_declared_attachment_of_the_stack_is_admitted() {
        let triggers = json!([{"Trigger": "PreTokenGeneration", "LambdaVersion": "V2_0"}, {"Trigger": "CustomMessage"}]);
        let ok = json!({"ServiceToken": "x", "UserPool": "legacy", "FunctionArn": USERS, "Triggers": triggers, "DeployId": "7"});
        assert!(admitted(STACK, ok.clone()));
        let other_stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/2";
        assert!(!admitted(other_stack, ok.clone()));
        for (key, value) in [
            ("UserPool", json!("victim")),
            ("FunctionArn", json!(USERS.replace("users", "evil"))),
            ("Triggers", json!([{"Trigger": "UserMigration"}])),
            ("Triggers", json!([{"Trigger": "CustomMessage"}])),
            (
                "Triggers",
                json!([{"Trigger": "PreTokenGeneration", "LambdaVersion": "V1_0"}, {"Trigger": "CustomMessage"}]),
            ),
            (
                "KmsKeyId",
                json!("arn:aws:kms:us-east-1:123456789012:key/k"),
            ),
        ] {
            let mut forged = ok.clone();
            forged[key] = value;
            assert!(!admitted(STACK, forged.clone()), "{forged}");
        }
    }
}
