//! `cognito-trigger.lock`, beside the package's Cargo.toml and committed
//! with it as Cargo.lock is: the user pools the package's stack creates,
//! each with the logical ID it keeps and the settings it cannot change (and
//! the same for its app clients). A deployed pool holds every account of its
//! users and cannot be restored, so the build refuses an edit of the
//! sources whose template would delete or replace a recorded pool or client
//! (a rename, a removed last handler, an unchangeable setting changed), and
//! names the ways out, each said in words in Cargo.toml: `renamed_from`,
//! `retired`, a section that keeps a pool without handlers. What a build
//! adds is recorded; the file is rewritten only when it changes.

use super::graph::Overrides;
use super::ids::PoolIds;
use super::node::{Map, Node};
use super::problem::{self, CARGO_TOML, Problem};
use super::settings::{ClientSettings, PoolSettings, Settings, metadata_path};
use super::unchangeable::{self, Additions, Unchangeable};
use cognito_trigger_core::naming::pool_logical_id;
use cognito_trigger_core::suggest::{Quoted, hint};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The lock's file name, in the package's directory.
pub const LOCK_FILE: &str = "cognito-trigger.lock";

/// The format this build reads and writes.
const VERSION: i64 = 1;

const HEADER: &str = "# Written by the cognito-trigger build step: the user pools and app clients\n# this package's stack creates. Commit it with the sources: the build refuses\n# an edit that would delete or replace one of them (see the README, \"Pools\n# are data\").\n";

/// What the lock records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lock {
    /// By pool name.
    pub pools: BTreeMap<String, Locked>,
}

/// A recorded pool or client.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Locked {
    pub logical_id: String,
    /// Left the template on purpose (`retired = true`).
    pub retired: bool,
    /// The values of its unchangeable properties; an absent one was unset.
    pub unchangeable: BTreeMap<String, Value>,
    /// A pool's app clients, by name (none for a client).
    pub clients: BTreeMap<String, Locked>,
}

impl Lock {
    fn active(&self) -> impl Iterator<Item = (&String, &Locked)> {
        self.pools.iter().filter(|(_, pool)| !pool.retired)
    }

    /// Whether `name` is a recorded pool's, or gives a recorded pool's ID.
    fn knows(&self, name: &str) -> bool {
        self.active().any(|(recorded, _)| recorded == name)
            || self.by_id(&pool_logical_id(name)).is_some()
    }

    /// The recorded pool whose logical ID is `id`, if still in the stack.
    fn by_id(&self, id: &str) -> Option<(&String, &Locked)> {
        self.active().find(|(_, pool)| pool.logical_id == id)
    }
}

/// The lock in `dir`, if there is one.
pub fn read(dir: &Path) -> Result<Option<Lock>, Vec<Problem>> {
    let text = match std::fs::read_to_string(dir.join(LOCK_FILE)) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(vec![Problem::in_file(
                LOCK_FILE,
                format!("cannot read it: {error}"),
            )]);
        }
    };
    parse(&text).map(Some).map_err(|mut problems| {
        problem::locate_toml(&mut problems, LOCK_FILE, &text);
        problems
    })
}

