//! The generated packages of the build-step figures are what they claim:
//! the build step accepts them whole, with every declaration, their
//! templates hold the resources and outputs counted for them and are within
//! CloudFormation's quotas, a package over the quotas is refused, and the
//! variants differ only in how `main` is written (no timing here; see
//! `benches/build_step.rs` and `run.sh build`).

use cognito_trigger::build;
use cognito_trigger_benchmarks::build_step::{
    Handler, OUTPUT_QUOTA, RESOURCE_QUOTA, SIZES, Spec, TemplateCounts, Variant, declaration_count,
    handlers, pool_name, source, write_package,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn generated(name: &str, spec: Spec, variant: Variant) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("build-step-test/{name}"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    write_package(&dir, name, spec, variant, &runtime).expect("written");
    dir
}

/// How many entries the template's `section` has.
fn entries(template: &Value, section: &str) -> usize {
    template[section]
        .as_object()
        .map_or(0, |entries| entries.len())
}

/// How many resources of `kind` the template has.
fn resources_of(template: &Value, kind: &str) -> usize {
    let resources = template["Resources"].as_object().expect("resources");
    resources.values().filter(|r| r["Type"] == kind).count()
}

#[test]
fn every_size_is_one_valid_package_within_the_quotas() {
    for declarations in SIZES {
        let spec = Spec::across_100_pools(declarations);
        let counts = TemplateCounts::of(&handlers(spec));
        assert!(
            counts.resources <= RESOURCE_QUOTA && counts.outputs <= OUTPUT_QUOTA,
            "{declarations}: {counts:?}"
        );
        assert!(counts.within_quotas());

        let dir = generated(&format!("sizes-{declarations}"), spec, Variant::BuildStep);
        let output = build::generate(&dir).expect("the build step accepts the package");
        let functions = &output.manifest.functions;
        assert!(output.manifest.mistakes.is_empty());
        assert!(functions.iter().all(|f| f.diagnostics.is_empty()));
        assert_eq!(functions.len(), counts.functions);
        let found: usize = functions.iter().map(|f| f.declarations.len()).sum();
        assert_eq!(found, declarations);
        let pools: BTreeSet<_> = functions
            .iter()
            .flat_map(|f| f.declarations.iter().map(|d| d.pool.clone()))
            .collect();
        assert_eq!(pools.len(), spec.pools);
        assert_eq!(pools.len(), counts.pools);

        let template = output.template.expect("a template");
        assert!(
            template
                .yaml
                .contains(&format!("CognitoUserPool{}:", pool_name(0)))
        );
        let json: Value = serde_json::from_str(&template.json).expect("JSON");
        assert_eq!(
            entries(&json, "Resources"),
            counts.resources,
            "{declarations}"
        );
        assert_eq!(entries(&json, "Outputs"), counts.outputs, "{declarations}");
        assert!(entries(&json, "Resources") <= RESOURCE_QUOTA);
        assert!(entries(&json, "Outputs") <= OUTPUT_QUOTA);
        assert_eq!(resources_of(&json, "AWS::Cognito::UserPool"), counts.pools);
        assert_eq!(
            resources_of(&json, "AWS::Lambda::Function"),
            counts.functions
        );
        assert_eq!(resources_of(&json, "AWS::SQS::Queue"), counts.queues);
        assert_eq!(
            resources_of(&json, "AWS::Lambda::Permission"),
            counts.permissions
        );
    }
}

#[test]
fn the_sizes_have_the_documented_shape() {
    let shape = |declarations| {
        let all = handlers(Spec::across_100_pools(declarations));
        let counts = TemplateCounts::of(&all);
        (
            counts.pools,
            counts.functions,
            counts.resources,
            counts.outputs,
        )
    };
    // BENCHMARKS.md's table of the generated packages.
    assert_eq!(shape(10), (10, 10, 50, 20));
    assert_eq!(shape(100), (100, 26, 282, 200));
    assert_eq!(shape(1000), (100, 26, 300, 200));
    // Up to 100 declarations, one trigger per pool: either shape is the same.
    for declarations in [10, 100] {
        let bins = |spec| {
            handlers(spec)
                .into_iter()
                .map(|h| h.bin)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            bins(Spec::across_100_pools(declarations)),
            bins(Spec::one_trigger_per_function(
                declarations,
                declarations.min(100)
            ))
        );
    }
}

#[test]
fn a_package_over_the_quotas_is_refused() {
    // The in-process figures' largest package before the build step checked
    // the quotas: one trigger per function, so a permission per declaration.
    let spec = Spec::one_trigger_per_function(1000, 100);
    let counts = TemplateCounts::of(&handlers(spec));
    assert_eq!(counts.resources, 1756);
    assert!(counts.outputs <= OUTPUT_QUOTA && !counts.within_quotas());
    let dir = generated("over-resources", spec, Variant::BuildStep);
    let error = build::generate(&dir)
        .err()
        .expect("the build step refuses the package");
    assert_eq!(error.problems.len(), 1, "{error}");
    assert_eq!(error.problems[0].file, None);
    assert_eq!(error.problems[0].path, ["Resources"]);
    assert!(
        error.problems[0].message.starts_with(&format!(
            "the template has {} resources, and CloudFormation takes at most {RESOURCE_QUOTA} in one stack",
            counts.resources
        )),
        "{error}"
    );

    // 101 pools: 202 outputs, with resources to spare.
    let spec = Spec::one_trigger_per_function(101, 101);
    let counts = TemplateCounts::of(&handlers(spec));
    assert!(counts.resources <= RESOURCE_QUOTA && counts.outputs > OUTPUT_QUOTA);
    let dir = generated("over-outputs", spec, Variant::BuildStep);
    let error = build::generate(&dir)
        .err()
        .expect("the build step refuses the package");
    assert_eq!(error.problems.len(), 1, "{error}");
    assert_eq!(error.problems[0].path, ["Outputs"]);
    assert!(
        error.problems[0].message.starts_with(&format!(
            "the template has {} outputs, and CloudFormation takes at most {OUTPUT_QUOTA} in one stack",
            counts.outputs
        )),
        "{error}"
    );
}

#[test]
fn the_mix_covers_every_trigger() {
    for spec in [
        Spec::across_100_pools(1000),
        Spec::one_trigger_per_function(1000, 100),
    ] {
        let all = handlers(spec);
        assert_eq!(declaration_count(&all), 1000);
        let triggers: BTreeSet<_> = all
            .iter()
            .flat_map(|h| h.kinds.iter().map(|k| k.trigger))
            .collect();
        assert_eq!(triggers.len(), 13);
        assert!(all.iter().all(|h| (1..=5).contains(&h.pools.len())));
        assert!(
            all.iter()
                .all(|h| h.kinds.len() == spec.triggers_per_function)
        );
        let bins: BTreeSet<_> = all.iter().map(|h| h.bin.as_str()).collect();
        assert_eq!(bins.len(), all.len(), "distinct binaries");
    }
    // The rebuild and expansion package: a function per trigger.
    let small = handlers(Spec::one_trigger_per_function(24, 2));
    assert_eq!(small.len(), 13);
    assert!(small.iter().all(|h| h.kinds.len() == 1));
}

#[test]
fn functions_of_several_triggers_take_their_event_type() {
    let event_of = |spec| {
        handlers(spec)
            .into_iter()
            .map(|h| (h.bin.clone(), h.event()))
            .collect::<Vec<_>>()
    };
    let whole_pools = event_of(Spec {
        declarations: 26,
        pools: 13,
        triggers_per_function: 2,
    });
    let of = |bin: &str| whole_pools.iter().find(|(b, _)| b == bin).expect(bin).1;
    assert_eq!(
        of("create_auth_challenge_and_1_more_000"),
        "AuthChallengeEvent"
    );
    assert_eq!(of("custom_sms_sender_and_1_more_000"), "CustomSenderEvent");
    assert_eq!(of("pre_sign_up_and_1_more_000"), "CognitoEvent");
    assert_eq!(of("verify_auth_challenge_and_1_more_000"), "CognitoEvent");
    let text = |bin: &str| {
        let all = handlers(Spec {
            declarations: 26,
            pools: 13,
            triggers_per_function: 2,
        });
        let handler = all.iter().find(|h| h.bin == bin).expect(bin);
        source(handler, Variant::BuildStep)
    };
    // Not every variant of the event type is declared: the rest are refused.
    let partial = text("create_auth_challenge_and_1_more_000");
    assert!(partial.contains("AuthChallengeEvent::VerifyAuthChallengeResponse(e) =>"));
    assert!(partial.contains("        _ => return Err("));
    // Both senders: the match is exhaustive without a catch-all.
    let senders = text("custom_sms_sender_and_1_more_000");
    assert!(senders.contains("CustomSenderEvent::CustomEmailSender(e) =>"));
    assert!(!senders.contains("        _ => return Err("));
    let mixed = text("pre_token_generation_and_1_more_000");
    assert!(mixed.contains("CognitoEvent::PreTokenGenerationV2(e) =>"));
    assert!(mixed.contains("CognitoEvent::CustomMessage(e) =>"));
}

fn body(handler: &Handler, variant: Variant) -> String {
    let text = source(handler, variant);
    let start = text.find("async fn").expect("the handler");
    let end = text.find("#[cfg(test)]").expect("the tests");
    text[start..end].replace(
        &format!("\nfn main() {{\n    let _ = {};\n}}\n", handler.bin),
        "",
    )
}

#[test]
fn variants_differ_only_in_the_attribute_and_main() {
    let one = handlers(Spec::one_trigger_per_function(24, 2)).remove(0);
    let several = handlers(Spec::across_100_pools(1000)).remove(0);
    for handler in [&one, &several] {
        for variant in Variant::ALL {
            assert_eq!(
                body(handler, variant),
                body(handler, Variant::BuildStep),
                "{variant:?}"
            );
        }
        let declarations = |variant| {
            source(handler, variant)
                .matches("#[cognito_trigger(")
                .count()
        };
        assert_eq!(declarations(Variant::BuildStep), handler.declarations());
        assert_eq!(declarations(Variant::NoBuildStep), handler.declarations());
        assert_eq!(declarations(Variant::Trivial), handler.declarations());
        assert_eq!(declarations(Variant::Plain), 0);
    }
    assert_eq!(one.declarations(), one.pools.len());
    assert_eq!(several.declarations(), 10 * several.pools.len());

    let without = generated(
        "variant-no-build-step",
        Spec::one_trigger_per_function(24, 2),
        Variant::NoBuildStep,
    );
    assert!(!without.join("build.rs").exists());
    assert!(
        !std::fs::read_to_string(without.join("Cargo.toml"))
            .unwrap()
            .contains("build-dependencies")
    );
    let with = generated(
        "variant-build-step",
        Spec::one_trigger_per_function(24, 2),
        Variant::BuildStep,
    );
    assert!(with.join("build.rs").exists());
}
