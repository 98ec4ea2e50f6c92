//! How the driver plays Cognito around the answers: timeouts and retries,
//! answers Cognito cannot use, rejections, pools kept apart. The handlers
//! here run in process (closures standing in for the package's functions),
//! under tokio's paused clock, so Cognito's 5 seconds cost nothing.

use cognito_trigger::Error;
use cognito_trigger::events::{Attributes, ChallengeName, CognitoEvent, PreTokenGenerationV3Event};
use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::{Cognito, Mfa};
use std::time::Duration;

/// The Messages pool with `messages` replaced by `handler`, in process.
fn messages_with<F, Fut>(handler: F) -> Cognito
where
    F: Fn(CognitoEvent) -> Fut + 'static,
    Fut: Future<Output = Result<CognitoEvent, Error>> + 'static,
{
    cognito!("Messages").function("messages", handler)
}

#[tokio::test(start_paused = true)]
async fn a_trigger_slower_than_5_seconds_is_called_3_times_then_fails() {
    let mut cognito = messages_with(|event: CognitoEvent| async move {
        tokio::time::sleep(Duration::from_secs(6)).await;
        Ok(event)
    });
    let error = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap_err();
    assert_eq!(error.code(), "UnexpectedLambdaException");
    assert_eq!(
        error.message(),
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."
    );
    assert_eq!(cognito.sources(), ["PreSignUp_SignUp"; 3]);
    assert!(
        cognito.user("sam").is_none(),
        "a failed sign-up creates no user"
    );
}

#[tokio::test(start_paused = true)]
async fn a_trigger_that_answers_in_time_on_a_retry_goes_through() {
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let counted = calls.clone();
    let mut cognito = messages_with(move |event: CognitoEvent| {
        counted.set(counted.get() + 1);
        let slow = counted.get() == 1;
        async move {
            if slow {
                tokio::time::sleep(Duration::from_secs(7)).await;
            }
            Ok(event)
        }
    });
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    // The slow first call and its retry, then the confirmation message.
    assert_eq!(
        cognito.sources(),
        [
            "PreSignUp_SignUp",
            "PreSignUp_SignUp",
            "CustomMessage_SignUp"
        ]
    );
    assert_eq!(calls.get(), 3);
}

#[tokio::test]
async fn a_rejection_reaches_the_app_in_cognito_s_words() {
    let mut cognito = messages_with(|event: CognitoEvent| async move {
        match event {
            CognitoEvent::PreSignUp(_) => Err(Error::reject("Sign-up is closed")),
            other => Ok(other),
        }
    });
    let error = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "UserLambdaValidationException: PreSignUp failed with error Sign-up is closed."
    );
    let internal =
        messages_with(|_: CognitoEvent| async move { Err(Error::internal("database down")) })
            .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
            .await
            .unwrap_err();
    assert_eq!(
        internal.message(),
        "PreSignUp failed with error Internal error."
    );
}

/// Cognito keeps its own value of a reserved claim and drops the change
/// without an error (cognito-local filters the same claims).
#[tokio::test]
async fn a_reserved_claim_keeps_cognito_s_value() {
    let mut cognito = cognito!("Machines").function(
        "machines",
        |mut event: PreTokenGenerationV3Event| async move {
            event
                .add_id_token_claim("sub", "someone-else")
                .add_id_token_claim("tier", "gold")
                .suppress_access_token_claim("client_id");
            Ok::<_, Error>(event)
        },
    );
    let signed_up = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    let signed_in = cognito.sign_in("sam", "Passw0rd!").await.unwrap();
    let tokens = signed_in.tokens().unwrap();
    assert_eq!(tokens.id_token["sub"], signed_up.user_sub.as_str());
    assert_eq!(tokens.id_token["tier"], "gold");
    assert_eq!(tokens.access_token["client_id"], cognito.client_id());
}

