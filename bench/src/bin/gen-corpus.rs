//! Writes a realistic benchmark corpus derived from the shipped examples:
//! `<out>/files/<provider>/<endpoint>/NNNN.json` (N files spread over every
//! example, with names, numbers and ids varied) and `<out>/sandeza.ndjson`
//! (M Sandeza WhatsApp template payloads, one per line: a campaign, one shape)
//! and `<out>/sandeza-mixed.ndjson` (M/5 lines cycling through every Sandeza
//! example: SMS, email, every WhatsApp template and session shape).
//!
//! Usage: gen-corpus EXAMPLES_DIR OUT_DIR [FILES=2000] [NDJSON_LINES=1000000]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const NAMES: &[&str] = &[
    "Budi Santoso",
    "Siti Rahayu",
    "Agus Wijaya",
    "Dewi Lestari",
    "Rina Kusuma",
    "Hendra Gunawan",
    "Putri Maharani",
    "Joko Susilo",
    "Ayu Pratiwi",
    "Bambang Hartono",
    "Fitri Handayani",
    "Yusuf Hidayat",
];

fn examples(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::path);
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            // Templates files are not payloads (the benchmark writes its own).
            if p.file_name().is_some_and(|n| n == "templates") {
                continue;
            }
            examples(root, &p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            let id = p
                .parent()
                .and_then(|d| d.strip_prefix(root).ok())
                .map(|d| d.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            out.push((id, p));
        }
    }
    Ok(())
}

/// Varies the values a real batch would vary, keeping each valid.
fn vary(value: &mut Value, n: usize) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), &*v) {
                    ("ref_id", Value::String(_)) => *v = Value::from(format!("inv2026{n:08}")),
                    ("msisdn" | "phone_number" | "nohp", Value::String(s))
                        if s.starts_with("628") =>
                    {
                        *v = Value::from(format!("62812{:08}", 10_000_000 + n % 89_999_999));
                    }
                    ("msisdn", Value::String(s)) if s.starts_with("08") => {
                        *v = Value::from(format!("0812{:08}", 10_000_000 + n % 89_999_999));
                    }
                    ("text", Value::String(s)) if NAMES.contains(&s.as_str()) => {
                        *v = Value::from(NAMES[n % NAMES.len()]);
                    }
                    _ => vary(v, n),
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                vary(v, n);
            }
        }
        _ => {}
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: gen-corpus EXAMPLES_DIR OUT_DIR [FILES] [NDJSON_LINES]".into());
    }
    let (src, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let files: usize = args.get(3).map_or(Ok(2000), |s| s.parse())?;
    let lines: usize = args.get(4).map_or(Ok(1_000_000), |s| s.parse())?;
    let mut list = Vec::new();
    examples(&src, &src, &mut list)?;
    if list.is_empty() {
        return Err("no examples found".into());
    }
    let parsed: Vec<(String, Value)> = list
        .iter()
        .map(|(id, p)| Ok((id.clone(), serde_json::from_slice(&std::fs::read(p)?)?)))
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    for n in 0..files {
        let (id, template) = &parsed[n % parsed.len()];
        let mut v = template.clone();
        vary(&mut v, n);
        let dir = out.join("files").join(id);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("{n:04}.json")),
            serde_json::to_vec_pretty(&v)?,
        )?;
    }
    let ndjson_template = parsed
        .iter()
        .find(|(id, _)| id == "sandeza/send")
        .map(|(_, v)| v.clone())
        .ok_or("no sandeza/send example")?;
    // The JSON-format WhatsApp template with a dynamic body, if present.
    let template = list
        .iter()
        .zip(&parsed)
        .find(|((_, p), _)| p.ends_with("whatsapp-json-header-image.json"))
        .map_or(ndjson_template, |(_, (_, v))| v.clone());
    let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("sandeza.ndjson"))?);
    for n in 0..lines {
        let mut v = template.clone();
        vary(&mut v, n);
        serde_json::to_writer(&mut w, &v)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let sandeza: Vec<&Value> = parsed
        .iter()
        .filter(|(id, _)| id == "sandeza/send")
        .map(|(_, v)| v)
        .collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("sandeza-mixed.ndjson"))?);
    for n in 0..lines / 5 {
        let mut v = sandeza[n % sandeza.len()].clone();
        vary(&mut v, n);
        serde_json::to_writer(&mut w, &v)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    println!(
        "wrote {files} files, {lines} NDJSON lines and {} mixed ones under {}",
        lines / 5,
        out.display()
    );
    Ok(())
}
