//! iCalendar (RFC 5545) output: a calendar of events that calendar programs
//! can subscribe to.
//!
//! Pure functions from [`CalendarEvent`]s to text; no HTTP. A repeating event
//! is written once, as a series (`DTSTART;TZID=...` in the organizer's zone,
//! `RRULE`, `EXDATE` for cancelled occurrences), and every occurrence that was
//! changed on its own is a further `VEVENT` with the same `UID` and a
//! `RECURRENCE-ID` naming the original local start it replaces.
//!
//! Every zone used gets a `VTIMEZONE` with real `STANDARD`/`DAYLIGHT`
//! observances derived from chrono-tz: each offset change from the last one
//! before the year preceding the earliest event up to two years after the
//! latest one is written as an explicit onset (`RDATE`), except that once a
//! zone settles into a regular yearly rule (such as "last Sunday in March at
//! 02:00") that rule is written as an `RRULE`, so times far in the future are
//! right too; a zone that changes irregularly gets ten more years of explicit
//! onsets instead. Calendar programs that know the zone by its IANA name use
//! their own rules; the others compute the same offsets from these
//! definitions.
//!
//! `DTEND` is the local time the exact duration after the start, and RFC 5545
//! (3.8.5.3) applies that exact duration to every occurrence, as
//! `copse_domain::recurrence::expand` does.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use copse_domain::recurrence::{Recurrence, SeriesTiming, local_to_utc, series_end};

/// `PRODID` of every calendar copse writes.
pub const PRODID: &str = "-//copse//copse//EN";

/// Lines are folded to at most this many octets, not counting the CRLF.
const FOLD_OCTETS: usize = 75;

/// One `VEVENT`: a series, a single event, or the override of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable identity, shared by a series and its overrides.
    pub uid: String,
    /// The start as wall-clock time in `zone` (for a series, its first occurrence).
    pub start_local: NaiveDateTime,
    /// The organizer's zone, written as `TZID`.
    pub zone: Tz,
    /// How long the event (each occurrence) lasts.
    pub duration_minutes: u32,
    /// The series' rule, such as `FREQ=WEEKLY;BYDAY=TH` (an `RRULE:` prefix is accepted).
    pub rrule: Option<String>,
    /// Original local starts of cancelled occurrences (`EXDATE`).
    pub exdates_local: Vec<NaiveDateTime>,
    /// For the override of one occurrence: the original local start it
    /// replaces (`RECURRENCE-ID`); its own start is `start_local`. An
    /// override is written without `RRULE` and `EXDATE`.
    pub recurrence_id_local: Option<NaiveDateTime>,
    /// Title.
    pub summary: String,
    /// Longer text; left out when empty.
    pub description: String,
    /// Where; left out when empty.
    pub location: String,
    /// A link to the event's page.
    pub url: Option<String>,
    /// The event (or, for an override, the one occurrence) is cancelled.
    pub status_cancelled: bool,
    /// When it last changed (`DTSTAMP` and `LAST-MODIFIED`).
    pub last_modified: DateTime<Utc>,
    /// Revision number, raised on each significant change (`SEQUENCE`).
    pub sequence: u32,
}

/// A whole `VCALENDAR` named `name` (shown by clients through
/// `X-WR-CALNAME`), with a `VTIMEZONE` for every zone the events use, in
/// RFC 5545 wire format: CRLF line endings, lines folded at 75 octets.
pub fn write_calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: String| push_folded(&mut out, &text);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));

    let zones: BTreeSet<&str> = events.iter().map(|event| event.zone.name()).collect();
    for zone_name in zones {
        let zone_events: Vec<&CalendarEvent> = events.iter().filter(|event| event.zone.name() == zone_name).collect();
        let Some(zone) = zone_events.first().map(|event| event.zone) else { continue };
        let (first_year, last_year) = year_span(&zone_events);
        for text in vtimezone(zone, first_year - 1, last_year + 2) {
            line(text);
        }
    }
    for event in events {
        for text in vevent(event) {
            line(text);
        }
    }
    line("END:VCALENDAR".into());
    out
}

