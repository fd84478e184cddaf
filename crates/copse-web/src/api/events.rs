//! `/api/v1`: a community's sessions, one occurrence, RSVP, cancelling one
//! occurrence, and the caller's upcoming sessions and notifications.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use copse_app::{OccurrenceView, RsvpResult};
use copse_domain::EventInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

/// One occurrence of a session series.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceOut {
    pub event_id: i64,
    /// The occurrence's identity: its original local start in the organizer's zone.
    pub key: String,
    pub community: String,
    pub title: String,
    /// meetup, workshop, code-review, tutorial, troubleshooting, talk or other.
    pub kind: String,
    /// in-person, remote or hybrid.
    pub format: String,
    pub start: String,
    pub end: String,
    /// The organizer's IANA time zone.
    pub time_zone: String,
    /// The series' RFC 5545 rule, if it repeats.
    pub rrule: Option<String>,
    pub cancelled: bool,
    pub moved: bool,
    pub capacity: Option<u32>,
    pub going: i64,
    pub waitlisted: i64,
    /// The caller's answer: going, waitlisted, maybe or not-going.
    pub my_answer: Option<String>,
    pub location: String,
    pub link: String,
}

impl From<&OccurrenceView> for OccurrenceOut {
    fn from(o: &OccurrenceView) -> Self {
        OccurrenceOut {
            event_id: o.event.id,
            key: o.key.clone(),
            community: o.event.community_slug.clone(),
            title: o.event.title.clone(),
            kind: o.event.kind.as_str().into(),
            format: o.event.format.as_str().into(),
            start: rfc3339(o.start),
            end: rfc3339(o.end),
            time_zone: o.event.zone.name().into(),
            rrule: o.event.recurrence.as_ref().map(|r| r.as_str().to_string()),
            cancelled: o.cancelled,
            moved: o.moved,
            capacity: o.event.capacity,
            going: o.going,
            waitlisted: o.waitlisted,
            my_answer: o.mine.map(|(a, w)| if w { "waitlisted".to_string() } else { a.as_str().to_string() }),
            location: o.event.location.clone(),
            link: o.event.link.clone(),
        }
    }
}

/// A session series to schedule.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventWrite {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub kind: String,
    pub format: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub link: String,
    /// "2026-03-05"
    pub date: String,
    /// "18:00", wall-clock in `time_zone`.
    pub time: String,
    pub duration_minutes: u32,
    pub time_zone: String,
    pub capacity: Option<u32>,
    /// An RFC 5545 RRULE, e.g. "FREQ=WEEKLY;BYDAY=TH".
    pub rrule: Option<String>,
}

impl From<EventWrite> for EventInput {
    fn from(body: EventWrite) -> Self {
        EventInput {
            title: body.title,
            description: body.description,
            kind: body.kind,
            format: body.format,
            location: body.location,
            link: body.link,
            date: body.date,
            time: body.time,
            duration_minutes: body.duration_minutes.to_string(),
            time_zone: body.time_zone,
            capacity: body.capacity.map(|c| c.to_string()).unwrap_or_default(),
            recurrence: body.rrule.unwrap_or_default(),
        }
    }
}

/// Where one occurrence moves to, in the organizer's zone.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveIn {
    /// "2026-03-05"
    pub date: String,
    /// "18:00", wall-clock in the series' zone.
    pub time: String,
    /// The new length; the series' length when absent.
    pub duration_minutes: Option<u32>,
}

