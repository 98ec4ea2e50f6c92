//! Each function's pool of processes, as Lambda has execution
//! environments: a request takes an idle process (warm) or starts one
//! (cold), with the environment Lambda would give it, while the function has
//! fewer than its maximum; idle processes are stopped after a while.

use crate::api::error_body;
use crate::package::local_region;
use crate::server::Shared;
use crate::{Function, Record};
use cognito_trigger::testing::{InvokeError, LambdaProcess, Reply};
use cognito_trigger_core::date;
use cognito_trigger_core::sync::Recover;
use hyper::body::Bytes;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub(crate) struct Pool {
    pub(crate) function: Function,
    state: Mutex<PoolState>,
}

#[derive(Default)]
struct PoolState {
    /// Idle processes and since when, the most recently used last.
    idle: Vec<(LambdaProcess, Instant)>,
    busy: usize,
    /// Replaced by a rebuild, or stopped: processes coming back are stopped.
    retired: bool,
}

/// A process taken from its pool for one invocation; it goes back on drop.
pub(crate) struct Lease {
    shared: Arc<Shared>,
    pool: Arc<Pool>,
    process: Option<LambdaProcess>,
}

impl Pool {
    pub(crate) fn new(function: Function) -> Arc<Pool> {
        Arc::new(Pool {
            function,
            state: Mutex::new(PoolState::default()),
        })
    }

    /// Stops its idle processes, and those still running when they return.
    pub(crate) fn retire(&self) {
        let idle = {
            let mut state = self.state.lock().recover();
            state.retired = true;
            std::mem::take(&mut state.idle)
        };
        drop(idle);
    }
}

impl Shared {
    pub(crate) fn pool(&self, name: &str) -> Option<Arc<Pool>> {
        self.pools
            .read()
            .recover()
            .iter()
            .find(|pool| pool.function.logical_id == name || pool.function.bin == name)
            .cloned()
    }

    /// An idle process of the function, or a new one if it has fewer than
    /// its maximum; `None` if it has that many busy.
    pub(crate) fn lease(self: &Arc<Self>, pool: &Arc<Pool>) -> Option<Lease> {
        let mut state = pool.state.lock().recover();
        if state.retired {
            return None;
        }
        let process = match state.idle.pop() {
            Some((process, _)) => process,
            None if state.busy < self.options.max_concurrency => self.process(&pool.function),
            None => return None,
        };
        state.busy += 1;
        *self.leased.0.lock().recover() += 1;
        Some(Lease {
            shared: Arc::clone(self),
            pool: Arc::clone(pool),
            process: Some(process),
        })
    }

    /// A new process of `function` (started by its first invocation), with
    /// the environment Lambda would give it.
    fn process(&self, function: &Function) -> LambdaProcess {
        let region = local_region();
        let lambda = [
            ("AWS_LAMBDA_FUNCTION_NAME", function.logical_id.clone()),
            (
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                function.memory.to_string(),
            ),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
            ("AWS_LAMBDA_LOG_GROUP_NAME", function.log_group.clone()),
            ("AWS_LAMBDA_LOG_STREAM_NAME", log_stream()),
            ("AWS_REGION", region.clone()),
            ("AWS_DEFAULT_REGION", region),
            ("TZ", ":UTC".into()),
            ("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin".into()),
        ];
        let format = function
            .log_format
            .as_ref()
            .map(|format| ("AWS_LAMBDA_LOG_FORMAT", format.clone()));
        let (all, own): (Vec<_>, Vec<_>) = self
            .options
            .env
            .iter()
            .filter(|variable| variable.applies_to(function))
            .map(|variable| {
                let value = (variable.name.as_str(), variable.value.clone());
                (variable.function.is_none(), value)
            })
            .partition(|(all, _)| *all);
        // Later variables win: the template's, Lambda's, this process's
        // `AWS_*`, then the overrides, for all functions before one's own.
        let variables = function
            .environment
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone()))
            .chain(lambda)
            .chain(format)
            .chain(
                self.passthrough
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.clone())),
            )
            .chain(all.into_iter().map(|(_, variable)| variable))
            .chain(own.into_iter().map(|(_, variable)| variable));
        variables.fold(
            LambdaProcess::new(&function.binary, &function.logical_id)
                .timeout(function.timeout)
                .env_clear(),
            |process, (name, value)| process.env(name, value),
        )
    }

    /// Stops the processes idle for longer than the idle timeout.
    pub(crate) fn reap(&self) {
        let limit = self.options.idle_timeout;
        let mut reaped = Vec::new();
        for pool in self.pools.read().recover().iter() {
            let mut state = pool.state.lock().recover();
            let (old, fresh) = std::mem::take(&mut state.idle)
                .into_iter()
                .partition(|(_, since)| since.elapsed() >= limit);
            state.idle = fresh;
            reaped.extend::<Vec<_>>(old);
        }
        drop(reaped);
    }

    fn record(&self, function: &Function, payload: &[u8], error_type: Option<String>) {
        let trigger_source = serde_json::from_slice::<Value>(payload)
            .ok()
            .and_then(|event| event["triggerSource"].as_str().map(str::to_owned))
            .unwrap_or_default();
        self.records.lock().recover().push(Record {
            function: function.logical_id.clone(),
            trigger_source,
            error_type,
        });
    }
}

impl Lease {
    /// Runs the invocation and records it: (response body, `errorType` of a
    /// function error, the invocation's log).
    pub(crate) async fn invoke(mut self, payload: Bytes) -> (Vec<u8>, Option<String>, String) {
        tokio::task::spawn_blocking(move || {
            let process = self.process.as_mut().expect("leased");
            let outcome = process.invoke(&payload);
            let log = process.invocation_log().to_owned();
            let (body, error_type) = match outcome {
                Ok(Reply::Response(body)) => (body, None),
                Ok(Reply::Error {
                    error_type,
                    error_message,
                }) => (error_body(&error_type, &error_message), Some(error_type)),
                Err(error) => {
                    let error_type = match error {
                        InvokeError::Timeout(_) => "Sandbox.Timedout",
                        InvokeError::Exited(_) => "Runtime.ExitError",
                        InvokeError::Start(_) => "Runtime.InvalidEntrypoint",
                    };
                    (
                        error_body(error_type, &format!("Error: {error}")),
                        Some(error_type.to_owned()),
                    )
                }
            };
            self.shared
                .record(&self.pool.function, &payload, error_type.clone());
            (body, error_type, log)
        })
        .await
        .expect("an invocation does not panic")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let process = self.process.take().expect("leased");
        let stopped = {
            let mut state = self.pool.state.lock().recover();
            state.busy -= 1;
            if state.retired {
                Some(process)
            } else {
                state.idle.push((process, Instant::now()));
                None
            }
        };
        // Stopped before it counts as returned, so that `stop` waits for it.
        drop(stopped);
        let (leased, returned) = &self.shared.leased;
        *leased.lock().recover() -= 1;
        returned.notify_all();
    }
}

/// A log stream's name as Lambda makes them: the day, the version, and an
/// ID of the execution environment.
fn log_stream() -> String {
    static STREAMS: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (year, month, day) = date::civil(now.as_secs() / 86_400);
    let id = (u128::from(std::process::id()) << 64)
        | u128::from(STREAMS.fetch_add(1, Ordering::Relaxed))
        | (now.as_nanos() << 80);
    format!("{year}/{month:02}/{day:02}/[$LATEST]{id:032x}")
}
