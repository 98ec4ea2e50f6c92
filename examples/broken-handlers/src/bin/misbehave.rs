//! Misbehaves as the user's name says: `panic`, `hang` (past the timeout) or
//! `exit`; anyone else is signed up.

use cognito_trigger::events::PreSignUpEvent;
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "BrokenPool", trigger = PreSignUp)]
async fn misbehave(event: PreSignUpEvent) -> Result<PreSignUpEvent, Error> {
    match event.user_name.as_str() {
        "panic" => panic!("asked to panic"),
        // Blocks the runtime's only thread, as a stuck synchronous call would.
        "hang" => std::thread::sleep(std::time::Duration::from_secs(60)),
        "exit" => std::process::exit(3),
        _ => {}
    }
    Ok(event)
}
