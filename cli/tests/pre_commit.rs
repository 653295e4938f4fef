//! The pre-commit hook, installed and run the way users run it:
//! `pre-commit try-repo` on this repository, in a fresh git repository with
//! fixtures, a file no endpoint maps (package.json), and then a broken fixture.
//!
//! pre-commit (PyPI) installs the hook with `cargo install --path` at this
//! repository's root; its environments live under `target/pre-commit-home` and
//! its build under `target/pre-commit-build` (unoptimized: see `try_repo`), so
//! a second run is quick. Where
//! pre-commit is not installed the test says so and passes, except under CI,
//! which installs it (`.ci/run`) and must run it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn try_repo(dir: &Path) -> Output {
    let target = root().join("target");
    Command::new("pre-commit")
        .current_dir(dir)
        .args([
            "try-repo",
            root().to_str().unwrap(),
            "preflight",
            "--all-files",
        ])
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit-build"))
        // The hook's `cargo install` builds in release; unoptimized, the
        // build takes a fraction of the time, and the test only checks that
        // the hook installs and what it reports, not how fast it runs.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .output()
        .unwrap()
}

#[test]
fn the_hook_installs_runs_and_checks_only_mapped_files() {
    let available = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not installed; .ci/run installs it from PyPI"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "--quiet"]);
    git(d, &["config", "user.email", "ci@example.invalid"]);
    git(d, &["config", "user.name", "CI"]);
    std::fs::create_dir_all(d.join("fixtures/oca/push-message")).unwrap();
    std::fs::copy(
        root().join("examples/oca/push-message/body-only.json"),
        d.join("fixtures/oca/push-message/tagihan.json"),
    )
    .unwrap();
    std::fs::write(
        d.join("package.json"),
        "{\"name\": \"toko-baju-api\", \"version\": \"1.0.0\"}\n",
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "--quiet", "-m", "fixtures"]);

    let out = try_repo(d);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "a clean fixture and package.json:\n{text}"
    );
    assert!(text.contains("preflight"), "{text}");

    let mut broken: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.join("fixtures/oca/push-message/tagihan.json")).unwrap(),
    )
    .unwrap();
    broken["phone_number"] = serde_json::Value::from("0812 3456 7890");
    std::fs::write(
        d.join("fixtures/oca/push-message/tagihan.json"),
        serde_json::to_string_pretty(&broken).unwrap(),
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "--quiet", "-m", "broken"]);
    let out = try_repo(d);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "a broken fixture must fail the hook:\n{text}"
    );
    assert!(text.contains("phone-format"), "{text}");
    assert!(
        text.contains("fixtures/oca/push-message/tagihan.json"),
        "{text}"
    );
    assert!(
        !text.contains("package.json:"),
        "package.json is not checked:\n{text}"
    );
}
