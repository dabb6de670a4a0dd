#!/usr/bin/env bash
# Installs, builds and runs every test (CTest), then builds examples/embed against the installed
# package and runs it. With SANITIZE=1 (CI sets it) every test runs once, in a second tree built
# with AddressSanitizer + UndefinedBehaviorSanitizer, and the first tree builds only the library
# the embed example installs and links: building and running the tests twice would double CI's
# time for little (the sanitized run checks everything the plain one does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "${SANITIZE:-0}" = 1 ]; then
  TARGET=switchboard_engine scripts/build.sh -DBUILD_TESTING=OFF -DSWITCHBOARD_BENCH_PROGRAMS=OFF
else
  scripts/build.sh -DBUILD_TESTING=ON -DSWITCHBOARD_BENCH_PROGRAMS=ON
  (cd build && ctest --output-on-failure -j2)
fi
scripts/embed-example.sh
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DSWITCHBOARD_SANITIZE=ON -DSWITCHBOARD_BENCH_PROGRAMS=OFF \
    -DSWITCHBOARD_LIBRARY=OFF
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j2)
fi
