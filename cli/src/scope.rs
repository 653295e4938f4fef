//! Which `preflight.toml` each input is checked under, and what the run
//! derives from it: the options (rule levels, `[[overrides]]` for the file,
//! the templates), the endpoint mapping, `exclude`, and the `[[ignore]]`
//! suppressions with their use counted, so an ignore that matched nothing
//! can be reported.
//!
//! The config of a file is the `preflight.toml` closest to it (its directory,
//! then each parent; the first found wins, nothing is merged), unless
//! `--config` names one for the whole run. Standard input's is the current
//! directory's, or that of the path `--stdin-filename` gives.

use crate::config::{self, Loaded};
use anyhow::Result;
use preflight::render::{FileResult, Finding};
use preflight::{Diagnostic, Endpoint, Options};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// One config (or none) and what a run derives from it.
pub(crate) struct Scope {
    /// The config; `None`: no `preflight.toml` applies.
    pub loaded: Option<Loaded>,
    /// Rule levels of `[rules]` and the Sandeza password.
    pub options: Options,
    /// `options` with the templates, once they are read.
    pub templated: OnceLock<Options>,
    /// `--templates` was given: the templates apply to every payload.
    templates_everywhere: bool,
    /// Per `[[ignore]]` entry: files it applied to, findings it suppressed.
    hits: Vec<(AtomicUsize, AtomicUsize)>,
}

impl Scope {
    fn new(loaded: Option<Loaded>, password: Option<String>, templates_everywhere: bool) -> Self {
        let mut options = Options::default();
        options.sandeza_password = password;
        if let Some(l) = &loaded {
            options.levels = l.levels();
        }
        let hits = loaded.as_ref().map(|l| l.config.ignore.len()).unwrap_or(0);
        Scope {
            loaded,
            options,
            templated: OnceLock::new(),
            templates_everywhere,
            hits: (0..hits)
                .map(|_| (AtomicUsize::new(0), AtomicUsize::new(0)))
                .collect(),
        }
    }

