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
//!
//! ```
//! use cognito_trigger_core::{Errors, Trigger, attr};
//! use proc_macro2::{Span, TokenStream};
//!
//! let mut errors = Errors::new();
//! let tokens: TokenStream = r#"pool = "MyUserPool", trigger = PreSignUp"#.parse().unwrap();
//! let declaration = attr::parse_arguments(tokens, Span::call_site(), &mut errors).unwrap();
//! assert_eq!(declaration.values.pool, "MyUserPool");
//! assert_eq!(declaration.values.trigger, Trigger::PreSignUp);
//!
//! let tokens: TokenStream = r#"pool = "MyUserPool", triger = PreSignUp"#.parse().unwrap();
//! assert!(attr::parse_arguments(tokens, Span::call_site(), &mut errors).is_none());
//! let message = errors.iter().next().unwrap().to_string();
//! assert!(message.contains("trigger"), "{message}");
//! ```

use crate::ast::{Declaration, KmsKey, Spanned, Spans, Values};
use crate::errors::Errors;
use crate::item::Attribute;
use crate::suggest::{Quoted, hint, hint_kin};
use crate::trigger::{LambdaVersion, Trigger};
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use syn::{Lit, LitBool};

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

/// A value as written: the token trees between `=` and the next `,`.
///
/// Values are read from token trees, never parsed as `syn::Expr`: syn's
/// parsers recurse once per level of nesting without a limit, so a deep
/// enough value (a few hundred `<`) overflowed the stack of rustc or of the
/// build script. A declaration's value is a literal, a name or
/// `get_att(..)`, which a flat look at the trees tells apart.
struct Value(Vec<TokenTree>);

impl Value {
    fn new(mut trees: Vec<TokenTree>) -> Value {
        // A value passed through a `macro_rules!` fragment arrives wrapped
        // in invisible groups.
        while let [TokenTree::Group(group)] = &trees[..]
            && group.delimiter() == Delimiter::None
        {
            trees = group.stream().into_iter().collect();
        }
        Value(trees)
    }

    /// The whole value where spans can be joined (the build step), else its
    /// first token (rustc on stable), as syn reports expressions.
    fn span(&self) -> Span {
        let first = self.0.first().map_or_else(Span::call_site, TokenTree::span);
        let last = self.0.last().map_or(first, TokenTree::span);
        first.join(last).unwrap_or(first)
    }

    /// A single literal, `true` and `false` included.
    fn literal(&self) -> Option<Lit> {
        match &self.0[..] {
            [TokenTree::Literal(literal)] => Some(Lit::new(literal.clone())),
            [TokenTree::Ident(ident)] if ident == "true" || ident == "false" => {
                Some(Lit::Bool(LitBool::new(ident == "true", ident.span())))
            }
            _ => None,
        }
    }

    /// A bare name, as in `trigger = PreSignUp`.
    fn identifier(&self) -> Option<&Ident> {
        match &self.0[..] {
            [TokenTree::Ident(ident)] if ident != "true" && ident != "false" => Some(ident),
            _ => None,
        }
    }

    /// The first token past the value's one literal or name, or past its
    /// `name(..)`: a value has nothing more.
    fn extra(&self) -> Option<&TokenTree> {
        let call = matches!(
            &self.0[..],
            [TokenTree::Ident(_), TokenTree::Group(g), ..] if g.delimiter() == Delimiter::Parenthesis
        );
        self.0.get(if call { 2 } else { 1 })
    }

    /// A call of `function`, as in `get_att("MyKey", "Arn")`: its arguments.
    fn call(&self, function: &str) -> Option<&Group> {
        match &self.0[..] {
            [TokenTree::Ident(ident), TokenTree::Group(arguments)]
                if ident == function && arguments.delimiter() == Delimiter::Parenthesis =>
            {
                Some(arguments)
            }
            _ => None,
        }
    }
}

/// Splits `tokens` at its top-level commas; a trailing comma ends the list.
/// Each part comes with the span of the comma after it, if any.
fn split_at_commas(tokens: TokenStream) -> Vec<(Vec<TokenTree>, Option<Span>)> {
    let mut parts = Vec::new();
    let mut part = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                parts.push((std::mem::take(&mut part), Some(punct.span())));
            }
            tree => part.push(tree),
        }
    }
    if !part.is_empty() {
        parts.push((part, None));
    }
    parts
}

struct Entry {
    key: Ident,
    value: Value,
}

/// An entry that is not `key = value`: the error, and the key it meant to
/// set if that can be told, so the key is not also reported missing.
struct Malformed {
    key: Option<String>,
    error: syn::Error,
}

