//! `preflight.toml`: which endpoint a fixture file is for, rule severities
//! (per path too), the paths never checked, the findings suppressed, what
//! fixtures are expected to give (`preflight test`), and the account's
//! WhatsApp templates (`[templates]`).
//!
//! Each input file's config is the `preflight.toml` closest to it (its
//! directory or a parent; no merging), or the one given with `--config`. Its
//! own JSON Schema (`preflight.schema.json`, for editor completion) is
//! generated from [`Config`] with schemars and checked in CI.

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The contents of `preflight.toml`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "preflight configuration",
    description = "Configuration of preflight, the payload checker for Indonesian WhatsApp and multichannel providers: `preflight.toml`."
)]
pub struct Config {
    /// Which endpoint the files matching some globs are for (first match wins).
    #[serde(default)]
    pub fixtures: Vec<FixtureMapping>,
    /// Severity per rule name: `error`, `warning` or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// The account's registered WhatsApp templates, which every template send
    /// is checked against.
    #[serde(default)]
    pub templates: Option<TemplatesConfig>,
    /// Paths never checked: gitignore-style globs relative to the config
    /// file's directory (`fixtures/generated/`, `*.draft.json`). They apply to
    /// files named on the command line too.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Findings not reported (but counted as suppressed): per path, per rule,
    /// optionally per place, each with the reason.
    #[serde(default)]
    #[schemars(with = "Vec<Ignore>")]
    pub ignore: Vec<Spanned<Ignore>>,
    /// Rule severities for some paths only, over `[rules]` (later entries win).
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// What fixtures must give under `preflight test` (first match wins; a
    /// sidecar `NAME.expect.toml` beside the fixture wins over these).
    #[serde(default)]
    pub expect: Vec<crate::expect::ConfigExpect>,
    /// The account's credentials, which `preflight serve` checks each
    /// request's credential headers against (`credentials-mismatch`): per
    /// provider (`qiscus`), per header (`Qiscus-Secret-Key`), the name of the
    /// environment variable that holds it (`{ env = "QISCUS_SECRET_KEY" }`)
    /// or, for test accounts only, the value itself. Never printed.
    #[serde(default)]
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by `serve` only")
    )]
    pub credentials: BTreeMap<String, BTreeMap<String, Credential>>,
}

/// One credential of `[credentials.<provider>]`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by `serve` only")
)]
pub enum Credential {
    /// The environment variable that holds it.
    Env {
        /// The variable's name.
        env: String,
    },
    /// The value itself (a test account's; keep real ones out of the file).
    Value(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Env { env } => write!(f, "env {env}"),
            Credential::Value(_) => f.write_str("<redacted>"),
        }
    }
}

/// `[[ignore]]`: findings not reported in some files.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// Globs relative to the config file (as `[[fixtures]]` paths).
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Rule names (`preflight rules`), or `"*"` for every rule.
    pub rules: Vec<String>,
    /// JSON Pointers: only findings at one of them or inside it (`/ref_id`,
    /// `/messages/0`). Default: anywhere in the payload.
    #[serde(default)]
    pub pointers: Vec<String>,
    /// Why the findings are expected (required: a suppression nobody can
    /// explain is never removed).
    pub reason: String,
}

/// `[[overrides]]`: rule severities for the files some globs match.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs relative to the config file (as `[[fixtures]]` paths).
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Severity per rule name, as `[rules]`.
    pub rules: BTreeMap<String, Level>,
}

/// `[templates]`: the templates files, the payloads they apply to, and how
/// providers name templates.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplatesConfig {
    /// Templates files or directories (of `.json` files), relative to the
    /// config file: what Meta's `GET /{waba-id}/message_templates` returns.
    /// They are never taken for payloads.
    #[serde(default)]
    pub files: Vec<String>,
    /// Globs (relative to the config file, matched as `[[fixtures]]` paths)
    /// of the payload files the templates apply to. Default: every payload of
    /// the run, standard input included.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// The language assumed where a payload names none (only Qiscus
    /// `broadcast-client` carries one), e.g. `id`.
    #[serde(default)]
    pub default_language: Option<String>,
    /// Per provider, the provider's template ids mapped to Meta template
    /// names. An id with no mapping is looked up as the template's name.
    #[serde(default)]
    pub ids: TemplateIds,
}

