//! The local Lambda invoke API keeps Lambda's invoke contract: a process per
//! concurrent request up to a maximum, then 429; warm processes reused and
//! idle ones stopped; `Event` and `DryRun` invocations; refused payloads; the
//! log's tail.

use cognito_trigger::events::{
    PreSignUpEvent, PreSignUpSource, PreTokenGenerationEvent, TokenGenerationSource,
};
use cognito_trigger::testing::{LambdaProcess, Reply};
use cognito_trigger_local::{Options, Record, Server, functions_in};
use cognito_trigger_support::http::{Response, call};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn server(options: Options) -> Server {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let functions = functions_in(
        dir,
        &[
            ("misbehave", env!("CARGO_BIN_EXE_misbehave")),
            ("misroute", env!("CARGO_BIN_EXE_misroute")),
            ("inspect", env!("CARGO_BIN_EXE_inspect")),
        ],
    )
    .unwrap();
    Server::start_with(functions, 0, options).unwrap()
}

fn inspect_event(user_name: &str) -> Vec<u8> {
    let event = PreTokenGenerationEvent::sample(TokenGenerationSource::Authentication)
        .with_user_name(user_name);
    serde_json::to_vec(&event).unwrap()
}

fn invoke(server: &Server, function: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let path = format!("/2015-03-31/functions/{function}/invocations");
    call(server.address(), "POST", &path, headers, body).unwrap()
}

/// The claims the inspect function answered with.
fn claims(response: &Response) -> Value {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("X-Amz-Function-Error"), None);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    body["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"].clone()
}

fn pid(response: &Response) -> String {
    claims(response)["pid"].as_str().unwrap().to_owned()
}

/// A Lambda API error: its status, `x-amzn-ErrorType`, and `{Type, message}`.
fn api_error(response: &Response, status: u16, error_type: &str) -> Value {
    assert_eq!(response.status, status);
    assert_eq!(response.header("x-amzn-ErrorType"), Some(error_type));
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["Type"], "User", "{body}");
    assert!(body["message"].is_string(), "{body}");
    body
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| !stat.split(") ").nth(1).unwrap_or("").starts_with('Z'))
}

#[test]
fn a_burst_runs_in_as_many_processes_and_beyond_the_maximum_is_throttled() {
    const BURST: usize = 8;
    let server = server(Options {
        max_concurrency: BURST,
        ..Options::default()
    });
    let started = Instant::now();
    let answers = std::thread::scope(|scope| {
        let burst: Vec<_> = (0..BURST)
            .map(|_| {
                scope.spawn(|| {
                    let response = invoke(
                        &server,
                        "InspectLambdaFunction",
                        &[],
                        &inspect_event("sleep-1000"),
                    );
                    (started.elapsed(), response)
                })
            })
            .collect();
        // Every process of the burst is busy for a second from now.
        std::thread::sleep(Duration::from_millis(300));
        let beyond = invoke(
            &server,
            "InspectLambdaFunction",
            &[],
            &inspect_event("jane"),
        );
        let body = api_error(&beyond, 429, "TooManyRequestsException");
        assert_eq!(
            body["Reason"],
            "ReservedFunctionConcurrentInvocationLimitExceeded"
        );
        assert_eq!(body["message"], "Rate Exceeded.");
        burst
            .into_iter()
            .map(|answer| answer.join().unwrap())
            .collect::<Vec<_>>()
    });
    let mut timings: Vec<Duration> = answers.iter().map(|(elapsed, _)| *elapsed).collect();
    timings.sort();
    println!("{BURST} concurrent 1-second invocations answered after {timings:?}");
    let pids: std::collections::BTreeSet<String> =
        answers.iter().map(|(_, response)| pid(response)).collect();
    assert_eq!(pids.len(), BURST, "one process per concurrent request");
    // One handler duration plus a cold start (debug binaries on a busy
    // machine), where one process after the other would take 8 seconds.
    assert!(
        timings[BURST - 1] < Duration::from_millis(2500),
        "{timings:?}"
    );

    // The next request takes a warm process.
    let warm = invoke(
        &server,
        "InspectLambdaFunction",
        &[],
        &inspect_event("jane"),
    );
    assert!(pids.contains(&pid(&warm)));
}

#[test]
fn the_timeout_counts_from_when_the_process_takes_the_event() {
    let mut function = LambdaProcess::new(env!("CARGO_BIN_EXE_inspect"), "inspect")
        .timeout(Duration::from_secs(1))
        .env("INSPECT_INIT_MS", "1500");
    // 2 seconds after it is sent, half a second after the process takes it.
    let answer = function.invoke(&inspect_event("sleep-500")).unwrap();
    assert!(matches!(answer, Reply::Response(_)), "{answer:?}");
    let report = function.invocation_log().lines().last().unwrap().to_owned();
    assert!(report.contains("\tInit Duration: "), "{report}");
    // Warm: no init, and the timeout still holds.
    let late = function.invoke(&inspect_event("sleep-1500"));
    assert!(late.is_err(), "{late:?}");
}

#[test]
fn idle_processes_are_stopped_after_the_idle_timeout() {
    let server = server(Options {
        idle_timeout: Duration::from_millis(300),
        ..Options::default()
    });
    let first = pid(&invoke(
        &server,
        "InspectLambdaFunction",
        &[],
        &inspect_event("jane"),
    ));
    assert!(alive(&first));
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(&first) {
        assert!(
            Instant::now() < deadline,
            "process {first} is still running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let next = pid(&invoke(
        &server,
        "InspectLambdaFunction",
        &[],
        &inspect_event("jane"),
    ));
    assert_ne!(first, next, "a new process, cold");
}

