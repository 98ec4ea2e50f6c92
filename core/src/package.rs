//! The rules that span several functions of a package. Each problem becomes a
//! [`Diagnostic`] on every declaration involved, naming the other places, so
//! the macro reports it at each offending attribute.

use crate::manifest::{Declared, Diagnostic, Function, Part};
use crate::naming::{function_logical_id, pool_logical_id};
use std::collections::BTreeMap;

/// A declaration's address: (function index, declaration index).
type At = (usize, usize);

/// Adds to `functions` the diagnostics of every cross-function rule.
pub fn check_package(functions: &mut [Function]) {
    let mut found: Vec<(At, Part, String)> = Vec::new();
    one_function_per_binary(functions, &mut found);
    distinct_function_ids(functions, &mut found);
    let by_pool = declarations_by_pool(functions);
    for (pool, declarations) in &by_pool {
        one_function_per_trigger(functions, pool, declarations, &mut found);
        one_kms_key_per_pool(functions, pool, declarations, &mut found);
        created_or_existing(functions, pool, declarations, &mut found);
    }
    distinct_pool_ids(functions, &by_pool, &mut found);
    for ((function, declaration), at, message) in found {
        functions[function].diagnostics.push(Diagnostic {
            declaration,
            at,
            message,
        });
    }
}

fn declared(functions: &[Function], (function, declaration): At) -> &Declared {
    &functions[function].declarations[declaration]
}

/// "`name` (file:line:column)", how messages name another declaration.
fn place(functions: &[Function], at: At) -> String {
    let function = &functions[at.0];
    format!("`{}` ({})", function.name, declared(functions, at).location)
}

fn others(functions: &[Function], all: &[At], this: At) -> String {
    let names: Vec<_> = all
        .iter()
        .filter(|&&at| at != this)
        .map(|&at| place(functions, at))
        .collect();
    names.join(", ")
}

fn declarations_by_pool(functions: &[Function]) -> BTreeMap<&str, Vec<At>> {
    let mut pools: BTreeMap<&str, Vec<At>> = BTreeMap::new();
    for (f, function) in functions.iter().enumerate() {
        for (d, declaration) in function.declarations.iter().enumerate() {
            pools.entry(&declaration.pool).or_default().push((f, d));
        }
    }
    pools
}

fn one_function_per_binary(functions: &[Function], found: &mut Vec<(At, Part, String)>) {
    let mut bins: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (f, function) in functions.iter().enumerate() {
        bins.entry(&function.bin).or_default().push(f);
    }
    for (bin, members) in bins.into_iter().filter(|(_, m)| m.len() > 1) {
        for &f in &members {
            let other: Vec<_> = members
                .iter()
                .filter(|&&o| o != f)
                .map(|&o| format!("`{}` ({})", functions[o].name, functions[o].location))
                .collect();
            found.push((
                (f, 0),
                Part::Attribute,
                format!(
                    "binary `{bin}` has more than one trigger function: this one and {}. A binary is one Lambda function with one `main`: move each function to its own file under src/bin/, or put all the declarations on one function",
                    other.join(", ")
                ),
            ));
        }
    }
}

fn distinct_function_ids(functions: &[Function], found: &mut Vec<(At, Part, String)>) {
    let mut ids: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (f, function) in functions.iter().enumerate() {
        let bins = ids.entry(function_logical_id(&function.bin)).or_default();
        if !bins.iter().any(|&b| functions[b].bin == function.bin) {
            bins.push(f);
        }
    }
    for (id, members) in ids.into_iter().filter(|(_, m)| m.len() > 1) {
        for &f in &members {
            let other: Vec<_> = members
                .iter()
                .filter(|&&o| o != f)
                .map(|&o| format!("`{}` ({})", functions[o].bin, functions[o].location))
                .collect();
            found.push((
                (f, 0),
                Part::Attribute,
                format!(
                    "binary `{}` and binary {} both become the CloudFormation logical ID `{id}`: rename one of the binaries",
                    functions[f].bin,
                    other.join(", ")
                ),
            ));
        }
    }
}

