#!/usr/bin/env bash
# The workspace's one test command (README, CI): installs what the tests need, runs every suite, and ends with
# the line "N passed, N failed". Exits non-zero on any failure, including a toolchain that cannot be set up.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
results="$root/tmp/test-results"
rm -rf "$results" && mkdir -p "$results"
failures=()

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

step "Node dependencies (locked versions)"
# shellcheck source=tools/lib/node-deps.sh
source tools/lib/node-deps.sh
install_node_deps || { echo "Installing the workspace's npm packages failed: the tests cannot run without them." >&2; echo "0 passed, 1 failed"; exit 1; }

step "Container toolchain (engine, buildx, QEMU, local registry)"
# Real-engine suites never skip: if the engine cannot be set up, the whole run fails here, loudly.
if ! bash tools/toolchain/setup.sh || ! bash tools/toolchain/base-images.sh; then
  echo "The container toolchain could not be set up (see the step above); the real-engine suites cannot run." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

step "Type check and lint"
npx tsc -b packages/nx-agent-ecr/tsconfig.json packages/local-ecr/tsconfig.json e2e/tsconfig.json --noEmit 2>&1 || failures+=("typecheck")
npx eslint . || failures+=("lint")
node tools/schema-types.mjs packages/nx-agent-ecr --check || failures+=("schema.d.ts out of date")

# @nx/devkit's formatFiles loads prettier with import(), which jest supports only with VM modules enabled.
export NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning ${NODE_OPTIONS:-}"
step "Unit tests (jest)"
npx jest --selectProjects nx-agent-ecr local-ecr --json --outputFile="$results/jest-unit.json" || true
[ -f "$results/jest-unit.json" ] || failures+=("unit: jest produced no result")

step "Integration and end-to-end tests (jest, real engine, one file per process)"
# One jest process per file: the suites are heavy (QEMU builds), and jest-runtime's ESM loader breaks when a
# second file in the same process imports execa dynamically after one that loaded @nx/devkit.
mapfile -t e2e_files < <(npx jest --selectProjects e2e --listTests 2>/dev/null | grep -E "\.spec\.ts$" | sort)
[ "${#e2e_files[@]}" -gt 0 ] || failures+=("no e2e test files found")
for file in "${e2e_files[@]}"; do
  name=$(basename "$file" .spec.ts)
  npx jest --selectProjects e2e --runInBand --json --outputFile="$results/jest-e2e-$name.json" "$file" || true
  [ -f "$results/jest-e2e-$name.json" ] || failures+=("e2e $name: jest produced no result")
done

step "Python service tests (nx run-many -t test)"
NX_DAEMON=false npx nx run-many -t test --projects='tag:lang:python' --skip-nx-cache --outputStyle=stream || true

node tools/test-summary.mjs "$results" "$root/dist/test-results" "${failures[@]}"
