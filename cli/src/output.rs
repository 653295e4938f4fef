//! How a report is written, the same for every subcommand that writes one:
//! whether it is coloured (`--color` and the environment's conventions), and
//! what SARIF's paths are relative to. The report itself is the library's
//! [`Renderer`].

use crate::ColorArg;
use crate::config::Loaded;
use preflight::Options;
use preflight::render::{Format, Renderer};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Whether text and concise output are coloured.
///
/// `--color always` and `--color never` decide alone. With `auto`, first
/// match wins:
///
/// 1. `FORCE_COLOR` set, not empty and not `0`: colour (force-color.org; it
///    overrides `NO_COLOR`, as that standard's example does);
/// 2. `NO_COLOR` set and not empty: no colour (no-color.org);
/// 3. `CLICOLOR_FORCE` set, not empty and not `0`: colour (bixense.com's
///    clicolors, under which `NO_COLOR` wins over it);
/// 4. `CLICOLOR=0`: no colour;
/// 5. colour when standard output is a terminal.
pub(crate) fn color(arg: ColorArg) -> bool {
    decide(arg, std::io::stdout().is_terminal(), |name| {
        std::env::var_os(name)
    })
}

fn decide(arg: ColorArg, terminal: bool, env: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto if forced("FORCE_COLOR") => true,
        ColorArg::Auto if set("NO_COLOR") => false,
        ColorArg::Auto if forced("CLICOLOR_FORCE") => true,
        ColorArg::Auto if env("CLICOLOR").is_some_and(|v| v == "0") => false,
        ColorArg::Auto => terminal,
    }
}

/// A renderer for a run: SARIF's rules carry the configured levels and its
/// paths are relative to [`root`].
///
/// # Errors
/// The current directory cannot be read.
pub(crate) fn renderer<W: Write>(
    format: Format,
    color: bool,
    out: W,
    config: Option<&Loaded>,
    options: &Options,
) -> std::io::Result<Renderer<W>> {
    let renderer = Renderer::new(format, color, out).with_levels(&options.levels);
    if format != Format::Sarif {
        return Ok(renderer);
    }
    let cwd = std::env::current_dir()?;
    Ok(renderer.with_base(root(config, &cwd), cwd))
}

/// What SARIF paths are relative to: the top level of the git repository
/// `cwd` is in; else the directory of the run's config file; else `cwd`.
fn root(config: Option<&Loaded>, cwd: &Path) -> PathBuf {
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    if let Ok(out) = git
        && out.status.success()
        && let Ok(text) = String::from_utf8(out.stdout)
        && !text.trim_end_matches(['\n', '\r']).is_empty()
    {
        return PathBuf::from(text.trim_end_matches(['\n', '\r']));
    }
    if let Some(loaded) = config {
        let dir = cwd.join(&loaded.dir);
        return dir.canonicalize().unwrap_or(dir);
    }
    cwd.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.into())
    }

    /// The flag, whether stdout is a terminal, the environment, the decision.
    type Case = (
        ColorArg,
        bool,
        &'static [(&'static str, &'static str)],
        bool,
    );

    #[test]
    fn colour_follows_the_conventions_in_order() {
        use ColorArg::{Always, Auto, Never};
        let cases: &[Case] = &[
            (Auto, true, &[], true),
            (Auto, false, &[], false),
            (Auto, false, &[("FORCE_COLOR", "1")], true),
            (Auto, false, &[("FORCE_COLOR", "3")], true),
            (Auto, false, &[("FORCE_COLOR", "0")], false),
            (Auto, false, &[("FORCE_COLOR", "")], false),
            (Auto, true, &[("NO_COLOR", "1")], false),
            (Auto, true, &[("NO_COLOR", "")], true),
            (
                Auto,
                false,
                &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")],
                true,
            ),
            (Auto, false, &[("CLICOLOR_FORCE", "1")], true),
            (Auto, false, &[("CLICOLOR_FORCE", "0")], false),
            (
                Auto,
                false,
                &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
                false,
            ),
            (Auto, true, &[("CLICOLOR", "0")], false),
            (Auto, false, &[("CLICOLOR", "1")], false),
            (Never, true, &[("FORCE_COLOR", "1")], false),
            (Always, false, &[("NO_COLOR", "1")], true),
        ];
        for (arg, terminal, vars, expected) in cases {
            assert_eq!(
                decide(*arg, *terminal, with(vars)),
                *expected,
                "{arg:?} terminal={terminal} {vars:?}"
            );
        }
    }
}
