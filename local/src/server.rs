//! The invoke API server, on hyper. Each function has a pool of processes,
//! as Lambda has execution environments: a request takes an idle process
//! (warm) or starts one (cold) while the function has fewer than its
//! maximum, and is throttled beyond it; idle processes are stopped after a
//! while.

use crate::Function;
use crate::package::local_region;
use cognito_trigger::testing::{InvokeError, LambdaProcess, Reply};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

/// Lambda's payload limits: synchronous and asynchronous invocations.
const SYNC_LIMIT: usize = 6 * 1024 * 1024;
const ASYNC_LIMIT: usize = 1024 * 1024;
/// `X-Amz-Log-Result` carries the log's last 4 KB.
const TAIL: usize = 4 * 1024;
/// The waits before the two retries of a failed asynchronous invocation:
/// Lambda waits about one minute, then two; shortened for local runs.
const RETRY_DELAYS: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(2)];

/// How the server runs the functions.
#[derive(Clone, Debug)]
pub struct Options {
    /// Processes per function at most, as a function's reserved
    /// concurrency: a synchronous request beyond it is answered 429.
    pub max_concurrency: usize,
    /// How long an idle process is kept for the next request.
    pub idle_timeout: Duration,
    /// Variables over the template's and Lambda's, for every function
    /// (`None`) or one (`Some`: its logical ID or binary name), later ones
    /// winning.
    pub env: Vec<(Option<String>, String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_concurrency: 10,
            idle_timeout: Duration::from_secs(300),
            env: Vec::new(),
        }
    }
}

/// One invocation, as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub function: String,
    pub trigger_source: String,
    /// `None` on success, else the `errorType` returned.
    pub error_type: Option<String>,
}

pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
    runtime: Mutex<Option<Runtime>>,
    accepting: Mutex<Option<JoinHandle<()>>>,
}

struct Shared {
    pools: RwLock<Vec<Arc<Pool>>>,
    options: Options,
    /// This process's `AWS_*` variables, for the SDKs in the functions
    /// (endpoints of local emulators, credentials).
    passthrough: Vec<(String, String)>,
    records: Mutex<Vec<Record>>,
    stopped: AtomicBool,
    /// Processes out of their pools, running an invocation.
    leased: (Mutex<usize>, Condvar),
}

struct Pool {
    function: Function,
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
struct Lease {
    shared: Arc<Shared>,
    pool: Arc<Pool>,
    process: Option<LambdaProcess>,
}

impl Server {
    /// Serves `functions` on 127.0.0.1:`port` (0: any free port).
    pub fn start(functions: Vec<Function>, port: u16) -> io::Result<Server> {
        Self::start_with(functions, port, Options::default())
    }

