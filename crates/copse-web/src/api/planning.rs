//! `/api/v1`: a community's meeting-time planner and facilitation rota.

use axum::Json;
use axum::extract::{Path, Query, State};
use copse_app::{PersonRef, RotaOccurrence, WeeklySlot, parse_rotation_slots};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;
use crate::pages::planning::{slot_local, slot_utc};

/// A weekly slot of the rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotOut {
    /// The UTC weekday: Mon, Tue, Wed or Thu.
    pub weekday: String,
    /// UTC start, "14:00".
    pub start_utc: String,
    pub duration_minutes: u16,
    /// "Tue 14:00–15:00 UTC".
    pub label: String,
    /// The same slot in the caller's time zone, "Tue 16:00–17:00 CET".
    pub local: String,
    /// Its start in the reference week, RFC 3339.
    pub start: String,
}

fn slot_out(slot: &WeeklySlot, viewer: &copse_app::Viewer, reference: chrono::NaiveDate) -> SlotOut {
    SlotOut {
        weekday: slot.weekday.to_string(),
        start_utc: format!("{:02}:{:02}", slot.start_minute_utc / 60, slot.start_minute_utc % 60),
        duration_minutes: slot.duration_minutes,
        label: slot_utc(slot),
        local: slot_local(slot, viewer.time_zone, reference),
        start: rfc3339(copse_domain::Timestamp::from(slot.start_in_week_of(reference))),
    }
}

/// How the rotation serves one region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionShareOut {
    /// The members' location, or their time zone's region when they gave none.
    pub region: String,
    pub members: usize,
    /// Members with at least one slot within their working hours.
    pub served: usize,
    /// `served / members`, 0 to 1.
    pub share: f64,
    /// How often, on average, a member of the region finds a rotating session within their hours (0 to 1).
    pub session_share: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RotationOut {
    pub slots: Vec<SlotOut>,
    /// Share (0 to 1) of members with at least one slot within their working hours.
    pub coverage: f64,
    /// The lowest share served over regions.
    pub worst_region_share: f64,
    pub regions: Vec<RegionShareOut>,
    /// Whether the search proved the rotation optimal.
    pub exact: bool,
}

/// One candidate slot of the heat map.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    pub weekday: String,
    pub start_utc: String,
    /// Members the slot suits, and all members.
    pub convenient: usize,
    pub members: usize,
    /// `convenient / members`, 0 to 1.
    pub share: f64,
}

/// How the current schedule treats one region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionInconvenienceOut {
    pub region: String,
    pub members: usize,
    pub sessions: usize,
    /// Share (0 to 1) of (member, session) pairs outside the member's working hours.
    pub inconvenient_share: f64,
    /// Members for whom every session was outside their working hours.
    pub always_inconvenient: usize,
    /// The most common local start, "07:00".
    pub typical_local_start: Option<String>,
    /// The local start of the session furthest outside a member's hours.
    pub worst_local_start: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleOut {
    /// The window judged, RFC 3339.
    pub from: String,
    pub to: String,
    pub past_sessions: usize,
    pub upcoming_sessions: usize,
    pub regions: Vec<RegionInconvenienceOut>,
    /// Plain-words call-outs of regions with at least 75% of sessions outside their hours.
    pub headlines: Vec<String>,
}

/// The meeting-time planner of a community.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannerOut {
    pub community: String,
    /// Active members considered.
    pub members: usize,
    /// The most slots the rotation could have (the `slots` asked for).
    pub max_slots: usize,
    /// Daylight-saving offsets are those of the week containing this date.
    pub reference_date: String,
    pub rotation: RotationOut,
    /// Every candidate slot, Monday to Thursday, in 30-minute steps from 00:00 UTC.
    pub candidates: Vec<CandidateOut>,
    pub schedule: ScheduleOut,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PlannerParams {
    /// How many weekly slots to rotate through, 1 to 4 (default 2); anything else is refused with 422.
    slots: Option<String>,
}

