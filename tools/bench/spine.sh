#!/usr/bin/env bash
# Measures the spine (issue 2): `switchboard run` durable ingest of a seeded 100,000-command workload
# against the limit (the same events written straight to RocksDB, one synced WriteBatch per 1,000),
# plus replay and verify of the resulting log. Three runs each; prints every run, then the medians.
#   bench/spine.sh [BUILD_DIR] [COMMANDS]
set -euo pipefail
build=${1:-build}
commands=${2:-100000}
sb=$build/tools/switchboard
work=$(mktemp -d /tmp/switchboard-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
$sb generate --commands "$commands" --config-out "$work/config.json" > "$work/input.jsonl"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }

for durability in sync buffered; do
  : > "$work/$durability.times"
  for i in 1 2 3; do
    rm -rf "$work/db"
    t=$(seconds $sb run --db "$work/db" --config "$work/config.json" --in "$work/input.jsonl" --durability $durability)
    echo "run --durability $durability: $t s"
    echo "$t" >> "$work/$durability.times"
  done
done
events=$($sb query --db "$work/db" ticket 1 >/dev/null && $sb replay --db "$work/db" --verify | awk '{print $2}')

: > "$work/limit.rates"
for i in 1 2 3; do
  rm -rf "$work/raw"
  line=$($build/bench/ingest_limit --from "$work/db" --to "$work/raw" --batch 1000)
  echo "limit: $line"
  echo "$line" | sed 's/.*"events_per_s":\([0-9]*\).*/\1/' >> "$work/limit.rates"
done
: > "$work/replay.times"; : > "$work/verify.times"
for i in 1 2 3; do
  seconds $sb replay --db "$work/db" >> "$work/replay.times"
  seconds $sb replay --db "$work/db" --verify >> "$work/verify.times"
done

sync=$(median < "$work/sync.times"); buffered=$(median < "$work/buffered.times")
limit=$(median < "$work/limit.rates")
replay=$(median < "$work/replay.times"); verify=$(median < "$work/verify.times")
awk -v c="$commands" -v e="$events" -v s="$sync" -v b="$buffered" -v l="$limit" -v r="$replay" -v v="$verify" 'BEGIN {
  printf "\n| measure | value |\n| --- | --- |\n";
  printf "| commands / events | %d / %d |\n", c, e;
  printf "| run, sync: commands/s | %.0f |\n| run, sync: events/s | %.0f |\n", c/s, e/s;
  printf "| run, buffered: commands/s | %.0f |\n| run, buffered: events/s | %.0f |\n", c/b, e/b;
  printf "| limit (raw RocksDB, 1,000 per synced batch): events/s | %.0f |\n", l;
  printf "| engine / limit (sync) | %.2f |\n", (e/s)/l;
  printf "| replay (rebuild all records): events/s | %.0f |\n| replay --verify: events/s | %.0f |\n", e/r, e/v;
}'
