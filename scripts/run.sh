#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds Postkamer (release) and runs it on http://127.0.0.1:3000 with the demo data.
#
#   scripts/run.sh
#
# Installs missing build tools (Debian's build-essential/pkg-config, the cargo-leptos tool chain),
# builds the editor module (esbuild) and the app with `cargo leptos build --release --split`, migrates the database, loads the demo data (it prints
# the demo accounts; running it again changes nothing) and starts the server.
#
# Environment:
#   DATABASE_URL      default sqlite://data/postkamer.db (relative to the repository root)
#   POSTKAMER_LISTEN  default 127.0.0.1:3000
#   CARGO_TARGET_DIR  build directory (default ./target)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}

missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pk_apt_install "${missing[@]}"

pk_step "build tools (scripts/ensure-tools.sh)"
# `cargo install` would build inside CARGO_TARGET_DIR if it were set: keep it out.
env -u CARGO_TARGET_DIR bash "$ROOT/scripts/ensure-tools.sh"

# cargo-leptos puts the site in site-root (target/site, relative to the workspace) whatever the
# target directory is; keep it next to the binary so a custom CARGO_TARGET_DIR works too.
TARGET_DIR=$(pk_target_dir "$ROOT/target")
BIN="$TARGET_DIR/release/postkamer"
export LEPTOS_SITE_ROOT="$TARGET_DIR/site"

# The editor module goes into public/, which the build copies into the site.
pk_step "editor module (npm run build:editor)"
npm run --silent build:editor

pk_step "cargo leptos build --release --split"
cargo leptos build --release --split

# Set only now: sqlx's compile-time macros would read DATABASE_URL during the build.
DATABASE_URL=${DATABASE_URL:-sqlite://data/postkamer.db}
export DATABASE_URL POSTKAMER_DATABASE_URL="$DATABASE_URL"
mkdir -p "$ROOT/data"

pk_step "postkamer migrate"
"$BIN" migrate
pk_step "postkamer demo"
"$BIN" demo

LISTEN=${POSTKAMER_LISTEN:-127.0.0.1:3000}
export POSTKAMER_LISTEN="$LISTEN"
export LEPTOS_OUTPUT_NAME=postkamer
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="$LISTEN"
export LEPTOS_ENV=PROD

pk_step "postkamer serve on http://$LISTEN"
exec "$BIN" serve
