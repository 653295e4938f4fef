//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it: the
//! tool's rules with descriptions and help, results with physical locations
//! (relative, forward-slash URIs), levels `error`/`warning`, written as the
//! run goes.
//!
//! A run that could not read every path says so: each unreadable path is a
//! `toolExecutionNotification`, `executionSuccessful` is false, and a failed
//! run with no result carries no `results` array at all, so code scanning does
//! not take it for "no problems" and close open alerts.

use super::escape::pretty_json;
use super::{Finding, Sink, Summary};
use crate::diagnostic::{Position, Severity};
use crate::engine::rules;
use serde_json::{Value, json};
use std::io::{self, Write};

/// Every rule a finding can carry: `(name, summary, docs, default level)`.
fn descriptors() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let mut ids: Vec<_> = rules::all_infos()
        .map(|info| {
            (
                info.name,
                info.summary,
                info.docs,
                info.default_severity.as_str(),
            )
        })
        .collect();
    for (name, summary) in rules::KEYWORD_RULES {
        ids.push((name, summary, summary, "error"));
    }
    ids
}

/// The SARIF sink.
pub(super) struct Sarif {
    ids: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    started: bool,
    results: usize,
    notifications: Vec<Value>,
}

impl Default for Sarif {
    fn default() -> Self {
        Sarif {
            ids: descriptors(),
            started: false,
            results: 0,
            notifications: Vec::new(),
        }
    }
}

impl Sarif {
    fn open(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let rules: Vec<Value> = self
            .ids
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
        let tool = json!({ "driver": {
            "name": "preflight",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }});
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {}",
            pretty_json(&tool, 3)
        )
    }
}

/// A SARIF region: the start (line 1 when unknown) and the end when known.
fn region_of(start: Option<Position>, end: Option<Position>) -> Value {
    let mut region = serde_json::Map::new();
    if let Some(start) = start {
        region.insert("startLine".into(), json!(start.line));
        region.insert("startColumn".into(), json!(start.column));
    } else {
        region.insert("startLine".into(), json!(1));
    }
    if let Some(end) = end {
        region.insert("endLine".into(), json!(end.line));
        region.insert("endColumn".into(), json!(end.column.max(1)));
    }
    Value::Object(region)
}

fn uri_of(path: &str) -> String {
    let uri = path.replace('\\', "/");
    uri.strip_prefix("./").unwrap_or(&uri).to_string()
}

impl Sink for Sarif {
    fn begin_file(&mut self, out: &mut dyn Write, _: &str, _: Option<&str>) -> io::Result<()> {
        self.open(out)
    }

    fn finding(&mut self, out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()> {
        self.open(out)?;
        let d = &finding.diagnostic;
        let mut text = d.message.clone();
        if let Some(help) = &d.help {
            text.push_str(". Help: ");
            text.push_str(help);
        }
        let mut result = json!({
            "ruleId": d.rule,
            "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri_of(path) },
                    "region": region_of(d.start, d.end),
                },
                "logicalLocations": [{ "fullyQualifiedName": if d.pointer.is_empty() { "/".to_string() } else { d.pointer.clone() }, "kind": "member" }],
            }],
            "properties": { "pointer": d.pointer, "source": d.source.map(|s| s.as_str()) },
        });
        if !d.related.is_empty() {
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    json!({
                        "id": i,
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri_of(path) },
                            "region": region_of(r.start, r.end),
                        },
                        "logicalLocations": [{ "fullyQualifiedName": if r.pointer.is_empty() { "/".to_string() } else { r.pointer.clone() }, "kind": "member" }],
                        "message": { "text": r.message },
                    })
                })
                .collect();
            result["relatedLocations"] = Value::Array(related);
        }
        if let Some(fix) = &d.fix {
            // SARIF's fixes: replacements of regions, secrets never shown.
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| {
                    json!({
                        "deletedRegion": region_of(e.start, e.end),
                        "insertedContent": { "text": e.shown() },
                    })
                })
                .collect();
            result["fixes"] = json!([{
                "description": { "text": format!("{} ({})", fix.message, if fix.safe { "safe" } else { "unsafe" }) },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri_of(path) },
                    "replacements": replacements,
                }],
            }]);
        }
        if let Some(index) = self.ids.iter().position(|(n, ..)| *n == d.rule) {
            result["ruleIndex"] = json!(index);
        }
        out.write_all(if self.results == 0 {
            b",\n      \"results\": [\n        "
        } else {
            b",\n        "
        })?;
        self.results += 1;
        out.write_all(pretty_json(&result, 4).as_bytes())
    }

    fn end_file(&mut self, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()> {
        self.open(out)?;
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": format!("cannot read {path}: {problem}") },
            "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri_of(path) } } }],
            "descriptor": { "id": "unreadable-path" },
        }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.open(out)?;
        if self.results > 0 {
            out.write_all(b"\n      ]")?;
        } else if !summary.incomplete() {
            out.write_all(b",\n      \"results\": []")?;
        }
        let invocation = json!({
            "executionSuccessful": !summary.incomplete(),
            "toolExecutionNotifications": self.notifications,
        });
        write!(
            out,
            ",\n      \"invocations\": [\n        {}\n      ]\n    }}\n  ]\n}}\n",
            pretty_json(&invocation, 4)
        )
    }
}
