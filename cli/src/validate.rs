//! `preflight validate`: find the inputs, decide each one's endpoint, check
//! them, and stream the report as it is produced.
//!
//! Memory stays flat however much is read and however much of it fails:
//! files are checked in parallel in bounded chunks and reported in order;
//! NDJSON files, standard input and FIFOs are streamed in batches, each line
//! bounded by the payload limit; only counts outlive a file's report.

use crate::config::Loaded;
use crate::input::{self, Input, LineRead};
use crate::scope::{Scope, Scopes};
use crate::{CheckArgs, FormatArg, ValidateArgs, detect};
use anyhow::Result;
use preflight::render::{FileResult, Finding, Format, Renderer};
use preflight::{Diagnostic, Endpoint, MAX_PAYLOAD_BYTES, Options, Position};
use preflight::{Origin, check as check_bytes};
use rayon::prelude::*;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) struct Run {
    endpoints: &'static [Endpoint],
    forced: Option<&'static Endpoint>,
    /// The config of each input, and what comes of it.
    pub(crate) scopes: Scopes,
    /// `--stdin-filename`: the path standard input stands for.
    stdin_name: Option<PathBuf>,
    /// `--quiet`: errors only; no line saying which endpoint a file was
    /// detected as.
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

    /// The scope of `file` (`None`: standard input with no name); loaded
    /// before checking starts, so this only looks it up.
    pub(crate) fn scope(&self, file: Option<&Path>) -> Arc<Scope> {
        self.scopes
            .for_file(file)
            .unwrap_or_else(|_| self.scopes.default().clone())
    }

    /// `--stdin-filename`.
    pub(crate) fn stdin_name(&self) -> Option<&Path> {
        self.stdin_name.as_deref()
    }

    /// The path an input stands for: its own, or `--stdin-filename`'s.
    pub(crate) fn path_of<'a>(&'a self, input: &'a Input) -> Option<&'a Path> {
        match input {
            Input::File(p) | Input::Stream(p) => Some(p),
            Input::Stdin => self.stdin_name.as_deref(),
            Input::Skipped { path, .. }
            | Input::BrokenLink { path, .. }
            | Input::Unreadable { path, .. } => Some(path),
        }
    }
}

/// Where a run's report goes: a [`Renderer`], or `preflight test`'s
/// comparison with what each fixture is expected to give.
pub(crate) trait Report {
    /// Starts one file's report.
    fn begin_file(&mut self, path: &str, endpoint: Option<&str>) -> std::io::Result<()>;
    /// One finding of the current file.
    fn finding(&mut self, finding: &Finding) -> std::io::Result<()>;
    /// The current file's endpoint came from its payload's shape.
    fn detected(&mut self, endpoint: &str, line: Option<usize>) -> std::io::Result<()>;
    /// Payloads checked in the current file.
    fn payloads(&mut self, n: usize);
    /// Findings suppressed in the current file.
    fn suppressed(&mut self, n: usize);
    /// A path that could not be read.
    fn unreadable(&mut self, path: &str, problem: &str) -> std::io::Result<()>;
}

impl<W: Write> Report for Renderer<W> {
    fn begin_file(&mut self, path: &str, endpoint: Option<&str>) -> std::io::Result<()> {
        Renderer::begin_file(self, path, endpoint)
    }
    fn finding(&mut self, finding: &Finding) -> std::io::Result<()> {
        Renderer::finding(self, finding)
    }
    fn detected(&mut self, endpoint: &str, line: Option<usize>) -> std::io::Result<()> {
        Renderer::detected(self, endpoint, line)
    }
    fn payloads(&mut self, n: usize) {
        Renderer::payloads(self, n);
    }
    fn suppressed(&mut self, n: usize) {
        Renderer::suppressed(self, n);
    }
    fn unreadable(&mut self, path: &str, problem: &str) -> std::io::Result<()> {
        Renderer::unreadable(self, path, problem)
    }
}

/// Lines per NDJSON batch checked in parallel.
const BATCH_LINES: usize = 4096;
/// A batch is sent on when it holds this many lines or bytes.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Files checked in parallel before their reports are written.
const CHUNK_FILES: usize = 2048;

/// A run ready to check: its inputs, and what is reported before them.
pub(crate) struct Prepared {
    pub run: Run,
    pub inputs: Vec<Input>,
    /// Files left out by `--only-mapped`.
    pub skipped: usize,
    /// Findings about the templates files and the config files, reported
    /// before the payloads.
    pub before: Vec<FileResult>,
    /// Which templates were read (one line per set), for the text format.
    pub described: Vec<String>,
}

