//! Planning pages: the meeting-time planner (a fair rotation of weekly slots,
//! a heat map of candidate slots, and how the current schedule treats each
//! region) and the facilitation rota (volunteer, proposed and confirmed
//! facilitators, who facilitated how often).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Weekday};
use copse_app::{
    AppError, DEFAULT_ROTATION_SLOTS, MAX_ROTATION_SLOTS, PlannerPage, RotaOccurrence, RotaPage, SCHEDULE_WINDOW_DAYS,
    Viewer, WeeklySlot, parse_rotation_slots,
};
use copse_domain::{FieldErrors, TimeZone};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, initials, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

/// "67%".
fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

/// A bar's length out of 100 for an SVG `width` attribute.
fn bar(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// The weekday as the planner's tables name it.
fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// "Tue 14:00–15:00 UTC".
pub fn slot_utc(slot: &WeeklySlot) -> String {
    let end = (u32::from(slot.start_minute_utc) + u32::from(slot.duration_minutes)) % (24 * 60);
    format!("{} {}–{} UTC", weekday_name(slot.weekday), clock(slot.start_minute_utc), clock(end as u16))
}

/// "Tue 16:00–17:00 CET" in `zone`, in the week of `reference`.
pub fn slot_local(slot: &WeeklySlot, zone: TimeZone, reference: NaiveDate) -> String {
    let start = slot.local_start(zone.0, reference);
    let end = start + chrono::Duration::minutes(i64::from(slot.duration_minutes));
    format!("{}–{} {}", start.format("%a %H:%M"), end.format("%H:%M"), start.format("%Z"))
}

/// How many days a slot's local start lies after its UTC start (-1, 0, 1).
fn day_shift(slot: &WeeklySlot, zone: TimeZone, reference: NaiveDate) -> i64 {
    let utc = slot.start_in_week_of(reference);
    let local = slot.local_start(zone.0, reference);
    (local.date_naive() - utc.date_naive()).num_days()
}

struct ProposedSlot {
    utc: String,
    local: String,
    iso: String,
}

struct RegionShareRow {
    region: String,
    members: String,
    served: String,
    share: String,
    bar: u32,
    session_share: String,
    worst: bool,
}

struct HeatCell {
    text: String,
    level: u8,
    proposed: bool,
}

struct HeatRow {
    utc: String,
    local: String,
    cells: Vec<HeatCell>,
}

struct InconvenienceRow {
    region: String,
    members: String,
    share: String,
    bar: u32,
    typical: String,
    worst: String,
    always: String,
}

#[derive(Template)]
#[template(path = "planner.html")]
struct PlannerTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    zone: String,
    slot_choices: Vec<(usize, bool)>,
    slots_error: Option<String>,
    error_links: Vec<ErrorLink>,
    member_count: usize,
    members: String,
    week: String,
    duration: String,
    proposed: Vec<ProposedSlot>,
    coverage: String,
    worst_share: String,
    worst_regions: String,
    exact: bool,
    regions: Vec<RegionShareRow>,
    weekdays: Vec<&'static str>,
    heat_rows: Vec<HeatRow>,
    hidden_rows: usize,
    step: String,
    session_count: usize,
    sessions: String,
    window_days: i64,
    inconvenience: Vec<InconvenienceRow>,
    headlines: Vec<String>,
}

#[derive(Deserialize)]
pub struct PlannerQuery {
    slots: Option<String>,
}

fn heat_level(share: f64) -> u8 {
    if share <= 0.0 { 0 } else { (share * 5.0).ceil().clamp(1.0, 5.0) as u8 }
}

