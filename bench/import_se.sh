#!/usr/bin/env bash
# Stack Exchange import benchmark: a generated data dump of N questions and
# answers (default 1,000,000; copse-import's `generate_se` example, the same
# generator the tests use) imported end to end with
# `copse import stackexchange` into a fresh SQLite database, timed with
# `/usr/bin/time -v`: wall time, posts/s and peak memory (maximum resident
# set size). Then the reader alone (the `read_se` example: records into a
# counting sink, no database) on the same dump, for comparison.
#
#   bash bench/import_se.sh                 # 1,000,000 posts
#   POSTS=100000 bash bench/import_se.sh
#   SKIP_BUILD=1 bash bench/import_se.sh    # use the release binaries already built
#   KEEP=1 bash bench/import_se.sh          # keep the dump and the database (path printed)
#
# Needs /usr/bin/time (Debian package `time`, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
POSTS="${POSTS:-${1:-1000000}}"
SEED="${SEED:-1}"
release="$CARGO_TARGET_DIR/release"

if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building copse and the copse-import examples (release)"
  cargo build --release -p copse -p copse-import --examples --quiet
  cargo build --release -p copse --quiet
fi
for binary in "$release/copse" "$release/examples/generate_se" "$release/examples/read_se"; do
  [ -x "$binary" ] || { echo "missing $binary (build without SKIP_BUILD)"; exit 1; }
done

work=$(mktemp -d)
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT

# `/usr/bin/time -v` report fields.
wall_seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

echo "== generating a dump of $POSTS posts (seed $SEED)"
"$release/examples/generate_se" "$work/dump" "$POSTS" "$SEED" | tee "$work/generate.out"
questions=$(sed -n 's/.* \([0-9]*\) questions, \([0-9]*\) answers.*/\1/p' "$work/generate.out")
answers=$(sed -n 's/.* \([0-9]*\) questions, \([0-9]*\) answers.*/\2/p' "$work/generate.out")
posts=$((questions + answers))
dump_mb=$(du -sm "$work/dump" | cut -f1)

echo "== a fresh SQLite database, an administrator and a community"
db="sqlite://$work/bench.db"
bin="$release/copse"
"$bin" --database-url "$db" migrate >"$work/setup.log" 2>&1
COPSE_NEW_PASSWORD=bench-password-2026 "$bin" --database-url "$db" admin create-user bench --name "Bench Admin" \
  --admin >>"$work/setup.log" 2>&1
"$bin" --database-url "$db" admin create-community se-bench --name "Stack Exchange bench" --facilitator bench \
  >>"$work/setup.log" 2>&1

echo "== copse import stackexchange (end to end: checking pass, then loading)"
if ! COPSE_LOG=warn /usr/bin/time -v -o "$work/import.time" \
  "$bin" --database-url "$db" import stackexchange "$work/dump" --community se-bench 2>"$work/import.log"; then
  echo "copse import failed:"; tail -n 5 "$work/import.log"; exit 1
fi
grep -v '^warning' "$work/import.log" | tail -n 2
import_s=$(wall_seconds "$work/import.time")
import_mb=$(peak_mb "$work/import.time")
db_mb=$(du -cm "$work"/bench.db* | tail -n 1 | cut -f1)

echo "== the reader alone (read_se: no database)"
/usr/bin/time -v -o "$work/read.time" "$release/examples/read_se" "$work/dump" | grep -v '^warning' | tee "$work/read.out"
read_s=$(wall_seconds "$work/read.time")
read_mb=$(peak_mb "$work/read.time")

rate() { echo "scale=0; $1 / $2" | bc; }
echo
echo "== results: $posts posts ($questions questions, $answers answers), dump $dump_mb MB; $(nproc) cores"
echo "copse import stackexchange: ${import_s} s, $(rate "$posts" "$import_s") posts/s, peak RSS ${import_mb} MB, database ${db_mb} MB"
echo "reader alone (read_se):     ${read_s} s, $(rate "$posts" "$read_s") posts/s, peak RSS ${read_mb} MB"
