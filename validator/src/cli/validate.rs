//! `preflight validate`: find the inputs, decide each one's endpoint, check
//! files in parallel (NDJSON streamed in parallel batches, memory flat however
//! long the file), render, and choose the exit status.

use super::config::{self, Loaded};
use super::{ColorArg, FormatArg, ValidateArgs, detect};
use anyhow::Result;
use preflight::check::{self, Origin};
use preflight::parse::{self, MAX_PAYLOAD_BYTES};
use preflight::render::{self, FileResult, Finding, Format};
use preflight::span::LineIndex;
use preflight::{Diagnostic, Endpoint, Options, Position, Registry};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// One thing to check.
#[derive(Debug, Clone)]
enum Input {
    File(PathBuf),
    Stdin,
}

struct Run {
    registry: &'static Registry,
    forced: Option<&'static Endpoint>,
    config: Option<Loaded>,
    options: Options,
}

/// Lines per NDJSON batch checked in parallel.
const BATCH_LINES: usize = 4096;

pub(super) fn run(args: ValidateArgs, out: &mut impl Write) -> Result<u8> {
    let registry = Registry::get()?;
    let forced = match &args.endpoint {
        Some(id) => match registry.endpoint(id) {
            Ok(e) => Some(e),
            Err(err) => {
                eprintln!("preflight: error: {err}");
                return Ok(2);
            }
        },
        None => None,
    };
    let cwd = std::env::current_dir()?;
    let config = match config::load(args.config.as_deref(), &cwd) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("preflight: error: {err:#}");
            return Ok(2);
        }
    };
    let mut options = Options {
        sandeza_password: args.sandeza_password.clone(),
        ..Options::default()
    };
    if let Some(loaded) = &config {
        options.levels = loaded.config.rules.clone().into_iter().collect();
    }
    let run = Run {
        registry,
        forced,
        config,
        options,
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut io_errors = Vec::new();
    let mut inputs = Vec::new();
    for path in &paths {
        collect_inputs(path, &mut inputs, &mut io_errors);
    }

    let check = |input: &Input| match check_input(&run, input) {
        Ok(r) => Ok(r),
        Err(e) => Err(format!("{}: {e}", display(input))),
    };
    // One input needs no thread pool (starting one is a fair part of a
    // one-file run); an NDJSON file still checks its batches in parallel.
    let checked: Vec<_> = if inputs.len() > 1 {
        inputs.par_iter().map(check).collect()
    } else {
        inputs.iter().map(check).collect()
    };
    let results: Vec<FileResult> = checked
        .into_iter()
        .filter_map(|r| match r {
            Ok(r) => Some(r),
            Err(e) => {
                io_errors.push(e);
                None
            }
        })
        .collect();

    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    out.write_all(render::render(format, &results, color).as_bytes())?;
    out.flush()?;
    for e in &io_errors {
        eprintln!("preflight: error: {e}");
    }
    let summary = render::Summary::of(&results);
    Ok(if !io_errors.is_empty() {
        2
    } else if summary.errors > 0 {
        1
    } else {
        0
    })
}

fn display(input: &Input) -> String {
    match input {
        Input::File(p) => p.display().to_string(),
        Input::Stdin => "<stdin>".to_string(),
    }
}

fn is_payload_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "ndjson" | "jsonl")
    )
}

fn is_ndjson(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    )
}

fn collect_inputs(path: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    if path.as_os_str() == "-" {
        inputs.push(Input::Stdin);
        return;
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(format!("{}: {}", path.display(), describe_io(&e)));
            return;
        }
    };
    if meta.is_dir() {
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && is_payload_file(e.path()) => {
                    inputs.push(Input::File(e.into_path()));
                }
                Ok(_) => {}
                Err(e) => errors.push(format!("walking {}: {e}", path.display())),
            }
        }
    } else {
        inputs.push(Input::File(path.to_path_buf()));
    }
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The endpoint decided before reading: flag, config, path.
fn endpoint_before_reading(run: &Run, input: &Input) -> Option<&'static Endpoint> {
    if run.forced.is_some() {
        return run.forced;
    }
    let Input::File(path) = input else {
        return None;
    };
    run.config
        .as_ref()
        .and_then(|c| c.endpoint_for(path))
        .or_else(|| detect::from_path(path, run.registry))
}

