//! Facilitation rota: who facilitates the next sessions, and who has
//! facilitated how often.
//!
//! The tutorial asks communities to rotate facilitation so leadership does
//! not rest on one person (a bus factor of one). [`assign_rota`] hands the
//! upcoming occurrences to volunteers in turn, least recent first;
//! [`facilitation_summary`] counts the last twelve months for the health
//! metrics (facilitator rotation, concentration on the top facilitator).

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, TimeZone, Utc};
use copse_domain::PersonId;

/// Someone who volunteered to facilitate sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volunteer {
    /// Who.
    pub person: PersonId,
    /// When they last facilitated, if ever.
    pub last_facilitated: Option<DateTime<Utc>>,
    /// How many sessions they facilitated in the last 12 months.
    pub count_12_months: u32,
    /// Dates on which they cannot facilitate, in the calendar of the
    /// occurrences' time zone.
    pub unavailable: Vec<NaiveDate>,
}

/// Assigns facilitators to upcoming occurrences in turn, fairly: each next
/// occurrence (in time order) goes to the volunteer who facilitated least
/// recently (never first, then oldest last-facilitation date), skipping people
/// marked unavailable on the occurrence's date; ties are broken by fewest
/// facilitations in the last 12 months, then by `PersonId`. Each assignment
/// counts as a facilitation for the next ones. Deterministic.
///
/// The occurrences' time zone decides their dates for `unavailable`: pass
/// `DateTime<Utc>` for UTC dates or, better, the occurrences in the
/// organizer's zone. The result lists the occurrences in the order given,
/// each with its facilitator, or `None` when no volunteer is available.
/// A person listed twice counts once (the first entry).
pub fn assign_rota<Z: TimeZone>(
    volunteers: &[Volunteer],
    occurrences: &[DateTime<Z>],
) -> Vec<(DateTime<Z>, Option<PersonId>)> {
    let mut pool: Vec<Volunteer> = Vec::with_capacity(volunteers.len());
    for volunteer in volunteers {
        if !pool.iter().any(|v| v.person == volunteer.person) {
            pool.push(volunteer.clone());
        }
    }
    let mut order: Vec<usize> = (0..occurrences.len()).collect();
    order.sort_by_key(|&i| (occurrences[i].with_timezone(&Utc), i));

    let mut assigned: Vec<Option<PersonId>> = vec![None; occurrences.len()];
    for i in order {
        let occurrence = &occurrences[i];
        let day = occurrence.date_naive();
        let pick = pool
            .iter_mut()
            .filter(|v| !v.unavailable.contains(&day))
            .min_by_key(|v| (v.last_facilitated.is_some(), v.last_facilitated, v.count_12_months, v.person));
        if let Some(volunteer) = pick {
            volunteer.last_facilitated = Some(occurrence.with_timezone(&Utc));
            volunteer.count_12_months += 1;
            assigned[i] = Some(volunteer.person);
        }
    }
    occurrences.iter().cloned().zip(assigned).collect()
}

/// Who facilitated how often in a twelve-month window.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilitationSummary {
    /// Start of the window (exclusive): `now` minus 12 calendar months.
    pub since: DateTime<Utc>,
    /// Facilitations per person, most first, ties by `PersonId`.
    pub counts: Vec<(PersonId, u32)>,
    /// How many different people facilitated.
    pub distinct: usize,
    /// Share (0 to 1) of all facilitations by the top facilitator; 0 when
    /// nobody facilitated.
    pub top_share: f64,
    /// Facilitations in the window.
    pub total: u32,
}

