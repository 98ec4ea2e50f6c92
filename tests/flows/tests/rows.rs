//! Every (trigger, source, version) row of the AWS developer guide, run by
//! the flow driver against this package's built binaries. Each event the
//! driver sent is checked against the fixture of its row
//! (runtime/tests/fixtures/events, from the guide and captured events): the
//! same keys (`clientMetadata` only when the app sent some), the response
//! exactly as Cognito sends it, and a lossless round trip through the
//! runtime's typed event.

use cognito_trigger::events::CognitoEvent;
use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::{Cognito, Mfa, Provider, SignIn};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The fixture of the row of `event`.
fn fixture(event: &Value) -> Value {
    let source = event["triggerSource"].as_str().unwrap();
    let prefix = source.split('_').next().unwrap();
    let folder = match prefix {
        "TokenGeneration" => format!(
            "pre_token_generation_v{}",
            event["version"].as_str().unwrap()
        ),
        "CustomSMSSender" => "custom_sms_sender".to_owned(),
        "VerifyAuthChallengeResponse" => "verify_auth_challenge_response".to_owned(),
        other => {
            // PreSignUp → pre_sign_up
            let mut snake = String::new();
            for (i, c) in other.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        }
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../runtime/tests/fixtures/events")
        .join(folder)
        .join(format!("{source}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Checks every event `cognito` sent against its row's fixture; returns
/// the sources seen.
fn check_events(cognito: &Cognito) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for invoked in cognito.invocations() {
        let event = &invoked.event;
        let expected = fixture(event);
        let source = &invoked.source;
        assert_eq!(keys(event), keys(&expected), "{source}: the event's keys");
        let mut request = keys(&event["request"]);
        let mut expected_request = keys(&expected["request"]);
        // Present when the app sent metadata, in the fixture when the guide's example did.
        if !expected["request"]["clientMetadata"].is_null()
            || !event["request"]["clientMetadata"].is_null()
        {
            request.remove("clientMetadata");
            expected_request.remove("clientMetadata");
        }
        assert_eq!(request, expected_request, "{source}: the request's keys");
        assert_eq!(
            event.get("response"),
            expected.get("response"),
            "{source}: the response Cognito sends"
        );
        assert_eq!(
            event["version"], expected["version"],
            "{source}: the version"
        );
        let typed: CognitoEvent =
            serde_json::from_value(event.clone()).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(
            &serde_json::to_value(&typed).unwrap(),
            event,
            "{source}: the round trip"
        );
        assert!(invoked.answer.is_ok(), "{source}: {:?}", invoked.answer);
        seen.insert(source.clone());
    }
    seen
}

/// Signs a confirmed user in every way that makes tokens, so the token
/// trigger sees each of its user sources; returns the last tokens.
async fn token_flows(cognito: &mut Cognito, user: &str) -> cognito_trigger::testing::flow::Tokens {
    let tokens = cognito
        .sign_in(user, "Passw0rd!")
        .await
        .unwrap()
        .tokens()
        .unwrap()
        .clone();
    cognito.hosted_sign_in(user, "Passw0rd!").await.unwrap();
    let device = cognito.remember_device(&tokens);
    cognito
        .device_sign_in(user, "Passw0rd!", &device)
        .await
        .unwrap();
    cognito.refresh(&tokens).await.unwrap();
    let created = cognito
        .admin_create_user("new-hire", [("email", "new.hire@example.com")])
        .await
        .unwrap();
    let SignIn::Challenge(challenge) = cognito
        .sign_in("new-hire", &created.temporary_password)
        .await
        .unwrap()
    else {
        panic!("an invited user sets a password first");
    };
    assert_eq!(challenge.name, "NEW_PASSWORD_REQUIRED");
    let signed_in = cognito
        .answer_challenge(&challenge, "N3w-password")
        .await
        .unwrap();
    signed_in.tokens().unwrap().clone()
}

const TOKEN_SOURCES: [&str; 5] = [
    "TokenGeneration_Authentication",
    "TokenGeneration_HostedAuth",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_NewPasswordChallenge",
];

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
