//! Planning a community's sessions: the meeting-time planner (which weekly
//! slots suit which members, a fair rotation, and how the current schedule
//! treats each region) and the facilitation rota (volunteers, the proposed
//! facilitators of the next sessions, confirmed assignments, and who
//! facilitated how often in the last twelve months).
//!
//! The algorithms live in `copse_insight::{planner, rota}`; this module loads
//! their inputs (one query for the members' availability; the community's
//! occurrences through [`App::community_occurrences`]) and shapes the
//! results. Nothing is cached: the planner takes a few milliseconds for
//! thousands of members and runs on a blocking thread.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use copse_domain::recurrence::local_to_utc;
use copse_domain::{
    Action, CommunityAccess, CommunityId, PersonId, TimeZone, Timestamp, WorkingHours, can, parse_local_key,
};
/// The planner's results, as pages and the API show them.
pub use copse_insight::planner::{MAX_ROTATION_SLOTS, RegionInconvenience, RegionShare, RotationProposal, WeeklySlot};
use copse_insight::planner::{
    MemberAvailability, PlannerOptions, candidate_slots, propose_rotation, region_of_zone, schedule_inconvenience,
};
use copse_insight::rota::{Volunteer, assign_rota, facilitation_summary};
use copse_store::{CommunityForViewerRow, FacilitationAssignment, FacilitationRow};

use crate::communities::{access_of, community_view};
use crate::{App, AppError, CommunityView, OccurrenceView, PersonRef, Viewer};

/// How many slots the planner proposes when not asked otherwise.
pub const DEFAULT_ROTATION_SLOTS: usize = 2;
/// The current schedule is judged on the occurrences this many days back and
/// this many days ahead.
pub const SCHEDULE_WINDOW_DAYS: i64 = 90;
/// How many upcoming occurrences the rota proposes facilitators for.
pub const ROTA_OCCURRENCES: usize = 8;
/// A region is called out in a headline from this inconvenient share on.
pub const HEADLINE_SHARE: f64 = 0.75;
/// How far ahead the rota looks for its upcoming occurrences.
const ROTA_HORIZON_DAYS: i64 = 400;

/// Parses the planner's `slots` choice: empty means
/// [`DEFAULT_ROTATION_SLOTS`]; otherwise a whole number from 1 to
/// [`MAX_ROTATION_SLOTS`].
pub fn parse_rotation_slots(text: &str) -> Result<usize, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_ROTATION_SLOTS);
    }
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_ROTATION_SLOTS).contains(&n) => Ok(n),
        _ => Err(AppError::invalid(
            "slots",
            format!("choose how many weekly slots to rotate through: a whole number from 1 to {MAX_ROTATION_SLOTS}"),
        )),
    }
}

/// One candidate slot and how many members it suits.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotShare {
    pub slot: WeeklySlot,
    /// Members for whom the whole session lies in their working hours.
    pub convenient: usize,
    pub members: usize,
}

impl SlotShare {
    /// `convenient / members`, 0 without members.
    pub fn share(&self) -> f64 {
        if self.members == 0 { 0.0 } else { self.convenient as f64 / self.members as f64 }
    }
}

/// How the community's current schedule treats each region.
#[derive(Debug, Clone)]
pub struct ScheduleReport {
    /// The window judged: [`SCHEDULE_WINDOW_DAYS`] back and ahead of now.
    pub from: Timestamp,
    pub to: Timestamp,
    /// Sessions (not cancelled) in the window, before and after now.
    pub past_sessions: usize,
    pub upcoming_sessions: usize,
    /// Per region, sorted by label.
    pub regions: Vec<RegionInconvenience>,
    /// Plain-words call-outs of regions whose inconvenient share is at least
    /// [`HEADLINE_SHARE`], worst first.
    pub headlines: Vec<String>,
}

impl ScheduleReport {
    pub fn sessions(&self) -> usize {
        self.past_sessions + self.upcoming_sessions
    }
}

