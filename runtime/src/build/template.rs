//! The CloudFormation template generated from the manifest and the settings:
//! per pool an `AWS::Cognito::UserPool` (with its clients), per binary an
//! `AWS::Lambda::Function` with a logging-only role and its log group, and per
//! (pool, function) an `AWS::Lambda::Permission` for Cognito.

use super::function::{DEFAULT_ARCHITECTURE, DEFAULTS};
use super::ids::FunctionIds;
use super::limits;
use super::lock::{self, Created, Keep, Lock};
use super::node::{Map, Node};
use super::problem::{CARGO_TOML, Problem};
use super::settings::{Architecture, PoolSettings, Settings, metadata_path};
use super::{access, alias, check, existing, function, pool};
use cognito_trigger_core::manifest::{Declared, Function, Manifest};
use std::collections::BTreeMap;

/// A value the declarations or the settings set, which overrides may not change.
#[derive(Debug)]
pub struct Protected {
    pub path: Vec<String>,
    /// Where the value comes from, for the message.
    pub origin: String,
}

impl Protected {
    /// The value at `path` under resource `id` (`["Properties", ...]`, or a
    /// resource attribute such as `["DeletionPolicy"]`), set by `origin`.
    pub fn at(id: &str, path: &[&str], origin: String) -> Self {
        let mut full = vec!["Resources".to_owned(), id.to_owned()];
        full.extend(path.iter().map(|p| p.to_string()));
        Self { path: full, origin }
    }
}

pub struct Generated {
    pub template: Map,
    pub protected: Vec<Protected>,
    /// Trigger functions Cognito calls synchronously, which must answer in 5 s.
    pub synchronous: Vec<String>,
    /// The functions behind an alias.
    pub aliased: Vec<FunctionIds>,
    /// The pools the stack creates, with their clients.
    pub created: Vec<Created>,
}

