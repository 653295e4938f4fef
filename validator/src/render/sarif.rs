//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it: the
//! tool's rules with descriptions, help and the run's configured level,
//! results with physical locations, levels `error`/`warning`, written as the
//! run goes.
//!
//! Artifact locations are percent-encoded URIs (RFC 3986: every byte but
//! the unreserved characters and `/` encoded). Given a base
//! ([`super::Renderer::with_base`]), a path under it is a relative URI with
//! `"uriBaseId": "%SRCROOT%"` and `run.originalUriBaseIds` says where
//! `%SRCROOT%` is (a `file://` URI ending in `/`); a path outside it is an
//! absolute `file://` URI. Standard input is the relative URI `stdin`, with
//! no base id: it is no file of the repository.
//!
//! A run that could not read every path says so: each unreadable path is a
//! `toolExecutionNotification`, `executionSuccessful` is false, and a failed
//! run with no result carries no `results` array at all, so code scanning does
//! not take it for "no problems" and close open alerts.

use super::escape::pretty_json;
use super::{Base, Finding, Settings, Sink, Summary};
use crate::Level;
use crate::diagnostic::{Position, Severity};
use crate::engine::rules;
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The base id of paths under the run's root.
const SRCROOT: &str = "%SRCROOT%";

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

/// A `tool` object as written ([`Sarif::tool`]) and the levels it has.
type Written = (Vec<Option<Level>>, Arc<str>);

/// The SARIF sink.
pub(super) struct Sarif {
    ids: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    settings: Settings,
    started: bool,
    results: usize,
    notifications: Vec<Value>,
}

impl Sarif {
    pub(super) fn new(settings: &Settings) -> Self {
        Sarif {
            ids: descriptors(),
            settings: settings.clone(),
            started: false,
            results: 0,
            notifications: Vec::new(),
        }
    }

    /// A rule's `defaultConfiguration`: the configured level, else the
    /// rule's own (`off`: level `none` and not enabled).
    fn configuration(&self, name: &str, default: &str) -> Value {
        match self.settings.levels.get(name) {
            Some(Level::Error) => json!({ "level": "error" }),
            Some(Level::Warning) => json!({ "level": "warning" }),
            Some(Level::Off) => json!({ "level": "none", "enabled": false }),
            None => json!({ "level": default }),
        }
    }

    /// The `tool` object as written: the rules with their descriptions,
    /// help and configured `levels` (one per rule, in order). It is tens of
    /// kilobytes and the same for every log written with the same levels,
    /// so it is written once a process and then copied.
    fn tool(&self, levels: Vec<Option<Level>>) -> Arc<str> {
        static WRITTEN: Mutex<Option<Written>> = Mutex::new(None);
        let mut written = WRITTEN.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((same, tool)) = written.as_ref()
            && *same == levels
        {
            return tool.clone();
        }
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
                    "defaultConfiguration": self.configuration(name, level),
                })
            })
            .collect();
        let tool: Arc<str> = pretty_json(
            &json!({ "driver": {
                "name": "preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
            3,
        )
        .into();
        *written = Some((levels, tool.clone()));
        tool
    }

    /// The `artifactLocation` of a path as the renderer was given it.
    fn artifact(&self, path: &str) -> Value {
        artifact_location(path, self.settings.base.as_ref())
    }

    fn open(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let levels: Vec<Option<Level>> = self
            .ids
            .iter()
            .map(|(name, ..)| self.settings.levels.get(*name).copied())
            .collect();
        let tool = self.tool(levels);
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {tool}",
        )?;
        if let Some(base) = &self.settings.base {
            let ids = json!({ SRCROOT: { "uri": directory_uri(&base.root) } });
            write!(
                out,
                ",\n      \"originalUriBaseIds\": {}",
                pretty_json(&ids, 3)
            )?;
        }
        Ok(())
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

/// How standard input is named in SARIF.
const STDIN: &str = "stdin";

/// The `artifactLocation` of `path` (as the run printed it: relative to
/// `base.cwd` or absolute; `<stdin>` for standard input).
fn artifact_location(path: &str, base: Option<&Base>) -> Value {
    if path == "<stdin>" {
        return json!({ "uri": STDIN });
    }
    let given = Path::new(path);
    let Some(base) = base else {
        // No base: relative paths stay relative, as given.
        return json!({ "uri": if given.is_absolute() { file_uri(given) } else { relative_uri(given) } });
    };
    let absolute = normalize(&base.cwd.join(given));
    match absolute.strip_prefix(normalize(&base.root)) {
        Ok(relative) => json!({ "uri": relative_uri(relative), "uriBaseId": SRCROOT }),
        Err(_) => json!({ "uri": file_uri(&absolute) }),
    }
}

/// `path` with `.` left out and `..` applied, without asking the file
/// system (the file may not exist, and a link's own path is the one shown).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Appends `segment` percent-encoded: every byte but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn push_encoded(out: &mut String, segment: &str) {
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The segments of `path` encoded and joined with `/` (no leading `/`).
fn encoded_segments(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        let piece = match c {
            Component::Normal(s) => s.to_string_lossy(),
            Component::ParentDir => "..".into(),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => continue,
        };
        if !out.is_empty() {
            out.push('/');
        }
        push_encoded(&mut out, &piece);
    }
    out
}

/// A relative path as a relative URI reference.
fn relative_uri(path: &Path) -> String {
    encoded_segments(&normalize(path))
}

/// An absolute path as a `file:` URI (`file:///home/a%20b/x.json`; on
/// Windows `file:///C:/…`).
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file:///");
    if let Some(Component::Prefix(prefix)) = path.components().next() {
        // A drive (`C:`) is written as it is.
        uri.push_str(&prefix.as_os_str().to_string_lossy().replace('\\', "/"));
        uri.push('/');
    }
    uri.push_str(&encoded_segments(path));
    uri
}

