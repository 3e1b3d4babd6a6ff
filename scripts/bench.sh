#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Postkamer's benchmark command (a measurement, not a test: nothing here fails on a slow result).
#
#   scripts/bench.sh [--quick] [--mail-only] [--domains-only] [--carddav-only] [--breakdown]
#
# 1. The relations benchmark, crates/store/benches/relations.rs: seeds one organisation with
#    2,000 companies and 100,000 contact persons (deterministic demo data) into SQLite and into a
#    throw-away PostgreSQL server it starts, then prints p50/p90/p99/max per call of the e-mail
#    lookup and of the search page (a mix of realistic queries, and page 50), the seed times, the
#    database sizes and the peak RSS. Targets on SQLite: e-mail lookup p99 < 1 ms, search page
#    p99 < 20 ms.
# 2. The mail sync benchmark, crates/core/benches/sync.rs (issue 3): starts a throw-away Dovecot,
#    writes 10,000 realistic Dutch messages straight into its Maildir (deterministic; see
#    crates/core/benches/sync/seed.rs), pulls that INBOX once with mbsync (isync, `FSync no`) for
#    comparison, then times Postkamer's first sync of the same mailbox into SQLite and into
#    PostgreSQL (one process per engine, so each peak RSS is its own), and 20 deliveries of one
#    new message from APPEND to listed in the inbox (IDLE, sync of the inbox, message list).
#    Targets: at least 2x mbsync's messages per second, peak RSS < 300 MB, delivery to visible
#    < 200 ms.
# 3. The domain check benchmark, crates/domainauth/benches/check.rs (issue 4): starts a throw-away
#    Knot DNS, publishes a correct domain and one whose SPF needs 11 lookups through three levels
#    of includes, and times 200 whole checks of each (SPF with its lookup tree, both DKIM
#    selectors, DMARC, MX), the DKIM record diagnosis alone, and the peak RSS.
# 4. The CardDAV benchmark, server/benches/carddav.rs (issue 5): 10,000 contacts marked for sync
#    on SQLite, through the whole router: a full sync as iOS does it (PROPFIND Depth 1, then
#    addressbook-multiget in batches of 100), sync-collection after one change, a no-change
#    poll, peak RSS. Targets: under 1 s, 10 ms, 5 ms and 150 MB.
# 5. The size of the release wasm bundle and the editor module: `cargo leptos build --release
#    --split`, then scripts/bundle-size.sh (raw and `gzip -9` sizes, budgets 300 KB and 100 KB).
#
# Options:
#   --quick      10,000 persons, 2,000 messages, and no wasm release build: to try it out
#   --mail-only  only the mail sync benchmark (2)
#   --domains-only  only the domain check benchmark (3)
#   --carddav-only  only the CardDAV benchmark (4)
#   --breakdown  the mail benchmark also times fetch, parse/compress and store one phase at a time
#                (into another fresh database per engine), to see where the time goes
#
# Environment:
#   BENCH_PERSONS, BENCH_COMPANIES  size of the relations data set (win over the defaults and --quick)
#   BENCH_MESSAGES    messages seeded for the mail benchmark (wins over the default and --quick)
#   BENCH_ROUNDS      deliveries timed for the incremental figure (default 20)
#   CARGO_TARGET_DIR  build directory (default ~/.cache/postkamer/target, as scripts/test.sh)
#   CARGO_BUILD_JOBS  parallel compiler jobs (cargo's default: one per CPU)
#
# Without PostgreSQL server binaries (Debian: package postgresql) the benchmarks run on SQLite
# only. The mail benchmark needs Dovecot and mbsync (Debian: dovecot-imapd, isync); run as root,
# the script installs them when missing.
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
# shellcheck source=lib/mail-bench.sh
. "$ROOT/scripts/lib/mail-bench.sh" # mail_bench: uses with_rustflags, HOST_RUSTFLAGS (below)

QUICK=0
MAIL_ONLY=0
DOMAINS_ONLY=0
CARDDAV_ONLY=0
BREAKDOWN=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --mail-only) MAIL_ONLY=1 ;;
    --domains-only) DOMAINS_ONLY=1 ;;
    --carddav-only) CARDDAV_ONLY=1 ;;
    --breakdown) BREAKDOWN=1 ;;
    -h | --help)
      sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      pk_log "unknown argument: $arg (try --help)"
      exit 2
      ;;
  esac
done
if [ "$QUICK" = 1 ]; then
  export BENCH_PERSONS=${BENCH_PERSONS:-10000}
