//! Meeting-time planner: which weekly slots suit which members, and a
//! rotation of a few slots that is fair to every region.
//!
//! The tutorial's remote-participation advice is to rotate meeting times so
//! that no region always gets the 06:00 slot. This module answers three
//! questions for a community, from its members' time zones and working hours:
//!
//! - [`candidate_slots`]: for every slot on a grid (weekday and UTC start, in
//!   steps of `step_minutes`), who it is convenient for, overall and per region;
//! - [`propose_rotation`]: up to [`MAX_ROTATION_SLOTS`] weekly slots to rotate
//!   through, chosen to maximize, in this order, (1) the worst-off region's
//!   share of members with at least one convenient slot, (2) the overall share
//!   of such members, (3) fewer slots;
//! - [`schedule_inconvenience`]: for the current schedule, how often each
//!   region's members had sessions outside their working hours.
//!
//! # Convenient
//!
//! A session is convenient for a member when the whole session, converted to
//! the member's local time with the real offset of that instant (daylight
//! saving included; for a [`WeeklySlot`], the occurrence in the week that
//! contains [`PlannerOptions::reference_date`]), lies inside their working
//! hours, and those working hours belong to a working day, Monday to Friday
//! in the member's own calendar. Working hours that end before they start
//! wrap past midnight (22:00–06:00); the "day" of such hours is the day they
//! start, so a 02:00 Saturday session suits a night shift that began on
//! Friday, and a 02:00 Monday session does not. Working hours that start and
//! end at the same minute mean the whole day, as in [`WorkingHours::contains`].
//! A 60-minute session from 16:30 does not suit 09:00–17:00; one from 16:00
//! does. A session that crosses local midnight suits only hours that wrap.
//!
//! # What the rotation search guarantees
//!
//! Members sharing a zone, working hours and region are identical to the
//! planner, so they are handled as one weighted group, and each candidate
//! slot becomes a bitset over groups. Slots serving exactly the same groups
//! are merged, and a slot serving a strict subset of another's groups is
//! dropped: replacing it by the larger one never makes any region worse off,
//! so an optimal rotation exists among the remaining ones.
//!
//! A greedy choice with the lexicographic objective, improved by single
//! swaps and additions until none helps and with redundant slots removed,
//! gives a first answer. Then a depth-first branch-and-bound search over all
//! subsets of at most `max_slots` remaining slots, pruned with per-region
//! upper bounds, either proves that answer optimal or replaces it with the
//! optimum. The search stops after [`SEARCH_BUDGET`] evaluated subsets; when
//! it completes, [`RotationProposal::exact`] is `true` and the proposal is an
//! optimum of the objective above. When it is cut short, the proposal is the
//! best found, never worse than the swap-local optimum, and `exact` is
//! `false`. With the usual grid (30-minute steps over a few weekdays) the
//! search completes: for 5,000 members in 30 zones it evaluates about 13,000
//! subsets, in a few milliseconds.
//!
//! Among equally good rotations the answer is deterministic but otherwise
//! unspecified (the first found). Among slots that suit exactly the same
//! members, the earliest in the grid is shown, preferring a weekday the
//! rotation does not use yet, so the sessions spread over the week.
//!
//! Shares are compared as exact fractions, so ties are real ties.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use copse_domain::{PersonId, WorkingHours};

const DAY: i32 = 24 * 60;
const MARGINAL_MIN: usize = 3;

/// The most slots a rotation may have.
pub const MAX_ROTATION_SLOTS: usize = 4;

/// The most subsets the exact rotation search evaluates before it settles for
/// the best found so far.
pub const SEARCH_BUDGET: usize = 250_000;

/// Upper-bound tables larger than this many entries are not built; the search
/// then uses one bound table for all positions (looser, still sound).
const BOUND_TABLE_LIMIT: usize = 4_000_000;

/// One member's availability as the planner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAvailability {
    /// Who.
    pub person: PersonId,
    /// The member's time zone.
    pub zone: Tz,
    /// The member's usual working hours, in their own zone.
    pub working_hours: WorkingHours,
    /// A label to group by, e.g. the person's location or time-zone region
    /// ("Europe", "Americas", "Asia-Pacific"). When blank, the planner uses
    /// [`region_of_zone`] of `zone`.
    pub region: String,
}

/// A weekly slot: weekday and start time in UTC, plus duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeklySlot {
    /// The UTC weekday the session starts on.
    pub weekday: Weekday,
    /// Minutes after UTC midnight, 0 to 1439.
    pub start_minute_utc: u16,
    /// Length of the session in minutes.
    pub duration_minutes: u16,
}

impl WeeklySlot {
    /// The slot's start in the week (Monday to Sunday) that contains
    /// `reference_date`.
    pub fn start_in_week_of(&self, reference_date: NaiveDate) -> DateTime<Utc> {
        let monday = reference_date - Duration::days(i64::from(reference_date.weekday().num_days_from_monday()));
        let date = monday + Duration::days(i64::from(self.weekday.num_days_from_monday()));
        let midnight = Utc.from_utc_datetime(&date.and_time(chrono::NaiveTime::MIN));
        midnight + Duration::minutes(i64::from(self.start_minute_utc))
    }

    /// The slot's start in `zone`, in the week that contains `reference_date`.
    pub fn local_start(&self, zone: Tz, reference_date: NaiveDate) -> DateTime<Tz> {
        self.start_in_week_of(reference_date).with_timezone(&zone)
    }

    /// "Tue 14:00 UTC".
    pub fn label(&self) -> String {
        format!("{} {} UTC", self.weekday, clock_text(i32::from(self.start_minute_utc)))
    }
}

/// What the planner searches over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannerOptions {
    /// Length of a session in minutes (at least 1).
    pub duration_minutes: u16,
    /// Candidate grid step in minutes, e.g. 30 (1 to 1440).
    pub step_minutes: u16,
    /// UTC weekdays to consider, in display order; duplicates are ignored.
    pub weekdays: Vec<Weekday>,
    /// How many slots the rotation may have, 1 to [`MAX_ROTATION_SLOTS`]
    /// (values outside are clamped).
    pub max_slots: usize,
    /// A date in the week used to resolve daylight-saving offsets.
    pub reference_date: NaiveDate,
}

impl PlannerOptions {
    /// One-hour sessions on a 30-minute grid, Monday to Thursday, up to four
    /// slots, with offsets as in the week of `reference_date`.
    pub fn for_week(reference_date: NaiveDate) -> Self {
        Self {
            duration_minutes: 60,
            step_minutes: 30,
            weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu],
            max_slots: MAX_ROTATION_SLOTS,
            reference_date,
        }
    }
}

/// How many of a region's members one slot suits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCount {
    /// The region label.
    pub region: String,
    /// Members of the region for whom the slot is convenient.
    pub convenient: usize,
    /// Members in the region.
    pub members: usize,
}

/// Who one candidate slot is convenient for.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotCoverage {
    /// The slot.
    pub slot: WeeklySlot,
    /// Members for whom it is convenient, in input order.
    pub convenient: Vec<PersonId>,
    /// Per region, sorted by region label.
    pub per_region: Vec<RegionCount>,
}

impl SlotCoverage {
    /// Share (0 to 1) of all members for whom the slot is convenient.
    pub fn share(&self) -> f64 {
        let members: usize = self.per_region.iter().map(|r| r.members).sum();
        ratio(self.convenient.len() as u64, members as u64)
    }
}

/// How a rotation serves one region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionShare {
    /// The region label.
    pub region: String,
    /// Members in the region.
    pub members: usize,
    /// Members with at least one convenient slot in the rotation.
    pub served: usize,
    /// `served / members`.
    pub share: f64,
    /// Share of (member, slot) pairs that are convenient: how often a member
    /// of the region finds a rotating session convenient, on average.
    /// `1 - session_share` compares with
    /// [`RegionInconvenience::inconvenient_share`] of the current schedule.
    pub session_share: f64,
}

