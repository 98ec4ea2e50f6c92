//! The rules a declaration must follow, alone and together with the other
//! declarations on the same function.

use crate::ast::{Declaration, KmsKey};
use crate::errors::Errors;
use crate::trigger::Trigger;

/// The Serverless Framework's limit on a pool name.
pub const POOL_NAME_MAX: usize = 128;

/// Checks one declaration.
pub fn check_declaration(declaration: &Declaration, errors: &mut Errors) {
    check_pool_name(declaration, errors);
    check_kms_key(declaration, errors);
    check_version(declaration, errors);
    if let Some(force_deploy) = &declaration.force_deploy
        && force_deploy.value
        && !declaration.existing()
    {
        errors.error(
            force_deploy.span,
            "`force_deploy` re-applies triggers on a pool the stack does not own: add `existing = true`, or remove `force_deploy`",
        );
    }
}

/// Checks the declarations of one function against each other.
pub fn check_function(declarations: &[Declaration], errors: &mut Errors) {
    for (index, later) in declarations.iter().enumerate() {
        let earlier = &declarations[..index];
        if earlier
            .iter()
            .any(|d| d.pool.value == later.pool.value && d.trigger.value == later.trigger.value)
        {
            errors.error(
                later.trigger.span,
                format!(
                    "`{}` is already declared for pool \"{}\" on this function: remove this declaration",
                    later.trigger.value, later.pool.value
                ),
            );
            continue;
        }
        if let Some(first) = earlier
            .iter()
            .find(|d| d.trigger.value == later.trigger.value)
            && first.version() != later.version()
        {
            let span = later
                .lambda_version
                .as_ref()
                .map_or(later.trigger.span, |v| v.span);
            let shown = |d: &Declaration| d.version().map_or("none".to_owned(), |v| v.to_string());
            errors.error(
                span,
                format!(
                    "one function receives one event version of `{}`: this declaration asks for {}, an earlier one for {}; use the same `lambda_version` on both",
                    later.trigger.value,
                    shown(later),
                    shown(first)
                ),
            );
        }
    }
}

fn check_pool_name(declaration: &Declaration, errors: &mut Errors) {
    let pool = &declaration.pool;
    let name = pool.value.as_str();
    if name.starts_with("arn:") {
        let problem = if !declaration.existing() {
            Some("a pool the stack creates is named, not given by ARN: use its name, or add `existing = true` to attach to the pool with this ARN".to_owned())
        } else {
            check_pool_arn(name).err()
        };
        if let Some(problem) = problem {
            errors.error(pool.span, problem);
        }
        return;
    }
    if name.is_empty() {
        errors.error(
            pool.span,
            "the pool name is empty: name the user pool, as in `pool = \"MyUserPool\"`",
        );
        return;
    }
    let length = name.chars().count();
    if length > POOL_NAME_MAX {
        errors.error(
            pool.span,
            format!("the pool name is {length} characters long; a user pool name has at most {POOL_NAME_MAX}"),
        );
        return;
    }
    if let Some(bad) = name.chars().find(|c| !is_pool_name_char(*c)) {
        errors.error(
            pool.span,
            format!(
                "the pool name contains {bad:?}: a user pool name may contain letters, digits, `_`, spaces and `+ = , . @ -`"
            ),
        );
        return;
    }
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        errors.error(
            pool.span,
            "the pool name needs at least one ASCII letter or digit: its logical ID `CognitoUserPool<Name>` keeps only those",
        );
    }
}

