#!/usr/bin/env python3
"""Cross-check of copse's key community metrics against an independent
implementation in DuckDB.

    python3 scripts/insight_crosscheck.py DATABASE.sqlite [--at RFC3339]
        [--copse PATH/TO/copse] [--expected FILE.jsonl] [--print-only]

Reads the copse SQLite database with Python's sqlite3 (contributions,
memberships, threads, posts, communities), copies those tables into an
in-memory DuckDB database and computes, per community, for each calendar
month (UTC) of the 12 months ending with the month containing `--at`:

  * active participants: distinct people with >= 1 contribution in the month
    (a contribution is an activity-record row whose kind is not 'rsvp');
  * Gini over the per-person contribution counts of those people
    (sum((2i - n + 1) x_i) / (n * total), x ascending, i from 0; null below 2
    people);
  * Contributor Absence Factor: the fewest people who make >= 50 % of the
    month's contributions (null without contributions);
  * median hours to first response: over question threads created in the
    month that have one, the time to the first visible reply by someone other
    than the asker (a later post, not hidden, by a known author who is not
    the asker; hidden question threads are left out); the mean of the two
    middle values for an even count;

and the retention cohorts: memberships (status active) whose joined_at
(memberships.created_at) falls in the month, and the share of them with a
contribution in the community in the month after (active_month_1) and three
months after (active_month_3); null while that month has not ended at `--at`
or when the cohort is empty.

Then it runs `copse insight metrics --json --at <the same instant>` against the
same database (or reads `--expected`, copse's JSON lines saved earlier) and
compares every value: integers must be equal, floats within 1e-9, nulls must
match. A month or cohort line one side leaves out counts as an empty one
(0 people, nulls). It prints the compared values as a table and every
difference, and exits 1 on any mismatch or when nothing was compared (2 on a
usage or setup error).

Every definition here is written from the shared metric definitions in SQL,
not from copse's code: agreement means two implementations read the
definitions the same way.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

try:
    import duckdb
except ImportError:  # pragma: no cover - the runner installs it
    sys.stderr.write("insight_crosscheck: the duckdb package is missing (pip install -r tests/insight/requirements.txt)\n")
    sys.exit(2)

FLOAT_TOLERANCE = 1e-9
MONTHS = 12

# (table, SQLite query, DuckDB column types). Only what the definitions read.
TABLES = [
    (
        "communities",
        "SELECT id, slug FROM communities",
        {"id": "BIGINT", "slug": "VARCHAR"},
    ),
    (
        "contributions",
        "SELECT person_id, community_id, kind, at FROM contributions",
        {"person_id": "BIGINT", "community_id": "BIGINT", "kind": "VARCHAR", "at": "BIGINT"},
    ),
    (
        "memberships",
        "SELECT community_id, person_id, status, created_at FROM memberships",
        {"community_id": "BIGINT", "person_id": "BIGINT", "status": "VARCHAR", "created_at": "BIGINT"},
    ),
    (
        "threads",
        "SELECT id, community_id, kind, author_id, created_at, "
        "CASE WHEN hidden_reason IS NULL THEN 0 ELSE 1 END AS hidden FROM threads",
        {
            "id": "BIGINT",
            "community_id": "BIGINT",
            "kind": "VARCHAR",
            "author_id": "BIGINT",
            "created_at": "BIGINT",
            "hidden": "BIGINT",
        },
    ),
    (
        "posts",
        "SELECT id, thread_id, author_id, created_at, "
        "CASE WHEN hidden_reason IS NULL THEN 0 ELSE 1 END AS hidden FROM posts",
        {"id": "BIGINT", "thread_id": "BIGINT", "author_id": "BIGINT", "created_at": "BIGINT", "hidden": "BIGINT"},
    ),
]

# The calendar months: the one containing `at` and the 11 before it, as
# half-open [start_ms, end_ms) in UTC milliseconds. `next_end_ms` and
# `third_end_ms` are the ends of months M+1 and M+3 (retention).
MONTHS_SQL = """
CREATE TABLE months AS
WITH starts AS (
    SELECT CAST(date_trunc('month', CAST($at_day AS DATE)) - to_months(k) AS DATE) AS start
    FROM range(0, $months) AS r(k)
)
SELECT start,
       epoch_ms(CAST(start AS TIMESTAMP)) AS start_ms,
       epoch_ms(CAST(start + to_months(1) AS TIMESTAMP)) AS end_ms,
       epoch_ms(CAST(start + to_months(2) AS TIMESTAMP)) AS next_end_ms,
       epoch_ms(CAST(start + to_months(3) AS TIMESTAMP)) AS third_start_ms,
       epoch_ms(CAST(start + to_months(4) AS TIMESTAMP)) AS third_end_ms
