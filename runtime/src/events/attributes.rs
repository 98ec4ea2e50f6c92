//! The string maps of the events: user attributes, client metadata,
//! validation data, challenge parameters and V1_0 claims.

use super::json::Field;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

/// Names to string values: user attributes, client metadata, validation
/// data, challenge parameters, V1_0 claims.
///
/// Cognito documents these maps as strings to strings, but events also
/// carry other JSON in them: `"email_verified": false` (Cognito itself has
/// sent booleans in user attributes; the aws_lambda_events and AWS guide test
/// events do), numbers, `null`. Every value is accepted, and the map reads as
/// the `BTreeMap<String, String>` it derefs to, a string view of the values:
///
/// - a string is itself;
/// - `true` and `false` read as `"true"` and `"false"`;
/// - a number reads as its JSON text as serde_json writes it: `42` as
///   `"42"`, `1.50` as `"1.5"`; an array or object (never documented) as its
///   compact JSON text;
/// - `null` reads as the empty string, as a missing value does with
///   `.get(name).cloned().unwrap_or_default()`.
///
/// Serialized, each value is written back as it came (`false` stays a JSON
/// `false`, `null` stays `null`, a number stays the same number, as in every
/// other field: `1.50` is written `1.5`), unless the handler set it: a value
/// set with [`insert`](Self::insert) is a JSON string, and so is one changed
/// through the map (`get_mut`, `entry`, ...). A value written through the
/// map with the same text it read as is left as it came.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// The string view of every value.
    strings: BTreeMap<String, String>,
    /// The values that arrived as other JSON than a string, as sent: empty,
    /// and never allocated, when every value is a string.
    sent: BTreeMap<String, Value>,
}

/// What a value that arrived as other JSON than a string reads as.
fn text(value: &Value) -> Cow<'static, str> {
    match value {
        Value::Null => Cow::Borrowed(""),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        other => Cow::Owned(other.to_string()),
    }
}

impl Attributes {
    /// Sets `name` to the string `value`, which is written back as a JSON
    /// string; returns the string view of the value it replaces.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        self.sent.remove(&name);
        self.strings.insert(name, value)
    }

    /// Removes `name` (also one that arrived as `null`); returns what its
    /// value read as.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.sent.remove(name);
        self.strings.remove(name)
    }
}

impl Deref for Attributes {
    type Target = BTreeMap<String, String>;

    fn deref(&self) -> &Self::Target {
        &self.strings
    }
}

impl DerefMut for Attributes {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.strings
    }
}

impl From<BTreeMap<String, String>> for Attributes {
    fn from(strings: BTreeMap<String, String>) -> Self {
        Attributes {
            strings,
            sent: BTreeMap::new(),
        }
    }
}

impl<K: Into<String>, V: Into<String>, const N: usize> From<[(K, V); N]> for Attributes {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let strings: BTreeMap<String, String> = pairs
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Attributes::from(strings)
    }
}

impl IntoIterator for Attributes {
    type Item = (String, String);
    type IntoIter = std::collections::btree_map::IntoIter<String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.strings.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.strings.iter()
    }
}

impl<'a> IntoIterator for &'a mut Attributes {
    type Item = (&'a String, &'a mut String);
    type IntoIter = std::collections::btree_map::IterMut<'a, String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.strings.iter_mut()
    }
}

impl Field for Attributes {
    fn is_unset(&self) -> bool {
        self.strings.is_empty()
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.strings.len()))?;
        for (name, view) in &self.strings {
            match self.sent.get(name) {
                Some(value) if text(value) == view.as_str() => map.serialize_entry(name, value)?,
                _ => map.serialize_entry(name, view)?,
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AttributesVisitor)
    }
}

struct AttributesVisitor;

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = Attributes;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
        let mut attributes = Attributes::default();
        while let Some(name) = map.next_key::<String>()? {
            match map.next_value_seed(ValueSeed)? {
                // Through `insert`: a key sent twice keeps its last value.
                Sent::String(string) => {
                    attributes.insert(name, string);
                }
                Sent::Other(value) => {
                    attributes
                        .strings
                        .insert(name.clone(), text(&value).into_owned());
                    attributes.sent.insert(name, value);
                }
            }
        }
        Ok(attributes)
    }
}

/// A value of the map as it arrived.
enum Sent {
    String(String),
    Other(Value),
}

