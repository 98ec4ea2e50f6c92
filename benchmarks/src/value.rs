//! `serde_json::Value` pass-through: no types at all, so the floor of any
//! path that keeps every key. The handlers index the JSON by hand.

use serde_json::{Value, json};

/// Parse, let the handler edit the tree, write it back.
pub fn run(bytes: &[u8], handler: impl Fn(&mut Value)) -> Vec<u8> {
    let mut event: Value = serde_json::from_slice(bytes).expect("valid JSON");
    handler(&mut event);
    serde_json::to_vec(&event).expect("serializable")
}

fn attribute<'a>(event: &'a Value, name: &str) -> Option<&'a str> {
    event["request"]["userAttributes"][name].as_str()
}

pub fn pre_sign_up(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        if event["triggerSource"] != "PreSignUp_SignUp" {
            return;
        }
        let email = attribute(event, "email");
        assert!(email.is_some_and(|email| email.ends_with("@example.com")));
        event["response"]["autoConfirmUser"] = true.into();
        event["response"]["autoVerifyEmail"] = true.into();
    })
}

pub fn pre_token_generation_v1(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        let mut details = json!({"claimsToSuppress": ["phone_number"]});
        if let Some(tenant) = attribute(event, "custom:tenant_id") {
            details["claimsToAddOrOverride"] = json!({"tenant": tenant});
        }
        event["response"]["claimsOverrideDetails"] = details;
    })
}

pub fn pre_token_generation_v2(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        let mut details = json!({"accessTokenGeneration": {"scopesToAdd": ["example-api/read"]}});
        if let Some(tenant) = attribute(event, "custom:tenant_id") {
            let claims = json!({"tenant": tenant});
            details["idTokenGeneration"] = json!({"claimsToAddOrOverride": claims.clone()});
            details["accessTokenGeneration"]["claimsToAddOrOverride"] = claims;
        }
        event["response"]["claimsAndScopeOverrideDetails"] = details;
    })
}

pub fn custom_message(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        if event["triggerSource"] != "CustomMessage_SignUp" {
            return;
        }
        let message = format!(
            "Hello {}, your verification code is {}.",
            attribute(event, "given_name").unwrap_or("there"),
            event["request"]["codeParameter"]
                .as_str()
                .unwrap_or_default()
        );
        event["response"]["emailSubject"] = "Welcome to Example".into();
        event["response"]["emailMessage"] = message.into();
    })
}

pub fn define_auth_challenge(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        let session = event["request"]["session"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let passed = session
            .iter()
            .rev()
            .take_while(|c| {
                c["challengeName"] == "CUSTOM_CHALLENGE" && c["challengeResult"] == true
            })
            .count();
        let (challenge, issue, fail) = match passed {
            1.. => (Value::Null, true, false),
            0 if session.len() >= 5 => (Value::Null, false, true),
            0 => ("CUSTOM_CHALLENGE".into(), false, false),
        };
        event["response"] =
            json!({"challengeName": challenge, "issueTokens": issue, "failAuthentication": fail});
    })
}

pub fn user_migration(bytes: &[u8]) -> Vec<u8> {
    run(bytes, |event| {
        assert_eq!(event["request"]["password"], "correct-horse-battery-staple");
        let email = event["userName"].clone();
        let response = &mut event["response"];
        response["userAttributes"] = json!({"email": email, "email_verified": "true"});
        response["finalUserStatus"] = "CONFIRMED".into();
        response["messageAction"] = "SUPPRESS".into();
    })
}
