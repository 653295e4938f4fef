//! The `preflight` command line: arguments (clap derive; the doc comments
//! are the help text), the config file, the inputs, and the subcommands. A
//! small library so tests and fuzzers can drive it; `main.rs` only maps
//! [`run`]'s outcome to an exit status.

mod config;
mod detect;
mod expect;
mod fix;
#[doc(hidden)]
pub mod fuzzing;
mod input;
mod output;
mod sandeza;
mod scope;
#[cfg(feature = "serve")]
mod serve;
mod templates;
mod test;
mod validate;
#[cfg(feature = "serve")]
mod webhook_test;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// A path as the report names it: relative to the current directory when
/// under it, without a leading `./`.
pub(crate) fn display(path: &std::path::Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| {
        path.strip_prefix(cwd)
            .ok()
            .map(std::path::Path::to_path_buf)
    });
    let s = relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// An error's text as it may be printed: control characters escaped, line
/// breaks kept (a TOML parse error spans several lines).
pub(crate) fn error_text(err: &anyhow::Error) -> String {
    format!("{err:#}")
        .split('\n')
        .map(preflight::render::escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Check WhatsApp and multichannel provider payloads (Sandeza, OCA, Qiscus,
/// 3Dolphins, chatbot gateways) before they are sent.
#[derive(Debug, Parser)]
#[command(name = "preflight", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate payload files, directories or stdin.
    Validate(ValidateArgs),
    /// Check fixtures against what they are expected to give: `valid/` and
    /// `invalid/` directories, `[[expect]]` in preflight.toml, or a
    /// `NAME.expect.toml` beside the fixture.
    Test(CheckArgs),
    /// Check, list and use the account's WhatsApp templates files.
    Templates {
        #[command(subcommand)]
        command: templates::TemplatesCommand,
    },
    /// Sandeza helpers: `sandeza sign` prints a request's signature.
    Sandeza {
        #[command(subcommand)]
        command: sandeza::SandezaCommand,
    },
    /// A local stand-in for every provider (and a gate in front of the real
    /// ones): checks each request the application sends, answers like the
    /// provider, records everything.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Play the chatbot gateway against your keyword webhook: POST the
    /// documented keyword webhook to URL and check the reply as
    /// chatbot/webhook-reply, reported like `validate`.
    #[cfg(feature = "serve")]
    WebhookTest(webhook_test::WebhookTestArgs),
    /// List endpoint ids with one-line descriptions.
    Endpoints,
    /// Print an endpoint's JSON Schema, or write every one for editors.
    Schema(SchemaArgs),
    /// List rules, or explain one with an example.
    Rules {
        /// A rule name, e.g. unfilled-placeholder.
        name: Option<String>,
        /// Print the whole rule reference as Markdown (docs/rules.md is this).
        #[arg(long, conflicts_with = "name")]
        markdown: bool,
    },
    /// Print the JSON Schema of preflight.toml (for editor completion).
    #[command(hide = true)]
    ConfigSchema,
}

#[derive(Debug, clap::Args)]
struct SchemaArgs {
    /// The endpoint id, e.g. sandeza/send (or meta/message-templates: the
    /// templates file's schema).
    #[arg(required_unless_present_any = ["export", "output"])]
    id: Option<String>,
    /// Print the schema self-contained: every `$ref` to a shared piece
    /// brought under its own `$defs`, for editors and other validators.
    #[arg(long)]
    bundle: bool,
    /// Write every endpoint's bundled schema (and the templates file's) to
    /// DIR/<provider>/<endpoint>.json and preflight.toml's schema to
    /// DIR/preflight.schema.json, overwriting, and list what was written.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["id", "bundle", "output"])]
    export: Option<PathBuf>,
    /// Print the JSON Schema of what `validate --format json` prints
    /// (schemas/output/report.json).
    #[arg(long, conflicts_with_all = ["id", "bundle"])]
    output: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Compiler-style text with the source line and a caret.
    Text,
    /// One JSON document with every finding.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// One line per finding, `path:line:column: severity[rule] message`, for
    /// editors and grep; the summary last.
    Concise,
}

/// When to colour text and concise output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set; FORCE_COLOR
    /// (or CLICOLOR_FORCE without NO_COLOR) colours even when it is not.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// What `validate` and `test` both take: the inputs, how to check them, how
/// to report.
#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files, directories (searched for *.json, *.ndjson, *.jsonl; hidden
    /// and .gitignored entries left out) or - for stdin. In .ndjson/.jsonl
    /// files every line is one payload. Defaults to the current directory.
    paths: Vec<PathBuf>,
    /// The endpoint id every payload is for (see `preflight endpoints`).
    /// Without it: the config file's mapping, then the path, then the
    /// payload's shape.
    #[arg(long, short = 'e', value_name = "ID")]
    endpoint: Option<String>,
    /// The config file for every input (default: for each input, the
    /// preflight.toml closest to it: its directory or a parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Colour in text and concise output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// The Sandeza account password. With it, each Sandeza `signature` is
    /// checked to equal sha256(username + password + time). Never printed.
    #[arg(
        long,
        env = sandeza::PASSWORD_ENV,
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    sandeza_password: Option<preflight::types::sandeza::Password>,
    /// Check only files whose endpoint comes from --endpoint, the config file
    /// or their path; skip (and count) the others instead of guessing from
    /// their shape. For hooks that pass every staged JSON file, such as
    /// package.json.
    #[arg(long)]
    only_mapped: bool,
    /// Errors only: no warnings, no summary line, no line saying which
    /// endpoint a file was detected as or which templates were read.
    /// Warnings still count for --max-warnings.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// A templates file or directory (what Meta's `GET
    /// /{waba-id}/message_templates` returns); repeatable. Every template
    /// send is checked against them. Replaces the config's `[templates]
    /// files` for this run and applies to every payload (the config's
    /// `paths` are ignored; its `ids` and `default_language` still apply).
    /// Templates files are never taken for payloads.
    #[arg(long, value_name = "PATH")]
    templates: Vec<PathBuf>,
    /// Leave out paths matching a gitignore-style glob, relative to the
    /// current directory (`fixtures/generated/`, `*.draft.json`);
    /// repeatable. Beside the config's `exclude`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// The path standard input (`-`) stands for: its endpoint, config and
    /// name in the report come from it (an editor piping an unsaved buffer).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// Exit 1 when there are more than N warnings (0: any warning fails).
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Apply the fixes marked safe (they cannot change what the message
    /// means) to the files in place, keeping their formatting and line
    /// endings, then report what is left. A file that does not parse is
    /// never touched.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: the unsafe fixes too (http to https, a
    /// recomputed Sandeza signature, a trimmed Sandeza username).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit 1 when a
    /// file would change.
    #[arg(long)]
    diff: bool,
}

/// The whole command: parses the arguments, runs, and maps the outcome to an
/// exit status (0 clean, 1 error findings, 2 usage or I/O error). A closed
/// pipe (`preflight validate | head`) is not an error.
pub fn main() -> std::process::ExitCode {
    use std::process::ExitCode;
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("preflight: error: {}", error_text(&err));
            ExitCode::from(2)
        }
    }
}

