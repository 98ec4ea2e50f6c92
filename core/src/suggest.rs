//! "Did you mean" suggestions for misspelled keys and names.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
/// Case, `_` and `-` are ignored first, so `kmsKeyId` finds `kms_key_id` and
/// `customSmsSender` finds `CustomSMSSender`; an unambiguous prefix counts too.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = fold(input);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A truncated name (`PostConfirm`) is a likely slip even when far in edits.
    let prefixed: Vec<_> = candidates
        .iter()
        .filter(|c| wanted.len() >= 4 && fold(c).starts_with(&wanted))
        .collect();
    if let [only] = prefixed[..] {
        return Some(only);
    }
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&wanted, &fold(candidate));
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    let limit = (wanted.len() / 3).max(1);
    (distance <= limit).then_some(candidate)
}

fn fold(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance with adjacent transpositions counting as one edit.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut before_previous = vec![0; b.len() + 1];
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before_previous[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    const TRIGGERS: [&str; 4] = [
        "PreSignUp",
        "PostConfirmation",
        "CustomSMSSender",
        "CustomMessage",
    ];

    #[test]
    fn finds_typos_and_other_spellings() {
        assert_eq!(did_you_mean("PreSignup", TRIGGERS), Some("PreSignUp"));
        assert_eq!(did_you_mean("PreSingUp", TRIGGERS), Some("PreSignUp"));
        assert_eq!(did_you_mean("pre_sign_up", TRIGGERS), Some("PreSignUp"));
        assert_eq!(
            did_you_mean("CustomSmsSender", TRIGGERS),
            Some("CustomSMSSender")
        );
        assert_eq!(
            did_you_mean("PostConfirm", TRIGGERS),
            Some("PostConfirmation")
        );
        assert_eq!(
            did_you_mean("kmsKeyId", ["kms_key_id", "pool"]),
            Some("kms_key_id")
        );
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("Banana", TRIGGERS), None);
        assert_eq!(did_you_mean("x", ["pool"]), None);
    }
}
