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

use crate::ast::{Declaration, KmsKey};
use crate::trigger::{LambdaVersion, Trigger};
use serde::{Deserialize, Serialize};

/// Where the binaries' parts live, relative to the package's `OUT_DIR`; the
/// build step makes the directory even when no binary has a part.
pub const BINARIES_IN_OUT_DIR: &str = "cognito-trigger/bins";

/// Where binary `bin`'s part lives, relative to the package's `OUT_DIR`
/// (cargo's binary names are file names).
pub fn binary_path(bin: &str) -> String {
    format!("{BINARIES_IN_OUT_DIR}/{bin}.json")
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub package: String,
    /// Sorted by binary, then by line.
    pub functions: Vec<Function>,
    /// Binary sources the scanner could not parse (the compiler says why);
    /// no template is written while there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<String>,
}

/// A function carrying `#[cognito_trigger]`: one Lambda function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// The binary target the function's file is the root of.
    pub bin: String,
    /// The function's identifier.
    pub name: String,
    pub location: Location,
    /// In source order: the attributes' order on the function.
    pub declarations: Vec<Declared>,
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

/// One `#[cognito_trigger(...)]` as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    pub location: Location,
    pub pool: String,
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_version: Option<LambdaVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KmsKey>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub existing: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_deploy: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Declared {
    pub fn new(declaration: &Declaration, location: Location) -> Self {
        Self {
            location,
            pool: declaration.pool.value.clone(),
            trigger: declaration.trigger.value,
            lambda_version: declaration.lambda_version.as_ref().map(|v| v.value),
            kms_key: declaration.kms_key_id.as_ref().map(|k| k.value.clone()),
            existing: declaration.existing(),
            force_deploy: declaration.force_deploy.as_ref().is_some_and(|f| f.value),
        }
    }

    /// Whether `declaration` says the same as this one (locations aside).
    pub fn describes(&self, declaration: &Declaration) -> bool {
        *self == Self::new(declaration, self.location.clone())
    }

    /// The event version in force: the declared one, else the trigger's default.
    pub fn version(&self) -> Option<LambdaVersion> {
        self.lambda_version
            .or_else(|| self.trigger.default_version())
    }
}

/// A problem found across functions, reported by the macro at one token of
/// one declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Index into the function's declarations.
    pub declaration: usize,
    pub at: Part,
    pub message: String,
}

/// The token of a declaration a diagnostic points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Attribute,
    Pool,
    Trigger,
    KmsKeyId,
    Existing,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serializes");
        json.push('\n');
        json
    }

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
            unparsed: Vec::new(),
        }
    }

    /// The functions of binary `bin`, in source order.
    pub fn functions_of<'a>(&'a self, bin: &'a str) -> impl Iterator<Item = &'a Function> {
        self.functions.iter().filter(move |f| f.bin == bin)
    }
}