/// What answering for a whole series did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesRsvpOut {
    /// Sessions where the caller now has a seat (for "going").
    pub going: usize,
    /// Sessions where the caller is on the waitlist (for "going").
    pub waitlisted: usize,
    /// Upcoming sessions (next 180 days, not cancelled) that got the answer.
    pub updated: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventCreated {
    pub event_id: i64,
    pub title: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RsvpIn {
    /// going, maybe or not-going.
    pub answer: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RsvpOut {
    /// going, waitlisted, maybe or not-going.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    pub message: String,
    pub link: String,
    pub created_at: String,
    pub unread: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WindowQuery {
    /// RFC 3339 start of the window (default: now).
    from: Option<String>,
    /// RFC 3339 end of the window (default: 90 days after `from`; at most 400 days).
    to: Option<String>,
}

fn window(query: &WindowQuery) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let parse = |field: &'static str, text: &str| {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError(copse_app::AppError::invalid(field, format!("'{text}' is not an RFC 3339 time"))))
    };
    let from = match &query.from {
        Some(text) => parse("from", text)?,
        None => Utc::now(),
    };
    let to = match &query.to {
        Some(text) => parse("to", text)?,
        None => from + Duration::days(90),
    };
    if to <= from || to - from > Duration::days(400) {
        return Err(ApiError(copse_app::AppError::invalid(
            "to",
            "the window must end after it starts and span at most 400 days",
        )));
    }
    Ok((from, to))
}

/// A community's session occurrences in a window, in time order.
#[utoipa::path(get, path = "/communities/{slug}/events", tag = "events", params(("slug" = String, Path), WindowQuery),
    responses((status = 200, body = Vec<OccurrenceOut>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_occurrences(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    Query(query): Query<WindowQuery>,
) -> Result<Json<Vec<OccurrenceOut>>, ApiError> {
    let (from, to) = window(&query)?;
    let list = state.app.community_occurrences(&viewer, &slug, from, to).await?;
    Ok(Json(list.iter().map(OccurrenceOut::from).collect()))
}

/// Schedules a session series (facilitators).
#[utoipa::path(post, path = "/communities/{slug}/events", tag = "events", params(("slug" = String, Path)), request_body = EventWrite,
    responses((status = 201, body = EventCreated), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_event(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<EventWrite>,
) -> Result<(StatusCode, Json<EventCreated>), ApiError> {
    let event = state.app.create_event(&viewer, &slug, &EventInput::from(body)).await?;
    Ok((StatusCode::CREATED, Json(EventCreated { event_id: event.id, title: event.title })))
}

/// One occurrence.
#[utoipa::path(get, path = "/events/{id}/occurrences/{key}", tag = "events", params(("id" = i64, Path), ("key" = String, Path)),
    responses((status = 200, body = OccurrenceOut), (status = 404, body = Problem)))]
pub async fn get_occurrence(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Json<OccurrenceOut>, ApiError> {
    let page = state.app.occurrence_page(&viewer, id, &key).await?;
    Ok(Json(OccurrenceOut::from(&page.occurrence)))
}

/// Answers for one occurrence; a full one puts "going" on the waitlist.
#[utoipa::path(post, path = "/events/{id}/occurrences/{key}/rsvp", tag = "events", params(("id" = i64, Path), ("key" = String, Path)),
    request_body = RsvpIn,
    responses((status = 200, body = RsvpOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn rsvp(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, key)): Path<(i64, String)>,
    ApiJson(body): ApiJson<RsvpIn>,
) -> Result<Json<RsvpOut>, ApiError> {
    let status = match state.app.rsvp(&viewer, id, &key, &body.answer).await? {
        RsvpResult::Going => "going",
        RsvpResult::Waitlisted => "waitlisted",
        RsvpResult::Maybe => "maybe",
        RsvpResult::NotGoing => "not-going",
    };
    Ok(Json(RsvpOut { status: status.to_string() }))
}

/// Cancels one occurrence (facilitators); the rest of the series stays.
#[utoipa::path(post, path = "/events/{id}/occurrences/{key}/cancel", tag = "events", params(("id" = i64, Path), ("key" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel_occurrence(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, key)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    state.app.cancel_occurrence(&viewer, id, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's sessions in the next two weeks, across their communities.
#[utoipa::path(get, path = "/me/upcoming", tag = "events", responses((status = 200, body = Vec<OccurrenceOut>), (status = 401, body = Problem)))]
pub async fn my_upcoming(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<OccurrenceOut>>, ApiError> {
    let list = state.app.my_upcoming(&viewer, 14, 100).await?;
    Ok(Json(list.iter().map(OccurrenceOut::from).collect()))
}

/// The caller's latest notifications (reading them here does not mark them read).
#[utoipa::path(get, path = "/me/notifications", tag = "events", responses((status = 200, body = Vec<NotificationOut>), (status = 401, body = Problem)))]
pub async fn my_notifications(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    let list = state.app.notifications(&viewer, false).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NotificationOut {
                message: n.message,
                link: n.link,
                created_at: rfc3339(n.created_at),
                unread: n.unread,
            })
            .collect(),
    ))
}

/// Replaces a series' definition (facilitators). A capacity below the number
/// already going to an upcoming session is refused with 409 and nothing changes.
#[utoipa::path(put, path = "/events/{id}", tag = "events", params(("id" = i64, Path)), request_body = EventWrite,
    responses((status = 200, body = EventCreated), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_event(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EventWrite>,
) -> Result<Json<EventCreated>, ApiError> {
    let event = state.app.update_event(&viewer, id, &EventInput::from(body)).await?;
    Ok(Json(EventCreated { event_id: event.id, title: event.title }))
}

/// "Edit this and following" (facilitators): ends the series just before
/// this occurrence and schedules the body as a new series from it. From the
/// first occurrence, the whole series is edited instead.
#[utoipa::path(post, path = "/events/{id}/occurrences/{key}/split", tag = "events", params(("id" = i64, Path), ("key" = String, Path)),
    request_body = EventWrite,
    responses((status = 200, body = EventCreated), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn split_event(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, key)): Path<(i64, String)>,
    ApiJson(body): ApiJson<EventWrite>,
) -> Result<Json<EventCreated>, ApiError> {
    let event = state.app.split_event(&viewer, id, &key, &EventInput::from(body)).await?;
    Ok(Json(EventCreated { event_id: event.id, title: event.title }))
}

/// Moves one occurrence (facilitators); it keeps its key and its answers.
#[utoipa::path(post, path = "/events/{id}/occurrences/{key}/move", tag = "events", params(("id" = i64, Path), ("key" = String, Path)),
    request_body = MoveIn,
    responses((status = 200, body = OccurrenceOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn move_occurrence(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, key)): Path<(i64, String)>,
    ApiJson(body): ApiJson<MoveIn>,
) -> Result<Json<OccurrenceOut>, ApiError> {
    let minutes = body.duration_minutes.map(|m| m.to_string()).unwrap_or_default();
    let moved = state.app.move_occurrence(&viewer, id, &key, &body.date, &body.time, &minutes).await?;
    Ok(Json(OccurrenceOut::from(&moved)))
}

/// Answers for every upcoming, not cancelled session of a series in the next
/// 180 days; each follows its own capacity and waitlist.
#[utoipa::path(post, path = "/events/{id}/rsvp", tag = "events", params(("id" = i64, Path)), request_body = RsvpIn,
    responses((status = 200, body = SeriesRsvpOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn rsvp_series(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RsvpIn>,
) -> Result<Json<SeriesRsvpOut>, ApiError> {
    let r = state.app.rsvp_series(&viewer, id, &body.answer).await?;
    Ok(Json(SeriesRsvpOut { going: r.going, waitlisted: r.waitlisted, updated: r.updated }))
}
