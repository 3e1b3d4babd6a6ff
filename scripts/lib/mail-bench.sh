# shellcheck shell=bash
# The mail sync benchmark of scripts/bench.sh (issue 3). Source it after common.sh, postgres.sh
# and dovecot.sh, from a script that defines `with_rustflags` and HOST_RUSTFLAGS (bench.sh), then
# call `mail_bench`. It
#
#  1. builds crates/core/benches/sync.rs in the bench profile;
#  2. starts a throw-away Dovecot (scripts/lib/dovecot.sh) and seeds the Maildir of user `bench`
#     with $BENCH_MESSAGES messages (the bench binary's `--seed`), then lets Dovecot index them
#     (`--warm`), so no run below pays for that;
#  3. pulls INBOX with mbsync (isync, `FSync no`) into a temporary Maildir, wall clock;
#  4. runs the bench binary once per engine (SQLite, and PostgreSQL when POSTKAMER_TEST_PG_URL is
#     set): first sync, peak RSS, and $BENCH_ROUNDS timed deliveries;
#  5. prints a summary with the ratio to mbsync and the targets.
#
# Uses BENCH_MESSAGES, BENCH_ROUNDS, BREAKDOWN (1: pass --breakdown). Sets MAIL_TMP (a temporary
# directory; the caller removes it on exit).

MAIL_TMP=""
MAIL_LOGIN=bench

# Prints the path of the built bench executable.
_mail_bench_build() {
  with_rustflags "$HOST_RUSTFLAGS" cargo bench -p postkamer-core --bench sync --no-run \
    --message-format=json-render-diagnostics |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "sync":
        print(m["executable"])'
}

# _mail_bench_mbsync DIR — pulls INBOX of $MAIL_LOGIN into DIR/mail with mbsync; writes
# "seconds messages peak_rss_kib" to DIR/result (peak RSS "-" without GNU time).
_mail_bench_mbsync() {
  local dir=$1 start end count rss=-
  mkdir -p "$dir/mail"
  # isync 1.4 syntax (Far/Near, SSLType). LOGIN in the clear is fine: loopback only.
  cat >"$dir/mbsyncrc" <<EOF
FSync no

IMAPAccount bench
Host 127.0.0.1
Port $DOVECOT_PORT
User $MAIL_LOGIN
Pass $POSTKAMER_TEST_IMAP_PASSWORD
SSLType None
AuthMechs LOGIN

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path $dir/mail/
Inbox $dir/mail/INBOX

Channel bench
Far :bench-far:
Near :bench-near:
Patterns INBOX
Create Near
Sync Pull
SyncState *
EOF
  local time_cmd=()
  if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    time_cmd=(/usr/bin/time -f %M -o "$dir/rss")
  fi
  start=$(date +%s.%N)
  "${time_cmd[@]}" mbsync -q -c "$dir/mbsyncrc" bench
  end=$(date +%s.%N)
  count=$(find "$dir/mail/INBOX/cur" "$dir/mail/INBOX/new" -type f | wc -l)
  if [ -s "$dir/rss" ]; then rss=$(tail -n 1 "$dir/rss"); fi
  printf '%s %s %s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" \
    "$count" "$rss" >"$dir/result"
}

