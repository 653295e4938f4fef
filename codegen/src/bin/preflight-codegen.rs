//! `preflight-codegen SCHEMA... --out FILE`: the generator as a command, for
//! checking generated code in or typing a provider schema of your own;
//! `preflight-codegen templates FILE... --out FILE`: one type per template
//! and language of templates files.
//!
//! Thin on purpose: argument parsing, file I/O and exit codes; everything
//! else is the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use preflight_codegen::{Options, SchemaSet};

const USAGE: &str = "usage: preflight-codegen SCHEMA... --out FILE [--root DIR] [--runtime PATH] [--proptest-feature NAME]

Generates Rust types from JSON Schema files. Each SCHEMA is a file or a
directory (searched for *.json); paths inside the root (default: the common
parent of the arguments) name the modules: <root>/<provider>/<endpoint>.json
becomes <provider>::<Endpoint>Request, <root>/common/*.json the module common.
Files that the schemas $ref are loaded from the root as needed.

  --out FILE               where to write the formatted code (- for stdout)
  --root DIR               the schema root
  --runtime PATH           path of preflight's runtime module
                           (default ::preflight::types::runtime)
  --proptest-feature NAME  emit proptest Arbitrary impls behind this feature
  --schemars-feature NAME  derive schemars::JsonSchema behind this feature

   or: preflight-codegen templates FILE... --out FILE

Generates one Rust type per template and language of WhatsApp templates
files (Meta's message_templates export; a directory stands for its *.json
files), with the template's placeholders as fields and conversions into
each provider's request parts. The code refers to the preflight and
serde_json crates.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("preflight-codegen: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    if std::env::args().nth(1).as_deref() == Some("templates") {
        return templates(std::env::args().skip(2));
    }
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut out: Option<String> = None;
    let mut root: Option<PathBuf> = None;
    let mut options = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--out" | "-o" => out = Some(value("--out")?),
            "--root" => root = Some(PathBuf::from(value("--root")?)),
            "--runtime" => options = options.with_runtime(value("--runtime")?),
            "--proptest-feature" => {
                options = options.with_proptest_feature(Some(value("--proptest-feature")?))
            }
            "--schemars-feature" => {
                options = options.with_schemars_feature(Some(value("--schemars-feature")?))
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n\n{USAGE}")),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let out = out.ok_or_else(|| format!("--out is required\n\n{USAGE}"))?;
    if inputs.is_empty() {
        return Err(format!("no schema given\n\n{USAGE}"));
    }
    let mut files = Vec::new();
    for i in &inputs {
        collect(i, &mut files)?;
    }
    let root = match root {
        Some(r) => r
            .canonicalize()
            .map_err(|e| format!("{}: {e}", r.display()))?,
        None => common_root(&files),
    };
    let mut set = SchemaSet::new();
    let mut added: Vec<String> = Vec::new();
    let mut queue: Vec<PathBuf> = files;
    while let Some(f) = queue.pop() {
        let rel = f
            .strip_prefix(&root)
            .map_err(|_| format!("{} is outside the root {}", f.display(), root.display()))?
            .to_string_lossy()
            .replace('\\', "/");
        if added.contains(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        set.add(&rel, &text).map_err(|e| e.to_string())?;
        // Bring in the files this one references, relative to it.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            let mut refs = Vec::new();
            refs_of(&v, &mut refs);
            for r in refs {
                let file = r.split('#').next().unwrap_or("");
                if file.is_empty() || file.contains("://") {
                    continue;
                }
                let target = f.parent().unwrap_or(Path::new(".")).join(file);
                if let Ok(t) = target.canonicalize() {
                    queue.push(t);
                }
            }
        }
        added.push(rel);
    }
    let source = preflight_codegen::generate_source(&set, &options).map_err(|e| e.to_string())?;
    if out == "-" {
        print!("{source}");
    } else {
        std::fs::write(&out, source).map_err(|e| format!("{out}: {e}"))?;
    }
    Ok(())
}

/// `preflight-codegen templates FILE... --out FILE`.
fn templates(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut out: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" | "-o" => {
                out = Some(
                    args.next()
                        .ok_or_else(|| format!("--out needs a value\n\n{USAGE}"))?,
                );
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n\n{USAGE}")),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let out = out.ok_or_else(|| format!("--out is required\n\n{USAGE}"))?;
    if inputs.is_empty() {
        return Err(format!("no templates file given\n\n{USAGE}"));
    }
    if out == "-" {
        let source =
            preflight_codegen::templates::generate_files(&inputs).map_err(|e| e.to_string())?;
        print!("{source}");
        Ok(())
    } else {
        preflight_codegen::templates::write(&inputs, &out).map_err(|e| e.to_string())
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let p = p
        .canonicalize()
        .map_err(|e| format!("{}: {e}", p.display()))?;
    if p.is_dir() {
        let entries = std::fs::read_dir(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        for e in entries.flatten() {
            collect(&e.path(), out)?;
        }
    } else if p.extension().is_some_and(|e| e == "json") {
        out.push(p);
    }
    Ok(())
}

fn common_root(files: &[PathBuf]) -> PathBuf {
    let mut root: Option<PathBuf> = None;
    for f in files {
        // The provider directory's parent: <root>/<provider>/<file>.json.
        let dir = f
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("/"))
            .to_path_buf();
        root = Some(match root {
            None => dir,
            Some(r) => {
                let mut r = r;
                while !dir.starts_with(&r) {
                    if !r.pop() {
                        break;
                    }
                }
                r
            }
        });
    }
    root.unwrap_or_else(|| PathBuf::from("."))
}

fn refs_of(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                } else {
                    refs_of(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| refs_of(x, out)),
        _ => {}
    }
}
