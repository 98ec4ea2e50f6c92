//! Whole packages built with cargo, as users build them: the checks that
//! span several functions are compile errors at each offending attribute,
//! naming the other places; a declaration the build step cannot see is
//! refused; `cargo check`, `cargo build` and an incremental rebuild write the
//! same manifest and template, and a removed handler leaves the template.
//!
//! The packages are written under target/tests/packages/ and share one
//! target directory there, so the dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    workspace().join("target/tests/packages/target")
}

struct Package {
    name: String,
    dir: PathBuf,
}

impl Package {
    /// A package with cognito-trigger, its build step and `files`.
    fn new(name: &str, files: &[(&str, &str)]) -> Package {
        Self::with_manifest(name, files, true)
    }

    fn with_manifest(name: &str, files: &[(&str, &str)], build_step: bool) -> Package {
        let dir = workspace().join("target/tests/packages").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let runtime = workspace().join("runtime");
        let runtime = runtime.display();
        let mut manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\ncognito-trigger = {{ path = \"{runtime}\" }}\n"
        );
        if build_step {
            manifest.push_str(&format!(
                "\n[build-dependencies]\ncognito-trigger = {{ path = \"{runtime}\", default-features = false, features = [\"build\"] }}\n"
            ));
        }
        let mut all: Vec<(&str, String)> = vec![("Cargo.toml", manifest)];
        if build_step {
            all.push((
                "build.rs",
                "fn main() {\n    cognito_trigger::build::run();\n}\n".into(),
            ));
        }
        for (path, text) in files {
            if *path == "Cargo.toml+" {
                all[0].1.push_str(text);
            } else {
                all.push((path, (*text).to_owned()));
            }
        }
        for (path, text) in all {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        // The workspace's versions, so nothing new is resolved or compiled.
        std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Package {
            name: name.to_owned(),
            dir,
        }
    }

    /// Runs `cargo <command>`; returns whether it succeeded and its stderr.
    fn cargo(&self, command: &str) -> (bool, String) {
        let output = Command::new(env!("CARGO"))
            .args([command, "--offline", "--quiet", "--message-format=short"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("COGNITO_TRIGGER_SKIP_MANIFEST")
            .output()
            .expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn fails(&self) -> String {
        let (success, stderr) = self.cargo("check");
        assert!(!success, "{} should not compile:\n{stderr}", self.name);
        stderr
    }

    /// The directory of the binaries' parts of the manifest, in the OUT_DIR
    /// of the package's latest build script run.
    fn manifest_parts(&self) -> PathBuf {
        std::fs::read_dir(target_dir().join("debug/build"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|dir| {
                dir.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{}-", self.name)))
            })
            .map(|dir| dir.join("out/cognito-trigger/bins"))
            .filter(|parts| parts.is_dir())
            .max_by_key(|parts| parts.metadata().unwrap().modified().unwrap())
            .expect("the build step wrote the binaries' parts")
    }

    fn template(&self) -> Option<String> {
        std::fs::read_to_string(
            target_dir()
                .join("cognito")
                .join(&self.name)
                .join("template.yaml"),
        )
        .ok()
    }
}

fn handler(pool_and_trigger: &str, name: &str) -> String {
    format!(
        "use cognito_trigger::events::CognitoEvent;\nuse cognito_trigger::{{Error, cognito_trigger}};\n\n#[cognito_trigger({pool_and_trigger})]\nasync fn {name}(event: CognitoEvent) -> Result<CognitoEvent, Error> {{\n    Ok(event)\n}}\n"
    )
}

/// The lines of `stderr` that report an error at `place` (`file:line:column`).
fn errors_at<'a>(stderr: &'a str, place: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|line| line.starts_with(&format!("{place}: error")))
        .collect()
}

#[test]
fn two_functions_for_one_trigger() {
    let package = Package::new(
        "two-functions-for-one-trigger",
        &[
            (
                "src/bin/a.rs",
                &handler("pool = \"P\", trigger = PreSignUp", "a"),
            ),
            (
                "src/bin/b.rs",
                &handler("pool = \"P\", trigger = PreSignUp", "b"),
            ),
        ],
    );
    let stderr = package.fails();
    // Each error points at the `PreSignUp` token and names the other function.
    let at_a = errors_at(&stderr, "src/bin/a.rs:4:41");
    let at_b = errors_at(&stderr, "src/bin/b.rs:4:41");
    assert_eq!((at_a.len(), at_b.len()), (1, 1), "{stderr}");
    assert!(
        at_a[0].contains(
            "pool \"P\" has one PreSignUp trigger, and `b` (src/bin/b.rs:4:1) declares it too"
        ),
        "{stderr}"
    );
    assert!(
        at_b[0].contains("`a` (src/bin/a.rs:4:1) declares it too"),
        "{stderr}"
    );
    assert!(
        package.template().is_none(),
        "no template for a package with errors"
    );
}

#[test]
fn one_kms_key_per_pool() {
    let arn = "arn:aws:kms:eu-west-1:111111111111:key/12345678-9abc-def0-1234-56789abcdef1";
    let package = Package::new(
        "one-kms-key-per-pool",
        &[
            (
                "src/bin/sms.rs",
                &handler(
                    &format!("pool = \"P\", trigger = CustomSMSSender, kms_key_id = \"{arn}\""),
                    "sms",
                ),
            ),
            (
                "src/bin/email.rs",
                &handler(
                    "pool = \"P\", trigger = CustomEmailSender, kms_key_id = get_att(\"Key\", \"Arn\")",
                    "email",
                ),
            ),
        ],
    );
    let stderr = package.fails();
    assert_eq!(
        errors_at(&stderr, "src/bin/sms.rs:4:71").len(),
        1,
        "{stderr}"
    );
    assert_eq!(
        errors_at(&stderr, "src/bin/email.rs:4:73").len(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("has one KMS key (its KMSKeyID) for all its custom senders"),
        "{stderr}"
    );
}

#[test]
fn pool_names_with_one_logical_id() {
    let package = Package::new(
        "pool-names-with-one-logical-id",
        &[
            (
                "src/bin/a.rs",
                &handler("pool = \"my-pool\", trigger = PreSignUp", "a"),
            ),
            (
                "src/bin/b.rs",
                &handler("pool = \"mypool\", trigger = PreSignUp", "b"),
            ),
        ],
    );
    let stderr = package.fails();
    let at_a = errors_at(&stderr, "src/bin/a.rs:4:26");
    assert_eq!(at_a.len(), 1, "{stderr}");
    assert!(at_a[0].contains("pool names \"my-pool\" and \"mypool\" (in `b` (src/bin/b.rs:4:1)) both become the logical ID `CognitoUserPoolMypool`"), "{stderr}");
    assert_eq!(errors_at(&stderr, "src/bin/b.rs:4:26").len(), 1, "{stderr}");
}

#[test]
fn two_functions_in_one_binary() {
    let source = handler("pool = \"P\", trigger = PreSignUp", "a")
        + "\n#[cognito_trigger(pool = \"P\", trigger = PostConfirmation)]\nasync fn b(event: CognitoEvent) -> Result<CognitoEvent, Error> {\n    Ok(event)\n}\n";
    let package = Package::new("two-functions-in-one-binary", &[("src/main.rs", &source)]);
    let stderr = package.fails();
    assert_eq!(errors_at(&stderr, "src/main.rs:4:1").len(), 1, "{stderr}");
    assert_eq!(errors_at(&stderr, "src/main.rs:9:1").len(), 1, "{stderr}");
    assert!(
        stderr.contains("binary `two-functions-in-one-binary` has more than one trigger function"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("E0428"),
        "no duplicate `main` on top:\n{stderr}"
    );
}

#[test]
fn declarations_the_build_step_cannot_see() {
    let generated = "use cognito_trigger::events::CognitoEvent;\nuse cognito_trigger::{Error, cognito_trigger};\n\nmacro_rules! trigger {\n    ($name:ident) => {\n        #[cognito_trigger(pool = \"P\", trigger = PreSignUp)]\n        async fn $name(event: CognitoEvent) -> Result<CognitoEvent, Error> {\n            Ok(event)\n        }\n    };\n}\n\ntrigger!(made_by_a_macro);\n";
    let conditional = "use cognito_trigger::events::CognitoEvent;\nuse cognito_trigger::{Error, cognito_trigger};\n\n#[cfg_attr(all(), cognito_trigger(pool = \"P\", trigger = PostConfirmation))]\nasync fn conditional(event: CognitoEvent) -> Result<CognitoEvent, Error> {\n    Ok(event)\n}\n";
    let package = Package::new(
        "declarations-the-build-step-cannot-see",
        &[
            ("src/bin/generated.rs", generated),
            ("src/bin/conditional.rs", conditional),
        ],
    );
    let stderr = package.fails();
    let unseen =
        "the build step did not see this declaration, so the deployment template would miss it";
    assert_eq!(stderr.matches(unseen).count(), 2, "{stderr}");
    assert!(
        errors_at(&stderr, "src/bin/conditional.rs:4:19")[0].contains(unseen),
        "{stderr}"
    );
}

#[test]
fn a_package_without_the_build_step() {
    let package = Package::with_manifest(
        "a-package-without-the-build-step",
        &[(
            "src/main.rs",
            &handler("pool = \"P\", trigger = PreSignUp", "a"),
        )],
        false,
    );
    let stderr = package.fails();
    let at = errors_at(&stderr, "src/main.rs:4:1");
    assert!(
        at[0].contains("this package has no build step")
            && at[0].contains("cognito_trigger::build::run()"),
        "{stderr}"
    );
}

#[test]
fn settings_mistakes_fail_the_build_with_a_suggestion() {
    let package = Package::new(
        "settings-mistakes",
        &[
            (
                "src/main.rs",
                &handler("pool = \"MyPool\", trigger = PreSignUp", "a"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\nmemory = 256\n\n[package.metadata.cognito-trigger.pools.MyPol]\nusername_attributes = [\"email\"]\n",
            ),
        ],
    );
    let stderr = package.fails();
    // At the key's line and column in Cargo.toml, for editors and CI.
    assert!(
        stderr.contains(
            "Cargo.toml:16:1: package.metadata.cognito-trigger.memory: unknown key: did you mean `memory_size`?"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("no #[cognito_trigger] declares pool \"MyPol\": did you mean \"MyPool\"?"),
        "{stderr}"
    );
}

/// The template of `package` after a good build, then none after `break_it`
/// makes the build fail, then again after `fix_it`: a failed build never
/// leaves a template to deploy, stale or truncated.
fn no_template_after_a_failed_build(
    package: &Package,
    break_it: impl FnOnce(&Path),
    fix_it: impl FnOnce(&Path),
) {
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let good = package
        .template()
        .expect("a good build writes the template");
    break_it(&package.dir);
    let stderr = package.fails();
    assert_eq!(
        package.template(),
        None,
        "a failed build leaves no template.yaml:\n{stderr}"
    );
    let json = target_dir()
        .join("cognito")
        .join(&package.name)
        .join("template.json");
    assert!(!json.exists(), "nor template.json");
    fix_it(&package.dir);
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert_eq!(package.template().as_deref(), Some(good.as_str()));
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_misspelt_trigger_leaves_no_truncated_template() {
    let package = Package::new(
        "misspelt-trigger",
        &[
            (
                "src/bin/sign_up.rs",
                &handler("pool = \"P\", trigger = PreSignUp", "sign_up"),
            ),
            (
                "src/bin/confirm.rs",
                &handler("pool = \"P\", trigger = PostConfirmation", "confirm"),
            ),
        ],
    );
    no_template_after_a_failed_build(
        &package,
        |dir| {
            edit(
                dir,
                "src/bin/confirm.rs",
                "PostConfirmation",
                "PostConfirmaton",
            )
        },
        |dir| {
            edit(
                dir,
                "src/bin/confirm.rs",
                "PostConfirmaton",
                "PostConfirmation",
            )
        },
    );
}

#[test]
fn a_lone_wrong_trigger_leaves_no_empty_template() {
    let package = Package::new(
        "lone-wrong-trigger",
        &[(
            "src/main.rs",
            &handler("pool = \"P\", trigger = PreSignUp", "sign_up"),
        )],
    );
    no_template_after_a_failed_build(
        &package,
        |dir| edit(dir, "src/main.rs", "PreSignUp", "PostSignUp"),
        |dir| edit(dir, "src/main.rs", "PostSignUp", "PreSignUp"),
    );
}

#[test]
fn failed_settings_overrides_cycles_and_limits_leave_no_stale_template() {
    let package = Package::new(
        "failures-leave-no-template",
        &[
            (
                "src/main.rs",
                &handler("pool = \"MyPool\", trigger = PreSignUp", "a"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\noverrides = \"resources.yaml\"\nmemory_size = 256\n",
            ),
            (
                "resources.yaml",
                "Resources:\n  FailuresLeaveNoTemplateLambdaFunction:\n    Properties:\n      Tags: []\n",
            ),
        ],
    );
    // A setting.
    no_template_after_a_failed_build(
        &package,
        |dir| edit(dir, "Cargo.toml", "memory_size = 256", "memory_size = 64"),
        |dir| edit(dir, "Cargo.toml", "memory_size = 64", "memory_size = 256"),
    );
    // The overrides file, with the line and column of the mistake.
    no_template_after_a_failed_build(
        &package,
        |dir| edit(dir, "resources.yaml", "Resources:", "Resource:"),
        |dir| edit(dir, "resources.yaml", "Resource:", "Resources:"),
    );
    let yaml = "resources.yaml";
    edit(&package.dir, yaml, "Resources:", "Resource:");
    let stderr = package.fails();
    assert!(
        stderr.contains(
            "resources.yaml:1:1: Resource: unknown template section: did you mean `Resources`?"
        ),
        "{stderr}"
    );
    edit(&package.dir, yaml, "Resource:", "Resources:");
    // A circular dependency.
    no_template_after_a_failed_build(
        &package,
        |dir| {
            edit(
                dir,
                yaml,
                "Tags: []",
                "Environment: { Variables: { POOL: !Ref CognitoUserPoolMyPool } }",
            )
        },
        |dir| {
            edit(
                dir,
                yaml,
                "Environment: { Variables: { POOL: !Ref CognitoUserPoolMyPool } }",
                "Tags: []",
            )
        },
    );
    // A limit: Cognito waits 5 s at most.
    no_template_after_a_failed_build(
        &package,
        |dir| edit(dir, yaml, "Tags: []", "Timeout: 30"),
        |dir| edit(dir, yaml, "Timeout: 30", "Tags: []"),
    );
    edit(&package.dir, yaml, "Tags: []", "Timeout: 30");
    let stderr = package.fails();
    assert!(
        stderr.contains("resources.yaml:4:16: Resources.FailuresLeaveNoTemplateLambdaFunction.Properties.Timeout: 30 s, but Cognito waits at most 5 s"),
        "{stderr}"
    );
}

#[test]
fn a_key_the_template_does_not_define_is_an_error_at_the_declaration() {
    let declaration =
        "pool = \"P\", trigger = CustomEmailSender, kms_key_id = get_att(\"CodesKey\", \"Arn\")";
    let package = Package::new(
        "undefined-key",
        &[
            ("src/main.rs", &handler(declaration, "send")),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\noverrides = \"resources.yaml\"\n",
            ),
            (
                "resources.yaml",
                "Resources:\n  CodesKey:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: {}\n",
            ),
        ],
    );
    no_template_after_a_failed_build(
        &package,
        |dir| edit(dir, "resources.yaml", "CodesKey:", "CodeKey:"),
        |dir| edit(dir, "resources.yaml", "CodeKey:", "CodesKey:"),
    );
    edit(&package.dir, "resources.yaml", "CodesKey:", "CodeKey:");
    let stderr = package.fails();
    // One error, at `kms_key_id`, naming the overrides file; none from the
    // build script about generated template paths.
    let at = errors_at(&stderr, "src/main.rs:4:73");
    assert_eq!(at.len(), 1, "{stderr}");
    assert!(
        at[0].contains("the template defines no resource `CodesKey`")
            && at[0].contains("in resources.yaml, the overrides file")
            && at[0].contains("arn:aws:kms:<region>:<account>:key/<key-id>"),
        "{stderr}"
    );
    assert_eq!(stderr.matches(": error").count(), 1, "{stderr}");
}

#[test]
fn a_function_that_depends_on_its_pool_is_refused() {
    let package = Package::new(
        "function-depends-on-its-pool",
        &[
            (
                "src/main.rs",
                &handler("pool = \"MyPool\", trigger = PreSignUp", "a"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\noverrides = \"resources.yaml\"\n",
            ),
            (
                "resources.yaml",
                "Resources:\n  FunctionDependsOnItsPoolLambdaFunction:\n    Properties:\n      Environment:\n        Variables:\n          POOL_ID: !Ref CognitoUserPoolMyPool\n",
            ),
        ],
    );
    let stderr = package.fails();
    assert!(stderr.contains("circular dependency: CognitoUserPoolMyPool needs FunctionDependsOnItsPoolLambdaFunction (CognitoUserPoolMyPool.Properties.LambdaConfig.PreSignUp)"), "{stderr}");
    assert!(
        stderr.contains("`event.user_pool_id`"),
        "the message says how to fix it:\n{stderr}"
    );
}

#[test]
fn every_build_writes_the_same_template_and_follows_edits() {
    let package = Package::new(
        "rebuilds",
        &[
            (
                "src/bin/sign_up.rs",
                &handler("pool = \"P\", trigger = PreSignUp", "sign_up"),
            ),
            (
                "src/bin/confirm.rs",
                &handler("pool = \"P\", trigger = PostConfirmation", "confirm"),
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let checked = package.template().expect("cargo check writes the template");
    assert!(checked.contains("ConfirmLambdaFunction") && checked.contains("SignUpLambdaFunction"));

    let (success, stderr) = package.cargo("build");
    assert!(success, "{stderr}");
    assert_eq!(
        package.template().unwrap(),
        checked,
        "cargo build writes what cargo check wrote"
    );

    // Editing one handler rebuilds the same template...
    let file = package.dir.join("src/bin/sign_up.rs");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Ok(event)", "Ok::<_, Error>(event)");
    std::fs::write(&file, edited).unwrap();
    let (success, stderr) = package.cargo("build");
    assert!(success, "{stderr}");
    assert_eq!(package.template().unwrap(), checked);

    // ...and removing one takes it out of the template.
    std::fs::remove_file(package.dir.join("src/bin/confirm.rs")).unwrap();
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    assert!(
        !template.contains("ConfirmLambdaFunction") && !template.contains("PostConfirmation"),
        "{template}"
    );
    assert!(template.contains("SignUpLambdaFunction"));

    // Each binary's macro reads only its own part of the manifest, and a
    // removed binary's part goes with it.
    let parts = package.manifest_parts();
    let names: Vec<_> = std::fs::read_dir(&parts)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["sign_up.json"]);
    let part = std::fs::read_to_string(parts.join("sign_up.json")).unwrap();
    assert!(
        part.contains("\"sign_up\"") && !part.contains("confirm"),
        "{part}"
    );
}

#[test]
fn existing_pools_need_the_attach_binary() {
    let package = Package::new(
        "without-attach-binary",
        &[
            (
                "src/bin/legacy.rs",
                &handler(
                    "pool = \"legacy\", trigger = PostConfirmation, existing = true",
                    "confirm",
                ),
            ),
            (
                "src/bin/sign_up.rs",
                &handler("pool = \"P\", trigger = PreSignUp", "sign_up"),
            ),
        ],
    );
    let stderr = package.fails();
    // One error, at `existing = true`'s value, saying exactly what to add.
    let at = errors_at(&stderr, "src/bin/legacy.rs:4:75");
    assert_eq!(at.len(), 1, "{stderr}");
    assert!(
        at[0].contains("add `cognito-trigger-attach = \"0.1\"` under [dependencies] in Cargo.toml, and the file src/bin/cognito-trigger-attach.rs containing `fn main() { cognito_trigger_attach::run() }`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches(": error").count(), 1, "{stderr}");
    assert_eq!(package.template(), None);

    // The build step needs only the binary to be there; the template runs it
    // from the package.
    std::fs::write(
        package.dir.join("src/bin/cognito-trigger-attach.rs"),
        "fn main() {}\n",
    )
    .unwrap();
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    let attach = template
        .split("  CognitoTriggerAttachLambdaFunction:\n")
        .nth(1)
        .unwrap();
    assert!(
        attach.contains("Binary: cognito-trigger-attach\n")
            && attach.contains("aws:asset:path: \"../../../without-attach-binary\"\n")
            && attach.contains("Code: \"../../lambda/cognito-trigger-attach/\"\n"),
        "{template}"
    );
}

/// The lines of `template` (YAML) that describe resource `id`.
fn resource(template: &str, id: &str) -> String {
    let heading = format!("  {id}:");
    let mut lines = template.lines().skip_while(|l| *l != heading);
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {id} in {template}"));
    let body = lines.take_while(|l| l.starts_with("   "));
    std::iter::once(first)
        .chain(body)
        .map(|l| format!("{l}\n"))
        .collect()
}

fn lock(package: &Package) -> String {
    std::fs::read_to_string(package.dir.join("cognito-trigger.lock")).unwrap_or_default()
}

#[test]
fn created_pools_are_retained_and_protected_unless_the_package_says_otherwise() {
    let package = Package::new(
        "retained-pools",
        &[
            (
                "src/bin/a.rs",
                &handler("pool = \"Kept\", trigger = PreSignUp", "a"),
            ),
            (
                "src/bin/b.rs",
                &handler("pool = \"Throwaway\", trigger = PreSignUp", "b"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger.pools.Throwaway]\nretain = false\n",
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert!(
        lock(&package).contains("[pools.Kept]"),
        "{}",
        lock(&package)
    );
    let template = package.template().unwrap();
    let kept = resource(&template, "CognitoUserPoolKept");
    assert!(
        kept.contains("DeletionPolicy: Retain\n")
            && kept.contains("UpdateReplacePolicy: Retain\n")
            && kept.contains("DeletionProtection: ACTIVE\n"),
        "{kept}"
    );
    let throwaway = resource(&template, "CognitoUserPoolThrowaway");
    assert!(
        throwaway.contains("DeletionPolicy: Delete\n")
            && throwaway.contains("UpdateReplacePolicy: Delete\n")
            && throwaway.contains("DeletionProtection: INACTIVE\n"),
        "{throwaway}"
    );
    // What a setting decides, the overrides may not undo.
    std::fs::write(
        package.dir.join("resources.yaml"),
        "Resources:\n  CognitoUserPoolKept:\n    DeletionPolicy: Delete\n",
    )
    .unwrap();
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Throwaway]",
        "[package.metadata.cognito-trigger]\noverrides = \"resources.yaml\"\n\n[package.metadata.cognito-trigger.pools.Throwaway]",
    );
    let stderr = package.fails();
    assert!(
        stderr.contains("resources.yaml:3:21: Resources.CognitoUserPoolKept.DeletionPolicy: this is set by package.metadata.cognito-trigger.pools.\"Kept\".retain in Cargo.toml"),
        "{stderr}"
    );
}

#[test]
fn a_renamed_pool_is_refused_until_renamed_from_keeps_it() {
    let package = Package::new(
        "renamed-pool",
        &[(
            "src/main.rs",
            &handler("pool = \"Customers\", trigger = PreSignUp", "screen"),
        )],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert!(
        lock(&package).contains("[pools.Customers]\nlogical_id = \"CognitoUserPoolCustomers\"\n"),
        "{}",
        lock(&package)
    );

    edit(&package.dir, "src/main.rs", "\"Customers\"", "\"Clients\"");
    let stderr = package.fails();
    assert_eq!(package.template(), None, "{stderr}");
    assert_eq!(
        stderr.matches("cognito-trigger.lock:").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("cognito-trigger.lock:8:8: pools.Customers: user pool \"Customers\" (CognitoUserPoolCustomers) is no longer in the template")
            && stderr.contains("If it is now \"Clients\", add `renamed_from = \"Customers\"` under [package.metadata.cognito-trigger.pools.Clients]")
            && stderr.contains("`retired = true`"),
        "{stderr}"
    );

    // The way out: the pool keeps its logical ID, and CloudFormation
    // renames it in place.
    edit(
        &package.dir,
        "Cargo.toml",
        "[build-dependencies]",
        "[package.metadata.cognito-trigger.pools.Clients]\nrenamed_from = \"Customers\"\n\n[build-dependencies]",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    let pool = resource(&template, "CognitoUserPoolCustomers");
    assert!(pool.contains("UserPoolName: Clients\n"), "{template}");
    assert!(!template.contains("CognitoUserPoolClients:"), "{template}");
    assert!(
        lock(&package).contains("[pools.Clients]\nlogical_id = \"CognitoUserPoolCustomers\"\n"),
        "{}",
        lock(&package)
    );

    // The lock keeps the logical ID once `renamed_from` is gone, even in a
    // fresh target directory.
    edit(
        &package.dir,
        "Cargo.toml",
        "renamed_from = \"Customers\"\n",
        "",
    );
    let cleaned = Command::new(env!("CARGO"))
        .args(["clean", "--offline", "--quiet", "-p", &package.name])
        .current_dir(&package.dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .status()
        .expect("cargo runs");
    assert!(cleaned.success());
    std::fs::remove_dir_all(target_dir().join("cognito").join(&package.name)).unwrap();
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert_eq!(package.template().as_deref(), Some(template.as_str()));

    // A `renamed_from` the lock does not know is a typo.
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Clients]\n",
        "[package.metadata.cognito-trigger.pools.Clients]\nrenamed_from = \"Costumers\"\n",
    );
    let stderr = package.fails();
    assert_eq!(
        stderr.matches(": error").count() + stderr.matches("error: renamed-pool").count(),
        1,
        "one error: {stderr}"
    );
    assert!(
        stderr.contains("pools.Clients.renamed_from: cognito-trigger.lock records no user pool \"Costumers\" in the stack: it records \"Clients\""),
        "{stderr}"
    );
}

#[test]
fn a_pool_whose_last_handler_goes_is_kept_by_its_section_or_retired() {
    let package = Package::new(
        "last-handler",
        &[
            (
                "src/bin/a.rs",
                &handler("pool = \"Staying\", trigger = PreSignUp", "a"),
            ),
            (
                "src/bin/b.rs",
                &handler("pool = \"Leaving\", trigger = PreSignUp", "b"),
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    std::fs::remove_file(package.dir.join("src/bin/b.rs")).unwrap();
    let stderr = package.fails();
    assert!(
        stderr.contains("cognito-trigger.lock:8:8: pools.Leaving: user pool \"Leaving\" (CognitoUserPoolLeaving) is no longer in the template"),
        "{stderr}"
    );
    assert_eq!(package.template(), None);

    // A section keeps the pool, without triggers.
    edit(
        &package.dir,
        "Cargo.toml",
        "[build-dependencies]",
        "[package.metadata.cognito-trigger.pools.Leaving]\n\n[build-dependencies]",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    assert!(
        resource(&template, "CognitoUserPoolLeaving").contains("DeletionPolicy: Retain"),
        "{template}"
    );

    // Retired: out of the template, recorded as retired.
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Leaving]\n",
        "[package.metadata.cognito-trigger.pools.Leaving]\nretired = true\n",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert!(
        !package
            .template()
            .unwrap()
            .contains("CognitoUserPoolLeaving")
    );
    assert!(
        lock(&package)
            .contains("[pools.Leaving]\nlogical_id = \"CognitoUserPoolLeaving\"\nretired = true\n"),
        "{}",
        lock(&package)
    );

    // Once retired, the section may go.
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Leaving]\nretired = true\n",
        "",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");

    // A pool still declared cannot be retired.
    edit(
        &package.dir,
        "Cargo.toml",
        "[build-dependencies]",
        "[package.metadata.cognito-trigger.pools.Staying]\nretired = true\n\n[build-dependencies]",
    );
    let stderr = package.fails();
    assert!(
        stderr.contains(
            "pools.Staying.retired: pool \"Staying\" is still declared by #[cognito_trigger]"
        ),
        "{stderr}"
    );
}

#[test]
fn settings_a_pool_or_client_cannot_change_are_refused() {
    let package = Package::new(
        "unchangeable",
        &[
            (
                "src/main.rs",
                &handler("pool = \"Users\", trigger = PreSignUp", "screen"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger.pools.Users]\nusername_attributes = [\"email\"]\n\n[package.metadata.cognito-trigger.pools.Users.clients.web]\ngenerate_secret = false\n\n[package.metadata.cognito-trigger.pools.Users.clients.old]\n",
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");

    edit(
        &package.dir,
        "Cargo.toml",
        "[\"email\"]",
        "[\"phone_number\"]",
    );
    let stderr = package.fails();
    assert!(
        stderr.contains("Cargo.toml:16:23: package.metadata.cognito-trigger.pools.Users.username_attributes: UsernameAttributes of user pool \"Users\" cannot change once it exists"),
        "{stderr}"
    );
    edit(
        &package.dir,
        "Cargo.toml",
        "[\"phone_number\"]",
        "[\"email\"]",
    );

    edit(
        &package.dir,
        "Cargo.toml",
        "generate_secret = false",
        "generate_secret = true",
    );
    let stderr = package.fails();
    assert!(
        stderr.contains("Cargo.toml:19:19: package.metadata.cognito-trigger.pools.Users.clients.web.generate_secret: GenerateSecret of app client \"web\" of user pool \"Users\" cannot change"),
        "{stderr}"
    );
    edit(
        &package.dir,
        "Cargo.toml",
        "generate_secret = true",
        "generate_secret = false",
    );

    // A removed client is refused until it is retired.
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Users.clients.old]\n",
        "",
    );
    let stderr = package.fails();
    assert!(
        stderr.contains("pools.Users.clients.old: app client \"old\" of user pool \"Users\" (CognitoUserPoolUsersClientOld) is no longer in the template"),
        "{stderr}"
    );
    edit(
        &package.dir,
        "Cargo.toml",
        "generate_secret = false\n",
        "generate_secret = false\n\n[package.metadata.cognito-trigger.pools.Users.clients.old]\nretired = true\n",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    assert!(
        !package
            .template()
            .unwrap()
            .contains("CognitoUserPoolUsersClientOld")
    );
}

#[test]
fn two_packages_of_one_workspace_may_not_share_a_binary_name() {
    let root = workspace().join("target/tests/packages/two-packages");
    let _ = std::fs::remove_dir_all(&root);
    let runtime = workspace().join("runtime");
    let runtime = runtime.display();
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"pkg-*\"]\n",
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    for (name, pool) in [("pkg-one", "One"), ("pkg-two", "Two")] {
        let dir = root.join(name);
        std::fs::create_dir_all(dir.join("src/bin")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ncognito-trigger = {{ path = \"{runtime}\" }}\n\n[build-dependencies]\ncognito-trigger = {{ path = \"{runtime}\", default-features = false, features = [\"build\"] }}\n"),
        )
        .unwrap();
        std::fs::write(
            dir.join("build.rs"),
            "fn main() {\n    cognito_trigger::build::run();\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("src/bin/pre_sign_up.rs"),
            handler(&format!("pool = \"{pool}\", trigger = PreSignUp"), "screen"),
        )
        .unwrap();
    }
    let check = || {
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--workspace",
                "--keep-going",
                "--offline",
                "--quiet",
                "--message-format=short",
            ])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (success, stderr) = check();
    assert!(!success, "{stderr}");
    for other in ["pkg-one", "pkg-two"] {
        assert!(
            stderr.contains(&format!("src/bin/pre_sign_up.rs:4:1: package `{other}` ({other}) in this workspace also has a binary `pre_sign_up`: `cargo lambda build` writes both to target/lambda/pre_sign_up/")),
            "{stderr}"
        );
    }
    // The fix the message names.
    let manifest = root.join("pkg-two/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text + "\n[[bin]]\nname = \"two_pre_sign_up\"\npath = \"src/bin/pre_sign_up.rs\"\n",
    )
    .unwrap();
    let (success, stderr) = check();
    assert!(success, "{stderr}");
    let code = |package: &str| {
        std::fs::read_to_string(
            target_dir()
                .join("cognito")
                .join(package)
                .join("template.yaml"),
        )
        .unwrap()
        .lines()
        .find(|l| l.contains("Code:"))
        .unwrap()
        .to_owned()
    };
    assert_ne!(code("pkg-one"), code("pkg-two"));
}

#[test]
fn the_attach_function_follows_the_package_s_architecture_and_times_out() {
    let package = Package::new(
        "x86-existing-pool",
        &[
            (
                "src/bin/legacy.rs",
                &handler(
                    "pool = \"eu-west-1_AbC123\", trigger = PostConfirmation, existing = true",
                    "confirm",
                ),
            ),
            ("src/bin/cognito-trigger-attach.rs", "fn main() {}\n"),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\narchitecture = \"x86_64\"\n",
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    for function in ["CognitoTriggerAttachLambdaFunction", "LegacyLambdaFunction"] {
        assert!(
            resource(&template, function).contains("Architectures: [x86_64]\n"),
            "{function}: {template}"
        );
    }
    let attachment = resource(&template, "LegacyAttachmentCognitoUserPoolEuwest1AbC123");
    assert!(attachment.contains("ServiceTimeout: 330\n"), "{attachment}");
    assert!(resource(&template, "CognitoTriggerAttachLambdaFunction").contains("Timeout: 300\n"));
}

#[test]
fn pool_access_grants_exactly_its_actions_on_exactly_the_function_s_pools() {
    let package = Package::new(
        "pool-access",
        &[
            (
                "src/bin/welcome.rs",
                "use cognito_trigger::events::CognitoEvent;\nuse cognito_trigger::{Error, cognito_trigger};\n\n#[cognito_trigger(pool = \"Members\", trigger = PostConfirmation)]\n#[cognito_trigger(pool = \"eu-west-1_AbC123\", trigger = PostConfirmation, existing = true)]\n#[cognito_trigger(pool = \"legacy\", trigger = PostConfirmation, existing = true)]\nasync fn welcome(event: CognitoEvent) -> Result<CognitoEvent, Error> {\n    Ok(event)\n}\n",
            ),
            (
                "src/bin/screen.rs",
                &handler("pool = \"Members\", trigger = PreSignUp", "screen"),
            ),
            ("src/bin/cognito-trigger-attach.rs", "fn main() {}\n"),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger]\npool_access = [\"ListUsers\"]\n\n[package.metadata.cognito-trigger.functions.welcome]\npool_access = [\"cognito-idp:AdminAddUserToGroup\", \"AdminAddUserToGroup\"]\n",
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let json = std::fs::read_to_string(
        target_dir()
            .join("cognito")
            .join(&package.name)
            .join("template.json"),
    )
    .unwrap();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    let resources = &template["Resources"];
    let statements = |policy: &str| {
        let resource = &resources[policy];
        assert_eq!(resource["Type"], "AWS::IAM::Policy", "{policy}");
        let role = policy.replace("PoolAccess", "Role");
        assert_eq!(
            resource["Properties"]["Roles"],
            serde_json::json!([{ "Ref": role }])
        );
        resource["Properties"]["PolicyDocument"]["Statement"].clone()
    };
    let members = serde_json::json!({"Fn::GetAtt": ["CognitoUserPoolMembers", "Arn"]});
    assert_eq!(
        statements("WelcomePoolAccess"),
        serde_json::json!([{
            "Effect": "Allow",
            "Action": ["cognito-idp:AdminAddUserToGroup"],
            "Resource": [
                members,
                {"Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/eu-west-1_AbC123"},
                {"Fn::GetAtt": ["WelcomeAttachmentCognitoUserPoolLegacy", "UserPoolArn"]},
            ],
        }])
    );
    assert_eq!(
        statements("ScreenPoolAccess"),
        serde_json::json!([{"Effect": "Allow", "Action": ["cognito-idp:ListUsers"], "Resource": [members]}])
    );
    // Not inline on the role, which the pool's LambdaConfig waits for.
    for role in ["WelcomeRole", "ScreenRole"] {
        assert!(
            !resources[role].to_string().contains("cognito-idp:"),
            "{}",
            resources[role]
        );
    }
    // Cognito cannot invoke the function before its grant exists.
    for waiting in [
        "WelcomePermissionCognitoUserPoolMembers",
        "WelcomeAttachmentCognitoUserPoolEuwest1AbC123",
    ] {
        let depends_on = resources[waiting]["DependsOn"].to_string();
        assert!(
            depends_on.contains("WelcomePoolAccess"),
            "{waiting}: {depends_on}"
        );
    }

    edit(
        &package.dir,
        "Cargo.toml",
        "[\"ListUsers\"]",
        "[\"AdminAddUserToGrop\", \"ListUserPools\", \"Admin*\"]",
    );
    let stderr = package.fails();
    for wanted in [
        "Cargo.toml:16:15: package.metadata.cognito-trigger.pool_access: `AdminAddUserToGrop` is not a Cognito user pool action: did you mean \"AdminAddUserToGroup\"?",
        "Cargo.toml:16:15: package.metadata.cognito-trigger.pool_access: `ListUserPools` acts on no one user pool",
        "Cargo.toml:16:15: package.metadata.cognito-trigger.pool_access: `Admin*` is a wildcard",
    ] {
        assert!(stderr.contains(wanted), "{wanted}\n{stderr}");
    }
    assert_eq!(package.template(), None);
}

#[test]
fn a_rename_that_leaves_a_settings_section_behind_is_refused_until_it_says_which() {
    let package = Package::new(
        "rename-with-section",
        &[
            (
                "src/bin/a.rs",
                &handler("pool = \"Old\", trigger = PreSignUp", "a"),
            ),
            (
                "Cargo.toml+",
                "\n[package.metadata.cognito-trigger.pools.Old]\nallow_public_sign_ups = false\n",
            ),
        ],
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    // The section would keep `Old` without triggers, and `New` start empty.
    edit(&package.dir, "src/bin/a.rs", "\"Old\"", "\"New\"");
    let stderr = package.fails();
    assert_eq!(
        stderr.matches("error: rename-with-section").count(),
        1,
        "one error: {stderr}"
    );
    assert!(
        stderr.contains("Cargo.toml:15:41: package.metadata.cognito-trigger.pools.Old: user pool \"Old\" has no #[cognito_trigger] declaration left, and \"New\" is new: if you renamed it, add `renamed_from = \"Old\"`"),
        "{stderr}"
    );
    // A `renamed_from` naming nothing recorded is the one error.
    edit(
        &package.dir,
        "Cargo.toml",
        "[package.metadata.cognito-trigger.pools.Old]\n",
        "[package.metadata.cognito-trigger.pools.New]\nrenamed_from = \"Olld\"\n\n[package.metadata.cognito-trigger.pools.Old]\n",
    );
    let stderr = package.fails();
    assert_eq!(
        stderr.matches("error: rename-with-section").count(),
        1,
        "one error: {stderr}"
    );
    assert!(
        stderr.contains("pools.New.renamed_from: cognito-trigger.lock records no user pool \"Olld\" in the stack: did you mean \"Old\"?"),
        "{stderr}"
    );
    // The rename, its settings moved along.
    edit(
        &package.dir,
        "Cargo.toml",
        "renamed_from = \"Olld\"\n\n[package.metadata.cognito-trigger.pools.Old]\n",
        "renamed_from = \"Old\"\n",
    );
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    let pool = resource(&template, "CognitoUserPoolOld");
    assert!(
        pool.contains("UserPoolName: New\n") && pool.contains("AllowAdminCreateUserOnly: true"),
        "{pool}"
    );
    // A new pool may take the old name: it gets a logical ID of its own.
    std::fs::write(
        package.dir.join("src/bin/b.rs"),
        handler("pool = \"Old\", trigger = PreSignUp", "b"),
    )
    .unwrap();
    let (success, stderr) = package.cargo("check");
    assert!(success, "{stderr}");
    let template = package.template().unwrap();
    assert!(
        resource(&template, "CognitoUserPoolOld2").contains("UserPoolName: Old\n"),
        "{template}"
    );
    assert!(
        resource(&template, "CognitoUserPoolOld").contains("UserPoolName: New\n"),
        "{template}"
    );
}