/// Reads the lock's text; every problem says how to recover.
fn parse(text: &str) -> Result<Lock, Vec<Problem>> {
    const RESTORE: &str = "the build step writes this file: restore it from version control";
    let table: toml::Table = toml::from_str(text).map_err(|error| {
        let problem = Problem::in_file(LOCK_FILE, format!("{}; {RESTORE}", error.message()));
        vec![match error.span() {
            Some(span) => problem.at_offset(text, span.start),
            None => problem,
        }]
    })?;
    let mut problems = Vec::new();
    let mut wrong = |path: Vec<&str>, what: &str| {
        problems.push(Problem::new(
            LOCK_FILE,
            path.into_iter().map(String::from).collect(),
            format!("{what}; {RESTORE}"),
        ));
    };
    match table.get("version").and_then(toml::Value::as_integer) {
        Some(VERSION) => {}
        Some(other) => wrong(
            vec!["version"],
            &format!(
                "version {other} is not one this cognito-trigger reads (version {VERSION}): build with the cognito-trigger that wrote it, or a newer one"
            ),
        ),
        None => wrong(vec!["version"], "expected `version = 1`"),
    }
    // A key the build does not write is a hand edit that would switch
    // protection off unseen (a `[pool.X]` for `[pools.X]`).
    let mut unknown = |path: Vec<&str>, table: &toml::Table, known: &[&str]| {
        for key in table.keys().filter(|k| !known.contains(&k.as_str())) {
            let mut at = path.clone();
            at.push(key);
            wrong(at, &format!("unknown key `{key}`"));
        }
    };
    unknown(Vec::new(), &table, &["version", "pools"]);
    const ENTRY: [&str; 4] = ["logical_id", "retired", "unchangeable", "clients"];
    for (name, pool) in tables(table.get("pools")) {
        unknown(vec!["pools", name], pool, &ENTRY);
        for (client, value) in tables(pool.get("clients")) {
            unknown(vec!["pools", name, "clients", client], value, &ENTRY[..3]);
        }
    }
    let mut lock = Lock::default();
    for (name, pool) in tables(table.get("pools")) {
        let Some(mut entry) = locked(pool) else {
            wrong(vec!["pools", name], "expected a table with `logical_id`");
            continue;
        };
        for (client, value) in tables(pool.get("clients")) {
            match locked(value) {
                Some(client_entry) => {
                    entry.clients.insert(client.clone(), client_entry);
                }
                None => wrong(
                    vec!["pools", name, "clients", client],
                    "expected a table with `logical_id`",
                ),
            }
        }
        lock.pools.insert(name.clone(), entry);
    }
    if problems.is_empty() {
        Ok(lock)
    } else {
        Err(problems)
    }
}

/// The entries of the table `value`; an entry that is no table reads as an
/// empty one, which has no `logical_id` and is refused.
fn tables(value: Option<&toml::Value>) -> impl Iterator<Item = (&String, &toml::Table)> {
    static EMPTY: std::sync::OnceLock<toml::Table> = std::sync::OnceLock::new();
    value
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            (
                key,
                value
                    .as_table()
                    .unwrap_or_else(|| EMPTY.get_or_init(toml::Table::new)),
            )
        })
}

fn locked(table: &toml::Table) -> Option<Locked> {
    let logical_id = table.get("logical_id")?.as_str()?.to_owned();
    let retired = match table.get("retired") {
        None => false,
        Some(value) => value.as_bool()?,
    };
    let unchangeable = match table.get("unchangeable") {
        None => BTreeMap::new(),
        Some(value) => value
            .as_table()?
            .iter()
            .map(|(key, value)| Some((key.clone(), serde_json::to_value(value).ok()?)))
            .collect::<Option<_>>()?,
    };
    Some(Locked {
        logical_id,
        retired,
        unchangeable,
        clients: BTreeMap::new(),
    })
}

/// The lock's text, comments and all.
pub fn render(lock: &Lock) -> String {
    let mut root = toml::Table::new();
    root.insert("version".into(), VERSION.into());
    let mut pools = toml::Table::new();
    for (name, pool) in &lock.pools {
        let mut table = entry(pool);
        if !pool.clients.is_empty() {
            let clients = pool
                .clients
                .iter()
                .map(|(name, client)| (name.clone(), toml::Value::Table(entry(client))))
                .collect();
            table.insert("clients".into(), toml::Value::Table(clients));
        }
        pools.insert(name.clone(), toml::Value::Table(table));
    }
    root.insert("pools".into(), toml::Value::Table(pools));
    let body = toml::to_string(&root).expect("a table of strings, booleans and JSON values");
    format!("{HEADER}\n{body}")
}

fn entry(locked: &Locked) -> toml::Table {
    let mut table = toml::Table::new();
    table.insert("logical_id".into(), locked.logical_id.clone().into());
    if locked.retired {
        table.insert("retired".into(), true.into());
    }
    if !locked.unchangeable.is_empty() {
        let values = locked
            .unchangeable
            .iter()
            .filter_map(|(key, value)| Some((key.clone(), toml::Value::try_from(value).ok()?)))
            .collect();
        table.insert("unchangeable".into(), toml::Value::Table(values));
    }
    table
}

