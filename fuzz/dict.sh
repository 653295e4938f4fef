#!/usr/bin/env bash
# The dictionary of one target on standard output: JSON's tokens and the
# schemas' keys and enum values for every target, HTTP's for `http`,
# preflight.toml's for `config` (libFuzzer takes one -dict).
#   fuzz/dict.sh TARGET > target.dict
set -euo pipefail
cd "$(dirname "$0")/dict"
cat json.dict schemas.dict
case "${1:-}" in
  http) cat http.dict ;;
  config) cat toml.dict ;;
esac
