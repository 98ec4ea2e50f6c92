//! `existing = true`: functions attached to pools the stack does not own,
//! through the `cognito-trigger-attach` custom resource, a binary of the
//! package itself (built from the `cognito-trigger-attach` crate, so that it
//! is built and deployed as the triggers are, wherever the crates come
//! from), one resource per (pool, function), so that deleting one takes back
//! exactly that function's triggers on that pool. Each reads its pool and
//! writes the pool's whole configuration back, and CloudFormation runs
//! resources without a dependency between them in parallel, so two at once on
//! one pool would erase each other's triggers: the attachments of a pool form
//! one `DependsOn` chain, in logical-ID order (those of different pools stay
//! parallel).

use super::cargo::Bin;
use super::ids::{DEPLOY_ID_PARAMETER, FunctionIds, PoolIds};
use super::lambda::{Lambda, TRIGGER_SKIPS, policy, statement};
use super::node::{Map, Node, reference, sub};
use super::pool::kms_key;
use super::settings::Architecture;
use cognito_trigger_core::ast::KmsKey;
use cognito_trigger_core::manifest::{Declared, Diagnostic, Function, Manifest, Part};
use cognito_trigger_core::naming::{PoolReference, pool_reference};
use std::collections::BTreeMap;

/// The package's binary that runs the custom resource: named as the
/// `cognito-trigger-attach` crate, whose `run()` is its `main`; it names
/// the function's resources as any binary does (`CognitoTriggerAttach...`).
pub const ATTACH_BINARY: &str = "cognito-trigger-attach";

/// How long the attach function may run: CloudFormation waits for its
/// answer, and its SDK calls take seconds.
const ATTACH_TIMEOUT_SECONDS: u32 = 300;

/// How long CloudFormation waits for an attachment's answer (its default is
/// an hour): a little longer than the function may run, so that a function
/// that cannot answer (a crash, a timeout) fails the deploy within minutes.
const SERVICE_TIMEOUT_SECONDS: u32 = ATTACH_TIMEOUT_SECONDS + 30;

