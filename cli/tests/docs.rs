//! The README and `docs/` hold on a fresh clone: the headline output is what
//! `preflight validate fixtures/` prints, the main job's summary is what it
//! says, the config snippet is a valid config, the rule table and the rule
//! reference are the registry's, and nothing points outside the repository.
//!
//! `PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs` rewrites
//! the generated parts (never under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn preflight() -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(root())
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR");
    cmd
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

fn updating() -> bool {
    std::env::var_os("PREFLIGHT_UPDATE_DOCS").is_some() && std::env::var_os("CI").is_none()
}

/// The fenced block that follows the line `after` in the README.
fn block_after(text: &str, after: &str) -> String {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("README lacks {after:?}"));
    let rest = &text[start..];
    let open = rest.find("```").unwrap();
    let body = &rest[open..];
    let first_newline = body.find('\n').unwrap();
    let end = body[first_newline..].find("\n```").unwrap();
    body[first_newline + 1..first_newline + end + 1].to_string()
}

#[test]
fn the_headline_output_is_what_preflight_prints() {
    let out = preflight()
        .args(["validate", "fixtures/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let printed = String::from_utf8(out.stdout).unwrap();
    let text = readme();
    let block = block_after(&text, "## What it says");
    let shown = block
        .strip_prefix("$ preflight validate fixtures/\n")
        .expect("the block starts with the command");
    if shown != printed && updating() {
        let fresh = text.replacen(
            &block,
            &format!("$ preflight validate fixtures/\n{printed}"),
            1,
        );
        std::fs::write(root().join("README.md"), fresh).unwrap();
        return;
    }
    assert_eq!(
        shown, printed,
        "README's headline output is stale; run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs"
    );
}

#[test]
fn the_related_places_output_is_what_preflight_prints() {
    let text = readme();
    let block = block_after(&text, "checked as, clean or not, so a wrong guess shows");
    let command = block.lines().next().unwrap().to_string();
    let input = command
        .strip_prefix("$ preflight validate - < ")
        .expect("the block starts with the command");
    let out = preflight()
        .args(["validate", "-"])
        .write_stdin(std::fs::read(root().join(input)).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains(":::") && printed.contains("(detected from the payload's shape)"));
    let shown = &block[command.len() + 1..];
    if shown != printed && updating() {
        let fresh = text.replacen(&block, &format!("{command}\n{printed}"), 1);
        std::fs::write(root().join("README.md"), fresh).unwrap();
        return;
    }
    assert_eq!(
        shown, printed,
        "README's related-places output is stale; run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs"
    );
}

#[test]
fn the_main_job_says_what_the_readme_says() {
    let out = preflight()
        .args(["validate", "examples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let last = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(
        readme().contains(&format!("The first prints `{last}`")),
        "README says otherwise than `{last}`"
    );
}

#[test]
fn the_config_snippet_is_a_valid_config() {
    let toml = block_after(&readme(), "### `preflight.toml`");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("preflight.toml");
    std::fs::write(&config, toml).unwrap();
    preflight()
        .args([
            "validate",
            "--config",
            config.to_str().unwrap(),
            "examples/oca",
        ])
        .assert()
        .code(0);
}

/// Replaces the text between `start` and `end` markers, or checks it.
fn generated(path: &Path, start: &str, end: &str, want: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let s = text
        .find(start)
        .unwrap_or_else(|| panic!("{} lacks {start}", path.display()));
    let line_end = s + text[s..].find('\n').unwrap() + 1;
    let e = text.find(end).unwrap();
    let have = &text[line_end..e];
    if have != want {
        if updating() {
            std::fs::write(path, format!("{}{want}{}", &text[..line_end], &text[e..])).unwrap();
            return;
        }
        panic!(
            "{} is stale between {start:?} and {end:?}; run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs",
            path.display()
        );
    }
}

#[test]
fn the_readme_rule_table_is_the_registry() {
    generated(
        &root().join("README.md"),
        "<!-- rules-table:start",
        "<!-- rules-table:end -->",
        &preflight_cli::rules_table(),
    );
    // Every rule is in it, and nothing else.
    let readme = readme();
    for rule in preflight::rules::all().filter(|r| r.kind() != preflight::rules::RuleKind::Keyword)
    {
        assert!(
            readme.contains(&format!("[`{}`]", rule.name)),
            "{} is not in the README table",
            rule.name
        );
    }
}

#[test]
fn docs_rules_md_is_the_registry() {
    let path = root().join("docs/rules.md");
    let want = preflight_cli::rules_markdown();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if updating() {
            std::fs::write(&path, want).unwrap();
            return;
        }
        panic!(
            "docs/rules.md is stale; run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs"
        );
    }
    // `preflight rules --markdown` prints the same.
    let out = preflight().args(["rules", "--markdown"]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), have);
}

#[test]
fn the_docs_point_only_into_the_repository() {
    for doc in [
        "README.md",
        "docs/design.md",
        "docs/performance.md",
        "docs/reliability.md",
        "docs/rules.md",
        "docs/serve-client.md",
        "docs/serve-answers.md",
    ] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        assert!(!text.contains("../"), "{doc} points outside the repository");
        assert!(
            !text.contains("preflight-rs"),
            "{doc} names a repository that does not exist"
        );
        // Every relative link resolves.
        for (i, _) in text.match_indices("](") {
            let target = &text[i + 2..];
            let target = &target[..target.find(')').unwrap()];
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let base = root().join(doc).parent().unwrap().to_path_buf();
            assert!(
                base.join(file).exists(),
                "{doc} links to {target}, which does not exist"
            );
        }
    }
}