#[tokio::test]
async fn each_pool_runs_only_its_own_triggers_with_its_own_id() {
    let mut machines = cognito!("Machines");
    let mut partners = cognito!("Partners");
    assert_ne!(machines.pool_id(), partners.pool_id());
    for cognito in [&mut machines, &mut partners] {
        cognito
            .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
            .await
            .unwrap();
        cognito.admin_confirm_sign_up("sam").await.unwrap();
        let tokens = cognito
            .sign_in("sam", "Passw0rd!")
            .await
            .unwrap()
            .tokens()
            .unwrap()
            .clone();
        assert_eq!(tokens.access_token["pool"], cognito.pool_id());
        // No PreSignUp, message or PostConfirmation trigger on these pools.
        assert_eq!(cognito.sources(), ["TokenGeneration_Authentication"]);
        // The pools verify no attribute: no confirmation code is sent.
        assert!(cognito.messages().is_empty());
    }
}

#[tokio::test]
async fn a_left_out_function_is_not_called() {
    let mut cognito = cognito!("Messages").without("messages");
    let outcome = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    assert!(!outcome.user_confirmed);
    assert!(cognito.invocations().is_empty());
    let message = &cognito.messages()[0];
    assert_eq!(
        message.body.as_deref(),
        Some(
            format!(
                "Your verification code is {}.",
                message.code.as_deref().unwrap()
            )
            .as_str()
        )
    );
}

#[tokio::test]
async fn a_wrong_code_and_an_expired_session_are_refused() {
    let mut cognito = cognito!("Messages");
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    let error = cognito.confirm_sign_up("sam", "000000x").await.unwrap_err();
    assert_eq!(error.code(), "CodeMismatchException");
    let error = cognito.sign_in("sam", "Passw0rd!").await.unwrap_err();
    assert_eq!(error.code(), "UserNotConfirmedException");
}

/// A define trigger that challenges unknown users too (so that an attacker
/// cannot tell them apart) and fails them at the answer.
async fn challenge_everyone(mut event: CognitoEvent) -> Result<CognitoEvent, Error> {
    match &mut event {
        CognitoEvent::DefineAuthChallenge(define) => {
            if define.session().is_empty() {
                define.next_challenge(ChallengeName::Custom);
            } else if define.request.user_not_found || define.custom_challenges_passed() == 0 {
                define.fail_authentication();
            } else {
                define.issue_tokens();
            }
        }
        CognitoEvent::CreateAuthChallenge(create) => {
            let private = Attributes::from([("answer", "42")]);
            create.set_challenge(Attributes::default(), private, "Q");
        }
        CognitoEvent::VerifyAuthChallengeResponse(verify) => {
            let correct =
                verify.expected("answer") == Some(verify.request.challenge_answer.as_str());
            verify.answer(correct);
        }
        _ => {}
    }
    Ok(event)
}

#[tokio::test]
async fn an_unknown_user_is_challenged_then_refused_and_never_becomes_a_user() {
    let mut cognito = cognito!("Messages").function("messages", challenge_everyone);
    let challenge = cognito
        .start_custom_auth("ghost")
        .await
        .unwrap()
        .challenge()
        .unwrap()
        .clone();
    assert!(cognito.user("ghost").is_none());
    let error = cognito
        .answer_challenge(&challenge, "42")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
    let verify = &cognito.invocations()[2].event;
    assert_eq!(
        verify["triggerSource"],
        "VerifyAuthChallengeResponse_Authentication"
    );
    assert_eq!(verify["request"]["userNotFound"], true);
    // A real user signs up under the name afterwards, unaffected.
    cognito
        .sign_up("ghost", "Passw0rd!", [("email", "g@example.com")])
        .await
        .unwrap();
    assert!(cognito.user("ghost").is_some());
}

#[tokio::test(start_paused = true)]
async fn a_custom_challenge_left_past_the_session_validity_is_refused() {
    let mut cognito = cognito!("Messages");
    cognito
        .admin_create_user("sam", [("email", "sam@example.com")])
        .await
        .unwrap();
    let challenge = cognito
        .start_custom_auth("sam")
        .await
        .unwrap()
        .challenge()
        .unwrap()
        .clone();
    tokio::time::advance(Duration::from_secs(3 * 60 + 1)).await;
    let error = cognito
        .answer_challenge(&challenge, "42")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "NotAuthorizedException: Invalid session for the user, session is expired."
    );
}

