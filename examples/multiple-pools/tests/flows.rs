//! Each pool runs its own PreSignUp function under the flow driver.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn each_pool_screens_sign_ups_its_own_way() {
    let mut pool1 = cognito!("MyUserPool1");
    let mut pool2 = cognito!("MyUserPool2");
    let attributes = [("email", "jo@example.com")];

    assert!(
        pool1
            .sign_up("jo", "Passw0rd!", attributes)
            .await
            .unwrap()
            .user_confirmed
    );
    let error = pool2
        .sign_up("jo", "Passw0rd!", attributes)
        .await
        .unwrap_err();
    assert_eq!(
        error.message(),
        "PreSignUp failed with error A phone number is required."
    );
    let signed_up = pool2
        .sign_up(
            "jo",
            "Passw0rd!",
            [("email", "jo@example.com"), ("phone_number", "+15550100")],
        )
        .await
        .unwrap();
    assert!(!signed_up.user_confirmed);

    assert_eq!(pool1.invocations()[0].function, "pre_sign_up_for_pool1");
    assert!(
        pool2
            .invocations()
            .iter()
            .all(|i| i.function == "pre_sign_up_for_pool2")
    );
}