#[test]
fn an_event_invocation_is_accepted_at_once_and_runs_in_the_background() {
    let server = server(Options::default());
    let started = Instant::now();
    let response = invoke(
        &server,
        "InspectLambdaFunction",
        &[("X-Amz-Invocation-Type", "Event")],
        &inspect_event("sleep-1000"),
    );
    assert_eq!(response.status, 202);
    assert!(response.body.is_empty());
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.records().is_empty() {
        assert!(Instant::now() < deadline, "the event did not run");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        server.records(),
        [Record {
            function: "InspectLambdaFunction".into(),
            trigger_source: "TokenGeneration_Authentication".into(),
            error_type: None,
        }]
    );
}

#[test]
fn a_failed_event_invocation_is_retried_twice() {
    let server = server(Options::default());
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp).with_user_name("panic");
    let response = invoke(
        &server,
        "misbehave",
        &[("X-Amz-Invocation-Type", "Event")],
        &serde_json::to_vec(&event).unwrap(),
    );
    assert_eq!(response.status, 202);
    // After 1 and 2 seconds.
    std::thread::sleep(Duration::from_millis(4500));
    let records = server.records();
    assert_eq!(records.len(), 3, "{records:?}");
    assert!(
        records
            .iter()
            .all(|r| r.error_type.as_deref() == Some("HandlerPanicked")),
        "{records:?}"
    );
}

#[test]
fn a_dry_run_answers_204_and_runs_nothing() {
    let server = server(Options::default());
    let response = invoke(
        &server,
        "InspectLambdaFunction",
        &[("X-Amz-Invocation-Type", "DryRun")],
        &inspect_event("jane"),
    );
    assert_eq!(response.status, 204);
    assert!(response.body.is_empty());
    let missing = invoke(
        &server,
        "Nobody",
        &[("X-Amz-Invocation-Type", "DryRun")],
        b"{}",
    );
    api_error(&missing, 404, "ResourceNotFoundException");
    std::thread::sleep(Duration::from_millis(200));
    assert!(server.records().is_empty());
}

#[test]
fn a_body_that_is_not_json_is_refused_before_the_function_runs() {
    let server = server(Options::default());
    let response = invoke(&server, "InspectLambdaFunction", &[], b"{\"userName\": ");
    let body = api_error(&response, 400, "InvalidRequestContentException");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Could not parse request body into json"),
        "{body}"
    );
    assert!(server.records().is_empty());
}

#[test]
fn a_body_over_the_limits_is_too_large() {
    let server = server(Options::default());
    // Valid JSON, so that only its size is wrong.
    let sized = |size: usize| format!("\"{}\"", "a".repeat(size - 2)).into_bytes();
    let response = invoke(
        &server,
        "InspectLambdaFunction",
        &[],
        &sized(6 * 1024 * 1024 + 1),
    );
    api_error(&response, 413, "RequestTooLargeException");
    let event = invoke(
        &server,
        "InspectLambdaFunction",
        &[("X-Amz-Invocation-Type", "Event")],
        &sized(1024 * 1024 + 1),
    );
    api_error(&event, 413, "RequestTooLargeException");
    assert!(server.records().is_empty());
}

#[test]
fn a_synchronous_answer_names_its_version_and_tails_its_log_when_asked() {
    let server = server(Options::default());
    let plain = invoke(
        &server,
        "InspectLambdaFunction",
        &[],
        &inspect_event("jane"),
    );
    assert_eq!(plain.header("X-Amz-Executed-Version"), Some("$LATEST"));
    assert_eq!(plain.header("Content-Type"), Some("application/json"));
    assert_eq!(plain.header("X-Amz-Log-Result"), None);

    let tailed = invoke(
        &server,
        "InspectLambdaFunction",
        &[("X-Amz-Log-Type", "Tail")],
        &inspect_event("tailed-user"),
    );
    claims(&tailed);
    let log = String::from_utf8(base64_decode(tailed.header("X-Amz-Log-Result").unwrap())).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines[0].starts_with("START RequestId: "), "{log}");
    let id = lines[0]["START RequestId: ".len()..]
        .split(' ')
        .next()
        .unwrap();
    let inspecting = lines
        .iter()
        .position(|l| l.contains("inspecting") && l.contains("tailed-user"))
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(
        lines[inspecting + 1],
        format!("END RequestId: {id}"),
        "{log}"
    );
    assert!(
        lines[inspecting + 2].starts_with(&format!("REPORT RequestId: {id}\tDuration: ")),
        "{log}"
    );
    assert!(!log.contains("jane"), "only this invocation's lines: {log}");

    // A longer log: its last 4 KB.
    let long = invoke(
        &server,
        "InspectLambdaFunction",
        &[("X-Amz-Log-Type", "Tail")],
        &inspect_event(&"x".repeat(5000)),
    );
    let log = base64_decode(long.header("X-Amz-Log-Result").unwrap());
    assert_eq!(log.len(), 4096);
    let log = String::from_utf8(log).unwrap();
    assert!(!log.contains("START RequestId"), "{log}");
    assert!(
        log.lines()
            .last()
            .unwrap()
            .starts_with("REPORT RequestId: "),
        "{log}"
    );
}

/// Standard base64, as `X-Amz-Log-Result` carries it.
fn base64_decode(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = alphabet.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    bytes
}
