//! The user pool: found by ID, ARN or unique name, and its `LambdaConfig`
//! changed by read-modify-write, so every other setting stays as it is.
//!
//! Cognito has no conditional update: a writer that read the pool before
//! this write and writes after it undoes this write, and this write undoes
//! what another wrote between this read and this write. So every write is
//! checked ([`verify`]) by reading the pool again once such a writer has had
//! the time to write: this resource's triggers must be as written, and the
//! triggers others held before it must be as they were.

use crate::request::TriggerSpec;
use crate::slots;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{LambdaConfigType, UserPoolType};
use cognito_trigger_core::Trigger;
use cognito_trigger_core::naming::{PoolReference, pool_reference};
use std::time::Duration;

/// How long after its write a resource reads the pool again: longer than a
/// concurrent writer takes from its read to its write, one UpdateUserPool
/// call even when throttled (the SDK's standard retries wait up to 1 s, then
/// up to 2 s).
pub const SETTLE: Duration = Duration::from_secs(5);

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
    describe(cognito, &id).await
}

/// The pool with ID `id`: `Ok(None)` if there is none.
pub(crate) async fn describe(cognito: &Client, id: &str) -> Result<Option<UserPoolType>, String> {
    match cognito.describe_user_pool().user_pool_id(id).send().await {
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
) -> Result<Written, String> {
    let before = lambda_config(&pool);
    let mut config = before.clone();
    for spec in triggers {
        let Some(trigger) = Trigger::from_name(&spec.trigger) else {
            return Err(format!("unknown trigger `{}`", spec.trigger));
        };
        if let Some(holder) = slots::holder(&config, trigger)
            && holder != function_arn
        {
            return Err(format!(
                "the {trigger} trigger of pool {} is {holder}: this resource never replaces another function's trigger; detach that one first",
                pool.id().unwrap_or_default()
            ));
        }
        slots::set(
            &mut config,
            trigger,
            Some(function_arn),
            spec.lambda_version.as_deref(),
        );
    }
    if let Some(key) = kms_key_id {
        let other_sender = Trigger::ALL
            .into_iter()
            .filter(|t| t.is_custom_sender())
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
    write(cognito, pool, before, config, function_arn, triggers).await
}

/// Takes back the `triggers` `function_arn` holds; leaves the others.
/// `None` if it holds none of them: then nothing is written.
pub async fn detach(
    cognito: &Client,
    pool: UserPoolType,
    function_arn: &str,
    triggers: &[TriggerSpec],
) -> Result<Option<Written>, String> {
    let before = lambda_config(&pool);
    let mut config = before.clone();
    for trigger in known(triggers) {
        if slots::holder(&config, trigger) == Some(function_arn) {
            slots::set(&mut config, trigger, None, None);
        }
    }
    if config == before {
        return Ok(None);
    }
    write(cognito, pool, before, config, function_arn, triggers)
        .await
        .map(Some)
}

/// The triggers of `specs` the catalogue has: the others name nothing in a
/// pool (attach refuses them).
fn known(specs: &[TriggerSpec]) -> impl Iterator<Item = Trigger> {
    specs.iter().filter_map(|s| Trigger::from_name(&s.trigger))
}

fn lambda_config(pool: &UserPoolType) -> LambdaConfigType {
    pool.lambda_config
        .clone()
        .unwrap_or_else(|| LambdaConfigType::builder().build())
}

/// One write of a pool's `LambdaConfig`, to check against the pool afterwards.
#[derive(Debug)]
pub struct Written {
    pool_id: String,
    /// As read before the write.
    before: LambdaConfigType,
    written: LambdaConfigType,
    function_arn: String,
    /// The triggers the writing resource declares.
    triggers: Vec<Trigger>,
}

async fn write(
    cognito: &Client,
    pool: UserPoolType,
    before: LambdaConfigType,
    written: LambdaConfigType,
    function_arn: &str,
    triggers: &[TriggerSpec],
) -> Result<Written, String> {
    let pool_id = pool.id.clone().unwrap_or_default();
    update(cognito, pool, written.clone()).await?;
    Ok(Written {
        pool_id,
        before,
        written,
        function_arn: function_arn.to_owned(),
        triggers: known(triggers).collect(),
    })
}

/// Reads the pool again `settle` after `written` and fails, saying what is
/// wrong, if a write by someone else has undone this one.
pub async fn verify(cognito: &Client, written: &Written, settle: Duration) -> Result<(), String> {
    tokio::time::sleep(settle).await;
    let id = &written.pool_id;
    let pool = describe(cognito, id)
        .await?
        .ok_or_else(|| format!("pool {id} was deleted while this resource was updating it"))?;
    let changes = written.undone(&lambda_config(&pool));
    if changes.is_empty() {
        return Ok(());
    }
    Err(format!(
        "pool {id} changed after this resource wrote its triggers: {}. Something else updated the pool at the same time (another stack's attachment, a script or the console), and UpdateUserPool replaces the whole configuration, so one write undid the other's. Deploy again once nothing else is changing the pool, and check the triggers of the other writer",
        changes.join("; ")
    ))
}

impl Written {
    /// What `after`, the pool's `LambdaConfig` read after the write, has lost
    /// of this write: this resource's triggers not as written, and triggers
    /// others held before it that are gone or changed.
    fn undone(&self, after: &LambdaConfigType) -> Vec<String> {
        let own = Some(self.function_arn.as_str());
        let mut undone = Vec::new();
        for trigger in Trigger::ALL {
            let now = entry(after, trigger);
            if self.triggers.contains(&trigger) {
                let meant = entry(&self.written, trigger);
                if meant.0 == own && now != meant {
                    undone.push(format!(
                        "its {trigger} trigger is {} instead of {}",
                        show(now),
                        show(meant)
                    ));
                } else if meant.0 != own && now.0 == own {
                    undone.push(format!(
                        "its {trigger} trigger is still {}, which this resource removed",
                        self.function_arn
                    ));
                }
            } else if slots::holder(&self.before, trigger).is_some() {
                let was = entry(&self.before, trigger);
                if now != was {
                    undone.push(format!(
                        "its {trigger} trigger, {} before this write, is now {}",
                        show(was),
                        show(now)
                    ));
                }
            }
        }
        if let Some(key) = &self.written.kms_key_id
            && after.kms_key_id.as_ref() != Some(key)
        {
            undone.push(format!(
                "its custom senders' KMS key is {} instead of {key}",
                after.kms_key_id.as_deref().unwrap_or("not set")
            ));
        }
        undone
    }
}

/// A trigger's function and event version.
type Entry<'a> = (Option<&'a str>, Option<&'a str>);

fn entry(config: &LambdaConfigType, trigger: Trigger) -> Entry<'_> {
    (
        slots::holder(config, trigger),
        slots::version(config, trigger),
    )
}

fn show((arn, version): Entry) -> String {
    match (arn, version) {
        (None, _) => "not set".into(),
        (Some(arn), None) => arn.into(),
        (Some(arn), Some(version)) => format!("{arn} ({version})"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "arn:aws:lambda:us-east-1:111111111111:function:own";
    const OTHER: &str = "arn:aws:lambda:us-east-1:111111111111:function:other";

    fn written(before: LambdaConfigType, written: LambdaConfigType, trigger: Trigger) -> Written {
        Written {
            pool_id: "us-east-1_AbC123".into(),
            before,
            written,
            function_arn: OWN.into(),
            triggers: vec![trigger],
        }
    }

    #[test]
    fn a_detach_undone_leaves_the_function_in_place() {
        let before = LambdaConfigType::builder().pre_sign_up(OWN).build();
        let write = written(
            before.clone(),
            LambdaConfigType::builder().build(),
            Trigger::PreSignUp,
        );
        assert_eq!(
            write.undone(&before),
            [format!(
                "its PreSignUp trigger is still {OWN}, which this resource removed"
            )]
        );
        // Another function taking the freed trigger afterwards undoes nothing.
        let taken = LambdaConfigType::builder().pre_sign_up(OTHER).build();
        assert!(write.undone(&taken).is_empty());
    }

    #[test]
    fn event_versions_and_the_key_are_part_of_the_write() {
        let mut meant = LambdaConfigType::builder().build();
        slots::set(
            &mut meant,
            Trigger::PreTokenGeneration,
            Some(OWN),
            Some("V2_0"),
        );
        meant.kms_key_id = Some("arn:aws:kms:us-east-1:111111111111:key/1".into());
        let write = written(
            LambdaConfigType::builder().build(),
            meant.clone(),
            Trigger::PreTokenGeneration,
        );
        assert!(write.undone(&meant).is_empty());
        let mut after = LambdaConfigType::builder().build();
        slots::set(
            &mut after,
            Trigger::PreTokenGeneration,
            Some(OWN),
            Some("V1_0"),
        );
        assert_eq!(
            write.undone(&after),
            [
                format!("its PreTokenGeneration trigger is {OWN} (V1_0) instead of {OWN} (V2_0)"),
                "its custom senders' KMS key is not set instead of arn:aws:kms:us-east-1:111111111111:key/1".into(),
            ]
        );
    }

    #[test]
    fn triggers_added_by_others_since_the_read_are_theirs_to_check() {
        let write = written(
            LambdaConfigType::builder().build(),
            LambdaConfigType::builder().pre_sign_up(OWN).build(),
            Trigger::PreSignUp,
        );
        let after = LambdaConfigType::builder()
            .pre_sign_up(OWN)
            .custom_message(OTHER)
            .build();
        assert!(write.undone(&after).is_empty());
    }
}
