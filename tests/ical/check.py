#!/usr/bin/env python3
"""Checks copse's iCalendar output with independent parsers.

Usage: check.py DIR

DIR holds NAME.ics calendars written by copse and NAME.expected.json files
with the occurrences copse itself expands for them (uid, UTC start and end,
within a window [from, to)). For every calendar this checks that:

- the wire format holds: CRLF line endings, no line longer than 75 octets;
- `icalendar` parses it, and `recurring_ical_events` expands every series
  (RRULE, EXDATE, RECURRENCE-ID overrides) to exactly copse's set of UTC
  occurrence starts, with the zones looked up by their IANA names ("iana");
- the ends agree too, except for occurrences that span a DST change: RFC 5545
  (3.8.5.3) gives every occurrence the exact duration DTEND - DTSTART, as
  copse does, while recurring_ical_events adds it in wall-clock time (such
  an end must then be the wall-clock one, or the check fails);
- the starts agree again with the TZIDs renamed so that only the calendar's
  own VTIMEZONE definitions can be used ("vtimezone"). Series with a local
  start in a DST gap are left out of this one: dateutil's VTIMEZONE reader
  puts such a time an hour early (offset after the gap), where RFC 5545
  (3.3.5) and the "iana" check use the offset before the gap;
- each VTIMEZONE, read on its own by dateutil, gives the same UTC offset as
  the IANA database at every hour of the years the calendar covers.

Prints one line per check and "ical: N passed, M failed"; exits non-zero
when any check failed or there was nothing to check.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

UTC = timezone.utc


def utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def check_wire_format(raw: bytes) -> list[str]:
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = raw.split(b"\r\n")
    for number, line in enumerate(lines[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: a fold splits a UTF-8 character")
    return problems


def occurrences(calendar, start: datetime, stop: datetime) -> list[tuple[str, str, str]]:
    """(uid, start, end) in UTC for every occurrence starting in [start, stop)."""
    found = []
    for event in recurring_ical_events.of(calendar).between(start, stop):
        begin = event["DTSTART"].dt
        end = event["DTEND"].dt if "DTEND" in event else begin + event["DURATION"].dt
        if begin.tzinfo is None or not (start <= begin < stop):
            if begin.tzinfo is None:
                found.append((str(event["UID"]), f"floating {begin}", ""))
            continue
        found.append((str(event["UID"]), utc_text(begin), utc_text(end)))
    return sorted(found)


def rename_zones(raw: bytes, prefix: str) -> bytes:
    """The calendar with every TZID replaced by a name no database knows
    (`icalendar` caches zones by name for the whole process: keep `prefix`
    unique)."""
    text = raw.decode("utf-8").replace("\r\n ", "")
    names = set(re.findall(r"TZID[:=]([^:;,\r\n]+)", text))
    for index, name in enumerate(sorted(names)):
        private = f"Copse check {prefix} zone {index}"
        text = text.replace(f"TZID:{name}\r\n", f"TZID:{private}\r\n")
        text = text.replace(f"TZID={name}:", f"TZID={private}:")
        text = text.replace(f"TZID={name};", f"TZID={private};")
    return text.encode("utf-8")


def compare_starts(expected: list[dict], actual: list[tuple[str, str, str]]) -> list[str]:
    """Problems unless the (uid, UTC start) pairs are the same, without repeats."""
    want = sorted((o["uid"], o["start"]) for o in expected)
    got = sorted((uid, start) for uid, start, _ in actual)
    problems = [f"copse has, parser lacks: {item}" for item in sorted(set(want) - set(got))]
    problems += [f"parser has, copse lacks: {item}" for item in sorted(set(got) - set(want))]
    if not problems and want != got:
        problems.append(f"{len(want)} occurrences expected, parser gave {len(got)} (repeats)")
    return problems


def compare_ends(expected: list[dict], actual: list[tuple[str, str, str]]) -> tuple[list[str], int]:
    """Problems where the ends differ, and how many differ only because the
    parser adds the duration in wall-clock time (across a DST change)."""
    ends = {(uid, start): end for uid, start, end in actual}
    problems, wall_clock = [], 0
    for occurrence in expected:
        theirs = ends.get((occurrence["uid"], occurrence["start"]))
        if theirs is None or theirs == occurrence["end"]:
            continue
        duration = parse_utc(occurrence["end"]) - parse_utc(occurrence["start"])
        local = datetime.strptime(occurrence["local"], "%Y-%m-%dT%H:%M:%S")
        wall_end = (local + duration).replace(tzinfo=ZoneInfo(occurrence["zone"]))
        if theirs == utc_text(wall_end):
            wall_clock += 1
        else:
            problems.append(f"{occurrence['uid']} at {occurrence['start']}: copse ends {occurrence['end']}, parser {theirs}")
    return problems, wall_clock


def in_dst_gap(occurrence: dict) -> bool:
    """Whether the occurrence's original local start does not exist in its zone."""
    local = datetime.strptime(occurrence["local"], "%Y-%m-%dT%H:%M:%S")
    zone = ZoneInfo(occurrence["zone"])
    return local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local


