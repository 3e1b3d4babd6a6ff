# shellcheck shell=bash
# A throw-away SMTP server (aiosmtpd, scripts/lib/py/smtp_server.py) and the DKIM verifier
# (dkimpy, scripts/lib/py/dkim_verify.py) for the sending tests. Source this file (and
# python.sh), then:
#
#   smtp_start    # starts the server on free 127.0.0.1 ports, exports the variables below
#   smtp_stop     # stops it, removes its files
#
# The server requires AUTH with a login and password of this run; its certificate is issued by a
# CA made for this run (the tests trust it next to the Mozilla roots). What it receives lands
# in POSTKAMER_TEST_SMTP_SPOOL (see smtp_server.py). Everything lives in one `mktemp -d`
# directory.
#
# Exports: POSTKAMER_TEST_SMTP (127.0.0.1:<STARTTLS port>), POSTKAMER_TEST_SMTP_TLS (implicit
# TLS), POSTKAMER_TEST_SMTP_PLAIN (no TLS), POSTKAMER_TEST_SMTP_LOGIN,
# POSTKAMER_TEST_SMTP_PASSWORD, POSTKAMER_TEST_SMTP_SPOOL, POSTKAMER_TEST_SMTP_CA (the CA
# certificate, DER), POSTKAMER_TEST_DKIM_VERIFY (a command: message on stdin, exit 0 = pass).

SMTP_TMPDIR=""
SMTP_PID=""

_smtp_log() { printf '  [smtp] %s\n' "$*" >&2; }

_smtp_certificates() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Postkamer test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext" &&
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
      -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null &&
    openssl x509 -in "$dir/ca.pem" -outform DER -out "$dir/ca.der"
}

smtp_start() {
  if [ -n "$SMTP_TMPDIR" ]; then
    _smtp_log "already running on port ${POSTKAMER_TEST_SMTP##*:}"
    return 0
  fi
  py_ensure_venv || { _smtp_log "the Python tools could not be installed"; return 1; }
  SMTP_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-smtp.XXXXXX")
  mkdir -p "$SMTP_TMPDIR/spool"
  _smtp_certificates "$SMTP_TMPDIR" || { _smtp_log "openssl could not make the test certificates"; smtp_stop; return 1; }
  local login="sender-$$" password attempt ports line
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  cat >"$SMTP_TMPDIR/dkim-verify" <<VERIFY
#!/bin/sh
exec "$PK_PYTHON" "$PK_PY_DIR/dkim_verify.py" "\$@"
VERIFY
  chmod +x "$SMTP_TMPDIR/dkim-verify"
  for attempt in 1 2 3; do
    read -r -a ports <<<"$(pk_free_port) $(pk_free_port) $(pk_free_port)"
    rm -f "$SMTP_TMPDIR/ready"
    mkfifo "$SMTP_TMPDIR/ready"
    "$PK_PYTHON" "$PK_PY_DIR/smtp_server.py" --port "${ports[0]}" --tls-port "${ports[1]}" \
      --plain-port "${ports[2]}" --spool "$SMTP_TMPDIR/spool" --cert "$SMTP_TMPDIR/server.pem" \
      --key "$SMTP_TMPDIR/server.key" --login "$login" --password "$password" \
      >"$SMTP_TMPDIR/ready" 2>>"$SMTP_TMPDIR/server.log" &
    SMTP_PID=$!
    line=""
    read -r -t 30 line <"$SMTP_TMPDIR/ready" || true
    if [ "$line" = ready ]; then
      export POSTKAMER_TEST_SMTP="127.0.0.1:${ports[0]}"
      export POSTKAMER_TEST_SMTP_TLS="127.0.0.1:${ports[1]}"
      export POSTKAMER_TEST_SMTP_PLAIN="127.0.0.1:${ports[2]}"
      export POSTKAMER_TEST_SMTP_LOGIN=$login POSTKAMER_TEST_SMTP_PASSWORD=$password
      export POSTKAMER_TEST_SMTP_SPOOL="$SMTP_TMPDIR/spool"
      export POSTKAMER_TEST_SMTP_CA="$SMTP_TMPDIR/ca.der"
      export POSTKAMER_TEST_DKIM_VERIFY="$SMTP_TMPDIR/dkim-verify"
      _smtp_log "aiosmtpd on 127.0.0.1: STARTTLS ${ports[0]}, TLS ${ports[1]}, plain ${ports[2]} (files in $SMTP_TMPDIR)"
      return 0
    fi
    _smtp_log "start failed (attempt $attempt):"
    tail -n 20 "$SMTP_TMPDIR/server.log" >&2 2>/dev/null || true
    _smtp_kill
  done
  smtp_stop
  return 1
}

_smtp_kill() {
  local pid=$SMTP_PID
  SMTP_PID=""
  case $pid in '' | *[!0-9]*) return 0 ;; esac
  kill -TERM "$pid" 2>/dev/null || return 0
  wait "$pid" 2>/dev/null || true
}

smtp_stop() {
  _smtp_kill
  if [ -n "$SMTP_TMPDIR" ] && [ -d "$SMTP_TMPDIR" ]; then rm -rf "$SMTP_TMPDIR"; fi
  SMTP_TMPDIR=""
  unset POSTKAMER_TEST_SMTP POSTKAMER_TEST_SMTP_TLS POSTKAMER_TEST_SMTP_PLAIN \
    POSTKAMER_TEST_SMTP_LOGIN POSTKAMER_TEST_SMTP_PASSWORD POSTKAMER_TEST_SMTP_SPOOL \
    POSTKAMER_TEST_SMTP_CA POSTKAMER_TEST_DKIM_VERIFY
}
