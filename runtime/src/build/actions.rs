//! The Cognito user pool actions a function may be granted with
//! `pool_access`, stated once, from the Cognito API model (botocore 1.35.99's
//! `cognito-idp` 2016-04-18 `service-2.json`, as moto pins it): the
//! operations signed with IAM credentials that take a `UserPoolId` or the
//! pool's ARN, each of which the Service Authorization Reference ("Actions,
//! resources, and condition keys for Amazon Cognito User Pools") scopes to
//! the `userpool` resource type. An action Cognito adds later is added here.

use super::workspace::wildcard;
use cognito_trigger_core::suggest::{Quoted, hint};

/// The IAM service prefix of Cognito user pools.
pub const SERVICE: &str = "cognito-idp";

/// Actions on one user pool, which a grant can scope to that pool's ARN.
pub const ON_ONE_POOL: [&str; 79] = [
    "AddCustomAttributes",
    "AdminAddUserToGroup",
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminDeleteUser",
    "AdminDeleteUserAttributes",
    "AdminDisableProviderForUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminForgetDevice",
    "AdminGetDevice",
    "AdminGetUser",
    "AdminInitiateAuth",
    "AdminLinkProviderForUser",
    "AdminListDevices",
    "AdminListGroupsForUser",
    "AdminListUserAuthEvents",
    "AdminRemoveUserFromGroup",
    "AdminResetUserPassword",
    "AdminRespondToAuthChallenge",
    "AdminSetUserMFAPreference",
    "AdminSetUserPassword",
    "AdminSetUserSettings",
    "AdminUpdateAuthEventFeedback",
    "AdminUpdateDeviceStatus",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "CreateGroup",
    "CreateIdentityProvider",
    "CreateManagedLoginBranding",
    "CreateResourceServer",
    "CreateUserImportJob",
    "CreateUserPoolClient",
    "CreateUserPoolDomain",
    "DeleteGroup",
    "DeleteIdentityProvider",
    "DeleteManagedLoginBranding",
    "DeleteResourceServer",
    "DeleteUserPool",
    "DeleteUserPoolClient",
    "DeleteUserPoolDomain",
    "DescribeIdentityProvider",
    "DescribeManagedLoginBranding",
    "DescribeManagedLoginBrandingByClient",
    "DescribeResourceServer",
    "DescribeRiskConfiguration",
    "DescribeUserImportJob",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "GetCSVHeader",
    "GetGroup",
    "GetIdentityProviderByIdentifier",
    "GetLogDeliveryConfiguration",
    "GetSigningCertificate",
    "GetUICustomization",
    "GetUserPoolMfaConfig",
    "ListGroups",
    "ListIdentityProviders",
    "ListResourceServers",
    "ListTagsForResource",
    "ListUserImportJobs",
    "ListUserPoolClients",
    "ListUsers",
    "ListUsersInGroup",
    "SetLogDeliveryConfiguration",
    "SetRiskConfiguration",
    "SetUICustomization",
    "SetUserPoolMfaConfig",
    "StartUserImportJob",
    "StopUserImportJob",
    "TagResource",
    "UntagResource",
    "UpdateGroup",
    "UpdateIdentityProvider",
    "UpdateManagedLoginBranding",
    "UpdateResourceServer",
    "UpdateUserPool",
    "UpdateUserPoolClient",
    "UpdateUserPoolDomain",
];

