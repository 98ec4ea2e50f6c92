//! A handler's answer that Cognito would refuse (issue 7) becomes an
//! `InvalidResponse` error with the generic message, before it reaches
//! Cognito, whose own refusal would tell the user nothing and the developer
//! little; answers Cognito takes, and those the helpers make, pass. Each case
//! goes through the entrypoint's decode → handler → check → encode path.

#![cfg(feature = "testing")]

use cognito_trigger::events::*;
use cognito_trigger::testing::{Reply, dispatch};
use cognito_trigger::{Error, INTERNAL_MESSAGE};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Sends `event` through `handler`; the error type and message, or `None`
/// when the answer went back.
fn answer<E, F>(event: &E, handler: F) -> Option<(String, String)>
where
    E: Serialize + DeserializeOwned + Answer,
    F: Fn(E) -> E,
{
    let payload = serde_json::to_vec(event).unwrap();
    match dispatch(async |event: E| Ok::<_, Error>(handler(event)), &payload) {
        Reply::Response(_) => None,
        Reply::Error {
            error_type,
            error_message,
        } => Some((error_type, error_message)),
    }
}

fn refused() -> Option<(String, String)> {
    Some(("InvalidResponse".into(), INTERNAL_MESSAGE.into()))
}

#[test]
fn verifying_an_attribute_the_user_lacks_is_refused() {
    let mut without_email = PreSignUpEvent::sample(PreSignUpSource::SignUp);
    without_email.request.user_attributes.remove("email");
    without_email.request.user_attributes.remove("phone_number");
    let verify_email = |mut event: PreSignUpEvent| {
        event.response.auto_confirm_user = true;
        event.response.auto_verify_email = true;
        event
    };
    assert_eq!(answer(&without_email, verify_email), refused());

    let mut empty_email = without_email.clone();
    empty_email
        .request
        .user_attributes
        .insert("email".into(), String::new());
    assert_eq!(answer(&empty_email, verify_email), refused());

    let with_email = without_email
        .clone()
        .with_user_attribute("email", "jane@example.com");
    assert_eq!(answer(&with_email, verify_email), None);

    let verify_phone = |mut event: PreSignUpEvent| {
        event.response.auto_verify_phone = true;
        event
    };
    assert_eq!(answer(&with_email, verify_phone), refused());

    // The helpers set a flag only when the attribute is there.
    let helpers = |mut event: PreSignUpEvent| {
        event.auto_confirm();
        event.auto_verify_email();
        event.auto_verify_phone();
        event
    };
    assert_eq!(answer(&without_email, helpers), None);
    assert_eq!(answer(&with_email, helpers), None);
}

#[test]
fn a_challenge_cognito_does_not_know_is_refused() {
    let event = DefineAuthChallengeEvent::sample(DefineAuthChallengeSource::Authentication);
    let unknown = |mut event: DefineAuthChallengeEvent| {
        event.response.challenge_name = Some(ChallengeName::Other("CAPTCHA".into()));
        event
    };
    assert_eq!(answer(&event, unknown), refused());
    let custom = |mut event: DefineAuthChallengeEvent| {
        event.next_challenge(ChallengeName::Custom);
        event
    };
    assert_eq!(answer(&event, custom), None);

    // The same check applies when the function takes a family's event.
    let family = |event: AuthChallengeEvent| match event {
        AuthChallengeEvent::DefineAuthChallenge(event) => {
            AuthChallengeEvent::DefineAuthChallenge(unknown(event))
        }
        other => other,
    };
    assert_eq!(
        answer(&AuthChallengeEvent::DefineAuthChallenge(event), family),
        refused()
    );
}

#[test]
fn a_message_without_its_placeholders_or_over_its_limits_is_refused() {
    let event = CustomMessageEvent::sample(CustomMessageSource::SignUp);
    let code = event.request.code_parameter.clone();
    let email = move |message: String| {
        move |mut event: CustomMessageEvent| {
            event.response.email_subject = Some("Welcome".into());
            event.response.email_message = Some(message.clone());
            event
        }
    };
    assert_eq!(answer(&event, email("Welcome aboard".into())), refused());
    assert_eq!(answer(&event, email(format!("Your code: {code}"))), None);
    let too_long = format!("{code}{}", "x".repeat(EMAIL_MESSAGE_MAX));
    assert_eq!(answer(&event, email(too_long)), refused());

    let sms = |mut event: CustomMessageEvent| {
        event.response.sms_message = Some("Your code is on its way".into());
        event
    };
    assert_eq!(answer(&event, sms), refused());
    let empty = |mut event: CustomMessageEvent| {
        event.response.sms_message = Some(String::new());
        event.response.email_message = Some(String::new());
        event
    };
    assert_eq!(answer(&event, empty), None);

    let long_subject = |mut event: CustomMessageEvent| {
        event.response.email_subject = Some("s".repeat(EMAIL_SUBJECT_MAX + 1));
        event
    };
    assert_eq!(answer(&event, long_subject), refused());

    // An invitation also needs the username placeholder.
    let invitation = CustomMessageEvent::sample(CustomMessageSource::AdminCreateUser);
    let code = invitation.request.code_parameter.clone();
    assert_eq!(
        answer(&invitation, email(format!("Your password: {code}"))),
        refused()
    );
}

#[test]
fn a_migration_value_cognito_does_not_know_is_refused() {
    let event = UserMigrationEvent::sample(UserMigrationSource::Authentication);
    let migrate = |mut event: UserMigrationEvent| {
        event.migrate(Attributes::from([(
            "email".to_owned(),
            "jane@example.com".to_owned(),
        )]));
        event
    };
    assert_eq!(answer(&event, migrate), None);
    let status = move |mut event: UserMigrationEvent| {
        event = migrate(event);
        event.response.final_user_status = Some(FinalUserStatus::Other("ACTIVE".into()));
        event
    };
    assert_eq!(answer(&event, status), refused());
    let medium = move |mut event: UserMigrationEvent| {
        event = migrate(event);
        event.response.desired_delivery_mediums = Some(vec![
            DeliveryMedium::Email,
            DeliveryMedium::Other("PIGEON".into()),
        ]);
        event
    };
    assert_eq!(answer(&event, medium), refused());
}

#[test]
fn the_problem_is_named_for_the_log() {
    let mut event = PreSignUpEvent::sample(PreSignUpSource::SignUp);
    event.request.user_attributes.remove("phone_number");
    event.response.auto_verify_phone = true;
    let problem = event.refusal().unwrap();
    assert!(
        problem.contains("autoVerifyPhone") && problem.contains("phone_number"),
        "{problem}"
    );
    let any = CognitoEvent::PreSignUp(event);
    assert_eq!(any.refusal(), Some(problem));
}
