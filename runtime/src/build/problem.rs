//! The build step's one error type: a problem in Cargo.toml, the overrides
//! file or the template as a whole, with the key path it concerns and, once
//! located in its file, the line and column, rendered like rustc's messages.
//!
//! Readers record a problem by key path as they walk the parsed values;
//! [`locate_toml`] and [`locate_yaml`] then find each path in the file's text,
//! so no reader needs spans of its own.

use std::fmt;

/// The file a problem is in, as messages name it (relative to the package).
pub(crate) const CARGO_TOML: &str = "Cargo.toml";

/// One problem, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `None` for the merged template as a whole.
    pub file: Option<String>,
    /// The keys from the file's root to the offending entry.
    pub path: Vec<String>,
    /// Whether the key itself is wrong (unknown, misspelt) or its value.
    pub on: On,
    /// What is wrong, and how to fix it.
    pub message: String,
    /// Found once the file is read, by the key path.
    pub at: Option<Position>,
}

/// Which part of an entry a problem points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// The key is unknown or misplaced.
    Key,
    /// The key is right; its value is not.
    Value,
}

/// A place in a file, with the text of its line for the snippet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The whole line, shown under the message.
    pub line_text: String,
}

impl Problem {
    /// A problem with the value at `path` in `file`.
    pub(crate) fn new(
        file: impl Into<String>,
        path: Vec<String>,
        message: impl fmt::Display,
    ) -> Self {
        Self {
            file: Some(file.into()),
            path,
            on: On::Value,
            message: message.to_string(),
            at: None,
        }
    }

    /// A problem with the key at `path` itself.
    pub(crate) fn on_key(
        file: impl Into<String>,
        path: Vec<String>,
        message: impl fmt::Display,
    ) -> Self {
        Self {
            on: On::Key,
            ..Self::new(file, path, message)
        }
    }

    /// A problem with the merged template at `path`, in no one file.
    pub(crate) fn in_template(path: Vec<String>, message: impl fmt::Display) -> Self {
        Self {
            file: None,
            ..Self::new("", path, message)
        }
    }

    /// A problem with no key path (a file that cannot be read or parsed).
    pub(crate) fn in_file(file: impl Into<String>, message: impl fmt::Display) -> Self {
        Self::new(file, Vec::new(), message)
    }

    /// This problem, at byte `offset` of `text` (its file's content).
    pub(crate) fn at_offset(mut self, text: &str, offset: usize) -> Self {
        self.at = Some(position_of_byte(text, offset));
        self
    }

    /// This problem, at `line` and `column` (both 1-based) of `text`.
    pub(crate) fn at_line(mut self, text: &str, line: usize, column: usize) -> Self {
        self.at = Some(position_of_line(text, line, column.saturating_sub(1)));
        self
    }

    /// The path as TOML or YAML would write it: `a.b."My Pool".c`.
    pub fn dotted_path(&self) -> String {
        let parts: Vec<String> = self.path.iter().map(|p| quoted_key(p)).collect();
        parts.join(".")
    }

    /// `file:line:column: path: message` on one line, as cargo shows a build
    /// script's errors and as editors and CI annotations read them.
    pub fn one_line(&self) -> String {
        let mut line = String::new();
        match (&self.file, &self.at) {
            (Some(file), Some(at)) => line.push_str(&format!("{file}:{}:{}: ", at.line, at.column)),
            (Some(file), None) => line.push_str(&format!("{file}: ")),
            (None, _) => line.push_str("template: "),
        }
        if !self.path.is_empty() {
            line.push_str(&self.dotted_path());
            line.push_str(": ");
        }
        line.push_str(&self.message.replace('\n', " "));
        line
    }
}

/// The one-line form, then, when the problem was located, the line of the
/// file with a caret under the column, as rustc shows it.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.one_line())?;
        if let Some(at) = &self.at {
            let number = at.line.to_string();
            let gutter = " ".repeat(number.len());
            let indent: String = at
                .line_text
                .chars()
                .take(at.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{gutter} |\n{number} | {}\n{gutter} | {indent}^",
                at.line_text
            )?;
        }
        Ok(())
    }
}

/// A key as TOML writes it in a dotted path: bare when it can be.
pub(crate) fn quoted_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    {
        key.to_owned()
    } else {
        format!("\"{key}\"")
    }
}

/// The position of byte `offset` in `text`.
fn position_of_byte(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    Position {
        line: text[..line_start].matches('\n').count() + 1,
        column: text[line_start..offset].chars().count() + 1,
        line_text: text[line_start..line_end].trim_end_matches('\r').to_owned(),
    }
}

/// The position of line `line` (1-based), column `column` (0-based, in
/// characters) in `text`, as YAML parsers count.
fn position_of_line(text: &str, line: usize, column: usize) -> Position {
    let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    Position {
        line,
        column: column + 1,
        line_text: line_text.trim_end_matches('\r').to_owned(),
    }
}