/// The content lines of one `VEVENT`, unfolded.
fn vevent(event: &CalendarEvent) -> Vec<String> {
    let tzid = event.zone.name();
    let local = |at: NaiveDateTime| at.format("%Y%m%dT%H%M%S").to_string();
    let stamp = event.last_modified.format("%Y%m%dT%H%M%SZ").to_string();
    let start = local_to_utc(event.zone, event.start_local);
    let end = (start + Duration::minutes(i64::from(event.duration_minutes))).with_timezone(&event.zone).naive_local();

    let mut lines = vec!["BEGIN:VEVENT".to_string(), format!("UID:{}", escape_text(&event.uid))];
    lines.push(format!("DTSTAMP:{stamp}"));
    lines.push(format!("LAST-MODIFIED:{stamp}"));
    lines.push(format!("SEQUENCE:{}", event.sequence));
    lines.push(format!("DTSTART;TZID={tzid}:{}", local(event.start_local)));
    lines.push(format!("DTEND;TZID={tzid}:{}", local(end)));
    match event.recurrence_id_local {
        Some(original) => lines.push(format!("RECURRENCE-ID;TZID={tzid}:{}", local(original))),
        None => {
            if let Some(rule) = &event.rrule {
                let text = match Recurrence::parse(rule) {
                    Ok(recurrence) => recurrence.ical_text(event.zone),
                    // Stored rules are validated; never write a line break or a second prefix.
                    Err(_) => {
                        let raw = rule.trim();
                        let raw = raw.strip_prefix("RRULE:").unwrap_or(raw);
                        raw.chars().filter(|c| !c.is_control()).collect()
                    }
                };
                lines.push(format!("RRULE:{text}"));
            }
            let exdates: BTreeSet<NaiveDateTime> = event.exdates_local.iter().copied().collect();
            if !exdates.is_empty() {
                let list: Vec<String> = exdates.into_iter().map(local).collect();
                lines.push(format!("EXDATE;TZID={tzid}:{}", list.join(",")));
            }
        }
    }
    lines.push(format!("SUMMARY:{}", escape_text(&event.summary)));
    if !event.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&event.description)));
    }
    if !event.location.is_empty() {
        lines.push(format!("LOCATION:{}", escape_text(&event.location)));
    }
    if let Some(url) = &event.url {
        let url: String = url.chars().filter(|c| !c.is_control()).collect();
        lines.push(format!("URL:{url}"));
    }
    if event.status_cancelled {
        lines.push("STATUS:CANCELLED".into());
    }
    lines.push("END:VEVENT".into());
    lines
}

/// The first and last years the events of one zone touch: their starts,
/// original starts, cancellations, revisions and, for repeating events
/// that end, their last occurrence.
fn year_span(events: &[&CalendarEvent]) -> (i32, i32) {
    let mut years: Vec<i32> = Vec::new();
    for event in events {
        years.push(event.start_local.year());
        years.push(event.last_modified.year());
        years.extend(event.recurrence_id_local.map(|at| at.year()));
        years.extend(event.exdates_local.iter().map(|at| at.year()));
        if event.recurrence_id_local.is_none() {
            let recurrence = event.rrule.as_deref().and_then(|rule| Recurrence::parse(rule).ok());
            let timing = SeriesTiming {
                start_local: event.start_local,
                zone: event.zone,
                duration_minutes: event.duration_minutes,
                recurrence,
                excluded: Vec::new(),
            };
            years.extend(series_end(&timing).map(|end| end.with_timezone(&event.zone).year()));
        }
    }
    let first = years.iter().copied().min().unwrap_or(1970);
    let last = years.iter().copied().max().unwrap_or(1970);
    (first, last)
}

/// A change of a zone's UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Transition {
    /// The instant it happens.
    at: DateTime<Utc>,
    /// Offset before, in seconds east of UTC.
    from: i32,
    /// Offset after.
    to: i32,
    /// Whether the offset after is daylight-saving time.
    dst: bool,
    /// Abbreviation after ("CEST"), or the offset when there is none.
    name: String,
}

impl Transition {
    /// When it happens in local time before it (as `VTIMEZONE` onsets are written).
    fn onset(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(i64::from(self.from))
    }