/// The logical IDs that created pools and their clients keep: the one
/// `renamed_from` names, else the one the lock recorded for the name, else
/// the one the name gives.
pub struct Keep<'a> {
    pub lock: Option<&'a Lock>,
    pub settings: &'a Settings,
    /// The pools this build creates, by name.
    pub created: Vec<&'a str>,
}

impl Keep<'_> {
    /// The IDs of created pool `name`.
    pub fn pool(&self, name: &str) -> PoolIds {
        let settings = self.settings.pools.get(name);
        // A `renamed_from` the lock does not know is reported as such, and
        // not again as a vanished pool.
        let kept = settings
            .and_then(|s| s.renamed_from.as_deref())
            .filter(|from| self.lock.is_none_or(|lock| lock.knows(from)))
            .unwrap_or(name);
        if let Some(pool) = self.recorded(kept) {
            return PoolIds::with_id(pool.logical_id.clone());
        }
        // A new pool whose name gives the ID a renamed pool keeps (a new
        // `Customers` after `Customers` became `Clients`) gets the next free
        // one, which the lock then keeps.
        let base = pool_logical_id(kept);
        let taken = |id: &str| {
            self.lock.is_some_and(|lock| {
                lock.by_id(id).is_some_and(|(holder, _)| {
                    holder != name && self.created.contains(&holder.as_str())
                })
            })
        };
        let id = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|id| !taken(id))
            .expect("an unbounded sequence has a free ID");
        PoolIds::with_id(id)
    }

    /// The logical ID of client `name` of the pool whose IDs are `pool`.
    pub fn client(&self, pool: &PoolIds, pool_name: &str, name: &str) -> String {
        let settings = self
            .settings
            .pools
            .get(pool_name)
            .and_then(|p| p.clients.get(name));
        let kept = settings
            .and_then(|c| c.renamed_from.as_deref())
            .unwrap_or(name);
        self.lock
            .and_then(|lock| lock.by_id(&pool.pool))
            .and_then(|(_, locked)| locked.clients.get(kept))
            .filter(|client| !client.retired)
            .map_or_else(|| pool.client(kept), |client| client.logical_id.clone())
    }

    fn recorded(&self, name: &str) -> Option<&Locked> {
        self.lock?.pools.get(name).filter(|pool| !pool.retired)
    }
}

/// Whether the lock records pool `name` (in the stack or retired), or the
/// pool its section says it is `renamed_from`: its settings section is then
/// no typo, and keeps the pool without handlers.
pub fn records(lock: Option<&Lock>, name: &str, section: Option<&PoolSettings>) -> bool {
    lock.is_some_and(|lock| {
        lock.pools.contains_key(name)
            || section
                .and_then(|s| s.renamed_from.as_deref())
                .is_some_and(|from| lock.knows(from))
    })
}

/// A pool the template creates, as this build made it.
pub struct Created {
    pub name: String,
    /// Whether a declaration has it (else a settings section keeps it).
    pub declared: bool,
    pub ids: PoolIds,
    /// `(name, logical ID)` of each of its clients.
    pub clients: Vec<(String, String)>,
}

/// The lock after this build: the created pools and clients with the values
/// of their unchangeable properties in `template`, and the retired ones
/// (kept, so that a retired pool's settings section is never a typo).
pub fn record(
    template: &Map,
    created: &[Created],
    old: Option<&Lock>,
    settings: &Settings,
) -> Lock {
    let mut lock = Lock::default();
    for pool in created {
        let mut locked = Locked {
            logical_id: pool.ids.pool.clone(),
            unchangeable: values(template, &pool.ids.pool, &unchangeable::POOL),
            ..Locked::default()
        };
        for (name, id) in &pool.clients {
            locked.clients.insert(
                name.clone(),
                Locked {
                    logical_id: id.clone(),
                    unchangeable: values(template, id, &unchangeable::CLIENT),
                    ..Locked::default()
                },
            );
        }
        // Retired clients stay recorded, as retired pools do.
        if let Some((_, before)) = old.and_then(|old| old.by_id(&pool.ids.pool)) {
            for (name, client) in &before.clients {
                let here = locked
                    .clients
                    .values()
                    .any(|c| c.logical_id == client.logical_id);
                if !here
                    && (client.retired
                        || client_settings(settings, &pool.name, name).and_then(|c| c.retired)
                            == Some(true))
                {
                    locked.clients.insert(name.clone(), retired(client));
                }
            }
        }
        lock.pools.insert(pool.name.clone(), locked);
    }
    for (name, pool) in old.map(|old| &old.pools).into_iter().flatten() {
        let here = lock.pools.contains_key(name)
            || lock.pools.values().any(|p| p.logical_id == pool.logical_id);
        if !here && (pool.retired || PoolSettings::is_retired(settings.pools.get(name))) {
            lock.pools.insert(name.clone(), retired(pool));
        }
    }
    lock
}

