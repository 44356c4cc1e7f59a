#!/usr/bin/env bash
# Build arm64 base images and push them to the local registry (buildx resolves
# FROM against the registry, not the local engine store).
# Usage: tools/toolchain/base-images.sh [busybox|python|all]   (default: all)
#   $REG/base/busybox:arm64       busybox-static (Debian bookworm arm64)
#   $REG/base/python:3.11-arm64   debootstrap bookworm arm64 minbase + python3,
#                                 fastapi, uvicorn, pip (rootfs tar cached)
# Env: NX_AGENT_ECR_TOOLCHAIN_STATE, TOOLCHAIN_REGISTRY_PORT, TOOLCHAIN_DEBIAN_MIRROR
# Needs: tools/toolchain/setup.sh done (engine, buildx, qemu, registry).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

WHAT="${1:-all}"
RECIPE=1 # bump to force rebuilding every image
LABEL=org.nx-agent-ecr.base.key
SUITE=bookworm
PY_INCLUDE="python3,python3-fastapi,python3-uvicorn,python3-pip,ca-certificates"
BUSYBOX_REF="$TC_REGISTRY/base/busybox:arm64"
PYTHON_REF="$TC_REGISTRY/base/python:3.11-arm64"
CACHE="$TC_STATE/cache"
WORK="$TC_STATE/work"
APT_DIR="$TC_STATE/apt-arm64"
PY_ROOT="$WORK/python-rootfs"

sha() { sha256sum | cut -c1-16; }

# Unmount whatever debootstrap may have left mounted under the rootfs.
cleanup_mounts() {
  local m
  [[ -d "$PY_ROOT" ]] || return 0
  awk -v r="$PY_ROOT/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" || true; done
}
trap cleanup_mounts EXIT

preflight() {
  step "preflight" "tools/toolchain/setup.sh"
  docker_ok || die "docker engine not reachable: run tools/toolchain/setup.sh first"
  buildx_ok || die "docker buildx missing: run tools/toolchain/setup.sh first"
  arm64_ok || die "no arm64 emulation: run tools/toolchain/setup.sh first"
  registry_ok || die "no registry on $TC_REGISTRY: run tools/toolchain/setup.sh first"
  mkdir -p "$CACHE" "$WORK"
}

# build_push <ref> <rootfs.tar.gz> <key> <extra Dockerfile lines>
# Builds FROM scratch + ADD (docker import on engine 20.10 ignores
# --platform and records amd64), skips when the local image carries the same
# key and the registry already serves that image id.
build_push() {
  local ref="$1" tarball="$2" extra="$4" id="" have="" ctx key
  key="$3-$(printf '%s' "$extra" | sha | cut -c1-8)" # Dockerfile changes count too
  step "build $ref" "docker buildx build --platform linux/arm64 --load -t $ref <ctx with Dockerfile: FROM scratch / ADD rootfs.tar.gz />; docker push $ref"
  if have="$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$ref" 2>/dev/null)" && [[ "$have" == "$key" ]]; then
    id="$(docker image inspect -f '{{.Id}}' "$ref")"
  else
    ctx="$WORK/ctx-${ref##*/}"
    rm -rf "$ctx"
    mkdir -p "$ctx"
    ln "$tarball" "$ctx/rootfs.tar.gz" 2>/dev/null || cp "$tarball" "$ctx/rootfs.tar.gz"
    printf 'FROM scratch\nADD rootfs.tar.gz /\n%s\n' "$extra" >"$ctx/Dockerfile"
    run docker buildx build --platform linux/arm64 --progress=plain --load \
      --label "$LABEL=$key" -t "$ref" "$ctx"
    rm -rf "$ctx"
    id="$(docker image inspect -f '{{.Id}}' "$ref")"
    [[ "$(docker image inspect -f '{{.Architecture}}' "$ref")" == arm64 ]] ||
      die "$ref was not built as arm64"
    ok "built $ref (${id:7:12})"
  fi
  step "push $ref" "docker push $ref"
  local repo="${ref#*/}" tag="${ref##*:}" remote=""
  repo="${repo%:*}"
  remote="$(curl -fsS -m 10 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$TC_REGISTRY/v2/$repo/manifests/$tag" 2>/dev/null | jq -r '.config.digest // empty' 2>/dev/null || true)"
  if [[ "$remote" == "$id" ]]; then
    ok "$ref up to date in registry"
  else
    run docker push "$ref"
    ok "pushed $ref"
  fi
}

# ---------------------------------------------------------------- busybox --
# Download busybox-static:arm64 with a private apt state (no dpkg
# --add-architecture, nothing on the host's apt config changes).
apt_arm64() {
  run apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
    -o Dir::State="$APT_DIR" -o Dir::State::Lists="$APT_DIR/lists" \
    -o Dir::State::status=/dev/null -o Dir::Cache="$APT_DIR/cache" \
    -o Dir::Etc::sourcelist="$APT_DIR/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::Etc::preferencesparts="$APT_DIR/preferences.d" \
    -o APT::Sandbox::User=root "$@"
}

BUSYBOX_DEB="$CACHE/busybox-static_arm64.deb"
busybox_deb() {
  local deb="$BUSYBOX_DEB"
  step "busybox-static:arm64 download" "apt-get download busybox-static:arm64 (with -o APT::Architecture=arm64) into $CACHE"
  if [[ ! -s "$deb" ]]; then
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/preferences.d"
    printf 'deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
      "$(debian_mirror)" "$SUITE" >"$APT_DIR/sources.list"
    local tmp
    tmp="$(mktemp -d "$WORK/dl.XXXXXX")"
    [[ -d "$APT_DIR/lists" && -n "$(ls "$APT_DIR/lists"/*Packages* 2>/dev/null)" ]] || apt_arm64 update
    if ! (cd "$tmp" && apt_arm64 download busybox-static); then
      apt_arm64 update # stale lists -> 404
      (cd "$tmp" && apt_arm64 download busybox-static)
    fi
    mv "$tmp"/busybox-static_*_arm64.deb "$deb"
    rm -rf "$tmp"
    ok "downloaded busybox-static:arm64 $(dpkg-deb -f "$deb" Version)"
  fi
}

