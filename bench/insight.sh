#!/usr/bin/env bash
# Insight benchmark: for each size of the activity record (default 1 million
# and 10 million rows), generates an organization of N people (default
# 100,000, with 200,000 discussion posts) topped up with activity records to
# that size into a fresh SQLite database with the release build (the rollup
# triggers run for every row), then in the same run:
#
#   (a) times `copse insight recompute`: rebuilds the rollups from scratch
#       and computes every metric, the diagnosis and the stage evidence for
#       every community;
#   (b) times the same key definitions in DuckDB over the same data
#       (bench/insight_duckdb.py: active participants, Gini, absence factor
#       per community per month for 12 months, participation levels over 90
#       days, median time to first response, retention cohorts), the load
#       from SQLite and the compute separately, and prints the ratio;
#   (c) serves it, signs in as ada, and measures with wrk (64 connections)
#       the health page of the biggest community beside a trivial static
#       route served by the same process (the ceiling of this stack).
#
# Prints a summary table at the end, so the health page's p99 can be compared
# across sizes.
#
#   bash bench/insight.sh                          # 1M and 10M, 100,000 people
#   SIZES=1000000 DURATION=10 bash bench/insight.sh
#   SIZES="200000" SCALE=5000 POSTS=20000 DURATION=5 bash bench/insight.sh   # a quick try
#
# SKIP_BUILD=1 uses the release binary already built in CARGO_TARGET_DIR.
# Loopback only; bounded in time; stops the server and deletes the databases
# when done (KEEP=1 keeps them; their paths are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
SIZES="${SIZES:-1000000 10000000}"
SCALE="${SCALE:-100000}"
POSTS="${POSTS:-200000}"
DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-18091}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# DuckDB in a venv, as tests/insight/run.sh does (same requirements, same venv).
VENV="$CARGO_TARGET_DIR/insight-venv"
req="tests/insight/requirements.txt"
req_hash="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)" != "$req_hash" ]; then
  command -v python3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null; }
  rm -rf "$VENV"
  python3 -m venv "$VENV" 2>/dev/null || {
    rm -rf "$VENV"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  echo "$req_hash" >"$VENV/.requirements.sha256"
fi

[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release -p copse --quiet
bin="$CARGO_TARGET_DIR/release/copse"
work=$(mktemp -d)
server=""
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
cleanup() { stop_server; if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

now() { date +%s.%N; }
since() { echo "scale=1; ($(now) - $1) / 1" | bc; }

measure() {
  local name=$1 path=$2
  curl -fs -H "$cookie" -o /dev/null "http://127.0.0.1:$PORT$path" || { echo "$path does not answer 200"; exit 1; }
  local out rps p50 p99 errors
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$cookie" "http://127.0.0.1:$PORT$path")
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')
  errors=$(printf '%s\n' "$out" | awk '/Non-2xx|Socket errors/ { print }' | tr '\n' ' ')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "${errors:-none}"
}

summary=()
for size in $SIZES; do
  dir="$work/$size"
  mkdir -p "$dir"
  dbfile="$dir/insight.db"
  db="sqlite://$dbfile"
  export COPSE_SEARCH_INDEX_DIR="$dir/index"
  echo
  echo "== $size activity records: generating $SCALE people, $POSTS posts, then activity up to $size into $dbfile"
  started=$(now)
  gen_out=$(COPSE_LOG=warn "$bin" --database-url "$db" admin generate --scale "$SCALE" --posts "$POSTS" \
    --contributions "$size" 2>&1 | tr '\r' '\n' | grep -E '^(Generated|Added)' || true)
  gen_seconds=$(since "$started")
  printf '%s\n' "$gen_out"
  insert_rate=$(printf '%s\n' "$gen_out" | sed -n 's/.*: \([0-9]*\) records\/s.*/\1/p')
  # Build the search index before serving, so the server's indexer is idle
  # during the measurements.
  COPSE_LOG=warn "$bin" --database-url "$db" reindex 2>&1 | tr '\r' '\n' | tail -n 1

  echo "== (a) copse insight recompute"
  started=$(now)
  recompute_out=$(/usr/bin/time -f 'peak RSS %M KiB' "$bin" --database-url "$db" insight recompute 2>&1 | tr '\r' '\n' \
    | grep -E '^(Rebuilt|peak RSS)' || true)
  recompute_seconds=$(since "$started")
  printf '%s\n' "$recompute_out"
  echo "recompute: $recompute_seconds s"

  echo "== (b) the same definitions in DuckDB over the same data"
  duck=$("$VENV/bin/python" -B bench/insight_duckdb.py "$dbfile")
  echo "$duck"
  duck_load=$(printf '%s' "$duck" | grep -o '"load_seconds": [0-9.]*' | cut -d' ' -f2)
  duck_compute=$(printf '%s' "$duck" | grep -o '"compute_seconds": [0-9.]*' | cut -d' ' -f2)
  duck_total=$(echo "$duck_load + $duck_compute" | bc)
  # Above 1: copse is slower than DuckDB.
  ratio_compute=$(echo "scale=2; $recompute_seconds / $duck_compute" | bc)
  ratio_total=$(echo "scale=2; $recompute_seconds / $duck_total" | bc)
  echo "duckdb load $duck_load s + compute $duck_compute s; copse recompute $recompute_seconds s;" \
    "copse / DuckDB compute = $ratio_compute, copse / DuckDB load+compute = $ratio_total"

  echo "== (c) serving the health page"
  log="$dir/server.log"
  COPSE_LOG=warn "$bin" --database-url "$db" serve --listen "127.0.0.1:$PORT" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$log"; exit 1; }
  jar="$dir/cookies"
  page=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/login")
  csrf=$(printf '%s' "$page" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "login=ada" \
    --data-urlencode "password=copse-demo-2026" "http://127.0.0.1:$PORT/login"
  session=$(awk '$6 == "copse_session" { print $7 }' "$jar")
  [ -n "$session" ] || { echo "sign-in failed"; exit 1; }
  cookie="Cookie: copse_session=$session"

  # The biggest community: the most members (ada is an admin: any visibility).
  read -r slug members records < <("$VENV/bin/python" -B - "$dbfile" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
cid, slug, members = db.execute("SELECT id, slug, member_count FROM communities ORDER BY member_count DESC, id LIMIT 1").fetchone()
records = db.execute("SELECT COUNT(*) FROM contributions WHERE community_id = ?", (cid,)).fetchone()[0]
print(slug, members, records)
PY
)
  # The first request computes the page (nothing cached yet in this process).
  cold=$(curl -fs -H "$cookie" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/communities/$slug/health")
  cold_ms=$(echo "scale=1; $cold * 1000 / 1" | bc)
  echo "biggest community: $slug ($members members, $records activity records); first (uncached) health page: $cold_ms ms"
  results=$(
    measure "static route (ceiling)" "/static/favicon.svg"
    measure "health page, $slug" "/communities/$slug/health"
  )
  rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
  stop_server
  ceiling=$(printf '%s\n' "$results" | head -n 1 | cut -f2)
  printf '%-44s %12s %10s %10s %10s   %s\n' "route" "requests/s" "p50" "p99" "x ceiling" "errors"
  printf '%s\n' "$results" | while IFS=$'\t' read -r name rps p50 p99 errors; do
    printf '%-44s %12s %10s %10s %10s   %s\n' "$name" "$rps" "$p50" "$p99" "$(echo "scale=3; $rps / $ceiling" | bc)" "$errors"
  done
  echo "server peak RSS: $(( rss_kb / 1024 )) MiB; database: $(du -h "$dbfile" | cut -f1)"
  health=$(printf '%s\n' "$results" | sed -n 2p)
  static=$(printf '%s\n' "$results" | sed -n 1p)
  summary+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$size" "$gen_seconds" "${insert_rate:-?}" \
    "$recompute_seconds" "$duck_load" "$duck_compute" "$ratio_compute" "$ratio_total" \
    "$(printf '%s' "$health" | cut -f2)" "$(printf '%s' "$health" | cut -f3)" "$(printf '%s' "$health" | cut -f4)" \
    "$(printf '%s' "$static" | cut -f4)" "$cold_ms")")
  [ "${KEEP:-0}" = 1 ] || rm -f "$dbfile" "$dbfile-wal" "$dbfile-shm"
done

echo
echo "== summary: $SCALE people, $POSTS posts; wrk $CONNECTIONS connections ${DURATION}s on the same 2 cores; SQLite"
printf '%11s %8s %9s %10s %8s %8s %7s %7s %10s %8s %8s %9s %8s\n' "records" "gen s" "insert/s" "recompute" \
  "duck ld" "duck cmp" "x cmp" "x all" "health r/s" "p50" "p99" "static99" "cold ms"
for row in "${summary[@]}"; do
  IFS=$'\t' read -r a b c d e f g h i j k l m <<<"$row"
  printf '%11s %8s %9s %10s %8s %8s %7s %7s %10s %8s %8s %9s %8s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j" "$k" "$l" "$m"
done
echo "(recompute: copse insight recompute, every metric of every community; duck ld/cmp: DuckDB load from SQLite and"
echo " compute of the key definitions; x cmp = copse recompute / DuckDB compute, x all = copse recompute / DuckDB"
echo " load+compute: above 1, copse is slower)"
