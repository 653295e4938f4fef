//! The baseline: read every `.json` file under the given paths (and every line
//! of `.ndjson` files) and `serde_json::from_slice` it, single-threaded, doing
//! nothing else. preflight's run time is reported relative to this.

use std::io::BufRead;
use std::path::Path;

fn visit(path: &Path, parsed: &mut u64, failed: &mut u64) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::path);
        for e in entries {
            visit(&e.path(), parsed, failed)?;
        }
        return Ok(());
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => {
            let bytes = std::fs::read(path)?;
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(_) => *parsed += 1,
                Err(_) => *failed += 1,
            }
        }
        Some("ndjson" | "jsonl") => {
            let mut reader = std::io::BufReader::new(std::fs::File::open(path)?);
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line)? == 0 {
                    break;
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<serde_json::Value>(&line) {
                    Ok(_) => *parsed += 1,
                    Err(_) => *failed += 1,
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let (mut parsed, mut failed) = (0, 0);
    for arg in std::env::args().skip(1) {
        visit(Path::new(&arg), &mut parsed, &mut failed)?;
    }
    println!("parsed {parsed} payloads ({failed} failed)");
    Ok(())
}
