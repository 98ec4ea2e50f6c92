//! `[package.metadata.cognito-trigger]`: deployment settings, each in one
//! place. Every key is checked; a misspelt one is an error with a suggestion,
//! never silently ignored. The keys are documented in the `build` module.

use super::actions;
use super::cargo::METADATA_KEY;
use super::node::{Map, Node};
use super::problem::{CARGO_TOML, Problem};
use cognito_trigger_core::suggest::{Quoted, hint};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct Settings {
    pub overrides: Option<String>,
    pub defaults: FunctionSettings,
    /// By binary name.
    pub functions: BTreeMap<String, FunctionSettings>,
    /// By pool name.
    pub pools: BTreeMap<String, PoolSettings>,
}

#[derive(Clone, Debug, Default)]
pub struct FunctionSettings {
    pub architecture: Option<Architecture>,
    pub memory_size: Option<u32>,
    pub timeout: Option<u32>,
    pub log_retention_days: Option<u32>,
    /// `Environment.Variables`, by name.
    pub environment: BTreeMap<String, String>,
    /// IAM statements the role gets besides writing its logs, as written.
    pub policy_statements: Vec<Node>,
    pub managed_policy_arns: Vec<String>,
    /// `LoggingConfig`: `LogFormat`, `ApplicationLogLevel`, `SystemLogLevel`.
    pub log_format: Option<LogFormat>,
    pub application_log_level: Option<ApplicationLogLevel>,
    pub system_log_level: Option<SystemLogLevel>,
    /// The alias Cognito invokes, on a published version.
    pub alias: Option<String>,
    /// Provisioned concurrency on the alias.
    pub provisioned_concurrency: Option<u32>,
    /// The Cognito user pool actions the function may call on its pools.
    pub pool_access: Option<Vec<&'static str>>,
    /// The keys the table gave (the package's, or the binary's own).
    pub given: BTreeSet<&'static str>,
}

impl FunctionSettings {
    /// These settings, with `defaults` where they say nothing; the package's
    /// environment variables, policy statements and managed policies apply
    /// to every function, a function's own added (a variable of the same
    /// name replaces the package's).
    pub fn or(&self, defaults: &FunctionSettings) -> FunctionSettings {
        let mut environment = defaults.environment.clone();
        environment.extend(self.environment.clone());
        let mut policy_statements = defaults.policy_statements.clone();
        policy_statements.extend(self.policy_statements.iter().cloned());
        let mut managed_policy_arns = defaults.managed_policy_arns.clone();
        for arn in &self.managed_policy_arns {
            if !managed_policy_arns.contains(arn) {
                managed_policy_arns.push(arn.clone());
            }
        }
        FunctionSettings {
            architecture: self.architecture.or(defaults.architecture),
            memory_size: self.memory_size.or(defaults.memory_size),
            timeout: self.timeout.or(defaults.timeout),
            log_retention_days: self.log_retention_days.or(defaults.log_retention_days),
            environment,
            policy_statements,
            managed_policy_arns,
            log_format: self.log_format.or(defaults.log_format),
            application_log_level: self
                .application_log_level
                .or(defaults.application_log_level),
            system_log_level: self.system_log_level.or(defaults.system_log_level),
            alias: self.alias.clone().or_else(|| defaults.alias.clone()),
            provisioned_concurrency: self
                .provisioned_concurrency
                .or(defaults.provisioned_concurrency),
            // A binary's own list replaces the package's, so that it can say
            // exactly what it needs (or nothing).
            pool_access: self
                .pool_access
                .clone()
                .or_else(|| defaults.pool_access.clone()),
            given: BTreeSet::new(),
        }
    }
}

impl Settings {
    /// Where binary `bin`'s function setting `key` in force is written: its
    /// own table, if it gives the key, else the package's (which a default
    /// also names, as the place to set it).
    pub fn function_key(&self, bin: &str, key: &str) -> Vec<String> {
        if self
            .functions
            .get(bin)
            .is_some_and(|own| own.given.contains(key))
        {
            metadata_path(&["functions", bin, key])
        } else {
            metadata_path(&[key])
        }
    }
}