/// Operations a user's tokens (or no credentials at all) authorise, not IAM:
/// a role needs no grant to call them.
pub const NOT_IAM: [&str; 31] = [
    "AssociateSoftwareToken",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "ForgotPassword",
    "GetDevice",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "SetUserSettings",
    "SignUp",
    "StartWebAuthnRegistration",
    "UpdateAuthEventFeedback",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

/// IAM actions that act on no one pool, with the reason.
pub const NOT_ON_A_POOL: [(&str, &str); 3] = [
    (
        "CreateUserPool",
        "it creates a pool, and a trigger's role acts only on the pools it serves",
    ),
    (
        "ListUserPools",
        "it lists every pool of the account and region, and IAM can scope it to none",
    ),
    (
        "DescribeUserPoolDomain",
        "it takes a domain, not a pool, and IAM can scope it to none",
    ),
];

/// The action `given` names (`AdminAddUserToGroup` or
/// `cognito-idp:AdminAddUserToGroup`), if a function may be granted it on
/// its pools; else why not, and what to write instead.
pub fn on_one_pool(given: &str) -> Result<&'static str, String> {
    // IAM reads action names without regard to case.
    let name = match given.split_once(':') {
        None => given,
        Some((service, name)) if service.eq_ignore_ascii_case(SERVICE) => name,
        Some(_) => {
            return Err(format!(
                "`{given}` is not a Cognito user pool action: `pool_access` grants `{SERVICE}:` actions on the function's own pools; grant other services' actions with `policy_statements`"
            ));
        }
    };
    if let Some(action) = ON_ONE_POOL.iter().find(|a| a.eq_ignore_ascii_case(name)) {
        return Ok(action);
    }
    if name.contains(['*', '?']) {
        let matched: Vec<&str> = ON_ONE_POOL
            .iter()
            .copied()
            .filter(|a| wildcard(name.as_bytes(), a.as_bytes()))
            .collect();
        return Err(format!(
            "`{given}` is a wildcard, and `pool_access` takes none: a wildcard also grants every action Cognito adds later. Name the actions the function calls{}",
            match &matched[..] {
                [] => String::new(),
                some => format!(
                    " (it matches {} of today's: {})",
                    some.len(),
                    some.join(", ")
                ),
            }
        ));
    }
    if NOT_IAM.contains(&name) {
        return Err(format!(
            "`{name}` is authorised by a user's tokens (or by none), not by IAM: the function's role needs no grant to call it"
        ));
    }
    if let Some((_, reason)) = NOT_ON_A_POOL.iter().find(|(action, _)| *action == name) {
        return Err(format!(
            "`{name}` acts on no one user pool ({reason}): if the function needs it, grant it with `policy_statements`"
        ));
    }
    Err(format!(
        "`{given}` is not a Cognito user pool action: {}",
        hint(
            name,
            &ON_ONE_POOL,
            Quoted::Value,
            "the actions on a pool are"
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_on_a_pool_is_granted_by_either_name() {
        assert_eq!(
            on_one_pool("AdminAddUserToGroup"),
            Ok("AdminAddUserToGroup")
        );
        assert_eq!(
            on_one_pool("cognito-idp:AdminLinkProviderForUser"),
            Ok("AdminLinkProviderForUser")
        );
        assert_eq!(
            on_one_pool("Cognito-IDP:adminlinkproviderforuser"),
            Ok("AdminLinkProviderForUser")
        );
    }

    #[test]
    fn every_other_action_is_refused_with_the_reason() {
        let refused = |given: &str| on_one_pool(given).unwrap_err();
        assert!(refused("AdminAddUserToGrup").ends_with("did you mean \"AdminAddUserToGroup\"?"));
        assert!(refused("ListUserPools").contains("acts on no one user pool"));
        assert!(refused("DescribeUserPoolDomain").contains("takes a domain"));
        assert!(refused("SignUp").contains("not by IAM"));
        assert!(refused("s3:GetObject").contains("`policy_statements`"));
        let wildcard = refused("cognito-idp:AdminList*");
        assert!(
            wildcard.contains("takes none")
                && wildcard
                    .contains("AdminListDevices, AdminListGroupsForUser, AdminListUserAuthEvents"),
            "{wildcard}"
        );
    }

    #[test]
    fn the_lists_do_not_overlap() {
        for action in ON_ONE_POOL {
            assert!(!NOT_IAM.contains(&action), "{action}");
            assert!(!NOT_ON_A_POOL.iter().any(|(a, _)| *a == action), "{action}");
        }
    }
}
