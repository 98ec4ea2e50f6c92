//! Answers the user named `misroute` with a next challenge Cognito does not
//! know, which the entrypoint refuses before Cognito would; anyone else gets
//! the custom challenge.

use cognito_trigger::events::{ChallengeName, DefineAuthChallengeEvent};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "BrokenPool", trigger = DefineAuthChallenge)]
async fn misroute(mut event: DefineAuthChallengeEvent) -> Result<DefineAuthChallengeEvent, Error> {
    let next = match event.user_name.as_str() {
        "misroute" => ChallengeName::Other("CAPTCHA".into()),
        _ => ChallengeName::Custom,
    };
    event.next_challenge(next);
    Ok(event)
}
