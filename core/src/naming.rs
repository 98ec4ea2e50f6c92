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
