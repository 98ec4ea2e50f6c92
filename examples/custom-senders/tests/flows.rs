//! The email sender under the flow driver, as its built binary, with moto
//! as KMS: the driver encrypts each code as Cognito does, the sender
//! decrypts it and writes the email to its outbox, where the code is the
//! one the driver sent.

use cognito_trigger::testing::cognito;
use cognito_trigger_support::emulator::Moto;
use serde_json::json;

#[tokio::test]
async fn the_sender_writes_the_code_cognito_encrypted() {
    let moto = Moto::start().unwrap();
    let key = moto.kms("CreateKey", &json!({})).unwrap();
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap();
    let outbox = std::env::temp_dir().join(format!("custom-senders-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&outbox).unwrap();
    let mut cognito = cognito!("MyUserPool2")
        .local_kms(&moto.endpoint(), key_arn)
        .env("OUTBOX_DIR", outbox.to_str().unwrap());

    let signed_up = cognito
        .sign_up("sam@example.com", "Passw0rd!", [("name", "Sam")])
        .await
        .unwrap();
    cognito.forgot_password("sam@example.com").await.unwrap();
    let reset = cognito.last_code_to("sam@example.com").unwrap().to_owned();

    let user = &signed_up.user_sub;
    let read = |source: &str| {
        std::fs::read_to_string(outbox.join(format!("{user}-{source}.eml"))).unwrap()
    };
    let sign_up_code = &cognito.messages()[0].code.clone().unwrap();
    assert!(
        read("CustomEmailSender_SignUp")
            .ends_with(&format!("Your confirmation code is {sign_up_code}\r\n"))
    );
    assert!(
        read("CustomEmailSender_ForgotPassword")
            .contains(&format!("Your password reset code is {reset}"))
    );
    cognito
        .confirm_forgot_password("sam@example.com", &reset, "N3w-Passw0rd!")
        .await
        .unwrap();
    std::fs::remove_dir_all(&outbox).unwrap();
}
