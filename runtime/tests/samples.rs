//! The harness's sample events: every fixture is in the table, and a sample
//! for a source is that source's event.

use cognito_trigger::events::*;
use cognito_trigger::testing::Samples;

fn fixture_count() -> usize {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
    std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .filter(|file| {
            file.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "json")
        })
        .count()
}

#[test]
fn the_table_lists_every_fixture() {
    let listed = [
        PreSignUp::FIXTURES.len(),
        PostConfirmation::FIXTURES.len(),
        PreAuthentication::FIXTURES.len(),
        PostAuthentication::FIXTURES.len(),
        DefineAuthChallenge::FIXTURES.len(),
        CreateAuthChallenge::FIXTURES.len(),
        VerifyAuthChallengeResponse::FIXTURES.len(),
        PreTokenGeneration::FIXTURES.len(),
        PreTokenGenerationV2::FIXTURES.len(),
        PreTokenGenerationV3::FIXTURES.len(),
        UserMigration::FIXTURES.len(),
        CustomMessage::FIXTURES.len(),
        CustomSmsSender::FIXTURES.len(),
        CustomEmailSender::FIXTURES.len(),
        InboundFederation::FIXTURES.len(),
    ];
    assert_eq!(listed.iter().sum::<usize>(), fixture_count());
}

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
