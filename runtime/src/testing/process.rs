//! A Lambda function binary run as Lambda runs it: the process polls a
//! Lambda runtime API, here served on 127.0.0.1, for one event at a time.
//! Like Lambda, a process that overruns its timeout is killed, and one that
//! exits is started again for the next invocation.

use super::http::{read_request, write_response};
use std::io::{self, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How one invocation ended, as the function reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// The body the function posted as its response.
    Response(Vec<u8>),
    /// The error document the function posted (`errorType`, `errorMessage`).
    Error {
        error_type: String,
        error_message: String,
    },
}

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

pub struct LambdaProcess {
    binary: PathBuf,
    name: String,
    timeout: Duration,
    env: Vec<(String, String)>,
    log: Option<PathBuf>,
    running: Option<Running>,
    invocations: u64,
}

/// A live process and the runtime API it polls; each process gets its own,
/// so a dead process's pending poll can never take the next event.
struct Running {
    child: Child,
    api: Arc<Api>,
    results: Receiver<(String, Outcome)>,
}

struct Api {
    pending: Mutex<Pending>,
    changed: Condvar,
    results: Mutex<Sender<(String, Outcome)>>,
    function_arn: String,
    address: SocketAddr,
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
    taken: bool,
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
            log: None,
            running: None,
            invocations: 0,
        }
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// An environment variable for the process, besides Lambda's own.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Appends what the process writes on stdout, its log (CloudWatch's on
    /// Lambda), to the file at `path`, across restarts; by default it goes
    /// to the test's own stdout.
    pub fn log_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.log = Some(path.into());
        self
    }

    /// Sends `payload` to the function and waits for its answer.
    pub fn invoke(&mut self, payload: &[u8]) -> Result<Invocation, InvokeError> {
        self.invocations += 1;
        let id = format!("{}-{:08}", self.name, self.invocations);
        let timeout = self.timeout;
        let running = self.ensure_running().map_err(InvokeError::Start)?;
        let started = Instant::now();
        let deadline_ms = (SystemTime::now() + timeout)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        running.api.offer(Event {
            id: id.clone(),
            payload: payload.to_vec(),
            deadline_ms,
            taken: false,
        });
        let failure = loop {
            match running.results.recv_timeout(Duration::from_millis(10)) {
                Ok((answered, outcome)) if answered == id => {
                    running.api.clear();
                    return Ok(match outcome {
                        Outcome::Response(body) => Invocation::Response(body),
                        Outcome::Error(body) => error_document(&body),
                    });
                }
                Ok(_) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the API holds a sender"),
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                break InvokeError::Exited(status);
            }
            if started.elapsed() >= timeout {
                break InvokeError::Timeout(timeout);
            }
        };
        self.stop();
        Err(failure)
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
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let (sender, results) = mpsc::channel();
        let api = Arc::new(Api {
            pending: Mutex::new(Pending::default()),
            changed: Condvar::new(),
            results: Mutex::new(sender),
            function_arn: format!(
                "arn:aws:lambda:us-east-1:000000000000:function:{}",
                self.name
            ),
            address,
        });
        let serving = Arc::clone(&api);
        thread::spawn(move || serving.serve(listener));
        let mut command = self.command(address);
        if let Some(path) = &self.log {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            command.stdout(file);
        }
        let child = command.spawn()?;
        Ok(Running {
            child,
            api,
            results,
        })
    }

    fn command(&self, address: SocketAddr) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", &self.name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", self.name),
            )
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
            .env("AWS_REGION", "us-east-1")
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

fn error_document(body: &[u8]) -> Invocation {
    let document: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let field = |name: &str| document[name].as_str().unwrap_or_default().to_owned();
    Invocation::Error {
        error_type: field("errorType"),
        error_message: field("errorMessage"),
    }
}

impl Api {
    fn offer(&self, event: Event) {
        let mut pending = self.pending.lock().expect("not poisoned");
        pending.event = Some(event);
        self.changed.notify_all();
    }

    fn clear(&self) {
        self.pending.lock().expect("not poisoned").event = None;
    }

    fn close(&self) {
        let mut pending = self.pending.lock().expect("not poisoned");
        pending.closed = true;
        self.changed.notify_all();
        drop(pending);
        // Wakes the accepting thread so that it sees `closed` and ends.
        let _ = TcpStream::connect(self.address);
    }

    fn serve(self: Arc<Self>, listener: TcpListener) {
        for stream in listener.incoming() {
            if self.pending.lock().expect("not poisoned").closed {
                return;
            }
            let Ok(stream) = stream else { continue };
            let api = Arc::clone(&self);
            thread::spawn(move || api.connection(stream));
        }
    }

    fn connection(&self, stream: TcpStream) {
        let Ok(mut writer) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        while let Ok(Some(request)) = read_request(&mut reader) {
            let path = request.path.trim_start_matches("/2018-06-01/runtime");
            let answered = if request.method == "GET" && path == "/invocation/next" {
                match self.next_event() {
                    Some(event) => write_response(
                        &mut writer,
                        200,
                        &[
                            ("Content-Type", "application/json"),
                            ("Lambda-Runtime-Aws-Request-Id", &event.0),
                            ("Lambda-Runtime-Deadline-Ms", &event.2.to_string()),
                            ("Lambda-Runtime-Invoked-Function-Arn", &self.function_arn),
                        ],
                        &event.1,
                    ),
                    None => return,
                }
            } else if let Some(rest) = path.strip_prefix("/invocation/") {
                let (id, kind) = rest.split_once('/').unwrap_or((rest, ""));
                let outcome = match kind {
                    "response" => Outcome::Response(request.body),
                    _ => Outcome::Error(request.body),
                };
                let _ = self
                    .results
                    .lock()
                    .expect("not poisoned")
                    .send((id.to_owned(), outcome));
                write_response(&mut writer, 202, &[], b"{\"status\":\"OK\"}")
            } else if path == "/init/error" {
                let id = self.current_id().unwrap_or_default();
                let _ = self
                    .results
                    .lock()
                    .expect("not poisoned")
                    .send((id, Outcome::Error(request.body)));
                write_response(&mut writer, 202, &[], b"{\"status\":\"OK\"}")
            } else {
                write_response(
                    &mut writer,
                    404,
                    &[],
                    b"{\"errorMessage\":\"unknown path\"}",
                )
            };
            if answered.is_err() {
                return;
            }
        }
    }

    /// Waits for an event no poll has taken: (id, payload, deadline).
    fn next_event(&self) -> Option<(String, Vec<u8>, u128)> {
        let mut pending = self.pending.lock().expect("not poisoned");
        loop {
            if pending.closed {
                return None;
            }
            if let Some(event) = pending.event.as_mut().filter(|e| !e.taken) {
                event.taken = true;
                return Some((event.id.clone(), event.payload.clone(), event.deadline_ms));
            }
            pending = self.changed.wait(pending).expect("not poisoned");
        }
    }

    fn current_id(&self) -> Option<String> {
        let pending = self.pending.lock().expect("not poisoned");
        pending.event.as_ref().map(|e| e.id.clone())
    }
}
