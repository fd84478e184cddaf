//! Event pages: a community's calendar and upcoming sessions, scheduling a
//! session, one occurrence with RSVP and its waitlist.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate, TimeZone as _, Utc};
use copse_app::{AppError, OccurrenceView, RsvpResult, Viewer};
use copse_domain::{EventFormat, EventInput, EventKind, FieldErrors, RsvpAnswer, Timestamp};
use serde::Deserialize;

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
    let now = Utc::now();
    let soon = now + Duration::days(90);
    // The month shown usually overlaps the next 90 days: expand once over
    // both windows then. A far-off month gets its own expansion, so the
    // per-series occurrence cap never cuts into what is shown.
    let (in_grid, upcoming) = if from <= soon && to >= now {
        match app.community_occurrences(&viewer, &slug, from.min(now), to.max(soon)).await {
            Ok(all) => {
                let within = |o: &&OccurrenceView, a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| {
                    o.start >= Timestamp::from(a) && o.start < Timestamp::from(b)
                };
                let grid = all.iter().filter(|o| within(o, from, to)).cloned().collect::<Vec<_>>();
                let next = all.iter().filter(|o| within(o, now, soon)).cloned().collect::<Vec<_>>();
                (grid, next)
            }
            Err(error) => return PageError::from(error).into_response(),
        }
    } else {
        let grid = match app.community_occurrences(&viewer, &slug, from, to).await {
            Ok(list) => list,
            Err(error) => return PageError::from(error).into_response(),
        };
        match app.community_occurrences(&viewer, &slug, now, soon).await {
            Ok(next) => (grid, next),
            Err(error) => return PageError::from(error).into_response(),
        }
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
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    /// Set when editing from one occurrence: offers "this and following".
    from_key: Option<String>,
    scope_all: bool,
    fields: Vec<FormField>,
    error_links: Vec<ErrorLink>,
}

/// What the event form does: schedule a new series or edit one.
struct FormMode {
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    from_key: Option<String>,
    scope_all: bool,
}

impl FormMode {
    fn schedule(slug: &str) -> Self {
        FormMode {
            heading: "Schedule a session".into(),
            action: format!("/communities/{slug}/events/new"),
            submit_label: "Schedule",
            cancel_href: format!("/communities/{slug}/events"),
            from_key: None,
            scope_all: false,
        }
    }

    fn edit(id: i64, title: &str, slug: &str, from_key: Option<String>, scope_all: bool) -> Self {
        FormMode {
            heading: format!("Edit {title}"),
            action: format!("/events/{id}/edit"),
            submit_label: "Save changes",
            cancel_href: match &from_key {
                Some(key) => format!("/events/{id}/{key}"),
                None => format!("/communities/{slug}/events"),
            },
            from_key,
            scope_all,
        }
    }
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

#[allow(clippy::too_many_arguments)]
fn event_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    name: &str,
    input: &EventInput,
    errors: FieldErrors,
    mode: FormMode,
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
            form_title(&mode.heading, &errors),
            state.app.org_name(),
            Some(viewer),
            csrf,
            "communities",
        ),
        slug: slug.to_string(),
        community_name: name.to_string(),
        heading: mode.heading,
        action: mode.action,
        submit_label: mode.submit_label,
        cancel_href: mode.cancel_href,
        from_key: mode.from_key,
        scope_all: mode.scope_all,
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
    let mode = FormMode::schedule(&page.community.slug);
    render(&event_form(
        &state,
        &viewer,
        &csrf,
        &page.community.slug,
        &page.community.name,
        &input,
        FieldErrors::new(),
        mode,
    ))
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
                &event_form(
                    &state,
                    &viewer,
                    &csrf,
                    &page.community.slug,
                    &page.community.name,
                    &input,
                    errors,
                    FormMode::schedule(&page.community.slug),
                ),
            ),
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct EditQuery {
    from: Option<String>,
}