    pub fn start_with(functions: Vec<Function>, port: u16, options: Options) -> io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let shared = Arc::new(Shared {
            pools: RwLock::new(functions.into_iter().map(Pool::new).collect()),
            options,
            passthrough: std::env::vars()
                .filter(|(name, _)| name.starts_with("AWS_") && !name.starts_with("AWS_LAMBDA_"))
                .collect(),
            records: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
            leased: (Mutex::new(0), Condvar::new()),
        });
        let serving = Arc::clone(&shared);
        let accepting = runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let shared = Arc::clone(&serving);
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, Infallible>(shared.answer(request).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        let reaping = Arc::downgrade(&shared);
        std::thread::spawn(move || {
            while let Some(shared) = reaping.upgrade() {
                if shared.stopped.load(Ordering::SeqCst) {
                    return;
                }
                shared.reap();
                let tick = (shared.options.idle_timeout / 4).min(Duration::from_secs(1));
                drop(shared);
                std::thread::sleep(tick);
            }
        });
        Ok(Server {
            address,
            shared,
            runtime: Mutex::new(Some(runtime)),
            accepting: Mutex::new(Some(accepting)),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every invocation so far, in order, asynchronous attempts included.
    pub fn records(&self) -> Vec<Record> {
        self.shared.records.lock().expect("not poisoned").clone()
    }

    /// Serves `functions` from now on: the processes of the previous ones
    /// are stopped, the running ones once their invocation ends.
    pub fn reload(&self, functions: Vec<Function>) {
        let pools = functions.into_iter().map(Pool::new).collect();
        let old = std::mem::replace(
            &mut *self.shared.pools.write().expect("not poisoned"),
            pools,
        );
        for pool in old {
            pool.retire();
        }
    }

    /// Stops serving and stops every function process, waiting for running
    /// invocations to end (their timeout ends them).
    pub fn stop(&self) {
        if self.shared.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(accepting) = self.accepting.lock().expect("not poisoned").take() {
            accepting.abort();
        }
        for pool in self.shared.pools.read().expect("not poisoned").iter() {
            pool.retire();
        }
        let (leased, returned) = &self.shared.leased;
        let leased = leased.lock().expect("not poisoned");
        drop(
            returned
                .wait_while(leased, |leased| *leased > 0)
                .expect("not poisoned"),
        );
        if let Some(runtime) = self.runtime.lock().expect("not poisoned").take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Pool {
    fn new(function: Function) -> Arc<Pool> {
        Arc::new(Pool {
            function,
            state: Mutex::new(PoolState::default()),
        })
    }

    /// Stops its idle processes, and those still running when they return.
    fn retire(&self) {
        let idle = {
            let mut state = self.state.lock().expect("not poisoned");
            state.retired = true;
            std::mem::take(&mut state.idle)
        };
        drop(idle);
    }
}

impl Shared {
    fn pool(&self, name: &str) -> Option<Arc<Pool>> {
        self.pools
            .read()
            .expect("not poisoned")
            .iter()
            .find(|pool| pool.function.logical_id == name || pool.function.bin == name)
            .cloned()
    }

    /// An idle process of the function, or a new one if it has fewer than
    /// its maximum; `None` if it has that many busy.
    fn lease(self: &Arc<Self>, pool: &Arc<Pool>) -> Option<Lease> {
        let mut state = pool.state.lock().expect("not poisoned");
        if state.retired {
            return None;
        }
        let process = match state.idle.pop() {
            Some((process, _)) => process,
            None if state.busy < self.options.max_concurrency => self.process(&pool.function),
            None => return None,
        };
        state.busy += 1;
        *self.leased.0.lock().expect("not poisoned") += 1;
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
            .filter(|(only, _, _)| {
                only.as_ref()
                    .is_none_or(|f| *f == function.logical_id || *f == function.bin)
            })
            .map(|(only, name, value)| (only.is_none(), (name.as_str(), value.clone())))
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
    fn reap(&self) {
        let limit = self.options.idle_timeout;
        let mut reaped = Vec::new();
        for pool in self.pools.read().expect("not poisoned").iter() {
            let mut state = pool.state.lock().expect("not poisoned");
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
        self.records.lock().expect("not poisoned").push(Record {
            function: function.logical_id.clone(),
            trigger_source,
            error_type,
        });
    }

    async fn answer(self: Arc<Self>, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let path = request.uri().path();
        let name = path
            .strip_prefix("/2015-03-31/functions/")
            .and_then(|rest| rest.strip_suffix("/invocations"))
            .filter(|_| request.method() == hyper::Method::POST);
        let Some(name) = name else {
            let message = format!("unknown operation {} {path}", request.method());
            return error(404, "UnknownOperationException", message);
        };
        let name = function_name(name);
        let Some(pool) = self.pool(&name) else {
            let message = format!(
                "Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}"
            );
            return error(404, "ResourceNotFoundException", message);
        };
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let kind = header("X-Amz-Invocation-Type").unwrap_or_else(|| "RequestResponse".into());
        let tail = header("X-Amz-Log-Type").is_some_and(|t| t == "Tail");
        let limit = match kind.as_str() {
            "RequestResponse" | "DryRun" => SYNC_LIMIT,
            "Event" => ASYNC_LIMIT,
            _ => {
                let message = format!(
                    "1 validation error detected: Value '{kind}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
                );
                return error(400, "ValidationException", message);
            }
        };
        let payload = match read_body(request.into_body(), limit).await {
            Ok(Some(payload)) => payload,
            Ok(None) => {
                let message = format!(
                    "Request must be smaller than {limit} bytes for the InvokeFunction operation"
                );
                return error(413, "RequestTooLargeException", message);
            }
            Err(cause) => return error(400, "InvalidRequestContentException", cause.to_string()),
        };
        // An empty payload is passed on as it is.
        if let Some(cause) = (!payload.is_empty())
            .then(|| serde_json::from_slice::<Value>(&payload).err())
            .flatten()
        {
            let message = format!(
                "Could not parse request body into json: Could not parse payload into json: {cause}"
            );
            return error(400, "InvalidRequestContentException", message);
        }
        match kind.as_str() {
            "DryRun" => respond(204, &[], Vec::new()),
            "Event" => {
                tokio::spawn(self.deliver(name, payload));
                respond(202, &[], Vec::new())
            }
            _ => {
                let Some(lease) = self.lease(&pool) else {
                    return throttled();
                };
                let (body, error_type, log) = lease.invoke(payload).await;
                let mut headers = vec![
                    ("Content-Type", "application/json".to_owned()),
                    ("X-Amz-Executed-Version", "$LATEST".to_owned()),
                ];
                if error_type.is_some() {
                    headers.push(("X-Amz-Function-Error", "Unhandled".to_owned()));
                }
                if tail {
                    let log = log.as_bytes();
                    let last = &log[log.len().saturating_sub(TAIL)..];
                    headers.push(("X-Amz-Log-Result", base64(last)));
                }
                respond(200, &headers, body)
            }
        }
    }

    /// An asynchronous invocation: it waits for a free process (Lambda
    /// queues it), and a function error is retried twice, after the
    /// [`RETRY_DELAYS`]; then it is dropped, with a line saying so.
    async fn deliver(self: Arc<Self>, name: String, payload: Bytes) {
        for attempt in 0..=RETRY_DELAYS.len() {
            let lease = loop {
                if self.stopped.load(Ordering::SeqCst) {
                    return;
                }
                if let Some(lease) = self.pool(&name).and_then(|pool| self.lease(&pool)) {
                    break lease;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let (_, error_type, _) = lease.invoke(payload.clone()).await;
            let Some(error_type) = error_type else {
                return;
            };
            match RETRY_DELAYS.get(attempt) {
                Some(delay) => tokio::time::sleep(*delay).await,
                None => eprintln!(
                    "{name}: an asynchronous invocation failed {} times ({error_type}) and is dropped; Lambda would send it to the function's dead-letter queue or on-failure destination",
                    attempt + 1
                ),
            }
        }
    }
}

impl Lease {
    /// Runs the invocation and records it: (response body, `errorType` of a
    /// function error, the invocation's log).
    async fn invoke(mut self, payload: Bytes) -> (Vec<u8>, Option<String>, String) {
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
            let mut state = self.pool.state.lock().expect("not poisoned");
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
        *leased.lock().expect("not poisoned") -= 1;
        returned.notify_all();
    }
}

/// The request's body, or `None` if it is over `limit` bytes. A body over
/// the limit is still read to its end, so that the client, which sends all
/// of it before reading, gets the answer rather than a reset connection.
async fn read_body(mut body: Incoming, limit: usize) -> Result<Option<Bytes>, hyper::Error> {
    let mut payload = Vec::new();
    let mut length = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            length += data.len();
            if length <= limit {
                payload.extend_from_slice(&data);
            }
        }
    }
    Ok((length <= limit).then(|| Bytes::from(payload)))
}

/// A log stream's name as Lambda makes them: the day, the version, and an
/// ID of the execution environment.
fn log_stream() -> String {
    static STREAMS: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (year, month, day) = civil_date(now.as_secs() / 86_400);
    let id = (u128::from(std::process::id()) << 64)
        | u128::from(STREAMS.fetch_add(1, Ordering::Relaxed))
        | (now.as_nanos() << 80);
    format!("{year}/{month:02}/{day:02}/[$LATEST]{id:032x}")
}

/// The date of a day since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u64::from(month <= 2), month, day)
}

/// The function's name from the path: a name, a (URL-encoded) ARN, either
/// possibly with a `:qualifier`.
fn function_name(raw: &str) -> String {
    let decoded = raw.replace("%3A", ":").replace("%3a", ":");
    let name = decoded
        .rsplit_once("function:")
        .map_or(decoded.as_str(), |(_, name)| name);
    name.split(':').next().unwrap_or(name).to_owned()
}

fn error_body(error_type: &str, error_message: &str) -> Vec<u8> {
    json!({"errorType": error_type, "errorMessage": error_message})
        .to_string()
        .into_bytes()
}

fn respond(status: u16, headers: &[(&str, String)], body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
    for (name, value) in headers {
        response.headers_mut().insert(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("a valid name"),
            hyper::header::HeaderValue::from_str(value).expect("a valid value"),
        );
    }
    response
}

/// An error of the Lambda API itself, in its shape: the type in
/// `x-amzn-ErrorType`, and `{"Type", "message"}`.
fn error(status: u16, error_type: &str, message: String) -> Response<Full<Bytes>> {
    api_error(
        status,
        error_type,
        json!({"Type": "User", "message": message}),
    )
}

fn api_error(status: u16, error_type: &str, body: Value) -> Response<Full<Bytes>> {
    respond(
        status,
        &[
            ("Content-Type", "application/json".to_owned()),
            ("x-amzn-ErrorType", error_type.to_owned()),
        ],
        body.to_string().into_bytes(),
    )
}

/// Lambda's answer when a function is at its concurrency limit.
fn throttled() -> Response<Full<Bytes>> {
    api_error(
        429,
        "TooManyRequestsException",
        json!({
            "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
            "Type": "User",
            "message": "Rate Exceeded.",
        }),
    )
}

/// Standard base64, padded, as `X-Amz-Log-Result` is.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_arns_and_qualifiers() {
        assert_eq!(function_name("pre_sign_up"), "pre_sign_up");
        assert_eq!(
            function_name("PreSignUpLambdaFunction:%24LATEST"),
            "PreSignUpLambdaFunction"
        );
        assert_eq!(
            function_name("arn%3Aaws%3Alambda%3Aus-east-1%3A123%3Afunction%3AF"),
            "F"
        );
    }

    #[test]
    fn base64_as_rfc_4648_gives_it() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn dates_of_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_788), (2026, 12, 1));
    }
}
