//! Generated packages of trigger functions, for the build-step figures
//! (`benches/build_step.rs`, `benchmarks/run.sh build`).
//!
//! A package of `declarations` spread over `pools` pools: pool `p` gets
//! `declarations / pools` triggers, the kinds of [`KINDS`] from the `p`-th
//! on (so every kind appears, and no pool has one trigger twice). The
//! declarations of one kind are grouped by up to [`POOLS_PER_FUNCTION`]
//! pools into one function, each in its own binary `src/bin/<name>.rs`,
//! with a realistic body (a few checks, logging, a helper and a test
//! module). Custom senders name their pool's KMS key, the same for both
//! senders of a pool.
//!
//! The same handlers can be written four ways ([`Variant`]), so a build with
//! the build step can be compared with the same package without it.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// A pool's triggers spread over functions of at most this many pools.
pub const POOLS_PER_FUNCTION: usize = 5;

/// One kind of trigger function: the trigger, the binary's name stem, the
/// event type and what the declaration adds after `trigger = ...`.
pub struct Kind {
    pub trigger: &'static str,
    pub stem: &'static str,
    pub event: &'static str,
    extra: fn(usize) -> String,
}

fn none(_: usize) -> String {
    String::new()
}

fn version_2(_: usize) -> String {
    ", lambda_version = V2_0".to_owned()
}

fn kms_key(pool: usize) -> String {
    format!(
        ", kms_key_id = \"arn:aws:kms:eu-west-1:111111111111:key/{pool:08x}-9abc-def0-1234-56789abcdef1\""
    )
}

/// Every trigger, in the order pools take them.
pub const KINDS: [Kind; 13] = [
    Kind {
        trigger: "PreSignUp",
        stem: "pre_sign_up",
        event: "PreSignUpEvent",
        extra: none,
    },
    Kind {
        trigger: "PostConfirmation",
        stem: "post_confirmation",
        event: "PostConfirmationEvent",
        extra: none,
    },
    Kind {
        trigger: "PreTokenGeneration",
        stem: "pre_token_generation",
        event: "PreTokenGenerationV2Event",
        extra: version_2,
    },
    Kind {
        trigger: "CustomMessage",
        stem: "custom_message",
        event: "CustomMessageEvent",
        extra: none,
    },
    Kind {
        trigger: "PreAuthentication",
        stem: "pre_authentication",
        event: "PreAuthenticationEvent",
        extra: none,
    },
    Kind {
        trigger: "PostAuthentication",
        stem: "post_authentication",
        event: "PostAuthenticationEvent",
        extra: none,
    },
    Kind {
        trigger: "UserMigration",
        stem: "user_migration",
        event: "UserMigrationEvent",
        extra: none,
    },
    Kind {
        trigger: "DefineAuthChallenge",
        stem: "define_auth_challenge",
        event: "DefineAuthChallengeEvent",
        extra: none,
    },
    Kind {
        trigger: "CreateAuthChallenge",
        stem: "create_auth_challenge",
        event: "CreateAuthChallengeEvent",
        extra: none,
    },
    Kind {
        trigger: "VerifyAuthChallengeResponse",
        stem: "verify_auth_challenge",
        event: "VerifyAuthChallengeResponseEvent",
        extra: none,
    },
    Kind {
        trigger: "CustomSMSSender",
        stem: "custom_sms_sender",
        event: "CustomSmsSenderEvent",
        extra: kms_key,
    },
    Kind {
        trigger: "CustomEmailSender",
        stem: "custom_email_sender",
        event: "CustomEmailSenderEvent",
        extra: kms_key,
    },
    Kind {
        trigger: "InboundFederation",
        stem: "inbound_federation",
        event: "InboundFederationEvent",
        extra: none,
    },
];

/// How many declarations over how many pools.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub declarations: usize,
    pub pools: usize,
}

impl Spec {
    /// `declarations` over 100 pools, or one pool each when fewer.
    pub fn across_100_pools(declarations: usize) -> Self {
        Self {
            declarations,
            pools: declarations.min(100),
        }
    }
}

/// One generated trigger function, in binary `bin`.
pub struct Handler {
    pub bin: String,
    pub kind: &'static Kind,
    pub pools: Vec<usize>,
}