/// Checks `arn:<partition>:cognito-idp:<region>:<12-digit account>:userpool/<pool id>`.
pub fn check_pool_arn(arn: &str) -> Result<(), String> {
    let expected = "expected `arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>`";
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts[..] else {
        return Err(format!("malformed user pool ARN: {expected}"));
    };
    let id = resource.strip_prefix("userpool/").unwrap_or_default();
    let id_ok = id.split_once('_').is_some_and(|(r, rest)| {
        r == region && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !partition.starts_with("aws")
        || service != "cognito-idp"
        || account.len() != 12
        || !account.chars().all(|c| c.is_ascii_digit())
        || !id_ok
    {
        return Err(format!("malformed user pool ARN `{arn}`: {expected}"));
    }
    Ok(())
}

/// `[\w\s+=,.@-]`, the pool name pattern of the Serverless Framework (with
/// JavaScript's ASCII `\w`).
fn is_pool_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
}

fn check_kms_key(declaration: &Declaration, errors: &mut Errors) {
    let trigger = declaration.trigger.value;
    match (&declaration.kms_key_id, trigger.is_custom_sender()) {
        (None, true) => errors.error(
            declaration.trigger.span,
            format!(
                "`{trigger}` needs the KMS key Cognito encrypts codes with: add `kms_key_id = \"arn:aws:kms:<region>:<account>:key/<key-id>\"` or `kms_key_id = get_att(\"MyKey\", \"Arn\")`"
            ),
        ),
        (Some(key), false) => errors.error(
            key.span,
            format!(
                "`kms_key_id` is only for the custom senders (CustomSMSSender, CustomEmailSender), not `{trigger}`: remove it"
            ),
        ),
        (Some(key), true) => {
            if let KmsKey::Arn(arn) = &key.value
                && let Err(problem) = check_kms_arn(arn)
            {
                errors.error(
                    key.span,
                    format!("malformed KMS key ARN: {problem}; expected `arn:aws:kms:<region>:<account>:key/<key-id>`"),
                );
            }
        }
        (None, false) => {}
    }
}

/// Checks `arn:<partition>:kms:<region>:<12-digit account>:key/<id>` (or `alias/<name>`).
pub fn check_kms_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(format!(
            "`{arn}` does not have the six `:`-separated parts of an ARN"
        ));
    };
    if prefix != "arn" {
        return Err(format!("it starts with `{prefix}`, not `arn`"));
    }
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc")
        && !partition.starts_with("aws-iso")
    {
        return Err(format!("`{partition}` is not an AWS partition"));
    }
    if service != "kms" {
        return Err(format!("the service is `{service}`, not `kms`"));
    }
    let region_ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !region_ok {
        return Err(format!("`{region}` is not a region"));
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("the account `{account}` is not 12 digits"));
    }
    let (kind, id) = resource.split_once('/').unwrap_or((resource, ""));
    let id_ok = match kind {
        "key" => !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "alias" => {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
        }
        _ => {
            return Err(format!(
                "the resource `{resource}` is neither `key/<key-id>` nor `alias/<name>`"
            ));
        }
    };
    if !id_ok {
        return Err(format!("`{id}` is not a valid {kind} name"));
    }
    Ok(())
}

