#!/usr/bin/env bash
# The README's first command. Sets up the container toolchain, starts local-ecr (ECR on 127.0.0.1, no AWS account),
# builds the agent services for linux/arm64 and pushes them with `nx run-many -t ecr-push`, then prints the pushed
# image URIs and the summary table. A machine that cannot pull the services' base images or reach PyPI gets the
# same pipeline on an offline sample service (base assembled locally from Debian packages) instead, and is told so.
# Idempotent: a second run builds and uploads nothing that local-ecr already holds.
#
# Usage: tools/quickstart.sh [--offline]      (--offline: skip the probe and use the offline sample)
# Env:   LOCAL_ECR_PORT (default 5100), LOCAL_ECR_STATE_DIR (default ~/.local-ecr), QUICKSTART_PROBE_TIMEOUT (10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The agent-service images: the four template services (langfuse is two images: web and worker).
SERVICE_DIRS=(apps/aws-agent-core apps/langgraph apps/snowflake-cortex apps/langfuse apps/langfuse/worker)
SERVICES=(aws-agent-core langgraph snowflake-cortex langfuse langfuse-worker)
SAMPLE=offline-sample
SAMPLE_WORKSPACE="$root/tmp/quickstart/workspace"
# Built by tools/toolchain/base-images.sh from Debian bookworm arm64 packages: python3, fastapi, uvicorn.
OFFLINE_BASE="127.0.0.1:${TOOLCHAIN_REGISTRY_PORT:-5000}/base/python:3.11-arm64"
PROBE_TIMEOUT="${QUICKSTART_PROBE_TIMEOUT:-10}"
PYPI_URL="https://pypi.org/simple/pip/"

force_offline=0
case "${1:-}" in
  "") ;;
  --offline) force_offline=1 ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "quickstart: unknown argument '$1' (use --offline or nothing)" >&2; exit 2 ;;
esac

t0=$SECONDS
step() { printf '\n\033[1m▶ %s\033[0m  (%d s)\n' "$*" "$((SECONDS - t0))"; }
fail() { printf '✗ %s\n' "$*" >&2; exit 1; }
nx() { NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true "$root/node_modules/.bin/nx" "$@"; }
if [[ "$(node -p 'process.versions.node.split(".")[0]')" == 20 ]]; then
  # On Node 20 the AWS SDK warns in every task that it needs Node 22 from January 2027: say it once instead.
  echo "! Node $(node --version): supported until the AWS SDK drops it (January 2027); use Node 22 or 24 LTS."
  export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
fi

step "Node dependencies"
# shellcheck source=tools/lib/node-deps.sh
source tools/lib/node-deps.sh
install_node_deps || fail "npm ci failed: fix the error above and re-run."

step "Container toolchain (engine, buildx, QEMU arm64, local base registry)"
bash tools/toolchain/setup.sh || fail "tools/toolchain/setup.sh failed (see above); fix it and re-run this script."
bash tools/toolchain/base-images.sh || fail "tools/toolchain/base-images.sh failed (see above); fix it and re-run this script."

step "local-ecr (an ECR-compatible endpoint on 127.0.0.1)"
# Only local-ecr's dummy credentials reach the plugin: never a profile, session token or endpoint of the caller.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_ECR AWS_ENDPOINT_URL_STS AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
start_args=(start)
[[ -n "${LOCAL_ECR_PORT:-}" ]] && start_args+=(--port "$LOCAL_ECR_PORT")
env_line=$(node packages/local-ecr/bin/local-ecr.js "${start_args[@]}") || fail "local-ecr did not start (see the line above)."
[[ "$env_line" == "export AWS_ENDPOINT_URL="* ]] || fail "local-ecr printed an unexpected environment line: $env_line"
eval "$env_line"
echo "✓ AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_REGION=$AWS_REGION (dummy credentials)"

# The base images the four services build FROM (each Dockerfile's ARG BASE_IMAGE default), deduplicated.
service_bases() {
  local dir
  for dir in "${SERVICE_DIRS[@]}"; do
    sed -n 's/^ARG BASE_IMAGE=//p' "$dir/Dockerfile" | head -n1
  done | sort -u
}

