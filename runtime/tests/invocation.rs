//! A handler that takes the invocation stops before Lambda's deadline and
//! answers Cognito with an error the user sees, instead of being cut off
//! (Cognito would then show a generic failure after retrying).

use cognito_trigger::events::{PreSignUpEvent, PreSignUpSource};
use cognito_trigger::{Error, Invocation};
use std::time::{Duration, SystemTime};

/// Asks a slow directory whether the user may sign up.
async fn screen(event: PreSignUpEvent, invocation: Invocation) -> Result<PreSignUpEvent, Error> {
    let directory = tokio::time::sleep(Duration::from_secs(30));
    match invocation
        .before_deadline(Duration::from_millis(500), directory)
        .await
    {
        Some(()) => Ok(event),
        None => Err(Error::reject(
            "The directory is slow right now: try again in a minute",
        )),
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_handler_stops_before_the_deadline_with_a_message() {
    let deadline = SystemTime::now() + Duration::from_secs(5);
    let invocation = Invocation::new("8476a536-e9f4-11e8-9739-2dfe598c3fcd", deadline);
    let started = tokio::time::Instant::now();
    let event = PreSignUpEvent::sample(PreSignUpSource::SignUp);
    let error = screen(event, invocation).await.unwrap_err();
    assert_eq!(
        error.user_message(),
        "The directory is slow right now: try again in a minute"
    );
    // Paused time: the handler gave up at the margin, not after the 30 s call.
    let waited = started.elapsed();
    assert!(
        waited <= Duration::from_millis(4500) && waited >= Duration::from_millis(4000),
        "{waited:?}"
    );
}