#[derive(Debug, Default)]
pub struct PoolSettings {
    /// `false`: the pool is neither retained nor protected from deletion
    /// (throwaway stacks). Retained and protected by default.
    pub retain: Option<bool>,
    /// The name the pool had before, whose logical ID it keeps.
    pub renamed_from: Option<String>,
    /// The pool leaves the template (and the stack; retained unless `retain = false`).
    pub retired: Option<bool>,
    /// The pool stays in the template without handlers, even as new pools
    /// appear beside it (which would otherwise look like a rename).
    pub keep: Option<bool>,
    pub allow_public_sign_ups: Option<bool>,
    pub auto_verified_attributes: Option<Vec<UserAttribute>>,
    pub username_attributes: Option<Vec<UserAttribute>>,
    pub verification_message: Option<VerificationMessage>,
    /// By client name.
    pub clients: BTreeMap<String, ClientSettings>,
    /// The keys its table gave.
    pub given: BTreeSet<&'static str>,
}

#[derive(Debug, Default)]
pub struct VerificationMessage {
    pub default_email_option: Option<EmailOption>,
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub email_subject_by_link: Option<String>,
    pub email_message_by_link: Option<String>,
    pub sms_message: Option<String>,
}

#[derive(Debug, Default)]
pub struct ClientSettings {
    pub explicit_auth_flows: Option<Vec<AuthFlow>>,
    pub generate_secret: Option<bool>,
    /// The name the client had before, whose logical ID it keeps.
    pub renamed_from: Option<String>,
    /// The client leaves the template.
    pub retired: Option<bool>,
    /// The keys its table gave.
    pub given: BTreeSet<&'static str>,
}

impl PoolSettings {
    /// Whether the pool is retained and protected (the default).
    pub fn retained(settings: Option<&Self>) -> bool {
        settings.and_then(|s| s.retain).unwrap_or(true)
    }

    pub fn is_retired(settings: Option<&Self>) -> bool {
        settings.and_then(|s| s.retired).unwrap_or(false)
    }
}

/// The retention periods CloudWatch Logs accepts.
pub const LOG_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// A setting whose value is one of a fixed set of names.
pub trait Named: Copy + PartialEq + Sized + 'static {
    const ALL: &'static [Self];
    /// The name as Cargo.toml and the template write it.
    fn name(self) -> &'static str;

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.name() == name)
    }
}

/// An enum of named values, shaped like core's `LambdaVersion`: each name
/// is written once, here.
macro_rules! named {
    ($(#[$doc:meta])* $type:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $type {
            $($variant),+
        }

        impl Named for $type {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name),+
                }
            }
        }
    };
}

named! {
    /// A function's `Architectures`.
    Architecture { Arm64 = "arm64", X86_64 = "x86_64" }
}
named! {
    /// Lambda's `LoggingConfig.LogFormat`.
    LogFormat { Text = "Text", Json = "JSON" }
}
named! {
    /// Lambda's `LoggingConfig.ApplicationLogLevel`.
    ApplicationLogLevel { Trace = "TRACE", Debug = "DEBUG", Info = "INFO", Warn = "WARN", Error = "ERROR", Fatal = "FATAL" }
}
named! {
    /// Lambda's `LoggingConfig.SystemLogLevel`.
    SystemLogLevel { Debug = "DEBUG", Info = "INFO", Warn = "WARN" }
}
named! {
    /// The user attributes a pool can verify or sign users in with.
    UserAttribute { Email = "email", PhoneNumber = "phone_number" }
}
named! {
    /// `VerificationMessageTemplate.DefaultEmailOption`.
    EmailOption { ConfirmWithCode = "CONFIRM_WITH_CODE", ConfirmWithLink = "CONFIRM_WITH_LINK" }
}
named! {
    /// An app client's `ExplicitAuthFlows`.
    AuthFlow {
        AdminUserPassword = "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        Custom = "ALLOW_CUSTOM_AUTH",
        UserPassword = "ALLOW_USER_PASSWORD_AUTH",
        UserSrp = "ALLOW_USER_SRP_AUTH",
        RefreshToken = "ALLOW_REFRESH_TOKEN_AUTH",
        User = "ALLOW_USER_AUTH",
    }
}

