//! `preflight.toml`: which endpoint a fixture file is for, rule severities,
//! and the account's WhatsApp templates (`[templates]`).
//!
//! Found in the current directory or a parent, or given with `--config`. Its
//! own JSON Schema (`preflight.schema.json`, for editor completion) is
//! generated from [`Config`] with schemars and checked in CI.

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    pub paths: Vec<String>,
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
    pub paths: Vec<String>,
    /// The endpoint id (`sandeza/send`); see `preflight endpoints`.
    pub endpoint: String,
}

/// A loaded config and where it lives.
pub struct Loaded {
    /// The parsed config.
    pub config: Config,
    /// The directory globs are relative to.
    pub dir: PathBuf,
    /// Compiled globs, one set per mapping, with the mapping's endpoint.
    pub matchers: Vec<(globset::GlobSet, &'static preflight::Endpoint)>,
    /// `[templates] paths` compiled; `None` when not given (every payload).
    pub template_paths: Option<globset::GlobSet>,
    /// `dir`, canonical (once, not per payload file).
    base: Option<PathBuf>,
}

/// Finds and loads the config: `explicit`, else `preflight.toml` in `start` or a parent.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Option<Loaded>> {
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                bail!("config file {} does not exist", p.display());
            }
            p.to_path_buf()
        }
        None => match find(start) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config: Config =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut matchers = Vec::new();
    for mapping in &config.fixtures {
        let endpoint = preflight::endpoint(&mapping.endpoint)
            .with_context(|| format!("in {}", path.display()))?;
        matchers.push((globs(&mapping.paths, &path)?, endpoint));
    }
    let template_paths = match &config.templates {
        Some(t) if !t.paths.is_empty() => Some(globs(&t.paths, &path)?),
        _ => None,
    };
    for name in config.rules.keys() {
        if let Err(err) = preflight::rules::get(name) {
            bail!("{err} (in {})", path.display());
        }
    }
    Ok(Some(Loaded {
        config,
        matchers,
        template_paths,
        base: dir.canonicalize().ok(),
        dir,
    }))
}

fn globs(patterns: &[String], config: &Path) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in patterns {
        builder.add(
            globset::GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .with_context(|| format!("glob {glob:?} in {}", config.display()))?,
        );
    }
    Ok(builder.build()?)
}

fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|d| d.join("preflight.toml"))
        .find(|p| p.is_file())
}

impl Loaded {
    /// The endpoint the config maps `file` to, if any.
    pub fn endpoint_for(&self, file: &Path) -> Option<&'static preflight::Endpoint> {
        let relative = self.relative(file)?;
        self.matchers
            .iter()
            .find(|(set, _)| set.is_match(&relative))
            .map(|(_, e)| *e)
    }

    /// `file` relative to the config's directory, when it is under it.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        let absolute = file.canonicalize().ok()?;
        absolute
            .strip_prefix(self.base.as_ref()?)
            .ok()
            .map(Path::to_path_buf)
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
}

/// The JSON Schema of `preflight.toml`, as checked in at `preflight.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