/// Facilitation counts in the 12 months before `now` (after `now` minus 12
/// calendar months, up to and including `now`), most first, and the
/// concentration share of the top facilitator. `history` holds one entry per
/// facilitated session, in any order.
pub fn facilitation_summary(history: &[(PersonId, DateTime<Utc>)], now: DateTime<Utc>) -> FacilitationSummary {
    let since = now.checked_sub_months(Months::new(12)).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let mut per_person: HashMap<PersonId, u32> = HashMap::new();
    for (person, when) in history {
        if *when > since && *when <= now {
            *per_person.entry(*person).or_default() += 1;
        }
    }
    let mut counts: Vec<(PersonId, u32)> = per_person.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: u32 = counts.iter().map(|(_, n)| n).sum();
    let top = counts.first().map_or(0, |(_, n)| *n);
    FacilitationSummary {
        since,
        distinct: counts.len(),
        top_share: if total == 0 { 0.0 } else { f64::from(top) / f64::from(total) },
        total,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn volunteer(id: i64, last: Option<DateTime<Utc>>, count: u32) -> Volunteer {
        Volunteer { person: PersonId(id), last_facilitated: last, count_12_months: count, unavailable: Vec::new() }
    }

    fn weekly(n: i64) -> Vec<DateTime<Utc>> {
        (0..n).map(|w| utc(2026, 2, 3, 15) + Duration::weeks(w)).collect()
    }

    fn people(rota: &[(DateTime<Utc>, Option<PersonId>)]) -> Vec<Option<i64>> {
        rota.iter().map(|(_, p)| p.map(|p| p.0)).collect()
    }

    #[test]
    fn rotates_least_recent_first() {
        let volunteers = [
            volunteer(1, None, 0),
            volunteer(2, Some(utc(2026, 1, 20, 15)), 3),
            volunteer(3, Some(utc(2026, 1, 6, 15)), 5),
        ];
        let rota = assign_rota(&volunteers, &weekly(5));
        // Never first, then the oldest last date, then around again.
        assert_eq!(people(&rota), [Some(1), Some(3), Some(2), Some(1), Some(3)]);
        assert_eq!(rota[0].0, utc(2026, 2, 3, 15));
    }

    #[test]
    fn ties_go_to_fewest_then_lowest_id() {
        let volunteers = [volunteer(7, None, 2), volunteer(4, None, 2), volunteer(9, None, 1)];
        let rota = assign_rota(&volunteers, &weekly(4));
        assert_eq!(people(&rota), [Some(9), Some(4), Some(7), Some(9)]);
    }

    #[test]
    fn skips_unavailable_people() {
        let mut first = volunteer(1, None, 0);
        first.unavailable = vec![NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()];
        let volunteers = [first, volunteer(2, Some(utc(2026, 1, 20, 15)), 0)];
        let rota = assign_rota(&volunteers, &weekly(3));
        assert_eq!(people(&rota), [Some(2), Some(1), Some(2)]);

        // Nobody available that day: no facilitator, the others go on.
        let mut only = volunteer(1, None, 0);
        only.unavailable = vec![NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()];
        let rota = assign_rota(&[only], &weekly(3));
        assert_eq!(people(&rota), [Some(1), None, Some(1)]);
    }

    #[test]
    fn unavailability_uses_the_occurrences_zone() {
        // 23:30 UTC on 2 February is 00:30 on 3 February in Berlin.
        let late = utc(2026, 2, 2, 23) + Duration::minutes(30);
        let mut away = volunteer(1, None, 0);
        away.unavailable = vec![NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()];
        let volunteers = [away, volunteer(2, Some(utc(2026, 1, 1, 9)), 0)];
        let in_utc = assign_rota(&volunteers, &[late]);
        assert_eq!(people(&in_utc), [Some(1)]);
        let in_berlin = assign_rota(&volunteers, &[late.with_timezone(&chrono_tz::Europe::Berlin)]);
        assert_eq!(in_berlin[0].1, Some(PersonId(2)));
    }

    #[test]
    fn no_volunteers_means_no_facilitator() {
        let rota = assign_rota::<Utc>(&[], &weekly(2));
        assert_eq!(people(&rota), [None, None]);
        assert!(assign_rota::<Utc>(&[volunteer(1, None, 0)], &[]).is_empty());
    }

    #[test]
    fn assigns_in_time_order_and_answers_in_input_order() {
        let mut occurrences = weekly(3);
        occurrences.reverse();
        let rota = assign_rota(&[volunteer(1, None, 0), volunteer(2, None, 0)], &occurrences);
        // Earliest (last in input) goes to 1, the middle to 2, the latest to 1.
        assert_eq!(people(&rota), [Some(1), Some(2), Some(1)]);
        assert_eq!(rota[0].0, occurrences[0]);
    }

    #[test]
    fn duplicate_volunteers_count_once() {
        let rota = assign_rota(&[volunteer(1, None, 0), volunteer(1, None, 0), volunteer(2, None, 1)], &weekly(3));
        assert_eq!(people(&rota), [Some(1), Some(2), Some(1)]);
    }

    #[test]
    fn summary_counts_the_last_twelve_months() {
        let now = utc(2026, 6, 15, 12);
        let year_ago = utc(2025, 6, 15, 12);
        let history = [
            (PersonId(1), year_ago),                        // on the boundary: out
            (PersonId(1), year_ago + Duration::seconds(1)), // just inside
            (PersonId(1), utc(2026, 1, 10, 9)),
            (PersonId(2), utc(2026, 3, 1, 9)),
            (PersonId(3), now),                        // now: in
            (PersonId(3), now + Duration::seconds(1)), // future: out
            (PersonId(4), utc(2024, 1, 1, 9)),         // long ago: out
        ];
        let summary = facilitation_summary(&history, now);
        assert_eq!(summary.since, year_ago);
        assert_eq!(summary.counts, [(PersonId(1), 2), (PersonId(2), 1), (PersonId(3), 1)]);
        assert_eq!(summary.distinct, 3);
        assert_eq!(summary.total, 4);
        assert!((summary.top_share - 0.5).abs() < 1e-9);
    }

    #[test]
    fn empty_summary() {
        let summary = facilitation_summary(&[], utc(2026, 6, 15, 12));
        assert!(summary.counts.is_empty());
        assert_eq!((summary.distinct, summary.total, summary.top_share), (0, 0, 0.0));
    }

    #[test]
    fn summary_window_is_calendar_months() {
        // 29 February 2028 minus 12 months is 28 February 2027.
        let now = utc(2028, 2, 29, 0);
        let summary = facilitation_summary(&[(PersonId(1), utc(2027, 2, 28, 1))], now);
        assert_eq!(summary.since, utc(2027, 2, 28, 0));
        assert_eq!(summary.total, 1);
    }
}
