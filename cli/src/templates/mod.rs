//! The account's WhatsApp templates on the command line: reading the
//! templates files of a run (each checked like a payload first, so a
//! malformed file is reported at its line and column and never skipped),
//! and the `preflight templates` subcommands (`check`, `list`, `new`).
//!
//! The template model itself is `preflight::templates`; the payloads `new`
//! prints are built in [`new`].

pub mod new;

use crate::config::{self, Loaded as Config};
use crate::{ColorArg, FormatArg};
use anyhow::{Context as _, Result, bail};
use preflight::render::{FileResult, Finding, Format};
use preflight::templates::{Template, TemplateSet, Templates};
use preflight::{Diagnostic, Options, Position, Severity};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The templates of a run, read and checked.
pub struct Loaded {
    /// The templates with the config's id mapping and default language.
    pub templates: Arc<Templates>,
    /// Every file read, as given (for messages), with how many templates it held.
    pub files: Vec<(String, usize)>,
    /// Every templates file that has findings, as a file's report.
    pub reports: Vec<FileResult>,
    /// True when some report has an error finding: the templates are unusable.
    pub failed: bool,
}

impl Loaded {
    /// The line the text output prints: `templates: 38 from examples/templates/message_templates.json`.
    pub fn describe(&self) -> String {
        let files: Vec<String> = self.files.iter().map(|(f, _)| f.clone()).collect();
        format!(
            "templates: {} from {}",
            self.templates.set.len(),
            files.join(", ")
        )
    }
}

/// The `.json` files a templates path stands for: the file itself, or every
/// `.json` file under a directory, in name order.
///
/// # Errors
/// The path does not exist or a directory cannot be read, or holds no `.json` file.
pub fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        let mut out = Vec::new();
        preflight::templates::json_files(path, &mut out)
            .with_context(|| format!("reading {}", path.display()))?;
        if out.is_empty() {
            bail!("templates directory {} holds no .json file", path.display());
        }
        Ok(out)
    } else if path.is_file() {
        Ok(vec![path.to_path_buf()])
    } else {
        bail!("templates file {} does not exist", path.display())
    }
}

/// The display form of a path: relative to the current directory when
/// under it, without `./`.
use crate::display;

/// Reads and checks the templates files `paths` (files or directories):
/// each with [`preflight::templates::check_file`], then into one set; a
/// name and language defined in two files is a `duplicate-template` error at
/// the second. `config` gives the id mapping and the default language.
///
/// # Errors
/// A path that does not exist or cannot be read.
pub fn load(paths: &[PathBuf], config: Option<&Config>, options: &Options) -> Result<Loaded> {
    let mut files = Vec::new();
    for p in paths {
        for f in expand(p)? {
            if !files.contains(&f) {
                files.push(f);
            }
        }
    }
    let mut set = TemplateSet::new();
    let mut read = Vec::new();
    let mut reports = Vec::new();
    let mut failed = false;
    // (name, language) → the file (an index into `texts`) and pointer of the
    // first definition. Positions are looked up only for a duplicate: each
    // look-up parses the file's text.
    let mut first: HashMap<(String, String), (usize, String)> = HashMap::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    for file in &files {
        let name = display(file);
        let bytes = std::fs::read(file).with_context(|| format!("reading {name}"))?;
        let checked = preflight::templates::check_file(&bytes, options)
            .with_context(|| format!("checking {name}"))?;
        let mut findings = checked.findings;
        let checked_len = findings.len();
        let has_errors = findings
            .iter()
            .any(|f| f.diagnostic.severity == Severity::Error);
        let mut count = 0;
        if !has_errors {
            let text = String::from_utf8_lossy(&bytes);
            let mut one = TemplateSet::new();
            match one.add_text(&name, &text) {
                Ok(n) => count = n,
                Err(e) => findings.push(Finding::new(
                    Diagnostic::error("parse-error", "", e.to_string()),
                    &text,
                )),
            }
            for t in one.iter() {
                let key = (t.name.clone(), t.language.clone());
                match first.get(&key) {
                    Some((other, pointer)) if texts[*other].0 != name => {
                        let (other_name, other_text) = &texts[*other];
                        let at = |text: &str, pointer: &str| {
                            preflight::templates::locate(text, pointer)
                                .unwrap_or(Position::new(1, 1))
                        };
                        let here = at(&text, &t.origin.pointer);
                        let there = at(other_text, pointer);
                        findings.push(duplicate(t, &text, here, other_name, there));
                    }
                    Some(_) => {} // within one file: the file's own rule says so
                    None => {
                        first.insert(key, (texts.len(), t.origin.pointer.clone()));
                    }
                }
                set.push(t.clone());
            }
            texts.push((name.clone(), text.into_owned()));
        }
        let added = findings.split_off(checked_len);
        findings.extend(added.into_iter().filter_map(|f| leveled(options, f)));
        if findings
            .iter()
            .any(|f| f.diagnostic.severity == Severity::Error)
        {
            failed = true;
        }
        if !findings.is_empty() {
            reports.push(FileResult {
                path: name.clone(),
                endpoint: Some("meta/message-templates".to_string()),
                payloads: 1,
                findings,
            });
        }
        read.push((name, count));
    }
    let mut templates = Templates::new(set);
    if let Some(config) = config
        && let Some(t) = &config.config.templates
    {
        templates.default_language = t.default_language.clone();
        for (provider, ids) in t.ids.by_provider() {
            if !ids.is_empty() {
                templates.ids.insert(
                    provider.to_string(),
                    ids.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                );
            }
        }
    }
    Ok(Loaded {
        templates: Arc::new(templates),
        files: read,
        reports,
        failed,
    })
}