/// Names of `values`, as the template lists them.
pub fn names<T: Named>(values: &[T]) -> Vec<&'static str> {
    values.iter().map(|v| v.name()).collect()
}

/// The environment variables Lambda sets itself and refuses in a function's
/// configuration (Lambda developer guide, "Defined runtime environment
/// variables").
const RESERVED_VARIABLES: [&str; 18] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];
/// The keys of an IAM policy statement.
const STATEMENT_KEYS: [&str; 7] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Reads and checks the metadata table: the settings it could read, and every
/// mistake (the build goes on to find the others before it fails).
pub fn read(metadata: Option<&toml::Table>) -> (Settings, Vec<Problem>) {
    let mut errors = Vec::new();
    let settings = match metadata {
        Some(table) => read_table(metadata_path(&[]), table, &mut errors, |r| r.settings()).0,
        None => Settings::default(),
    };
    (settings, errors)
}

/// The path of `keys` inside the metadata table, from Cargo.toml's root.
pub fn metadata_path(keys: &[&str]) -> Vec<String> {
    let mut path: Vec<String> = ["package", "metadata", METADATA_KEY]
        .map(String::from)
        .to_vec();
    path.extend(keys.iter().map(|k| k.to_string()));
    path
}

/// One table of the metadata, with its path from Cargo.toml's root.
struct Reader<'a> {
    path: Vec<String>,
    table: &'a toml::Table,
    errors: &'a mut Vec<Problem>,
    /// Every key this table's reading asked for: each key is named once,
    /// where it is read, and any other key in the table is a mistake.
    asked: Vec<&'static str>,
}

/// Reads `table` (at `path`) with `read`, then reports its unknown keys,
/// before the problems of its values as the table has them first; returns
/// what was read and the keys that were given.
fn read_table<'a, T>(
    path: Vec<String>,
    table: &'a toml::Table,
    errors: &'a mut Vec<Problem>,
    read: impl FnOnce(&mut Reader<'_>) -> T,
) -> (T, BTreeSet<&'static str>) {
    let start = errors.len();
    let mut reader = Reader {
        path,
        table,
        errors,
        asked: Vec::new(),
    };
    let value = read(&mut reader);
    let Reader {
        path,
        table,
        errors,
        asked,
    } = reader;
    let mut unknown = Vec::new();
    for key in table.keys().filter(|k| !asked.contains(&k.as_str())) {
        let hint = hint(key, &asked, Quoted::Key, "expected one of");
        let mut at = path.clone();
        at.push(key.clone());
        unknown.push(Problem::on_key(
            CARGO_TOML,
            at,
            format!("unknown key: {hint}"),
        ));
    }
    errors.splice(start..start, unknown);
    let given = asked
        .into_iter()
        .filter(|key| table.contains_key(*key))
        .collect();
    (value, given)
}

impl<'a> Reader<'a> {
    fn settings(&mut self) -> Settings {
        let mut functions = BTreeMap::new();
        self.each_table("functions", |bin, path, table, errors| {
            let (mut function, given) = read_table(path, table, errors, |r| r.function());
            function.given = given;
            functions.insert(bin.to_owned(), function);
        });
        let mut pools = BTreeMap::new();
        self.each_table("pools", |pool, path, table, errors| {
            let (mut settings, given) = read_table(path, table, errors, |r| r.pool());
            settings.given = given;
            pools.insert(pool.to_owned(), settings);
        });
        let overrides = self.string("overrides");
        let defaults = self.function();
        Settings {
            overrides,
            defaults,
            functions,
            pools,
        }
    }

