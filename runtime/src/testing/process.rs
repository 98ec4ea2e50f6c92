//! A Lambda function binary run as Lambda runs it: the process polls a
//! Lambda runtime API, here served on 127.0.0.1, for one event at a time.
//! Like Lambda, a process that overruns its timeout is killed, and one that
//! exits is started again for the next invocation. The timeout counts from
//! the moment the process takes the event, so a cold start does not count
//! towards it; the start itself may take Lambda's 10 seconds of init.
//!
//! What the process writes on stdout and stderr is its log, as Lambda
//! collects it; each invocation's part of it, framed by Lambda's `START`,
//! `END` and `REPORT` lines, is kept for [`LambdaProcess::invocation_log`].
//!
//! The runtime API is served by hyper on a current-thread tokio runtime of
//! its own, on a thread of its own: [`LambdaProcess`] is blocking, and needs
//! no runtime from its caller, which may be a test or async code.

use super::Reply;
use cognito_trigger_core::sync::Recover;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The memory Lambda reports a function has, unless told otherwise, in MB.
const MEMORY_SIZE: &str = "128";

/// Lambda's limit on a function's initialization (a cold start).
const INIT_LIMIT: Duration = Duration::from_secs(10);

/// Request IDs are unique across every process of this test or server.
static INVOCATIONS: AtomicU64 = AtomicU64::new(0);

/// Lambda's payload limit for a synchronous invocation: a larger answer is
/// refused (its connection closed) rather than buffered.
const MAX_BODY: usize = 6 * 1024 * 1024;

/// Marks the lines this harness writes into a process's log (Lambda's
/// platform lines), which no function writes, so they can be told apart.
const PLATFORM: u8 = 0;

/// An invocation the function did not answer.
#[derive(Debug)]
pub enum InvokeError {
    /// It overran the timeout; the process was killed.
    Timeout(Duration),
    /// The process exited before answering.
    Exited(ExitStatus),
    /// The process or the runtime API could not be started.
    Start(io::Error),
}

impl std::fmt::Display for InvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout(limit) => {
                write!(f, "Task timed out after {:.2} seconds", limit.as_secs_f64())
            }
            Self::Exited(status) => write!(f, "Runtime exited with error: {status}"),
            Self::Start(error) => write!(f, "cannot start the function: {error}"),
        }
    }
}

impl std::error::Error for InvokeError {}

/// A function's binary, started by its first invocation and kept running
/// between invocations, as a warm Lambda execution environment is.
pub struct LambdaProcess {
    binary: PathBuf,
    name: String,
    timeout: Duration,
    env: Vec<(String, String)>,
    env_clear: bool,
    log: Option<PathBuf>,
    running: Option<Running>,
    invocation_log: String,
}

/// A live process and the runtime API it polls; each process gets its own,
/// so a dead process's pending poll can never take the next event.
struct Running {
    child: Child,
    api: Arc<Api>,
    results: Receiver<(String, Outcome)>,
    log: Log,
    started: Instant,
    /// Whether an invocation has run on it: the first one reports its init.
    warm: bool,
}

/// The process's log: both its outputs go into one socket, in order, read by
/// a thread that writes them to the sink and keeps the current invocation's
/// lines. The platform lines are written into the same socket after the
/// function's answer, so once the reader sees `REPORT`, every line the
/// function wrote before answering has been read.
struct Log {
    writer: std::os::unix::net::UnixStream,
    shared: Arc<(Mutex<Capture>, Condvar)>,
}

#[derive(Default)]
struct Capture {
    /// The current invocation's lines, while it runs.
    lines: Option<String>,
    /// The request whose `REPORT` line the reader saw last.
    reported: String,
}

struct Api {
    pending: Mutex<Pending>,
    /// Wakes the polls waiting for an event, and the server once closed.
    changed: tokio::sync::Notify,
    results: Sender<(String, Outcome)>,
    function_arn: String,
}

#[derive(Default)]
struct Pending {
    event: Option<Event>,
    closed: bool,
}

struct Event {
    id: String,
    payload: Vec<u8>,
    deadline_ms: u128,
    /// When the process took it, if it has.
    taken: Option<Instant>,
    timeout: Duration,
}

enum Outcome {
    Response(Vec<u8>),
    Error(Vec<u8>),
}

