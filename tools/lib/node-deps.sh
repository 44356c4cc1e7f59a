#!/usr/bin/env bash
# Installs the workspace's npm packages exactly as package-lock.json pins them (sourced by test.sh and quickstart.sh).
#
# Why `npm install` and not `npm ci`: the lock file cannot list the other platforms' optional native packages of
# nx and @swc/core (the registry mirror lacks those versions), and `npm ci` refuses a lock without them. `npm install`
# installs the locked versions; the check after it fails if it had to change the lock, so nothing floats.
install_node_deps() {
  if [[ -d node_modules && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "✓ node_modules up to date"
    return 0
  fi
  local before
  before=$(sha256sum package-lock.json)
  npm install --no-audit --no-fund || return 1
  if [[ "$(sha256sum package-lock.json)" != "$before" ]]; then
    echo "npm install changed package-lock.json: package.json and the lock file disagree; run npm install and commit the lock." >&2
    return 1
  fi
}