fn retired(locked: &Locked) -> Locked {
    Locked {
        logical_id: locked.logical_id.clone(),
        retired: true,
        ..Locked::default()
    }
}

fn client_settings<'a>(
    settings: &'a Settings,
    pool: &str,
    client: &str,
) -> Option<&'a ClientSettings> {
    settings.pools.get(pool)?.clients.get(client)
}

/// The values of `properties` of resource `id` in `template`.
fn values(template: &Map, id: &str, properties: &[Unchangeable]) -> BTreeMap<String, Value> {
    let Some(Node::Map(resources)) = template.get("Resources") else {
        return BTreeMap::new();
    };
    let Some(Node::Map(resource)) = resources.get(id) else {
        return BTreeMap::new();
    };
    let Some(Node::Map(given)) = resource.get("Properties") else {
        return BTreeMap::new();
    };
    properties
        .iter()
        .filter_map(|p| {
            // A null is no value, as CloudFormation reads it (and TOML has none).
            let value = serde_json::to_value(given.get(p.property)?).ok()?;
            (!value.is_null()).then(|| (p.property.to_owned(), value))
        })
        .collect()
}

/// Where a problem with the build's settings goes, and what the template
/// was merged from.
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub overrides: Option<&'a Overrides<'a>>,
    /// The pools the template creates.
    pub created: &'a [Created],
}

/// Every way this build would lose what `old` records, each with its way
/// out, and the misuses of those ways out.
pub fn check(old: &Lock, new: &Lock, context: &Context) -> Vec<Problem> {
    let mut problems = Vec::new();
    unknown_renames(old, new, context, &mut problems);
    // A `renamed_from` that names nothing recorded is the one mistake:
    // what it meant would be reported again as vanished.
    let renames_known = problems.is_empty();
    if renames_known {
        vanished_pools(old, new, context, &mut problems);
        kept_beside_new_pools(old, new, context, &mut problems);
    }
    for (name, pool) in new.active() {
        if let Some((old_name, before)) = old.by_id(&pool.logical_id) {
            changed(before, pool, name, None, old_name, context, &mut problems);
            if renames_known {
                vanished_clients(before, pool, name, old_name, context, &mut problems);
            }
        }
    }
    problems
}

/// The names of the pools in the stack by `lock` whose logical IDs `other`
/// does not have: the new ones of a build, or the ones it would lose.
fn only_in<'a>(lock: &'a Lock, other: &Lock) -> Vec<&'a str> {
    lock.active()
        .filter(|(_, pool)| other.by_id(&pool.logical_id).is_none())
        .map(|(name, _)| name.as_str())
        .collect()
}