impl LambdaProcess {
    /// The function in `binary`, named `name`, with Cognito's 5-second timeout.
    pub fn new(binary: impl Into<PathBuf>, name: impl Into<String>) -> Self {
        Self {
            binary: binary.into(),
            name: name.into(),
            timeout: Duration::from_secs(5),
            env: Vec::new(),
            env_clear: false,
            log: None,
            running: None,
            invocation_log: String::new(),
        }
    }

    /// The function's timeout, counted from when the process takes an event.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// An environment variable for the process, besides Lambda's own.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Starts the process with only Lambda's variables and those given with
    /// [`env`](Self::env), as Lambda does, rather than with this process's
    /// environment as well.
    pub fn env_clear(mut self) -> Self {
        self.env_clear = true;
        self
    }

    /// Appends what the process writes on stdout and stderr, its log (CloudWatch's on
    /// Lambda), to the file at `path`, across restarts; by default it goes
    /// to the test's own stdout.
    pub fn log_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.log = Some(path.into());
        self
    }

    /// Sends `payload` to the function and waits for its answer.
    pub fn invoke(&mut self, payload: &[u8]) -> Result<Reply, InvokeError> {
        let id = format!(
            "{}-{:08}",
            self.name,
            INVOCATIONS.fetch_add(1, Ordering::Relaxed) + 1
        );
        let timeout = self.timeout;
        let running = self.ensure_running().map_err(InvokeError::Start)?;
        running
            .log
            .begin(&format!("START RequestId: {id} Version: $LATEST"));
        let offered = Instant::now();
        running.api.offer(Event {
            id: id.clone(),
            payload: payload.to_vec(),
            deadline_ms: 0,
            taken: None,
            timeout,
        });
        let outcome = loop {
            match running.results.recv_timeout(Duration::from_millis(10)) {
                Ok((answered, outcome)) if answered == id => {
                    break Ok(match outcome {
                        Outcome::Response(body) => Reply::Response(body),
                        Outcome::Error(body) => error_document(&body),
                    });
                }
                Ok(_) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the API holds a sender"),
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                break Err(InvokeError::Exited(status));
            }
            match running.api.taken() {
                Some(taken) if taken.elapsed() >= timeout => {
                    break Err(InvokeError::Timeout(timeout));
                }
                None if offered.elapsed() >= INIT_LIMIT => {
                    break Err(InvokeError::Timeout(INIT_LIMIT));
                }
                _ => {}
            }
        };
        let taken = running.api.taken();
        running.api.clear();
        let mut end = String::new();
        if let Err(error @ InvokeError::Timeout(_)) = &outcome {
            end.push_str(&format!("{id} {error}\n"));
        }
        let duration = taken.map_or(Duration::ZERO, |t| t.elapsed());
        let ms = duration.as_secs_f64() * 1000.0;
        end.push_str(&format!(
            "END RequestId: {id}\nREPORT RequestId: {id}\tDuration: {ms:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB",
            ms.ceil(),
            self.env_value("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                .unwrap_or(MEMORY_SIZE)
        ));
        let running = self.running.as_mut().expect("invoked");
        if !running.warm {
            let init = taken.unwrap_or(offered) - running.started;
            end.push_str(&format!(
                "\tInit Duration: {:.2} ms",
                init.as_secs_f64() * 1000.0
            ));
            running.warm = true;
        }
        self.invocation_log = running.log.end(&end, &id);
        if outcome.is_err() {
            self.stop();
        }
        outcome
    }

    /// What the process logged during the last invocation, between Lambda's
    /// `START` and `REPORT` lines, which it includes.
    pub fn invocation_log(&self) -> &str {
        &self.invocation_log
    }

    /// The value the process gets for `name` from [`env`](Self::env).
    fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn ensure_running(&mut self) -> io::Result<&mut Running> {
        let alive = match &mut self.running {
            Some(running) => running.child.try_wait()?.is_none(),
            None => false,
        };
        if !alive {
            self.stop();
            self.running = Some(self.start()?);
        }
        Ok(self.running.as_mut().expect("just started"))
    }

    fn start(&self) -> io::Result<Running> {
        let (sender, results) = mpsc::channel();
        let (api, address) = Api::start(
            format!(
                "arn:aws:lambda:us-east-1:000000000000:function:{}",
                self.name
            ),
            sender,
        )?;
        // Without a process, nothing would ever close the API.
        let (log, child) = self.spawn(address).inspect_err(|_| api.close())?;
        Ok(Running {
            child,
            api,
            results,
            log,
            started: Instant::now(),
            warm: false,
        })
    }

    /// The process, polling the runtime API at `address`, and its log.
    fn spawn(&self, address: SocketAddr) -> io::Result<(Log, Child)> {
        let sink: Box<dyn Write + Send> = match &self.log {
            Some(path) => Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            ),
            None => Box::new(io::stdout()),
        };
        let (log, output) = Log::start(sink)?;
        let mut command = self.command(address);
        command
            .stdout(Stdio::from(std::os::fd::OwnedFd::from(output.try_clone()?)))
            .stderr(Stdio::from(std::os::fd::OwnedFd::from(output)));
        Ok((log, command.spawn()?))
    }

    fn command(&self, address: SocketAddr) -> Command {
        let mut command = Command::new(&self.binary);
        if self.env_clear {
            command.env_clear();
        }
        command
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", &self.name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", MEMORY_SIZE)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", self.name),
            )
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Kills the process, as Lambda does after a timeout; the next
    /// invocation starts a new one.
    pub fn stop(&mut self) {
        if let Some(mut running) = self.running.take() {
            let _ = running.child.kill();
            let _ = running.child.wait();
            running.api.close();
        }
    }
}