/// Everything the meeting-time planner shows, for one viewer.
#[derive(Debug, Clone)]
pub struct PlannerPage {
    pub community: CommunityView,
    /// Active members considered.
    pub members: usize,
    /// How many slots the rotation could have (1 to [`MAX_ROTATION_SLOTS`]).
    pub max_slots: usize,
    /// Offsets (daylight saving) are those of the week containing this date.
    pub reference_date: NaiveDate,
    /// Session length assumed, in minutes.
    pub duration_minutes: u16,
    /// Candidate grid step, in minutes.
    pub step_minutes: u16,
    /// The UTC weekdays searched, in order.
    pub weekdays: Vec<Weekday>,
    pub proposal: RotationProposal,
    /// Every candidate slot: weekdays in order, then start times from 00:00 UTC.
    pub candidates: Vec<SlotShare>,
    pub schedule: ScheduleReport,
}

/// Someone on the rota.
#[derive(Debug, Clone)]
pub struct RotaVolunteer {
    pub person: PersonRef,
    pub volunteered_at: Timestamp,
    /// Their latest facilitated session that has begun, if any.
    pub last_facilitated: Option<Timestamp>,
    /// Sessions facilitated in the last 12 months.
    pub count_12_months: u32,
}

/// One occurrence on the rota, with its confirmed or proposed facilitator.
#[derive(Debug, Clone)]
pub struct RotaOccurrence {
    pub occurrence: OccurrenceView,
    /// Recorded in `occurrence_details` by a facilitator.
    pub confirmed: Option<PersonRef>,
    /// The rota's suggestion (upcoming occurrences without a confirmed
    /// facilitator only); `None` when nobody volunteered.
    pub proposed: Option<PersonRef>,
}

/// One person's facilitations in the window.
#[derive(Debug, Clone)]
pub struct FacilitationCount {
    pub person: PersonRef,
    pub count: u32,
    /// Share of all facilitations in the window.
    pub share: f64,
}

/// Who facilitated how often in the last 12 months.
#[derive(Debug, Clone)]
pub struct FacilitationReport {
    /// Start of the window (exclusive) and its end (now, inclusive).
    pub since: Timestamp,
    pub until: Timestamp,
    /// Most first.
    pub counts: Vec<FacilitationCount>,
    pub distinct: usize,
    pub total: u32,
    /// The top facilitator's share of all facilitations; 0 without any.
    pub top_share: f64,
}

/// Everything the rota page shows, for one viewer.
#[derive(Debug, Clone)]
pub struct RotaPage {
    pub community: CommunityView,
    /// Volunteers who are active members, by name.
    pub volunteers: Vec<RotaVolunteer>,
    /// The next [`ROTA_OCCURRENCES`] occurrences that are not cancelled.
    pub upcoming: Vec<RotaOccurrence>,
    /// Occurrences of the last [`SCHEDULE_WINDOW_DAYS`] days (at most
    /// [`ROTA_OCCURRENCES`], latest first), to record who facilitated.
    pub recent: Vec<RotaOccurrence>,
    pub summary: FacilitationReport,
    pub is_volunteer: bool,
    /// Active members may volunteer and withdraw.
    pub can_volunteer: bool,
    /// Facilitators (and admins) confirm assignments.
    pub can_assign: bool,
}

/// A confirmed assignment.
#[derive(Debug, Clone)]
pub struct FacilitationConfirmed {
    pub event_id: i64,
    pub key: String,
    pub person: PersonRef,
}

/// When a recorded facilitation took place: the moved start if the
/// occurrence was moved, else its original start, in the series' zone.
fn facilitation_start(row: &FacilitationRow) -> Option<DateTime<Utc>> {
    let zone = TimeZone::parse(&row.time_zone).unwrap_or_else(|_| TimeZone::utc());
    let local = parse_local_key(row.moved_start_local.as_deref().unwrap_or(&row.original_start_local)).ok()?;
    Some(local_to_utc(zone.0, local))
}

