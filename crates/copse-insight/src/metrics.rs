//! Every metric of the tutorial's "Measuring CoP Effectiveness", per
//! community and per period (week, month, quarter), as pure functions of a
//! [`CommunityInput`](crate::activity::CommunityInput).
//!
//! The output types are read by the app, the web pages and, through
//! `copse insight metrics --json`, the cross-check script
//! (`scripts/insight_crosscheck.py`), which repeats the key definitions.

use std::collections::{HashMap, HashSet};

use crate::activity::{CommunityInput, ContributionKind, DAY_MS, DailyCount, PersonInfo, day_of};
use crate::inequality;
use crate::measure::Measure;
use crate::participation::{ParticipationBands, summarize};

/// Calendar periods in UTC: ISO weeks starting Monday, months, quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
}

/// A half-open period `[start_day, end_day)` in UTC day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start_day: i64,
    pub end_day: i64,
}

impl Period {
    pub fn start_ms(&self) -> i64 {
        self.start_day * DAY_MS
    }
    pub fn end_ms(&self) -> i64 {
        self.end_day * DAY_MS
    }
    pub fn contains_day(&self, day: i64) -> bool {
        day >= self.start_day && day < self.end_day
    }
    pub fn contains_ms(&self, at: i64) -> bool {
        at >= self.start_ms() && at < self.end_ms()
    }
}

/// One period's activity, value and health figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodMetrics {
    pub period: Period,
    /// Whether `now` falls inside the period (figures still growing).
    pub in_progress: bool,
    // activity
    pub active_participants: i64,
    pub members_at_end: i64,
    pub active_share: Measure,
    pub events_held: i64,
    pub said_going: i64,
    /// Everyone checked in, whether or not they said going.
    pub attended: i64,
    /// Of those who said going, how many attended: the attendance rate's
    /// numerator (people who come without saying so must not push the rate
    /// over 100 %).
    pub showed_up: i64,
    pub attendance_rate: Measure,
    pub new_attendees: i64,
    pub returning_attendees: i64,
    pub shared_resource_contributions: i64,
    pub channel_activity: i64,
    pub contributions: i64,
    // value
    pub problems_solved: i64,
    pub median_hours_to_solution: Measure,
    pub minutes_saved: i64,
    pub improvements: i64,
    pub artifacts_created: i64,
    pub reuse_events: i64,
    pub distinct_reusers: i64,
    pub reuse_outside_author_team: i64,
    pub people_with_skills_developed: i64,
    // health: quality of interactions
    pub questions_asked: i64,
    pub response_rate: Measure,
    pub median_hours_to_first_response: Measure,
    pub reciprocity: Measure,
    // health: inequality
    pub gini: Measure,
    pub top_decile_share: Measure,
    pub absence_factor: Measure,
}

/// Participation levels against the reference bands (10-15 % core, 15-20 %
/// active).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelBreakdown {
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
    pub core_share: Measure,
    pub active_share: Measure,
    /// A plain sentence comparing the shares with the reference bands.
    pub verdict: String,
}

/// Shannon index for one dimension, active participants vs all members.
#[derive(Debug, Clone, PartialEq)]
pub struct DiversityDimension {
    /// team | location | experience | tenure
    pub dimension: &'static str,
    pub active: Measure,
    pub members: Measure,
    pub categories_active: i64,
    pub categories_members: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Leadership {
    pub sessions_considered: i64,
    pub distinct_facilitators_last_10: Measure,
    /// Sessions led by the most frequent facilitator among the last 10, as
    /// a share of those of them that had a facilitator.
    pub facilitation_concentration: Measure,
    pub core_group_size: i64,
}

/// Newcomers who joined in one month, and how many were active 1 and 3
/// months later.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub month_start_day: i64,
    pub joined: i64,
    pub active_month_1: Measure,
    pub active_month_3: Measure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionAttendance {
    /// The time zone's region ("Europe", "America", "Asia", "Australia",
    /// "UTC" for the zone UTC, "Unknown" when the profile has no zone): see
    /// [`region_of`].
    pub region: String,
    pub said_going: i64,
    pub attended: i64,
    /// Of those who said going, how many attended.
    pub showed_up: i64,
    pub rate: Measure,
}

/// Everything the health page shows, computed at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityMetrics {
    pub community: i64,
    pub now: i64,
    /// The last 12 weeks, 12 months and 4 quarters, oldest first; the last
    /// entry is the period in progress.
    pub weeks: Vec<PeriodMetrics>,
    pub months: Vec<PeriodMetrics>,
    pub quarters: Vec<PeriodMetrics>,
    /// Over the last 90 days.
    pub levels: LevelBreakdown,
    pub diversity: Vec<DiversityDimension>,
    pub leadership: Leadership,
    pub cohorts: Vec<Cohort>,
    pub satisfaction: Measure,
    pub survey_response_rate: Measure,
    /// Lorenz curve of contributions over the last 90 days.
    pub lorenz: Vec<(f64, f64)>,
    /// Said going and attended per region over the sessions that started
    /// in the last 90 days, regions sorted by name, "Unknown" last.
    pub attendance_by_region: Vec<RegionAttendance>,
}

/// Weeks, months and quarters shown on the health page.
pub const WEEKS_SHOWN: usize = 12;
pub const MONTHS_SHOWN: usize = 12;
pub const QUARTERS_SHOWN: usize = 4;
/// The window of levels, diversity, the Lorenz curve and attendance by
/// region: the last 90 UTC days, today included.
pub const WINDOW_DAYS: i64 = 90;
/// A survey's mean is published only with at least this many answers.
pub const SURVEY_MIN_RESPONSES: i64 = 5;
/// At most this many segments in the Lorenz curve (41 points).
pub const LORENZ_POINTS: usize = 40;
/// The reference bands of the tutorial, as fractions of members.
pub const CORE_BAND: (f64, f64) = (0.10, 0.15);
pub const ACTIVE_BAND: (f64, f64) = (0.15, 0.20);

const HOUR_MS: f64 = 3_600_000.0;

// ---------------------------------------------------------------------------
// Calendar helpers (UTC day numbers, proleptic Gregorian, no allocation).

