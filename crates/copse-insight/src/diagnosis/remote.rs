//! Remote participation barriers: in-person bias, time-zone conflicts.
//!
//! Each session's start is converted into every member's zone; a region
//! (the zone's area: "Europe", "America", "Asia", "Australia", ...) is
//! disadvantaged when at least 75 % of its member-sessions start outside
//! 08:00-19:00 local time. Members without a zone are "Unknown", not a region.

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;
use copse_domain::Challenge;

use super::common::{Window, f, hhmm, local_minute, members, pct, plural, sessions_in};
use super::low_participation::capitalize;
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::{CommunityInput, Occurrence};
use crate::measure::Measure;

const DAY_START: i64 = 8 * 60;
const DAY_END: i64 = 19 * 60;
const OUTSIDE_SHARE: f64 = 0.75;
const IN_PERSON_SHARE: f64 = 0.75;

/// The region of an IANA zone: its area ("Europe/Berlin" -> "Europe").
pub(crate) fn region_of(zone: &str) -> String {
    zone.split('/').next().unwrap_or(zone).to_string()
}

struct Member {
    id: i64,
    joined_at: i64,
    zone: Option<Tz>,
}

#[derive(Default, Clone, Copy)]
struct RegionStats {
    /// Member-sessions: each session times the region's members at the time.
    slots: i64,
    outside: i64,
    attended: i64,
}

