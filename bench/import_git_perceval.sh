#!/usr/bin/env bash
# Git import benchmark: the whole history of the Git project
# (shared/data/git-history.bundle, 82k commits) read by
#   1. GrimoireLab's Perceval git backend (PyPI `perceval`), on a clone of the
#      bundle (Perceval needs a repository and runs `git log` itself);
#   2. copse's git reader alone (the copse-import `read_git` example: records
#      to a counting sink, no database);
#   3. `copse import git` end to end into a fresh SQLite database;
# in the same run, and prints each time and the ratios to Perceval's.
#
#   bash bench/import_git_perceval.sh
#   BUNDLE=/path/to/other.bundle PERCEVAL_TIMEOUT=1800 bash bench/import_git_perceval.sh
#   SKIP_PERCEVAL=1 bash bench/import_git_perceval.sh     # copse only
#   SKIP_IMPORT=1 bash bench/import_git_perceval.sh       # no end-to-end import (reader alone)
#
# Perceval is installed into $HOME/.cache/copse-perceval-venv when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
BUNDLE="${BUNDLE:-$(cd .. && pwd)/shared/data/git-history.bundle}"
PERCEVAL_TIMEOUT="${PERCEVAL_TIMEOUT:-900}"
VENV="$HOME/.cache/copse-perceval-venv"
[ -f "$BUNDLE" ] || { echo "no bundle at $BUNDLE"; exit 1; }

work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

seconds_of() { grep -o 'seconds=[0-9.]*' "$1" | tail -n 1 | cut -d= -f2; }
ratio() { echo "scale=1; $1 / $2" | bc; }

echo "== building copse (release)"
cargo build --release -p copse-import --example read_git --quiet
bin="${COPSE_BIN:-$CARGO_TARGET_DIR/release/copse}"
if [ -n "${SKIP_IMPORT:-}" ]; then
  bin=""
elif [ -z "${COPSE_BIN:-}" ]; then
  cargo build --release -p copse --quiet || { echo "(the copse binary did not build; end-to-end import skipped)"; bin=""; }
fi

perceval_seconds=""
if [ -z "${SKIP_PERCEVAL:-}" ]; then
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import perceval' 2>/dev/null; then
    echo "== installing perceval into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet perceval
  fi
  echo "== perceval $("$VENV/bin/pip" show perceval | awk '/^Version/ { print $2 }'): cloning the bundle for it"
  git clone --quiet --bare "$BUNDLE" "$work/perceval.git"
  echo "== perceval reading every commit (timeout ${PERCEVAL_TIMEOUT}s)"
  if timeout "$PERCEVAL_TIMEOUT" "$VENV/bin/python" bench/perceval_git.py "$BUNDLE" "$work/perceval.git" | tee "$work/perceval.out"; then
    perceval_seconds=$(seconds_of "$work/perceval.out")
  else
    echo "perceval did not finish within ${PERCEVAL_TIMEOUT}s"
  fi
fi

echo "== copse git reader alone (no database)"
"$CARGO_TARGET_DIR/release/examples/read_git" "$BUNDLE" | tee "$work/reader.out"
reader_seconds=$(seconds_of "$work/reader.out")

import_seconds=""
if [ -n "$bin" ] && [ -x "$bin" ]; then
  echo "== copse import git, end to end into SQLite"
  db="sqlite://$work/bench.db"
  if "$bin" --database-url "$db" migrate >"$work/migrate.log" 2>&1 \
    && COPSE_NEW_PASSWORD=bench-password-2026 "$bin" --database-url "$db" admin create-user bench --name "Bench Admin" --admin >>"$work/migrate.log" 2>&1 \
    && "$bin" --database-url "$db" admin create-community git-project --name "Git project" --facilitator bench >>"$work/migrate.log" 2>&1; then
    started=$(date +%s.%N)
    if "$bin" --database-url "$db" import git "$BUNDLE" --community git-project >"$work/import.log" 2>&1; then
      import_seconds=$(echo "$(date +%s.%N) - $started" | bc)
      tail -n 3 "$work/import.log"
    else
      echo "copse import failed:"; tail -n 5 "$work/import.log"
    fi
  else
    echo "copse migrate failed:"; tail -n 5 "$work/migrate.log"
  fi
fi

echo
echo "== results ($(nproc) cores)"
[ -n "$perceval_seconds" ] && echo "perceval git backend:   ${perceval_seconds} s"
echo "copse git reader alone: ${reader_seconds} s"
[ -n "$import_seconds" ] && echo "copse import (SQLite):  ${import_seconds} s"
if [ -n "$perceval_seconds" ]; then
  echo "ratio perceval / copse reader: $(ratio "$perceval_seconds" "$reader_seconds")x"
  [ -n "$import_seconds" ] && echo "ratio perceval / copse import: $(ratio "$perceval_seconds" "$import_seconds")x"
fi
exit 0
