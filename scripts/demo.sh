#!/usr/bin/env bash
# Installs, builds and runs `switchboard demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/tools/switchboard demo "$@"