/// The README's Templates section: every fenced block that starts with a
/// `$ preflight …` line shows what that command prints (up to a last line
/// `…`, which stands for the rest). Blocks may be indented (in a list).
#[test]
fn the_templates_section_shows_what_preflight_prints() {
    section_shows_what_preflight_prints("### Templates", 3);
}

/// The same of the Contract tests section.
#[test]
fn the_contract_tests_section_shows_what_preflight_prints() {
    section_shows_what_preflight_prints("## Contract tests", 2);
}

/// Every `$ preflight …` block of the README section that starts at the
/// heading `heading` (up to the next `## ` heading) shows what the command
/// prints; at least `min` of them.
fn section_shows_what_preflight_prints(heading: &str, min: usize) {
    let text = readme();
    let start = text
        .find(&format!("\n{heading}\n"))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("README has no {heading} section"));
    let end = start + 1 + text[start + 1..].find("\n## ").unwrap() + 1;
    let lines: Vec<&str> = text[start..end].lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut stale = Vec::new();
    let mut seen = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push(line.to_string());
        let indent = line.len() - line.trim_start().len();
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        if line.trim() != "```" || !next.starts_with("$ preflight ") {
            i += 1;
            continue;
        }
        let command = next.to_string();
        out.push(lines[i + 1].to_string());
        let mut j = i + 2;
        let mut shown = String::new();
        while lines[j].trim() != "```" {
            shown.push_str(lines[j].get(indent..).unwrap_or(""));
            shown.push('\n');
            j += 1;
        }
        let args: Vec<&str> = command
            .strip_prefix("$ preflight ")
            .unwrap()
            .split_whitespace()
            .collect();
        let printed = String::from_utf8(preflight().args(&args).output().unwrap().stdout).unwrap();
        let (want, ok) = match shown.strip_suffix("…\n") {
            Some(head) if !head.is_empty() => {
                let n = head.lines().count();
                let cut: String = printed.lines().take(n).map(|l| format!("{l}\n")).collect();
                (format!("{cut}…\n"), printed.starts_with(head))
            }
            _ => (printed.clone(), shown == printed),
        };
        if !ok {
            stale.push(command.clone());
        }
        let pad = " ".repeat(indent);
        for l in want.lines() {
            out.push(if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            });
        }
        i = j;
        seen += 1;
    }
    assert!(seen >= min, "the {heading} section shows {seen} commands");
    if stale.is_empty() {
        return;
    }
    assert!(
        updating(),
        "README's output of {stale:?} is stale; run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight-cli --test docs"
    );
    let section = out.join("\n") + "\n";
    std::fs::write(
        root().join("README.md"),
        format!("{}{section}{}", &text[..start], &text[end..]),
    )
    .unwrap();
}

