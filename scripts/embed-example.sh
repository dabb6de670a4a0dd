#!/usr/bin/env bash
# Installs the build (BUILD_DIR, default build) into a temporary prefix, builds examples/embed against
# the installed CMake package and runs it, then compiles the same program with pkg-config: what a
# user embedding Switchboard does. Fails when any step does.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BUILD_DIR:-build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$bin" --prefix "$work/prefix" --component library >/dev/null
cmake -S examples/embed -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib" "$work/build/embed" "$work/db" | grep -q '"type":"ticket.created"'
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" c++ examples/embed/main.cpp -o "$work/embed-pc" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs switchboard)
LD_LIBRARY_PATH="$work/prefix/lib" "$work/embed-pc" "$work/db2" | grep -q '"type":"ticket.created"'
echo "embed: built against the installed package (CMake and pkg-config) and ran"
