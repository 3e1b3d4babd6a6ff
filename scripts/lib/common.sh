# shellcheck shell=bash
# Small helpers shared by scripts/test.sh, scripts/run.sh and the bench scripts. Source it.

# Prints a step header: `==> what`.
pk_step() { printf '\n==> %s\n' "$*"; }

# Prints a note to stderr.
pk_log() { printf '  %s\n' "$*" >&2; }

# Prints a TCP port on 127.0.0.1 that was free when the kernel handed it out.
pk_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pk_apt_install PACKAGE... — installs the given Debian packages in one apt-get call.
# Does nothing when called with no packages. Needs root.
pk_apt_install() {
  [ "$#" -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    pk_log "missing Debian packages: $*"
    pk_log "install them (as root: apt-get install -y --no-install-recommends $*) and run again"
    return 1
  fi
  pk_step "installing Debian packages: $*"
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# The absolute cargo target directory: $CARGO_TARGET_DIR if set (relative to the repository
# root), else the given default. Creates it.
pk_target_dir() {
  local dir=${CARGO_TARGET_DIR:-$1}
  mkdir -p "$dir"
  (cd "$dir" && pwd -P)
}
