#!/usr/bin/env bash
# Installs the workspace's npm packages exactly as package-lock.json pins them, with `npm ci` (sourced by test.sh
# and quickstart.sh). The lock lists every platform's optional native packages, so `npm ci` works on any machine.
#
# A clean install takes ~30 s; it is skipped when node_modules was installed by this function from the same lock
# (a stamp holds the lock's hash). When the registry cannot serve a locked package, the error names it.
install_node_deps() {
  local stamp=node_modules/.nx-agent-ecr-lock.sha256 want log rc
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ -f node_modules/.linked-from ]]; then
    # A scratch copy of the workspace (tools/lib/scratch-workspace.mjs) links the real node_modules: npm ci here would
    # empty the real one through the links.
    echo "✓ node_modules is linked from $(cat node_modules/.linked-from): not reinstalling"
    return 0
  fi
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "✓ node_modules installed from this package-lock.json"
    # npm ci's "prepare" compiles the plugin; a checkout that pulled new sources since needs it too (incremental).
    node packages/nx-agent-ecr/scripts/compile.cjs
    return
  fi
  log=$(mktemp)
  npm ci --no-audit --no-fund 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if ((rc != 0)); then
    explain_npm_ci_failure "$log" >&2
    rm -f "$log"
    return "$rc"
  fi
  rm -f "$log"
  printf '%s\n' "$want" >"$stamp"
}

# One line that says which locked package could not be had, from where, and what to do.
explain_npm_ci_failure() {
  local log=$1 registry pkg
  registry=$(npm config get registry 2>/dev/null)
  # npm prints e.g. "npm error 404  The requested resource '@nx/nx-darwin-arm64@24.0.6' could not be found …",
  # "npm error 404 Not Found - GET https://…/@nx%2fnx-darwin-arm64 - Not found" or
  # "npm error notarget No matching version found for @swc/core@1.16.22."
  pkg=$(grep -oE "requested resource '[^']+'" "$log" | head -n1 | sed -E "s/.*'([^']+)'/\1/")
  [[ -n "$pkg" ]] || pkg=$(grep -oE "No matching version found for [^ ]+[^. ]" "$log" | head -n1 | sed 's/.* for //')
  if [[ -z "$pkg" ]]; then
    pkg=$(grep -oE "(404|E404).* GET [^ ]+" "$log" | head -n1 | sed -E 's#.* GET ##; s#%2[fF]#/#g; s#^https?://[^/]+/##')
  fi
  if grep -q "can only install packages when your package.json and package-lock.json" "$log"; then
    echo "✗ npm ci: package.json and package-lock.json disagree ($(grep -m1 -oE 'Missing: [^ ]+ from lock file|Invalid: lock file.*' "$log")). Run 'npm install' and commit package-lock.json."
  elif [[ -n "$pkg" ]]; then
    echo "✗ npm ci: the registry $registry cannot serve the locked package '$pkg'. Check that the registry (or its mirror) carries it; if it was unpublished, run 'npm install' to re-resolve the lock and commit package-lock.json."
  else
    echo "✗ npm ci failed (see npm's output above): is the registry $registry reachable?"
  fi
}
