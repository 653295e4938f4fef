//! `preflight validate --fix` and `--diff`: the findings' fixes applied to
//! the files, in passes until nothing changes (fixes whose edits overlap
//! wait for the next pass), keeping every byte the fixes do not touch.

use crate::input::{self, Input};
use crate::validate::{Run, endpoint_of};
use anyhow::Result;
use preflight::{Fix, Origin};
use std::io::Write;
use std::path::Path;

/// The most passes over one file (each pass re-checks what the last wrote).
const PASSES: usize = 8;

/// Applies (or, with `diff`, prints) the fixes of every file among
/// `inputs`. Returns the exit status of `--diff`: 1 when a file would
/// change. A summary goes to standard error with `--fix`.
pub(crate) fn run(
    run: &Run,
    inputs: &[Input],
    unsafe_fixes: bool,
    diff: bool,
    out: &mut impl Write,
) -> Result<u8> {
    let (mut files, mut fixes) = (0, 0);
    for i in inputs {
        let Input::File(path) = i else { continue };
        let Ok(bytes) = std::fs::read(path) else {
            continue; // the report says why it cannot be read
        };
        // A byte-order mark stays where it is; text only.
        let (bom, body) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
            Some(rest) => (true, rest),
            None => (false, bytes.as_slice()),
        };
        let Ok(text) = std::str::from_utf8(body) else {
            continue;
        };
        let ndjson = input::is_ndjson(path);
        let Some((fixed, applied)) = fix_text(run, i, path, text, ndjson, unsafe_fixes) else {
            continue;
        };
        if applied == 0 || fixed == text {
            continue;
        }
        files += 1;
        fixes += applied;
        if diff {
            let name = path.display().to_string();
            // Secrets never reach the output: both sides masked, so a line
            // whose only change is a secret (a recomputed signature) shows
            // as unchanged.
            let (old, new) = (
                preflight::render::masked_text(text, ndjson),
                preflight::render::masked_text(&fixed, ndjson),
            );
            let udiff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
            write!(
                out,
                "{}",
                udiff
                    .unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
            )?;
            continue;
        }
        let mut new = Vec::with_capacity(fixed.len() + 3);
        if bom {
            new.extend_from_slice(b"\xef\xbb\xbf");
        }
        new.extend_from_slice(fixed.as_bytes());
        replace(path, &new)?;
    }
    if diff {
        if files > 0 {
            eprintln!(
                "preflight: {fixes} fix{} in {files} file{} (nothing written: --diff)",
                if fixes == 1 { "" } else { "es" },
                if files == 1 { "" } else { "s" }
            );
        }
        return Ok(u8::from(files > 0));
    }
    if files > 0 {
        eprintln!(
            "preflight: fixed {fixes} finding{} in {files} file{}",
            if fixes == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        );
    }
    Ok(0)
}

/// Gives `path` (a link's target, when it is a link) the content `bytes` at
/// once: the new text is written beside it and renamed over it, so another
/// run reading the file meanwhile reads the old text or the new, never an
/// empty or half-written file. The file keeps its permissions.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    // A file this user may not write stays as it is, as it would with a
    // write in place (the rename alone would replace it).
    drop(std::fs::OpenOptions::new().write(true).open(&target)?);
    let permissions = std::fs::metadata(&target)?.permissions();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden, so a directory walk (this run's or another's) never reads it.
    let temporary = target.with_file_name(format!(".{name}.preflight-fix-{}", std::process::id()));
    // One left by an earlier run of this process id is stale.
    let _ = std::fs::remove_file(&temporary);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.set_permissions(permissions)?;
        drop(file);
        std::fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The fixed text and how many fixes were applied, or `None` when the file
/// is left alone (it does not parse, or no endpoint is known for it).
fn fix_text(
    run: &Run,
    input: &Input,
    path: &Path,
    text: &str,
    ndjson: bool,
    unsafe_fixes: bool,
) -> Option<(String, usize)> {
    let endpoint = endpoint_of(run, input);
    let scope = run.scope(Some(path));
    let options = scope.options_for(Some(path));
    let options = options.as_ref();
    let mut current = text.to_string();
    let mut total = 0;
    for _ in 0..PASSES {
        let mut found = Vec::new();
        let mut offset = 0;
        let pieces: Vec<&str> = if ndjson {
            current.split_inclusive('\n').collect()
        } else {
            vec![current.as_str()]
        };
        for (n, piece) in pieces.iter().enumerate() {
            let origin = Origin {
                offset,
                line: n + 1,
            };
            offset += piece.len();
            let line = piece.trim_end_matches(['\n', '\r']);
            if ndjson && line.trim().is_empty() {
                continue;
            }
            let checked = preflight::check(line.as_bytes(), endpoint, options, origin).ok()?;
            // Never touch a file that does not parse.
            if checked
                .findings
                .iter()
                .any(|f| f.diagnostic.rule == "parse-error")
            {
                return None;
            }
            // A suppressed finding is left as it is.
            found.extend(
                checked
                    .findings
                    .into_iter()
                    .filter(|f| !scope.suppresses(Some(path), &f.diagnostic))
                    .filter_map(|f| f.diagnostic.fix),
            );
        }
        let refs: Vec<&Fix> = found.iter().collect();
        let applied = preflight::fix::apply(&current, &refs, unsafe_fixes);
        if applied.applied == 0 || applied.text == current {
            break;
        }
        total += applied.applied;
        current = applied.text;
    }
    Some((current, total))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_link_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.json"), "old").unwrap();
        std::fs::set_permissions(d.join("a.json"), std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("a.json", d.join("link.json")).unwrap();
        replace(&d.join("link.json"), b"new").unwrap();
        assert_eq!(std::fs::read(d.join("a.json")).unwrap(), b"new");
        let mode = std::fs::metadata(d.join("a.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        assert!(
            std::fs::symlink_metadata(d.join("link.json"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_dir(d).unwrap().count(),
            2,
            "no temporary file left"
        );
    }
}
