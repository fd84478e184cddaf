#!/usr/bin/env python3
"""The DuckDB side of bench/insight.sh: the key metric definitions over the
same copse SQLite database, timed.

    python3 bench/insight_duckdb.py DATABASE.sqlite [--at RFC3339]

Loads the contributions, memberships, threads, posts and communities tables
with Python's sqlite3 into an in-memory DuckDB database (timed: "load"),
then computes (timed: "compute"), per community:

  * for each of the 12 calendar months ending with the one containing --at:
    active participants, Gini and the Contributor Absence Factor, and the
    median hours to the first response of question threads;
  * the retention cohorts (active 1 and 3 months after joining);
  * participation levels over the 90 days ending at --at (members only:
    >= 12 contributions core, >= 3 active, >= 1 peripheral, else inactive).

The SQL of the first two is scripts/insight_crosscheck.py's (imported, so the
definitions are written once); the participation levels are defined here.
Prints one JSON object on standard output: the row counts, load_seconds,
compute_seconds and how many result rows each query produced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))

import duckdb  # noqa: E402
import insight_crosscheck as xc  # noqa: E402

DAY_MS = 86_400_000

# Members only (active memberships), their contributions (kind <> 'rsvp')
# in the 90 days ending at $at_ms, classified with the default bands.
LEVELS_SQL = """
WITH counts AS (
    SELECT c.community_id, c.person_id, COUNT(*) AS n
    FROM contributions c
    WHERE c.kind <> 'rsvp' AND c.at >= $since_ms AND c.at < $at_ms
    GROUP BY c.community_id, c.person_id
),
levels AS (
    SELECT m.community_id,
           CASE WHEN COALESCE(c.n, 0) >= 12 THEN 'core'
                WHEN COALESCE(c.n, 0) >= 3 THEN 'active'
                WHEN COALESCE(c.n, 0) >= 1 THEN 'peripheral'
                ELSE 'inactive' END AS level
    FROM memberships m
    LEFT JOIN counts c ON c.community_id = m.community_id AND c.person_id = m.person_id
    WHERE m.status = 'active'
)
SELECT co.slug AS community,
       COUNT(*) FILTER (WHERE level = 'core') AS core,
       COUNT(*) FILTER (WHERE level = 'active') AS active,
       COUNT(*) FILTER (WHERE level = 'peripheral') AS peripheral,
       COUNT(*) FILTER (WHERE level = 'inactive') AS inactive
FROM levels l
JOIN communities co ON co.id = l.community_id
GROUP BY co.slug
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="path of the copse SQLite database")
    parser.add_argument("--at", help="the instant (RFC 3339 or epoch ms; default: now)")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()
    if not os.path.exists(args.database):
        sys.stderr.write(f"insight_duckdb: no database at {args.database}\n")
        return 2
    at_ms = xc.parse_instant(args.at) if args.at else int(dt.datetime.now(tz=dt.timezone.utc).timestamp() * 1000)
    at_day = dt.datetime.fromtimestamp(at_ms / 1000, tz=dt.timezone.utc).date().isoformat()

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="copse-insight-bench-") as scratch:
        rows = xc.export_to_duckdb(args.database, con, scratch)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    con.execute(xc.MONTHS_SQL, {"at_day": at_day, "months": xc.MONTHS})
    results = {
        "activity": len(con.execute(xc.ACTIVITY_SQL).fetchall()),
        "first_response": len(con.execute(xc.RESPONSE_SQL).fetchall()),
        "cohorts": len(con.execute(xc.COHORT_SQL, {"at_ms": at_ms}).fetchall()),
        "levels": len(con.execute(LEVELS_SQL, {"since_ms": at_ms - 90 * DAY_MS, "at_ms": at_ms}).fetchall()),
    }
    compute_seconds = time.perf_counter() - started
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    print(
        json.dumps(
            {
                "rows": rows,
                "load_seconds": round(load_seconds, 3),
                "compute_seconds": round(compute_seconds, 3),
                "result_rows": results,
                "threads": threads,
                "duckdb": duckdb.__version__,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
