#!/usr/bin/env bash
# The upload benchmark: starts a throwaway MinIO on 127.0.0.1 (as the test
# command does, scripts/lib/minio.sh) and runs bench/upload/run.mjs against
# it. BENCH_UPLOAD_MIB sets the file size (default 1024).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/bootstrap.sh"
source "$DATAFLEX_ROOT/scripts/lib/minio.sh"

bootstrap
start_minio
trap stop_minio EXIT
node "$DATAFLEX_ROOT/bench/upload/run.mjs" "$@"