    /// The endpoint the config maps `file` to.
    pub fn endpoint_for(&self, file: &Path) -> Option<&'static Endpoint> {
        self.loaded.as_ref().and_then(|l| l.endpoint_for(file))
    }

    /// True when the templates apply to `file` (`None`: standard input with
    /// no name).
    pub fn uses_templates(&self, file: Option<&Path>) -> bool {
        self.templates_everywhere
            || self
                .loaded
                .as_ref()
                .is_none_or(|c| c.templates_apply_to(file))
    }

    /// True when the config's `exclude` leaves `file` out.
    pub fn excludes(&self, file: &Path) -> bool {
        self.loaded.as_ref().is_some_and(|l| l.excludes(file))
    }

    /// The options `file` is checked with: the templates when they apply,
    /// and the levels of every `[[overrides]]` entry matching it, in order.
    pub fn options_for(&self, file: Option<&Path>) -> Cow<'_, Options> {
        let base = match self.templated.get() {
            Some(with) if self.uses_templates(file) => with,
            _ => &self.options,
        };
        let Some(loaded) = &self.loaded else {
            return Cow::Borrowed(base);
        };
        let relative = match file {
            Some(f) if !loaded.overrides.is_empty() => loaded.relative(f),
            _ => None,
        };
        let Some(relative) = relative else {
            return Cow::Borrowed(base);
        };
        let mut matched = loaded
            .overrides
            .iter()
            .zip(&loaded.config.overrides)
            .filter(|(set, _)| set.is_match(&relative))
            .peekable();
        if matched.peek().is_none() {
            return Cow::Borrowed(base);
        }
        let mut options = base.clone();
        for (_, entry) in matched {
            for (rule, level) in &entry.rules {
                options.levels.insert(rule.clone(), (*level).into());
            }
        }
        Cow::Owned(options)
    }

    /// True when an `[[ignore]]` entry suppresses `d` in `file` (nothing is
    /// counted: `--fix` leaves a suppressed finding alone with this).
    pub fn suppresses(&self, file: Option<&Path>, d: &Diagnostic) -> bool {
        let Some(loaded) = &self.loaded else {
            return false;
        };
        if loaded.ignores.is_empty() {
            return false;
        }
        let Some(relative) = file.and_then(|f| loaded.relative(f)) else {
            return false;
        };
        loaded
            .ignores
            .iter()
            .zip(&loaded.config.ignore)
            .any(|(set, entry)| set.is_match(&relative) && entry_holds(entry.get_ref(), d))
    }

    /// Drops the findings an `[[ignore]]` entry suppresses; returns how many.
    pub fn suppress(&self, file: Option<&Path>, findings: &mut Vec<Finding>) -> usize {
        let Some(loaded) = &self.loaded else { return 0 };
        if loaded.ignores.is_empty() {
            return 0;
        }
        let Some(relative) = file.and_then(|f| loaded.relative(f)) else {
            return 0;
        };
        let entries: Vec<usize> = loaded
            .ignores
            .iter()
            .enumerate()
            .filter(|(_, set)| set.is_match(&relative))
            .map(|(i, _)| i)
            .collect();
        if entries.is_empty() {
            return 0;
        }
        for &i in &entries {
            self.hits[i].0.fetch_add(1, Ordering::Relaxed);
        }
        let before = findings.len();
        findings.retain(|f| {
            let d = &f.diagnostic;
            let by = entries
                .iter()
                .copied()
                .find(|&i| entry_holds(loaded.config.ignore[i].get_ref(), d));
            match by {
                Some(i) => {
                    self.hits[i].1.fetch_add(1, Ordering::Relaxed);
                    false
                }
                None => true,
            }
        });
        before - findings.len()
    }

    /// The `unused-ignore` warnings: entries that applied to a file of the
    /// run and suppressed nothing (an entry whose files were not part of the
    /// run says nothing).
    pub fn unused_ignores(&self) -> Option<FileResult> {
        let loaded = self.loaded.as_ref()?;
        let mut diagnostics = Vec::new();
        for (entry, (applied, suppressed)) in loaded.config.ignore.iter().zip(&self.hits) {
            let (applied, suppressed) = (
                applied.load(Ordering::Relaxed),
                suppressed.load(Ordering::Relaxed),
            );
            if applied == 0 || suppressed > 0 {
                continue;
            }
            let rules = entry
                .get_ref()
                .rules
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = Diagnostic::warning(
                "unused-ignore",
                "",
                format!(
                    "this [[ignore]] ({rules}) suppressed nothing in the {applied} file{} it applies to",
                    if applied == 1 { "" } else { "s" }
                ),
            )
            .with_help("the findings it was for are gone: delete the entry");
            place(loaded, &mut d, entry.span());
            diagnostics.push(d);
        }
        findings_of(loaded, diagnostics)
    }

    /// The `unmatched-glob` warnings: globs of `[[fixtures]]`, `[[ignore]]`,
    /// `[[overrides]]`, `[[expect]]` and `[templates] paths` that match no
    /// file below the config's directory (walked as directories are for
    /// payloads: `.gitignore`d and hidden entries left out).
    pub fn unmatched_globs(&self) -> Option<FileResult> {
        let loaded = self.loaded.as_ref()?;
        let c = &loaded.config;
        let mut globs: Vec<&toml::Spanned<String>> = Vec::new();
        globs.extend(c.fixtures.iter().flat_map(|m| &m.paths));
        globs.extend(c.ignore.iter().flat_map(|i| &i.get_ref().paths));
        globs.extend(c.overrides.iter().flat_map(|o| &o.paths));
        globs.extend(c.expect.iter().flat_map(|e| &e.paths));
        if let Some(t) = &c.templates {
            globs.extend(&t.paths);
        }
        if globs.is_empty() {
            return None;
        }
        let compiled: Vec<Option<globset::GlobMatcher>> = globs
            .iter()
            .map(|g| {
                globset::GlobBuilder::new(g.get_ref())
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            })
            .collect();
        let mut matched = vec![false; globs.len()];
        let mut left = globs.len();
        let walker = ignore::WalkBuilder::new(&loaded.dir)
            .follow_links(false)
            .build();
        for entry in walker.flatten() {
            if left == 0 {
                break;
            }
            let Ok(relative) = entry.path().strip_prefix(&loaded.dir) else {
                continue;
            };
            for (i, m) in compiled.iter().enumerate() {
                if !matched[i] && m.as_ref().is_some_and(|m| m.is_match(relative)) {
                    matched[i] = true;
                    left -= 1;
                }
            }
        }
        let diagnostics = globs
            .iter()
            .zip(matched)
            .filter(|(_, m)| !m)
            .map(|(g, _)| {
                let mut d = Diagnostic::warning(
                    "unmatched-glob",
                    "",
                    format!(
                        "the glob `{}` matches no file under {}",
                        g.get_ref(),
                        crate::display(&loaded.dir)
                    ),
                )
                .with_help(
                    "globs are relative to the config file's directory; `**` spans directories, `*` does not",
                );
                place(loaded, &mut d, g.span());
                d
            })
            .collect();
        findings_of(loaded, diagnostics)
    }
}

/// True when `entry`'s rules and pointers take in `d`.
fn entry_holds(entry: &config::Ignore, d: &Diagnostic) -> bool {
    entry.rules.iter().any(|r| r == "*" || *r == d.rule)
        && (entry.pointers.is_empty() || entry.pointers.iter().any(|p| within(&d.pointer, p)))
}

/// True when `pointer` is `at` or inside it (`/ref_id` holds `/ref_id`,
/// `/messages/0` holds `/messages/0/text`; `` holds everything).
fn within(pointer: &str, at: &str) -> bool {
    pointer == at
        || (pointer.starts_with(at) && pointer.as_bytes().get(at.len()) == Some(&b'/'))
        || at.is_empty()
}

/// Sets a finding about the config file at `span` of its text.
fn place(loaded: &Loaded, d: &mut Diagnostic, span: std::ops::Range<usize>) {
    d.start = Some(loaded.position(span.start));
    d.end = Some(loaded.position(span.end));
    d.span = Some(span);
}

