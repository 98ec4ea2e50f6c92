//! The documented limits on what the template generates from the user's
//! input (pool, binary, client and package names), each stated once with its
//! source, and the two ways to keep within them: a shortened value that is
//! deterministic and still says what it stands for, or a build error naming
//! what to change.
//!
//! Physical names (`FunctionName`, `RoleName`, `LogGroupName`, `QueueName`)
//! are deliberately left unset: CloudFormation then generates each from the
//! stack name and the logical ID, trimmed to the service's limit (64
//! characters for a role or a function, 80 for a queue, 512 for a log
//! group), so no input can overflow them; it always generates a
//! permission's statement ID. Pool names (`UserPoolName`, 128 characters)
//! are checked with the declarations (`cognito_trigger_core::valid`).
//!
//! "Resource schema" below is the property's CloudFormation registry
//! schema, which cfn-lint checks.

/// A Lambda function's `Description`: at most 256 characters (resource
/// schema of `AWS::Lambda::Function`; cfn-lint E3033).
pub const LAMBDA_DESCRIPTION: usize = 256;

/// A resource's or an output's logical ID: ASCII letters and digits, at
/// most 255 characters (CloudFormation quotas, "Resource name" and "Output
/// name"; cfn-lint E3001).
pub const LOGICAL_ID: usize = 255;

/// An output's `Export.Name`. CloudFormation refuses one "longer than 256
/// characters" (its ValidationError); the AWS CDK keeps to 255
/// (aws/aws-cdk#11909), and so does this crate.
pub const EXPORT_NAME: usize = 255;

/// A stack name: at most 128 characters (CloudFormation quotas). Export
/// names start with it, and it is only known at deploy time.
pub const STACK_NAME: usize = 128;

/// The template's `Description`: at most 1,024 bytes (CloudFormation quotas).
pub const TEMPLATE_DESCRIPTION_BYTES: usize = 1024;

/// An output's `Description`: at most 1,024 characters (CloudFormation API
/// reference, Output).
pub const OUTPUT_DESCRIPTION: usize = 1024;

/// A user pool client's `ClientName`: 1 to 128 characters of
/// `[\w\s+=,.@-]` (resource schema of `AWS::Cognito::UserPoolClient`).
pub const CLIENT_NAME: usize = 128;

/// Resources in one template (CloudFormation quotas; cfn-lint E3010).
pub const RESOURCES: usize = 500;

/// Outputs in one template (CloudFormation quotas; cfn-lint E6010).
pub const OUTPUTS: usize = 200;

/// A template's body, uploaded to S3 by `aws cloudformation package` or
/// `sam deploy`: 1 MB (CloudFormation quotas; cfn-lint E1002 counts
/// 1,000,000 bytes).
pub const TEMPLATE_BYTES: usize = 1_000_000;

/// A function's environment variables, names and values together: 4 KB
/// (Lambda quotas).
pub const ENVIRONMENT_BYTES: usize = 4096;

/// Hex digits of the hash that keeps shortened names distinct.
const HASH_DIGITS: usize = 8;

/// Marks text cut short.
const ELLIPSIS: &str = "...";

/// `id`, or, when longer than `max`, its beginning and its end around a hash
/// of the whole: the same ID always gives the same result, different IDs
/// give different ones, and both ends still say what it is (the pool or
/// function it starts with, the `Arn` or `Id` it ends with). `id` is ASCII,
/// as logical IDs and export names are.
pub fn fit_id(id: &str, max: usize) -> String {
    if id.len() <= max {
        return id.to_owned();
    }
    let kept = max - HASH_DIGITS;
    let head = &id[..kept.div_ceil(2)];
    let tail = &id[id.len() - kept / 2..];
    format!("{head}{:08X}{tail}", fnv1a(id.as_bytes()) as u32)
}

/// `items` joined by ", " and followed by `tail`, in at most `max`
/// characters: as many items as fit, then "and N more". Only a `tail` too
/// long for even one item is cut, at a character boundary.
pub fn list_within(items: &[String], tail: &str, max: usize) -> String {
    let text = |shown: usize| {
        let mut text = items[..shown].join(", ");
        if shown < items.len() {
            text.push_str(&format!(" and {} more", items.len() - shown));
        }
        text + tail
    };
    (1..=items.len())
        .rev()
        .map(text)
        .find(|text| text.chars().count() <= max)
        .unwrap_or_else(|| cut_chars(&text(items.len().min(1)), max))
}

/// `text`, or its first characters and "..." in `max` characters.
pub fn cut_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max - ELLIPSIS.len()).collect();
    kept + ELLIPSIS
}

/// `text`, or its first characters and "..." in `max` bytes, never cutting a
/// character in two.
pub fn cut_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max - ELLIPSIS.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ELLIPSIS}", &text[..end])
}

