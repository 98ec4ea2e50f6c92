//! A package whose triggers are on existing pools is served: its trigger
//! functions, not the custom resource that attaches them.

use cognito_trigger::events::{CustomMessageEvent, CustomMessageSource};
use cognito_trigger_local::{Server, build, cognito_local_config};
use cognito_trigger_support::http::call;
use serde_json::Value;
use std::path::Path;

#[test]
fn the_trigger_functions_of_existing_pools_are_served() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/existing-pool");
    let functions = build(&dir, false).unwrap();
    // The example may gain functions; these are as declared.
    let triggers = |id: &str| {
        let function = functions.iter().find(|f| f.logical_id == id);
        function.map(|f| f.triggers.clone()).unwrap_or_default()
    };
    let pair = |pool: &str, trigger: &str| (pool.to_owned(), trigger.to_owned());
    assert_eq!(
        triggers("AuditSignInsLambdaFunction"),
        [
            pair(
                "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123",
                "PostAuthentication"
            ),
            pair("eu-west-1_XyZ789", "PostAuthentication"),
        ]
    );
    assert_eq!(
        triggers("ForcedPreSignUpLambdaFunction"),
        [pair("MyUserPool1", "PreSignUp")]
    );
    assert_eq!(
        triggers("UsersLambdaFunction"),
        [pair("legacy-user-pool", "CustomMessage")]
    );
    assert!(functions.iter().all(|f| !f.triggers.is_empty()));
    assert!(
        functions
            .iter()
            .all(|f| f.logical_id != "CognitoTriggerAttachLambdaFunction")
    );
    let server = Server::start(functions.clone(), 0).unwrap();
    let config = cognito_local_config(&functions, "http://127.0.0.1").unwrap();
    assert_eq!(
        config["TriggerFunctions"]["CustomMessage"],
        "UsersLambdaFunction"
    );

    let event = CustomMessageEvent::sample(CustomMessageSource::SignUp);
    let response = call(
        server.address(),
        "POST",
        "/2015-03-31/functions/UsersLambdaFunction/invocations",
        &[],
        &serde_json::to_vec(&event).unwrap(),
    )
    .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.header("X-Amz-Function-Error"), None);
    let answer: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(answer["response"]["emailSubject"], "Welcome back");

    let attach = call(
        server.address(),
        "POST",
        "/2015-03-31/functions/CognitoTriggerAttachLambdaFunction/invocations",
        &[],
        b"{}",
    )
    .unwrap();
    assert_eq!(attach.status, 404);
}