/// Everything before checking: the endpoint flag, the configs of the inputs,
/// the inputs (minus the excluded and the templates files), the templates.
/// `Err(status)`: the run cannot start (reported on standard error, or, for
/// templates files with errors, as a report to `out`).
pub(crate) fn prepare(
    args: &CheckArgs,
    out: &mut impl Write,
) -> Result<std::result::Result<Prepared, u8>> {
    let endpoints = preflight::endpoints()?;
    let forced = match &args.endpoint {
        Some(id) => match preflight::endpoint(id) {
            Ok(e) => Some(e),
            Err(err) => {
                eprintln!("preflight: error: {err}");
                return Ok(Err(2));
            }
        },
        None => None,
    };
    let cwd = std::env::current_dir()?;
    let fail = |err: anyhow::Error| {
        eprintln!("preflight: error: {}", crate::error_text(&err));
        Ok(Err(2))
    };
    let scopes = match Scopes::new(
        args.config.as_deref(),
        &cwd,
        args.sandeza_password
            .as_ref()
            .map(|p| p.expose().to_string()),
        !args.templates.is_empty(),
    ) {
        Ok(s) => s,
        Err(err) => return fail(err),
    };
    let mut cli_exclude = ignore::gitignore::GitignoreBuilder::new(&cwd);
    for glob in &args.exclude {
        if let Err(err) = cli_exclude.add_line(None, glob) {
            return fail(anyhow::anyhow!("--exclude {glob:?}: {err}"));
        }
    }
    let cli_exclude = match cli_exclude.build() {
        Ok(g) => g,
        Err(err) => return fail(anyhow::anyhow!("--exclude: {err}")),
    };
    let run = Run {
        endpoints,
        forced,
        scopes,
        stdin_name: args.stdin_filename.clone(),
        quiet: args.quiet,
        notes: std::sync::Mutex::new(std::collections::BTreeSet::new()),
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // Per path named, its inputs, and every input's config, loaded now: one
    // that does not load stops the run.
    let mut named = Vec::new();
    for path in &paths {
        let mut found = Vec::new();
        input::collect(path, &mut found);
        for i in &found {
            if let Err(err) = run.scopes.for_file(run.path_of(i)) {
                return fail(err);
            }
        }
        named.push((path, found));
    }
    // Templates files (of any config, or `--templates`) are never payloads.
    let mut templates_files = std::collections::HashSet::new();
    let mut declared: Vec<PathBuf> = args.templates.clone();
    for scope in run.scopes.configs() {
        declared.extend(
            scope
                .loaded
                .as_ref()
                .map(Loaded::template_files)
                .unwrap_or_default(),
        );
    }
    for p in &declared {
        if let Ok(files) = crate::templates::expand(p) {
            templates_files.extend(files.iter().filter_map(|f| crate::config::absolute(f)));
        }
    }
    let excluded = |p: &Path| {
        let relative = p.strip_prefix(&cwd).unwrap_or(p);
        cli_exclude
            .matched_path_or_any_parents(relative, false)
            .is_ignore()
            || run.scope(Some(p)).excludes(p)
            || (!templates_files.is_empty()
                && crate::config::absolute(p).is_some_and(|c| templates_files.contains(&c)))
    };
    // A path that holds no payload file is an error of its own.
    let mut inputs = Vec::new();
    for (path, mut found) in named {
        let before = found.len();
        found.retain(|i| match i {
            Input::File(p) | Input::Stream(p) => !excluded(p),
            _ => true,
        });
        // A file named and excluded is left out (a hook passes every staged
        // file); a directory with nothing to check is an error.
        if found.is_empty() && (before == 0 || path.is_dir()) {
            let problem = if before > 0 {
                "every payload file in it is excluded (`--exclude`, `exclude` in preflight.toml) or a templates file; nothing was checked"
            } else {
                "holds no payload file (*.json, *.ndjson, *.jsonl); nothing was checked"
            };
            inputs.push(Input::Unreadable {
                path: path.clone(),
                problem: problem.to_string(),
            });
        }
        inputs.extend(found);
    }
    let before = inputs.len();
    if args.only_mapped {
        inputs.retain(|i| {
            !matches!(i, Input::File(_) | Input::Stream(_)) || endpoint_of(&run, i).is_some()
        });
    }
    let skipped = before - inputs.len();

    // The templates of each scope, read only when some payload of the run
    // uses them; warnings reported before the payloads.
    let mut reports = Vec::new();
    let mut described = Vec::new();
    for scope in run.scopes.all() {
        if scope.templated.get().is_some() {
            continue;
        }
        let files = if args.templates.is_empty() {
            scope
                .loaded
                .as_ref()
                .map(Loaded::template_files)
                .unwrap_or_default()
        } else {
            args.templates.clone()
        };
        if files.is_empty() {
            continue;
        }
        let used = inputs.iter().any(|i| {
            let path = run.path_of(i);
            Arc::ptr_eq(&run.scope(path), &scope) && scope.uses_templates(path)
        });
        if !used {
            continue;
        }
        let loaded = match crate::templates::load(&files, scope.loaded.as_ref(), &scope.options) {
            Ok(l) => l,
            Err(err) => return fail(err),
        };
        if loaded.failed {
            // Their findings, as each file's report; no payload is checked.
            let format = format_of(args.format);
            if format == Format::Text {
                writeln!(out, "{}", loaded.describe())?;
            }
            let mut renderer = crate::output::renderer(
                format,
                crate::output::color(args.color),
                &mut *out,
                scope.loaded.as_ref(),
                &scope.options,
            )?;
            for r in &loaded.reports {
                renderer.begin_file(&r.path, r.endpoint.as_deref())?;
                for f in &r.findings {
                    renderer.finding(f)?;
                }
            }
            renderer.finish()?;
            eprintln!("preflight: error: the templates files have errors; no payload was checked");
            return Ok(Err(2));
        }
        let line = loaded.describe();
        if !described.contains(&line) {
            described.push(line);
        }
        for r in loaded.reports {
            if !reports.iter().any(|x: &FileResult| x.path == r.path) {
                reports.push(r);
            }
        }
        let mut with = scope.options.clone();
        with.templates = Some(loaded.templates.clone());
        let _ = scope.templated.set(with);
    }
    // The configs' own warnings.
    for scope in run.scopes.configs() {
        reports.extend(scope.unmatched_globs());
    }
    Ok(Ok(Prepared {
        run,
        inputs,
        skipped,
        before: reports,
        described,
    }))
}

pub(super) fn run(args: ValidateArgs, out: &mut impl Write) -> Result<u8> {
    let check = &args.check;
    let prepared = match prepare(check, out)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let Prepared {
        run,
        inputs,
        skipped,
        before,
        described,
    } = prepared;
    let format = format_of(check.format);
    // Fixes first: the report that follows is of the fixed files.
    if args.fix || args.diff {
        let outcome = crate::fix::run(&run, &inputs, args.unsafe_fixes, args.diff, out)?;
        if args.diff {
            return Ok(outcome);
        }
    }
    // Which templates were read, once.
    if format == Format::Text && !run.quiet {
        for line in &described {
            writeln!(out, "{line}")?;
        }
    }
    let default = run.scopes.default().clone();
    let mut renderer = crate::output::renderer(
        format,
        crate::output::color(check.color),
        out,
        default.loaded.as_ref(),
        &default.options,
    )?
    .quiet(run.quiet);
    renderer.skipped(skipped);
    // A templates or config file is a file of the report, not a payload.
    for r in &before {
        renderer.begin_file(&r.path, r.endpoint.as_deref())?;
        for f in &r.findings {
            renderer.finding(f)?;
        }
    }
    let problems = check_all(&run, &inputs, &mut renderer)?;
    for scope in run.scopes.configs() {
        if let Some(r) = scope.unused_ignores() {
            renderer.begin_file(&r.path, None)?;
            for f in &r.findings {
                renderer.finding(f)?;
            }
        }
    }
    let summary = renderer.finish()?;
    finish_run(&run, format, &problems);
    let too_many = args.max_warnings.is_some_and(|max| summary.warnings > max);
    if too_many && !summary.incomplete() && summary.errors == 0 {
        eprintln!(
            "preflight: error: {} warning{}, more than --max-warnings {}",
            summary.warnings,
            if summary.warnings == 1 { "" } else { "s" },
            args.max_warnings.unwrap_or(0)
        );
    }
    Ok(if summary.incomplete() {
        2
    } else if summary.errors > 0 || too_many {
        1
    } else {
        0
    })
}

/// What is said after the report: the library's notes, and (outside the
/// text format, which says it in its summary) the paths that could not be read.
pub(crate) fn finish_run(run: &Run, format: Format, problems: &[String]) {
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
        for p in problems {
            eprintln!(
                "preflight: error: cannot read {}",
                preflight::render::escape_controls(p)
            );
        }
    }
}

