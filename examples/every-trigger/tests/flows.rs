//! The one function on every trigger, under the flow driver, as its built
//! binary: an invitation through the email sender (moto as KMS), then the
//! custom sign-in that asks for the user's email, and the V2_0 claim.

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::SignIn;
use cognito_trigger_support::emulator::Moto;
use serde_json::json;

#[tokio::test]
async fn an_invited_user_signs_in_with_the_custom_challenge() {
    let moto = Moto::start().unwrap();
    let key = moto.kms("CreateKey", &json!({})).unwrap();
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap();
    let mut cognito = cognito!("EveryTriggerPool").local_kms(&moto.endpoint(), key_arn);

    cognito
        .admin_create_user("amal", [("email", "amal@example.com")])
        .await
        .unwrap();
    let SignIn::Challenge(challenge) = cognito.start_custom_auth("amal").await.unwrap() else {
        panic!("the define trigger asks a question");
    };
    assert_eq!(challenge.parameters["question"], "Your email address?");
    let signed_in = cognito
        .answer_challenge(&challenge, "amal@example.com")
        .await
        .unwrap();
    assert_eq!(
        signed_in.tokens().unwrap().id_token["pool"],
        cognito.pool_id()
    );
    assert_eq!(
        cognito.sources(),
        [
            "PreSignUp_AdminCreateUser",
            "CustomEmailSender_AdminCreateUser",
            "DefineAuthChallenge_Authentication",
            "CreateAuthChallenge_Authentication",
            "VerifyAuthChallengeResponse_Authentication",
            "DefineAuthChallenge_Authentication",
            "PostAuthentication_Authentication",
            "TokenGeneration_Authentication",
        ]
    );
}
