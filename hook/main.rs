//! The `preflight` command under the name the pre-commit hook installs
//! (`preflight-pre-commit`): pre-commit's `language: rust` builds the package
//! at the repository root, and this is it.

fn main() -> std::process::ExitCode {
    preflight_cli::main()
}
