//! What a fixture is expected to give under `preflight test`, and where that
//! was said: a sidecar `NAME.expect.toml` beside the fixture, else the first
//! `[[expect]]` of its config whose `paths` match, else the directory it is
//! in (`valid/`: no finding at all; `invalid/`: at least one), else nothing:
//! no finding at all, as under `valid/`.
//!
//! An expectation is `rule`, `rule@/pointer`, either with `:error` or
//! `:warning` ([`preflight::testing::Expectation`]). A sidecar holds one
//! [`FixtureExpectation`] (its schema: `preflight.schema.json`'s
//! `$defs/FixtureExpectation`). A list is exact: every
//! finding is expected by one of its entries and every entry matches a
//! finding. In an NDJSON fixture every line is a payload with its own
//! expectation: `findings` (or the directory) for every line, and `lines`
//! for some of them.

use anyhow::{Result, bail};
use preflight::testing::{Expectation, Expected};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// `[[expect]]` in `preflight.toml`: what the fixtures some globs match must
/// give.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigExpect {
    /// Globs relative to the config file (as `[[fixtures]]` paths).
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Exactly these findings (`max-length@/ref_id`, `phone-format`,
    /// `surrounding-whitespace@/ref_id:warning`); `[]`: no finding at all.
    #[serde(default)]
    pub findings: Option<Vec<String>>,
    /// `true`: at least one finding, whichever; `false`: none at all.
    #[serde(default)]
    pub fails: Option<bool>,
    /// NDJSON fixtures: per line number, exactly these findings (over
    /// `findings`/`fails` for that line).
    #[serde(default)]
    pub lines: BTreeMap<String, Vec<String>>,
    /// Why (shown beside a mismatch).
    #[serde(default)]
    pub reason: Option<String>,
}

/// What a fixture (each payload of it) must give: an `[[expect]]` entry
/// without its `paths`, or the whole of a sidecar `NAME.expect.toml`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixtureExpectation {
    /// Exactly these findings (`max-length@/ref_id`, `phone-format`,
    /// `surrounding-whitespace@/ref_id:warning`); `[]`: no finding at all.
    #[serde(default)]
    pub findings: Option<Vec<String>>,
    /// `true`: at least one finding, whichever; `false`: none at all.
    #[serde(default)]
    pub fails: Option<bool>,
    /// NDJSON fixtures: per line number, exactly these findings (over
    /// `findings`/`fails` for that line).
    #[serde(default)]
    pub lines: BTreeMap<String, Vec<String>>,
    /// Why (shown beside a mismatch).
    #[serde(default)]
    pub reason: Option<String>,
}

impl ConfigExpect {
    /// Checks the entry reads (its expectations parse).
    pub fn validate(&self) -> Result<()> {
        self.what().compile().map(|_| ())
    }

    /// The entry without its paths.
    pub fn what(&self) -> FixtureExpectation {
        FixtureExpectation {
            findings: self.findings.clone(),
            fails: self.fails,
            lines: self.lines.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// Where a fixture's expectation came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `NAME.expect.toml`.
    Sidecar(PathBuf),
    /// The `n`th (1-based) `[[expect]]` of a config file.
    Config(PathBuf, usize),
    /// A directory named `valid` or `invalid`.
    Directory(&'static str),
    /// Nothing said: no finding at all.
    Default,
}

impl Source {
    /// How the report names it.
    pub fn describe(&self) -> String {
        match self {
            Source::Sidecar(p) => crate::display(p),
            Source::Config(p, n) => format!("[[expect]] #{n} of {}", crate::display(p)),
            Source::Directory(d) => format!("the `{d}/` directory"),
            Source::Default => "no expectation: no finding at all".to_string(),
        }
    }

    /// A short kind for the JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Sidecar(_) => "sidecar",
            Source::Config(..) => "config",
            Source::Directory(_) => "directory",
            Source::Default => "default",
        }
    }
}

/// A fixture's expectation, compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// For every payload (line) not in `lines`.
    pub every: Expected,
    /// Per NDJSON line.
    pub lines: BTreeMap<usize, Expected>,
    /// Why, as written.
    pub reason: Option<String>,
}