fn check_input(run: &Run, input: &Input) -> std::io::Result<FileResult> {
    let endpoint = endpoint_before_reading(run, input);
    let path = display(input);
    match input {
        Input::File(p) if is_ndjson(p) => {
            let file = std::fs::File::open(p)
                .map_err(|e| std::io::Error::new(e.kind(), describe_io(&e)))?;
            check_ndjson(run, path, endpoint, BufReader::new(file))
        }
        Input::File(p) => {
            let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            if size > MAX_PAYLOAD_BYTES as u64 {
                let d = Diagnostic::error(
                    "payload-too-large",
                    "",
                    format!(
                        "the file is {:.1} MB; no provider accepts a single request body this large (preflight checks up to {} MB)",
                        size as f64 / 1_000_000.0,
                        MAX_PAYLOAD_BYTES / (1024 * 1024)
                    ),
                )
                .with_help("one payload per file; for many payloads use an .ndjson file with one payload per line");
                return Ok(FileResult {
                    path,
                    endpoint: endpoint.map(|e| e.id.to_string()),
                    payloads: 1,
                    findings: text_finding(run, d, 1),
                });
            }
            let bytes =
                std::fs::read(p).map_err(|e| std::io::Error::new(e.kind(), describe_io(&e)))?;
            Ok(check_document(run, path, endpoint, &bytes))
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().lock().read_to_end(&mut bytes)?;
            if looks_like_ndjson(&bytes) {
                check_ndjson(run, path, endpoint, std::io::Cursor::new(bytes))
            } else {
                Ok(check_document(run, path, endpoint, &bytes))
            }
        }
    }
}

/// One finding with no source line (the payload could not be read as text),
/// at `line`, column 1, with the configured severity.
fn text_finding(run: &Run, mut d: Diagnostic, line: usize) -> Vec<Finding> {
    d.start = Some(Position { line, column: 1 });
    levelled(run, vec![d])
        .into_iter()
        .map(|diagnostic| Finding {
            diagnostic,
            line_text: None,
        })
        .collect()
}

fn levelled(run: &Run, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    check::apply_levels(&mut diagnostics, &run.options);
    diagnostics
}

/// Stdin holds NDJSON when its first non-blank line is a whole JSON value and
/// another non-blank line follows.
fn looks_like_ndjson(bytes: &[u8]) -> bool {
    let mut lines = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    match (lines.next(), lines.next()) {
        (Some(first), Some(_)) => serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok(),
        _ => false,
    }
}

/// One whole-file payload.
fn check_document(
    run: &Run,
    path: String,
    endpoint: Option<&'static Endpoint>,
    bytes: &[u8],
) -> FileResult {
    let mut findings = Vec::new();
    let (text, bom) = match parse::decode(bytes) {
        Ok(t) => t,
        Err(failure) => {
            // Position in bytes that are not text: report the line of the valid prefix.
            let valid = &bytes[..failure.offset.min(bytes.len())];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            return FileResult {
                path,
                endpoint: endpoint.map(|e| e.id.to_string()),
                payloads: 1,
                findings: text_finding(run, *failure.diagnostic, line),
            };
        }
    };
    let registry = run.registry;
    let outcome = check::check_text(endpoint, text, &run.options, |value| {
        detect::from_shape(value, registry).map(Some)
    });
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            let d = Diagnostic::error("parse-error", "", format!("internal error: {e}"));
            return FileResult {
                path,
                endpoint: None,
                payloads: 1,
                findings: vec![Finding {
                    diagnostic: d,
                    line_text: None,
                }],
            };
        }
    };
    if bom {
        let mut d = Diagnostic::warning(
            "byte-order-mark",
            "",
            "the file starts with a UTF-8 byte-order mark; some providers reject the body",
        )
        .with_help("save the file as UTF-8 without BOM");
        d.start = Some(Position { line: 1, column: 1 });
        for d in levelled(run, vec![d]) {
            findings.push(Finding {
                diagnostic: d,
                line_text: None,
            });
        }
    }
    // Lines are indexed only for a payload with findings: most have none.
    let index = std::cell::LazyCell::new(|| LineIndex::new(text));
    for d in outcome.report.diagnostics {
        let line_text = d
            .start
            .map(|p| masked_line(text, &index, p.line, &outcome.secret_spans));
        findings.push(Finding {
            diagnostic: d,
            line_text,
        });
    }
    FileResult {
        path,
        endpoint: outcome.endpoint.or(endpoint).map(|e| e.id.to_string()),
        payloads: 1,
        findings,
    }
}

/// The text of a line with every secret masked (schema-marked values by span,
/// secret-named keys lexically), keeping columns.
fn masked_line(
    text: &str,
    index: &LineIndex,
    line: usize,
    secret_spans: &[std::ops::Range<usize>],
) -> String {
    let start = index.line_start(line);
    let raw = index.line_text(text, line);
    let mut masked = String::with_capacity(raw.len());
    for (i, ch) in raw.char_indices() {
        let at = start + i;
        // Spans cover the literal with its quotes; mask what is inside them.
        if secret_spans.iter().any(|s| at > s.start && at + 1 < s.end) {
            masked.push('•');
        } else {
            masked.push(ch);
        }
    }
    preflight::secrets::mask_line(&masked)
}

/// A batch of NDJSON lines in one buffer, with the endpoint to check them as.
#[derive(Default)]
struct Batch {
    endpoint: Option<&'static Endpoint>,
    bytes: Vec<u8>,
    /// Line number, byte offset in the file, range in `bytes`.
    lines: Vec<(usize, usize, std::ops::Range<usize>)>,
}