/// `[templates.ids.<provider>]`: provider template id → Meta template name.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateIds {
    /// Sandeza `template_id` values.
    #[serde(default)]
    pub sandeza: BTreeMap<String, String>,
    /// OCA `template_code_id` values.
    #[serde(default)]
    pub oca: BTreeMap<String, String>,
    /// Qiscus `template_detail_id` values (`"8402" = "konfirmasi_pendaftaran"`).
    #[serde(default)]
    pub qiscus: BTreeMap<String, String>,
    /// 3Dolphins `templateId` values.
    #[serde(default, rename = "3dolphins")]
    pub three_dolphins: BTreeMap<String, String>,
}

impl TemplateIds {
    /// Every provider's mapping, by the provider's name.
    pub fn by_provider(&self) -> [(&'static str, &BTreeMap<String, String>); 4] {
        [
            ("sandeza", &self.sandeza),
            ("oca", &self.oca),
            ("qiscus", &self.qiscus),
            ("3dolphins", &self.three_dolphins),
        ]
    }
}

/// A configured severity for a rule.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

impl From<Level> for preflight::Level {
    fn from(level: Level) -> Self {
        match level {
            Level::Error => preflight::Level::Error,
            Level::Warning => preflight::Level::Warning,
            Level::Off => preflight::Level::Off,
        }
    }
}

/// Maps files to an endpoint.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixtureMapping {
    /// Globs relative to the config file (`fixtures/sandeza/**/*.json`).
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// The endpoint id (`sandeza/send`); see `preflight endpoints`.
    pub endpoint: String,
}

/// A loaded config and where it lives.
pub struct Loaded {
    /// The parsed config.
    pub config: Config,
    /// The config file.
    pub path: PathBuf,
    /// Its text (for the positions of findings about it).
    pub text: String,
    /// The directory globs are relative to.
    pub dir: PathBuf,
    /// Compiled globs, one set per mapping, with the mapping's endpoint.
    pub matchers: Vec<(globset::GlobSet, &'static preflight::Endpoint)>,
    /// `[templates] paths` compiled; `None` when not given (every payload).
    pub template_paths: Option<globset::GlobSet>,
    /// `exclude`, compiled.
    pub exclude: ignore::gitignore::Gitignore,
    /// `[[ignore]] paths`, one set per entry.
    pub ignores: Vec<globset::GlobSet>,
    /// `[[overrides]] paths`, one set per entry.
    pub overrides: Vec<globset::GlobSet>,
    /// `[[expect]] paths`, one set per entry.
    pub expects: Vec<globset::GlobSet>,
    /// `dir`, canonical (once, not per payload file).
    base: Option<PathBuf>,
}

/// Loads the config file at `path`.
pub fn load_file(path: &Path) -> Result<Loaded> {
    if !path.is_file() {
        bail!("config file {} does not exist", path.display());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    load_text(text, path)
}

/// A TOML error as toml prints it (the line, a caret under the place, the
/// message), but with credentials masked: toml's own rendering quotes the
/// source line, which in a `[credentials.*]` table, or under a secret-named
/// key, holds a secret.
fn parse_error(text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return mask_message(e.message(), &[]);
    };
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let number = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let secret_values = secret_values(text, line_start, line);
    let shown = match &secret_values {
        Some(_) => mask_line(line),
        None => line.to_string(),
    };
    // The caret's width: the span's characters on this line (at least one;
    // a span at the line break, or past a `\r`, is one caret).
    let line_stop = (line_start + line.len()).max(start);
    let mut stop = span.end.clamp(start, line_stop);
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let width = text[start..stop].chars().count().max(1);
    let gutter = " ".repeat(number.to_string().len());
    let values: Vec<&str> = secret_values.iter().flatten().copied().collect();
    format!(
        "TOML parse error at line {number}, column {column}\n{gutter} |\n{number} | {}\n{gutter} | {}{}\n{}",
        preflight::render::escape_controls(&shown),
        " ".repeat(column - 1),
        "^".repeat(width),
        mask_message(e.message(), &values)
    )
}

/// When `line` (starting at byte `line_start` of `text`) sets a credential
/// or a secret-named key: the value's text as written. `None` for any other
/// line.
fn secret_values<'t>(text: &'t str, line_start: usize, line: &'t str) -> Option<Vec<&'t str>> {
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim_start)
        .find(|l| l.starts_with('['))
        .unwrap_or("");
    let (key, value) = line.split_once('=').unwrap_or((line, ""));
    let in_credentials = table
        .trim_start_matches('[')
        .trim_start()
        .starts_with("credentials")
        || key.contains("credentials");
    let named = key
        .split(['.', '"', '\'', ' ', '\t'])
        .any(preflight::render::is_secret_name);
    (in_credentials || named).then(|| {
        value
            .split(['"', '\'', '=', '{', '}', ',', ' ', '\t'])
            .filter(|piece| piece.len() >= 3 && *piece != "env")
            .collect()
    })
}

