//! Failing handlers under the flow driver, as built binaries: what the app
//! sees of a panic, an exit, a function timeout and an answer Cognito would
//! refuse, and that a timed-out call is tried again as Cognito does.

use cognito_trigger::testing::cognito;
use cognito_trigger::testing::flow::Cognito;

fn pool() -> Cognito {
    cognito!("BrokenPool")
}

async fn sign_up_error(cognito: &mut Cognito, user: &str) -> (String, String) {
    let error = cognito
        .sign_up(user, "Passw0rd!", [("email", "jo@example.com")])
        .await
        .unwrap_err();
    (error.code().to_owned(), error.message().to_owned())
}

#[tokio::test]
async fn a_panic_and_a_refused_answer_show_the_user_nothing_of_them() {
    let mut cognito = pool();
    for user in ["panic", "unverifiable"] {
        assert_eq!(
            sign_up_error(&mut cognito, user).await,
            (
                "UserLambdaValidationException".to_owned(),
                "PreSignUp failed with error Internal error.".to_owned()
            ),
            "{user}"
        );
    }
    // The process lives on after a panic: one process served both calls.
    assert!(
        cognito
            .sign_up("calm", "Passw0rd!", [("email", "c@example.com")])
            .await
            .is_ok()
    );
    assert_eq!(cognito.invocations().len(), 3);
}

#[tokio::test]
async fn an_exit_is_the_runtime_s_error() {
    let mut cognito = pool();
    let (code, message) = sign_up_error(&mut cognito, "exit").await;
    assert_eq!(code, "UserLambdaValidationException");
    assert!(
        message.starts_with("PreSignUp failed with error RequestId: ")
            && message.ends_with("Error: Runtime exited with error: exit status: 3."),
        "{message}"
    );
    // The next call starts a new process.
    assert!(
        cognito
            .sign_up("calm", "Passw0rd!", [("email", "c@example.com")])
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_function_timeout_is_lambda_s_error_not_a_retry() {
    let mut cognito = pool();
    let (code, message) = sign_up_error(&mut cognito, "hang").await;
    assert_eq!(code, "UserLambdaValidationException");
    assert!(
        message.ends_with("Task timed out after 1.00 seconds."),
        "{message}"
    );
    // Lambda answered (with its error) within Cognito's 5 seconds: one call.
    assert_eq!(cognito.invocations().len(), 1);
}

#[tokio::test]
async fn an_unknown_challenge_name_fails_the_sign_in() {
    let mut cognito = pool();
    cognito
        .admin_create_user("misroute", [("email", "m@example.com")])
        .await
        .unwrap();
    let error = cognito.start_custom_auth("misroute").await.unwrap_err();
    assert_eq!(error.code(), "UserLambdaValidationException");
    assert_eq!(
        error.message(),
        "DefineAuthChallenge failed with error Internal error."
    );
}
