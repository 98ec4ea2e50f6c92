//! The `Senders` pool: both custom senders, which decrypt the code as
//! Cognito encrypted it, pre token generation V2_0, and user migration for
//! the forgot-password flow (tests/rows.rs).

use cognito_trigger::decrypt::CodeDecryptor;
use cognito_trigger::events::{Attributes, CognitoEvent};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Senders", trigger = PreTokenGeneration, lambda_version = V2_0)]
#[cognito_trigger(pool = "Senders", trigger = UserMigration)]
#[cognito_trigger(pool = "Senders", trigger = CustomSMSSender, kms_key_id = get_att("CodesKey", "Arn"))]
#[cognito_trigger(pool = "Senders", trigger = CustomEmailSender, kms_key_id = get_att("CodesKey", "Arn"))]
async fn senders(mut event: CognitoEvent, codes: &CodeDecryptor) -> Result<CognitoEvent, Error> {
    match &mut event {
        CognitoEvent::PreTokenGenerationV2(token) => {
            let source = token.trigger_source.to_string();
            token
                .add_access_token_claim("source", source)
                .add_scope("rows/read");
        }
        CognitoEvent::UserMigration(migration) => {
            let email = format!("{}@example.com", migration.user_name);
            migration.migrate(Attributes::from([
                ("email", email.as_str()),
                ("email_verified", "true"),
            ]));
        }
        // A sender that cannot read its code fails, which the test sees.
        CognitoEvent::CustomSmsSender(sender) => {
            codes.decrypt(sender).await?;
        }
        CognitoEvent::CustomEmailSender(sender) => {
            codes.decrypt(sender).await?;
        }
        _ => {}
    }
    Ok(event)
}