fn check_version(declaration: &Declaration, errors: &mut Errors) {
    let Some(version) = &declaration.lambda_version else {
        return;
    };
    let trigger = declaration.trigger.value;
    let allowed = trigger.versions();
    if allowed.contains(&version.value) {
        return;
    }
    let message = if allowed.is_empty() {
        format!("`{trigger}` has no event versions: remove `lambda_version`")
    } else {
        let names: Vec<_> = allowed.iter().map(|v| format!("`{v}`")).collect();
        let only = if trigger == Trigger::PreTokenGeneration {
            ""
        } else {
            "only "
        };
        format!(
            "`{trigger}` supports {only}{}, not `{}`",
            names.join(", "),
            version.value
        )
    };
    errors.error(version.span, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::parse_arguments;
    use proc_macro2::{Span, TokenStream};
    use quote::quote;

    fn check(declarations: &[TokenStream]) -> Vec<String> {
        let mut errors = Errors::new();
        let parsed: Vec<_> = declarations
            .iter()
            .map(|tokens| parse_arguments(tokens.clone(), Span::call_site(), &mut errors).unwrap())
            .collect();
        for declaration in &parsed {
            check_declaration(declaration, &mut errors);
        }
        check_function(&parsed, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn accepts_the_seed_configurations() {
        let arn = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1";
        assert!(check(&[quote!(pool = "MyUserPool", trigger = PreSignUp)]).is_empty());
        assert!(
            check(&[
                quote!(pool = "MyUserPool1", trigger = PreSignUp),
                quote!(pool = "MyUserPool2", trigger = PreSignUp),
            ])
            .is_empty()
        );
        assert!(
            check(&[quote!(pool = "MyUserPool1", trigger = CustomSMSSender, kms_key_id = #arn)])
                .is_empty()
        );
        assert!(
            check(&[quote!(
                pool = "legacy-user-pool",
                trigger = CustomMessage,
                existing = true,
                force_deploy = true
            )])
            .is_empty()
        );
        assert!(
            check(&[quote!(
                pool = "P",
                trigger = PreTokenGeneration,
                lambda_version = V3_0
            )])
            .is_empty()
        );
    }

    #[test]
    fn pool_names_follow_the_serverless_rule() {
        assert_eq!(check(&[quote!(pool = "", trigger = PreSignUp)]).len(), 1);
        let long = "a".repeat(129);
        assert!(check(&[quote!(pool = #long, trigger = PreSignUp)])[0].contains("129 characters"));
        assert!(check(&[quote!(pool = "my/pool", trigger = PreSignUp)])[0].contains("'/'"));
        assert!(check(&[quote!(pool = "---", trigger = PreSignUp)])[0].contains("logical ID"));
        assert!(check(&[quote!(pool = "a b+c=d,e.f@g-h_i", trigger = PreSignUp)]).is_empty());
    }

    #[test]
    fn kms_arns_are_checked_part_by_part() {
        assert!(check_kms_arn("arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd").is_ok());
        assert!(check_kms_arn("arn:aws:kms:us-east-1:123456789012:alias/my-key").is_ok());
        assert!(
            check_kms_arn("arn:aws:kms:us-east-1:1234:key/x")
                .unwrap_err()
                .contains("12 digits")
        );
        assert!(
            check_kms_arn("arn:aws:s3:us-east-1:123456789012:key/x")
                .unwrap_err()
                .contains("`s3`")
        );
        assert!(check_kms_arn("12345678-9abc").unwrap_err().contains("six"));
        assert!(
            check_kms_arn("arn:aws:kms:us-east-1:123456789012:bucket/x")
                .unwrap_err()
                .contains("neither")
        );
    }

    #[test]
    fn versions_depend_on_the_trigger() {
        assert_eq!(
            check(&[quote!(
                pool = "P",
                trigger = PreSignUp,
                lambda_version = V1_0
            )]),
            ["`PreSignUp` has no event versions: remove `lambda_version`"]
        );
        let arn = "arn:aws:kms:us-east-1:123456789012:key/k";
        assert_eq!(
            check(&[
                quote!(pool = "P", trigger = CustomSMSSender, kms_key_id = #arn, lambda_version = V2_0)
            ]),
            ["`CustomSMSSender` supports only `V1_0`, not `V2_0`"]
        );
    }

    #[test]
    fn a_function_declares_each_pool_and_trigger_once() {
        let errors = check(&[
            quote!(pool = "P", trigger = PreSignUp),
            quote!(pool = "P", trigger = PreSignUp),
        ]);
        assert_eq!(
            errors,
            [
                "`PreSignUp` is already declared for pool \"P\" on this function: remove this declaration"
            ]
        );
        let errors = check(&[
            quote!(
                pool = "A",
                trigger = PreTokenGeneration,
                lambda_version = V2_0
            ),
            quote!(pool = "B", trigger = PreTokenGeneration),
        ]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("asks for V1_0, an earlier one for V2_0"),
            "{errors:?}"
        );
    }

    #[test]
    fn existing_pools_may_be_given_by_arn() {
        let arn = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123";
        assert!(check(&[quote!(pool = #arn, trigger = PreSignUp, existing = true)]).is_empty());
        let errors = check(&[quote!(pool = #arn, trigger = PreSignUp)]);
        assert!(errors[0].contains("add `existing = true`"), "{errors:?}");
        let bad = "arn:aws:cognito-idp:eu-west-1:1111:userpool/eu-west-1_AbC123";
        let errors = check(&[quote!(pool = #bad, trigger = PreSignUp, existing = true)]);
        assert!(
            errors[0].starts_with("malformed user pool ARN"),
            "{errors:?}"
        );
    }

    #[test]
    fn force_deploy_needs_existing() {
        assert_eq!(
            check(&[quote!(pool = "P", trigger = PreSignUp, force_deploy = true)]).len(),
            1
        );
        assert_eq!(
            check(&[quote!(
                pool = "P",
                trigger = PreSignUp,
                existing = false,
                force_deploy = true
            )])
            .len(),
            1
        );
    }
}
