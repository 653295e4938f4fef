#!/usr/bin/env bash
# Rebuilds fuzz/corpus/ from the repository's inputs: writes every target's
# seeds (examples, rule cases, templates, preflight.toml files, raw HTTP
# requests; fuzz/harness/tests/seed_corpus.rs) beside the corpus, then keeps
# only the inputs that add coverage (`cargo fuzz cmin`, nightly), and of
# those the ones up to MAX_INPUT bytes (default 4096: the corpus stays small;
# the fuzzers grow inputs themselves).
#   fuzz/seed-corpus.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
target_dir="${FUZZ_TARGET_DIR:-/tmp/preflight-fuzz-target}"
sanitizer="${FUZZ_SANITIZER:-address}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PREFLIGHT_SEED_DIR="$work/seeds" cargo test --manifest-path ../Cargo.toml \
  -p preflight-fuzz-harness --test seed_corpus -- --ignored --quiet
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls "$work/seeds"))
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  cp "$work/seeds/$target"/* "corpus/$target/"
  ./dict.sh "$target" > "$work/$target.dict"
  cargo +nightly fuzz cmin --target-dir "$target_dir" -s "$sanitizer" "$target" "corpus/$target" \
    -- -dict="$work/$target.dict" -rss_limit_mb=4096
  find "corpus/$target" -type f -size +"${MAX_INPUT:-4096}"c -delete
done
du -sh corpus
