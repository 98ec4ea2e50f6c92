//! The flows: Cognito's API calls as an app makes them, each calling the
//! pool's triggers in Cognito's order.

use super::error::code;
use super::events::{self, NO_CLIENT, SenderMetadata};
use super::tokens::{self, Tokens};
use super::users::{Mfa, Purpose, User, UserStatus};
use super::{Caller, Cognito, CognitoError, MAX_CHALLENGES};
use crate::events::{
    CreateAuthChallengeSource, CustomEmailSenderSource, CustomMessageSource, CustomSmsSenderSource,
    DefineAuthChallengeSource, InboundFederationSource, PostAuthenticationSource,
    PostConfirmationSource, PreAuthenticationSource, PreSignUpSource, TokenGenerationSource,
    UserMigrationSource, VerifyAuthChallengeResponseSource,
};
use cognito_trigger_core::trigger::{LambdaVersion, Trigger};
use serde_json::{Map, Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a sign-up returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignUpOutcome {
    /// Confirmed already (the pre sign-up trigger said `autoConfirmUser`).
    pub user_confirmed: bool,
    /// The new user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    pub code_delivery: Option<(Medium, String)>,
}

/// What an administrator's user creation returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    /// The username Cognito gave the user (a UUID when the pool signs in by email).
    pub user_name: String,
    /// The temporary password the invitation carries.
    pub temporary_password: String,
}

/// Email or SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    /// An email.
    Email,
    /// A text message.
    Sms,
}

/// A message Cognito sent, or handed to a custom sender to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Why: `SignUp`, `ForgotPassword`, `AdminCreateUser`, ... (the
    /// `triggerSource` suffix).
    pub reason: String,
    /// Email or SMS.
    pub medium: Medium,
    /// The email address or phone number.
    pub to: String,
    /// The email's subject (from the custom message trigger, or Cognito's).
    pub subject: Option<String>,
    /// The text with the code in it; `None` when a custom sender sends it.
    pub body: Option<String>,
    /// The code (or temporary password), as the user reads it.
    pub code: Option<String>,
}

/// An identity provider of the pool, for [`Cognito::federated_sign_in`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Its name in the pool, e.g. `Google` or `CorpIdP`.
    pub name: String,
    /// Its kind, as events carry it: `OIDC`, `SAML`, `Google`, `Facebook`,
    /// `SignInWithApple` or `LoginWithAmazon`.
    pub kind: String,
}

impl Provider {
    /// The provider `name` of kind `kind`.
    pub fn new(name: impl Into<String>, kind: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: kind.into(),
        }
    }
}

/// How a sign-in step ended: tokens, or the next challenge.
#[derive(Clone, Debug, PartialEq)]
pub enum SignIn {
    /// Signed in.
    Tokens(Tokens),
    /// The app must answer a challenge ([`Cognito::answer_challenge`]).
    Challenge(Challenge),
}

impl SignIn {
    /// The tokens, if signed in.
    pub fn tokens(&self) -> Option<&Tokens> {
        match self {
            SignIn::Tokens(tokens) => Some(tokens),
            SignIn::Challenge(_) => None,
        }
    }

    /// The challenge, if there is one.
    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            SignIn::Challenge(challenge) => Some(challenge),
            SignIn::Tokens(_) => None,
        }
    }
}

/// A challenge Cognito asks the app to answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    /// `CUSTOM_CHALLENGE`, `NEW_PASSWORD_REQUIRED`, `SMS_MFA`, `EMAIL_OTP`
    /// or `PASSWORD_VERIFIER`.
    pub name: String,
    /// `ChallengeParameters`: the create trigger's public parameters, and `USERNAME`.
    pub parameters: Map<String, Value>,
    /// The session to answer in.
    pub session: String,
}

/// A sign-in in progress.
pub(crate) struct Session {
    user: usize,
    client_id: String,
    /// The challenge asked and not answered yet.
    challenge: String,
    /// The custom authentication's history, as the define trigger reads it.
    history: Vec<Value>,
    /// The create trigger's private parameters for the verify trigger.
    private: Value,
    user_not_found: bool,
    expires: tokio::time::Instant,
    source: TokenGenerationSource,
}

/// What a message is, for each of the three triggers that can make it.
#[derive(Clone)]
struct Reason {
    message: CustomMessageSource,
    sms: CustomSmsSenderSource,
    email: CustomEmailSenderSource,
}

/// The reason `$name`: the three sources share its name.
macro_rules! reason {
    ($name:ident) => {
        Reason {
            message: CustomMessageSource::$name,
            sms: CustomSmsSenderSource::$name,
            email: CustomEmailSenderSource::$name,
        }
    };
}

const SIGN_UP: Reason = reason!(SignUp);
const RESEND_CODE: Reason = reason!(ResendCode);
const FORGOT_PASSWORD: Reason = reason!(ForgotPassword);
const UPDATE_ATTRIBUTE: Reason = reason!(UpdateUserAttribute);
const VERIFY_ATTRIBUTE: Reason = reason!(VerifyUserAttribute);
const ADMIN_CREATE_USER: Reason = reason!(AdminCreateUser);
const AUTHENTICATION: Reason = reason!(Authentication);

fn not_authorized() -> CognitoError {
    CognitoError::new(code::NOT_AUTHORIZED, "Incorrect username or password.")
}