/// One `key = value`, or what is wrong with it.
fn parse_entry(trees: Vec<TokenTree>, comma: Option<Span>) -> Result<Entry, Malformed> {
    let malformed = |key: Option<String>, span: Span, message: String| Malformed {
        key,
        error: syn::Error::new(span, message),
    };
    let mut trees = trees.into_iter();
    let key = match trees.next() {
        Some(TokenTree::Ident(key)) => key,
        Some(TokenTree::Literal(literal)) => {
            let quoted = match Lit::new(literal.clone()) {
                Lit::Str(s) if KEYS.contains(&s.value().as_str()) => Some(s.value()),
                _ => None,
            };
            let message = match &quoted {
                Some(key) => format!("write the key without quotes: `{key} = <value>`"),
                None => "expected a key, as in `pool = \"MyUserPool\"`".to_owned(),
            };
            return Err(malformed(quoted, literal.span(), message));
        }
        Some(other) => {
            let message = "expected a key, as in `pool = \"MyUserPool\"`".to_owned();
            return Err(malformed(None, other.span(), message));
        }
        None => {
            let span = comma.unwrap_or_else(Span::call_site);
            let message = "expected `key = value` before this comma: remove the extra `,`";
            return Err(malformed(None, span, message.to_owned()));
        }
    };
    let name = key.to_string();
    let equals = match trees.next() {
        Some(TokenTree::Punct(punct)) if punct.as_char() == '=' => punct.span(),
        other => {
            let span = other.map_or(key.span(), |tree| tree.span());
            let message = format!("expected `=` after `{name}`: write `{name} = <value>`");
            return Err(malformed(Some(name), span, message));
        }
    };
    let value = Value::new(trees.collect());
    if value.0.is_empty() {
        let message = format!("missing value after `{name} =`: write `{name} = <value>`");
        return Err(malformed(Some(name), equals, message));
    }
    if let Some(extra) = value.extra() {
        // A group is shown by its opening delimiter: printing its contents
        // would recurse into them.
        let shown = match extra {
            TokenTree::Group(group) => match group.delimiter() {
                Delimiter::Parenthesis => "(",
                Delimiter::Bracket => "[",
                Delimiter::Brace => "{",
                Delimiter::None => "…",
            }
            .to_owned(),
            other => other.to_string(),
        };
        let message = format!(
            "unexpected `{shown}` in the value of `{name}`: a value is one literal or name (or `get_att(..)`); separate entries with `,`"
        );
        return Err(malformed(Some(name), extra.span(), message));
    }
    Ok(Entry { key, value })
}

/// The error for `#[cognito_trigger]` without arguments.
const EXPECTED_ARGUMENTS: &str =
    "expected arguments: #[cognito_trigger(pool = \"MyUserPool\", trigger = PreSignUp)]";

/// The last segment of an attribute's path, and the token trees after the
/// path: `cognito_trigger` and `(...)` for `#[a::cognito_trigger(...)]`.
fn path_and_rest(attribute: &Attribute) -> (Option<Ident>, Vec<TokenTree>) {
    let mut last = None;
    let mut trees = attribute.brackets.stream().into_iter().peekable();
    while let Some(tree) = trees.next_if(|tree| match tree {
        TokenTree::Ident(_) => true,
        TokenTree::Punct(punct) => punct.as_char() == ':',
        _ => false,
    }) {
        if let TokenTree::Ident(ident) = tree {
            last = Some(ident);
        }
    }
    (last, trees.collect())
}

/// Whether `attribute` is a `#[cognito_trigger(...)]` declaration (by the
/// last segment of its path).
pub fn is_declaration(attribute: &Attribute) -> bool {
    path_and_rest(attribute)
        .0
        .is_some_and(|name| name == ATTRIBUTE)
}

