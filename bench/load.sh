#!/usr/bin/env bash
# Load benchmark: serves an organization of N people (default 100,000, with
# 200,000 discussion posts) from a fresh SQLite database with the release
# build, signs in as a demo account, and measures with wrk (64 connections)
# the community page, the people directory page, a thread page with 50 posts,
# "who knows kubernetes" (the expertise directory), and a trivial static
# route served by the same process in the same run (the ceiling of this
# stack). Prints requests/s, p50, p99, the ratio to the ceiling, and the
# server's peak RSS.
#
#   bash bench/load.sh                 # 100,000 people, SQLite
#   SCALE=20000 POSTS=50000 DURATION=10 bash bench/load.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1/copse_bench bash bench/load.sh   # an empty PostgreSQL database
#
# Loopback only; bounded in time; stops the server when done.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/copse-target}"
SCALE="${SCALE:-100000}"
POSTS="${POSTS:-200000}"
DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-18089}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

cargo build --release -p copse --quiet
bin="$CARGO_TARGET_DIR/release/copse"
work=$(mktemp -d)
db="${DATABASE_URL:-sqlite://$work/bench.db}"
log="$work/server.log"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== generating $SCALE people and $POSTS posts into $db"
gen_started=$(date +%s.%N)
"$bin" --database-url "$db" admin generate --scale "$SCALE" --posts "$POSTS" 2>&1 | tail -n 1
gen_seconds=$(echo "$(date +%s.%N) - $gen_started" | bc)
# Build the search index before serving, so the server's indexer is idle
# during the measurements instead of catching up on every generated post.
"$bin" --database-url "$db" reindex 2>&1 | tail -n 1

COPSE_LOG=warn "$bin" --database-url "$db" serve --listen "127.0.0.1:$PORT" >"$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$log"; exit 1; }

# Sign in as the demo admin through the real form.
jar="$work/cookies"
page=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/login")
csrf=$(printf '%s' "$page" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "login=ada" \
  --data-urlencode "password=copse-demo-2026" "http://127.0.0.1:$PORT/login"
session=$(awk '$6 == "copse_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "sign-in failed"; exit 1; }
cookie="Cookie: copse_session=$session"

# The median of the first page of the listing (the 50 most-joined communities),
# so a large, popular community.
slugs=$(curl -fs -H "$cookie" "http://127.0.0.1:$PORT/api/v1/communities" | grep -o '"slug":"[^"]*"' | sed 's/"slug":"//; s/"//')
count=$(printf '%s\n' "$slugs" | wc -l)
slug=$(printf '%s\n' "$slugs" | sed -n "$(( (count + 1) / 2 ))p")
members=$(curl -fs -H "$cookie" "http://127.0.0.1:$PORT/api/v1/communities/$slug" | grep -o '"member_count":[0-9]*' | cut -d: -f2)

# A thread with 50 posts (49 replies): the generator pins one in its most
# popular community; look through the popular communities' first pages.
thread=""
for s in $slugs; do
  thread=$(curl -fs -H "$cookie" "http://127.0.0.1:$PORT/api/v1/communities/$s/threads" | sed 's/{"id":/\n{"id":/g' \
    | grep '"reply_count":49,' | head -n 1 | grep -o '^{"id":[0-9]*' | cut -d: -f2 || true)
  [ -n "$thread" ] && break
done
[ -n "$thread" ] || { echo "no 50-post thread found (POSTS=$POSTS)"; exit 1; }

measure() {
  local name=$1 path=$2
  curl -fs -H "$cookie" -o /dev/null "http://127.0.0.1:$PORT$path" || { echo "$path does not answer 200"; exit 1; }
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$cookie" "http://127.0.0.1:$PORT$path")
  local rps p50 p99 errors
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')
  errors=$(printf '%s\n' "$out" | awk '/Non-2xx|Socket errors/ { print }' | tr '\n' ' ')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "${errors:-none}"
}

echo "== measuring: $CONNECTIONS connections, ${DURATION}s each, wrk on the same 2 cores"
results=$(
  measure "static route (ceiling)" "/static/favicon.svg"
  measure "community page ($members members)" "/communities/$slug"
  measure "people directory" "/people"
  measure "people directory, filtered" "/people?q=an&page=2"
  measure "thread page (50 posts)" "/threads/$thread"
  measure "who knows kubernetes" "/experts?skill=kubernetes"
)
ceiling=$(printf '%s\n' "$results" | head -n 1 | cut -f2)
rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")

echo
printf '%-36s %12s %10s %10s %10s   %s\n' "route" "requests/s" "p50" "p99" "x ceiling" "errors"
printf '%s\n' "$results" | while IFS=$'\t' read -r name rps p50 p99 errors; do
  ratio=$(echo "scale=3; $rps / $ceiling" | bc)
  printf '%-36s %12s %10s %10s %10s   %s\n' "$name" "$rps" "$p50" "$p99" "$ratio" "$errors"
done
echo
echo "server peak RSS: $(( rss_kb / 1024 )) MiB; database: ${db%%:*}; people: $SCALE; posts: $POSTS; generated in ${gen_seconds%.*} s"
