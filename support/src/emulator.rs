//! The emulators the tests run as child processes on 127.0.0.1:
//! cognito-local, the Cognito emulator (its Cognito JSON API, and the
//! messages it "sends", which it prints), and moto, the AWS emulator. Each is
//! killed when dropped.

use crate::http::call;
use cognito_trigger_core::sync::Recover;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct CognitoLocal {
    child: Child,
    address: SocketAddr,
    output: Arc<Mutex<String>>,
}

impl CognitoLocal {
    /// Starts `start_js` (cognito-local's `lib/bin/start.js`) with `dir` as
    /// its state directory (emptied first) and `config` as its
    /// `.cognito/config.json`; `code`, if given, is every code it sends.
    pub fn start(
        start_js: &Path,
        dir: &Path,
        config: &Value,
        code: Option<&str>,
    ) -> Result<Self, String> {
        if !start_js.is_file() {
            return Err(format!(
                "cognito-local is not installed at {}: run `npm ci --prefix tests/e2e` (.ci/run does)",
                start_js.display()
            ));
        }
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join(".cognito")).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(".cognito/config.json"), config.to_string())
            .map_err(|e| e.to_string())?;
        let port = free_port().map_err(|e| e.to_string())?;
        let mut command = Command::new("node");
        command
            .arg(start_js)
            .current_dir(dir)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(code) = code {
            command.env("CODE", code);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run node: {e}"))?;
        let output = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&output);
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut output = sink.lock().recover();
                output.push_str(&strip_colours(&line));
                output.push('\n');
            }
        });
        let emulator = CognitoLocal {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            output,
        };
        let started = Instant::now();
        while call(emulator.address, "GET", "/health", &[], b"").is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!(
                    "cognito-local did not start on {}",
                    emulator.address
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(emulator)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Calls a Cognito API action: (HTTP status, response body).
    pub fn call(&self, action: &str, body: &Value) -> Result<(u16, Value), String> {
        let target = format!("AWSCognitoIdentityProviderService.{action}");
        json_call(self.address, &target, &[], body)
    }

    /// Calls `action` and returns its answer, or an error unless it is a 200.
    pub fn ok(&self, action: &str, body: &Value) -> Result<Value, String> {
        only_ok(action, self.call(action, body)?)
    }

    /// Waits up to `within` for cognito-local to print `text`.
    pub fn printed(&self, text: &str, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if self.output.lock().recover().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for CognitoLocal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// moto, the AWS emulator (`moto_server`, PyPI), as a child process on
/// 127.0.0.1: KMS, Lambda and IAM for tests. Killed when dropped.
pub struct Moto {
    child: Child,
    address: SocketAddr,
}

impl Moto {
    /// Starts `moto_server` from the PATH on a free port.
    pub fn start() -> Result<Self, String> {
        let port = free_port().map_err(|e| e.to_string())?;
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot run moto_server ({e}): install tests/requirements.txt (.ci/run does)"
                )
            })?;
        let moto = Moto {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let started = Instant::now();
        while call(moto.address, "GET", "/moto-api/", &[], b"").is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!("moto did not start on {}", moto.address));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(moto)
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL` and the like.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Calls a KMS action (`CreateKey`) in us-east-1: the answer, or an
    /// error unless it is a 200.
    pub fn kms(&self, action: &str, body: &Value) -> Result<Value, String> {
        // moto reads the region from the credential scope; it checks no signature.
        let authorization = "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0";
        let target = format!("TrentService.{action}");
        let answer = json_call(
            self.address,
            &target,
            &[("Authorization", authorization)],
            body,
        )?;
        only_ok(action, answer)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs `body` to the AWS JSON 1.1 action `target` (`Service.Action`):
/// the HTTP status and the answer.
fn json_call(
    address: SocketAddr,
    target: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> Result<(u16, Value), String> {
    let mut all = vec![
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target),
    ];
    all.extend_from_slice(headers);
    let response = call(address, "POST", "/", &all, body.to_string().as_bytes())
        .map_err(|e| format!("{target}: {e}"))?;
    let answer = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    Ok((response.status, answer))
}

/// The answer of a 200, else an error naming `action`.
fn only_ok(action: &str, (status, answer): (u16, Value)) -> Result<Value, String> {
    match status {
        200 => Ok(answer),
        _ => Err(format!("{action}: {status} {answer}")),
    }
}

/// A port free on 127.0.0.1 now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Its log lines without their terminal colours.
fn strip_colours(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
