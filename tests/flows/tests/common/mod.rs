//! What the row tests share: the check of the driver's events against the
//! fixtures of their rows, and the flows that make tokens.

use cognito_trigger::events::CognitoEvent;
use cognito_trigger::testing::flow::{Cognito, SignIn, Tokens};
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
pub fn check_events(cognito: &Cognito) -> BTreeSet<String> {
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
pub async fn token_flows(cognito: &mut Cognito, user: &str) -> Tokens {
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

pub const TOKEN_SOURCES: [&str; 5] = [
    "TokenGeneration_Authentication",
    "TokenGeneration_HostedAuth",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_NewPasswordChallenge",
];
