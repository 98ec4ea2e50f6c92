//! The function's resource policy statement that lets the pool invoke it,
//! scoped to the pool's ARN and account (the confused-deputy guard).

use crate::pool::error_text;
use aws_sdk_lambda::Client;
use serde_json::Value;

/// One statement per pool, so a function on several pools has several.
pub fn statement_id(pool_id: &str) -> String {
    format!("cognito-trigger-{pool_id}")
}

const PRINCIPAL: &str = "cognito-idp.amazonaws.com";

/// Makes sure the statement for `pool_arn` is there, as this function
/// writes it: one already so is left alone (removing and re-adding it would
/// leave the trigger uncallable in between); one that differs (another
/// SourceArn, say) is replaced, so it cannot survive.
pub async fn allow(
    lambda: &Client,
    function_arn: &str,
    pool_id: &str,
    pool_arn: &str,
) -> Result<(), String> {
    let account = pool_arn.split(':').nth(4).unwrap_or_default();
    let sid = statement_id(pool_id);
    match current(lambda, function_arn, &sid).await? {
        Some(statement) if is_wanted(&statement, pool_arn, account) => return Ok(()),
        Some(_) => revoke(lambda, function_arn, pool_id).await?,
        None => {}
    }
    lambda
        .add_permission()
        .function_name(function_arn)
        .statement_id(sid)
        .action("lambda:InvokeFunction")
        .principal(PRINCIPAL)
        .source_arn(pool_arn)
        .source_account(account)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("AddPermission on {function_arn}: {}", error_text(&e)))
}

/// The statement `sid` of the function's resource policy, if any.
async fn current(lambda: &Client, function_arn: &str, sid: &str) -> Result<Option<Value>, String> {
    let policy = match lambda.get_policy().function_name(function_arn).send().await {
        Ok(output) => output.policy.unwrap_or_default(),
        // No resource policy at all.
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            return Ok(None);
        }
        Err(error) => {
            return Err(format!(
                "GetPolicy on {function_arn}: {}",
                error_text(&error)
            ));
        }
    };
    let policy: Value = serde_json::from_str(&policy).unwrap_or_default();
    Ok(policy["Statement"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["Sid"] == sid))
        .cloned())
}

/// The statement AddPermission writes for the pool, as GetPolicy shows it.
fn is_wanted(statement: &Value, pool_arn: &str, account: &str) -> bool {
    statement["Effect"] == "Allow"
        && statement["Principal"]["Service"] == PRINCIPAL
        && statement["Action"] == "lambda:InvokeFunction"
        && statement["Condition"]["ArnLike"]["AWS:SourceArn"] == pool_arn
        && statement["Condition"]["StringEquals"]["AWS:SourceAccount"] == account
}

/// Removes the statement for the pool, if there is one.
pub async fn revoke(lambda: &Client, function_arn: &str, pool_id: &str) -> Result<(), String> {
    match lambda
        .remove_permission()
        .function_name(function_arn)
        .statement_id(statement_id(pool_id))
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            Ok(())
        }
        Err(error) => Err(format!(
            "RemovePermission on {function_arn}: {}",
            error_text(&error)
        )),
    }
}