/// Parses arguments and runs; returns the exit status.
pub fn run() -> Result<u8> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(code);
        }
    };
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Validate(args) => validate::run(args, &mut stdout),
        Command::Test(args) => test::run(&args, &mut stdout),
        Command::Templates { command } => templates::run(command, &mut stdout),
        Command::Sandeza { command } => sandeza::run(command, &mut stdout),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args, &mut stdout),
        #[cfg(feature = "serve")]
        Command::WebhookTest(args) => webhook_test::run(args, &mut stdout),
        Command::Endpoints => {
            for e in preflight::endpoints()? {
                writeln!(stdout, "{:<30} {}", e.id, e.title())?;
            }
            Ok(0)
        }
        Command::Schema(args) => schema(args, &mut stdout),
        Command::Rules { markdown: true, .. } => {
            stdout.write_all(rules_markdown().as_bytes())?;
            Ok(0)
        }
        Command::Rules { name, .. } => rules(name.as_deref(), &mut stdout),
        Command::ConfigSchema => {
            stdout.write_all(config::json_schema().as_bytes())?;
            Ok(0)
        }
    }
}

/// `preflight schema`: one schema (as embedded or bundled), every bundled
/// one written to a directory, or the JSON report's.
fn schema(args: SchemaArgs, stdout: &mut dyn Write) -> Result<u8> {
    if let Some(dir) = args.export {
        for (path, text) in exported()? {
            let target = dir.join(&path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&target, text)
                .with_context(|| format!("writing {}", target.display()))?;
            writeln!(stdout, "wrote {}", target.display())?;
        }
        return Ok(0);
    }
    let text = if args.output {
        preflight::render::JSON_REPORT_SCHEMA.to_string()
    } else {
        let id = args.id.unwrap_or_default();
        let endpoint = match schema_endpoint(&id) {
            Ok(e) => e,
            Err(err) => {
                eprintln!("preflight: error: {err}");
                return Ok(2);
            }
        };
        if args.bundle {
            pretty(&endpoint.bundled_schema()?)?
        } else {
            endpoint.schema().to_string()
        }
    };
    stdout.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(stdout)?;
    }
    Ok(0)
}

/// An endpoint by id, or the templates file's schema by its id.
fn schema_endpoint(id: &str) -> Result<&'static preflight::Endpoint, preflight::Error> {
    let templates = preflight::templates::file_schema()?;
    if id == templates.id {
        return Ok(templates);
    }
    preflight::endpoint(id)
}

/// What `preflight schema --export` writes: relative path and text, in
/// order (every endpoint's bundle, the templates file's, preflight.toml's).
fn exported() -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let endpoints = preflight::endpoints()?;
    let templates = preflight::templates::file_schema()?;
    for endpoint in endpoints.iter().chain([templates]) {
        let path = PathBuf::from(endpoint.provider).join(format!("{}.json", endpoint.name));
        out.push((path, pretty(&endpoint.bundled_schema()?)?));
    }
    out.push((
        PathBuf::from("preflight.schema.json"),
        config::json_schema(),
    ));
    Ok(out)
}

