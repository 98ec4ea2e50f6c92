//! One function for all thirteen triggers of one pool: it takes
//! `CognitoEvent`. Its description would list every trigger, more than the
//! 256 characters Lambda allows, so the template shortens it.

use cognito_trigger::events::{Attributes, ChallengeName, CognitoEvent};
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "EveryTriggerPool", trigger = PreSignUp)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = PostConfirmation)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = PreAuthentication)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = PostAuthentication)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = DefineAuthChallenge)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = CreateAuthChallenge)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = VerifyAuthChallengeResponse)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = PreTokenGeneration, lambda_version = V2_0)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = UserMigration)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = CustomMessage)]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = CustomSMSSender, kms_key_id = get_att("CodesKey", "Arn"))]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = CustomEmailSender, kms_key_id = get_att("CodesKey", "Arn"))]
#[cognito_trigger(pool = "EveryTriggerPool", trigger = InboundFederation)]
async fn every_trigger(mut event: CognitoEvent) -> Result<CognitoEvent, Error> {
    match &mut event {
        // A one-step custom sign-in that asks for the user's email address: a
        // stand-in for a real challenge such as a code sent to the user
        // (examples/custom-auth).
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
            let email = create.request.user_attributes.get("email").cloned();
            let public =
                Attributes::from([("question".to_owned(), "Your email address?".to_owned())]);
            let private = Attributes::from([("email".to_owned(), email.unwrap_or_default())]);
            create.set_challenge(public, private, "EMAIL_QUESTION");
        }
        CognitoEvent::VerifyAuthChallengeResponse(verify) => {
            let expected = verify.expected("email").filter(|email| !email.is_empty());
            let correct = expected == Some(verify.request.challenge_answer.as_str());
            verify.answer(correct);
        }
        CognitoEvent::PreTokenGenerationV2(token) => {
            let pool = token.user_pool_id.clone();
            token.add_id_token_claim("pool", pool);
        }
        // There is no directory to migrate users from.
        CognitoEvent::UserMigration(_) => return Err(Error::reject("User does not exist")),
        CognitoEvent::CustomSmsSender(_) | CognitoEvent::CustomEmailSender(_) => {
            // A real sender decrypts the code and hands it to its provider.
            tracing::info!(trigger = event.trigger_name(), "code queued");
        }
        // For the others, the event as it came asks for Cognito's defaults.
        _ => {}
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::{
        CreateAuthChallengeEvent, PreSignUpEvent, UserMigrationEvent,
        VerifyAuthChallengeResponseEvent,
    };

    #[tokio::test]
    async fn the_challenge_is_the_users_email() {
        let mut create = CreateAuthChallengeEvent::default();
        create
            .request
            .user_attributes
            .insert("email".into(), "jane@example.com".into());
        let CognitoEvent::CreateAuthChallenge(created) =
            every_trigger(create.into()).await.unwrap()
        else {
            panic!("a create event comes back as one");
        };
        let mut verify = VerifyAuthChallengeResponseEvent::default();
        verify.request.private_challenge_parameters =
            created.response.private_challenge_parameters.unwrap();
        verify.request.challenge_answer = "jane@example.com".into();
        let CognitoEvent::VerifyAuthChallengeResponse(verified) =
            every_trigger(verify.into()).await.unwrap()
        else {
            panic!("a verify event comes back as one");
        };
        assert_eq!(verified.response.answer_correct, Some(true));
    }

    #[tokio::test]
    async fn migrates_nobody_and_keeps_defaults() {
        let error = every_trigger(UserMigrationEvent::default().into())
            .await
            .unwrap_err();
        assert!(error.is_rejection());
        let sign_up = CognitoEvent::from(PreSignUpEvent::default());
        assert_eq!(every_trigger(sign_up.clone()).await.unwrap(), sign_up);
    }
}