/// Checks every input in order, reporting to `report`; returns the paths
/// that could not be read.
pub(crate) fn check_all(
    run: &Run,
    inputs: &[Input],
    report: &mut impl Report,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut rest = inputs;
    while let Some(first) = rest.first() {
        // A run of plain files: checked in parallel, written in order.
        let plain = rest
            .iter()
            .take_while(|i| matches!(i, Input::File(p) if !input::is_ndjson(p)))
            .count();
        if plain > 0 {
            let files = &rest[..plain];
            rest = &rest[plain..];
            check_files(run, files, report, &mut problems)?;
            continue;
        }
        rest = &rest[1..];
        let name = first.display(run);
        let at = run.path_of(first);
        let scope = run.scope(at);
        let options = scope.options_for(at);
        let outcome = match first {
            Input::File(p) => match std::fs::File::open(p) {
                Ok(f) => check_lines(
                    run,
                    &options,
                    report,
                    &name,
                    Some(p),
                    endpoint_of(run, first),
                    f,
                ),
                Err(e) => Err(e),
            },
            Input::Stream(p) => match input::open_stream(p) {
                Ok(f) => check_stream(
                    run,
                    &options,
                    report,
                    &name,
                    Some(p),
                    endpoint_of(run, first),
                    f,
                ),
                Err(e) => Err(e),
            },
            Input::Stdin => check_stream(
                run,
                &options,
                report,
                &name,
                at,
                endpoint_of(run, first),
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
                    run,
                    report,
                    text_file(&options, name.clone(), None, 0, d, 1),
                    None,
                    at,
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
                    run,
                    report,
                    text_file(&options, name.clone(), None, 0, d, 1),
                    None,
                    at,
                )?;
                Ok(())
            }
            Input::Unreadable { problem, .. } => {
                report.unreadable(&name, problem)?;
                problems.push(format!("{name}: {problem}"));
                Ok(())
            }
        };
        if let Err(e) = outcome {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
            let problem = input::describe_io(&e);
            report.unreadable(&name, &problem)?;
            problems.push(format!("{name}: {problem}"));
        }
    }
    Ok(problems)
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

