//! Event pages: a community's calendar and upcoming sessions, scheduling a
//! session, one occurrence with RSVP and its waitlist.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate, TimeZone as _, Utc};
use copse_app::{AppError, OccurrenceView, RsvpResult, Viewer};
use copse_domain::{EventFormat, EventInput, EventKind, FieldErrors, RsvpAnswer};
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

/// An occurrence in lists and the calendar.
struct SessionRow {
    href: String,
    title: String,
    date: String,
    time: String,
    iso: String,
    kind: &'static str,
    format: &'static str,
    repeats: Option<String>,
    seats: String,
    mine: Option<&'static str>,
    cancelled: bool,
}

fn answer_label(mine: Option<(RsvpAnswer, bool)>) -> Option<&'static str> {
    Some(match mine? {
        (RsvpAnswer::Going, false) => "You're going",
        (RsvpAnswer::Going, true) => "You're on the waitlist",
        (RsvpAnswer::Maybe, _) => "Maybe",
        (RsvpAnswer::NotGoing, _) => "Not going",
    })
}

fn seats(o: &OccurrenceView) -> String {
    match o.event.capacity {
        Some(capacity) if o.waitlisted > 0 => format!("{}/{capacity} going, {} waiting", o.going, o.waitlisted),
        Some(capacity) => format!("{}/{capacity} going", o.going),
        None => format::count(o.going, "going", "going"),
    }
}

fn session_row(o: &OccurrenceView, viewer: &Viewer) -> SessionRow {
    SessionRow {
        href: format!("/events/{}/{}", o.event.id, o.key),
        title: o.event.title.clone(),
        date: format::short_day(o.start, viewer.time_zone),
        time: format::time(o.start, viewer.time_zone),
        iso: format::rfc3339(o.start),
        kind: o.event.kind.label(),
        format: o.event.format.label(),
        repeats: o.event.recurrence.as_ref().map(|r| r.describe()),
        seats: seats(o),
        mine: answer_label(o.mine),
        cancelled: o.cancelled,
    }
}

