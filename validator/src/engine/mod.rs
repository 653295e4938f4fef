//! The engine: from a payload's bytes to its findings, in layers that only
//! look down.
//!
//! | layer | module | what it knows |
//! | --- | --- | --- |
//! | 0 | [`text`] | bytes and text: parsing once, places in the text, JSON pointers, secret masks, "did you mean" |
//! | 1 | [`schema`] | the embedded schema documents, the registry of endpoints, `$ref` resolution, compiled validators |
//! | 2 | [`facts`] | what the schemas say, read once per schema node: the graph of nodes (resolved `$ref`s, `oneOf` variants and their discriminators, shallow checks) and the `x-` annotations as typed specs (media, phone forms, delimited fields, status codes, secrets, formats) |
//! | 3 | [`walk`] | which facts apply to which places of one payload (a walk, replayed for payload shapes seen before) |
//! | 4 | [`translate`], [`rules`] | findings: JSON Schema errors in a person's words, and preflight's own rules; both see the payload and the bound facts, never the registry or a `$ref` |
//! | 5 | [`pipeline`], [`detect`] | one payload through all of it (parse, validate, walk, rules, positions, snippets), and the endpoint a payload's shape fits |
//!
//! A module may use its own layer's and lower layers' modules, never a
//! higher one's; the `layers` test below reads every file of the engine and
//! fails on an import that looks up, or on a cycle between files.

pub(crate) mod detect;
pub(crate) mod facts;
pub(crate) mod pipeline;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod text;
pub(crate) mod translate;
pub(crate) mod walk;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod layers {
    //! Reads every file of the engine and checks its imports: a module uses
    //! only its own layer's and lower layers' modules, and no two modules use
    //! each other, directly or through others. A reference is any path into
    //! the engine (`crate::engine::…`, `super::…`, or a child module declared
    //! with `mod`); test code at the end of a file is left out.

    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn layer(module: &[String]) -> usize {
        match module.first().map(String::as_str) {
            Some("text") => 0,
            Some("schema") => 1,
            Some("facts") => 2,
            Some("walk") => 3,
            Some("translate" | "rules") => 4,
            Some("pipeline" | "detect") => 5,
            other => panic!("module {other:?} has no layer: add it to the table in engine/mod.rs"),
        }
    }

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The module path of a file under `engine/`.
    fn module_of(root: &Path, file: &Path) -> Vec<String> {
        let rel = file.strip_prefix(root).unwrap();
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        parts
    }

    /// The longest prefix of `path` that is a module.
    fn resolve(modules: &BTreeSet<Vec<String>>, path: &[String]) -> Option<Vec<String>> {
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| modules.contains(p))
    }

    fn words(text: &str, prefix: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: Vec<String> = rest
                .split("::")
                .map(|seg| {
                    seg.chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|seg| !seg.is_empty())
                .collect();
            out.push(path);
        }
        out
    }

    #[test]
    fn the_engine_only_looks_down_and_has_no_cycle() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
        let mut paths = Vec::new();
        files(&root, &mut paths);
        let modules: BTreeSet<Vec<String>> = paths.iter().map(|f| module_of(&root, f)).collect();
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for file in &paths {
            let module = module_of(&root, file);
            if module.is_empty() {
                continue; // engine/mod.rs only declares the layers
            }
            let text = std::fs::read_to_string(file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            // `super` is the module above, for `x.rs` and `x/mod.rs` alike.
            let parent: Vec<String> = module[..module.len() - 1].to_vec();
            let mut targets = Vec::new();
            for path in words(&code, "crate::engine::") {
                targets.push(path);
            }
            for path in words(&code, "super::") {
                let mut full = parent.clone();
                let mut segs = path.as_slice();
                while segs.first().is_some_and(|s| s == "super") {
                    full.pop();
                    segs = &segs[1..];
                }
                full.extend(segs.iter().cloned());
                targets.push(full);
            }
            // Children declared here and used by name.
            for line in code.lines() {
                let l = line.trim();
                let decl = l
                    .strip_prefix("pub(crate) mod ")
                    .or_else(|| l.strip_prefix("pub mod "))
                    .or_else(|| l.strip_prefix("mod "));
                if let Some(name) = decl.and_then(|d| d.strip_suffix(';')) {
                    let mut child = module.clone();
                    child.push(name.to_string());
                    for path in words(&code, &format!("{name}::")) {
                        let mut full = child.clone();
                        full.extend(path);
                        targets.push(full);
                    }
                }
            }
            for target in targets {
                let Some(to) = resolve(&modules, &target) else {
                    continue;
                };
                if to.is_empty() || to == module {
                    continue;
                }
                assert!(
                    layer(&to) <= layer(&module),
                    "engine::{} (layer {}) uses engine::{} (layer {}): a layer only looks down",
                    module.join("::"),
                    layer(&module),
                    to.join("::"),
                    layer(&to)
                );
                edges.entry(module.clone()).or_default().insert(to);
            }
        }
        // No cycle: depth-first search with colours.
        fn visit(
            m: &Vec<String>,
            edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
            state: &mut BTreeMap<Vec<String>, u8>,
            stack: &mut Vec<Vec<String>>,
        ) {
            match state.get(m) {
                Some(2) => return,
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let cycle: Vec<String> = stack[at..]
                        .iter()
                        .chain([m])
                        .map(|s| s.join("::"))
                        .collect();
                    panic!("import cycle in the engine: {}", cycle.join(" -> "));
                }
                _ => {}
            }
            state.insert(m.clone(), 1);
            stack.push(m.clone());
            for next in edges.get(m).into_iter().flatten() {
                visit(next, edges, state, stack);
            }
            stack.pop();
            state.insert(m.clone(), 2);
        }
        let mut state = BTreeMap::new();
        for m in edges.keys() {
            visit(m, &edges, &mut state, &mut Vec::new());
        }
        assert!(
            edges.len() > 20,
            "the test read the engine's files: {}",
            edges.len()
        );
    }
}
