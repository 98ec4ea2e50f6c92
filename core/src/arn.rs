//! The one reading of the AWS identifiers a declaration may hold: user pool
//! IDs and ARNs, and KMS key ARNs, with one rule for partitions and regions.

/// The partitions and the first words of their regions' names: a region is
/// `<first words>-<lower-case word>-<number>`, as the AWS SDKs' `partitions.json`
/// matches them (`aws`: `^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`, ...).
const PARTITIONS: [(&str, &[&str]); 8] = [
    (
        "aws",
        &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
    ),
    ("aws-cn", &["cn"]),
    ("aws-us-gov", &["us-gov"]),
    ("aws-iso", &["us-iso"]),
    ("aws-iso-b", &["us-isob"]),
    ("aws-iso-e", &["eu-isoe"]),
    ("aws-iso-f", &["us-isof"]),
    ("aws-eusc", &["eusc-de"]),
];

/// Cognito's limit on a `UserPoolId` (pattern `[\w-]+_[0-9a-zA-Z]+`).
const POOL_ID_MAX: usize = 55;

/// The form of a user pool ARN, for messages.
pub const POOL_ARN_FORM: &str = "arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>";

/// The partition of `region` (`us-east-1`, `cn-north-1`, `us-gov-west-1`), or
/// `None` if it is not shaped like a region of a known partition.
pub fn partition_of(region: &str) -> Option<&'static str> {
    let (rest, number) = region.rsplit_once('-')?;
    let (first, word) = rest.rsplit_once('-')?;
    let shaped = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_lowercase());
    if !shaped {
        return None;
    }
    PARTITIONS
        .iter()
        .find(|(_, firsts)| firsts.contains(&first))
        .map(|(partition, _)| *partition)
}

/// Whether `id` is a user pool ID, `<region>_<letters and digits>` such as
/// `us-east-1_AbCdEf123`. A name such as `my_pool` or `prod_users` is not:
/// what comes before the `_` must be a region.
pub fn is_pool_id(id: &str) -> bool {
    id.len() <= POOL_ID_MAX
        && id.split_once('_').is_some_and(|(region, suffix)| {
            partition_of(region).is_some()
                && !suffix.is_empty()
                && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// The parts of `arn:<partition>:<service>:<region>:<account>:<resource>`.
struct Arn<'a> {
    region: &'a str,
    resource: &'a str,
}

/// Splits `arn` and checks its partition, service, region and account.
fn parse<'a>(arn: &'a str, service: &str) -> Result<Arn<'a>, String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, found_service, region, account, resource] = parts[..] else {
        return Err(format!(
            "`{arn}` does not have the six `:`-separated parts of an ARN"
        ));
    };
    if prefix != "arn" {
        return Err(format!("it starts with `{prefix}`, not `arn`"));
    }
    if !PARTITIONS.iter().any(|(known, _)| *known == partition) {
        let known: Vec<&str> = PARTITIONS.iter().map(|(p, _)| *p).collect();
        return Err(format!(
            "`{partition}` is not an AWS partition ({})",
            known.join(", ")
        ));
    }
    if found_service != service {
        return Err(format!("the service is `{found_service}`, not `{service}`"));
    }
    match partition_of(region) {
        None => return Err(format!("`{region}` is not a region, such as `us-east-1`")),
        Some(of_region) if of_region != partition => {
            return Err(format!(
                "the region `{region}` is in partition `{of_region}`, not `{partition}`"
            ));
        }
        Some(_) => {}
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the account `{account}` is not 12 digits"));
    }
    Ok(Arn { region, resource })
}

/// The pool ID of a user pool ARN,
/// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<region>_<id>`;
/// the error says what is wrong and the form expected.
pub fn user_pool_id(arn: &str) -> Result<&str, String> {
    let problem = match parse(arn, "cognito-idp") {
        Ok(parts) => match parts.resource.strip_prefix("userpool/") {
            Some(id)
                if is_pool_id(id) && id.split_once('_').is_some_and(|(r, _)| r == parts.region) =>
            {
                return Ok(id);
            }
            Some(id) => format!("`{id}` is not a pool ID of region `{}`", parts.region),
            None => format!("the resource `{}` is not `userpool/<id>`", parts.resource),
        },
        Err(problem) => problem,
    };
    Err(format!(
        "malformed user pool ARN: {problem}; expected `{POOL_ARN_FORM}`"
    ))
}