fn one_function_per_trigger(
    functions: &[Function],
    pool: &str,
    declarations: &[At],
    found: &mut Vec<(At, Part, String)>,
) {
    let mut by_trigger: BTreeMap<_, Vec<At>> = BTreeMap::new();
    for &at in declarations {
        by_trigger
            .entry(declared(functions, at).trigger)
            .or_default()
            .push(at);
    }
    for (trigger, all) in by_trigger.into_iter().filter(|(_, all)| all.len() > 1) {
        for &at in &all {
            found.push((
                at,
                Part::Trigger,
                format!(
                    "pool \"{pool}\" has one {trigger} trigger, and {} declares it too. CloudFormation's LambdaConfig holds one function per trigger (the Serverless Framework silently keeps the last one): remove all but one of these declarations",
                    others(functions, &all, at)
                ),
            ));
        }
    }
}

fn one_kms_key_per_pool(
    functions: &[Function],
    pool: &str,
    declarations: &[At],
    found: &mut Vec<(At, Part, String)>,
) {
    let keyed: Vec<At> = declarations
        .iter()
        .copied()
        .filter(|&at| declared(functions, at).kms_key.is_some())
        .collect();
    let first = keyed.first().map(|&at| &declared(functions, at).kms_key);
    if keyed
        .iter()
        .all(|&at| &declared(functions, at).kms_key == first.unwrap_or(&None))
    {
        return;
    }
    for &at in &keyed {
        found.push((
            at,
            Part::KmsKeyId,
            format!(
                "pool \"{pool}\" has one KMS key (its KMSKeyID) for all its custom senders, and {} names a different one: use the same `kms_key_id` everywhere",
                others(functions, &keyed, at)
            ),
        ));
    }
}

fn created_or_existing(
    functions: &[Function],
    pool: &str,
    declarations: &[At],
    found: &mut Vec<(At, Part, String)>,
) {
    let (existing, created): (Vec<At>, Vec<At>) = declarations
        .iter()
        .partition(|&&at| declared(functions, at).existing);
    if existing.is_empty() || created.is_empty() {
        return;
    }
    let names = |all: &[At]| -> String {
        let names: Vec<_> = all.iter().map(|&at| place(functions, at)).collect();
        names.join(", ")
    };
    for &at in &created {
        found.push((
            at,
            Part::Pool,
            format!(
                "pool \"{pool}\" is created by this stack here, but {} attaches to it as an existing pool (`existing = true`): declare it the same way everywhere",
                names(&existing)
            ),
        ));
    }
    for &at in &existing {
        found.push((
            at,
            Part::Existing,
            format!(
                "pool \"{pool}\" is declared existing here, but {} has the stack create it: declare it the same way everywhere",
                names(&created)
            ),
        ));
    }
}