/// `line` with everything after its first `=` hidden (the key kept, so the
/// place is still found), one `•` per character so the caret still points.
fn mask_line(line: &str) -> String {
    match line.split_once('=') {
        Some((key, value)) => {
            let hidden: String = value
                .chars()
                .map(|c| if c.is_whitespace() { c } else { '•' })
                .collect();
            format!("{key}={hidden}")
        }
        None => line.chars().map(|_| '•').collect(),
    }
}

/// toml's message, with any quoted piece of a secret value hidden
/// (serde's messages quote the value: ``invalid type: integer `4821` ``).
fn mask_message(message: &str, values: &[&str]) -> String {
    let mut out = preflight::render::escape_controls(message.trim_end()).into_owned();
    for value in values {
        if out.contains(value) {
            out = out.replace(value, "<redacted>");
        }
    }
    out
}

/// Loads config `text` as the file at `path` holds it (without reading it).
pub fn load_text(text: String, path: &Path) -> Result<Loaded> {
    let config: Config = match toml::from_str(&text) {
        Ok(config) => config,
        Err(e) => bail!("parsing {}: {}", path.display(), parse_error(&text, &e)),
    };
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let mut matchers = Vec::new();
    for mapping in &config.fixtures {
        let endpoint = preflight::endpoint(&mapping.endpoint)
            .with_context(|| format!("in {}", path.display()))?;
        matchers.push((globs(&mapping.paths, path)?, endpoint));
    }
    let template_paths = match &config.templates {
        Some(t) if !t.paths.is_empty() => Some(globs(&t.paths, path)?),
        _ => None,
    };
    let known = |name: &str, what: &str| -> Result<()> {
        match preflight::rules::get(name) {
            Ok(_) => Ok(()),
            Err(err) => bail!("{err} (in {what} of {})", path.display()),
        }
    };
    for name in config.rules.keys() {
        known(name, "[rules]")?;
    }
    let mut ignores = Vec::new();
    for entry in &config.ignore {
        let entry = entry.get_ref();
        if entry.rules.is_empty() {
            bail!(
                "an [[ignore]] entry of {} names no rule; list them in `rules` (\"*\" for every rule)",
                path.display()
            );
        }
        for name in entry.rules.iter().filter(|r| r.as_str() != "*") {
            known(name, "[[ignore]]")?;
        }
        for pointer in &entry.pointers {
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                bail!(
                    "{pointer:?} in an [[ignore]] entry of {} is not a JSON Pointer; pointers start with `/` (`/ref_id`), or are empty for the whole payload",
                    path.display()
                );
            }
        }
        if entry.reason.trim().is_empty() {
            bail!(
                "an [[ignore]] entry of {} has an empty `reason`; say why the findings are expected",
                path.display()
            );
        }
        ignores.push(globs(&entry.paths, path)?);
    }
    let mut overrides = Vec::new();
    for entry in &config.overrides {
        for name in entry.rules.keys() {
            known(name, "[[overrides]]")?;
        }
        overrides.push(globs(&entry.paths, path)?);
    }
    let mut expects = Vec::new();
    for entry in &config.expect {
        entry
            .validate()
            .with_context(|| format!("in an [[expect]] entry of {}", path.display()))?;
        expects.push(globs(&entry.paths, path)?);
    }
    let mut exclude = ignore::gitignore::GitignoreBuilder::new(&dir);
    for glob in &config.exclude {
        exclude
            .add_line(None, glob.get_ref())
            .with_context(|| format!("exclude {:?} in {}", glob.get_ref(), path.display()))?;
    }
    let exclude = exclude
        .build()
        .with_context(|| format!("exclude in {}", path.display()))?;
    Ok(Loaded {
        base: dir.canonicalize().ok(),
        config,
        path: path.to_path_buf(),
        text,
        matchers,
        template_paths,
        exclude,
        ignores,
        overrides,
        expects,
        dir,
    })
}

