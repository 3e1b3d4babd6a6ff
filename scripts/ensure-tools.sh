#!/usr/bin/env bash
# Installs the build tools Postkamer needs when they are missing (idempotent).
# See ../shared/TOOLCHAIN.md for why each flag is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
CARGO_LEPTOS_VERSION=0.3.11
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}

log() { printf '==> %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# The node tools (binaryen's wasm-opt, esbuild and ProseMirror for the editor module), exactly
# as package-lock.json pins them; reinstalled when the lock changes.
stamp=node_modules/.postkamer-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing node tools (wasm-opt, esbuild, ProseMirror) with npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$want" >"$stamp"
fi