/// Adds the attachments of `manifest`'s existing-pool declarations, their
/// custom resource function, and the deploy-ID parameter if any declaration
/// forces re-deployment. `package_path` is the package relative to the
/// template: the custom resource's function is one of its binaries, built
/// with the others for the package's `architecture`.
pub fn add_attachments(
    resources: &mut Map,
    parameters: &mut Map,
    manifest: &Manifest,
    (package_path, architecture): (&str, Architecture),
    targets: &BTreeMap<String, Node>,
) {
    let mut pairs: BTreeMap<(&str, &str), (&Function, Vec<&Declared>)> = BTreeMap::new();
    for function in &manifest.functions {
        for declared in function.declarations.iter().filter(|d| d.existing) {
            pairs
                .entry((declared.pool.as_str(), function.bin.as_str()))
                .or_insert((function, Vec::new()))
                .1
                .push(declared);
        }
    }
    if pairs.is_empty() {
        return;
    }
    let service_token = FunctionIds::of(ATTACH_BINARY).function_arn();
    let logical_id = |pool: &str, bin: &str| PoolIds::of(pool).attachment(bin);
    let mut chains: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (pool, bin) in pairs.keys() {
        chains
            .entry(pool_key(pool))
            .or_default()
            .push(logical_id(pool, bin));
    }
    let mut previous: BTreeMap<String, String> = BTreeMap::new();
    for ids in chains.values_mut() {
        ids.sort();
        for pair in ids.windows(2) {
            previous.insert(pair[1].clone(), pair[0].clone());
        }
    }
    let mut forced = false;
    let mut declared_document = AttachmentsDocument::default();
    for ((pool, bin), (function, declarations)) in &pairs {
        let force = declarations.iter().any(|d| d.force_deploy);
        forced |= force;
        let triggers: Vec<Node> = declarations
            .iter()
            .map(|d| {
                let mut entry = Map::new().with("Trigger", d.trigger.name());
                if let Some(version) = d.trigger.lambda_config(d.version()).1 {
                    entry.insert("LambdaVersion", version.name());
                }
                entry.into()
            })
            .collect();
        let mut properties = Map::new()
            .with("ServiceToken", service_token.clone())
            .with("ServiceTimeout", SERVICE_TIMEOUT_SECONDS)
            .with("UserPool", *pool)
            .with("FunctionArn", targets[&function.bin].clone())
            .with("Triggers", triggers.clone());
        let key = declarations.iter().find_map(|d| d.kms_key.as_ref());
        if let Some(key) = key {
            properties.insert("KmsKeyId", kms_key(key));
        }
        declared_document.add(pool, &targets[&function.bin], &triggers, key);
        if force {
            properties.insert("DeployId", reference(DEPLOY_ID_PARAMETER));
        }
        let id = logical_id(pool, bin);
        let mut resource = Map::new().with("Type", "Custom::CognitoTriggerAttachment");
        if let Some(previous) = previous.get(&id) {
            resource.insert("DependsOn", previous.as_str());
        }
        resources.insert(id, resource.with("Properties", properties));
    }
    if forced {
        add_deploy_id_parameter(parameters);
    }
    let declared: Vec<(&Function, &Declared)> = pairs
        .values()
        .flat_map(|(function, declarations)| declarations.iter().map(move |d| (*function, *d)))
        .collect();
    Lambda {
        bin: ATTACH_BINARY,
        description: "Attaches cognito-trigger functions to existing user pools (CloudFormation custom resource)".into(),
        architecture,
        memory_size: 128,
        timeout: ATTACH_TIMEOUT_SECONDS,
        log_retention_days: 365,
        policies: attach_policies(&declared, targets),
        managed_policy_arns: Vec::new(),
        // The only requests it acts on (cognito-trigger-attach's `declared`).
        environment: Map::new().with(ATTACHMENTS_VARIABLE, declared_document.into_node()),
        logging: Vec::new(),
        package_path,
        asynchronous: false,
        skips: vec![
            TRIGGER_SKIPS[0],
            (
                "CKV_AWS_115",
                "Runs only during deployments, once per custom resource request",
            ),
            (
                "CKV_AWS_116",
                "CloudFormation learns of every failure from the response it waits for; a dead-letter queue would add nothing",
            ),
            (
                "CKV_AWS_173",
                "Lambda encrypts environment variables at rest with its AWS managed key; this one holds the declared attachments (pool references and function ARNs the template already shows), no secret",
            ),
        ],
    }
    .add_to(resources);
}

/// The attach function's environment variable that lists the declared
/// attachments (read by `cognito_trigger_attach::declared`).
pub const ATTACHMENTS_VARIABLE: &str = "COGNITO_TRIGGER_ATTACHMENTS";

/// The attachments as one JSON document the attach function refuses every
/// other request by: `{"StackId", "Attachments": [{"UserPool",
/// "FunctionArn", "Triggers", "KmsKeyId"?}]}`, each attachment as its custom
/// resource's properties, so both resolve the same ARNs at deploy time. An
/// `Fn::Sub` whose variables are the ARNs only a deployment knows.
#[derive(Default)]
struct AttachmentsDocument {
    attachments: Vec<String>,
    variables: Map,
    /// The variable of each function or key node already named.
    named: Vec<(Node, String)>,
}

impl AttachmentsDocument {
    fn add(&mut self, pool: &str, target: &Node, triggers: &[Node], key: Option<&KmsKey>) {
        let function = self.variable("Function", target);
        let mut text = format!(
            "{{\"UserPool\":{},\"FunctionArn\":{function},\"Triggers\":{}",
            literal(&Node::from(pool)),
            literal(&Node::from(triggers.to_vec()))
        );
        if let Some(key) = key {
            let key = match kms_key(key) {
                Node::String(arn) => literal(&Node::String(arn)),
                node => self.variable("Key", &node),
            };
            text.push_str(&format!(",\"KmsKeyId\":{key}"));
        }
        text.push('}');
        self.attachments.push(text);
    }

    /// `"${<kind><n>}"`, the variable standing for `node` (one per node).
    fn variable(&mut self, kind: &str, node: &Node) -> String {
        let name = match self.named.iter().find(|(n, _)| n == node) {
            Some((_, known)) => known.clone(),
            None => {
                let n = self
                    .named
                    .iter()
                    .filter(|(_, v)| v.starts_with(kind))
                    .count();
                let name = format!("{kind}{n}");
                self.named.push((node.clone(), name.clone()));
                self.variables.insert(name.as_str(), node.clone());
                name
            }
        };
        format!("\"${{{name}}}\"")
    }

