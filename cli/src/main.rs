//! The `preflight` command: all of it is [`preflight_cli::main`].

fn main() -> std::process::ExitCode {
    preflight_cli::main()
}
