//! `preflight sandeza sign`: the `signature` of a Sandeza request, computed
//! by the library's `preflight::types::sandeza::signature` (the function
//! the `signature-mismatch` rule checks against). The password is read from
//! `PREFLIGHT_SANDEZA_PASSWORD`, a prompt that does not echo, or one line
//! of standard input; never from an argument, where `ps` would show it.

use anyhow::Result;
use clap::Subcommand;
use preflight::types::sandeza::{self, Password, SendRequestUsername, UnixSeconds};
use std::io::{BufRead, IsTerminal, Write};

/// The environment variable holding the Sandeza password (`validate`'s
/// `--sandeza-password` reads it too).
pub(crate) const PASSWORD_ENV: &str = "PREFLIGHT_SANDEZA_PASSWORD";

/// Sandeza helpers.
#[derive(Debug, Subcommand)]
pub(crate) enum SandezaCommand {
    /// Print a request's `signature`: hex(sha256(username + password +
    /// time)), and nothing else on stdout
    /// (`sig=$(preflight sandeza sign --username U --time T)`). The password
    /// comes from PREFLIGHT_SANDEZA_PASSWORD, else a prompt that does not
    /// echo (stdin a terminal), else the first line of stdin; never from an
    /// argument. Errors exit 2.
    Sign(SignArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct SignArgs {
    /// The request's `username` (the account's division username).
    #[arg(long, value_name = "USERNAME")]
    username: String,
    /// The request's `time`, in Unix seconds (e.g. 1730458063); the
    /// signature is valid only with this exact value. Default: now (the
    /// time used is then named on stderr).
    #[arg(long, value_name = "SECONDS")]
    time: Option<String>,
    /// Stray arguments, taken here so that a password given as one is
    /// refused without being echoed (clap's error would quote it).
    #[arg(hide = true)]
    stray: Vec<std::ffi::OsString>,
}

/// Runs a `sandeza` subcommand; returns the exit status.
pub(crate) fn run(command: SandezaCommand, stdout: &mut impl Write) -> Result<u8> {
    match command {
        SandezaCommand::Sign(args) => sign(&args, stdout),
    }
}

fn fail(message: &str, help: &str) -> u8 {
    eprintln!("preflight: error: {message}");
    eprintln!("  help: {help}");
    2
}

const PASSWORD_HELP: &str = "set PREFLIGHT_SANDEZA_PASSWORD, type it at the prompt (stdin a terminal), or pipe it on stdin (`… sandeza sign --username U < password-file`); it is never taken as an argument, where `ps` would show it";

fn sign(args: &SignArgs, stdout: &mut impl Write) -> Result<u8> {
    if !args.stray.is_empty() {
        // Not quoted: it may be the password.
        return Ok(fail(
            &format!(
                "`sandeza sign` takes no positional argument ({} given)",
                args.stray.len()
            ),
            PASSWORD_HELP,
        ));
    }
    let shown = preflight::render::escape_controls;
    let username = args.username.as_str();
    if username.trim().is_empty() {
        return Ok(fail(
            "--username is empty",
            "pass the account's username, as the request's `username` field sends it",
        ));
    }
    if username.trim() != username {
        return Ok(fail(
            &format!("--username `{}` has spaces around it", shown(username)),
            "the signature covers the username exactly as sent: remove the spaces (and from the request's `username` too)",
        ));
    }
    let username: SendRequestUsername = match username.parse() {
        Ok(u) => u,
        Err(e) => {
            return Ok(fail(
                &format!("--username: {e}"),
                "pass the request's `username` as sent",
            ));
        }
    };
    let (time, defaulted) = match args.time.as_deref() {
        None => (UnixSeconds::now(), true),
        Some(t) => match check_time(t) {
            Ok(()) => match t.parse::<UnixSeconds>() {
                Ok(time) => (time, false),
                Err(e) => return Ok(fail(&format!("--time: {e}"), TIME_HELP)),
            },
            Err(problem) => {
                return Ok(fail(&format!("--time `{}` {problem}", shown(t)), TIME_HELP));
            }
        },
    };
    let password = match password()? {
        Ok(p) => p,
        Err(message) => {
            return Ok(fail(&message, PASSWORD_HELP));
        }
    };
    let signature = sandeza::signature(&username, &password, &time);
    writeln!(stdout, "{signature}")?;
    if defaulted {
        eprintln!(
            "preflight: signed for time {time} (now): send that exact value as the request's `time`"
        );
    }
    Ok(0)
}

const TIME_HELP: &str = "pass the request's `time` as Unix seconds, digits only (`date +%s` prints them), or leave --time out for now";

/// What is wrong with a `--time`, if anything.
fn check_time(t: &str) -> std::result::Result<(), &'static str> {
    if t.is_empty() {
        return Err("is empty");
    }
    if t.trim() != t {
        return Err("has spaces around it");
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not Unix seconds (digits only)");
    }
    match t.len() {
        13 => {
            Err("looks like milliseconds (13 digits): Sandeza wants seconds, the first 10 digits")
        }
        16 => {
            Err("looks like microseconds (16 digits): Sandeza wants seconds, the first 10 digits")
        }
        n if n > 10 => Err("has more digits than Unix seconds have"),
        _ => Ok(()),
    }
}

/// The password: the environment variable, else a prompt on the terminal,
/// else the first line of standard input. `Ok(Err(message))`: none given.
fn password() -> Result<std::result::Result<Password, String>> {
    if let Some(p) = std::env::var_os(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return Ok(match p.into_string() {
            Ok(p) => Ok(Password::new(p)),
            Err(_) => Err(format!("{PASSWORD_ENV} is not valid UTF-8")),
        });
    }
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        rpassword::prompt_password("Sandeza password (not echoed): ")?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line
    };
    let line = line.strip_suffix('\n').unwrap_or(&line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Ok(Err(format!(
            "no Sandeza password: {PASSWORD_ENV} is not set and {} gave none",
            if stdin.is_terminal() {
                "the prompt"
            } else {
                "stdin"
            }
        )));
    }
    Ok(Ok(Password::new(line)))
}
