//! A created user pool in the template: the pool, retained and protected
//! unless the package says otherwise, its `LambdaConfig`, its app clients,
//! its outputs, and the permission of each of its functions.

use super::ids::{self, PoolIds};
use super::limits;
use super::lock::{Created, Keep};
use super::node::{Map, Node, get_att, reference};
use super::problem::{CARGO_TOML, Problem};
use super::settings::{AuthFlow, Named, PoolSettings, metadata_path, names};
use super::template::Protected;
use cognito_trigger_core::manifest::{Declared, Function};
use cognito_trigger_core::{KmsKey, Trigger};
use std::collections::BTreeMap;

/// A key as the template names it: its ARN, or its resource's.
pub fn kms_key(key: &KmsKey) -> Node {
    match key {
        KmsKey::Arn(arn) => arn.as_str().into(),
        KmsKey::GetAtt { resource } => get_att(resource, "Arn"),
    }
}

// The template's parts being built (resources, outputs, protected paths,
// problems) and the pool's inputs: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn add_pool(
    resources: &mut Map,
    outputs: &mut Map,
    protected: &mut Vec<Protected>,
    errors: &mut Vec<Problem>,
    (pool, pool_ids): (&str, PoolIds),
    declarations: &[(&Function, &Declared)],
    keep: &Keep,
    targets: &BTreeMap<String, Node>,
) -> Created {
    let settings = keep.settings.pools.get(pool);
    let mut created = Created {
        name: pool.to_owned(),
        declared: !declarations.is_empty(),
        ids: PoolIds::with_id(pool_ids.pool.clone()),
        clients: Vec::new(),
    };
    let settings_origin = |key: &str| {
        format!("package.metadata.cognito-trigger.pools.\"{pool}\".{key} in Cargo.toml")
    };
    // A pool holds its users' accounts, which nothing can restore: it stays
    // in the account when it leaves the stack or is replaced, and Cognito
    // refuses to delete it, unless the package says `retain = false`.
    let retained = PoolSettings::retained(settings);
    let (policy, protection) = if retained {
        ("Retain", "ACTIVE")
    } else {
        ("Delete", "INACTIVE")
    };
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        protected.push(Protected::at(
            &pool_ids.pool,
            &[attribute],
            settings_origin("retain"),
        ));
    }
    let mut protect = |path: &[&str], origin: String| {
        let path: Vec<&str> = ["Properties"]
            .into_iter()
            .chain(path.iter().copied())
            .collect();
        protected.push(Protected::at(&pool_ids.pool, &path, origin));
    };
    protect(&["DeletionProtection"], settings_origin("retain"));

    let mut ordered: Vec<_> = declarations.to_vec();
    ordered.sort_by_key(|(_, d)| Trigger::ALL.iter().position(|t| *t == d.trigger));
    let mut lambda_config = Map::new();
    for (function, declared) in &ordered {
        let arn = targets[&function.bin].clone();
        let (key, version) = declared.trigger.lambda_config(declared.version());
        let value = match version {
            Some(version) => Map::new()
                .with("LambdaArn", arn)
                .with("LambdaVersion", version.name())
                .into(),
            None => arn,
        };
        lambda_config.insert(key, value);
        protect(
            &["LambdaConfig", key],
            format!(
                "#[cognito_trigger] on fn {} ({})",
                function.name, declared.location
            ),
        );
    }
    // The package checks made sure a pool has one key.
    if let Some((function, declared)) = ordered.iter().find(|(_, d)| d.kms_key.is_some())
        && let Some(key) = &declared.kms_key
    {
        lambda_config.insert("KMSKeyID", kms_key(key));
        protect(
            &["LambdaConfig", "KMSKeyID"],
            format!("kms_key_id on fn {} ({})", function.name, declared.location),
        );
    }

    let mut properties = Map::new()
        .with("UserPoolName", pool)
        .with("DeletionProtection", protection)
        .with("LambdaConfig", lambda_config);
    if let Some(settings) = settings {
        if let Some(allow) = settings.allow_public_sign_ups {
            properties.insert(
                "AdminCreateUserConfig",
                Map::new().with("AllowAdminCreateUserOnly", !allow),
            );
            protect(
                &["AdminCreateUserConfig"],
                settings_origin("allow_public_sign_ups"),
            );
        }
        if let Some(attributes) = &settings.auto_verified_attributes {
            properties.insert("AutoVerifiedAttributes", names(attributes));
            protect(
                &["AutoVerifiedAttributes"],
                settings_origin("auto_verified_attributes"),
            );
        }
        if let Some(attributes) = &settings.username_attributes {
            properties.insert("UsernameAttributes", names(attributes));
            protect(
                &["UsernameAttributes"],
                settings_origin("username_attributes"),
            );
        }
        if let Some(message) = &settings.verification_message {
            let mut template = Map::new();
            let option = message.default_email_option.map(Named::name);
            for (key, value) in [
                ("DefaultEmailOption", option),
                ("EmailMessage", message.email_message.as_deref()),
                (
                    "EmailMessageByLink",
                    message.email_message_by_link.as_deref(),
                ),
                ("EmailSubject", message.email_subject.as_deref()),
                (
                    "EmailSubjectByLink",
                    message.email_subject_by_link.as_deref(),
                ),
                ("SmsMessage", message.sms_message.as_deref()),
            ] {
                if let Some(value) = value {
                    template.insert(key, value);
                }
            }
            properties.insert("VerificationMessageTemplate", template);
            protect(
                &["VerificationMessageTemplate"],
                settings_origin("verification_message"),
            );
        }
        let mut client_ids: BTreeMap<String, &str> = BTreeMap::new();
        for (name, client) in &settings.clients {
            if client.retired == Some(true) {
                continue;
            }
            let setting = || metadata_path(&["pools", pool, "clients", name]);
            if let Some(problem) = limits::client_name_problem(name) {
                errors.push(Problem::on_key(CARGO_TOML, setting(), problem));
                continue;
            }
            let client_id = keep.client(&pool_ids, pool, name);
            if let Some(other) = client_ids.insert(client_id.clone(), name) {
                errors.push(Problem::on_key(
                    CARGO_TOML,
                    setting(),
                    format!("clients \"{other}\" and \"{name}\" both get logical ID `{client_id}` (from their ASCII letters and digits): rename one"),
                ));
                continue;
            }
            let flows = names(
                client
                    .explicit_auth_flows
                    .as_deref()
                    .unwrap_or(&[AuthFlow::UserSrp, AuthFlow::RefreshToken]),
            );
            created.clients.push((name.clone(), client_id.clone()));
            // What would replace or delete the client is the settings' alone.
            let client_origin = || settings_origin(&format!("clients.\"{name}\""));
            for path in [
                &["DeletionPolicy"][..],
                &["UpdateReplacePolicy"],
                &["Properties", "UserPoolId"],
                &["Properties", "GenerateSecret"],
            ] {
                protected.push(Protected::at(&client_id, path, client_origin()));
            }
            // An app knows its client by ID, which a new client would not keep.
            resources.insert(
                client_id.clone(),
                Map::new()
                    .with("Type", "AWS::Cognito::UserPoolClient")
                    .with("DeletionPolicy", policy)
                    .with("UpdateReplacePolicy", policy)
                    .with(
                        "Properties",
                        Map::new()
                            .with("ClientName", name.as_str())
                            .with("UserPoolId", pool_ids.pool_id())
                            .with("GenerateSecret", client.generate_secret.unwrap_or(false))
                            .with("ExplicitAuthFlows", flows)
                            .with("PreventUserExistenceErrors", "ENABLED"),
                    ),
            );
            add_output(
                outputs,
                ids::id_output(&client_id),
                format!("The ID of client \"{name}\" of user pool \"{pool}\""),
            );
        }
    }
    resources.insert(
        pool_ids.pool.clone(),
        Map::new()
            .with("Type", "AWS::Cognito::UserPool")
            .with("DeletionPolicy", policy)
            .with("UpdateReplacePolicy", policy)
            .with("Properties", properties),
    );
    add_output(
        outputs,
        ids::id_output(&pool_ids.pool),
        format!("The ID of user pool \"{pool}\""),
    );
    add_output(
        outputs,
        ids::arn_output(&pool_ids.pool),
        format!("The ARN of user pool \"{pool}\""),
    );

    // One permission per function, whatever the number of its triggers here.
    let mut functions: Vec<&Function> = declarations.iter().map(|(f, _)| *f).collect();
    functions.sort_by(|a, b| a.bin.cmp(&b.bin));
    functions.dedup_by(|a, b| a.bin == b.bin);
    for function in functions {
        resources.insert(
            pool_ids.permission(&function.bin),
            Map::new().with("Type", "AWS::Lambda::Permission").with(
                "Properties",
                Map::new()
                    .with("Action", "lambda:InvokeFunction")
                    // On the alias, if any: Cognito invokes what LambdaConfig names.
                    .with("FunctionName", targets[&function.bin].clone())
                    .with("Principal", "cognito-idp.amazonaws.com")
                    // Only this pool, in this account, may invoke the function.
                    .with("SourceArn", pool_ids.pool_arn())
                    .with("SourceAccount", reference("AWS::AccountId")),
            ),
        );
    }
    created
}

/// Adds `output`, its description cut to its limit.
fn add_output(outputs: &mut Map, output: ids::Output, description: String) {
    outputs.insert(
        output.name,
        Map::new()
            .with(
                "Description",
                limits::cut_chars(&description, limits::OUTPUT_DESCRIPTION),
            )
            .with("Value", output.value)
            .with("Export", Map::new().with("Name", output.export)),
    );
}
