//! Every custom sender row (and pre token generation V2_0), run by the flow
//! driver against the built `senders` binary with moto as KMS: the driver
//! encrypts each code as Cognito does, the binary's `CodeDecryptor` decrypts
//! it (a sender that cannot fails, and the test sees the failure), and each
//! event is checked against its row's fixture (tests/rows.rs).

mod common;

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::{Cognito, Mfa};
use cognito_trigger_support::emulator::Moto;
use serde_json::json;

fn senders(moto: &Moto) -> Cognito {
    let key = moto.kms("CreateKey", &json!({})).unwrap();
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap();
    cognito!("Senders").local_kms(&moto.endpoint(), key_arn)
}

#[tokio::test]
async fn every_sender_row_decrypts_its_code() {
    let moto = Moto::start().unwrap();
    let mut cognito = senders(&moto);
    cognito.client_metadata([("app", "rows")]);

    // By email: sign-up, resend, forgot password, attribute codes, MFA, a
    // takeover notice; by SMS: the same for a user with a phone number only.
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito
        .sign_up("pat", "Passw0rd!", [("phone_number", "+15550100")])
        .await
        .unwrap();
    for (user, to) in [("sam", "sam@example.com"), ("pat", "+15550100")] {
        cognito.resend_confirmation_code(user).await.unwrap();
        let code = cognito.last_code_to(to).unwrap().to_owned();
        cognito.confirm_sign_up(user, &code).await.unwrap();
        cognito.forgot_password(user).await.unwrap();
        let code = cognito.last_code_to(to).unwrap().to_owned();
        cognito
            .confirm_forgot_password(user, &code, "Passw0rd!")
            .await
            .unwrap();
    }
    cognito
        .update_user_attributes("sam", [("email", "sam@example.org")])
        .await
        .unwrap();
    cognito
        .update_user_attributes("pat", [("phone_number", "+15550111")])
        .await
        .unwrap();
    cognito
        .get_user_attribute_verification_code("sam", "email")
        .await
        .unwrap();
    cognito
        .get_user_attribute_verification_code("pat", "phone_number")
        .await
        .unwrap();
    cognito.set_user_mfa("sam", Some(Mfa::Email)).unwrap();
    cognito.set_user_mfa("pat", Some(Mfa::Sms)).unwrap();
    for (user, to) in [("sam", "sam@example.org"), ("pat", "+15550111")] {
        let challenge = cognito
            .sign_in(user, "Passw0rd!")
            .await
            .unwrap()
            .challenge()
            .unwrap()
            .clone();
        let code = cognito.last_code_to(to).unwrap().to_owned();
        assert!(
            cognito
                .answer_challenge(&challenge, &code)
                .await
                .unwrap()
                .tokens()
                .is_some()
        );
    }
    cognito
        .admin_create_user("eve", [("email", "eve@example.com")])
        .await
        .unwrap();
    cognito
        .admin_create_user("ivy", [("phone_number", "+15550122")])
        .await
        .unwrap();
    cognito.notify_account_takeover("sam").await.unwrap();

    let seen = common::check_events(&cognito);
    for sender in ["CustomEmailSender", "CustomSMSSender"] {
        for reason in [
            "SignUp",
            "ResendCode",
            "ForgotPassword",
            "UpdateUserAttribute",
            "VerifyUserAttribute",
            "AdminCreateUser",
            "Authentication",
        ] {
            let source = format!("{sender}_{reason}");
            assert!(seen.contains(&source), "{source} not run; ran {seen:?}");
        }
    }
    assert!(seen.contains("CustomEmailSender_AccountTakeOverNotification"));
    // The temporary password reached the sender, encrypted, as the invitation's code.
    let invitation = cognito
        .messages()
        .iter()
        .find(|m| m.to == "eve@example.com")
        .unwrap();
    assert!(invitation.code.as_deref().unwrap().starts_with("Tmp-"));
}

#[tokio::test]
async fn token_version_2_rows() {
    let moto = Moto::start().unwrap();
    let mut cognito = senders(&moto);
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    let tokens = common::token_flows(&mut cognito, "sam").await;
    assert_eq!(
        tokens.access_token["source"],
        "TokenGeneration_NewPasswordChallenge"
    );
    assert!(tokens.scopes().contains(&"rows/read"));
    let seen = common::check_events(&cognito);
    for source in common::TOKEN_SOURCES {
        assert!(seen.contains(source), "{source} not run; ran {seen:?}");
    }
}

/// The official AWS Encryption SDK for Python (tests/requirements.txt)
/// decrypts the code the driver gave a sender, with moto's KMS: the driver
/// writes the messages as the SDKs (and Cognito) do.
#[tokio::test]
async fn the_official_sdk_decrypts_the_driver_s_code() {
    let moto = Moto::start().unwrap();
    let mut cognito = senders(&moto);
    cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    let code = cognito.last_code_to("sam@example.com").unwrap().to_owned();
    let sent = &cognito.invocations()[0].event;
    assert_eq!(sent["triggerSource"], "CustomEmailSender_SignUp");
    let message = sent["request"]["code"].as_str().unwrap();
    assert!(message.starts_with("AYADe"), "{message}");

    let script = r#"
import base64, os, sys
import botocore.session, aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
session = botocore.session.Session()
client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[os.environ["KEY_ARN"]], botocore_session=session)
plaintext, header = client.decrypt(source=base64.b64decode(sys.argv[1]), key_provider=provider)
print(plaintext.decode(), header.encryption_context["userpool-id"])
"#;
    let key_arn = cognito.code_decryptor().key_arns()[0].clone();
    let output = std::process::Command::new("python3")
        .args(["-c", script, message])
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("KEY_ARN", &key_arn)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("{code} {}", cognito.pool_id())
    );
}
