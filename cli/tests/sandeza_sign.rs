//! `preflight sandeza sign`: the signature the library computes, the
//! password from the environment or standard input (never an argument),
//! clear errors with exit 2, and the password in no output.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use preflight::types::sandeza::{self, Password};
use std::path::{Path, PathBuf};

const PASSWORD: &str = "Rahasia-Kebun#2026";

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
        .env("NO_COLOR", "1");
    cmd
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let out = cmd.output().unwrap();
    let out = Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD),
        "the password was printed:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    out
}

fn library(username: &str, time: &str) -> String {
    sandeza::signature(
        &username.parse().unwrap(),
        &Password::new(PASSWORD),
        &time.parse().unwrap(),
    )
    .to_string()
}

#[test]
fn the_password_from_the_environment() {
    let out = run(preflight()
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD)
        .args([
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--time",
            "1764135529",
        ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("{}\n", library("kebunsegar", "1764135529"))
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn the_password_from_a_line_of_stdin() {
    for input in [
        format!("{PASSWORD}\n"),
        format!("{PASSWORD}\r\n"),
        PASSWORD.to_string(),
    ] {
        let out = run(preflight()
            .args([
                "sandeza",
                "sign",
                "--username",
                "kebunsegar",
                "--time",
                "1764135529",
            ])
            .write_stdin(input));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(
            out.stdout,
            format!("{}\n", library("kebunsegar", "1764135529"))
        );
    }
    // Only the first line is the password.
    let out = run(preflight()
        .args([
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--time",
            "1764135529",
        ])
        .write_stdin(format!("{PASSWORD}\nsomething else\n")));
    assert_eq!(
        out.stdout,
        format!("{}\n", library("kebunsegar", "1764135529"))
    );
    // The environment wins over stdin.
    let out = run(preflight()
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD)
        .args([
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--time",
            "1764135529",
        ])
        .write_stdin("another password\n"));
    assert_eq!(
        out.stdout,
        format!("{}\n", library("kebunsegar", "1764135529"))
    );
}

#[test]
fn is_hex_sha256_of_username_password_and_time() {
    // sha256("kebunsegar" + "rahasia123" + "1764135529"), the README's example.
    let out = run(preflight()
        .args([
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--time",
            "1764135529",
        ])
        .write_stdin("rahasia123\n"));
    assert_eq!(
        out.stdout,
        "2d16493da7932efabaeef86022b15d4f56de186917b1898c1cada0f8c4e1ec64\n"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut lines = readme.lines().map(str::trim);
    lines
        .find(|l| *l == "$ printf 'rahasia123\\n' | preflight sandeza sign --username kebunsegar --time 1764135529")
        .expect("the README shows the example");
    assert_eq!(
        lines.next(),
        Some(out.stdout.trim()),
        "the README's example is stale"
    );
}

#[test]
fn without_time_it_signs_for_now_and_says_which_time() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let out = run(preflight()
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD)
        .args(["sandeza", "sign", "--username", "kebunsegar"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let time = out
        .stderr
        .split_whitespace()
        .find(|w| w.bytes().all(|b| b.is_ascii_digit()))
        .expect("stderr names the time");
    assert!(time.parse::<u64>().unwrap() >= before, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", library("kebunsegar", time)));
}

#[test]
fn the_signature_passes_the_validators_check() {
    let out = run(preflight()
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD)
        .args([
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--time",
            "1764135529",
        ]));
    let mut payload: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/sandeza/send/sms.json")).unwrap(),
    )
    .unwrap();
    payload["username"] = "kebunsegar".into();
    payload["time"] = "1764135529".into();
    payload["signature"] = out.stdout.trim().into();
    let out = run(preflight()
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD)
        .args([
            "validate",
            "--endpoint",
            "sandeza/send",
            "--format",
            "json",
            "-",
        ])
        .write_stdin(payload.to_string()));
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("signature-mismatch"), "{}", out.stdout);
}

#[test]
fn no_password_is_exit_2_with_how_to_give_one() {
    for stdin in ["", "\n"] {
        let out = run(preflight()
            .args([
                "sandeza",
                "sign",
                "--username",
                "kebunsegar",
                "--time",
                "1764135529",
            ])
            .write_stdin(stdin));
        assert_eq!(out.code, 2);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.contains("no Sandeza password"), "{}", out.stderr);
        assert!(
            out.stderr.contains("PREFLIGHT_SANDEZA_PASSWORD"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn the_password_is_never_an_argument() {
    for args in [
        &[
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--password",
            PASSWORD,
        ][..],
        &[
            "sandeza",
            "sign",
            "--username",
            "kebunsegar",
            "--sandeza-password",
            PASSWORD,
        ],
        &["sandeza", "sign", "--username", "kebunsegar", PASSWORD],
    ] {
        let out = run(preflight().args(args).write_stdin(""));
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(out.stdout, "");
    }
    let out = run(preflight()
        .args(["sandeza", "sign", "--username", "kebunsegar", PASSWORD])
        .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD));
    assert!(
        out.stderr.contains("takes no positional argument"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("never taken as an argument"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_username_or_time_is_exit_2_saying_what_is_wrong() {
    for (args, says) in [
        (
            &["--username", "", "--time", "1764135529"][..],
            "--username is empty",
        ),
        (
            &["--username", " kebunsegar", "--time", "1764135529"],
            "spaces around it",
        ),
        (
            &["--username", "kebunsegar", "--time", "1764135529000"],
            "milliseconds",
        ),
        (
            &["--username", "kebunsegar", "--time", "2026-11-26"],
            "digits only",
        ),
        (&["--username", "kebunsegar", "--time", ""], "is empty"),
        (
            &["--username", "kebunsegar", "--time", "1764135529 "],
            "spaces around it",
        ),
    ] {
        let out = run(preflight()
            .args(["sandeza", "sign"])
            .args(args)
            .env("PREFLIGHT_SANDEZA_PASSWORD", PASSWORD));
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("help:"), "{args:?}: {}", out.stderr);
    }
    // A missing --username is clap's usage error.
    let out = run(preflight().args(["sandeza", "sign"]).write_stdin(""));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--username"), "{}", out.stderr);
}

/// On a terminal the password is prompted for and not echoed. Runs the
/// command under `script` (util-linux) for a pseudo-terminal; skipped
/// where there is none.
#[test]
fn on_a_terminal_the_prompt_does_not_echo() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` for a pseudo-terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_preflight");
    // The password is typed two seconds in, after the prompt turned echo off.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"(sleep 2; printf '%s\n' "$PW") | script -qec "$BIN sandeza sign --username kebunsegar --time 1764135529" /dev/null"#)
        .env("PW", PASSWORD)
        .env("BIN", bin)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    let (before, after) = screen
        .split_once("Sandeza password (not echoed): ")
        .unwrap_or_else(|| panic!("no prompt: {screen:?}"));
    assert!(
        !before.contains(PASSWORD) && !after.contains(PASSWORD),
        "echoed: {screen:?}"
    );
    assert_eq!(
        after.trim(),
        library("kebunsegar", "1764135529"),
        "{screen:?}"
    );
}
