# shellcheck shell=bash
# A throw-away Dovecot IMAP server for tests and benchmarks. Source this file, then:
#
#   dovecot_start            # starts a server on a free 127.0.0.1 port, exports the variables below
#   trap dovecot_stop EXIT   # (or call dovecot_stop from your own exit trap) stops it, removes
#                            # its files
#
# Everything (configuration, mail, sockets, state, log) lives in one `mktemp -d` directory. The
# server listens on 127.0.0.1 only, without TLS, and accepts plaintext LOGIN. Any user name logs
# in with the password `pk-test`; each user gets a fresh, empty Maildir under
# $DOVECOT_HOMES/<user>, so a test that picks a unique user name gets its own empty mailbox. INBOX,
# Sent (\Sent) and Trash (\Trash) exist for every user. Capabilities include IDLE, CONDSTORE,
# QRESYNC, MOVE, SPECIAL-USE and UIDPLUS (Dovecot 2.3 defaults).
#
# Messages can be put in over IMAP (APPEND), or, faster for benchmarks, written straight into the
# Maildir: write the file to "$(dovecot_maildir USER)/tmp/NAME", then rename it to .../new/NAME
# (any unique NAME, lines ending in LF or CRLF). Dovecot sees it at the next SELECT, NOOP or IDLE
# wake-up.
#
# The server runs without root privileges: as the invoking user, or, when invoked as root (Dovecot
# refuses to let root own mail), as the `dovecot` system user (`postkamer-test` if that user is
# missing; it is then created). Needs /usr/sbin/dovecot (Debian package `dovecot-imapd`) and
# python3.
#
# Exports: POSTKAMER_TEST_IMAP (127.0.0.1:<port>), POSTKAMER_TEST_IMAP_PASSWORD (pk-test),
# DOVECOT_PORT, DOVECOT_HOMES, DOVECOT_LOG.

DOVECOT_BIN=${DOVECOT_BIN:-/usr/sbin/dovecot}
DOVECOT_TMPDIR=""
DOVECOT_RUN_AS=""
DOVECOT_PASSWORD=pk-test

_dovecot_log() { printf '  [dovecot] %s\n' "$*" >&2; }

# Prints a TCP port on 127.0.0.1 that was free when the kernel handed it out.
_dovecot_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Runs a command as the unprivileged server user when we are root, else as ourselves.
_dovecot_as_user() {
  if [ -n "$DOVECOT_RUN_AS" ]; then
    runuser -u "$DOVECOT_RUN_AS" -- "$@"
  else
    "$@"
  fi
}

# _dovecot_write_config PORT USER UID GID GROUP — writes $DOVECOT_TMPDIR/dovecot.conf.
_dovecot_write_config() {
  local port=$1 user=$2 uid=$3 gid=$4 group=$5 dir=$DOVECOT_TMPDIR
  cat >"$dir/dovecot.conf" <<EOF
# Throw-away test server written by scripts/lib/dovecot.sh. Not for real mail.
protocols = imap
listen = 127.0.0.1
instance_name = postkamer-test-$port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
login_greeting = Postkamer test IMAP ready.

# Non-root operation: every process runs as one unprivileged user.
default_login_user = $user
default_internal_user = $user
default_internal_group = $group
first_valid_uid = $uid
last_valid_uid = 0
first_valid_gid = $gid
last_valid_gid = 0

ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# No delay after a wrong password: the tests log in with wrong passwords on purpose. (The
# penalty for later logins from the same address is switched off in "service anvil" below.)
auth_failure_delay = 0

passdb {
  driver = static
  args = password=$DOVECOT_PASSWORD
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/home/%u
}

mail_location = maildir:~/Maildir
mail_fsync = never
# Dovecot notices changes through inotify; this is the fallback when inotify is unavailable.
mailbox_idle_check_interval = 1 secs

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 1000
}

service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
}

