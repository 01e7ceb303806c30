#!/usr/bin/env bash
# The events benchmark: starts a throwaway PostgreSQL and Kafka broker on
# 127.0.0.1 (as the test command does, scripts/lib/postgres.sh and
# scripts/lib/kafka.sh) and runs bench/events/outbox.ts against them.
# BENCH_EVENTS_COUNT (default 20000), BENCH_EVENTS_WRITERS (8),
# BENCH_EVENTS_RATE (200 per second) and BENCH_EVENTS_SECONDS (20) set the
# sizes.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/bootstrap.sh"
source "$DATAFLEX_ROOT/scripts/lib/postgres.sh"
source "$DATAFLEX_ROOT/scripts/lib/kafka.sh"

cleanup() {
  stop_kafka
  stop_postgres
}

bootstrap
trap cleanup EXIT
start_postgres
start_kafka
# The benchmark imports DataFlex's TypeScript sources directly.
node --require "$DATAFLEX_ROOT/node_modules/@backstage/cli/config/nodeTransform.cjs" \
  "$DATAFLEX_ROOT/bench/events/outbox.ts" "$@"
