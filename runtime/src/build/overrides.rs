//! The user's template fragments, merged deeply into the generated template
//! by logical ID, as the Serverless Framework's `resources:` section is, but
//! without its traps: `DependsOn` lists are united rather than merged index by
//! index, and a value the declarations or settings set cannot be replaced
//! silently (a second place to set it would be a second truth).

use super::node::{Map, Node};
use super::problem::Problem;
use super::template::Protected;
use cognito_trigger_core::suggest::{Quoted, hint};

const SECTIONS: [&str; 9] = [
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
];

/// Merges `overrides` (read from `file`) into `template`.
pub fn merge(
    template: &mut Map,
    overrides: Map,
    protected: &[Protected],
    file: &str,
) -> Result<(), Vec<Problem>> {
    let mut merger = Merger {
        protected,
        file,
        errors: Vec::new(),
    };
    for (section, value) in overrides {
        if !SECTIONS.contains(&section.as_str()) {
            let hint = hint(&section, &SECTIONS, Quoted::Key, "a template has");
            merger.errors.push(Problem::on_key(
                file,
                vec![section],
                format!("unknown template section: {hint}"),
            ));
            continue;
        }
        if section == "Resources" {
            merger.resources(template.map_at("Resources"), value);
        } else {
            merger.value(template, &mut vec![section], value);
        }
    }
    if let Some(Node::Map(resources)) = template.get_mut("Resources") {
        resources.sort();
    }
    if let Some(Node::Map(outputs)) = template.get_mut("Outputs") {
        outputs.sort();
    }
    if merger.errors.is_empty() {
        Ok(())
    } else {
        Err(merger.errors)
    }
}

struct Merger<'a> {
    protected: &'a [Protected],
    file: &'a str,
    errors: Vec<Problem>,
}

impl Merger<'_> {
    fn error(&mut self, path: &[&str], message: impl std::fmt::Display) {
        let path = path.iter().map(|p| p.to_string()).collect();
        self.errors.push(Problem::new(self.file, path, message));
    }

    fn resources(&mut self, resources: &mut Map, value: Node) {
        let Node::Map(overrides) = value else {
            self.error(
                &["Resources"],
                "expected a mapping of logical IDs to resources",
            );
            return;
        };
        for (id, resource) in overrides {
            let Node::Map(resource) = resource else {
                self.error(
                    &["Resources", &id],
                    "expected a resource (a mapping with `Type`)",
                );
                continue;
            };
            let generated_type = match resources.get(&id) {
                Some(Node::Map(generated)) => generated.get("Type").cloned(),
                _ => None,
            };
            match (generated_type, resource.get("Type")) {
                (None, None) => {
                    self.error(&["Resources", &id], "a new resource needs a `Type`");
                    continue;
                }
                (Some(Node::String(generated)), Some(Node::String(given)))
                    if generated != *given =>
                {
                    self.error(
                        &["Resources", &id, "Type"],
                        format!("`{id}` is generated as {generated}; an override cannot make it a {given} (to add a resource, give it another logical ID)"),
                    );
                    continue;
                }
                _ => {}
            }
            let mut path = vec!["Resources".to_owned(), id.clone()];
            let target = resources.map_at(&id);
            for (key, value) in resource {
                path.push(key.clone());
                if key == "DependsOn" {
                    unite_depends_on(target, value);
                } else {
                    self.value(target, &mut path, value);
                }
                path.pop();
            }
        }
    }

    /// Merges `value` into `parent[path.last()]`.
    fn value(&mut self, parent: &mut Map, path: &mut Vec<String>, value: Node) {
        let key = path.last().expect("a path names its key").clone();
        if let Some(protected) = self.protected.iter().find(|p| p.path == *path) {
            let shown: Vec<&str> = path.iter().map(String::as_str).collect();
            let origin = protected.origin.clone();
            self.error(
                &shown,
                format!("this is set by {origin}; change it there, not in the overrides"),
            );
            return;
        }
        match (parent.get_mut(&key), value) {
            (Some(Node::Map(existing)), Node::Map(given)) => {
                for (child, value) in given {
                    path.push(child);
                    self.value(existing, path, value);
                    path.pop();
                }
            }
            (_, value) => {
                if let Some(protected) = self.protected.iter().find(|p| p.path.starts_with(path)) {
                    let shown: Vec<&str> = path.iter().map(String::as_str).collect();
                    let origin = protected.origin.clone();
                    self.error(
                        &shown,
                        format!("replacing this would drop {}, set by {origin}; override the keys beside it instead", protected.path[path.len()..].join(".")),
                    );
                    return;
                }
                parent.insert(key, value);
            }
        }
    }
}