/// A finding made here with the configured severity (`None` when `off`).
fn leveled(options: &Options, finding: Finding) -> Option<Finding> {
    let mut diagnostics = vec![finding.diagnostic.clone()];
    options.apply_levels(&mut diagnostics);
    diagnostics.pop().map(|diagnostic| Finding {
        diagnostic,
        ..finding
    })
}

/// The byte offset of `at` in `text`.
fn offset(text: &str, at: Position) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// The `duplicate-template` finding at the second definition.
fn duplicate(t: &Template, text: &str, here: Position, other: &str, at: Position) -> Finding {
    let mut d = Diagnostic::error(
        "duplicate-template",
        t.origin.pointer.clone(),
        format!(
            "template `{}` ({}) is defined twice: here and in {other}:{}:{}",
            t.name, t.language, at.line, at.column
        ),
    )
    .with_note(format!(
        "first defined in {other}:{}:{}; a send names a template by name and language, so only one of them can be meant",
        at.line, at.column
    ))
    .with_help("keep one definition: remove this one or the first, or export the account's templates again into one file");
    let start = offset(text, here);
    d.span = Some(start..start + 1);
    d.start = Some(here);
    Finding::new(d, text)
}

/// The templates files of a command: the ones given, else the config's.
///
/// # Errors
/// Neither was given.
fn files_of(given: &[PathBuf], config: Option<&Config>) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let files = config.map(Config::template_files).unwrap_or_default();
    if files.is_empty() {
        bail!(
            "no templates files: pass them (--templates PATH) or list them in preflight.toml ([templates] files)"
        );
    }
    Ok(files)
}

fn config_and_options(explicit: Option<&Path>) -> Result<(Option<Config>, Options)> {
    let cwd = std::env::current_dir()?;
    let config = config::load(explicit, &cwd)?;
    let mut options = Options::default();
    if let Some(loaded) = &config {
        options.levels = loaded.levels();
    }
    Ok((config, options))
}

/// The subcommands of `preflight templates`.
#[derive(Debug, clap::Subcommand)]
pub enum TemplatesCommand {
    /// Check templates files: well formed, no name and language twice,
    /// placeholders numbered 1..n, examples that fit.
    Check(CheckArgs),
    /// List the templates: name, language, status, category, parameter
    /// format and placeholders per component.
    List(ListArgs),
    /// Print a payload that sends a template through an endpoint, filled
    /// from the template's own examples (it validates clean).
    New(NewArgs),
}

/// `preflight templates check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Templates files or directories. Default: the config's `[templates] files`.
    files: Vec<PathBuf>,
    /// The config file (default: preflight.toml in the current directory or a
    /// parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Colour in text and concise output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

/// Output formats of `templates list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// A JSON array of objects.
    Json,
}