mail_bench() {
  pk_step "mail sync benchmark: build (bench profile)"
  local bin
  bin=$(_mail_bench_build)
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    pk_log "could not find the built benchmark (crates/core/benches/sync.rs)"
    return 1
  fi

  pk_step "throw-away Dovecot, seeded with $BENCH_MESSAGES messages"
  dovecot_start
  MAIL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/postkamer-mail-bench.XXXXXX")
  local maildir
  maildir=$(dovecot_maildir "$MAIL_LOGIN")
  "$bin" --seed "$maildir" "$BENCH_MESSAGES"
  # As root the files are root's; Dovecot runs as its own user and must own them.
  if [ "$(id -u)" -eq 0 ]; then chown -R --reference="$maildir" "$maildir"; fi
  export BENCH_IMAP_LOGIN=$MAIL_LOGIN BENCH_MESSAGES
  "$bin" --warm

  pk_step "mbsync $(mbsync --version 2>/dev/null | awk '{print $2}') (FSync no): pull INBOX"
  _mail_bench_mbsync "$MAIL_TMP/mbsync"
  local mb_secs mb_count mb_rss
  read -r mb_secs mb_count mb_rss <"$MAIL_TMP/mbsync/result"
  printf 'mbsync           %-8s %6s msgs  %6.1f s  %6.0f msg/s\n' "" "$mb_count" "$mb_secs" \
    "$(awk -v n="$mb_count" -v s="$mb_secs" 'BEGIN { printf "%.1f", n / s }')"
  if [ "$mb_count" != "$BENCH_MESSAGES" ]; then
    pk_log "WARNING: mbsync stored $mb_count messages, $BENCH_MESSAGES were seeded"
  fi

  local engines=(sqlite) engine extra=()
  if [ -n "${POSTKAMER_TEST_PG_URL:-}" ]; then engines+=(postgres); fi
  if [ "${BREAKDOWN:-0}" = 1 ]; then extra+=(--breakdown); fi
  for engine in "${engines[@]}"; do
    pk_step "Postkamer first sync into $engine, then $BENCH_ROUNDS deliveries"
    "$bin" --engine "$engine" --rounds "$BENCH_ROUNDS" --results "$MAIL_TMP/results" "${extra[@]}"
  done

  _mail_bench_summary "$mb_secs" "$mb_count" "$mb_rss" "$(du -sb "$maildir/cur" | cut -f1)"
}

# _mail_bench_summary MBSYNC_SECONDS MBSYNC_COUNT MBSYNC_RSS_KIB SEEDED_BYTES
_mail_bench_summary() {
  pk_step "mail sync summary: $BENCH_MESSAGES messages, $(awk -v b="$4" 'BEGIN { printf "%.0f MB", b / 1e6 }') in INBOX"
  awk -v mb_secs="$1" -v mb_count="$2" -v mb_rss="$3" -v rounds="$BENCH_ROUNDS" '
    BEGIN {
      FS = "\t"
      mb_rate = mb_count / mb_secs
      printf "%-9s %7s %9s %8s %10s %10s   %-28s\n", "", "msgs", "seconds", "msg/s", "vs mbsync", "peak RSS", "delivery -> listed, ms"
      printf "%-9s %7d %9.1f %8.0f %10s %10s\n", "mbsync", mb_count, mb_secs, mb_rate, "1.00x", (mb_rss == "-" ? "-" : sprintf("%.0f MB", mb_rss * 1024 / 1e6))
    }
    {
      ratio = $4 / mb_rate
      rss = ($5 == "-" ? "-" : sprintf("%.0f MB", $5))
      printf "%-9s %7d %9.1f %8.0f %9.2fx %10s   median %s, p95 %s (after IDLE notice: %s / %s)\n", $1, $2, $3, $4, ratio, rss, $6, $7, $8, $9
      verdict_rate = (ratio >= 2 ? "ok" : "MISSED")
      verdict_rss = ($5 != "-" && $5 < 300 ? "ok" : "MISSED")
      verdict_inc = ($7 != "-" && $7 < 200 ? "ok" : "MISSED")
      targets = targets sprintf("  %-8s >= 2x mbsync: %s (%.2fx)   peak RSS < 300 MB: %s   delivery -> listed p95 < 200 ms: %s (%d rounds)\n", $1, verdict_rate, ratio, verdict_rss, verdict_inc, rounds)
    }
    END {
      printf "\ntargets:\n%s", targets
      print "  (Dovecot 2.3 tells IDLE clients of a change 500 ms after it happens: NOTIFY_DELAY_MSECS in"
      print "  src/lib-storage/mailbox-watch.c; \"after IDLE notice\" is the part Postkamer spends.)"
    }
  ' "$MAIL_TMP/results"
}
