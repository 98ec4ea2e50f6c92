//! The README's passwordless pool: a six-digit code, three tries.

use cognito_trigger::events::{Attributes, AuthChallengeEvent, ChallengeName};
use cognito_trigger::{Error, cognito_trigger};

#[cognito_trigger(pool = "Passwordless", trigger = DefineAuthChallenge)]
#[cognito_trigger(pool = "Passwordless", trigger = CreateAuthChallenge)]
#[cognito_trigger(pool = "Passwordless", trigger = VerifyAuthChallengeResponse)]
async fn passwordless(mut event: AuthChallengeEvent) -> Result<AuthChallengeEvent, Error> {
    match &mut event {
        AuthChallengeEvent::DefineAuthChallenge(define) => {
            if define.custom_challenges_passed() > 0 {
                define.issue_tokens();
            } else if define.request.user_not_found || define.session().len() >= 3 {
                define.fail_authentication();
            } else {
                define.next_challenge(ChallengeName::Custom);
            }
        }
        AuthChallengeEvent::CreateAuthChallenge(create) => {
            // A real one draws the code at random and emails it.
            let code = format!("{:06}", 100_000 + create.request.session.len() * 7_919);
            let public = Attributes::from([("delivery", "email")]);
            create.set_challenge(public, Attributes::from([("code", code)]), "EMAIL_CODE");
        }
        AuthChallengeEvent::VerifyAuthChallengeResponse(verify) => {
            let correct = verify.expected("code") == Some(verify.request.challenge_answer.as_str());
            verify.answer(correct);
        }
    }
    Ok(event)
}
