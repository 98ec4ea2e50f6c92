//! Lossless JSON objects.
//!
//! Cognito expects the whole event back, so every event object keeps what its
//! typed fields cannot: keys this crate does not know, and for each known key
//! whether it arrived with a value, as `null`, or not at all. Serializing
//! writes a field back the way it came unless the handler set it.
//!
//! The objects are declared with `json_object!` and their string enums with
//! `string_enum!`; both generate plain serde impls, no reflection.

use serde::de::{DeserializeOwned, DeserializeSeed, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// What an event object holds beyond its typed fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// Keys the typed fields do not model, with their values as sent.
    fields: Map<String, Value>,
    /// Bit `i` set: the `i`-th typed field arrived with a value.
    present: u64,
    /// Bit `i` set: the `i`-th typed field arrived as `null`.
    null: u64,
}

impl Extra {
    /// The value of a key the typed fields do not model.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// Adds or replaces a key the typed fields do not model; it is written
    /// back with the object. Use the typed field for a key it models.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.fields.insert(key.into(), value)
    }

    /// Removes a key the typed fields do not model, so that it is not
    /// written back; its value, if it was there.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.fields.remove(key)
    }

    /// The unmodelled keys and their values.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.fields.iter()
    }

    /// No unmodelled keys, and no typed field that arrived in the JSON.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.present == 0 && self.null == 0
    }
}

/// A typed field of an event object.
pub trait Field: Serialize + DeserializeOwned + Default {
    /// Holds nothing the handler set: such a field is written back only if it
    /// arrived in the JSON (as `null` if it arrived as `null`).
    fn is_unset(&self) -> bool;
}

impl<T: Serialize + DeserializeOwned> Field for Option<T> {
    fn is_unset(&self) -> bool {
        self.is_none()
    }
}

impl Field for bool {
    fn is_unset(&self) -> bool {
        !*self
    }
}

impl Field for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<T: Serialize + DeserializeOwned> Field for Vec<T> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<V: Serialize + DeserializeOwned> Field for BTreeMap<String, V> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl Field for Value {
    fn is_unset(&self) -> bool {
        self.is_null()
    }
}

/// A key of an event object: the index of a typed field, or another name.
pub(crate) enum Key {
    Known(usize),
    Other(String),
}

/// Reads a key without allocating when it names a typed field.
pub(crate) struct KeySeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|known| *known == key) {
            Some(index) => Key::Known(index),
            None => Key::Other(key.to_owned()),
        })
    }

    fn visit_string<E>(self, key: String) -> Result<Key, E> {
        Ok(match self.0.iter().position(|known| *known == key) {
            Some(index) => Key::Known(index),
            None => Key::Other(key),
        })
    }
}

pub(crate) fn read_field<'de, A, T>(
    map: &mut A,
    slot: &mut T,
    index: usize,
    extra: &mut Extra,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: Field,
{
    let bit = 1 << index;
    // `Option<T>` reads `null` as `None` whatever `T` is, so the outer
    // option tells a null from a value even for optional fields.
    match map.next_value::<Option<T>>()? {
        Some(value) => {
            *slot = value;
            extra.present |= bit;
            extra.null &= !bit;
        }
        None => {
            *slot = T::default();
            extra.null |= bit;
            extra.present &= !bit;
        }
    }
    Ok(())
}

pub(crate) fn read_other<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    key: String,
    extra: &mut Extra,
) -> Result<(), A::Error> {
    let value = map.next_value::<Value>()?;
    extra.fields.insert(key, value);
    Ok(())
}

pub(crate) fn write_field<M: SerializeMap, T: Field>(
    map: &mut M,
    key: &'static str,
    value: &T,
    index: usize,
    extra: &Extra,
) -> Result<(), M::Error> {
    let bit = 1 << index;
    if !value.is_unset() || extra.present & bit != 0 {
        map.serialize_entry(key, value)
    } else if extra.null & bit != 0 {
        map.serialize_entry(key, &())
    } else {
        Ok(())
    }
}

pub(crate) fn write_others<M: SerializeMap>(map: &mut M, extra: &Extra) -> Result<(), M::Error> {
    extra
        .fields
        .iter()
        .try_for_each(|(key, value)| map.serialize_entry(key, value))
}

/// Declares an event object whose JSON round trip is lossless. (Not a
/// doctest: a doctest cannot call a crate-private macro. Every object of
/// `events` is an example that compiles.)
///
/// ```text
/// json_object! {
///     /// Docs.
///     pub struct CallerContext {
///         "awsSdkVersion" => pub aws_sdk_version: String,
///         "clientId" => pub client_id: String,
///     }
/// }
/// ```
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(<$param:ident: $bound:path>)? {
            $(
                $(#[$field_meta:meta])*
                $key:literal => pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name $(<$param: $bound>)? {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Unmodelled keys, and how the modelled ones arrived: what makes
            /// the round trip lossless.
            pub extra: $crate::events::json::Extra,
        }

        const _: () = {
            use $crate::events::json::{self, Field, Key, KeySeed};

            // The field's position in KEYS and its bit in Extra; unused by
            // objects without typed fields.
            #[allow(non_camel_case_types, dead_code)]
            enum Index { $($field,)* }
            const KEYS: &[&str] = &[$($key,)*];

            impl $(<$param: $bound>)? Field for $name $(<$param>)? {
                fn is_unset(&self) -> bool {
                    true $(&& self.$field.is_unset())* && self.extra.is_empty()
                }
            }

            impl $(<$param: $bound>)? ::serde::Serialize for $name $(<$param>)? {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap;
                    let mut map = serializer.serialize_map(None)?;
                    $( json::write_field(&mut map, $key, &self.$field, Index::$field as usize, &self.extra)?; )*
                    json::write_others(&mut map, &self.extra)?;
                    map.end()
                }
            }

            impl<'de $(, $param: $bound)?> ::serde::Deserialize<'de> for $name $(<$param>)? {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct ObjectVisitor $(<$param: $bound>)? (::std::marker::PhantomData<fn() -> $name $(<$param>)?>);

                    impl<'de $(, $param: $bound)?> ::serde::de::Visitor<'de> for ObjectVisitor $(<$param>)? {
                        type Value = $name $(<$param>)?;

                        fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                            f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                        }

                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                            let mut object = <$name $(<$param>)?>::default();
                            while let Some(key) = map.next_key_seed(KeySeed(KEYS))? {
                                match key {
                                    // Unused by objects without typed fields.
                                    #[allow(unused_variables)]
                                    Key::Known(index) => {
                                        $(
                                            if index == Index::$field as usize {
                                                json::read_field(&mut map, &mut object.$field, index, &mut object.extra)?;
                                                continue;
                                            }
                                        )*
                                    }
                                    Key::Other(key) => json::read_other(&mut map, key, &mut object.extra)?,
                                }
                            }
                            Ok(object)
                        }
                    }

                    deserializer.deserialize_map(ObjectVisitor(::std::marker::PhantomData))
                }
            }
        };
    };
}

/// Declares an enum of the strings Cognito documents for a field, with an
/// `Other` variant that keeps any value AWS adds later.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every documented value.
            pub const DOCUMENTED: &'static [$name] = &[$($name::$variant,)*];

            /// The string Cognito sends.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(other) => other,
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::events::json::Field for $name {
            fn is_unset(&self) -> bool {
                matches!(self, $name::Other(other) if other.is_empty())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;
                impl ::serde::de::Visitor<'_> for TextVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E>(self, text: &str) -> Result<$name, E> {
                        Ok($name::from(text))
                    }
                }
                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

pub(crate) use {json_object, string_enum};