/// Reports a run of plain files in order. Chunks of [`CHUNK_FILES`] are
/// checked in parallel on a thread of their own while this one writes the
/// chunk before, so memory holds two chunks' reports at most, however many
/// files fail.
fn check_files(
    run: &Run,
    files: &[Input],
    report: &mut impl Report,
    problems: &mut Vec<String>,
) -> std::io::Result<()> {
    let check = |i: &Input| match i {
        Input::File(p) => check_file(run, p),
        _ => Err(std::io::Error::other("not a plain file")),
    };
    let mut write = |input: &Input, result: std::io::Result<FileResult>| match result {
        Ok(file) => emit(
            run,
            report,
            file,
            endpoint_of(run, input),
            run.path_of(input),
        ),
        Err(e) => {
            let problem = input::describe_io(&e);
            problems.push(format!("{}: {problem}", input.display(run)));
            report.unreadable(&input.display(run), &problem)
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
        // Each chunk's results beside the chunk's own inputs.
        for (chunk, results) in files.chunks(CHUNK_FILES).zip(rx) {
            for (input, result) in chunk.iter().zip(results) {
                write(input, result)?;
            }
        }
        Ok(())
    })
}

/// Writes one file's report. `mapped`: the endpoint decided before reading
/// (flag, config, path); when there was none and the file was checked as an
/// endpoint, that endpoint came from the payload's shape, and the text
/// output says so (unless `--quiet`). The findings an `[[ignore]]` of
/// `at`'s config suppresses are counted, not written.
fn emit(
    run: &Run,
    report: &mut impl Report,
    mut file: FileResult,
    mapped: Option<&'static Endpoint>,
    at: Option<&Path>,
) -> std::io::Result<()> {
    report.begin_file(&file.path, file.endpoint.as_deref())?;
    if let (None, Some(endpoint), false) = (mapped, file.endpoint.as_deref(), run.quiet) {
        report.detected(endpoint, None)?;
    }
    report.payloads(file.payloads);
    let suppressed = run.scope(at).suppress(at, &mut file.findings);
    report.suppressed(suppressed);
    for f in &file.findings {
        report.finding(f)?;
    }
    Ok(())
}

