# shellcheck shell=bash
# A throw-away authoritative DNS server (Knot DNS) for tests. Source this file, then:
#
#   knot_start            # starts knotd on a free 127.0.0.1 port (UDP and TCP), exports the variables below
#   trap knot_stop EXIT   # (or call knot_stop from your own exit trap) stops it, removes its files
#
# It serves one zone, `postkamer.test.`, and accepts DNS UPDATE (RFC 2136) from 127.0.0.1 without a
# key, so each test publishes the records it needs under a name of its own
# (`<unique>.postkamer.test`) while the server runs — the way a customer edits records at a DNS
# provider. A name nobody published answers NXDOMAIN, authoritatively. The zone also holds
# `spf.postkamer.test` (TXT "v=spf1 ip4:127.0.0.1 -all"), the SPF host the tests configure as ours.
#
# Everything (configuration, zone, journal, socket, log) lives in one `mktemp -d` directory; the
# server listens on 127.0.0.1 only. Needs /usr/sbin/knotd and /usr/bin/kdig (Debian packages
# `knot` and `knot-dnsutils`).
#
# Exports: POSTKAMER_TEST_DNS (127.0.0.1:<port>), POSTKAMER_TEST_DNS_ZONE (postkamer.test),
# KNOT_PORT, KNOT_LOG.

KNOTD_BIN=${KNOTD_BIN:-/usr/sbin/knotd}
KNOT_TMPDIR=""
KNOT_PID=""
KNOT_ZONE=postkamer.test

_knot_log() { printf '  [knot] %s\n' "$*" >&2; }

_knot_free_port() {
  # Free for both UDP and TCP at the moment of asking.
  python3 -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        t.close(); continue
    u.close(); t.close(); print(port); break'
}

_knot_write_config() {
  local port=$1 dir=$KNOT_TMPDIR
  cat >"$dir/knot.conf" <<EOF
# Throw-away test server written by scripts/lib/knot.sh. Not for real zones.
server:
    rundir: "$dir/run"
    pidfile: "$dir/run/knot.pid"
    listen: 127.0.0.1@$port
    tcp-workers: 2
    udp-workers: 2
    background-workers: 1

database:
    storage: "$dir/db"

control:
    listen: "$dir/run/knot.sock"

log:
  - target: "$dir/knot.log"
    any: info

acl:
  - id: local-update
    address: 127.0.0.1
    action: update

template:
  - id: default
    storage: "$dir/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
    semantic-checks: off

zone:
  - domain: $KNOT_ZONE
    acl: local-update
EOF
  cat >"$dir/zones/$KNOT_ZONE.zone" <<EOF
\$ORIGIN $KNOT_ZONE.
\$TTL 60
@       SOA ns hostmaster 1 3600 600 86400 1
@       NS  ns
ns      A   127.0.0.1
spf     TXT "v=spf1 ip4:127.0.0.1 -all"
EOF
}

_knot_wait_ready() {
  local port=$1 i
  for ((i = 0; i < 100; i++)); do
    if kdig +short +timeout=1 +retry=0 @127.0.0.1 -p "$port" SOA "$KNOT_ZONE." 2>/dev/null | grep -q hostmaster; then
      return 0
    fi
    kill -0 "$KNOT_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

knot_start() {
  if [ -n "$KNOT_TMPDIR" ]; then
    _knot_log "already running on port $KNOT_PORT"
    return 0
  fi
  if [ ! -x "$KNOTD_BIN" ] || ! command -v kdig >/dev/null; then
    _knot_log "no Knot DNS found (Debian: apt-get install knot knot-dnsutils)"
    return 1
  fi
  KNOT_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-knot.XXXXXX")
  mkdir -p "$KNOT_TMPDIR/run" "$KNOT_TMPDIR/db" "$KNOT_TMPDIR/zones"
  local attempt port
  for attempt in 1 2 3; do
    port=$(_knot_free_port)
    _knot_write_config "$port"
    "$KNOTD_BIN" -c "$KNOT_TMPDIR/knot.conf" >>"$KNOT_TMPDIR/start.log" 2>&1 &
    KNOT_PID=$!
    if _knot_wait_ready "$port"; then
      KNOT_PORT=$port
      KNOT_LOG="$KNOT_TMPDIR/knot.log"
      export KNOT_PORT KNOT_LOG
      export POSTKAMER_TEST_DNS="127.0.0.1:$port"
      export POSTKAMER_TEST_DNS_ZONE=$KNOT_ZONE
      _knot_log "Knot DNS $("$KNOTD_BIN" --version | awk '{print $NF}') on 127.0.0.1:$port, zone $KNOT_ZONE (files in $KNOT_TMPDIR)"
      return 0
    fi
    _knot_log "start on port $port failed (attempt $attempt):"
    tail -n 20 "$KNOT_TMPDIR/start.log" "$KNOT_TMPDIR/knot.log" >&2 2>/dev/null || true
    _knot_kill
  done
  knot_stop
  return 1
}

_knot_kill() {
  local pid=$KNOT_PID i
  KNOT_PID=""
  case $pid in '' | *[!0-9]*) return 0 ;; esac
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

knot_stop() {
  _knot_kill
  if [ -n "$KNOT_TMPDIR" ] && [ -d "$KNOT_TMPDIR" ]; then rm -rf "$KNOT_TMPDIR"; fi
  KNOT_TMPDIR=""
  KNOT_PORT=""
  KNOT_LOG=""
  unset POSTKAMER_TEST_DNS POSTKAMER_TEST_DNS_ZONE
}
