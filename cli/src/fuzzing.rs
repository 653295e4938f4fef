//! `preflight.toml` and `NAME.expect.toml` parsing from text, for the fuzz
//! targets (`fuzz/`). Not a stable API.

use std::ops::Range;
use std::path::Path;

/// What a config text gave, when it loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Every glob's span in the text (`exclude`, `[[ignore]]`, `[[fixtures]]`,
    /// `[[overrides]]`, `[[expect]]` and `[templates]` paths, and each
    /// `[[ignore]]` entry's), with the line and column the config reports.
    pub spans: Vec<(Range<usize>, preflight::Position)>,
    /// The `[rules]` levels, as the library takes them, sorted.
    pub levels: Vec<(String, String)>,
}

/// Loads `text` as `preflight.toml` in the current directory: what it
/// gave, or the error as the command prints it.
///
/// # Errors
/// The message, control characters escaped.
pub fn config(text: &str) -> Result<Loaded, String> {
    let loaded = crate::config::load_text(text.to_string(), Path::new("preflight.toml"))
        .map_err(|e| crate::error_text(&e))?;
    let c = &loaded.config;
    let mut spans = Vec::new();
    let mut globs = |s: &toml::Spanned<String>| spans.push(s.span());
    c.exclude.iter().for_each(&mut globs);
    c.fixtures
        .iter()
        .flat_map(|f| &f.paths)
        .for_each(&mut globs);
    c.overrides
        .iter()
        .flat_map(|o| &o.paths)
        .for_each(&mut globs);
    c.expect.iter().flat_map(|e| &e.paths).for_each(&mut globs);
    c.ignore
        .iter()
        .flat_map(|i| &i.get_ref().paths)
        .for_each(&mut globs);
    if let Some(t) = &c.templates {
        t.paths.iter().for_each(&mut globs);
    }
    spans.extend(c.ignore.iter().map(toml::Spanned::span));
    let spans = spans
        .into_iter()
        .map(|s| {
            let at = loaded.position(s.start);
            (s, at)
        })
        .collect();
    let mut levels: Vec<(String, String)> = loaded
        .levels()
        .into_iter()
        .map(|(k, v)| (k, format!("{v:?}")))
        .collect();
    levels.sort();
    Ok(Loaded { spans, levels })
}

/// Reads `text` as a fixture's sidecar `NAME.expect.toml`.
///
/// # Errors
/// The message, control characters escaped.
pub fn sidecar(text: &str) -> Result<(), String> {
    toml::from_str::<crate::expect::FixtureExpectation>(text)
        .map_err(anyhow::Error::from)
        .and_then(|s| s.compile())
        .map(|_| ())
        .map_err(|e| crate::error_text(&e))
}