pub(super) fn detect(input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    let gap_threshold = thresholds.get("remote_barriers.gap");
    let window = Window::quarter(input.now);
    let sessions = sessions_in(input, window);
    let members: Vec<Member> = members(input)
        .into_iter()
        .map(|(id, joined_at)| Member {
            id,
            joined_at,
            zone: input.person(id).and_then(|p| p.time_zone.as_deref()).and_then(|z| z.trim().parse::<Tz>().ok()),
        })
        .collect();
    let regions: BTreeSet<String> = members.iter().filter_map(|m| m.zone).map(|z| region_of(z.name())).collect();
    let locations: BTreeSet<String> = members
        .iter()
        .filter_map(|m| input.person(m.id))
        .map(|p| p.location.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if sessions.len() < 3 {
        return Finding::not_enough(
            Challenge::RemoteBarriers,
            format!("only {} in the last 90 days (at least 3 are needed)", plural(sessions.len() as i64, "session")),
            gap_threshold,
        );
    }
    if regions.len() < 2 && locations.len() < 2 {
        let reason = match regions.first() {
            Some(region) => format!("every member with a time zone is in one region ({region}) and one location"),
            None => "no member has a time zone or a location set".to_string(),
        };
        return Finding::not_enough(Challenge::RemoteBarriers, reason, gap_threshold);
    }

    // Per region: member-sessions, those outside the day, attendances.
    let mut stats: BTreeMap<String, RegionStats> = BTreeMap::new();
    for session in &sessions {
        let attended: BTreeSet<i64> = session.attended.iter().copied().collect();
        for member in members.iter().filter(|m| m.joined_at <= session.start) {
            let Some(zone) = member.zone else { continue };
            let entry = stats.entry(region_of(zone.name())).or_default();
            entry.slots += 1;
            if local_minute(session.start, zone).is_some_and(|m| !(DAY_START..DAY_END).contains(&m)) {
                entry.outside += 1;
            }
            if attended.contains(&member.id) {
                entry.attended += 1;
            }
        }
    }
    let rate = |s: &RegionStats| Measure::ratio(f(s.attended), f(s.slots), "no member-sessions");
    let disadvantaged: Vec<&String> = stats
        .iter()
        .filter(|(_, s)| s.slots > 0 && f(s.outside) / f(s.slots) >= OUTSIDE_SHARE)
        .map(|(region, _)| region)
        .collect();
    let mut others = RegionStats::default();
    for (region, s) in &stats {
        if !disadvantaged.contains(&region) {
            others.slots += s.slots;
            others.attended += s.attended;
        }
    }
    // The disadvantaged region furthest below the others.
    let worst: Option<(&String, f64, f64)> = disadvantaged
        .iter()
        .filter_map(|region| {
            let own = rate(&stats[*region]).value()?;
            let rest = rate(&others).value()?;
            Some((*region, own, rest))
        })
        .max_by(|a, b| (a.2 - a.1).total_cmp(&(b.2 - b.1)).then_with(|| b.0.cmp(a.0)));
    let gap = match worst {
        Some((_, own, rest)) => Measure::of(rest - own),
        None if regions.len() >= 2 => Measure::Value(0.0),
        None => Measure::missing("members with a time zone are all in one region"),
    };
    let time_detected = gap.value().is_some_and(|g| worst.is_some() && g >= gap_threshold);
    let in_person = sessions.iter().filter(|s| s.format.trim().eq_ignore_ascii_case("in-person")).count();
    let in_person_detected = f(in_person) / f(sessions.len()) >= IN_PERSON_SHARE && locations.len() >= 2;
    let detected = time_detected || in_person_detected;

    // The organizer's most common slot, and what it is for the worst region.
    let mut slots: BTreeMap<(&str, i64), Vec<&Occurrence>> = BTreeMap::new();
    for session in &sessions {
        slots.entry((session.time_zone.as_str(), session.local_start_minute)).or_default().push(session);
    }
    let Some(((organizer_zone, organizer_minute), slot_sessions)) =
        slots.iter().max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
    else {
        return Finding::not_enough(Challenge::RemoteBarriers, "no sessions in the last 90 days", gap_threshold);
    };
    let slot_text = format!(
        "{} {} this quarter {} at {} {organizer_zone}",
        if slot_sessions.len() == sessions.len() { "all".to_string() } else { format!("{} of", slot_sessions.len()) },
        plural(sessions.len() as i64, "session"),
        if sessions.len() == 1 { "was" } else { "were" },
        hhmm(*organizer_minute)
    );
    let worst_local = worst.and_then(|(region, _, _)| {
        let mut zones: BTreeMap<&str, i64> = BTreeMap::new();
        for member in &members {
            if let Some(zone) = member.zone.filter(|z| &region_of(z.name()) == region) {
                *zones.entry(zone.name()).or_default() += 1;
            }
        }
        let zone: Tz = zones.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?.0.parse().ok()?;
        local_minute(slot_sessions.last()?.start, zone)
    });

    let mut parts = Vec::new();
    match worst {
        Some((region, own, rest)) if time_detected || !detected => parts.push(format!(
            "{slot_text}, {} for {region} members, whose attendance rate is {} vs {}",
            worst_local.map(hhmm).unwrap_or_else(|| "outside working hours".into()),
            pct(own),
            pct(rest)
        )),
        None if !detected => {
            parts.push(format!("{slot_text}; no region has most sessions outside 08:00-19:00 local time"))
        }
        _ => {}
    }
    if in_person_detected {
        parts.push(format!(
            "{in_person} of {} this quarter were in person while members are in {} ({})",
            plural(sessions.len() as i64, "session"),
            plural(locations.len() as i64, "location"),
            locations.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if parts.is_empty() {
        parts.push(slot_text.clone());
    }
    let symptom = capitalize(&parts.join("; ")) + ".";

    let mut evidence: Vec<String> = stats
        .iter()
        .map(|(region, s)| {
            format!(
                "{region}: attendance rate {} ({} of {} member-sessions); {} of member-sessions outside 08:00-19:00",
                rate(s).value().map(pct).unwrap_or_else(|| "-".into()),
                s.attended,
                s.slots,
                if s.slots > 0 { pct(f(s.outside) / f(s.slots)) } else { "-".into() }
            )
        })
        .collect();
    let unknown = members.iter().filter(|m| m.zone.is_none()).count();
    if unknown > 0 {
        evidence.push(format!(
            "Unknown: {} without a time zone (not counted as a region)",
            plural(unknown as i64, "member")
        ));
    }
    evidence.push(format!(
        "Gap: {}; threshold {} points",
        gap.value().map(|g| format!("{} points", (g * 100.0).round() as i64)).unwrap_or_else(|| "-".into()),
        (gap_threshold * 100.0).round() as i64
    ));
    evidence.push(format!(
        "In person: {in_person} of {} sessions; {}",
        sessions.len(),
        plural(locations.len() as i64, "location")
    ));
    let chart = EvidenceChart {
        title: "Attendance rate by region (90 days)".into(),
        style: "bars",
        points: stats
            .iter()
            .filter_map(|(region, s)| rate(s).value().map(|r| (region.clone(), (r * 1000.0).round() / 10.0)))
            .collect(),
        unit: "%",
    };

    let mut next_steps = Vec::new();
    if detected {
        let region = worst.map(|(r, _, _)| r.clone());
        next_steps.push(NextStep::new(
            match &region {
                Some(region) => format!(
                    "Rotate meeting times: alternate {} {organizer_zone} with a slot inside working hours for {region} \
                     members (the meeting-time planner finds one)",
                    hhmm(*organizer_minute)
                ),
                None => "Rotate meeting times with the meeting-time planner so no location is always favoured".into(),
            },
            Some(StepLink::MeetingPlanner),
        ));
        let not_recorded = sessions.iter().filter(|s| !s.recorded).count();
        if not_recorded > 0 {
            next_steps.push(NextStep::new(
                format!(
                    "Record sessions: {not_recorded} of {} this quarter {} not recorded",
                    plural(sessions.len() as i64, "session"),
                    if not_recorded == 1 { "was" } else { "were" }
                ),
                None,
            ));
        }
        next_steps.push(NextStep::new(
            match &region {
                Some(region) => format!(
                    "Emphasize asynchronous options: open a thread before each session for questions from {region} \
                     members and post the summary after"
                ),
                None => "Emphasize asynchronous options: a thread before and a summary after each session".into(),
            },
            Some(StepLink::NewThread),
        ));
        if in_person_detected {
            next_steps.push(NextStep::new(
                format!("Make sessions hybrid: {in_person} of {} were in person only", sessions.len()),
                Some(StepLink::NewEvent),
            ));
        }
    }

    Finding {
        challenge: Challenge::RemoteBarriers,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure: gap,
        threshold: gap_threshold,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}