/// A proposed rotation of weekly slots.
#[derive(Debug, Clone, PartialEq)]
pub struct RotationProposal {
    /// The slots to rotate through, by weekday then start time. Empty when no
    /// candidate slot is convenient for anyone (or there are no members).
    pub slots: Vec<WeeklySlot>,
    /// Share (0 to 1) of members convenient for at least one slot.
    pub coverage: f64,
    /// The lowest, over regions, of the share of that region's members with
    /// at least one convenient slot.
    pub worst_region_share: f64,
    /// Per region, sorted by region label.
    pub per_region: Vec<RegionShare>,
    /// Whether the search proved this rotation optimal (see the module docs).
    pub exact: bool,
}

/// How the current schedule treats one region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionInconvenience {
    /// The region label.
    pub region: String,
    /// Members in the region.
    pub members: usize,
    /// Sessions considered.
    pub sessions: usize,
    /// (member, session) pairs where the session fell outside the member's
    /// working hours or on their day off.
    pub inconvenient: usize,
    /// `inconvenient / (members * sessions)`, 0 when there are no sessions.
    pub inconvenient_share: f64,
    /// Members for whom every session was inconvenient (0 without sessions).
    pub always_inconvenient: usize,
    /// The most common local start time ("07:00") over the region's
    /// (member, session) pairs; `None` without sessions.
    pub typical_local_start: Option<String>,
    /// The local start time of the inconvenient session that lay furthest
    /// from its member's working hours ("06:00"); `None` when nothing was
    /// inconvenient.
    pub worst_local_start: Option<String>,
}

/// Every slot of the grid the options describe (weekdays in order, then
/// start times from 00:00 UTC in steps), with who it is convenient for.
pub fn candidate_slots(members: &[MemberAvailability], options: &PlannerOptions) -> Vec<SlotCoverage> {
    let model = Model::new(members);
    let grid = candidate_grid(options);
    let bits = model.slot_bits(&grid, options.reference_date);
    let words = model.words();
    grid.iter()
        .enumerate()
        .map(|(c, slot)| {
            let row = &bits[c * words..(c + 1) * words];
            let convenient =
                members.iter().zip(&model.member_group).filter(|(_, g)| bit(row, **g)).map(|(m, _)| m.person).collect();
            let mut served = vec![0u32; model.regions.len()];
            model.add_groups(row, &mut served);
            let per_region = model
                .regions
                .iter()
                .enumerate()
                .map(|(r, name)| RegionCount {
                    region: name.clone(),
                    convenient: served[r] as usize,
                    members: model.region_members[r] as usize,
                })
                .collect();
            SlotCoverage { slot: *slot, convenient, per_region }
        })
        .collect()
}

/// Proposes up to `options.max_slots` weekly slots to rotate through,
/// maximizing the worst-off region's served share, then overall coverage,
/// then preferring fewer slots. See the module docs for what is guaranteed.
pub fn propose_rotation(members: &[MemberAvailability], options: &PlannerOptions) -> RotationProposal {
    let model = Model::new(members);
    let grid = candidate_grid(options);
    let bits = model.slot_bits(&grid, options.reference_date);
    let max_slots = options.max_slots.clamp(1, MAX_ROTATION_SLOTS);

    let (classes, atoms) = slot_classes(&model, &bits, grid.len());
    let words = atoms.words();
    let (chosen, exact) = if classes.is_empty() {
        (Vec::new(), true)
    } else {
        let search = Search::new(&model, &classes, &atoms, max_slots);
        search.run()
    };

    // Representatives: among slots serving the same members, prefer a weekday
    // not used yet, so the rotation spreads over the week.
    let mut chosen_classes: Vec<&Class> = chosen.iter().map(|&i| &classes[i]).collect();
    chosen_classes.sort_by_key(|c| c.slots[0]);
    let mut used_days: Vec<Weekday> = Vec::new();
    let mut slots: Vec<WeeklySlot> = chosen_classes
        .iter()
        .map(|class| {
            let pick =
                class.slots.iter().copied().find(|&s| !used_days.contains(&grid[s].weekday)).unwrap_or(class.slots[0]);
            used_days.push(grid[pick].weekday);
            grid[pick]
        })
        .collect();
    slots.sort_by_key(|s| (s.weekday.num_days_from_monday(), s.start_minute_utc));

    let mut union = vec![0u64; words];
    let mut session_counts = vec![0u64; model.regions.len()];
    for class in &chosen_classes {
        for (u, b) in union.iter_mut().zip(&class.bits) {
            *u |= b;
        }
        for (total, &count) in session_counts.iter_mut().zip(&class.region_counts) {
            *total += u64::from(count);
        }
    }
    let mut served = vec![0u32; model.regions.len()];
    let covered = atoms.add(&union, &mut served);
    let score = model.score(&served, covered);
    let per_region = model
        .regions
        .iter()
        .enumerate()
        .map(|(r, name)| {
            let members = u64::from(model.region_members[r]);
            RegionShare {
                region: name.clone(),
                members: members as usize,
                served: served[r] as usize,
                share: ratio(u64::from(served[r]), members),
                session_share: ratio(session_counts[r], members * slots.len() as u64),
            }
        })
        .collect();
    RotationProposal {
        slots,
        coverage: ratio(covered, members.len() as u64),
        worst_region_share: if model.regions.is_empty() { 0.0 } else { ratio(score.worst_served, score.worst_members) },
        per_region,
        exact,
    }
}

/// For the current schedule (the UTC start instants of recent or upcoming
/// sessions, with their durations in minutes), per region sorted by label:
/// how many (member, session) pairs fell outside the member's working hours
/// (by the rule in the module docs, with each session's real local offset),
/// the share of such pairs, how many members found every session
/// inconvenient, and the typical and the worst local start times seen.
pub fn schedule_inconvenience(
    members: &[MemberAvailability],
    sessions: &[(DateTime<Utc>, u16)],
) -> Vec<RegionInconvenience> {
    let model = Model::new(members);
    let regions = model.regions.len();
    let mut inconvenient = vec![0u64; regions];
    let mut always = vec![0u64; regions];
    let mut starts: Vec<BTreeMap<i32, u64>> = vec![BTreeMap::new(); regions];
    // (badness, minute) of the worst inconvenient pair so far.
    let mut worst: Vec<Option<(i32, i32)>> = vec![None; regions];

    let locals: Vec<Vec<(i32, u8)>> =
        model.zones.iter().map(|&zone| sessions.iter().map(|(start, _)| local_clock(zone, *start)).collect()).collect();
    for group in &model.groups {
        let r = group.region;
        let weight = u64::from(group.count);
        let mut missed = 0usize;
        for ((_, duration), &(minute, weekday)) in sessions.iter().zip(&locals[group.zone]) {
            let fit = assess(group.hours, minute, weekday, i32::from(*duration).max(1));
            *starts[r].entry(minute).or_default() += weight;
            if !fit.convenient {
                missed += 1;
                inconvenient[r] += weight;
                let candidate = (fit.badness, minute);
                let replace = match worst[r] {
                    None => true,
                    Some((badness, old_minute)) => {
                        fit.badness > badness || (fit.badness == badness && minute < old_minute)
                    }
                };
                if replace {
                    worst[r] = Some(candidate);
                }
            }
        }
        if !sessions.is_empty() && missed == sessions.len() {
            always[r] += weight;
        }
    }

    model
        .regions
        .iter()
        .enumerate()
        .map(|(r, name)| {
            let members = u64::from(model.region_members[r]);
            let mut typical: Option<(i32, u64)> = None;
            for (&minute, &count) in &starts[r] {
                if typical.is_none_or(|(_, best)| count > best) {
                    typical = Some((minute, count));
                }
            }
            RegionInconvenience {
                region: name.clone(),
                members: members as usize,
                sessions: sessions.len(),
                inconvenient: inconvenient[r] as usize,
                inconvenient_share: ratio(inconvenient[r], members * sessions.len() as u64),
                always_inconvenient: always[r] as usize,
                typical_local_start: typical.map(|(minute, _)| clock_text(minute)),
                worst_local_start: worst[r].map(|(_, minute)| clock_text(minute)),
            }
        })
        .collect()
}