fn planner_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &PlannerPage,
    errors: &FieldErrors,
) -> PlannerTemplate {
    let zone = viewer.time_zone;
    let reference = page.reference_date;
    let proposal = &page.proposal;
    let proposed = proposal
        .slots
        .iter()
        .map(|slot| ProposedSlot {
            utc: slot_utc(slot),
            local: slot_local(slot, zone, reference),
            iso: format::rfc3339(copse_domain::Timestamp::from(slot.start_in_week_of(reference))),
        })
        .collect();
    let worst: Vec<&str> = proposal
        .per_region
        .iter()
        .filter(|r| r.members > 0 && (r.share - proposal.worst_region_share).abs() < 1e-9)
        .map(|r| r.region.as_str())
        .collect();
    let regions = proposal
        .per_region
        .iter()
        .map(|r| RegionShareRow {
            region: r.region.clone(),
            members: format::count(r.members as i64, "member", "members"),
            served: format!("{} of {}", r.served, r.members),
            share: percent(r.share),
            bar: bar(r.share),
            session_share: percent(r.session_share),
            worst: worst.len() < proposal.per_region.len() && worst.contains(&r.region.as_str()),
        })
        .collect();

    // The heat map: one row per start time, one column per weekday.
    let per_day = usize::from(1440 / page.step_minutes.max(1)) + usize::from(1440 % page.step_minutes.max(1) != 0);
    let days = page.weekdays.len();
    let mut heat_rows = Vec::new();
    let mut hidden_rows = 0;
    for t in 0..per_day {
        let cells: Vec<&copse_app::SlotShare> =
            (0..days).filter_map(|d| page.candidates.get(d * per_day + t)).collect();
        let Some(first) = cells.first() else { continue };
        if cells.iter().all(|c| c.convenient == 0) {
            hidden_rows += 1;
            continue;
        }
        let local_start = first.slot.local_start(zone.0, reference);
        let local = match day_shift(&first.slot, zone, reference) {
            0 => local_start.format("%H:%M").to_string(),
            1 => format!("{} (next day)", local_start.format("%H:%M")),
            _ => format!("{} (day before)", local_start.format("%H:%M")),
        };
        heat_rows.push(HeatRow {
            utc: clock(first.slot.start_minute_utc),
            local,
            cells: cells
                .iter()
                .map(|c| HeatCell {
                    text: percent(c.share()),
                    level: heat_level(c.share()),
                    proposed: proposal.slots.contains(&c.slot),
                })
                .collect(),
        });
    }

    let schedule = &page.schedule;
    let sessions = match (schedule.past_sessions, schedule.upcoming_sessions) {
        (0, 0) => String::new(),
        (past, upcoming) => format!(
            "Judged on {}: {} in the last {SCHEDULE_WINDOW_DAYS} days and {} in the next {SCHEDULE_WINDOW_DAYS}.",
            format::count(schedule.sessions() as i64, "session", "sessions"),
            past,
            upcoming
        ),
    };
    let inconvenience = schedule
        .regions
        .iter()
        .map(|r| InconvenienceRow {
            region: r.region.clone(),
            members: format::count(r.members as i64, "member", "members"),
            share: percent(r.inconvenient_share),
            bar: bar(r.inconvenient_share),
            typical: r.typical_local_start.clone().unwrap_or_else(|| "–".into()),
            worst: r.worst_local_start.clone().unwrap_or_else(|| "–".into()),
            always: format!("{} of {}", r.always_inconvenient, r.members),
        })
        .collect();
    let links = error_links(errors, |field| (field == "slots").then(|| ("slots".to_string(), "Slots")));
    PlannerTemplate {
        layout: Layout::new(
            if errors.is_empty() {
                format!("Meeting planner · {}", page.community.name)
            } else {
                format!("Error: Meeting planner · {}", page.community.name)
            },
            state.app.org_name(),
            Some(viewer),
            csrf,
            "communities",
        ),
        slug: page.community.slug.clone(),
        community_name: page.community.name.clone(),
        zone: zone.name().to_string(),
        slot_choices: (1..=MAX_ROTATION_SLOTS).map(|n| (n, n == page.max_slots)).collect(),
        slots_error: errors.get("slots").map(str::to_string),
        error_links: links,
        member_count: page.members,
        members: format::count(page.members as i64, "active member", "active members"),
        week: format!("the week of {}", reference.format("%-d %b %Y")),
        duration: format::duration(u32::from(page.duration_minutes)),
        proposed,
        coverage: percent(proposal.coverage),
        worst_share: percent(proposal.worst_region_share),
        // Named only when some regions fare better than others.
        worst_regions: if worst.len() < proposal.per_region.len() { worst.join(", ") } else { String::new() },
        exact: proposal.exact,
        regions,
        weekdays: page.weekdays.iter().map(|d| weekday_name(*d)).collect(),
        heat_rows,
        hidden_rows,
        step: format::duration(u32::from(page.step_minutes)),
        session_count: schedule.sessions(),
        sessions,
        window_days: SCHEDULE_WINDOW_DAYS,
        inconvenience,
        headlines: schedule.headlines.clone(),
    }
}

/// `GET /communities/{slug}/planner?slots=N`. A `slots` value outside 1 to 4
/// answers 422 with the planner for the default and the problem named.
pub async fn show_planner(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<PlannerQuery>,
) -> Response {
    let (slots, errors, status) = match parse_rotation_slots(query.slots.as_deref().unwrap_or("")) {
        Ok(n) => (n, FieldErrors::new(), StatusCode::OK),
        Err(AppError::Invalid(errors)) => (DEFAULT_ROTATION_SLOTS, errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(error) => return PageError::from(error).into_response(),
    };
    match state.app.meeting_planner(&viewer, &slug, slots).await {
        Ok(page) => render_status(status, &planner_template(&state, &viewer, &csrf, &page, &errors)),
        Err(error) => PageError::from(error).into_response(),
    }
}

struct VolunteerView {
    handle: String,
    name: String,
    initials: String,
    last: String,
    count: u32,
}

struct RotaRow {
    event_id: i64,
    key: String,
    href: String,
    title: String,
    date: String,
    time: String,
    iso: String,
    /// (handle, name)
    confirmed: Option<(String, String)>,
    proposed: Option<(String, String)>,
    /// The handle chosen in the confirm form.
    selected: String,
}

struct CountRow {
    handle: String,
    name: String,
    count: u32,
    share: String,
    bar: u32,
}

#[derive(Template)]
#[template(path = "rota.html")]
struct RotaTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    zone: String,
    is_volunteer: bool,
    can_volunteer: bool,
    can_assign: bool,
    volunteers: Vec<VolunteerView>,
    /// (handle, name) for the confirm forms.
    choices: Vec<(String, String)>,
    upcoming: Vec<RotaRow>,
    recent: Vec<RotaRow>,
    counts: Vec<CountRow>,
    total: u32,
    distinct: usize,
    top_share: String,
    since: String,
    concentration: Option<String>,
}

