//! Every (trigger, source, version) row of the AWS developer guide, run by
//! the flow driver against this package's built binaries. Each event the
//! driver sent is checked against the fixture of its row
//! (runtime/tests/fixtures/events, from the guide and captured events): the
//! same keys (`clientMetadata` only when the app sent some), the response
//! exactly as Cognito sends it, and a lossless round trip through the
//! runtime's typed event.

mod common;

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::{Mfa, Provider, SignIn};
use common::{TOKEN_SOURCES, check_events, token_flows};

#[tokio::test]
async fn every_row_of_a_pool_with_custom_messages_and_token_version_1() {
    let mut cognito = cognito!("Messages");
    cognito.client_metadata([("app", "rows")]);

    // Sign-up, resend, confirm.
    let signed_up = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    assert!(!signed_up.user_confirmed);
    cognito.resend_confirmation_code("sam").await.unwrap();
    let code = cognito.last_code_to("sam@example.com").unwrap().to_owned();
    let message = cognito.messages().last().unwrap();
    assert_eq!(
        message.subject.as_deref(),
        Some("Code for CustomMessage_ResendCode")
    );
    assert_eq!(
        message.body.as_deref(),
        Some(format!("Your code: {code} (sam)").as_str())
    );
    cognito.confirm_sign_up("sam", &code).await.unwrap();

    let tokens = token_flows(&mut cognito, "sam").await;
    assert_eq!(
        tokens.id_token["source"],
        "TokenGeneration_NewPasswordChallenge"
    );

    // Custom authentication.
    let SignIn::Challenge(challenge) = cognito.start_custom_auth("sam").await.unwrap() else {
        panic!("a custom challenge");
    };
    assert_eq!(challenge.parameters["question"], "The answer?");
    assert!(
        cognito
            .answer_challenge(&challenge, "42")
            .await
            .unwrap()
            .tokens()
            .is_some()
    );

    // Migration at sign-in and at forgot password, then the reset.
    cognito.sign_in("legacy-lee", "Legacy-1").await.unwrap();
    cognito.forgot_password("legacy-kim").await.unwrap();
    let code = cognito
        .last_code_to("legacy-kim@example.com")
        .unwrap()
        .to_owned();
    cognito
        .confirm_forgot_password("legacy-kim", &code, "Fresh-pass1")
        .await
        .unwrap();

    // Attributes.
    cognito
        .update_user_attributes("sam", [("email", "sam@example.org")])
        .await
        .unwrap();
    let code = cognito.last_code_to("sam@example.org").unwrap().to_owned();
    cognito
        .verify_user_attribute("sam", "email", &code)
        .unwrap();
    cognito
        .get_user_attribute_verification_code("sam", "email")
        .await
        .unwrap();

    // An MFA code at sign-in.
    cognito.set_user_mfa("sam", Some(Mfa::Email)).unwrap();
    let SignIn::Challenge(challenge) = cognito.sign_in("sam", "Passw0rd!").await.unwrap() else {
        panic!("an MFA code");
    };
    let code = cognito.last_code_to("sam@example.org").unwrap().to_owned();
    assert!(
        cognito
            .answer_challenge(&challenge, &code)
            .await
            .unwrap()
            .tokens()
            .is_some()
    );

    // A federated first sign-in, then a second one.
    let google = Provider::new("Google", "Google");
    let tokens = cognito
        .federated_sign_in(&google, "1234", [("email", "ada@example.com")])
        .await
        .unwrap();
    assert_eq!(tokens.id_token["email"], "ada@example.com");
    assert_eq!(tokens.id_token["cognito:username"], "Google_1234");
    cognito
        .federated_sign_in(&google, "1234", [("email", "ada@example.com")])
        .await
        .unwrap();

    let seen = check_events(&cognito);
    let expected = [
        "PreSignUp_SignUp",
        "PreSignUp_AdminCreateUser",
        "PreSignUp_ExternalProvider",
        "PostConfirmation_ConfirmSignUp",
        "PostConfirmation_ConfirmForgotPassword",
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "DefineAuthChallenge_Authentication",
        "CreateAuthChallenge_Authentication",
        "VerifyAuthChallengeResponse_Authentication",
        "UserMigration_Authentication",
        "UserMigration_ForgotPassword",
        "CustomMessage_SignUp",
        "CustomMessage_AdminCreateUser",
        "CustomMessage_ResendCode",
        "CustomMessage_ForgotPassword",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_VerifyUserAttribute",
        "CustomMessage_Authentication",
        "InboundFederation_ExternalProvider",
    ];
    for source in expected.iter().chain(&TOKEN_SOURCES) {
        assert!(seen.contains(*source), "{source} not run; ran {seen:?}");
    }
}

#[tokio::test]
async fn every_row_of_token_version_3_with_client_credentials() {
    let mut cognito = cognito!("Machines");
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    let tokens = token_flows(&mut cognito, "sam").await;
    assert_eq!(
        tokens.access_token["source"],
        "TokenGeneration_NewPasswordChallenge"
    );
    assert!(tokens.scopes().contains(&"rows/write"));

    cognito.client_metadata([("environment", "dev")]);
    let machine = cognito.client_credentials(&["orders/read"]).await.unwrap();
    assert!(machine.id_token.is_empty());
    assert_eq!(machine.scopes(), ["orders/read", "rows/write"]);
    assert_eq!(
        machine.access_token["source"],
        "TokenGeneration_ClientCredentials"
    );
    let event = &cognito.invocations().last().unwrap().event;
    assert!(event.get("userName").is_none(), "{event}");

    let seen = check_events(&cognito);
    for source in TOKEN_SOURCES
        .iter()
        .chain(&["TokenGeneration_ClientCredentials"])
    {
        assert!(seen.contains(*source), "{source} not run; ran {seen:?}");
    }
}
