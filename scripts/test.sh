#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Postkamer's test command (CI runs it through .ci/run).
#
#   scripts/test.sh
#
# Runs, in order: cargo fmt --check, clippy (server side and the wasm frontend), the Rust tests
# with cargo nextest (against a throw-away PostgreSQL server, a throw-away Dovecot IMAP server and
# a throw-away Knot authoritative DNS server and a throw-away SMTP server with the dkimpy verifier it starts), then the Playwright browser tests (Debian's
# Chromium, a fresh SQLite database with the demo data) twice: against the debug
# `cargo leptos build`, and against the release build with split wasm that scripts/run.sh serves. A failing step does not stop
# the later ones (except that the browser tests need the build); the exit code is non-zero if any
# failed.
#
# Works on a fresh Debian 12 machine as root without input: it installs what is missing
# (postgresql, dovecot-imapd, knot + knot-dnsutils, vdirsyncer, chromium, python3-venv, openssl, the cargo-leptos tool chain, the npm packages, aiosmtpd and dkimpy from PyPI in a venv) and nothing
# that is there.
#
# Environment:
#   CARGO_TARGET_DIR  build directory (default ~/.cache/postkamer/target, outside the clone, so
#                     repeated CI runs on one machine reuse earlier builds)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/postgres.sh
. "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=lib/dovecot.sh
. "$ROOT/scripts/lib/dovecot.sh"
# shellcheck source=lib/knot.sh
. "$ROOT/scripts/lib/knot.sh"
# shellcheck source=lib/python.sh
. "$ROOT/scripts/lib/python.sh"
# shellcheck source=lib/smtp.sh
. "$ROOT/scripts/lib/smtp.sh"

export CARGO_BUILD_JOBS=2
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
CARGO_TARGET_DIR=$(pk_target_dir "$HOME/.cache/postkamer/target")
export CARGO_TARGET_DIR

SERVER_PID=""
WORK_TMP=""
declare -a RESULTS=()
FAILED=0

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  pg_stop
  dovecot_stop
  knot_stop
  smtp_stop
  if [ -n "$WORK_TMP" ] && [ -d "$WORK_TMP" ]; then rm -rf "$WORK_TMP"; fi
  WORK_TMP=""
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# record NAME ok|FAILED|skipped
record() {
  RESULTS+=("$1: $2")
  if [ "$2" = FAILED ]; then FAILED=1; fi
}

# ------------------------------------------------------------------ system packages
missing=()
pg_find_bindir >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/sbin/knotd ] || missing+=(knot)
command -v knsupdate >/dev/null 2>&1 || missing+=(knot-dnsutils)
command -v vdirsyncer >/dev/null 2>&1 || missing+=(vdirsyncer)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
pk_apt_install "${missing[@]}"

# ------------------------------------------------------------------ build tools
pk_step "build tools (scripts/ensure-tools.sh)"
# `cargo install` would build inside CARGO_TARGET_DIR if it were set: keep it out.
env -u CARGO_TARGET_DIR bash "$ROOT/scripts/ensure-tools.sh"
if ! cargo nextest --version >/dev/null 2>&1; then
  pk_step "installing cargo-nextest"
  env -u CARGO_TARGET_DIR cargo install cargo-nextest --locked --ignore-rust-version
fi

# The editor module (esbuild → public/editor/), which both site builds below copy; its build
# fails when the module is over its budget (100 KB gzip).
pk_step "editor module (npm run build:editor)"
if npm run --silent build:editor; then
  record editor-module ok
else
  record editor-module FAILED
fi

# ------------------------------------------------------------------ one build for tests and end2end
# `cargo leptos build` (debug) builds the server with two things a plain cargo build lacks:
#  - the LEPTOS_* variables below: `leptos` reads LEPTOS_OUTPUT_NAME at compile time, so a
#    different value (or none) rebuilds leptos and everything above it;
#  - RUSTFLAGS="--cfg erase_components" (unless Cargo.toml says disable-erase-components = true).
# Giving clippy and nextest the same values lets the end2end build reuse the test build instead
# of compiling the whole server a second time. The values equal what cargo-leptos derives from
# [[workspace.metadata.leptos]] (it also reads them back from the environment), except that the
# site goes into the target directory rather than ./target/site.
export LEPTOS_OUTPUT_NAME=postkamer
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=127.0.0.1:3000
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_JS_MINIFY=false
export LEPTOS_HASH_FILES=false
ORIGINAL_RUSTFLAGS=${RUSTFLAGS-}
if grep -Eq '^[[:space:]]*disable-erase-components[[:space:]]*=[[:space:]]*true' Cargo.toml; then
  TEST_RUSTFLAGS=$ORIGINAL_RUSTFLAGS