/// The meeting-time planner: a fair rotation of weekly slots, the share of
/// members every candidate slot suits, and how the current schedule treats
/// each region.
#[utoipa::path(get, path = "/communities/{slug}/planner", tag = "events", params(("slug" = String, Path), PlannerParams),
    responses((status = 200, body = PlannerOut), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn get_planner(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    Query(params): Query<PlannerParams>,
) -> Result<Json<PlannerOut>, ApiError> {
    let slots = parse_rotation_slots(params.slots.as_deref().unwrap_or(""))?;
    let page = state.app.meeting_planner(&viewer, &slug, slots).await?;
    let reference = page.reference_date;
    let proposal = &page.proposal;
    let schedule = &page.schedule;
    Ok(Json(PlannerOut {
        community: page.community.slug.clone(),
        members: page.members,
        max_slots: page.max_slots,
        reference_date: reference.format("%Y-%m-%d").to_string(),
        rotation: RotationOut {
            slots: proposal.slots.iter().map(|s| slot_out(s, &viewer, reference)).collect(),
            coverage: proposal.coverage,
            worst_region_share: proposal.worst_region_share,
            regions: proposal
                .per_region
                .iter()
                .map(|r| RegionShareOut {
                    region: r.region.clone(),
                    members: r.members,
                    served: r.served,
                    share: r.share,
                    session_share: r.session_share,
                })
                .collect(),
            exact: proposal.exact,
        },
        candidates: page
            .candidates
            .iter()
            .map(|c| CandidateOut {
                weekday: c.slot.weekday.to_string(),
                start_utc: format!("{:02}:{:02}", c.slot.start_minute_utc / 60, c.slot.start_minute_utc % 60),
                convenient: c.convenient,
                members: c.members,
                share: c.share(),
            })
            .collect(),
        schedule: ScheduleOut {
            from: rfc3339(schedule.from),
            to: rfc3339(schedule.to),
            past_sessions: schedule.past_sessions,
            upcoming_sessions: schedule.upcoming_sessions,
            regions: schedule
                .regions
                .iter()
                .map(|r| RegionInconvenienceOut {
                    region: r.region.clone(),
                    members: r.members,
                    sessions: r.sessions,
                    inconvenient_share: r.inconvenient_share,
                    always_inconvenient: r.always_inconvenient,
                    typical_local_start: r.typical_local_start.clone(),
                    worst_local_start: r.worst_local_start.clone(),
                })
                .collect(),
            headlines: schedule.headlines.clone(),
        },
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RotaPersonOut {
    pub handle: String,
    pub name: String,
}

fn person(p: &PersonRef) -> RotaPersonOut {
    RotaPersonOut { handle: p.handle.clone(), name: p.name.clone() }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerOut {
    pub person: RotaPersonOut,
    pub volunteered_at: String,
    /// Their latest facilitated session that has begun.
    pub last_facilitated: Option<String>,
    pub count_12_months: u32,
}

/// One occurrence on the rota.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotaOccurrenceOut {
    pub event_id: i64,
    /// The occurrence's original local start in the organizer's zone.
    pub key: String,
    pub title: String,
    pub start: String,
    /// Recorded by a facilitator.
    pub confirmed: Option<RotaPersonOut>,
    /// The rota's suggestion, for upcoming occurrences without a confirmed facilitator.
    pub proposed: Option<RotaPersonOut>,
}

fn occurrence(r: &RotaOccurrence) -> RotaOccurrenceOut {
    RotaOccurrenceOut {
        event_id: r.occurrence.event.id,
        key: r.occurrence.key.clone(),
        title: r.occurrence.event.title.clone(),
        start: rfc3339(r.occurrence.start),
        confirmed: r.confirmed.as_ref().map(person),
        proposed: r.proposed.as_ref().map(person),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitationCountOut {
    pub person: RotaPersonOut,
    pub count: u32,
    /// Share (0 to 1) of all facilitations in the window.
    pub share: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitationSummaryOut {
    /// The window: after `since`, up to and including `until` (now).
    pub since: String,
    pub until: String,
    pub total: u32,
    pub distinct: usize,
    /// The top facilitator's share (0 to 1); 0 without facilitations.
    pub top_share: f64,
    /// Most first.
    pub counts: Vec<FacilitationCountOut>,
}

/// A community's facilitation rota.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotaOut {
    pub community: String,
    pub volunteers: Vec<VolunteerOut>,
    /// The next 8 occurrences that are not cancelled.
    pub upcoming: Vec<RotaOccurrenceOut>,
    /// Occurrences of the last 90 days, latest first (at most 8).
    pub recent: Vec<RotaOccurrenceOut>,
    pub last_12_months: FacilitationSummaryOut,
    pub is_volunteer: bool,
    pub can_volunteer: bool,
    pub can_assign: bool,
}

/// The facilitation rota: volunteers, proposed and confirmed facilitators of
/// the next sessions, and who facilitated how often in the last 12 months.
#[utoipa::path(get, path = "/communities/{slug}/rota", tag = "events", params(("slug" = String, Path)),
    responses((status = 200, body = RotaOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_rota(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<RotaOut>, ApiError> {
    let page = state.app.rota_page(&viewer, &slug).await?;
    let summary = &page.summary;
    Ok(Json(RotaOut {
        community: page.community.slug.clone(),
        volunteers: page
            .volunteers
            .iter()
            .map(|v| VolunteerOut {
                person: person(&v.person),
                volunteered_at: rfc3339(v.volunteered_at),
                last_facilitated: v.last_facilitated.map(rfc3339),
                count_12_months: v.count_12_months,
            })
            .collect(),
        upcoming: page.upcoming.iter().map(occurrence).collect(),
        recent: page.recent.iter().map(occurrence).collect(),
        last_12_months: FacilitationSummaryOut {
            since: rfc3339(summary.since),
            until: rfc3339(summary.until),
            total: summary.total,
            distinct: summary.distinct,
            top_share: summary.top_share,
            counts: summary
                .counts
                .iter()
                .map(|c| FacilitationCountOut { person: person(&c.person), count: c.count, share: c.share })
                .collect(),
        },
        is_volunteer: page.is_volunteer,
        can_volunteer: page.can_volunteer,
        can_assign: page.can_assign,
    }))
}
