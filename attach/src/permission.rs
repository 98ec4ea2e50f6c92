//! The function's resource policy statement that lets the pool invoke it,
//! scoped to the pool's ARN and account (the confused-deputy guard).

use crate::pool::error_text;
use aws_sdk_lambda::Client;

/// One statement per pool, so a function on several pools has several.
pub fn statement_id(pool_id: &str) -> String {
    format!("cognito-trigger-{pool_id}")
}

/// Adds (or replaces) the statement for `pool_arn`.
pub async fn allow(
    lambda: &Client,
    function_arn: &str,
    pool_id: &str,
    pool_arn: &str,
) -> Result<(), String> {
    // Replaced rather than kept, so a statement left with another SourceArn
    // cannot survive.
    revoke(lambda, function_arn, pool_id).await?;
    let account = pool_arn.split(':').nth(4).unwrap_or_default();
    lambda
        .add_permission()
        .function_name(function_arn)
        .statement_id(statement_id(pool_id))
        .action("lambda:InvokeFunction")
        .principal("cognito-idp.amazonaws.com")
        .source_arn(pool_arn)
        .source_account(account)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("AddPermission on {function_arn}: {}", error_text(&e)))
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