/// The endpoint decided before reading: flag, config, path.
pub(crate) fn endpoint_of(run: &Run, input: &Input) -> Option<&'static Endpoint> {
    if run.forced.is_some() {
        return run.forced;
    }
    let path = match input {
        Input::File(p) | Input::Stream(p) => p.as_path(),
        Input::Stdin => run.stdin_name.as_deref()?,
        _ => return None,
    };
    run.scope(Some(path))
        .endpoint_for(path)
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
    options: &Options,
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
        findings: text_finding(options, d, line),
    }
}

/// One finding with no source line (the payload could not be read as text),
/// at `line`, column 1, with the configured severity.
fn text_finding(options: &Options, mut d: Diagnostic, line: usize) -> Vec<Finding> {
    d.start = Some(Position::new(line, 1));
    let mut diagnostics = vec![d];
    options.apply_levels(&mut diagnostics);
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
    let scope = run.scope(Some(path));
    let options = scope.options_for(Some(path));
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_PAYLOAD_BYTES as u64 {
        return Ok(text_file(
            &options,
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
            &options,
            name,
            endpoint,
            1,
            too_large("the file", None),
            1,
        ));
    }
    Ok(check_document(run, &options, name, endpoint, &bytes))
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
            text_file(options, path, None, 1, d, 1)
        }
    }
}

/// Standard input or a FIFO: NDJSON when its first line is a whole JSON
/// value, else one document. Either way nothing is held beyond the payload
/// limit.
fn check_stream(
    run: &Run,
    options: &Options,
    report: &mut impl Report,
    path: &str,
    at: Option<&Path>,
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
                    report,
                    text_file(options, path.to_string(), endpoint, 1, d, line_no + 1),
                    endpoint,
                    at,
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
        return check_lines(run, options, report, path, at, endpoint, chained);
    }
    // One document: the rest, up to the limit.
    let room = (MAX_PAYLOAD_BYTES + 1).saturating_sub(head.len()) as u64;
    (&mut reader).take(room).read_to_end(&mut head)?;
    let file = if head.len() > MAX_PAYLOAD_BYTES {
        text_file(
            options,
            path.to_string(),
            endpoint,
            1,
            too_large("the input", None),
            1,
        )
    } else {
        check_document(run, options, path.to_string(), endpoint, &head)
    };
    emit(run, report, file, endpoint, at)
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
    report: &mut impl Report,
    path: &str,
    at: Option<&Path>,
    endpoint: Option<&'static Endpoint>,
    reader: impl Read + Send,
) -> std::io::Result<()> {
    let reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let config_scope = run.scope(at);
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    let mut begun = false;
    let read = std::thread::scope(|scope| -> std::io::Result<Option<&'static Endpoint>> {
        let producer = scope.spawn(move || read_batches(endpoint, reader, &full_tx, &empty_rx));
        for mut batch in full_rx {
            if !begun {
                begun = true;
                report.begin_file(path, batch.endpoint.map(|e| e.id))?;
            }
            report.payloads(batch.lines.iter().filter(|l| l.finding.is_none()).count());
            for (line, (checked_as, mut findings)) in
                batch.lines.iter().zip(check_batch(run, options, &batch))
            {
                // Nothing said which endpoint: the shape of one payload did
                // (the first one detected, for the whole file, or each line's own).
                if let (None, Some(e), false) = (endpoint, checked_as, run.quiet) {
                    report.detected(e.id, Some(batch.detected_at.unwrap_or(line.number)))?;
                }
                report.suppressed(config_scope.suppress(at, &mut findings));
                for f in &findings {
                    report.finding(f)?;
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
            for f in text_finding(options, d, 1) {
                report.finding(&f)?;
            }
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if !begun {
        report.begin_file(path, endpoint.map(|e| e.id))?;
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
                return (None, text_finding(options, d.clone(), line.number));
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
                        options,
                        Diagnostic::error("parse-error", "", format!("internal error: {e}")),
                        line.number,
                    ),
                ),
            }
        })
        .collect()
}

impl Input {
    /// The name the report gives the input (`--stdin-filename`'s for
    /// standard input).
    pub(crate) fn display(&self, run: &Run) -> String {
        match self {
            Input::Stdin => match &run.stdin_name {
                Some(p) => p.display().to_string(),
                None => "<stdin>".to_string(),
            },
            Input::File(p)
            | Input::Stream(p)
            | Input::Skipped { path: p, .. }
            | Input::BrokenLink { path: p, .. }
            | Input::Unreadable { path: p, .. } => p.display().to_string(),
        }
    }
}
