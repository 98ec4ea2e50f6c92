//! The entrypoint's logger: one line per event on stdout, for CloudWatch.
//!
//! It reads what lambda_runtime's default subscriber reads, so a function's
//! logging settings keep working: `AWS_LAMBDA_LOG_LEVEL` (Lambda's advanced
//! logging controls) or else `RUST_LOG` for the level, with `RUST_LOG`'s
//! `target=level` directives, and `AWS_LAMBDA_LOG_FORMAT=JSON` for JSON
//! lines. It replaces tracing-subscriber, whose formatters and `EnvFilter`
//! (with its regex engine) were 40% of a trigger's binary and 80-160 µs of
//! its cold start (BENCHMARKS.md); a trigger's logs are a few lines per
//! invocation and need none of that.
//!
//! It takes `tracing` events and `log` records alike (`log::info!`, which
//! many crates write): a record goes through the same filter, with its
//! target, and is written inside the spans entered at the time, so it names
//! its request too. It is `log`'s logger itself rather than tracing-log's
//! bridge, which would turn each record into a `tracing` event first.
//!
//! lambda_runtime logs every error a handler returns a second time, at
//! ERROR, as the `Diagnostic`'s `Debug` (`error!("{error:?}")` in its
//! `layers/panic.rs`, whatever its `tracing` feature). The entrypoint has
//! logged each failure already, once, at the level it deserves (a rejection
//! is the handler's decision: INFO), so that repeat is dropped; else every
//! rejected sign-up would set off alarms on ERROR.
//!
//! # Lines
//!
//! Text, the default: the level, the spans with their fields, the message
//! and the event's fields:
//!
//! ```text
//!  INFO Lambda runtime invoke{requestId="8f5e0c1a-…"}: rejected errorType="Rejected" errorMessage="Sign-up is closed"
//! ```
//!
//! JSON (`AWS_LAMBDA_LOG_FORMAT=JSON`), one object a line, in Lambda's JSON
//! log format, with the keys Lambda's Python runtime writes (awslambdaric's
//! `JsonFormatter`). Powertools' loggers share `timestamp` (in
//! the same form, in TypeScript), `level` and `message`, but name the
//! request `function_request_id`; Lambda's own lines say `requestId`.
//!
//! ```json
//! {"timestamp":"2026-12-01T11:50:20.123Z","level":"INFO","message":"rejected","logger":"cognito_trigger::entry","requestId":"8f5e0c1a-…","errorType":"Rejected","errorMessage":"Sign-up is closed"}
//! ```
//!
//! - `timestamp`: when the line was written, RFC 3339 in UTC with milliseconds;
//! - `level`: `TRACE`, `DEBUG`, `INFO`, `WARN` or `ERROR`;
//! - `message`: the event's message, `""` if it has none;
//! - `logger`: the event's target (its module path unless it names one),
//!   under the key Lambda's runtimes give the logger's name;
//! - the event's own fields;
//! - the fields of the spans it is in, innermost first: lambda_runtime's
//!   `requestId`, and `xrayTraceId` and `tenantId` when the invocation has them.
//!
//! All at top level; a key written once is not written again, so a field
//! named `level` cannot replace the level, and an event's field hides a
//! span's of the same name.

use cognito_trigger_core::sync::Recover;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// Installs the logger for the process, as configured by the environment,
/// for `tracing` and for `log`.
pub(crate) fn init() {
    let env = |name| std::env::var(name).ok();
    let logger = Arc::new(Logger::new(
        Filter::new(
            env("AWS_LAMBDA_LOG_LEVEL").as_deref(),
            env("RUST_LOG").as_deref(),
        ),
        env("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json")),
        std::io::stdout(),
    ));
    // Fails only when a subscriber is already set, which then stays.
    if tracing::subscriber::set_global_default(Arc::clone(&logger)).is_err() {
        return;
    }
    let max_level = log_level(logger.filter.max_level());
    // `log` keeps its logger for the life of the process.
    let logger: &'static Logger<std::io::Stdout> = Box::leak(Box::new(logger));
    if ::log::set_logger(logger).is_ok() {
        // `log` passes on no record above this level, `Off` until set.
        ::log::set_max_level(max_level);
    }
}