    fn function(&mut self) -> FunctionSettings {
        FunctionSettings {
            architecture: self.one_of("architecture"),
            memory_size: self.number("memory_size", 128..=10240),
            timeout: self.number("timeout", 1..=900),
            log_retention_days: self.number("log_retention_days", 1..=3653).filter(|days| {
                LOG_RETENTION_DAYS.contains(days) || {
                    self.error(
                        "log_retention_days",
                        format!(
                            "CloudWatch Logs keeps logs for one of {LOG_RETENTION_DAYS:?} days"
                        ),
                    );
                    false
                }
            }),
            environment: self.environment(),
            policy_statements: self.policy_statements(),
            managed_policy_arns: self.managed_policy_arns(),
            log_format: self.one_of("log_format"),
            application_log_level: self.one_of("application_log_level"),
            system_log_level: self.one_of("system_log_level"),
            alias: self.alias(),
            // Lambda's quota on an account's concurrency is 1,000 by default;
            // more is a quota increase, so only the type's range is checked.
            provisioned_concurrency: self.number("provisioned_concurrency", 1..=u32::MAX),
            pool_access: self.pool_access(),
            given: BTreeSet::new(),
        }
    }

    /// An alias name as Lambda takes it: 1 to 128 letters, digits, `-` and
    /// `_`, not all digits (that would be a version number).
    fn alias(&mut self) -> Option<String> {
        let name = self.string("alias")?;
        let well_formed = (1..=128).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !name.chars().all(|c| c.is_ascii_digit());
        if well_formed {
            Some(name)
        } else {
            self.error(
                "alias",
                format!("`{name}` is not an alias name Lambda accepts: 1 to 128 letters, digits, `-` and `_`, not all digits (e.g. \"live\")"),
            );
            None
        }
    }

