//! The server stops every function process it started when it is told to
//! stop (SIGTERM, as SIGINT), also those running an invocation.

use cognito_trigger::events::{PreTokenGenerationEvent, TokenGenerationSource};
use cognito_trigger_support::http::call;
mod common;

use common::Serving;
use std::path::Path;
use std::time::{Duration, Instant};

/// The live processes whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command's closing parenthesis: state, then parent.
        let mut fields = stat.rsplit_once(')').unwrap().1.split_whitespace();
        let state = fields.next().unwrap();
        if state != "Z" && fields.next() == Some(parent.to_string().as_str()) {
            children.push(pid);
        }
    }
    children
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit_once(')')
            .unwrap()
            .1
            .trim_start()
            .starts_with('Z')
    })
}

#[test]
fn no_function_process_survives_sigterm() {
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/broken-handlers");
    let mut server = Serving::start(
        |command| command.arg("--package").arg(&package),
        Duration::from_secs(600),
    );
    let address = server.address;

    let invoke = move |user: &str| {
        let event = PreTokenGenerationEvent::sample(TokenGenerationSource::Authentication)
            .with_user_name(user);
        call(
            address,
            "POST",
            "/2015-03-31/functions/InspectLambdaFunction/invocations",
            &[],
            &serde_json::to_vec(&event).unwrap(),
        )
    };
    // One process running an invocation far longer than the test, and one
    // idle after a shorter one.
    std::thread::spawn(move || invoke("sleep-60000"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(invoke("sleep-300").unwrap().status, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    let started = loop {
        let started = children(server.child.id());
        if started.len() >= 2 {
            break started;
        }
        assert!(Instant::now() < deadline, "{started:?}");
        std::thread::sleep(Duration::from_millis(50));
    };

    server.terminate();
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");
    let survivors: Vec<u32> = started.into_iter().filter(|pid| alive(*pid)).collect();
    assert!(survivors.is_empty(), "still running: {survivors:?}");
}