    /// What a yearly rule has to repeat: everything but the day.
    fn shape(&self) -> (bool, i32, i32, String, u32, Weekday, NaiveTime) {
        let onset = self.onset();
        (self.dst, self.from, self.to, self.name.clone(), onset.month(), onset.weekday(), onset.time())
    }
}

/// The offset in force at an instant, and whether it is daylight-saving time.
fn offset_at(zone: Tz, at: DateTime<Utc>) -> (i32, bool, String) {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    let seconds = offset.fix().local_minus_utc();
    let name = offset.abbreviation().map_or_else(|| format_offset(seconds), str::to_string);
    (seconds, !offset.dst_offset().is_zero(), name)
}

/// Every transition in `[from, to)`, found by looking a day at a time and
/// then narrowing to the second (transitions are months apart).
fn transitions(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let state = |at: DateTime<Utc>| {
        let (offset, dst, _) = offset_at(zone, at);
        (offset, dst)
    };
    let mut found = Vec::new();
    let mut at = from;
    let mut current = state(at);
    while at < to {
        let next = (at + Duration::days(1)).min(to);
        let next_state = state(next);
        if next_state != current {
            let (mut before, mut after) = (at, next);
            while after - before > Duration::seconds(1) {
                let middle = before + (after - before) / 2;
                if state(middle) == current { before = middle } else { after = middle }
            }
            let (to_offset, dst, name) = offset_at(zone, after);
            found.push(Transition { at: after, from: current.0, to: to_offset, dst, name });
            current = next_state;
        }
        at = next;
    }
    found
}

fn year_start(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default().and_time(NaiveTime::MIN).and_utc()
}

/// Which week of the month a yearly rule picks its day in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeekOfMonth {
    Nth(u32),
    Last,
}

/// A transition that happens once a year by a fixed rule.
#[derive(Debug, Clone)]
struct YearlyRule {
    first: Transition,
    week: WeekOfMonth,
}

impl YearlyRule {
    fn rrule(&self) -> String {
        let onset = self.first.onset();
        let day = match onset.weekday() {
            Weekday::Mon => "MO",
            Weekday::Tue => "TU",
            Weekday::Wed => "WE",
            Weekday::Thu => "TH",
            Weekday::Fri => "FR",
            Weekday::Sat => "SA",
            Weekday::Sun => "SU",
        };
        let week = match self.week {
            WeekOfMonth::Nth(n) => n.to_string(),
            WeekOfMonth::Last => "-1".into(),
        };
        format!("FREQ=YEARLY;BYMONTH={};BYDAY={week}{day}", onset.month())
    }

    fn matches(&self, transition: &Transition) -> bool {
        transition.shape() == self.first.shape() && week_fits(transition.onset().date(), self.week)
    }
}

fn week_fits(day: NaiveDate, week: WeekOfMonth) -> bool {
    match week {
        WeekOfMonth::Nth(n) => (day.day() - 1) / 7 + 1 == n,
        WeekOfMonth::Last => (day + Duration::days(7)).month() != day.month(),
    }
}

/// The yearly rules the transitions of `years` follow, if they follow
/// such rules: each shape once in every year, in the same week of the month.
fn yearly_rules(transitions: &[Transition], years: std::ops::Range<i32>) -> Option<Vec<YearlyRule>> {
    let mut shapes: Vec<Vec<&Transition>> = Vec::new();
    for transition in transitions {
        match shapes.iter_mut().find(|group| group[0].shape() == transition.shape()) {
            Some(group) => group.push(transition),
            None => shapes.push(vec![transition]),
        }
    }
    if shapes.is_empty() || shapes.len() > 2 {
        return None;
    }
    let mut rules = Vec::new();
    for group in shapes {
        let group_years: Vec<i32> = group.iter().map(|t| t.onset().year()).collect();
        if group_years != years.clone().collect::<Vec<_>>() {
            return None;
        }
        let days: Vec<NaiveDate> = group.iter().map(|t| t.onset().date()).collect();
        let nth = (days[0].day() - 1) / 7 + 1;
        let week = if days.iter().all(|day| week_fits(*day, WeekOfMonth::Nth(nth))) {
            WeekOfMonth::Nth(nth)
        } else if days.iter().all(|day| week_fits(*day, WeekOfMonth::Last)) {
            WeekOfMonth::Last
        } else {
            return None;
        };
        rules.push(YearlyRule { first: group[0].clone(), week });
    }
    Some(rules)
}

