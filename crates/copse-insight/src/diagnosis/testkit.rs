//! Builders for hand-made community inputs (tests only).

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

use crate::activity::{
    ArtifactCreated, CommunityInput, ContributionKind, DAY_MS, DailyCount, Membership, Occurrence, PersonInfo, Topic,
    day_of,
};

/// 2024-09-01 12:00 UTC: the last 90 days are northern summer (Berlin on
/// UTC+2, Sydney on UTC+10).
pub(crate) fn now() -> i64 {
    NaiveDate::from_ymd_opt(2024, 9, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap()
}

pub(crate) fn today() -> i64 {
    day_of(now())
}

/// `days` days before now.
pub(crate) fn ago(days: i64) -> i64 {
    now() - days * DAY_MS
}

pub(crate) fn base() -> CommunityInput {
    let mut input = CommunityInput::empty(1, now());
    input.name = "Rust Guild".into();
    input.created_at = ago(800);
    input
}

pub(crate) fn person(id: i64, name: &str, team: &str, zone: Option<&str>) -> PersonInfo {
    PersonInfo {
        id,
        handle: name.split_whitespace().next().unwrap_or("someone").to_lowercase(),
        name: name.into(),
        team: team.into(),
        location: String::new(),
        experience: "mid".into(),
        time_zone: zone.map(str::to_string),
        work_start_minute: 9 * 60,
        work_end_minute: 17 * 60,
    }
}

/// Adds a person and a membership that started long ago.
pub(crate) fn member(input: &mut CommunityInput, id: i64, name: &str, team: &str, zone: Option<&str>) {
    input.people.push(person(id, name, team, zone));
    input.memberships.push(Membership { person: id, joined_at: ago(700), active: true, facilitator: false });
}

/// `n` members "Member 1".. with ids from `first`, all in `team`.
pub(crate) fn members(input: &mut CommunityInput, first: i64, n: i64, team: &str) {
    for id in first..first + n {
        member(input, id, &format!("Member {id}"), team, None);
    }
}

pub(crate) fn daily(day: i64, person: i64, kind: ContributionKind, count: i64) -> DailyCount {
    DailyCount { day, person, kind, count }
}

/// A remote session starting at `start` (UTC ms), organized in UTC.
pub(crate) fn session(start: i64, facilitator: Option<i64>, attended: &[i64]) -> Occurrence {
    Occurrence {
        event: 1,
        title: "Guild meeting".into(),
        start,
        time_zone: "UTC".into(),
        local_start_minute: start.rem_euclid(DAY_MS) / 60_000,
        format: "remote".into(),
        facilitator,
        going: attended.to_vec(),
        attended: attended.to_vec(),
        recorded: false,
    }
}

/// A session at `hour`:00 local time in `zone`, `days` days before now.
pub(crate) fn local_session(zone: &str, days: i64, hour: u32, attended: &[i64]) -> Occurrence {
    let tz: Tz = zone.parse().unwrap();
    let (year, month, day) = crate::metrics::civil_from_days(today() - days);
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month, day).unwrap();
    let local = date.and_hms_opt(hour, 0, 0).unwrap();
    let start = tz.from_local_datetime(&local).single().unwrap().timestamp_millis();
    Occurrence { time_zone: zone.into(), local_start_minute: i64::from(hour) * 60, ..session(start, None, attended) }
}

pub(crate) fn thread(id: i64, days: i64, title: &str, tags: &[&str]) -> Topic {
    Topic {
        at: ago(days),
        source: "thread",
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

pub(crate) fn artifact(id: i64, days: i64) -> ArtifactCreated {
    ArtifactCreated { artifact: id, at: ago(days), author: None, published: true }
}
