#!/usr/bin/env bash
# Builds packages/app when its sources, or those of the frontend plugins it
# bundles, changed since the last build. The backend serves the result.

app_sources_digest() {
  (
    cd "$DATAFLEX_ROOT"
    {
      cat yarn.lock
      find packages/app plugins -path '*/node_modules' -prune -o -path '*/dist*' -prune \
        -o -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.json' -o -name '*.html' \
        -o -name '*.css' -o -name '*.svg' -o -name '*.png' -o -name '*.ico' \) -print |
        LC_ALL=C sort | xargs sha256sum
    } | sha256sum | cut -d' ' -f1
  )
}

build_app_if_changed() {
  local stamp="$DATAFLEX_ROOT/packages/app/dist/.dataflex-build-stamp"
  local digest
  digest="$(app_sources_digest)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
    return
  fi
  log "Building the app (packages/app)…"
  local build_log
  build_log="$(mktemp -t dataflex-app-build.XXXXXX)"
  if ! (cd "$DATAFLEX_ROOT/packages/app" && backstage-cli package build) >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    echo "Building the app failed (output above)" >&2
    return 1
  fi
  rm -f "$build_log"
  echo "$digest" >"$stamp"
}
