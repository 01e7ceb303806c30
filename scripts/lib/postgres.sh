#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the test run and
# exports the connection string Backstage's TestDatabases reads. Installs
# Debian's postgresql package first when no server binaries are present.

find_pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install_postgres() {
  log "PostgreSQL server not found; installing Debian's postgresql package"
  if [[ $EUID -ne 0 ]]; then
    echo "Installing PostgreSQL needs root (apt-get); install the 'postgresql' package and re-run" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# initdb and postgres refuse to run as root; use the package's service user.
as_pg_user() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bindir port
  bindir="$(find_pg_bindir)" || {
    install_postgres
    bindir="$(find_pg_bindir)"
  }
  PG_TMP_DIR="$(mktemp -d -t dataflex-pg.XXXXXX)"
  chmod 755 "$PG_TMP_DIR"
  [[ $EUID -eq 0 ]] && chown postgres "$PG_TMP_DIR"
  port="$(free_port)"
  as_pg_user "$bindir/initdb" -D "$PG_TMP_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_pg_user "$bindir/pg_ctl" -D "$PG_TMP_DIR/data" -l "$PG_TMP_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP_DIR -c fsync=off -c max_connections=200" \
    start >/dev/null
  PG_BINDIR="$bindir"
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$port"
  export DATAFLEX_REQUIRE_POSTGRES=1
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port"
}

stop_postgres() {
  if [[ -n "${PG_TMP_DIR:-}" && -d "$PG_TMP_DIR/data" ]]; then
    as_pg_user "$PG_BINDIR/pg_ctl" -D "$PG_TMP_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP_DIR"
  fi
}
