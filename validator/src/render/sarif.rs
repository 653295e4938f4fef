//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it: the
//! tool's rules with descriptions and help, results with physical locations
//! (relative, forward-slash URIs), levels `error`/`warning`.

use super::FileResult;
use crate::diagnostic::Severity;
use crate::rules;
use serde_json::{Value, json};

/// The SARIF log of a run.
pub fn to_value(files: &[FileResult]) -> Value {
    // Rule descriptors: every documented rule and keyword, so ruleIndex is stable.
    let mut ids: Vec<(String, String, String, &'static str)> = Vec::new();
    for info in rules::all_infos() {
        ids.push((
            info.name.to_string(),
            info.summary.to_string(),
            info.docs.to_string(),
            info.default_severity.as_str(),
        ));
    }
    for (name, summary) in rules::KEYWORD_RULES {
        ids.push((
            name.to_string(),
            summary.to_string(),
            summary.to_string(),
            "error",
        ));
    }
    // Findings under a rule name not listed (e.g. a new keyword) still get a descriptor.
    for f in files {
        for finding in &f.findings {
            let rule = &finding.diagnostic.rule;
            if !ids.iter().any(|(n, ..)| n == rule) {
                ids.push((rule.clone(), rule.clone(), rule.clone(), "error"));
            }
        }
    }
    let descriptors: Vec<Value> = ids
        .iter()
        .map(|(name, summary, docs, level)| {
            json!({
                "id": name,
                "name": name,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": summary },
                "help": { "text": docs, "markdown": docs },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in files {
        let uri = f.path.replace('\\', "/");
        let uri = uri.strip_prefix("./").unwrap_or(&uri).to_string();
        for finding in &f.findings {
            let d = &finding.diagnostic;
            let index = ids.iter().position(|(n, ..)| *n == d.rule).unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(". Help: ");
                text.push_str(help);
            }
            let mut region = serde_json::Map::new();
            if let Some(start) = d.start {
                region.insert("startLine".into(), json!(start.line));
                region.insert("startColumn".into(), json!(start.column));
            } else {
                region.insert("startLine".into(), json!(1));
            }
            if let Some(end) = d.end {
                region.insert("endLine".into(), json!(end.line));
                region.insert("endColumn".into(), json!(end.column.max(1)));
            }
            results.push(json!({
                "ruleId": d.rule,
                "ruleIndex": index,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": Value::Object(region),
                    },
                    "logicalLocations": [{ "fullyQualifiedName": if d.pointer.is_empty() { "/".to_string() } else { d.pointer.clone() }, "kind": "member" }],
                }],
                "properties": { "pointer": d.pointer, "source": d.source.map(|s| s.as_str()) },
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors,
            }},
            "results": results,
        }],
    })
}

/// Renders a run as SARIF JSON.
pub fn render(files: &[FileResult]) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(files)).unwrap_or_default();
    s.push('\n');
    s
}