/// Days since 1970-01-01 of the civil date `year-month-day` (month 1..=12).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let month = i64::from(month.clamp(1, 12));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month 1..=12, day 1..=31)` of a UTC day number.
pub fn civil_from_days(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The Monday starting the (ISO, UTC) week of `day`. Day 0 (1970-01-01)
/// was a Thursday.
pub fn week_start_day(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// Months since year 0 (`year * 12 + month - 1`) of `day`.
pub(crate) fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

/// The first day of the month numbered `index` (`year * 12 + month - 1`).
pub(crate) fn month_index_start(index: i64) -> i64 {
    days_from_civil(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

/// The first day of the calendar month (UTC) containing `day`.
pub fn month_start_day(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    days_from_civil(y, m, 1)
}

/// The first day of the month `months` calendar months after (or before,
/// when negative) the month containing `day`.
pub fn add_months(day: i64, months: i64) -> i64 {
    month_index_start(month_index(day) + months)
}

/// The first day of the calendar quarter (Jan, Apr, Jul, Oct; UTC)
/// containing `day`.
pub fn quarter_start_day(day: i64) -> i64 {
    let index = month_index(day);
    month_index_start(index - index.rem_euclid(3))
}

/// The `[from_day, to_day)` window of the last `days` UTC days ending with
/// the day of `now` (today included).
pub fn last_days(now: i64, days: i64) -> (i64, i64) {
    let today = day_of(now);
    (today - days.max(1) + 1, today + 1)
}

/// The periods of the health page at `now`, oldest first, the last one
/// containing `now`: `count` weeks, months or quarters.
pub fn periods(kind: PeriodKind, now: i64, count: usize) -> Vec<Period> {
    let today = day_of(now);
    let count = count as i64;
    (0..count)
        .rev()
        .map(|back| match kind {
            PeriodKind::Week => {
                let start = week_start_day(today) - 7 * back;
                Period { kind, start_day: start, end_day: start + 7 }
            }
            PeriodKind::Month => {
                let index = month_index(today) - back;
                Period { kind, start_day: month_index_start(index), end_day: month_index_start(index + 1) }
            }
            PeriodKind::Quarter => {
                let index = month_index(quarter_start_day(today)) - 3 * back;
                Period { kind, start_day: month_index_start(index), end_day: month_index_start(index + 3) }
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Rollups.

/// The rollup of raw contributions `(person, at_ms, kind)`: one
/// [`DailyCount`] per (UTC day, person, kind), sorted by (day, person,
/// kind), counts summed. What the store's triggers keep in
/// `activity_daily`; RSVPs are kept (metrics skip them).
pub fn rollup(contributions: &[(i64, i64, ContributionKind)]) -> Vec<DailyCount> {
    let mut keys: Vec<(i64, i64, ContributionKind)> =
        contributions.iter().map(|&(person, at, kind)| (day_of(at), person, kind)).collect();
    keys.sort_unstable();
    let mut out: Vec<DailyCount> = Vec::new();
    for (day, person, kind) in keys {
        match out.last_mut() {
            Some(last) if last.day == day && last.person == person && last.kind == kind => last.count += 1,
            _ => out.push(DailyCount { day, person, kind, count: 1 }),
        }
    }
    out
}

fn rollup_key(row: &DailyCount) -> (i64, i64, ContributionKind) {
    (row.day, row.person, row.kind)
}

/// Merges two rollups sorted as [`rollup`] returns them into one, summing
/// the counts of equal (day, person, kind) rows and dropping rows whose sum
/// is zero (a deletion rolled up as a negative count cancels the insert).
/// Unsorted inputs are sorted first, so the result is always sorted.
pub fn merge_rollups(a: &[DailyCount], b: &[DailyCount]) -> Vec<DailyCount> {
    let sorted = |rows: &[DailyCount]| rows.windows(2).all(|w| rollup_key(&w[0]) <= rollup_key(&w[1]));
    if !sorted(a) || !sorted(b) {
        let mut all: Vec<DailyCount> = a.iter().chain(b).copied().collect();
        all.sort_by_key(rollup_key);
        return merge_rollups(&all, &[]);
    }
    let mut out: Vec<DailyCount> = Vec::with_capacity(a.len() + b.len());
    let push = |out: &mut Vec<DailyCount>, row: DailyCount| match out.last_mut() {
        Some(last) if rollup_key(last) == rollup_key(&row) => last.count += row.count,
        _ => out.push(row),
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && rollup_key(&a[i]) <= rollup_key(&b[j]));
        if take_a {
            push(&mut out, a[i]);
            i += 1;
        } else {
            push(&mut out, b[j]);
            j += 1;
        }
    }
    out.retain(|row| row.count != 0);
    out
}

/// Per-person contribution counts (every kind except RSVP, positive counts
/// only) over the days `[from_day, to_day)`, sorted by person; people with
/// none are left out. One pass over `activity` plus a sort of the people.
pub fn contributions_by_person(activity: &[DailyCount], from_day: i64, to_day: i64) -> Vec<(i64, i64)> {
    let mut counts: HashMap<i64, i64> = HashMap::new();
    for row in activity {
        if row.day >= from_day && row.day < to_day && row.count > 0 && row.kind.counts_as_participation() {
            *counts.entry(row.person).or_default() += row.count;
        }
    }
    let mut out: Vec<(i64, i64)> = counts.into_iter().collect();
    out.sort_unstable();
    out
}

/// The region of an IANA zone: the part before the first '/' ("Europe" for
/// "Europe/Berlin"), the zone itself when it has none ("UTC"), "Unknown"
/// without a zone.
pub fn region_of(zone: Option<&str>) -> String {
    match zone.map(str::trim) {
        None | Some("") => "Unknown".to_string(),
        Some(zone) => zone.split('/').next().unwrap_or(zone).to_string(),
    }
}

/// The tenure bucket of a member who joined at `joined_at`, at `now`:
/// "< 3 months" (under 91 days), "3-12 months" (under 365), "1-2 years"
/// (under 730), "> 2 years".
pub fn tenure_bucket(joined_at: i64, now: i64) -> &'static str {
    let days = (now - joined_at).div_euclid(DAY_MS);
    if days < 91 {
        "< 3 months"
    } else if days < 365 {
        "3-12 months"
    } else if days < 730 {
        "1-2 years"
    } else {
        "> 2 years"
    }
}

/// The median of `values` (the mean of the two middle ones for an even
/// count), `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

fn median_measure(values: &mut [f64], reason: &str) -> Measure {
    median(values).map_or_else(|| Measure::missing(reason), Measure::of)
}

// ---------------------------------------------------------------------------
// Aggregation: one sort of the rows in the span, one walk per person.

/// Periods of one kind with a day -> period lookup over the span.
struct Series {
    periods: Vec<Period>,
    span_start: i64,
    lookup: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Series {
    fn new(periods: Vec<Period>, span_start: i64, span_end: i64) -> Self {
        let len = (span_end - span_start).max(0) as usize;
        let mut lookup = vec![NONE; len];
        for (i, p) in periods.iter().enumerate() {
            for day in p.start_day.max(span_start)..p.end_day.min(span_end) {
                lookup[(day - span_start) as usize] = i as u32;
            }
        }
        Self { periods, span_start, lookup }
    }

    fn index_of_day(&self, day: i64) -> Option<usize> {
        let offset = day.checked_sub(self.span_start)?;
        if offset < 0 {
            return None;
        }
        match self.lookup.get(offset as usize) {
            Some(&i) if i != NONE => Some(i as usize),
            _ => None,
        }
    }

    fn index_of_ms(&self, at: i64) -> Option<usize> {
        self.index_of_day(day_of(at))
    }
}

/// What the activity rollup says about one period.
#[derive(Default)]
struct ActivityAcc {
    /// Contributors, ascending, and their counts (parallel).
    persons: Vec<i64>,
    counts: Vec<i64>,
    reciprocal: i64,
    contributions: i64,
    shared: i64,
    channel: i64,
}

#[derive(Default, Clone, Copy)]
struct PersonAgg {
    count: i64,
    asked: bool,
    responded: bool,
}

fn flush(acc: &mut ActivityAcc, person: i64, agg: PersonAgg) {
    if agg.count > 0 {
        acc.persons.push(person);
        acc.counts.push(agg.count);
        if agg.asked && agg.responded {
            acc.reciprocal += 1;
        }
    }
}

/// Aggregates the rollup rows (any order) for every period of every series
/// in one sort and one walk: O(rows log rows + periods · people).
fn aggregate_activity(activity: &[DailyCount], series: &[&Series], span: (i64, i64)) -> Vec<Vec<ActivityAcc>> {
    let mut rows: Vec<(i64, i64, ContributionKind, i64)> = activity
        .iter()
        .filter(|r| r.day >= span.0 && r.day < span.1 && r.count > 0 && r.kind.counts_as_participation())
        .map(|r| (r.person, r.day, r.kind, r.count))
        .collect();
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    let mut accs: Vec<Vec<ActivityAcc>> =
        series.iter().map(|s| s.periods.iter().map(|_| ActivityAcc::default()).collect()).collect();
    let mut start = 0;
    while start < rows.len() {
        let person = rows[start].0;
        let end = start + rows[start..].iter().take_while(|r| r.0 == person).count();
        for (s, serie) in series.iter().enumerate() {
            let mut current: Option<usize> = None;
            let mut agg = PersonAgg::default();
            for &(_, day, kind, count) in &rows[start..end] {
                let Some(index) = serie.index_of_day(day) else { continue };
                if current != Some(index) {
                    if let Some(previous) = current {
                        flush(&mut accs[s][previous], person, agg);
                    }
                    current = Some(index);
                    agg = PersonAgg::default();
                }
                agg.count += count;
                agg.asked |= matches!(kind, ContributionKind::Question | ContributionKind::Thread);
                agg.responded |= kind.is_response();
                let acc = &mut accs[s][index];
                acc.contributions += count;
                if kind.is_shared_resource() {
                    acc.shared += count;
                }
                if kind.is_channel_activity() {
                    acc.channel += count;
                }
            }
            if let Some(previous) = current {
                flush(&mut accs[s][previous], person, agg);
            }
        }
        start = end;
    }
    accs
}

/// What the other records say about one period.
#[derive(Default)]
struct EventAcc {
    events_held: i64,
    said_going: i64,
    attended: i64,
    showed_up: i64,
    attendees: HashSet<i64>,
    problems_solved: i64,
    solution_hours: Vec<f64>,
    minutes_saved: i64,
    improvements: i64,
    artifacts_created: i64,
    reuse_events: i64,
    reusers: HashSet<i64>,
    reuse_outside: i64,
    skilled: HashSet<i64>,
    questions_asked: i64,
    questions_answered: i64,
    first_response_hours: Vec<f64>,
}

fn aggregate_events(input: &CommunityInput, series: &Series) -> Vec<EventAcc> {
    let mut accs: Vec<EventAcc> = series.periods.iter().map(|_| EventAcc::default()).collect();
    for occurrence in &input.occurrences {
        if let Some(i) = series.index_of_ms(occurrence.start) {
            let acc = &mut accs[i];
            acc.events_held += 1;
            acc.said_going += occurrence.going.len() as i64;
            acc.attended += occurrence.attended.len() as i64;
            acc.showed_up += occurrence.going.iter().filter(|p| occurrence.attended.contains(p)).count() as i64;
            acc.attendees.extend(occurrence.attended.iter().copied());
        }
    }
    for question in &input.questions {
        if let Some(i) = series.index_of_ms(question.created_at) {
            let acc = &mut accs[i];
            acc.questions_asked += 1;
            if let Some(first) = question.first_response_at {
                acc.questions_answered += 1;
                acc.first_response_hours.push((first - question.created_at) as f64 / HOUR_MS);
            }
        }
        if let Some(accepted) = question.accepted_at
            && let Some(i) = series.index_of_ms(accepted)
        {
            accs[i].problems_solved += 1;
            accs[i].solution_hours.push((accepted - question.created_at) as f64 / HOUR_MS);
        }
    }
    for saved in &input.time_saved {
        if let Some(i) = series.index_of_ms(saved.at) {
            accs[i].minutes_saved += saved.minutes;
        }
    }
    for story in &input.value_stories {
        if let Some(i) = series.index_of_ms(story.at) {
            accs[i].improvements += 1;
        }
    }
    for &accepted in &input.proposals_accepted {
        if let Some(i) = series.index_of_ms(accepted) {
            accs[i].improvements += 1;
        }
    }
    for artifact in &input.artifacts {
        if let Some(i) = series.index_of_ms(artifact.at) {
            accs[i].artifacts_created += 1;
        }
    }
    for reuse in &input.reuses {
        if let Some(i) = series.index_of_ms(reuse.at) {
            let acc = &mut accs[i];
            acc.reuse_events += 1;
            acc.reusers.insert(reuse.person);
            acc.reuse_outside += i64::from(reuse.outside_author_team);
        }
    }
    for change in &input.skill_changes {
        if change.after > change.before
            && let Some(i) = series.index_of_ms(change.after_at)
        {
            accs[i].skilled.insert(change.person);
        }
    }
    accs
}

/// Active members now (status active, joined by `now`): person -> earliest
/// joined_at of such a membership.
fn active_members(input: &CommunityInput) -> HashMap<i64, i64> {
    let mut members: HashMap<i64, i64> = HashMap::new();
    for m in input.memberships.iter().filter(|m| m.active && m.joined_at <= input.now) {
        members.entry(m.person).and_modify(|at| *at = (*at).min(m.joined_at)).or_insert(m.joined_at);
    }
    members
}

fn period_metrics(
    period: Period,
    now: i64,
    activity: &ActivityAcc,
    events: &EventAcc,
    members_at_end: i64,
    first_attendance: &HashMap<i64, i64>,
) -> PeriodMetrics {
    let active = activity.persons.len() as i64;
    let new_attendees =
        events.attendees.iter().filter(|p| first_attendance.get(p).is_some_and(|&at| period.contains_ms(at))).count()
            as i64;
    let mut solution_hours = events.solution_hours.clone();
    let mut first_response_hours = events.first_response_hours.clone();
    PeriodMetrics {
        period,
        in_progress: period.contains_ms(now),
        active_participants: active,
        members_at_end,
        active_share: Measure::ratio(active as f64, members_at_end as f64, "no members at the end of the period"),
        events_held: events.events_held,
        said_going: events.said_going,
        attended: events.attended,
        showed_up: events.showed_up,
        attendance_rate: Measure::ratio(
            events.showed_up as f64,
            events.said_going as f64,
            "nobody said going to a session in the period",
        ),
        new_attendees,
        returning_attendees: events.attendees.len() as i64 - new_attendees,
        shared_resource_contributions: activity.shared,
        channel_activity: activity.channel,
        contributions: activity.contributions,
        problems_solved: events.problems_solved,
        median_hours_to_solution: median_measure(&mut solution_hours, "no answer accepted in the period"),
        minutes_saved: events.minutes_saved,
        improvements: events.improvements,
        artifacts_created: events.artifacts_created,
        reuse_events: events.reuse_events,
        distinct_reusers: events.reusers.len() as i64,
        reuse_outside_author_team: events.reuse_outside,
        people_with_skills_developed: events.skilled.len() as i64,
        questions_asked: events.questions_asked,
        response_rate: Measure::ratio(
            events.questions_answered as f64,
            events.questions_asked as f64,
            "no question asked in the period",
        ),
        median_hours_to_first_response: median_measure(
            &mut first_response_hours,
            "no question asked in the period got a response",
        ),
        reciprocity: Measure::ratio(activity.reciprocal as f64, active as f64, "nobody took part in the period"),
        gini: inequality::gini(&activity.counts),
        top_decile_share: inequality::top_decile_share(&activity.counts),
        absence_factor: inequality::absence_factor(&activity.counts),
    }
}

fn percent(share: f64) -> i64 {
    (share * 100.0).round() as i64
}

fn band_words(share: f64, band: (f64, f64)) -> &'static str {
    if share < band.0 {
        "below"
    } else if share > band.1 {
        "above"
    } else {
        "within"
    }
}

/// The levels of members over the last 90 days, against the bands.
fn levels(member_counts: &[i64], members: i64) -> LevelBreakdown {
    let summary = summarize(member_counts, members, &ParticipationBands::default());
    let core_share = Measure::ratio(summary.core as f64, members as f64, "no members");
    let active_share = Measure::ratio(summary.active as f64, members as f64, "no members");
    let verdict = match (core_share.value(), active_share.value()) {
        (Some(core), Some(active)) => format!(
            "{}% core ({} the 10-15% reference band) and {}% active ({} the 15-20% band) over the last 90 days.",
            percent(core),
            band_words(core, CORE_BAND),
            percent(active),
            band_words(active, ACTIVE_BAND),
        ),
        _ => "No members yet, so no participation levels to compare with the reference bands.".to_string(),
    };
    LevelBreakdown {
        core: summary.core,
        active: summary.active,
        peripheral: summary.peripheral,
        inactive: summary.inactive,
        core_share,
        active_share,
        verdict,
    }
}

fn label(value: &str) -> &str {
    if value.trim().is_empty() { "unknown" } else { value }
}

/// Shannon indexes over team, location, experience and tenure, for the
/// active participants of the window (members or not; a non-member's tenure
/// is "not a member", an unknown person's labels "unknown") vs all active
/// members.
fn diversity(
    people: &HashMap<i64, &PersonInfo>,
    members: &HashMap<i64, i64>,
    active: &[i64],
    now: i64,
) -> Vec<DiversityDimension> {
    let mut member_ids: Vec<i64> = members.keys().copied().collect();
    member_ids.sort_unstable();
    let labels_of = |ids: &[i64], dimension: &str| -> Vec<String> {
        ids.iter()
            .map(|id| {
                let person = people.get(id);
                match dimension {
                    "team" => label(person.map_or("", |p| p.team.as_str())).to_string(),
                    "location" => label(person.map_or("", |p| p.location.as_str())).to_string(),
                    "experience" => label(person.map_or("", |p| p.experience.as_str())).to_string(),
                    _ => members.get(id).map_or("not a member", |&joined| tenure_bucket(joined, now)).to_string(),
                }
            })
            .collect()
    };
    ["team", "location", "experience", "tenure"]
        .into_iter()
        .map(|dimension| {
            let of_active = labels_of(active, dimension);
            let of_members = labels_of(&member_ids, dimension);
            let distinct = |labels: &[String]| labels.iter().collect::<HashSet<_>>().len() as i64;
            DiversityDimension {
                dimension,
                active: shannon(&of_active),
                members: shannon(&of_members),
                categories_active: distinct(&of_active),
                categories_members: distinct(&of_members),
            }
        })
        .collect()
}

/// The Shannon index of `labels` (see [`inequality::shannon`]), summed
/// over the categories in sorted order so the same labels give the same
/// bits on every run (a `HashMap`'s order varies between instances).
pub fn shannon(labels: &[String]) -> Measure {
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for label in labels {
        *counts.entry(label.as_str()).or_default() += 1;
    }
    if labels.is_empty() {
        return Measure::missing("nobody to compare");
    }
    if counts.len() == 1 {
        return Measure::Value(0.0);
    }
    let n = labels.len() as f64;
    let h: f64 = counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum();
    Measure::of(h.max(0.0))
}

fn leadership(input: &CommunityInput, core_group_size: i64) -> Leadership {
    let mut started: Vec<_> = input.occurrences.iter().filter(|o| o.start <= input.now).collect();
    started.sort_by_key(|o| (std::cmp::Reverse(o.start), o.event));
    started.truncate(10);
    let mut by_facilitator: HashMap<i64, i64> = HashMap::new();
    for facilitator in started.iter().filter_map(|o| o.facilitator) {
        *by_facilitator.entry(facilitator).or_default() += 1;
    }
    let with_facilitator: i64 = by_facilitator.values().sum();
    let top = by_facilitator.values().copied().max().unwrap_or(0);
    Leadership {
        sessions_considered: started.len() as i64,
        distinct_facilitators_last_10: if started.is_empty() {
            Measure::missing("no session held yet")
        } else {
            Measure::Value(by_facilitator.len() as f64)
        },
        facilitation_concentration: Measure::ratio(
            top as f64,
            with_facilitator as f64,
            "none of the last sessions had a facilitator",
        ),
        core_group_size,
    }
}

fn satisfaction(input: &CommunityInput) -> Measure {
    input
        .surveys
        .iter()
        .filter(|s| {
            s.closed_at.is_some_and(|at| at <= input.now)
                && s.responses >= SURVEY_MIN_RESPONSES
                && s.satisfaction_mean.is_some_and(f64::is_finite)
        })
        .max_by_key(|s| (s.closed_at, s.opened_at))
        .and_then(|s| s.satisfaction_mean)
        .map_or_else(|| Measure::missing("no published survey (fewer than 5 answers or still open)"), Measure::of)
}

fn survey_response_rate(input: &CommunityInput) -> Measure {
    match input
        .surveys
        .iter()
        .filter(|s| s.closed_at.is_some_and(|at| at <= input.now))
        .max_by_key(|s| (s.closed_at, s.opened_at))
    {
        None => Measure::missing("no closed survey"),
        Some(s) => Measure::ratio(s.responses.max(0) as f64, s.invited as f64, "the latest survey invited nobody"),
    }
}

fn attendance_by_region(
    input: &CommunityInput,
    people: &HashMap<i64, &PersonInfo>,
    window: (i64, i64),
) -> Vec<RegionAttendance> {
    let mut regions: HashMap<String, (i64, i64, i64)> = HashMap::new();
    let region = |id: &i64| region_of(people.get(id).and_then(|p| p.time_zone.as_deref()));
    for occurrence in &input.occurrences {
        let day = day_of(occurrence.start);
        if day < window.0 || day >= window.1 {
            continue;
        }
        for id in &occurrence.going {
            let entry = regions.entry(region(id)).or_default();
            entry.0 += 1;
            if occurrence.attended.contains(id) {
                entry.2 += 1;
            }
        }
        for id in &occurrence.attended {
            regions.entry(region(id)).or_default().1 += 1;
        }
    }
    let mut out: Vec<RegionAttendance> = regions
        .into_iter()
        .map(|(region, (said_going, attended, showed_up))| RegionAttendance {
            region,
            said_going,
            attended,
            showed_up,
            rate: Measure::ratio(showed_up as f64, said_going as f64, "nobody from this region said going"),
        })
        .collect();
    out.sort_by(|a, b| (a.region == "Unknown", &a.region).cmp(&(b.region == "Unknown", &b.region)));
    out
}

/// Computes every metric at `input.now`.
///
/// Periods are calendar UTC weeks (from Monday), months and quarters, the
/// last 12, 12 and 4, oldest first, the last containing `now`. Levels,
/// diversity, the Lorenz curve and attendance by region cover the last 90
/// UTC days, today included ([`last_days`]). Cohorts are the members who
/// joined in each of the last 12 months. The activity rollup is read once
/// (rows outside the shown periods are skipped, then one sort); other
/// records are assigned to periods in one pass each.
pub fn compute(input: &CommunityInput) -> CommunityMetrics {
    let now = input.now;
    let shown = [
        periods(PeriodKind::Week, now, WEEKS_SHOWN),
        periods(PeriodKind::Month, now, MONTHS_SHOWN),
        periods(PeriodKind::Quarter, now, QUARTERS_SHOWN),
    ];
    let window = last_days(now, WINDOW_DAYS);
    let window_period = Period { kind: PeriodKind::Quarter, start_day: window.0, end_day: window.1 };
    // The days any figure reads: the oldest period's start to the newest end.
    let span = shown.iter().flatten().fold(window, |(from, to), p| (from.min(p.start_day), to.max(p.end_day)));
    let [weeks, months, quarters] = shown.map(|periods| Series::new(periods, span.0, span.1));
    let last90 = Series::new(vec![window_period], span.0, span.1);

    let mut activity = aggregate_activity(&input.activity, &[&weeks, &months, &quarters, &last90], span);
    let window_acc = activity.pop().and_then(|mut v| v.pop()).unwrap_or_default();

    let members = active_members(input);
    let mut joined: Vec<i64> = members.values().copied().collect();
    joined.sort_unstable();
    let members_at = |end_ms: i64| joined.partition_point(|&at| at < end_ms) as i64;

    let mut first_attendance: HashMap<i64, i64> = HashMap::new();
    for occurrence in &input.occurrences {
        for &person in &occurrence.attended {
            first_attendance
                .entry(person)
                .and_modify(|at| *at = (*at).min(occurrence.start))
                .or_insert(occurrence.start);
        }
    }

    let mut per_series = [&weeks, &months, &quarters].into_iter().zip(activity.iter()).map(|(series, accs)| {
        let events = aggregate_events(input, series);
        series
            .periods
            .iter()
            .zip(accs)
            .zip(&events)
            .map(|((&period, acc), ev)| {
                period_metrics(period, now, acc, ev, members_at(period.end_ms()), &first_attendance)
            })
            .collect::<Vec<_>>()
    });
    let week_metrics = per_series.next().unwrap_or_default();
    let month_metrics = per_series.next().unwrap_or_default();
    let quarter_metrics = per_series.next().unwrap_or_default();

    // Levels: members only.
    let member_counts: Vec<i64> = window_acc
        .persons
        .iter()
        .zip(&window_acc.counts)
        .filter(|(p, _)| members.contains_key(p))
        .map(|(_, &c)| c)
        .collect();
    let levels = levels(&member_counts, members.len() as i64);

    let people: HashMap<i64, &PersonInfo> = input.people.iter().map(|p| (p.id, p)).collect();
    let diversity = diversity(&people, &members, &window_acc.persons, now);
    let leadership = leadership(input, levels.core);

    // Cohorts: memberships (current or ended) joined in each shown month.
    let month_accs = activity.get(1);
    let active_in_month = |index: usize, person: i64| {
        month_accs.and_then(|accs| accs.get(index)).is_some_and(|acc| acc.persons.binary_search(&person).is_ok())
    };
    let mut cohort_people: Vec<Vec<i64>> = vec![Vec::new(); months.periods.len()];
    for m in &input.memberships {
        if let Some(i) = months.index_of_ms(m.joined_at) {
            cohort_people[i].push(m.person);
        }
    }
    let cohorts = months
        .periods
        .iter()
        .enumerate()
        .map(|(i, period)| {
            let mut people = std::mem::take(&mut cohort_people[i]);
            people.sort_unstable();
            people.dedup();
            let retained = |later: usize| {
                let end = add_months(period.start_day, later as i64 + 1);
                if people.is_empty() {
                    Measure::missing("nobody joined in this month")
                } else if now < end * DAY_MS {
                    Measure::missing(format!("month {later} after joining has not ended yet"))
                } else {
                    let active = people.iter().filter(|&&p| active_in_month(i + later, p)).count();
                    Measure::ratio(active as f64, people.len() as f64, "nobody joined in this month")
                }
            };
            Cohort {
                month_start_day: period.start_day,
                joined: people.len() as i64,
                active_month_1: retained(1),
                active_month_3: retained(3),
            }
        })
        .collect();

    CommunityMetrics {
        community: input.community,
        now,
        weeks: week_metrics,
        months: month_metrics,
        quarters: quarter_metrics,
        levels,
        diversity,
        leadership,
        cohorts,
        satisfaction: satisfaction(input),
        survey_response_rate: survey_response_rate(input),
        lorenz: inequality::lorenz_curve(&window_acc.counts, LORENZ_POINTS),
        attendance_by_region: attendance_by_region(input, &people, window),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::{
        ArtifactCreated, Membership, Occurrence, Question, Reuse, SkillChange, SurveyFact, TimeSaved, ValueStoryFact,
    };
    use ContributionKind as K;
    use copse_domain::ValueCycle;

    const H: i64 = 3_600_000;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    fn at(y: i64, m: u32, d: u32, hour: i64) -> i64 {
        day(y, m, d) * DAY_MS + hour * H
    }

    /// Wednesday 25 November 2026, noon UTC.
    fn now() -> i64 {
        at(2026, 11, 25, 12)
    }

    fn close(measure: &Measure, expected: f64) {
        let value = measure.value().unwrap_or_else(|| panic!("a value, got {measure:?}"));
        assert!((value - expected).abs() < 1e-9, "{value} != {expected}");
    }

    fn missing(measure: &Measure) -> &str {
        measure.reason().unwrap_or_else(|| panic!("not enough data expected, got {measure:?}"))
    }

    fn row(d: i64, person: i64, kind: ContributionKind, count: i64) -> DailyCount {
        DailyCount { day: d, person, kind, count }
    }

    fn member(person: i64, joined_at: i64) -> Membership {
        Membership { person, joined_at, active: true, facilitator: false }
    }

    fn person(id: i64, team: &str, zone: Option<&str>) -> PersonInfo {
        PersonInfo {
            id,
            handle: format!("p{id}"),
            name: format!("Person {id}"),
            team: team.into(),
            location: String::new(),
            experience: "mid".into(),
            time_zone: zone.map(str::to_string),
            work_start_minute: 540,
            work_end_minute: 1020,
        }
    }

    fn session(start: i64, facilitator: Option<i64>, going: &[i64], attended: &[i64]) -> Occurrence {
        Occurrence {
            event: start / H,
            title: "Session".into(),
            start,
            time_zone: "Europe/Berlin".into(),
            local_start_minute: 17 * 60,
            format: "remote".into(),
            facilitator,
            going: going.to_vec(),
            attended: attended.to_vec(),
            recorded: false,
        }
    }

    fn question(created_at: i64, first: Option<i64>, accepted: Option<i64>) -> Question {
        Question {
            thread: created_at / H,
            title: "Q".into(),
            asker: Some(1),
            created_at,
            first_response_at: first,
            accepted_at: accepted,
            tags: Vec::new(),
        }
    }

    /// Every measure in the output, for the "no NaN anywhere" check.
    fn all_measures(m: &CommunityMetrics) -> Vec<&Measure> {
        let mut out = Vec::new();
        for p in m.weeks.iter().chain(&m.months).chain(&m.quarters) {
            out.extend([
                &p.active_share,
                &p.attendance_rate,
                &p.median_hours_to_solution,
                &p.response_rate,
                &p.median_hours_to_first_response,
                &p.reciprocity,
                &p.gini,
                &p.top_decile_share,
                &p.absence_factor,
            ]);
        }
        out.extend([&m.levels.core_share, &m.levels.active_share]);
        for d in &m.diversity {
            out.extend([&d.active, &d.members]);
        }
        out.extend([&m.leadership.distinct_facilitators_last_10, &m.leadership.facilitation_concentration]);
        for c in &m.cohorts {
            out.extend([&c.active_month_1, &c.active_month_3]);
        }
        out.extend([&m.satisfaction, &m.survey_response_rate]);
        for r in &m.attendance_by_region {
            out.push(&r.rate);
        }
        out
    }

    fn assert_defined(m: &CommunityMetrics) {
        for measure in all_measures(m) {
            match measure {
                Measure::Value(v) => assert!(v.is_finite(), "non-finite value in {m:#?}"),
                Measure::NotEnoughData(reason) => assert!(!reason.is_empty()),
            }
        }
        assert!(m.lorenz.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
        assert_eq!((m.weeks.len(), m.months.len(), m.quarters.len()), (12, 12, 4));
        assert_eq!(m.cohorts.len(), 12);
        assert_eq!(m.diversity.len(), 4);
        assert!(!m.levels.verdict.is_empty());
    }

    #[test]
    fn calendar_helpers() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(day(2024, 2, 29)), (2024, 2, 29));
        for d in -800_000..800_000 {
            if d % 97 == 0 {
                let (y, m, dd) = civil_from_days(d);
                assert_eq!(days_from_civil(y, m, dd), d);
            }
        }
        let today = day_of(now());
        assert_eq!(week_start_day(today), day(2026, 11, 23));
        assert_eq!(week_start_day(day(2026, 11, 23)), day(2026, 11, 23));
        assert_eq!(week_start_day(day(2026, 11, 22)), day(2026, 11, 16));
        assert_eq!(week_start_day(0), day(1969, 12, 29));
        assert_eq!(month_start_day(today), day(2026, 11, 1));
        assert_eq!(quarter_start_day(today), day(2026, 10, 1));
        assert_eq!(quarter_start_day(day(2026, 3, 31)), day(2026, 1, 1));
        assert_eq!(add_months(today, 2), day(2027, 1, 1));
        assert_eq!(add_months(today, -11), day(2025, 12, 1));
        assert_eq!(last_days(now(), 90), (today - 89, today + 1));
    }

    #[test]
    fn periods_end_with_the_one_containing_now() {
        let weeks = periods(PeriodKind::Week, now(), 12);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11].start_day, day(2026, 11, 23));
        assert_eq!(weeks[0].start_day, day(2026, 9, 7));
        assert!(weeks.windows(2).all(|w| w[0].end_day == w[1].start_day));
        let months = periods(PeriodKind::Month, now(), 12);
        assert_eq!((months[0].start_day, months[0].end_day), (day(2025, 12, 1), day(2026, 1, 1)));
        assert_eq!((months[11].start_day, months[11].end_day), (day(2026, 11, 1), day(2026, 12, 1)));
        assert!(months.windows(2).all(|w| w[0].end_day == w[1].start_day));
        let quarters: Vec<i64> = periods(PeriodKind::Quarter, now(), 4).iter().map(|p| p.start_day).collect();
        assert_eq!(quarters, vec![day(2026, 1, 1), day(2026, 4, 1), day(2026, 7, 1), day(2026, 10, 1)]);
        let metrics = compute(&CommunityInput::empty(1, now()));
        assert!(metrics.months[11].in_progress && !metrics.months[10].in_progress);
        assert_eq!(metrics.quarters[3].period.end_day, day(2027, 1, 1));
    }

    /// Members 1, 2, 3 (since 2026), 5 (joined 20 Nov) and 6 (left); 4 is
    /// an imported author who is not a member.
    fn community() -> CommunityInput {
        let mut input = CommunityInput::empty(9, now());
        input.memberships = vec![
            member(1, at(2026, 1, 10, 0)),
            member(2, at(2026, 1, 10, 0)),
            member(3, at(2026, 2, 1, 0)),
            member(5, at(2026, 11, 20, 0)),
            Membership { active: false, ..member(6, at(2026, 1, 1, 0)) },
        ];
        input.activity = vec![
            row(day(2026, 11, 2), 1, K::Question, 3),
            row(day(2026, 11, 3), 2, K::Answer, 2),
            row(day(2026, 11, 4), 2, K::Thread, 1),
            row(day(2026, 11, 4), 3, K::Rsvp, 4),
            row(day(2026, 11, 10), 4, K::Commit, 1),
            row(day(2026, 10, 20), 1, K::ArtifactVersion, 2),
            row(day(2026, 10, 21), 5, K::Reply, 0),
        ];
        input.occurrences = vec![
            session(at(2026, 10, 15, 16), Some(1), &[1, 2, 3], &[1, 2]),
            session(at(2026, 11, 5, 16), Some(1), &[1, 2, 3, 5], &[1, 3, 7]),
            session(at(2026, 11, 12, 16), Some(2), &[2], &[]),
        ];
        input.questions = vec![
            question(at(2026, 11, 2, 10), Some(at(2026, 11, 2, 10) + 90 * 60_000), Some(at(2026, 11, 3, 10))),
            question(at(2026, 11, 4, 0), Some(at(2026, 11, 4, 4)), None),
            question(at(2026, 11, 6, 0), None, None),
            question(at(2026, 10, 31, 23), Some(at(2026, 11, 1, 1)), Some(at(2026, 11, 2, 11))),
        ];
        input.time_saved = vec![
            TimeSaved { at: at(2026, 11, 10, 0), minutes: 30 },
            TimeSaved { at: at(2026, 11, 10, 1), minutes: 45 },
            TimeSaved { at: at(2026, 10, 10, 1), minutes: 10 },
        ];
        input.value_stories = vec![ValueStoryFact { at: at(2026, 11, 7, 0), cycle: ValueCycle::Applied }];
        input.proposals_accepted = vec![at(2026, 11, 8, 0), at(2026, 9, 1, 0)];
        input.artifacts = vec![
            ArtifactCreated { artifact: 1, at: at(2026, 11, 1, 0), author: Some(1), published: true },
            ArtifactCreated { artifact: 2, at: at(2026, 11, 20, 0), author: Some(2), published: false },
        ];
        input.reuses = vec![
            Reuse { artifact: 1, at: at(2026, 11, 3, 0), person: 2, outside_author_team: true },
            Reuse { artifact: 1, at: at(2026, 11, 4, 0), person: 2, outside_author_team: false },
            Reuse { artifact: 1, at: at(2026, 11, 5, 0), person: 3, outside_author_team: true },
        ];
        let skill = |person, skill: &str, before, after, d| SkillChange {
            person,
            skill: skill.into(),
            before,
            after,
            after_at: at(2026, 11, d, 0),
        };
        input.skill_changes = vec![skill(1, "rust", 2, 3, 10), skill(2, "sql", 3, 3, 10), skill(1, "go", 1, 2, 11)];
        input.people = vec![
            person(1, "A", Some("Europe/Berlin")),
            person(2, "A", Some("Australia/Sydney")),
            person(3, "B", None),
            person(5, "B", Some("UTC")),
        ];
        input
    }

    #[test]
    fn activity_per_period_by_hand() {
        let m = compute(&community());
        assert_defined(&m);
        let nov = &m.months[11];
        assert!(nov.in_progress);
        // 1 (3 questions), 2 (2 answers + a thread), 4 (a commit); 3 only
        // said going, 5's row has a zero count.
        assert_eq!(nov.active_participants, 3);
        assert_eq!(nov.members_at_end, 4);
        close(&nov.active_share, 0.75);
        assert_eq!(nov.contributions, 7);
        assert_eq!(nov.channel_activity, 6);
        assert_eq!(nov.shared_resource_contributions, 1);
        // Sessions: 5 Nov (4 going, 3 attended) and 12 Nov (1 going).
        assert_eq!((nov.events_held, nov.said_going, nov.attended), (2, 5, 3));
        // Of the 5 who said going, 1 and 3 came (7 came unannounced).
        assert_eq!(nov.showed_up, 2);
        close(&nov.attendance_rate, 0.4);
        // 1 attended first in October; 3 and 7 for the first time.
        assert_eq!((nov.new_attendees, nov.returning_attendees), (2, 1));
        let oct = &m.months[10];
        assert_eq!((oct.events_held, oct.said_going, oct.attended, oct.new_attendees), (1, 3, 2, 2));
        assert_eq!(oct.active_participants, 1);
        assert_eq!(oct.shared_resource_contributions, 2);
        // Members at the end of October: 1, 2, 3 (5 joined in November, 6 left).
        assert_eq!(oct.members_at_end, 3);
        // Weeks: 2-8 Nov has 1 and 2; 9-15 Nov has 4.
        let week = m.weeks.iter().find(|w| w.period.start_day == day(2026, 11, 2)).expect("week of 2 Nov");
        assert_eq!(week.active_participants, 2);
        close(&week.gini, 0.0);
        assert_eq!(m.weeks.iter().find(|w| w.period.start_day == day(2026, 11, 9)).map(|w| w.contributions), Some(1));
        // The quarter from October holds both months.
        let q4 = &m.quarters[3];
        assert_eq!(q4.active_participants, 3);
        assert_eq!(q4.contributions, 9);
        assert_eq!(q4.events_held, 3);
        assert_eq!(m.months[9].events_held, 0);
        assert_eq!(missing(&m.months[9].attendance_rate), "nobody said going to a session in the period");
        close(&m.months[9].active_share, 0.0);
        // December 2025: nobody had joined yet.
        assert_eq!(m.months[0].members_at_end, 0);
        assert_eq!(missing(&m.months[0].active_share), "no members at the end of the period");
    }

    #[test]
    fn value_per_period_by_hand() {
        let m = compute(&community());
        let nov = &m.months[11];
        // Accepted 3 Nov 10:00 (asked 2 Nov 10:00: 24 h) and 2 Nov 11:00
        // (asked 31 Oct 23:00: 36 h).
        assert_eq!(nov.problems_solved, 2);
        close(&nov.median_hours_to_solution, 30.0);
        assert_eq!(nov.minutes_saved, 75);
        assert_eq!(m.months[10].minutes_saved, 10);
        // A value story and a proposal in November; the other proposal in
        // September.
        assert_eq!(nov.improvements, 2);
        assert_eq!(m.months[9].improvements, 1);
        assert_eq!(nov.artifacts_created, 2);
        assert_eq!((nov.reuse_events, nov.distinct_reusers, nov.reuse_outside_author_team), (3, 2, 2));
        // Person 1 improved twice, person 2 stayed at 3.
        assert_eq!(nov.people_with_skills_developed, 1);
        assert_eq!(m.months[10].problems_solved, 0);
        assert_eq!(missing(&m.months[10].median_hours_to_solution), "no answer accepted in the period");
    }

    #[test]
    fn quality_of_interactions_by_hand() {
        let m = compute(&community());
        let nov = &m.months[11];
        // Asked in November: 2 Nov (1.5 h), 4 Nov (4 h), 6 Nov (none).
        assert_eq!(nov.questions_asked, 3);
        close(&nov.response_rate, 2.0 / 3.0);
        close(&nov.median_hours_to_first_response, 2.75);
        // The 31 Oct question belongs to October: 2 h, answered.
        close(&m.months[10].median_hours_to_first_response, 2.0);
        close(&m.months[10].response_rate, 1.0);
        // Only person 2 both asked (a thread) and responded (answers), of 3.
        close(&nov.reciprocity, 1.0 / 3.0);
        assert_eq!(missing(&m.months[9].reciprocity), "nobody took part in the period");
        assert_eq!(missing(&m.months[9].response_rate), "no question asked in the period");
        let mut input = community();
        input.questions.truncate(3);
        input.questions[0].first_response_at = None;
        input.questions[1].first_response_at = None;
        let m = compute(&input);
        assert_eq!(
            missing(&m.months[11].median_hours_to_first_response),
            "no question asked in the period got a response"
        );
        close(&m.months[11].response_rate, 0.0);
    }

    #[test]
    fn inequality_per_period_by_hand() {
        let m = compute(&community());
        let nov = &m.months[11];
        // Counts [3, 3, 1]: Σ|xi - xj| = 8, 2 n² μ = 42.
        close(&nov.gini, 8.0 / 42.0);
        // Top 10 % of 3 people is 1 person: 3 of 7.
        close(&nov.top_decile_share, 3.0 / 7.0);
        // 3 < 3.5, 3 + 3 >= 3.5: two people make half.
        close(&nov.absence_factor, 2.0);
        // October: one contributor, a Gini needs two.
        let oct = &m.months[10];
        assert_eq!(missing(&oct.gini), "fewer than 2 contributors");
        close(&oct.absence_factor, 1.0);
        close(&oct.top_decile_share, 1.0);
        assert_eq!(missing(&m.months[9].absence_factor), "no contributions");
    }

    #[test]
    fn levels_over_the_last_90_days_against_the_bands() {
        let today = day_of(now());
        let mut input = CommunityInput::empty(1, now());
        input.memberships = (1..=20).map(|p| member(p, at(2025, 1, 1, 0))).collect();
        // Core: 12 and 20; active: 3, 5, 11; peripheral: 1, 2, 1, 2, 1.
        let counts = [(1, 12), (2, 20), (3, 3), (4, 5), (5, 11), (6, 1), (7, 2), (8, 1), (9, 2), (10, 1)];
        for (p, c) in counts {
            input.activity.push(row(today - 89, p, K::Reply, c));
        }
        // 90 days ago is outside the window; a non-member counts for the
        // Lorenz curve but not for the levels; RSVPs never count.
        input.activity.push(row(today - 90, 11, K::Reply, 40));
        input.activity.push(row(today, 99, K::Commit, 50));
        input.activity.push(row(today, 12, K::Rsvp, 50));
        let m = compute(&input);
        assert_defined(&m);
        let levels = &m.levels;
        assert_eq!((levels.core, levels.active, levels.peripheral, levels.inactive), (2, 3, 5, 10));
        close(&levels.core_share, 0.10);
        close(&levels.active_share, 0.15);
        assert_eq!(
            levels.verdict,
            "10% core (within the 10-15% reference band) and 15% active (within the 15-20% band) over the last 90 days."
        );
        assert_eq!(m.leadership.core_group_size, 2);
        // 11 contributors in the window: 11 segments, from (0,0) to (1,1);
        // the least contributor (1 of 108) comes first.
        assert_eq!(m.lorenz.len(), 12);
        assert_eq!(m.lorenz[0], (0.0, 0.0));
        assert_eq!(m.lorenz[11], (1.0, 1.0));
        assert!((m.lorenz[1].1 - 1.0 / 108.0).abs() < 1e-12);

        input.memberships.truncate(4);
        let verdict = compute(&input).levels.verdict;
        assert_eq!(
            verdict,
            "50% core (above the 10-15% reference band) and 50% active (above the 15-20% band) over the last 90 days."
        );
    }

    #[test]
    fn diversity_of_active_participants_vs_members() {
        let today = day_of(now());
        let mut input = CommunityInput::empty(1, now());
        input.people = vec![person(1, "A", None), person(2, "A", None), person(3, "B", None), person(4, "B", None)];
        input.memberships = vec![
            member(1, now() - 10 * DAY_MS),
            member(2, now() - 200 * DAY_MS),
            member(3, now() - 400 * DAY_MS),
            member(4, now() - 800 * DAY_MS),
        ];
        input.activity = vec![row(today, 1, K::Answer, 1), row(today, 2, K::Answer, 5)];
        let m = compute(&input);
        let dim = |name: &str| m.diversity.iter().find(|d| d.dimension == name).expect("dimension");
        let team = dim("team");
        close(&team.active, 0.0);
        close(&team.members, 2f64.ln());
        assert_eq!((team.categories_active, team.categories_members), (1, 2));
        let tenure = dim("tenure");
        close(&tenure.active, 2f64.ln());
        close(&tenure.members, 4f64.ln());
        assert_eq!(tenure.categories_members, 4);
        // Nobody has a location: one category "unknown".
        close(&dim("location").members, 0.0);
        assert_eq!(dim("experience").categories_members, 1);
        assert_eq!(tenure_bucket(now() - 90 * DAY_MS, now()), "< 3 months");
        assert_eq!(tenure_bucket(now() - 91 * DAY_MS, now()), "3-12 months");
        assert_eq!(tenure_bucket(now() - 730 * DAY_MS, now()), "> 2 years");
        // Nobody active: the active side has no data, the members side does.
        input.activity.clear();
        let m = compute(&input);
        assert_eq!(missing(&m.diversity[0].active), "nobody to compare");
        close(&m.diversity[0].members, 2f64.ln());
    }

    #[test]
    fn leadership_over_the_last_10_sessions() {
        let mut input = CommunityInput::empty(1, now());
        // 12 sessions, one a day; the oldest two by person 3 fall out.
        let facilitators = [3, 3, 1, 1, 2, 1, 1, 0, 1, 2, 1, 1];
        for (i, f) in facilitators.into_iter().enumerate() {
            let facilitator = if f == 0 { None } else { Some(f) };
            input.occurrences.push(session(now() - (12 - i as i64) * DAY_MS, facilitator, &[], &[]));
        }
        // A session that has not started does not count.
        input.occurrences.push(session(now() + DAY_MS, Some(3), &[], &[]));
        let m = compute(&input);
        assert_eq!(m.leadership.sessions_considered, 10);
        close(&m.leadership.distinct_facilitators_last_10, 2.0);
        // Person 1 led 7 of the 9 sessions with a facilitator.
        close(&m.leadership.facilitation_concentration, 7.0 / 9.0);
        let empty = compute(&CommunityInput::empty(1, now()));
        assert_eq!(missing(&empty.leadership.distinct_facilitators_last_10), "no session held yet");
        assert_eq!(
            missing(&empty.leadership.facilitation_concentration),
            "none of the last sessions had a facilitator"
        );
    }

    #[test]
    fn cohorts_and_retention() {
        let mut input = CommunityInput::empty(1, now());
        input.memberships = vec![
            member(10, at(2026, 8, 5, 0)),
            member(11, at(2026, 8, 20, 0)),
            Membership { active: false, ..member(12, at(2026, 8, 31, 23)) },
            member(20, at(2026, 7, 1, 0)),
            member(30, at(2026, 10, 3, 0)),
        ];
        input.activity = vec![
            row(day(2026, 9, 3), 10, K::Reply, 1),
            row(day(2026, 9, 4), 11, K::Rsvp, 1),
            row(day(2026, 10, 10), 20, K::Commit, 2),
            row(day(2026, 11, 2), 10, K::Reply, 1),
        ];
        let m = compute(&input);
        assert_defined(&m);
        let cohort = |y, mo| m.cohorts.iter().find(|c| c.month_start_day == day(y, mo, 1)).expect("cohort");
        let august = cohort(2026, 8);
        assert_eq!(august.joined, 3);
        close(&august.active_month_1, 1.0 / 3.0);
        // November has not ended on 25 November.
        assert_eq!(missing(&august.active_month_3), "month 3 after joining has not ended yet");
        let july = cohort(2026, 7);
        close(&july.active_month_1, 0.0);
        close(&july.active_month_3, 1.0);
        let october = cohort(2026, 10);
        assert_eq!(missing(&october.active_month_1), "month 1 after joining has not ended yet");
        let january = cohort(2026, 1);
        assert_eq!(january.joined, 0);
        assert_eq!(missing(&january.active_month_1), "nobody joined in this month");
        assert_eq!(m.cohorts[0].month_start_day, day(2025, 12, 1));
        // On 1 December, November has ended.
        input.now = at(2026, 12, 1, 0);
        let m = compute(&input);
        let august = m.cohorts.iter().find(|c| c.month_start_day == day(2026, 8, 1)).expect("cohort");
        close(&august.active_month_3, 1.0 / 3.0);
    }

    #[test]
    fn attendance_by_region() {
        let m = compute(&community());
        let regions: Vec<(&str, i64, i64)> =
            m.attendance_by_region.iter().map(|r| (r.region.as_str(), r.said_going, r.attended)).collect();
        // Going: 15 Oct [1,2,3], 5 Nov [1,2,3,5], 12 Nov [2]; attended: [1,2],
        // [1,3,7]. 3 has no zone, 7 no profile: Unknown (3 going twice; 3
        // and 7 attended).
        assert_eq!(regions, vec![("Australia", 3, 1), ("Europe", 2, 2), ("UTC", 1, 0), ("Unknown", 2, 2)]);
        close(&m.attendance_by_region[0].rate, 1.0 / 3.0);
        close(&m.attendance_by_region[2].rate, 0.0);
        assert_eq!(region_of(Some("America/Argentina/Buenos_Aires")), "America");
        assert_eq!(region_of(Some("  ")), "Unknown");
        // Sessions more than 90 days ago are left out.
        let mut input = community();
        input.occurrences = vec![session(now() - 100 * DAY_MS, None, &[1], &[1])];
        assert!(compute(&input).attendance_by_region.is_empty());
        // Somebody who attended without saying going: a region with no RSVP.
        input.occurrences = vec![session(now() - DAY_MS, None, &[], &[2])];
        let m = compute(&input);
        assert_eq!(missing(&m.attendance_by_region[0].rate), "nobody from this region said going");
    }

    #[test]
    fn satisfaction_and_survey_response_rate() {
        let survey = |closed_day: Option<u32>, responses, mean| SurveyFact {
            opened_at: at(2026, 9, 1, 0),
            closed_at: closed_day.map(|d| at(2026, 10, d, 0)),
            invited: 12,
            responses,
            satisfaction_mean: mean,
            usefulness_mean: mean,
        };
        let mut input = CommunityInput::empty(1, now());
        input.surveys = vec![survey(Some(1), 10, Some(4.2)), survey(Some(20), 3, None), survey(None, 9, None)];
        let m = compute(&input);
        close(&m.satisfaction, 4.2);
        close(&m.survey_response_rate, 3.0 / 12.0);
        input.surveys.remove(0);
        let m = compute(&input);
        assert_eq!(missing(&m.satisfaction), "no published survey (fewer than 5 answers or still open)");
        // A mean on a survey below the minimum is still not shown.
        input.surveys = vec![survey(Some(20), 4, Some(5.0))];
        assert!(compute(&input).satisfaction.reason().is_some());
        input.surveys = vec![SurveyFact { invited: 0, ..survey(Some(2), 0, None) }];
        assert_eq!(missing(&compute(&input).survey_response_rate), "the latest survey invited nobody");
        input.surveys.clear();
        assert_eq!(missing(&compute(&input).survey_response_rate), "no closed survey");
    }

    #[test]
    fn bad_input_gives_defined_values_or_reasons() {
        // An empty community.
        let m = compute(&CommunityInput::empty(1, now()));
        assert_defined(&m);
        assert!(m.lorenz.is_empty() && m.attendance_by_region.is_empty());
        assert_eq!(m.levels.verdict, "No members yet, so no participation levels to compare with the reference bands.");
        assert!(m.months.iter().all(|p| p.gini.reason().is_some() && p.active_participants == 0));

        // A single member with a single contribution.
        let mut input = CommunityInput::empty(1, now());
        input.memberships = vec![member(1, now() - DAY_MS)];
        input.activity = vec![row(day_of(now()), 1, K::Question, 1)];
        let m = compute(&input);
        assert_defined(&m);
        close(&m.months[11].active_share, 1.0);
        assert!(m.months[11].gini.reason().is_some());
        close(&m.months[11].reciprocity, 0.0);
        assert_eq!(m.levels.peripheral, 1);

        // All activity on one day, sessions with no time zones anywhere,
        // surveys below the minimum, rows in any order, bad counts.
        let mut input = community();
        let d = day(2026, 11, 3);
        input.activity = (1..=50).rev().map(|p| row(d, p, K::Reply, p)).collect();
        input.activity.push(row(d, 7, K::Reply, -3));
        for p in &mut input.people {
            p.time_zone = None;
        }
        input.surveys = vec![SurveyFact {
            opened_at: now() - 10 * DAY_MS,
            closed_at: Some(now() - DAY_MS),
            invited: 40,
            responses: 2,
            satisfaction_mean: None,
            usefulness_mean: None,
        }];
        let m = compute(&input);
        assert_defined(&m);
        assert_eq!(m.months[11].active_participants, 50);
        assert_eq!(m.months[11].contributions, 50 * 51 / 2);
        assert!(m.attendance_by_region.iter().all(|r| r.region == "Unknown"));
        assert!(m.satisfaction.reason().is_some());
        // Counts 1..=50: Gini = (n + 1 - 2 Σ(n+1-i) xᵢ / Σx) / n = 49/150.
        close(&m.months[11].gini, 49.0 / 150.0 + 0.0);

        // Timestamps before 1970 and far in the future.
        for t in [-5 * DAY_MS - 1, 0, 4_102_444_800_000] {
            let mut input = community();
            input.now = t;
            assert_defined(&compute(&input));
        }
    }

    #[test]
    fn rollup_and_merge() {
        let contributions = [
            (1, at(2026, 11, 2, 23), K::Reply),
            (1, at(2026, 11, 2, 1), K::Reply),
            (2, at(2026, 11, 2, 1), K::Reply),
            (1, at(2026, 11, 3, 0), K::Reply),
            (1, at(2026, 11, 2, 5), K::Rsvp),
        ];
        let r = rollup(&contributions);
        let d = day(2026, 11, 2);
        assert_eq!(
            r,
            vec![row(d, 1, K::Rsvp, 1), row(d, 1, K::Reply, 2), row(d, 2, K::Reply, 1), row(d + 1, 1, K::Reply, 1)]
        );
        let merged = merge_rollups(&rollup(&contributions[..2]), &rollup(&contributions[2..]));
        assert_eq!(merged, r);
        // A deletion rolled up as -1 cancels the row.
        let deleted = merge_rollups(&r, &[row(d, 2, K::Reply, -1)]);
        assert_eq!(deleted.len(), 3);
        // Unsorted inputs are sorted.
        let reversed: Vec<DailyCount> = r.iter().rev().copied().collect();
        assert_eq!(merge_rollups(&reversed, &[]), r);
        assert_eq!(contributions_by_person(&r, d, d + 1), vec![(1, 2), (2, 1)]);
        assert_eq!(contributions_by_person(&r, d, d + 2), vec![(1, 3), (2, 1)]);
    }

    /// splitmix64, for the random histories.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: i64) -> i64 {
            (self.next() % n.max(1) as u64) as i64
        }
    }

    const KINDS: [ContributionKind; 10] = [
        K::Rsvp,
        K::Question,
        K::Thread,
        K::Answer,
        K::Reply,
        K::Review,
        K::Commit,
        K::ArtifactVersion,
        K::Message,
        K::Other,
    ];

    #[test]
    fn incremental_rollups_equal_a_full_recompute_over_random_histories() {
        for case in 0..250u64 {
            let mut rng = Rng(case);
            let now = at(2026, 1, 1, 0) + rng.below(400) * DAY_MS + rng.below(DAY_MS);
            let people = 1 + rng.below(12);
            let n = rng.below(300) as usize;
            let raw: Vec<(i64, i64, ContributionKind)> = (0..n)
                .map(|_| {
                    let person = 1 + rng.below(people);
                    let at = now - rng.below(450 * DAY_MS) + rng.below(3 * DAY_MS);
                    (person, at, KINDS[rng.below(KINDS.len() as i64) as usize])
                })
                .collect();
            let full = rollup(&raw);

            // Incrementally, in random batches (in random order).
            let mut order = raw.clone();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i as i64 + 1) as usize);
            }
            let mut incremental: Vec<DailyCount> = Vec::new();
            let mut unmerged: Vec<DailyCount> = Vec::new();
            let mut rest = &order[..];
            while !rest.is_empty() {
                let take = 1 + rng.below(rest.len() as i64) as usize;
                let batch = rollup(&rest[..take]);
                incremental = if rng.below(2) == 0 {
                    merge_rollups(&incremental, &batch)
                } else {
                    merge_rollups(&batch, &incremental)
                };
                unmerged.extend(batch.iter().rev());
                rest = &rest[take..];
            }
            assert_eq!(incremental, full, "case {case}");

            let mut input = CommunityInput::empty(1, now);
            for p in 1..=people {
                if rng.below(4) > 0 {
                    let joined_at = now - rng.below(500 * DAY_MS);
                    let active = rng.below(5) > 0;
                    input.memberships.push(Membership { person: p, joined_at, active, facilitator: false });
                }
            }
            input.activity = full.clone();
            let from_full = compute(&input);
            assert_defined(&from_full);
            input.activity = incremental;
            assert_eq!(compute(&input), from_full, "case {case}");
            // Unmerged batch rollups in any order read the same.
            input.activity = unmerged;
            assert_eq!(compute(&input), from_full, "case {case}");

            // Straight from the raw list: active participants and Gini per
            // month and over the 90-day window.
            let direct = |from_day: i64, to_day: i64| {
                let mut counts: HashMap<i64, i64> = HashMap::new();
                for &(person, at, kind) in &raw {
                    if kind != K::Rsvp && day_of(at) >= from_day && day_of(at) < to_day {
                        *counts.entry(person).or_default() += 1;
                    }
                }
                let mut counts: Vec<(i64, i64)> = counts.into_iter().collect();
                counts.sort_unstable();
                counts
            };
            for month in from_full.months.iter().chain(&from_full.weeks).chain(&from_full.quarters) {
                let counts = direct(month.period.start_day, month.period.end_day);
                assert_eq!(month.active_participants, counts.len() as i64, "case {case}");
                let values: Vec<i64> = counts.iter().map(|c| c.1).collect();
                assert_eq!(month.gini, inequality::gini(&values), "case {case}");
                assert_eq!(month.absence_factor, inequality::absence_factor(&values), "case {case}");
                assert_eq!(month.contributions, values.iter().sum::<i64>(), "case {case}");
            }
            let (from, to) = last_days(now, WINDOW_DAYS);
            let window = direct(from, to);
            assert_eq!(contributions_by_person(&full, from, to), window, "case {case}");
            let values: Vec<i64> = window.iter().map(|c| c.1).collect();
            assert_eq!(from_full.lorenz, inequality::lorenz_curve(&values, LORENZ_POINTS), "case {case}");
        }
    }
}
