//! CloudFormation YAML: written from a [`Node`] (intrinsic functions in their
//! long form, `Fn::GetAtt: [...]`, which every tool reads), and read into one
//! for the user's overrides, short forms (`!GetAtt`, `!Ref`, `!Sub`) included.

use super::node::{Map, Node};
use saphyr::{LoadableYamlNode, Scalar, Yaml};

/// The template as YAML, two-space indented, ending in a newline.
pub fn to_yaml(root: &Map) -> String {
    let mut out = String::new();
    write_map(&mut out, root, 0);
    out
}

fn write_map(out: &mut String, map: &Map, indent: usize) {
    for (key, value) in map.iter() {
        push_indent(out, indent);
        out.push_str(&scalar_text(key, false));
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes what follows `key:` or `-`.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2);
        }
        Node::List(items) if !items.is_empty() && !is_flow(items) => {
            out.push('\n');
            write_list(out, items, indent + 2);
        }
        _ => {
            out.push(' ');
            out.push_str(&inline(value, false));
            out.push('\n');
        }
    }
}

fn write_list(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push('-');
        match item {
            // `- Key: value` with the rest of the map aligned under `Key`.
            Node::Map(map) if !map.is_empty() => {
                let mut entries = map.iter();
                if let Some((key, value)) = entries.next() {
                    out.push(' ');
                    out.push_str(&scalar_text(key, false));
                    out.push(':');
                    write_value(out, value, indent + 2);
                }
                for (key, value) in entries {
                    push_indent(out, indent + 2);
                    out.push_str(&scalar_text(key, false));
                    out.push(':');
                    write_value(out, value, indent + 2);
                }
            }
            _ => write_value(out, item, indent),
        }
    }
}

/// Short lists of scalars are written `[a, b]`.
fn is_flow(items: &[Node]) -> bool {
    items
        .iter()
        .all(|i| !matches!(i, Node::List(_) | Node::Map(_)))
        && items
            .iter()
            .map(|i| inline(i, true).len() + 2)
            .sum::<usize>()
            <= 60
}

