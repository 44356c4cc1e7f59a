#!/usr/bin/env bash
# Idempotent container toolchain for nx-agent-ecr:
#   Docker engine (Debian docker.io) + buildx + qemu arm64 binfmt + local registry.
# Usage: tools/toolchain/setup.sh [setup|python|status|stop]     (default: setup)
#        python: only the Debian packages the Python service tests need (no engine), for the engine-free tests
# Env:   NX_AGENT_ECR_TOOLCHAIN_STATE (default /var/tmp/nx-agent-ecr-toolchain)
#        TOOLCHAIN_REGISTRY_PORT      (default 5000)
#        TOOLCHAIN_STORAGE_DRIVER     (force overlay2|vfs; default: probed once)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

CMD="${1:-setup}"
DOCKERD_PID="$TC_STATE/run/dockerd.pid"
REGISTRY_DIR="$TC_STATE/registry"
REGISTRY_PID="$TC_STATE/run/registry.pid"
REGISTRY_CFG="$REGISTRY_DIR/config.yml"
if [[ "$TC_REGISTRY_PORT" != 5000 ]]; then # one pid file/config per port
  REGISTRY_PID="$TC_STATE/run/registry-$TC_REGISTRY_PORT.pid"
  REGISTRY_CFG="$REGISTRY_DIR/config-$TC_REGISTRY_PORT.yml"
fi
DRIVER_FILE="$TC_STATE/storage-driver"
TRIXIE_SOURCES=/etc/apt/sources.list.d/nx-agent-ecr-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/nx-agent-ecr-trixie
CHANGES=0
APT_UPDATED=0

changed() { CHANGES=$((CHANGES + 1)); ok "$*"; }

apt_get() {
  DEBIAN_FRONTEND=noninteractive run apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"
}

pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

has_candidate() {
  apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# ---------------------------------------------------------------- checks --
check_platform() {
  step "platform check"
  local missing="docker engine (docker.io or docker-ce), docker buildx plugin, qemu-user-static with binfmt for aarch64, a registry on $TC_REGISTRY"
  local id="" like=""
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    id="$(. /etc/os-release && printf '%s' "${ID:-}")"
    # shellcheck disable=SC1091
    like="$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")"
  fi
  if [[ "$id" != debian && "$id" != ubuntu && "$like" != *debian* ]]; then
    die "unsupported OS '${id:-unknown}': install by hand: $missing (Docker Desktop/Engine covers engine+buildx+qemu), then re-run" 2
  fi
  if [[ $EUID -ne 0 ]]; then
    die "needs root to install packages and start the engine: re-run as 'sudo $0', or install by hand: apt-get install docker.io docker-registry qemu-user-static debootstrap jq python3-pytest python3-fastapi python3-httpx python3-uvicorn (+ docker-buildx)" 2
  fi
}

# ------------------------------------------------------------ packages --
PYTHON_TEST_PACKAGES=(python3-pytest python3-fastapi python3-httpx python3-uvicorn)

ensure_packages() {
  step "apt packages" "apt-get update && apt-get install -y docker.io docker-registry qemu-user-static debootstrap"
  local want=(docker-registry qemu-user-static debootstrap jq curl ca-certificates "${PYTHON_TEST_PACKAGES[@]}")
  command -v dockerd >/dev/null 2>&1 || want+=(docker.io)
  command -v aws >/dev/null 2>&1 || want+=(awscli)
  install_missing "${want[@]}"
}

install_missing() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    ok "packages present"
    return
  fi
  TC_HINT="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  note "installing ${missing[*]}"
  local need_update=0
  for p in "${missing[@]}"; do has_candidate "$p" || need_update=1; done
  if ((need_update)); then apt_get update && APT_UPDATED=1; fi
  if ! apt_get install --no-install-recommends "${missing[@]}"; then
    if ((APT_UPDATED)); then false; fi # lists were fresh: real failure
    apt_get update && APT_UPDATED=1
    apt_get install --no-install-recommends "${missing[@]}"
  fi
  if [[ " ${missing[*]} " == *" docker.io "* ]]; then
    command -v docker >/dev/null 2>&1 || die "no 'docker' CLI on PATH after installing docker.io"
  fi
  changed "installed ${missing[*]}"
}

cmd_python() {
  if /usr/bin/python3 -c 'import fastapi, uvicorn, httpx, pytest' 2>/dev/null; then
    ok "/usr/bin/python3 has fastapi uvicorn httpx pytest"
    return
  fi
  check_platform
  tc_lock setup
  step "Python test packages" "apt-get install -y --no-install-recommends ${PYTHON_TEST_PACKAGES[*]}"
  install_missing "${PYTHON_TEST_PACKAGES[@]}"
}

