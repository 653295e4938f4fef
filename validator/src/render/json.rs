//! `--format json`: one document on stdout, written as the run goes:
//!
//! ```json
//! {"files": [{"path": "…", "endpoint": "…", "diagnostics": [{…}]}],
//!  "summary": {"files": 1, "payloads": 1, "errors": 1, "warnings": 0}}
//! ```
//!
//! A path that could not be read is a file entry with an `error` and no
//! diagnostics, and counts in `summary.unreadable`; `summary.incomplete` is
//! then `true` (the run could not check everything it was asked to; absent
//! otherwise). Consumers must ignore
//! fields they don't know; fields are only ever added. Strings are escaped so
//! that no control character reaches a terminal that prints the document.

use super::escape::pretty_json;
use super::{Finding, Sink, Summary};
use serde_json::{Value, json};
use std::io::{self, Write};

/// The JSON object of one finding (the contract's field names).
pub(crate) fn finding_value(finding: &Finding) -> Value {
    serde_json::to_value(&finding.diagnostic).unwrap_or(Value::Null)
}

/// The JSON sink: which separators are owed.
#[derive(Default)]
pub(super) struct Json {
    started: bool,
    files: usize,
    findings: usize,
}

impl Json {
    fn open(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(b"{\n  \"files\": [")?;
        }
        Ok(())
    }

    fn next_file(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.open(out)?;
        out.write_all(if self.files == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.files += 1;
        Ok(())
    }
}

impl Sink for Json {
    fn begin_file(
        &mut self,
        out: &mut dyn Write,
        path: &str,
        endpoint: Option<&str>,
    ) -> io::Result<()> {
        self.next_file(out)?;
        self.findings = 0;
        write!(
            out,
            "{{\n      \"path\": {},\n      \"endpoint\": {},\n      \"diagnostics\": [",
            pretty_json(&path, 0),
            pretty_json(&endpoint, 0)
        )
    }

    fn finding(&mut self, out: &mut dyn Write, _: &str, finding: &Finding) -> io::Result<()> {
        out.write_all(if self.findings == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        self.findings += 1;
        out.write_all(pretty_json(&finding_value(finding), 4).as_bytes())
    }

    fn end_file(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.findings > 0 {
            out.write_all(b"\n      ]\n    }")
        } else {
            out.write_all(b"]\n    }")
        }
    }

    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()> {
        self.next_file(out)?;
        let entry = json!({"path": path, "endpoint": null, "error": problem, "diagnostics": []});
        out.write_all(pretty_json(&entry, 2).as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.open(out)?;
        out.write_all(if self.files == 0 {
            b"],\n"
        } else {
            b"\n  ],\n"
        })?;
        let mut value = serde_json::to_value(summary).unwrap_or(Value::Null);
        if summary.incomplete() {
            // Said outright, so a script need not know which counts mean it.
            value["incomplete"] = Value::Bool(true);
        }
        writeln!(out, "  \"summary\": {}\n}}", pretty_json(&value, 1))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::super::{FileResult, Finding, render};
    use super::*;
    use crate::Diagnostic;

    fn files(n: usize, findings: usize) -> Vec<FileResult> {
        (0..n)
            .map(|i| FileResult {
                path: format!("f{i}.json"),
                endpoint: (i % 2 == 0).then(|| "chatbot/sendwa".to_string()),
                payloads: 1,
                findings: (0..findings)
                    .map(|j| Finding {
                        diagnostic: Diagnostic::error("type", format!("/a/{j}"), "m\u{1b}"),
                        snippet: None,
                        related: Vec::new(),
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn the_streamed_document_is_what_serde_json_prints() {
        for (n, k) in [(0, 0), (1, 0), (1, 2), (3, 1), (2, 3)] {
            let files = files(n, k);
            let streamed = render(super::super::Format::Json, &files, false);
            let value: Value = serde_json::from_str(&streamed).unwrap();
            let expected = json!({
                "files": files.iter().map(|f| json!({
                    "path": f.path,
                    "endpoint": f.endpoint,
                    "diagnostics": f.findings.iter().map(finding_value).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "summary": Summary::of(&files),
            });
            assert_eq!(value, expected);
            // Byte for byte the layout serde_json's pretty printer gives.
            let mut pretty = serde_json::to_string_pretty(&expected).unwrap();
            pretty.push('\n');
            assert_eq!(streamed, pretty.replace('\u{1b}', "\\u001b"));
        }
    }

    #[test]
    fn the_document_fits_its_schema() {
        let schema: Value = serde_json::from_str(crate::render::JSON_REPORT_SCHEMA).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let mut files = files(2, 2);
        let mut d = Diagnostic::warning("max-length", "/a~1b", "too long")
            .with_help("shorten it")
            .with_related("/c", "first used here");
        d.start = Some(crate::Position::new(1, 2));
        d.end = Some(crate::Position::new(1, 9));
        files[0].findings.push(Finding {
            diagnostic: d,
            snippet: None,
            related: Vec::new(),
        });
        let document: Value =
            serde_json::from_str(&render(super::super::Format::Json, &files, false)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // A renamed field is caught.
        let mut renamed = document.clone();
        let finding = renamed["files"][0]["diagnostics"][0]
            .as_object_mut()
            .unwrap();
        let rule = finding.remove("rule").unwrap();
        finding.insert("code".into(), rule);
        assert!(!validator.is_valid(&renamed));
    }
}
