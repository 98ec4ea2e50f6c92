//! Misbehaves as the user's name says: `panic`, `hang` (past the timeout),
//! `exit`, or `unverifiable` (answers with an email verified for a user
//! without one, which Cognito would refuse); anyone else is signed up.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "BrokenPool", trigger = PreSignUp)]
async fn misbehave(mut event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    match event.user_name.as_str() {
        "panic" => panic!("asked to panic"),
        // Blocks the runtime's only thread, as a stuck synchronous call would.
        "hang" => std::thread::sleep(std::time::Duration::from_secs(60)),
        "exit" => std::process::exit(3),
        "unverifiable" => {
            event.request.user_attributes.remove("email");
            event.response.auto_verify_email = true;
        }
        _ => {}
    }
    Ok(event)
}