# Waits (at most ~10 s) until the server on PORT answers with its "* OK" greeting.
_dovecot_wait_ready() {
  local port=$1 i
  for ((i = 0; i < 100; i++)); do
    # In a subshell, so file descriptor 3 of the caller is left alone.
    if (
      exec 3<>"/dev/tcp/127.0.0.1/$port" &&
        IFS= read -r -t 5 line <&3 &&
        [[ $line == "* OK"* ]]
    ) 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

dovecot_start() {
  if [ -n "$DOVECOT_TMPDIR" ]; then
    _dovecot_log "already running on port $DOVECOT_PORT"
    return 0
  fi
  if [ ! -x "$DOVECOT_BIN" ]; then
    _dovecot_log "no Dovecot found at $DOVECOT_BIN (Debian: apt-get install dovecot-imapd)"
    return 1
  fi

  DOVECOT_RUN_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    if id -u dovecot >/dev/null 2>&1; then
      DOVECOT_RUN_AS=dovecot
    else
      if ! id -u postkamer-test >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postkamer-test
      fi
      DOVECOT_RUN_AS=postkamer-test
    fi
  fi
  local user uid gid group
  user=${DOVECOT_RUN_AS:-$(id -un)}
  uid=$(id -u "$user")
  gid=$(id -g "$user")
  group=$(id -gn "$user")

  DOVECOT_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-dovecot.XXXXXX")
  mkdir -p "$DOVECOT_TMPDIR/run" "$DOVECOT_TMPDIR/state" "$DOVECOT_TMPDIR/home"
  if [ -n "$DOVECOT_RUN_AS" ]; then
    chown -R "$DOVECOT_RUN_AS:" "$DOVECOT_TMPDIR"
    if ! _dovecot_as_user test -x "$DOVECOT_TMPDIR"; then
      _dovecot_log "user $DOVECOT_RUN_AS cannot reach $DOVECOT_TMPDIR (set TMPDIR to a directory it can enter, e.g. /tmp)"
      dovecot_stop
      return 1
    fi
  fi
  chmod 700 "$DOVECOT_TMPDIR"

  # The port is free when asked for, but another process could take it before Dovecot binds it:
  # try a few ports. Dovecot binds its listeners before it goes into the background, so a taken
  # port makes the start command itself fail.
  local attempt port
  for attempt in 1 2 3; do
    port=$(_dovecot_free_port)
    _dovecot_write_config "$port" "$user" "$uid" "$gid" "$group"
    if [ -n "$DOVECOT_RUN_AS" ]; then chown "$DOVECOT_RUN_AS:" "$DOVECOT_TMPDIR/dovecot.conf"; fi
    if _dovecot_as_user "$DOVECOT_BIN" -c "$DOVECOT_TMPDIR/dovecot.conf" 2>>"$DOVECOT_TMPDIR/start.log"; then
      if _dovecot_wait_ready "$port"; then
        DOVECOT_PORT=$port
        DOVECOT_HOMES="$DOVECOT_TMPDIR/home"
        DOVECOT_LOG="$DOVECOT_TMPDIR/dovecot.log"
        export DOVECOT_PORT DOVECOT_HOMES DOVECOT_LOG
        export POSTKAMER_TEST_IMAP="127.0.0.1:$port"
        export POSTKAMER_TEST_IMAP_PASSWORD=$DOVECOT_PASSWORD
        _dovecot_log "Dovecot $("$DOVECOT_BIN" --version | awk '{print $1}') on 127.0.0.1:$port (files in $DOVECOT_TMPDIR, running as $user)"
        return 0
      fi
      _dovecot_log "started on port $port but does not answer"
      _dovecot_kill_master
    fi
    _dovecot_log "start on port $port failed (attempt $attempt):"
    tail -n 20 "$DOVECOT_TMPDIR/start.log" "$DOVECOT_TMPDIR/dovecot.log" >&2 2>/dev/null || true
  done
  dovecot_stop
  return 1
}

# Stops the master process named in run/master.pid (it takes its children with it) and waits up to
# ~10 s for it to go, then kills it.
_dovecot_kill_master() {
  local pidfile="$DOVECOT_TMPDIR/run/master.pid" pid i
  [ -n "$DOVECOT_TMPDIR" ] && [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  case $pid in '' | *[!0-9]*) return 0 ;; esac
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Stops the server and removes its files. Safe to call more than once, and when never started.
dovecot_stop() {
  if [ -n "$DOVECOT_TMPDIR" ]; then
    _dovecot_kill_master
    if [ -d "$DOVECOT_TMPDIR" ]; then rm -rf "$DOVECOT_TMPDIR"; fi
  fi
  DOVECOT_TMPDIR=""
  DOVECOT_PORT=""
  DOVECOT_HOMES=""
  DOVECOT_LOG=""
  unset POSTKAMER_TEST_IMAP POSTKAMER_TEST_IMAP_PASSWORD
}

# dovecot_maildir USER — creates USER's Maildir (cur, new, tmp) if needed and prints its path.
dovecot_maildir() {
  if [ -z "$DOVECOT_TMPDIR" ]; then
    _dovecot_log "not running (call dovecot_start first)"
    return 1
  fi
  case $1 in '' | */* | .*)
    _dovecot_log "dovecot_maildir: invalid user name '$1'"
    return 1
    ;;
  esac
  local maildir="$DOVECOT_TMPDIR/home/$1/Maildir"
  _dovecot_as_user mkdir -p "$maildir/cur" "$maildir/new" "$maildir/tmp"
  printf '%s\n' "$maildir"
}