/// The functions of a package of `spec`, sorted by binary.
pub fn handlers(spec: Spec) -> Vec<Handler> {
    assert!(spec.pools > 0 && spec.declarations % spec.pools == 0);
    let per_pool = spec.declarations / spec.pools;
    assert!(
        per_pool <= KINDS.len(),
        "a pool has at most one function per trigger"
    );
    let mut pools_of_kind: Vec<Vec<usize>> = vec![Vec::new(); KINDS.len()];
    for pool in 0..spec.pools {
        for slot in 0..per_pool {
            pools_of_kind[(pool + slot) % KINDS.len()].push(pool);
        }
    }
    let mut handlers = Vec::new();
    for (kind, pools) in KINDS.iter().zip(pools_of_kind) {
        for (index, chunk) in pools.chunks(POOLS_PER_FUNCTION).enumerate() {
            handlers.push(Handler {
                bin: format!("{}_{index:03}", kind.stem),
                kind,
                pools: chunk.to_vec(),
            });
        }
    }
    handlers.sort_by(|a, b| a.bin.cmp(&b.bin));
    handlers
}

pub fn pool_name(pool: usize) -> String {
    format!("TenantPool{pool:03}")
}

/// How the package's functions become Lambda binaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `#[cognito_trigger]` with the build step: `build.rs` and the
    /// build-dependency, as a real package of triggers.
    BuildStep,
    /// The same sources and macro without `build.rs` and the
    /// build-dependency; built with `COGNITO_TRIGGER_SKIP_MANIFEST=1`, the
    /// macro checks each declaration alone instead of against the manifest
    /// (what compile-fail harnesses do), and writes the same `main`.
    NoBuildStep,
    /// A trivial syn attribute macro (see [`write_trivial_macro`]) in place
    /// of `#[cognito_trigger]`: parses the function, re-emits it and a `main`.
    Trivial,
    /// No attribute: the function and an empty `main` naming it.
    Plain,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Self::BuildStep,
        Self::NoBuildStep,
        Self::Trivial,
        Self::Plain,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::BuildStep => "build_step",
            Self::NoBuildStep => "no_build_step",
            Self::Trivial => "trivial",
            Self::Plain => "plain",
        }
    }
}

/// The name of the trivial macro's crate, a sibling of the packages.
pub const TRIVIAL_CRATE: &str = "trivial-attribute";

/// Writes the package `name` of `spec` into `dir` (replacing its `src/`),
/// depending on the `cognito-trigger` crate at `runtime`. Returns its
/// functions.
pub fn write_package(
    dir: &Path,
    name: &str,
    spec: Spec,
    variant: Variant,
    runtime: &Path,
) -> io::Result<Vec<Handler>> {
    let handlers = handlers(spec);
    let runtime = runtime.display();
    let mut manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Its own workspace, wherever it is generated.\n[workspace]\n\n\
         [dependencies]\ncognito-trigger = {{ path = \"{runtime}\" }}\n"
    );
    match variant {
        Variant::BuildStep => write!(
            manifest,
            "\n[build-dependencies]\ncognito-trigger = {{ path = \"{runtime}\", default-features = false, features = [\"build\"] }}\n"
        )
        .expect("a String takes writes"),
        Variant::Trivial => writeln!(
            manifest,
            "{TRIVIAL_CRATE} = {{ path = \"../{TRIVIAL_CRATE}\" }}"
        )
        .expect("a String takes writes"),
        Variant::NoBuildStep | Variant::Plain => {}
    }
    if dir.join("src").exists() {
        std::fs::remove_dir_all(dir.join("src"))?;
    }
    std::fs::create_dir_all(dir.join("src/bin"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    let build_script = dir.join("build.rs");
    if variant == Variant::BuildStep {
        std::fs::write(
            build_script,
            "fn main() {\n    cognito_trigger::build::run();\n}\n",
        )?;
    } else if build_script.exists() {
        std::fs::remove_file(build_script)?;
    }
    for handler in &handlers {
        std::fs::write(
            dir.join(format!("src/bin/{}.rs", handler.bin)),
            source(handler, variant),
        )?;
    }
    Ok(handlers)
}

/// The trivial attribute macro's crate, in `dir`: syn, quote and
/// proc-macro2 as the workspace has them.
pub fn write_trivial_macro(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{TRIVIAL_CRATE}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
             [lib]\nproc-macro = true\n\n\
             [dependencies]\nproc-macro2 = \"1.0.95\"\nquote = \"1.0.40\"\n\
             syn = {{ version = \"2.0.100\", default-features = false, features = [\"parsing\", \"printing\", \"proc-macro\", \"full\"] }}\n"
        ),
    )?;
    std::fs::write(
        dir.join("src/lib.rs"),
        r#"//! The least an attribute writing a binary's `main` does: parse the
//! function with syn, re-emit it, and add a `main` that names it. Like
//! `#[cognito_trigger]`, the first of a function's attributes takes the
//! others along, so it runs once per function.

use proc_macro::TokenStream;
use quote::quote;

#[proc_macro_attribute]
pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    let _ = proc_macro2::TokenStream::from(args);
    let mut function = syn::parse_macro_input!(item as syn::ItemFn);
    function.attrs.retain(|a| !a.path().is_ident("cognito_trigger"));
    let name = &function.sig.ident;
    quote!(
        #function
        fn main() {
            let _ = #name;
        }
    )
    .into()
}
"#,
    )
}