unreachable=()
if ((force_offline)); then
  unreachable+=("nothing probed (--offline)")
else
  step "Online check: base images and PyPI (${PROBE_TIMEOUT} s each)"
  while read -r base; do
    [[ -n "$base" ]] || continue
    timeout "$PROBE_TIMEOUT" docker buildx imagetools inspect "$base" >/dev/null 2>&1 || unreachable+=("$base")
  done < <(service_bases)
  curl -fsS -m "$PROBE_TIMEOUT" -o /dev/null "$PYPI_URL" 2>/dev/null || unreachable+=("PyPI ($PYPI_URL)")
fi

START=$(date -u +%FT%TZ)
if ((${#unreachable[@]} == 0)); then
  echo "✓ base images and PyPI reachable: building ${SERVICES[*]}"
  step "nx run-many -t ecr-push -p $(IFS=,; echo "${SERVICES[*]}")"
  nx run-many -t ecr-push -p "$(IFS=,; echo "${SERVICES[*]}")" --outputStyle=stream ||
    fail "nx run-many -t ecr-push failed (see the task output above)."
  records_root="$root"
else
  reason=$(printf '%s, ' "${unreachable[@]}")
  reason="cannot reach ${reason%, }"
  ((force_offline)) && reason="--offline given"
  echo "OFFLINE: $reason — the four services are NOT built; running the same pipeline on an offline sample service ($SAMPLE, FROM $OFFLINE_BASE) instead."

  step "Offline sample: scratch copy of this workspace in ${SAMPLE_WORKSPACE#"$root"/}"
  node tools/lib/scratch-workspace.mjs "$SAMPLE_WORKSPACE" >/dev/null
  (
    cd "$SAMPLE_WORKSPACE"
    nx g agent-service "$SAMPLE" --template=aws-agent-core --baseImage="$OFFLINE_BASE" --no-interactive >/dev/null ||
      fail "nx g agent-service $SAMPLE failed in $SAMPLE_WORKSPACE: run it there by hand to see why."
    # OFFLINE=true (docs/generators/agent-service.md): fastapi/uvicorn come from the base, nothing from PyPI.
    node -e '
      const fs = require("node:fs");
      const file = process.argv[1];
      const project = JSON.parse(fs.readFileSync(file, "utf8"));
      const build = project.targets["docker-build"];
      build.options = { ...build.options, buildArgs: { OFFLINE: "true" } };
      fs.writeFileSync(file, JSON.stringify(project, null, 2) + "\n");
    ' "apps/$SAMPLE/project.json"
  )
  node "$root/tools/lib/scratch-workspace.mjs" commit "$SAMPLE_WORKSPACE" "offline sample service" >/dev/null
  echo "✓ generated apps/$SAMPLE (template aws-agent-core, BASE_IMAGE=$OFFLINE_BASE, OFFLINE=true)"

  step "nx run-many -t ecr-push -p $SAMPLE (in the scratch workspace)"
  (cd "$SAMPLE_WORKSPACE" && nx run-many -t ecr-push -p "$SAMPLE" --outputStyle=stream) ||
    fail "nx run-many -t ecr-push failed in $SAMPLE_WORKSPACE (see the task output above)."
  records_root="$SAMPLE_WORKSPACE"
fi

step "Pushed images"
node packages/nx-agent-ecr/bin/summary.js --since "$START" --root "$records_root"

cat <<EOF

Done in $((SECONDS - t0)) s. local-ecr keeps running at $AWS_ENDPOINT_URL (state in ${LOCAL_ECR_STATE_DIR:-~/.local-ecr}).
  Use it from a shell:  eval "\$(npx local-ecr env)"; aws ecr describe-images --repository-name <repository>
  Stop it:              npx local-ecr stop
EOF
if ((${#unreachable[@]} > 0)); then
  echo "  Reminder: offline run — only the sample service was built and pushed, not ${SERVICES[*]}."
fi