/// A sign-in's `ClientMetadata` reaches pre authentication as its
/// `validationData` and no later trigger; an answer's reaches the token and
/// post authentication triggers (InitiateAuth's and RespondToAuthChallenge's
/// API reference).
#[tokio::test]
async fn client_metadata_goes_where_the_api_reference_says() {
    let mut cognito = cognito!("Messages");
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    cognito.client_metadata([("app", "web")]);
    cognito.clear_invocations();
    cognito.sign_in("sam", "Passw0rd!").await.unwrap();
    let events: Vec<_> = cognito.invocations().iter().map(|i| &i.event).collect();
    assert_eq!(
        events[0]["triggerSource"],
        "PreAuthentication_Authentication"
    );
    assert_eq!(events[0]["request"]["validationData"]["app"], "web");
    assert!(
        events[1..]
            .iter()
            .all(|e| e["request"].get("clientMetadata").is_none())
    );

    cognito.set_user_mfa("sam", Some(Mfa::Email)).unwrap();
    cognito.clear_invocations();
    let challenge = cognito
        .sign_in("sam", "Passw0rd!")
        .await
        .unwrap()
        .challenge()
        .unwrap()
        .clone();
    let code = cognito.last_code_to("sam@example.com").unwrap().to_owned();
    cognito.answer_challenge(&challenge, &code).await.unwrap();
    let token = cognito
        .invocations()
        .iter()
        .find(|i| i.source == "TokenGeneration_Authentication")
        .unwrap();
    assert_eq!(token.event["request"]["clientMetadata"]["app"], "web");
}

/// A session string answers once: the next step has its own (re:Post,
/// "the session key can be used only once").
#[tokio::test]
async fn an_answered_challenge_s_session_is_spent() {
    let mut cognito = cognito!("Messages").function("messages", challenge_everyone);
    cognito
        .admin_create_user("sam", [("email", "sam@example.com")])
        .await
        .unwrap();
    let challenge = cognito
        .start_custom_auth("sam")
        .await
        .unwrap()
        .challenge()
        .unwrap()
        .clone();
    assert!(
        cognito
            .answer_challenge(&challenge, "42")
            .await
            .unwrap()
            .tokens()
            .is_some()
    );
    let error = cognito
        .answer_challenge(&challenge, "42")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "NotAuthorizedException: Invalid session for the user."
    );
}

#[tokio::test]
async fn a_remembered_device_stands_in_for_the_mfa_code() {
    let mut cognito = cognito!("Messages");
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    let tokens = cognito
        .sign_in("sam", "Passw0rd!")
        .await
        .unwrap()
        .tokens()
        .unwrap()
        .clone();
    let device = cognito.remember_device(&tokens);
    cognito.set_user_mfa("sam", Some(Mfa::Email)).unwrap();
    let from_device = cognito.device_sign_in("sam", "Passw0rd!", &device).await;
    assert!(from_device.unwrap().tokens().is_some());
    let elsewhere = cognito.sign_in("sam", "Passw0rd!").await.unwrap();
    assert_eq!(elsewhere.challenge().unwrap().name, "EMAIL_OTP");
    let error = cognito
        .device_sign_in("sam", "Passw0rd!", "us-east-1_unknown")
        .await
        .unwrap_err();
    assert_eq!(error.message(), "Device does not exist.");
}

/// An unknown user's password sign-in, with a migration trigger that finds
/// no one: pre authentication runs with `userNotFound` (the guide's pre
/// authentication page) and the app learns nothing more than for a wrong
/// password. A migration trigger's own error reaches the app as it is.
#[tokio::test]
async fn an_unknown_user_s_sign_in_says_no_more_than_a_wrong_password() {
    let mut cognito = messages_with(|event: CognitoEvent| async move { Ok(event) });
    let error = cognito.sign_in("nobody", "Passw0rd!").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
    assert_eq!(
        cognito.sources(),
        [
            "UserMigration_Authentication",
            "PreAuthentication_Authentication"
        ]
    );
    assert_eq!(
        cognito.invocations()[1].event["request"]["userNotFound"],
        true
    );

    let mut cognito = cognito!("Messages");
    let error = cognito.sign_in("nobody", "Passw0rd!").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "UserLambdaValidationException: UserMigration failed with error Unknown user."
    );
}
