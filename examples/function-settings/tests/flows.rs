//! The function gets the environment the template gives it (Cargo.toml's
//! `environment`), under the flow driver, as the built binary.

use cognito_trigger::testing::cognito;

#[tokio::test]
async fn the_allowed_domain_comes_from_the_template() {
    let mut cognito = cognito!("SettingsPool");
    let allowed = cognito
        .sign_up("ann", "Passw0rd!", [("email", "ann@example.com")])
        .await;
    assert!(allowed.is_ok(), "{allowed:?}");
    let refused = cognito
        .sign_up("bob", "Passw0rd!", [("email", "bob@elsewhere.org")])
        .await;
    assert_eq!(
        refused.unwrap_err().message(),
        "PreSignUp failed with error Sign-up is open to example.com addresses only."
    );
}
