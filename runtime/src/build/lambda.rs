//! A Lambda function as the template deploys it: the function, a role that
//! may write only to its own log group (plus what the caller adds), that log
//! group and, for asynchronous functions, a dead-letter queue.

use super::ids::FunctionIds;
use super::node::{Map, Node};
use super::settings::{Architecture, Named};

pub struct Lambda<'a> {
    /// The cargo binary, which names the resources ([`FunctionIds`]);
    /// cargo-lambda writes it to `target/lambda/<bin>/`.
    pub bin: &'a str,
    pub description: String,
    pub architecture: Architecture,
    pub memory_size: u32,
    pub timeout: u32,
    pub log_retention_days: u32,
    /// The role's policies besides writing its logs.
    pub policies: Vec<Node>,
    /// AWS managed or customer managed policies the role also gets.
    pub managed_policy_arns: Vec<String>,
    /// `Environment.Variables`.
    pub environment: Map,
    /// `LoggingConfig` besides its log group: `LogFormat`,
    /// `ApplicationLogLevel`, `SystemLogLevel`, each if set.
    pub logging: Vec<(&'static str, &'static str)>,
    /// The package that builds `bin`, relative to the template, for `sam build`.
    pub package_path: &'a str,
    /// Invoked asynchronously: failed events go to a dead-letter queue.
    pub asynchronous: bool,
    /// checkov findings that do not apply, with the reason.
    pub skips: Vec<(&'static str, &'static str)>,
}

impl Lambda<'_> {
    pub fn add_to(mut self, resources: &mut Map) {
        let ids = FunctionIds::of(self.bin);
        let mut policies = vec![policy(
            "write-logs",
            vec![statement(
                vec!["logs:CreateLogStream", "logs:PutLogEvents"].into(),
                ids.log_group_arn(),
            )],
        )];
        policies.append(&mut self.policies);
        let mut properties = Map::new()
            .with("Description", self.description.as_str())
            .with("Runtime", "provided.al2023")
            .with("Handler", "bootstrap")
            .with("Architectures", vec![self.architecture.name()])
            .with("MemorySize", self.memory_size)
            .with("Timeout", self.timeout)
            // cargo-lambda's output, relative to target/cognito/<package>/.
            .with("Code", format!("../../lambda/{}/", self.bin))
            .with("Role", ids.role_arn());
        if !self.environment.is_empty() {
            properties.insert(
                "Environment",
                Map::new().with("Variables", self.environment),
            );
        }
        let mut logging = Map::new().with("LogGroup", ids.log_group_name());
        for (key, value) in &self.logging {
            logging.insert(*key, *value);
        }
        properties.insert("LoggingConfig", logging);
        if self.asynchronous {
            policies.push(policy(
                "send-dead-letters",
                vec![statement("sqs:SendMessage".into(), ids.queue_arn())],
            ));
            properties.insert(
                "DeadLetterConfig",
                Map::new().with("TargetArn", ids.queue_arn()),
            );
            resources.insert(
                ids.queue,
                resource(
                    "AWS::SQS::Queue",
                    &[(
                        "CKV_AWS_27",
                        "Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled), which need no KMS grant; the check looks for KmsMasterKeyId only",
                    )],
                    Map::new()
                        .with("SqsManagedSseEnabled", true)
                        .with("MessageRetentionPeriod", 1_209_600u32),
                ),
            );
        }
        resources.insert(
            ids.role,
            resource(
                "AWS::IAM::Role",
                &[],
                Map::new()
                    .with(
                        "AssumeRolePolicyDocument",
                        Map::new().with("Version", "2012-10-17").with(
                            "Statement",
                            vec![Node::from(
                                Map::new()
                                    .with("Effect", "Allow")
                                    .with(
                                        "Principal",
                                        Map::new().with("Service", "lambda.amazonaws.com"),
                                    )
                                    .with("Action", "sts:AssumeRole"),
                            )],
                        ),
                    )
                    .with("Policies", policies)
                    .with_some(
                        "ManagedPolicyArns",
                        (!self.managed_policy_arns.is_empty())
                            .then(|| Node::from(self.managed_policy_arns.clone())),
                    ),
            ),
        );
        resources.insert(
            ids.log_group,
            resource(
                "AWS::Logs::LogGroup",
                &[(
                    "CKV_AWS_158",
                    "CloudWatch Logs encrypts log data at rest; the functions log no secrets. Set KmsKeyId in the overrides to use a customer managed key",
                )],
                Map::new().with("RetentionInDays", self.log_retention_days),
            ),
        );
        // `sam build` builds the binary with cargo-lambda, in the package
        // (SAM reads the asset path in place of `Code`, which the AWS CLI's
        // `cloudformation package` uploads as it is).
        let mut metadata = Map::new()
            .with("BuildMethod", "rust-cargolambda")
            .with("BuildProperties", Map::new().with("Binary", self.bin));
        metadata.insert("aws:asset:path", self.package_path);
        metadata.insert("aws:asset:property", "Code");
        metadata.insert("checkov", checkov_skips(&self.skips));
        resources.insert(
            ids.function,
            Map::new()
                .with("Type", "AWS::Lambda::Function")
                .with("Metadata", metadata)
                .with("Properties", properties),
        );
    }
}

/// A resource of `kind` with `properties`, and checkov's `skips` if any.
fn resource(kind: &str, skips: &[(&str, &str)], properties: Map) -> Map {
    let mut resource = Map::new().with("Type", kind);
    if !skips.is_empty() {
        resource.insert("Metadata", Map::new().with("checkov", checkov_skips(skips)));
    }
    resource.with("Properties", properties)
}

pub fn statement(action: Node, resource: Node) -> Node {
    Map::new()
        .with("Effect", "Allow")
        .with("Action", action)
        .with("Resource", resource)
        .into()
}

pub fn policy(name: &str, statements: Vec<Node>) -> Node {
    Map::new()
        .with("PolicyName", name)
        .with(
            "PolicyDocument",
            Map::new()
                .with("Version", "2012-10-17")
                .with("Statement", statements),
        )
        .into()
}

/// Checkov's `Metadata` entry that skips `checks`, each with its reason.
fn checkov_skips(checks: &[(&str, &str)]) -> Map {
    let skips: Vec<Node> = checks
        .iter()
        .map(|(id, comment)| Map::new().with("id", *id).with("comment", *comment).into())
        .collect();
    Map::new().with("skip", skips)
}

/// checkov's VPC and concurrency findings, which do not apply to a trigger.
pub const TRIGGER_SKIPS: [(&str, &str); 2] = [
    (
        "CKV_AWS_117",
        "The function reaches no private network; a VPC would add cold-start time against Cognito's 5-second limit. Set VpcConfig in the overrides if it needs one",
    ),
    (
        "CKV_AWS_115",
        "A concurrency limit makes Cognito fail sign-ups and sign-ins once reached. Set ReservedConcurrentExecutions in the overrides to cap it deliberately",
    ),
];