/// Locates each problem of `file` in the TOML `text`: at the deepest key of
/// its path that the file has, on the key or on the value as the problem
/// says. A problem whose path is empty stays where its reader put it.
pub(crate) fn locate_toml(problems: &mut [Problem], file: &str, text: &str) {
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return;
    };
    for problem in problems
        .iter_mut()
        .filter(|p| p.file.as_deref() == Some(file) && p.at.is_none())
    {
        let mut table = document.get_ref();
        let mut found = None;
        for (depth, key) in problem.path.iter().enumerate() {
            let Some((spanned_key, value)) = table.get_key_value(key.as_str()) else {
                break;
            };
            let last = depth + 1 == problem.path.len();
            found = Some(if last && problem.on == On::Value {
                value.span().start
            } else {
                spanned_key.span().start
            });
            match value.get_ref().as_table() {
                Some(inner) if !last => table = inner,
                _ => break,
            }
        }
        if let Some(offset) = found {
            problem.at = Some(position_of_byte(text, offset));
        }
    }
}

/// A YAML file's text with its parsed nodes, to find key paths in.
pub(crate) struct YamlPositions<'a> {
    text: &'a str,
    root: Option<saphyr::MarkedYaml<'a>>,
}

impl<'a> YamlPositions<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        use saphyr::LoadableYamlNode;
        let root = saphyr::MarkedYaml::load_from_str(text)
            .ok()
            .and_then(|documents| documents.into_iter().next());
        Self { text, root }
    }

    /// Where `path` is, or its deepest part that the file has; and whether
    /// the whole path is there. A segment `[n]` indexes a list.
    pub(crate) fn find(&self, path: &[String], on: On) -> (Option<Position>, bool) {
        let Some(mut node) = self.root.as_ref() else {
            return (None, false);
        };
        let mut found = None;
        for (depth, key) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            let (key_node, value) = if let Some(entries) = node.data.as_mapping() {
                match entries
                    .iter()
                    .find(|(k, _)| k.data.as_str() == Some(key.as_str()))
                {
                    Some((k, v)) => (k, v),
                    None => return (found, false),
                }
            } else if let (Some(items), Some(index)) = (node.data.as_sequence(), list_index(key)) {
                match items.get(index) {
                    Some(item) => (item, item),
                    None => return (found, false),
                }
            } else {
                return (found, false);
            };
            let marker = if last && on == On::Value {
                value.span.start
            } else {
                key_node.span.start
            };
            found = Some(position_of_line(self.text, marker.line(), marker.col()));
            node = value;
        }
        (found, true)
    }
}

fn list_index(segment: &str) -> Option<usize> {
    segment.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// Locates each problem of `file` in the YAML `text`, as [`locate_toml`] does.
pub(crate) fn locate_yaml(problems: &mut [Problem], file: &str, text: &str) {
    let positions = YamlPositions::new(text);
    for problem in problems
        .iter_mut()
        .filter(|p| p.file.as_deref() == Some(file) && p.at.is_none())
    {
        problem.at = positions.find(&problem.path, problem.on).0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn locates_keys_and_values_in_toml() {
        let text = "[package]\nname = \"p\"\n\n[package.metadata.cognito-trigger]\nmemory = 256\n\n[package.metadata.cognito-trigger.pools.\"My Pool\"]\nusername_attributes = [\"emial\"]\n";
        let mut problems = vec![
            Problem::on_key(
                CARGO_TOML,
                path(&["package", "metadata", "cognito-trigger", "memory"]),
                "unknown key",
            ),
            Problem::new(
                CARGO_TOML,
                path(&[
                    "package",
                    "metadata",
                    "cognito-trigger",
                    "pools",
                    "My Pool",
                    "username_attributes",
                ]),
                "\"emial\" is not allowed",
            ),
        ];
        locate_toml(&mut problems, CARGO_TOML, text);
        assert_eq!(
            problems[0].one_line(),
            "Cargo.toml:5:1: package.metadata.cognito-trigger.memory: unknown key"
        );
        assert_eq!(
            problems[1].to_string(),
            "Cargo.toml:8:23: package.metadata.cognito-trigger.pools.\"My Pool\".username_attributes: \"emial\" is not allowed\n  |\n8 | username_attributes = [\"emial\"]\n  |                       ^"
        );
    }

    #[test]
    fn locates_keys_and_values_in_yaml() {
        let text = "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      LambdaConfig: null\n";
        let mut problems = vec![
            Problem::new(
                "o.yaml",
                path(&["Resources", "Pool", "Properties", "LambdaConfig"]),
                "would drop",
            ),
            Problem::on_key("o.yaml", path(&["Resources", "Pool", "Type"]), "cannot"),
        ];
        locate_yaml(&mut problems, "o.yaml", text);
        assert_eq!(
            problems[0].one_line(),
            "o.yaml:5:21: Resources.Pool.Properties.LambdaConfig: would drop"
        );
        assert_eq!(
            problems[1].one_line(),
            "o.yaml:3:5: Resources.Pool.Type: cannot"
        );
    }

    #[test]
    fn a_missing_key_points_at_its_deepest_present_parent() {
        let text = "[package]\nname = \"p\"\n";
        let mut problems = vec![Problem::new(
            CARGO_TOML,
            path(&["package", "metadata", "x"]),
            "m",
        )];
        locate_toml(&mut problems, CARGO_TOML, text);
        assert_eq!(problems[0].at.as_ref().map(|a| a.line), Some(1));
        let mut unlocated = vec![Problem::in_template(path(&["Resources", "A"]), "m")];
        locate_toml(&mut unlocated, CARGO_TOML, text);
        assert_eq!(unlocated[0].one_line(), "template: Resources.A: m");
    }
}
