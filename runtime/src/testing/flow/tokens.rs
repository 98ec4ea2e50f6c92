//! The tokens a flow ends with, as their decoded claims, and how Cognito
//! applies a pre token generation answer to them.

use super::package::GroupSpec;
use cognito_trigger_core::trigger::LambdaVersion;
use serde_json::{Map, Value, json};

/// A token's claims, decoded. The driver signs nothing: a test reads the
/// claims an app would read after verifying the token.
pub type Claims = Map<String, Value>;

/// The tokens of a completed sign-in (or refresh, or client credentials grant).
#[derive(Clone, Debug, PartialEq)]
pub struct Tokens {
    /// The ID token's claims; empty for client credentials, which get none.
    pub id_token: Claims,
    /// The access token's claims.
    pub access_token: Claims,
    /// Refreshes these tokens ([`Cognito::refresh`](super::Cognito::refresh));
    /// `None` for client credentials.
    pub refresh_token: Option<String>,
}

impl Tokens {
    /// The access token's scopes, from its `scope` claim.
    pub fn scopes(&self) -> Vec<&str> {
        self.access_token
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The groups in the ID token's `cognito:groups`.
    pub fn groups(&self) -> Vec<&str> {
        self.id_token
            .get("cognito:groups")
            .and_then(Value::as_array)
            .map(|groups| groups.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// Claims a trigger cannot add, change or suppress: Cognito keeps its own
/// values and drops the change without an error (the guide's list for
/// V1_0, which cognito-local filters the same way, and the access token's
/// own claims; `cognito:` claims but the groups likewise).
pub(crate) const RESERVED: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "auth_time",
    "azp",
    "at_hash",
    "client_id",
    "cognito:username",
    "event_id",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    "username",
    "version",
    "device_key",
];

/// The groups of a user as a token request describes them
/// (`groupConfiguration`): names, their roles, the role of the group with
/// the lowest precedence.
pub(crate) fn group_configuration(groups: &[String], known: &[GroupSpec]) -> Value {
    let specs: Vec<&GroupSpec> = groups
        .iter()
        .filter_map(|g| known.iter().find(|k| &k.name == g))
        .collect();
    let roles: Vec<&str> = specs.iter().filter_map(|g| g.role_arn.as_deref()).collect();
    let preferred = specs
        .iter()
        .filter(|g| g.role_arn.is_some())
        .min_by_key(|g| g.precedence.unwrap_or(i64::MAX))
        .and_then(|g| g.role_arn.clone());
    json!({
        "groupsToOverride": groups,
        "iamRolesToOverride": roles,
        "preferredRole": preferred,
    })
}

/// What the tokens hold before a trigger changes them.
pub(crate) struct Base<'a> {
    pub issuer: String,
    pub client_id: &'a str,
    pub user_name: &'a str,
    /// The user's attributes: the ID token carries them.
    pub attributes: &'a Map<String, Value>,
    pub group_configuration: &'a Value,
    pub scopes: &'a [String],
    pub auth_time: u64,
    pub event_id: String,
}

/// The tokens of a user, as Cognito issues them without a trigger.
pub(crate) fn user_tokens(base: &Base) -> (Claims, Claims) {
    let now = base.auth_time;
    let mut id = Claims::new();
    for (name, value) in base.attributes {
        // Status is the pool's business; a password is never an attribute.
        if name != "cognito:user_status" {
            id.insert(name.clone(), value.clone());
        }
    }
    let common = json!({
        "iss": base.issuer,
        "origin_jti": format!("{}-origin", base.event_id),
        "event_id": base.event_id,
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
        "jti": format!("{}-jti", base.event_id),
    });
    let mut access = Claims::new();
    access.insert(
        "sub".into(),
        base.attributes.get("sub").cloned().unwrap_or_default(),
    );
    for (name, value) in common.as_object().expect("an object") {
        id.insert(name.clone(), value.clone());
        access.insert(name.clone(), value.clone());
    }
    id.insert("aud".into(), base.client_id.into());
    id.insert("cognito:username".into(), base.user_name.into());
    id.insert("token_use".into(), "id".into());
    access.insert("client_id".into(), base.client_id.into());
    access.insert("token_use".into(), "access".into());
    access.insert("scope".into(), base.scopes.join(" ").into());
    access.insert("username".into(), base.user_name.into());
    access.insert("version".into(), 2.into());
    set_groups(&mut id, &mut access, base.group_configuration);
    (id, access)
}

/// Sets `cognito:groups` (both tokens) and the ID token's roles.
fn set_groups(id: &mut Claims, access: &mut Claims, configuration: &Value) {
    for claims in [&mut *id, &mut *access] {
        claims.remove("cognito:groups");
    }
    id.remove("cognito:roles");
    id.remove("cognito:preferred_role");
    let groups = &configuration["groupsToOverride"];
    if groups.as_array().is_some_and(|g| !g.is_empty()) {
        id.insert("cognito:groups".into(), groups.clone());
        access.insert("cognito:groups".into(), groups.clone());
    }
    if let Some(roles) = configuration["iamRolesToOverride"]
        .as_array()
        .filter(|r| !r.is_empty())
    {
        id.insert("cognito:roles".into(), Value::Array(roles.clone()));
    }
    if let Some(role) = configuration["preferredRole"].as_str() {
        id.insert("cognito:preferred_role".into(), role.into());
    }
}

/// Applies a pre token generation answer's `response` to the tokens, as
/// Cognito does for the event's version: V1_0 changes the ID token (and
/// both tokens' groups); V2_0 and V3_0 also the access token and its scopes.
/// A change to a reserved claim is dropped.
pub(crate) fn apply(
    version: Option<LambdaVersion>,
    response: &Value,
    id: &mut Claims,
    access: &mut Claims,
) {
    let (id_changes, access_changes, groups) = match version {
        Some(LambdaVersion::V2_0 | LambdaVersion::V3_0) => {
            let details = &response["claimsAndScopeOverrideDetails"];
            (
                &details["idTokenGeneration"],
                Some(&details["accessTokenGeneration"]),
                &details["groupOverrideDetails"],
            )
        }
        _ => {
            let details = &response["claimsOverrideDetails"];
            (details, None, &details["groupOverrideDetails"])
        }
    };
    if groups.is_object() {
        set_groups(id, access, groups);
    }
    change_claims(id, id_changes);
    if let Some(changes) = access_changes {
        change_claims(access, changes);
        let mut scopes: Vec<String> = access
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        for scope in strings(&changes["scopesToAdd"]) {
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        let suppressed = strings(&changes["scopesToSuppress"]);
        scopes.retain(|s| !suppressed.contains(s));
        access.insert("scope".into(), scopes.join(" ").into());
    }
}

fn change_claims(claims: &mut Claims, changes: &Value) {
    let changeable = |claim: &str| {
        !RESERVED.contains(&claim) && (!claim.starts_with("cognito:") || claim == "cognito:groups")
    };
    if let Some(added) = changes["claimsToAddOrOverride"].as_object() {
        for (name, value) in added.iter().filter(|(name, _)| changeable(name)) {
            claims.insert(name.clone(), value.clone());
        }
    }
    // After the additions: a claim both replaced and suppressed is suppressed.
    for name in strings(&changes["claimsToSuppress"]) {
        if changeable(&name) {
            claims.remove(&name);
        }
    }
}

/// The strings of a JSON array; none for anything else.
pub(crate) fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
