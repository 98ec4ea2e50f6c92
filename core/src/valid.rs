//! The rules a declaration must follow, alone and together with the other
//! declarations on the same function.

use crate::arn;
use crate::ast::{Declaration, KmsKey};
use crate::attr::KMS_EXAMPLE;
use crate::errors::Errors;
use crate::naming::{PoolReference, pool_reference};
use crate::trigger::Trigger;

/// Cognito's limit on a pool's `UserPoolName`, which the Serverless Framework
/// checks too.
pub const POOL_NAME_MAX: usize = 128;

/// Checks one declaration.
pub fn check_declaration(declaration: &Declaration, errors: &mut Errors) {
    check_pool_name(declaration, errors);
    check_kms_key(declaration, errors);
    check_version(declaration, errors);
    let values = &declaration.values;
    if let Some(force_deploy) = declaration.spans.force_deploy
        && values.force_deploy
        && !values.existing
    {
        errors.error(
            force_deploy,
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
            .any(|d| d.values.pool == later.values.pool && d.values.trigger == later.values.trigger)
        {
            errors.error(
                later.spans.trigger,
                format!(
                    "`{}` is already declared for pool \"{}\" on this function: remove this declaration",
                    later.values.trigger, later.values.pool
                ),
            );
            continue;
        }
        if let Some(first) = earlier
            .iter()
            .find(|d| d.values.trigger == later.values.trigger)
            && first.values.version() != later.values.version()
        {
            let span = later.spans.lambda_version.unwrap_or(later.spans.trigger);
            let shown = |d: &Declaration| {
                let version = d.values.version();
                version.map_or("none".to_owned(), |v| v.to_string())
            };
            errors.error(
                span,
                format!(
                    "one function receives one event version of `{}`: this declaration asks for {}, an earlier one for {}; use the same `lambda_version` on both",
                    later.values.trigger,
                    shown(later),
                    shown(first)
                ),
            );
        }
    }
}

fn check_pool_name(declaration: &Declaration, errors: &mut Errors) {
    let name = declaration.values.pool.as_str();
    let span = declaration.spans.pool;
    // Anything starting with `arn:` is meant as an ARN, well formed or not.
    let reference = match pool_reference(name) {
        PoolReference::Arn { .. } => Some("ARN"),
        PoolReference::Id(_) => Some("ID"),
        PoolReference::Name(_) => name.starts_with("arn:").then_some("ARN"),
    };
    if let Some(form) = reference {
        let problem = if !declaration.values.existing {
            Some(format!(
                "a pool the stack creates is named, not given by {form}: use its name, or add `existing = true` to attach to the pool with this {form}"
            ))
        } else if form == "ARN" {
            arn::user_pool_id(name).err()
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.error(span, problem);
        }
        return;
    }
    if name.is_empty() {
        errors.error(
            span,
            "the pool name is empty: name the user pool, as in `pool = \"MyUserPool\"`",
        );
        return;
    }
    let length = name.chars().count();
    if length > POOL_NAME_MAX {
        errors.error(
            span,
            format!(
                "the pool name is {length} characters long, and Cognito's UserPoolName takes at most {POOL_NAME_MAX}: shorten it by {}",
                length - POOL_NAME_MAX
            ),
        );
    }
    // Every bad character at once, so that one build finds them all.
    let mut bad: Vec<String> = Vec::new();
    for c in name.chars().filter(|c| !is_pool_name_char(*c)) {
        let shown = format!("{c:?}");
        if !bad.contains(&shown) {
            bad.push(shown);
        }
    }
    if let Some((last, others)) = bad.split_last() {
        let shown = match others {
            [] => last.clone(),
            _ => format!("{} and {last}", others.join(", ")),
        };
        errors.error(
            span,
            format!(
                "the pool name contains {shown}: a user pool name may contain only letters, digits, `_`, spaces and `+ = , . @ -`; remove or replace them"
            ),
        );
        return;
    }
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        errors.error(
            span,
            "the pool name needs at least one ASCII letter or digit: its logical ID `CognitoUserPool<Name>` keeps only those",
        );
    }
}

/// `[\w\s+=,.@-]`, the pool name pattern of the Serverless Framework (with
/// JavaScript's ASCII `\w`).
fn is_pool_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
}

fn check_kms_key(declaration: &Declaration, errors: &mut Errors) {
    let trigger = declaration.values.trigger;
    let key = &declaration.values.kms_key;
    let at = declaration
        .spans
        .kms_key_id
        .unwrap_or(declaration.spans.trigger);
    match (key, trigger.is_custom_sender()) {
        (None, true) => errors.error(
            at,
            format!("`{trigger}` needs the KMS key Cognito encrypts codes with: add {KMS_EXAMPLE}"),
        ),
        (Some(_), false) => errors.error(
            at,
            format!(
                "`kms_key_id` is only for the custom senders ({}), not `{trigger}`: remove it",
                custom_senders()
            ),
        ),
        (Some(key), true) => {
            if let KmsKey::Arn(key_arn) = key
                && let Err(problem) = arn::kms_key(key_arn)
            {
                errors.error(at, format!("{problem}; use {KMS_EXAMPLE}"));
            }
        }
        (None, false) => {}
    }
}

