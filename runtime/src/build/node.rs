//! The template as a tree: maps keep their insertion order, so the same
//! manifest always gives the same bytes, and numbers keep the text they were
//! written with.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A number as written (`128`, `0.5`).
    Number(String),
    String(String),
    List(Vec<Node>),
    Map(Map),
}

/// An ordered map with unique keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(String, Node)>);

impl Map {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key`, replacing its value in place if it is already there.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Node>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// Chained [`Map::insert`], for building literals.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Node>) -> Self {
        self.insert(key, value);
        self
    }

    /// [`Map::with`] when `value` is `Some`.
    pub fn with_some(mut self, key: impl Into<String>, value: Option<impl Into<Node>>) -> Self {
        if let Some(value) = value {
            self.insert(key, value);
        }
        self
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The map at `key`, created empty if absent.
    pub fn map_at(&mut self, key: &str) -> &mut Map {
        if !matches!(self.get(key), Some(Node::Map(_))) {
            self.insert(key, Map::new());
        }
        match self.get_mut(key) {
            Some(Node::Map(map)) => map,
            _ => unreachable!("just inserted a map"),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Orders the entries by key.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

impl IntoIterator for Map {
    type Item = (String, Node);
    type IntoIter = std::vec::IntoIter<(String, Node)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<&str> for Node {
    fn from(value: &str) -> Self {
        Node::String(value.to_owned())
    }
}

impl From<String> for Node {
    fn from(value: String) -> Self {
        Node::String(value)
    }
}

impl From<bool> for Node {
    fn from(value: bool) -> Self {
        Node::Bool(value)
    }
}

impl From<u32> for Node {
    fn from(value: u32) -> Self {
        Node::Number(value.to_string())
    }
}

impl From<Map> for Node {
    fn from(value: Map) -> Self {
        Node::Map(value)
    }
}

impl<T: Into<Node>> From<Vec<T>> for Node {
    fn from(value: Vec<T>) -> Self {
        Node::List(value.into_iter().map(Into::into).collect())
    }
}

/// `{"Ref": id}`
pub fn reference(id: &str) -> Node {
    Map::new().with("Ref", id).into()
}

/// `{"Fn::GetAtt": [id, attribute]}`
pub fn get_att(id: &str, attribute: &str) -> Node {
    Map::new().with("Fn::GetAtt", vec![id, attribute]).into()
}

/// `{"Fn::Sub": text}`
pub fn sub(text: &str) -> Node {
    Map::new().with("Fn::Sub", text).into()
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(text) => match text.parse::<i64>() {
                Ok(integer) => serializer.serialize_i64(integer),
                Err(_) => match text.parse::<f64>() {
                    Ok(float) => serializer.serialize_f64(float),
                    Err(_) => serializer.serialize_str(text),
                },
            },
            Node::String(s) => serializer.serialize_str(s),
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(map) => {
                let mut out = serializer.serialize_map(Some(map.0.len()))?;
                for (key, value) in map.iter() {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
        }
    }
}
