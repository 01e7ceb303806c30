#!/usr/bin/env bash
# Starts DataFlex on embedded defaults: http://localhost:7007 serves both the
# API and the app. Data (SQLite files, blobs) lives in $DATAFLEX_DATA_DIR,
# .data/ by default, and survives restarts. Safe to run again: it only
# installs or rebuilds what changed.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$DATAFLEX_ROOT/scripts/lib/app-build.sh"

bootstrap
export DATAFLEX_DATA_DIR="${DATAFLEX_DATA_DIR:-$DATAFLEX_ROOT/.data}"
mkdir -p "$DATAFLEX_DATA_DIR"

build_app_if_changed

# Loads the examples' sample files once the backend answers (idempotent).
if [[ "${DATAFLEX_SEED_SAMPLES:-1}" != "0" ]]; then
  node "$DATAFLEX_ROOT/scripts/seed-samples.mjs" "${APP_CONFIG_backend_baseUrl:-http://localhost:7007}" &
fi

log "Starting DataFlex on ${APP_CONFIG_backend_baseUrl:-http://localhost:7007} (data in $DATAFLEX_DATA_DIR)"
cd "$DATAFLEX_ROOT/packages/backend"
exec backstage-cli package start
