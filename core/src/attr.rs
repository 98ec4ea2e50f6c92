//! The grammar of `#[cognito_trigger(key = value, ...)]`.
//!
//! ```text
//! pool = "MyUserPool"                  required: the user pool's name
//! trigger = PreSignUp                  required: a trigger of the catalogue
//! kms_key_id = "arn:aws:kms:..."       custom senders: the key ARN, or
//! kms_key_id = get_att("kmsKey", "Arn")    a key declared in the template
//! lambda_version = V2_0                PreTokenGeneration and custom senders
//! existing = true                      attach to a pool the stack does not own
//! force_deploy = true                  with existing: re-apply on every deploy
//! ```
//!
//! Parsing reports every mistake it can find into [`Errors`] and returns a
//! declaration only when `pool` and `trigger` are both usable.

use crate::ast::{Declaration, KmsKey, Spanned};
use crate::errors::Errors;
use crate::suggest::did_you_mean;
use crate::trigger::{LambdaVersion, Trigger};
use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, Lit, Token};

/// The keys a declaration accepts, in the order the docs present them.
pub const KEYS: [&str; 6] = [
    "pool",
    "trigger",
    "kms_key_id",
    "lambda_version",
    "existing",
    "force_deploy",
];

/// The attribute's name, as written after `#[` (possibly as a path ending in it).
pub const ATTRIBUTE: &str = "cognito_trigger";

struct Entry {
    key: syn::Ident,
    value: Expr,
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input.call(syn::ext::IdentExt::parse_any)?;
        input.parse::<Token![=]>().map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("expected `=` after `{key}`: write `{key} = <value>`"),
            )
        })?;
        let value = input.parse()?;
        Ok(Entry { key, value })
    }
}

/// Whether `attr` is a `#[cognito_trigger(...)]` attribute (by its last path segment).
pub fn is_declaration(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == ATTRIBUTE)
}

/// Parses a `#[cognito_trigger(...)]` attribute found on an item.
pub fn parse_attribute(attr: &syn::Attribute, errors: &mut Errors) -> Option<Declaration> {
    match &attr.meta {
        syn::Meta::List(list) => parse_arguments(list.tokens.clone(), attr.span(), errors),
        _ => {
            errors.error(
                attr.span(),
                "expected arguments: #[cognito_trigger(pool = \"MyUserPool\", trigger = PreSignUp)]",
            );
            None
        }
    }
}

/// Parses the arguments of one declaration. `span` is the attribute's, used
/// for errors about keys that are missing. A declaration with any mistake is
/// not returned, so that validation cannot report the same mistake again
/// (a misspelt `kms_key_id` is not also a missing one).
pub fn parse_arguments(
    tokens: TokenStream,
    span: Span,
    errors: &mut Errors,
) -> Option<Declaration> {
    let errors_before = errors.len();
    let entries = match Punctuated::<Entry, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };

    let mut seen: Vec<syn::Ident> = Vec::new();
    let mut pool = None;
    let mut trigger = None;
    let mut kms_key_id = None;
    let mut lambda_version = None;
    let mut existing = None;
    let mut force_deploy = None;

    for Entry { key, value } in entries {
        let name = key.to_string();
        if seen.iter().any(|k| *k == name) {
            let hint = if name == "pool" || name == "trigger" {
                format!(
                    "; to declare the function for another {name}, add another #[cognito_trigger(...)] attribute"
                )
            } else {
                String::new()
            };
            errors.error(
                key.span(),
                format!("duplicate key `{name}`: it is already set in this declaration{hint}"),
            );
            continue;
        }
        seen.push(key.clone());
        match name.as_str() {
            "pool" => pool = string(&value, "pool = \"MyUserPool\"", errors),
            "trigger" => trigger = trigger_name(&value, errors),
            "kms_key_id" => kms_key_id = kms_key(&value, errors),
            "lambda_version" => lambda_version = version(&value, errors),
            "existing" => existing = boolean(&value, "existing", errors),
            "force_deploy" => force_deploy = boolean(&value, "force_deploy", errors),
            _ => {
                let hint = match did_you_mean(&name, KEYS) {
                    Some(key) => format!("did you mean `{key}`?"),
                    None => format!("expected one of {}", list(&KEYS)),
                };
                errors.error(key.span(), format!("unknown key `{name}`: {hint}"));
            }
        }
    }

    let mut missing = |key: &str, example: &str| {
        if !seen.iter().any(|k| k == key) {
            errors.error(
                span,
                format!("missing `{key}`: add `{example}` to the declaration"),
            );
        }
    };
    missing("pool", "pool = \"MyUserPool\"");
    missing("trigger", "trigger = PreSignUp");
    if errors.len() > errors_before {
        return None;
    }

    Some(Declaration {
        span,
        pool: pool?,
        trigger: trigger?,
        kms_key_id,
        lambda_version,
        existing,
        force_deploy,
    })
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn string(value: &Expr, example: &str, errors: &mut Errors) -> Option<Spanned<String>> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(Spanned::new(s.value(), s.span())),
        _ => {
            errors.error(
                value.span(),
                format!("expected a string literal, as in `{example}`"),
            );
            None
        }
    }
}

