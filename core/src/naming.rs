//! CloudFormation logical IDs of the generated resources. The pool's follows
//! the Serverless Framework, so the seeds' overrides (`CognitoUserPoolMyUserPool`)
//! address the same resources here.

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
}

/// How a declaration names an existing pool.
#[derive(Debug, PartialEq, Eq)]
pub enum PoolReference<'a> {
    /// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`
    Arn { id: &'a str },
    /// `<region>_<suffix>`, e.g. `us-east-1_AbC123`: unambiguous.
    Id(&'a str),
    /// Anything else: a name, which need not be unique in an account.
    Name(&'a str),
}

pub fn pool_reference(pool: &str) -> PoolReference<'_> {
    if let Some(id) = pool
        .strip_prefix("arn:")
        .and_then(|rest| rest.rsplit_once(":userpool/"))
        .map(|(_, id)| id)
    {
        return PoolReference::Arn { id };
    }
    let is_id = pool.split_once('_').is_some_and(|(region, suffix)| {
        region.split('-').count() >= 3
            && region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !suffix.is_empty()
            && suffix.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if is_id {
        PoolReference::Id(pool)
    } else {
        PoolReference::Name(pool)
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

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
        assert_eq!(pool_reference("my_pool"), PoolReference::Name("my_pool"));
    }
}
