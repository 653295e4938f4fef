//! Helpers shared by the integration tests in `tests/tests/`: where the
//! repository is, and its JSON files. The tests themselves are the point; this
//! crate has no other code.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// Every `*.json` file under `dir`, recursively, sorted; empty if `dir` is missing.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                out.extend(json_files(&path));
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The endpoint of a doc sample under `tests/doc-samples/<provider>/`: the
/// id among `endpoints` named in the sample's row of the provider's
/// INDEX.md (`index`, its text), else the provider's only endpoint.
pub fn sample_endpoint(
    endpoints: &[&str],
    provider: &str,
    file: &str,
    index: &str,
) -> Option<String> {
    let row = index
        .lines()
        .find(|l| l.starts_with('|') && l.contains(file))?;
    let prefix = format!("{provider}/");
    if let Some(id) = endpoints
        .iter()
        .filter(|id| id.starts_with(&prefix))
        .filter(|id| {
            row.split('|')
                .any(|cell| cell.trim().trim_matches('`') == **id)
        })
        .max_by_key(|id| id.len())
    {
        return Some((*id).to_string());
    }
    let mine: Vec<&&str> = endpoints
        .iter()
        .filter(|id| id.starts_with(&prefix))
        .collect();
    match mine.as_slice() {
        [only] => Some((**only).to_string()),
        _ => None,
    }
}
