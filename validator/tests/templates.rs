//! The shipped examples against the example account's templates
//! (`examples/templates/`, mapped by the root `preflight.toml`): every
//! example validates clean, and the templates file itself is clean.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::templates::{TemplateSet, Templates};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The example templates with the root config's id mapping.
pub fn example_templates() -> Templates {
    let mut set = TemplateSet::new();
    set.add_path(&root().join("examples/templates")).unwrap();
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("preflight.toml")).unwrap()).unwrap();
    let table = &config["templates"];
    let mut ids: HashMap<String, HashMap<String, String>> = HashMap::new();
    for (provider, map) in table["ids"].as_table().unwrap() {
        ids.insert(
            provider.clone(),
            map.as_table()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
        );
    }
    Templates {
        set,
        ids,
        default_language: table
            .get("default_language")
            .and_then(toml::Value::as_str)
            .map(str::to_string),
    }
}

#[test]
fn every_example_is_clean_with_the_example_templates() {
    let mut options = preflight::Options::default();
    options.templates = Some(Arc::new(example_templates()));
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in preflight::endpoints().unwrap() {
        let dir = root().join("examples").join(e.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in entries {
            let path = f.unwrap().path();
            let report =
                preflight::validate_with(e.id, &std::fs::read(&path).unwrap(), &options).unwrap();
            for d in &report.diagnostics {
                failures.push(format!(
                    "{}: {} at {}: {}",
                    path.display(),
                    d.rule,
                    d.pointer,
                    d.message
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked > 80);
}

#[test]
fn the_example_templates_file_is_clean() {
    let bytes = std::fs::read(root().join("examples/templates/message_templates.json")).unwrap();
    let checked = preflight::templates::check_file(&bytes, &preflight::Options::default()).unwrap();
    let messages: Vec<&str> = checked
        .findings
        .iter()
        .map(|f| f.diagnostic.message.as_str())
        .collect();
    assert!(messages.is_empty(), "{messages:#?}");
}