/// The content lines of a `VTIMEZONE` for `zone` that is right for every
/// instant from the start of `first_year` to the end of `last_year`, and
/// beyond it while the zone keeps a regular yearly rule.
fn vtimezone(zone: Tz, first_year: i32, last_year: i32) -> Vec<String> {
    // Start with the last change before the range, so that some observance
    // covers its beginning (clients disagree about times before the first).
    let mut in_range: Vec<Transition> = (1..=100)
        .find_map(|back| transitions(zone, year_start(first_year - back), year_start(first_year - back + 1)).pop())
        .into_iter()
        .collect();
    in_range.extend(transitions(zone, year_start(first_year), year_start(last_year + 1)));
    // Ten more years show whether the zone follows a yearly rule for good.
    let check_years = (last_year + 1)..(last_year + 11);
    let later = transitions(zone, year_start(check_years.start), year_start(check_years.end));

    let mut explicit: Vec<Transition> = in_range.clone();
    let mut ruled: Vec<(YearlyRule, Transition)> = Vec::new();
    match yearly_rules(&later, check_years.clone()) {
        Some(rules) => {
            // Walk back while the transitions keep to the rules, year after year.
            let mut keep = in_range.len();
            let mut next_year: Vec<i32> = vec![check_years.start; rules.len()];
            while keep > 0 {
                let transition = &in_range[keep - 1];
                let Some(index) = rules.iter().position(|rule| rule.matches(transition)) else { break };
                if transition.onset().year() != next_year[index] - 1 {
                    break;
                }
                next_year[index] -= 1;
                keep -= 1;
            }
            explicit.truncate(keep);
            for rule in rules {
                let first = in_range[keep..]
                    .iter()
                    .chain(later.iter())
                    .find(|transition| rule.matches(transition))
                    .cloned()
                    .unwrap_or_else(|| rule.first.clone());
                ruled.push((rule, first));
            }
        }
        // No rule: write the transitions of the ten years after as well.
        None => explicit.extend(later),
    }

    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", zone.name())];
    if explicit.is_empty() && ruled.is_empty() {
        // No transitions in a century: one observance from long before.
        let (offset, dst, name) = offset_at(zone, year_start(first_year));
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        lines.push(format!("BEGIN:{kind}"));
        lines.push("DTSTART:19700101T000000".into());
        lines.push(format!("TZOFFSETFROM:{}", format_offset(offset)));
        lines.push(format!("TZOFFSETTO:{}", format_offset(offset)));
        lines.push(format!("TZNAME:{}", escape_text(&name)));
        lines.push(format!("END:{kind}"));
    }
    // Explicit onsets, one observance per kind of change.
    let mut groups: Vec<Vec<&Transition>> = Vec::new();
    for transition in &explicit {
        let same = |other: &Transition| {
            (other.dst, other.from, other.to, &other.name)
                == (transition.dst, transition.from, transition.to, &transition.name)
        };
        match groups.iter_mut().find(|group| same(group[0])) {
            Some(group) => group.push(transition),
            None => groups.push(vec![transition]),
        }
    }
    for group in groups {
        let rdates: Vec<String> = group[1..].iter().map(|t| format_local(t.onset())).collect();
        let rdate = (!rdates.is_empty()).then(|| format!("RDATE:{}", rdates.join(",")));
        lines.extend(observance(group[0], None, rdate));
    }
    for (rule, first) in &ruled {
        lines.extend(observance(first, Some(format!("RRULE:{}", rule.rrule())), None));
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

fn observance(first: &Transition, rrule: Option<String>, rdate: Option<String>) -> Vec<String> {
    let kind = if first.dst { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![format!("BEGIN:{kind}"), format!("DTSTART:{}", format_local(first.onset()))];
    lines.extend(rrule);
    lines.extend(rdate);
    lines.push(format!("TZOFFSETFROM:{}", format_offset(first.from)));
    lines.push(format!("TZOFFSETTO:{}", format_offset(first.to)));
    lines.push(format!("TZNAME:{}", escape_text(&first.name)));
    lines.push(format!("END:{kind}"));
    lines
}

fn format_local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

/// `+0100`, `-0330`, or `+004528` when there are seconds.
fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60);
    if rest == 0 { format!("{sign}{hours:02}{minutes:02}") } else { format!("{sign}{hours:02}{minutes:02}{rest:02}") }
}

/// Escapes a TEXT value: backslash, semicolon and comma get a backslash, a
/// line break (CRLF, CR or LF) becomes `\n`, other control characters
/// (which the format forbids) are dropped; tabs stay.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line is longer than 75
/// octets (continuation lines start with a space), never inside a UTF-8
/// character, each ended by CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut first = true;
    loop {
        let room = if first { FOLD_OCTETS } else { FOLD_OCTETS - 1 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copse_domain::recurrence::{OccurrenceTime, expand};

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn event(uid: &str, start: &str, zone: Tz, rrule: Option<&str>) -> CalendarEvent {
        CalendarEvent {
            uid: uid.into(),
            start_local: local(start),
            zone,
            duration_minutes: 90,
            rrule: rrule.map(String::from),
            exdates_local: Vec::new(),
            recurrence_id_local: None,
            summary: format!("Event {uid}"),
            description: String::new(),
            location: String::new(),
            url: None,
            status_cancelled: false,
            last_modified: local("2026-01-15 10:00").and_utc(),
            sequence: 0,
        }
    }

    /// The content lines, unfolded.
    fn unfolded(text: &str) -> Vec<String> {
        text.replace("\r\n ", "").split("\r\n").filter(|line| !line.is_empty()).map(String::from).collect()
    }

    /// The lines of the first component named `name` (BEGIN to END).
    fn component(lines: &[String], name: &str) -> Vec<String> {
        let begin = lines.iter().position(|line| *line == format!("BEGIN:{name}")).unwrap();
        let end = begin + lines[begin..].iter().position(|line| *line == format!("END:{name}")).unwrap();
        lines[begin..=end].to_vec()
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));

        let mut out = String::new();
        push_folded(&mut out, &format!("DESCRIPTION:{}", "x".repeat(200)));
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert!(lines.iter().all(|line| line.len() <= 75), "{lines:?}");
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..].iter().all(|line| line.starts_with(' ')));
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("DESCRIPTION:{}", "x".repeat(200)));

        // Two- to four-octet characters at every position around the fold.
        for filler in 0..4 {
            for text in ["é", "€", "🌳", "ä€🌳"] {
                let line = format!("SUMMARY:{}{}", "s".repeat(filler), text.repeat(60));
                let mut out = String::new();
                push_folded(&mut out, &line);
                for physical in out.split_terminator("\r\n") {
                    assert!(physical.len() <= 75, "{physical:?} is {} octets", physical.len());
                }
                assert_eq!(out.replace("\r\n ", "").trim_end_matches("\r\n"), line);
            }
        }
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a\\b;c,d"), "a\\\\b\\;c\\,d");
        assert_eq!(escape_text("one\ntwo\r\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
        assert_eq!(escape_text("bell\u{7}\ttab: colon"), "bell\ttab: colon");
        assert_eq!(escape_text("Grüße, 🌳"), "Grüße\\, 🌳");
    }

    #[test]
    fn writes_a_calendar_with_series_exceptions_and_overrides() {
        let mut series = event("weekly@copse", "2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;BYDAY=TH"));
        series.summary = "Rust guild; weekly, with \\ all".into();
        series.description = "Line one\nLine two".into();
        series.location = "Room 4, Building B".into();
        series.url = Some("https://copse.example/events/1".into());
        series.exdates_local = vec![local("2026-04-02 18:00"), local("2026-03-19 18:00")];
        series.sequence = 3;
        let mut moved = event("weekly@copse", "2026-03-27 10:00", Tz::Europe__Berlin, None);
        moved.recurrence_id_local = Some(local("2026-03-26 18:00"));
        let mut cancelled = event("gone@copse", "2026-06-01 09:00", Tz::America__New_York, None);
        cancelled.status_cancelled = true;

        let text = write_calendar("Rust guild, Berlin", &[series, moved, cancelled]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line endings");
        assert!(text.split("\r\n").all(|line| line.len() <= 75));
        let lines = unfolded(&text);
        assert_eq!(
            lines[..6],
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//copse//copse//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:Rust guild\\, Berlin"
            ]
        );
        let zones: Vec<&String> = lines.iter().filter(|line| line.starts_with("TZID:")).collect();
        assert_eq!(zones, ["TZID:America/New_York", "TZID:Europe/Berlin"]);
        assert_eq!(lines.iter().filter(|line| *line == "BEGIN:VEVENT").count(), 3);

        let master = component(&lines, "VEVENT");
        for expected in [
            "UID:weekly@copse",
            "DTSTAMP:20260115T100000Z",
            "SEQUENCE:3",
            "DTSTART;TZID=Europe/Berlin:20260305T180000",
            "DTEND;TZID=Europe/Berlin:20260305T193000",
            "RRULE:FREQ=WEEKLY;BYDAY=TH",
            "EXDATE;TZID=Europe/Berlin:20260319T180000,20260402T180000",
            "SUMMARY:Rust guild\\; weekly\\, with \\\\ all",
            "DESCRIPTION:Line one\\nLine two",
            "LOCATION:Room 4\\, Building B",
            "URL:https://copse.example/events/1",
        ] {
            assert!(master.contains(&expected.to_string()), "{expected} missing from {master:#?}");
        }
        assert!(!master.iter().any(|line| line.starts_with("STATUS")));

        let text_after_master = &lines[lines.iter().position(|l| l == "END:VEVENT").unwrap() + 1..];
        let override_lines = component(text_after_master, "VEVENT");
        assert!(override_lines.contains(&"RECURRENCE-ID;TZID=Europe/Berlin:20260326T180000".to_string()));
        assert!(override_lines.contains(&"DTSTART;TZID=Europe/Berlin:20260327T100000".to_string()));
        assert!(!override_lines.iter().any(|line| line.starts_with("RRULE") || line.starts_with("EXDATE")));
        assert!(lines.contains(&"STATUS:CANCELLED".to_string()));
        assert!(lines.contains(&"DTSTART;TZID=America/New_York:20260601T090000".to_string()));
    }

    #[test]
    fn until_is_written_in_utc() {
        let series = event("s", "2026-03-05 18:00", Tz::Europe__Berlin, Some("RRULE:FREQ=WEEKLY;UNTIL=20260331"));
        let lines = unfolded(&write_calendar("c", &[series]));
        assert!(lines.contains(&"RRULE:FREQ=WEEKLY;UNTIL=20260331T215959Z".to_string()), "{lines:#?}");
    }

    #[test]
    fn dtend_keeps_the_exact_duration_across_a_dst_change() {
        // 01:30 + 90 minutes on the night Berlin skips 02:00-03:00 is 04:00 local.
        let mut night = event("n", "2026-03-29 01:30", Tz::Europe__Berlin, None);
        night.duration_minutes = 90;
        let lines = unfolded(&write_calendar("c", &[night]));
        assert!(lines.contains(&"DTEND;TZID=Europe/Berlin:20260329T040000".to_string()));
    }

    #[test]
    fn vtimezone_uses_the_zones_yearly_rules() {
        let berlin = vtimezone(Tz::Europe__Berlin, 2025, 2028);
        let expected_berlin = [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT",
            "DTSTART:20250330T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:20241027T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "END:STANDARD",
            "END:VTIMEZONE",
        ];
        assert_eq!(berlin, expected_berlin);
        let new_york = vtimezone(Tz::America__New_York, 2025, 2028).join("\n");
        assert!(new_york.contains("DTSTART:20250309T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT"), "{new_york}");
        assert!(new_york.contains("DTSTART:20241103T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST"), "{new_york}");
        let sydney = vtimezone(Tz::Australia__Sydney, 2025, 2028).join("\n");
        assert!(sydney.contains("DTSTART:20250406T030000\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000\nTZNAME:AEST"), "{sydney}");
        assert!(sydney.contains("DTSTART:20241006T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100\nTZNAME:AEDT"), "{sydney}");
    }

    #[test]
    fn vtimezone_writes_irregular_history_as_explicit_onsets() {
        // New York changed its rules in 2007: the years before are explicit.
        let new_york = vtimezone(Tz::America__New_York, 2005, 2009).join("\n");
        assert!(new_york.contains("DTSTART:20050403T020000\nRDATE:20060402T020000\nTZOFFSETFROM:-0500"), "{new_york}");
        assert!(new_york.contains("DTSTART:20070311T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"), "{new_york}");
        // São Paulo stopped daylight saving in 2019: no rule, only the last changes.
        let sao_paulo = vtimezone(Tz::America__Sao_Paulo, 2018, 2021).join("\n");
        assert!(!sao_paulo.contains("RRULE"), "{sao_paulo}");
        assert!(
            sao_paulo.contains("DTSTART:20180218T000000\nRDATE:20190217T000000\nTZOFFSETFROM:-0200\nTZOFFSETTO:-0300"),
            "{sao_paulo}"
        );
        assert!(
            sao_paulo.contains("DTSTART:20171015T000000\nRDATE:20181104T000000\nTZOFFSETFROM:-0300\nTZOFFSETTO:-0200"),
            "{sao_paulo}"
        );
        // Tokyo last changed in 1951: that change is its one observance.
        let tokyo = vtimezone(Tz::Asia__Tokyo, 2025, 2028);
        assert_eq!(tokyo.iter().filter(|line| line.starts_with("BEGIN:")).count(), 2, "{tokyo:#?}");
        assert!(tokyo.join("\n").contains("TZOFFSETFROM:+1000\nTZOFFSETTO:+0900\nTZNAME:JST"), "{tokyo:#?}");
        // A zone that never changes still says its offset.
        let utc = vtimezone(Tz::Etc__UTC, 2025, 2028).join("\n");
        assert!(utc.contains("BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0000"), "{utc}");
        assert_eq!(format_offset(-(3 * 3600 + 30 * 60)), "-0330");
        assert_eq!(format_offset(3208), "+005328");
    }

    /// The sample calendars for `tests/ical/check.py`: series across the DST
    /// changes of Berlin, New York and Sydney, with cancellations and a
    /// moved occurrence, and copse's own expansion of each.
    fn fixtures() -> Vec<(&'static str, Vec<CalendarEvent>)> {
        let (berlin, new_york, sydney) = (Tz::Europe__Berlin, Tz::America__New_York, Tz::Australia__Sydney);
        let mut weekly = event("berlin-weekly@copse", "2025-11-06 18:00", berlin, Some("FREQ=WEEKLY;BYDAY=TH"));
        weekly.exdates_local = vec![local("2026-03-26 18:00"), local("2026-12-24 18:00")];
        let mut moved = event("berlin-weekly@copse", "2026-10-30 19:30", berlin, None);
        moved.recurrence_id_local = Some(local("2026-10-29 18:00"));
        moved.summary = "Moved to Friday".into();
        let fortnightly =
            event("berlin-fortnightly@copse", "2026-01-08 07:30", berlin, Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"));
        let first_tuesday =
            event("berlin-first-tuesday@copse", "2026-01-06 19:00", berlin, Some("FREQ=MONTHLY;BYDAY=1TU;COUNT=10"));
        let gap = event("berlin-night@copse", "2026-03-26 02:30", berlin, Some("FREQ=DAILY;COUNT=7"));
        let fold = event("berlin-fold@copse", "2026-10-22 02:30", berlin, Some("FREQ=DAILY;COUNT=7"));

        let mut monday =
            event("ny-monday@copse", "2026-01-05 19:00", new_york, Some("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130"));
        monday.exdates_local = vec![local("2026-03-09 19:00")];
        let ny_night = event("ny-night@copse", "2026-03-06 02:30", new_york, Some("FREQ=DAILY;COUNT=5"));
        let ny_fold = event("ny-fold@copse", "2026-10-30 01:30", new_york, Some("FREQ=DAILY;COUNT=5"));
        let last_friday = event("ny-last-friday@copse", "2026-01-30 12:00", new_york, Some("FREQ=MONTHLY;BYDAY=-1FR"));

        let mut wednesday = event("sydney-wednesday@copse", "2026-01-07 09:00", sydney, Some("FREQ=WEEKLY;BYDAY=WE"));
        wednesday.exdates_local = vec![local("2026-04-08 09:00"), local("2026-10-07 09:00")];
        let mut moved_sydney = event("sydney-wednesday@copse", "2026-04-02 17:00", sydney, None);
        moved_sydney.recurrence_id_local = Some(local("2026-04-01 09:00"));
        let sydney_weekdays = event(
            "sydney-weekdays@copse",
            "2026-09-28 08:15",
            sydney,
            Some("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20"),
        );
        let single = event("sydney-once@copse", "2026-10-04 02:30", sydney, None);
        let sydney_fold = event("sydney-fold@copse", "2026-04-03 02:30", sydney, Some("FREQ=DAILY;COUNT=4"));

        vec![
            ("berlin", vec![weekly, moved, fortnightly, first_tuesday, gap, fold]),
            ("new-york", vec![monday, ny_night, ny_fold, last_friday]),
            ("sydney", vec![wednesday, moved_sydney, sydney_weekdays, single, sydney_fold]),
        ]
    }

    /// Every occurrence copse shows in `[from, to)`, as (uid, occurrence,
    /// zone); an override's `original_start_local` is its own local start.
    fn copse_occurrences(
        events: &[CalendarEvent],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(String, OccurrenceTime, Tz)> {
        let mut found = Vec::new();
        for event in events {
            let duration = Duration::minutes(i64::from(event.duration_minutes));
            if event.recurrence_id_local.is_some() {
                let start = local_to_utc(event.zone, event.start_local);
                if from <= start && start < to {
                    let occurrence =
                        OccurrenceTime { original_start_local: event.start_local, start, end: start + duration };
                    found.push((event.uid.clone(), occurrence, event.zone));
                }
                continue;
            }
            let mut excluded = event.exdates_local.clone();
            excluded.extend(
                events.iter().filter(|other| other.uid == event.uid).filter_map(|other| other.recurrence_id_local),
            );
            let timing = SeriesTiming {
                start_local: event.start_local,
                zone: event.zone,
                duration_minutes: event.duration_minutes,
                recurrence: event.rrule.as_deref().map(|rule| Recurrence::parse(rule).unwrap()),
                excluded,
            };
            if let Some(recurrence) = &timing.recurrence {
                recurrence.check_against_start(timing.start_local, timing.zone).unwrap();
            }
            for occurrence in expand(&timing, from, to, 10_000) {
                found.push((event.uid.clone(), occurrence, event.zone));
            }
        }
        found.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        found
    }

    #[test]
    fn writes_fixtures_for_the_external_parser() {
        let from = local("2026-01-01 00:00").and_utc();
        let to = local("2027-01-01 00:00").and_utc();
        let dir = std::env::var_os("COPSE_ICAL_FIXTURES_DIR").map(std::path::PathBuf::from);
        for (name, events) in fixtures() {
            let calendar = write_calendar(&format!("copse fixture {name}"), &events);
            let occurrences = copse_occurrences(&events, from, to);
            assert!(occurrences.len() > 20, "{name} has occurrences");
            assert!(calendar.split("\r\n").all(|line| line.len() <= 75));
            let Some(dir) = &dir else { continue };
            let format = |at: &DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let expected = serde_json::json!({
                "from": format(&from),
                "to": format(&to),
                "occurrences": occurrences
                    .iter()
                    .map(|(uid, occurrence, zone)| {
                        serde_json::json!({
                            "uid": uid,
                            "start": format(&occurrence.start),
                            "end": format(&occurrence.end),
                            "local": occurrence.original_start_local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                            "zone": zone.name(),
                        })
                    })
                    .collect::<Vec<_>>(),
            });
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("{name}.ics")), calendar).unwrap();
            std::fs::write(dir.join(format!("{name}.expected.json")), serde_json::to_string_pretty(&expected).unwrap())
                .unwrap();
        }
    }
}
