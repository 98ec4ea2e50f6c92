//! The dependencies between the template's resources (`Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, `DependsOn`): every reference must resolve, and there must be
//! no cycle. The classic cycle is a trigger function that depends on the pool
//! it triggers (the pool needs the function's ARN first): the most reported
//! problem with Cognito triggers in the Serverless Framework and the CDK.

use super::node::{Map, Node};
use super::problem::{On, Problem, YamlPositions};
use std::collections::BTreeMap;

/// A dependency of one resource on another, with where it is written.
struct Edge {
    target: String,
    /// The property path inside the source resource: `Properties`, `X`, `[0]`.
    at: Vec<String>,
}

impl Edge {
    /// `Properties.X[0].Y`, as messages show it.
    fn shown(&self) -> String {
        let mut shown = String::new();
        for segment in &self.at {
            if !shown.is_empty() && !segment.starts_with('[') {
                shown.push('.');
            }
            shown.push_str(segment);
        }
        shown
    }
}

/// The overrides file, to report a reference written there at its line.
pub struct Overrides<'a> {
    pub file: &'a str,
    pub positions: &'a YamlPositions<'a>,
}

impl Overrides<'_> {
    /// A problem at `path` in the overrides file if it was written there,
    /// else in the template as a whole.
    pub fn problem(overrides: Option<&Self>, path: Vec<String>, message: String) -> Problem {
        if let Some(overrides) = overrides
            && let (Some(at), true) = overrides.positions.find(&path, On::Value)
        {
            return Problem {
                at: Some(at),
                ..Problem::new(overrides.file, path, message)
            };
        }
        Problem::in_template(path, message)
    }

    /// Whether the overrides file sets the value at `path`.
    pub fn has(overrides: Option<&Self>, path: &[String]) -> bool {
        overrides.is_some_and(|o| o.positions.find(path, On::Value).1)
    }
}

fn resource_path(id: &str, edge: &Edge) -> Vec<String> {
    let mut path = vec!["Resources".to_owned(), id.to_owned()];
    path.extend(edge.at.iter().cloned());
    path
}

pub fn check(template: &Map, overrides: Option<&Overrides>) -> Vec<Problem> {
    let empty = Map::new();
    let resources = match template.get("Resources") {
        Some(Node::Map(resources)) => resources,
        _ => &empty,
    };
    let parameters: Vec<&str> = match template.get("Parameters") {
        Some(Node::Map(parameters)) => parameters.keys().collect(),
        _ => Vec::new(),
    };
    let mut errors = Vec::new();
    let mut graph: BTreeMap<&str, Vec<Edge>> = BTreeMap::new();
    for (id, resource) in resources.iter() {
        let mut edges = Vec::new();
        collect(resource, &mut Vec::new(), &mut edges);
        edges.retain(|edge| {
            if resources.get(&edge.target).is_some() {
                return true;
            }
            if !parameters.contains(&edge.target.as_str()) && !edge.target.starts_with("AWS::") {
                let place = overrides.map_or(String::new(), |o| {
                    format!(": declare it in {}, or correct the name", o.file)
                });
                errors.push(Overrides::problem(
                    overrides,
                    resource_path(id, edge),
                    format!(
                        "refers to `{}`, which the template does not define{place}",
                        edge.target
                    ),
                ));
            }
            false
        });
        graph.insert(id, edges);
    }
    errors.extend(cycles(&graph, resources, overrides));
    errors
}

