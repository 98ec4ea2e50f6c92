//! The benchmark events: the fixtures of `runtime/tests/fixtures/events/`,
//! enlarged to the 1-3 KB of a production pool (see `events/README.md`).

/// The benchmarked triggers, as named in the modules' functions, with their events.
pub const TRIGGERS: &[(&str, &str)] = &[
    ("pre_sign_up", include_str!("../events/pre_sign_up.json")),
    (
        "pre_token_generation_v1",
        include_str!("../events/pre_token_generation_v1.json"),
    ),
    (
        "pre_token_generation_v2",
        include_str!("../events/pre_token_generation_v2.json"),
    ),
    (
        "custom_message",
        include_str!("../events/custom_message.json"),
    ),
    (
        "define_auth_challenge",
        include_str!("../events/define_auth_challenge.json"),
    ),
    (
        "user_migration",
        include_str!("../events/user_migration.json"),
    ),
];

/// The event of `trigger`, as Lambda hands it over: compact JSON bytes.
pub fn event(trigger: &str) -> &'static [u8] {
    let (_, json) = TRIGGERS
        .iter()
        .find(|(name, _)| *name == trigger)
        .unwrap_or_else(|| panic!("no benchmark event for {trigger}"));
    json.trim_end().as_bytes()
}
