#!/usr/bin/env bash
# Browser test: a demo member's journey through copse in real headless
# Chromium, against the real server, with an axe-core audit, screenshots and
# a horizontal-scroll check.
#
#   bash tests/browser/run.sh
#
# Installs what it needs when missing (Debian chromium + chromium-driver,
# selenium into a venv, axe-core from npm), builds `copse`, starts
# `copse demo` on a free loopback port against a fresh SQLite database
# (or COPSE_BROWSER_DATABASE_URL), runs journey.py and always stops the
# server. Screenshots land in target/screenshots/ under the workspace root.
#
# Environment:
#   CARGO_TARGET_DIR            build + cache dir (default $HOME/.cache/copse-target)
#   COPSE_BROWSER_DATABASE_URL  run against this database instead of a temp SQLite
#                               file (e.g. postgres://...); the demo is loaded once
#   COPSE_BROWSER_NO_SCREENSHOTS=1  write no PNGs (the 390 px sideways-scroll
#                               check still runs), e.g. for a second backend
#   COPSE_BROWSER_SKIP_BUILD=1  use the already built binary
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
CACHE="$CARGO_TARGET_DIR"
VENV="$CACHE/browser-venv"
NPM_PREFIX="$CACHE/browser-npm"
AXE_JS="$NPM_PREFIX/node_modules/axe-core/axe.min.js"
SHOTS="$ROOT/target/screenshots"

log() { printf 'browser: %s\n' "$*" >&2; }

# --- 1. tools -----------------------------------------------------------------
apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing chromium and chromium-driver"
    apt_install chromium chromium-driver
fi
if ! command -v python3 >/dev/null 2>&1; then
    log "installing python3"
    apt_install python3 python3-venv
fi
if ! command -v npm >/dev/null 2>&1; then
    log "installing npm"
    apt_install npm
fi

mkdir -p "$CACHE"
req_stamp="$VENV/.requirements.sha256"
req_hash="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$req_stamp" 2>/dev/null || true)" != "$req_hash" ]; then
    log "creating the Python venv in $VENV"
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        apt_install python3-venv
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$req_hash" >"$req_stamp"
fi

if [ ! -f "$AXE_JS" ]; then
    log "installing axe-core into $NPM_PREFIX"
    mkdir -p "$NPM_PREFIX"
    npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --loglevel=error axe-core@4
fi

# --- 2. build -------------------------------------------------------------------
if [ "${COPSE_BROWSER_SKIP_BUILD:-0}" != 1 ]; then
    log "building copse (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    (cd "$ROOT" && cargo build -p copse && cargo build -p copse-web --example xss_page)
fi
BIN="$CARGO_TARGET_DIR/debug/copse"
[ -x "$BIN" ] || { log "no binary at $BIN"; exit 2; }

# --- 3. server ------------------------------------------------------------------
WORK="$(mktemp -d -t copse-browser.XXXXXX)"
SERVER_LOG="$WORK/server.log"
SERVER_PID=""

cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE_URL="http://127.0.0.1:$PORT"
DATABASE_URL="${COPSE_BROWSER_DATABASE_URL:-sqlite://$WORK/copse.db}"
if [ -n "${COPSE_BROWSER_DATABASE_URL:-}" ]; then
    log "database: COPSE_BROWSER_DATABASE_URL"
else
    log "database: $DATABASE_URL"
fi

# Run from the temp dir so no stray ./copse.toml is picked up, and without the
# COPSE_* variables that would override the command line or the file.
(
    cd "$WORK"
    exec env -u COPSE_CONFIG -u COPSE_DATABASE_URL -u COPSE_LISTEN -u COPSE_SECURE_COOKIES \
        COPSE_LOG="${COPSE_LOG:-info,sqlx=warn}" \
        "$BIN" --database-url "$DATABASE_URL" demo --listen "127.0.0.1:$PORT"
) >"$SERVER_LOG" 2>&1 </dev/null &
SERVER_PID=$!
log "server pid $SERVER_PID on $BASE_URL"

health_ok() {
    python3 - "$BASE_URL/healthz" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

started=$(date +%s)
until health_ok; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the server exited before answering /healthz; its log:"
        cat "$SERVER_LOG" >&2
        echo "browser: 0 passed, 1 failed"
        exit 1
    fi
    if [ $(( $(date +%s) - started )) -ge 120 ]; then
        log "/healthz did not answer within 120 s; the server log:"
        cat "$SERVER_LOG" >&2
        echo "browser: 0 passed, 1 failed"
        exit 1
    fi
    sleep 0.5
done
log "server ready after $(( $(date +%s) - started )) s"

# --- 4. journey -----------------------------------------------------------------
# The XSS corpus rendered by copse's Markdown renderer into a page without
# CSP, so Chromium tests the sanitizer on its own.
"$CARGO_TARGET_DIR/debug/examples/xss_page" "$ROOT/tests/xss/vectors.txt" "$WORK/xss-corpus.html"
journey_args=(--base-url "$BASE_URL" --axe "$AXE_JS" --screenshots "$SHOTS"
    --xss-corpus "$ROOT/tests/xss/vectors.txt" --xss-page "$WORK/xss-corpus.html")
if [ "${COPSE_BROWSER_NO_SCREENSHOTS:-0}" = 1 ]; then
    journey_args+=(--no-screenshots)
else
    mkdir -p "$SHOTS"
fi
set +e
PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" "$HERE/journey.py" "${journey_args[@]}"
status=$?
set -e

if [ "$status" -ne 0 ]; then
    log "FAILED (exit $status); last lines of the server log:"
    tail -n 60 "$SERVER_LOG" >&2 || true
    exit 1
fi
if [ "${COPSE_BROWSER_NO_SCREENSHOTS:-0}" = 1 ]; then
    log "PASSED"
else
    log "PASSED; screenshots in $SHOTS"
fi
exit 0
