# shellcheck shell=bash
# Shared helpers for tools/toolchain/*.sh. Source it; do not execute it.
#
# Conventions:
#   step "name" "manual command"   announce a step; on failure the ERR trap
#                                  prints the name and the manual command
#   ok/note/warn "msg"             one short line to the terminal + log
#   run cmd args...                run a noisy command, output only to the log

TC_STATE="${NX_AGENT_ECR_TOOLCHAIN_STATE:-/var/tmp/nx-agent-ecr-toolchain}"
TC_REGISTRY_PORT="${TOOLCHAIN_REGISTRY_PORT:-5000}"
TC_REGISTRY="127.0.0.1:${TC_REGISTRY_PORT}"
TC_STEP=""
TC_HINT=""
TC_LOG="/dev/null"

tc_init() { # tc_init <log-name>
  if mkdir -p "$TC_STATE/run" "$TC_STATE/log" "$TC_STATE/cache" 2>/dev/null &&
    [[ -w "$TC_STATE/log" ]]; then
    TC_LOG="$TC_STATE/log/$1.log"
  else # e.g. not root: still log somewhere
    TC_LOG="${TMPDIR:-/tmp}/nx-agent-ecr-toolchain-$1-$(id -u).log"
  fi
  printf '\n==== %s %s %s\n' "$(date -u +%FT%TZ)" "$1" "${*:2}" >>"$TC_LOG"
  trap tc_on_err ERR
}

_tc_log() { printf '%s %s\n' "$(date -u +%T)" "$*" >>"$TC_LOG"; }
say() { printf '%s\n' "$*"; _tc_log "$*"; }
ok() { say "✓ $*"; }
note() { say "… $*"; }
warn() { say "! $*" >&2; }

step() { # step <name> [manual command to finish this step by hand]
  TC_STEP="$1"
  TC_HINT="${2:-}"
  _tc_log "-- step: $TC_STEP"
}

run() { # run a command, its output goes to the log only
  _tc_log "+ $*"
  "$@" >>"$TC_LOG" 2>&1
}

die() { # die <message> [exit code]: a planned stop, no ERR trap
  trap - ERR
  printf '✗ %s\n' "$1" >&2
  _tc_log "FATAL: $1"
  exit "${2:-1}"
}

tc_on_err() {
  local rc=$?
  trap - ERR
  # in a subshell: just exit, the parent shell's trap reports once
  [[ "$BASHPID" == "$$" ]] || exit "$rc"
  {
    printf '✗ step failed: %s (exit %s)\n' "${TC_STEP:-unknown}" "$rc"
    if [[ -n "$TC_HINT" ]]; then
      printf '  finish it by hand:  %s\n' "$TC_HINT"
    fi
    printf '  log: %s  (last lines below)\n' "$TC_LOG"
    tail -n 8 "$TC_LOG" 2>/dev/null | sed 's/^/  | /'
  } >&2
  _tc_log "FAILED step '$TC_STEP' rc=$rc"
  exit "$rc"
}

# Take an exclusive lock so two runs never configure the machine at once.
tc_lock() { # tc_lock <name>
  # daemons started under the lock must get 9>&- (or they would keep it)
  exec 9>"$TC_STATE/run/$1.lock"
  if ! flock -w 600 9; then
    die "another $1 run holds $TC_STATE/run/$1.lock"
  fi
}

# pid from a pid file if that process is alive and its command matches.
pid_alive() { # pid_alive <pidfile> <command-substring>
  local pid
  [[ -r "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2" || return 1
  printf '%s\n' "$pid"
}

# First "URIs:" of the distro's deb822 sources (or sources.list), for the
# trixie source (setup.sh) and for debootstrap (base-images.sh).
# Override with TOOLCHAIN_DEBIAN_MIRROR.
debian_mirror() {
  local m="${TOOLCHAIN_DEBIAN_MIRROR:-}"
  if [[ -n "$m" ]]; then
    printf '%s\n' "$m"
    return
  fi
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [[ -z "$m" && -r /etc/apt/sources.list ]]; then
    m="$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

docker_ok() { docker info >/dev/null 2>&1; }

registry_ok() { curl -fsS -m 3 "http://$TC_REGISTRY/v2/" >/dev/null 2>&1; }

buildx_ok() { docker buildx version >/dev/null 2>&1; }

# arm64 emulation: registered + enabled binfmt handler, or a native arm64 engine,
# or (Docker Desktop) a builder that advertises linux/arm64.
qemu_binfmt_ok() {
  [[ -r /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] &&
    head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 | grep -qx enabled
}
arm64_ok() {
  qemu_binfmt_ok && return 0
  [[ "$(uname -m)" == aarch64 ]] && return 0
  docker buildx inspect 2>/dev/null | grep -q 'linux/arm64'
}