    /// Cognito user pool actions, each one the function may be granted on
    /// its pools ([`actions::on_one_pool`]).
    fn pool_access(&mut self) -> Option<Vec<&'static str>> {
        const KEY: &str = "pool_access";
        let value = self.get(KEY)?;
        let Some(items) = value.as_array() else {
            self.error(
                KEY,
                "expected a list of Cognito user pool actions, e.g. `pool_access = [\"AdminAddUserToGroup\"]`",
            );
            return None;
        };
        let mut granted = Vec::new();
        for item in items {
            match item.as_str().map(actions::on_one_pool) {
                Some(Ok(action)) => {
                    if !granted.contains(&action) {
                        granted.push(action);
                    }
                }
                Some(Err(message)) => self.error(KEY, message),
                None => self.error(KEY, "expected a list of strings"),
            }
        }
        Some(granted)
    }

    fn environment(&mut self) -> BTreeMap<String, String> {
        let mut variables = BTreeMap::new();
        let Some(value) = self.get("environment") else {
            return variables;
        };
        let Some(table) = value.as_table() else {
            self.error(
                "environment",
                "expected a table of variables, e.g. `environment = { STAGE = \"prod\" }`",
            );
            return variables;
        };
        for (name, value) in table {
            let path = self.at(&["environment", name]);
            // Lambda's rule for a variable's name.
            let well_formed = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !well_formed {
                self.errors.push(Problem::on_key(CARGO_TOML, path, format!("`{name}` is not a variable name Lambda accepts: a letter, then letters, digits and `_`")));
            } else if RESERVED_VARIABLES.contains(&name.as_str()) {
                self.errors.push(Problem::on_key(CARGO_TOML, path, format!("Lambda sets `{name}` itself and refuses it in a function's environment: choose another name")));
            } else {
                match value.as_str() {
                    Some(text) => {
                        variables.insert(name.clone(), text.to_owned());
                    }
                    None => self.errors.push(Problem::new(
                        CARGO_TOML,
                        path,
                        "expected a string: Lambda's variables are text, so quote the value",
                    )),
                }
            }
        }
        variables
    }

    fn policy_statements(&mut self) -> Vec<Node> {
        let Some(value) = self.get("policy_statements") else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error("policy_statements", "expected a list of IAM statements, e.g. `[{ Effect = \"Allow\", Action = \"cognito-idp:AdminGetUser\", Resource = \"*\" }]`");
            return Vec::new();
        };
        let mut statements = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let index = format!("[{index}]");
            let path = self.at(&["policy_statements"]);
            let Some(statement) = item.as_table() else {
                self.errors.push(Problem::new(
                    CARGO_TOML,
                    path,
                    format!("statement {index} is not a table with Effect, Action and Resource"),
                ));
                continue;
            };
            let mut problems = Vec::new();
            for key in statement.keys() {
                if !STATEMENT_KEYS.contains(&key.as_str()) {
                    let hint = hint(key, &STATEMENT_KEYS, Quoted::Key, "expected one of");
                    problems.push(format!("unknown key `{key}`: {hint}"));
                }
            }
            match statement.get("Effect").and_then(toml::Value::as_str) {
                Some("Allow" | "Deny") => {}
                _ => problems.push("`Effect` must be \"Allow\" or \"Deny\"".to_owned()),
            }
            for (key, not_key) in [("Action", "NotAction"), ("Resource", "NotResource")] {
                let given: Vec<&toml::Value> = [key, not_key]
                    .iter()
                    .filter_map(|k| statement.get(*k))
                    .collect();
                match given[..] {
                    [value] if strings(value) => {}
                    [_] => problems.push(format!(
                        "`{key}` (or `{not_key}`) must be a string or a list of strings"
                    )),
                    [] => problems.push(format!("`{key}` (or `{not_key}`) is missing")),
                    _ => problems.push(format!("give `{key}` or `{not_key}`, not both")),
                }
            }
            if statement.get("Condition").is_some_and(|c| !c.is_table()) {
                problems.push("`Condition` must be a table of operators".to_owned());
            }
            if problems.is_empty() {
                statements.push(node_of(item));
            }
            for problem in problems {
                self.errors.push(Problem::new(
                    CARGO_TOML,
                    path.clone(),
                    format!("statement {index}: {problem}"),
                ));
            }
        }
        statements
    }

    fn managed_policy_arns(&mut self) -> Vec<String> {
        let Some(value) = self.get("managed_policy_arns") else {
            return Vec::new();
        };
        let arns: Option<Vec<&str>> = value
            .as_array()
            .and_then(|items| items.iter().map(toml::Value::as_str).collect());
        let Some(arns) = arns else {
            self.error("managed_policy_arns", "expected a list of policy ARNs");
            return Vec::new();
        };
        let mut valid = Vec::new();
        for arn in arns {
            if is_policy_arn(arn) {
                valid.push(arn.to_owned());
            } else {
                self.error("managed_policy_arns", format!("`{arn}` is not an IAM policy ARN: expected `arn:aws:iam::aws:policy/<name>` or `arn:aws:iam::<account>:policy/<name>`"));
            }
        }
        valid
    }

    fn pool(&mut self) -> PoolSettings {
        let mut clients = BTreeMap::new();
        self.each_table("clients", |name, path, table, errors| {
            let (mut client, given) = read_table(path, table, errors, |reader| ClientSettings {
                explicit_auth_flows: reader.list_of("explicit_auth_flows"),
                generate_secret: reader.boolean("generate_secret"),
                renamed_from: reader.string("renamed_from"),
                retired: reader.boolean("retired"),
                given: BTreeSet::new(),
            });
            client.given = given;
            clients.insert(name.to_owned(), client);
        });
        let verification_message =
            self.table_at("verification_message", |r| r.verification_message());
        PoolSettings {
            retain: self.boolean("retain"),
            renamed_from: self.string("renamed_from"),
            retired: self.boolean("retired"),
            keep: self.boolean("keep"),
            allow_public_sign_ups: self.boolean("allow_public_sign_ups"),
            auto_verified_attributes: self.list_of("auto_verified_attributes"),
            username_attributes: self.list_of("username_attributes"),
            verification_message,
            clients,
            given: BTreeSet::new(),
        }
    }

    fn verification_message(&mut self) -> VerificationMessage {
        let message = VerificationMessage {
            default_email_option: self.one_of("default_email_option"),
            email_subject: self.text("email_subject", 1..=140, None),
            email_message: self.text("email_message", 6..=20000, Some("{####}")),
            email_subject_by_link: self.text("email_subject_by_link", 1..=140, None),
            email_message_by_link: self.text("email_message_by_link", 6..=20000, Some("{##")),
            sms_message: self.text("sms_message", 6..=140, Some("{####}")),
        };
        if message.default_email_option == Some(EmailOption::ConfirmWithLink)
            && message.email_message_by_link.is_none()
        {
            self.error(
                "default_email_option",
                "CONFIRM_WITH_LINK sends `email_message_by_link`: set it, with a `{##Click here##}` link",
            );
        }
        message
    }

    fn at(&self, keys: &[&str]) -> Vec<String> {
        let mut path = self.path.clone();
        path.extend(keys.iter().map(|k| k.to_string()));
        path
    }

    fn error(&mut self, key: &str, message: impl std::fmt::Display) {
        let path = self.at(&[key]);
        self.errors.push(Problem::new(CARGO_TOML, path, message));
    }

    /// The value at `key`, which this table now knows.
    fn get(&mut self, key: &'static str) -> Option<&'a toml::Value> {
        if !self.asked.contains(&key) {
            self.asked.push(key);
        }
        self.table.get(key)
    }

    /// Calls `read` with the path, the table and the error list of each
    /// table under `key`.
    fn each_table(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&str, Vec<String>, &toml::Table, &mut Vec<Problem>),
    ) {
        let Some(value) = self.get(key) else {
            return;
        };
        let Some(tables) = value.as_table() else {
            self.error(key, "expected a table");
            return;
        };
        let table = self.table;
        let Some(toml::Value::Table(tables)) = table.get(key) else {
            unreachable!("just checked: {tables:?}")
        };
        for (name, value) in tables {
            let path = self.at(&[key, name]);
            match value.as_table() {
                Some(table) => read(name, path, table, self.errors),
                None => self
                    .errors
                    .push(Problem::new(CARGO_TOML, path, "expected a table")),
            }
        }
    }

    /// The table at `key`, read by `read`.
    fn table_at<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Reader<'_>) -> T,
    ) -> Option<T> {
        let table = self.table;
        match self.get(key)? {
            toml::Value::Table(_) => {
                let Some(toml::Value::Table(inner)) = table.get(key) else {
                    unreachable!("just matched")
                };
                Some(read_table(self.at(&[key]), inner, self.errors, read).0)
            }
            _ => {
                self.error(key, "expected a table");
                None
            }
        }
    }

    fn string(&mut self, key: &'static str) -> Option<String> {
        match self.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            _ => {
                self.error(key, "expected a string");
                None
            }
        }
    }

    fn boolean(&mut self, key: &'static str) -> Option<bool> {
        match self.get(key)? {
            toml::Value::Boolean(b) => Some(*b),
            _ => {
                self.error(key, "expected `true` or `false`");
                None
            }
        }
    }

    fn number(&mut self, key: &'static str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let value = self.get(key)?;
        match value.as_integer().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if range.contains(&n) => Some(n),
            _ => {
                self.error(
                    key,
                    format!(
                        "expected a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    fn one_of<T: Named>(&mut self, key: &'static str) -> Option<T> {
        let value = self.string(key)?;
        self.named(key, &value)
    }

    fn list_of<T: Named>(&mut self, key: &'static str) -> Option<Vec<T>> {
        let value = self.get(key)?;
        let Some(items) = value.as_array() else {
            self.error(key, "expected a list of strings");
            return None;
        };
        let items = items.clone();
        let mut list = Vec::new();
        for item in &items {
            match item.as_str() {
                Some(name) => {
                    if let Some(value) = self.named::<T>(key, name)
                        && !list.contains(&value)
                    {
                        list.push(value);
                    }
                }
                None => self.error(key, "expected a list of strings"),
            }
        }
        Some(list)
    }

    /// The value named `name`, or an error at `key` naming the closest.
    fn named<T: Named>(&mut self, key: &'static str, name: &str) -> Option<T> {
        let found = T::from_name(name);
        if found.is_none() {
            let names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
            let hint = hint(name, &names, Quoted::Value, "expected one of");
            self.error(key, format!("\"{name}\" is not allowed: {hint}"));
        }
        found
    }

    /// A message text of `length` characters that contains `placeholder`.
    fn text(
        &mut self,
        key: &'static str,
        length: std::ops::RangeInclusive<usize>,
        placeholder: Option<&str>,
    ) -> Option<String> {
        let text = self.string(key)?;
        let count = text.chars().count();
        if !length.contains(&count) {
            self.error(
                key,
                format!(
                    "is {count} characters long; Cognito accepts {} to {}",
                    length.start(),
                    length.end()
                ),
            );
            return None;
        }
        if let Some(placeholder) = placeholder
            && !text.contains(placeholder)
        {
            self.error(
                key,
                format!("must contain the `{placeholder}` placeholder Cognito replaces with the code or link"),
            );
            return None;
        }
        Some(text)
    }
}

/// Whether `value` is a string or a list of strings, as IAM takes them.
fn strings(value: &toml::Value) -> bool {
    value.is_str()
        || value
            .as_array()
            .is_some_and(|items| items.iter().all(toml::Value::is_str))
}

/// `arn:<partition>:iam::<aws or account>:policy/<path and name>`.
fn is_policy_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(
        parts[..],
        ["arn", partition, "iam", "", account, resource]
            if partition.starts_with("aws")
                && (account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                && resource.strip_prefix("policy/").is_some_and(|name| !name.is_empty())
    )
}

/// A TOML value as a template node.
fn node_of(value: &toml::Value) -> Node {
    match value {
        toml::Value::String(text) => Node::String(text.clone()),
        toml::Value::Integer(n) => Node::Number(n.to_string()),
        toml::Value::Float(n) => Node::Number(n.to_string()),
        toml::Value::Boolean(b) => Node::Bool(*b),
        toml::Value::Datetime(d) => Node::String(d.to_string()),
        toml::Value::Array(items) => Node::List(items.iter().map(node_of).collect()),
        toml::Value::Table(table) => {
            let mut map = Map::new();
            for (key, value) in table {
                map.insert(key.clone(), node_of(value));
            }
            Node::Map(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<Settings, Vec<String>> {
        let table: toml::Table = toml::from_str(text).unwrap();
        match read(Some(&table)) {
            (settings, errors) if errors.is_empty() => Ok(settings),
            (_, errors) => Err(errors.iter().map(Problem::one_line).collect()),
        }
    }

    #[test]
    fn reads_every_key() {
        let settings = settings(
            r#"
            overrides = "resources.yaml"
            memory_size = 256
            [functions.pre_sign_up]
            timeout = 3
            [pools.MyPool]
            allow_public_sign_ups = false
            username_attributes = ["email"]
            verification_message = { email_subject = "Code", email_message = "Your code: {####}" }
            [pools.MyPool.clients.web]
            explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
            "#,
        )
        .unwrap();
        assert_eq!(settings.overrides.as_deref(), Some("resources.yaml"));
        assert_eq!(settings.defaults.memory_size, Some(256));
        let function = settings.functions["pre_sign_up"].or(&settings.defaults);
        assert_eq!(
            (function.memory_size, function.timeout),
            (Some(256), Some(3))
        );
        let pool = &settings.pools["MyPool"];
        assert_eq!(pool.allow_public_sign_ups, Some(false));
        assert_eq!(
            pool.clients["web"]
                .explicit_auth_flows
                .as_ref()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn every_mistake_is_reported_with_a_suggestion() {
        let errors = settings(
            r#"
            memory = 256
            log_retention_days = 10
            [pools."My Pool"]
            username_attributes = ["emial"]
            verification_message = { email_message = "no code here" }
            "#,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "Cargo.toml: package.metadata.cognito-trigger.memory: unknown key: did you mean `memory_size`?",
                "Cargo.toml: package.metadata.cognito-trigger.pools.\"My Pool\".verification_message.email_message: must contain the `{####}` placeholder Cognito replaces with the code or link",
                "Cargo.toml: package.metadata.cognito-trigger.pools.\"My Pool\".username_attributes: \"emial\" is not allowed: did you mean \"email\"?",
                "Cargo.toml: package.metadata.cognito-trigger.log_retention_days: CloudWatch Logs keeps logs for one of [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] days",
            ]
        );
    }

    #[test]
    fn reads_function_settings_and_merges_them_with_the_package_s() {
        let settings = settings(
            r#"
            environment = { STAGE = "prod", REGION_NAME = "eu" }
            policy_statements = [{ Effect = "Allow", Action = "ses:SendEmail", Resource = "*" }]
            log_format = "JSON"
            [functions.sign_up]
            environment = { STAGE = "test" }
            policy_statements = [{ Effect = "Deny", NotAction = ["s3:*"], Resource = ["*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }]
            managed_policy_arns = ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", "arn:aws-cn:iam::111111111111:policy/team/mine"]
            application_log_level = "DEBUG"
            "#,
        )
        .unwrap();
        let function = settings.functions["sign_up"].or(&settings.defaults);
        let environment: Vec<(&str, &str)> = function
            .environment
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(environment, [("REGION_NAME", "eu"), ("STAGE", "test")]);
        assert_eq!(function.policy_statements.len(), 2);
        assert_eq!(function.managed_policy_arns.len(), 2);
        assert_eq!(function.log_format, Some(LogFormat::Json));
        assert_eq!(
            function.application_log_level,
            Some(ApplicationLogLevel::Debug)
        );
    }

    #[test]
    fn function_setting_mistakes_name_the_fix() {
        let errors = settings(
            r#"
            environment = { "1ST" = "a", AWS_REGION = "b", COUNT = 3 }
            policy_statements = [{ Efect = "Allow", Action = "s3:GetObject" }]
            managed_policy_arns = ["AWSXRayDaemonWriteAccess"]
            log_format = "json"
            "#,
        )
        .unwrap_err();
        let expected = [
            "environment.1ST: `1ST` is not a variable name Lambda accepts",
            "environment.AWS_REGION: Lambda sets `AWS_REGION` itself",
            "environment.COUNT: expected a string",
            "policy_statements: statement [0]: unknown key `Efect`: did you mean `Effect`?",
            "policy_statements: statement [0]: `Effect` must be \"Allow\" or \"Deny\"",
            "policy_statements: statement [0]: `Resource` (or `NotResource`) is missing",
            "managed_policy_arns: `AWSXRayDaemonWriteAccess` is not an IAM policy ARN",
            "log_format: \"json\" is not allowed: did you mean \"JSON\"?",
        ];
        assert_eq!(errors.len(), expected.len(), "{errors:#?}");
        for wanted in expected {
            assert!(
                errors.iter().any(|e| e.contains(wanted)),
                "{wanted:?} in {errors:#?}"
            );
        }
    }
}
