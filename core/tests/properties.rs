//! Build-time robustness: the declaration parser and the source scanner
//! never panic, whatever tokens or source text they are given, and every
//! failure is an error with a message (issue 7). Declarations and files
//! written by the grammar parse to exactly what they say.

use cognito_trigger_core::attr::{KEYS, parse_arguments};
use cognito_trigger_core::errors::Errors;
use cognito_trigger_core::naming::{PoolReference, pool_reference};
use cognito_trigger_core::scan::scan_binary;
use cognito_trigger_core::{Declaration, KmsKey, LambdaVersion, Trigger, valid};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::str::FromStr;

fn config(cases: u32) -> Config {
    Config {
        cases,
        // No regression files next to the sources; a failure prints its input.
        failure_persistence: None,
        ..Config::default()
    }
}

/// One token tree, kept as data so that a failing case prints readably.
#[derive(Clone, Debug)]
enum Tok {
    Ident(String),
    RawIdent(String),
    Punct(char, bool),
    Str(String),
    Int(u64),
    Float(f64),
    Char(char),
    ByteStr(Vec<u8>),
    /// A literal with a suffix (`5u8`, `"x"suffix`), lexed by proc-macro2.
    Suffixed(String),
    Group(u8, Vec<Tok>),
}

const PUNCTUATION: &[char] = &[
    '=', '<', '>', '!', '~', '+', '-', '*', '/', '%', '^', '&', '|', '@', '.', ',', ';', ':', '#',
    '$', '?', '\'',
];

/// Identifiers that the grammar gives a meaning to, and some it does not.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&str> = KEYS.to_vec();
    words.extend(Trigger::ALL.map(Trigger::name));
    words.extend(LambdaVersion::ALL.map(LambdaVersion::name));
    words.extend([
        "get_att",
        "true",
        "false",
        "Arn",
        "fn",
        "self",
        "Self",
        "crate",
        "kmsKeyId",
        "PreSignup",
        "pre_sign_up",
        "PostConfirm",
        "CustomSmsSender",
        "V4_0",
        "existing_",
        "é",
        "Ñame",
        "x",
    ]);
    words
}

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(words()).prop_map(str::to_owned),
        1 => "[a-zA-Z][a-zA-Z0-9_]{0,12}",
    ]
}

fn leaf() -> impl Strategy<Value = Tok> {
    prop_oneof![
        6 => ident().prop_map(Tok::Ident),
        1 => "[a-z][a-z0-9_]{0,8}"
            .prop_filter("not a keyword raw identifiers refuse", |s| {
                !matches!(s.as_str(), "self" | "super" | "crate")
            })
            .prop_map(Tok::RawIdent),
        4 => (prop::sample::select(PUNCTUATION), any::<bool>()).prop_map(|(c, j)| Tok::Punct(c, j)),
        3 => prop_oneof![
            "\\PC{0,20}",
            Just("MyUserPool".to_owned()),
            Just("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab".to_owned()),
            Just("Arn".to_owned()),
            Just(String::new()),
        ]
        .prop_map(Tok::Str),
        1 => any::<u64>().prop_map(Tok::Int),
        1 => (-1e12f64..1e12).prop_map(Tok::Float),
        1 => any::<char>().prop_map(Tok::Char),
        1 => prop::collection::vec(any::<u8>(), 0..8).prop_map(Tok::ByteStr),
        1 => prop::sample::select(vec!["5u8", "1e3f32", "\"x\"suffix", "b'a'", "c\"c\"", "0x_ff"])
            .prop_map(|s| Tok::Suffixed(s.to_owned())),
    ]
}

fn tokens() -> impl Strategy<Value = Vec<Tok>> {
    let tree = leaf().prop_recursive(3, 24, 6, |inner| {
        (0u8..4, prop::collection::vec(inner, 0..6)).prop_map(|(d, body)| Tok::Group(d, body))
    });
    prop::collection::vec(tree, 0..12)
}

