//! Generated packages of trigger functions, for the build-step figures
//! (`benches/build_step.rs`, `benchmarks/run.sh build`).
//!
//! A package of `declarations` spread over `pools` pools: pool `p` gets
//! `declarations / pools` triggers, the kinds of [`KINDS`] from the `p`-th
//! on (so every kind appears, and no pool has one trigger twice). A pool's
//! triggers are taken [`Spec::triggers_per_function`] at a time, and the
//! pools whose share is the same triggers are grouped by up to
//! [`POOLS_PER_FUNCTION`] into one function, each in its own binary
//! `src/bin/<name>.rs`, with a realistic body (a few checks, logging, a
//! helper and a test module). With one trigger per function, each function
//! is declared for one trigger on 1-5 pools; with every trigger of a pool
//! on one function, the pool needs one `AWS::Lambda::Permission`, which is
//! what lets 1,000 declarations fit in one stack ([`TemplateCounts`]).
//! Custom senders name their pool's KMS key, the same for both senders of a
//! pool.
//!
//! The same handlers can be written four ways ([`Variant`]), so a build with
//! the build step can be compared with the same package without it.

use cognito_trigger_core::trigger::{
    self, ANY_MARKER, Family, LambdaVersion, Trigger, handler_marker,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::sync::LazyLock;

/// The in-process figures' packages: [`Spec::across_100_pools`] of each.
pub const SIZES: [usize; 3] = [10, 100, 1000];

/// A pool's triggers spread over functions of at most this many pools.
pub const POOLS_PER_FUNCTION: usize = 5;

/// CloudFormation's quotas as the build step states them: its own
/// `runtime/src/build/limits.rs`, which `cognito-trigger` keeps private.
#[allow(dead_code)]
#[path = "../../runtime/src/build/limits.rs"]
mod limits;

/// Resources in one template: what `build::generate` accepts at most.
pub const RESOURCE_QUOTA: usize = limits::RESOURCES;

/// Outputs in one template: what `build::generate` accepts at most.
pub const OUTPUT_QUOTA: usize = limits::OUTPUTS;

/// One kind of trigger function: a trigger of core's catalogue, declared
/// at `version` (its default when `None`), in binaries named after `stem`.
pub struct Kind {
    pub trigger: Trigger,
    pub version: Option<LambdaVersion>,
    pub stem: &'static str,
}

impl Kind {
    const fn new(trigger: Trigger, stem: &'static str) -> Kind {
        Kind {
            trigger,
            version: None,
            stem,
        }
    }

    const fn at(self, version: LambdaVersion) -> Kind {
        Kind {
            version: Some(version),
            ..self
        }
    }

    /// The variant of `CognitoEvent` (and of the family's event type) that
    /// holds this trigger's event: its marker.
    pub fn variant(&self) -> &'static str {
        self.trigger.marker(self.version)
    }

    /// What the declaration adds after `trigger = ...` in pool `pool`: the
    /// event version, and for a custom sender the pool's KMS key.
    fn extra(&self, pool: usize) -> String {
        let mut extra = String::new();
        if let Some(version) = self.version {
            write!(extra, ", lambda_version = {version}").expect("a String takes writes");
        }
        if self.trigger.is_custom_sender() {
            write!(
                extra,
                ", kms_key_id = \"arn:aws:kms:eu-west-1:111111111111:key/{pool:08x}-9abc-def0-1234-56789abcdef1\""
            )
            .expect("a String takes writes");
        }
        extra
    }
}

/// Every trigger of the catalogue, in the order pools take them: each
/// family's side by side, so that a function of consecutive triggers can
/// take its family's event type. A trigger the catalogue gains does not
/// compile here until it is listed (and a test checks each is listed once).
pub const KINDS: [Kind; Trigger::ALL.len()] = {
    use LambdaVersion::V2_0;
    use Trigger::*;
    [
        Kind::new(PreSignUp, "pre_sign_up"),
        Kind::new(PostConfirmation, "post_confirmation"),
        Kind::new(PreTokenGeneration, "pre_token_generation").at(V2_0),
        Kind::new(CustomMessage, "custom_message"),
        Kind::new(PreAuthentication, "pre_authentication"),
        Kind::new(PostAuthentication, "post_authentication"),
        Kind::new(UserMigration, "user_migration"),
        Kind::new(DefineAuthChallenge, "define_auth_challenge"),
        Kind::new(CreateAuthChallenge, "create_auth_challenge"),
        Kind::new(VerifyAuthChallengeResponse, "verify_auth_challenge"),
        Kind::new(CustomSMSSender, "custom_sms_sender"),
        Kind::new(CustomEmailSender, "custom_email_sender"),
        Kind::new(InboundFederation, "inbound_federation"),
    ]
};