/// A batch is sent on when it holds this many lines or bytes.
const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// An NDJSON stream: each non-blank line one payload, checked in parallel
/// batches while a reader thread fills the next batch; only findings are
/// kept. Batches are recycled, so memory stays at a few batches however long
/// the stream.
fn check_ndjson(
    run: &Run,
    path: String,
    endpoint: Option<&'static Endpoint>,
    reader: impl BufRead + Send,
) -> std::io::Result<FileResult> {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    let mut findings = Vec::new();
    let (payloads, endpoint) = std::thread::scope(|scope| {
        let producer =
            scope.spawn(move || read_batches(run, endpoint, reader, &full_tx, &empty_rx));
        for mut batch in full_rx {
            flush_batch(run, &batch, &mut findings);
            batch.bytes.clear();
            batch.lines.clear();
            // The reader may have finished: then the batch is simply dropped.
            let _ = empty_tx.send(batch);
        }
        producer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the NDJSON reader stopped")))
    })?;
    Ok(FileResult {
        path,
        endpoint: endpoint.map(|e| e.id.to_string()),
        payloads,
        findings,
    })
}

/// Splits the stream into batches of lines and sends each on; returns the
/// number of payloads and the endpoint they were checked as.
fn read_batches(
    run: &Run,
    endpoint: Option<&'static Endpoint>,
    mut reader: impl BufRead,
    full: &std::sync::mpsc::SyncSender<Batch>,
    empty: &std::sync::mpsc::Receiver<Batch>,
) -> std::io::Result<(usize, Option<&'static Endpoint>)> {
    let mut endpoint = endpoint;
    let mut payloads = 0usize;
    let mut line_no = 0usize;
    let mut offset = 0usize;
    let mut batch = Batch::default();
    loop {
        let start = batch.bytes.len();
        let n = reader.read_until(b'\n', &mut batch.bytes)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let this_offset = offset;
        offset += n;
        let mut end = batch.bytes.len();
        while end > start && matches!(batch.bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line = &batch.bytes[start..end];
        if line.iter().all(u8::is_ascii_whitespace) {
            batch.bytes.truncate(start);
            continue;
        }
        payloads += 1;
        if endpoint.is_none() {
            // Nothing else said: the first payload's shape decides for the whole file.
            if let Ok(text) = std::str::from_utf8(line) {
                if let Ok(parsed) = parse::parse_text(text) {
                    endpoint = detect::from_shape(&parsed.value, run.registry).ok();
                }
            }
        }
        batch.lines.push((line_no, this_offset, start..end));
        if batch.lines.len() >= BATCH_LINES || batch.bytes.len() >= BATCH_BYTES {
            batch.endpoint = endpoint;
            let next = empty.try_recv().unwrap_or_default();
            if full.send(std::mem::replace(&mut batch, next)).is_err() {
                break; // the checker stopped: nothing more to do
            }
        }
    }
    if !batch.lines.is_empty() {
        batch.endpoint = endpoint;
        // A closed channel means the checker stopped; its error is reported there.
        let _ = full.send(batch);
    }
    Ok((payloads, endpoint))
}

fn flush_batch(run: &Run, batch: &Batch, findings: &mut Vec<Finding>) {
    let registry = run.registry;
    let endpoint = batch.endpoint;
    let results: Vec<Vec<Finding>> = batch
        .lines
        .par_iter()
        .map(|(line_no, offset, range)| {
            let bytes = &batch.bytes[range.clone()];
            let origin = Origin {
                offset: *offset,
                line: *line_no,
            };
            if bytes.len() > MAX_PAYLOAD_BYTES {
                let d = Diagnostic::error(
                    "payload-too-large",
                    "",
                    format!(
                        "this line is {:.1} MB; no provider accepts a request body this large",
                        bytes.len() as f64 / 1_000_000.0
                    ),
                );
                return text_finding(run, d, *line_no);
            }
            let text = match parse::decode(bytes) {
                Ok((t, _)) => t,
                Err(failure) => return text_finding(run, *failure.diagnostic, *line_no),
            };
            let outcome = check::check_text(endpoint, text, &run.options, |value| {
                detect::from_shape(value, registry).map(Some)
            });
            match outcome {
                Ok(mut o) => {
                    let line_text = if o.report.diagnostics.is_empty() {
                        None
                    } else {
                        let index = LineIndex::new(text);
                        Some(masked_line(text, &index, 1, &o.secret_spans))
                    };
                    check::shift(&mut o.report, &mut [], origin);
                    o.report
                        .diagnostics
                        .into_iter()
                        .map(|diagnostic| Finding {
                            diagnostic,
                            line_text: line_text.clone(),
                        })
                        .collect()
                }
                Err(e) => vec![Finding {
                    diagnostic: Diagnostic::error(
                        "parse-error",
                        "",
                        format!("internal error: {e}"),
                    ),
                    line_text: None,
                }],
            }
        })
        .collect();
    for r in results {
        findings.extend(r);
    }
}