FROM starts
"""

# Per community and month: active participants, Gini, absence factor.
ACTIVITY_SQL = """
WITH counts AS (
    SELECT c.community_id, m.start, c.person_id, COUNT(*) AS x
    FROM contributions c
    JOIN months m ON c.at >= m.start_ms AND c.at < m.end_ms
    WHERE c.kind <> 'rsvp'
    GROUP BY c.community_id, m.start, c.person_id
),
ranked AS (
    SELECT community_id, start, x,
           ROW_NUMBER() OVER (PARTITION BY community_id, start ORDER BY x ASC) - 1 AS i_up,
           ROW_NUMBER() OVER (PARTITION BY community_id, start ORDER BY x DESC) AS k_down,
           SUM(x) OVER (PARTITION BY community_id, start ORDER BY x DESC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_down,
           COUNT(*) OVER (PARTITION BY community_id, start) AS n,
           SUM(x) OVER (PARTITION BY community_id, start) AS total
    FROM counts
),
per_month AS (
    SELECT community_id, start,
           MAX(n) AS active,
           MAX(total) AS total,
           SUM(CAST(2 * i_up - n + 1 AS HUGEINT) * x) AS weighted,
           MIN(CASE WHEN 2 * running_down >= total THEN k_down END) AS absence_factor
    FROM ranked
    GROUP BY community_id, start
)
SELECT co.slug AS community, m.start,
       COALESCE(p.active, 0) AS active_participants,
       CASE WHEN p.active >= 2 AND p.total > 0
            THEN CAST(p.weighted AS DOUBLE) / (CAST(p.active AS DOUBLE) * CAST(p.total AS DOUBLE))
       END AS gini,
       p.absence_factor
FROM communities co
CROSS JOIN months m
LEFT JOIN per_month p ON p.community_id = co.id AND p.start = m.start
"""

# Per community and month: median hours to the first response of the
# question threads created in the month.
RESPONSE_SQL = """
WITH opening AS (
    SELECT thread_id, MIN(id) AS first_post FROM posts GROUP BY thread_id
),
questions AS (
    SELECT t.id, t.community_id, t.author_id AS asker, t.created_at
    FROM threads t
    WHERE t.kind = 'question' AND t.hidden = 0
),
first_response AS (
    SELECT q.id, q.community_id, q.created_at, MIN(p.created_at) AS responded_at
    FROM questions q
    JOIN opening o ON o.thread_id = q.id
    JOIN posts p ON p.thread_id = q.id
    WHERE p.id > o.first_post AND p.hidden = 0 AND p.author_id IS NOT NULL
      AND (q.asker IS NULL OR p.author_id <> q.asker)
    GROUP BY q.id, q.community_id, q.created_at
),
hours AS (
    SELECT f.community_id, m.start,
           CAST(f.responded_at - f.created_at AS DOUBLE) / 3600000.0 AS h
    FROM first_response f
    JOIN months m ON f.created_at >= m.start_ms AND f.created_at < m.end_ms
),
ordered AS (
    SELECT community_id, start, h,
           ROW_NUMBER() OVER (PARTITION BY community_id, start ORDER BY h) AS r,
           COUNT(*) OVER (PARTITION BY community_id, start) AS n
    FROM hours
)
SELECT co.slug AS community, o.start,
       AVG(o.h) AS median_hours_to_first_response
FROM ordered o
JOIN communities co ON co.id = o.community_id
WHERE o.r IN ((o.n + 1) // 2, (o.n + 2) // 2)
GROUP BY co.slug, o.start
"""

# Retention cohorts per community and joining month.
COHORT_SQL = """
WITH cohort AS (
    SELECT ms.community_id, m.start, ms.person_id, m.end_ms, m.next_end_ms, m.third_start_ms, m.third_end_ms
    FROM memberships ms
    JOIN months m ON ms.created_at >= m.start_ms AND ms.created_at < m.end_ms
    -- As of the instant compared: a membership made after it (the demo can
    -- finish loading within the same second) has not happened yet.
    WHERE ms.status = 'active' AND ms.created_at <= $at_ms
),
activity AS (
    SELECT k.community_id, k.start, k.person_id,
           MAX(CASE WHEN c.at >= k.end_ms AND c.at < k.next_end_ms THEN 1 ELSE 0 END) AS in_month_1,
           MAX(CASE WHEN c.at >= k.third_start_ms AND c.at < k.third_end_ms THEN 1 ELSE 0 END) AS in_month_3
    FROM cohort k
    LEFT JOIN contributions c
           ON c.community_id = k.community_id AND c.person_id = k.person_id AND c.kind <> 'rsvp'
    GROUP BY k.community_id, k.start, k.person_id
),
sizes AS (
    SELECT community_id, start, COUNT(*) AS joined,
           SUM(COALESCE(in_month_1, 0)) AS active_1, SUM(COALESCE(in_month_3, 0)) AS active_3
    FROM activity
    GROUP BY community_id, start
)
SELECT co.slug AS community, m.start,
       COALESCE(s.joined, 0) AS joined,
       CASE WHEN s.joined > 0 AND m.next_end_ms <= $at_ms
            THEN CAST(s.active_1 AS DOUBLE) / CAST(s.joined AS DOUBLE) END AS active_month_1,
       CASE WHEN s.joined > 0 AND m.third_end_ms <= $at_ms
            THEN CAST(s.active_3 AS DOUBLE) / CAST(s.joined AS DOUBLE) END AS active_month_3
FROM communities co
CROSS JOIN months m
LEFT JOIN sizes s ON s.community_id = co.id AND s.start = m.start
"""

MONTH_FIELDS = [
    ("active_participants", "int"),
    ("gini", "float"),
    ("absence_factor", "int"),
    ("median_hours_to_first_response", "float"),
]
COHORT_FIELDS = [("joined", "int"), ("active_month_1", "float"), ("active_month_3", "float")]


def parse_instant(text: str) -> int:
    """RFC 3339 (or epoch milliseconds) to UTC milliseconds."""
    if text.isdigit():
        return int(text)
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp() * 1000)


def rfc3339(ms: int) -> str:
    instant = dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def export_to_duckdb(sqlite_path: str, con: "duckdb.DuckDBPyConnection", scratch: str) -> dict[str, int]:
    """Copies the tables through CSV files (no pandas/pyarrow needed)."""
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    rows = {}
    try:
        for table, query, columns in TABLES:
            path = os.path.join(scratch, f"{table}.csv")
            count = 0
            with open(path, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                cursor = source.execute(query)
                while True:
                    batch = cursor.fetchmany(50_000)
                    if not batch:
                        break
                    writer.writerows(batch)
                    count += len(batch)
            types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
            con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = false, columns = {{{types}}}, "
                "nullstr = '', quote = '\"', escape = '\"')",
                [path],
            )
            rows[table] = count
    finally:
        source.close()
    return rows


def compute(sqlite_path: str, at_ms: int) -> tuple[dict, dict, dict[str, int]]:
    """Returns ({(community, month): {field: value}}, {(community, cohort): ...}, row counts)."""
    con = duckdb.connect(":memory:")
    with tempfile.TemporaryDirectory(prefix="copse-crosscheck-") as scratch:
        rows = export_to_duckdb(sqlite_path, con, scratch)
    at_day = dt.datetime.fromtimestamp(at_ms / 1000, tz=dt.timezone.utc).date().isoformat()
    con.execute(MONTHS_SQL, {"at_day": at_day, "months": MONTHS})
    months: dict = {}
    for community, start, active, gini, absence in con.execute(ACTIVITY_SQL).fetchall():
        months[(community, start.isoformat())] = {
            "active_participants": active,
            "gini": gini,
            "absence_factor": absence,
            "median_hours_to_first_response": None,
        }
    for community, start, median in con.execute(RESPONSE_SQL).fetchall():
        months[(community, start.isoformat())]["median_hours_to_first_response"] = median
    cohorts: dict = {}
    for community, start, joined, m1, m3 in con.execute(COHORT_SQL, {"at_ms": at_ms}).fetchall():
        cohorts[(community, start.isoformat())] = {"joined": joined, "active_month_1": m1, "active_month_3": m3}
    con.close()
    return months, cohorts, rows


def read_copse(lines: list[str]) -> tuple[dict, dict]:
    months: dict = {}
    cohorts: dict = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"insight_crosscheck: copse printed a line that is not JSON (line {number}): {error}")
        if "cohort" in row:
            cohorts[(row["community"], row["cohort"][:10])] = row
        elif row.get("period") == "month":
            months[(row["community"], row["start"][:10])] = row
    return months, cohorts


def run_copse(copse: str, database: str, at_ms: int) -> list[str]:
    command = [copse, "--database-url", f"sqlite://{database}", "insight", "metrics", "--json", "--at", rfc3339(at_ms)]
    env = dict(os.environ, COPSE_LOG=os.environ.get("COPSE_LOG", "warn"))
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"insight_crosscheck: `{' '.join(command)}` failed with exit code {result.returncode}")
    return result.stdout.splitlines()


def empty(fields: list[tuple[str, str]]) -> dict:
    return {name: (0 if kind == "int" and name in ("active_participants", "joined") else None) for name, kind in fields}


def same(kind: str, ours, theirs) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if isinstance(theirs, bool) or not isinstance(theirs, (int, float)):
        return False
    if kind == "int":
        return float(theirs).is_integer() and int(theirs) == int(ours)
    return math.isfinite(theirs) and abs(float(ours) - float(theirs)) <= FLOAT_TOLERANCE


def show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.6f}"
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def compare(label: str, ours: dict, theirs: dict, fields: list[tuple[str, str]], table: list, diffs: list) -> int:
    compared = 0
    for key in sorted(set(ours) | set(theirs)):
        mine = ours.get(key, empty(fields))
        copse = theirs.get(key, empty(fields))
        for name, kind in fields:
            a, b = mine.get(name), copse.get(name)
            ok = same(kind, a, b)
            compared += 1
            table.append((label, key[0], key[1], name, show(a), show(b), "ok" if ok else "DIFF"))
            if not ok:
                diffs.append(f"{label} {key[0]} {key[1]} {name}: duckdb {a!r} != copse {b!r}")
    return compared


# ---------------------------------------------------------------------------
# Self-test: a small database whose figures were worked out by hand.
# ---------------------------------------------------------------------------

FIXTURE_AT = "2026-11-15T12:00:00Z"
FIXTURE_SCHEMA = """
CREATE TABLE communities (id INTEGER PRIMARY KEY, slug TEXT NOT NULL);
CREATE TABLE contributions (id INTEGER PRIMARY KEY, person_id BIGINT, community_id BIGINT, kind TEXT, at BIGINT);
CREATE TABLE memberships (community_id BIGINT, person_id BIGINT, status TEXT, created_at BIGINT);
CREATE TABLE threads (id INTEGER PRIMARY KEY, community_id BIGINT, kind TEXT, author_id BIGINT,
                      created_at BIGINT, hidden_reason TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, thread_id BIGINT, author_id BIGINT, created_at BIGINT,
                    hidden_reason TEXT);
"""
HOUR_MS = 3_600_000

# Every line not listed here must be empty (0 people, nulls).
FIXTURE_EXPECTED_MONTHS = {
    # Nov: person 1 three, person 2 one (person 3's rsvp does not count):
    # Gini ((-1)*1 + 1*3) / (2*4) = 0.25; 3 of 4 by one person. Questions:
    # 5 h (the asker's own reply and a hidden reply skipped), 2 h, 10 h, 1 h
    # (one unanswered, one discussion ignored): median (2 + 5) / 2.
    ("alpha", "2026-11-01"): {"active_participants": 2, "gini": 0.25, "absence_factor": 1,
                              "median_hours_to_first_response": 3.5},
    # Oct: people 1-4 two each, person 5 one at exactly 00:00 on the 1st:
    # sorted [1,2,2,2,2], weighted -4 -4 +0 +4 +8 = 4, Gini 4 / (5*9);
    # 2+2+2 = 6 >= 4.5: three people. One question answered in 30 minutes.
    ("alpha", "2026-10-01"): {"active_participants": 5, "gini": 4 / 45, "absence_factor": 3,
                              "median_hours_to_first_response": 0.5},
    # Sep: person 5 at 23:59:59.999 on the 30th.
    ("alpha", "2026-09-01"): {"active_participants": 1, "gini": None, "absence_factor": 1,
                              "median_hours_to_first_response": None},
    # Aug: person 1's attendance (person 2's rsvp does not count).
    ("alpha", "2026-08-01"): {"active_participants": 1, "gini": None, "absence_factor": 1,
                              "median_hours_to_first_response": None},
}
FIXTURE_EXPECTED_COHORTS = {
    # Joined in July: people 1 and 2 (3 only requested). August: only 1
    # contributed; October: both.
    ("alpha", "2026-07-01"): {"joined": 2, "active_month_1": 0.5, "active_month_3": 1.0},
    # Joined in October: November has not ended at the instant.
    ("alpha", "2026-10-01"): {"joined": 1, "active_month_1": None, "active_month_3": None},
}


def fixture_database(path: str) -> None:
    def ms(text: str) -> int:
        return parse_instant(text)

    db = sqlite3.connect(path)
    db.executescript(FIXTURE_SCHEMA)
    db.executemany("INSERT INTO communities VALUES (?, ?)", [(1, "alpha"), (2, "beta")])
    contributions = [
        (1, 1, "post", "2026-11-02T10:00:00Z"), (1, 1, "answer", "2026-11-03T10:00:00Z"),
        (1, 1, "kudos", "2026-11-10T10:00:00Z"), (2, 1, "question", "2026-11-04T10:00:00Z"),
        (3, 1, "rsvp", "2026-11-05T10:00:00Z"),
        (1, 1, "post", "2026-10-02T10:00:00Z"), (1, 1, "post", "2026-10-03T10:00:00Z"),
        (2, 1, "post", "2026-10-02T10:00:00Z"), (2, 1, "reply", "2026-10-31T23:59:59Z"),
        (3, 1, "post", "2026-10-05T10:00:00Z"), (3, 1, "post", "2026-10-06T10:00:00Z"),
        (4, 1, "post", "2026-10-07T10:00:00Z"), (4, 1, "attendance", "2026-10-08T10:00:00Z"),
        (5, 1, "post", "2026-10-01T00:00:00Z"),
        (5, 1, "post", "2026-09-30T23:59:59.999Z"),
        (1, 1, "attendance", "2026-08-10T10:00:00Z"), (2, 1, "rsvp", "2026-08-10T10:00:00Z"),
        # Outside the twelve months, before and after.
        (1, 1, "post", "2025-11-30T23:59:59Z"), (1, 2, "post", "2026-12-01T00:00:00Z"),
    ]
    db.executemany(
        "INSERT INTO contributions (person_id, community_id, kind, at) VALUES (?, ?, ?, ?)",
        [(p, c, k, ms(t)) for p, c, k, t in contributions],
    )
    db.executemany(
        "INSERT INTO memberships VALUES (1, ?, ?, ?)",
        [(1, "active", ms("2026-07-15T09:00:00Z")), (2, "active", ms("2026-07-20T09:00:00Z")),
         (3, "requested", ms("2026-07-25T09:00:00Z")), (6, "active", ms("2026-10-05T09:00:00Z"))],
    )
    threads = [
        # id, kind, asker, created, [(post id, author, hours after, hidden)]
        (10, "question", 1, "2026-11-02T00:00:00Z", [(100, 1, 0, None), (101, 1, 1, None), (102, 2, 3, "spam"),
                                                      (103, 3, 5, None), (104, 4, 6, None)]),
        (11, "question", 2, "2026-11-03T00:00:00Z", [(110, 2, 0, None), (111, 1, 2, None)]),
        (12, "discussion", 1, "2026-11-03T00:00:00Z", [(120, 1, 0, None), (121, 2, 0.1, None)]),
        (13, "question", 3, "2026-11-04T00:00:00Z", [(130, 3, 0, None)]),
        (14, "question", 3, "2026-11-05T00:00:00Z", [(140, 3, 0, None), (141, 4, 10, None)]),
        (15, "question", 4, "2026-11-06T00:00:00Z", [(150, 4, 0, None), (151, 5, 1, None)]),
        (16, "question", 1, "2026-10-10T00:00:00Z", [(160, 1, 0, None), (161, 2, 0.5, None)]),
    ]
    for thread, kind, asker, created, posts in threads:
        db.execute("INSERT INTO threads VALUES (?, 1, ?, ?, ?, NULL)", (thread, kind, asker, ms(created)))
        for post, author, hours, hidden in posts:
            db.execute(
                "INSERT INTO posts VALUES (?, ?, ?, ?, ?)",
                (post, thread, author, ms(created) + int(hours * HOUR_MS), hidden),
            )
    db.commit()
    db.close()


def self_test() -> int:
    at_ms = parse_instant(FIXTURE_AT)
    with tempfile.TemporaryDirectory(prefix="copse-crosscheck-fixture-") as scratch:
        path = os.path.join(scratch, "fixture.sqlite")
        fixture_database(path)
        months, cohorts, _ = compute(path, at_ms)
    expected_months = {k: empty(MONTH_FIELDS) for k in months}
    expected_months.update(FIXTURE_EXPECTED_MONTHS)
    expected_cohorts = {k: empty(COHORT_FIELDS) for k in cohorts}
    expected_cohorts.update(FIXTURE_EXPECTED_COHORTS)
    table: list = []
    diffs: list = []
    compared = compare("month", months, expected_months, MONTH_FIELDS, table, diffs)
    compared += compare("cohort", cohorts, expected_cohorts, COHORT_FIELDS, table, diffs)
    if len(months) != 2 * MONTHS or len(cohorts) != 2 * MONTHS:
        diffs.append(f"expected {2 * MONTHS} month and cohort lines, got {len(months)} and {len(cohorts)}")
    for line in diffs:
        print(f"  {line}")
    print(f"insight-crosscheck self-test: {compared - len(diffs)} passed, {len(diffs)} failed")
    return 1 if diffs else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", nargs="?", help="path of the copse SQLite database")
    parser.add_argument("--at", help="the instant (RFC 3339 or epoch ms; default: now)")
    parser.add_argument("--copse", default="copse", help="the copse binary (default: copse on PATH)")
    parser.add_argument("--expected", help="read copse's JSON lines from this file instead of running copse")
    parser.add_argument("--print-only", action="store_true", help="print DuckDB's figures as JSON lines and stop")
    parser.add_argument("--quiet", action="store_true", help="print only differences and the summary")
    parser.add_argument("--self-test", action="store_true", help="check the DuckDB side on a hand-computed fixture")
    args = parser.parse_args()

    if args.self_test:
        return self_test()
    if not args.database:
        parser.error("the database path is required (or --self-test)")

    if not os.path.exists(args.database):
        sys.stderr.write(f"insight_crosscheck: no database at {args.database}\n")
        return 2
    at_ms = parse_instant(args.at) if args.at else int(dt.datetime.now(tz=dt.timezone.utc).timestamp() * 1000)
    ours_months, ours_cohorts, rows = compute(args.database, at_ms)
    sys.stderr.write(
        f"insight_crosscheck: at {rfc3339(at_ms)}; exported "
        + ", ".join(f"{n} {t}" for t, n in rows.items())
        + "\n"
    )
    if args.print_only:
        for (community, start), values in sorted(ours_months.items()):
            print(json.dumps({"community": community, "period": "month", "start": start, **values}))
        for (community, start), values in sorted(ours_cohorts.items()):
            print(json.dumps({"community": community, "cohort": start, **values}))
        return 0

    if args.expected:
        with open(args.expected, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        lines = run_copse(args.copse, os.path.abspath(args.database), at_ms)
    theirs_months, theirs_cohorts = read_copse(lines)

    table: list = []
    diffs: list = []
    compared = compare("month", ours_months, theirs_months, MONTH_FIELDS, table, diffs)
    compared += compare("cohort", ours_cohorts, theirs_cohorts, COHORT_FIELDS, table, diffs)
    if not theirs_months and not theirs_cohorts:
        diffs.append("copse printed no month or cohort line")

    if not args.quiet:
        header = ("what", "community", "start", "value", "duckdb", "copse", "")
        widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    if diffs:
        print(f"\n{len(diffs)} difference(s):")
        for line in diffs:
            print(f"  {line}")
    nonzero = sum(1 for r in table if r[4] not in ("-", "0"))
    print(f"\ncompared {compared} values ({nonzero} non-empty) over {len(set(ours_months) | set(theirs_months))} "
          f"community-months and {len(set(ours_cohorts) | set(theirs_cohorts))} cohorts")
    failed = len(diffs)
    passed = compared - sum(1 for r in table if r[6] == "DIFF")
    print(f"insight-crosscheck: {passed} passed, {failed} failed")
    if compared == 0 or nonzero == 0:
        print("insight_crosscheck: nothing was compared")
        return 1
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
