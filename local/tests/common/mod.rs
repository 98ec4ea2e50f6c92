//! The `cognito-trigger-local` binary run by the tests.
// Each test binary uses its part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// The server, sent SIGTERM when the test ends, however it ends.
pub struct Serving {
    pub child: Child,
    /// Its stderr, line by line.
    pub lines: Receiver<String>,
    pub address: SocketAddr,
    /// What it printed until it served.
    pub start_up: Vec<String>,
}

impl Serving {
    /// Runs `cognito-trigger-local serve --port 0` with what `configure`
    /// adds, and waits up to `build` for it to build the package and serve.
    pub fn start(configure: impl FnOnce(&mut Command) -> &mut Command, build: Duration) -> Serving {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-trigger-local"));
        command.args(["serve", "--port", "0"]);
        let mut child = configure(&mut command)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                eprintln!("server: {line}");
                // Goes on reading when the test no longer listens, so that
                // the server never blocks on a full pipe.
                let _ = sender.send(line);
            }
        });
        let mut serving = Serving {
            child,
            lines,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            start_up: Vec::new(),
        };
        let deadline = Instant::now() + build;
        let line = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match serving.lines.recv_timeout(left) {
                Ok(line) if line.contains("serving the Lambda invoke API on http://") => {
                    break line;
                }
                Ok(line) => serving.start_up.push(line),
                Err(_) => panic!("the server did not serve: {:?}", serving.start_up),
            }
        };
        serving.address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .parse()
            .unwrap();
        serving
    }

    /// Waits up to `within` for the server to print a line with `text`.
    pub fn wait_for(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server did not print {text:?}"),
            }
        }
    }

    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.terminate();
            let _ = self.child.wait();
        }
    }
}