elif grep -qs rustflags .cargo/config.toml .cargo/config; then
  # cargo-leptos merges config-file rustflags into its RUSTFLAGS; a RUSTFLAGS variable here
  # would replace them instead. Not worth mimicking: build twice, but correctly.
  TEST_RUSTFLAGS=$ORIGINAL_RUSTFLAGS
else
  TEST_RUSTFLAGS="${ORIGINAL_RUSTFLAGS:+$ORIGINAL_RUSTFLAGS }--cfg erase_components"
fi

# Host builds (clippy, nextest) get TEST_RUSTFLAGS; cargo leptos adds --cfg erase_components
# itself and the wasm clippy shares nothing with its build, so those get the original RUSTFLAGS.
with_test_rustflags() {
  if [ -n "$TEST_RUSTFLAGS" ]; then RUSTFLAGS=$TEST_RUSTFLAGS "$@"; else env -u RUSTFLAGS "$@"; fi
}
with_original_rustflags() {
  if [ -n "$ORIGINAL_RUSTFLAGS" ]; then RUSTFLAGS=$ORIGINAL_RUSTFLAGS "$@"; else env -u RUSTFLAGS "$@"; fi
}

# ------------------------------------------------------------------ PostgreSQL for the tests
pk_step "throw-away PostgreSQL"
pg_start
printf '  POSTKAMER_TEST_PG_URL=%s\n' "$POSTKAMER_TEST_PG_URL"

# ------------------------------------------------------------------ Dovecot for the IMAP tests
pk_step "throw-away Dovecot IMAP server"
dovecot_start
printf '  POSTKAMER_TEST_IMAP=%s\n' "$POSTKAMER_TEST_IMAP"

# ------------------------------------------------------------------ Knot for the DNS tests
pk_step "throw-away Knot DNS server"
knot_start
printf '  POSTKAMER_TEST_DNS=%s (zone %s)\n' "$POSTKAMER_TEST_DNS" "$POSTKAMER_TEST_DNS_ZONE"

# ------------------------------------------------------------------ SMTP and DKIM for the sending tests
pk_step "throw-away SMTP server (aiosmtpd, STARTTLS and AUTH) and the DKIM verifier (dkimpy)"
smtp_start
printf '  POSTKAMER_TEST_SMTP=%s\n' "$POSTKAMER_TEST_SMTP"

# ------------------------------------------------------------------ static checks
pk_step "cargo fmt --all --check"
if cargo fmt --all --check; then record fmt ok; else record fmt FAILED; fi

pk_step "dependency rules (scripts/check-deps.py)"
if python3 "$ROOT/scripts/check-deps.py"; then record dependency-rules ok; else record dependency-rules FAILED; fi

pk_step "cargo clippy --workspace --exclude postkamer-frontend --all-targets -- -D warnings"
if with_test_rustflags cargo clippy --workspace --exclude postkamer-frontend --all-targets -- -D warnings; then
  record clippy ok
else
  record clippy FAILED
fi

pk_step "cargo clippy -p postkamer-frontend --target wasm32-unknown-unknown -- -D warnings"
if with_original_rustflags cargo clippy -p postkamer-frontend --target wasm32-unknown-unknown -- -D warnings; then
  record clippy-wasm ok
else
  record clippy-wasm FAILED
fi

# ------------------------------------------------------------------ Rust tests
# Logs of this run and the end2end database; removed on exit.
WORK_TMP=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-test.XXXXXX")

pk_step "cargo nextest run --workspace --exclude postkamer-frontend --no-fail-fast"
if with_test_rustflags cargo nextest run --workspace --exclude postkamer-frontend --no-fail-fast 2>&1 |
  tee "$WORK_TMP/nextest.log"; then
  record nextest ok
else
  record nextest FAILED
fi
pg_stop
# Dovecot stays up: the browser tests deliver mail to the demo user's mailbox on it.

