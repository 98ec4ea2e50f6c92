//! The pool's flows under the flow driver, with the built binaries: the
//! passwordless email-code sign-in (the three challenge triggers, then
//! PreTokenGeneration V2_0) and the password sign-in that migrates users.

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::{Challenge, Cognito, SignIn};

fn pool() -> Cognito {
    cognito!("PasswordlessPool").env("LEGACY_USERS", "jane:s3cret:jane@example.com")
}

/// The code the create trigger made for `challenge` (it would email it).
fn code_for(cognito: &Cognito, challenge: &Challenge) -> String {
    let private = cognito.private_challenge_parameters(challenge).unwrap();
    private["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_wrong_code_then_the_right_one_signs_in() {
    let mut cognito = pool();
    cognito
        .admin_create_user(
            "amal",
            [("email", "amal@example.com"), ("custom:tenant", "acme")],
        )
        .await
        .unwrap();
    cognito.clear_invocations();

    let SignIn::Challenge(challenge) = cognito.start_custom_auth("amal").await.unwrap() else {
        panic!("the define trigger asks for a code first");
    };
    assert_eq!(challenge.name, "CUSTOM_CHALLENGE");
    assert_eq!(challenge.parameters["delivery"], "email");
    let SignIn::Challenge(again) = cognito
        .answer_challenge(&challenge, "000000")
        .await
        .unwrap()
    else {
        panic!("a wrong code asks again");
    };
    let signed_in = cognito
        .answer_challenge(&again, &code_for(&cognito, &again))
        .await
        .unwrap();
    let tokens = signed_in.tokens().expect("the right code signs in");
    assert_eq!(tokens.id_token["tenant"], "acme");
    assert_eq!(tokens.access_token["tenant"], "acme");
    assert!(
        tokens.scopes().contains(&"profile/read"),
        "{:?}",
        tokens.scopes()
    );
    assert_eq!(
        cognito.sources(),
        [
            "DefineAuthChallenge_Authentication",
            "CreateAuthChallenge_Authentication",
            "VerifyAuthChallengeResponse_Authentication",
            "DefineAuthChallenge_Authentication",
            "CreateAuthChallenge_Authentication",
            "VerifyAuthChallengeResponse_Authentication",
            "DefineAuthChallenge_Authentication",
            "TokenGeneration_Authentication",
        ]
    );
    // The last define event saw both answers, in order.
    let define = &cognito.invocations()[6].event;
    let results: Vec<bool> = define["request"]["session"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["challengeResult"].as_bool().unwrap())
        .collect();
    assert_eq!(results, [false, true]);
}

#[tokio::test]
async fn three_wrong_codes_fail_the_sign_in() {
    let mut cognito = pool();
    cognito
        .admin_create_user("omar", [("email", "omar@example.com")])
        .await
        .unwrap();
    let mut step = cognito.start_custom_auth("omar").await.unwrap();
    for _ in 0..2 {
        let challenge = step.challenge().expect("asked again").clone();
        step = cognito
            .answer_challenge(&challenge, "999999x")
            .await
            .unwrap();
    }
    let challenge = step.challenge().expect("a third chance").clone();
    let error = cognito
        .answer_challenge(&challenge, "999999x")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "NotAuthorizedException");
    assert_eq!(error.message(), "Incorrect username or password.");
}

#[tokio::test]
async fn an_unknown_user_fails_without_telling_so() {
    let mut cognito = pool();
    let error = cognito.start_custom_auth("nobody").await.unwrap_err();
    assert_eq!(error.code(), "NotAuthorizedException");
    let define = &cognito.invocations()[0].event;
    assert_eq!(define["request"]["userNotFound"], true);
}

#[tokio::test]
async fn a_legacy_user_migrates_at_the_first_password_sign_in() {
    let mut cognito = pool();
    // The trigger's refusal reaches the app as Cognito shows it.
    let error = cognito.sign_in("jane", "wrong").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "UserLambdaValidationException: UserMigration failed with error Incorrect username or password."
    );
    let signed_in = cognito.sign_in("jane", "s3cret").await.unwrap();
    let tokens = signed_in.tokens().expect("migrated and signed in");
    assert_eq!(tokens.id_token["email"], "jane@example.com");
    assert_eq!(tokens.id_token["tenant"], "public");
    assert_eq!(
        cognito.sources()[1..],
        [
            "UserMigration_Authentication",
            "TokenGeneration_Authentication"
        ]
    );
    let refreshed = cognito.refresh(tokens).await.unwrap();
    assert_eq!(refreshed.id_token["tenant"], "public");
    assert_eq!(
        cognito.sources().last(),
        Some(&"TokenGeneration_RefreshTokens")
    );
}