/// Groups an IANA zone into a broad region label ("Europe & Africa",
/// "Americas", "Asia-Pacific", "UTC/other") for members without a location.
///
/// By the zone's name: `Europe/*` and `Africa/*` (and the European Atlantic
/// and African Indian Ocean islands) are "Europe & Africa"; `America/*` and
/// the American legacy names (`US/*`, `Canada/*`, Hawaii, the Falklands) are
/// "Americas"; `Asia/*` (the Middle East included), `Australia/*`,
/// `Pacific/*` and the other `Indian/*` zones are "Asia-Pacific"; `UTC`,
/// `Etc/*`, Antarctica and the like are "UTC/other".
pub fn region_of_zone(zone: Tz) -> &'static str {
    const EUROPE_AFRICA: &str = "Europe & Africa";
    const AMERICAS: &str = "Americas";
    const ASIA_PACIFIC: &str = "Asia-Pacific";
    const OTHER: &str = "UTC/other";

    let name = zone.name();
    let (area, place) = name.split_once('/').unwrap_or((name, ""));
    match area {
        "Europe" | "Africa" => EUROPE_AFRICA,
        "America" | "US" | "Canada" | "Brazil" | "Mexico" | "Chile" => AMERICAS,
        "Asia" | "Australia" => ASIA_PACIFIC,
        "Indian" => match place {
            "Antananarivo" | "Comoro" | "Mayotte" | "Mauritius" | "Reunion" | "Mahe" => EUROPE_AFRICA,
            _ => ASIA_PACIFIC,
        },
        "Pacific" => match place {
            "Honolulu" | "Johnston" | "Galapagos" | "Easter" => AMERICAS,
            _ => ASIA_PACIFIC,
        },
        "Atlantic" => match place {
            "Bermuda" | "Stanley" | "South_Georgia" => AMERICAS,
            _ => EUROPE_AFRICA,
        },
        "Arctic" => EUROPE_AFRICA,
        "GB" | "GB-Eire" | "Eire" | "Portugal" | "Poland" | "Turkey" | "Iceland" | "Egypt" | "Libya" | "CET"
        | "EET" | "MET" | "WET" => EUROPE_AFRICA,
        "Cuba" | "Jamaica" | "Navajo" | "EST" | "MST" | "HST" | "EST5EDT" | "CST6CDT" | "MST7MDT" | "PST8PDT" => {
            AMERICAS
        }
        "Japan" | "Singapore" | "Hongkong" | "PRC" | "ROC" | "ROK" | "NZ" | "NZ-CHAT" | "Kwajalein" | "Iran"
        | "Israel" => ASIA_PACIFIC,
        _ => OTHER,
    }
}

// ---------------------------------------------------------------------------
// Time arithmetic

/// How a session sits against someone's working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    convenient: bool,
    /// Minutes the session would have to move to fit the hours (0 when the
    /// hours fit and only the day is wrong, or when convenient).
    badness: i32,
}

/// A session of `duration` minutes starting at local minute `start` on local
/// weekday `weekday` (0 = Monday), against `hours` (see the module docs).
fn assess(hours: WorkingHours, start: i32, weekday: u8, duration: i32) -> Fit {
    let open = i32::from(hours.start_minute).rem_euclid(DAY);
    let close = i32::from(hours.end_minute).rem_euclid(DAY);
    let length = match (close - open).rem_euclid(DAY) {
        0 => DAY,
        n => n,
    };
    // Minutes from the opening of the working day to the session's start.
    let offset = (start - open).rem_euclid(DAY);
    let badness = if length == DAY {
        (duration - DAY).max(0)
    } else {
        let last_fitting = length - duration;
        if last_fitting >= 0 {
            if offset <= last_fitting { 0 } else { (offset - last_fitting).min(DAY - offset) }
        } else {
            (duration - length) + offset.min(DAY - offset)
        }
    };
    if badness > 0 {
        return Fit { convenient: false, badness };
    }
    // The working day began `offset` minutes before the start: today, or
    // yesterday when that crosses local midnight.
    let day = if start >= offset { weekday } else { (weekday + 6) % 7 };
    Fit { convenient: day < 5, badness: 0 }
}

/// Local minute of day and weekday (0 = Monday) of `instant` in `zone`.
fn local_clock(zone: Tz, instant: DateTime<Utc>) -> (i32, u8) {
    let local = instant.with_timezone(&zone);
    ((local.hour() * 60 + local.minute()) as i32, local.weekday().num_days_from_monday() as u8)
}

fn clock_text(minute: i32) -> String {
    let minute = minute.rem_euclid(DAY);
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 { 0.0 } else { numerator as f64 / denominator as f64 }
}

fn bit(row: &[u64], index: usize) -> bool {
    row[index / 64] & (1 << (index % 64)) != 0
}

fn candidate_grid(options: &PlannerOptions) -> Vec<WeeklySlot> {
    let step = options.step_minutes.clamp(1, DAY as u16);
    let duration = options.duration_minutes.max(1);
    let mut weekdays: Vec<Weekday> = Vec::new();
    for &day in &options.weekdays {
        if !weekdays.contains(&day) {
            weekdays.push(day);
        }
    }
    let mut grid = Vec::new();
    for weekday in weekdays {
        let mut start = 0u16;
        while i32::from(start) < DAY {
            grid.push(WeeklySlot { weekday, start_minute_utc: start, duration_minutes: duration });
            start += step;
        }
    }
    grid
}

// ---------------------------------------------------------------------------
// Members as weighted groups

/// Members who share a zone, working hours and region.
#[derive(Debug)]
struct Group {
    /// Index into `Model::zones`.
    zone: usize,
    hours: WorkingHours,
    /// Index into `Model::regions`.
    region: usize,
    count: u32,
}

#[derive(Debug)]
struct Model {
    /// Region labels, sorted.
    regions: Vec<String>,
    region_members: Vec<u32>,
    zones: Vec<Tz>,
    groups: Vec<Group>,
    /// The group of each member, in input order.
    member_group: Vec<usize>,
}

/// A lexicographic score: the worst region's served share as a fraction,
/// then the number of members served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Score {
    worst_served: u64,
    worst_members: u64,
    covered: u64,
}

impl Score {
    fn cmp(&self, other: &Score) -> Ordering {
        (self.worst_served * other.worst_members)
            .cmp(&(other.worst_served * self.worst_members))
            .then(self.covered.cmp(&other.covered))
    }
}

fn region_label(member: &MemberAvailability) -> &str {
    let region = member.region.trim();
    if region.is_empty() { region_of_zone(member.zone) } else { region }
}

