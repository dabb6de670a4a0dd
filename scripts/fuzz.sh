#!/usr/bin/env bash
# Installs clang and libFuzzer, builds the fuzz targets of tests/fuzz (clang, ASan + UBSan) into
# BUILD_DIR (default: build-fuzz) and runs each for FUZZ_SECONDS (default: 60), both at once, one per
# core. Each run starts from the seed corpus and the regression inputs of tests/fuzz and writes only
# to a fresh scratch folder in the build directory, so the repository is never changed. Exits
# non-zero when a target crashes, leaks, times out or runs out of memory, naming the input that did
# it: copy that file into tests/fuzz/regressions/TARGET/ so the regression suite replays it for good.
# Arguments name the targets to run (command, config; default: both).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang libclang-rt-14-dev llvm-14  # llvm-14: the symbolizer, for readable stacks
build_dir=${BUILD_DIR:-build-fuzz}
BUILD_DIR=$build_dir scripts/build.sh -DSWITCHBOARD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++

seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(command config)
run_dir=$(mktemp -d "$build_dir/run.XXXXXX")
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
export ASAN_SYMBOLIZER_PATH=$symbolizer
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The largest input each target makes up: a command line is short, a configuration document is not.
max_len() { case $1 in command) echo 4096 ;; *) echo 16384 ;; esac; }

for t in "${targets[@]}"; do
  [ -d "tests/fuzz/corpus/$t" ] || { echo "fuzz: unknown target \"$t\" (expected command or config)" >&2; exit 2; }
done

pids=()
for t in "${targets[@]}"; do
  mkdir -p "$run_dir/$t/corpus" "$run_dir/$t/crashes"
  seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
  "$build_dir/tests/fuzz/fuzz_$t" "$run_dir/$t/corpus" "${seeds[@]}" -dict="tests/fuzz/$t.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -artifact_prefix="$run_dir/$t/crashes/" -print_final_stats=1 >"$run_dir/$t/log" 2>&1 &
  pids+=($!)
done

passed=0
failed=0
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  if wait "${pids[$i]}"; then
    passed=$((passed + 1))
    runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$run_dir/$t/log")
    echo "fuzz_$t: no crash in ${seconds} s (${runs:-?} inputs run, $(find "$run_dir/$t/corpus" -type f | wc -l) new corpus inputs)"
  else
    failed=$((failed + 1))
    echo "fuzz_$t: FAILED; its report (whole log: $run_dir/$t/log):"
    report=$(sed -n '/ERROR: \|^ParseCommand: \|^ParseConfiguration: \|ALARM: \|out-of-memory/,$p' "$run_dir/$t/log")
    if [ -n "$report" ]; then head -n 80 <<<"$report"; else tail -n 40 "$run_dir/$t/log"; fi
    for input in "$run_dir/$t/crashes/"*; do
      if [ -e "$input" ]; then echo "fuzz_$t: crashing input: $input (keep it in tests/fuzz/regressions/$t/)"; fi
    done
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