/// The edit form of a series, prefilled from what is stored; opened from an
/// occurrence (`?from=KEY`) it offers "this and following".
pub async fn edit_event(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> Response {
    let from = query.from.filter(|k| !k.trim().is_empty());
    match state.app.event_for_edit(&viewer, id, from.as_deref()).await {
        Ok((event, input)) => {
            let mode = FormMode::edit(id, &event.title, &event.community_slug, from, false);
            render(&event_form(
                &state,
                &viewer,
                &csrf,
                &event.community_slug,
                &event.community_name,
                &input,
                FieldErrors::new(),
                mode,
            ))
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct EditFormData {
    #[serde(flatten)]
    event: EventFormData,
    #[serde(default)]
    from: String,
    #[serde(default)]
    scope: String,
}

pub async fn update_event(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<EditFormData>,
) -> Response {
    let from = Some(form.from.trim().to_string()).filter(|k| !k.is_empty());
    let scope_all = form.scope == "all";
    let input = EventInput::from(form.event);
    let result = match (&from, scope_all) {
        (Some(key), false) => state.app.split_event(&viewer, id, key, &input).await,
        (Some(_), true) => {
            // "All sessions" keeps the series' first date.
            match state.app.event_for_edit(&viewer, id, None).await {
                Ok((_, stored)) => {
                    let mut all = input.clone();
                    all.date = stored.date;
                    state.app.update_event(&viewer, id, &all).await
                }
                Err(error) => Err(error),
            }
        }
        (None, _) => state.app.update_event(&viewer, id, &input).await,
    };
    let errors = match result {
        Ok(event) => {
            return Redirect::to(&format!("/communities/{}/events?notice=event-saved", event.community_slug))
                .into_response();
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(AppError::Conflict { field, message }) if !field.is_empty() => {
            (StatusCode::CONFLICT, FieldErrors::single(field, message))
        }
        Err(error) => return PageError::from(error).into_response(),
    };
    match state.app.event_for_edit(&viewer, id, None).await {
        Ok((event, _)) => {
            let mode = FormMode::edit(id, &event.title, &event.community_slug, from, scope_all);
            render_status(
                errors.0,
                &event_form(
                    &state,
                    &viewer,
                    &csrf,
                    &event.community_slug,
                    &event.community_name,
                    &input,
                    errors.1,
                    mode,
                ),
            )
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    duration_minutes: String,
}

/// Moves one occurrence (facilitators); it keeps its address and answers.
pub async fn move_occurrence(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<MoveForm>,
) -> Response {
    match state.app.move_occurrence(&viewer, id, &key, &form.date, &form.time, &form.duration_minutes).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/{key}?notice=session-moved")).into_response(),
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
    /// Already going or waiting: no need to offer "going" again.
    already_going: bool,
    /// The organizer's zone differs from the reader's.
    other_zone: bool,
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
    event_id: i64,
    key: String,
    /// The occurrence's current local start and length in the organizer's zone, for the move form.
    move_date: String,
    move_time: String,
    move_duration: u32,
    zone: String,
}

#[derive(Deserialize)]
pub struct OccurrenceQuery {
    notice: Option<String>,
    going: Option<usize>,
    waitlisted: Option<usize>,
    updated: Option<usize>,
}

/// The notice after answering for a whole series; only numbers come from the request.
fn series_notice(query: &OccurrenceQuery) -> Option<String> {
    if query.notice.as_deref() != Some("series") {
        return None;
    }
    let updated = query.updated.unwrap_or(0);
    let sessions = format::count(updated as i64, "upcoming session", "upcoming sessions");
    Some(match (query.going, query.waitlisted) {
        (Some(going), Some(waitlisted)) if going + waitlisted > 0 => {
            format!("Answered for {sessions}: going to {going}, on the waitlist for {waitlisted}.")
        }
        _ => format!("Answered for {sessions}."),
    })
}

pub async fn show_occurrence(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Query(query): Query<OccurrenceQuery>,
) -> Response {
    let page = match state.app.occurrence_page(&viewer, id, &key).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let o = &page.occurrence;
    let people = |list: &[copse_app::Attendee]| {
        list.iter().map(|a| (a.handle.clone(), a.name.clone(), initials(&a.name))).collect::<Vec<_>>()
    };
    let mut layout = Layout::new(o.event.title.clone(), state.app.org_name(), Some(&viewer), &csrf, "communities")
        .with_notice(query.notice.as_deref());
    if let Some(text) = series_notice(&query) {
        layout.notice = Some(text);
    }
    let local_start = o.start.to_utc().with_timezone(&o.event.zone.0);
    let template = OccurrenceTemplate {
        layout,
        event_id: o.event.id,
        key: o.key.clone(),
        move_date: local_start.format("%Y-%m-%d").to_string(),
        move_time: local_start.format("%H:%M").to_string(),
        move_duration: ((o.end.0 - o.start.0) / 60_000).clamp(1, i64::from(u32::MAX)) as u32,
        zone: o.event.zone.name().to_string(),
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
        already_going: matches!(o.mine, Some((RsvpAnswer::Going, _))),
        other_zone: o.event.zone != viewer.time_zone,
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
    /// Set to answer for every upcoming session of the series.
    #[serde(default)]
    series: String,
}

pub async fn rsvp(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if !form.series.is_empty() {
        return match state.app.rsvp_series(&viewer, id, &form.answer).await {
            Ok(r) => Redirect::to(&format!(
                "/events/{id}/{key}?notice=series&going={}&waitlisted={}&updated={}",
                r.going, r.waitlisted, r.updated
            ))
            .into_response(),
            Err(error) => PageError::from(error).into_response(),
        };
    }
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