/// A recorded pool missing from the template would be deleted by the next
/// deploy (or, retained, leave the stack while a renamed one starts empty).
fn vanished_pools(old: &Lock, new: &Lock, context: &Context, problems: &mut Vec<Problem>) {
    let added = only_in(new, old);
    for (name, pool) in old.active() {
        if new.by_id(&pool.logical_id).is_some()
            || PoolSettings::is_retired(context.settings.pools.get(name))
        {
            continue;
        }
        let section = pool_section(name);
        let renamed = match &added[..] {
            [] => format!(
                "If you renamed it, add `renamed_from = \"{name}\"` under the new name's [package.metadata.cognito-trigger.pools.<new name>]"
            ),
            [new_name] => format!(
                "If it is now \"{new_name}\", add `renamed_from = \"{name}\"` under {}",
                pool_section(new_name)
            ),
            several => format!(
                "If you renamed it ({}), add `renamed_from = \"{name}\"` under the new name's section",
                hint(name, several, Quoted::Value, "one of")
            ),
        };
        problems.push(Problem::on_key(
            LOCK_FILE,
            vec!["pools".into(), name.clone()],
            format!(
                "user pool \"{name}\" ({}) is no longer in the template: a deploy would take it out of the stack and, unless it is retained, delete it with every user in it. {renamed} (it keeps its logical ID, and CloudFormation renames the pool in place); to keep it without handlers, add a {section} section; to let it go, set `retired = true` in that section (the account keeps it unless `retain = false`)",
                pool.logical_id
            ),
        ));
    }
}

