//! The `preflight` command: parse arguments, run, map the outcome to an exit
//! status (0 clean, 1 error findings, 2 usage or I/O error). A closed pipe
//! (`preflight validate | head`) is not an error.

use std::process::ExitCode;

fn main() -> ExitCode {
    match preflight_cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "preflight: error: {}",
                preflight::render::escape_controls(&format!("{err:#}"))
            );
            ExitCode::from(2)
        }
    }
}
