//! `[package.metadata.cognito-trigger]`: deployment settings, each in one
//! place. Every key is checked; a misspelt one is an error with a suggestion,
//! never silently ignored. The keys are documented in the `build` module.

use super::cargo::METADATA_KEY;
use cognito_trigger_core::suggest::did_you_mean;
use std::collections::BTreeMap;

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
    pub architecture: Option<String>,
    pub memory_size: Option<u32>,
    pub timeout: Option<u32>,
    pub log_retention_days: Option<u32>,
}

impl FunctionSettings {
    /// These settings, with `defaults` where they say nothing.
    pub fn or(&self, defaults: &FunctionSettings) -> FunctionSettings {
        FunctionSettings {
            architecture: self
                .architecture
                .clone()
                .or_else(|| defaults.architecture.clone()),
            memory_size: self.memory_size.or(defaults.memory_size),
            timeout: self.timeout.or(defaults.timeout),
            log_retention_days: self.log_retention_days.or(defaults.log_retention_days),
        }
    }
}

#[derive(Debug, Default)]
pub struct PoolSettings {
    pub allow_public_sign_ups: Option<bool>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub username_attributes: Option<Vec<String>>,
    pub verification_message: Option<VerificationMessage>,
    /// By client name.
    pub clients: BTreeMap<String, ClientSettings>,
}

#[derive(Debug, Default)]
pub struct VerificationMessage {
    pub default_email_option: Option<String>,
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub email_subject_by_link: Option<String>,
    pub email_message_by_link: Option<String>,
    pub sms_message: Option<String>,
}

#[derive(Debug, Default)]
pub struct ClientSettings {
    pub explicit_auth_flows: Option<Vec<String>>,
    pub generate_secret: Option<bool>,
}

/// The retention periods CloudWatch Logs accepts.
pub const LOG_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
const ARCHITECTURES: [&str; 2] = ["arm64", "x86_64"];
const USER_ATTRIBUTES: [&str; 2] = ["email", "phone_number"];
const EMAIL_OPTIONS: [&str; 2] = ["CONFIRM_WITH_CODE", "CONFIRM_WITH_LINK"];
const AUTH_FLOWS: [&str; 6] = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
const FUNCTION_KEYS: [&str; 4] = [
    "architecture",
    "memory_size",
    "timeout",
    "log_retention_days",
];

/// Reads and checks the metadata table: the settings it could read, and every
/// mistake (the build goes on to find the others before it fails).
pub fn read(metadata: Option<&toml::Table>) -> (Settings, Vec<String>) {
    let mut errors = Vec::new();
    let settings = match metadata {
        Some(table) => Reader {
            path: format!("package.metadata.{METADATA_KEY}"),
            table,
            errors: &mut errors,
        }
        .settings(),
        None => Settings::default(),
    };
    (settings, errors)
}

/// One table of the metadata, with the path messages name it by.
struct Reader<'a> {
    path: String,
    table: &'a toml::Table,
    errors: &'a mut Vec<String>,
}