/// Which events are written: a default level, and levels for targets
/// (module paths) that start with a directive's target, the longest winning.
#[derive(Debug, PartialEq)]
pub(crate) struct Filter {
    default: LevelFilter,
    targets: Vec<(String, LevelFilter)>,
}

impl Filter {
    /// `lambda_level` (`AWS_LAMBDA_LOG_LEVEL`) sets the default level over
    /// `rust_log`'s; a directive that does not parse is ignored.
    pub(crate) fn new(lambda_level: Option<&str>, rust_log: Option<&str>) -> Filter {
        let mut filter = Filter {
            default: LevelFilter::INFO,
            targets: Vec::new(),
        };
        for directive in rust_log.unwrap_or_default().split(',').map(str::trim) {
            match directive.split_once('=') {
                Some((target, level)) => {
                    if let Some(level) = level_filter(level) {
                        filter.targets.push((target.trim().to_owned(), level));
                    }
                }
                // A level alone is the default; a target alone, every level.
                None => match level_filter(directive) {
                    Some(level) => filter.default = level,
                    None if !directive.is_empty() => {
                        filter
                            .targets
                            .push((directive.to_owned(), LevelFilter::TRACE));
                    }
                    None => {}
                },
            }
        }
        // Longest first, so the first match is the most specific.
        filter
            .targets
            .sort_by_key(|(target, _)| std::cmp::Reverse(target.len()));
        if let Some(level) = lambda_level.and_then(level_filter) {
            filter.default = level;
        }
        filter
    }

    fn allows(&self, target: &str, level: Level) -> bool {
        let allowed = self
            .targets
            .iter()
            .find(|(prefix, _)| {
                // `a` covers `a` and `a::b`, not `ab`.
                target
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
            })
            .map_or(self.default, |(_, level)| *level);
        allowed >= level
    }

    /// The most verbose level any target is written at: what `log` is told,
    /// so that its macros skip at once what no target would write.
    fn max_level(&self) -> LevelFilter {
        self.targets
            .iter()
            .map(|(_, level)| *level)
            .fold(self.default, LevelFilter::max)
    }
}

/// A level as `RUST_LOG` and Lambda write it; Lambda's `FATAL` is `ERROR`.
fn level_filter(name: &str) -> Option<LevelFilter> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "off" => LevelFilter::OFF,
        "trace" => LevelFilter::TRACE,
        "debug" => LevelFilter::DEBUG,
        "info" => LevelFilter::INFO,
        "warn" | "warning" => LevelFilter::WARN,
        "error" | "fatal" => LevelFilter::ERROR,
        _ => return None,
    })
}

/// A `log` record's level as `tracing` names it.
fn tracing_level(level: ::log::Level) -> Level {
    match level {
        ::log::Level::Error => Level::ERROR,
        ::log::Level::Warn => Level::WARN,
        ::log::Level::Info => Level::INFO,
        ::log::Level::Debug => Level::DEBUG,
        ::log::Level::Trace => Level::TRACE,
    }
}

/// A level filter as `log` names it.
fn log_level(filter: LevelFilter) -> ::log::LevelFilter {
    match filter.into_level() {
        None => ::log::LevelFilter::Off,
        Some(Level::ERROR) => ::log::LevelFilter::Error,
        Some(Level::WARN) => ::log::LevelFilter::Warn,
        Some(Level::INFO) => ::log::LevelFilter::Info,
        Some(Level::DEBUG) => ::log::LevelFilter::Debug,
        Some(_) => ::log::LevelFilter::Trace,
    }
}

/// lambda_runtime's repeat of each error a handler returns (see the module
/// docs); its log of a panic it caught (with an `error` field) is kept.
fn repeats_a_failure(metadata: &Metadata<'_>) -> bool {
    metadata.target() == "lambda_runtime::layers::panic"
        && metadata.fields().field("error").is_none()
}

pub(crate) struct Logger<W> {
    filter: Filter,
    json: bool,
    out: Mutex<W>,
    spans: Mutex<HashMap<u64, Span>>,
    next_id: AtomicU64,
}

/// An open span: its name, its fields so far, and how many handles it has.
struct Span {
    name: &'static str,
    fields: Fields,
    handles: usize,
}