fn distinct_pool_ids(
    functions: &[Function],
    by_pool: &BTreeMap<&str, Vec<At>>,
    found: &mut Vec<(At, Part, String)>,
) {
    let mut ids: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for pool in by_pool.keys() {
        ids.entry(pool_logical_id(pool)).or_default().push(pool);
    }
    for (id, pools) in ids.into_iter().filter(|(_, p)| p.len() > 1) {
        for pool in &pools {
            let other: Vec<_> = pools
                .iter()
                .filter(|p| *p != pool)
                .map(|p| {
                    let first = by_pool[p][0];
                    format!("\"{p}\" (in {})", place(functions, first))
                })
                .collect();
            for &at in &by_pool[pool] {
                found.push((
                    at,
                    Part::Pool,
                    format!(
                        "pool names \"{pool}\" and {} both become the logical ID `{id}` (only ASCII letters and digits are kept): rename one of the pools",
                        other.join(", ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan_binary;

    fn package(binaries: &[(&str, &str)]) -> Vec<Function> {
        let mut functions = Vec::new();
        for (bin, source) in binaries {
            let file = format!("src/bin/{bin}.rs");
            functions.extend(scan_binary(bin, &file, source).unwrap().functions);
        }
        check_package(&mut functions);
        functions
    }

    fn messages(functions: &[Function]) -> Vec<(String, Part, String)> {
        functions
            .iter()
            .flat_map(|f| {
                f.diagnostics
                    .iter()
                    .map(|d| (f.name.clone(), d.at, d.message.clone()))
            })
            .collect()
    }

    #[test]
    fn a_clean_package_has_no_diagnostics() {
        let functions = package(&[
            (
                "a",
                "#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn a() {}",
            ),
            (
                "b",
                "#[cognito_trigger(pool = \"P\", trigger = PostConfirmation)]\n#[cognito_trigger(pool = \"Q\", trigger = PreSignUp)]\nasync fn b() {}",
            ),
        ]);
        assert!(messages(&functions).is_empty());
    }

    #[test]
    fn two_functions_for_one_trigger() {
        let functions = package(&[
            (
                "a",
                "#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn a() {}",
            ),
            (
                "b",
                "\n#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn b() {}",
            ),
        ]);
        let found = messages(&functions);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].1, Part::Trigger);
        assert!(
            found[0]
                .2
                .contains("`b` (src/bin/b.rs:2:1) declares it too"),
            "{found:?}"
        );
        assert!(
            found[1]
                .2
                .contains("`a` (src/bin/a.rs:1:1) declares it too"),
            "{found:?}"
        );
    }

    #[test]
    fn one_kms_key_per_pool() {
        let functions = package(&[
            (
                "sms",
                "#[cognito_trigger(pool = \"P\", trigger = CustomSMSSender, kms_key_id = get_att(\"K\", \"Arn\"))]\nasync fn sms() {}",
            ),
            (
                "email",
                "#[cognito_trigger(pool = \"P\", trigger = CustomEmailSender, kms_key_id = get_att(\"L\", \"Arn\"))]\nasync fn email() {}",
            ),
        ]);
        let found = messages(&functions);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(_, part, _)| *part == Part::KmsKeyId));
    }

    #[test]
    fn pool_names_that_share_a_logical_id() {
        let functions = package(&[
            (
                "a",
                "#[cognito_trigger(pool = \"my-pool\", trigger = PreSignUp)]\nasync fn a() {}",
            ),
            (
                "b",
                "#[cognito_trigger(pool = \"mypool\", trigger = PreSignUp)]\nasync fn b() {}",
            ),
        ]);
        let found = messages(&functions);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].2.contains("`CognitoUserPoolMypool`"), "{found:?}");
    }

    #[test]
    fn two_functions_in_one_binary() {
        let functions = package(&[(
            "a",
            "#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn a() {}\n#[cognito_trigger(pool = \"P\", trigger = PostConfirmation)]\nasync fn b() {}",
        )]);
        let found = messages(&functions);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].2.starts_with(
                "binary `a` has more than one trigger function: this one and `b` (src/bin/a.rs:3:1)"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn binaries_that_share_a_logical_id() {
        let functions = package(&[
            (
                "sign-up",
                "#[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\nasync fn a() {}",
            ),
            (
                "sign_up",
                "#[cognito_trigger(pool = \"P\", trigger = PostConfirmation)]\nasync fn b() {}",
            ),
        ]);
        let found = messages(&functions);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].2.contains("`SignUpLambdaFunction`"), "{found:?}");
    }

    #[test]
    fn a_pool_is_created_or_existing() {
        let functions = package(&[
            (
                "a",
                "#[cognito_trigger(pool = \"P\", trigger = PreSignUp, existing = true)]\nasync fn a() {}",
            ),
            (
                "b",
                "#[cognito_trigger(pool = \"P\", trigger = PostConfirmation)]\nasync fn b() {}",
            ),
        ]);
        let parts: Vec<_> = messages(&functions)
            .into_iter()
            .map(|(_, p, _)| p)
            .collect();
        assert_eq!(parts, [Part::Existing, Part::Pool]);
    }
}
