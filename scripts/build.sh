#!/usr/bin/env bash
# Configures and builds into BUILD_DIR (default: build) with Ninja, two jobs. Extra arguments go to
# CMake, e.g. -DSWITCHBOARD_SANITIZE=ON; TARGET builds that target alone (default: everything).
# Re-running only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j2 ${TARGET:+--target "$TARGET"}
