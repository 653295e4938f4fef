//! The templates of a run: read from files once, indexed by name and
//! language, with the provider-id mapping of the configuration.

use crate::model::{ShapeError, Template};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why a templates file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file (or directory) cannot be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The path.
        file: String,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{file}:{line}:{column}: not JSON: {message}")]
    Parse {
        /// The path.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// The JSON is not a templates document.
    #[error("{file}: at `{pointer}`: {message}")]
    Shape {
        /// The path.
        file: String,
        /// Where in the file.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A directory given holds no `.json` file.
    #[error("{file}: no .json templates file in this directory")]
    EmptyDirectory {
        /// The path.
        file: String,
    },
}

/// Every template of a run, indexed by name (then language).
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    templates: Vec<Template>,
    by_name: HashMap<String, Vec<usize>>,
    files: Vec<String>,
}

impl TemplateSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the templates of one document's text, named `file` in messages:
    /// Meta's `{"data": [...], "paging": ...}`, a bare array of templates,
    /// or one template object. Returns how many were read.
    ///
    /// # Errors
    /// [`LoadError::Parse`] for text that is not JSON (with its line and
    /// column), [`LoadError::Shape`] for JSON that is not templates.
    pub fn add_text(&mut self, file: &str, text: &str) -> Result<usize, LoadError> {
        let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Parse {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        self.add_value(file, &value)
    }

    /// [`TemplateSet::add_text`] for an already parsed document.
    ///
    /// # Errors
    /// [`LoadError::Shape`] for JSON that is not templates.
    pub fn add_value(&mut self, file: &str, value: &Value) -> Result<usize, LoadError> {
        let shape = |e: ShapeError| LoadError::Shape {
            file: file.to_string(),
            pointer: e.pointer,
            message: e.message,
        };
        let (items, base): (&[Value], &str) = match value {
            Value::Array(items) => (items, ""),
            Value::Object(map) => match map.get("data") {
                Some(Value::Array(items)) => (items, "/data"),
                Some(_) => {
                    return Err(shape(ShapeError {
                        pointer: "/data".to_string(),
                        message: "`data` is the array of templates".to_string(),
                    }));
                }
                None if map.contains_key("name") => (std::slice::from_ref(value), "#"),
                None => {
                    return Err(shape(ShapeError {
                        pointer: String::new(),
                        message: "a templates file is Meta's `{\"data\": [...]}`, an array of templates, or one template".to_string(),
                    }));
                }
            },
            _ => {
                return Err(shape(ShapeError {
                    pointer: String::new(),
                    message: "a templates file is Meta's `{\"data\": [...]}`, an array of templates, or one template".to_string(),
                }));
            }
        };
        let mut read = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let pointer = if base == "#" {
                String::new()
            } else {
                format!("{base}/{i}")
            };
            read.push(Template::from_value(item, file, &pointer).map_err(shape)?);
        }
        let n = read.len();
        for t in read {
            self.push(t);
        }
        self.files.push(file.to_string());
        Ok(n)
    }

    /// Reads a file, or every `.json` file under a directory (in name order).
    ///
    /// # Errors
    /// As [`TemplateSet::add_text`], and [`LoadError::Io`].
    pub fn add_path(&mut self, path: &Path) -> Result<usize, LoadError> {
        let io = |file: &Path, source| LoadError::Io {
            file: file.display().to_string(),
            source,
        };
        if path.is_dir() {
            let mut files = Vec::new();
            json_files(path, &mut files).map_err(|e| io(path, e))?;
            if files.is_empty() {
                return Err(LoadError::EmptyDirectory {
                    file: path.display().to_string(),
                });
            }
            let mut n = 0;
            for f in files {
                n += self.add_path(&f)?;
            }
            return Ok(n);
        }
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        self.add_text(&path.display().to_string(), &text)
    }

    /// Adds one template.
    pub fn push(&mut self, template: Template) {
        self.by_name
            .entry(template.name.clone())
            .or_default()
            .push(self.templates.len());
        self.templates.push(template);
    }

    /// Every template, in the order read.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.templates.iter()
    }

    /// How many templates there are.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// The files read, in order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Every language of the template called `name`.
    pub fn named(&self, name: &str) -> impl Iterator<Item = &Template> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.templates.get(i))
    }

    /// The template called `name` in `language`.
    pub fn get(&self, name: &str, language: &str) -> Option<&Template> {
        self.named(name).find(|t| t.language == language)
    }

    /// The known name closest to `name` (a typo, another case, `-` for `_`).
    pub fn closest_name(&self, name: &str) -> Option<&str> {
        let wanted = normalize(name);
        let mut best: Option<(f64, &str)> = None;
        for candidate in self.by_name.keys() {
            let c = normalize(candidate);
            let score = if c == wanted {
                2.0
            } else {
                strsim::jaro_winkler(&wanted, &c)
            };
            if score >= 0.85
                && best.is_none_or(|(s, n)| score > s || (score == s && candidate.as_str() < n))
            {
                best = Some((score, candidate));
            }
        }
        best.map(|(_, n)| n)
    }
}