fn findings_of(loaded: &Loaded, diagnostics: Vec<Diagnostic>) -> Option<FileResult> {
    if diagnostics.is_empty() {
        return None;
    }
    Some(FileResult {
        path: crate::display(&loaded.path),
        endpoint: None,
        payloads: 0,
        findings: diagnostics
            .into_iter()
            .map(|d| Finding::new(d, &loaded.text))
            .collect(),
    })
}

/// Every scope of a run, by config file and by directory.
pub(crate) struct Scopes {
    /// `--config` was given: one scope for everything.
    explicit: bool,
    /// The current directory's (or `--config`'s).
    default: Arc<Scope>,
    password: Option<String>,
    templates_everywhere: bool,
    by_dir: Mutex<HashMap<PathBuf, Arc<Scope>>>,
    by_config: Mutex<HashMap<PathBuf, Arc<Scope>>>,
}

impl Scopes {
    /// The scopes of a run: `--config` for all, else found per file.
    ///
    /// # Errors
    /// The config file given or found for the current directory does not
    /// load.
    pub fn new(
        explicit: Option<&Path>,
        cwd: &Path,
        password: Option<String>,
        templates_everywhere: bool,
    ) -> Result<Self> {
        let (path, loaded) = match explicit {
            Some(p) => (Some(p.to_path_buf()), Some(config::load_file(p)?)),
            None => match config::find(cwd) {
                Some(p) => {
                    let l = config::load_file(&p)?;
                    (Some(p), Some(l))
                }
                None => (None, None),
            },
        };
        let default = Arc::new(Scope::new(loaded, password.clone(), templates_everywhere));
        let mut by_config = HashMap::new();
        if let Some(p) = path {
            by_config.insert(p.canonicalize().unwrap_or(p), default.clone());
        }
        Ok(Scopes {
            explicit: explicit.is_some(),
            default,
            password,
            templates_everywhere,
            by_dir: Mutex::new(HashMap::new()),
            by_config: Mutex::new(by_config),
        })
    }

    /// The scope of standard input with no name, and of a run with `--config`.
    pub fn default(&self) -> &Arc<Scope> {
        &self.default
    }

    /// The scope of `file` (`None`: standard input with no name).
    ///
    /// # Errors
    /// The closest config file does not load.
    pub fn for_file(&self, file: Option<&Path>) -> Result<Arc<Scope>> {
        let Some(file) = file else {
            return Ok(self.default.clone());
        };
        if self.explicit {
            return Ok(self.default.clone());
        }
        // Files of one directory share its scope: looked up by the directory
        // as given first, so most files cost one map look-up.
        let given = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Some(s) = self.by_dir.lock().ok().and_then(|m| m.get(&given).cloned()) {
            return Ok(s);
        }
        let dir = config::absolute(file)
            .and_then(|a| a.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let scope = match config::find(&dir) {
            None => self.none(),
            Some(path) => {
                let known = self
                    .by_config
                    .lock()
                    .ok()
                    .and_then(|m| m.get(&path).cloned());
                match known {
                    Some(s) => s,
                    None => {
                        let s = Arc::new(Scope::new(
                            Some(config::load_file(&path)?),
                            self.password.clone(),
                            self.templates_everywhere,
                        ));
                        if let Ok(mut m) = self.by_config.lock() {
                            m.insert(path, s.clone());
                        }
                        s
                    }
                }
            }
        };
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(given, scope.clone());
        }
        Ok(scope)
    }

    /// The scope of files no config applies to.
    fn none(&self) -> Arc<Scope> {
        if self.default.loaded.is_none() {
            return self.default.clone();
        }
        let key = PathBuf::new();
        if let Ok(mut m) = self.by_config.lock() {
            return m
                .entry(key)
                .or_insert_with(|| {
                    Arc::new(Scope::new(
                        None,
                        self.password.clone(),
                        self.templates_everywhere,
                    ))
                })
                .clone();
        }
        Arc::new(Scope::new(
            None,
            self.password.clone(),
            self.templates_everywhere,
        ))
    }

    /// Every scope with a config, in the order of their paths.
    pub fn configs(&self) -> Vec<Arc<Scope>> {
        self.all()
            .into_iter()
            .filter(|s| s.loaded.is_some())
            .collect()
    }

    /// Every scope met so far (with a config or not), the default first.
    pub fn all(&self) -> Vec<Arc<Scope>> {
        let mut all: Vec<(PathBuf, Arc<Scope>)> = self
            .by_config
            .lock()
            .map(|m| m.iter().map(|(p, s)| (p.clone(), s.clone())).collect())
            .unwrap_or_default();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = vec![self.default.clone()];
        for (_, s) in all {
            if !out.iter().any(|o| Arc::ptr_eq(o, &s)) {
                out.push(s);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn pointers_hold_what_is_inside_them() {
        assert!(within("/ref_id", "/ref_id"));
        assert!(within("/messages/0/text", "/messages/0"));
        assert!(!within("/messages/10", "/messages/1"));
        assert!(within("/anything", ""));
        assert!(!within("/ref_idx", "/ref_id"));
    }
}