/// The README's suppressions config and its `[[expect]]` and sidecar
/// snippets read (the run exits 0: the globs match nothing there, which is
/// a warning).
#[test]
fn the_suppressions_and_expectations_snippets_read() {
    let text = readme();
    let dir = tempfile::tempdir().unwrap();
    let contract = &text[text.find("### Fixtures with expectations").unwrap()..];
    for (toml, name) in [
        (
            block_after(&text, "#### Suppressions and per-path levels"),
            "preflight.toml",
        ),
        (
            block_after(contract, "what it must give, from the first of:"),
            "preflight.toml",
        ),
    ] {
        let config = dir.path().join(name);
        std::fs::write(&config, &toml).unwrap();
        preflight()
            .args([
                "validate",
                "--config",
                config.to_str().unwrap(),
                "examples/oca",
            ])
            .assert()
            .code(0);
    }
    // The sidecar: beside a fixture that gives exactly what it says.
    let at = contract
        .find("# invalid/chatbot/sendwa/spasi.expect.toml")
        .unwrap();
    let sidecar = &contract[at..at + contract[at..].find("\n```").unwrap() + 1];
    let fixtures = dir.path().join("fx/chatbot/sendwa");
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::write(fixtures.join("spasi.expect.toml"), sidecar).unwrap();
    std::fs::copy(
        root().join("tests/readme/contract/invalid/chatbot/sendwa/spasi.json"),
        fixtures.join("spasi.json"),
    )
    .unwrap();
    preflight()
        .current_dir(dir.path())
        .args(["test", "fx"])
        .assert()
        .code(0);
}

/// The README's Editor set-up: the export command prints what it writes
/// (first and last lines shown), and every schema the VS Code and taplo
/// snippets point at is a file that export writes, for the endpoint the
/// fixture glob names.
#[test]
fn the_editor_set_up_points_at_what_export_writes() {
    let text = readme();
    let start = text
        .find("### Editor set-up")
        .expect("README has an Editor set-up section");
    let section = &text[start..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    let command = block_after(section, "--export DIR");
    let mut lines = command.lines();
    let first = lines.next().unwrap();
    let dir = first
        .strip_prefix("$ preflight schema --export ")
        .expect("the block starts with the export command");
    let temp = tempfile::tempdir().unwrap();
    let target = temp.path().join(dir);
    let out = preflight()
        .args(["schema", "--export"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let path = l.strip_prefix("wrote ").unwrap();
            let rel = Path::new(path).strip_prefix(&target).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    // The shown lines are what it prints, with `…` for the ones between.
    let shown: Vec<&str> = lines.collect();
    let printed: Vec<String> = written.iter().map(|w| format!("wrote {dir}/{w}")).collect();
    let gap = shown.iter().position(|l| *l == "…").unwrap();
    assert_eq!(shown[..gap], printed[..gap]);
    let tail = shown.len() - gap - 1;
    assert_eq!(shown[gap + 1..], printed[printed.len() - tail..]);

    // VS Code: valid JSON, every url a written file, matching its glob.
    let settings: serde_json::Value =
        serde_json::from_str(&block_after(section, "`.vscode/settings.json`")).unwrap();
    let entries = settings["json.schemas"].as_array().unwrap();
    assert!(entries.len() >= 5);
    let prefix = format!("./{dir}/");
    for entry in entries {
        let url = entry["url"].as_str().unwrap();
        let rel = url
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{url} is not under ./{dir}/"));
        assert!(written.iter().any(|w| w == rel), "{url} is not exported");
        let id = rel.strip_suffix(".json").unwrap();
        for glob in entry["fileMatch"].as_array().unwrap() {
            let glob = glob.as_str().unwrap();
            let named = id == "meta/message-templates" && glob.starts_with("templates/")
                || glob.contains(&format!("/{id}/"));
            assert!(named, "{glob} is mapped to {url}");
        }
    }
    // taplo: the directive on the first line names the exported config schema.
    let toml = block_after(section, "`#:schema`");
    let directive = toml.lines().next().unwrap();
    let rel = directive
        .strip_prefix(&format!("#:schema {prefix}"))
        .expect("a #:schema directive first");
    assert_eq!(rel, "preflight.schema.json");
    assert!(written.iter().any(|w| w == rel));
    let config: toml::Value = toml::from_str(&toml).unwrap();
    assert!(config.get("fixtures").is_some());
}