impl Drop for LambdaProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Log {
    /// The log's reader, writing to `sink`, and the socket end the process
    /// writes to.
    fn start(mut sink: Box<dyn Write + Send>) -> io::Result<(Log, std::os::unix::net::UnixStream)> {
        let (reader, writer) = std::os::unix::net::UnixStream::pair()?;
        let output = writer.try_clone()?;
        let shared = Arc::new((Mutex::new(Capture::default()), Condvar::new()));
        let reading = Arc::clone(&shared);
        thread::spawn(move || {
            let mut reader = BufReader::new(reader);
            let mut line = Vec::new();
            while reader
                .read_until(b'\n', &mut line)
                .is_ok_and(|read| read > 0)
            {
                let platform = line.first() == Some(&PLATFORM);
                let text = String::from_utf8_lossy(if platform { &line[1..] } else { &line });
                if !platform {
                    let _ = sink.write_all(&line).and_then(|()| sink.flush());
                }
                let (capture, changed) = &*reading;
                let mut capture = capture.lock().recover();
                if let Some(lines) = &mut capture.lines {
                    lines.push_str(&text);
                }
                if let Some(id) = platform
                    .then(|| text.strip_prefix("REPORT RequestId: "))
                    .flatten()
                {
                    capture.reported = id.split('\t').next().unwrap_or_default().to_owned();
                    changed.notify_all();
                }
                line.clear();
            }
        });
        Ok((Log { writer, shared }, output))
    }

    /// Starts keeping lines, from the invocation's `START` line on.
    fn begin(&mut self, start: &str) {
        self.shared.0.lock().recover().lines = Some(String::new());
        self.platform(start);
    }

    /// Writes the invocation's last lines, waits for the reader to reach
    /// them, and returns the invocation's lines.
    fn end(&mut self, end: &str, id: &str) -> String {
        self.platform(end);
        let (capture, changed) = &*self.shared;
        let capture = capture.lock().recover();
        // A process that fills the socket without end could keep the reader
        // from the REPORT line; the invocation's answer does not wait on it.
        let (mut capture, _) = changed
            .wait_timeout_while(capture, Duration::from_secs(1), |c| c.reported != id)
            .recover();
        capture.lines.take().unwrap_or_default()
    }

    fn platform(&mut self, text: &str) {
        for line in text.lines() {
            let _ = self
                .writer
                .write_all(&[&[PLATFORM], line.as_bytes(), b"\n"].concat());
        }
    }
}

fn error_document(body: &[u8]) -> Reply {
    let document: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let field = |name: &str| document[name].as_str().unwrap_or_default().to_owned();
    Reply::Error {
        error_type: field("errorType"),
        error_message: field("errorMessage"),
    }
}