fn strings_of(value: &Value) -> Map<String, Value> {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_true(value: &Value) -> bool {
    value.as_bool() == Some(true)
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cognito {
    // --- Sign-up -------------------------------------------------------

    /// `SignUp`: the pre sign-up trigger (`PreSignUp_SignUp`), then the
    /// confirmation code (custom message or sender, `…_SignUp`) unless the
    /// trigger confirmed the user, whose post confirmation trigger then runs.
    pub async fn sign_up<K: Into<String>, V: Into<String>>(
        &mut self,
        username: &str,
        password: &str,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Result<SignUpOutcome, CognitoError> {
        let mut attributes = super::string_map(attributes);
        let (sub, user_name) =
            self.new_user_name(username, &mut attributes, "User already exists")?;
        let client_id = self.client_id().to_owned();
        let (validation, metadata) = (self.validation_data.clone(), self.client_metadata.clone());
        let response = self
            .call(
                Trigger::PreSignUp,
                PreSignUpSource::SignUp.as_str(),
                &Caller {
                    client_id: &client_id,
                    user_name: Some(&user_name),
                },
                |_| events::pre_sign_up(&attributes, validation.as_ref(), metadata.as_ref()),
            )
            .await?
            .unwrap_or_default();
        let confirmed = is_true(&response["autoConfirmUser"]);
        let mut user = User::new(
            user_name.clone(),
            Map::new(),
            if confirmed {
                UserStatus::Confirmed
            } else {
                UserStatus::Unconfirmed
            },
        );
        user.attributes.insert("sub".into(), sub.clone().into());
        user.attributes.extend(attributes);
        for (attribute, verify) in [
            ("email", "autoVerifyEmail"),
            ("phone_number", "autoVerifyPhone"),
        ] {
            if user.attributes.contains_key(attribute) {
                let verified = is_true(&response[verify]);
                user.attributes
                    .insert(format!("{attribute}_verified"), verified.to_string().into());
            }
        }
        user.password = Some(password.to_owned());
        self.users.push(user);
        let index = self.users.len() - 1;
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        let code_delivery = if confirmed {
            self.post_confirmation(index, PostConfirmationSource::ConfirmSignUp, &caller)
                .await?;
            None
        } else {
            self.send_code(index, Purpose::SignUp, SIGN_UP, &caller)
                .await?
        };
        Ok(SignUpOutcome {
            user_confirmed: confirmed,
            user_sub: sub,
            code_delivery,
        })
    }

    /// `ConfirmSignUp`: checks the code, then the post confirmation trigger
    /// (`PostConfirmation_ConfirmSignUp`).
    pub async fn confirm_sign_up(
        &mut self,
        username: &str,
        code: &str,
    ) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        if self.users[index].status != UserStatus::Unconfirmed {
            return Err(CognitoError::new(
                code::NOT_AUTHORIZED,
                format!(
                    "User cannot be confirmed. Current status is {}",
                    self.users[index].status.as_str()
                ),
            ));
        }
        if !self.users[index].take_code(&Purpose::SignUp, code) {
            return Err(mismatch());
        }
        self.users[index].status = UserStatus::Confirmed;
        self.verify_destination(index);
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        self.post_confirmation(index, PostConfirmationSource::ConfirmSignUp, &caller)
            .await
    }

    /// `ResendConfirmationCode`: a new code (`…_ResendCode`).
    pub async fn resend_confirmation_code(&mut self, username: &str) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        self.send_code(index, Purpose::SignUp, RESEND_CODE, &caller)
            .await
            .map(drop)
    }

    /// `AdminConfirmSignUp`: confirms without a code; the post confirmation
    /// trigger runs (`PostConfirmation_ConfirmSignUp`).
    pub async fn admin_confirm_sign_up(&mut self, username: &str) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        self.users[index].status = UserStatus::Confirmed;
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: NO_CLIENT,
            user_name: Some(&user_name),
        };
        self.post_confirmation(index, PostConfirmationSource::ConfirmSignUp, &caller)
            .await
    }

    /// `AdminCreateUser`: the pre sign-up trigger (`PreSignUp_AdminCreateUser`),
    /// then the invitation with a temporary password (`…_AdminCreateUser`).
    /// The user signs in with it once, then sets a password
    /// (`NEW_PASSWORD_REQUIRED`).
    pub async fn admin_create_user<K: Into<String>, V: Into<String>>(
        &mut self,
        username: &str,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Created, CognitoError> {
        let mut attributes = super::string_map(attributes);
        let (sub, user_name) =
            self.new_user_name(username, &mut attributes, "User account already exists")?;
        let (validation, metadata) = (self.validation_data.clone(), self.client_metadata.clone());
        let caller = Caller {
            client_id: NO_CLIENT,
            user_name: Some(&user_name),
        };
        self.call(
            Trigger::PreSignUp,
            PreSignUpSource::AdminCreateUser.as_str(),
            &caller,
            |_| events::pre_sign_up(&attributes, validation.as_ref(), metadata.as_ref()),
        )
        .await?;
        let temporary_password = format!("Tmp-{}", &self.next("password")[..10]);
        let mut user = User::new(
            user_name.clone(),
            Map::new(),
            UserStatus::ForceChangePassword,
        );
        user.attributes.insert("sub".into(), sub.into());
        user.attributes.extend(attributes);
        user.password = Some(temporary_password.clone());
        self.users.push(user);
        let index = self.users.len() - 1;
        self.deliver(
            index,
            None,
            ADMIN_CREATE_USER,
            temporary_password.clone(),
            &caller,
        )
        .await?;
        Ok(Created {
            user_name,
            temporary_password,
        })
    }

    // --- Sign-in -------------------------------------------------------

    /// `InitiateAuth` with `USER_PASSWORD_AUTH`: user migration for an
    /// unknown user (`UserMigration_Authentication`), pre authentication,
    /// the password, then tokens (`TokenGeneration_Authentication`) and post
    /// authentication; or a challenge (`NEW_PASSWORD_REQUIRED`, MFA).
    pub async fn sign_in(
        &mut self,
        username: &str,
        password: &str,
    ) -> Result<SignIn, CognitoError> {
        self.password_sign_in(
            username,
            password,
            TokenGenerationSource::Authentication,
            None,
        )
        .await
    }

    /// A sign-in on the hosted UI's `/login` page: as [`sign_in`](Self::sign_in),
    /// with tokens from `TokenGeneration_HostedAuth`.
    pub async fn hosted_sign_in(
        &mut self,
        username: &str,
        password: &str,
    ) -> Result<SignIn, CognitoError> {
        self.password_sign_in(username, password, TokenGenerationSource::HostedAuth, None)
            .await
    }

    /// Remembers the device of a completed sign-in (`ConfirmDevice`); a
    /// later [`device_sign_in`](Self::device_sign_in) uses its key.
    pub fn remember_device(&mut self, tokens: &Tokens) -> String {
        let uuid = self.uuid();
        let key = format!("{}_{uuid}", self.region);
        let user = tokens.access_token["username"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        self.devices.insert(key.clone(), user);
        key
    }

    /// A password sign-in from a remembered device: the device's own check
    /// (`DEVICE_SRP_AUTH`, passed without SRP) instead of an MFA code, then
    /// tokens from `TokenGeneration_AuthenticateDevice`.
    pub async fn device_sign_in(
        &mut self,
        username: &str,
        password: &str,
        device_key: &str,
    ) -> Result<SignIn, CognitoError> {
        let user = self.devices.get(device_key).cloned();
        let index = self.existing(username)?;
        if user.as_deref() != Some(self.users[index].user_name.as_str()) {
            return Err(CognitoError::new(
                code::NOT_AUTHORIZED,
                "Device does not exist.",
            ));
        }
        self.password_sign_in(
            username,
            password,
            TokenGenerationSource::AuthenticateDevice,
            Some(device_key),
        )
        .await
    }

    async fn password_sign_in(
        &mut self,
        username: &str,
        password: &str,
        source: TokenGenerationSource,
        device: Option<&str>,
    ) -> Result<SignIn, CognitoError> {
        self.require_flow(
            "USER_PASSWORD_AUTH",
            &[
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            ],
        )?;
        let client_id = self.client_id().to_owned();
        let index = match self.find_user(username) {
            Some(index) => index,
            None => {
                let metadata = self.initiate_metadata(&source);
                let migrated = self
                    .migrate(
                        username,
                        Some(password),
                        UserMigrationSource::Authentication,
                        metadata.clone(),
                    )
                    .await?;
                match migrated {
                    Some(index) => index,
                    None => {
                        return Err(self
                            .unknown_at_sign_in(username, &client_id, metadata)
                            .await);
                    }
                }
            }
        };
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        let reported = self.reported(&client_id, false);
        let (attributes, validation) = (
            self.event_attributes(index),
            self.initiate_metadata(&source),
        );
        self.call(
            Trigger::PreAuthentication,
            PreAuthenticationSource::Authentication.as_str(),
            &caller,
            |_| events::pre_authentication(&attributes, reported, validation.as_ref()),
        )
        .await?;
        if self.users[index].password.as_deref() != Some(password) {
            return Err(not_authorized());
        }
        match self.users[index].status {
            UserStatus::Unconfirmed => {
                return Err(CognitoError::new(
                    code::USER_NOT_CONFIRMED,
                    "User is not confirmed.",
                ));
            }
            UserStatus::ResetRequired => {
                return Err(CognitoError::new(
                    code::PASSWORD_RESET_REQUIRED,
                    "Password reset required for the user",
                ));
            }
            UserStatus::ForceChangePassword => {
                return Ok(SignIn::Challenge(self.open_session(
                    index,
                    "NEW_PASSWORD_REQUIRED",
                    Map::new(),
                    TokenGenerationSource::NewPasswordChallenge,
                )));
            }
            UserStatus::Confirmed | UserStatus::ExternalProvider => {}
        }
        // A remembered device stands in for the MFA code.
        if let Some(mfa) = self.users[index].mfa.filter(|_| device.is_none()) {
            let code = self.code();
            let purpose = Purpose::Mfa;
            self.users[index].codes.push((purpose, code.clone()));
            let medium = match mfa {
                Mfa::Sms => Medium::Sms,
                Mfa::Email => Medium::Email,
            };
            self.deliver(index, Some(medium), AUTHENTICATION, code, &caller)
                .await?;
            let name = match mfa {
                Mfa::Sms => "SMS_MFA",
                Mfa::Email => "EMAIL_OTP",
            };
            return Ok(SignIn::Challenge(self.open_session(
                index,
                name,
                Map::new(),
                source,
            )));
        }
        self.issue(index, &client_id, source, None)
            .await
            .map(SignIn::Tokens)
    }

    /// `InitiateAuth` with `CUSTOM_AUTH`: the define auth challenge trigger
    /// with an empty session, and the create trigger for the challenge it
    /// asks for (pre authentication runs only if the define trigger asks for
    /// the password, `SRP_A`). An unknown user goes through
    /// the loop with `userNotFound` when the app client prevents user
    /// existence errors.
    pub async fn start_custom_auth(&mut self, username: &str) -> Result<SignIn, CognitoError> {
        self.require_flow("CUSTOM_AUTH", &["ALLOW_CUSTOM_AUTH"])?;
        let client = self.pool.clients[self.client].clone();
        let (index, user_not_found) = match self.find_user(username) {
            Some(index) => (index, false),
            None if client.prevent_user_existence_errors => {
                // A user that exists for the loop only, as Cognito makes
                // one up: kept for the session, never found by name.
                let mut user = User::new(username.to_owned(), Map::new(), UserStatus::Confirmed);
                user.attributes.insert("sub".into(), self.uuid().into());
                user.phantom = true;
                self.users.push(user);
                (self.users.len() - 1, true)
            }
            None => {
                return Err(CognitoError::new(
                    code::USER_NOT_FOUND,
                    "User does not exist.",
                ));
            }
        };
        // No pre authentication here: Cognito runs it in a custom flow only
        // with SRP (the define trigger's `SRP_A`, in `define_next`).
        let session =
            self.open_session(index, "", Map::new(), TokenGenerationSource::Authentication);
        let id = session.session;
        self.sessions.get_mut(&id).expect("opened").user_not_found = user_not_found;
        self.define_next(id, false).await
    }

    /// `RespondToAuthChallenge`: answers `challenge` with `answer` (a custom
    /// challenge's answer, the new password, an MFA code, or the password
    /// for `PASSWORD_VERIFIER`).
    pub async fn answer_challenge(
        &mut self,
        challenge: &Challenge,
        answer: &str,
    ) -> Result<SignIn, CognitoError> {
        let Some(session) = self.sessions.remove(&challenge.session) else {
            return Err(CognitoError::new(
                code::NOT_AUTHORIZED,
                "Invalid session for the user.",
            ));
        };
        if tokio::time::Instant::now() >= session.expires {
            return Err(CognitoError::new(
                code::NOT_AUTHORIZED,
                "Invalid session for the user, session is expired.",
            ));
        }
        let index = session.user;
        let client_id = session.client_id.clone();
        match session.challenge.as_str() {
            "NEW_PASSWORD_REQUIRED" => {
                self.users[index].password = Some(answer.to_owned());
                self.users[index].status = UserStatus::Confirmed;
                self.issue(
                    index,
                    &client_id,
                    session.source,
                    self.client_metadata.clone(),
                )
                .await
                .map(SignIn::Tokens)
            }
            "SMS_MFA" | "EMAIL_OTP" => {
                if !self.users[index].take_code(&Purpose::Mfa, answer) {
                    return Err(CognitoError::new(
                        code::CODE_MISMATCH,
                        "Invalid code received for user",
                    ));
                }
                self.issue(
                    index,
                    &client_id,
                    session.source,
                    self.client_metadata.clone(),
                )
                .await
                .map(SignIn::Tokens)
            }
            "PASSWORD_VERIFIER" => {
                let correct = self.users[index].password.as_deref() == Some(answer);
                let mut session = session;
                session.history.push(json!({"challengeName": "PASSWORD_VERIFIER", "challengeResult": correct, "challengeMetadata": null}));
                let id = challenge.session.clone();
                self.sessions.insert(id.clone(), session);
                self.define_next(id, true).await
            }
            _ => {
                self.verify(challenge.session.clone(), session, answer)
                    .await
            }
        }
    }

    /// What the create trigger kept for the verify trigger
    /// (`privateChallengeParameters`) for `challenge`: the expected answer,
    /// which a test reads where a user would read the email or text the
    /// create trigger sent.
    pub fn private_challenge_parameters(
        &self,
        challenge: &Challenge,
    ) -> Option<&Map<String, Value>> {
        self.sessions.get(&challenge.session)?.private.as_object()
    }

    async fn verify(
        &mut self,
        id: String,
        mut session: Session,
        answer: &str,
    ) -> Result<SignIn, CognitoError> {
        let index = session.user;
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &session.client_id,
            user_name: Some(&user_name),
        };
        let reported = self.reported(&session.client_id, session.user_not_found);
        let attributes = self.event_attributes(index);
        let metadata = self.client_metadata.clone();
        let response = self
            .call(
                Trigger::VerifyAuthChallengeResponse,
                VerifyAuthChallengeResponseSource::Authentication.as_str(),
                &caller,
                |_| {
                    events::verify_auth_challenge_response(
                        &attributes,
                        &session.private,
                        answer,
                        reported,
                        metadata.as_ref(),
                    )
                },
            )
            .await?
            .unwrap_or_default();
        let metadata = session
            .history
            .last()
            .map(|last| last["challengeMetadata"].clone())
            .unwrap_or(Value::Null);
        // The history's last entry is the challenge asked; its result is now known.
        if let Some(last) = session.history.last_mut() {
            last["challengeResult"] = is_true(&response["answerCorrect"]).into();
            last["challengeMetadata"] = metadata;
        }
        self.sessions.insert(id.clone(), session);
        self.define_next(id, true).await
    }

    /// The define trigger on the session's history, then what it asks for.
    /// `responding`: in a `RespondToAuthChallenge`, whose `ClientMetadata`
    /// Cognito forwards to the challenge and token triggers (an
    /// `InitiateAuth`'s goes to pre authentication only).
    async fn define_next(&mut self, id: String, responding: bool) -> Result<SignIn, CognitoError> {
        let mut session = self.sessions.remove(&id).expect("a session in progress");
        let index = session.user;
        let user_name = self.users[index].user_name.clone();
        let client_id = session.client_id.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        let attributes = self.event_attributes(index);
        let metadata = responding.then(|| self.client_metadata.clone()).flatten();
        let history = session.history.clone();
        let reported = self.reported(&client_id, session.user_not_found);
        let user_not_found = session.user_not_found;
        let response = self
            .call(
                Trigger::DefineAuthChallenge,
                DefineAuthChallengeSource::Authentication.as_str(),
                &caller,
                |_| {
                    events::define_auth_challenge(
                        &attributes,
                        &history,
                        reported,
                        metadata.as_ref(),
                    )
                },
            )
            .await?
            .ok_or_else(|| {
                CognitoError::new(
                    code::INVALID_PARAMETER,
                    "Custom auth lambda trigger is not configured for the user pool.",
                )
            })?;
        if is_true(&response["issueTokens"]) && !user_not_found {
            return self
                .issue(index, &client_id, session.source, metadata.clone())
                .await
                .map(SignIn::Tokens);
        }
        if is_true(&response["failAuthentication"]) || is_true(&response["issueTokens"]) {
            return Err(not_authorized());
        }
        if session.history.len() >= MAX_CHALLENGES {
            return Err(not_authorized());
        }
        let name = response["challengeName"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        match name.as_str() {
            "CUSTOM_CHALLENGE" => {}
            // The client's SRP step, played without the exchange.
            "SRP_A" => {
                // The user's password step: the authentication triggers run.
                let validation = (!responding)
                    .then(|| self.client_metadata.clone())
                    .flatten();
                self.call(
                    Trigger::PreAuthentication,
                    PreAuthenticationSource::Authentication.as_str(),
                    &caller,
                    |_| events::pre_authentication(&attributes, reported, validation.as_ref()),
                )
                .await?;
                session.history.push(json!({"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null}));
                self.sessions.insert(id.clone(), session);
                return Box::pin(self.define_next(id, responding)).await;
            }
            "PASSWORD_VERIFIER" => {
                session.challenge = name.clone();
                session.expires =
                    tokio::time::Instant::now() + self.session_validity(&session.client_id);
                // Each step's session string is new: an answer spends its own.
                let id = self.next("session");
                self.sessions.insert(id.clone(), session);
                let mut parameters = Map::new();
                parameters.insert("USERNAME".into(), user_name.into());
                return Ok(SignIn::Challenge(Challenge {
                    name,
                    parameters,
                    session: id,
                }));
            }
            _ => {
                return Err(CognitoError::new(
                    code::INVALID_LAMBDA_RESPONSE,
                    "Unrecognizable lambda output",
                ));
            }
        }
        let response = self
            .call(
                Trigger::CreateAuthChallenge,
                CreateAuthChallengeSource::Authentication.as_str(),
                &caller,
                |_| {
                    events::create_auth_challenge(
                        &attributes,
                        &name,
                        &history,
                        reported,
                        metadata.as_ref(),
                    )
                },
            )
            .await?
            .ok_or_else(|| {
                CognitoError::new(
                    code::INVALID_PARAMETER,
                    "Custom auth lambda trigger is not configured for the user pool.",
                )
            })?;
        let mut parameters = strings_of(&response["publicChallengeParameters"]);
        parameters.insert("USERNAME".into(), user_name.into());
        session.private = Value::Object(strings_of(&response["privateChallengeParameters"]));
        session.history.push(json!({
            "challengeName": name,
            "challengeResult": false,
            "challengeMetadata": response["challengeMetadata"].clone(),
        }));
        session.challenge = name.clone();
        session.expires = tokio::time::Instant::now() + self.session_validity(&session.client_id);
        let id = self.next("session");
        self.sessions.insert(id.clone(), session);
        Ok(SignIn::Challenge(Challenge {
            name,
            parameters,
            session: id,
        }))
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`: new tokens from
    /// `TokenGeneration_RefreshTokens`; no other trigger runs.
    pub async fn refresh(&mut self, tokens: &Tokens) -> Result<Tokens, CognitoError> {
        self.require_flow("REFRESH_TOKEN_AUTH", &["ALLOW_REFRESH_TOKEN_AUTH"])?;
        let refresh_token = tokens.refresh_token.as_deref().unwrap_or_default();
        let Some(user_name) = self.refresh_tokens.get(refresh_token).cloned() else {
            return Err(CognitoError::new(
                code::NOT_AUTHORIZED,
                "Invalid Refresh Token",
            ));
        };
        let index = self.existing(&user_name)?;
        let client_id = tokens.access_token["client_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut refreshed = self
            .tokens(
                index,
                &client_id,
                TokenGenerationSource::RefreshTokens,
                None,
            )
            .await?;
        refreshed.refresh_token = Some(refresh_token.to_owned());
        Ok(refreshed)
    }

    /// A sign-in through an external identity provider (`subject` is the
    /// user's ID there, `claims` what it says of the user): the inbound
    /// federation trigger maps its claims; at the first sign-in the pre
    /// sign-up (`PreSignUp_ExternalProvider`) and post confirmation triggers
    /// run, at later ones pre and post authentication; tokens come from
    /// `TokenGeneration_HostedAuth`.
    pub async fn federated_sign_in<K: Into<String>, V: Into<String>>(
        &mut self,
        provider: &Provider,
        subject: &str,
        claims: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Tokens, CognitoError> {
        let claims = super::string_map(claims);
        let user_name = format!("{}_{subject}", provider.name);
        let client_id = self.client_id().to_owned();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        let attributes_sent = if provider.kind == "SAML" {
            json!({"samlResponse": claims})
        } else {
            let mut id_token = claims.clone();
            id_token.insert("sub".into(), subject.into());
            json!({"tokenResponse": {"token_type": "Bearer", "expires_in": "3600"}, "idToken": id_token, "userInfo": claims})
        };
        let mapped = self
            .call(
                Trigger::InboundFederation,
                InboundFederationSource::ExternalProvider.as_str(),
                &caller,
                |_| events::inbound_federation(&provider.name, &provider.kind, attributes_sent),
            )
            .await?;
        let mut attributes = match mapped {
            Some(response) => strings_of(&response["userAttributesToMap"]),
            // The pool's attribute mapping, taken to map names as they are.
            None => claims,
        };
        let identities = json!([{
            "userId": subject, "providerName": provider.name, "providerType": provider.kind,
            "issuer": null, "primary": "true", "dateCreated": now_seconds() * 1000,
        }]);
        attributes.insert("identities".into(), identities.to_string().into());
        let index = match self.find_user(&user_name) {
            Some(index) => {
                self.users[index].attributes.extend(attributes);
                let reported = self.reported(&client_id, false);
                let (attributes, validation) = (self.event_attributes(index), None);
                self.call(
                    Trigger::PreAuthentication,
                    PreAuthenticationSource::Authentication.as_str(),
                    &caller,
                    |_| events::pre_authentication(&attributes, reported, validation.as_ref()),
                )
                .await?;
                index
            }
            None => {
                let response = self
                    .call(
                        Trigger::PreSignUp,
                        PreSignUpSource::ExternalProvider.as_str(),
                        &caller,
                        |_| events::pre_sign_up(&attributes, None, None),
                    )
                    .await?
                    .unwrap_or_default();
                let mut user =
                    User::new(user_name.clone(), Map::new(), UserStatus::ExternalProvider);
                user.attributes.insert("sub".into(), self.uuid().into());
                user.attributes.extend(attributes);
                if user.attributes.contains_key("email") {
                    let verified = is_true(&response["autoVerifyEmail"]);
                    user.attributes
                        .insert("email_verified".into(), verified.to_string().into());
                }
                self.users.push(user);
                let index = self.users.len() - 1;
                let caller = Caller {
                    client_id: &client_id,
                    user_name: Some(&user_name),
                };
                let (attributes, metadata) =
                    (self.event_attributes(index), self.client_metadata.clone());
                self.call(
                    Trigger::PostConfirmation,
                    PostConfirmationSource::ConfirmSignUp.as_str(),
                    &caller,
                    |_| events::post_confirmation(&attributes, metadata.as_ref()),
                )
                .await?;
                let tokens = self
                    .tokens(index, &client_id, TokenGenerationSource::HostedAuth, None)
                    .await?;
                return Ok(self.keep_refresh_token(index, tokens));
            }
        };
        self.issue(index, &client_id, TokenGenerationSource::HostedAuth, None)
            .await
    }

    /// The client credentials grant of the current app client: pre token
    /// generation `V3_0` (`TokenGeneration_ClientCredentials`), for no user;
    /// other versions are not called for it.
    pub async fn client_credentials(&mut self, scopes: &[&str]) -> Result<Tokens, CognitoError> {
        let client_id = self.client_id().to_owned();
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let mut access = tokens::Claims::new();
        let now = now_seconds();
        let event_id = self.uuid();
        for (name, value) in [
            ("sub", Value::from(client_id.clone())),
            ("token_use", "access".into()),
            ("scope", scopes.join(" ").into()),
            ("auth_time", now.into()),
            ("iss", self.issuer().into()),
            ("exp", (now + 3600).into()),
            ("iat", now.into()),
            ("version", 2.into()),
            ("jti", event_id.clone().into()),
            ("client_id", client_id.clone().into()),
        ] {
            access.insert(name.into(), value);
        }
        let mut id = tokens::Claims::new();
        if self.version_of(Trigger::PreTokenGeneration) == Some(LambdaVersion::V3_0) {
            let metadata = self.client_metadata.clone();
            let caller = Caller {
                client_id: &client_id,
                user_name: None,
            };
            let response = self
                .call(
                    Trigger::PreTokenGeneration,
                    TokenGenerationSource::ClientCredentials.as_str(),
                    &caller,
                    |version| {
                        events::token_generation(
                            version,
                            &Map::new(),
                            Value::Null,
                            &scopes,
                            metadata.as_ref(),
                        )
                    },
                )
                .await?;
            if let Some(response) = response {
                tokens::apply(Some(LambdaVersion::V3_0), &response, &mut id, &mut access);
            }
        }
        Ok(Tokens {
            id_token: tokens::Claims::new(),
            access_token: access,
            refresh_token: None,
        })
    }

    // --- Passwords and attributes -------------------------------------

    /// `ForgotPassword`: user migration for an unknown user
    /// (`UserMigration_ForgotPassword`), then the code (`…_ForgotPassword`).
    pub async fn forgot_password(&mut self, username: &str) -> Result<(), CognitoError> {
        let index = match self.find_user(username) {
            Some(index) => index,
            None => {
                let metadata = self.client_metadata.clone();
                let migrated = self
                    .migrate(
                        username,
                        None,
                        UserMigrationSource::ForgotPassword,
                        metadata,
                    )
                    .await?;
                match migrated {
                    Some(index) => index,
                    // A client that prevents user existence errors answers
                    // as if a code went out.
                    None if self.pool.clients[self.client].prevent_user_existence_errors => {
                        return Ok(());
                    }
                    None => {
                        return Err(CognitoError::new(
                            code::USER_NOT_FOUND,
                            "Username/client id combination not found.",
                        ));
                    }
                }
            }
        };
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        self.send_code(index, Purpose::ForgotPassword, FORGOT_PASSWORD, &caller)
            .await
            .map(drop)
    }

    /// `ConfirmForgotPassword`: checks the code, sets the password, then the
    /// post confirmation trigger (`PostConfirmation_ConfirmForgotPassword`).
    pub async fn confirm_forgot_password(
        &mut self,
        username: &str,
        code: &str,
        password: &str,
    ) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        if !self.users[index].take_code(&Purpose::ForgotPassword, code) {
            return Err(mismatch());
        }
        self.users[index].password = Some(password.to_owned());
        self.users[index].status = UserStatus::Confirmed;
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        self.post_confirmation(
            index,
            PostConfirmationSource::ConfirmForgotPassword,
            &caller,
        )
        .await
    }

    /// `UpdateUserAttributes`: sets the attributes; a changed email address
    /// or phone number is unverified and gets a code (`…_UpdateUserAttribute`).
    pub async fn update_user_attributes<K: Into<String>, V: Into<String>>(
        &mut self,
        username: &str,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        for (name, value) in super::string_map(attributes) {
            let changed = self.users[index].attributes.get(&name) != Some(&value);
            self.users[index].attributes.insert(name.clone(), value);
            if !changed || !matches!(name.as_str(), "email" | "phone_number") {
                continue;
            }
            self.users[index]
                .attributes
                .insert(format!("{name}_verified"), "false".into());
            // Cognito sends a code for the attributes the pool verifies.
            if self.pool.auto_verified.contains(&name) {
                let caller = Caller {
                    client_id: &client_id,
                    user_name: Some(&user_name),
                };
                self.send_code(index, Purpose::Attribute(name), UPDATE_ATTRIBUTE, &caller)
                    .await?;
            }
        }
        Ok(())
    }

    /// `GetUserAttributeVerificationCode`: a code to verify `attribute`
    /// (`…_VerifyUserAttribute`).
    pub async fn get_user_attribute_verification_code(
        &mut self,
        username: &str,
        attribute: &str,
    ) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        self.send_code(
            index,
            Purpose::Attribute(attribute.to_owned()),
            VERIFY_ATTRIBUTE,
            &caller,
        )
        .await
        .map(drop)
    }

    /// `VerifyUserAttribute`: checks the code and marks `attribute` verified.
    pub fn verify_user_attribute(
        &mut self,
        username: &str,
        attribute: &str,
        code: &str,
    ) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        if !self.users[index].take_code(&Purpose::Attribute(attribute.to_owned()), code) {
            return Err(mismatch());
        }
        self.users[index]
            .attributes
            .insert(format!("{attribute}_verified"), "true".into());
        Ok(())
    }

    /// `AdminSetUserMFAPreference`: the user's sign-ins ask for a code sent
    /// by `mfa` (`CustomMessage_Authentication`, or the sender's `…_Authentication`).
    pub fn set_user_mfa(&mut self, username: &str, mfa: Option<Mfa>) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        self.users[index].mfa = mfa;
        Ok(())
    }

    /// `AdminAddUserToGroup`: the tokens' `cognito:groups` and the token
    /// trigger's `groupConfiguration` list the group.
    pub fn add_user_to_group(&mut self, username: &str, group: &str) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        if !self.users[index].groups.iter().any(|g| g == group) {
            self.users[index].groups.push(group.to_owned());
        }
        Ok(())
    }

    /// Threat protection's notice of a risky sign-in
    /// (`CustomEmailSender_AccountTakeOverNotification`), sent on request:
    /// the driver has no risk engine.
    pub async fn notify_account_takeover(&mut self, username: &str) -> Result<(), CognitoError> {
        let index = self.existing(username)?;
        let client_id = self.client_id().to_owned();
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(&user_name),
        };
        let request = events::custom_sender(
            false,
            None,
            &self.event_attributes(index),
            SenderMetadata::Never,
        );
        self.send(
            Trigger::CustomEmailSender,
            CustomEmailSenderSource::AccountTakeOverNotification.as_str(),
            &caller,
            request,
        )
        .await;
        Ok(())
    }

    // --- Shared steps --------------------------------------------------

    /// Refuses a flow the app client does not allow. A client without
    /// `ExplicitAuthFlows` allows Cognito's defaults: SRP (which the
    /// driver's password sign-in stands for), custom and refresh.
    fn require_flow(&self, flow: &str, allowed_by: &[&str]) -> Result<(), CognitoError> {
        let flows = &self.pool.clients[self.client].auth_flows;
        if flows.is_empty() || flows.iter().any(|f| allowed_by.contains(&f.as_str())) {
            Ok(())
        } else {
            Err(CognitoError::new(
                code::INVALID_PARAMETER,
                format!("{flow} flow not enabled for this client"),
            ))
        }
    }

    /// The user's attributes as events carry them: with its status, and
    /// the alias (`cognito:email_alias`, `cognito:phone_number_alias`) of
    /// each verified attribute the pool signs users in with, as captured
    /// events show them.
    fn event_attributes(&self, index: usize) -> Map<String, Value> {
        let user = &self.users[index];
        let mut attributes = user.event_attributes();
        for attribute in &self.pool.username_attributes {
            let verified = user.attribute(&format!("{attribute}_verified")) == Some("true");
            if let Some(value) = user.attribute(attribute).filter(|_| verified) {
                attributes.insert(format!("cognito:{attribute}_alias"), value.into());
            }
        }
        attributes
    }

    /// The `ClientMetadata` of the `InitiateAuth` that makes tokens for
    /// `source`: a hosted UI sign-in has none.
    fn initiate_metadata(&self, source: &TokenGenerationSource) -> Option<Map<String, Value>> {
        (*source != TokenGenerationSource::HostedAuth)
            .then(|| self.client_metadata.clone())
            .flatten()
    }

    /// `userNotFound` as the events of client `client_id` carry it: only
    /// when the client prevents user existence errors.
    fn reported(&self, client_id: &str, user_not_found: bool) -> Option<bool> {
        let prevents = self
            .pool
            .clients
            .iter()
            .any(|c| c.id == client_id && c.prevent_user_existence_errors);
        prevents.then_some(user_not_found)
    }

    /// How long a session of client `client_id` waits for an answer.
    fn session_validity(&self, client_id: &str) -> Duration {
        let client = self.pool.clients.iter().find(|c| c.id == client_id);
        client.map_or(Duration::from_secs(180), |c| c.session_validity)
    }

    fn existing(&self, username: &str) -> Result<usize, CognitoError> {
        self.find_user(username)
            .ok_or_else(|| CognitoError::new(code::USER_NOT_FOUND, "User does not exist."))
    }

    /// The `sub` and username of a user signing up (or created) as
    /// `username`, refused with `taken` if someone has it. A pool that signs
    /// users in by email or phone stores `username` as that attribute and
    /// names the user by the `sub`, in the pre sign-up event already.
    fn new_user_name(
        &mut self,
        username: &str,
        attributes: &mut Map<String, Value>,
        taken: &str,
    ) -> Result<(String, String), CognitoError> {
        if self.find_user(username).is_some() {
            return Err(CognitoError::new(code::USERNAME_EXISTS, taken));
        }
        let sub = self.uuid();
        let user_name = match self.alias_of(username) {
            Some(alias) => {
                attributes.insert(alias, username.into());
                sub.clone()
            }
            None => username.to_owned(),
        };
        Ok((sub, user_name))
    }

    /// The attribute `username` is, when the pool signs users in with it.
    fn alias_of(&self, username: &str) -> Option<String> {
        let attribute = if username.contains('@') {
            "email"
        } else if username.starts_with('+') {
            "phone_number"
        } else {
            return None;
        };
        self.pool
            .username_attributes
            .iter()
            .any(|a| a == attribute)
            .then(|| attribute.to_owned())
    }

    fn uuid(&mut self) -> String {
        let hex = self.next("uuid");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    fn code(&mut self) -> String {
        let hex = self.next("code");
        format!(
            "{:06}",
            u64::from_str_radix(&hex[..12], 16).unwrap_or_default() % 1_000_000
        )
    }

    fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.{}.amazonaws.com/{}",
            self.region, self.pool_id
        )
    }

    /// Creates the unknown user `username` through the migration trigger.
    /// What a password sign-in of an unknown user gets. A client that
    /// prevents user existence errors runs pre authentication with
    /// `userNotFound` (the guide's pre authentication page) and answers as
    /// for a wrong password; another says the user does not exist, in
    /// Cognito's words for a pool with or without a migration trigger.
    async fn unknown_at_sign_in(
        &mut self,
        username: &str,
        client_id: &str,
        metadata: Option<Map<String, Value>>,
    ) -> CognitoError {
        if self.reported(client_id, true).is_none() {
            let message = if self.has(Trigger::UserMigration) {
                format!("Exception migrating user in app client {client_id}")
            } else {
                "User does not exist.".to_owned()
            };
            return CognitoError::new(code::USER_NOT_FOUND, message);
        }
        let caller = Caller {
            client_id,
            user_name: Some(username),
        };
        let called = self
            .call(
                Trigger::PreAuthentication,
                PreAuthenticationSource::Authentication.as_str(),
                &caller,
                |_| events::pre_authentication(&Map::new(), Some(true), metadata.as_ref()),
            )
            .await;
        called.err().unwrap_or_else(not_authorized)
    }

    /// Creates the unknown user `username` through the migration trigger:
    /// its index, or `None` without a trigger or when it answers with no
    /// user. A trigger's error is the call's, as Cognito shows it
    /// (`UserMigration failed with error …`).
    async fn migrate(
        &mut self,
        username: &str,
        password: Option<&str>,
        source: UserMigrationSource,
        metadata: Option<Map<String, Value>>,
    ) -> Result<Option<usize>, CognitoError> {
        let client_id = self.client_id().to_owned();
        let caller = Caller {
            client_id: &client_id,
            user_name: Some(username),
        };
        // A sign-in's `ClientMetadata` arrives as `validationData`; a
        // forgot-password request's as `clientMetadata` (the API reference
        // of InitiateAuth and ForgotPassword).
        let forgot = source == UserMigrationSource::ForgotPassword;
        let (validation, metadata) = if forgot {
            (None, metadata)
        } else {
            (metadata, None)
        };
        let Some(response) = self
            .call(Trigger::UserMigration, source.as_str(), &caller, |_| {
                events::user_migration(password, validation.as_ref(), metadata.as_ref())
            })
            .await?
        else {
            return Ok(None);
        };
        if !response["userAttributes"].is_object() {
            return Ok(None);
        }
        let status = match response["finalUserStatus"].as_str() {
            Some("RESET_REQUIRED") => UserStatus::ResetRequired,
            _ if forgot => UserStatus::ResetRequired,
            _ => UserStatus::Confirmed,
        };
        let mut user = User::new(username.to_owned(), Map::new(), status);
        user.attributes.insert("sub".into(), self.uuid().into());
        user.attributes
            .extend(strings_of(&response["userAttributes"]));
        if let Some(alias) = self.alias_of(username) {
            user.attributes
                .entry(alias)
                .or_insert_with(|| username.into());
            user.user_name = user.attributes["sub"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
        }
        user.password = password.map(str::to_owned);
        self.users.push(user);
        Ok(Some(self.users.len() - 1))
    }

    async fn post_confirmation(
        &mut self,
        index: usize,
        source: PostConfirmationSource,
        caller: &Caller<'_>,
    ) -> Result<(), CognitoError> {
        let (attributes, metadata) = (self.event_attributes(index), self.client_metadata.clone());
        self.call(Trigger::PostConfirmation, source.as_str(), caller, |_| {
            events::post_confirmation(&attributes, metadata.as_ref())
        })
        .await
        .map(drop)
    }

    /// Marks the attribute a sign-up code went to verified.
    fn verify_destination(&mut self, index: usize) {
        if let Some((medium, _)) = self.destination(index, None) {
            let attribute = match medium {
                Medium::Email => "email_verified",
                Medium::Sms => "phone_number_verified",
            };
            self.users[index]
                .attributes
                .insert(attribute.into(), "true".into());
        }
    }

    /// Where a message of the user goes: `medium`'s attribute, else the
    /// first auto-verified attribute the user has.
    fn destination(&self, index: usize, medium: Option<Medium>) -> Option<(Medium, String)> {
        let user = &self.users[index];
        let of = |attribute: &str| match attribute {
            "email" => Medium::Email,
            _ => Medium::Sms,
        };
        let attribute = match medium {
            Some(Medium::Email) => "email".to_owned(),
            Some(Medium::Sms) => "phone_number".to_owned(),
            None => self
                .pool
                .auto_verified
                .iter()
                .find(|a| user.attributes.contains_key(a.as_str()))
                .cloned()?,
        };
        Some((of(&attribute), user.attribute(&attribute)?.to_owned()))
    }

    /// Sends a new code for `purpose`; where it went.
    async fn send_code(
        &mut self,
        index: usize,
        purpose: Purpose,
        reason: Reason,
        caller: &Caller<'_>,
    ) -> Result<Option<(Medium, String)>, CognitoError> {
        let medium = match &purpose {
            Purpose::Attribute(attribute) if attribute == "email" => Some(Medium::Email),
            Purpose::Attribute(_) => Some(Medium::Sms),
            _ => None,
        };
        let code = self.code();
        self.users[index].codes.retain(|(p, _)| p != &purpose);
        self.users[index].codes.push((purpose, code.clone()));
        self.deliver(index, medium, reason, code, caller).await
    }

    /// Delivers `code` to the user by `medium` (else where the pool sends
    /// codes): through the custom sender of the medium, else with the text
    /// of the custom message trigger, else Cognito's own.
    async fn deliver(
        &mut self,
        index: usize,
        medium: Option<Medium>,
        reason: Reason,
        code: String,
        caller: &Caller<'_>,
    ) -> Result<Option<(Medium, String)>, CognitoError> {
        let medium = medium.or_else(|| {
            let user = &self.users[index];
            (reason.message == CustomMessageSource::AdminCreateUser).then(|| {
                if user.attributes.contains_key("email") {
                    Medium::Email
                } else {
                    Medium::Sms
                }
            })
        });
        let Some((medium, to)) = self.destination(index, medium) else {
            return Ok(None);
        };
        let attributes = self.event_attributes(index);
        let metadata = self.client_metadata.clone();
        let (sender, sender_source) = match medium {
            Medium::Email => (Trigger::CustomEmailSender, reason.email.as_str().to_owned()),
            Medium::Sms => (Trigger::CustomSMSSender, reason.sms.as_str().to_owned()),
        };
        let reason_name = reason
            .message
            .as_str()
            .trim_start_matches("CustomMessage_")
            .to_owned();
        if self.has(sender) {
            let sealed = self.seal(&code).await;
            // The sources whose senders' events carry the app's metadata.
            let forwards = matches!(
                reason_name.as_str(),
                "SignUp" | "ForgotPassword" | "Authentication"
            );
            let request = events::custom_sender(
                medium == Medium::Sms,
                Some(&sealed),
                &attributes,
                SenderMetadata::Forwarded(if forwards { metadata.as_ref() } else { None }),
            );
            self.send(sender, &sender_source, caller, request).await;
            self.messages.push(Message {
                reason: reason_name,
                medium,
                to: to.clone(),
                subject: None,
                body: None,
                code: Some(code),
            });
            return Ok(Some((medium, to)));
        }
        let invitation = reason.message == CustomMessageSource::AdminCreateUser;
        // The custom message trigger gets the app's metadata except for
        // invitations and MFA codes.
        let forwards = !invitation && reason.message != CustomMessageSource::Authentication;
        let response = self
            .call(
                Trigger::CustomMessage,
                reason.message.as_str(),
                caller,
                |_| {
                    events::custom_message(
                        &attributes,
                        invitation,
                        if forwards { metadata.as_ref() } else { None },
                    )
                },
            )
            .await?
            .unwrap_or_default();
        let user_name = self.users[index].user_name.clone();
        let fill = |text: &str| {
            text.replace(events::CODE_PARAMETER, &code)
                .replace(events::USERNAME_PARAMETER, &user_name)
        };
        let (subject, body) = match medium {
            Medium::Email => {
                let body = response["emailMessage"].as_str().filter(|m| !m.is_empty());
                let subject = response["emailSubject"].as_str().filter(|s| !s.is_empty());
                match body {
                    Some(body) => (subject.map(fill), fill(body)),
                    None if invitation => (
                        Some("Your temporary password".to_owned()),
                        fill("Your username is {username} and temporary password is {####}."),
                    ),
                    None => (
                        Some("Your verification code".to_owned()),
                        fill("Your verification code is {####}."),
                    ),
                }
            }
            Medium::Sms => match response["smsMessage"].as_str().filter(|m| !m.is_empty()) {
                Some(text) => (None, fill(text)),
                None if invitation => (
                    None,
                    fill("Your username is {username} and temporary password is {####}."),
                ),
                None => (None, fill("Your verification code is {####}.")),
            },
        };
        self.messages.push(Message {
            reason: reason_name,
            medium,
            to: to.clone(),
            subject,
            body: Some(body),
            code: Some(code),
        });
        Ok(Some((medium, to)))
    }

    /// The code as Cognito gives it to a custom sender: an AWS Encryption
    /// SDK message under the pool's KMS key, base64.
    #[cfg(feature = "decrypt")]
    async fn seal(&mut self, code: &str) -> String {
        let Some((kms, key_arn)) = &self.kms else {
            panic!(
                "pool {:?} has a custom sender: give the driver a local KMS and key to encrypt codes with, as Cognito does with the pool's key: `.local_kms(endpoint, key_arn)` (moto, for instance)",
                self.pool.name
            );
        };
        crate::testing::seal::encrypt_code(kms, key_arn, &self.pool_id, code)
            .await
            .unwrap_or_else(|error| panic!("cannot encrypt the code with {key_arn}: {error}"))
    }

    #[cfg(not(feature = "decrypt"))]
    async fn seal(&mut self, _code: &str) -> String {
        panic!(
            "pool {:?} has a custom sender: enable cognito-trigger's `decrypt` feature in the tests and give the driver a local KMS with `.local_kms(endpoint, key_arn)`",
            self.pool.name
        )
    }

    fn open_session(
        &mut self,
        index: usize,
        challenge: &str,
        parameters: Map<String, Value>,
        source: TokenGenerationSource,
    ) -> Challenge {
        let id = self.next("session");
        let client_id = self.client_id().to_owned();
        let expires = tokio::time::Instant::now() + self.session_validity(&client_id);
        let mut parameters = parameters;
        parameters.insert(
            "USERNAME".into(),
            self.users[index].user_name.clone().into(),
        );
        self.sessions.insert(
            id.clone(),
            Session {
                user: index,
                client_id,
                challenge: challenge.to_owned(),
                history: Vec::new(),
                private: Value::Null,
                user_not_found: false,
                expires,
                source,
            },
        );
        Challenge {
            name: challenge.to_owned(),
            parameters,
            session: id,
        }
    }

    /// Tokens at the end of a sign-in: post authentication, then pre token
    /// generation, the order of the guide's table of federated sign-ins and
    /// of cognito-local (the guide states no order for the others).
    async fn issue(
        &mut self,
        index: usize,
        client_id: &str,
        source: TokenGenerationSource,
        metadata: Option<Map<String, Value>>,
    ) -> Result<Tokens, CognitoError> {
        let user_name = self.users[index].user_name.clone();
        let caller = Caller {
            client_id,
            user_name: Some(&user_name),
        };
        let attributes = self.event_attributes(index);
        self.call(
            Trigger::PostAuthentication,
            PostAuthenticationSource::Authentication.as_str(),
            &caller,
            |_| events::post_authentication(&attributes, false, metadata.as_ref()),
        )
        .await?;
        let tokens = self.tokens(index, client_id, source, metadata).await?;
        Ok(self.keep_refresh_token(index, tokens))
    }

    fn keep_refresh_token(&mut self, index: usize, mut tokens: Tokens) -> Tokens {
        let refresh_token = self.next("refresh");
        self.refresh_tokens
            .insert(refresh_token.clone(), self.users[index].user_name.clone());
        tokens.refresh_token = Some(refresh_token);
        tokens
    }

    /// The user's tokens, through the pre token generation trigger.
    async fn tokens(
        &mut self,
        index: usize,
        client_id: &str,
        source: TokenGenerationSource,
        metadata: Option<Map<String, Value>>,
    ) -> Result<Tokens, CognitoError> {
        let attributes = self.event_attributes(index);
        let user = &self.users[index];
        let user_name = user.user_name.clone();
        let groups = tokens::group_configuration(&user.groups, &self.pool.groups);
        let scopes = vec!["aws.cognito.signin.user.admin".to_owned()];
        let event_id = self.uuid();
        let base = tokens::Base {
            issuer: self.issuer(),
            client_id,
            user_name: &user_name,
            attributes: &self.users[index].attributes,
            group_configuration: &groups,
            scopes: &scopes,
            auth_time: now_seconds(),
            event_id,
        };
        let (mut id, mut access) = tokens::user_tokens(&base);
        let version = self.version_of(Trigger::PreTokenGeneration);
        let caller = Caller {
            client_id,
            user_name: Some(&user_name),
        };
        let response = self
            .call(
                Trigger::PreTokenGeneration,
                source.as_str(),
                &caller,
                |version| {
                    events::token_generation(
                        version,
                        &attributes,
                        groups.clone(),
                        &scopes,
                        metadata.as_ref(),
                    )
                },
            )
            .await?;
        if let Some(response) = response {
            tokens::apply(version, &response, &mut id, &mut access);
        }
        Ok(Tokens {
            id_token: id,
            access_token: access,
            refresh_token: None,
        })
    }
}

fn mismatch() -> CognitoError {
    CognitoError::new(
        code::CODE_MISMATCH,
        "Invalid verification code provided, please try again.",
    )
}
