//! The CloudFormation logical IDs of a pool and of a function, which the
//! package checks (and so the macro) and the build step share; the build
//! step makes its other logical IDs from them, in its `ids` module. The
//! pool's follows the Serverless Framework, so the seeds' overrides
//! (`CognitoUserPoolMyUserPool`) address the same resources here. Also how a
//! declaration refers to an existing pool.

use crate::arn;

/// `CognitoUserPool` + the pool name with everything but ASCII letters and
/// digits removed and the first letter upper-cased (the Serverless
/// Framework's `normalizeNameToAlphaNumericOnly`).
pub fn pool_logical_id(pool: &str) -> String {
    let kept: String = pool.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("CognitoUserPool{}", upper_first(&kept))
}

/// The prefix of the resources generated for binary `bin`: its name in
/// UpperCamelCase (`pre_sign_up` and `pre-sign-up` give `PreSignUp`).
pub fn function_base(bin: &str) -> String {
    bin.split(|c: char| !c.is_ascii_alphanumeric())
        .map(upper_first)
        .collect()
}

/// The logical ID of the Lambda function built from binary `bin`.
pub fn function_logical_id(bin: &str) -> String {
    format!("{}LambdaFunction", function_base(bin))
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// How a declaration names an existing pool.
#[derive(Debug, PartialEq, Eq)]
pub enum PoolReference<'a> {
    /// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`
    Arn {
        /// The pool ID, the ARN's last part.
        id: &'a str,
    },
    /// `<region>_<suffix>`, e.g. `us-east-1_AbC123`: unambiguous.
    Id(&'a str),
    /// Anything else: a name, which need not be unique in an account.
    Name(&'a str),
}

/// Reads a declaration's pool by the rules of [`arn`]. A malformed ARN reads
/// as a name; validation refuses it (`:` is not in a pool name).
pub fn pool_reference(pool: &str) -> PoolReference<'_> {
    if let Ok(id) = arn::user_pool_id(pool) {
        PoolReference::Arn { id }
    } else if arn::is_pool_id(pool) {
        PoolReference::Id(pool)
    } else {
        PoolReference::Name(pool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_follow_the_serverless_framework() {
        assert_eq!(pool_logical_id("MyUserPool"), "CognitoUserPoolMyUserPool");
        assert_eq!(
            pool_logical_id("us-east-1_v123sDAS1"),
            "CognitoUserPoolUseast1v123sDAS1"
        );
        assert_eq!(
            pool_logical_id("legacy-user-pool"),
            "CognitoUserPoolLegacyuserpool"
        );
    }

    #[test]
    fn functions_are_upper_camel_case() {
        assert_eq!(
            function_logical_id("pre_sign_up"),
            "PreSignUpLambdaFunction"
        );
        assert_eq!(function_base("pre-sign-up"), "PreSignUp");
        assert_eq!(function_base("example2"), "Example2");
        assert_eq!(function_base("a__b"), "AB");
    }

    #[test]
    fn ids_arns_and_names() {
        assert_eq!(
            pool_reference("us-east-1_AbC123"),
            PoolReference::Id("us-east-1_AbC123")
        );
        assert_eq!(
            pool_reference("arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_X1"),
            PoolReference::Arn { id: "eu-west-1_X1" }
        );
        assert_eq!(
            pool_reference("legacy-user-pool"),
            PoolReference::Name("legacy-user-pool")
        );
        for name in ["MyUserPool", "my_pool", "prod_users", "my-user-pool_v2"] {
            assert_eq!(pool_reference(name), PoolReference::Name(name));
        }
        // Not an ARN: read as a name, which validation refuses.
        let malformed = "arn:aws:cognito-idp:eu-west-1:1111:userpool/eu-west-1_X1";
        assert_eq!(pool_reference(malformed), PoolReference::Name(malformed));
    }
}
