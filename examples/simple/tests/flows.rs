//! The pool's sign-up and its messages under the flow driver, with the
//! built binaries.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn sign_up_is_screened_and_the_invitation_worded() {
    let mut cognito = cognito!("MyUserPool");
    let error = cognito
        .sign_up("jane", "Passw0rd!", [("email", "jane@elsewhere.org")])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "UserLambdaValidationException: PreSignUp failed with error Sign-up is open to @example.com addresses only."
    );

    // An allowed address is confirmed and verified at once: no code is sent.
    let signed_up = cognito
        .sign_up("ann", "Passw0rd!", [("email", "ann@example.com")])
        .await
        .unwrap();
    assert!(signed_up.user_confirmed && signed_up.code_delivery.is_none());
    assert_eq!(
        cognito.user("ann").unwrap().attribute("email_verified"),
        Some("true")
    );

    // An administrator's invitation carries the custom wording.
    let created = cognito
        .admin_create_user("bob", [("email", "bob@example.com")])
        .await
        .unwrap();
    let invitation = cognito.messages().last().unwrap();
    assert_eq!(invitation.subject.as_deref(), Some("Your new account"));
    assert_eq!(
        invitation.body.as_deref().unwrap(),
        format!(
            "Welcome! Sign in as bob with the temporary password {}.",
            created.temporary_password
        )
    );
    assert_eq!(
        cognito.sources(),
        [
            "PreSignUp_SignUp",
            "PreSignUp_SignUp",
            "PreSignUp_AdminCreateUser",
            "CustomMessage_AdminCreateUser"
        ]
    );
}
