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
    /// Why the define auth challenge trigger runs.
    pub enum DefineAuthChallengeSource {
        /// A step of a custom authentication flow.
        Authentication = "DefineAuthChallenge_Authentication",
    }
}

string_enum! {
    /// Why the create auth challenge trigger runs.
    pub enum CreateAuthChallengeSource {
        /// A step of a custom authentication flow.
        Authentication = "CreateAuthChallenge_Authentication",
    }
}

string_enum! {
    /// Why the verify auth challenge response trigger runs.
    pub enum VerifyAuthChallengeResponseSource {
        /// A step of a custom authentication flow.
        Authentication = "VerifyAuthChallengeResponse_Authentication",
    }
}

string_enum! {
    /// A step of an authentication flow.
    pub enum ChallengeName {
        /// The challenge your create/verify triggers implement.
        Custom = "CUSTOM_CHALLENGE",
        /// The password, checked through SRP.
        PasswordVerifier = "PASSWORD_VERIFIER",
        /// The start of an SRP password check.
        SrpA = "SRP_A",
        /// A code sent by SMS.
        SmsMfa = "SMS_MFA",
        /// A code sent by email.
        EmailOtp = "EMAIL_OTP",
        /// A code from an authenticator app (TOTP).
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        /// The start of a remembered device's SRP check.
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        /// A remembered device's key, checked through SRP.
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        /// The password, sent without SRP (admin flows).
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
    }
}

json_object! {
    /// One challenge of the session so far.
    pub struct ChallengeResult {
        /// The challenge answered.
        "challengeName" => pub challenge_name: ChallengeName,
        /// Whether the user answered it correctly.
        "challengeResult" => pub challenge_result: bool,
        /// What your create trigger put in `challengeMetadata`.
        "challengeMetadata" => pub challenge_metadata: Option<String>,
    }
}

json_object! {
    /// The define auth challenge trigger's input.
    pub struct DefineAuthChallengeRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// The challenges answered so far, oldest first.
        "session" => pub session: Vec<ChallengeResult>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        /// Whether the user is unknown to the pool (with "prevent user existence errors" on).
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    /// The define auth challenge trigger's answer: the next step, or the end.
    pub struct DefineAuthChallengeResponse {
        /// The challenge to issue next, if tokens are not issued yet.
        "challengeName" => pub challenge_name: Option<ChallengeName>,
        /// `true`: the user is authenticated; Cognito issues tokens.
        "issueTokens" => pub issue_tokens: Option<bool>,
        /// `true`: the authentication fails.
        "failAuthentication" => pub fail_authentication: Option<bool>,
    }
}

json_object! {
    /// The create auth challenge trigger's input.
    pub struct CreateAuthChallengeRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// The challenge the define trigger chose.
        "challengeName" => pub challenge_name: ChallengeName,
        /// The challenges answered so far, oldest first.
        "session" => pub session: Vec<ChallengeResult>,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        /// Whether the user is unknown to the pool (with "prevent user existence errors" on).
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    /// The create auth challenge trigger's answer: the challenge.
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
    /// The verify auth challenge response trigger's input.
    pub struct VerifyAuthChallengeResponseRequest {
        /// The user's attributes, by name (`email`, `custom:...`).
        "userAttributes" => pub user_attributes: Attributes,
        /// What the create trigger kept for this trigger: the expected answer.
        "privateChallengeParameters" => pub private_challenge_parameters: Attributes,
        /// The user's answer.
        "challengeAnswer" => pub challenge_answer: String,
        /// Key-value pairs the app sent as `ClientMetadata`, if it sent any.
        "clientMetadata" => pub client_metadata: Option<Attributes>,
        /// Whether the user is unknown to the pool (with "prevent user existence errors" on).
        "userNotFound" => pub user_not_found: bool,
    }
}

json_object! {
    /// The verify auth challenge response trigger's answer.
    pub struct VerifyAuthChallengeResponseResponse {
        /// Whether the answer is correct.
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
