//! The generated source of every schema, as insta snapshots: a schema edit
//! shows up as a reviewable diff of the Rust it produces.
//!
//! Each endpoint schema is generated together with `schemas/common/`, the
//! way `validator/build.rs` sees it; the fixtures under `tests/fixtures/`
//! cover naming collisions and every kind of `$ref`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use preflight_codegen::{Options, SchemaSet, generate_source};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(json_files(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn set_of(root: &Path, files: &[PathBuf]) -> SchemaSet {
    let mut set = SchemaSet::new();
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        set.add(&rel, &std::fs::read_to_string(f).unwrap()).unwrap();
    }
    set
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn every_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let common = json_files(&root.join("common"));
    let settings = snapshot_settings();
    for file in json_files(&root) {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // `meta/` and `output/` hold the schemas of preflight's own inputs
        // and outputs: never types.
        if rel.starts_with("meta/") || rel.starts_with("output/") {
            continue;
        }
        let mut files = common.clone();
        if !rel.starts_with("common/") {
            files.push(file.clone());
        }
        // Files this one references (`3dolphins/broadcast-multiple` uses
        // `broadcast.json`'s `$defs`), transitively.
        let mut i = 0;
        while let Some(f) = files.get(i).cloned() {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let mut refs = Vec::new();
            refs_of(&v, &mut refs);
            for r in refs {
                let target = r.split('#').next().unwrap_or("");
                if target.is_empty() || target.contains("://") {
                    continue;
                }
                let t = f.parent().unwrap().join(target).canonicalize().unwrap();
                if !files.iter().any(|x| x.canonicalize().unwrap() == t) {
                    files.push(t);
                }
            }
            i += 1;
        }
        let root = root.canonicalize().unwrap();
        let files: Vec<PathBuf> = files.iter().map(|f| f.canonicalize().unwrap()).collect();
        let set = set_of(&root, &files);
        let source = generate_source(&set, &Options::for_preflight().with_proptest_feature(None))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let name = rel.trim_end_matches(".json").replace('/', "__");
        settings.bind(|| insta::assert_snapshot!(format!("schema__{name}"), source));
    }
}

fn refs_of(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", serde_json::Value::String(s)) => out.push(s.clone()),
                    _ => refs_of(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| refs_of(x, out)),
        _ => {}
    }
}

/// The naming fixture is `naming/collide.json` under `tests/fixtures`; the
/// reference fixture is rooted at `tests/fixtures/refs`.
fn fixture_set(dir: &str) -> SchemaSet {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = json_files(&fixtures.join(dir));
    let root = if dir == "naming" {
        fixtures
    } else {
        fixtures.join(dir)
    };
    set_of(&root, &files)
}

#[test]
fn fixtures() {
    let settings = snapshot_settings();
    for dir in ["naming", "refs"] {
        let set = fixture_set(dir);
        let source =
            generate_source(&set, &Options::default()).unwrap_or_else(|e| panic!("{dir}: {e}"));
        settings.bind(|| insta::assert_snapshot!(format!("fixture__{dir}"), source));
    }
}

/// The naming fixture is also compiled (and linted by clippy) as part of
/// this crate's tests: `tests/naming_compiles.rs` includes this file.
#[test]
fn naming_fixture_source_is_current() {
    let set = fixture_set("naming");
    let source = generate_source(&set, &Options::default()).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/naming/generated.rs");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != source {
        if std::env::var_os("CI").is_none() && std::env::var_os("PREFLIGHT_BLESS").is_some() {
            std::fs::write(&path, &source).unwrap();
        } else {
            panic!("{} is stale: rerun with PREFLIGHT_BLESS=1", path.display());
        }
    }
}