fn boolean(value: &Expr, key: &str, errors: &mut Errors) -> Option<Spanned<bool>> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(Spanned::new(b.value, b.span)),
        _ => {
            errors.error(
                value.span(),
                format!("expected `true` or `false`, as in `{key} = true`"),
            );
            None
        }
    }
}

/// A bare identifier, as in `trigger = PreSignUp`.
fn identifier(value: &Expr) -> Option<&syn::Ident> {
    match value {
        Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => path.path.get_ident(),
        _ => None,
    }
}

fn trigger_name(value: &Expr, errors: &mut Errors) -> Option<Spanned<Trigger>> {
    let names = Trigger::ALL.map(Trigger::name);
    let Some(ident) = identifier(value) else {
        let message = match value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => {
                format!(
                    "write the trigger as a name, without quotes: `trigger = {}`",
                    s.value()
                )
            }
            _ => format!("expected a trigger name, one of {}", list(&names)),
        };
        errors.error(value.span(), message);
        return None;
    };
    let name = ident.to_string();
    match Trigger::from_name(&name) {
        Some(trigger) => Some(Spanned::new(trigger, ident.span())),
        None => {
            let hint = match did_you_mean(&name, names) {
                Some(known) => format!("did you mean `{known}`?"),
                None => format!("expected one of {}", list(&names)),
            };
            errors.error(ident.span(), format!("unknown trigger `{name}`: {hint}"));
            None
        }
    }
}

fn version(value: &Expr, errors: &mut Errors) -> Option<Spanned<LambdaVersion>> {
    let names = LambdaVersion::ALL.map(LambdaVersion::name);
    let Some(ident) = identifier(value) else {
        errors.error(
            value.span(),
            format!("expected an event version, one of {}", list(&names)),
        );
        return None;
    };
    let name = ident.to_string();
    match LambdaVersion::from_name(&name) {
        Some(version) => Some(Spanned::new(version, ident.span())),
        None => {
            let hint = match did_you_mean(&name, names) {
                Some(known) => format!("did you mean `{known}`?"),
                None => format!("expected one of {}", list(&names)),
            };
            errors.error(
                ident.span(),
                format!("unknown lambda_version `{name}`: {hint}"),
            );
            None
        }
    }
}

const KMS_EXAMPLE: &str = "`kms_key_id = \"arn:aws:kms:<region>:<account>:key/<key-id>\"` or `kms_key_id = get_att(\"MyKey\", \"Arn\")`";

