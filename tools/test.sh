#!/usr/bin/env bash
# The workspace's one test command (README, CI): installs what the tests need, runs every suite, and ends with
# the line "N passed, N failed". Exits non-zero on any failure, including a toolchain that cannot be set up.
#
# Usage: tools/test.sh [--unit]
#   (default)  1. engine-free: type check, lint, unit, the engine-free e2e suites, the Python tests — seconds to
#                 minutes, before any container toolchain work, so a unit failure shows first;
#              2. the container toolchain and the real-engine suites, one jest process per file;
#              3. the other supported Node.js versions (22, 24): the engine-free suites and one real-engine
#                 pipeline test (generate → build → push → verify against local-ecr).
#   --unit     step 1 only (npm run test:unit).
# Env: TEST_NODE_VERSIONS (default "22 24"; empty skips step 3).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
results="$root/tmp/test-results"
mode=all
case "${1:-}" in
  "") ;;
  --unit) mode=unit ;;
  -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (use --unit or nothing)" >&2; exit 2 ;;
esac
rm -rf "$results" "$root/dist/test-results" && mkdir -p "$results"
failures=()

step() { printf '\n\033[1m▶ %s\033[0m  (%d s)\n' "$*" "$SECONDS"; }
summary() { node tools/test-summary.mjs --mode "$mode" "$results" "$root/dist/test-results" "${failures[@]}"; exit $?; }
# jest with its JSON result in $results/<name>.json; a missing result file is a failure of its own.
jest_json() {
  local name=$1
  shift
  npx jest --json --outputFile="$results/$name.json" "$@" || true
  [[ -f "$results/$name.json" ]] || failures+=("$name: jest produced no result")
}

step "Node dependencies (npm ci from package-lock.json)"
# shellcheck source=tools/lib/node-deps.sh
source tools/lib/node-deps.sh
install_node_deps || { echo "Installing the workspace's npm packages failed: the tests cannot run without them." >&2; echo "0 passed, 1 failed"; exit 1; }

step "Type check, lint (eslint, prettier), schema types (Node $(node --version))"
npx tsc -b packages/nx-agent-ecr/tsconfig.json packages/local-ecr/tsconfig.json e2e/tsconfig.json --noEmit 2>&1 || failures+=("typecheck")
npx eslint . || failures+=("lint")
npx prettier --check "**/*.{ts,js,mjs,cjs}" --log-level warn || failures+=("format: run npm run format")
node tools/schema-types.mjs packages/nx-agent-ecr --check || failures+=("schema.d.ts out of date")

# @nx/devkit's formatFiles loads prettier with import(), which jest supports only with VM modules enabled.
export NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning ${NODE_OPTIONS:-}"
step "Unit tests (jest: nx-agent-ecr, local-ecr)"
jest_json jest-unit --selectProjects nx-agent-ecr local-ecr

step "Engine-free e2e suites (jest: graph inference, workflow, plugin wiring)"
jest_json jest-engine-free --selectProjects e2e-engine-free

step "Python service tests (nx run-many -t test)"
if bash tools/toolchain/setup.sh python; then
  NX_DAEMON=false npx nx run-many -t test --projects='tag:lang:python' --skip-nx-cache --outputStyle=stream || true
else
  failures+=("python test packages could not be installed")
fi

[[ "$mode" == unit ]] && summary

step "Container toolchain (engine, buildx, QEMU, local registry)"
# Real-engine suites never skip: if the engine cannot be set up, the whole run fails here, loudly.
if ! bash tools/toolchain/setup.sh || ! bash tools/toolchain/base-images.sh; then
  echo "The container toolchain could not be set up (see the step above); the real-engine suites cannot run." >&2
  failures+=("container toolchain")
  summary
fi

step "Integration and end-to-end tests (jest, real engine, one file per process)"
# One jest process per file: the suites are heavy (QEMU builds), and jest-runtime's ESM loader breaks when a
# second file in the same process imports execa dynamically after one that loaded @nx/devkit.
mapfile -t e2e_files < <(npx jest --selectProjects e2e --listTests 2>/dev/null | grep -E "\.spec\.ts$" | sort)
[[ "${#e2e_files[@]}" -gt 0 ]] || failures+=("no e2e test files found")
for file in "${e2e_files[@]}"; do
  jest_json "jest-e2e-$(basename "$file" .spec.ts)" --selectProjects e2e --runInBand "$file"
done

# shellcheck source=tools/lib/node-versions.sh
source tools/lib/node-versions.sh
for major in ${TEST_NODE_VERSIONS-22 24}; do
  step "Node $major: engine-free suites and the pipeline test (generate → build → push → verify)"
  if ! dir=$(node_dir_for "$major"); then
    failures+=("Node $major could not be installed")
    continue
  fi
  echo "✓ $(PATH="$dir:$PATH" node --version) from $dir"
  PATH="$dir:$PATH" jest_json "jest-node$major-unit" --selectProjects nx-agent-ecr local-ecr e2e-engine-free
  # "-selected": a deliberate subset (its other tests are reported as skipped, which the summary allows only here).
  PATH="$dir:$PATH" jest_json "jest-node$major-e2e-pipeline-selected" --selectProjects e2e --runInBand \
    e2e/src/pipeline/pipeline.spec.ts -t '(^| )[12]\. '
done

summary