impl Model {
    fn new(members: &[MemberAvailability]) -> Self {
        let mut names: Vec<&str> = members.iter().map(region_label).collect();
        names.sort_unstable();
        names.dedup();
        let region_index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, &n)| (n, i)).collect();

        let mut zones: Vec<Tz> = Vec::new();
        let mut zone_index: HashMap<Tz, usize> = HashMap::new();
        let mut group_index: HashMap<(usize, u16, u16, usize), usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut region_members = vec![0u32; names.len()];
        let mut member_group = Vec::with_capacity(members.len());
        for member in members {
            let region = region_index[region_label(member)];
            region_members[region] += 1;
            let zone = *zone_index.entry(member.zone).or_insert_with(|| {
                zones.push(member.zone);
                zones.len() - 1
            });
            let hours = member.working_hours;
            let g = *group_index.entry((zone, hours.start_minute, hours.end_minute, region)).or_insert_with(|| {
                groups.push(Group { zone, hours, region, count: 0 });
                groups.len() - 1
            });
            groups[g].count += 1;
            member_group.push(g);
        }
        Self { regions: names.into_iter().map(str::to_owned).collect(), region_members, zones, groups, member_group }
    }

    /// Words in a bitset over groups.
    fn words(&self) -> usize {
        self.groups.len().div_ceil(64).max(1)
    }

    /// For each slot, a bitset of the groups it is convenient for, rows of
    /// `words()` words one after the other. One time-zone lookup per (zone,
    /// slot); the rest is arithmetic per (group, slot).
    fn slot_bits(&self, grid: &[WeeklySlot], reference_date: NaiveDate) -> Vec<u64> {
        let words = self.words();
        let mut bits = vec![0u64; grid.len() * words];
        let locals: Vec<Vec<(i32, u8)>> = self
            .zones
            .iter()
            .map(|&zone| grid.iter().map(|slot| local_clock(zone, slot.start_in_week_of(reference_date))).collect())
            .collect();
        for (g, group) in self.groups.iter().enumerate() {
            let zone_locals = &locals[group.zone];
            for (c, slot) in grid.iter().enumerate() {
                let (minute, weekday) = zone_locals[c];
                if assess(group.hours, minute, weekday, i32::from(slot.duration_minutes)).convenient {
                    bits[c * words + g / 64] |= 1 << (g % 64);
                }
            }
        }
        bits
    }

    /// Adds the members of the groups in `row` to `served` (per region);
    /// returns how many were added.
    fn add_groups(&self, row: &[u64], served: &mut [u32]) -> u64 {
        let mut added = 0u64;
        for (w, &word) in row.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let group = &self.groups[w * 64 + rest.trailing_zeros() as usize];
                rest &= rest - 1;
                served[group.region] += group.count;
                added += u64::from(group.count);
            }
        }
        added
    }

    fn score(&self, served: &[u32], covered: u64) -> Score {
        let mut worst = Score { worst_served: 1, worst_members: 1, covered };
        for (&s, &m) in served.iter().zip(&self.region_members) {
            let (s, m) = (u64::from(s), u64::from(m));
            if s * worst.worst_members < worst.worst_served * m {
                worst.worst_served = s;
                worst.worst_members = m;
            }
        }
        worst
    }
}

// ---------------------------------------------------------------------------
// The rotation search

/// Slots that serve exactly the same groups.
#[derive(Debug)]
struct Class {
    /// The atoms served.
    bits: Vec<u64>,
    /// Grid indices of the slots, in grid order.
    slots: Vec<usize>,
    region_counts: Vec<u32>,
    total: u64,
}

/// Groups of one region that every kept class serves all or none of: the
/// search's unit, weighted by the members in it.
#[derive(Debug)]
struct Atoms {
    region: Vec<usize>,
    count: Vec<u32>,
}

impl Atoms {
    fn words(&self) -> usize {
        self.count.len().div_ceil(64).max(1)
    }

    /// Adds the members of the atoms in `row` to `served` (per region);
    /// returns how many were added.
    fn add(&self, row: &[u64], served: &mut [u32]) -> u64 {
        let mut added = 0u64;
        for (w, &word) in row.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let atom = w * 64 + rest.trailing_zeros() as usize;
                rest &= rest - 1;
                served[self.region[atom]] += self.count[atom];
                added += u64::from(self.count[atom]);
            }
        }
        added
    }
}

/// Distinct, non-empty, non-dominated slot bitsets, most members first,
/// re-expressed over atoms.
fn slot_classes(model: &Model, bits: &[u64], slots: usize) -> (Vec<Class>, Atoms) {
    let words = model.words();
    let mut index: HashMap<&[u64], usize> = HashMap::new();
    let mut classes: Vec<Class> = Vec::new();
    for c in 0..slots {
        let row = &bits[c * words..(c + 1) * words];
        if row.iter().all(|&w| w == 0) {
            continue;
        }
        match index.get(row) {
            Some(&i) => classes[i].slots.push(c),
            None => {
                index.insert(row, classes.len());
                let mut region_counts = vec![0u32; model.regions.len()];
                let total = model.add_groups(row, &mut region_counts);
                classes.push(Class { bits: row.to_vec(), slots: vec![c], region_counts, total });
            }
        }
    }
    let subset = |a: &Class, b: &Class| a.bits.iter().zip(&b.bits).all(|(x, y)| x & !y == 0);
    let dominated: Vec<bool> = (0..classes.len())
        .map(|i| {
            let class = &classes[i];
            classes.iter().enumerate().any(|(j, other)| j != i && other.total >= class.total && subset(class, other))
        })
        .collect();
    let mut kept: Vec<Class> =
        classes.into_iter().zip(dominated).filter(|(_, dominated)| !dominated).map(|(class, _)| class).collect();
    kept.sort_by(|a, b| b.total.cmp(&a.total).then(a.slots[0].cmp(&b.slots[0])));

    // Atoms: groups of one region with the same pattern over the kept
    // classes. Groups no kept class serves are left out.
    let class_words = kept.len().div_ceil(64);
    let mut atom_index: HashMap<(usize, Vec<u64>), usize> = HashMap::new();
    let mut atoms = Atoms { region: Vec::new(), count: Vec::new() };
    let mut group_atom: Vec<Option<usize>> = vec![None; model.groups.len()];
    for (g, group) in model.groups.iter().enumerate() {
        let mut pattern = vec![0u64; class_words];
        for (k, class) in kept.iter().enumerate() {
            if bit(&class.bits, g) {
                pattern[k / 64] |= 1 << (k % 64);
            }
        }
        if pattern.iter().all(|&w| w == 0) {
            continue;
        }
        let atom = *atom_index.entry((group.region, pattern)).or_insert_with(|| {
            atoms.region.push(group.region);
            atoms.count.push(0);
            atoms.count.len() - 1
        });
        atoms.count[atom] += group.count;
        group_atom[g] = Some(atom);
    }
    let atom_words = atoms.words();
    for class in &mut kept {
        let mut row = vec![0u64; atom_words];
        for (g, atom) in group_atom.iter().enumerate() {
            if let Some(atom) = atom
                && bit(&class.bits, g)
            {
                row[atom / 64] |= 1 << (atom % 64);
            }
        }
        class.bits = row;
    }
    (kept, atoms)
}

struct Search<'a> {
    model: &'a Model,
    classes: &'a [Class],
    atoms: &'a Atoms,
    max_slots: usize,
    words: usize,
    regions: usize,
    /// `bounds[(row * (max_slots + 1) + j) * (regions + 1) + r]`: the sum of
    /// the `j` largest counts for region `r` (`r == regions`: in total) over
    /// classes from `row` on.
    bounds: Vec<u64>,
    /// Whether `bounds` has a row per position (else one row for all).
    bounds_per_row: bool,
    total_members: u64,
    best: Score,
    best_set: Vec<usize>,
    evaluations: usize,
    /// The most subsets `dfs` evaluates.
    budget: usize,
    complete: bool,
    chosen: Vec<usize>,
    /// Union and per-region served counts at each depth.
    unions: Vec<u64>,
    served: Vec<u32>,
    covered: Vec<u64>,
}