fn kms_key(value: &Expr, errors: &mut Errors) -> Option<Spanned<KmsKey>> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(Spanned::new(KmsKey::Arn(s.value()), s.span())),
        Expr::Call(call) if identifier(&call.func).is_some_and(|f| f == "get_att") => {
            let args: Vec<_> = call.args.iter().collect();
            let [resource, attribute] = args[..] else {
                errors.error(
                    call.span(),
                    "get_att takes the key's logical ID and `\"Arn\"`: `get_att(\"MyKey\", \"Arn\")`",
                );
                return None;
            };
            let resource = string(resource, "get_att(\"MyKey\", \"Arn\")", errors)?;
            let attribute = string(attribute, "get_att(\"MyKey\", \"Arn\")", errors)?;
            if attribute.value != "Arn" {
                errors.error(
                    attribute.span,
                    format!(
                        "the pool's KMSKeyID must be a key ARN: use `\"Arn\"`, not `\"{}\"`",
                        attribute.value
                    ),
                );
                return None;
            }
            if !is_logical_id(&resource.value) {
                errors.error(
                    resource.span,
                    format!(
                        "`{}` is not a CloudFormation logical ID: use letters and digits only",
                        resource.value
                    ),
                );
                return None;
            }
            Some(Spanned::new(
                KmsKey::GetAtt {
                    resource: resource.value,
                },
                call.span(),
            ))
        }
        _ => {
            errors.error(value.span(), format!("expected a KMS key: {KMS_EXAMPLE}"));
            None
        }
    }
}

fn is_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (Option<Declaration>, Vec<String>) {
        let mut errors = Errors::new();
        let declaration = parse_arguments(tokens, Span::call_site(), &mut errors);
        (
            declaration,
            errors.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn parses_every_key() {
        let (declaration, errors) = parse(quote! {
            pool = "MyUserPool1", trigger = CustomEmailSender,
            kms_key_id = get_att("kmsKey", "Arn"), lambda_version = V1_0,
            existing = true, force_deploy = false,
        });
        assert!(errors.is_empty(), "{errors:?}");
        let declaration = declaration.unwrap();
        assert_eq!(declaration.pool.value, "MyUserPool1");
        assert_eq!(declaration.trigger.value, Trigger::CustomEmailSender);
        assert_eq!(
            declaration.kms_key_id.unwrap().value,
            KmsKey::GetAtt {
                resource: "kmsKey".into()
            }
        );
        assert_eq!(
            declaration.lambda_version.unwrap().value,
            LambdaVersion::V1_0
        );
        assert!(declaration.existing.unwrap().value);
        assert!(!declaration.force_deploy.unwrap().value);
    }

    #[test]
    fn reports_every_mistake_once() {
        let (declaration, errors) = parse(quote! {
            pool = "A", pool = "B", trigger = PreSignup, kmsKeyId = "x", existing = yes
        });
        assert!(declaration.is_none());
        assert_eq!(
            errors,
            [
                "duplicate key `pool`: it is already set in this declaration; to declare the function for another pool, add another #[cognito_trigger(...)] attribute",
                "unknown trigger `PreSignup`: did you mean `PreSignUp`?",
                "unknown key `kmsKeyId`: did you mean `kms_key_id`?",
                "expected `true` or `false`, as in `existing = true`",
            ]
        );
    }

    #[test]
    fn names_what_is_missing() {
        let (declaration, errors) = parse(quote!(trigger = PreSignUp));
        assert!(declaration.is_none());
        assert_eq!(
            errors,
            ["missing `pool`: add `pool = \"MyUserPool\"` to the declaration"]
        );
        let (_, errors) = parse(quote!());
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn quoted_trigger_is_explained() {
        let (_, errors) = parse(quote!(pool = "P", trigger = "PreSignUp"));
        assert_eq!(
            errors,
            ["write the trigger as a name, without quotes: `trigger = PreSignUp`"]
        );
    }

    #[test]
    fn get_att_must_name_the_arn() {
        let (_, errors) = parse(quote!(
            pool = "P",
            trigger = CustomSMSSender,
            kms_key_id = get_att("k", "KeyId")
        ));
        assert_eq!(
            errors,
            ["the pool's KMSKeyID must be a key ARN: use `\"Arn\"`, not `\"KeyId\"`"]
        );
    }
}