/// A handler's source file. Its `REVISION` string is what the incremental
/// rebuild edits.
pub fn source(handler: &Handler, variant: Variant) -> String {
    let Handler { bin, kind, pools } = handler;
    let event = kind.event;
    let mut text = format!(
        "//! {} for {} pool(s), generated by benchmarks/src/build_step.rs.\n\n\
         use cognito_trigger::events::{event};\n",
        kind.trigger,
        pools.len()
    );
    text.push_str(match variant {
        Variant::BuildStep | Variant::NoBuildStep => {
            "use cognito_trigger::{Error, cognito_trigger, tracing};\n"
        }
        Variant::Trivial => {
            "use cognito_trigger::{Error, tracing};\nuse trivial_attribute::cognito_trigger;\n"
        }
        Variant::Plain => "use cognito_trigger::{Error, tracing};\n",
    });
    text.push_str(
        "\n/// Edited by the incremental-rebuild measurement.\nconst REVISION: &str = \"r0\";\n\
         const BLOCKED_DOMAINS: &[&str] = &[\"blocked.example\", \"spam.example\", \"tempmail.example\"];\n\n",
    );
    if variant != Variant::Plain {
        for &pool in pools {
            writeln!(
                text,
                "#[cognito_trigger(pool = \"{}\", trigger = {}{})]",
                pool_name(pool),
                kind.trigger,
                (kind.extra)(pool)
            )
            .expect("a String takes writes");
        }
    }
    write!(
        text,
        r#"async fn {bin}(event: {event}) -> Result<{event}, Error> {{
    let domain = domain_of(&event.user_name);
    if BLOCKED_DOMAINS.contains(&domain) {{
        return Err(Error::reject(format!("{{}} is not accepted here", domain)));
    }}
    if event.user_pool_id.is_empty() {{
        return Err(Error::internal("the event names no user pool"));
    }}
    tracing::info!(
        user = %event.user_name,
        pool = %event.user_pool_id,
        client = %event.caller_context.client_id,
        revision = REVISION,
        "{bin} handled"
    );
    Ok(event)
}}

/// The domain of a username that is an email address, else "".
fn domain_of(user_name: &str) -> &str {{
    user_name.rsplit_once('@').map_or("", |(_, domain)| domain)
}}
"#
    )
    .expect("a String takes writes");
    if variant == Variant::Plain {
        write!(text, "\nfn main() {{\n    let _ = {bin};\n}}\n").expect("a String takes writes");
    }
    text.push_str(
        r#"
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_domain() {
        assert_eq!(domain_of("jane@spam.example"), "spam.example");
        assert_eq!(domain_of("jane"), "");
    }
}
"#,
    );
    text
}

/// The declarations a package of `spec` holds.
pub fn declaration_count(handlers: &[Handler]) -> usize {
    handlers.iter().map(|h| h.pools.len()).sum()
}