ensure_buildx() {
  step "buildx" "apt-get install -y --no-install-recommends docker-buildx/trixie"
  if buildx_ok; then
    ok "buildx $(docker buildx version | awk '{print $2}')"
    return
  fi
  local codename=""
  # shellcheck disable=SC1091
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  if has_candidate docker-buildx; then
    : # the distro (or an already added trixie source) has it
  elif [[ "$codename" == bookworm ]]; then
    # Debian 12 has no buildx; trixie's 0.13.1 is a static Go binary that
    # installs cleanly. Pin trixie at 100 so nothing else is ever upgraded.
    local mirror
    mirror="$(debian_mirror)"
    TC_HINT="add $TRIXIE_SOURCES (trixie main) + pin 100 in $TRIXIE_PIN, apt-get update, apt-get install -y --no-install-recommends docker-buildx/trixie"
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" >"$TRIXIE_SOURCES"
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$TRIXIE_PIN"
    # refresh only the new source's lists (fast; leaves bookworm lists alone)
    apt_get update -o Dir::Etc::sourcelist="$TRIXIE_SOURCES" \
      -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0
    changed "apt source trixie (pin 100) added"
  else
    die "no docker-buildx package for '$codename': install the buildx plugin by hand (https://docs.docker.com/build/install-buildx/) into /usr/libexec/docker/cli-plugins/docker-buildx" 2
  fi
  # --no-install-recommends matters: trixie's docker-buildx recommends
  # docker-cli, which Breaks (=removes) bookworm's docker.io.
  local target=docker-buildx
  [[ "$codename" == bookworm ]] && target=docker-buildx/trixie
  apt_get install --no-install-recommends "$target"
  buildx_ok || die "docker buildx still not available after installing $target"
  changed "buildx $(docker buildx version | awk '{print $2}') installed"
}

# ---------------------------------------------------------------- qemu --
ensure_qemu() {
  local desc=/usr/share/binfmts/qemu-aarch64 bm=/proc/sys/fs/binfmt_misc
  step "qemu binfmt" "mount -t binfmt_misc binfmt_misc $bm; register qemu-aarch64 from $desc with flags PF into $bm/register"
  if qemu_binfmt_ok; then
    ok "qemu-aarch64 binfmt enabled"
    return
  fi
  if [[ ! -e "$bm/register" ]]; then
    run mount -t binfmt_misc binfmt_misc "$bm"
    changed "binfmt_misc mounted"
  fi
  if [[ -e "$bm/qemu-aarch64" ]]; then
    echo 1 >"$bm/qemu-aarch64" # registered but disabled
  else
    [[ -r "$desc" ]] || die "$desc missing (is qemu-user-static installed?)"
    local interp magic mask offset flags=""
    interp="$(awk '$1 == "interpreter" {print $2}' "$desc")"
    magic="$(awk '$1 == "magic" {print $2}' "$desc")"
    mask="$(awk '$1 == "mask" {print $2}' "$desc")"
    offset="$(awk '$1 == "offset" {print $2}' "$desc")"
    grep -qx 'preserve yes' "$desc" && flags+=P
    grep -qx 'credentials yes' "$desc" && flags+=OC
    flags+=F # open the interpreter now: works inside chroots/containers
    [[ -x "$interp" ]] || die "qemu interpreter $interp missing"
    _tc_log "register :qemu-aarch64:M:${offset:-0}:$magic:$mask:$interp:$flags"
    printf ':qemu-aarch64:M:%s:%s:%s:%s:%s' "${offset:-0}" "$magic" "$mask" "$interp" "$flags" >"$bm/register"
  fi
  qemu_binfmt_ok || die "qemu-aarch64 binfmt registration did not take effect"
  changed "qemu-aarch64 binfmt registered (F flag)"
}

# -------------------------------------------------------------- engine --
probe_overlay() {
  local root=/var/lib/docker d rc=1
  mkdir -p "$root"
  d="$(mktemp -d "$root/.tc-overlay-probe.XXXXXX")"
  mkdir -p "$d/l" "$d/u" "$d/w" "$d/m"
  echo probe >"$d/l/f"
  if mount -t overlay overlay -o "lowerdir=$d/l,upperdir=$d/u,workdir=$d/w" "$d/m" 2>>"$TC_LOG"; then
    if [[ -r "$d/m/f" ]] && echo x >"$d/m/g" 2>/dev/null; then rc=0; fi
    umount "$d/m"
  fi
  rm -rf "$d"
  return "$rc"
}

storage_driver() {
  if [[ -n "${TOOLCHAIN_STORAGE_DRIVER:-}" ]]; then
    printf '%s\n' "$TOOLCHAIN_STORAGE_DRIVER"
  elif [[ -s "$DRIVER_FILE" ]]; then
    cat "$DRIVER_FILE" # keep what we picked before: switching hides images
  else
    local d=vfs
    probe_overlay && d=overlay2
    printf '%s\n' "$d" >"$DRIVER_FILE"
    printf '%s\n' "$d"
  fi
}

