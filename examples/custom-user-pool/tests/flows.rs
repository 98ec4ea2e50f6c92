//! The pool signs users in by email: under the flow driver the username
//! Cognito gives the user is its `sub`, and PostConfirmation runs once the
//! emailed code is entered.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn a_user_signs_up_by_email_and_confirms() {
    let mut cognito = cognito!("CustomUserPool");
    let signed_up = cognito
        .sign_up("kim@example.com", "Passw0rd!", [("name", "Kim")])
        .await
        .unwrap();
    let code = cognito
        .last_code_to("kim@example.com")
        .expect("the code is emailed")
        .to_owned();
    cognito
        .confirm_sign_up("kim@example.com", &code)
        .await
        .unwrap();
    let confirmation = &cognito.invocations()[0].event;
    assert_eq!(
        confirmation["triggerSource"],
        "PostConfirmation_ConfirmSignUp"
    );
    assert_eq!(confirmation["userName"], signed_up.user_sub.as_str());
    assert_eq!(
        confirmation["request"]["userAttributes"]["email"],
        "kim@example.com"
    );
    assert_eq!(
        confirmation["request"]["userAttributes"]["email_verified"],
        "true"
    );
}
