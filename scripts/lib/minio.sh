#!/usr/bin/env bash
# Starts a throwaway MinIO (a real S3 server) on 127.0.0.1 for the test run and
# exports where it is for the S3 blob store tests. MinIO is built from source
# with `go install` through the Go module proxy the first time and cached
# outside the checkout, so later runs start it in a second.
#
# Needs `log` (scripts/lib/bootstrap.sh) and Node on PATH.

# A commit of github.com/minio/minio, as Go pseudo-version; MinIO tags its
# releases RELEASE.<date>, which Go modules cannot address directly. It needs
# Go 1.24 or newer.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dataflex/minio/$MINIO_VERSION"
MINIO_TEST_BUCKET="dataflex-test"

ensure_minio_binary() {
  local bin="$MINIO_CACHE_DIR/minio"
  if [[ -x "$bin" ]]; then
    return
  fi
  # Go's official tarball installs outside the default PATH.
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "The S3 tests need MinIO, built from source with Go, but 'go' is not on PATH." >&2
    echo "Install Go 1.24 or newer (https://go.dev/dl/), or put a MinIO server binary at $bin, and re-run." >&2
    exit 1
  fi
  mkdir -p "$MINIO_CACHE_DIR"
  # Concurrent test runs wait for one build instead of compiling twice.
  exec {minio_lock}>"$MINIO_CACHE_DIR/.lock"
  flock "$minio_lock"
  if [[ ! -x "$bin" ]]; then
    log "Building MinIO $MINIO_VERSION with $(go version | awk '{print $3}') (first run only; takes several minutes)"
    local build_dir
    build_dir="$(mktemp -d "$MINIO_CACHE_DIR/build.XXXXXX")"
    if ! GOBIN="$build_dir" go install "github.com/minio/minio@$MINIO_VERSION" >"$build_dir/build.log" 2>&1; then
      tail -n 30 "$build_dir/build.log" >&2
      echo "Could not build MinIO with 'go install github.com/minio/minio@$MINIO_VERSION' (log above; GOPROXY is $(go env GOPROXY))" >&2
      exit 1
    fi
    mv "$build_dir/minio" "$bin"
    rm -rf "$build_dir"
  fi
  flock -u "$minio_lock"
  exec {minio_lock}>&-
}

random_hex() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

start_minio() {
  ensure_minio_binary
  MINIO_TMP_DIR="$(mktemp -d -t dataflex-minio.XXXXXX)"
  local port access_key secret_key endpoint
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  access_key="dataflex-$(random_hex 6)"
  secret_key="$(random_hex 20)"
  endpoint="http://127.0.0.1:$port"

  MINIO_ROOT_USER="$access_key" MINIO_ROOT_PASSWORD="$secret_key" \
    MINIO_BROWSER=off MINIO_UPDATE=off \
    "$MINIO_CACHE_DIR/minio" server --quiet --address "127.0.0.1:$port" \
    "$MINIO_TMP_DIR/data" >"$MINIO_TMP_DIR/server.log" 2>&1 &
  MINIO_PID=$!

  local tries=0
  until curl -fsS -o /dev/null "$endpoint/minio/health/live" 2>/dev/null; do
    if ! kill -0 "$MINIO_PID" 2>/dev/null || ((++tries > 150)); then
      cat "$MINIO_TMP_DIR/server.log" >&2
      echo "MinIO did not become ready on $endpoint (server log above)" >&2
      stop_minio
      exit 1
    fi
    sleep 0.2
  done

  export DATAFLEX_TEST_S3_ENDPOINT="$endpoint"
  export DATAFLEX_TEST_S3_ACCESS_KEY="$access_key"
  export DATAFLEX_TEST_S3_SECRET_KEY="$secret_key"
  export DATAFLEX_TEST_S3_BUCKET="$MINIO_TEST_BUCKET"
  export DATAFLEX_REQUIRE_S3=1
  create_minio_test_bucket
  log "MinIO $MINIO_VERSION listening on 127.0.0.1:$port (bucket $MINIO_TEST_BUCKET)"
}

# Creates the test bucket through the S3 API with the SDK the backend uses,
# which also proves the generated credentials work.
create_minio_test_bucket() {
  (cd "$DATAFLEX_ROOT/plugins/dataflex-backend" && node -e '
    const { S3Client, CreateBucketCommand } = require("@aws-sdk/client-s3");
    const env = process.env;
    new S3Client({
      endpoint: env.DATAFLEX_TEST_S3_ENDPOINT,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: {
        accessKeyId: env.DATAFLEX_TEST_S3_ACCESS_KEY,
        secretAccessKey: env.DATAFLEX_TEST_S3_SECRET_KEY,
      },
    })
      .send(new CreateBucketCommand({ Bucket: env.DATAFLEX_TEST_S3_BUCKET }))
      .catch(error => {
        console.error(`Could not create the MinIO test bucket: ${error}`);
        process.exit(1);
      });
  ') || {
    stop_minio
    exit 1
  }
}

stop_minio() {
  if [[ -n "${MINIO_PID:-}" ]]; then
    kill "$MINIO_PID" 2>/dev/null || true
    wait "$MINIO_PID" 2>/dev/null || true
    MINIO_PID=""
  fi
  if [[ -n "${MINIO_TMP_DIR:-}" ]]; then
    rm -rf "$MINIO_TMP_DIR"
    MINIO_TMP_DIR=""
  fi
}
