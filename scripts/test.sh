#!/usr/bin/env bash
# Runs every test of the repository: formatting, type check, lint, unit and
# integration tests (against real SQLite, a throwaway PostgreSQL, a MinIO S3
# server and a Kafka broker on 127.0.0.1), then starts the portal and
# smoke-tests it. Exits non-zero on the first failing step.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$DATAFLEX_ROOT/scripts/lib/postgres.sh"
source "$DATAFLEX_ROOT/scripts/lib/minio.sh"
source "$DATAFLEX_ROOT/scripts/lib/kafka.sh"
source "$DATAFLEX_ROOT/scripts/lib/app-build.sh"

REPORT_DIR="$DATAFLEX_ROOT/test-results"

step() {
  local name="$1"
  shift
  log "── $name"
  local started=$SECONDS
  "$@"
  log "   $name passed in $((SECONDS - started)) s"
}

cleanup() {
  stop_postgres
  stop_minio
  stop_kafka
}
trap cleanup EXIT

bootstrap
cd "$DATAFLEX_ROOT"
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

step "Formatting (prettier)" prettier --check --loglevel warn .
step "Type check (tsc)" tsc
step "Lint (eslint)" backstage-cli repo lint

# Before the services: the reliability suite starts the portal, which needs it.
step "Build the app" build_app_if_changed

start_postgres
start_minio
start_kafka
# The PostgreSQL above replaces the Docker containers TestDatabases would start.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
step "Unit and integration tests (jest)" env CI=true backstage-cli repo test \
  --json --outputFile="$REPORT_DIR/jest.json"
step "Reliability suite (crash, concurrency, leaks, fuzzing, load)" node reliability/run.mjs
stop_postgres
stop_minio
stop_kafka

step "Portal smoke test" node scripts/smoke-test.mjs
step "Browser test (Chromium): sign in, catalog, sign out" node e2e/sign-in.mjs
step "Browser test (Chromium): browse, search, dataset, demo" node e2e/browse.mjs
step "Browser test (Chromium): access request, approval, download" node e2e/access-requests.mjs

node scripts/test-summary.mjs "$REPORT_DIR"