/// Finds and loads the config: `explicit`, else `preflight.toml` in `start` or a parent.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Option<Loaded>> {
    match explicit {
        Some(p) => load_file(p).map(Some),
        None => match find(start) {
            Some(p) => load_file(&p).map(Some),
            None => Ok(None),
        },
    }
}

fn globs(patterns: &[Spanned<String>], config: &Path) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in patterns {
        let glob = glob.get_ref();
        builder.add(
            globset::GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .with_context(|| format!("glob {glob:?} in {}", config.display()))?,
        );
    }
    Ok(builder.build()?)
}

/// The closest `preflight.toml`: in `start` (a directory) or a parent.
pub fn find(start: &Path) -> Option<PathBuf> {
    // The closest directory that exists (`--stdin-filename` may name a new one).
    let start = start.ancestors().find_map(|d| {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        d.canonicalize().ok()
    })?;
    start
        .ancestors()
        .map(|d| d.join("preflight.toml"))
        .find(|p| p.is_file())
}

/// `file` made absolute without needing it to exist (an editor's unsaved
/// buffer named with `--stdin-filename`): its directory made canonical (once
/// per directory in a run: a run asks this of every file several times)
/// joined with its name, else joined to the current directory. The file's
/// own name is kept, not resolved: globs match the path a link is at.
pub fn absolute(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?;
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match canonical_dir(parent) {
        Some(dir) => Some(dir.join(name)),
        None => std::env::current_dir().ok().map(|d| d.join(file)),
    }
}

/// `dir` made canonical, remembered for the rest of the run.
fn canonical_dir(dir: &Path) -> Option<PathBuf> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashMap<PathBuf, Option<PathBuf>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(known) = seen.lock().ok().and_then(|m| m.get(dir).cloned()) {
        return known;
    }
    let canonical = dir.canonicalize().ok();
    if let Ok(mut m) = seen.lock() {
        m.insert(dir.to_path_buf(), canonical.clone());
    }
    canonical
}

impl Loaded {
    /// The `[rules]` levels, as the library's options take them.
    pub fn levels(&self) -> std::collections::HashMap<String, preflight::Level> {
        self.config
            .rules
            .iter()
            .map(|(k, v)| (k.clone(), (*v).into()))
            .collect()
    }