/// A schema as printed: two-space indentation, a final newline.
fn pretty(value: &serde_json::Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Whose rule, as the reference says it.
fn whose(source: preflight::Source) -> &'static str {
    match source {
        preflight::Source::Platform => "WhatsApp platform",
        _ => "provider",
    }
}

/// Which endpoints a rule concerns, as the reference says it.
fn scope(info: &preflight::rules::RuleInfo) -> String {
    if info.providers.is_empty() {
        "all endpoints".to_string()
    } else {
        info.providers
            .iter()
            .map(|p| format!("`{}`", p.trim_end_matches('/')))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The rule reference (`docs/rules.md`): one section per rule and check,
/// from the registry, and the keywords in a table.
pub fn rules_markdown() -> String {
    use preflight::rules::{self, RuleKind};
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Rules\n\nGenerated by `preflight rules --markdown` from the rule registry; a test fails when this file is stale.\n\n",
    );
    out.push_str("Every finding names its rule. Severities can be changed per rule in `preflight.toml` (`[rules]`); `preflight rules NAME` prints one section.\n\n");
    for (kind, title) in [
        (RuleKind::Payload, "Rules on payload values"),
        (RuleKind::Input, "Checks of the input"),
        (
            RuleKind::Request,
            "Checks of HTTP requests (`preflight serve`)",
        ),
    ] {
        let _ = writeln!(out, "## {title}\n");
        for info in rules::all().filter(|r| r.kind() == kind) {
            let _ = writeln!(out, "### `{}`\n", info.name);
            let _ = writeln!(
                out,
                "{}\n\nDefault severity: {}. Whose rule: {}. Applies to: {}.\n",
                info.summary,
                info.default_severity.as_str(),
                whose(info.source),
                scope(info)
            );
            // The docs' own headings, one level down.
            for line in info.docs.lines() {
                if let Some(h) = line.strip_prefix("## ") {
                    let _ = writeln!(out, "#### {h}");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
            out.push('\n');
        }
    }
    out.push_str("## JSON Schema keywords\n\nReported under the keyword's name; the limit, its severity and whose rule it is come from the endpoint's schema (`preflight schema ID`).\n\n| keyword | what |\n| --- | --- |\n");
    for info in rules::all().filter(|r| r.kind() == RuleKind::Keyword) {
        let _ = writeln!(out, "| `{}` | {} |", info.name, info.summary);
    }
    out
}

/// The README's rule table: one row per rule and check.
pub fn rules_table() -> String {
    use preflight::rules::{self, RuleKind};
    use std::fmt::Write as _;
    let mut out = String::from(
        "| rule | applies to | default | whose rule | what |\n| --- | --- | --- | --- | --- |\n",
    );
    for info in rules::all().filter(|r| r.kind() != RuleKind::Keyword) {
        let _ = writeln!(
            out,
            "| [`{}`](docs/rules.md#{}) | {} | {} | {} | {} |",
            info.name,
            info.name,
            scope(info),
            info.default_severity.as_str(),
            whose(info.source),
            info.summary.replace('|', "\\|")
        );
    }
    out
}

fn rules(name: Option<&str>, out: &mut impl Write) -> Result<u8> {
    use preflight::rules::{self, RuleKind};
    match name {
        None => {
            writeln!(
                out,
                "preflight rules (preflight rules NAME explains one):\n"
            )?;
            for info in rules::all().filter(|r| r.kind() != RuleKind::Keyword) {
                let scope = if info.providers.is_empty() {
                    "all providers".to_string()
                } else {
                    info.providers
                        .iter()
                        .map(|p| p.trim_end_matches('/'))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                writeln!(
                    out,
                    "  {:<32} {:<8} {:<9} {:<22} {}",
                    info.name,
                    info.default_severity.as_str(),
                    info.source.as_str(),
                    scope,
                    info.summary
                )?;
            }
            writeln!(
                out,
                "\nJSON Schema keywords (severity and source come from the schema):\n"
            )?;
            for info in rules::all().filter(|r| r.kind() == RuleKind::Keyword) {
                writeln!(out, "  {:<32} {}", info.name, info.summary)?;
            }
            Ok(0)
        }
        Some(name) => match rules::get(name) {
            Ok(info) if info.kind() == RuleKind::Keyword => {
                writeln!(
                    out,
                    "# {}\n\n{}\n\nA JSON Schema keyword: the limit, its severity and whose rule it is (provider or WhatsApp platform) come from the endpoint's schema; `preflight schema ID` prints it.",
                    info.name, info.summary
                )?;
                Ok(0)
            }
            Ok(info) => {
                writeln!(out, "# {}\n", info.name)?;
                writeln!(
                    out,
                    "{}\n\nDefault severity: {}. Source: {}.\n",
                    info.summary,
                    info.default_severity.as_str(),
                    info.source.as_str()
                )?;
                out.write_all(info.docs.as_bytes())?;
                if !info.docs.ends_with('\n') {
                    writeln!(out)?;
                }
                Ok(0)
            }
            Err(err) => {
                eprintln!("preflight: error: {err}");
                Ok(2)
            }
        },
    }
}
