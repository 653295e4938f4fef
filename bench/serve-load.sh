#!/bin/sh
# Builds the release binaries and puts `preflight serve` under load with
# serve-load (see docs/performance.md, "preflight serve under load").
#
#   bench/serve-load.sh                     # mock mode: 1,000,000 requests, 64 connections
#   bench/serve-load.sh --gate              # and gate mode (needs `preflight serve --upstream`)
#   bench/serve-load.sh --requests 100000 --json -
#
# Arguments go to serve-load (`serve-load --help`). Run from anywhere: it
# runs in the repository root, so the server reads the repository's
# preflight.toml (the example account's templates) as a project's would.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --release --locked -p preflight-cli -p preflight-bench >&2
exec "$target/release/serve-load" --preflight "$target/release/preflight" "$@"