/// The event type of `marker` (core's [`trigger::event_type`]), made once
/// for every marker of the catalogue, so that [`Handler::event`] is a
/// `&'static str` like the rest of a handler's names.
fn event_type(marker: &str) -> &'static str {
    static EVENT_TYPES: LazyLock<BTreeMap<&str, String>> = LazyLock::new(|| {
        let events = Trigger::ALL
            .into_iter()
            .flat_map(|t| t.row().events.iter().map(move |e| t.marker(e.version)));
        let families = Trigger::ALL
            .into_iter()
            .filter_map(|t| t.row().family.map(Family::marker));
        events
            .chain(families)
            .chain([ANY_MARKER])
            .map(|marker| (marker, trigger::event_type(marker)))
            .collect()
    });
    &EVENT_TYPES[marker]
}

/// How many declarations over how many pools, and how a pool's triggers
/// are spread over functions.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub declarations: usize,
    pub pools: usize,
    /// How many of a pool's triggers one function takes: 1 gives one
    /// function per trigger (each on up to [`POOLS_PER_FUNCTION`] pools);
    /// `declarations / pools` puts every trigger of a pool on one function.
    pub triggers_per_function: usize,
}

impl Spec {
    /// `declarations` over 100 pools, or one pool each when fewer, every
    /// trigger of a pool on one function: the in-process figures' packages
    /// (10, 100 and 1,000 declarations), which CloudFormation takes as one
    /// stack. Up to 100 declarations that is one trigger per pool, as with
    /// [`Spec::one_trigger_per_function`].
    pub fn across_100_pools(declarations: usize) -> Self {
        let pools = declarations.clamp(1, 100);
        Self {
            declarations,
            pools,
            triggers_per_function: declarations.div_ceil(pools),
        }
    }

    /// `declarations` over `pools`, one function per trigger, each on up to
    /// [`POOLS_PER_FUNCTION`] pools: the rebuild and expansion figures'
    /// package (24 declarations over 2 pools, 13 binaries). At 1,000
    /// declarations over 100 pools this was the in-process figures' package
    /// once, with 1,756 resources, which the build step now refuses.
    pub fn one_trigger_per_function(declarations: usize, pools: usize) -> Self {
        Self {
            declarations,
            pools,
            triggers_per_function: 1,
        }
    }
}

/// One generated trigger function, in binary `bin`: declared for every
/// trigger of `kinds` on every pool of `pools`.
pub struct Handler {
    pub bin: String,
    /// Its triggers, in the order the pools take them.
    pub kinds: Vec<&'static Kind>,
    pub pools: Vec<usize>,
}

impl Handler {
    /// The marker of the event type the function takes: its trigger's own,
    /// its family's when all its triggers belong to one, else `Cognito`.
    pub fn marker(&self) -> &'static str {
        let declared: Vec<_> = self.kinds.iter().map(|k| (k.trigger, k.version)).collect();
        handler_marker(&declared)
    }

    /// The event type the function takes (that of [`Handler::marker`]).
    pub fn event(&self) -> &'static str {
        event_type(self.marker())
    }

    /// Whether the function takes one of the enums of several triggers'
    /// events, and so reads the event's common fields through a `match`.
    pub fn takes_enum(&self) -> bool {
        self.kinds.len() > 1
    }

    /// The `#[cognito_trigger]` attributes it carries.
    pub fn declarations(&self) -> usize {
        self.kinds.len() * self.pools.len()
    }
}

/// The functions of a package of `spec`, sorted by binary.
pub fn handlers(spec: Spec) -> Vec<Handler> {
    assert!(spec.pools > 0 && spec.declarations % spec.pools == 0);
    assert!(spec.triggers_per_function > 0);
    let per_pool = spec.declarations / spec.pools;
    assert!(
        per_pool <= KINDS.len(),
        "a pool has at most one function per trigger"
    );
    // A share of a pool's triggers: its first kind and how many follow.
    let mut pools_of_share: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for pool in 0..spec.pools {
        for first in (0..per_pool).step_by(spec.triggers_per_function) {
            let count = spec.triggers_per_function.min(per_pool - first);
            pools_of_share
                .entry(((pool + first) % KINDS.len(), count))
                .or_default()
                .push(pool);
        }
    }
    let mut handlers = Vec::new();
    for ((first, count), pools) in pools_of_share {
        let kinds: Vec<&'static Kind> = (first..first + count)
            .map(|k| &KINDS[k % KINDS.len()])
            .collect();
        let stem = match count {
            1 => kinds[0].stem.to_owned(),
            _ => format!("{}_and_{}_more", kinds[0].stem, count - 1),
        };
        for (index, chunk) in pools.chunks(POOLS_PER_FUNCTION).enumerate() {
            handlers.push(Handler {
                bin: format!("{stem}_{index:03}"),
                kinds: kinds.clone(),
                pools: chunk.to_vec(),
            });
        }
    }
    handlers.sort_by(|a, b| a.bin.cmp(&b.bin));
    handlers
}

