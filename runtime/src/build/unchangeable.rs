//! The settings of a created user pool and of its app clients that cannot
//! change once the resource exists, each stated once with its source.
//! Changing one makes the deploy fail, or replaces the resource: a new pool
//! is an empty one, and a new client has a new ID that no app knows.
//! `cognito-trigger.lock` records their values (see [`super::lock`]).

/// One unchangeable property of a resource the template generates.
pub struct Unchangeable {
    /// The CloudFormation property.
    pub property: &'static str,
    /// The key under `[package.metadata.cognito-trigger.pools.<name>]` (or
    /// its `clients.<name>`) that sets it, if a setting does.
    pub setting: Option<&'static str>,
    /// Entries that may be added to the list later without replacing
    /// anything, when they are not required (`Schema`'s custom attributes).
    pub additions: Additions,
    /// Why it cannot change, for the message.
    pub why: &'static str,
}

/// The standard attributes of every pool (developer guide, "User pool
/// attributes"): a `Schema` entry naming one configures it, and cannot be
/// added once the pool exists; only custom attributes can.
pub const STANDARD_ATTRIBUTES: [&str; 18] = [
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Whether a list may grow after creation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Additions {
    /// No change at all.
    None,
    /// New custom attributes (by `Name`, not standard ones) that are not
    /// `Required`; recorded entries stay as they are.
    Optional,
}

/// `AWS::Cognito::UserPool`. CloudFormation's resource schema marks none of
/// its properties create-only, but Cognito's UpdateUserPool takes none of
/// these (Cognito API reference, UpdateUserPool), and the developer guide
/// ("User pool attributes": sign-in attributes, required and custom
/// attributes) says they are fixed when the pool is created.
pub const POOL: [Unchangeable; 4] = [
    Unchangeable {
        property: "UsernameAttributes",
        setting: Some("username_attributes"),
        additions: Additions::None,
        why: "a pool's sign-in attributes are chosen when it is created",
    },
    Unchangeable {
        property: "AliasAttributes",
        setting: None,
        additions: Additions::None,
        why: "a pool's sign-in aliases are chosen when it is created",
    },
    Unchangeable {
        property: "UsernameConfiguration",
        setting: None,
        additions: Additions::None,
        why: "a pool's username case sensitivity is chosen when it is created",
    },
    Unchangeable {
        property: "Schema",
        setting: None,
        additions: Additions::Optional,
        why: "required attributes are fixed when a pool is created, and a custom attribute can be added but never changed or removed",
    },
];

/// `AWS::Cognito::UserPoolClient`: the `createOnlyProperties` of its
/// CloudFormation resource schema (as cfn-lint 1.58 ships it) but
/// `UserPoolId`, which the pool's logical ID keeps.
pub const CLIENT: [Unchangeable; 1] = [Unchangeable {
    property: "GenerateSecret",
    setting: Some("generate_secret"),
    additions: Additions::None,
    why: "CloudFormation replaces a client whose secret setting changes, and the new client has a new ID",
}];
