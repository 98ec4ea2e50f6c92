//! The invoke API server: a listener on 127.0.0.1 whose requests the API
//! (`api.rs`: routing, invocation types, Lambda's error documents) answers
//! with the functions' process pools (`pool.rs`), and its options.

use crate::Function;
use crate::pool::Pool;
use cognito_trigger::testing::loopback;
use cognito_trigger_core::sync::Recover;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

/// How the server runs the functions.
#[derive(Clone, Debug)]
pub struct Options {
    /// Processes per function at most, as a function's reserved
    /// concurrency: a synchronous request beyond it is answered 429.
    pub max_concurrency: usize,
    /// How long an idle process is kept for the next request.
    pub idle_timeout: Duration,
    /// Variables over the template's and Lambda's, later ones winning.
    pub env: Vec<EnvOverride>,
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

/// A variable over the template's and Lambda's: `--env
/// [<function>:]<name>=<value>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvOverride {
    /// The function it is for (its logical ID or binary name), or `None`
    /// for every function.
    pub function: Option<String>,
    /// The variable's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

impl EnvOverride {
    /// `name=value` for every function.
    pub fn all(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            function: None,
            name: name.into(),
            value: value.into(),
        }
    }

    /// `name=value` for `function` only (its logical ID or binary name).
    pub fn only(
        function: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self {
            function: Some(function.into()),
            ..Self::all(name, value)
        }
    }

    /// Whether it sets a variable of `function`.
    pub fn applies_to(&self, function: &Function) -> bool {
        self.function
            .as_ref()
            .is_none_or(|f| *f == function.logical_id || *f == function.bin)
    }
}

impl FromStr for EnvOverride {
    type Err = String;

    /// `[<function>:]<name>=<value>`, as `--env` takes it.
    fn from_str(arg: &str) -> Result<Self, String> {
        let (target, value) = arg.split_once('=').ok_or(format!(
            "--env takes [<function>:]<name>=<value>, not {arg}"
        ))?;
        Ok(match target.split_once(':') {
            Some((function, name)) => Self::only(function, name, value),
            None => Self::all(target, value),
        })
    }
}

/// One invocation, as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The function's logical ID.
    pub function: String,
    /// The event's `triggerSource`, empty if it has none.
    pub trigger_source: String,
    /// `None` on success, else the `errorType` returned.
    pub error_type: Option<String>,
}

/// The invoke API on 127.0.0.1 for a set of functions, until stopped or
/// dropped.
pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
    runtime: Mutex<Option<Runtime>>,
    accepting: Mutex<Option<JoinHandle<()>>>,
}

pub(crate) struct Shared {
    pub(crate) pools: RwLock<Vec<Arc<Pool>>>,
    pub(crate) options: Options,
    /// This process's `AWS_*` variables, for the SDKs in the functions
    /// (endpoints of local emulators, credentials).
    pub(crate) passthrough: Vec<(String, String)>,
    pub(crate) records: Mutex<Vec<Record>>,
    pub(crate) stopped: AtomicBool,
    /// Processes out of their pools, running an invocation.
    pub(crate) leased: (Mutex<usize>, Condvar),
}

impl Server {
    /// Serves `functions` on 127.0.0.1:`port` (0: any free port).
    pub fn start(functions: Vec<Function>, port: u16) -> io::Result<Server> {
        Self::start_with(functions, port, Options::default())
    }

    /// Serves `functions` on 127.0.0.1:`port` (0: any free port) as
    /// `options` say.
    pub fn start_with(functions: Vec<Function>, port: u16, options: Options) -> io::Result<Server> {
        let (runtime, listener, address) = loopback::bind(
            port,
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all(),
        )?;
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
        let accepting = runtime.spawn(loopback::serve(listener, move |request| {
            let shared = Arc::clone(&serving);
            async move { Ok::<_, Infallible>(shared.answer(request).await) }
        }));
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

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every invocation so far, in order, asynchronous attempts included.
    pub fn records(&self) -> Vec<Record> {
        self.shared.records.lock().recover().clone()
    }

    /// Serves `functions` from now on: the processes of the previous ones
    /// are stopped, the running ones once their invocation ends.
    pub fn reload(&self, functions: Vec<Function>) {
        let pools = functions.into_iter().map(Pool::new).collect();
        let old = std::mem::replace(&mut *self.shared.pools.write().recover(), pools);
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
        if let Some(accepting) = self.accepting.lock().recover().take() {
            accepting.abort();
        }
        for pool in self.shared.pools.read().recover().iter() {
            pool.retire();
        }
        let (leased, returned) = &self.shared.leased;
        let leased = leased.lock().recover();
        drop(returned.wait_while(leased, |leased| *leased > 0).recover());
        if let Some(runtime) = self.runtime.lock().recover().take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