/// `DependsOn` is a name or a list of names; the result lists each once, the
/// generated ones first.
pub fn unite_depends_on(resource: &mut Map, given: Node) {
    let as_list = |node: Option<Node>| match node {
        Some(Node::List(items)) => items,
        Some(single) => vec![single],
        None => Vec::new(),
    };
    let mut united = as_list(resource.get("DependsOn").cloned());
    for item in as_list(Some(given)) {
        if !united.contains(&item) {
            united.push(item);
        }
    }
    resource.insert("DependsOn", united);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::yaml::from_yaml;

    fn generated() -> (Map, Vec<Protected>) {
        let template = from_yaml(
            "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    DependsOn: [A, B]\n    Properties:\n      UserPoolName: P\n      LambdaConfig:\n        PreSignUp: arn\n",
        )
        .unwrap();
        let protected = vec![Protected {
            path: [
                "Resources",
                "Pool",
                "Properties",
                "LambdaConfig",
                "PreSignUp",
            ]
            .map(String::from)
            .to_vec(),
            origin: "#[cognito_trigger] on fn a".into(),
        }];
        (template, protected)
    }

    fn merged(overrides: &str) -> Result<Map, Vec<String>> {
        let (mut template, protected) = generated();
        merge(
            &mut template,
            from_yaml(overrides).unwrap(),
            &protected,
            "o.yaml",
        )
        .map_err(|errors| errors.iter().map(Problem::one_line).collect::<Vec<_>>())?;
        Ok(template)
    }

    #[test]
    fn merges_deeply_and_unites_depends_on() {
        let template = merged(
            "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    DependsOn: [B, C]\n    Properties:\n      UserPoolName: Renamed\n      LambdaConfig:\n        PostConfirmation: other\n  Key:\n    Type: AWS::KMS::Key\n",
        )
        .unwrap();
        let expected = from_yaml(
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Pool:\n    Type: AWS::Cognito::UserPool\n    DependsOn: [A, B, C]\n    Properties:\n      UserPoolName: Renamed\n      LambdaConfig:\n        PreSignUp: arn\n        PostConfirmation: other\n",
        )
        .unwrap();
        assert_eq!(template, expected);
    }

    #[test]
    fn refuses_to_replace_what_declarations_set() {
        let errors = merged(
            "Resources:\n  Pool:\n    Properties:\n      LambdaConfig:\n        PreSignUp: other\n",
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "o.yaml: Resources.Pool.Properties.LambdaConfig.PreSignUp: this is set by #[cognito_trigger] on fn a; change it there, not in the overrides"
            ]
        );
        let errors =
            merged("Resources:\n  Pool:\n    Properties:\n      LambdaConfig: null\n").unwrap_err();
        assert!(errors[0].contains("would drop PreSignUp"), "{errors:?}");
    }

    #[test]
    fn refuses_type_changes_and_typeless_resources() {
        let errors = merged(
            "Resources:\n  Pool:\n    Type: AWS::Lambda::Function\n  New:\n    Properties: {}\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let errors = merged("Resource: {}\n").unwrap_err();
        assert!(
            errors[0].contains("did you mean `Resources`?"),
            "{errors:?}"
        );
    }
}
