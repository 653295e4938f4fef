//! Embeds the seeds the structure-aware targets start from: every shipped
//! example (`examples/<provider>/<endpoint>/`) and rule case
//! (`validator/tests/cases/<rule>/<valid|invalid>/<provider>/<endpoint>/`),
//! with the endpoint its path names, in a stable order.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "ndjson")
        {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let mut seeds: Vec<(String, String, PathBuf)> = Vec::new();
    for (dir, skip) in [("examples", 0), ("validator/tests/cases", 2)] {
        let base = root.join(dir);
        println!("cargo::rerun-if-changed={}", base.display());
        let mut found = Vec::new();
        files(&base, &mut found);
        for path in found {
            let Ok(rel) = path.strip_prefix(&base) else {
                continue;
            };
            let parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            // <skip dirs>/<provider>/<endpoint>/<file>
            if parts.len() != skip + 3 {
                continue;
            }
            let endpoint = format!("{}/{}", parts[skip], parts[skip + 1]);
            let name = format!("{dir}/{}", parts.join("/"));
            let Ok(absolute) = path.canonicalize() else {
                continue;
            };
            seeds.push((endpoint, name, absolute));
        }
    }
    let templates = root.join("examples/templates/message_templates.json");
    if let Ok(absolute) = templates.canonicalize() {
        seeds.push((
            "meta/message-templates".to_string(),
            "examples/templates/message_templates.json".to_string(),
            absolute,
        ));
    }
    seeds.sort();
    let mut code = String::from(
        "/// Every seed: (endpoint id, path from the repository's root, bytes).\npub static SEEDS: &[(&str, &str, &[u8])] = &[\n",
    );
    for (endpoint, name, path) in &seeds {
        code.push_str(&format!(
            "    ({endpoint:?}, {name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("seeds.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("writing {}: {e}", out.display());
    }
}