/// Checks a KMS key ARN, `arn:<partition>:kms:<region>:<account>:key/<key-id>`,
/// and gives its region. An alias ARN is refused: IAM matches only key ARNs
/// in a policy's `Resource`, so the function's role could not decrypt with
/// the key.
pub fn kms_key(arn: &str) -> Result<&str, String> {
    let parts = parse(arn, "kms").map_err(|problem| format!("malformed KMS key ARN: {problem}"))?;
    let (kind, id) = parts
        .resource
        .split_once('/')
        .unwrap_or((parts.resource, ""));
    match kind {
        "key" if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
            Ok(parts.region)
        }
        "key" => Err(format!("malformed KMS key ARN: `{id}` is not a key ID")),
        "alias" => Err(format!(
            "`alias/{id}` is an alias: the pool's KMSKeyID and the role's `kms:Decrypt` need the key's own ARN (IAM does not match alias ARNs)"
        )),
        _ => Err(format!(
            "malformed KMS key ARN: the resource `{}` is not `key/<key-id>`",
            parts.resource
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_belong_to_one_partition() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("ap-southeast-7", "aws"),
            ("mx-central-1", "aws"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(partition_of(region), Some(partition), "{region}");
        }
        for not_a_region in [
            "",
            "us-east",
            "us-east-",
            "my-pool-1",
            "US-EAST-1",
            "us-East-1",
            "xx-east-1",
            "prod",
        ] {
            assert_eq!(partition_of(not_a_region), None, "{not_a_region}");
        }
    }

    #[test]
    fn pool_ids_start_with_a_region_and_names_do_not() {
        for id in [
            "us-east-1_AbCdEf123",
            "eu-west-1_X1",
            "us-gov-west-1_abc",
            "cn-north-1_0",
        ] {
            assert!(is_pool_id(id), "{id}");
        }
        for name in [
            "MyUserPool",
            "my_pool",
            "prod_users",
            "my-user-pool_v2",
            "legacy-user-pool",
            "us-east-1_",
            "us-east-1_Ab-C",
            "us-east-1_Ab_C",
            "xx-east-1_AbC",
        ] {
            assert!(!is_pool_id(name), "{name}");
        }
        let longest = format!("us-east-1_{}", "a".repeat(POOL_ID_MAX - 10));
        assert!(is_pool_id(&longest));
        assert!(!is_pool_id(&format!("{longest}a")));
    }

    #[test]
    fn pool_arns_name_a_pool_of_their_region() {
        assert_eq!(
            user_pool_id("arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123"),
            Ok("eu-west-1_AbC123")
        );
        assert_eq!(
            user_pool_id(
                "arn:aws-us-gov:cognito-idp:us-gov-west-1:111111111111:userpool/us-gov-west-1_A"
            ),
            Ok("us-gov-west-1_A")
        );
        for (arn, problem) in [
            (
                "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/us-east-1_AbC",
                "not a pool ID of region `eu-west-1`",
            ),
            (
                "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/AbC123",
                "`AbC123` is not a pool ID",
            ),
            (
                "arn:aws:cognito-idp:eu-west-1:1111:userpool/eu-west-1_A",
                "12 digits",
            ),
            (
                "arn:aws-cn:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_A",
                "in partition `aws`, not `aws-cn`",
            ),
            (
                "arn:azure:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_A",
                "not an AWS partition",
            ),
            (
                "arn:aws:cognito-idp:eu-west-1:111111111111:group/eu-west-1_A",
                "not `userpool/<id>`",
            ),
        ] {
            let error = user_pool_id(arn).unwrap_err();
            assert!(error.contains(problem), "{arn}: {error}");
            assert!(
                error.ends_with(&format!("expected `{POOL_ARN_FORM}`")),
                "{error}"
            );
        }
    }

    #[test]
    fn kms_keys_are_key_arns() {
        assert_eq!(
            kms_key("arn:aws:kms:us-east-1:123456789012:key/12345678-9abc-def0-1234-56789abcdef1"),
            Ok("us-east-1")
        );
        assert_eq!(
            kms_key("arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd"),
            Ok("cn-north-1")
        );
        for (arn, problem) in [
            (
                "arn:aws:kms:us-east-1:123456789012:alias/my-key",
                "`alias/my-key` is an alias",
            ),
            ("arn:aws:kms:us-east-1:1234:key/x", "12 digits"),
            ("arn:aws:s3:us-east-1:123456789012:key/x", "`s3`"),
            ("12345678-9abc", "six"),
            ("arn:aws:kms:us-east-1:123456789012:bucket/x", "`bucket/x`"),
            ("arn:aws:kms:us-east-1:123456789012:key/", "not a key ID"),
            (
                "arn:aws:kms:cn-north-1:123456789012:key/k",
                "partition `aws-cn`",
            ),
        ] {
            let error = kms_key(arn).unwrap_err();
            assert!(error.contains(problem), "{arn}: {error}");
        }
    }
}
