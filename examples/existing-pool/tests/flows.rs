//! Triggers of pools the stack does not own, under the flow driver: each
//! pool declared by ID or ARN keeps its ID in the events, and a function
//! on two of them sees each one's.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn each_existing_pool_is_seen_by_its_own_id() {
    for (declared, id) in [
        ("eu-west-1_XyZ789", "eu-west-1_XyZ789"),
        (
            "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123",
            "eu-west-1_AbC123",
        ),
    ] {
        let mut cognito = cognito!(declared);
        cognito
            .sign_up("sam", "Passw0rd!", [("email", "sam@example.com")])
            .await
            .unwrap();
        cognito.admin_confirm_sign_up("sam").await.unwrap();
        cognito.sign_in("sam", "Passw0rd!").await.unwrap();
        let audit = cognito.invocations().last().unwrap();
        assert_eq!(audit.function, "audit_sign_ins");
        assert_eq!(
            audit.event["triggerSource"],
            "PostAuthentication_Authentication"
        );
        assert_eq!(audit.event["userPoolId"], id);
        assert_eq!(audit.event["region"], "eu-west-1");
    }
}