/// `package_path` is the package's directory relative to the template's;
/// `lock` is the package's `cognito-trigger.lock`, if it has one.
pub fn generate(
    manifest: &Manifest,
    settings: &Settings,
    lock: Option<&Lock>,
    package_path: &str,
) -> Result<Generated, Vec<Problem>> {
    let mut errors = Vec::new();
    check::settings_targets(manifest, settings, lock, &mut errors);
    let mut generated = Generated {
        template: Map::new(),
        protected: Vec::new(),
        synchronous: Vec::new(),
        aliased: Vec::new(),
        created: Vec::new(),
    };
    let created_pools = pools(manifest, settings, lock);
    let keep = Keep {
        lock,
        settings,
        created: created_pools.keys().copied().collect(),
    };
    let mut resources = Map::new();
    let mut outputs = Map::new();
    // What Cognito invokes, by binary: the function, or its alias.
    let mut targets: BTreeMap<String, Node> = BTreeMap::new();
    // The Cognito actions each function may call on its pools.
    let mut grants: Vec<(&Function, Vec<&'static str>)> = Vec::new();
    // The architectures the functions are built for.
    let mut architectures: Vec<Architecture> = Vec::new();
    for function in &manifest.functions {
        let chosen = settings
            .functions
            .get(&function.bin)
            .map_or_else(|| settings.defaults.clone(), |f| f.or(&settings.defaults))
            .or(&DEFAULTS);
        errors.extend(check::function_settings(function, settings, &chosen));
        let ids = FunctionIds::of(&function.bin);
        errors.extend(check::logical_ids(function, &ids));
        if function
            .declarations
            .iter()
            .any(|d| d.trigger.is_synchronous())
        {
            generated.synchronous.push(ids.function.clone());
        }
        function::add_function(
            &mut resources,
            &mut generated.protected,
            function,
            &ids,
            &chosen,
            package_path,
        );
        targets.insert(
            function.bin.clone(),
            ids.invoke_target(chosen.alias.is_some()),
        );
        let architecture = chosen.architecture.unwrap_or(DEFAULT_ARCHITECTURE);
        if !architectures.contains(&architecture) {
            architectures.push(architecture);
        }
        if let Some(actions) = chosen.pool_access.clone().filter(|a| !a.is_empty()) {
            grants.push((function, actions));
        }
        if let Some(alias) = &chosen.alias {
            alias::add(&mut resources, &ids, alias, chosen.provisioned_concurrency);
            generated.aliased.push(ids);
        }
    }
    let mut pool_ids: BTreeMap<String, &str> = BTreeMap::new();
    for (pool, declarations) in &created_pools {
        let (pool, declarations) = (*pool, declarations.as_slice());
        let ids = keep.pool(pool);
        // Only `renamed_from` can give two pools one ID: declarations with
        // one are refused at the attribute (core's package checks).
        if let Some(other) = pool_ids.insert(ids.pool.clone(), pool) {
            let renamed = if settings
                .pools
                .get(pool)
                .is_some_and(|s| s.renamed_from.is_some())
            {
                pool
            } else {
                other
            };
            errors.push(Problem::new(
                CARGO_TOML,
                metadata_path(&["pools", renamed, "renamed_from"]),
                format!(
                    "pools \"{other}\" and \"{pool}\" would both be `{}`: a pool can be renamed from another only once that one is gone from the declarations",
                    ids.pool
                ),
            ));
            continue;
        }
        let created = pool::add_pool(
            &mut resources,
            &mut outputs,
            &mut generated.protected,
            &mut errors,
            (pool, ids),
            declarations,
            &keep,
            &targets,
        );
        generated.created.push(created);
    }
    let mut parameters = Map::new();
    // The attach function is one more binary of the same build.
    let architecture = match (settings.defaults.architecture, &architectures[..]) {
        (Some(package), _) => package,
        (None, [all]) => *all,
        (None, _) => DEFAULT_ARCHITECTURE,
    };
    errors.extend(check::one_attach_architecture(
        manifest,
        settings,
        &architectures,
    ));
    existing::add_attachments(
        &mut resources,
        &mut parameters,
        manifest,
        (package_path, architecture),
        &targets,
    );
    if !generated.aliased.is_empty() {
        existing::add_deploy_id_parameter(&mut parameters);
    }
    for (function, actions) in &grants {
        access::add(
            &mut resources,
            &mut generated.protected,
            function,
            actions,
            &keep,
        );
    }
    resources.sort();
    outputs.sort();
    generated.template = Map::new()
        .with("AWSTemplateFormatVersion", "2010-09-09")
        .with(
            "Description",
            limits::cut_bytes(
                &format!(
                    "Cognito user pool triggers of {}, generated by cognito-trigger from its #[cognito_trigger] declarations",
                    manifest.package
                ),
                limits::TEMPLATE_DESCRIPTION_BYTES,
            ),
        )
        .with(
            "Metadata",
            // The code paths are local directories, for `aws cloudformation
            // package` or `sam deploy` to upload: cfn-lint warns about that.
            Map::new().with(
                "cfn-lint",
                Map::new().with("config", Map::new().with("ignore_checks", vec!["W3002"])),
            ),
        );
    if !parameters.is_empty() {
        generated.template.insert("Parameters", parameters);
    }
    generated.template.insert("Resources", resources);
    if !outputs.is_empty() {
        generated.template.insert("Outputs", outputs);
    }
    if errors.is_empty() {
        Ok(generated)
    } else {
        Err(errors)
    }
}

/// The declarations of each pool the stack creates, by pool name: the
/// declared pools, and those the lock records that a settings section keeps
/// without handlers (which, left out, would be deleted).
pub fn pools<'a>(
    manifest: &'a Manifest,
    settings: &'a Settings,
    lock: Option<&Lock>,
) -> BTreeMap<&'a str, Vec<(&'a Function, &'a Declared)>> {
    let mut pools: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for function in &manifest.functions {
        for declared in function.declarations.iter().filter(|d| !d.existing) {
            pools
                .entry(declared.pool.as_str())
                .or_default()
                .push((function, declared));
        }
    }
    for (pool, pool_settings) in &settings.pools {
        if lock::records(lock, pool, Some(pool_settings))
            && !PoolSettings::is_retired(Some(pool_settings))
        {
            pools.entry(pool.as_str()).or_default();
        }
    }
    pools
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::limits::LOGICAL_ID;
    use crate::build::node::{get_att, reference};
    use crate::build::settings::{ClientSettings, PoolSettings};
    use cognito_trigger_core::manifest::Location;
    use cognito_trigger_core::{KmsKey, Trigger};

    /// A pool name at Cognito's limit of 128 characters, all kept in the
    /// logical ID.
    const LONGEST_POOL: &str = "Northwestern0European0customer0accounts0migrated0from0the0LegacyDirectory0identity0provider0during0the020260springtime0migration";
    const _: () = assert!(LONGEST_POOL.len() == cognito_trigger_core::valid::POOL_NAME_MAX);

    fn at(file: &str) -> Location {
        Location {
            file: file.into(),
            line: 1,
            column: 1,
        }
    }

    fn function(bin: &str, declarations: &[(&str, Trigger)]) -> Function {
        let file = format!("src/bin/{bin}.rs");
        Function {
            bin: bin.into(),
            name: bin.into(),
            location: at(&file),
            declarations: declarations
                .iter()
                .map(|(pool, trigger)| Declared {
                    location: at(&file),
                    values: cognito_trigger_core::Values {
                        pool: (*pool).into(),
                        trigger: *trigger,
                        lambda_version: None,
                        kms_key: trigger.is_custom_sender().then(|| KmsKey::GetAtt {
                            resource: "CodesKey".into(),
                        }),
                        existing: false,
                        force_deploy: false,
                    },
                })
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    fn manifest_of(function: Function) -> Manifest {
        Manifest {
            package: "limits".into(),
            functions: vec![function],
            ..Manifest::default()
        }
    }

    fn template(manifest: &Manifest, settings: &Settings) -> Map {
        let generated = generate(manifest, settings, None, "../../..")
            .unwrap_or_else(|errors| panic!("{errors:#?}"));
        // The same input, the same template.
        let again = generate(manifest, settings, None, "../../..").ok().unwrap();
        assert_eq!(generated.template, again.template);
        generated.template
    }

    fn errors(manifest: &Manifest, settings: &Settings) -> Vec<String> {
        match generate(manifest, settings, None, "../../..") {
            Ok(_) => panic!("the template was generated"),
            Err(errors) => errors.iter().map(Problem::one_line).collect(),
        }
    }

    fn map(node: Option<&Node>) -> &Map {
        match node {
            Some(Node::Map(map)) => map,
            other => panic!("not a map: {other:?}"),
        }
    }

    fn text(node: Option<&Node>) -> &str {
        match node {
            Some(Node::String(text)) => text,
            other => panic!("not a string: {other:?}"),
        }
    }

    /// Asserts every limit of [`limits`] on `template`.
    fn assert_within_limits(template: &Map) {
        let description = text(template.get("Description"));
        assert!(description.len() <= limits::TEMPLATE_DESCRIPTION_BYTES);
        for section in ["Resources", "Outputs"] {
            for id in map(template.get(section)).keys() {
                assert!(id.len() <= LOGICAL_ID, "{section}.{id}: {}", id.len());
                assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
            }
        }
        for (id, resource) in map(template.get("Resources")).iter() {
            let resource = map(Some(resource));
            let properties = map(resource.get("Properties"));
            // Physical names are left to CloudFormation, which trims them to
            // the service's limit.
            let physical_name = match text(resource.get("Type")) {
                "AWS::Lambda::Function" => {
                    let description = text(properties.get("Description"));
                    assert!(description.chars().count() <= limits::LAMBDA_DESCRIPTION);
                    "FunctionName"
                }
                "AWS::Cognito::UserPoolClient" => {
                    let name = text(properties.get("ClientName"));
                    assert!(name.chars().count() <= limits::CLIENT_NAME);
                    continue;
                }
                "AWS::IAM::Role" => "RoleName",
                "AWS::Logs::LogGroup" => "LogGroupName",
                "AWS::SQS::Queue" => "QueueName",
                _ => continue,
            };
            assert!(
                properties.get(physical_name).is_none(),
                "{id} sets {physical_name}"
            );
        }
        for (name, output) in map(template.get("Outputs")).iter() {
            let output = map(Some(output));
            let description = text(output.get("Description"));
            assert!(description.chars().count() <= limits::OUTPUT_DESCRIPTION);
            let export = map(map(output.get("Export")).get("Name"));
            let suffix = text(export.get("Fn::Sub"))
                .strip_prefix("${AWS::StackName}-")
                .unwrap_or_else(|| panic!("{name}: {export:?}"));
            let longest = limits::STACK_NAME + "-".len() + suffix.len();
            assert!(longest <= limits::EXPORT_NAME, "{name}: {longest}");
        }
    }

    #[test]
    fn every_trigger_on_the_longest_pool_fits() {
        let declarations: Vec<_> = Trigger::ALL.iter().map(|t| (LONGEST_POOL, *t)).collect();
        let manifest = manifest_of(function("every_trigger", &declarations));
        let template = template(&manifest, &Settings::default());
        assert_within_limits(&template);
        let resources = map(template.get("Resources"));
        let function = map(resources.get("EveryTriggerLambdaFunction"));
        let description = text(map(function.get("Properties")).get("Description"));
        assert_eq!(
            description,
            format!(
                "PreSignUp on {LONGEST_POOL} and 12 more (fn every_trigger in src/bin/every_trigger.rs)"
            )
        );
    }

    #[test]
    fn permissions_of_long_names_are_shortened() {
        let bin = "b".repeat(240);
        let pools = [LONGEST_POOL, "Pool"];
        let declarations = pools.map(|pool| (pool, Trigger::PreSignUp));
        let template = template(
            &manifest_of(function(&bin, &declarations)),
            &Settings::default(),
        );
        assert_within_limits(&template);
        let permissions: Vec<&str> = map(template.get("Resources"))
            .iter()
            .filter(|(_, r)| text(map(Some(r)).get("Type")) == "AWS::Lambda::Permission")
            .map(|(id, _)| id)
            .collect();
        let head = format!("B{}", "b".repeat(122));
        assert_eq!(permissions.len(), 2);
        assert!(permissions.iter().all(|id| id.starts_with(&head)));
        for pool_end in ["springtime0migration", "PermissionCognitoUserPoolPool"] {
            let found = permissions.iter().any(|id| id.ends_with(pool_end));
            assert!(found, "{pool_end}: {permissions:?}");
        }
    }

    #[test]
    fn the_longest_client_name_fits() {
        let client = "c".repeat(limits::CLIENT_NAME);
        let settings = Settings {
            pools: BTreeMap::from([(
                LONGEST_POOL.to_owned(),
                PoolSettings {
                    clients: BTreeMap::from([(client.clone(), ClientSettings::default())]),
                    ..PoolSettings::default()
                },
            )]),
            ..Settings::default()
        };
        let manifest = manifest_of(function("screen", &[(LONGEST_POOL, Trigger::PreSignUp)]));
        let template = template(&manifest, &settings);
        assert_within_limits(&template);
        // The output keeps its client's ID: shortened once, then `Id`.
        let (client_id, _) = map(template.get("Resources"))
            .iter()
            .find(|(_, r)| text(map(Some(r)).get("Type")) == "AWS::Cognito::UserPoolClient")
            .unwrap();
        assert_eq!(client_id.len(), LOGICAL_ID - 2);
        assert!(
            map(template.get("Outputs"))
                .get(&format!("{client_id}Id"))
                .is_some()
        );
    }

    #[test]
    fn client_names_outside_cognitos_rules_are_errors() {
        let clients = [
            "web app",
            "web-app",
            "web/app",
            &"c".repeat(limits::CLIENT_NAME + 1),
        ];
        let settings = Settings {
            pools: BTreeMap::from([(
                "Pool".to_owned(),
                PoolSettings {
                    clients: clients
                        .iter()
                        .map(|name| (name.to_string(), ClientSettings::default()))
                        .collect(),
                    ..PoolSettings::default()
                },
            )]),
            ..Settings::default()
        };
        let manifest = manifest_of(function("screen", &[("Pool", Trigger::PreSignUp)]));
        let errors = errors(&manifest, &settings);
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("129 characters") && errors[0].contains("shorten it by 1"));
        assert!(errors[1].contains("\"web app\" and \"web-app\" both get logical ID"));
        assert!(errors[2].contains("clients.\"web/app\"") && errors[2].contains("'/'"));
    }

    #[test]
    fn binary_names_too_long_for_logical_ids_are_errors() {
        let bin = "b".repeat(241);
        let manifest = manifest_of(function(&bin, &[("Pool", Trigger::CustomEmailSender)]));
        let errors = errors(&manifest, &Settings::default());
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("gives its resources logical IDs of up to 256 characters"));
        assert!(errors[0].contains("DeadLetterQueue`") && errors[0].contains("by 1 ASCII"));
        // One character less fits.
        let manifest = manifest_of(function(&bin[1..], &[("Pool", Trigger::CustomEmailSender)]));
        assert_within_limits(&template(&manifest, &Settings::default()));
    }

    #[test]
    fn too_many_pools_for_one_stack_are_an_error() {
        let pools: Vec<String> = (0..=limits::OUTPUTS / 2)
            .map(|i| format!("Pool{i}"))
            .collect();
        let declarations: Vec<_> = pools
            .iter()
            .map(|p| (p.as_str(), Trigger::PreSignUp))
            .collect();
        let generated = template(
            &manifest_of(function("screen", &declarations)),
            &Settings::default(),
        );
        let errors: Vec<String> = check::quotas(&generated)
            .iter()
            .map(Problem::one_line)
            .collect();
        assert_eq!(
            errors,
            [
                "template: Outputs: the template has 202 outputs, and CloudFormation takes at most 200 in one stack: spread the pools and functions over several packages"
            ]
        );
        let fewer = manifest_of(function("screen", &declarations[1..]));
        assert_within_limits(&template(&fewer, &Settings::default()));
    }

    fn settings_from(text: &str) -> Settings {
        let table: toml::Table = toml::from_str(text).unwrap();
        let (settings, problems) = crate::build::settings::read(Some(&table));
        assert!(problems.is_empty(), "{problems:?}");
        settings
    }

    #[test]
    fn an_alias_is_what_cognito_and_the_permissions_name() {
        let mut function = function(
            "sign_up",
            &[("Pool", Trigger::PreSignUp), ("Old", Trigger::PreSignUp)],
        );
        function.declarations[1].values.existing = true;
        let manifest = manifest_of(function);
        let settings =
            settings_from("[functions.sign_up]\nalias = \"live\"\nprovisioned_concurrency = 2\n");
        let generated = generate(&manifest, &settings, None, "../../..").unwrap();
        let yaml = crate::build::yaml::to_yaml(&generated.template);
        let alias = reference("SignUpAlias");
        let resources = match generated.template.get("Resources") {
            Some(Node::Map(resources)) => resources,
            _ => panic!("{yaml}"),
        };
        let property = |id: &str, path: &[&str]| {
            let mut node = resources
                .get(id)
                .unwrap_or_else(|| panic!("{id} in {yaml}"));
            for key in ["Properties"].iter().chain(path) {
                node = match node {
                    Node::Map(map) => map
                        .get(key)
                        .unwrap_or_else(|| panic!("{id}.{key} in {yaml}")),
                    _ => panic!("{yaml}"),
                };
            }
            node.clone()
        };
        assert_eq!(
            property("CognitoUserPoolPool", &["LambdaConfig", "PreSignUp"]),
            alias
        );
        assert_eq!(
            property("SignUpPermissionCognitoUserPoolPool", &["FunctionName"]),
            alias
        );
        assert_eq!(
            property("SignUpAttachmentCognitoUserPoolOld", &["FunctionArn"]),
            alias
        );
        assert_eq!(property("SignUpAlias", &["Name"]), Node::from("live"));
        assert_eq!(
            property(
                "SignUpAlias",
                &[
                    "ProvisionedConcurrencyConfig",
                    "ProvisionedConcurrentExecutions"
                ]
            ),
            Node::from(2u32)
        );
        assert_eq!(
            property("SignUpAlias", &["FunctionVersion"]),
            get_att("SignUpVersion", "Version")
        );
        assert!(yaml.contains("CognitoTriggerDeployId:"), "{yaml}");
    }

    #[test]
    fn a_version_is_published_when_the_configuration_changes_and_only_then() {
        let manifest = manifest_of(function("sign_up", &[("Pool", Trigger::PreSignUp)]));
        let description = |text: &str| {
            let mut generated =
                generate(&manifest, &settings_from(text), None, "../../..").unwrap();
            crate::build::alias::publish_on_change(&mut generated.template, &generated.aliased);
            let yaml = crate::build::yaml::to_yaml(&generated.template);
            let start = yaml.find("SignUpVersion:").expect("a version");
            let line = yaml[start..]
                .lines()
                .find(|l| l.contains("configuration"))
                .unwrap();
            line.to_owned()
        };
        let live = description("alias = \"live\"\n");
        assert_eq!(
            live,
            description("alias = \"live\"\n"),
            "the same sources, the same template"
        );
        assert!(live.contains("deploy ${CognitoTriggerDeployId}"), "{live}");
        assert_ne!(live, description("alias = \"live\"\nmemory_size = 256\n"));
    }

    #[test]
    fn a_pool_renamed_from_one_still_declared_is_an_error() {
        let manifest = manifest_of(function(
            "sign_up",
            &[("Old", Trigger::PreSignUp), ("New", Trigger::PreSignUp)],
        ));
        let errors = errors(
            &manifest,
            &settings_from("[pools.New]\nrenamed_from = \"Old\"\n"),
        );
        assert_eq!(
            errors,
            [
                "Cargo.toml: package.metadata.cognito-trigger.pools.New.renamed_from: pools \"New\" and \"Old\" would both be `CognitoUserPoolOld`: a pool can be renamed from another only once that one is gone from the declarations"
            ]
        );
    }

    #[test]
    fn the_attach_function_follows_the_functions_one_architecture() {
        let mut legacy = function("legacy", &[("eu-west-1_AbC123", Trigger::PreSignUp)]);
        legacy.declarations[0].values.existing = true;
        let other = function("other", &[("Pool", Trigger::PostConfirmation)]);
        let manifest = Manifest {
            package: "arch".into(),
            functions: vec![legacy, other],
            ..Manifest::default()
        };
        let attach_architecture = |text: &str| {
            let generated = generate(&manifest, &settings_from(text), None, "../../..")
                .unwrap_or_else(|errors| panic!("{errors:#?}"));
            let yaml = crate::build::yaml::to_yaml(&generated.template);
            let attach = yaml
                .split("  CognitoTriggerAttachLambdaFunction:\n")
                .nth(1)
                .unwrap()
                .to_owned();
            attach
                .lines()
                .find(|l| l.contains("Architectures"))
                .unwrap()
                .trim()
                .to_owned()
        };
        assert_eq!(attach_architecture(""), "Architectures: [arm64]");
        assert_eq!(
            attach_architecture("architecture = \"x86_64\"\n"),
            "Architectures: [x86_64]"
        );
        assert_eq!(
            attach_architecture(
                "[functions.legacy]\narchitecture = \"x86_64\"\n[functions.other]\narchitecture = \"x86_64\"\n"
            ),
            "Architectures: [x86_64]"
        );
        let errors = errors(
            &manifest,
            &settings_from("[functions.legacy]\narchitecture = \"x86_64\"\n"),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("set `architecture` for the whole package"),
            "{errors:?}"
        );
    }

    #[test]
    fn provisioned_concurrency_needs_an_alias() {
        let manifest = manifest_of(function("sign_up", &[("Pool", Trigger::PreSignUp)]));
        let errors = errors(&manifest, &settings_from("provisioned_concurrency = 2\n"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("Cargo.toml: package.metadata.cognito-trigger.provisioned_concurrency: binary `sign_up` has provisioned concurrency but no alias"),
            "{errors:?}"
        );
    }
}