def check_vtimezones(calendar, first: datetime, last: datetime) -> dict[str, list[str]]:
    results = {}
    for component in calendar.walk("VTIMEZONE"):
        tzid = str(component["TZID"])
        own = component.to_tz(lookup_tzid=False)
        reference = ZoneInfo(tzid)
        problems = []
        at = first
        while at < last and len(problems) < 5:
            ours = at.astimezone(own).utcoffset()
            theirs = at.astimezone(reference).utcoffset()
            if ours != theirs:
                problems.append(f"{utc_text(at)}: VTIMEZONE gives {ours}, IANA {theirs}")
            at += timedelta(hours=1)
        results[tzid] = problems
    return results


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(sys.argv[1])
    calendars = sorted(directory.glob("*.ics"))
    passed = failed = 0

    def report(name: str, problems: list[str]) -> None:
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for problem in problems[:20]:
                print(f"     {problem}")
            if len(problems) > 20:
                print(f"     ... and {len(problems) - 20} more")
        else:
            passed += 1
            print(f"ok   {name}")

    for path in calendars:
        name = path.name[: -len(".ics")]
        expected_path = directory / f"{name}.expected.json"
        if not expected_path.exists():
            report(f"{name}: expected occurrences", [f"{expected_path.name} is missing"])
            continue
        expected_doc = json.loads(expected_path.read_text())
        start, stop = parse_utc(expected_doc["from"]), parse_utc(expected_doc["to"])
        expected = expected_doc["occurrences"]
        raw = path.read_bytes()
        report(f"{name}: wire format", check_wire_format(raw))
        try:
            calendar = icalendar.Calendar.from_ical(raw)
        except Exception as error:  # noqa: BLE001 - any parse failure is the finding
            report(f"{name}: icalendar parses it", [repr(error)])
            continue
        found = occurrences(calendar, start, stop)
        report(f"{name}: iana: {len(expected)} occurrence starts", compare_starts(expected, found))
        problems, wall_clock = compare_ends(expected, found)
        report(f"{name}: iana: ends ({wall_clock} across a DST change differ as documented)", problems)

        gap_series = {o["uid"] for o in expected if in_dst_gap(o)}
        kept = [o for o in expected if o["uid"] not in gap_series]
        renamed = icalendar.Calendar.from_ical(rename_zones(raw, name))
        found = [o for o in occurrences(renamed, start, stop) if o[0] not in gap_series]
        report(
            f"{name}: vtimezone: {len(kept)} occurrence starts ({len(gap_series)} series with a start in a DST gap left out)",
            compare_starts(kept, found),
        )
        first = datetime(start.year - 1, 1, 1, tzinfo=UTC)
        last = datetime(stop.year + 3, 1, 1, tzinfo=UTC)
        for tzid, problems in check_vtimezones(calendar, first, last).items():
            report(f"{name}: VTIMEZONE {tzid} offsets {first.year}-{last.year - 1}", problems)

    if not calendars:
        print(f"no *.ics files in {directory}: did the fixture test run (is `mod ical` wired into copse-web)?")
    print(f"ical: {passed} passed, {failed} failed")
    return 0 if calendars and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
