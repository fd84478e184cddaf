//! Calendar feeds over HTTP, in iCalendar (RFC 5545) form, and the pages
//! that hand out their addresses.
//!
//! - `GET /calendars/communities/{slug}.ics`: a community's public feed (no
//!   sign-in; open and request-to-join communities only, 404 otherwise).
//! - `GET /calendars/people/{token}.ics`: a person's private feed; the
//!   secret token in the URL stands in for signing in.
//! - `POST /settings/calendar` (make or reset the personal feed's address,
//!   shown once on the tokens page) and `POST /settings/calendar/delete`.
//! - `GET /communities/{slug}/calendar`: how to subscribe to a community's
//!   feed (or, for a private community, where its sessions are instead).
//!
//! The app hands over series and their exceptions ([`FeedData`]); this
//! module turns them into [`CalendarEvent`]s for [`write_calendar`].

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use copse_app::{AppError, FeedData, Viewer};
use copse_domain::{EventFormat, EventStatus, Visibility, local_key};

use super::layout::{Layout, render};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;
use crate::ical::{CalendarEvent, write_calendar};

const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

const COMMUNITY_NOT_FOUND: &str = "There is no public calendar at this address. Only communities that are not \
     private have one; a private community's sessions are in its members' personal calendar feeds.\n";

const PERSON_NOT_FOUND: &str = "This calendar address is not valid. Its owner may have reset it or turned it off; \
     they can get the current address in copse under Settings, \"API tokens and calendar\".\n";

/// The scheme and host this request reached us at, such as
/// `https://copse.example.org`, for addresses people paste elsewhere.
fn base_url(state: &WebState, headers: &HeaderMap) -> (String, String) {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("localhost")
        .to_ascii_lowercase();
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let scheme = if state.app.config().secure_cookies || forwarded_https { "https" } else { "http" };
    (format!("{scheme}://{host}"), host)
}

/// A feed's address, to copy and to open in a calendar program.
pub(super) struct FeedAddress {
    pub https: String,
    pub webcal: String,
}

impl FeedAddress {
    fn new(base: &str, path: &str) -> Self {
        let without_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
        Self { https: format!("{base}{path}"), webcal: format!("webcal://{without_scheme}{path}") }
    }
}

/// The "Your calendar feed" part of the tokens page.
pub(super) struct CalendarPanel {
    /// When the current address was made, if there is one.
    pub active_since: Option<String>,
    /// The address just made, shown this once.
    pub new_address: Option<FeedAddress>,
}

pub(super) async fn calendar_panel(
    state: &WebState,
    viewer: &Viewer,
    new_address: Option<FeedAddress>,
) -> Result<CalendarPanel, AppError> {
    let status = state.app.calendar_feed_status(viewer).await?;
    Ok(CalendarPanel { active_since: status.created_at.map(|at| format::date(at, viewer.time_zone)), new_address })
}

/// The events of a feed as iCalendar writes them: each series once (with
/// `EXDATE`s for cancelled occurrences) and one override per moved
/// occurrence. A one-off event carries its exception itself.
pub(crate) fn calendar_events(feed: &FeedData, base: &str, host: &str) -> Vec<CalendarEvent> {
    let mut out = Vec::with_capacity(feed.series.len());
    for series in &feed.series {
        let event = &series.event;
        let mut description = format!("{} · {} · {}", event.community_name, event.kind.label(), event.format.label());
        if !event.link.is_empty() {
            description.push_str(&format!("\nJoin online: {}", event.link));
        }
        if !event.description.is_empty() {
            description.push_str("\n\n");
            description.push_str(&event.description);
        }
        let location = if !event.location.is_empty() {
            event.location.clone()
        } else if event.format != EventFormat::InPerson {
            event.link.clone()
        } else {
            String::new()
        };
        let master = CalendarEvent {
            uid: format!("event-{}@{host}", event.id),
            start_local: event.start_local,
            zone: event.zone.0,
            duration_minutes: event.duration_minutes,
            rrule: event.recurrence.as_ref().map(|r| r.as_str().to_string()),
            exdates_local: Vec::new(),
            recurrence_id_local: None,
            summary: event.title.clone(),
            description,
            location,
            url: Some(format!("{base}/communities/{}/events", event.community_slug)),
            status_cancelled: event.status == EventStatus::Cancelled,
            last_modified: series.updated_at.to_utc(),
            sequence: 0,
        };
        if event.recurrence.is_none() {
            // A one-off: its only occurrence is its start.
            let mut single = master;
            single.url = Some(format!("{base}/events/{}/{}", event.id, local_key(event.start_local)));
            if series.cancelled.contains(&event.start_local) {
                single.status_cancelled = true;
            } else if let Some(moved) = series.moved.iter().find(|m| m.original_start_local == event.start_local) {
                single.start_local = moved.start_local;
                single.duration_minutes = moved.duration_minutes;
            }
            out.push(single);
            continue;
        }
        let overrides: Vec<CalendarEvent> = series
            .moved
            .iter()
            .map(|moved| CalendarEvent {
                start_local: moved.start_local,
                duration_minutes: moved.duration_minutes,
                rrule: None,
                recurrence_id_local: Some(moved.original_start_local),
                url: Some(format!("{base}/events/{}/{}", event.id, local_key(moved.original_start_local))),
                ..master.clone()
            })
            .collect();
        out.push(CalendarEvent { exdates_local: series.cancelled.clone(), ..master });
        out.extend(overrides);
    }
    out
}