image_busybox() {
  local deb="$BUSYBOX_DEB" tmp root tarball key
  busybox_deb
  step "busybox rootfs" ""
  tmp="$(mktemp -d "$WORK/busybox.XXXXXX")"
  dpkg-deb -x "$deb" "$tmp/x"
  install -m 0755 "$tmp/x/bin/busybox" "$CACHE/busybox-arm64" # setup.sh verify uses it
  root="$tmp/root"
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/root" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp "$tmp/x/bin/busybox" "$root/bin/busybox"
  local p
  # applet paths come from the arm64 binary itself (runs through qemu)
  while read -r p; do
    [[ "$p" == */* && "$p" != bin/busybox ]] || continue
    ln -sf /bin/busybox "$root/$p"
  done < <("$tmp/x/bin/busybox" --list-full)
  [[ -L "$root/bin/sh" ]] || die "busybox applet list has no bin/sh (is qemu binfmt working?)"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tarball="$tmp/rootfs.tar.gz"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . | gzip -n >"$tarball"
  key="r$RECIPE-$(sha <"$tarball")"
  build_push "$BUSYBOX_REF" "$tarball" "$key" 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh"]'
  rm -rf "$tmp"
  step "verify $BUSYBOX_REF" "docker run --rm --platform linux/arm64 $BUSYBOX_REF uname -m"
  local m
  m="$(docker run --rm --platform linux/arm64 "$BUSYBOX_REF" uname -m)"
  [[ "$m" == aarch64 ]] || die "$BUSYBOX_REF: uname -m says '$m'"
  ok "$BUSYBOX_REF runs: uname -m = $m"
}

# ----------------------------------------------------------------- python --
image_python() {
  local key tarball mirror
  key="r$RECIPE-$(printf '%s %s %s %s' "$SUITE" arm64 minbase "$PY_INCLUDE" | sha)"
  tarball="$CACHE/python-$SUITE-arm64-$key.tar.gz"
  mirror="$(debian_mirror)"
  if [[ -s "$tarball" ]]; then
    ok "python rootfs cached ($(basename "$tarball"))"
  else
    step "debootstrap $SUITE arm64" "debootstrap --arch=arm64 --variant=minbase --include=$PY_INCLUDE $SUITE $PY_ROOT $mirror && tar -C $PY_ROOT -czf $tarball ."
    command -v debootstrap >/dev/null || die "debootstrap missing: run tools/toolchain/setup.sh"
    cleanup_mounts
    rm -rf "$PY_ROOT"
    note "debootstrap $SUITE arm64 (+python3, fastapi, uvicorn, pip) under qemu, ~5 min; log $TC_LOG"
    local t0=$SECONDS
    run debootstrap --arch=arm64 --variant=minbase --include="$PY_INCLUDE" "$SUITE" "$PY_ROOT" "$mirror"
    cleanup_mounts
    ok "debootstrap done in $((SECONDS - t0)) s"
    step "python rootfs tarball" "tar -C $PY_ROOT --numeric-owner -czf $tarball ."
    # slim down; the engine provides /etc/resolv.conf, /etc/hosts, /dev, /proc
    rm -rf "$PY_ROOT"/var/cache/apt/*.bin "$PY_ROOT"/var/cache/apt/archives/*.deb \
      "$PY_ROOT"/var/lib/apt/lists/* "$PY_ROOT"/var/log/*.log "$PY_ROOT"/var/log/apt/* \
      "$PY_ROOT"/debootstrap
    : >"$PY_ROOT/etc/resolv.conf"
    printf 'localhost\n' >"$PY_ROOT/etc/hostname"
    tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -C "$PY_ROOT" -c . | gzip -n >"$tarball.tmp"
    mv "$tarball.tmp" "$tarball"
    rm -rf "$PY_ROOT"
    ok "cached $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
  fi
  build_push "$PYTHON_REF" "$tarball" "$key" 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
# Debian marks its python "externally managed" (PEP 668); in an image plain
# "pip install" is what Dockerfiles expect, as with the official python images.
ENV PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]'
  step "verify $PYTHON_REF" "docker run --rm --platform linux/arm64 $PYTHON_REF python3 -c 'import fastapi, uvicorn, platform; print(platform.machine())'"
  local m
  m="$(docker run --rm --platform linux/arm64 "$PYTHON_REF" python3 -c 'import fastapi, uvicorn, platform; print(platform.machine())')"
  [[ "$m" == aarch64 ]] || die "$PYTHON_REF: platform.machine() says '$m'"
  ok "$PYTHON_REF runs: python3 + fastapi + uvicorn on $m"
}

main() {
  case "$WHAT" in
    busybox | python | all) ;;
    -h | --help | help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown image set '$WHAT' (use busybox|python|all)" 2 ;;
  esac
  tc_init base-images "$WHAT"
  local t0=$SECONDS
  preflight
  tc_lock base-images
  local refs=()
  if [[ "$WHAT" == busybox || "$WHAT" == all ]]; then
    image_busybox
    refs+=("$BUSYBOX_REF")
  fi
  if [[ "$WHAT" == python || "$WHAT" == all ]]; then
    image_python
    refs+=("$PYTHON_REF")
  fi
  ok "base images ready ($((SECONDS - t0)) s):"
  printf '  %s\n' "${refs[@]}"
}

main