struct CalendarDay {
    number: u32,
    in_month: bool,
    today: bool,
    sessions: Vec<SessionRow>,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    layout: Layout,
    slug: String,
    community_name: String,
    zone: String,
    can_schedule: bool,
    month_label: String,
    prev_month: String,
    prev_label: String,
    next_month: String,
    next_label: String,
    weekday_names: [&'static str; 7],
    weeks: Vec<Vec<CalendarDay>>,
    upcoming: Vec<SessionRow>,
}

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

fn month_start(text: Option<&str>, today: NaiveDate) -> NaiveDate {
    text.and_then(|m| NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok())
        .filter(|d| (1970..=2200).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

fn shift_month(first: NaiveDate, months: i32) -> NaiveDate {
    let total = first.year() * 12 + first.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).unwrap_or(first)
}

pub async fn list_events(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let zone = viewer.time_zone;
    let today = Utc::now().with_timezone(&zone.0).date_naive();
    let first = month_start(query.month.as_deref(), today);
    let grid_start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let next_first = shift_month(first, 1);
    let grid_days = ((next_first - grid_start).num_days() + 6) / 7 * 7;
    let local_midnight = |d: NaiveDate| {
        zone.0
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (local_midnight(grid_start), local_midnight(grid_start + Duration::days(grid_days)))
    else {
        return PageError::status(StatusCode::BAD_REQUEST, "That month cannot be shown.").into_response();
    };
    let app = &state.app;
    let in_grid = match app.community_occurrences(&viewer, &slug, from, to).await {
        Ok(list) => list,
        Err(error) => return PageError::from(error).into_response(),
    };
    let now = Utc::now();
    let upcoming = match app.community_occurrences(&viewer, &slug, now, now + Duration::days(90)).await {
        Ok(list) => list,
        Err(error) => return PageError::from(error).into_response(),
    };
    let page = match app.community_page(&viewer, &slug).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let weeks = (0..grid_days / 7)
        .map(|w| {
            (0..7)
                .map(|d| {
                    let day = grid_start + Duration::days(w * 7 + d);
                    CalendarDay {
                        number: day.day(),
                        in_month: day.month() == first.month(),
                        today: day == today,
                        sessions: in_grid
                            .iter()
                            .filter(|o| o.start.to_utc().with_timezone(&zone.0).date_naive() == day)
                            .map(|o| session_row(o, &viewer))
                            .collect(),
                    }
                })
                .collect()
        })
        .collect();
    let prev = shift_month(first, -1);
    let template = EventsPage {
        layout: Layout::new(
            format!("Events · {}", page.community.name),
            app.org_name(),
            Some(&viewer),
            &csrf,
            "communities",
        ),
        slug: page.community.slug.clone(),
        community_name: page.community.name.clone(),
        zone: zone.name().to_string(),
        can_schedule: page.can_edit,
        month_label: first.format("%B %Y").to_string(),
        prev_month: prev.format("%Y-%m").to_string(),
        prev_label: prev.format("%b").to_string(),
        next_month: next_first.format("%Y-%m").to_string(),
        next_label: next_first.format("%b").to_string(),
        weekday_names: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        weeks,
        upcoming: upcoming.iter().take(30).map(|o| session_row(o, &viewer)).collect(),
    };
    render(&template)
}

struct FormField {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    input_type: &'static str,
    value: String,
    choices: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct EventForm {
    layout: Layout,
    slug: String,
    community_name: String,
    fields: Vec<FormField>,
    error_links: Vec<ErrorLink>,
}

const EVENT_FIELDS: [(&str, &str, &str, &str); 12] = [
    ("title", "Title", "", "text"),
    ("kind", "Kind", "", "select"),
    ("format", "Format", "", "select"),
    ("date", "Date", "", "date"),
    ("time", "Start time", "(in the time zone below)", "time"),
    ("duration_minutes", "Length in minutes", "", "number"),
    ("time_zone", "Time zone", "(IANA name, e.g. Europe/Berlin)", "text"),
    ("location", "Location", "(for in-person and hybrid sessions)", "text"),
    ("link", "Link to join", "(for remote and hybrid sessions)", "url"),
    ("capacity", "Seats", "(empty for no limit; extra answers join a waitlist)", "number"),
    (
        "recurrence",
        "Repeats",
        "(RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TH or FREQ=MONTHLY;BYDAY=1TU; empty for once)",
        "text",
    ),
    ("description", "Description", "", "textarea"),
];

fn value_of<'a>(input: &'a EventInput, name: &str) -> &'a str {
    match name {
        "title" => &input.title,
        "kind" => &input.kind,
        "format" => &input.format,
        "date" => &input.date,
        "time" => &input.time,
        "duration_minutes" => &input.duration_minutes,
        "time_zone" => &input.time_zone,
        "location" => &input.location,
        "link" => &input.link,
        "capacity" => &input.capacity,
        "recurrence" => &input.recurrence,
        _ => &input.description,
    }
}

fn event_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    name: &str,
    input: &EventInput,
    errors: FieldErrors,
) -> EventForm {
    let fields = EVENT_FIELDS
        .iter()
        .map(|(field, label, hint, input_type)| FormField {
            name: field,
            label,
            hint,
            input_type,
            value: value_of(input, field).to_string(),
            choices: match *field {
                "kind" => EventKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
                "format" => EventFormat::ALL.iter().map(|f| (f.as_str(), f.label())).collect(),
                _ => Vec::new(),
            },
            error: errors.get(field).map(str::to_string),
        })
        .collect();
    let links =
        error_links(&errors, |field| EVENT_FIELDS.iter().find(|f| f.0 == field).map(|f| (f.0.to_string(), f.1)));
    EventForm {
        layout: Layout::new(
            form_title("Schedule a session", &errors),
            state.app.org_name(),
            Some(viewer),
            csrf,
            "communities",
        ),
        slug: slug.to_string(),
        community_name: name.to_string(),
        fields,
        error_links: links,
    }
}

pub async fn new_event(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    let page = match state.app.community_page(&viewer, &slug).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    if !page.can_edit {
        return PageError::from(AppError::Forbidden("only facilitators schedule events")).into_response();
    }
    let tomorrow = (Utc::now().with_timezone(&viewer.time_zone.0) + Duration::days(1)).date_naive();
    let input = EventInput {
        kind: "meetup".into(),
        format: "remote".into(),
        date: tomorrow.format("%Y-%m-%d").to_string(),
        time: "16:00".into(),
        duration_minutes: "60".into(),
        time_zone: viewer.time_zone.name().to_string(),
        ..Default::default()
    };
    render(&event_form(&state, &viewer, &csrf, &page.community.slug, &page.community.name, &input, FieldErrors::new()))
}

#[derive(Deserialize)]
pub struct EventFormData {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    recurrence: String,
}

impl From<EventFormData> for EventInput {
    fn from(f: EventFormData) -> Self {
        EventInput {
            title: f.title,
            description: f.description,
            kind: f.kind,
            format: f.format,
            location: f.location,
            link: f.link,
            date: f.date,
            time: f.time,
            duration_minutes: f.duration_minutes,
            time_zone: f.time_zone,
            capacity: f.capacity,
            recurrence: f.recurrence,
        }
    }
}

pub async fn create_event(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<EventFormData>,
) -> Response {
    let input = EventInput::from(form);
    match state.app.create_event(&viewer, &slug, &input).await {
        Ok(event) => {
            Redirect::to(&format!("/communities/{}/events?notice=scheduled", event.community_slug)).into_response()
        }
        Err(AppError::Invalid(errors)) => match state.app.community_page(&viewer, &slug).await {
            Ok(page) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &event_form(&state, &viewer, &csrf, &page.community.slug, &page.community.name, &input, errors),
            ),
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "event.html")]
struct OccurrenceTemplate {
    layout: Layout,
    base: String,
    slug: String,
    community_name: String,
    title: String,
    /// Rendered from Markdown and sanitized.
    description: String,
    kind: &'static str,
    format: &'static str,
    when: String,
    iso: String,
    organizer_time: String,
    repeats: Option<String>,
    location: String,
    link: String,
    duration: String,
    capacity: Option<u32>,
    seats: String,
    full: bool,
    cancelled: bool,
    moved: bool,
    past: bool,
    can_rsvp: bool,
    can_manage: bool,
    checkin_code: Option<String>,
    mine: Option<&'static str>,
    /// (handle, name, initials)
    going: Vec<(String, String, String)>,
    waitlist: Vec<(String, String, String)>,
    maybe: Vec<(String, String, String)>,
    started: bool,
    attended: Vec<(String, String, String)>,
    checked_in: bool,
    /// "4.5 from 6 ratings"
    feedback: Option<String>,
    comments: Vec<String>,
    my_rating: i64,
    my_comment: String,
    notes: String,
    /// `notes` rendered from Markdown and sanitized.
    notes_html: String,
    recording_url: String,
    ratings: [i64; 5],
}

pub async fn show_occurrence(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let page = match state.app.occurrence_page(&viewer, id, &key).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let o = &page.occurrence;
    let people = |list: &[copse_app::Attendee]| {
        list.iter().map(|a| (a.handle.clone(), a.name.clone(), initials(&a.name))).collect::<Vec<_>>()
    };
    let template = OccurrenceTemplate {
        layout: Layout::new(o.event.title.clone(), state.app.org_name(), Some(&viewer), &csrf, "communities")
            .with_notice(query.notice.as_deref()),
        base: format!("/events/{}/{}", o.event.id, o.key),
        slug: o.event.community_slug.clone(),
        community_name: o.event.community_name.clone(),
        title: o.event.title.clone(),
        description: crate::markdown::render(&o.event.description),
        kind: o.event.kind.label(),
        format: o.event.format.label(),
        when: format::session(o.start, o.end, viewer.time_zone),
        iso: format::rfc3339(o.start),
        organizer_time: format::session(o.start, o.end, o.event.zone),
        repeats: o.event.recurrence.as_ref().map(|r| r.describe()),
        location: o.event.location.clone(),
        link: o.event.link.clone(),
        duration: format::duration(o.event.duration_minutes),
        capacity: o.event.capacity,
        seats: seats(o),
        full: o.event.capacity.is_some_and(|c| o.going >= i64::from(c))
            && !matches!(o.mine, Some((RsvpAnswer::Going, false))),
        cancelled: o.cancelled,
        moved: o.moved,
        past: page.past,
        can_rsvp: page.can_rsvp,
        can_manage: page.can_manage,
        checkin_code: page.checkin_code.clone(),
        mine: answer_label(o.mine),
        going: people(&page.going),
        waitlist: people(&page.waitlist),
        maybe: people(&page.maybe),
        started: page.started,
        attended: people(&page.attended),
        checked_in: page.checked_in,
        feedback: page
            .feedback
            .map(|(n, mean)| format!("{mean:.1} out of 5 from {}", format::count(n as i64, "rating", "ratings"))),
        comments: page.comments.clone(),
        my_rating: page.my_feedback.as_ref().map_or(0, |f| f.0),
        my_comment: page.my_feedback.as_ref().map(|f| f.1.clone()).unwrap_or_default(),
        notes: page.notes.clone(),
        notes_html: crate::markdown::render(&page.notes),
        recording_url: page.recording_url.clone(),
        ratings: [1, 2, 3, 4, 5],
    };
    render(&template)
}

#[derive(Deserialize)]
pub struct RsvpForm {
    #[serde(default)]
    answer: String,
}

pub async fn rsvp(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<RsvpForm>,
) -> Response {
    match state.app.rsvp(&viewer, id, &key, &form.answer).await {
        Ok(result) => {
            let notice = match result {
                RsvpResult::Going => "going",
                RsvpResult::Waitlisted => "waitlisted",
                RsvpResult::Maybe => "maybe",
                RsvpResult::NotGoing => "not-going",
            };
            Redirect::to(&format!("/events/{id}/{key}?notice={notice}")).into_response()
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn cancel_occurrence(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
) -> Response {
    match state.app.cancel_occurrence(&viewer, id, &key).await {
        Ok(()) => Redirect::to(&format!("/events/{id}/{key}?notice=session-cancelled")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// A session in the home page's "next two weeks".
pub struct UpcomingRow {
    pub href: String,
    pub title: String,
    pub when: String,
    pub community: String,
    pub mine: Option<&'static str>,
    pub iso: String,
}

/// Upcoming sessions for the home page.
pub fn upcoming_rows(list: &[OccurrenceView], viewer: &Viewer) -> Vec<UpcomingRow> {
    list.iter()
        .map(|o| UpcomingRow {
            href: format!("/events/{}/{}", o.event.id, o.key),
            title: o.event.title.clone(),
            when: format!(
                "{}, {}",
                format::short_day(o.start, viewer.time_zone),
                format::time(o.start, viewer.time_zone)
            ),
            community: o.event.community_name.clone(),
            mine: answer_label(o.mine),
            iso: format::rfc3339(o.start),
        })
        .collect()
}

fn after_occurrence(result: Result<(), AppError>, id: i64, key: &str, notice: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/events/{id}/{key}?notice={notice}")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    handle: String,
    #[serde(default)]
    code: String,
}

/// A facilitator checks someone in by handle, or a member checks in with the code.
pub async fn check_in(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<CheckInForm>,
) -> Response {
    let result = if form.code.trim().is_empty() {
        state.app.check_in(&viewer, id, &key, &form.handle).await
    } else {
        state.app.check_in_with_code(&viewer, id, &key, &form.code).await
    };
    after_occurrence(result, id, &key, "checked-in")
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

pub async fn give_feedback(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<FeedbackForm>,
) -> Response {
    after_occurrence(
        state.app.give_feedback(&viewer, id, &key, &form.rating, &form.comment).await,
        id,
        &key,
        "feedback",
    )
}

#[derive(Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
    #[serde(default)]
    recording_url: String,
}

pub async fn save_notes(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<NotesForm>,
) -> Response {
    after_occurrence(
        state.app.save_session_notes(&viewer, id, &key, &form.notes, &form.recording_url).await,
        id,
        &key,
        "notes",
    )
}