ensure_engine() {
  step "docker engine" "dockerd --userland-proxy=false >$TC_STATE/log/dockerd.log 2>&1 &"
  local pid
  if docker_ok; then
    if pid="$(pid_alive "$DOCKERD_PID" dockerd)"; then
      ok "engine running (pid $pid, $(docker info -f '{{.Driver}}' 2>/dev/null))"
    else
      ok "engine running (not started by this script)"
    fi
    return
  fi
  command -v dockerd >/dev/null || die "dockerd missing"
  if pid="$(pid_alive "$DOCKERD_PID" dockerd)"; then
    die "dockerd (pid $pid) runs but 'docker info' fails; see $TC_STATE/log/dockerd.log, or '$0 stop' and re-run"
  fi
  rm -f "$DOCKERD_PID"
  local drv
  drv="$(storage_driver)"
  TC_HINT="setsid dockerd --userland-proxy=false --storage-driver=$drv --pidfile $DOCKERD_PID >>$TC_STATE/log/dockerd.log 2>&1 </dev/null &"
  # dockerd starts and supervises its own containerd
  # (/var/run/docker/containerd/containerd.sock) unless a system containerd
  # socket exists at /run/containerd/containerd.sock.
  _tc_log "+ dockerd --userland-proxy=false --storage-driver=$drv --pidfile $DOCKERD_PID"
  # 9>&-: the daemon must not inherit (and so hold forever) the setup lock
  setsid dockerd --userland-proxy=false --storage-driver="$drv" --pidfile "$DOCKERD_PID" 9>&- \
    >>"$TC_STATE/log/dockerd.log" 2>&1 </dev/null &
  local child=$! i
  for ((i = 0; i < 120; i++)); do
    docker_ok && break
    if ! kill -0 "$child" 2>/dev/null; then
      tail -n 5 "$TC_STATE/log/dockerd.log" >>"$TC_LOG" || true
      die "dockerd exited during start-up; see $TC_STATE/log/dockerd.log (try TOOLCHAIN_STORAGE_DRIVER=vfs, check cgroups are mounted: cgroupfs-mount)"
    fi
    sleep 0.5
  done
  docker_ok || die "dockerd did not answer within 60 s; see $TC_STATE/log/dockerd.log"
  changed "engine started (pid $(cat "$DOCKERD_PID" 2>/dev/null || echo "$child"), $drv, log $TC_STATE/log/dockerd.log)"
}

# ------------------------------------------------------------ registry --
ensure_registry() {
  local cfg="$REGISTRY_CFG" pid
  step "local registry" "docker-registry serve $cfg >$TC_STATE/log/registry.log 2>&1 &"
  mkdir -p "$REGISTRY_DIR/data"
  local want
  want="$(printf 'version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n' \
    "$REGISTRY_DIR/data" "$TC_REGISTRY")"
  if [[ ! -f "$cfg" || "$(cat "$cfg")" != "$want" ]]; then
    printf '%s\n' "$want" >"$cfg"
  fi
  if registry_ok; then
    if pid="$(pid_alive "$REGISTRY_PID" docker-registry)"; then
      ok "registry $TC_REGISTRY (pid $pid)"
    else
      ok "registry $TC_REGISTRY answers (not started by this script)"
    fi
    return
  fi
  command -v docker-registry >/dev/null || die "docker-registry missing (apt-get install docker-registry)"
  # The package's own systemd/init service is not used (no systemd here);
  # this one is ours: 127.0.0.1 only, storage in the state dir.
  # shellcheck disable=SC2016 # $$ / $1 are for the inner shell
  setsid bash -c 'echo $$ >"$1"; exec docker-registry serve "$2"' registry "$REGISTRY_PID" "$cfg" 9>&- \
    >>"$TC_STATE/log/registry.log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 40; i++)); do
    registry_ok && break
    pid_alive "$REGISTRY_PID" docker-registry >/dev/null || { sleep 0.25; pid_alive "$REGISTRY_PID" docker-registry >/dev/null; } ||
      die "docker-registry exited; see $TC_STATE/log/registry.log (port $TC_REGISTRY_PORT busy? set TOOLCHAIN_REGISTRY_PORT)"
    sleep 0.25
  done
  registry_ok || die "registry did not answer on $TC_REGISTRY; see $TC_STATE/log/registry.log"
  changed "registry started on $TC_REGISTRY (pid $(cat "$REGISTRY_PID"), data $REGISTRY_DIR/data)"
}

