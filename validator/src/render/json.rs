//! `--format json`: one document on stdout, as DESIGN.md specifies. Consumers
//! must ignore fields they don't know; fields are only ever added.

use super::{FileResult, Summary};
use serde_json::{Map, Value, json};

/// The JSON value of a run.
pub fn to_value(files: &[FileResult]) -> Value {
    let files_json: Vec<Value> = files
        .iter()
        .map(|f| {
            let diagnostics: Vec<Value> = f
                .findings
                .iter()
                .map(|finding| {
                    let d = &finding.diagnostic;
                    let mut m = Map::new();
                    m.insert("rule".into(), json!(d.rule));
                    m.insert("severity".into(), json!(d.severity.as_str()));
                    m.insert("pointer".into(), json!(d.pointer));
                    if let Some(start) = d.start {
                        m.insert("line".into(), json!(start.line));
                        m.insert("column".into(), json!(start.column));
                    }
                    if let Some(end) = d.end {
                        m.insert("end_line".into(), json!(end.line));
                        m.insert("end_column".into(), json!(end.column));
                    }
                    m.insert("message".into(), json!(d.message));
                    if let Some(help) = &d.help {
                        m.insert("help".into(), json!(help));
                    }
                    if let Some(note) = &d.note {
                        m.insert("note".into(), json!(note));
                    }
                    if let Some(source) = d.source {
                        m.insert("source".into(), json!(source.as_str()));
                    }
                    Value::Object(m)
                })
                .collect();
            json!({
                "path": f.path,
                "endpoint": f.endpoint,
                "diagnostics": diagnostics,
            })
        })
        .collect();
    json!({ "files": files_json, "summary": Summary::of(files) })
}

/// Renders a run as pretty JSON with a trailing newline.
pub fn render(files: &[FileResult]) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(files)).unwrap_or_default();
    s.push('\n');
    s
}