fn calendar_response(state: &WebState, headers: &HeaderMap, feed: &FeedData) -> Response {
    let (base, host) = base_url(state, headers);
    let body = write_calendar(&feed.name, &calendar_events(feed, &base, &host));
    ([(header::CONTENT_TYPE, CALENDAR_TYPE)], body).into_response()
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

fn feed_error(error: AppError, not_found: &'static str) -> Response {
    match error {
        AppError::NotFound(_) => plain(StatusCode::NOT_FOUND, not_found),
        other => {
            tracing::warn!(error = %other, "calendar feed failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "The calendar cannot be made right now; please try again later.\n")
        }
    }
}

/// `GET /calendars/communities/{slug}.ics`
pub async fn community_feed(State(state): State<WebState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".ics") else {
        return plain(StatusCode::NOT_FOUND, COMMUNITY_NOT_FOUND);
    };
    match state.app.community_feed(slug).await {
        Ok(feed) => calendar_response(&state, &headers, &feed),
        Err(error) => feed_error(error, COMMUNITY_NOT_FOUND),
    }
}

/// `GET /calendars/people/{token}.ics`
pub async fn person_feed(State(state): State<WebState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return plain(StatusCode::NOT_FOUND, PERSON_NOT_FOUND);
    };
    match state.app.person_feed(token).await {
        Ok(feed) => calendar_response(&state, &headers, &feed),
        Err(error) => feed_error(error, PERSON_NOT_FOUND),
    }
}