/// `preflight templates list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Templates files or directories (repeatable). Default: the config's
    /// `[templates] files`.
    #[arg(long, value_name = "PATH")]
    templates: Vec<PathBuf>,
    /// The config file (default: preflight.toml in the current directory or a
    /// parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

/// The two forms of a Sandeza send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormArg {
    /// Parameters as JSON objects.
    Json,
    /// Sandeza's delimiter form: `text:=:value||text:=:value`.
    Delimited,
}

/// `preflight templates new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The template's name.
    name: String,
    /// The endpoint the payload is for: sandeza/send, oca/push-message,
    /// qiscus/broadcast-client, qiscus/send-broadcast, qiscus/upload-csv,
    /// 3dolphins/broadcast, 3dolphins/broadcast-multiple or
    /// 3dolphins/broadcast-whatsapp.
    #[arg(long, short = 'e', value_name = "ID")]
    endpoint: String,
    /// The template's language, when it has several (default: the config's
    /// `default_language`, else the only one).
    #[arg(long, short = 'l', value_name = "LANG")]
    language: Option<String>,
    /// Sandeza only: the parameters' form.
    #[arg(long, value_enum, default_value_t = FormArg::Json)]
    form: FormArg,
    /// Templates files or directories (repeatable). Default: the config's
    /// `[templates] files`.
    #[arg(long, value_name = "PATH")]
    templates: Vec<PathBuf>,
    /// The config file (default: preflight.toml in the current directory or a
    /// parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// Runs a `preflight templates` subcommand; returns the exit status.
///
/// # Errors
/// Writing the output failed.
pub fn run(command: TemplatesCommand, out: &mut impl Write) -> Result<u8> {
    let outcome = match command {
        TemplatesCommand::Check(args) => check(args, out),
        TemplatesCommand::List(args) => list(args, out),
        TemplatesCommand::New(args) => new_payload(args, out),
    };
    match outcome {
        Ok(code) => Ok(code),
        Err(err)
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Err(err)
        }
        Err(err) => {
            eprintln!(
                "preflight: error: {}",
                preflight::render::escape_controls(&format!("{err:#}"))
            );
            Ok(2)
        }
    }
}

fn check(args: CheckArgs, out: &mut impl Write) -> Result<u8> {
    let (config, options) = config_and_options(args.config.as_deref())?;
    let files = files_of(&args.files, config.as_ref())?;
    let loaded = load(&files, config.as_ref(), &options)?;
    let format = crate::validate::format_of(args.format);
    let color = crate::output::color(args.color);
    if format == Format::Text {
        writeln!(out, "{}", loaded.describe())?;
    }
    let mut renderer =
        crate::output::renderer(format, color, &mut *out, config.as_ref(), &options)?;
    for (name, _) in &loaded.files {
        renderer.begin_file(name, Some("meta/message-templates"))?;
        renderer.payloads(1);
        if let Some(report) = loaded.reports.iter().find(|r| r.path == *name) {
            for f in &report.findings {
                renderer.finding(f)?;
            }
        }
    }
    let summary = renderer.finish()?;
    Ok(if summary.errors > 0 { 1 } else { 0 })
}