/// Parses a `#[cognito_trigger(...)]` attribute found on an item.
pub fn parse_attribute(attribute: &Attribute, errors: &mut Errors) -> Option<Declaration> {
    match &path_and_rest(attribute).1[..] {
        [TokenTree::Group(arguments)] if arguments.delimiter() != Delimiter::None => {
            parse_arguments(arguments.stream(), attribute.span(), errors)
        }
        _ => {
            errors.error(attribute.span(), EXPECTED_ARGUMENTS);
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
    let mut entries = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (trees, comma) in split_at_commas(tokens) {
        match parse_entry(trees, comma) {
            Ok(entry) => entries.push(entry),
            Err(Malformed { key, error }) => {
                errors.push(error);
                seen.extend(key);
            }
        }
    }

    let mut pool = None;
    let mut trigger = None;
    let mut kms_key_id = None;
    let mut lambda_version = None;
    let mut existing = None;
    let mut force_deploy = None;

    for Entry { key, value } in entries {
        let name = key.to_string();
        if seen.contains(&name) {
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
        seen.push(name.clone());
        match name.as_str() {
            "pool" => pool = string(&value, "pool = \"MyUserPool\"", errors),
            "trigger" => trigger = trigger_name(&value, errors),
            "kms_key_id" => kms_key_id = kms_key(&value, errors),
            "lambda_version" => lambda_version = version(&value, errors),
            "existing" => existing = boolean(&value, "existing", errors),
            "force_deploy" => force_deploy = boolean(&value, "force_deploy", errors),
            _ => {
                errors.error(
                    key.span(),
                    format!(
                        "unknown key `{name}`: {}",
                        hint(&name, &KEYS, Quoted::Key, "expected one of")
                    ),
                );
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

    let (pool, trigger) = (pool?, trigger?);
    Some(Declaration {
        spans: Spans {
            attribute: span,
            pool: pool.span,
            trigger: trigger.span,
            kms_key_id: kms_key_id.as_ref().map(|v| v.span),
            lambda_version: lambda_version.as_ref().map(|v| v.span),
            existing: existing.as_ref().map(|v| v.span),
            force_deploy: force_deploy.as_ref().map(|v| v.span),
        },
        values: Values {
            pool: pool.value,
            trigger: trigger.value,
            lambda_version: lambda_version.map(|v| v.value),
            kms_key: kms_key_id.map(|k| k.value),
            existing: existing.is_some_and(|e| e.value),
            force_deploy: force_deploy.is_some_and(|f| f.value),
        },
    })
}

fn list(items: &[&str]) -> String {
    Quoted::Key.list(items)
}

fn string(value: &Value, example: &str, errors: &mut Errors) -> Option<Spanned<String>> {
    match value.literal() {
        Some(Lit::Str(s)) => Some(Spanned::new(s.value(), s.span())),
        _ => {
            errors.error(
                value.span(),
                format!("expected a string literal, as in `{example}`"),
            );
            None
        }
    }
}

fn boolean(value: &Value, key: &str, errors: &mut Errors) -> Option<Spanned<bool>> {
    match value.literal() {
        Some(Lit::Bool(b)) => Some(Spanned::new(b.value, b.span)),
        _ => {
            errors.error(
                value.span(),
                format!("expected `true` or `false`, as in `{key} = true`"),
            );
            None
        }
    }
}

fn trigger_name(value: &Value, errors: &mut Errors) -> Option<Spanned<Trigger>> {
    let names = Trigger::ALL.map(Trigger::name);
    let Some(ident) = value.identifier() else {
        let message = match value.literal() {
            Some(Lit::Str(s)) => format!(
                "write the trigger as a name, without quotes: `trigger = {}`",
                s.value()
            ),
            _ => format!("expected a trigger name, one of {}", list(&names)),
        };
        errors.error(value.span(), message);
        return None;
    };
    let name = ident.to_string();
    match Trigger::from_name(&name) {
        Some(trigger) => Some(Spanned::new(trigger, ident.span())),
        None => {
            let hint = hint_kin(&name, &names, Quoted::Key, "expected one of");
            errors.error(ident.span(), format!("unknown trigger `{name}`: {hint}"));
            None
        }
    }
}

fn version(value: &Value, errors: &mut Errors) -> Option<Spanned<LambdaVersion>> {
    let names = LambdaVersion::ALL.map(LambdaVersion::name);
    let Some(ident) = value.identifier() else {
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
            let hint = hint(&name, &names, Quoted::Key, "expected one of");
            errors.error(
                ident.span(),
                format!("unknown lambda_version `{name}`: {hint}"),
            );
            None
        }
    }
}

/// How to write a custom sender's key, for every message that asks for one.
pub const KMS_EXAMPLE: &str = "`kms_key_id = \"arn:aws:kms:<region>:<account>:key/<key-id>\"` or `kms_key_id = get_att(\"MyKey\", \"Arn\")`";

fn kms_key(value: &Value, errors: &mut Errors) -> Option<Spanned<KmsKey>> {
    if let Some(Lit::Str(s)) = value.literal() {
        return Some(Spanned::new(KmsKey::Arn(s.value()), s.span()));
    }
    let Some(arguments) = value.call("get_att") else {
        errors.error(value.span(), format!("expected a KMS key: {KMS_EXAMPLE}"));
        return None;
    };
    let example = "get_att(\"MyKey\", \"Arn\")";
    let arguments: Vec<Value> = split_at_commas(arguments.stream())
        .into_iter()
        .map(|(trees, _)| Value::new(trees))
        .collect();
    let [resource, attribute] = &arguments[..] else {
        errors.error(
            value.span(),
            format!("get_att takes the key's logical ID and `\"Arn\"`: `{example}`"),
        );
        return None;
    };
    let resource = string(resource, example, errors)?;
    let attribute = string(attribute, example, errors)?;
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
        value.span(),
    ))
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
        assert_eq!(
            declaration.values,
            Values {
                pool: "MyUserPool1".into(),
                trigger: Trigger::CustomEmailSender,
                lambda_version: Some(LambdaVersion::V1_0),
                kms_key: Some(KmsKey::GetAtt {
                    resource: "kmsKey".into()
                }),
                existing: true,
                force_deploy: false,
            }
        );
        // Written, though false.
        assert!(declaration.spans.force_deploy.is_some());
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
    fn unknown_triggers_get_a_guess_or_the_list() {
        let names = list(&Trigger::ALL.map(Trigger::name));
        let (_, errors) = parse(quote!(pool = "P", trigger = PostSignUp));
        assert_eq!(
            errors,
            ["unknown trigger `PostSignUp`: did you mean `PostConfirmation`?"]
        );
        let (_, errors) = parse(quote!(pool = "P", trigger = Banana));
        assert_eq!(
            errors,
            [format!("unknown trigger `Banana`: expected one of {names}")]
        );
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