/// Streams shaped like declarations, so that parsing gets past the first
/// token: `key = value` entries of the grammar's keys and other words, with
/// values of any shape, and commas or other separators.
fn entries() -> impl Strategy<Value = Vec<Tok>> {
    let entry = (
        ident(),
        prop_oneof![8 => Just(Some('=')), 1 => Just(None), 1 => Just(Some(':'))],
        prop_oneof![
            3 => leaf().prop_map(|t| vec![t]),
            1 => tokens(),
            1 => (prop::collection::vec(leaf(), 0..4)).prop_map(|args| {
                let mut body = Vec::new();
                for (i, a) in args.into_iter().enumerate() {
                    if i > 0 {
                        body.push(Tok::Punct(',', false));
                    }
                    body.push(a);
                }
                vec![Tok::Ident("get_att".into()), Tok::Group(0, body)]
            }),
        ],
        prop_oneof![8 => Just(Some(',')), 1 => Just(None), 1 => Just(Some(';'))],
    );
    prop::collection::vec(entry, 0..8).prop_map(|entries| {
        let mut out = Vec::new();
        for (key, eq, value, sep) in entries {
            out.push(Tok::Ident(key));
            out.extend(eq.map(|c| Tok::Punct(c, false)));
            out.extend(value);
            out.extend(sep.map(|c| Tok::Punct(c, false)));
        }
        out
    })
}

fn to_stream(toks: &[Tok]) -> TokenStream {
    let span = Span::call_site();
    toks.iter()
        .map(|tok| -> TokenTree {
            match tok {
                Tok::Ident(name) => Ident::new(name, span).into(),
                Tok::RawIdent(name) => Ident::new_raw(name, span).into(),
                Tok::Punct(c, joint) => {
                    let spacing = if *joint {
                        Spacing::Joint
                    } else {
                        Spacing::Alone
                    };
                    Punct::new(*c, spacing).into()
                }
                Tok::Str(s) => Literal::string(s).into(),
                Tok::Int(n) => Literal::u64_unsuffixed(*n).into(),
                Tok::Float(f) => Literal::f64_unsuffixed(*f).into(),
                Tok::Char(c) => Literal::character(*c).into(),
                Tok::ByteStr(b) => Literal::byte_string(b).into(),
                Tok::Suffixed(s) => Literal::from_str(s).expect("a literal").into(),
                Tok::Group(d, body) => {
                    let delimiter = match d {
                        0 => Delimiter::Parenthesis,
                        1 => Delimiter::Bracket,
                        2 => Delimiter::Brace,
                        _ => Delimiter::None,
                    };
                    Group::new(delimiter, to_stream(body)).into()
                }
            }
        })
        .collect()
}

/// Parses, validates what parsed, and checks the errors: `None` comes with at
/// least one error, `Some` with none, and every error has a message that the
/// compile error carries.
fn parse_checked(stream: TokenStream) -> Result<Option<Declaration>, TestCaseError> {
    let mut errors = Errors::new();
    let declaration = parse_arguments(stream, Span::call_site(), &mut errors);
    match &declaration {
        None => prop_assert!(!errors.is_empty(), "refused without an error"),
        Some(declaration) => {
            prop_assert!(errors.is_empty(), "a declaration and errors");
            valid::check_declaration(declaration, &mut errors);
            valid::check_function(&[declaration.clone(), declaration.clone()], &mut errors);
            // The same declaration twice on one function is always refused.
            prop_assert!(!errors.is_empty(), "a repeated declaration was accepted");
        }
    }
    check_messages(&errors)?;
    Ok(declaration)
}