fi
BENCH_MESSAGES=${BENCH_MESSAGES:-$([ "$QUICK" = 1 ] && echo 2000 || echo 10000)}
BENCH_ROUNDS=${BENCH_ROUNDS:-20}

# ------------------------------------------------------------------ system packages
missing=()
[ -x "$DOVECOT_BIN" ] || missing+=(dovecot-imapd)
command -v mbsync >/dev/null 2>&1 || missing+=(isync)
[ -x "$KNOTD_BIN" ] || missing+=(knot)
command -v kdig >/dev/null 2>&1 || missing+=(knot-dnsutils)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
pk_apt_install "${missing[@]}"

: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
CARGO_TARGET_DIR=$(pk_target_dir "$HOME/.cache/postkamer/target")
export CARGO_TARGET_DIR

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local rc=$?
  pg_stop
  dovecot_stop
  knot_stop
  if [ -n "${MAIL_TMP:-}" ]; then rm -rf "$MAIL_TMP"; fi
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The same LEPTOS_* values and RUSTFLAGS as scripts/test.sh, so that builds here and there share
# what they can in the target directory (see the comments there).
export LEPTOS_OUTPUT_NAME=postkamer
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=127.0.0.1:3000
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_JS_MINIFY=false
export LEPTOS_HASH_FILES=false
ORIGINAL_RUSTFLAGS=${RUSTFLAGS-}
if grep -Eq '^[[:space:]]*disable-erase-components[[:space:]]*=[[:space:]]*true' Cargo.toml ||
  grep -qs rustflags .cargo/config.toml .cargo/config; then
  HOST_RUSTFLAGS=$ORIGINAL_RUSTFLAGS
else
  HOST_RUSTFLAGS="${ORIGINAL_RUSTFLAGS:+$ORIGINAL_RUSTFLAGS }--cfg erase_components"
fi
with_rustflags() { # FLAGS COMMAND... — runs COMMAND with RUSTFLAGS=FLAGS (unset when empty)
  local flags=$1
  shift
  if [ -n "$flags" ]; then RUSTFLAGS=$flags "$@"; else env -u RUSTFLAGS "$@"; fi
}

# ------------------------------------------------------------------ PostgreSQL
# ------------------------------------------------------------------ domain checks
domain_bench() {
  pk_step "domain check benchmark (Knot DNS on 127.0.0.1)"
  knot_start
  with_rustflags "$HOST_RUSTFLAGS" cargo bench -p postkamer-domainauth --bench check
  knot_stop
}
carddav_bench() {
  pk_step "CardDAV benchmark: ${BENCH_CONTACTS:-10000} synced contacts on SQLite"
  with_rustflags "$HOST_RUSTFLAGS" cargo bench -p postkamer-server --bench carddav
}
if [ "$DOMAINS_ONLY" = 1 ]; then
  domain_bench
  exit 0
fi
if [ "$CARDDAV_ONLY" = 1 ]; then
  carddav_bench
  exit 0
fi

if pg_find_bindir >/dev/null 2>&1; then
  pk_step "throw-away PostgreSQL"
  pg_start
else
  pk_log "no PostgreSQL server binaries (Debian: apt-get install postgresql): SQLite only"
fi

# ------------------------------------------------------------------ relations
if [ "$MAIL_ONLY" = 0 ]; then
  pk_step "relations benchmark: ${BENCH_PERSONS:-100000} persons, ${BENCH_COMPANIES:-2000} companies"
  with_rustflags "$HOST_RUSTFLAGS" cargo bench -p postkamer-store --bench relations
fi

# ------------------------------------------------------------------ mail sync
mail_bench
pg_stop
dovecot_stop
if [ "$MAIL_ONLY" = 0 ]; then
  domain_bench
  carddav_bench
fi

# ------------------------------------------------------------------ wasm bundle
if [ "$QUICK" = 1 ] || [ "$MAIL_ONLY" = 1 ]; then
  pk_step "wasm bundle: skipped ($([ "$QUICK" = 1 ] && echo --quick || echo --mail-only))"
  exit 0
fi

pk_step "editor module, cargo leptos build --release --split"
npm run --silent build:editor
with_rustflags "$ORIGINAL_RUSTFLAGS" cargo leptos build --release --split

pk_step "release bundle sizes ($LEPTOS_SITE_ROOT)"
bash "$ROOT/scripts/bundle-size.sh" "$LEPTOS_SITE_ROOT"
if [ "$LEPTOS_JS_MINIFY" = false ]; then
  pk_log "the .js is not minified (LEPTOS_JS_MINIFY=false, as in scripts/test.sh)"
fi