/// A recorded pool that lost its last handler while a new pool appears
/// looks like a rename whose `renamed_from` is missing: its section (kept
/// for its settings) would keep it without triggers, and the renamed pool
/// would start empty. `keep = true` says both pools are meant.
fn kept_beside_new_pools(old: &Lock, new: &Lock, context: &Context, problems: &mut Vec<Problem>) {
    let added = only_in(new, old);
    if added.is_empty() {
        return;
    }
    for created in context.created.iter().filter(|c| !c.declared) {
        let section = context.settings.pools.get(&created.name);
        if section.and_then(|s| s.keep) == Some(true) || old.by_id(&created.ids.pool).is_none() {
            continue;
        }
        let name = &created.name;
        problems.push(Problem::on_key(
            CARGO_TOML,
            metadata_path(&["pools", name]),
            format!(
                "user pool \"{name}\" has no #[cognito_trigger] declaration left, and {} new: if you renamed it, add `renamed_from = \"{name}\"` under the new name's section (and move this section's settings there), so that the pool and its users keep their logical ID; to keep \"{name}\" without triggers beside the new pool, add `keep = true` here",
                match &added[..] {
                    [one] => format!("\"{one}\" is"),
                    several => format!("{} are", several.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")),
                }
            ),
        ));
    }
}

/// `renamed_from` must name what the lock records, or it keeps nothing.
fn unknown_renames(old: &Lock, new: &Lock, context: &Context, problems: &mut Vec<Problem>) {
    // The likeliest meant: the recorded pools this build would lose.
    let vanished = only_in(old, new);
    let recorded: Vec<&str> = if vanished.is_empty() {
        old.active().map(|(name, _)| name.as_str()).collect()
    } else {
        vanished
    };
    for (name, pool) in &context.settings.pools {
        if let Some(from) = &pool.renamed_from
            && !old.knows(from)
        {
            problems.push(Problem::new(
                CARGO_TOML,
                metadata_path(&["pools", name, "renamed_from"]),
                format!(
                    "{LOCK_FILE} records no user pool \"{from}\" in the stack: {}",
                    hint(from, &recorded, Quoted::Value, "it records")
                ),
            ));
        }
        let Some((_, locked)) = new.by_id(&keep_id(new, name)) else {
            continue;
        };
        let before = old.by_id(&locked.logical_id).map(|(_, b)| b);
        for (client, settings) in &pool.clients {
            if let Some(from) = &settings.renamed_from
                && before.is_none_or(|b| b.clients.get(from).is_none_or(|c| c.retired))
            {
                let known: Vec<&str> = before
                    .map(|b| b.clients.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                problems.push(Problem::new(
                    CARGO_TOML,
                    metadata_path(&["pools", name, "clients", client, "renamed_from"]),
                    format!(
                        "{LOCK_FILE} records no app client \"{from}\" of user pool \"{name}\": {}",
                        hint(from, &known, Quoted::Value, "it records")
                    ),
                ));
            }
        }
    }
}

/// The logical ID pool `name` has in `lock` (the one just recorded).
fn keep_id(lock: &Lock, name: &str) -> String {
    lock.pools
        .get(name)
        .map_or_else(|| pool_logical_id(name), |pool| pool.logical_id.clone())
}

/// A recorded client missing from the template would be deleted, and every
/// app configured with its ID would stop signing in.
fn vanished_clients(
    before: &Locked,
    now: &Locked,
    pool: &str,
    old_pool: &str,
    context: &Context,
    problems: &mut Vec<Problem>,
) {
    for (name, client) in before.clients.iter().filter(|(_, c)| !c.retired) {
        let here = now
            .clients
            .values()
            .any(|c| c.logical_id == client.logical_id);
        let retired =
            client_settings(context.settings, pool, name).and_then(|c| c.retired) == Some(true);
        if here || retired {
            continue;
        }
        let section = format!(
            "[package.metadata.cognito-trigger.pools.{}.clients.{}]",
            problem::quoted_key(pool),
            problem::quoted_key(name)
        );
        problems.push(Problem::on_key(
            LOCK_FILE,
            vec!["pools".into(), old_pool.to_owned(), "clients".into(), name.clone()],
            format!(
                "app client \"{name}\" of user pool \"{pool}\" ({}) is no longer in the template: a deploy would delete it, and every app configured with its ID would stop signing in. If you renamed it, add `renamed_from = \"{name}\"` under the new name's section (it keeps its logical ID and ID); to let it go, set `retired = true` in {section}",
                client.logical_id
            ),
        ));
    }
}

/// Compares what `before` recorded with `now`: a pool's properties, or with
/// `client` a client's.
fn changed(
    before: &Locked,
    now: &Locked,
    pool: &str,
    client: Option<&str>,
    old_pool: &str,
    context: &Context,
    problems: &mut Vec<Problem>,
) {
    let properties: &[Unchangeable] = if client.is_some() {
        &unchangeable::CLIENT
    } else {
        &unchangeable::POOL
    };
    for property in properties {
        let (old, new) = (
            before.unchangeable.get(property.property),
            now.unchangeable.get(property.property),
        );
        if !differs(property.additions, old, new) {
            continue;
        }
        let what = match client {
            Some(client) => format!("app client \"{client}\" of user pool \"{pool}\""),
            None => format!("user pool \"{pool}\""),
        };
        let shown = |value: Option<&Value>| value.map_or("unset".to_owned(), |v| format!("`{v}`"));
        let message = format!(
            "{} of {what} cannot change once it exists ({}): {LOCK_FILE} records {}, and the template would make it {}. Set it back; for other settings, declare {} under a new name",
            property.property,
            property.why,
            shown(old),
            shown(new),
            if client.is_some() {
                "a client"
            } else {
                "a pool (and move the users over with a UserMigration trigger)"
            },
        );
        problems.push(place(
            property,
            pool,
            client,
            old_pool,
            &now.logical_id,
            context,
            message,
        ));
    }
    if client.is_none() {
        for (name, client_now) in now.clients.iter().filter(|(_, c)| !c.retired) {
            if let Some(client_before) = before
                .clients
                .values()
                .find(|c| !c.retired && c.logical_id == client_now.logical_id)
            {
                changed(
                    client_before,
                    client_now,
                    pool,
                    Some(name),
                    old_pool,
                    context,
                    problems,
                );
            }
        }
    }
}

/// Whether `new` differs from `old` in a way `additions` does not allow.
fn differs(additions: Additions, old: Option<&Value>, new: Option<&Value>) -> bool {
    if old == new {
        return false;
    }
    if additions == Additions::None {
        return true;
    }
    let entries = |value: Option<&Value>| -> Vec<Value> {
        match value {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        }
    };
    let (old, new) = (entries(old), entries(new));
    let kept = old.iter().all(|entry| new.contains(entry));
    let added_optional = new
        .iter()
        .filter(|entry| !old.contains(entry))
        .all(|entry| {
            let name = &entry["Name"];
            entry["Required"] != Value::Bool(true)
                && !name
                    .as_str()
                    .is_some_and(|n| unchangeable::STANDARD_ATTRIBUTES.contains(&n))
                && !old.iter().any(|before| before["Name"] == *name)
        });
    !(kept && added_optional)
}

/// The problem at the setting that sets `property`, else where the overrides
/// set it, else at the lock's record of it.
fn place(
    property: &Unchangeable,
    pool: &str,
    client: Option<&str>,
    old_pool: &str,
    id: &str,
    context: &Context,
    message: String,
) -> Problem {
    let settings = context.settings.pools.get(pool);
    let set_here = match (property.setting, client) {
        (Some(setting), None) => settings.is_some_and(|s| s.given.contains(setting)),
        (Some(setting), Some(client)) => settings
            .and_then(|s| s.clients.get(client))
            .is_some_and(|c| c.given.contains(setting)),
        (None, _) => false,
    };
    if let Some(setting) = property.setting.filter(|_| set_here) {
        let mut path = vec!["pools", pool];
        if let Some(client) = client {
            path.extend(["clients", client]);
        }
        path.push(setting);
        return Problem::new(CARGO_TOML, metadata_path(&path), message);
    }
    let template_path: Vec<String> = ["Resources", id, "Properties", property.property]
        .map(String::from)
        .to_vec();
    if Overrides::has(context.overrides, &template_path) {
        return Overrides::problem(context.overrides, template_path, message);
    }
    let mut path = vec!["pools".to_owned(), old_pool.to_owned()];
    if let Some(client) = client {
        path.extend(["clients".to_owned(), client.to_owned()]);
    }
    path.push("unchangeable".into());
    Problem::new(LOCK_FILE, path, message)
}

/// `[package.metadata.cognito-trigger.pools.<name>]`, quoted as TOML needs.
fn pool_section(name: &str) -> String {
    format!(
        "[package.metadata.cognito-trigger.pools.{}]",
        problem::quoted_key(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_it_writes() {
        let client = Locked {
            logical_id: "CognitoUserPoolUsersClientWeb".into(),
            unchangeable: BTreeMap::from([("GenerateSecret".into(), json!(false))]),
            ..Locked::default()
        };
        let lock = Lock {
            pools: BTreeMap::from([
                (
                    "Users EU".into(),
                    Locked {
                        logical_id: "CognitoUserPoolUsersEU".into(),
                        unchangeable: BTreeMap::from([
                            ("UsernameAttributes".into(), json!(["email"])),
                            (
                                "Schema".into(),
                                json!([{"Name": "tenant", "AttributeDataType": "String", "Mutable": true}]),
                            ),
                        ]),
                        clients: BTreeMap::from([("web".into(), client)]),
                        ..Locked::default()
                    },
                ),
                (
                    "Old".into(),
                    Locked {
                        logical_id: "CognitoUserPoolOld".into(),
                        retired: true,
                        ..Locked::default()
                    },
                ),
            ]),
        };
        let text = render(&lock);
        assert!(text.starts_with("# Written by the cognito-trigger build step"));
        assert_eq!(parse(&text).unwrap(), lock, "{text}");
    }

    #[test]
    fn a_damaged_lock_says_how_to_recover() {
        let problems = parse("version = 1\n[pools.Users]\nretired = true\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .one_line()
                .contains("pools.Users: expected a table with `logical_id`; the build step writes this file: restore it from version control"),
            "{problems:?}"
        );
        assert!(
            parse("version = 2\n").unwrap_err()[0]
                .message
                .contains("version 2")
        );
    }

    #[test]
    fn a_schema_may_gain_optional_attributes_only() {
        let tenant = json!({"Name": "tenant", "AttributeDataType": "String"});
        let plan = json!({"Name": "plan", "AttributeDataType": "String"});
        let before = json!([tenant]);
        let differs = |after: Value| differs(Additions::Optional, Some(&before), Some(&after));
        assert!(!differs(json!([tenant, plan])), "a custom attribute added");
        assert!(differs(json!([])), "one removed");
        assert!(
            differs(json!([{"Name": "tenant", "AttributeDataType": "Number"}])),
            "one changed"
        );
        assert!(
            differs(json!([tenant, {"Name": "plan", "Required": true}])),
            "a required one added"
        );
        assert!(
            differs(json!([tenant, {"Name": "email", "Mutable": false}])),
            "a standard one added"
        );
        assert!(super::differs(
            Additions::None,
            Some(&json!(["email"])),
            None
        ));
        assert!(!super::differs(Additions::None, None, None));
    }
}