fn rota_row(r: &RotaOccurrence, viewer: &Viewer) -> RotaRow {
    let o = &r.occurrence;
    let pair = |p: &copse_app::PersonRef| (p.handle.clone(), p.name.clone());
    RotaRow {
        event_id: o.event.id,
        key: o.key.clone(),
        href: format!("/events/{}/{}", o.event.id, o.key),
        title: o.event.title.clone(),
        date: format::short_day(o.start, viewer.time_zone),
        time: format::time(o.start, viewer.time_zone),
        iso: format::rfc3339(o.start),
        confirmed: r.confirmed.as_ref().map(pair),
        proposed: r.proposed.as_ref().map(pair),
        selected: r.confirmed.as_ref().or(r.proposed.as_ref()).map(|p| p.handle.clone()).unwrap_or_default(),
    }
}

fn rota_notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "volunteered" => "You are on the rota. Thank you for offering to facilitate!",
        "withdrawn" => "You are off the rota.",
        "assigned" => "Facilitator confirmed.",
        _ => return None,
    })
}

fn rota_template(state: &WebState, viewer: &Viewer, csrf: &str, page: &RotaPage, notice: Option<&str>) -> RotaTemplate {
    let mut layout = Layout::new(
        format!("Facilitation rota · {}", page.community.name),
        state.app.org_name(),
        Some(viewer),
        csrf,
        "communities",
    );
    layout.notice = notice.and_then(rota_notice).map(str::to_string);
    let mut choices: Vec<(String, String)> =
        page.volunteers.iter().map(|v| (v.person.handle.clone(), v.person.name.clone())).collect();
    for r in page.upcoming.iter().chain(&page.recent) {
        if let Some(p) = &r.confirmed
            && !choices.iter().any(|(h, _)| *h == p.handle)
        {
            choices.push((p.handle.clone(), p.name.clone()));
        }
    }
    let summary = &page.summary;
    let concentration = match summary.counts.first() {
        Some(top) if summary.total >= 4 && summary.top_share > 0.5 => Some(format!(
            "{} facilitated {} of the last 12 months' sessions. Sharing facilitation keeps the community going when one person steps back.",
            top.person.name,
            percent(summary.top_share)
        )),
        _ => None,
    };
    RotaTemplate {
        layout,
        slug: page.community.slug.clone(),
        community_name: page.community.name.clone(),
        zone: viewer.time_zone.name().to_string(),
        is_volunteer: page.is_volunteer,
        can_volunteer: page.can_volunteer,
        can_assign: page.can_assign,
        volunteers: page
            .volunteers
            .iter()
            .map(|v| VolunteerView {
                handle: v.person.handle.clone(),
                name: v.person.name.clone(),
                initials: initials(&v.person.name),
                last: v.last_facilitated.map_or_else(|| "Not yet".to_string(), |t| format::date(t, viewer.time_zone)),
                count: v.count_12_months,
            })
            .collect(),
        choices,
        upcoming: page.upcoming.iter().map(|r| rota_row(r, viewer)).collect(),
        recent: page.recent.iter().map(|r| rota_row(r, viewer)).collect(),
        counts: summary
            .counts
            .iter()
            .map(|c| CountRow {
                handle: c.person.handle.clone(),
                name: c.person.name.clone(),
                count: c.count,
                share: percent(c.share),
                bar: bar(c.share),
            })
            .collect(),
        total: summary.total,
        distinct: summary.distinct,
        top_share: percent(summary.top_share),
        since: format::date(summary.since, viewer.time_zone),
        concentration,
    }
}

#[derive(Deserialize)]
pub struct RotaQuery {
    notice: Option<String>,
}

/// `GET /communities/{slug}/rota`.
pub async fn show_rota(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<RotaQuery>,
) -> Response {
    match state.app.rota_page(&viewer, &slug).await {
        Ok(page) => {
            render_status(StatusCode::OK, &rota_template(&state, &viewer, &csrf, &page, query.notice.as_deref()))
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `POST /communities/{slug}/rota/volunteer`.
pub async fn volunteer(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.volunteer_to_facilitate(&viewer, &slug).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/rota?notice=volunteered")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `POST /communities/{slug}/rota/withdraw`.
pub async fn withdraw(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.withdraw_from_rota(&viewer, &slug).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/rota?notice=withdrawn")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    event: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    handle: String,
}

/// `POST /communities/{slug}/rota/assign` (facilitators).
pub async fn assign(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<AssignForm>,
) -> Response {
    match state.app.confirm_facilitator(&viewer, &slug, &form.event, &form.key, &form.handle).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/rota?notice=assigned")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}
