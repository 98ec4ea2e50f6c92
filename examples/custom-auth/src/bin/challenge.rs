//! Passwordless sign-in with a one-time code: the three custom challenge
//! triggers in one function, which takes `AuthChallengeEvent`.

use cognito_trigger::events::{Attributes, AuthChallengeEvent, ChallengeName};
use cognito_trigger::{Error, cognito_trigger};

/// Wrong answers allowed before the sign-in fails.
const ATTEMPTS: usize = 3;

#[cognito_trigger(pool = "PasswordlessPool", trigger = DefineAuthChallenge)]
#[cognito_trigger(pool = "PasswordlessPool", trigger = CreateAuthChallenge)]
#[cognito_trigger(pool = "PasswordlessPool", trigger = VerifyAuthChallengeResponse)]
async fn challenge(mut event: AuthChallengeEvent) -> Result<AuthChallengeEvent, Error> {
    match &mut event {
        AuthChallengeEvent::DefineAuthChallenge(define) => {
            if define.request.user_not_found {
                define.fail_authentication();
            } else if define.custom_challenges_passed() > 0 {
                define.issue_tokens();
            } else if define.session().len() >= ATTEMPTS {
                define.fail_authentication();
            } else {
                define.next_challenge(ChallengeName::Custom);
            }
        }
        AuthChallengeEvent::CreateAuthChallenge(create) => {
            let code = one_time_code(&create.user_name, create.request.session.len());
            let public = Attributes::from([("delivery".to_owned(), "email".to_owned())]);
            let private = Attributes::from([("code".to_owned(), code)]);
            create.set_challenge(public, private, "EMAIL_CODE");
        }
        AuthChallengeEvent::VerifyAuthChallengeResponse(verify) => {
            let correct = verify.expected("code") == Some(verify.request.challenge_answer.as_str());
            verify.answer(correct);
        }
    }
    Ok(event)
}

/// A six-digit code. A real deployment draws it at random and emails it;
/// this one derives it so the example stays free of dependencies.
fn one_time_code(user: &str, attempt: usize) -> String {
    let seed = user.bytes().fold(attempt as u64 + 7, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u64::from(b))
    });
    format!("{:06}", seed % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::{
        ChallengeResult, CreateAuthChallengeEvent, DefineAuthChallengeEvent,
        VerifyAuthChallengeResponseEvent,
    };

    fn define(session: Vec<ChallengeResult>) -> DefineAuthChallengeEvent {
        let mut event = DefineAuthChallengeEvent::default();
        event.request.session = session;
        event
    }

    fn attempt(correct: bool) -> ChallengeResult {
        ChallengeResult {
            challenge_name: ChallengeName::Custom,
            challenge_result: correct,
            ..Default::default()
        }
    }

    async fn run_define(event: DefineAuthChallengeEvent) -> DefineAuthChallengeEvent {
        match challenge(event.into()).await.unwrap() {
            AuthChallengeEvent::DefineAuthChallenge(event) => event,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn asks_for_a_code_then_issues_tokens() {
        let first = run_define(define(vec![])).await;
        assert_eq!(first.response.challenge_name, Some(ChallengeName::Custom));
        let done = run_define(define(vec![attempt(true)])).await;
        assert_eq!(done.response.issue_tokens, Some(true));
        let failed = run_define(define(vec![attempt(false); ATTEMPTS])).await;
        assert_eq!(failed.response.fail_authentication, Some(true));
    }

    #[tokio::test]
    async fn the_created_code_is_the_one_verified() {
        let create = CreateAuthChallengeEvent {
            user_name: "jane".into(),
            ..Default::default()
        };
        let AuthChallengeEvent::CreateAuthChallenge(created) =
            challenge(create.into()).await.unwrap()
        else {
            panic!("a create event comes back as one");
        };
        let private = created.response.private_challenge_parameters.unwrap();

        let mut verify = VerifyAuthChallengeResponseEvent::default();
        verify.request.private_challenge_parameters = private.clone();
        verify.request.challenge_answer = private["code"].clone();
        let AuthChallengeEvent::VerifyAuthChallengeResponse(right) =
            challenge(verify.clone().into()).await.unwrap()
        else {
            panic!("a verify event comes back as one");
        };
        assert_eq!(right.response.answer_correct, Some(true));

        verify.request.challenge_answer = "000000x".into();
        let AuthChallengeEvent::VerifyAuthChallengeResponse(wrong) =
            challenge(verify.into()).await.unwrap()
        else {
            panic!("a verify event comes back as one");
        };
        assert_eq!(wrong.response.answer_correct, Some(false));
    }
}
