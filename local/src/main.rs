//! `cargo run -p cognito-trigger-local -- serve --package examples/simple`
//!
//! Builds the package, then serves its trigger functions on the Lambda invoke
//! API on 127.0.0.1 until interrupted. With `--cognito-local <dir>`, also
//! writes `<dir>/.cognito/config.json` so that cognito-local, started in
//! `<dir>`, calls them.

use cognito_trigger_local::{Server, build, cognito_local_config};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cognito-trigger-local serve [--package <dir>] [--port <port>] [--release] [--cognito-local <dir>]";

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
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    let functions = build(&package, release)?;
    let server = Server::start(functions.clone(), port)
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let endpoint = format!("http://{}", server.address());
    for function in &functions {
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
    }
    if let Some(dir) = cognito_local {
        let config = cognito_local_config(&functions, &endpoint)?;
        let path = dir.join(".cognito/config.json");
        std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(|e| e.to_string())?;
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&config).expect("serializes"),
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!("serving the Lambda invoke API on {endpoint}; Ctrl-C stops");
    loop {
        std::thread::park();
    }
}