# ------------------------------------------------------------------ end2end
# run_e2e NAME BIN SITE_ROOT [ENV=VALUE...]: a fresh SQLite database with the demo data (the demo
# user's mailbox on the throw-away Dovecot), the server BIN serving SITE_ROOT on a free port, and
# the Playwright tests against it; records NAME. The server log goes to $WORK_TMP/server-NAME.log,
# Playwright's to $WORK_TMP/playwright-NAME.log.
run_e2e() {
  local name=$1 bin=$2 site=$3
  shift 3
  local ok=1 db_url="sqlite://$WORK_TMP/e2e-$name.db" log="$WORK_TMP/server-$name.log"
  if [ ! -f "$site/pkg/$LEPTOS_OUTPUT_NAME.wasm" ]; then
    pk_log "the site is missing: $site/pkg/$LEPTOS_OUTPUT_NAME.wasm (did cargo leptos build put it elsewhere?)"
    ok=0
  fi
  # The demo user `gebruiker` gets a mailbox on the throw-away Dovecot; the tests deliver to it.
  E2E_IMAP_LOGIN="e2e-$$-$name-$RANDOM"
  export E2E_IMAP_LOGIN
  pk_step "end2end ($name): fresh SQLite database with demo data"
  if [ "$ok" = 1 ] &&
    ! { DATABASE_URL=$db_url POSTKAMER_DATABASE_URL=$db_url "$bin" migrate &&
      DATABASE_URL=$db_url POSTKAMER_DATABASE_URL=$db_url "$bin" demo &&
      DATABASE_URL=$db_url POSTKAMER_DATABASE_URL=$db_url "$bin" mailbox add \
        --user gebruiker@demo-bv.nl --host 127.0.0.1 --port "$DOVECOT_PORT" --tls none \
        --login "$E2E_IMAP_LOGIN" --password-env POSTKAMER_TEST_IMAP_PASSWORD; }; then
    pk_log "postkamer migrate/demo/mailbox add failed"
    ok=0
  fi
  local base_url=""
  if [ "$ok" = 1 ]; then
    local port
    port=$(pk_free_port)
    base_url="http://127.0.0.1:$port"
    pk_step "end2end ($name): start $bin on $base_url"
    env "$@" DATABASE_URL="$db_url" POSTKAMER_DATABASE_URL="$db_url" LEPTOS_SITE_ROOT="$site" \
      POSTKAMER_LISTEN="127.0.0.1:$port" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
      "$bin" serve >"$log" 2>&1 &
    SERVER_PID=$!
    # Poll /readyz (curl retries for up to a minute; -s: no "connection refused" noise), and
    # stop waiting at once if the server exits first.
    curl --retry-connrefused --retry 60 --retry-delay 1 -fs -o /dev/null "$base_url/readyz" &
    local curl_pid=$! first="" status=0
    wait -n -p first "$SERVER_PID" "$curl_pid" || status=$?
    if [ "$first" = "$curl_pid" ] && [ "$status" = 0 ]; then
      echo "  server ready at $base_url (pid $SERVER_PID)"
    else
      if [ "$first" = "$SERVER_PID" ]; then
        pk_log "the server exited (status $status) before it was ready"
        SERVER_PID=""
        kill "$curl_pid" 2>/dev/null || true
        wait "$curl_pid" 2>/dev/null || true
      else
        pk_log "the server did not become ready at $base_url/readyz"
      fi
      ok=0
    fi
  fi

  if [ "$ok" = 1 ]; then
    pk_step "end2end ($name): npx playwright test"
    if (cd "$ROOT/end2end" && BASE_URL=$base_url npx playwright test 2>&1) | tee "$WORK_TMP/playwright-$name.log"; then
      record "end2end-$name" ok
    else
      record "end2end-$name" FAILED
      ok=0
    fi
  else
    record "end2end-$name" FAILED
  fi

  if [ "$ok" = 0 ] && [ -f "$log" ]; then
    pk_step "end2end ($name): last 100 lines of the server log"
    tail -n 100 "$log" || true
  fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

pk_step "end2end: npm packages"
NPM_OK=1
# (Re)installs when node_modules is missing or was installed from another package-lock.json.
if ! (
  cd "$ROOT/end2end"
  stamp=node_modules/.postkamer-lock.sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d node_modules/@playwright/test ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
    printf '%s\n' "$want" >"$stamp"
  else
    echo "  end2end/node_modules is up to date"
  fi
); then
  pk_log "npm ci in end2end/ failed"
  NPM_OK=0
fi
export POSTKAMER_SECRET_KEY_FILE="$WORK_TMP/secret.key"
# Domain checks ask the throw-away Knot; our SPF host is the one in its test zone.
export POSTKAMER_DNS_SERVERS=$POSTKAMER_TEST_DNS
export POSTKAMER_SPF_INCLUDE="spf.$POSTKAMER_TEST_DNS_ZONE"

# The debug build shares the test build's compiled crates.
pk_step "cargo leptos build --split (debug)"
if with_original_rustflags cargo leptos build --split; then
  record leptos-build ok
  if [ "$NPM_OK" = 1 ]; then
    run_e2e debug "$CARGO_TARGET_DIR/debug/postkamer" "$LEPTOS_SITE_ROOT"
  else
    record end2end-debug FAILED
  fi
else
  record leptos-build FAILED
  record end2end-debug skipped
fi

# The release build with split wasm, built and served as scripts/run.sh does (cargo-leptos's
# release defaults: minified JS; LEPTOS_ENV=PROD), its site kept apart from the debug one.
RELEASE_SITE="$CARGO_TARGET_DIR/site-release"
pk_step "cargo leptos build --release --split (what scripts/run.sh serves)"
if (
  unset LEPTOS_JS_MINIFY LEPTOS_HASH_FILES
  export LEPTOS_SITE_ROOT="$RELEASE_SITE"
  with_original_rustflags cargo leptos build --release --split
); then
  record leptos-build-release ok
  pk_step "bundle budgets (scripts/bundle-size.sh, release site)"
  if bash "$ROOT/scripts/bundle-size.sh" "$RELEASE_SITE"; then
    record bundle-budget ok
  else
    record bundle-budget FAILED
  fi
  if [ "$NPM_OK" = 1 ]; then
    run_e2e release "$CARGO_TARGET_DIR/release/postkamer" "$RELEASE_SITE" LEPTOS_ENV=PROD
  else
    record end2end-release FAILED
  fi
else
  record leptos-build-release FAILED
  record end2end-release skipped
fi

# ------------------------------------------------------------------ summary
# Test counts from nextest's "Summary [...] N tests run: N passed, N failed, N skipped" line and
# Playwright's closing "  N passed (12.3s)" / "  N failed" / "  N did not run" lines.
summary_line() { # FILE REGEX -> the last line of FILE matching REGEX, colour codes removed
  [ -f "$1" ] || return 0
  sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" | grep -E "$2" | tail -n 1 || true
}
sum_of() { # TEXT WORDS-REGEX -> the sum of the numbers before those words in TEXT
  { printf '%s\n' "$1" | grep -oE "[0-9]+ ($2)" || true; } | awk '{ n += $1 } END { print n + 0 }'
}
nx=$(summary_line "$WORK_TMP/nextest.log" '^ *Summary \[')
nx_passed=$(sum_of "$nx" 'passed')
nx_failed=$(sum_of "$nx" 'failed|timed out')
nx_skipped=$(sum_of "$nx" 'skipped')
pw=""
for build in debug release; do
  log="$WORK_TMP/playwright-$build.log"
  pw="$pw
$(summary_line "$log" '^ +[0-9]+ passed')
$(summary_line "$log" '^ +[0-9]+ flaky')
$(summary_line "$log" '^ +[0-9]+ (failed|interrupted)')
$(summary_line "$log" '^ +[0-9]+ (skipped|did not run)')"
done
pw_passed=$(sum_of "$pw" 'passed|flaky')
pw_failed=$(sum_of "$pw" 'failed|interrupted')
pw_skipped=$(sum_of "$pw" 'skipped|did not run')

pk_step "summary"
for line in "${RESULTS[@]}"; do printf '  %s\n' "$line"; done
printf 'rust tests (nextest): %s passed, %s failed, %s skipped\n' "$nx_passed" "$nx_failed" "$nx_skipped"
printf 'browser tests (playwright, debug + release): %s passed, %s failed, %s skipped\n' "$pw_passed" "$pw_failed" "$pw_skipped"
if [ "$FAILED" != 0 ]; then
  echo "FAILED: $(printf '%s\n' "${RESULTS[@]}" | awk -F': ' '$2 == "FAILED" { printf "%s%s", sep, $1; sep = ", " }')"
fi
printf 'tests: %s passed, %s failed, %s skipped\n' "$((nx_passed + pw_passed))" "$((nx_failed + pw_failed))" "$((nx_skipped + pw_skipped))"
exit "$FAILED"