/// Reads a string as a `String`, which costs no more than a map of strings
/// did, and anything else as a `Value`.
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Sent;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Sent, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Sent;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E>(self, string: &str) -> Result<Sent, E> {
        Ok(Sent::String(string.to_owned()))
    }

    fn visit_string<E>(self, string: String) -> Result<Sent, E> {
        Ok(Sent::String(string))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Sent, E> {
        Ok(Sent::Other(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Sent, E> {
        Ok(Sent::Other(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Sent, E> {
        Ok(Sent::Other(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Sent, E> {
        Ok(Sent::Other(value.into()))
    }

    fn visit_unit<E>(self) -> Result<Sent, E> {
        Ok(Sent::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Sent, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Sent::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Sent, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Sent::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SENT: &str = r#"{"email":"jane@example.com","email_verified":false,"phone_number_verified":true,"custom:score":1.50,"custom:big":18446744073709551615,"custom:tiny":-2.5e-8,"custom:none":null,"custom:list":["a",1],"custom:escaped":"caf\u00e9 \"x\""}"#;

    fn sent() -> Attributes {
        serde_json::from_str(SENT).unwrap()
    }

    #[test]
    fn non_strings_read_as_their_json_text_and_null_as_empty() {
        let attributes = sent();
        let read = |name: &str| attributes.get(name).map(String::as_str);
        assert_eq!(read("email"), Some("jane@example.com"));
        assert_eq!(read("email_verified"), Some("false"));
        assert_eq!(read("phone_number_verified"), Some("true"));
        assert_eq!(read("custom:score"), Some("1.5"));
        assert_eq!(read("custom:big"), Some("18446744073709551615"));
        assert_eq!(read("custom:tiny"), Some("-2.5e-8"));
        assert_eq!(read("custom:none"), Some(""));
        assert_eq!(read("custom:list"), Some(r#"["a",1]"#));
        assert_eq!(read("custom:escaped"), Some("café \"x\""));
        assert_eq!(attributes.len(), 9);
    }

    #[test]
    fn every_value_is_written_back_as_it_came() {
        let text = serde_json::to_string(&sent()).unwrap();
        for value in [
            r#""email_verified":false"#,
            r#""phone_number_verified":true"#,
            r#""custom:big":18446744073709551615"#,
            r#""custom:none":null"#,
            r#""custom:list":["a",1]"#,
        ] {
            assert!(text.contains(value), "{value} in {text}");
        }
        let value: serde_json::Value = serde_json::from_str(SENT).unwrap();
        assert_eq!(serde_json::to_value(sent()).unwrap(), value);
    }

    #[test]
    fn a_value_the_handler_sets_is_a_string() {
        let mut attributes = sent();
        attributes.insert("email_verified".into(), "false".into());
        attributes.insert("custom:none".into(), String::new());
        *attributes.get_mut("custom:score").unwrap() = "2".into();
        // Written through the map with the text it read as: left as it came.
        *attributes.get_mut("phone_number_verified").unwrap() = "true".into();
        let value = serde_json::to_value(&attributes).unwrap();
        assert_eq!(value["email_verified"], json!("false"));
        assert_eq!(value["custom:none"], json!(""));
        assert_eq!(value["custom:score"], json!("2"));
        assert_eq!(value["phone_number_verified"], json!(true));
    }

    #[test]
    fn removing_a_null_removes_it_from_the_answer() {
        let mut attributes = sent();
        assert_eq!(attributes.remove("custom:none"), Some(String::new()));
        attributes.retain(|name, _| name != "custom:list");
        let value = serde_json::to_value(&attributes).unwrap();
        assert!(value.get("custom:none").is_none() && value.get("custom:list").is_none());
    }

    #[test]
    fn what_a_json_value_cannot_hold_is_refused() {
        for sent in [r#"{"a":1e400}"#, r#"{"a":["\ud800"]}"#, r#"{"a":"\ud800"}"#] {
            assert!(serde_json::from_str::<Attributes>(sent).is_err(), "{sent}");
        }
        let twice: Attributes = serde_json::from_str(r#"{"a":false,"a":"false"}"#).unwrap();
        assert_eq!(serde_json::to_value(&twice).unwrap(), json!({"a": "false"}));
        let error = serde_json::from_str::<Attributes>("5").unwrap_err();
        assert!(error.to_string().contains("expected a map"), "{error}");
    }

    #[test]
    fn built_maps_hold_strings() {
        let attributes = Attributes::from([("email", "jane@example.com")]);
        assert_eq!(attributes["email"], "jane@example.com");
        assert_eq!(
            serde_json::to_value(&attributes).unwrap(),
            json!({"email": "jane@example.com"})
        );
    }
}
