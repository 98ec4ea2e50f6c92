//! Sign-up and confirmation under the flow driver: PreSignUp verifies the
//! email, PostConfirmation runs once the code is entered.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn the_confirmed_user_has_a_verified_email() {
    let mut cognito = cognito!("MyUserPool");
    let signed_up = cognito
        .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
        .await
        .unwrap();
    assert!(!signed_up.user_confirmed);
    cognito.admin_confirm_sign_up("sam").await.unwrap();
    let user = cognito.user("sam").unwrap();
    assert_eq!(user.attribute("email_verified"), Some("true"));
    assert_eq!(
        cognito.sources(),
        ["PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp"]
    );
    let confirmed = &cognito.invocations()[1].event;
    assert_eq!(
        confirmed["request"]["userAttributes"]["cognito:user_status"],
        "CONFIRMED"
    );
}
