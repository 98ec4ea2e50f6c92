//! Runs one trigger binary against a Lambda Runtime API served on loopback,
//! as Lambda runs it, and measures the time from exec to its first response
//! (the cold start, as far as the process is concerned) and then the
//! invocations per second it sustains.
//!
//! ```text
//! invoke_loop <trigger binary> <event.json> <invocations>
//! cold_start_us=1229 per_s=5717 connections=1
//! ```
//!
//! Each posted response is accepted as Lambda accepts it: `202` with
//! `{"status":"OK"}` and a newline, as the Runtime Interface Emulator renders it.
//!
//! One thread per connection, since a runtime may open a new connection
//! before it drops the old one; std only, to keep the benchmark's own cost
//! small and the same for every binary.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The reply to a posted response. Its length must be exact: a client left
/// waiting for more of the body would not reuse the connection.
const ACCEPTED: &[u8] = b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n\
    Content-Length: 16\r\n\r\n{\"status\":\"OK\"}\n";

/// What every connection thread shares.
struct Api {
    event: Vec<u8>,
    /// Events to hand out; `next` calls past that wait until the process is killed.
    invocations: usize,
    handed_out: AtomicUsize,
    connections: AtomicUsize,
    /// Each posted response, when it was read, or what else the function posted.
    responses: mpsc::Sender<Result<(Instant, Vec<u8>), String>>,
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, body })
}

fn serve(stream: TcpStream, api: &Api) -> std::io::Result<()> {
    // Each reply goes out in one write; without this, Nagle's algorithm
    // and delayed ACKs would add tens of milliseconds to some invocations.
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = Vec::new();
    while let Some(request) = read_request(&mut reader) {
        reply.clear();
        if request.method == "GET" && request.path.ends_with("/invocation/next") {
            let index = api.handed_out.fetch_add(1, Ordering::Relaxed);
            if index >= api.invocations {
                // Hold the call, as Lambda does between invocations.
                loop {
                    thread::park();
                }
            }
            write!(
                reply,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Lambda-Runtime-Aws-Request-Id: request-{index}\r\n\
                 Lambda-Runtime-Deadline-Ms: 4102444800000\r\n\
                 Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:111122223333:function:bench\r\n\
                 Content-Length: {}\r\n\r\n",
                api.event.len()
            )?;
            reply.extend_from_slice(&api.event);
        } else {
            let outcome = if request.path.ends_with("/response") {
                Ok((Instant::now(), request.body))
            } else {
                let body = String::from_utf8_lossy(&request.body);
                Err(format!("{} {}: {body}", request.method, request.path))
            };
            let _ = api.responses.send(outcome);
            reply.extend_from_slice(ACCEPTED);
        }
        writer.write_all(&reply)?;
    }
    Ok(())
}

/// The trigger's process, killed however the measurement ends.
struct Function(Child);

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn measure(binary: &str, event: Vec<u8>, invocations: usize) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let (sender, responses) = mpsc::channel();
    let api = Arc::new(Api {
        event,
        invocations,
        handed_out: AtomicUsize::new(0),
        connections: AtomicUsize::new(0),
        responses: sender,
    });
    let shared = Arc::clone(&api);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            shared.connections.fetch_add(1, Ordering::Relaxed);
            let api = Arc::clone(&shared);
            thread::spawn(move || serve(stream, &api));
        }
    });

    let exec = Instant::now();
    let _function = Function(
        Command::new(binary)
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "bench")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {binary}: {e}"))?,
    );
    let next = || match responses.recv_timeout(Duration::from_secs(20)) {
        Ok(outcome) => outcome,
        Err(_) => Err("no response within 20 s".to_owned()),
    };
    // Checks the handler ran, not only that something came back.
    let confirmed = |body: &[u8]| {
        let expected = br#""autoConfirmUser":true"#;
        match body.windows(expected.len()).any(|w| w == expected) {
            true => Ok(()),
            false => Err(format!(
                "unexpected response {}",
                String::from_utf8_lossy(body)
            )),
        }
    };

    let (first, body) = next()?;
    confirmed(&body)?;
    let mut last = (first, body);
    for _ in 1..invocations {
        last = next()?;
    }
    confirmed(&last.1)?;
    let per_s = (invocations - 1) as f64 / (last.0 - first).as_secs_f64();
    Ok(format!(
        "cold_start_us={} per_s={per_s:.0} connections={}",
        (first - exec).as_micros(),
        api.connections.load(Ordering::Relaxed)
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [binary, event, invocations] = args.as_slice() else {
        eprintln!("usage: invoke_loop <trigger binary> <event.json> <invocations>");
        return ExitCode::from(2);
    };
    let event = match std::fs::read(event) {
        Ok(event) => event.trim_ascii_end().to_vec(),
        Err(error) => {
            eprintln!("cannot read {event}: {error}");
            return ExitCode::from(2);
        }
    };
    let invocations = match invocations.parse::<usize>() {
        Ok(n) if n >= 2 => n,
        _ => {
            eprintln!("invocations: a number, at least 2");
            return ExitCode::from(2);
        }
    };
    match measure(binary, event, invocations) {
        Ok(figures) => {
            println!("{figures}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("invoke_loop: {error}");
            ExitCode::FAILURE
        }
    }
}