fn list(items: &[String]) -> Result<Expected> {
    if items.is_empty() {
        return Ok(Expected::Clean);
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let e = Expectation::parse(item).map_err(anyhow::Error::msg)?;
        if let Err(err) = preflight::rules::get(&e.rule) {
            bail!("`{item}`: {err}");
        }
        out.push(e);
    }
    Ok(Expected::Findings(out))
}

impl FixtureExpectation {
    /// The expectation, or why it does not read.
    pub fn compile(&self) -> Result<Compiled> {
        let every = match (&self.findings, self.fails) {
            (Some(_), Some(_)) => bail!("give `findings` or `fails`, not both"),
            (Some(items), None) => list(items)?,
            (None, Some(true)) => Expected::Findings(Vec::new()),
            (None, Some(false)) => Expected::Clean,
            (None, None) if self.lines.is_empty() => {
                bail!(
                    "say what is expected: `findings = [...]` (exactly these; `[]` for none), `fails = true`, or `lines`"
                )
            }
            (None, None) => Expected::Clean,
        };
        let mut lines = BTreeMap::new();
        for (n, items) in &self.lines {
            let line: usize = match n.parse() {
                Ok(l) if l > 0 => l,
                _ => bail!("`lines` keys are line numbers from 1; `{n}` is not one"),
            };
            lines.insert(line, list(items)?);
        }
        Ok(Compiled {
            every,
            lines,
            reason: self.reason.clone(),
        })
    }
}

/// The sidecar of a fixture: `NAME.expect.toml` beside `NAME.json`.
pub fn sidecar_path(fixture: &Path) -> Option<PathBuf> {
    let stem = fixture.file_stem()?.to_str()?;
    Some(fixture.with_file_name(format!("{stem}.expect.toml")))
}

/// Reads a sidecar.
pub fn read_sidecar(path: &Path) -> Result<Compiled> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {}", crate::display(path), e))?;
    let sidecar: FixtureExpectation = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("parsing {}: {}", crate::display(path), e))?;
    sidecar
        .compile()
        .map_err(|e| anyhow::anyhow!("in {}: {e:#}", crate::display(path)))
}

/// The expectation a directory name gives: `valid/` or `invalid/` anywhere
/// above the fixture (the closest wins).
pub fn from_directory(fixture: &Path) -> Option<(Expected, &'static str)> {
    fixture
        .parent()?
        .components()
        .rev()
        .find_map(|c| match c.as_os_str().to_str() {
            Some("valid") => Some((Expected::Clean, "valid")),
            Some("invalid") => Some((Expected::Findings(Vec::new()), "invalid")),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn what(text: &str) -> Result<Compiled> {
        toml::from_str::<FixtureExpectation>(text)?.compile()
    }

    #[test]
    fn lists_flags_and_lines_read() {
        let c = what(r#"findings = ["max-length@/ref_id", "phone-format:warning"]"#).unwrap();
        assert!(matches!(c.every, Expected::Findings(ref l) if l.len() == 2));
        assert_eq!(what("findings = []").unwrap().every, Expected::Clean);
        assert_eq!(
            what("fails = true").unwrap().every,
            Expected::Findings(Vec::new())
        );
        let c = what("[lines]\n2 = [\"required\"]\n3 = []").unwrap();
        assert_eq!(c.every, Expected::Clean);
        assert_eq!(c.lines[&3], Expected::Clean);
    }

    #[test]
    fn bad_expectations_say_why() {
        for (text, says) in [
            ("", "say what is expected"),
            ("findings = [\"no-such-rule\"]", "no-such-rule"),
            (
                "findings = [\"max-length@ref_id\"]",
                "does not start with `/`",
            ),
            ("findings = []\nfails = true", "not both"),
            ("[lines]\nx = []", "line numbers"),
        ] {
            let err = format!("{:#}", what(text).unwrap_err());
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_closest_directory_decides() {
        let (e, d) = from_directory(Path::new("cases/x/invalid/valid/a.json")).unwrap();
        assert_eq!((e, d), (Expected::Clean, "valid"));
        assert!(from_directory(Path::new("fixtures/a.json")).is_none());
        assert_eq!(
            sidecar_path(Path::new("f/a.ndjson")).unwrap(),
            Path::new("f/a.expect.toml")
        );
    }
}