    fn into_node(self) -> Node {
        let text = format!(
            "{{\"StackId\":\"${{AWS::StackId}}\",\"Attachments\":[{}]}}",
            self.attachments.join(",")
        );
        Map::new()
            .with("Fn::Sub", vec![Node::from(text), self.variables.into()])
            .into()
    }
}

/// A literal node as JSON text inside `Fn::Sub` (where `${` would start a
/// variable: `${!` writes it).
fn literal(node: &Node) -> String {
    serde_json::to_string(node)
        .expect("literal nodes serialize")
        .replace("${", "${!")
}

/// Without the [`ATTACH_BINARY`] among `bins`, each `existing = true` gets a
/// diagnostic, which the macro reports at that token, saying what to add
/// (and no template is written meanwhile).
pub fn missing_attach_binary(manifest: &mut Manifest, bins: &[Bin]) {
    if bins.iter().any(|bin| bin.name == ATTACH_BINARY) {
        return;
    }
    let message = format!(
        "`existing = true` needs the package's binary `{ATTACH_BINARY}`, the custom resource that attaches the function to the pool: add `{ATTACH_BINARY} = \"{}.{}\"` under [dependencies] in Cargo.toml, and the file src/bin/{ATTACH_BINARY}.rs containing `fn main() {{ {}::run() }}`",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        ATTACH_BINARY.replace('-', "_"),
    );
    for function in &mut manifest.functions {
        for (index, declared) in function.declarations.iter().enumerate() {
            if declared.existing {
                function.diagnostics.push(Diagnostic {
                    declaration: index,
                    at: Part::Existing,
                    message: message.clone(),
                });
            }
        }
    }
}