/// A value on one line; `in_flow` inside `[...]` or `{...}`.
fn inline(value: &Node, in_flow: bool) -> String {
    match value {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.clone(),
        Node::String(s) => scalar_text(s, in_flow),
        Node::List(items) => {
            let items: Vec<_> = items.iter().map(|i| inline(i, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(map) => {
            let entries: Vec<_> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar_text(k, true), inline(v, true)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A string plain when YAML reads it back as the same string, else in
/// double quotes (JSON escaping is valid YAML).
fn scalar_text(text: &str, in_flow: bool) -> String {
    if is_plain(text, in_flow) {
        text.to_owned()
    } else {
        serde_json::to_string(text).expect("strings serialize")
    }
}

fn is_plain(text: &str, in_flow: bool) -> bool {
    const RESERVED: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c) || (c == ':' && !in_flow))
        && !text.ends_with(':')
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// The CloudFormation intrinsic functions that have a YAML short form.
const INTRINSICS: [&str; 20] = [
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "Ref",
    "Condition",
    "ToJsonString",
    "Length",
];

/// Reads a YAML document into a map; an empty document is an empty map.
pub fn from_yaml(text: &str) -> Result<Map, String> {
    let documents = Yaml::load_from_str(text).map_err(|error| error.to_string())?;
    match documents.as_slice() {
        [] => Ok(Map::new()),
        [document] => match convert(document)? {
            Node::Map(map) => Ok(map),
            Node::Null => Ok(Map::new()),
            _ => Err("expected a mapping at the top level".into()),
        },
        _ => Err("expected one YAML document, found several".into()),
    }
}

fn convert(yaml: &Yaml) -> Result<Node, String> {
    Ok(match yaml {
        Yaml::Value(scalar) => match scalar {
            Scalar::Null => Node::Null,
            Scalar::Boolean(b) => Node::Bool(*b),
            Scalar::Integer(i) => Node::Number(i.to_string()),
            Scalar::FloatingPoint(f) => Node::Number(f.to_string()),
            Scalar::String(s) => Node::String(s.to_string()),
        },
        Yaml::Representation(text, _, _) => Node::String(text.to_string()),
        Yaml::Sequence(items) => Node::List(items.iter().map(convert).collect::<Result<_, _>>()?),
        Yaml::Mapping(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = match convert(key)? {
                    Node::String(s) | Node::Number(s) => s,
                    Node::Bool(b) => b.to_string(),
                    _ => return Err("a mapping key must be a scalar".into()),
                };
                map.insert(key, convert(value)?);
            }
            Node::Map(map)
        }
        Yaml::Tagged(tag, inner) => intrinsic(&tag.handle, &tag.suffix, convert(inner)?)?,
        Yaml::Alias(_) => return Err("YAML aliases are not supported in a template".into()),
        Yaml::BadValue => return Err("a value does not match its YAML tag".into()),
    })
}

/// `!GetAtt a.b` → `{"Fn::GetAtt": ["a", "b"]}`, `!Ref x` → `{"Ref": "x"}`.
fn intrinsic(handle: &str, name: &str, value: Node) -> Result<Node, String> {
    if handle != "!" || !INTRINSICS.contains(&name) {
        return Err(format!(
            "unknown tag `{handle}{name}`: CloudFormation's short forms are {}",
            INTRINSICS.map(|i| format!("!{i}")).join(", ")
        ));
    }
    let value = match (name, value) {
        ("GetAtt", Node::String(dotted)) => match dotted.split_once('.') {
            Some((resource, attribute)) => vec![resource, attribute].into(),
            None => return Err(format!("`!GetAtt {dotted}` needs `Resource.Attribute`")),
        },
        (_, value) => value,
    };
    let key = match name {
        "Ref" | "Condition" => name.to_owned(),
        _ => format!("Fn::{name}"),
    };
    Ok(Map::new().with(key, value).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::node::get_att;

    #[test]
    fn writes_block_yaml_with_flow_lists() {
        let template = Map::new()
            .with("AWSTemplateFormatVersion", "2010-09-09")
            .with(
                "Resources",
                Map::new().with(
                    "Fn",
                    Map::new()
                        .with("Type", "AWS::Lambda::Function")
                        .with("Arn", get_att("Fn", "Arn"))
                        .with("Empty", Map::new())
                        .with(
                            "Items",
                            vec![Node::from(Map::new().with("A", "yes").with("B", 1u32))],
                        ),
                ),
            );
        assert_eq!(
            to_yaml(&template),
            r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Arn:
      Fn::GetAtt: [Fn, Arn]
    Empty: {}
    Items:
      - A: "yes"
        B: 1
"#
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let template = Map::new().with(
            "Resources",
            Map::new().with(
                "A",
                Map::new()
                    .with("Text", "it's: \"quoted\"\nnewline")
                    .with("Number", Node::Number("0.5".into()))
                    .with("Null", Node::Null)
                    .with("List", vec!["x", "true", "-1", "a b"]),
            ),
        );
        assert_eq!(from_yaml(&to_yaml(&template)).unwrap(), template);
    }

    #[test]
    fn reads_short_form_intrinsics() {
        let map = from_yaml("A: !GetAtt Key.Arn\nB: !Ref Pool\nC: !Sub 'arn:${AWS::Partition}'\n")
            .unwrap();
        assert_eq!(map.get("A"), Some(&get_att("Key", "Arn")));
        assert_eq!(map.get("B"), Some(&Map::new().with("Ref", "Pool").into()));
        assert_eq!(
            map.get("C"),
            Some(&Map::new().with("Fn::Sub", "arn:${AWS::Partition}").into())
        );
        assert!(
            from_yaml("A: !Bogus x")
                .unwrap_err()
                .contains("unknown tag `!Bogus`")
        );
        assert!(
            from_yaml("A: 1\nA: 2\n").is_err(),
            "duplicate keys are refused"
        );
    }
}
