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

use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

/// Installs the logger for the process, as configured by the environment.
pub(crate) fn init() {
    let env = |name| std::env::var(name).ok();
    let logger = Logger::new(
        Filter::new(
            env("AWS_LAMBDA_LOG_LEVEL").as_deref(),
            env("RUST_LOG").as_deref(),
        ),
        env("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json")),
        std::io::stdout(),
    );
    // Fails only when a subscriber is already set, which then stays.
    let _ = tracing::subscriber::set_global_default(logger);
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

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let target = metadata.target();
        let level = self
            .targets
            .iter()
            .find(|(prefix, _)| {
                // `a` covers `a` and `a::b`, not `ab`.
                target
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
            })
            .map_or(self.default, |(_, level)| *level);
        level >= *metadata.level()
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
        self.out.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn line(&self, event: &Event<'_>) -> String {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let spans = lock(&self.spans);
        let scope: Vec<&Span> = match event.parent() {
            Some(parent) => spans.get(&parent.into_u64()).into_iter().collect(),
            None if event.is_contextual() => ENTERED.with(|entered| {
                entered
                    .borrow()
                    .iter()
                    .filter_map(|id| spans.get(id))
                    .collect()
            }),
            None => Vec::new(),
        };
        let level = event.metadata().level();
        if self.json {
            let mut line = Map::new();
            line.insert("level".into(), level.as_str().into());
            line.insert("fields".into(), Value::Object(fields.json));
            let spans: Vec<Value> = scope.iter().map(|span| span.json()).collect();
            if let Some(innermost) = spans.last() {
                line.insert("span".into(), innermost.clone());
                line.insert("spans".into(), Value::Array(spans));
            }
            Value::Object(line).to_string()
        } else {
            let mut line = format!("{level:>5} ");
            for span in &scope {
                let _ = write!(line, "{}{{{}}}:", span.name, span.fields.text);
            }
            if !scope.is_empty() {
                line.push(' ');
            }
            line.push_str(&fields.text);
            line
        }
    }
}

impl Span {
    fn json(&self) -> Value {
        let mut object = self.fields.json.clone();
        object.insert("name".into(), self.name.into());
        Value::Object(object)
    }
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
        metadata.is_span() || self.filter.enabled(metadata)
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
        lock(&self.spans).insert(id, span);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(span) = lock(&self.spans).get_mut(&span.into_u64()) {
            values.record(&mut span.fields);
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = self.line(event);
        line.push('\n');
        let mut out = lock(&self.out);
        // A log line that cannot be written is lost, not a failed invocation.
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
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
        if let Some(span) = lock(&self.spans).get_mut(&span.into_u64()) {
            span.handles += 1;
        }
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut spans = lock(&self.spans);
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

/// The data behind `mutex`, also after a panic elsewhere: a log line must
/// never take the process down.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Fields as the text format writes them (`message` first and bare, then
/// `name=value` with strings quoted) and as a JSON object.
#[derive(Default)]
struct Fields {
    text: String,
    json: Map<String, Value>,
}

impl Fields {
    fn push_text(&mut self, field: &Field, value: fmt::Arguments<'_>) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        if field.name() == "message" {
            let _ = self.text.write_fmt(value);
        } else {
            let _ = write!(self.text, "{}={value}", field.name());
        }
    }

    /// A number or a boolean: bare in the text, as itself in JSON.
    fn push_scalar<T: fmt::Display + Into<Value>>(&mut self, field: &Field, value: T) {
        self.push_text(field, format_args!("{value}"));
        self.json.insert(field.name().into(), value.into());
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.push_text(field, format_args!("{value}"));
        } else {
            self.push_text(field, format_args!("{value:?}"));
        }
        self.json.insert(field.name().into(), value.into());
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
        self.push_text(field, format_args!("{value:?}"));
        self.json
            .insert(field.name().into(), format!("{value:?}").into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The lines `log` writes through a logger with `filter`, as text or JSON.
    fn lines(filter: Filter, json: bool, log: impl FnOnce()) -> Vec<String> {
        let logger = Arc::new(Logger::new(filter, json, Vec::new()));
        tracing::subscriber::with_default(Arc::clone(&logger), log);
        let logger = Arc::into_inner(logger).expect("the only handle left");
        String::from_utf8(logger.into_output())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn invocation() {
        let span = tracing::info_span!("Lambda runtime invoke", requestId = "r-1");
        let _entered = span.enter();
        tracing::info!(user = "jane", attempts = 2, "rejected");
        tracing::debug!("not shown at INFO");
        tracing::error!(confirmed = false, "handler failed");
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
    fn writes_json_for_lambdas_json_format() {
        let lines = lines(Filter::new(Some("DEBUG"), None), true, invocation);
        let lines: Vec<Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            serde_json::json!({
                "level": "INFO",
                "fields": {"message": "rejected", "user": "jane", "attempts": 2},
                "span": {"name": "Lambda runtime invoke", "requestId": "r-1"},
                "spans": [{"name": "Lambda runtime invoke", "requestId": "r-1"}],
            })
        );
        assert_eq!(lines[1]["level"], "DEBUG");
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
        let lines = lines(Filter::new(None, None), false, || {
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

        let lines = lines(filter, false, || {
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