thread_local! {
    /// The spans entered on this thread, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

impl<W: Write> Logger<W> {
    pub(crate) fn new(filter: Filter, json: bool, out: W) -> Self {
        Logger {
            filter,
            json,
            out: Mutex::new(out),
            spans: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    #[cfg(test)]
    pub(crate) fn into_output(self) -> W {
        self.out.into_inner().recover()
    }

    /// Writes the line for an event or a record, inside the spans entered on
    /// this thread unless `parent` says otherwise.
    fn write(&self, level: Level, target: &str, fields: &Fields, parent: Parent) {
        let mut line = {
            let spans = self.spans.lock().recover();
            let scope: Vec<&Span> = match parent {
                Parent::Explicit(id) => spans.get(&id).into_iter().collect(),
                Parent::Current => ENTERED.with(|entered| {
                    entered
                        .borrow()
                        .iter()
                        .filter_map(|id| spans.get(id))
                        .collect()
                }),
                Parent::Root => Vec::new(),
            };
            if self.json {
                json_line(level, target, fields, &scope)
            } else {
                text_line(level, fields, &scope)
            }
        };
        line.push('\n');
        let mut out = self.out.lock().recover();
        // A log line that cannot be written is lost, not a failed invocation.
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
    }
}

/// The spans an event is in.
enum Parent {
    Explicit(u64),
    Current,
    Root,
}

fn text_line(level: Level, fields: &Fields, scope: &[&Span]) -> String {
    let mut line = format!("{level:>5} ");
    for span in scope {
        let _ = write!(line, "{}{{{}}}:", span.name, span.fields.text);
    }
    if !scope.is_empty() {
        line.push(' ');
    }
    line.push_str(&fields.text);
    line
}

/// The line in Lambda's JSON log format (see the module docs).
fn json_line(level: Level, target: &str, fields: &Fields, scope: &[&Span]) -> String {
    let message = fields
        .json
        .iter()
        .find(|(name, _)| *name == "message")
        .map_or(Value::from(""), |(_, value)| value.clone());
    let head = [
        ("timestamp", Value::from(timestamp(SystemTime::now()))),
        ("level", Value::from(level.as_str())),
        ("message", message),
        ("logger", Value::from(target)),
    ];
    let entries = head
        .iter()
        .map(|(name, value)| (*name, value))
        .chain(fields.json.iter().map(|(name, value)| (*name, value)))
        .chain(
            scope
                .iter()
                .rev()
                .flat_map(|span| span.fields.json.iter().map(|(name, value)| (*name, value))),
        );
    let mut written: Vec<&str> = Vec::new();
    let mut line = String::from("{");
    for (name, value) in entries {
        if written.contains(&name) {
            continue;
        }
        if !written.is_empty() {
            line.push(',');
        }
        written.push(name);
        let _ = write!(line, "{}:{value}", Value::from(name));
    }
    line.push('}');
    line
}

/// `time` in RFC 3339, in UTC with milliseconds, as Lambda writes it:
/// `2026-12-01T11:50:20.123Z`.
fn timestamp(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs();
    let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = cognito_trigger_core::date::civil(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        second_of_day / 3_600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        since_epoch.subsec_millis()
    )
}

impl<W: Write + Send + 'static> Subscriber for Logger<W> {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        // The filter reads only a callsite's level and target: decide once.
        if self.enabled(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    /// Every span is kept, whatever the level, so that an error logged at
    /// `AWS_LAMBDA_LOG_LEVEL=ERROR` still names its request (lambda_runtime's
    /// span is at INFO); the level filters events only.
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_span()
            || (self.filter.allows(metadata.target(), *metadata.level())
                && !repeats_a_failure(metadata))
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut fields = Fields::default();
        attributes.record(&mut fields);
        let span = Span {
            name: attributes.metadata().name(),
            fields,
            handles: 1,
        };
        self.spans.lock().recover().insert(id, span);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(span) = self.spans.lock().recover().get_mut(&span.into_u64()) {
            values.record(&mut span.fields);
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let parent = match event.parent() {
            Some(parent) => Parent::Explicit(parent.into_u64()),
            None if event.is_contextual() => Parent::Current,
            None => Parent::Root,
        };
        let metadata = event.metadata();
        self.write(*metadata.level(), metadata.target(), &fields, parent);
    }

    fn enter(&self, span: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|id| *id == span.into_u64()) {
                entered.remove(at);
            }
        });
    }

    fn clone_span(&self, span: &Id) -> Id {
        if let Some(span) = self.spans.lock().recover().get_mut(&span.into_u64()) {
            span.handles += 1;
        }
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut spans = self.spans.lock().recover();
        let Some(open) = spans.get_mut(&span.into_u64()) else {
            return false;
        };
        open.handles -= 1;
        let closed = open.handles == 0;
        if closed {
            spans.remove(&span.into_u64());
        }
        closed
    }
}

