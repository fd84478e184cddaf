#!/usr/bin/env bash
# External parser check of copse's iCalendar output.
#
#   bash tests/ical/run.sh
#
# The test `writes_fixtures_for_the_external_parser` in
# crates/copse-web/src/ical.rs writes sample calendars (series across the DST
# changes of Europe/Berlin, America/New_York and Australia/Sydney, with
# EXDATEs and RECURRENCE-ID overrides) and copse's own expansion of each
# (copse_domain::recurrence::expand) into a temporary directory; check.py
# parses them with the Python `icalendar` package, expands them with
# `recurring_ical_events` and compares (see check.py for exactly what).
# The test `served_feeds_for_the_external_parser` in
# crates/copse-web/tests/calendars.rs adds feeds as copse serves them
# (GET /calendars/communities/{slug}.ics and a personal
# /calendars/people/{token}.ics: weekly series in the same three zones with
# a cancelled and a moved occurrence each, a monthly series, a one-off) with
# the occurrences copse's own API lists for them over a year, in the same
# form, so check.py holds them to the same standard.
# Prints "ical: N passed, M failed"; exits non-zero on any mismatch.
#
# Installs icalendar and recurring_ical_events (requirements.txt) into a venv
# when missing.
#
# Environment:
#   CARGO_TARGET_DIR   build + cache dir (default $HOME/.cache/copse-target)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
VENV="$CARGO_TARGET_DIR/ical-venv"

log() { printf 'ical: %s\n' "$*" >&2; }

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

FIXTURES="$(mktemp -d -t copse-ical.XXXXXX)"
trap 'rm -rf "$FIXTURES"' EXIT

log "writing sample calendars into $FIXTURES"
if ! (cd "$ROOT" && COPSE_ICAL_FIXTURES_DIR="$FIXTURES" \
    cargo test --quiet -p copse-web --lib writes_fixtures_for_the_external_parser); then
    log "the fixture test failed"
    echo "ical: 0 passed, 1 failed"
    exit 1
fi

log "writing feeds served by copse into $FIXTURES"
if ! (cd "$ROOT" && COPSE_ICAL_FIXTURES_DIR="$FIXTURES" COPSE_TEST_BACKEND=sqlite \
    cargo test --quiet -p copse-web --test calendars served_feeds_for_the_external_parser); then
    log "the served-feeds test failed"
    echo "ical: 0 passed, 1 failed"
    exit 1
fi

PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" "$HERE/check.py" "$FIXTURES"
