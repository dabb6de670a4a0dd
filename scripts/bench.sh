#!/usr/bin/env bash
# Installs what the benchmark's peers need (PostgreSQL and libpq for the event-store peer, node for
# json-rules-engine, CLIPS for the second rules peer), builds, and runs `switchboard bench` (arguments
# go to it). Writes bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=(libpq-dev postgresql clips libclips-dev)
command -v node >/dev/null || extra+=(nodejs)
command -v npm >/dev/null || extra+=(npm)
scripts/install-deps.sh "${extra[@]}"
scripts/build.sh
npm install --prefix tools/bench/rules_peer --no-audit --no-fund >/dev/null
exec "${BUILD_DIR:-build}"/tools/switchboard bench "$@"