/// Why `name` cannot be a `ClientName`, if it cannot.
pub fn client_name_problem(name: &str) -> Option<String> {
    let length = name.chars().count();
    if length == 0 {
        return Some("the client name is empty: name the client".into());
    }
    if length > CLIENT_NAME {
        return Some(format!(
            "the client name is {length} characters long, and Cognito's ClientName takes at most {CLIENT_NAME}: shorten it by {}",
            length - CLIENT_NAME
        ));
    }
    // Cognito's pattern, with Java's ASCII `\w`.
    let allowed = |c: char| {
        c.is_ascii_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
    };
    name.chars().find(|c| !allowed(*c)).map(|bad| {
        format!(
            "the client name contains {bad:?}: a client name may contain only letters, digits, `_`, spaces and `+ = , . @ -`"
        )
    })
}

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_within_the_limit_are_kept() {
        let id = "A".repeat(LOGICAL_ID);
        assert_eq!(fit_id(&id, LOGICAL_ID), id);
    }

    #[test]
    fn long_ids_keep_their_beginning_and_stay_distinct() {
        let a = format!("PreSignUpPermission{}", "A".repeat(300));
        let b = format!("PreSignUpPermission{}", "A".repeat(301));
        let (fit_a, fit_b) = (fit_id(&a, LOGICAL_ID), fit_id(&b, LOGICAL_ID));
        assert_eq!(fit_a.len(), LOGICAL_ID);
        assert_eq!(fit_b.len(), LOGICAL_ID);
        assert!(fit_a.starts_with("PreSignUpPermission"));
        assert!(fit_a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(fit_a, fit_b);
        // The same ID, the same result: templates stay byte-for-byte stable.
        assert_eq!(fit_id(&a, LOGICAL_ID), fit_a);
        assert_eq!(
            &fit_a[124..132],
            "9C95F885",
            "FNV-1a of the whole ID, checked independently"
        );
    }

    #[test]
    fn lists_end_with_how_many_more() {
        let items: Vec<String> = (1..=40).map(|i| format!("PreSignUp on Pool{i}")).collect();
        let tail = " (fn screen in src/main.rs)";
        let text = list_within(&items, tail, LAMBDA_DESCRIPTION);
        assert!(text.chars().count() <= LAMBDA_DESCRIPTION, "{text}");
        assert!(text.starts_with("PreSignUp on Pool1, PreSignUp on Pool2, "));
        let shown = text.matches("PreSignUp on").count();
        assert!(
            text.ends_with(&format!(" and {} more{tail}", 40 - shown)),
            "{text}"
        );
        assert_eq!(list_within(&items, tail, LAMBDA_DESCRIPTION), text);
        // A list that fits is whole.
        assert_eq!(
            list_within(&items[..2], tail, LAMBDA_DESCRIPTION),
            format!("PreSignUp on Pool1, PreSignUp on Pool2{tail}")
        );
    }

    #[test]
    fn a_tail_too_long_is_cut_at_a_character() {
        let items = vec![
            "PreSignUp on Pool".to_owned(),
            "PostConfirmation on Pool".to_owned(),
        ];
        let tail = format!(" (fn é in src/bin/{}.rs)", "é".repeat(300));
        let text = list_within(&items, &tail, LAMBDA_DESCRIPTION);
        assert_eq!(text.chars().count(), LAMBDA_DESCRIPTION);
        assert!(text.starts_with("PreSignUp on Pool and 1 more (fn é in src/bin/éé"));
        assert!(text.ends_with("é..."));
    }

    #[test]
    fn bytes_are_cut_between_characters() {
        let text = "é".repeat(TEMPLATE_DESCRIPTION_BYTES);
        let cut = cut_bytes(&text, TEMPLATE_DESCRIPTION_BYTES);
        assert!(cut.len() <= TEMPLATE_DESCRIPTION_BYTES);
        assert_eq!(
            cut.len(),
            TEMPLATE_DESCRIPTION_BYTES - 1,
            "one byte short of a whole é"
        );
        assert!(cut.ends_with("é..."));
        assert_eq!(cut_bytes("short", TEMPLATE_DESCRIPTION_BYTES), "short");
    }

    #[test]
    fn client_names_follow_cognito() {
        assert_eq!(client_name_problem("web app, v2.1 @home+=-_"), None);
        assert_eq!(client_name_problem(&"c".repeat(CLIENT_NAME)), None);
        let long = client_name_problem(&"c".repeat(CLIENT_NAME + 3)).unwrap();
        assert!(
            long.contains("131 characters") && long.contains("shorten it by 3"),
            "{long}"
        );
        assert!(client_name_problem("").unwrap().contains("empty"));
        assert!(client_name_problem("web/app").unwrap().contains("'/'"));
    }
}