/// The placeholders of one template, per component:
/// `header {{1}}; body {{1}} {{2}}; button 0 URL {{1}}; cards 3`.
pub fn placeholders(t: &Template) -> String {
    let keys = |text: &preflight::templates::Text| {
        text.keys()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut parts = Vec::new();
    if let Some(h) = &t.header {
        match &h.text {
            Some(text) if text.parameter_count() > 0 => {
                parts.push(format!("header {}", keys(text)));
            }
            Some(_) => {}
            None => parts.push(format!("header {}", h.format.as_str())),
        }
    }
    if let Some(b) = &t.body
        && b.parameter_count() > 0
    {
        parts.push(format!("body {}", keys(b)));
    }
    for (i, b) in t.buttons.iter().enumerate() {
        match (&b.url, b.parameter_count()) {
            (Some(url), Some(n)) if n > 0 => {
                parts.push(format!("button {i} {} {}", b.kind.as_str(), keys(url)));
            }
            (None, Some(n)) if n > 0 => parts.push(format!("button {i} {}", b.kind.as_str())),
            _ => {}
        }
    }
    if !t.cards.is_empty() {
        parts.push(format!("cards {}", t.cards.len()));
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join("; ")
    }
}

fn list(args: ListArgs, out: &mut impl Write) -> Result<u8> {
    let (config, options) = config_and_options(args.config.as_deref())?;
    let files = files_of(&args.templates, config.as_ref())?;
    let loaded = load(&files, config.as_ref(), &options)?;
    if loaded.failed {
        report_failed(&loaded);
        return Ok(2);
    }
    let set = &loaded.templates.set;
    match args.format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = set
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "name": t.name,
                        "language": t.language,
                        "status": t.status.as_str(),
                        "category": t.category.as_str(),
                        "parameter_format": t.parameter_format.as_str(),
                        "placeholders": placeholders(t),
                        "file": t.origin.file,
                        "pointer": t.origin.pointer,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let rows: Vec<[String; 6]> = set
                .iter()
                .map(|t| {
                    [
                        t.name.clone(),
                        t.language.clone(),
                        t.status.as_str().to_string(),
                        t.category.as_str().to_string(),
                        t.parameter_format.as_str().to_string(),
                        placeholders(t),
                    ]
                })
                .collect();
            let head = [
                "NAME",
                "LANGUAGE",
                "STATUS",
                "CATEGORY",
                "FORMAT",
                "PLACEHOLDERS",
            ];
            let mut widths = head.map(str::len);
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: [&str; 6]| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i == 5 {
                        s.push_str(c);
                    } else {
                        s.push_str(&format!("{c:<w$}  ", w = widths[i]));
                    }
                }
                s
            };
            writeln!(out, "{}", line(head))?;
            for r in &rows {
                writeln!(out, "{}", line(r.each_ref().map(String::as_str)))?;
            }
        }
    }
    Ok(0)
}

/// Says on standard error which templates files have errors.
fn report_failed(loaded: &Loaded) {
    for r in &loaded.reports {
        for f in r
            .findings
            .iter()
            .filter(|f| f.diagnostic.severity == Severity::Error)
        {
            let at = f
                .diagnostic
                .start
                .map(|p| format!(":{}:{}", p.line, p.column))
                .unwrap_or_default();
            eprintln!(
                "preflight: error: {}{at}: {} [{}]",
                r.path,
                preflight::render::escape_controls(&f.diagnostic.message),
                f.diagnostic.rule
            );
        }
    }
    eprintln!(
        "preflight: error: the templates files have errors; `preflight templates check` shows them"
    );
}

fn new_payload(args: NewArgs, out: &mut impl Write) -> Result<u8> {
    let (config, options) = config_and_options(args.config.as_deref())?;
    let files = files_of(&args.templates, config.as_ref())?;
    let loaded = load(&files, config.as_ref(), &options)?;
    if loaded.failed {
        report_failed(&loaded);
        return Ok(2);
    }
    let templates = &loaded.templates;
    let endpoint = preflight::endpoint(&args.endpoint)?;
    let named: Vec<&Template> = templates.set.named(&args.name).collect();
    if named.is_empty() {
        let hint = templates
            .set
            .closest_name(&args.name)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        bail!(
            "no template `{}` in {}{hint}",
            args.name,
            loaded
                .files
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let template = match &args.language {
        Some(l) => match named.iter().find(|t| t.language == *l) {
            Some(t) => *t,
            None => bail!(
                "template `{}` has no language `{l}`; it has {}",
                args.name,
                languages(&named)
            ),
        },
        None => match templates
            .default_language
            .as_ref()
            .and_then(|l| named.iter().find(|t| t.language == *l))
        {
            Some(t) => *t,
            None if named.len() == 1 => named[0],
            None => bail!(
                "template `{}` is in several languages ({}); choose one with --language",
                args.name,
                languages(&named)
            ),
        },
    };
    let payload = new::build(
        template,
        endpoint.id,
        args.form == FormArg::Delimited,
        templates,
    )?;
    serde_json::to_writer_pretty(&mut *out, &payload)?;
    writeln!(out)?;
    Ok(0)
}

fn languages(named: &[&Template]) -> String {
    named
        .iter()
        .map(|t| format!("`{}`", t.language))
        .collect::<Vec<_>>()
        .join(", ")
}
