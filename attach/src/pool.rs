//! The user pool: found by ID, ARN or unique name, and its `LambdaConfig`
//! changed by read-modify-write, so every other setting stays as it is.

use crate::request::TriggerSpec;
use crate::slots;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{LambdaConfigType, UserPoolType};
use cognito_trigger_core::naming::{PoolReference, pool_reference};

/// The pool `reference` names: `Ok(None)` if there is none.
pub async fn find(cognito: &Client, reference: &str) -> Result<Option<UserPoolType>, String> {
    // The one reading of declarations' pool references, shared with the build step.
    let id = match pool_reference(reference) {
        PoolReference::Arn { id } | PoolReference::Id(id) => id.to_owned(),
        PoolReference::Name(name) => match by_name(cognito, name).await? {
            Some(id) => id,
            None => return Ok(None),
        },
    };
    match cognito.describe_user_pool().user_pool_id(&id).send().await {
        Ok(output) => Ok(output.user_pool),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(format!("DescribeUserPool {id}: {}", error_text(&error))),
    }
}

/// The ID of the one pool named `name`; two pools with the name are an error.
async fn by_name(cognito: &Client, name: &str) -> Result<Option<String>, String> {
    let mut found = Vec::new();
    let mut token = None;
    loop {
        let page = cognito
            .list_user_pools()
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| format!("ListUserPools: {}", error_text(&e)))?;
        found.extend(
            page.user_pools()
                .iter()
                .filter(|p| p.name() == Some(name))
                .filter_map(|p| p.id().map(str::to_owned)),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    match found.as_slice() {
        [] => Ok(None),
        [id] => Ok(Some(id.clone())),
        ids => Err(format!(
            "{} user pools are named \"{name}\" ({}): name the pool by ID or ARN in the declaration",
            ids.len(),
            ids.join(", ")
        )),
    }
}

/// Gives `triggers` to `function_arn`, refusing any another function holds.
pub async fn attach(
    cognito: &Client,
    pool: UserPoolType,
    function_arn: &str,
    triggers: &[TriggerSpec],
    kms_key_id: Option<&str>,
) -> Result<(), String> {
    let mut config = pool
        .lambda_config
        .clone()
        .unwrap_or_else(|| LambdaConfigType::builder().build());
    for spec in triggers {
        if !slots::TRIGGERS.contains(&spec.trigger.as_str()) {
            return Err(format!("unknown trigger `{}`", spec.trigger));
        }
        if let Some(holder) = slots::holder(&config, &spec.trigger)
            && holder != function_arn
        {
            return Err(format!(
                "the {} trigger of pool {} is {holder}: this resource never replaces another function's trigger; detach that one first",
                spec.trigger,
                pool.id().unwrap_or_default()
            ));
        }
        slots::set(
            &mut config,
            &spec.trigger,
            Some(function_arn),
            spec.lambda_version.as_deref(),
        );
    }
    if let Some(key) = kms_key_id {
        let other_sender = ["CustomSMSSender", "CustomEmailSender"]
            .iter()
            .any(|t| slots::holder(&config, t).is_some_and(|h| h != function_arn));
        if other_sender && config.kms_key_id.as_deref().is_some_and(|k| k != key) {
            return Err(format!(
                "pool {} encrypts codes for another function's custom sender with {}: a pool has one KMS key",
                pool.id().unwrap_or_default(),
                config.kms_key_id.as_deref().unwrap_or_default()
            ));
        }
        config.kms_key_id = Some(key.to_owned());
    }
    update(cognito, pool, config).await
}

/// Takes back the `triggers` `function_arn` holds; leaves the others.
pub async fn detach(
    cognito: &Client,
    pool: UserPoolType,
    function_arn: &str,
    triggers: &[TriggerSpec],
) -> Result<(), String> {
    let mut config = pool
        .lambda_config
        .clone()
        .unwrap_or_else(|| LambdaConfigType::builder().build());
    let before = config.clone();
    for spec in triggers {
        if slots::holder(&config, &spec.trigger) == Some(function_arn) {
            slots::set(&mut config, &spec.trigger, None, None);
        }
    }
    if config == before {
        return Ok(());
    }
    update(cognito, pool, config).await
}

/// UpdateUserPool resets what it is not given, so it gets every setting
/// DescribeUserPool returned, with the new `LambdaConfig`.
async fn update(
    cognito: &Client,
    pool: UserPoolType,
    config: LambdaConfigType,
) -> Result<(), String> {
    let id = pool.id.clone().unwrap_or_default();
    let mut admin_create_user_config = pool.admin_create_user_config;
    // Deprecated, still returned, and refused together with its replacement.
    let temporary_days = pool
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .is_some_and(|p| p.temporary_password_validity_days > 0);
    if temporary_days && let Some(admin) = &mut admin_create_user_config {
        admin.unused_account_validity_days = 0;
    }
    cognito
        .update_user_pool()
        .user_pool_id(&id)
        .lambda_config(config)
        .set_policies(pool.policies)
        .set_deletion_protection(pool.deletion_protection)
        .set_auto_verified_attributes(pool.auto_verified_attributes)
        .set_sms_verification_message(pool.sms_verification_message)
        .set_email_verification_message(pool.email_verification_message)
        .set_email_verification_subject(pool.email_verification_subject)
        .set_verification_message_template(pool.verification_message_template)
        .set_sms_authentication_message(pool.sms_authentication_message)
        .set_user_attribute_update_settings(pool.user_attribute_update_settings)
        .set_mfa_configuration(pool.mfa_configuration)
        .set_device_configuration(pool.device_configuration)
        .set_email_configuration(pool.email_configuration)
        .set_sms_configuration(pool.sms_configuration)
        .set_user_pool_tags(pool.user_pool_tags)
        .set_admin_create_user_config(admin_create_user_config)
        .set_user_pool_add_ons(pool.user_pool_add_ons)
        .set_account_recovery_setting(pool.account_recovery_setting)
        .set_pool_name(pool.name)
        .set_user_pool_tier(pool.user_pool_tier)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("UpdateUserPool {id}: {}", error_text(&e)))
}

/// An SDK error as one line: the service's code and message when there is one.
pub fn error_text<E: std::error::Error>(error: &E) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
