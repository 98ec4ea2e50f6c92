//! The helpers that encode Cognito's documented rules for each trigger.

use cognito_trigger::events::*;
use serde_json::json;

#[test]
fn pre_sign_up_verifies_only_attributes_the_user_has() {
    let mut event = PreSignUpEvent::default();
    assert!(!event.auto_verify_email());
    assert!(!event.auto_verify_phone());
    event
        .request
        .user_attributes
        .insert("phone_number".into(), "+12065550100".into());
    assert!(event.auto_verify_phone());
    event.auto_confirm();
    let response = serde_json::to_value(&event.response).unwrap();
    assert_eq!(
        response,
        json!({"autoConfirmUser": true, "autoVerifyPhone": true})
    );
}

#[test]
fn pre_token_generation_v1_adds_and_suppresses_claims() {
    let mut event = PreTokenGenerationEvent::default();
    event
        .add_claim("tenant", "acme")
        .suppress_claim("email")
        .override_groups(vec!["admins".into()]);
    assert_eq!(
        serde_json::to_value(&event.response).unwrap(),
        json!({"claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tenant": "acme"},
            "claimsToSuppress": ["email"],
            "groupOverrideDetails": {"groupsToOverride": ["admins"]}
        }})
    );
}

#[test]
fn pre_token_generation_v3_customizes_machine_tokens() {
    let mut event = PreTokenGenerationV3Event::default();
    event
        .add_access_token_claim("quota", json!({"requests": 100}))
        .suppress_scope("admin");
    assert_eq!(
        serde_json::to_value(&event.response).unwrap(),
        json!({"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {
            "claimsToAddOrOverride": {"quota": {"requests": 100}},
            "scopesToSuppress": ["admin"]
        }}})
    );
}

#[test]
fn define_auth_challenge_decides_the_next_step() {
    let mut event = DefineAuthChallengeEvent::default();
    event.next_challenge(ChallengeName::Custom);
    assert_eq!(
        serde_json::to_value(&event.response).unwrap(),
        json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
    );
    event.issue_tokens();
    assert_eq!(event.response.challenge_name, None);
    assert_eq!(event.response.issue_tokens, Some(true));
    // A cleared challenge name is written back as null, as Cognito sent it.
    assert_eq!(
        serde_json::to_value(&event.response).unwrap()["challengeName"],
        json!(null)
    );

    let passed = ChallengeResult {
        challenge_name: ChallengeName::Custom,
        challenge_result: true,
        ..Default::default()
    };
    let failed = ChallengeResult {
        challenge_result: false,
        ..passed.clone()
    };
    event.request.session = vec![failed, passed.clone(), passed];
    assert_eq!(event.custom_challenges_passed(), 2);
}

fn custom_message(source: CustomMessageSource) -> CustomMessageEvent {
    let mut event = CustomMessageEvent {
        trigger_source: source,
        ..Default::default()
    };
    event.request.code_parameter = "{####}".into();
    event.request.username_parameter = Some("{username}".into());
    event
}

#[test]
fn custom_message_requires_the_placeholders() {
    let mut event = custom_message(CustomMessageSource::SignUp);
    let error = event.set_email("Welcome", "Welcome aboard").unwrap_err();
    assert!(
        !error.is_rejection(),
        "a handler bug, not a message for the user"
    );
    assert_eq!(
        error.to_string(),
        "emailMessage for CustomMessage_SignUp lacks the placeholder {####}, so Cognito would reject it"
    );
    assert!(
        event.response.email_message.is_none(),
        "nothing is set on failure"
    );
    event.set_email("Welcome", "Your code is {####}").unwrap();
    event.set_sms("Code: {####}").unwrap();

    let mut invitation = custom_message(CustomMessageSource::AdminCreateUser);
    assert!(
        invitation
            .set_email("Hi", "Your password is {####}")
            .unwrap_err()
            .to_string()
            .contains("{username}")
    );
    invitation
        .set_email("Hi", "Sign in as {username} with {####}")
        .unwrap();
}

#[test]
fn custom_message_enforces_cognito_limits() {
    let mut event = custom_message(CustomMessageSource::ForgotPassword);
    let subject = "s".repeat(EMAIL_SUBJECT_MAX + 1);
    assert!(event.set_email(subject, "{####}").is_err());
    let body = format!("{{####}}{}", "x".repeat(EMAIL_MESSAGE_MAX));
    assert!(event.set_email("Reset", body).is_err());
}

#[test]
fn user_migration_creates_a_confirmed_user_silently() {
    let mut event = UserMigrationEvent::default();
    event.migrate(Attributes::from([(
        "email".to_owned(),
        "jane@example.com".to_owned(),
    )]));
    assert_eq!(
        serde_json::to_value(&event.response).unwrap(),
        json!({"userAttributes": {"email": "jane@example.com"}, "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"})
    );
}

#[test]
fn inbound_federation_maps_attributes() {
    let mut event = InboundFederationEvent::default();
    event.map_attribute("email", "jane@example.com");
    assert_eq!(
        serde_json::to_value(&event.response).unwrap(),
        json!({"userAttributesToMap": {"email": "jane@example.com"}})
    );
}

#[test]
fn the_custom_auth_family_dispatches_by_trigger_source() {
    let event: AuthChallengeEvent = serde_json::from_value(json!({
        "version": "1", "triggerSource": "VerifyAuthChallengeResponse_Authentication",
        "request": {"privateChallengeParameters": {"answer": "5"}, "challengeAnswer": "5"},
        "response": {"answerCorrect": null}
    }))
    .unwrap();
    let AuthChallengeEvent::VerifyAuthChallengeResponse(mut verify) = event else {
        panic!("dispatched to the wrong trigger");
    };
    let correct = verify.expected("answer") == Some(verify.request.challenge_answer.as_str());
    verify.answer(correct);
    assert_eq!(verify.response.answer_correct, Some(true));
}