impl Api {
    /// Serves the runtime API on a free port of 127.0.0.1 until closed.
    fn start(
        function_arn: String,
        results: Sender<(String, Outcome)>,
    ) -> io::Result<(Arc<Api>, SocketAddr)> {
        let (runtime, listener, address) =
            super::loopback::bind(0, tokio::runtime::Builder::new_current_thread().enable_io())?;
        let api = Arc::new(Api {
            pending: Mutex::new(Pending::default()),
            changed: tokio::sync::Notify::new(),
            results,
            function_arn,
        });
        let serving = Arc::clone(&api);
        thread::spawn(move || {
            runtime.block_on(async {
                let api = Arc::clone(&serving);
                tokio::spawn(super::loopback::serve(listener, move |request| {
                    Arc::clone(&api).answer(request)
                }));
                serving.until(|pending| pending.closed.then_some(())).await;
            });
            // Dropping the runtime here ends the accepting loop and every
            // connection, a pending poll included.
        });
        Ok((api, address))
    }

    fn offer(&self, event: Event) {
        self.pending.lock().recover().event = Some(event);
        self.changed.notify_waiters();
    }

    fn clear(&self) {
        self.pending.lock().recover().event = None;
    }

    /// When the process took the pending event, if it has.
    fn taken(&self) -> Option<Instant> {
        let pending = self.pending.lock().recover();
        pending.event.as_ref().and_then(|e| e.taken)
    }

    fn close(&self) {
        self.pending.lock().recover().closed = true;
        self.changed.notify_waiters();
    }

    /// Waits until `ready` finds what it looks for in the pending state.
    async fn until<T>(&self, mut ready: impl FnMut(&mut Pending) -> Option<T>) -> T {
        loop {
            // Made before looking, so that a change in between still wakes it.
            let changed = self.changed.notified();
            let found = ready(&mut self.pending.lock().recover());
            if let Some(found) = found {
                return found;
            }
            changed.await;
        }
    }

    /// The answer to one request of the process; an error (a body over
    /// [`MAX_BODY`]) closes the connection.
    async fn answer(
        self: Arc<Self>,
        request: Request<Incoming>,
    ) -> Result<Response<Full<Bytes>>, Box<dyn std::error::Error + Send + Sync>> {
        let path = request.uri().path();
        let path = path
            .strip_prefix("/2018-06-01/runtime")
            .unwrap_or(path)
            .to_owned();
        if request.method() == Method::GET && path == "/invocation/next" {
            let (id, payload, deadline_ms) = self.next_event().await;
            let mut response = Response::new(Full::new(Bytes::from(payload)));
            let headers = response.headers_mut();
            headers.insert("content-type", "application/json".parse()?);
            headers.insert("lambda-runtime-aws-request-id", id.parse()?);
            headers.insert(
                "lambda-runtime-deadline-ms",
                deadline_ms.to_string().parse()?,
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                self.function_arn.parse()?,
            );
            return Ok(response);
        }
        let body = Limited::new(request.into_body(), MAX_BODY)
            .collect()
            .await?
            .to_bytes()
            .to_vec();
        let result = if let Some(rest) = path.strip_prefix("/invocation/") {
            let (id, kind) = rest.split_once('/').unwrap_or((rest, ""));
            let outcome = match kind {
                "response" => Outcome::Response(body),
                _ => Outcome::Error(body),
            };
            Some((id.to_owned(), outcome))
        } else if path == "/init/error" {
            let id = self.current_id().unwrap_or_default();
            Some((id, Outcome::Error(body)))
        } else {
            None
        };
        let (status, answer) = match result {
            Some(result) => {
                let _ = self.results.send(result);
                (StatusCode::ACCEPTED, &b"{\"status\":\"OK\"}"[..])
            }
            None => (
                StatusCode::NOT_FOUND,
                &b"{\"errorMessage\":\"unknown path\"}"[..],
            ),
        };
        let mut response = Response::new(Full::new(Bytes::from_static(answer)));
        *response.status_mut() = status;
        Ok(response)
    }

    /// Waits for an event no poll has taken: (id, payload, deadline).
    async fn next_event(&self) -> (String, Vec<u8>, u128) {
        self.until(|pending| {
            let event = pending.event.as_mut().filter(|e| e.taken.is_none())?;
            // The timeout runs from here: the time to start does not count.
            event.taken = Some(Instant::now());
            event.deadline_ms = (SystemTime::now() + event.timeout)
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            Some((event.id.clone(), event.payload.clone(), event.deadline_ms))
        })
        .await
    }

    fn current_id(&self) -> Option<String> {
        let pending = self.pending.lock().recover();
        pending.event.as_ref().map(|e| e.id.clone())
    }
}