fn normalize(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Every `.json` file under `dir`, in name order, subdirectories included:
/// the files a templates directory holds.
///
/// # Errors
/// When a directory cannot be read.
pub fn json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// The templates of a run with how payloads name them: per provider, the
/// provider's ids mapped to template names (an id with no mapping is the
/// template's name), and the language to assume where a payload carries none.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// The templates.
    pub set: TemplateSet,
    /// Per provider (`sandeza`, `oca`, `qiscus`, `3dolphins`), provider id →
    /// template name.
    pub ids: HashMap<String, HashMap<String, String>>,
    /// The language to check a template in when the payload names none.
    pub default_language: Option<String>,
}

/// How a payload's template id was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The template name looked up.
    pub name: &'a str,
    /// True when the configuration mapped the id to the name.
    pub mapped: bool,
}

impl Templates {
    /// Templates with no id mapping.
    pub fn new(set: TemplateSet) -> Self {
        Templates {
            set,
            ..Templates::default()
        }
    }

    /// The template name a provider's id stands for.
    pub fn resolve<'a>(&'a self, provider: &str, id: &'a str) -> Resolved<'a> {
        match self.ids.get(provider).and_then(|m| m.get(id)) {
            Some(name) => Resolved { name, mapped: true },
            None => Resolved {
                name: id,
                mapped: false,
            },
        }
    }

    /// The templates a send may mean: the one in `language` when the payload
    /// names one, else the one in the default language when configured and
    /// present, else every language of the name.
    pub fn candidates(&self, name: &str, language: Option<&str>) -> Vec<&Template> {
        if let Some(language) = language {
            return self.set.get(name, language).into_iter().collect();
        }
        if let Some(default) = &self.default_language
            && let Some(t) = self.set.get(name, default)
        {
            return vec![t];
        }
        self.set.named(name).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    const EXPORT: &str = r#"{"data": [
        {"name": "otp_login", "language": "id", "status": "APPROVED", "category": "AUTHENTICATION",
         "components": [{"type": "BODY", "text": "*{{1}}* adalah kode verifikasi Anda."}]},
        {"name": "otp_login", "language": "en", "status": "APPROVED", "category": "AUTHENTICATION",
         "components": [{"type": "BODY", "text": "*{{1}}* is your verification code."}]}
    ], "paging": {"cursors": {"before": "a", "after": "b"}}}"#;

    #[test]
    fn reads_meta_exports_and_bare_arrays() {
        let mut set = TemplateSet::new();
        assert_eq!(set.add_text("a.json", EXPORT).unwrap(), 2);
        assert_eq!(
            set.add_text("b.json", r#"[{"name": "x", "language": "id"}]"#)
                .unwrap(),
            1
        );
        assert_eq!(set.named("otp_login").count(), 2);
        assert_eq!(
            set.get("otp_login", "en").unwrap().origin.pointer,
            "/data/1"
        );
        assert_eq!(set.get("x", "id").unwrap().origin.pointer, "/0");
        assert_eq!(set.closest_name("OTP-Login"), Some("otp_login"));
        assert_eq!(set.closest_name("tagihan"), None);
    }

    #[test]
    fn malformed_files_say_where() {
        let mut set = TemplateSet::new();
        let err = set
            .add_text("t.json", "{\"data\": [\n  {\"name\": }]}")
            .unwrap_err();
        assert!(matches!(err, LoadError::Parse { line: 2, .. }), "{err}");
        let err = set
            .add_text("t.json", r#"{"data": [{"language": "id"}]}"#)
            .unwrap_err();
        assert!(err.to_string().contains("/data/0"), "{err}");
        let err = set.add_text("t.json", r#"{"templates": []}"#).unwrap_err();
        assert!(err.to_string().contains("{\"data\""), "{err}");
        assert!(set.is_empty());
    }

    #[test]
    fn ids_map_to_names_and_languages_narrow() {
        let mut set = TemplateSet::new();
        set.add_text("a.json", EXPORT).unwrap();
        let mut t = Templates::new(set);
        t.ids.insert(
            "3dolphins".into(),
            HashMap::from([("8a2d".to_string(), "otp_login".to_string())]),
        );
        assert_eq!(
            t.resolve("3dolphins", "8a2d"),
            Resolved {
                name: "otp_login",
                mapped: true
            }
        );
        assert_eq!(t.resolve("oca", "8a2d").name, "8a2d");
        assert_eq!(t.candidates("otp_login", None).len(), 2);
        assert_eq!(t.candidates("otp_login", Some("fr")).len(), 0);
        t.default_language = Some("id".into());
        assert_eq!(t.candidates("otp_login", None)[0].language, "id");
    }
}
