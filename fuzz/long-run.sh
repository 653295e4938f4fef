#!/usr/bin/env bash
# The long fuzzing run (docs/reliability.md, "Fuzzing"): each target in turn
# for RUNS executions (default 10,000,000), or for at most SECONDS seconds
# each when given, on nightly with AddressSanitizer, one process at a time,
# with the target's dictionary and corpus (what it finds is added to the
# corpus in fuzz/corpus/<target>/; minimize it before committing,
# `cargo fuzz cmin`). Prints each target's executions and any crash
# (artifacts in fuzz/artifacts/<target>/).
# JOBS targets run side by side (default 1; one core each).
# FUZZ_SANITIZER=none builds without AddressSanitizer (3 to 5 times the
# executions a second; preflight's own code has no `unsafe`), into its own
# FUZZ_TARGET_DIR; replay the grown corpus under ASan afterwards
# (docs/reliability.md, "The long run").
# FUZZ_ARGS adds libFuzzer options to every target's run (-entropic=0: the
# classic input schedule, up to twice the executions a second on the
# targets whose coverage is widest; docs/reliability.md, "The long run").
#   fuzz/long-run.sh [TARGET...]
#   RUNS=1000000 SECONDS_PER_TARGET=1800 fuzz/long-run.sh validate render
#   JOBS=2 fuzz/long-run.sh
#   FUZZ_SANITIZER=none FUZZ_TARGET_DIR=/tmp/preflight-fuzz-none fuzz/long-run.sh
#   FUZZ_ARGS=-entropic=0 fuzz/long-run.sh mutated_examples
set -uo pipefail
cd "$(dirname "$0")"
runs="${RUNS:-10000000}"
seconds="${SECONDS_PER_TARGET:-0}"
target_dir="${FUZZ_TARGET_DIR:-/tmp/preflight-fuzz-target}"
sanitizer="${FUZZ_SANITIZER:-address}"
jobs="${JOBS:-1}"
logs="${FUZZ_LOGS:-$(mktemp -d)}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(validate mutated_examples types_roundtrip render templates http config)
nice -n 10 cargo +nightly fuzz build --target-dir "$target_dir" -s "$sanitizer" || exit 2
run_target() {
  local target=$1
  ./dict.sh "$target" > "$logs/$target.dict"
  mkdir -p "corpus/$target" "artifacts/$target"
  local args=(-runs="$runs" -dict="$logs/$target.dict" -rss_limit_mb=4096
        -timeout=30 -print_final_stats=1 -artifact_prefix="artifacts/$target/")
  [ "$seconds" -gt 0 ] && args+=(-max_total_time="$seconds")
  # shellcheck disable=SC2206 # options split on spaces, as given
  [ -n "${FUZZ_ARGS:-}" ] && args+=(${FUZZ_ARGS})
  local started
  started=$(date +%s)
  nice -n 10 cargo +nightly fuzz run --target-dir "$target_dir" -s "$sanitizer" "$target" \
    "corpus/$target" -- "${args[@]}" > "$logs/$target.log" 2>&1
  local code=$?
  local execs
  # With -fork=N the parent prints no final stats of its own (only a
  # crashed worker's): its last progress line (`#N: cov: …`) counts every
  # worker's executions.
  execs=$(grep -oE '^#[0-9]+: cov:' "$logs/$target.log" | tail -1 | tr -dc '0-9')
  [ -n "$execs" ] || execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$target.log" | grep -o '[0-9]*$' | tail -1)
  echo "$target: ${execs:-?} executions in $(( $(date +%s) - started )) s, exit $code (log $logs/$target.log)"
  if [ "$code" -ne 0 ]; then
    grep -E 'panicked at|ERROR: (libFuzzer|AddressSanitizer)|Test unit written to' "$logs/$target.log" | head -5
    return 1
  fi
}
status=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_target "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
