//! `cognito-trigger-local serve --package path/to/package` (`cargo install cognito-trigger-local`)
//!
//! Builds the package, then serves its trigger functions on the Lambda invoke
//! API on 127.0.0.1 until interrupted (SIGINT or SIGTERM), then stops every
//! function process. With `--cognito-local <dir>`, also writes
//! `<dir>/.cognito/config.json` so that cognito-local, started in `<dir>`,
//! calls them. With `--kms-endpoint <url> --kms-key-arn <arn>` (a local KMS
//! such as moto's, and a key of it), cognito-local encrypts the codes it gives
//! custom senders with that key and the functions decrypt them with it. With
//! `--watch`, rebuilds when the package's files change.

use cognito_trigger_local::{
    EnvOverride, Function, LocalKms, Options, Server, build, cognito_local_config,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const USAGE: &str = "usage: cognito-trigger-local serve [--package <dir>] [--port <port>] [--release] [--cognito-local <dir>] [--max-concurrency <n>] [--kms-endpoint <url> --kms-key-arn <arn>] [--env [<function>:]<name>=<value>]... [--watch]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    if args.next().as_deref() != Some("serve") {
        return Err(USAGE.into());
    }
    let mut package = PathBuf::from(".");
    let mut port = 9001;
    let mut release = false;
    let mut cognito_local = None;
    let mut watch = false;
    let mut options = Options::default();
    let (mut kms_endpoint, mut kms_key_arn) = (None, None);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--package" => package = PathBuf::from(value()?),
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| format!("--port takes a number\n{USAGE}"))?
            }
            "--release" => release = true,
            "--cognito-local" => cognito_local = Some(PathBuf::from(value()?)),
            "--max-concurrency" => {
                options.max_concurrency = value()?.parse().ok().filter(|n| *n > 0).ok_or(
                    format!("--max-concurrency takes a positive number\n{USAGE}"),
                )?
            }
            "--env" => options.env.push(value()?.parse()?),
            "--kms-endpoint" => kms_endpoint = Some(value()?),
            "--kms-key-arn" => kms_key_arn = Some(value()?),
            "--watch" => watch = true,
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    let kms = match (kms_endpoint, kms_key_arn) {
        (Some(endpoint), Some(key_arn)) => Some(LocalKms::new(endpoint, key_arn)?),
        (None, None) => None,
        _ => {
            return Err(format!(
                "--kms-endpoint and --kms-key-arn go together\n{USAGE}"
            ));
        }
    };
    // The KMS variables first, so that --env may still change them.
    if let Some(kms) = &kms {
        options.env.splice(0..0, kms.env());
    }
    let functions = build(&package, release)?;
    let overrides = options.env.clone();
    let server = Arc::new(
        Server::start_with(functions.clone(), port, options)
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?,
    );
    let endpoint = format!("http://{}", server.address());
    let announcer = Announcer {
        endpoint,
        cognito_local,
        kms,
        overrides,
    };
    announcer.announce(&functions)?;
    if watch {
        let server = Arc::clone(&server);
        std::thread::spawn(move || {
            watch_package(&package, release, |functions| {
                server.reload(functions.clone());
                if let Err(message) = announcer.announce(&functions) {
                    eprintln!("error: {message}");
                }
            })
        });
    }
    eprintln!(
        "serving the Lambda invoke API on http://{}; Ctrl-C stops",
        server.address()
    );
    interrupted()?;
    eprintln!("stopping the function processes (running invocations end first)");
    server.stop();
    Ok(())
}

/// What the server says of the functions it serves, at start and after each
/// rebuild.
struct Announcer {
    endpoint: String,
    /// Where to write cognito-local's config, if asked.
    cognito_local: Option<PathBuf>,
    kms: Option<LocalKms>,
    /// The variables `--env` and the KMS options set.
    overrides: Vec<EnvOverride>,
}

