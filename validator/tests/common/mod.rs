//! What the validator's integration tests share: the templates the rule
//! cases and the examples are checked against.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, reason = "tests")]

use preflight::templates::{TemplateSet, Templates};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The rule cases' folder.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// `[templates.ids]`-like tables of a TOML file, merged into `ids`.
fn merge_ids(ids: &mut HashMap<String, HashMap<String, String>>, table: &toml::Value) {
    for (provider, map) in table.as_table().unwrap() {
        let entry = ids.entry(provider.clone()).or_default();
        for (k, v) in map.as_table().unwrap() {
            entry.insert(k.clone(), v.as_str().unwrap().to_string());
        }
    }
}

fn root_config() -> toml::Value {
    toml::from_str(&std::fs::read_to_string(root().join("preflight.toml")).unwrap()).unwrap()
}

/// Adds the templates file at `rel` (from the repository's root), named by
/// that relative path in messages, as `preflight` run from the root names it.
fn add(set: &mut TemplateSet, rel: &str) {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    set.add_text(rel, &text).unwrap();
}

/// The example account's templates, mapped as the root `preflight.toml` maps them.
pub fn example_templates() -> Templates {
    let mut set = TemplateSet::new();
    add(&mut set, "examples/templates/message_templates.json");
    let config = root_config();
    let table = &config["templates"];
    let mut ids = HashMap::new();
    merge_ids(&mut ids, &table["ids"]);
    Templates {
        set,
        ids,
        default_language: table
            .get("default_language")
            .and_then(toml::Value::as_str)
            .map(str::to_string),
    }
}

/// The templates the rule cases are checked against: the example account's
/// plus `tests/cases/templates.json` (ids in `tests/cases/templates.toml`),
/// with no default language (a name with several is checked against each).
pub fn case_templates() -> Arc<Templates> {
    static TEMPLATES: OnceLock<Arc<Templates>> = OnceLock::new();
    TEMPLATES
        .get_or_init(|| {
            let mut t = example_templates();
            add(&mut t.set, "validator/tests/cases/templates.json");
            let extra: toml::Value = toml::from_str(
                &std::fs::read_to_string(cases_dir().join("templates.toml")).unwrap(),
            )
            .unwrap();
            merge_ids(&mut t.ids, &extra["ids"]);
            t.default_language = None;
            Arc::new(t)
        })
        .clone()
}
