//! One function on twelve pools, under the flow driver: each pool's events
//! carry that pool's own ID, and each pool runs the function.

use cognito_trigger::testing::cognito;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_pool_calls_the_function_with_its_own_id() {
    let pools = [
        "Customers EU",
        "Customers US",
        "Partners",
        "Support staff",
        "Northwestern-European customer accounts migrated from the LegacyDirectory identity provider during the 2026 springtime migration",
    ];
    let mut ids = BTreeSet::new();
    for pool in pools {
        let mut cognito = cognito!(pool);
        let staff = cognito
            .sign_up("ann", "Passw0rd!", [("email", "ann@example.com")])
            .await
            .unwrap();
        let error = cognito
            .sign_up("bob", "Passw0rd!", [("phone_number", "+15550100")])
            .await
            .unwrap_err();
        assert_eq!(
            error.message(),
            "PreSignUp failed with error Sign-up needs an email address."
        );
        assert!(staff.user_confirmed, "{pool}");
        let event = &cognito.invocations()[0].event;
        assert_eq!(event["userPoolId"], cognito.pool_id());
        ids.insert(cognito.pool_id().to_owned());
    }
    assert_eq!(ids.len(), pools.len(), "{ids:?}");
}