impl<W: Write + Send> ::log::Log for Logger<W> {
    fn enabled(&self, metadata: &::log::Metadata<'_>) -> bool {
        self.filter
            .allows(metadata.target(), tracing_level(metadata.level()))
    }

    fn log(&self, record: &::log::Record<'_>) {
        // `log`'s macros check only the maximum level, not each target's.
        if !::log::Log::enabled(self, record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        let mut fields = Fields::default();
        fields.push_text("message", format_args!("{message}"));
        fields.json.push(("message", message.into()));
        self.write(
            tracing_level(record.level()),
            record.target(),
            &fields,
            Parent::Current,
        );
    }

    fn flush(&self) {}
}

/// Fields as the text format writes them (`message` first and bare, then
/// `name=value` with strings quoted) and as JSON values, in order.
#[derive(Default)]
struct Fields {
    text: String,
    json: Vec<(&'static str, Value)>,
}

impl Fields {
    fn push_text(&mut self, name: &str, value: fmt::Arguments<'_>) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        if name == "message" {
            let _ = self.text.write_fmt(value);
        } else {
            let _ = write!(self.text, "{name}={value}");
        }
    }

    /// A number or a boolean: bare in the text, as itself in JSON.
    fn push_scalar<T: fmt::Display + Into<Value>>(&mut self, field: &Field, value: T) {
        self.push_text(field.name(), format_args!("{value}"));
        self.json.push((field.name(), value.into()));
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.push_text(field.name(), format_args!("{value}"));
        } else {
            self.push_text(field.name(), format_args!("{value:?}"));
        }
        self.json.push((field.name(), value.into()));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push_scalar(field, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push_scalar(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push_scalar(field, value);
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.push_scalar(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.push_text(field.name(), format_args!("{value:?}"));
        self.json.push((field.name(), format!("{value:?}").into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::log::Log;

    /// The lines `log` writes through a logger with `filter`, as text or JSON.
    fn lines(filter: Filter, json: bool, log: impl FnOnce(&Logger<Vec<u8>>)) -> Vec<String> {
        let logger = Arc::new(Logger::new(filter, json, Vec::new()));
        let handle = Arc::clone(&logger);
        tracing::subscriber::with_default(Arc::clone(&logger), || log(&handle));
        drop(handle);
        let logger = Arc::into_inner(logger).expect("the only handle left");
        String::from_utf8(logger.into_output())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn json_lines(filter: Filter, log: impl FnOnce(&Logger<Vec<u8>>)) -> Vec<Value> {
        lines(filter, true, log)
            .iter()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }

    fn invocation(_: &Logger<Vec<u8>>) {
        let span = tracing::info_span!("Lambda runtime invoke", requestId = "r-1");
        let _entered = span.enter();
        tracing::info!(user = "jane", attempts = 2, "rejected");
        tracing::debug!("not shown at INFO");
        tracing::error!(confirmed = false, "handler failed");
    }

    /// A `log` record from `target`, as `log::info!` makes it.
    fn record(logger: &Logger<Vec<u8>>, level: ::log::Level, target: &str, message: &str) {
        logger.log(
            &::log::Record::builder()
                .level(level)
                .target(target)
                .args(format_args!("{message}"))
                .build(),
        );
    }

    #[test]
    fn writes_a_line_per_event_with_its_span() {
        assert_eq!(
            lines(Filter::new(None, None), false, invocation),
            [
                r#" INFO Lambda runtime invoke{requestId="r-1"}: rejected user="jane" attempts=2"#,
                r#"ERROR Lambda runtime invoke{requestId="r-1"}: handler failed confirmed=false"#,
            ]
        );
    }

    #[test]
    fn writes_lambdas_json_log_format() {
        let mut lines = json_lines(Filter::new(Some("DEBUG"), None), invocation);
        assert_eq!(lines.len(), 3);
        let timestamp = lines[0]["timestamp"].as_str().unwrap().to_owned();
        assert!(
            timestamp.len() == 24 && timestamp.ends_with('Z') && timestamp.as_bytes()[19] == b'.',
            "{timestamp}"
        );
        lines[0].as_object_mut().unwrap().remove("timestamp");
        assert_eq!(
            lines[0],
            serde_json::json!({
                "level": "INFO",
                "message": "rejected",
                "logger": "cognito_trigger::log::tests",
                "requestId": "r-1",
                "user": "jane",
                "attempts": 2,
            })
        );
        assert_eq!(lines[1]["level"], "DEBUG");
        assert_eq!(lines[2]["confirmed"], false);
    }

    #[test]
    fn json_lines_start_with_lambdas_keys_and_keep_them() {
        let lines = lines(Filter::new(None, None), true, |_| {
            let outer = tracing::info_span!("invoke", requestId = "r-2", tenantId = "t");
            let _outer = outer.enter();
            let inner = tracing::info_span!("lookup", tenantId = "inner", table = "users");
            let _inner = inner.enter();
            tracing::warn!(level = "mine", table = "groups", "slow");
            tracing::info!(answer = 42);
        });
        let keys = |line: &str| -> Vec<String> {
            let mut keys = Vec::new();
            let mut rest = line;
            // Each key follows `{` or `,` and ends at `":`.
            while let Some(at) = rest.find("\":") {
                let start = rest[..at].rfind(['{', ',']).unwrap() + 2;
                keys.push(rest[start..at].to_owned());
                rest = &rest[at + 2..];
            }
            keys
        };
        assert_eq!(
            keys(&lines[0]),
            [
                "timestamp",
                "level",
                "message",
                "logger",
                "table",
                "tenantId",
                "requestId"
            ],
            "{}",
            lines[0]
        );
        let line: Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(
            (&line["level"], &line["table"], &line["tenantId"]),
            (&"WARN".into(), &"groups".into(), &"inner".into())
        );
        let line: Value = serde_json::from_str(&lines[1]).unwrap();
        assert_eq!(
            (&line["message"], &line["answer"]),
            (&"".into(), &42.into())
        );
    }

    #[test]
    fn log_records_are_written_inside_the_request_span() {
        let filter = || Filter::new(None, Some("info,hyper=warn"));
        let log = |logger: &Logger<Vec<u8>>| {
            record(logger, ::log::Level::Info, "aws_config::imds", "no region");
            let span = tracing::info_span!("Lambda runtime invoke", requestId = "r-3");
            let _entered = span.enter();
            record(
                logger,
                ::log::Level::Info,
                "my_trigger",
                "signed up 5 users",
            );
            record(logger, ::log::Level::Info, "hyper::client", "connected");
            record(logger, ::log::Level::Warn, "hyper::client", "retrying");
            record(logger, ::log::Level::Debug, "my_trigger", "not at info");
        };
        assert_eq!(
            lines(filter(), false, log),
            [
                " INFO no region",
                r#" INFO Lambda runtime invoke{requestId="r-3"}: signed up 5 users"#,
                r#" WARN Lambda runtime invoke{requestId="r-3"}: retrying"#,
            ]
        );
        let lines = json_lines(filter(), log);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].get("requestId"), None);
        assert_eq!(
            (
                &lines[1]["message"],
                &lines[1]["logger"],
                &lines[1]["requestId"]
            ),
            (
                &"signed up 5 users".into(),
                &"my_trigger".into(),
                &"r-3".into()
            )
        );
        assert_eq!(lines[2]["level"], "WARN");
    }

    #[test]
    fn log_is_told_the_most_verbose_level_written() {
        let logger = Logger::new(
            Filter::new(None, Some("warn,my_trigger=debug")),
            false,
            Vec::new(),
        );
        assert_eq!(
            log_level(logger.filter.max_level()),
            ::log::LevelFilter::Debug
        );
        let metadata = |level, target| {
            ::log::Metadata::builder()
                .level(level)
                .target(target)
                .build()
        };
        assert!(::log::Log::enabled(
            &logger,
            &metadata(::log::Level::Debug, "my_trigger::db")
        ));
        assert!(!::log::Log::enabled(
            &logger,
            &metadata(::log::Level::Info, "hyper")
        ));
        assert_eq!(
            log_level(Filter::new(Some("off"), None).max_level()),
            ::log::LevelFilter::Off
        );
        assert_eq!(
            log_level(Filter::new(Some("error"), Some("a=trace")).max_level()),
            ::log::LevelFilter::Trace
        );
    }

    /// lambda_runtime's `error!("{error:?}")` for each error a handler returns.
    #[test]
    fn lambda_runtimes_repeat_of_a_failure_is_dropped() {
        let lines = lines(Filter::new(None, None), false, |_| {
            tracing::error!(
                target: "lambda_runtime::layers::panic",
                "{:?}",
                lambda_runtime::Diagnostic {
                    error_type: "Rejected".into(),
                    error_message: "Sign-up is closed".into()
                }
            );
            tracing::error!(target: "lambda_runtime::layers::panic", error = "boom", "user handler panicked");
            tracing::error!(target: "lambda_runtime::layers::api_client", "Lambda Runtime API request failed");
        });
        assert_eq!(
            lines,
            [
                r#"ERROR user handler panicked error="boom""#,
                "ERROR Lambda Runtime API request failed",
            ]
        );
    }

    #[test]
    fn timestamps_are_rfc_3339_in_utc_with_milliseconds() {
        use std::time::Duration;
        let at = |seconds: u64, millis: u64| {
            timestamp(UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_868_799, 999), "2000-02-29T23:59:59.999Z");
        assert_eq!(at(1_772_409_600, 7), "2026-03-02T00:00:00.007Z");
        assert_eq!(at(4_102_444_799, 120), "2099-12-31T23:59:59.120Z");
    }

    #[test]
    fn spans_below_the_level_still_name_the_request() {
        let lines = lines(Filter::new(Some("ERROR"), None), false, invocation);
        assert_eq!(
            lines,
            [r#"ERROR Lambda runtime invoke{requestId="r-1"}: handler failed confirmed=false"#]
        );
    }

    #[test]
    fn outside_a_span_an_event_has_none() {
        let lines = lines(Filter::new(None, None), false, |_| {
            drop(tracing::info_span!("closed", id = 1));
            tracing::warn!(path = "a/b", "plain");
        });
        assert_eq!(lines, [r#" WARN plain path="a/b""#]);
    }

    #[test]
    fn reads_levels_as_lambda_and_rust_log_write_them() {
        let filter = Filter::new(
            None,
            Some("warn,cognito_trigger=debug,cognito_trigger::entry=off,junk=loud,app::db"),
        );
        assert_eq!(filter.default, LevelFilter::WARN);
        assert_eq!(
            filter.targets,
            [
                ("cognito_trigger::entry".to_owned(), LevelFilter::OFF),
                ("cognito_trigger".to_owned(), LevelFilter::DEBUG),
                ("app::db".to_owned(), LevelFilter::TRACE),
            ]
        );
        // Lambda's setting wins for the default level; FATAL is ERROR.
        assert_eq!(
            Filter::new(Some("FATAL"), Some("trace")).default,
            LevelFilter::ERROR
        );
        assert_eq!(Filter::new(Some("bogus"), None).default, LevelFilter::INFO);

        let lines = lines(filter, false, |_| {
            tracing::info!(target: "cognito_trigger::events", "kept");
            tracing::info!(target: "cognito_trigger_other", "default");
            tracing::error!(target: "cognito_trigger::entry", "off");
            tracing::warn!(target: "app", "warned");
            tracing::trace!(target: "app::db::pool", "traced");
            tracing::debug!(target: "app", "not at warn");
        });
        assert_eq!(lines, [" INFO kept", " WARN warned", "TRACE traced"]);
    }
}