/// One warning per existing pool declared by name: a name is resolved only
/// at deploy time, so the attach function's role may describe and update
/// every pool of the account and region (IAM has no condition on a pool's
/// name), where an ID or ARN limits it to that pool.
pub fn pool_name_warnings(manifest: &Manifest) -> Vec<String> {
    let mut names: Vec<&str> = manifest
        .functions
        .iter()
        .flat_map(|f| &f.declarations)
        .filter(|d| d.existing)
        .filter_map(|d| match pool_reference(&d.pool) {
            PoolReference::Name(name) => Some(name),
            PoolReference::Arn { .. } | PoolReference::Id(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            format!(
                "existing pool \"{name}\" is named by name: the attach function's role may then read and rewrite every user pool of the account and region (cognito-idp:DescribeUserPool and UpdateUserPool on userpool/*), since the name is resolved only at deploy time. Name it by ID or ARN (pool = \"<region>_<id>\") to limit the role to that pool"
            )
        })
        .collect()
}

/// The parameter whose new value on a deploy re-applies what the template
/// alone cannot show has changed: the `force_deploy` attachments, and the
/// code of functions behind an alias (a new version is published).
pub fn add_deploy_id_parameter(parameters: &mut Map) {
    parameters.insert(
        DEPLOY_ID_PARAMETER,
        Map::new()
            .with("Type", "String")
            .with("Default", "1")
            .with(
                "Description",
                format!("Give it a new value on each deploy (e.g. --parameter-overrides {DEPLOY_ID_PARAMETER}=$(date +%s)) to re-apply the triggers declared with force_deploy on existing pools and to publish new versions of the functions behind an alias"),
            ),
    );
}

/// Least privilege: the pools concerned (every pool, to list them, when one
/// is named by name: [`pool_name_warnings`] says so at build time), the
/// functions concerned, and the custom senders' keys.
fn attach_policies(
    declared: &[(&Function, &Declared)],
    targets: &BTreeMap<String, Node>,
) -> Vec<Node> {
    let mut pools: Vec<Node> = Vec::new();
    let mut by_name = false;
    let mut functions: Vec<Node> = Vec::new();
    let mut keys: Vec<Node> = Vec::new();
    for (function, declaration) in declared {
        let arn = match pool_reference(&declaration.pool) {
            PoolReference::Arn { .. } => declaration.pool.as_str().into(),
            PoolReference::Id(id) => pool_arn(id),
            PoolReference::Name(_) => {
                by_name = true;
                pool_arn("*")
            }
        };
        push_unique(&mut pools, arn);
        push_unique(
            &mut functions,
            FunctionIds::of(&function.bin).function_arn(),
        );
        // The permission goes on the alias Cognito invokes, if there is one.
        push_unique(&mut functions, targets[&function.bin].clone());
        if let Some(key) = &declaration.kms_key {
            push_unique(&mut keys, kms_key(key));
        }
    }
    let mut statements = vec![
        statement(
            vec!["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"].into(),
            pools.into(),
        ),
        // UpdateUserPool hands a pool's SMS role (SmsConfiguration's
        // SnsCallerArn) back to Cognito, which takes iam:PassRole on it. Which
        // role is known only once the pool is read; it is in the pool's
        // account, which is this one (a pool cannot be updated across accounts).
        Map::new()
            .with("Effect", "Allow")
            .with("Action", "iam:PassRole")
            .with(
                "Resource",
                sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"),
            )
            .with(
                "Condition",
                Map::new().with(
                    "StringEquals",
                    Map::new().with("iam:PassedToService", "cognito-idp.amazonaws.com"),
                ),
            )
            .into(),
    ];
    if by_name {
        // ListUserPools has no resource to scope it to.
        statements.push(statement("cognito-idp:ListUserPools".into(), "*".into()));
    }
    // AddPermission only for Cognito as the principal: the role cannot open
    // the functions to anyone else. GetPolicy tells an unchanged statement,
    // which is left alone; RemovePermission has no principal to condition on.
    statements.push(
        Map::new()
            .with("Effect", "Allow")
            .with("Action", "lambda:AddPermission")
            .with("Resource", functions.clone())
            .with(
                "Condition",
                Map::new().with(
                    "StringEquals",
                    Map::new().with("lambda:Principal", "cognito-idp.amazonaws.com"),
                ),
            )
            .into(),
    );
    statements.push(statement(
        vec!["lambda:GetPolicy", "lambda:RemovePermission"].into(),
        functions.into(),
    ));
    if !keys.is_empty() {
        // UpdateUserPool with a KMSKeyID grants Cognito the use of the key:
        // grants for an AWS service only, never for a principal of the role's choosing.
        statements.push(
            Map::new()
                .with("Effect", "Allow")
                .with("Action", "kms:CreateGrant")
                .with("Resource", keys)
                .with(
                    "Condition",
                    Map::new().with("Bool", Map::new().with("kms:GrantIsForAWSResource", "true")),
                )
                .into(),
        );
    }
    vec![policy("attach-triggers", statements)]
}

/// The pool a reference names, as far as the template can tell: the ARN and
/// the ID of a pool are one pool. A name is resolved only at deploy time, so
/// a name and the ID of one pool are two chains; should they race, the
/// handler's check after writing fails the attachment whose write was undone.
fn pool_key(pool: &str) -> &str {
    match pool_reference(pool) {
        PoolReference::Arn { id } | PoolReference::Id(id) => id,
        PoolReference::Name(name) => name,
    }
}

/// The ARN of the pool whose ID is `id`, in the stack's account and region.
pub fn pool_arn(id: &str) -> Node {
    sub(&format!(
        "arn:${{AWS::Partition}}:cognito-idp:${{AWS::Region}}:${{AWS::AccountId}}:userpool/{id}"
    ))
}

fn push_unique(list: &mut Vec<Node>, node: Node) {
    if !list.contains(&node) {
        list.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A manifest of `(binary, pool)` existing-pool declarations, one
    /// PostConfirmation each.
    fn manifest(declarations: &[(&str, &str)]) -> Manifest {
        let location = json!({"file": "src/main.rs", "line": 1, "column": 1});
        let mut functions: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
        for (bin, pool) in declarations {
            functions.entry(bin).or_default().push(json!({
                "location": location, "pool": pool, "trigger": "PostConfirmation", "existing": true
            }));
        }
        let functions: Vec<_> = functions
            .into_iter()
            .map(|(bin, declarations)| {
                json!({"bin": bin, "name": bin, "location": location, "declarations": declarations})
            })
            .collect();
        serde_json::from_value(json!({"package": "p", "functions": functions})).unwrap()
    }

    /// Each function invoked directly, without an alias.
    fn targets(manifest: &Manifest) -> BTreeMap<String, Node> {
        manifest
            .functions
            .iter()
            .map(|f| (f.bin.clone(), FunctionIds::of(&f.bin).invoke_target(false)))
            .collect()
    }

    fn depends_on(resources: &Map, id: &str) -> Option<Node> {
        match resources.get(id) {
            Some(Node::Map(resource)) => resource.get("DependsOn").cloned(),
            other => panic!("{id} is {other:?}"),
        }
    }

    #[test]
    fn attachments_of_one_pool_form_a_chain_in_logical_id_order() {
        let arn = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123";
        let manifest = manifest(&[
            ("zeta", "legacy"),
            ("alpha", "legacy"),
            ("mid", "legacy"),
            ("mid", "other"),
            ("by_id", "eu-west-1_AbC123"),
            ("by_arn", arn),
        ]);
        let mut resources = Map::new();
        add_attachments(
            &mut resources,
            &mut Map::new(),
            &manifest,
            ("..", Architecture::Arm64),
            &targets(&manifest),
        );
        let on = |id: &str| depends_on(&resources, id);
        assert_eq!(on("AlphaAttachmentCognitoUserPoolLegacy"), None);
        assert_eq!(
            on("MidAttachmentCognitoUserPoolLegacy"),
            Some("AlphaAttachmentCognitoUserPoolLegacy".into())
        );
        assert_eq!(
            on("ZetaAttachmentCognitoUserPoolLegacy"),
            Some("MidAttachmentCognitoUserPoolLegacy".into())
        );
        // Another pool's attachments run alongside.
        assert_eq!(on("MidAttachmentCognitoUserPoolOther"), None);
        // The ARN and the ID of one pool are one pool.
        let by_arn = PoolIds::of(arn).attachment("by_arn");
        assert_eq!(on(&by_arn), None);
        assert_eq!(
            on("ByIdAttachmentCognitoUserPoolEuwest1AbC123"),
            Some(by_arn.into())
        );
    }

    #[test]
    fn the_attach_role_may_pass_only_roles_of_its_account_only_to_cognito() {
        let mut resources = Map::new();
        let manifest = manifest(&[("users", "legacy")]);
        add_attachments(
            &mut resources,
            &mut Map::new(),
            &manifest,
            ("..", Architecture::Arm64),
            &targets(&manifest),
        );
        let role = serde_json::to_value(resources.get("CognitoTriggerAttachRole")).unwrap();
        let statements = role["Properties"]["Policies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().unwrap().clone());
        let pass_role: Vec<_> = statements
            .filter(|s| s["Action"] == "iam:PassRole")
            .collect();
        assert_eq!(
            pass_role,
            [json!({
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"},
                "Condition": {"StringEquals": {"iam:PassedToService": "cognito-idp.amazonaws.com"}}
            })]
        );
    }

    fn role_statements(resources: &Map) -> Vec<serde_json::Value> {
        let role = serde_json::to_value(resources.get("CognitoTriggerAttachRole")).unwrap();
        role["Properties"]["Policies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().unwrap().clone())
            .collect()
    }

    /// `Fn::Sub` as CloudFormation resolves it, with `values` for its variables.
    fn resolve_sub(sub: &serde_json::Value, values: &[(&str, &str)]) -> String {
        let [text, variables] = sub["Fn::Sub"].as_array().unwrap().as_slice() else {
            panic!("{sub}");
        };
        let mut text = text.as_str().unwrap().to_owned();
        for (name, _) in variables.as_object().unwrap() {
            let value = values.iter().find(|(n, _)| n == name).unwrap().1;
            text = text.replace(&format!("${{{name}}}"), value);
        }
        text.replace("${AWS::StackId}", "arn:stack")
            .replace("${!", "${")
    }

    #[test]
    fn the_attach_function_is_given_the_declared_attachments_and_its_stack() {
        let mut manifest = manifest(&[("users", "legacy"), ("users", "eu-west-1_AbC123")]);
        manifest.functions[0].declarations[0].values.kms_key = Some(KmsKey::GetAtt {
            resource: "Key".into(),
        });
        manifest.functions[0].declarations[0].values.trigger =
            cognito_trigger_core::Trigger::CustomSMSSender;
        let mut resources = Map::new();
        add_attachments(
            &mut resources,
            &mut Map::new(),
            &manifest,
            ("..", Architecture::Arm64),
            &targets(&manifest),
        );
        let function =
            serde_json::to_value(resources.get("CognitoTriggerAttachLambdaFunction")).unwrap();
        let variables = &function["Properties"]["Environment"]["Variables"];
        let sub = &variables[ATTACHMENTS_VARIABLE];
        assert_eq!(
            sub["Fn::Sub"][1],
            json!({"Function0": {"Fn::GetAtt": ["UsersLambdaFunction", "Arn"]}, "Key0": {"Fn::GetAtt": ["Key", "Arn"]}})
        );
        let document: serde_json::Value = serde_json::from_str(&resolve_sub(
            sub,
            &[("Function0", "arn:users"), ("Key0", "arn:key")],
        ))
        .unwrap();
        assert_eq!(
            document,
            json!({"StackId": "arn:stack", "Attachments": [
                {"UserPool": "eu-west-1_AbC123", "FunctionArn": "arn:users", "Triggers": [{"Trigger": "PostConfirmation"}]},
                {"UserPool": "legacy", "FunctionArn": "arn:users", "Triggers": [{"Trigger": "CustomSMSSender", "LambdaVersion": "V1_0"}], "KmsKeyId": "arn:key"},
            ]})
        );
        // Each is its custom resource's properties, as CloudFormation sends them.
        let attachment =
            serde_json::to_value(resources.get("UsersAttachmentCognitoUserPoolLegacy")).unwrap();
        let properties = &attachment["Properties"];
        assert_eq!(properties["UserPool"], "legacy");
        assert_eq!(
            properties["Triggers"],
            document["Attachments"][1]["Triggers"]
        );
        assert_eq!(properties["FunctionArn"], sub["Fn::Sub"][1]["Function0"]);
        assert_eq!(properties["KmsKeyId"], sub["Fn::Sub"][1]["Key0"]);
    }

    #[test]
    fn the_attach_role_adds_permissions_for_cognito_and_grants_keys_to_aws_services_only() {
        let mut manifest = manifest(&[("users", "eu-west-1_AbC123")]);
        manifest.functions[0].declarations[0].values.kms_key = Some(KmsKey::GetAtt {
            resource: "Key".into(),
        });
        manifest.functions[0].declarations[0].values.trigger =
            cognito_trigger_core::Trigger::CustomEmailSender;
        let mut resources = Map::new();
        add_attachments(
            &mut resources,
            &mut Map::new(),
            &manifest,
            ("..", Architecture::Arm64),
            &targets(&manifest),
        );
        let statements = role_statements(&resources);
        let with = |action: &str| -> Vec<&serde_json::Value> {
            statements
                .iter()
                .filter(|s| {
                    s["Action"] == action
                        || s["Action"]
                            .as_array()
                            .is_some_and(|a| a.contains(&json!(action)))
                })
                .collect()
        };
        let add = with("lambda:AddPermission");
        assert_eq!(add.len(), 1, "{statements:?}");
        assert_eq!(
            add[0]["Condition"],
            json!({"StringEquals": {"lambda:Principal": "cognito-idp.amazonaws.com"}})
        );
        assert_eq!(with("lambda:GetPolicy").len(), 1, "{statements:?}");
        let grant = with("kms:CreateGrant");
        assert_eq!(grant.len(), 1, "{statements:?}");
        assert_eq!(
            grant[0]["Condition"],
            json!({"Bool": {"kms:GrantIsForAWSResource": "true"}})
        );
        assert_eq!(
            grant[0]["Resource"],
            json!([{"Fn::GetAtt": ["Key", "Arn"]}])
        );
    }

    #[test]
    fn a_pool_named_by_name_is_warned_about() {
        let arn = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123";
        let manifest = manifest(&[
            ("a", "legacy"),
            ("b", "legacy"),
            ("c", "eu-west-1_XyZ789"),
            ("d", arn),
        ]);
        let warnings = pool_name_warnings(&manifest);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("existing pool \"legacy\" is named by name: the attach function's role may then read and rewrite every user pool"),
            "{}",
            warnings[0]
        );
    }
}
