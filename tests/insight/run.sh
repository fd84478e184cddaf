#!/usr/bin/env bash
# Cross-check of copse's key community metrics against an independent
# implementation in DuckDB, on the demo organization.
#
#   bash tests/insight/run.sh
#
# Builds `copse` (release), loads the demo organization into a fresh SQLite
# database, then runs scripts/insight_crosscheck.py: it exports the
# activity record, memberships, threads and posts with Python's sqlite3 into
# DuckDB, computes active participants, Gini, the Contributor Absence Factor
# and the median time to first response per community and calendar month,
# and the retention cohorts, in SQL, and compares them with what
# `copse insight metrics --json --at <the same instant>` prints (integers
# equal, floats within 1e-9). The script's own hand-computed fixture runs
# first (--self-test). Prints "insight-crosscheck: N passed, M failed";
# exits non-zero on any mismatch or when nothing was compared.
#
# Installs duckdb (requirements.txt) into a venv when missing.
#
# Environment:
#   CARGO_TARGET_DIR           build + cache dir (default $HOME/.cache/copse-target)
#   COPSE_INSIGHT_SKIP_BUILD=1 use the already built binary
#   COPSE_INSIGHT_DATABASE     cross-check this SQLite file instead of a fresh demo
#   COPSE_INSIGHT_KEEP=1       keep the temporary database (its path is printed)
#   COPSE_INSIGHT_VERBOSE=1    print the table of every compared value
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
VENV="$CARGO_TARGET_DIR/insight-venv"
COPSE="$CARGO_TARGET_DIR/release/copse"

log() { printf 'insight: %s\n' "$*" >&2; }

if ! command -v python3 >/dev/null 2>&1; then
    log "installing python3"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-venv
fi

mkdir -p "$CARGO_TARGET_DIR"
req_stamp="$VENV/.requirements.sha256"
req_hash="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$req_stamp" 2>/dev/null || true)" != "$req_hash" ]; then
    log "creating the Python venv in $VENV"
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$req_hash" >"$req_stamp"
fi
PY=("$VENV/bin/python" -B)

log "checking the DuckDB side on its hand-computed fixture"
"${PY[@]}" "$ROOT/scripts/insight_crosscheck.py" --self-test

if [ "${COPSE_INSIGHT_SKIP_BUILD:-0}" != 1 ]; then
    log "building copse (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    (cd "$ROOT" && cargo build --quiet --release -p copse)
fi
if [ ! -x "$COPSE" ]; then
    log "no copse binary at $COPSE"
    exit 1
fi

WORK="$(mktemp -d -t copse-insight.XXXXXX)"
cleanup() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "${COPSE_INSIGHT_KEEP:-0}" = 1 ]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

if [ -n "${COPSE_INSIGHT_DATABASE:-}" ]; then
    DB="$COPSE_INSIGHT_DATABASE"
else
    DB="$WORK/demo.sqlite"
    # `copse demo` loads the organization and then serves it: wait for the
    # server to listen, then stop it.
    port="$("${PY[@]}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    log "loading the demo organization into $DB"
    started_ns=$(date +%s%N)
    (cd "$WORK" && COPSE_LOG=warn exec "$COPSE" --database-url "sqlite://$DB" demo --listen "127.0.0.1:$port") \
        >"$WORK/demo.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            cat "$WORK/demo.log" >&2
            log "copse demo exited early"
            exit 1
        fi
        if grep -q "Sign in at" "$WORK/demo.log" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    if ! grep -q "Sign in at" "$WORK/demo.log"; then
        cat "$WORK/demo.log" >&2
        log "the demo did not load within two minutes"
        exit 1
    fi
    log "demo loaded in $(( ($(date +%s%N) - started_ns) / 1000000 )) ms (including start-up)"
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
fi

AT="$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"
log "cross-checking $DB at $AT"
quiet=(--quiet)
if [ "${COPSE_INSIGHT_VERBOSE:-0}" = 1 ]; then
    quiet=()
fi
"${PY[@]}" "$ROOT/scripts/insight_crosscheck.py" "$DB" --at "$AT" --copse "$COPSE" "${quiet[@]}"