fn check_messages(errors: &Errors) -> Result<(), TestCaseError> {
    for error in errors.iter() {
        let message = error.to_string();
        prop_assert!(!message.trim().is_empty(), "an error without a message");
        let compile_error = error.to_compile_error().to_string();
        prop_assert!(compile_error.contains("compile_error"), "{compile_error}");
    }
    prop_assert_eq!(
        errors.to_compile_errors().into_iter().count() > 0,
        !errors.is_empty()
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    /// Any token stream: no panic, and refusals carry messages.
    #[test]
    fn any_tokens_parse_or_fail_with_messages(toks in tokens()) {
        parse_checked(to_stream(&toks))?;
    }

    /// Streams shaped like declarations reach the checks of each key.
    #[test]
    fn declaration_shaped_tokens_parse_or_fail_with_messages(toks in entries()) {
        parse_checked(to_stream(&toks))?;
    }

    /// Text lexed as Rust tokens (real spans): the same, and each error's
    /// span, when it has a location, lies in the text.
    #[test]
    fn lexed_text_parses_or_fails_with_messages(text in prop_oneof![
        "\\PC{0,80}",
        prop::collection::vec(prop::sample::select(vec![
            "pool", "trigger", "kms_key_id", "lambda_version", "existing", "force_deploy",
            "=", ",", "\"P\"", "\"\"", "PreSignUp", "CustomSMSSender", "PreTokenGeneration",
            "V2_0", "get_att", "(", ")", "\"Arn\"", "\"k\"", "true", "yes", "::", "#", "[", "]",
            "{", "}", "1", "1.5", "'c'", "r#pool", "\"arn:aws:kms:us-east-1:123456789012:key/a\"",
            "/* c */", "// c\n", " ", "\n",
        ]), 0..24).prop_map(|parts| parts.join(" ")),
    ]) {
        proc_macro2::extra::invalidate_current_thread_spans();
        if let Ok(stream) = TokenStream::from_str(&text) {
            let lines = text.lines().count().max(1);
            let mut errors = Errors::new();
            let declaration = parse_arguments(stream, Span::call_site(), &mut errors);
            prop_assert_eq!(declaration.is_none(), !errors.is_empty());
            check_messages(&errors)?;
            for error in errors.iter() {
                let start = error.span().start();
                prop_assert!(start.line <= lines, "{error} at line {} of {lines}", start.line);
            }
        }
    }
}

/// A declaration as the grammar allows it, with what it should parse to.
#[derive(Clone, Debug)]
struct Written {
    pool: String,
    trigger: Trigger,
    kms: Option<KmsKey>,
    version: Option<LambdaVersion>,
    existing: Option<bool>,
    force_deploy: Option<bool>,
    /// The order the entries are written in.
    order: Vec<usize>,
    trailing_comma: bool,
}

impl Written {
    fn source(&self) -> String {
        let kms = self.kms.as_ref().map(|key| match key {
            KmsKey::Arn(arn) => format!("kms_key_id = {arn:?}"),
            KmsKey::GetAtt { resource } => format!("kms_key_id = get_att({resource:?}, \"Arn\")"),
        });
        let entries = [
            Some(format!("pool = {:?}", self.pool)),
            Some(format!("trigger = {}", self.trigger.name())),
            kms,
            self.version
                .map(|v| format!("lambda_version = {}", v.name())),
            self.existing.map(|e| format!("existing = {e}")),
            self.force_deploy.map(|f| format!("force_deploy = {f}")),
        ];
        let mut written: Vec<String> = self
            .order
            .iter()
            .filter_map(|&i| entries[i].clone())
            .collect();
        if self.trailing_comma {
            written.push(String::new());
        }
        written.join(", ")
    }

    fn check(&self, declaration: &Declaration) -> Result<(), TestCaseError> {
        let (values, spans) = (&declaration.values, &declaration.spans);
        prop_assert_eq!(&values.pool, &self.pool);
        prop_assert_eq!(values.trigger, self.trigger);
        prop_assert_eq!(values.kms_key.as_ref(), self.kms.as_ref());
        prop_assert_eq!(values.lambda_version, self.version);
        prop_assert_eq!(spans.existing.map(|_| values.existing), self.existing);
        prop_assert_eq!(
            spans.force_deploy.map(|_| values.force_deploy),
            self.force_deploy
        );
        Ok(())
    }
}

fn written() -> impl Strategy<Value = Written> {
    let trigger = prop::sample::select(Trigger::ALL.to_vec());
    trigger
        .prop_flat_map(|trigger| {
            let kms = if trigger.is_custom_sender() {
                prop_oneof![
                    "[a-f0-9]{8}-[a-f0-9]{4}".prop_map(|id| KmsKey::Arn(format!(
                        "arn:aws:kms:eu-west-1:123456789012:key/{id}"
                    ))),
                    "mrk-[a-f0-9]{32}".prop_map(|id| KmsKey::Arn(format!(
                        "arn:aws-cn:kms:cn-north-1:210987654321:key/{id}"
                    ))),
                    "[A-Za-z0-9]{1,24}".prop_map(|resource| KmsKey::GetAtt { resource }),
                ]
                .prop_map(Some)
                .boxed()
            } else {
                Just(None).boxed()
            };
            let version = if trigger.versions().is_empty() {
                Just(None).boxed()
            } else {
                prop::option::of(prop::sample::select(trigger.versions().to_vec())).boxed()
            };
            (
                Just(trigger),
                // A name: a pool ID is for existing pools only.
                "[A-Za-z0-9][A-Za-z0-9 _+=,.@-]{0,60}".prop_filter("a pool ID", |pool| {
                    matches!(pool_reference(pool), PoolReference::Name(_))
                }),
                kms,
                version,
                prop::option::of(any::<bool>()),
                any::<bool>(),
                Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
                any::<bool>(),
            )
        })
        .prop_map(
            |(trigger, pool, kms, version, existing, force, order, trailing_comma)| Written {
                pool,
                trigger,
                kms,
                version,
                // `force_deploy` only with `existing = true`.
                force_deploy: (existing == Some(true)).then_some(force),
                existing,
                order,
                trailing_comma,
            },
        )
}

/// A binary's source file with trigger functions and other items.
#[derive(Clone, Debug)]
enum Item {
    Trigger {
        name: String,
        declarations: Vec<Written>,
    },
    /// An item the scanner passes over, with the number of lines it takes.
    Other(&'static str),
}

const OTHER_ITEMS: &[&str] = &[
    "use cognito_trigger::cognito_trigger;",
    "fn helper() {}",
    "async fn other(event: E) -> Result<E, Error> { Ok(event) }",
    "mod inner {\n    #[cognito_trigger(pool = \"Hidden\", trigger = PreSignUp)]\n    async fn hidden(e: E) -> R { todo!() }\n}",
    "#[cfg_attr(feature = \"x\", cognito_trigger(pool = \"A\", trigger = PreSignUp))]\nasync fn conditional(e: E) -> R { todo!() }",
    "#[cognito_trigger(pool = \"A\", trigger = PreSignup)]\nasync fn misspelt(e: E) -> R { todo!() }",
    "#[cognito_trigger(pool = \"A\", trigger = CustomSMSSender)]\nasync fn keyless(e: E) -> R { todo!() }",
    "#[cognito_trigger]\nasync fn bare(e: E) -> R { todo!() }",
    "macro_rules! m {\n    () => {};\n}",
    "struct S {\n    x: u8,\n}",
    "// #[cognito_trigger(pool = \"Comment\", trigger = PreSignUp)]",
    "const C: &str = \"#[cognito_trigger(pool = \\\"Str\\\", trigger = PreSignUp)]\";",
];

fn items() -> impl Strategy<Value = Vec<Item>> {
    let item = prop_oneof![
        2 => ("[a-z][a-z0-9_]{0,10}", prop::collection::vec(written(), 1..3))
            .prop_filter("not a keyword", |(name, _)| syn::parse_str::<syn::Ident>(name).is_ok())
            .prop_map(|(name, declarations)| Item::Trigger { name, declarations }),
        3 => prop::sample::select(OTHER_ITEMS).prop_map(Item::Other),
    ];
    prop::collection::vec(item, 0..6)
}

proptest! {
    #![proptest_config(config(256))]

    /// Every declaration the grammar allows parses to what it says, and
    /// passes validation.
    #[test]
    fn written_declarations_parse_to_what_they_say(written in written()) {
        let source = written.source();
        let stream = TokenStream::from_str(&source).unwrap();
        let mut errors = Errors::new();
        let declaration = parse_arguments(stream, Span::call_site(), &mut errors);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        prop_assert!(messages.is_empty(), "{source}: {messages:?}");
        let declaration = declaration.unwrap();
        written.check(&declaration)?;
        valid::check_declaration(&declaration, &mut errors);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        prop_assert!(messages.is_empty(), "{source}: {messages:?}");
    }

    /// The scanner finds exactly the top-level trigger functions whose
    /// declarations are all valid, at their lines, in source order.
    #[test]
    fn the_scanner_finds_exactly_the_valid_trigger_functions(items in items()) {
        proc_macro2::extra::invalidate_current_thread_spans();
        let mut source = String::new();
        let mut expected = Vec::new();
        let mut line = 1;
        for item in &items {
            match item {
                Item::Trigger { name, declarations } => {
                    let first_line = line;
                    let mut attribute_lines = Vec::new();
                    for declaration in declarations {
                        source.push_str(&format!("#[cognito_trigger({})]\n", declaration.source()));
                        attribute_lines.push(line);
                        line += 1;
                    }
                    source.push_str(&format!("async fn {name}(event: E) -> R {{ todo!() }}\n"));
                    line += 1;
                    // Two declarations of the same pool and trigger, or of one
                    // trigger with two event versions, are a mistake of the
                    // function: it is left to the macro.
                    let mut errors = Errors::new();
                    let parsed: Vec<Declaration> = declarations
                        .iter()
                        .map(|d| {
                            parse_arguments(
                                TokenStream::from_str(&d.source()).unwrap(),
                                Span::call_site(),
                                &mut errors,
                            )
                            .unwrap()
                        })
                        .collect();
                    valid::check_function(&parsed, &mut errors);
                    if errors.is_empty() {
                        expected.push((name.clone(), first_line, attribute_lines, declarations.clone()));
                    }
                }
                Item::Other(text) => {
                    source.push_str(text);
                    source.push('\n');
                    line += text.lines().count();
                }
            }
        }
        let functions = scan_binary("bin", "src/main.rs", &source).map_err(|e| {
            TestCaseError::fail(format!("{e}\n{source}"))
        })?.functions;
        let found: Vec<(&str, usize)> = functions
            .iter()
            .map(|f| (f.name.as_str(), f.location.line))
            .collect();
        let wanted: Vec<(&str, usize)> = expected
            .iter()
            .map(|(name, line, _, _)| (name.as_str(), *line))
            .collect();
        prop_assert_eq!(found, wanted, "{}", source);
        for (function, (_, _, lines, declarations)) in functions.iter().zip(&expected) {
            prop_assert_eq!(function.bin.as_str(), "bin");
            prop_assert_eq!(function.declarations.len(), declarations.len());
            for ((declared, line), written) in function.declarations.iter().zip(lines).zip(declarations) {
                prop_assert_eq!(&declared.location.file, "src/main.rs");
                prop_assert_eq!(declared.location.line, *line);
                prop_assert_eq!(declared.location.column, 1);
                prop_assert_eq!(&declared.pool, &written.pool);
                prop_assert_eq!(declared.trigger, written.trigger);
                prop_assert_eq!(declared.kms_key.as_ref(), written.kms.as_ref());
                prop_assert_eq!(declared.lambda_version, written.version);
                prop_assert_eq!(declared.existing, written.existing == Some(true));
                prop_assert_eq!(declared.force_deploy, written.force_deploy == Some(true));
            }
        }
    }

    /// Any text, or fragments of Rust and of declarations in any order: the
    /// scanner returns functions or an error with a message, never panics.
    #[test]
    fn the_scanner_never_panics(text in prop_oneof![
        "\\PC{0,200}",
        prop::collection::vec(prop_oneof![
            prop::sample::select(OTHER_ITEMS).prop_map(str::to_owned),
            prop::sample::select(vec![
                "#[cognito_trigger(", "#[cognito_trigger]", "#[cognito_trigger = 1]",
                "#[a::cognito_trigger(", ")]", "]", "pool = \"P\"", "trigger = PreSignUp",
                "trigger = CustomEmailSender", "kms_key_id = get_att(\"K\", \"Arn\")",
                "lambda_version = V1_0", ",", "async fn f(e: E) -> R {}", "fn g() {}",
                "mod m {", "}", "{", "(", "/*", "*/", "//", "\n", "r#\"", "\"#", "\"", "'a",
                "#![allow(x)]", "pub", "unsafe", "extern \"C\"", "impl X {", "\u{feff}",
                "#!/bin/sh\n", "\r", "\r\n", "0x", "1e", "b'", "'\\u{110000}'",
            ]).prop_map(str::to_owned),
            "\\PC{0,8}",
        ], 0..24).prop_map(|parts| parts.concat()),
    ]) {
        proc_macro2::extra::invalidate_current_thread_spans();
        match scan_binary("bin", "src/main.rs", &text) {
            Ok(scan) => {
                for function in scan.functions {
                    prop_assert!(!function.name.is_empty());
                    prop_assert!(function.location.line >= 1 && function.location.column >= 1);
                    prop_assert!(!function.declarations.is_empty());
                    for declared in &function.declarations {
                        prop_assert!(!declared.pool.is_empty());
                        prop_assert!(declared.location.line >= function.location.line);
                    }
                }
            }
            Err(error) => prop_assert!(!error.to_string().trim().is_empty(), "{text:?}"),
        }
    }
}

/// The fuzz target's check (shared with `fuzz/`), on every input of its
/// committed corpus: a seconds-long smoke run of the fuzzing in the normal
/// test run.
#[path = "../../fuzz/checks/macro_parser.rs"]
mod macro_parser;
#[path = "../../fuzz/checks/replay.rs"]
mod replay;

/// On a test thread's 2 MB stack, smaller than rustc's or a build script's
/// (8 MB): the parser and the scanner do not recurse on the input, so the
/// reproducers of the stack overflows fuzzing found (3,000 `<` or `||`,
/// moved back from fuzz/artifacts/) pass like any other input.
#[test]
fn the_macro_parser_corpus_passes() {
    replay::replay("macro_parser", 50, macro_parser::run);
}

/// Nesting far deeper than any source: a spanned error, or the function
/// found, never a stack overflow.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    for value in [
        format!("x{}", "<".repeat(depth)),
        format!("{}x", "|| ".repeat(depth)),
        format!("{}x{}", "(".repeat(depth), ")".repeat(depth)),
        format!(
            "get_att({}\"K\"{}, \"Arn\")",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    ] {
        let tokens = TokenStream::from_str(&format!("pool = \"P\", trigger = {value}")).unwrap();
        let mut errors = Errors::new();
        assert!(parse_arguments(tokens, Span::call_site(), &mut errors).is_none());
        assert_eq!(errors.len(), 1);
        let source = format!(
            "#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn f(e: {value}) -> R {{ {value} }}\n"
        );
        let functions = scan_binary("bin", "src/main.rs", &source)
            .unwrap()
            .functions;
        assert_eq!(functions.len(), 1);
        assert_eq!(functions[0].name, "f");
    }
}
