//! The benchmark compares like with like: each event is 1-3 KB, and the three
//! paths give the same answer (no timing here; see `benches/event_path.rs`).

use cognito_trigger_benchmarks::{baseline, events, toolkit, value};
use serde_json::Value;

type Path = fn(&[u8]) -> Vec<u8>;

fn paths(trigger: &str) -> [Path; 3] {
    match trigger {
        "pre_sign_up" => [
            toolkit::pre_sign_up,
            baseline::pre_sign_up,
            value::pre_sign_up,
        ],
        "pre_token_generation_v1" => [
            toolkit::pre_token_generation_v1,
            baseline::pre_token_generation_v1,
            value::pre_token_generation_v1,
        ],
        "pre_token_generation_v2" => [
            toolkit::pre_token_generation_v2,
            baseline::pre_token_generation_v2,
            value::pre_token_generation_v2,
        ],
        "custom_message" => [
            toolkit::custom_message,
            baseline::custom_message,
            value::custom_message,
        ],
        "define_auth_challenge" => [
            toolkit::define_auth_challenge,
            baseline::define_auth_challenge,
            value::define_auth_challenge,
        ],
        "user_migration" => [
            toolkit::user_migration,
            baseline::user_migration,
            value::user_migration,
        ],
        other => panic!("no paths for {other}"),
    }
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// Every value `part` holds, `whole` holds too; nulls and empty arrays count as
/// absent, since aws_lambda_events writes defaults where the others write nothing.
fn contains(whole: &Value, part: &Value) -> bool {
    match part {
        Value::Object(part) => part
            .iter()
            .all(|(key, value)| contains(whole.get(key).unwrap_or(&Value::Null), value)),
        Value::Null => true,
        Value::Array(items) if items.is_empty() => true,
        _ => whole == part,
    }
}

#[test]
fn events_are_realistically_sized() {
    for (trigger, _) in events::TRIGGERS {
        let size = events::event(trigger).len();
        assert!((1024..=3072).contains(&size), "{trigger}: {size} bytes");
    }
}

#[test]
fn the_paths_agree() {
    for (trigger, _) in events::TRIGGERS {
        let input = parse(events::event(trigger));
        let [toolkit, baseline, value] =
            paths(trigger).map(|path| parse(&path(events::event(trigger))));
        // Both untyped-preserving paths return the whole event, response aside.
        let without_response = |mut event: Value| {
            event.as_object_mut().unwrap().remove("response");
            event
        };
        assert_eq!(
            without_response(toolkit.clone()),
            without_response(input.clone()),
            "{trigger}"
        );
        assert_eq!(toolkit, value, "{trigger}: toolkit against Value");
        assert_ne!(
            toolkit["response"], input["response"],
            "{trigger}: the handler answers"
        );
        assert!(
            contains(&baseline["response"], &toolkit["response"]),
            "{trigger}: baseline {} against toolkit {}",
            baseline["response"],
            toolkit["response"]
        );
    }
}
