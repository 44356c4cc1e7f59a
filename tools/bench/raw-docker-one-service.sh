#!/usr/bin/env bash
# Raw docker, one service (the floor for `nx affected`): plain buildx build + push of one service, already logged in.
# Usage: tools/bench/raw-docker-one-service.sh <registry-host> <service>   (run from the workspace root)
# Env: PROJECT_NAME, ENVIRONMENT (default dev), DOCKER_CONFIG (logged in to <registry-host>), BUILD_ARGS.
set -euo pipefail

registry="${1:?usage: raw-docker-one-service.sh <registry-host> <service>}"
service="${2:?usage: raw-docker-one-service.sh <registry-host> <service>}"
repo="${PROJECT_NAME:?set PROJECT_NAME}-${ENVIRONMENT:-dev}-$service"
build_args=()
for arg in ${BUILD_ARGS:-}; do build_args+=(--build-arg "$arg"); done
context="apps/$service"
[[ -f "apps/$service/Dockerfile.dockerignore" ]] && context=.

docker buildx build --platform linux/arm64 --load "${build_args[@]}" \
  -f "apps/$service/Dockerfile" -t "$registry/$repo:latest" -t "$registry/$repo:$(git rev-parse --short HEAD)" "$context"
docker push --all-tags "$registry/$repo"