impl Reader<'_> {
    fn settings(&mut self) -> Settings {
        let mut known = vec!["overrides", "functions", "pools"];
        known.extend(FUNCTION_KEYS);
        self.known_keys(&known);
        let mut functions = BTreeMap::new();
        self.each_table("functions", |bin, reader| {
            reader.known_keys(&FUNCTION_KEYS);
            functions.insert(bin.to_owned(), reader.function());
        });
        let mut pools = BTreeMap::new();
        self.each_table("pools", |pool, reader| {
            pools.insert(pool.to_owned(), reader.pool());
        });
        Settings {
            overrides: self.string("overrides"),
            defaults: self.function(),
            functions,
            pools,
        }
    }

    fn function(&mut self) -> FunctionSettings {
        FunctionSettings {
            architecture: self.one_of("architecture", &ARCHITECTURES),
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
        }
    }

    fn pool(&mut self) -> PoolSettings {
        self.known_keys(&[
            "allow_public_sign_ups",
            "auto_verified_attributes",
            "username_attributes",
            "verification_message",
            "clients",
        ]);
        let mut clients = BTreeMap::new();
        self.each_table("clients", |name, reader| {
            reader.known_keys(&["explicit_auth_flows", "generate_secret"]);
            clients.insert(
                name.to_owned(),
                ClientSettings {
                    explicit_auth_flows: reader.list_of("explicit_auth_flows", &AUTH_FLOWS),
                    generate_secret: reader.boolean("generate_secret"),
                },
            );
        });
        let mut verification_message = None;
        self.each_table_at("verification_message", |reader| {
            verification_message = Some(reader.verification_message());
        });
        PoolSettings {
            allow_public_sign_ups: self.boolean("allow_public_sign_ups"),
            auto_verified_attributes: self.list_of("auto_verified_attributes", &USER_ATTRIBUTES),
            username_attributes: self.list_of("username_attributes", &USER_ATTRIBUTES),
            verification_message,
            clients,
        }
    }

    fn verification_message(&mut self) -> VerificationMessage {
        self.known_keys(&[
            "default_email_option",
            "email_subject",
            "email_message",
            "email_subject_by_link",
            "email_message_by_link",
            "sms_message",
        ]);
        let message = VerificationMessage {
            default_email_option: self.one_of("default_email_option", &EMAIL_OPTIONS),
            email_subject: self.text("email_subject", 1..=140, None),
            email_message: self.text("email_message", 6..=20000, Some("{####}")),
            email_subject_by_link: self.text("email_subject_by_link", 1..=140, None),
            email_message_by_link: self.text("email_message_by_link", 6..=20000, Some("{##")),
            sms_message: self.text("sms_message", 6..=140, Some("{####}")),
        };
        if message.default_email_option.as_deref() == Some("CONFIRM_WITH_LINK")
            && message.email_message_by_link.is_none()
        {
            self.error(
                "default_email_option",
                "CONFIRM_WITH_LINK sends `email_message_by_link`: set it, with a `{##Click here##}` link",
            );
        }
        message
    }

    fn error(&mut self, key: &str, message: impl std::fmt::Display) {
        self.errors
            .push(format!("Cargo.toml: {}.{key}: {message}", self.path));
    }

    fn known_keys(&mut self, known: &[&str]) {
        let unknown: Vec<String> = self
            .table
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            let hint = match did_you_mean(&key, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("expected one of {}", known.join(", ")),
            };
            self.error(&key, format!("unknown key: {hint}"));
        }
    }

    /// Calls `read` with a reader for each table under `key`.
    fn each_table(&mut self, key: &str, mut read: impl FnMut(&str, &mut Reader)) {
        let Some(value) = self.table.get(key) else {
            return;
        };
        let Some(tables) = value.as_table() else {
            self.error(key, "expected a table");
            return;
        };
        for (name, value) in tables {
            match value.as_table() {
                Some(table) => read(
                    name,
                    &mut Reader {
                        path: format!("{}.{key}.{}", self.path, quoted_key(name)),
                        table,
                        errors: self.errors,
                    },
                ),
                None => self.error(&format!("{key}.{}", quoted_key(name)), "expected a table"),
            }
        }
    }

    fn each_table_at(&mut self, key: &str, read: impl FnOnce(&mut Reader)) {
        match self.table.get(key) {
            None => {}
            Some(toml::Value::Table(table)) => read(&mut Reader {
                path: format!("{}.{key}", self.path),
                table,
                errors: self.errors,
            }),
            Some(_) => self.error(key, "expected a table"),
        }
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.table.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            _ => {
                self.error(key, "expected a string");
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.table.get(key)? {
            toml::Value::Boolean(b) => Some(*b),
            _ => {
                self.error(key, "expected `true` or `false`");
                None
            }
        }
    }

    fn number(&mut self, key: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let value = self.table.get(key)?;
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

    fn one_of(&mut self, key: &str, allowed: &[&str]) -> Option<String> {
        let value = self.string(key)?;
        self.check_allowed(key, &value, allowed).then_some(value)
    }

    fn list_of(&mut self, key: &str, allowed: &[&str]) -> Option<Vec<String>> {
        let value = self.table.get(key)?;
        let Some(items) = value.as_array() else {
            self.error(key, "expected a list of strings");
            return None;
        };
        let mut list = Vec::new();
        for item in items {
            match item.as_str() {
                Some(s) if self.check_allowed(key, s, allowed) => {
                    if !list.iter().any(|l| l == s) {
                        list.push(s.to_owned());
                    }
                }
                Some(_) => {}
                None => self.error(key, "expected a list of strings"),
            }
        }
        Some(list)
    }

    fn check_allowed(&mut self, key: &str, value: &str, allowed: &[&str]) -> bool {
        if allowed.contains(&value) {
            return true;
        }
        let hint = match did_you_mean(value, allowed.iter().copied()) {
            Some(close) => format!("did you mean \"{close}\"?"),
            None => format!("expected one of {}", allowed.join(", ")),
        };
        self.error(key, format!("\"{value}\" is not allowed: {hint}"));
        false
    }

    /// A message text of `length` characters that contains `placeholder`.
    fn text(
        &mut self,
        key: &str,
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

fn quoted_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    {
        key.to_owned()
    } else {
        format!("\"{key}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<Settings, Vec<String>> {
        let table: toml::Table = toml::from_str(text).unwrap();
        match read(Some(&table)) {
            (settings, errors) if errors.is_empty() => Ok(settings),
            (_, errors) => Err(errors),
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
}