    /// `[credentials]`, resolved: per provider, per header, the value.
    ///
    /// # Errors
    /// A provider or header no documented route has, or an environment
    /// variable that is not set.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "used by `serve` only")
    )]
    pub fn credentials(
        &self,
    ) -> Result<std::collections::HashMap<String, std::collections::HashMap<String, String>>> {
        let mut out = std::collections::HashMap::new();
        for (provider, headers) in &self.config.credentials {
            let auth: Vec<&str> = preflight::http::routes_of(provider)
                .flat_map(|r| r.auth.iter().map(|a| a.name))
                .collect();
            if auth.is_empty() {
                let known: Vec<&str> = preflight::http::ROUTES
                    .iter()
                    .filter(|r| !r.auth.is_empty())
                    .map(|r| r.provider)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                bail!(
                    "[credentials.{provider}] in {}: no documented route of `{provider}` takes a credential header (those that do: {})",
                    self.path.display(),
                    known.join(", ")
                );
            }
            let mut resolved = std::collections::HashMap::new();
            for (header, credential) in headers {
                let Some(name) = auth.iter().find(|a| a.eq_ignore_ascii_case(header)) else {
                    bail!(
                        "[credentials.{provider}] in {}: `{header}` is not a credential header of {provider} (it has: {})",
                        self.path.display(),
                        auth.iter()
                            .copied()
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                };
                let value = match credential {
                    Credential::Value(v) => v.clone(),
                    Credential::Env { env } => std::env::var(env).map_err(|_| {
                        anyhow::anyhow!(
                            "[credentials.{provider}] {header} in {}: the environment variable {env} is not set",
                            self.path.display()
                        )
                    })?,
                };
                resolved.insert((*name).to_string(), value);
            }
            out.insert(provider.clone(), resolved);
        }
        Ok(out)
    }

    /// The endpoint the config maps `file` to, if any.
    pub fn endpoint_for(&self, file: &Path) -> Option<&'static preflight::Endpoint> {
        let relative = self.relative(file)?;
        self.matchers
            .iter()
            .find(|(set, _)| set.is_match(&relative))
            .map(|(_, e)| *e)
    }

    /// `file` relative to the config's directory, when it is under it.
    pub fn relative(&self, file: &Path) -> Option<PathBuf> {
        let absolute = absolute(file)?;
        absolute
            .strip_prefix(self.base.as_ref()?)
            .ok()
            .map(Path::to_path_buf)
    }

    /// True when `exclude` leaves `file` out (it, or a directory it is in).
    pub fn excludes(&self, file: &Path) -> bool {
        if self.config.exclude.is_empty() {
            return false;
        }
        self.relative(file).is_some_and(|r| {
            self.exclude
                .matched_path_or_any_parents(&r, false)
                .is_ignore()
        })
    }

    /// True when the config's templates apply to the payload file `file`
    /// (`None`: standard input): always without `[templates] paths`, else
    /// when a glob matches.
    pub fn templates_apply_to(&self, file: Option<&Path>) -> bool {
        match (&self.template_paths, file) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(set), Some(file)) => self.relative(file).is_some_and(|r| set.is_match(r)),
        }
    }

    /// The `[templates] files`, resolved against the config's directory.
    pub fn template_files(&self) -> Vec<PathBuf> {
        self.config
            .templates
            .as_ref()
            .map(|t| t.files.iter().map(|f| self.dir.join(f)).collect())
            .unwrap_or_default()
    }

    /// The 1-based line and column of a byte offset of the config's text.
    pub fn position(&self, offset: usize) -> preflight::Position {
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        preflight::Position::new(line, before[line_start..].chars().count() + 1)
    }
}

/// The JSON Schema of `preflight.toml`, as checked in at `preflight.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    // A sidecar `NAME.expect.toml` is one of these (`preflight test`).
    let mut sidecar =
        serde_json::to_value(schemars::schema_for!(crate::expect::FixtureExpectation))
            .unwrap_or_default();
    if let Some(o) = sidecar.as_object_mut() {
        o.remove("$schema");
        o.insert(
            "description".into(),
            "A sidecar `NAME.expect.toml` beside a fixture `NAME.json` or `NAME.ndjson`: what it must give under `preflight test`.".into(),
        );
    }
    if let Some(defs) = value.get_mut("$defs").and_then(|d| d.as_object_mut()) {
        defs.insert("FixtureExpectation".into(), sidecar);
    }
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