impl<'a> Search<'a> {
    fn new(model: &'a Model, classes: &'a [Class], atoms: &'a Atoms, max_slots: usize) -> Self {
        let words = atoms.words();
        let regions = model.regions.len();
        let per_row = (classes.len() + 1) * (max_slots + 1) * (regions + 1) <= BOUND_TABLE_LIMIT;
        let rows = if per_row { classes.len() + 1 } else { 1 };
        let width = (max_slots + 1) * (regions + 1);
        let mut bounds = vec![0u64; rows * width];
        // Largest counts so far per region (and total), descending.
        let mut top: Vec<Vec<u64>> = vec![Vec::with_capacity(max_slots + 1); regions + 1];
        for i in (0..classes.len()).rev() {
            let class = &classes[i];
            for (r, list) in top.iter_mut().enumerate() {
                let value = if r == regions { class.total } else { u64::from(class.region_counts[r]) };
                let at = list.partition_point(|&v| v >= value);
                if at < max_slots {
                    list.insert(at, value);
                    list.truncate(max_slots);
                }
            }
            if per_row || i == 0 {
                let row = if per_row { i } else { 0 };
                for (r, list) in top.iter().enumerate() {
                    let mut sum = 0;
                    for j in 0..=max_slots {
                        bounds[(row * (max_slots + 1) + j) * (regions + 1) + r] = sum;
                        sum += list.get(j).copied().unwrap_or(0);
                    }
                }
            }
        }
        Self {
            model,
            classes,
            atoms,
            max_slots,
            words,
            regions,
            bounds,
            bounds_per_row: per_row,
            total_members: model.member_group.len() as u64,
            best: Score { worst_served: 0, worst_members: 1, covered: 0 },
            best_set: Vec::new(),
            evaluations: 0,
            budget: SEARCH_BUDGET,
            complete: true,
            chosen: Vec::with_capacity(max_slots),
            unions: vec![0; (max_slots + 1) * words],
            served: vec![0; (max_slots + 1) * regions],
            covered: vec![0; max_slots + 1],
        }
    }

    /// The chosen class indices and whether they are proven optimal.
    fn run(mut self) -> (Vec<usize>, bool) {
        let (set, score) = self.local_search();
        self.best = score;
        self.best_set = set;
        self.dfs(0, 0);
        (self.best_set, self.complete)
    }

    fn better(a: Score, a_size: usize, b: Score, b_size: usize) -> bool {
        match a.cmp(&b) {
            Ordering::Greater => true,
            Ordering::Equal => a_size < b_size,
            Ordering::Less => false,
        }
    }

    fn evaluate(&self, set: &[usize]) -> Score {
        let mut union = vec![0u64; self.words];
        for &i in set {
            for (u, b) in union.iter_mut().zip(&self.classes[i].bits) {
                *u |= b;
            }
        }
        let mut served = vec![0u32; self.regions];
        let covered = self.atoms.add(&union, &mut served);
        self.model.score(&served, covered)
    }

    /// Greedy additions and single swaps while they strictly improve the
    /// score, then removal of slots that do not contribute.
    fn local_search(&mut self) -> (Vec<usize>, Score) {
        let mut set: Vec<usize> = Vec::new();
        let mut score = self.evaluate(&set);
        let mut rounds = 0;
        loop {
            rounds += 1;
            let mut improved = false;
            if set.len() < self.max_slots {
                let mut best_add: Option<(usize, Score)> = None;
                for c in 0..self.classes.len() {
                    if set.contains(&c) {
                        continue;
                    }
                    set.push(c);
                    let s = self.evaluate(&set);
                    set.pop();
                    if best_add.is_none_or(|(_, b)| s.cmp(&b) == Ordering::Greater) {
                        best_add = Some((c, s));
                    }
                }
                if let Some((c, s)) = best_add
                    && s.cmp(&score) == Ordering::Greater
                {
                    set.push(c);
                    score = s;
                    continue;
                }
            }
            for pos in 0..set.len() {
                for c in 0..self.classes.len() {
                    if set.contains(&c) {
                        continue;
                    }
                    let old = set[pos];
                    set[pos] = c;
                    let s = self.evaluate(&set);
                    if s.cmp(&score) == Ordering::Greater {
                        score = s;
                        improved = true;
                    } else {
                        set[pos] = old;
                    }
                }
            }
            if !improved || rounds > 64 {
                break;
            }
        }
        let mut pos = 0;
        while pos < set.len() {
            let removed = set.remove(pos);
            if self.evaluate(&set).cmp(&score) == Ordering::Less {
                set.insert(pos, removed);
                pos += 1;
            }
        }
        set.sort_unstable();
        (set, score)
    }

    /// Visits every subset extending `chosen` (of size `depth`) with classes
    /// from `start` on, within the budget.
    fn dfs(&mut self, start: usize, depth: usize) {
        let (words, regions) = (self.words, self.regions);
        // A full-size set beats the best only with a strictly better score,
        // so every region needs at least `needed[r]` members served.
        let leaves = depth + 1 == self.max_slots;
        let needed: Vec<u64> = if leaves {
            self.model
                .region_members
                .iter()
                .map(|&m| (self.best.worst_served * u64::from(m)).div_ceil(self.best.worst_members))
                .collect()
        } else {
            Vec::new()
        };
        for i in start..self.classes.len() {
            if self.evaluations >= self.budget {
                self.complete = false;
                return;
            }
            let class = &self.classes[i];
            if leaves {
                let served = &self.served[depth * regions..(depth + 1) * regions];
                let short = served
                    .iter()
                    .zip(&class.region_counts)
                    .zip(&needed)
                    .any(|((&s, &c), &n)| u64::from(s) + u64::from(c) < n);
                if short {
                    continue;
                }
            }
            let (lower, upper) = self.unions.split_at_mut((depth + 1) * words);
            let current = &lower[depth * words..];
            let next = &mut upper[..words];
            let mut adds = false;
            for ((n, &c), &b) in next.iter_mut().zip(current).zip(&class.bits) {
                adds |= b & !c != 0;
                *n = c | b;
            }
            if !adds {
                continue;
            }
            let (lower_served, upper_served) = self.served.split_at_mut((depth + 1) * regions);
            let next_served = &mut upper_served[..regions];
            next_served.copy_from_slice(&lower_served[depth * regions..]);
            let mut covered = self.covered[depth];
            for (w, (&c, &b)) in current.iter().zip(&class.bits).enumerate() {
                let mut rest = b & !c;
                while rest != 0 {
                    let atom = w * 64 + rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    next_served[self.atoms.region[atom]] += self.atoms.count[atom];
                    covered += u64::from(self.atoms.count[atom]);
                }
            }
            self.covered[depth + 1] = covered;
            self.evaluations += 1;
            let size = depth + 1;
            let score = self.model.score(next_served, covered);
            self.chosen.push(i);
            if Self::better(score, size, self.best, self.best_set.len()) {
                self.best = score;
                self.best_set.clone_from(&self.chosen);
            }
            if size < self.max_slots && i + 1 < self.classes.len() && !self.prune(i + 1, size) {
                self.dfs(i + 1, size);
            }
            self.chosen.pop();
            if !self.complete {
                return;
            }
        }
    }

    /// Whether no extension of the current set (of `size` classes, state at
    /// depth `size`) with classes from `from` on can beat the best. First a
    /// cheap bound (the largest counts per region, overlaps ignored), then,
    /// with two or more slots to add, one from the gains of each class over
    /// the current set. With one slot to add, the children are evaluated
    /// anyway, which is the exact bound.
    fn prune(&self, from: usize, size: usize) -> bool {
        let remaining = self.max_slots - size;
        let row = if self.bounds_per_row { from } else { 0 };
        let base = (row * (self.max_slots + 1) + remaining) * (self.regions + 1);
        if self.beyond_reach(size, |r| self.bounds[base + r]) {
            return true;
        }
        if remaining < MARGINAL_MIN {
            return false;
        }
        let regions = self.regions;
        let union = &self.unions[size * self.words..(size + 1) * self.words];
        // Per region (and in total) the `remaining` largest gains, descending.
        let mut top = vec![0u64; (regions + 1) * remaining];
        let mut gains = vec![0u64; regions + 1];
        for class in &self.classes[from..] {
            gains.fill(0);
            for (w, (&u, &b)) in union.iter().zip(&class.bits).enumerate() {
                let mut rest = b & !u;
                while rest != 0 {
                    let atom = w * 64 + rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let count = u64::from(self.atoms.count[atom]);
                    gains[self.atoms.region[atom]] += count;
                    gains[regions] += count;
                }
            }
            for (r, &gain) in gains.iter().enumerate() {
                let list = &mut top[r * remaining..(r + 1) * remaining];
                if gain > list[remaining - 1] {
                    let at = list.partition_point(|&v| v >= gain);
                    list.copy_within(at..remaining - 1, at + 1);
                    list[at] = gain;
                }
            }
        }
        self.beyond_reach(size, |r| top[r * remaining..(r + 1) * remaining].iter().sum())
    }