/// A directory as a `file:` URI ending in `/`, as `originalUriBaseIds` wants.
fn directory_uri(path: &Path) -> String {
    let mut uri = file_uri(&normalize(path));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
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
                    "artifactLocation": self.artifact(path),
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
                            "artifactLocation": self.artifact(path),
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
                    "artifactLocation": self.artifact(path),
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
            "locations": [{ "physicalLocation": { "artifactLocation": self.artifact(path) } }],
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A log's `defaultConfiguration` of `rule`.
    fn configured(levels: &[(&str, Level)], rule: &str) -> Value {
        let mut sarif = Sarif::new(&Settings {
            base: None,
            levels: levels.iter().map(|(n, l)| ((*n).to_string(), *l)).collect(),
        });
        let mut out = Vec::new();
        let _ = sarif.open(&mut out);
        out.extend_from_slice(b"}]}");
        let log: Value = serde_json::from_slice(&out).unwrap_or_default();
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .and_then(|rules| rules.iter().find(|r| r["id"] == rule))
            .map_or(Value::Null, |r| r["defaultConfiguration"].clone())
    }

    #[test]
    fn each_log_carries_its_own_runs_levels() {
        let rule = "unfilled-placeholder";
        let own = configured(&[], rule);
        assert!(own["level"].is_string(), "{own}");
        for _ in 0..2 {
            assert_eq!(
                configured(&[(rule, Level::Off)], rule),
                json!({ "level": "none", "enabled": false })
            );
            assert_eq!(
                configured(&[(rule, Level::Warning)], rule),
                json!({ "level": "warning" })
            );
            assert_eq!(configured(&[], rule), own);
        }
    }

    fn base(root: &str, cwd: &str) -> Base {
        Base {
            root: root.into(),
            cwd: cwd.into(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_percent_encoded_relative_to_the_base() {
        let b = base("/repo", "/repo/app");
        assert_eq!(
            artifact_location("fixtures/a b#1?%é.json", Some(&b)),
            json!({"uri": "app/fixtures/a%20b%231%3F%25%C3%A9.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("./x/../y.json", Some(&b)),
            json!({"uri": "app/y.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/repo/z.json", Some(&b)),
            json!({"uri": "z.json", "uriBaseId": "%SRCROOT%"})
        );
        // Outside the base: an absolute file URI, no base id.
        assert_eq!(
            artifact_location("../../other dir/x.json", Some(&b)),
            json!({"uri": "file:///other%20dir/x.json"})
        );
        assert_eq!(
            artifact_location("/repository/x.json", Some(&b)),
            json!({"uri": "file:///repository/x.json"})
        );
        assert_eq!(
            artifact_location("<stdin>", Some(&b)),
            json!({"uri": "stdin"})
        );
        assert_eq!(
            directory_uri(Path::new("/home/a b/")),
            "file:///home/a%20b/"
        );
        assert_eq!(directory_uri(Path::new("/")), "file:///");
    }

    #[cfg(unix)]
    #[test]
    fn without_a_base_paths_stay_as_given_but_encoded() {
        assert_eq!(
            artifact_location("./f ü.json", None),
            json!({"uri": "f%20%C3%BC.json"})
        );
        assert_eq!(
            artifact_location("/abs/f.json", None),
            json!({"uri": "file:///abs/f.json"})
        );
    }
}