fn person_ref(id: i64, handle: &str, name: &str, team: &str) -> PersonRef {
    PersonRef { id: PersonId(id), handle: handle.to_string(), name: name.to_string(), team: team.to_string() }
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

fn region_of(member: &MemberAvailability) -> &str {
    let region = member.region.trim();
    if region.is_empty() { region_of_zone(member.zone) } else { region }
}

/// The planner's work, off the async threads.
fn plan(
    members: &[MemberAvailability],
    options: &PlannerOptions,
    past: &[(DateTime<Utc>, u16)],
    upcoming: &[(DateTime<Utc>, u16)],
) -> (RotationProposal, Vec<SlotShare>, Vec<RegionInconvenience>, Vec<String>) {
    let proposal = propose_rotation(members, options);
    let candidates = candidate_slots(members, options)
        .into_iter()
        .map(|c| SlotShare {
            slot: c.slot,
            convenient: c.convenient.len(),
            members: c.per_region.iter().map(|r| r.members).sum(),
        })
        .collect();
    let all: Vec<(DateTime<Utc>, u16)> = past.iter().chain(upcoming).copied().collect();
    let regions = schedule_inconvenience(members, &all);
    let headlines = headlines(members, &regions, past);
    (proposal, candidates, regions, headlines)
}

/// "The last 8 sessions were all at 17:00 for Asia-Pacific members, outside
/// their working hours." for every region at or above [`HEADLINE_SHARE`].
fn headlines(
    members: &[MemberAvailability],
    overall: &[RegionInconvenience],
    past: &[(DateTime<Utc>, u16)],
) -> Vec<String> {
    let mut burdened: Vec<&RegionInconvenience> =
        overall.iter().filter(|r| r.sessions > 0 && r.members > 0 && r.inconvenient_share >= HEADLINE_SHARE).collect();
    burdened.sort_by(|a, b| {
        b.inconvenient_share
            .total_cmp(&a.inconvenient_share)
            .then(b.members.cmp(&a.members))
            .then(a.region.cmp(&b.region))
    });
    if burdened.is_empty() {
        return Vec::new();
    }
    let past_report = if past.is_empty() { Vec::new() } else { schedule_inconvenience(members, past) };
    burdened
        .into_iter()
        .map(|region| {
            let in_past = past_report.iter().find(|r| r.region == region.region);
            match in_past {
                Some(p) if p.inconvenient_share >= HEADLINE_SHARE => {
                    // The local start times this region's members saw.
                    let zones: BTreeSet<&str> =
                        members.iter().filter(|m| region_of(m) == region.region).map(|m| m.zone.name()).collect();
                    let times: BTreeSet<String> = zones
                        .iter()
                        .filter_map(|name| TimeZone::parse(name).ok())
                        .flat_map(|zone| {
                            past.iter().map(move |(start, _)| start.with_timezone(&zone.0).format("%H:%M").to_string())
                        })
                        .collect();
                    let n = past.len();
                    let sessions = if n == 1 { "The last session was".to_string() } else { format!("The last {n} sessions were") };
                    let outside = if p.inconvenient_share >= 1.0 {
                        "outside their working hours".to_string()
                    } else {
                        format!("outside working hours for {} of them", percent(p.inconvenient_share))
                    };
                    match (times.len(), times.iter().next()) {
                        (1, Some(time)) => {
                            let all = if n == 1 { "" } else { "all " };
                            format!("{sessions} {all}at {time} for {} members, {outside}.", p.region)
                        }
                        _ => format!(
                            "{sessions} mostly at {} for {} members, {outside}.",
                            p.typical_local_start.as_deref().unwrap_or("varying times"),
                            p.region
                        ),
                    }
                }
                _ => format!(
                    "{} of the sessions in the last and next {SCHEDULE_WINDOW_DAYS} days fall outside working hours for {} members, typically at {} their time.",
                    percent(region.inconvenient_share),
                    region.region,
                    region.typical_local_start.as_deref().unwrap_or("varying times"),
                ),
            }
        })
        .collect()
}

impl App {
    /// A community the viewer may see, with their access, or `NotFound`.
    async fn planning_community(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> Result<(CommunityForViewerRow, CommunityAccess), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        Ok((row, access))
    }

    /// The meeting-time planner: a rotation of up to `max_slots` weekly slots
    /// (clamped to 1..=[`MAX_ROTATION_SLOTS`]; see [`parse_rotation_slots`]),
    /// every Monday-to-Thursday candidate slot with the share of members it
    /// suits, and how the current schedule (the last and next
    /// [`SCHEDULE_WINDOW_DAYS`] days) treats each region. Members are
    /// grouped by their location, or by the region of their time zone when
    /// they gave none.
    pub async fn meeting_planner(
        &self,
        viewer: &Viewer,
        slug: &str,
        max_slots: usize,
    ) -> Result<PlannerPage, AppError> {
        let (row, _) = self.planning_community(viewer, slug).await?;
        let community = community_view(&row.community);
        let members: Vec<MemberAvailability> = self
            .store()
            .list_member_availability(community.id)
            .await?
            .into_iter()
            .map(|m| MemberAvailability {
                person: PersonId(m.person_id),
                zone: TimeZone::parse(&m.time_zone).unwrap_or_else(|_| TimeZone::utc()).0,
                working_hours: WorkingHours::from_minutes(m.work_start_minute, m.work_end_minute),
                region: m.location.trim().to_string(),
            })
            .collect();
        let now = Utc::now();
        let from = now - Duration::days(SCHEDULE_WINDOW_DAYS);
        let to = now + Duration::days(SCHEDULE_WINDOW_DAYS);
        let occurrences = self.community_occurrences(viewer, &community.slug, from, to).await?;
        let session = |o: &OccurrenceView| {
            let minutes = ((o.end.millis() - o.start.millis()) / 60_000).clamp(1, i64::from(u16::MAX)) as u16;
            (o.start.to_utc(), minutes)
        };
        let (past, upcoming): (Vec<_>, Vec<_>) =
            occurrences.iter().filter(|o| !o.cancelled).map(session).partition(|(start, _)| *start < now);

        let mut options = PlannerOptions::for_week(now.date_naive());
        options.max_slots = max_slots.clamp(1, MAX_ROTATION_SLOTS);
        let member_count = members.len();
        let (past_sessions, upcoming_sessions) = (past.len(), upcoming.len());
        let search = options.clone();
        let (proposal, candidates, regions, headlines) =
            tokio::task::spawn_blocking(move || plan(&members, &search, &past, &upcoming))
                .await
                .map_err(|e| AppError::Internal(format!("planner thread failed: {e}")))?;
        Ok(PlannerPage {
            community,
            members: member_count,
            max_slots: options.max_slots,
            reference_date: options.reference_date,
            duration_minutes: options.duration_minutes,
            step_minutes: options.step_minutes,
            weekdays: options.weekdays,
            proposal,
            candidates,
            schedule: ScheduleReport {
                from: Timestamp::from(from),
                to: Timestamp::from(to),
                past_sessions,
                upcoming_sessions,
                regions,
                headlines,
            },
        })
    }

    /// The facilitation rota: volunteers, the next [`ROTA_OCCURRENCES`]
    /// occurrences with their confirmed or proposed facilitator (proposed by
    /// [`assign_rota`]: least recently facilitated first, confirmed
    /// assignments counting as facilitations in time order), recent
    /// occurrences, and the last 12 months' facilitation counts.
    pub async fn rota_page(&self, viewer: &Viewer, slug: &str) -> Result<RotaPage, AppError> {
        let (row, access) = self.planning_community(viewer, slug).await?;
        let community = community_view(&row.community);
        let volunteer_rows = self.store().list_facilitation_volunteers(community.id).await?;
        let facilitations = self.store().list_facilitations(community.id).await?;
        let now = Utc::now();
        let occurrences = self
            .community_occurrences(
                viewer,
                &community.slug,
                now - Duration::days(SCHEDULE_WINDOW_DAYS),
                now + Duration::days(ROTA_HORIZON_DAYS),
            )
            .await?;

        let mut people: HashMap<i64, PersonRef> = HashMap::new();
        let mut confirmed: HashMap<(i64, &str), i64> = HashMap::new();
        let mut history: Vec<(PersonId, DateTime<Utc>)> = Vec::new();
        for f in &facilitations {
            people.entry(f.person_id).or_insert_with(|| person_ref(f.person_id, &f.handle, &f.name, &f.team));
            if f.cancelled != 0 {
                continue;
            }
            confirmed.insert((f.event_id, f.original_start_local.as_str()), f.person_id);
            if let Some(start) = facilitation_start(f)
                && start <= now
            {
                history.push((PersonId(f.person_id), start));
            }
        }
        for v in &volunteer_rows {
            people.entry(v.person_id).or_insert_with(|| person_ref(v.person_id, &v.handle, &v.name, &v.team));
        }
        let summary = facilitation_summary(&history, now);
        let count_of = |person: PersonId| summary.counts.iter().find(|(p, _)| *p == person).map_or(0, |(_, n)| *n);
        let last_of = |person: PersonId| history.iter().filter(|(p, _)| *p == person).map(|(_, at)| *at).max();

        let volunteers: Vec<RotaVolunteer> = volunteer_rows
            .iter()
            .map(|v| {
                let id = PersonId(v.person_id);
                RotaVolunteer {
                    person: person_ref(v.person_id, &v.handle, &v.name, &v.team),
                    volunteered_at: Timestamp(v.volunteered_at),
                    last_facilitated: last_of(id).map(Timestamp::from),
                    count_12_months: count_of(id),
                }
            })
            .collect();

        // Upcoming: confirmed ones stay; the others go to volunteers in turn,
        // each assignment (confirmed or proposed) counting for the next.
        let mut pool: Vec<Volunteer> = volunteers
            .iter()
            .map(|v| Volunteer {
                person: v.person.id,
                last_facilitated: v.last_facilitated.map(Timestamp::to_utc),
                count_12_months: v.count_12_months,
                unavailable: Vec::new(),
            })
            .collect();
        let lookup = |id: i64| people.get(&id).cloned();
        let mut upcoming = Vec::new();
        for o in occurrences.iter().filter(|o| !o.cancelled && o.start.to_utc() >= now).take(ROTA_OCCURRENCES) {
            let start = o.start.to_utc();
            let confirmed_id = confirmed.get(&(o.event.id, o.key.as_str())).copied();
            let proposed_id = match confirmed_id {
                Some(_) => None,
                None => assign_rota(&pool, &[start]).first().and_then(|(_, p)| *p).map(|p| p.0),
            };
            if let Some(taken) = confirmed_id.or(proposed_id)
                && let Some(volunteer) = pool.iter_mut().find(|v| v.person.0 == taken)
            {
                volunteer.last_facilitated = Some(start);
                volunteer.count_12_months += 1;
            }
            upcoming.push(RotaOccurrence {
                occurrence: o.clone(),
                confirmed: confirmed_id.and_then(lookup),
                proposed: proposed_id.and_then(lookup),
            });
        }
        let recent: Vec<RotaOccurrence> = occurrences
            .iter()
            .rev()
            .filter(|o| !o.cancelled && o.start.to_utc() < now)
            .take(ROTA_OCCURRENCES)
            .map(|o| RotaOccurrence {
                occurrence: o.clone(),
                confirmed: confirmed.get(&(o.event.id, o.key.as_str())).copied().and_then(lookup),
                proposed: None,
            })
            .collect();

        let total = summary.total;
        let counts = summary
            .counts
            .iter()
            .filter_map(|(person, count)| {
                Some(FacilitationCount {
                    person: lookup(person.0)?,
                    count: *count,
                    share: if total == 0 { 0.0 } else { f64::from(*count) / f64::from(total) },
                })
            })
            .collect();
        let me = viewer.person();
        Ok(RotaPage {
            is_volunteer: volunteers.iter().any(|v| Some(v.person.id) == me),
            // Volunteering is taking part as an active member, the same
            // standing as answering for sessions.
            can_volunteer: can(&viewer.actor, Action::Rsvp(&access)),
            can_assign: can(&viewer.actor, Action::ScheduleEvents(&access)),
            community,
            volunteers,
            upcoming,
            recent,
            summary: FacilitationReport {
                since: Timestamp::from(summary.since),
                until: Timestamp::from(now),
                counts,
                distinct: summary.distinct,
                total: summary.total,
                top_share: summary.top_share,
            },
        })
    }

    /// Puts the viewer on the community's rota (active members). Returns
    /// `false` when they already were on it.
    pub async fn volunteer_to_facilitate(&self, viewer: &Viewer, slug: &str) -> Result<bool, AppError> {
        let (row, access) = self.planning_community(viewer, slug).await?;
        let person = viewer.require_person()?;
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("join the community to volunteer"));
        }
        Ok(self.store().insert_facilitation_volunteer(CommunityId(row.community.id), person, Timestamp::now()).await?)
    }

    /// Takes the viewer off the community's rota (active members). Returns
    /// `false` when they were not on it.
    pub async fn withdraw_from_rota(&self, viewer: &Viewer, slug: &str) -> Result<bool, AppError> {
        let (row, access) = self.planning_community(viewer, slug).await?;
        let person = viewer.require_person()?;
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("only members are on the rota"));
        }
        Ok(self.store().delete_facilitation_volunteer(CommunityId(row.community.id), person, Timestamp::now()).await?)
    }

    /// Confirms who facilitates one occurrence of the community's sessions
    /// (facilitators): records it and the matching activity record. The
    /// person must be an active member; the occurrence must belong to this
    /// community and not be cancelled.
    pub async fn confirm_facilitator(
        &self,
        viewer: &Viewer,
        slug: &str,
        event: &str,
        key: &str,
        handle: &str,
    ) -> Result<FacilitationConfirmed, AppError> {
        let (row, access) = self.planning_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators confirm the rota"));
        }
        let community = CommunityId(row.community.id);
        let event_id: i64 = event.trim().parse().map_err(|_| AppError::invalid("event", "choose a session"))?;
        let page = self.occurrence_page(viewer, event_id, key.trim()).await?;
        let occurrence = page.occurrence;
        if occurrence.event.community_id != community {
            return Err(AppError::NotFound("occurrence"));
        }
        if occurrence.cancelled {
            return Err(AppError::Conflict { field: "key", message: "this session is cancelled".into() });
        }
        let handle = handle.trim().trim_start_matches('@');
        if handle.is_empty() {
            return Err(AppError::invalid("handle", "choose who facilitates"));
        }
        let person = self
            .store()
            .find_person_by_handle(handle)
            .await?
            .ok_or_else(|| AppError::invalid("handle", format!("no one has the handle '{handle}'")))?;
        let active = self
            .store()
            .find_membership(community, PersonId(person.id))
            .await?
            .is_some_and(|(_, status)| status == "active");
        if !active {
            return Err(AppError::invalid(
                "handle",
                format!("{} is not an active member of this community", person.name),
            ));
        }
        self.store()
            .assign_facilitator(&FacilitationAssignment {
                event: event_id,
                occurrence: &occurrence.key,
                community,
                person: PersonId(person.id),
                session_start: occurrence.start,
                actor: viewer.person(),
                at: Timestamp::now(),
            })
            .await?;
        Ok(FacilitationConfirmed {
            event_id,
            key: occurrence.key,
            person: person_ref(person.id, &person.handle, &person.name, &person.team),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_choice() {
        assert_eq!(parse_rotation_slots("").unwrap(), DEFAULT_ROTATION_SLOTS);
        assert_eq!(parse_rotation_slots(" 3 ").unwrap(), 3);
        assert_eq!(parse_rotation_slots("4").unwrap(), 4);
        for bad in ["0", "5", "9", "-1", "two", "2.5"] {
            assert!(matches!(parse_rotation_slots(bad), Err(AppError::Invalid(_))), "{bad}");
        }
    }

    #[test]
    fn headline_names_the_time_when_it_never_changes() {
        use chrono::TimeZone as _;
        let zone = |name: &str| TimeZone::parse(name).unwrap().0;
        let member = |id: i64, tz: &str, start: i64, end: i64| MemberAvailability {
            person: PersonId(id),
            zone: zone(tz),
            working_hours: WorkingHours::from_minutes(start, end),
            region: String::new(),
        };
        let members = vec![
            member(1, "Europe/Berlin", 7 * 60, 15 * 60),
            member(2, "Australia/Sydney", 9 * 60, 17 * 60),
            member(3, "America/New_York", 9 * 60, 17 * 60),
        ];
        // Eight Tuesdays at 07:00 Berlin in winter (06:00 UTC).
        let first = Utc.with_ymd_and_hms(2026, 1, 6, 6, 0, 0).unwrap();
        let past: Vec<(DateTime<Utc>, u16)> = (0..8).map(|w| (first + Duration::weeks(w), 60)).collect();
        let report = schedule_inconvenience(&members, &past);
        let lines = headlines(&members, &report, &past);
        assert_eq!(
            lines,
            [
                "The last 8 sessions were all at 01:00 for Americas members, outside their working hours.",
                "The last 8 sessions were all at 17:00 for Asia-Pacific members, outside their working hours.",
            ]
        );
        // Only upcoming sessions: the window's share is named instead.
        let lines = headlines(&members, &report, &[]);
        assert_eq!(
            lines[1],
            "100% of the sessions in the last and next 90 days fall outside working hours for Asia-Pacific members, typically at 17:00 their time."
        );
    }
}
