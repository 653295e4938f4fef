//! The fuzzers' dictionary of the schemas (`fuzz/dict/schemas.dict`): every
//! property name, `required` entry and `enum`/`const` string of every
//! schema under `schemas/`, each as a JSON string (`"phone_number"`), in
//! libFuzzer's dictionary format. `tests/dict.rs` checks it is current;
//! `PREFLIGHT_UPDATE_DICT=1 cargo test -p preflight-fuzz-harness --test dict`
//! writes it.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn walk(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(o) => {
            if let Some(Value::Object(props)) = o.get("properties") {
                out.extend(props.keys().cloned());
            }
            if let Some(Value::Array(required)) = o.get("required") {
                out.extend(
                    required
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
            if let Some(Value::Array(values)) = o.get("enum") {
                out.extend(values.iter().filter_map(Value::as_str).map(str::to_string));
            }
            if let Some(Value::String(c)) = o.get("const") {
                out.insert(c.clone());
            }
            for v in o.values() {
                walk(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One libFuzzer dictionary line for `word` as a JSON string.
fn line(word: &str) -> String {
    let json = serde_json::to_string(word).unwrap_or_default();
    let mut out = String::from("\"");
    for b in json.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out.push('"');
    out
}

/// The dictionary of the schemas under `schemas` (the repository's
/// `schemas/` folder; `output/` is what preflight prints, not a payload).
pub fn generate(schemas: &Path) -> String {
    let mut paths = Vec::new();
    files(schemas, &mut paths);
    let mut words = BTreeSet::new();
    for path in paths {
        if path.components().any(|c| c.as_os_str() == "output") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            walk(&value, &mut words);
        }
    }
    let mut out = String::from(
        "# Every property name, required field and enum/const string of the schemas\n\
         # under schemas/ (but output/), as JSON strings. Written by\n\
         # `PREFLIGHT_UPDATE_DICT=1 cargo test -p preflight-fuzz-harness --test dict`.\n",
    );
    for w in words.iter().filter(|w| !w.is_empty() && w.len() <= 64) {
        out.push_str(&line(w));
        out.push('\n');
    }
    out
}

/// The bytes of one dictionary line (`"…"` with `\"`, `\\` and `\xNN`
/// escapes), as text; `None` for comments and blank lines.
pub fn entry(line: &str) -> Option<String> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let start = line.find('"')?;
    let body = line[start + 1..].strip_suffix('"')?;
    let mut bytes = Vec::new();
    let mut it = body.bytes();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next()? {
            b'x' => {
                let hi = char::from(it.next()?).to_digit(16)?;
                let lo = char::from(it.next()?).to_digit(16)?;
                bytes.push(u8::try_from(hi * 16 + lo).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}
