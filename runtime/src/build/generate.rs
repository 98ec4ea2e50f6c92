//! From a package's directory to its manifest, template and lock: scan the
//! binaries, check the package, assemble the template, merge the overrides,
//! check the result and record it.

use super::node::Node;
use super::problem::{self, Problem};
use super::{
    Error, Output, Template, alias, cargo, check, existing, graph, lock, overrides, paths,
    settings, template, yaml,
};
use cognito_trigger_core::manifest::Manifest;
use cognito_trigger_core::package::check_package;
use cognito_trigger_core::scan::scan_binary;
use std::path::Path;

/// The manifest and template of the package in `dir`, as a build from the
/// command line writes them to `target/cognito/<package>/`.
pub fn generate(dir: &Path) -> Result<Output, Error> {
    let package = cargo::read(dir)?;
    let template_dir = paths::template_dir(&paths::default_target_dir(dir), &package.name);
    let settings = settings::read(package.metadata.as_ref());
    generate_for(dir, package, settings, &template_dir)
}

/// The manifest, and the template that will be written to `template_dir`
/// (its paths are relative to it), from the package and its settings as
/// read (with their problems).
pub(super) fn generate_for(
    dir: &Path,
    package: cargo::Package,
    (settings, mut problems): (settings::Settings, Vec<Problem>),
    template_dir: &Path,
) -> Result<Output, Error> {
    let lock = lock::read(dir).unwrap_or_else(|lock_problems| {
        problems.extend(lock_problems);
        None
    });
    let mut manifest = Manifest {
        package: package.name.clone(),
        ..Manifest::default()
    };
    for bin in &package.bins {
        let source = std::fs::read_to_string(dir.join(&bin.path))
            .map_err(|e| Problem::in_file(&bin.path, format!("cannot read it: {e}")))?;
        match scan_binary(&bin.name, &bin.path, &source) {
            Ok(scan) => {
                manifest.functions.extend(scan.functions);
                manifest
                    .mistakes
                    .extend(scan.mistakes.iter().map(ToString::to_string));
            }
            Err(_) => manifest.mistakes.push(bin.path.clone()),
        }
    }
    check_package(&mut manifest.functions);
    existing::missing_attach_binary(&mut manifest, &package.bins);
    problems.extend(check::binary_names_in_workspace(dir, &manifest.functions));
    // Problems in declarations are the compiler's to report, at their tokens:
    // the manifest carries them, and no template is written meanwhile. With
    // settings problems, the template is still generated, for its problems.
    let mut template = None;
    if !blocked(&manifest) {
        match generate_template(dir, &mut manifest, &settings, lock.as_ref(), template_dir) {
            Ok(generated) => template = generated,
            Err(error) => problems.extend(error.problems),
        }
    }
    if !problems.is_empty() {
        for file in [problem::CARGO_TOML, lock::LOCK_FILE] {
            if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
                problem::locate_toml(&mut problems, file, &text);
            }
        }
        return Err(problems.into());
    }
    let (template, lock) = match template {
        Some((template, lock)) => (Some(template), lock),
        None => (None, None),
    };
    Ok(Output {
        manifest,
        template,
        lock,
    })
}

/// Whether the declarations have problems the compiler reports.
fn blocked(manifest: &Manifest) -> bool {
    !manifest.mistakes.is_empty() || manifest.functions.iter().any(|f| !f.diagnostics.is_empty())
}

/// The template and the lock's text after it, or `None` when a declaration
/// refers to what the template lacks (added to the manifest for the
/// compiler to report at its token).
fn generate_template(
    dir: &Path,
    manifest: &mut Manifest,
    settings: &settings::Settings,
    lock: Option<&lock::Lock>,
    template_dir: &Path,
) -> Result<Option<(Template, Option<String>)>, Error> {
    let package_path = paths::relative(template_dir, dir);
    let mut generated = template::generate(manifest, settings, lock, &package_path)?;
    let overrides_text = match &settings.overrides {
        Some(file) => Some(std::fs::read_to_string(dir.join(file)).map_err(|e| {
            Problem::new(
                problem::CARGO_TOML,
                settings::metadata_path(&["overrides"]),
                format!("cannot read the overrides file {file}: {e}"),
            )
        })?),
        None => None,
    };
    let positions = overrides_text.as_deref().map(problem::YamlPositions::new);
    if let (Some(file), Some(text)) = (&settings.overrides, &overrides_text) {
        let overrides = yaml::from_yaml(text).map_err(|e| Problem::in_file(file, e))?;
        overrides::merge(
            &mut generated.template,
            overrides,
            &generated.protected,
            file,
        )
        .map_err(|mut problems| {
            problem::locate_yaml(&mut problems, file, text);
            problems
        })?;
    }
    alias::publish_on_change(&mut generated.template, &generated.aliased);
    if check::undefined_keys(manifest, &generated.template, settings.overrides.as_deref()) {
        return Ok(None);
    }
    let overrides = settings
        .overrides
        .as_deref()
        .zip(positions.as_ref())
        .map(|(file, positions)| graph::Overrides { file, positions });
    let mut problems = graph::check(&generated.template, overrides.as_ref());
    problems.extend(check::timeouts_after_overrides(
        &generated,
        overrides.as_ref(),
    ));
    problems.extend(check::quotas(&generated.template));
    let recorded = lock::record(&generated.template, &generated.created, lock, settings);
    if let Some(lock) = lock {
        let context = lock::Context {
            settings,
            overrides: overrides.as_ref(),
            created: &generated.created,
        };
        problems.extend(lock::check(lock, &recorded, &context));
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let json = serde_json::to_string_pretty(&Node::Map(generated.template.clone()))
        .expect("a template serializes");
    let template = Template {
        yaml: yaml::to_yaml(&generated.template),
        json: json + "\n",
    };
    if let Some(problem) = check::template_size(&template) {
        return Err(problem.into());
    }
    // A package that creates no pool gets no lock, until it creates one.
    let lock_text = (lock.is_some() || !recorded.pools.is_empty()).then(|| lock::render(&recorded));
    Ok(Some((template, lock_text)))
}