/// What the template of a package holds, counted from its functions the
/// way the build step generates it (`runtime/src/build/template.rs`): per
/// pool an `AWS::Cognito::UserPool` and two outputs (its ID and ARN); per
/// function an `AWS::Lambda::Function`, its role and its log group, and a
/// dead-letter queue when it has a custom sender; per pool and function on
/// it, whatever the number of its triggers there, an
/// `AWS::Lambda::Permission`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateCounts {
    pub pools: usize,
    pub functions: usize,
    pub queues: usize,
    pub permissions: usize,
    pub resources: usize,
    pub outputs: usize,
}

impl TemplateCounts {
    pub fn of(handlers: &[Handler]) -> Self {
        let pools: BTreeSet<usize> = handlers.iter().flat_map(|h| h.pools.clone()).collect();
        let functions = handlers.len();
        let queues = handlers
            .iter()
            .filter(|h| h.kinds.iter().any(|k| k.trigger.is_custom_sender()))
            .count();
        let permissions = handlers.iter().map(|h| h.pools.len()).sum();
        Self {
            pools: pools.len(),
            functions,
            queues,
            permissions,
            resources: pools.len() + 3 * functions + queues + permissions,
            outputs: 2 * pools.len(),
        }
    }

    /// Whether CloudFormation takes the template as one stack (and so the
    /// build step writes it): at most [`RESOURCE_QUOTA`] resources and
    /// [`OUTPUT_QUOTA`] outputs.
    pub fn within_quotas(&self) -> bool {
        self.resources <= RESOURCE_QUOTA && self.outputs <= OUTPUT_QUOTA
    }
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
/// rebuild edits. A function of one trigger reads the event's common fields
/// directly; one of several, through a `match` on its triggers' variants.
pub fn source(handler: &Handler, variant: Variant) -> String {
    let Handler { bin, kinds, pools } = handler;
    let marker = handler.marker();
    let event = handler.event();
    let triggers: Vec<&str> = kinds.iter().map(|k| k.trigger.name()).collect();
    let mut text = format!(
        "//! {} for {} pool(s), generated by benchmarks/src/build_step.rs.\n\n\
         use cognito_trigger::events::{event};\n",
        triggers.join(", "),
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
            for kind in kinds {
                writeln!(
                    text,
                    "#[cognito_trigger(pool = \"{}\", trigger = {}{})]",
                    pool_name(pool),
                    kind.trigger,
                    kind.extra(pool)
                )
                .expect("a String takes writes");
            }
        }
    }
    writeln!(
        text,
        "async fn {bin}(event: {event}) -> Result<{event}, Error> {{"
    )
    .expect("a String takes writes");
    // How the body reaches the user name, the pool ID and the client ID.
    let [user_ref, user, pool, client] = if handler.takes_enum() {
        text.push_str("    let (user_name, user_pool_id, client_id) = match &event {\n");
        for kind in kinds {
            writeln!(
                text,
                "        {event}::{}(e) => (&e.user_name, &e.user_pool_id, &e.caller_context.client_id),",
                kind.variant()
            )
            .expect("a String takes writes");
        }
        // CognitoEvent has a variant per trigger and event version; a
        // family's event type, one per trigger of the family.
        let every_variant = kinds[0].trigger.row().family.is_some_and(|family| {
            let in_family = Trigger::ALL
                .iter()
                .filter(|t| t.row().family == Some(family));
            family.marker() == marker && in_family.count() == kinds.len()
        });
        if !every_variant {
            text.push_str(
                "        _ => return Err(Error::internal(\"a trigger this function is not declared for\")),\n",
            );
        }
        text.push_str("    };\n");
        ["user_name", "user_name", "user_pool_id", "client_id"]
    } else {
        [
            "&event.user_name",
            "event.user_name",
            "event.user_pool_id",
            "event.caller_context.client_id",
        ]
    };
    write!(
        text,
        r#"    let domain = domain_of({user_ref});
    if BLOCKED_DOMAINS.contains(&domain) {{
        return Err(Error::reject(format!("{{}} is not accepted here", domain)));
    }}
    if {pool}.is_empty() {{
        return Err(Error::internal("the event names no user pool"));
    }}
    tracing::info!(
        user = %{user},
        pool = %{pool},
        client = %{client},
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
    handlers.iter().map(Handler::declarations).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_the_catalogue_once_each() {
        let mut listed: Vec<Trigger> = KINDS.iter().map(|k| k.trigger).collect();
        listed.sort();
        assert_eq!(listed, Trigger::ALL);
    }
}