impl Announcer {
    /// Lists the functions served, says which of their variables are left
    /// out, and writes cognito-local's config if asked.
    fn announce(&self, functions: &[Function]) -> Result<(), String> {
        let endpoint = &self.endpoint;
        for function in functions {
            let triggers: Vec<String> = function
                .triggers
                .iter()
                .map(|(pool, trigger)| format!("{trigger} on {pool}"))
                .collect();
            eprintln!(
                "{endpoint}: {} ({}): {}",
                function.logical_id,
                function.bin,
                triggers.join(", ")
            );
            let unresolved = self.left_out(function);
            if !unresolved.is_empty() {
                eprintln!(
                    "  left out of its environment, as only a deployment knows their values: {} (set them with --env {}:<name>=<value>)",
                    unresolved.join(", "),
                    function.logical_id
                );
            }
        }
        let Some(dir) = &self.cognito_local else {
            return Ok(());
        };
        let mut config = cognito_local_config(functions, endpoint)?;
        if let Some(kms) = &self.kms {
            config["KMSConfig"] = kms.cognito_local_config();
        }
        let path = dir.join(".cognito/config.json");
        std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(|e| e.to_string())?;
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&config).expect("serializes"),
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
        Ok(())
    }

    /// The variables of `function` whose values only a deployment knows,
    /// but for those `--env` or the KMS options set.
    fn left_out<'f>(&self, function: &'f Function) -> Vec<&'f str> {
        let overridden = |name: &str| {
            self.overrides
                .iter()
                .any(|variable| variable.name == name && variable.applies_to(function))
        };
        function
            .unresolved
            .iter()
            .map(String::as_str)
            .filter(|name| !overridden(name))
            .collect()
    }
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM.
fn interrupted() -> Result<(), String> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
        let mut terminate = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
        std::future::poll_fn(|cx| {
            if interrupt.poll_recv(cx).is_ready() || terminate.poll_recv(cx).is_ready() {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        Ok(())
    })
}

/// Rebuilds the package whenever its files change, and hands the new
/// functions to `reload`; a failed build is reported and changes nothing.
fn watch_package(dir: &Path, release: bool, mut reload: impl FnMut(Vec<Function>)) {
    let mut seen = snapshot(dir);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = snapshot(dir);
        if now == seen {
            continue;
        }
        seen = now;
        eprintln!("{} changed: rebuilding", dir.display());
        match build(dir, release) {
            Ok(functions) => {
                reload(functions);
                eprintln!("rebuilt: new invocations run the new build");
            }
            Err(message) => {
                eprintln!("error: {message}; the previous build keeps serving");
            }
        }
    }
}

/// The package's files and their modification times, but for `target/` and
/// hidden directories.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name != "target" && !name.to_string_lossy().starts_with('.') {
                    pending.push(path);
                }
            } else {
                let modified = entry.metadata().and_then(|m| m.modified()).ok();
                files.push((path, modified));
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_the_options_set_are_not_said_to_be_left_out() {
        let function = Function {
            logical_id: "CustomEmailSenderLambdaFunction".into(),
            bin: "custom_email_sender".into(),
            binary: PathBuf::new(),
            timeout: Duration::from_secs(5),
            memory: 128,
            log_format: None,
            log_group: String::new(),
            environment: Vec::new(),
            unresolved: vec!["KMS_KEY_ARN".into(), "POOL_ID".into()],
            triggers: Vec::new(),
        };
        let announcer = |overrides: Vec<(Option<&str>, &str)>| Announcer {
            endpoint: String::new(),
            cognito_local: None,
            kms: None,
            overrides: overrides
                .into_iter()
                .map(|(target, name)| EnvOverride {
                    function: target.map(str::to_owned),
                    name: name.to_owned(),
                    value: String::new(),
                })
                .collect(),
        };
        let left_out = |announcer: &Announcer| announcer.left_out(&function);
        assert_eq!(left_out(&announcer(vec![])), ["KMS_KEY_ARN", "POOL_ID"]);
        assert_eq!(
            left_out(&announcer(vec![(None, "KMS_KEY_ARN")])),
            ["POOL_ID"]
        );
        assert_eq!(
            left_out(&announcer(vec![(Some("custom_email_sender"), "POOL_ID")])),
            ["KMS_KEY_ARN"]
        );
        assert_eq!(
            left_out(&announcer(vec![(Some("OtherLambdaFunction"), "POOL_ID")])),
            ["KMS_KEY_ARN", "POOL_ID"]
        );
    }

    #[test]
    fn env_options_for_all_functions_or_one() {
        assert_eq!("A=1=2".parse(), Ok(EnvOverride::all("A", "1=2")));
        assert_eq!(
            "pre_sign_up:A=".parse(),
            Ok(EnvOverride::only("pre_sign_up", "A", ""))
        );
        assert_eq!(
            "A".parse::<EnvOverride>(),
            Err("--env takes [<function>:]<name>=<value>, not A".to_owned())
        );
    }
}