/// Walks `node`, collecting what it refers to. `path` is where `node` is.
fn collect(node: &Node, path: &mut Vec<String>, edges: &mut Vec<Edge>) {
    match node {
        Node::Map(map) => {
            for (key, value) in map.iter() {
                let targets = references(key, value);
                if !targets.is_empty() {
                    let at = if path.is_empty() {
                        vec![key.to_owned()]
                    } else {
                        path.clone()
                    };
                    edges.extend(targets.into_iter().map(|target| Edge {
                        target,
                        at: at.clone(),
                    }));
                    if key != "Fn::Sub" {
                        continue;
                    }
                }
                path.push(key.to_owned());
                collect(value, path, edges);
                path.pop();
            }
        }
        Node::List(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(format!("[{index}]"));
                collect(item, path, edges);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The logical IDs an entry `key: value` refers to directly.
fn references(key: &str, value: &Node) -> Vec<String> {
    match (key, value) {
        ("Ref", Node::String(target)) => vec![target.clone()],
        ("Fn::GetAtt", Node::List(items)) => match items.first() {
            Some(Node::String(target)) => vec![target.clone()],
            _ => Vec::new(),
        },
        ("Fn::GetAtt", Node::String(dotted)) => {
            vec![dotted.split('.').next().unwrap_or_default().to_owned()]
        }
        ("Fn::Sub", Node::String(text)) => sub_references(text, &[]),
        ("Fn::Sub", Node::List(items)) => match (items.first(), items.get(1)) {
            (Some(Node::String(text)), Some(Node::Map(variables))) => {
                let names: Vec<&str> = variables.keys().collect();
                sub_references(text, &names)
            }
            (Some(Node::String(text)), _) => sub_references(text, &[]),
            _ => Vec::new(),
        },
        ("DependsOn", Node::String(target)) => vec![target.clone()],
        ("DependsOn", Node::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Node::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `${Name}` and `${Name.Attribute}` in a `Fn::Sub` text, except `${!literal}`,
/// pseudo parameters and the Sub's own variables.
fn sub_references(text: &str, variables: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        rest = &rest[end + 1..];
        if name.starts_with('!') {
            continue;
        }
        let target = name.split('.').next().unwrap_or_default();
        if !target.is_empty() && !target.starts_with("AWS::") && !variables.contains(&target) {
            found.push(target.to_owned());
        }
    }
    found
}

/// Every cycle once, as a message that shows the chain and how to break it.
fn cycles(
    graph: &BTreeMap<&str, Vec<Edge>>,
    resources: &Map,
    overrides: Option<&Overrides>,
) -> Vec<Problem> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state: BTreeMap<&str, State> = graph.keys().map(|k| (*k, State::New)).collect();
    let mut messages = Vec::new();
    // Iterative depth-first search: (node, next edge index), and the path.
    for &start in graph.keys() {
        if state[start] != State::New {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        state.insert(start, State::OnPath);
        while let Some((node, next)) = stack.last().copied() {
            let edges = &graph[node];
            if next == edges.len() {
                state.insert(node, State::Done);
                stack.pop();
                continue;
            }
            stack.last_mut().expect("not empty").1 += 1;
            let target = edges[next].target.as_str();
            match state[target] {
                State::New => {
                    state.insert(target, State::OnPath);
                    stack.push((target, 0));
                }
                State::OnPath => {
                    let from = stack
                        .iter()
                        .position(|(n, _)| *n == target)
                        .expect("on path");
                    let chain: Vec<(&str, &Edge)> = stack[from..]
                        .iter()
                        .map(|(n, i)| (*n, &graph[*n][i - 1]))
                        .collect();
                    // Shown at the step written in the overrides file, if
                    // one is: that is where the user can break the cycle.
                    let paths: Vec<Vec<String>> = chain
                        .iter()
                        .map(|(id, edge)| resource_path(id, edge))
                        .collect();
                    let at = paths
                        .iter()
                        .find(|path| Overrides::has(overrides, path))
                        .unwrap_or(&paths[0]);
                    messages.push(Overrides::problem(
                        overrides,
                        at.clone(),
                        cycle_message(&chain, resources),
                    ));
                }
                State::Done => {}
            }
        }
    }
    messages
}

fn cycle_message(chain: &[(&str, &Edge)], resources: &Map) -> String {
    let steps: Vec<String> = chain
        .iter()
        .map(|(id, edge)| format!("{id} needs {} ({id}.{})", edge.target, edge.shown()))
        .collect();
    let type_of = |id: &str| match resources.get(id) {
        Some(Node::Map(resource)) => match resource.get("Type") {
            Some(Node::String(t)) => t.clone(),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let involves_pool = chain
        .iter()
        .any(|(id, _)| type_of(id) == "AWS::Cognito::UserPool");
    let advice = if involves_pool {
        "A trigger function must not depend on the pool it triggers, since the pool needs the function's ARN first. The pool's ID comes with every event (`event.user_pool_id`), so do not pass it in the environment; to let the function call its pool, list the actions in `pool_access = [\"AdminAddUserToGroup\"]` under [package.metadata.cognito-trigger] (or its functions.<binary>) in Cargo.toml instead of a grant that names the pool: the build grants them in a policy of their own, which may depend on the pool"
    } else {
        "remove one of these references"
    };
    format!("circular dependency: {}. {advice}", steps.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::yaml::from_yaml;

    #[test]
    fn finds_the_pool_function_cycle() {
        let template = from_yaml(
            r#"
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      LambdaConfig:
        PreSignUp: !GetAtt Fn.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          POOL: !Ref Pool
  Role:
    Type: AWS::IAM::Role
    Properties:
      Name: !Sub "${AWS::StackName}-${!Literal}-${Key.Arn}"
  Key:
    Type: AWS::KMS::Key
"#,
        )
        .unwrap();
        let errors: Vec<String> = check(&template, None)
            .iter()
            .map(Problem::one_line)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("template: Resources.Fn.Properties.Environment.Variables.POOL: circular dependency: Fn needs Pool (Fn.Properties.Environment.Variables.POOL), Pool needs Fn (Pool.Properties.LambdaConfig.PreSignUp). A trigger function must not depend on the pool it triggers"),
            "{errors:?}"
        );
    }

    #[test]
    fn every_reference_resolves() {
        let template = from_yaml(
            "Parameters:\n  Stage: {Type: String}\nResources:\n  A:\n    Type: T\n    DependsOn: Missing\n    Properties:\n      X: !Ref Stage\n      Y: !Sub [\"${V}-${AWS::Region}\", {V: 1}]\n      Z: !GetAtt kmsKey.Arn\n",
        )
        .unwrap();
        let text = "Resources:\n  A:\n    Properties:\n      Z: !GetAtt kmsKey.Arn\n";
        let positions = YamlPositions::new(text);
        let overrides = Overrides {
            file: "overrides.yaml",
            positions: &positions,
        };
        let errors: Vec<String> = check(&template, Some(&overrides))
            .iter()
            .map(Problem::one_line)
            .collect();
        assert_eq!(
            errors,
            [
                "template: Resources.A.DependsOn: refers to `Missing`, which the template does not define: declare it in overrides.yaml, or correct the name",
                "overrides.yaml:4:10: Resources.A.Properties.Z: refers to `kmsKey`, which the template does not define: declare it in overrides.yaml, or correct the name",
            ]
        );
    }
}
