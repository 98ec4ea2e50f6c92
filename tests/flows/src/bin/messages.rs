//! The `Messages` pool: every trigger but the custom senders, pre token
//! generation V1_0, and the custom message trigger for every message. It
//! answers so that every flow goes on (tests/rows.rs).

use cognito_trigger::events::{Attributes, ChallengeName, CognitoEvent};
use cognito_trigger::{Error, cognito_trigger};

/// The answer of the custom challenge.
const ANSWER: &str = "42";
/// The password of the users the migration trigger knows (`legacy-*`).
const LEGACY_PASSWORD: &str = "Legacy-1";

#[cognito_trigger(pool = "Messages", trigger = PreSignUp)]
#[cognito_trigger(pool = "Messages", trigger = PostConfirmation)]
#[cognito_trigger(pool = "Messages", trigger = PreAuthentication)]
#[cognito_trigger(pool = "Messages", trigger = PostAuthentication)]
#[cognito_trigger(pool = "Messages", trigger = DefineAuthChallenge)]
#[cognito_trigger(pool = "Messages", trigger = CreateAuthChallenge)]
#[cognito_trigger(pool = "Messages", trigger = VerifyAuthChallengeResponse)]
#[cognito_trigger(pool = "Messages", trigger = PreTokenGeneration, lambda_version = V1_0)]
#[cognito_trigger(pool = "Messages", trigger = UserMigration)]
#[cognito_trigger(pool = "Messages", trigger = CustomMessage)]
#[cognito_trigger(pool = "Messages", trigger = InboundFederation)]
async fn messages(mut event: CognitoEvent) -> Result<CognitoEvent, Error> {
    match &mut event {
        CognitoEvent::DefineAuthChallenge(define) => {
            if define.custom_challenges_passed() > 0 {
                define.issue_tokens();
            } else if define.request.user_not_found || !define.session().is_empty() {
                define.fail_authentication();
            } else {
                define.next_challenge(ChallengeName::Custom);
            }
        }
        CognitoEvent::CreateAuthChallenge(create) => {
            let public = Attributes::from([("question", "The answer?")]);
            create.set_challenge(public, Attributes::from([("answer", ANSWER)]), "QUESTION");
        }
        CognitoEvent::VerifyAuthChallengeResponse(verify) => {
            let correct =
                verify.expected("answer") == Some(verify.request.challenge_answer.as_str());
            verify.answer(correct);
        }
        CognitoEvent::PreTokenGeneration(token) => {
            let source = token.trigger_source.to_string();
            token.add_claim("source", source);
        }
        CognitoEvent::UserMigration(migration) => {
            let known = migration.user_name.starts_with("legacy-");
            let password = migration.request.password.as_deref();
            if !known || password.is_some_and(|p| p != LEGACY_PASSWORD) {
                return Err(Error::reject("Unknown user"));
            }
            let email = format!("{}@example.com", migration.user_name);
            migration.migrate(Attributes::from([
                ("email", email.as_str()),
                ("email_verified", "true"),
            ]));
        }
        CognitoEvent::CustomMessage(message) => {
            let subject = format!("Code for {}", message.trigger_source);
            message.set_email(subject, "Your code: {####} ({username})")?;
            message.set_sms("Code {####} for {username}")?;
        }
        CognitoEvent::InboundFederation(federation) => {
            let user_info = federation.request.attributes.user_info.as_ref();
            let email = user_info.and_then(|u| u.get("email")?.as_str().map(str::to_owned));
            if let Some(email) = email {
                federation.map_attribute("email", email);
            }
        }
        _ => {}
    }
    Ok(event)
}
