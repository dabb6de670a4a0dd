#!/usr/bin/env bash
# Memory bounded by open work: generates DAYS (default 10) days of 10,000 conversations each with
# tools/bench/memory_days.json (the demo's configuration with four times the agents, solved tickets
# closed after 4 hours and stale ones solved after 6, so the open work is the same every evening),
# feeds them to the engine and prints one JSON line per day (tools/bench/memory_days.cpp says what
# each figure is). Extra arguments go to memory_days (for example --write-buffer-mib 16).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
bin="${BUILD_DIR:-build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin"/tools/switchboard generate --day --seed 5 --conversations 10000 --days "${DAYS:-10}" \
  --config tools/bench/memory_days.json > "$work/days.jsonl"
"$bin"/tools/bench/memory_days --in "$work/days.jsonl" --config tools/bench/memory_days.json \
  --db "$work/db" "$@"
