#!/usr/bin/env bash
# BASELINE, seed style (not the plugin): log in to ECR, build EVERY service for arm64 with plain docker, tag latest + git sha, push.
# Usage: tools/bench/baseline-build-and-push.sh <service>...   (run from the workspace root)
# Env: PROJECT_NAME, ENVIRONMENT (default dev), the AWS CLI's usual variables (AWS_ENDPOINT_URL for local-ecr),
#      DOCKER_CONFIG (where docker login writes), BUILD_ARGS (extra --build-arg values, e.g. "OFFLINE=true").
set -euo pipefail

PROJECT_NAME="${PROJECT_NAME:?set PROJECT_NAME}"
ENVIRONMENT="${ENVIRONMENT:-dev}"
GIT_SHA="$(git rev-parse --short HEAD)"
build_args=()
for arg in ${BUILD_ARGS:-}; do build_args+=(--build-arg "$arg"); done

# Like the seeds: one login per run. The registry host comes from ECR's answer (works for any partition or endpoint).
REGISTRY="$(aws ecr get-authorization-token --query 'authorizationData[0].proxyEndpoint' --output text)"
REGISTRY="${REGISTRY#*://}"
aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY"

for service in "$@"; do
  repo="$PROJECT_NAME-$ENVIRONMENT-$service"
  aws ecr describe-repositories --repository-names "$repo" >/dev/null 2>&1 ||
    aws ecr create-repository --repository-name "$repo" --image-scanning-configuration scanOnPush=true >/dev/null
  # Services that COPY shared libs build from the workspace root (their Dockerfile.dockerignore is the allow-list).
  context="apps/$service"
  [[ -f "apps/$service/Dockerfile.dockerignore" ]] && context=.
  docker buildx build --platform linux/arm64 --load "${build_args[@]}" \
    -f "apps/$service/Dockerfile" -t "$service:latest" "$context"
  for tag in latest "$GIT_SHA"; do
    docker tag "$service:latest" "$REGISTRY/$repo:$tag"
    docker push "$REGISTRY/$repo:$tag"
  done
done
