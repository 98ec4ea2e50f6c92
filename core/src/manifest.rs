//! The build manifest: every trigger function of a package as the build step
//! found it, and the problems that span several functions.
//!
//! The build step writes each binary's part of it to
//! `$OUT_DIR/cognito-trigger/bins/<bin>.json`. The macro reads its binary's
//! part back while expanding each function,
//! reports the problems at the function's own tokens, and refuses a
//! declaration the manifest lacks, so the template can never silently miss a
//! handler. Reading only its own part keeps each expansion's cost the same
//! however many binaries the package has (BENCHMARKS.md, "Build step").

use crate::ast::Values;
use serde::{Deserialize, Serialize};

/// Where the binaries' parts live, relative to the package's `OUT_DIR`; the
/// build step makes the directory even when no binary has a part.
pub const BINARIES_IN_OUT_DIR: &str = "cognito-trigger/bins";

/// Where binary `bin`'s part lives, relative to the package's `OUT_DIR`
/// (cargo's binary names are file names).
pub fn binary_path(bin: &str) -> String {
    format!("{BINARIES_IN_OUT_DIR}/{bin}.json")
}

/// What the build step found in a package (or, in each binary's part, in
/// one binary): its trigger functions and their declarations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The package's name.
    pub package: String,
    /// Sorted by binary, then by line.
    pub functions: Vec<Function>,
    /// Where the sources have mistakes the compiler reports (a file the
    /// scanner cannot lex, a function with a wrong declaration); no template
    /// is written while there are any, since it would lack those functions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<String>,
}

/// A function carrying `#[cognito_trigger]`: one Lambda function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// The binary target the function's file is the root of.
    pub bin: String,
    /// The function's identifier.
    pub name: String,
    /// Where the function item starts (its first attribute).
    pub location: Location,
    /// In source order: the attributes' order on the function.
    pub declarations: Vec<Declared>,
    /// The problems across functions reported at this function's declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// A place in the package's sources, for messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Relative to the package root, with `/` separators.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One `#[cognito_trigger(...)]` as data: its values, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    /// Where the attribute is.
    pub location: Location,
    /// What it says.
    #[serde(flatten)]
    pub values: Values,
}

/// A declaration is read as its values, wherever it is.
impl std::ops::Deref for Declared {
    type Target = Values;

    fn deref(&self) -> &Values {
        &self.values
    }
}

/// A problem found across functions, reported by the macro at one token of
/// one declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Index into the function's declarations.
    pub declaration: usize,
    /// The token of that declaration the message points at.
    pub at: Part,
    /// The compile error's message.
    pub message: String,
}

/// The token of a declaration a diagnostic points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The whole attribute.
    Attribute,
    /// The `pool` value.
    Pool,
    /// The `trigger` value.
    Trigger,
    /// The `kms_key_id` value (else the trigger's).
    KmsKeyId,
    /// The `existing` value (else the pool's).
    Existing,
}

impl Manifest {
    /// The manifest as the JSON file the build step writes.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serializes");
        json.push('\n');
        json
    }

    /// A manifest read back from [`Manifest::to_json`]'s form.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The binaries with trigger functions, each once, in order.
    pub fn binaries(&self) -> Vec<&str> {
        let mut binaries: Vec<&str> = self.functions.iter().map(|f| f.bin.as_str()).collect();
        binaries.dedup();
        binaries
    }

    /// The part of the manifest binary `bin`'s functions need.
    pub fn of_binary(&self, bin: &str) -> Manifest {
        Manifest {
            package: self.package.clone(),
            functions: self.functions_of(bin).cloned().collect(),
            mistakes: Vec::new(),
        }
    }

    /// The functions of binary `bin`, in source order.
    pub fn functions_of<'a>(&'a self, bin: &'a str) -> impl Iterator<Item = &'a Function> {
        self.functions.iter().filter(move |f| f.bin == bin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::KmsKey;
    use crate::trigger::{LambdaVersion, Trigger};

    /// A declaration's values sit beside its location, as one flat object,
    /// and what is unset is left out.
    #[test]
    fn a_declaration_is_one_flat_object() {
        let declared = Declared {
            location: Location {
                file: "src/main.rs".into(),
                line: 3,
                column: 1,
            },
            values: Values {
                pool: "P".into(),
                trigger: Trigger::CustomSMSSender,
                lambda_version: Some(LambdaVersion::V1_0),
                kms_key: Some(KmsKey::GetAtt {
                    resource: "Key".into(),
                }),
                existing: true,
                force_deploy: false,
            },
        };
        let json = serde_json::to_string(&declared).unwrap();
        assert_eq!(
            json,
            r#"{"location":{"file":"src/main.rs","line":3,"column":1},"pool":"P","trigger":"CustomSMSSender","lambda_version":"V1_0","kms_key":{"GetAtt":{"resource":"Key"}},"existing":true}"#
        );
        assert_eq!(serde_json::from_str::<Declared>(&json).unwrap(), declared);
    }
}
