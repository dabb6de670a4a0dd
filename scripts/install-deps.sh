#!/usr/bin/env bash
# Installs the Debian packages Switchboard builds with, plus any given as arguments (scripts/bench.sh
# adds the peers'). Idempotent: installs only what is missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libcaf-dev librocksdb-dev libflatbuffers-dev flatbuffers-compiler
  libboost-test-dev libboost-serialization-dev zlib1g-dev libssl-dev nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev libbenchmark-dev libicu-dev
  chromium  # headless, for tests/tools/serve/page_test.cpp (the supervisor page)
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
