//! `preflight validate`: find the inputs, decide each one's endpoint, check
//! them, and stream the report as it is produced.
//!
//! Memory stays flat however much is read and however much of it fails:
//! files are checked in parallel in bounded chunks and reported in order;
//! NDJSON files, standard input and FIFOs are streamed in batches, each line
//! bounded by the payload limit; only counts outlive a file's report.

use crate::config::{self, Loaded};
use crate::input::{self, Input, LineRead};
use crate::{FormatArg, ValidateArgs, detect};
use anyhow::Result;
use preflight::render::{FileResult, Finding, Format, Renderer};
use preflight::{Diagnostic, Endpoint, MAX_PAYLOAD_BYTES, Options, Position};
use preflight::{Origin, check as check_bytes};
use rayon::prelude::*;
use std::io::{BufRead, Read, Write};
use std::path::Path;

pub(crate) struct Run {
    endpoints: &'static [Endpoint],
    forced: Option<&'static Endpoint>,
    config: Option<Loaded>,
    options: Options,
    /// `options` with the run's templates, when there are any.
    templated: Option<Options>,
    /// `--templates` was given: the templates apply to every payload.
    templates_everywhere: bool,
    /// `--quiet`: no line saying which endpoint a file was detected as.
    quiet: bool,
    /// What the run says once, beside the findings (the library's notes,
    /// collected from every payload).
    notes: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Run {
    /// Keeps a payload's notes for the end of the run.
    fn note(&self, notes: Vec<String>) {
        if notes.is_empty() {
            return;
        }
        if let Ok(mut all) = self.notes.lock() {
            all.extend(notes);
        }
    }
}

/// Lines per NDJSON batch checked in parallel.
const BATCH_LINES: usize = 4096;
/// A batch is sent on when it holds this many lines or bytes.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Files checked in parallel before their reports are written.
const CHUNK_FILES: usize = 2048;

pub(super) fn run(args: ValidateArgs, out: &mut impl Write) -> Result<u8> {
    let endpoints = preflight::endpoints()?;
    let forced = match &args.endpoint {
        Some(id) => match preflight::endpoint(id) {
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
    let mut options = Options::default();
    options.sandeza_password = args.sandeza_password.clone();
    if let Some(loaded) = &config {
        options.levels = loaded
            .config
            .rules
            .iter()
            .map(|(k, v)| (k.clone(), (*v).into()))
            .collect();
    }
    let format = format_of(args.format);
    let color = crate::output::color(args.color);
    // The templates: `--templates`, else the config's files. Files declared
    // as templates either way are never payloads.
    let config_files = config
        .as_ref()
        .map(Loaded::template_files)
        .unwrap_or_default();
    let template_paths = if args.templates.is_empty() {
        config_files.clone()
    } else {
        args.templates.clone()
    };
    let mut excluded = std::collections::HashSet::new();
    for p in config_files.iter().chain(&args.templates) {
        if let Ok(files) = crate::templates::expand(p) {
            excluded.extend(files.iter().filter_map(|f| f.canonicalize().ok()));
        }
    }
    let mut run = Run {
        endpoints,
        forced,
        config,
        options,
        templated: None,
        templates_everywhere: !args.templates.is_empty(),
        quiet: args.quiet,
        notes: std::sync::Mutex::new(std::collections::BTreeSet::new()),
    };

    let paths = if args.paths.is_empty() {
        vec![std::path::PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut inputs = Vec::new();
    for path in &paths {
        input::collect(path, &mut inputs);
    }
    if !excluded.is_empty() {
        inputs.retain(|i| match i {
            Input::File(p) | Input::Stream(p) => {
                !p.canonicalize().is_ok_and(|c| excluded.contains(&c))
            }
            _ => true,
        });
    }
    let before = inputs.len();
    if args.only_mapped {
        inputs.retain(|i| {
            !matches!(i, Input::File(_) | Input::Stream(_)) || endpoint_of(&run, i).is_some()
        });
    }
    let skipped = before - inputs.len();

    // Warnings of the templates files, reported before the payloads.
    let mut template_reports = Vec::new();
    let mut described = None;
    // The templates are read only when some payload of the run uses them.
    let uses_templates = |run: &Run| {
        inputs.iter().any(|i| {
            let path = match i {
                Input::File(p) | Input::Stream(p) => Some(p.as_path()),
                _ => None,
            };
            run.templates_everywhere
                || run
                    .config
                    .as_ref()
                    .is_none_or(|c| c.templates_apply_to(path))
        })
    };
    if !template_paths.is_empty() && uses_templates(&run) {
        let loaded =
            match crate::templates::load(&template_paths, run.config.as_ref(), &run.options) {
                Ok(l) => l,
                Err(err) => {
                    eprintln!("preflight: error: {err:#}");
                    return Ok(2);
                }
            };
        if loaded.failed {
            // Their findings, as each file's report; no payload is checked.
            if format == Format::Text {
                writeln!(out, "{}", loaded.describe())?;
            }
            let mut renderer = crate::output::renderer(
                format,
                color,
                &mut *out,
                run.config.as_ref(),
                &run.options,
            )?;
            for r in &loaded.reports {
                renderer.begin_file(&r.path, r.endpoint.as_deref())?;
                for f in &r.findings {
                    renderer.finding(f)?;
                }
            }
            renderer.finish()?;
            eprintln!("preflight: error: the templates files have errors; no payload was checked");
            return Ok(2);
        }
        described = Some(loaded.describe());
        template_reports = loaded.reports;
        let mut with = run.options.clone();
        with.templates = Some(loaded.templates.clone());
        run.templated = Some(with);
    }
    // Fixes first: the report that follows is of the fixed files.
    if args.fix || args.diff {
        let outcome = crate::fix::run(&run, &inputs, args.unsafe_fixes, args.diff, out)?;
        if args.diff {
            return Ok(outcome);
        }
    }
    // Which templates were read, once.
    if let Some(line) = &described
        && format == Format::Text
        && !run.quiet
    {
        writeln!(out, "{line}")?;
    }
    let mut renderer =
        crate::output::renderer(format, color, out, run.config.as_ref(), &run.options)?;
    renderer.skipped(skipped);
    // A templates file is a file of the report, not a payload.
    for r in &template_reports {
        renderer.begin_file(&r.path, r.endpoint.as_deref())?;
        for f in &r.findings {
            renderer.finding(f)?;
        }
    }
    let mut problems = Vec::new();
    let mut rest = inputs.as_slice();
    while let Some(first) = rest.first() {
        // A run of plain files: checked in parallel, written in order.
        let plain = rest
            .iter()
            .take_while(|i| matches!(i, Input::File(p) if !input::is_ndjson(p)))
            .count();
        if plain > 0 {
            let files = &rest[..plain];
            rest = &rest[plain..];
            check_files(&run, files, &mut renderer, &mut problems)?;
            continue;
        }
        rest = &rest[1..];
        let name = first.display();
        let outcome = match first {
            Input::File(p) => match std::fs::File::open(p) {
                Ok(f) => check_lines(
                    &run,
                    run.options_for(Some(p)),
                    &mut renderer,
                    &name,
                    endpoint_of(&run, first),
                    f,
                ),
                Err(e) => Err(e),
            },
            Input::Stream(p) => match std::fs::File::open(p) {
                Ok(f) => check_stream(
                    &run,
                    run.options_for(Some(p)),
                    &mut renderer,
                    &name,
                    endpoint_of(&run, first),
                    f,
                ),
                Err(e) => Err(e),
            },
            Input::Stdin => check_stream(
                &run,
                run.options_for(None),
                &mut renderer,
                &name,
                run.forced,
                std::io::stdin(),
            ),
            Input::Skipped { path, kind } => {
                let d = Diagnostic::warning(
                    "skipped-file",
                    "",
                    format!(
                        "`{}` is {kind}, not a regular file; it was not read",
                        path.display()
                    ),
                )
                .with_help(
                    "name it on the command line to read it as a stream, like standard input",
                );
                emit(
                    &run,
                    &mut renderer,
                    &text_file(&run, name.clone(), None, 0, d, 1),
                    None,
                )?;
                Ok(())
            }
            Input::BrokenLink { path, target } => {
                let d = Diagnostic::error(
                    "broken-link",
                    "",
                    format!(
                        "`{}` is a symbolic link to `{}`, which does not exist; nothing was checked",
                        path.display(),
                        target.display()
                    ),
                )
                .with_help("point the link at the payload file, or delete it");
                emit(
                    &run,
                    &mut renderer,
                    &text_file(&run, name.clone(), None, 0, d, 1),
                    None,
                )?;
                Ok(())
            }
            Input::Unreadable { problem, .. } => {
                renderer.unreadable(&name, problem)?;
                problems.push(format!("{name}: {problem}"));
                Ok(())
            }
        };
        if let Err(e) = outcome {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
            let problem = input::describe_io(&e);
            renderer.unreadable(&name, &problem)?;
            problems.push(format!("{name}: {problem}"));
        }
    }
    let summary = renderer.finish()?;
    // Said once, on standard error: the report on standard output stays the
    // findings.
    if !run.quiet
        && let Ok(notes) = run.notes.lock()
    {
        for n in notes.iter() {
            eprintln!("preflight: note: {}", preflight::render::escape_controls(n));
        }
    }
    if format != Format::Text {
        for p in &problems {
            eprintln!(
                "preflight: error: cannot read {}",
                preflight::render::escape_controls(p)
            );
        }
    }
    Ok(if summary.incomplete() {
        2
    } else if summary.errors > 0 {
        1
    } else {
        0
    })
}

/// The renderer's format for a `--format`.
pub(crate) fn format_of(format: FormatArg) -> Format {
    match format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Concise => Format::Concise,
    }
}

impl Run {
    /// The options a payload is checked with: with the templates when they
    /// apply to it (`file`: `None` for standard input).
    pub(crate) fn options_for(&self, file: Option<&Path>) -> &Options {
        match &self.templated {
            Some(with)
                if self.templates_everywhere
                    || self
                        .config
                        .as_ref()
                        .is_none_or(|c| c.templates_apply_to(file)) =>
            {
                with
            }
            _ => &self.options,
        }
    }
}

/// Reports a run of plain files in order. Chunks of [`CHUNK_FILES`] are
/// checked in parallel on a thread of their own while this one writes the
/// chunk before, so memory holds two chunks' reports at most, however many
/// files fail.
fn check_files(
    run: &Run,
    files: &[Input],
    renderer: &mut Renderer<impl Write>,
    problems: &mut Vec<String>,
) -> std::io::Result<()> {
    let check = |i: &Input| match i {
        Input::File(p) => check_file(run, p),
        _ => Err(std::io::Error::other("not a plain file")),
    };
    let mut write = |input: &Input, result: std::io::Result<FileResult>| match result {
        Ok(file) => emit(run, renderer, &file, endpoint_of(run, input)),
        Err(e) => {
            let problem = input::describe_io(&e);
            problems.push(format!("{}: {problem}", input.display()));
            renderer.unreadable(&input.display(), &problem)
        }
    };
    // One file needs no threads (starting them is a fair part of a one-file run).
    if files.len() == 1 {
        return write(&files[0], check(&files[0]));
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for chunk in files.chunks(CHUNK_FILES) {
                let results: Vec<_> = chunk.par_iter().map(check).collect();
                if tx.send(results).is_err() {
                    return; // the writer stopped (a closed pipe)
                }
            }
        });
        let mut inputs = files.iter();
        for results in rx {
            for (input, result) in inputs.by_ref().zip(results) {
                write(input, result)?;
            }
        }
        Ok(())
    })
}

/// Writes one file's report. `mapped`: the endpoint decided before reading
/// (flag, config, path); when there was none and the file was checked as an
/// endpoint, that endpoint came from the payload's shape, and the text
/// output says so (unless `--quiet`).
fn emit(
    run: &Run,
    renderer: &mut Renderer<impl Write>,
    file: &FileResult,
    mapped: Option<&'static Endpoint>,
) -> std::io::Result<()> {
    renderer.begin_file(&file.path, file.endpoint.as_deref())?;
    if let (None, Some(endpoint), false) = (mapped, file.endpoint.as_deref(), run.quiet) {
        renderer.detected(endpoint, None)?;
    }
    renderer.payloads(file.payloads);
    for f in &file.findings {
        renderer.finding(f)?;
    }
    Ok(())
}

/// The endpoint decided before reading: flag, config, path.
pub(crate) fn endpoint_of(run: &Run, input: &Input) -> Option<&'static Endpoint> {
    if run.forced.is_some() {
        return run.forced;
    }
    let (Input::File(path) | Input::Stream(path)) = input else {
        return None;
    };
    run.config
        .as_ref()
        .and_then(|c| c.endpoint_for(path))
        .or_else(|| detect::from_path(path, run.endpoints))
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn too_large(what: &str, bytes: Option<u64>) -> Diagnostic {
    let size = match bytes {
        Some(b) => format!("{what} is {}", mib(b)),
        None => format!(
            "{what} is larger than {} MiB",
            MAX_PAYLOAD_BYTES / (1024 * 1024)
        ),
    };
    Diagnostic::error(
        "payload-too-large",
        "",
        format!(
            "{size}; no provider accepts a single request body this large (preflight checks up to {} MiB)",
            MAX_PAYLOAD_BYTES / (1024 * 1024)
        ),
    )
    .with_help("one payload per file; for many payloads use an .ndjson file with one payload per line")
}

/// A line over the payload limit; `ended`: reading goes on after it.
fn line_too_long(line: usize, bytes: u64, ended: bool) -> Diagnostic {
    let d = too_large(&format!("line {line}"), Some(bytes));
    if ended {
        d
    } else {
        d.with_note(format!(
            "no line break came within {} after the limit either; preflight stopped reading here",
            mib(input::SKIP_LIMIT as u64)
        ))
    }
}

/// A file report holding one finding with no source line, at `line`, column 1.
fn text_file(
    run: &Run,
    path: String,
    endpoint: Option<&'static Endpoint>,
    payloads: usize,
    d: Diagnostic,
    line: usize,
) -> FileResult {
    FileResult {
        path,
        endpoint: endpoint.map(|e| e.id.to_string()),
        payloads,
        findings: text_finding(run, d, line),
    }
}

/// One finding with no source line (the payload could not be read as text),
/// at `line`, column 1, with the configured severity.
fn text_finding(run: &Run, mut d: Diagnostic, line: usize) -> Vec<Finding> {
    d.start = Some(Position::new(line, 1));
    let mut diagnostics = vec![d];
    run.options.apply_levels(&mut diagnostics);
    diagnostics
        .into_iter()
        .map(|diagnostic| Finding {
            diagnostic,
            snippet: None,
            related: Vec::new(),
        })
        .collect()
}

/// One payload file, read whole (at most the payload limit).
fn check_file(run: &Run, path: &Path) -> std::io::Result<FileResult> {
    let endpoint = endpoint_of(run, &Input::File(path.to_path_buf()));
    let name = path.display().to_string();
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_PAYLOAD_BYTES as u64 {
        return Ok(text_file(
            run,
            name,
            endpoint,
            1,
            too_large("the file", Some(size)),
            1,
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_PAYLOAD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_PAYLOAD_BYTES {
        // It grew while being read.
        return Ok(text_file(
            run,
            name,
            endpoint,
            1,
            too_large("the file", None),
            1,
        ));
    }
    Ok(check_document(
        run,
        run.options_for(Some(path)),
        name,
        endpoint,
        &bytes,
    ))
}

/// One whole-text payload.
fn check_document(
    run: &Run,
    options: &Options,
    path: String,
    endpoint: Option<&'static Endpoint>,
    bytes: &[u8],
) -> FileResult {
    match check_bytes(bytes, endpoint, options, Origin::default()) {
        Ok(checked) => {
            run.note(checked.notes);
            FileResult {
                path,
                endpoint: checked.endpoint.or(endpoint).map(|e| e.id.to_string()),
                payloads: 1,
                findings: checked.findings,
            }
        }
        Err(e) => {
            let d = Diagnostic::error("parse-error", "", format!("internal error: {e}"));
            text_file(run, path, None, 1, d, 1)
        }
    }
}

/// Standard input or a FIFO: NDJSON when its first line is a whole JSON
/// value, else one document. Either way nothing is held beyond the payload
/// limit.
fn check_stream(
    run: &Run,
    options: &Options,
    renderer: &mut Renderer<impl Write>,
    path: &str,
    endpoint: Option<&'static Endpoint>,
    reader: impl Read + Send,
) -> std::io::Result<()> {
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let mut head = Vec::new();
    let mut line_no = 0;
    // The first non-blank line decides.
    let first = loop {
        let start = head.len();
        match input::read_line(&mut reader, &mut head, MAX_PAYLOAD_BYTES)? {
            LineRead::Eof => break None,
            LineRead::TooLong { bytes, ended } => {
                let d = line_too_long(line_no + 1, bytes, ended);
                return emit(
                    run,
                    renderer,
                    &text_file(run, path.to_string(), endpoint, 1, d, line_no + 1),
                    endpoint,
                );
            }
            LineRead::Line => {
                line_no += 1;
                if !head[start..].iter().all(u8::is_ascii_whitespace) {
                    break Some(start);
                }
            }
        }
    };
    let ndjson = first.is_some_and(|start| {
        serde_json::from_slice::<serde::de::IgnoredAny>(trim_line(&head[start..])).is_ok()
    });
    if ndjson {
        let chained = std::io::Cursor::new(head).chain(reader);
        return check_lines(run, options, renderer, path, endpoint, chained);
    }
    // One document: the rest, up to the limit.
    let room = (MAX_PAYLOAD_BYTES + 1).saturating_sub(head.len()) as u64;
    (&mut reader).take(room).read_to_end(&mut head)?;
    let file = if head.len() > MAX_PAYLOAD_BYTES {
        text_file(
            run,
            path.to_string(),
            endpoint,
            1,
            too_large("the input", None),
            1,
        )
    } else {
        check_document(run, options, path.to_string(), endpoint, &head)
    };
    emit(run, renderer, &file, endpoint)
}

fn trim_line(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// One NDJSON line of a batch: its number, its offset in the file, and
/// either its range in the batch's buffer or a finding made while reading it.
struct Line {
    number: usize,
    offset: usize,
    range: std::ops::Range<usize>,
    finding: Option<Diagnostic>,
}

/// A batch of NDJSON lines in one buffer, with the endpoint to check them as.
#[derive(Default)]
struct Batch {
    endpoint: Option<&'static Endpoint>,
    /// The line whose payload's shape decided `endpoint`, when one did.
    detected_at: Option<usize>,
    bytes: Vec<u8>,
    lines: Vec<Line>,
}

/// An NDJSON stream: each non-blank line one payload, checked in parallel
/// batches while a reader thread fills the next batch; each batch's findings
/// are written before the next is checked. Batches are recycled, so memory
/// stays at a few batches however long the stream.
fn check_lines(
    run: &Run,
    options: &Options,
    renderer: &mut Renderer<impl Write>,
    path: &str,
    endpoint: Option<&'static Endpoint>,
    reader: impl Read + Send,
) -> std::io::Result<()> {
    let reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    let mut begun = false;
    let read = std::thread::scope(|scope| -> std::io::Result<Option<&'static Endpoint>> {
        let producer = scope.spawn(move || read_batches(endpoint, reader, &full_tx, &empty_rx));
        for mut batch in full_rx {
            if !begun {
                begun = true;
                renderer.begin_file(path, batch.endpoint.map(|e| e.id))?;
            }
            renderer.payloads(batch.lines.iter().filter(|l| l.finding.is_none()).count());
            for (line, (checked_as, findings)) in
                batch.lines.iter().zip(check_batch(run, options, &batch))
            {
                // Nothing said which endpoint: the shape of one payload did
                // (the first one detected, for the whole file, or each line's own).
                if let (None, Some(e), false) = (endpoint, checked_as, run.quiet) {
                    renderer.detected(e.id, Some(batch.detected_at.unwrap_or(line.number)))?;
                }
                for f in &findings {
                    renderer.finding(f)?;
                }
            }
            batch.bytes.clear();
            batch.lines.clear();
            // The reader may have finished: then the batch is simply dropped.
            let _ = empty_tx.send(batch);
        }
        producer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the NDJSON reader stopped")))
    });
    let endpoint = match read {
        Ok(e) => e,
        Err(e) if begun => {
            // The lines read so far are reported; the rest could not be read.
            let d = Diagnostic::error(
                "parse-error",
                "",
                format!("reading stopped: {}", input::describe_io(&e)),
            );
            for f in text_finding(run, d, 1) {
                renderer.finding(&f)?;
            }
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if !begun {
        renderer.begin_file(path, endpoint.map(|e| e.id))?;
    }
    Ok(())
}

/// Splits the stream into batches of lines and sends each on; returns the
/// endpoint they were checked as.
fn read_batches(
    endpoint: Option<&'static Endpoint>,
    mut reader: impl BufRead,
    full: &std::sync::mpsc::SyncSender<Batch>,
    empty: &std::sync::mpsc::Receiver<Batch>,
) -> std::io::Result<Option<&'static Endpoint>> {
    let mut endpoint = endpoint;
    let mut detected_at = None;
    let mut line_no = 0usize;
    let mut offset = 0usize;
    let mut batch = Batch::default();
    loop {
        let start = batch.bytes.len();
        let read = input::read_line(&mut reader, &mut batch.bytes, MAX_PAYLOAD_BYTES)?;
        let this_offset = offset;
        match read {
            LineRead::Eof => break,
            LineRead::TooLong { bytes, ended } => {
                line_no += 1;
                offset += bytes as usize;
                batch.lines.push(Line {
                    number: line_no,
                    offset: this_offset,
                    range: start..start,
                    finding: Some(line_too_long(line_no, bytes, ended)),
                });
                if !ended {
                    break;
                }
            }
            LineRead::Line => {
                line_no += 1;
                offset += batch.bytes.len() - start;
                let line = trim_line(&batch.bytes[start..]);
                if line.iter().all(u8::is_ascii_whitespace) {
                    batch.bytes.truncate(start);
                    continue;
                }
                let end = start + line.len();
                if endpoint.is_none() {
                    // Nothing else said: the first payload's shape decides for the whole file.
                    if let Ok(value) = serde_json::from_slice(&batch.bytes[start..end]) {
                        endpoint = preflight::detect(&value).ok();
                        detected_at = endpoint.map(|_| line_no);
                    }
                }
                batch.lines.push(Line {
                    number: line_no,
                    offset: this_offset,
                    range: start..end,
                    finding: None,
                });
            }
        }
        if batch.lines.len() >= BATCH_LINES || batch.bytes.len() >= BATCH_BYTES {
            batch.endpoint = endpoint;
            batch.detected_at = detected_at;
            let next = empty.try_recv().unwrap_or_default();
            if full.send(std::mem::replace(&mut batch, next)).is_err() {
                return Ok(endpoint); // the checker stopped: nothing more to do
            }
        }
    }
    if !batch.lines.is_empty() {
        batch.endpoint = endpoint;
        batch.detected_at = detected_at;
        // A closed channel means the checker stopped; its error is reported there.
        let _ = full.send(batch);
    }
    Ok(endpoint)
}

/// The endpoint each line of a batch was checked as and its findings, in
/// line order.
fn check_batch(
    run: &Run,
    options: &Options,
    batch: &Batch,
) -> Vec<(Option<&'static Endpoint>, Vec<Finding>)> {
    batch
        .lines
        .par_iter()
        .map(|line| {
            if let Some(d) = &line.finding {
                return (None, text_finding(run, d.clone(), line.number));
            }
            let origin = Origin {
                offset: line.offset,
                line: line.number,
            };
            let bytes = &batch.bytes[line.range.clone()];
            match check_bytes(bytes, batch.endpoint, options, origin) {
                Ok(checked) => {
                    run.note(checked.notes);
                    (checked.endpoint, checked.findings)
                }
                Err(e) => (
                    None,
                    text_finding(
                        run,
                        Diagnostic::error("parse-error", "", format!("internal error: {e}")),
                        line.number,
                    ),
                ),
            }
        })
        .collect()
}

impl Input {
    fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p)
            | Input::Stream(p)
            | Input::Skipped { path: p, .. }
            | Input::BrokenLink { path: p, .. }
            | Input::Unreadable { path: p, .. } => p.display().to_string(),
        }
    }
}
