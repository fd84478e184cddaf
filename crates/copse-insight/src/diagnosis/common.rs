//! What the detectors and the stage rules share: the 90-day windows, counts
//! from the daily rollup, current members, names, calendar months, tag-like
//! normalization and number formatting.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Timelike;
use chrono_tz::Tz;

use crate::activity::{CommunityInput, ContributionKind, Occurrence, day_of};
use crate::metrics::{month_index, month_index_start};

/// A half-open range of UTC day numbers `[start_day, end_day)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub start_day: i64,
    pub end_day: i64,
}

impl Window {
    /// The `days` days ending with today (the day of `now`).
    pub fn last_days(now: i64, days: i64) -> Self {
        let end_day = day_of(now) + 1;
        Self { start_day: end_day - days, end_day }
    }

    /// The last 90 days ending now: "this quarter".
    pub fn quarter(now: i64) -> Self {
        Self::last_days(now, 90)
    }

    /// The window of the same length just before this one.
    pub fn previous(self) -> Self {
        let length = self.end_day - self.start_day;
        Self { start_day: self.start_day - length, end_day: self.start_day }
    }

    pub fn contains_day(self, day: i64) -> bool {
        day >= self.start_day && day < self.end_day
    }

    pub fn contains_ms(self, at: i64) -> bool {
        self.contains_day(day_of(at))
    }
}

/// Contributions (every kind but rsvp) per person in `window`, people with
/// at least one only.
pub(crate) fn contributions_by_person(input: &CommunityInput, window: Window) -> BTreeMap<i64, i64> {
    counts_by_person(input, window, ContributionKind::counts_as_participation)
}

pub(crate) fn counts_by_person(
    input: &CommunityInput,
    window: Window,
    kind: impl Fn(ContributionKind) -> bool,
) -> BTreeMap<i64, i64> {
    let mut counts: BTreeMap<i64, i64> = BTreeMap::new();
    for row in &input.activity {
        if window.contains_day(row.day) && kind(row.kind) {
            *counts.entry(row.person).or_default() += row.count;
        }
    }
    counts.retain(|_, n| *n > 0);
    counts
}

/// Sum of the counts of the kinds selected by `kind` in `window`.
pub(crate) fn count_kind(input: &CommunityInput, window: Window, kind: impl Fn(ContributionKind) -> bool) -> i64 {
    input.activity.iter().filter(|r| window.contains_day(r.day) && kind(r.kind)).map(|r| r.count.max(0)).sum()
}

/// Current members (still active, joined by now), one per person, with the
/// day they joined.
pub(crate) fn members(input: &CommunityInput) -> BTreeMap<i64, i64> {
    let mut members: BTreeMap<i64, i64> = BTreeMap::new();
    for m in input.memberships.iter().filter(|m| m.active && m.joined_at <= input.now) {
        let joined = members.entry(m.person).or_insert(m.joined_at);
        *joined = (*joined).min(m.joined_at);
    }
    members
}

/// A person's display name, or "person #id" when unknown.
pub(crate) fn name(input: &CommunityInput, id: i64) -> String {
    match input.person(id) {
        Some(p) if !p.name.trim().is_empty() => p.name.trim().to_string(),
        Some(p) if !p.handle.trim().is_empty() => p.handle.trim().to_string(),
        _ => format!("person #{id}"),
    }
}

pub(crate) fn names(input: &CommunityInput, ids: &[i64]) -> String {
    ids.iter().map(|&id| name(input, id)).collect::<Vec<_>>().join(", ")
}

/// A person's handle, for a profile link.
pub(crate) fn handle(input: &CommunityInput, id: i64) -> Option<String> {
    input.person(id).map(|p| p.handle.trim().to_string()).filter(|h| !h.is_empty())
}

/// Sessions that started in `window` (and by now), oldest first.
pub(crate) fn sessions_in(input: &CommunityInput, window: Window) -> Vec<&Occurrence> {
    let mut sessions: Vec<&Occurrence> =
        input.occurrences.iter().filter(|o| o.start <= input.now && window.contains_ms(o.start)).collect();
    sessions.sort_by_key(|o| o.start);
    sessions
}

/// Every session that has started by now, most recent first.
pub(crate) fn started_sessions_recent_first(input: &CommunityInput) -> Vec<&Occurrence> {
    let mut sessions: Vec<&Occurrence> = input.occurrences.iter().filter(|o| o.start <= input.now).collect();
    sessions.sort_by_key(|o| std::cmp::Reverse(o.start));
    sessions
}

/// Distinct people in a list of ids.
pub(crate) fn distinct(ids: &[i64]) -> usize {
    ids.iter().collect::<BTreeSet<_>>().len()
}

/// A calendar month (UTC) as a window, with its label "2026-05".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Month {
    pub label: String,
    pub window: Window,
}

fn month_from_index(index: i64) -> Month {
    Month {
        label: format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1),
        window: Window { start_day: month_index_start(index), end_day: month_index_start(index + 1) },
    }
}

/// The `count` calendar months ending with the current one, oldest first.
pub(crate) fn last_months(now: i64, count: usize) -> Vec<Month> {
    let current = month_index(day_of(now));
    (0..count as i64).rev().map(|back| month_from_index(current - back)).collect()
}

/// The calendar months from the one containing `from_day` to the current
/// one, oldest first (at most 600).
pub(crate) fn months_since(from_day: i64, now: i64) -> Vec<Month> {
    let current = month_index(day_of(now));
    let first = month_index(from_day).clamp(current - 599, current);
    (first..=current).map(month_from_index).collect()
}

/// Lower case; every run of non-alphanumerics becomes one '-'; no leading
/// or trailing '-' ("Machine Learning" -> "machine-learning").
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into", "is", "it", "of", "on", "or",
    "our", "the", "to", "vs", "we", "what", "why", "with", "about",
];

/// The words of a normalized text, without stop words.
pub(crate) fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split('-').filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
}

/// "42%" (rounded half away from zero).
pub(crate) fn pct(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

/// "1 member", "3 members".
pub(crate) fn plural(count: impl Into<i64>, word: &str) -> String {
    let count = count.into();
    if count == 1 { format!("{count} {word}") } else { format!("{count} {word}s") }
}

/// "09:05" from minutes after midnight.
pub(crate) fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute.div_euclid(60).rem_euclid(24), minute.rem_euclid(60))
}

/// Minutes after local midnight of an instant in `zone`.
pub(crate) fn local_minute(at_ms: i64, zone: Tz) -> Option<i64> {
    let local = chrono::DateTime::from_timestamp_millis(at_ms)?.with_timezone(&zone);
    Some(i64::from(local.hour()) * 60 + i64::from(local.minute()))
}

/// An i64 as f64 for charts and ratios.
pub(crate) fn f(count: impl TryInto<i64>) -> f64 {
    count.try_into().unwrap_or(0) as f64
}

/// "1 person", "3 people".
pub(crate) fn people(count: impl Into<i64>) -> String {
    let count = count.into();
    if count == 1 { "1 person".to_string() } else { format!("{count} people") }
}
