//! The custom authentication challenge triggers: define, create, verify.

use super::json::{json_object, string_enum};
use super::markers::{CreateAuthChallenge, DefineAuthChallenge, VerifyAuthChallengeResponse};
use super::{Attributes, Trigger, TriggerEvent};

/// The event of a define auth challenge trigger.
pub type DefineAuthChallengeEvent = TriggerEvent<DefineAuthChallenge>;
/// The event of a create auth challenge trigger.
pub type CreateAuthChallengeEvent = TriggerEvent<CreateAuthChallenge>;
/// The event of a verify auth challenge response trigger.
pub type VerifyAuthChallengeResponseEvent = TriggerEvent<VerifyAuthChallengeResponse>;

impl Trigger for DefineAuthChallenge {
    const NAME: &'static str = "DefineAuthChallenge";
    type Source = DefineAuthChallengeSource;
    type Request = DefineAuthChallengeRequest;
    type Response = DefineAuthChallengeResponse;

    /// A next challenge Cognito does not know ends the sign-in in an error.
    fn refusal(event: &DefineAuthChallengeEvent) -> Option<String> {
        match &event.response.challenge_name {
            Some(ChallengeName::Other(name)) => Some(format!(
                "response.challengeName {name:?} is not a challenge Cognito knows; use a ChallengeName, such as ChallengeName::Custom"
            )),
            _ => None,
        }
    }
}

impl Trigger for CreateAuthChallenge {
    const NAME: &'static str = "CreateAuthChallenge";
    type Source = CreateAuthChallengeSource;
    type Request = CreateAuthChallengeRequest;
    type Response = CreateAuthChallengeResponse;
}

impl Trigger for VerifyAuthChallengeResponse {
    const NAME: &'static str = "VerifyAuthChallengeResponse";
    type Source = VerifyAuthChallengeResponseSource;
    type Request = VerifyAuthChallengeResponseRequest;
    type Response = VerifyAuthChallengeResponseResponse;
}

string_enum! {
    pub enum DefineAuthChallengeSource {
        Authentication = "DefineAuthChallenge_Authentication",
    }
}

string_enum! {
    pub enum CreateAuthChallengeSource {
        Authentication = "CreateAuthChallenge_Authentication",
    }
}

string_enum! {
    pub enum VerifyAuthChallengeResponseSource {
        Authentication = "VerifyAuthChallengeResponse_Authentication",
    }
}

string_enum! {
    /// A step of an authentication flow.
    pub enum ChallengeName {
        /// The challenge your create/verify triggers implement.
        Custom = "CUSTOM_CHALLENGE",
        PasswordVerifier = "PASSWORD_VERIFIER",
        SrpA = "SRP_A",
        SmsMfa = "SMS_MFA",
        EmailOtp = "EMAIL_OTP",
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
    }
}

json_object! {
    /// One challenge of the session so far.
    pub struct ChallengeResult {
        "challengeName" => pub challenge_name: ChallengeName,
        "challengeResult" => pub challenge_result: bool,
        /// What your create trigger put in `challengeMetadata`.
        "challengeMetadata" => pub challenge_metadata: Option<String>,
    }
}

json_object! {
    pub struct DefineAuthChallengeRequest {
        "userAttributes" => pub user_attributes: Attributes,
        /// The challenges answered so far, oldest first.
        "session" => pub session: Vec<ChallengeResult>,
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    pub struct DefineAuthChallengeResponse {
        "challengeName" => pub challenge_name: Option<ChallengeName>,
        "issueTokens" => pub issue_tokens: Option<bool>,
        "failAuthentication" => pub fail_authentication: Option<bool>,
    }
}

json_object! {
    pub struct CreateAuthChallengeRequest {
        "userAttributes" => pub user_attributes: Attributes,
        /// The challenge the define trigger chose.
        "challengeName" => pub challenge_name: ChallengeName,
        "session" => pub session: Vec<ChallengeResult>,
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    pub struct CreateAuthChallengeResponse {
        /// Sent to the app: what it needs to show the challenge.
        "publicChallengeParameters" => pub public_challenge_parameters: Option<Attributes>,
        /// Kept by Cognito for the verify trigger: the expected answer.
        "privateChallengeParameters" => pub private_challenge_parameters: Option<Attributes>,
        /// Recorded in the session, for the define trigger to read.
        "challengeMetadata" => pub challenge_metadata: Option<String>,
    }
}

json_object! {
    pub struct VerifyAuthChallengeResponseRequest {
        "userAttributes" => pub user_attributes: Attributes,
        "privateChallengeParameters" => pub private_challenge_parameters: Attributes,
        "challengeAnswer" => pub challenge_answer: String,
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    pub struct VerifyAuthChallengeResponseResponse {
        "answerCorrect" => pub answer_correct: Option<bool>,
    }
}

impl DefineAuthChallengeEvent {
    /// Asks Cognito to issue the next challenge.
    pub fn next_challenge(&mut self, challenge: ChallengeName) -> &mut Self {
        self.response.challenge_name = Some(challenge);
        self.response.issue_tokens = Some(false);
        self.response.fail_authentication = Some(false);
        self
    }

    /// Ends the flow successfully: Cognito issues tokens.
    pub fn issue_tokens(&mut self) -> &mut Self {
        self.response.challenge_name = None;
        self.response.issue_tokens = Some(true);
        self.response.fail_authentication = Some(false);
        self
    }

    /// Ends the flow: the sign-in fails.
    pub fn fail_authentication(&mut self) -> &mut Self {
        self.response.challenge_name = None;
        self.response.issue_tokens = Some(false);
        self.response.fail_authentication = Some(true);
        self
    }

    /// The challenges answered so far.
    pub fn session(&self) -> &[ChallengeResult] {
        &self.request.session
    }

    /// How many custom challenges were answered correctly in a row at the
    /// end of the session.
    pub fn custom_challenges_passed(&self) -> usize {
        self.request
            .session
            .iter()
            .rev()
            .take_while(|c| c.challenge_name == ChallengeName::Custom && c.challenge_result)
            .count()
    }
}

impl CreateAuthChallengeEvent {
    /// Sets the challenge: what the app shows, what the verify trigger
    /// expects, and the metadata recorded in the session.
    pub fn set_challenge(
        &mut self,
        public: Attributes,
        private: Attributes,
        metadata: impl Into<String>,
    ) -> &mut Self {
        self.response.public_challenge_parameters = Some(public);
        self.response.private_challenge_parameters = Some(private);
        self.response.challenge_metadata = Some(metadata.into());
        self
    }
}

impl VerifyAuthChallengeResponseEvent {
    /// The private parameter `name` the create trigger set.
    pub fn expected(&self, name: &str) -> Option<&str> {
        self.request
            .private_challenge_parameters
            .get(name)
            .map(String::as_str)
    }

    /// Records whether the user's answer is correct.
    pub fn answer(&mut self, correct: bool) -> &mut Self {
        self.response.answer_correct = Some(correct);
        self
    }
}