# -------------------------------------------------------------- verify --
verify() {
  step "verify" "docker run --rm --platform linux/arm64 $TC_REGISTRY/base/busybox:arm64 uname -m"
  docker version >/dev/null 2>&1 || die "'$(command -v docker)' cannot talk to the engine"
  local bb="$TC_STATE/cache/busybox-arm64" m
  if [[ -x "$bb" ]]; then
    m="$("$bb" uname -m)"
    [[ "$m" == aarch64 ]] || die "arm64 binary under qemu reports '$m'"
    ok "arm64 binary runs under qemu ($m)"
  else
    note "arm64 run check pending: run tools/toolchain/base-images.sh"
  fi
  if /usr/bin/python3 -c 'import fastapi, uvicorn, httpx, pytest' 2>/dev/null; then
    ok "/usr/bin/python3 has fastapi uvicorn httpx pytest"
  fi
}

# ---------------------------------------------------------------- status --
cmd_status() {
  local pid v
  printf '%-9s %-8s %s\n' COMPONENT STATE DETAIL
  if docker_ok; then
    v="$(docker info -f '{{.ServerVersion}} {{.Driver}} cgroup{{.CgroupVersion}}' 2>/dev/null)"
    if pid="$(pid_alive "$DOCKERD_PID" dockerd)"; then v+=" pid $pid (ours)"; else v+=" (not ours)"; fi
    printf '%-9s %-8s %s\n' engine up "$v"
  else
    printf '%-9s %-8s %s\n' engine down "-"
  fi
  if buildx_ok; then
    printf '%-9s %-8s %s\n' buildx ok "$(docker buildx version | awk '{print $2}')"
  else
    printf '%-9s %-8s %s\n' buildx missing "-"
  fi
  if qemu_binfmt_ok; then
    printf '%-9s %-8s %s\n' qemu ok "binfmt qemu-aarch64 flags $(awk '$1 == "flags:" {print $2}' /proc/sys/fs/binfmt_misc/qemu-aarch64)"
  elif arm64_ok; then
    printf '%-9s %-8s %s\n' qemu ok "arm64 via engine/native"
  else
    printf '%-9s %-8s %s\n' qemu missing "-"
  fi
  if registry_ok; then
    v="$TC_REGISTRY"
    if pid="$(pid_alive "$REGISTRY_PID" docker-registry)"; then v+=" pid $pid (ours)"; else v+=" (not ours)"; fi
    printf '%-9s %-8s %s\n' registry up "$v"
  else
    printf '%-9s %-8s %s\n' registry down "$TC_REGISTRY"
  fi
}

# ------------------------------------------------------------------ stop --
stop_pid() { # stop_pid <name> <pidfile> <cmd-substring> <timeout-s>
  local pid i
  if ! pid="$(pid_alive "$2" "$3")"; then
    ok "$1 not running from $2"
    rm -f "$2"
    return
  fi
  kill -TERM "$pid"
  for ((i = 0; i < $4 * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$1 (pid $pid) still running after $4 s; not killing harder"
    return 1
  fi
  rm -f "$2"
  ok "$1 stopped (pid $pid)"
}

cmd_stop() {
  step "stop"
  stop_pid registry "$REGISTRY_PID" docker-registry 10
  stop_pid dockerd "$DOCKERD_PID" dockerd 40
  note "packages, apt sources and the qemu binfmt registration are left in place"
}

# ------------------------------------------------------------------ main --
cmd_setup() {
  local t0=$SECONDS
  check_platform_light
  check_platform
  tc_lock setup
  ensure_packages
  ensure_buildx
  ensure_qemu
  ensure_engine
  ensure_registry
  verify
  if ((CHANGES == 0)); then
    ok "toolchain ready, nothing changed ($((SECONDS - t0)) s)"
  else
    ok "toolchain ready, $CHANGES change(s) ($((SECONDS - t0)) s); log $TC_LOG"
  fi
}

# A machine that already works (Docker Desktop, GitHub runners, …) and whose
# engine we did not start is left completely alone.
check_platform_light() {
  step "detect existing toolchain"
  if docker_ok && buildx_ok && arm64_ok && ! pid_alive "$DOCKERD_PID" dockerd >/dev/null; then
    ok "existing docker engine with buildx and arm64 support found; changing nothing"
    if registry_ok; then
      ok "registry answers on $TC_REGISTRY"
    else
      note "no registry on $TC_REGISTRY (base-images.sh needs one): docker run -d --restart=always -p 127.0.0.1:$TC_REGISTRY_PORT:5000 --name registry registry:2"
    fi
    exit 0
  fi
}

case "$CMD" in
  setup)
    tc_init setup setup
    cmd_setup
    ;;
  python)
    tc_init setup python
    cmd_python
    ;;
  status)
    tc_init setup status
    cmd_status
    ;;
  stop)
    tc_init setup stop
    cmd_stop
    ;;
  -h | --help | help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$CMD' (use setup|python|status|stop)" 2 ;;
esac
