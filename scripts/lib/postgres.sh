# shellcheck shell=bash
# A throw-away PostgreSQL server for tests and benchmarks. Source this file, then:
#
#   pg_start            # starts a server on a free 127.0.0.1 port, exports POSTKAMER_TEST_PG_URL
#   trap pg_stop EXIT   # (or call pg_stop from your own exit trap) stops it, removes its files
#
# The cluster lives in a `mktemp -d` directory, has one superuser `postkamer` with trust
# authentication, and runs without fsync: fast, and only for data that may be lost.
# As root, the server runs as the `postgres` system user (initdb refuses to run as root); if
# that user does not exist, a system user `postkamer-test` is created for it.
#
# Exports: POSTKAMER_TEST_PG_URL, PG_PORT, PG_BINDIR. Needs the PostgreSQL server binaries
# (Debian: package `postgresql`, found in /usr/lib/postgresql/<version>/bin) and python3.

PG_TMPDIR=""
PG_DATADIR=""
PG_RUN_AS=""

_pg_log() { printf '  [postgres] %s\n' "$*" >&2; }

# Finds the directory with initdb/pg_ctl: the newest /usr/lib/postgresql/*/bin, else
# `pg_config --bindir`, else whatever initdb is on PATH.
pg_find_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    if [ ! -x "$dir/initdb" ] || [ ! -x "$dir/pg_ctl" ]; then continue; fi
    # Directory names are major versions (15, 16, ...): keep the highest.
    if [ -z "$best" ] || [ "$(basename "$(dirname "$dir")")" -gt "$(basename "$(dirname "$best")")" ] 2>/dev/null; then
      best=$dir
    fi
  done
  if [ -z "$best" ] && command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then best=$dir; fi
  fi
  if [ -z "$best" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best=$(dirname "$(command -v initdb)")
  fi
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

# Prints a TCP port on 127.0.0.1 that was free when the kernel handed it out.
pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Runs a command as the unprivileged server user when we are root, else as ourselves.
_pg_as_user() {
  if [ -n "$PG_RUN_AS" ]; then
    runuser -u "$PG_RUN_AS" -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  if [ -n "$PG_DATADIR" ]; then
    _pg_log "already running on port $PG_PORT"
    return 0
  fi
  PG_BINDIR=$(pg_find_bindir) || {
    _pg_log "no PostgreSQL server binaries found (Debian: apt-get install postgresql)"
    return 1
  }
  export PG_BINDIR

  if [ "$(id -u)" -eq 0 ]; then
    if id -u postgres >/dev/null 2>&1; then
      PG_RUN_AS=postgres
    else
      if ! id -u postkamer-test >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postkamer-test
      fi
      PG_RUN_AS=postkamer-test
    fi
  fi

  PG_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-pg.XXXXXX")
  PG_DATADIR="$PG_TMPDIR/data"
  mkdir -p "$PG_TMPDIR/socket"
  if [ -n "$PG_RUN_AS" ]; then
    chown -R "$PG_RUN_AS:" "$PG_TMPDIR"
  fi
  chmod 700 "$PG_TMPDIR"

  local locale_args=(--no-locale)
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_args=(--locale=C.UTF-8)
  fi
  if ! _pg_as_user "$PG_BINDIR/initdb" -D "$PG_DATADIR" -A trust -U postkamer --encoding=UTF8 \
    "${locale_args[@]}" --no-sync >"$PG_TMPDIR/initdb.log" 2>&1; then
    cat "$PG_TMPDIR/initdb.log" >&2
    _pg_log "initdb failed"
    return 1
  fi

  # The port is free when asked for, but another process could take it before the server
  # binds it: try a few ports before giving up.
  local attempt
  for attempt in 1 2 3; do
    PG_PORT=$(pg_free_port)
    if _pg_as_user "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -l "$PG_TMPDIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMPDIR/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
      export PG_PORT
      export POSTKAMER_TEST_PG_URL="postgres://postkamer@127.0.0.1:$PG_PORT/postgres"
      _pg_log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DATADIR)"
      return 0
    fi
    _pg_log "start on port $PG_PORT failed (attempt $attempt):"
    tail -n 20 "$PG_TMPDIR/server.log" >&2 || true
  done
  return 1
}

# Stops the server and removes its files. Safe to call more than once, and when never started.
pg_stop() {
  if [ -n "$PG_DATADIR" ] && [ -f "$PG_DATADIR/postmaster.pid" ]; then
    _pg_as_user "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$PG_TMPDIR" ] && [ -d "$PG_TMPDIR" ]; then
    rm -rf "$PG_TMPDIR"
  fi
  PG_TMPDIR=""
  PG_DATADIR=""
  unset POSTKAMER_TEST_PG_URL
}