/// The custom senders' names, as a list for messages.
fn custom_senders() -> String {
    let names: Vec<_> = Trigger::ALL
        .into_iter()
        .filter(|t| t.is_custom_sender())
        .map(Trigger::name)
        .collect();
    names.join(", ")
}

fn check_version(declaration: &Declaration, errors: &mut Errors) {
    let (Some(version), Some(span)) = (
        declaration.values.lambda_version,
        declaration.spans.lambda_version,
    ) else {
        return;
    };
    let trigger = declaration.values.trigger;
    let allowed = trigger.versions();
    if allowed.contains(&version) {
        return;
    }
    let message = if allowed.is_empty() {
        format!("`{trigger}` has no event versions: remove `lambda_version`")
    } else {
        let names: Vec<_> = allowed.iter().map(|v| format!("`{v}`")).collect();
        let only = if allowed.len() == 1 { "only " } else { "" };
        format!(
            "`{trigger}` supports {only}{}, not `{}`",
            names.join(", "),
            version
        )
    };
    errors.error(span, message);
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
        assert_eq!(
            check(&[quote!(pool = #long, trigger = PreSignUp)]),
            [
                "the pool name is 129 characters long, and Cognito's UserPoolName takes at most 128: shorten it by 1"
            ]
        );
        let longest = &long[1..];
        assert!(check(&[quote!(pool = #longest, trigger = PreSignUp)]).is_empty());
        assert!(check(&[quote!(pool = "my/pool", trigger = PreSignUp)])[0].contains("'/'"));
        assert!(check(&[quote!(pool = "---", trigger = PreSignUp)])[0].contains("logical ID"));
        assert!(check(&[quote!(pool = "a b+c=d,e.f@g-h_i", trigger = PreSignUp)]).is_empty());
    }

    #[test]
    fn every_bad_character_is_named_at_once() {
        assert_eq!(
            check(&[quote!(pool = "my/pool#1/x!", trigger = PreSignUp)]),
            [
                "the pool name contains '/', '#' and '!': a user pool name may contain only letters, digits, `_`, spaces and `+ = , . @ -`; remove or replace them"
            ]
        );
        // Too long and with a bad character: two mistakes, two errors.
        let long = format!("{}/", "a".repeat(128));
        let errors = check(&[quote!(pool = #long, trigger = PreSignUp)]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("shorten it by 1") && errors[1].contains("'/'"));
    }

    #[test]
    fn kms_keys_are_key_arns_not_aliases() {
        let sender =
            |arn: &str| check(&[quote!(pool = "P", trigger = CustomSMSSender, kms_key_id = #arn)]);
        assert!(sender("arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd").is_empty());
        assert_eq!(
            sender("arn:aws:kms:us-east-1:123456789012:alias/my-key"),
            [format!(
                "`alias/my-key` is an alias: the pool's KMSKeyID and the role's `kms:Decrypt` need the key's own ARN (IAM does not match alias ARNs); use {KMS_EXAMPLE}"
            )]
        );
        assert_eq!(
            sender("arn:aws:kms:us-east-1:1234:key/x"),
            [format!(
                "malformed KMS key ARN: the account `1234` is not 12 digits; use {KMS_EXAMPLE}"
            )]
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
        assert_eq!(
            errors,
            [format!(
                "malformed user pool ARN: the account `1111` is not 12 digits; expected `{}`",
                arn::POOL_ARN_FORM
            )]
        );
        let errors = check(&[quote!(pool = #bad, trigger = PreSignUp)]);
        assert!(errors[0].contains("add `existing = true`"), "{errors:?}");
    }

    #[test]
    fn existing_pools_may_be_given_by_id_and_new_ones_not() {
        let id = "us-east-1_AbCdEf123";
        assert!(check(&[quote!(pool = #id, trigger = PreSignUp, existing = true)]).is_empty());
        assert_eq!(
            check(&[quote!(pool = #id, trigger = PreSignUp)]),
            [
                "a pool the stack creates is named, not given by ID: use its name, or add `existing = true` to attach to the pool with this ID"
            ]
        );
        assert_eq!(
            check(&[quote!(pool = #id, trigger = PreSignUp, existing = false)]).len(),
            1
        );
        // Names with `_` are names: the stack creates them.
        for name in ["my_pool", "prod_users", "MyUserPool", "my-user-pool_v2"] {
            assert!(
                check(&[quote!(pool = #name, trigger = PreSignUp)]).is_empty(),
                "{name}"
            );
        }
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