    /// Whether adding at most `extra(r)` members to each region `r` (and
    /// `extra(regions)` in total) to the set at depth `size` cannot beat the
    /// best with more than `size` slots.
    fn beyond_reach(&self, size: usize, extra: impl Fn(usize) -> u64) -> bool {
        let served = &self.served[size * self.regions..(size + 1) * self.regions];
        let mut bound = Score { worst_served: 1, worst_members: 1, covered: 0 };
        for (r, (&s, &m)) in served.iter().zip(&self.model.region_members).enumerate() {
            let m = u64::from(m);
            let s = (u64::from(s) + extra(r)).min(m);
            if s * bound.worst_members < bound.worst_served * m {
                bound.worst_served = s;
                bound.worst_members = m;
            }
        }
        bound.covered = (self.covered[size] + extra(self.regions)).min(self.total_members);
        match bound.cmp(&self.best) {
            Ordering::Less => true,
            // Extensions have more slots than `size`; an equal score wins
            // only with fewer slots than the best.
            Ordering::Equal => size + 1 >= self.best_set.len(),
            Ordering::Greater => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, zone: Tz, start: &str, end: &str) -> MemberAvailability {
        MemberAvailability {
            person: PersonId(id),
            zone,
            working_hours: WorkingHours::parse(start, end).unwrap(),
            region: String::new(),
        }
    }

    fn in_region(mut m: MemberAvailability, region: &str) -> MemberAvailability {
        m.region = region.to_owned();
        m
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(weekday: Weekday, hh: u16, mm: u16) -> WeeklySlot {
        WeeklySlot { weekday, start_minute_utc: hh * 60 + mm, duration_minutes: 60 }
    }

    fn who(coverage: &[SlotCoverage], slot: WeeklySlot) -> Vec<i64> {
        coverage.iter().find(|c| c.slot == slot).unwrap().convenient.iter().map(|p| p.0).collect()
    }

    fn three_cities() -> Vec<MemberAvailability> {
        vec![
            member(1, Tz::Europe__Berlin, "09:00", "17:00"),
            member(2, Tz::America__New_York, "09:00", "17:00"),
            member(3, Tz::Australia__Sydney, "09:00", "17:00"),
        ]
    }

    #[test]
    fn slots_suit_whom_in_january() {
        // January: Berlin UTC+1, New York UTC-5, Sydney UTC+11.
        let options = PlannerOptions::for_week(date(2026, 1, 14));
        let slots = candidate_slots(&three_cities(), &options);
        assert_eq!(slots.len(), 4 * 48);
        assert_eq!(who(&slots, at(Weekday::Tue, 8, 0)), [1]); // Berlin 09:00
        assert_eq!(who(&slots, at(Weekday::Tue, 7, 0)), [0; 0]); // Berlin 08:00, Sydney 18:00
        assert_eq!(who(&slots, at(Weekday::Tue, 14, 0)), [1, 2]); // Berlin 15:00, New York 09:00
        assert_eq!(who(&slots, at(Weekday::Tue, 15, 0)), [1, 2]); // Berlin 16:00-17:00
        assert_eq!(who(&slots, at(Weekday::Tue, 15, 30)), [2]); // Berlin would end 17:30
        assert_eq!(who(&slots, at(Weekday::Tue, 21, 0)), [2]); // New York 16:00, Sydney Wed 08:00
        assert_eq!(who(&slots, at(Weekday::Tue, 22, 0)), [3]); // Sydney Wed 09:00
        assert_eq!(who(&slots, at(Weekday::Tue, 5, 0)), [3]); // Sydney 16:00
        assert_eq!(who(&slots, at(Weekday::Tue, 6, 0)), [0; 0]); // Sydney 17:00
        let tuesday_14 = slots.iter().find(|c| c.slot == at(Weekday::Tue, 14, 0)).unwrap();
        let regions: Vec<(&str, usize, usize)> =
            tuesday_14.per_region.iter().map(|r| (r.region.as_str(), r.convenient, r.members)).collect();
        assert_eq!(regions, [("Americas", 1, 1), ("Asia-Pacific", 0, 1), ("Europe & Africa", 1, 1)]);
        assert!((tuesday_14.share() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn slots_suit_whom_in_july() {
        // July: Berlin UTC+2, New York UTC-4, Sydney UTC+10.
        let options = PlannerOptions::for_week(date(2026, 7, 15));
        let slots = candidate_slots(&three_cities(), &options);
        assert_eq!(who(&slots, at(Weekday::Tue, 7, 0)), [1]); // Berlin 09:00
        assert_eq!(who(&slots, at(Weekday::Tue, 6, 0)), [3]); // Sydney 16:00
        assert_eq!(who(&slots, at(Weekday::Tue, 15, 0)), [2]); // Berlin would end 18:00
        assert_eq!(who(&slots, at(Weekday::Tue, 13, 0)), [1, 2]); // Berlin 15:00, New York 09:00
        assert_eq!(who(&slots, at(Weekday::Tue, 22, 0)), [0; 0]); // Sydney Wed 08:00
        assert_eq!(who(&slots, at(Weekday::Tue, 23, 0)), [3]); // Sydney Wed 09:00
    }

    #[test]
    fn the_local_day_must_be_a_working_day() {
        // Los Angeles in January is UTC-8. Monday 00:00 UTC is Sunday 16:00.
        let members = [member(1, Tz::America__Los_Angeles, "14:00", "22:00")];
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.weekdays = vec![Weekday::Mon, Weekday::Tue, Weekday::Sat];
        let slots = candidate_slots(&members, &options);
        assert_eq!(who(&slots, at(Weekday::Mon, 0, 0)), [0; 0]);
        assert_eq!(who(&slots, at(Weekday::Tue, 0, 0)), [1]); // Monday 16:00
        assert_eq!(who(&slots, at(Weekday::Sat, 0, 0)), [1]); // Friday 16:00
        assert_eq!(who(&slots, at(Weekday::Sat, 23, 0)), [0; 0]); // Saturday 15:00
    }

    #[test]
    fn working_hours_wrapping_midnight() {
        // UTC+0, hours 22:00-06:00.
        let members = [member(1, Tz::UTC, "22:00", "06:00"), member(2, Tz::UTC, "09:00", "17:00")];
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.weekdays = vec![Weekday::Mon, Weekday::Tue, Weekday::Fri, Weekday::Sat];
        let slots = candidate_slots(&members, &options);
        assert_eq!(who(&slots, at(Weekday::Tue, 23, 30)), [1]); // 23:30-00:30 inside the shift
        assert_eq!(who(&slots, at(Weekday::Tue, 22, 0)), [1]);
        assert_eq!(who(&slots, at(Weekday::Tue, 21, 30)), [0; 0]); // starts before the shift
        assert_eq!(who(&slots, at(Weekday::Tue, 5, 0)), [1]); // 05:00-06:00
        assert_eq!(who(&slots, at(Weekday::Tue, 5, 30)), [0; 0]); // ends 06:30
        assert_eq!(who(&slots, at(Weekday::Tue, 16, 0)), [2]);
        assert_eq!(who(&slots, at(Weekday::Tue, 16, 30)), [0; 0]); // ends 17:30
        // The shift's day is the day it starts: Saturday 02:00 is Friday's shift,
        // Monday 02:00 is Sunday's.
        assert_eq!(who(&slots, at(Weekday::Sat, 2, 0)), [1]);
        assert_eq!(who(&slots, at(Weekday::Mon, 2, 0)), [0; 0]);
        assert_eq!(who(&slots, at(Weekday::Sat, 23, 0)), [0; 0]);
    }

    #[test]
    fn assess_edges() {
        let nine_to_five = WorkingHours { start_minute: 540, end_minute: 1020 };
        assert!(assess(nine_to_five, 540, 0, 60).convenient);
        assert!(assess(nine_to_five, 960, 0, 60).convenient);
        assert_eq!(assess(nine_to_five, 990, 0, 60), Fit { convenient: false, badness: 30 });
        assert_eq!(assess(nine_to_five, 360, 0, 60), Fit { convenient: false, badness: 180 });
        assert_eq!(assess(nine_to_five, 23 * 60 + 30, 0, 60), Fit { convenient: false, badness: 450 });
        // Crossing local midnight never fits day hours.
        assert!(!assess(nine_to_five, 23 * 60 + 30, 2, 60).convenient);
        assert_eq!(assess(nine_to_five, 600, 5, 60), Fit { convenient: false, badness: 0 });
        // Start equal to end: the whole day.
        let always = WorkingHours { start_minute: 0, end_minute: 0 };
        assert!(assess(always, 23 * 60 + 30, 1, 60).convenient);
        // Longer than the working day.
        assert!(!assess(nine_to_five, 540, 0, 9 * 60).convenient);
    }

    /// Europe: 4 members 09:00-17:00 and 4 early birds 07:00-15:00 in Berlin;
    /// APAC: 2 members 09:00-17:00 in Tokyo (UTC+9). In January, 08:00-13:00
    /// UTC serves all of Europe (80%) and nobody in APAC; 06:00-07:00 UTC
    /// serves the early birds and Tokyo (60%, worst region 50%).
    fn unfair_community() -> Vec<MemberAvailability> {
        let mut members = Vec::new();
        for id in 1..=4 {
            members.push(in_region(member(id, Tz::Europe__Berlin, "09:00", "17:00"), "Europe"));
        }
        for id in 5..=8 {
            members.push(in_region(member(id, Tz::Europe__Berlin, "07:00", "15:00"), "Europe"));
        }
        for id in 9..=10 {
            members.push(in_region(member(id, Tz::Asia__Tokyo, "09:00", "17:00"), "APAC"));
        }
        members
    }

    #[test]
    fn one_slot_prefers_fairness_over_coverage() {
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.max_slots = 1;
        let proposal = propose_rotation(&unfair_community(), &options);
        assert_eq!(proposal.slots, [at(Weekday::Mon, 6, 0)]);
        assert!(proposal.exact);
        assert!((proposal.coverage - 0.6).abs() < 1e-9);
        assert!((proposal.worst_region_share - 0.5).abs() < 1e-9);
        let regions: Vec<(&str, usize, usize)> =
            proposal.per_region.iter().map(|r| (r.region.as_str(), r.members, r.served)).collect();
        assert_eq!(regions, [("APAC", 2, 2), ("Europe", 8, 4)]);
        // The 80% slot exists but leaves APAC out.
        let best_coverage =
            candidate_slots(&unfair_community(), &options).iter().map(|c| c.convenient.len()).max().unwrap();
        assert_eq!(best_coverage, 8);
    }

    #[test]
    fn two_slots_serve_everyone() {
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.max_slots = 2;
        let proposal = propose_rotation(&unfair_community(), &options);
        assert_eq!(proposal.slots.len(), 2);
        assert_eq!(proposal.coverage, 1.0);
        assert_eq!(proposal.worst_region_share, 1.0);
        // Four slots allowed, two still suffice: fewer slots win.
        options.max_slots = 4;
        let proposal = propose_rotation(&unfair_community(), &options);
        assert_eq!(proposal.slots.len(), 2);
        assert_eq!(proposal.coverage, 1.0);
        // Spread over the week: the second slot goes to another weekday.
        assert_ne!(proposal.slots[0].weekday, proposal.slots[1].weekday);
    }

    #[test]
    fn max_slots_one_versus_four() {
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.max_slots = 1;
        let one = propose_rotation(&three_cities(), &options);
        // No slot suits all three: the worst region gets 0 whatever we do, so
        // coverage decides: Berlin and New York at 14:00 UTC.
        assert_eq!(one.slots, [at(Weekday::Mon, 14, 0)]);
        assert_eq!(one.worst_region_share, 0.0);
        assert!((one.coverage - 2.0 / 3.0).abs() < 1e-9);

        options.max_slots = 4;
        let four = propose_rotation(&three_cities(), &options);
        assert!(four.exact);
        assert_eq!(four.slots.len(), 2);
        assert_eq!(four.coverage, 1.0);
        assert_eq!(four.worst_region_share, 1.0);
        let coverage = candidate_slots(&three_cities(), &options);
        let mut served: Vec<i64> = four.slots.iter().flat_map(|&s| who(&coverage, s)).collect();
        served.sort_unstable();
        assert_eq!(served, [1, 2, 3]);
        // Each member finds one of the two rotating sessions convenient.
        for region in &four.per_region {
            assert_eq!(region.session_share, 0.5, "{}", region.region);
        }
    }

    #[test]
    fn nobody_convenient_proposes_nothing() {
        let members = [member(1, Tz::UTC, "09:00", "17:00")];
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.weekdays = vec![Weekday::Sat, Weekday::Sun];
        let proposal = propose_rotation(&members, &options);
        assert!(proposal.slots.is_empty());
        assert_eq!(proposal.coverage, 0.0);
        assert_eq!(proposal.worst_region_share, 0.0);
        let empty = propose_rotation(&[], &PlannerOptions::for_week(date(2026, 1, 14)));
        assert!(empty.slots.is_empty() && empty.per_region.is_empty());
    }

    #[test]
    fn search_matches_brute_force() {
        // 36 members across the globe with assorted hours, a quarter of them
        // in a "Remote" region of their own; compare with an exhaustive
        // search over all subsets of grid slots.
        let zones = [
            Tz::America__Los_Angeles,
            Tz::America__Sao_Paulo,
            Tz::Europe__London,
            Tz::Asia__Kolkata,
            Tz::Asia__Singapore,
            Tz::Pacific__Auckland,
        ];
        let hours = [("08:00", "16:00"), ("10:00", "18:30"), ("07:00", "12:00")];
        let mut members = Vec::new();
        let mut id = 0;
        for (z, zone) in zones.iter().enumerate() {
            for (h, (start, end)) in hours.iter().enumerate() {
                for _ in 0..=(z + h) % 3 {
                    id += 1;
                    let m = member(id, *zone, start, end);
                    members.push(if id % 4 == 0 { in_region(m, "Remote") } else { m });
                }
            }
        }
        assert!(members.len() <= 64);
        let mut options = PlannerOptions::for_week(date(2026, 3, 25));
        options.step_minutes = 60;
        options.weekdays = vec![Weekday::Mon, Weekday::Wed];
        let coverage = candidate_slots(&members, &options);
        let mask_of = |people: &[PersonId]| people.iter().fold(0u64, |mask, p| mask | 1 << (p.0 - 1));
        let masks: Vec<u64> = coverage.iter().map(|c| mask_of(&c.convenient)).collect();
        let mut regions: Vec<&str> = members.iter().map(region_label).collect();
        regions.sort_unstable();
        regions.dedup();
        assert_eq!(regions.len(), 4);
        let region_masks: Vec<u64> = regions
            .iter()
            .map(|&r| members.iter().filter(|m| region_label(m) == r).fold(0, |mask, m| mask | 1 << (m.person.0 - 1)))
            .collect();
        // (worst share, members served) of a union.
        let key = |union: u64| {
            let worst = region_masks
                .iter()
                .map(|&rm| f64::from((union & rm).count_ones()) / f64::from(rm.count_ones()))
                .fold(f64::INFINITY, f64::min);
            (worst, union.count_ones())
        };
        for max_slots in 1..=4 {
            options.max_slots = max_slots;
            let proposal = propose_rotation(&members, &options);
            assert!(proposal.exact);
            // Brute force over all subsets: (worst share, coverage, fewer slots).
            let mut best = (0.0f64, 0u32, 0usize);
            let mut stack: Vec<(usize, u64, usize)> = vec![(0, 0, 0)];
            while let Some((from, union, size)) = stack.pop() {
                if size > 0 {
                    let (worst, served) = key(union);
                    if worst > best.0 + 1e-12
                        || ((worst - best.0).abs() < 1e-12 && (served > best.1 || (served == best.1 && size < best.2)))
                    {
                        best = (worst, served, size);
                    }
                }
                if size < max_slots {
                    for (i, &mask) in masks.iter().enumerate().skip(from) {
                        stack.push((i + 1, union | mask, size + 1));
                    }
                }
            }
            assert!((proposal.worst_region_share - best.0).abs() < 1e-9, "max {max_slots}");
            assert_eq!((proposal.coverage * members.len() as f64).round() as u32, best.1, "max {max_slots}");
            assert_eq!(proposal.slots.len(), best.2, "max {max_slots}");
            // The slots proposed really achieve it.
            let union = proposal
                .slots
                .iter()
                .map(|s| masks[coverage.iter().position(|c| c.slot == *s).unwrap()])
                .fold(0, |a, b| a | b);
            let (worst, served) = key(union);
            assert!((worst - best.0).abs() < 1e-12 && served == best.1, "max {max_slots}");
        }
    }

    #[test]
    fn a_search_cut_short_says_so_and_keeps_the_local_optimum() {
        let members = three_cities();
        let mut options = PlannerOptions::for_week(date(2026, 1, 14));
        options.max_slots = 3;
        let model = Model::new(&members);
        let grid = candidate_grid(&options);
        let bits = model.slot_bits(&grid, options.reference_date);
        let (classes, atoms) = slot_classes(&model, &bits, grid.len());
        let exact = Search::new(&model, &classes, &atoms, 3).run();
        assert!(exact.1);
        let mut cut = Search::new(&model, &classes, &atoms, 3);
        cut.budget = 1;
        let (set, complete) = cut.run();
        assert!(!complete);
        let check = Search::new(&model, &classes, &atoms, 3);
        assert_eq!(check.evaluate(&set).cmp(&check.evaluate(&exact.0)), Ordering::Equal);
    }

    #[test]
    fn schedule_at_seven_in_berlin_burdens_apac() {
        let members = vec![
            member(1, Tz::Europe__Berlin, "07:00", "15:00"),
            member(2, Tz::Europe__Berlin, "07:00", "15:00"),
            member(3, Tz::Australia__Sydney, "09:00", "17:00"),
            member(4, Tz::America__New_York, "09:00", "17:00"),
        ];
        // Eight Tuesdays at 07:00 Berlin (06:00 UTC in winter).
        let first = Utc.with_ymd_and_hms(2026, 1, 6, 6, 0, 0).unwrap();
        let sessions: Vec<(DateTime<Utc>, u16)> = (0..8).map(|w| (first + Duration::weeks(w), 60)).collect();
        let report = schedule_inconvenience(&members, &sessions);
        let rows: Vec<(&str, usize, usize, f64, usize)> = report
            .iter()
            .map(|r| (r.region.as_str(), r.members, r.inconvenient, r.inconvenient_share, r.always_inconvenient))
            .collect();
        assert_eq!(
            rows,
            [("Americas", 1, 8, 1.0, 1), ("Asia-Pacific", 1, 8, 1.0, 1), ("Europe & Africa", 2, 0, 0.0, 0)]
        );
        let apac = &report[1];
        assert_eq!(apac.sessions, 8);
        assert_eq!(apac.typical_local_start.as_deref(), Some("17:00"));
        assert_eq!(apac.worst_local_start.as_deref(), Some("17:00"));
        assert_eq!(report[0].worst_local_start.as_deref(), Some("01:00"));
        assert_eq!(report[2].typical_local_start.as_deref(), Some("07:00"));
        assert_eq!(report[2].worst_local_start, None);
    }

    #[test]
    fn schedule_follows_daylight_saving() {
        // 06:00 UTC on Tuesdays across Europe's switch (29 March 2026): 07:00
        // Berlin before, 08:00 after. Hours 08:00-16:00.
        let members = [member(1, Tz::Europe__Berlin, "08:00", "16:00")];
        let first = Utc.with_ymd_and_hms(2026, 3, 17, 6, 0, 0).unwrap();
        let sessions: Vec<(DateTime<Utc>, u16)> = (0..5).map(|w| (first + Duration::weeks(w), 60)).collect();
        let report = schedule_inconvenience(&members, &sessions);
        assert_eq!(report[0].inconvenient, 2);
        assert!((report[0].inconvenient_share - 0.4).abs() < 1e-9);
        assert_eq!(report[0].always_inconvenient, 0);
        assert_eq!(report[0].typical_local_start.as_deref(), Some("08:00"));
        assert_eq!(report[0].worst_local_start.as_deref(), Some("07:00"));
        let none = schedule_inconvenience(&members, &[]);
        assert_eq!(none[0].inconvenient_share, 0.0);
        assert_eq!(none[0].typical_local_start, None);
    }

    #[test]
    fn regions_of_zones() {
        assert_eq!(region_of_zone(Tz::Europe__Berlin), "Europe & Africa");
        assert_eq!(region_of_zone(Tz::Africa__Lagos), "Europe & Africa");
        assert_eq!(region_of_zone(Tz::Atlantic__Reykjavik), "Europe & Africa");
        assert_eq!(region_of_zone(Tz::America__Sao_Paulo), "Americas");
        assert_eq!(region_of_zone(Tz::US__Pacific), "Americas");
        assert_eq!(region_of_zone(Tz::Pacific__Honolulu), "Americas");
        assert_eq!(region_of_zone(Tz::Asia__Kolkata), "Asia-Pacific");
        assert_eq!(region_of_zone(Tz::Australia__Sydney), "Asia-Pacific");
        assert_eq!(region_of_zone(Tz::Pacific__Auckland), "Asia-Pacific");
        assert_eq!(region_of_zone(Tz::Indian__Mauritius), "Europe & Africa");
        assert_eq!(region_of_zone(Tz::Indian__Maldives), "Asia-Pacific");
        assert_eq!(region_of_zone(Tz::UTC), "UTC/other");
        assert_eq!(region_of_zone(Tz::Etc__GMTPlus5), "UTC/other");
        assert_eq!(region_of_zone(Tz::Antarctica__Troll), "UTC/other");
    }

    #[test]
    fn slot_labels_and_weeks() {
        let slot = at(Weekday::Tue, 14, 30);
        assert_eq!(slot.label(), "Tue 14:30 UTC");
        // The week of Sunday 18 January 2026 starts on Monday 12 January.
        assert_eq!(slot.start_in_week_of(date(2026, 1, 18)), Utc.with_ymd_and_hms(2026, 1, 13, 14, 30, 0).unwrap());
        assert_eq!(slot.local_start(Tz::Asia__Tokyo, date(2026, 1, 12)).format("%a %H:%M").to_string(), "Tue 23:30");
    }
}
