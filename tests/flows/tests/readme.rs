//! The README's flow example, as written there (`readme_shows_this_file`
//! keeps the two the same), against tests/flows' `Passwordless` and
//! `Tenants` pools.

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::SignIn;

#[tokio::test]
async fn the_emailed_code_signs_in() {
    let mut cognito = cognito!("Passwordless"); // the pool, as the package declares it
    cognito
        .admin_create_user("jane", [("email", "jane@example.com")])
        .await
        .unwrap();

    let SignIn::Challenge(challenge) = cognito.start_custom_auth("jane").await.unwrap() else {
        panic!("DefineAuthChallenge asks for a challenge");
    };
    // A wrong answer: the define trigger sees it in the session and asks again.
    let step = cognito
        .answer_challenge(&challenge, "000000")
        .await
        .unwrap();
    let again = step.challenge().expect("another try").clone();
    // The code the create trigger would have emailed, from its private parameters.
    let code = cognito.private_challenge_parameters(&again).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let tokens = cognito.answer_challenge(&again, &code).await.unwrap();
    assert!(tokens.tokens().is_some());
    assert_eq!(
        cognito.sources()[..3],
        [
            "DefineAuthChallenge_Authentication",
            "CreateAuthChallenge_Authentication",
            "VerifyAuthChallengeResponse_Authentication",
        ]
    );
}

#[tokio::test]
async fn the_tokens_carry_the_tenant() {
    let mut cognito = cognito!("Tenants");
    cognito
        .sign_up(
            "sam",
            "Passw0rd!",
            [("email", "sam@example.com"), ("custom:tenant", "acme")],
        )
        .await
        .unwrap();
    let code = cognito.last_code_to("sam@example.com").unwrap().to_owned(); // the confirmation message
    cognito.confirm_sign_up("sam", &code).await.unwrap();
    let signed_in = cognito.sign_in("sam", "Passw0rd!").await.unwrap();
    let tokens = signed_in.tokens().unwrap();
    assert_eq!(tokens.id_token["tenant"], "acme"); // claims as the V2_0 answer set them
    assert_eq!(tokens.access_token["tenant"], "acme");
    assert!(tokens.scopes().contains(&"aws.cognito.signin.user.admin"));
    let event = &cognito.invocations().last().unwrap().event; // exactly what the function got
    assert_eq!(event["version"], "2");
}

#[test]
fn readme_shows_this_file() {
    let readme = include_str!("../../../README.md");
    let this = include_str!("readme.rs");
    let tests = &this[this.find("use cognito_trigger").unwrap()
        ..this.find("\n#[test]\nfn readme_shows").unwrap()];
    assert!(
        readme.contains(tests),
        "README.md's flow example differs from tests/flows/tests/readme.rs"
    );
}
