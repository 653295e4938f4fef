//! `preflight.toml`: which endpoint a fixture file is for, and rule severities.
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
        let mut builder = globset::GlobSetBuilder::new();
        for glob in &mapping.paths {
            builder.add(
                globset::GlobBuilder::new(glob)
                    .literal_separator(true)
                    .build()
                    .with_context(|| format!("glob {glob:?} in {}", path.display()))?,
            );
        }
        matchers.push((builder.build()?, endpoint));
    }
    for name in config.rules.keys() {
        if let Err(err) = preflight::rules::get(name) {
            bail!("{err} (in {})", path.display());
        }
    }
    Ok(Some(Loaded {
        config,
        dir,
        matchers,
    }))
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
        let absolute = file.canonicalize().ok()?;
        let base = self.dir.canonicalize().ok()?;
        let relative = absolute.strip_prefix(&base).ok()?;
        self.matchers
            .iter()
            .find(|(set, _)| set.is_match(relative))
            .map(|(_, e)| *e)
    }
}

/// The JSON Schema of `preflight.toml`, as checked in at `preflight.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
