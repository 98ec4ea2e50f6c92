//! The events of `runtime/tests/fixtures/events/`, derived from the AWS
//! developer guide (see its README for the sources), by trigger and source.
//! `tests/catalogue.rs` checks that this table lists every fixture.

use crate::events::*;

samples! {
    CreateAuthChallenge => "create_auth_challenge" [
        "CreateAuthChallenge_Authentication",
    ],
    CustomEmailSender => "custom_email_sender" [
        "CustomEmailSender_AccountTakeOverNotification",
        "CustomEmailSender_AdminCreateUser",
        "CustomEmailSender_Authentication",
        "CustomEmailSender_ForgotPassword",
        "CustomEmailSender_ResendCode",
        "CustomEmailSender_SignUp",
        "CustomEmailSender_UpdateUserAttribute",
        "CustomEmailSender_VerifyUserAttribute",
    ],
    CustomMessage => "custom_message" [
        "CustomMessage_AdminCreateUser",
        "CustomMessage_Authentication",
        "CustomMessage_ForgotPassword",
        "CustomMessage_ResendCode",
        "CustomMessage_SignUp",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_VerifyUserAttribute",
    ],
    CustomSmsSender => "custom_sms_sender" [
        "CustomSMSSender_AdminCreateUser",
        "CustomSMSSender_Authentication",
        "CustomSMSSender_ForgotPassword",
        "CustomSMSSender_ResendCode",
        "CustomSMSSender_SignUp",
        "CustomSMSSender_UpdateUserAttribute",
        "CustomSMSSender_VerifyUserAttribute",
    ],
    DefineAuthChallenge => "define_auth_challenge" [
        "DefineAuthChallenge_Authentication",
    ],
    InboundFederation => "inbound_federation" [
        "InboundFederation_ExternalProvider",
        "InboundFederation_ExternalProvider.saml",
    ],
    PostAuthentication => "post_authentication" [
        "PostAuthentication_Authentication",
    ],
    PostConfirmation => "post_confirmation" [
        "PostConfirmation_ConfirmForgotPassword",
        "PostConfirmation_ConfirmSignUp",
    ],
    PreAuthentication => "pre_authentication" [
        "PreAuthentication_Authentication",
    ],
    PreSignUp => "pre_sign_up" [
        "PreSignUp_AdminCreateUser",
        "PreSignUp_ExternalProvider",
        "PreSignUp_SignUp",
    ],
    PreTokenGeneration => "pre_token_generation_v1" [
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_Authentication",
        "TokenGeneration_HostedAuth",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_RefreshTokens",
    ],
    PreTokenGenerationV2 => "pre_token_generation_v2" [
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_Authentication",
        "TokenGeneration_HostedAuth",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_RefreshTokens",
    ],
    PreTokenGenerationV3 => "pre_token_generation_v3" [
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_Authentication",
        "TokenGeneration_ClientCredentials",
        "TokenGeneration_HostedAuth",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_RefreshTokens",
    ],
    UserMigration => "user_migration" [
        "UserMigration_Authentication",
        "UserMigration_ForgotPassword",
    ],
    VerifyAuthChallengeResponse => "verify_auth_challenge_response" [
        "VerifyAuthChallengeResponse_Authentication",
    ],
}