/// `POST /settings/calendar`: a new address for the viewer's feed, shown once.
pub async fn reset_calendar(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    headers: HeaderMap,
) -> Response {
    match state.app.reset_calendar_token(&viewer).await {
        Ok(token) => {
            let (base, _) = base_url(&state, &headers);
            let address = FeedAddress::new(&base, &format!("/calendars/people/{token}.ics"));
            super::people::tokens_page(&state, &viewer, &csrf, None, None, None, Some(address)).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `POST /settings/calendar/delete`: turns the viewer's feed off.
pub async fn delete_calendar(State(state): State<WebState>, PageViewer { viewer, .. }: PageViewer) -> Response {
    match state.app.delete_calendar_token(&viewer).await {
        Ok(()) | Err(AppError::NotFound(_)) => Redirect::to("/settings/tokens#calendar").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"{% extends "base.html" %}
{% block content %}
<div class="page-head"><div>
  <p class="crumbs"><a href="/communities/{{ slug }}">{{ community_name }}</a> · <a href="/communities/{{ slug }}/events">Events</a></p>
  <h1>Subscribe to the sessions</h1>
</div></div>
<section class="panel">
{% if let Some(a) = address %}
  <p>Add this address to your calendar app as a subscription, and {{ community_name }}'s sessions appear there and stay up to date: new ones, moved ones and cancellations.</p>
  <p><code class="token">{{ a.https }}</code></p>
  <div class="button-row"><a class="button primary" href="{{ a.webcal }}">Open in my calendar app</a></div>
  <p class="hint">Where a calendar asks for it, use "subscribe" or "add calendar from URL" (Google Calendar: Other calendars, From URL; Outlook: Add calendar, Subscribe from web; Apple Calendar: File, New Calendar Subscription). The address needs no sign-in, so anyone who has it sees the sessions' titles and times; meeting links are left out.</p>
  <p class="hint">Your <a href="/settings/tokens#calendar">personal calendar feed</a> has the sessions of all your communities in one subscription.</p>
{% else %}
  <p>{{ community_name }} is private, so it has no public calendar address. Its sessions are in your <a href="/settings/tokens#calendar">personal calendar feed</a>, with those of all your other communities.</p>
{% endif %}
</section>
{% endblock %}"#
)]
struct SubscribePage {
    layout: Layout,
    slug: String,
    community_name: String,
    address: Option<FeedAddress>,
}

/// `GET /communities/{slug}/calendar`: how to subscribe to a community's feed.
pub async fn subscribe_page(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let page = match state.app.community_page(&viewer, &slug).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let community = &page.community;
    let address = (community.visibility != Visibility::Private).then(|| {
        let (base, _) = base_url(&state, &headers);
        FeedAddress::new(&base, &format!("/calendars/communities/{}.ics", community.slug))
    });
    render(&SubscribePage {
        layout: Layout::new(
            format!("Subscribe · {}", community.name),
            state.app.org_name(),
            Some(&viewer),
            &csrf,
            "communities",
        ),
        slug: community.slug.clone(),
        community_name: community.name.clone(),
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use copse_app::{EventView, FeedSeries, MovedOccurrence};
    use copse_domain::recurrence::Recurrence;
    use copse_domain::{CommunityId, EventKind, TimeZone, Timestamp, parse_local_key};

    fn at(text: &str) -> chrono::NaiveDateTime {
        parse_local_key(text).unwrap()
    }

    fn series(id: i64, rule: Option<&str>, cancelled: &[&str], moved: &[(&str, &str)]) -> FeedSeries {
        FeedSeries {
            event: EventView {
                id,
                community_id: CommunityId(1),
                community_slug: "rust".into(),
                community_name: "Rust".into(),
                title: format!("Series {id}"),
                description: String::new(),
                kind: EventKind::Meetup,
                format: EventFormat::Remote,
                location: String::new(),
                link: "https://meet.example.com/x".into(),
                start_local: at("2030-03-07T18:00"),
                zone: TimeZone::parse("Europe/Berlin").unwrap(),
                duration_minutes: 60,
                capacity: None,
                recurrence: rule.map(|r| Recurrence::parse(r).unwrap()),
                status: EventStatus::Scheduled,
            },
            cancelled: cancelled.iter().map(|c| at(c)).collect(),
            moved: moved
                .iter()
                .map(|(from, to)| MovedOccurrence {
                    original_start_local: at(from),
                    start_local: at(to),
                    duration_minutes: 45,
                })
                .collect(),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn series_get_exdates_and_overrides_and_one_offs_carry_their_own_exception() {
        let feed = FeedData {
            name: "c".into(),
            series: vec![
                series(
                    1,
                    Some("FREQ=WEEKLY;BYDAY=TH"),
                    &["2030-03-14T18:00"],
                    &[("2030-03-21T18:00", "2030-03-22T09:00")],
                ),
                series(2, None, &["2030-03-07T18:00"], &[]),
                series(3, None, &[], &[("2030-03-07T18:00", "2030-03-08T10:00")]),
            ],
        };
        let events = calendar_events(&feed, "https://copse.example", "copse.example");
        assert_eq!(events.len(), 4);
        let (master, moved, cancelled_once, moved_once) = (&events[0], &events[1], &events[2], &events[3]);
        assert_eq!(master.uid, "event-1@copse.example");
        assert_eq!(master.exdates_local, vec![at("2030-03-14T18:00")]);
        assert_eq!(master.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=TH"));
        assert!(master.description.contains("Join online: https://meet.example.com/x"));
        assert_eq!(moved.uid, master.uid);
        assert_eq!(moved.recurrence_id_local, Some(at("2030-03-21T18:00")));
        assert_eq!((moved.start_local, moved.duration_minutes), (at("2030-03-22T09:00"), 45));
        assert!(moved.rrule.is_none() && moved.exdates_local.is_empty());
        assert_eq!(moved.url.as_deref(), Some("https://copse.example/events/1/2030-03-21T18:00"));
        assert!(cancelled_once.status_cancelled && cancelled_once.exdates_local.is_empty());
        assert!(!moved_once.status_cancelled && moved_once.recurrence_id_local.is_none());
        assert_eq!((moved_once.start_local, moved_once.duration_minutes), (at("2030-03-08T10:00"), 45));
    }

    #[test]
    fn addresses_come_in_https_and_webcal_forms() {
        let address = FeedAddress::new("https://copse.example:8443", "/calendars/people/abc.ics");
        assert_eq!(address.https, "https://copse.example:8443/calendars/people/abc.ics");
        assert_eq!(address.webcal, "webcal://copse.example:8443/calendars/people/abc.ics");
    }
}
