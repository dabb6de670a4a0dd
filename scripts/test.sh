#!/usr/bin/env bash
# Installs, builds and runs every test (CTest), then builds examples/embed against the installed
# package and runs it; then, with SANITIZE=1 (CI sets it), builds a second
# tree with AddressSanitizer + UndefinedBehaviorSanitizer and runs the tests there too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j2)
scripts/embed-example.sh
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DSWITCHBOARD_SANITIZE=ON -DSWITCHBOARD_BENCH_PROGRAMS=OFF \
    -DSWITCHBOARD_LIBRARY=OFF
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j2)
fi
