//! "Did you mean" suggestions for misspelled keys and names.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
/// Case, `_` and `-` are ignored first, so `kmsKeyId` finds `kms_key_id` and
/// `customSmsSender` finds `CustomSMSSender`; an unambiguous prefix counts too.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggest(input, candidates.into_iter().collect(), false)
}

/// [`did_you_mean`] for names whose first word says which kind they are, as
/// the triggers' (`Pre…`, `Post…`, `Custom…`): a candidate sharing the
/// input's first word is the closer kin however the rest is spelt, so
/// `PostSignUp` finds `PostConfirmation`, not `PreSignUp`. A lone word
/// (`Post`) shares nothing more, and is left to the edits.
pub fn did_you_mean_kin<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggest(input, candidates.into_iter().collect(), true)
}

/// How a message quotes names: keys and identifiers in backticks
/// (`memory_size`), string values in double quotes ("email").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoted {
    /// `` `name` ``.
    Key,
    /// `"name"`.
    Value,
}

impl Quoted {
    /// `name`, quoted.
    pub fn quote(self, name: &str) -> String {
        match self {
            Quoted::Key => format!("`{name}`"),
            Quoted::Value => format!("\"{name}\""),
        }
    }

    /// `names`, quoted and separated by commas; `none` for none.
    pub fn list(self, names: &[&str]) -> String {
        if names.is_empty() {
            return "none".into();
        }
        names
            .iter()
            .map(|name| self.quote(name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What to say after an unknown `input`: "did you mean `close`?" when one
/// of `known` is likely what was meant ([`did_you_mean`]), else `listing`
/// followed by every one of `known` ("expected one of `a`, `b`").
pub fn hint(input: &str, known: &[&str], quoted: Quoted, listing: &str) -> String {
    say(
        did_you_mean(input, known.iter().copied()),
        known,
        quoted,
        listing,
    )
}

/// [`hint`] for names whose first word says which kind they are
/// ([`did_you_mean_kin`]), as the triggers'.
pub fn hint_kin(input: &str, known: &[&str], quoted: Quoted, listing: &str) -> String {
    say(
        did_you_mean_kin(input, known.iter().copied()),
        known,
        quoted,
        listing,
    )
}

fn say(close: Option<&str>, known: &[&str], quoted: Quoted, listing: &str) -> String {
    match close {
        Some(close) => format!("did you mean {}?", quoted.quote(close)),
        None => format!("{listing} {}", quoted.list(known)),
    }
}

fn suggest<'a>(input: &str, candidates: Vec<&'a str>, by_first_word: bool) -> Option<&'a str> {
    let wanted = fold(input);
    // A truncated name (`PostConfirm`) is a likely slip even when far in edits.
    let prefixed: Vec<_> = candidates
        .iter()
        .filter(|c| wanted.len() >= 4 && fold(c).starts_with(&wanted))
        .collect();
    if let [only] = prefixed[..] {
        return Some(only);
    }
    let (first, rest) = first_word(input);
    if by_first_word && !rest.is_empty() {
        let kin = candidates
            .iter()
            .copied()
            .filter(|c| first_word(c).0.eq_ignore_ascii_case(first));
        if let Some((_, candidate)) = closest(&wanted, kin) {
            return Some(candidate);
        }
    }
    let (distance, candidate) = closest(&wanted, candidates)?;
    let limit = (wanted.len() / 3).max(1);
    (distance <= limit).then_some(candidate)
}

/// The candidate fewest edits from `wanted` (the first of equals), with its distance.
fn closest<'a>(
    wanted: &[char],
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<(usize, &'a str)> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(wanted, &fold(candidate));
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best
}

/// A name's first word and what follows it: words end at `_`, `-` or a
/// lower-case letter followed by a capital (`kmsKeyId`, `kms_key_id`).
fn first_word(name: &str) -> (&str, &str) {
    let end = name
        .char_indices()
        .skip(1)
        .find(|&(i, c)| {
            c == '_' || c == '-' || (c.is_uppercase() && name[..i].ends_with(char::is_lowercase))
        })
        .map_or(name.len(), |(i, _)| i);
    (&name[..end], name[end..].trim_start_matches(['_', '-']))
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
    use super::{Quoted, did_you_mean, did_you_mean_kin, hint};

    #[test]
    fn a_hint_names_the_likely_one_or_lists_them_all() {
        let known = ["memory_size", "timeout"];
        assert_eq!(
            hint("memory", &known, Quoted::Key, "expected one of"),
            "did you mean `memory_size`?"
        );
        assert_eq!(
            hint("colour", &known, Quoted::Key, "expected one of"),
            "expected one of `memory_size`, `timeout`"
        );
        assert_eq!(
            hint(
                "emial",
                &["email", "phone_number"],
                Quoted::Value,
                "expected one of"
            ),
            "did you mean \"email\"?"
        );
        assert_eq!(
            hint("MyPool", &[], Quoted::Value, "the pools are"),
            "the pools are none"
        );
    }

    const TRIGGERS: [&str; 6] = [
        "PreSignUp",
        "PostConfirmation",
        "PreAuthentication",
        "PostAuthentication",
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
    fn a_shared_first_word_outranks_fewer_edits_in_kinds() {
        assert_eq!(
            did_you_mean_kin("PostSignUp", TRIGGERS),
            Some("PostConfirmation")
        );
        assert_eq!(
            did_you_mean_kin("post_sign_up", TRIGGERS),
            Some("PostConfirmation")
        );
        assert_eq!(
            did_you_mean_kin("PostAuth", TRIGGERS),
            Some("PostAuthentication")
        );
        // Typos are found as by `did_you_mean`.
        assert_eq!(did_you_mean_kin("PreSingUp", TRIGGERS), Some("PreSignUp"));
        assert_eq!(
            did_you_mean_kin("CustomSmsSender", TRIGGERS),
            Some("CustomSMSSender")
        );
        // A first word alone is not enough to choose.
        assert_eq!(did_you_mean_kin("Post", TRIGGERS), None);
        // Other names' first words mean nothing: edits alone decide.
        assert_eq!(did_you_mean("PostSignUp", TRIGGERS), Some("PreSignUp"));
        assert_eq!(did_you_mean("MyAdminPool", ["MyUserPool1"]), None);
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("Banana", TRIGGERS), None);
        assert_eq!(did_you_mean("x", ["pool"]), None);
    }
}
