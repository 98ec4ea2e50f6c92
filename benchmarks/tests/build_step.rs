//! The generated packages of the build-step figures are what they claim:
//! the build step accepts them whole, with every declaration, and the
//! variants differ only in how `main` is written (no timing here; see
//! `benches/build_step.rs` and `run.sh build`).

use cognito_trigger::build;
use cognito_trigger_benchmarks::build_step::{
    Spec, Variant, declaration_count, handlers, pool_name, source, write_package,
};
use std::collections::BTreeSet;
use std::path::Path;

fn generated(name: &str, spec: Spec, variant: Variant) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("build-step-test/{name}"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    write_package(&dir, name, spec, variant, &runtime).expect("written");
    dir
}

#[test]
fn every_size_is_one_valid_package() {
    for declarations in [10, 100, 1000] {
        let spec = Spec::across_100_pools(declarations);
        let dir = generated(&format!("sizes-{declarations}"), spec, Variant::BuildStep);
        let output = build::generate(&dir).expect("the build step accepts the package");
        let functions = &output.manifest.functions;
        assert!(output.manifest.unparsed.is_empty());
        assert!(functions.iter().all(|f| f.diagnostics.is_empty()));
        assert_eq!(functions.len(), handlers(spec).len());
        let found: usize = functions.iter().map(|f| f.declarations.len()).sum();
        assert_eq!(found, declarations);
        let pools: BTreeSet<_> = functions
            .iter()
            .flat_map(|f| f.declarations.iter().map(|d| d.pool.clone()))
            .collect();
        assert_eq!(pools.len(), spec.pools);
        let template = output.template.expect("a template");
        assert!(
            template
                .yaml
                .contains(&format!("CognitoUserPool{}:", pool_name(0)))
        );
        assert_eq!(
            template
                .yaml
                .matches("Type: AWS::Lambda::Function\n")
                .count(),
            functions.len()
        );
    }
}

#[test]
fn the_mix_covers_every_trigger() {
    let all = handlers(Spec::across_100_pools(1000));
    assert_eq!(declaration_count(&all), 1000);
    let triggers: BTreeSet<_> = all.iter().map(|h| h.kind.trigger).collect();
    assert_eq!(triggers.len(), 13);
    assert!(all.iter().all(|h| (1..=5).contains(&h.pools.len())));
}

#[test]
fn variants_differ_only_in_the_attribute_and_main() {
    let handler = handlers(Spec {
        declarations: 24,
        pools: 2,
    })
    .remove(0);
    let body = |variant| {
        let text = source(&handler, variant);
        let start = text.find("async fn").expect("the handler");
        let end = text.find("#[cfg(test)]").expect("the tests");
        text[start..end].replace(
            &format!("\nfn main() {{\n    let _ = {};\n}}\n", handler.bin),
            "",
        )
    };
    for variant in Variant::ALL {
        assert_eq!(body(variant), body(Variant::BuildStep), "{variant:?}");
    }
    let declarations = |variant| {
        source(&handler, variant)
            .matches("#[cognito_trigger(")
            .count()
    };
    assert_eq!(declarations(Variant::BuildStep), handler.pools.len());
    assert_eq!(declarations(Variant::NoBuildStep), handler.pools.len());
    assert_eq!(declarations(Variant::Trivial), handler.pools.len());
    assert_eq!(declarations(Variant::Plain), 0);

    let without = generated(
        "variant-no-build-step",
        Spec {
            declarations: 24,
            pools: 2,
        },
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
        Spec {
            declarations: 24,
            pools: 2,
        },
        Variant::BuildStep,
    );
    assert!(with.join("build.rs").exists());
}
