//! The harness's sample events: a sample for a source is that source's
//! event. That every fixture file is in a marker's `FIXTURES` is checked by
//! `catalogue.rs`, over every event of core's catalogue.

use cognito_trigger::events::*;

#[test]
fn samples_are_the_sources_events() {
    let event = CustomMessageEvent::sample(CustomMessageSource::ForgotPassword);
    assert_eq!(event.trigger_source, CustomMessageSource::ForgotPassword);
    assert_eq!(event.request.code_parameter, "{####}");

    let event = PreSignUpEvent::sample(PreSignUpSource::AdminCreateUser)
        .with_user_attribute("email", "jane@example.com")
        .with_user_name("jane");
    assert_eq!(event.trigger_source, PreSignUpSource::AdminCreateUser);
    assert_eq!(event.request.user_attributes["email"], "jane@example.com");
    assert_eq!(event.user_name, "jane");
    assert!(!event.user_pool_id.is_empty() && !event.region.is_empty());

    // A source without an example of its own keeps the one asked for.
    let event = PreSignUpEvent::sample(PreSignUpSource::Other("PreSignUp_New".into()));
    assert_eq!(event.trigger_source.as_str(), "PreSignUp_New");
}
