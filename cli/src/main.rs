//! The `preflight` command: all of it is [`preflight_cli::main`].

// mimalloc: glibc's malloc was a sixth of `preflight serve`'s CPU under load
// (arena locks between worker threads); see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    preflight_cli::main()
}
