//! A person's calendar feed when they belong to 200 communities, each with
//! two repeating series in six zones and a cancelled and a moved
//! occurrence: the whole request (`GET /calendars/people/{token}.ics`
//! through the router: load, map, write), and writing the iCalendar text
//! alone for the same shape of calendar.
//!
//! The database is a fresh one from `copse_testkit` (SQLite in a temporary
//! file by default; `COPSE_TEST_BACKEND=postgres` for PostgreSQL).
//!
//!     cargo bench -p copse-web --bench calendar_feed

use std::hint::black_box;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{NaiveDate, TimeZone as _, Utc};
use chrono_tz::Tz;
use copse_app::{App, AppConfig};
use copse_testkit::TestDb;
use copse_web::ical::{CalendarEvent, write_calendar};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use tower::ServiceExt;

const COMMUNITIES: usize = 200;

const ZONES: [&str; 6] =
    ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC", "America/Sao_Paulo"];

async fn fixture() -> (TestDb, App, String) {
    let db = TestDb::new().await;
    let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
    let token = copse_app::demo::feed_fixture(&app, COMMUNITIES).await.expect("fixture");
    (db, app, token)
}

/// The same shape of calendar, built directly: 400 series and 200 overrides.
fn calendar_events() -> Vec<CalendarEvent> {
    let at = |date: &str, hour: usize, minute: u32| {
        NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap().and_hms_opt(hour as u32, minute, 0).unwrap()
    };
    let mut events = Vec::new();
    for i in 0..COMMUNITIES {
        let zone: Tz = ZONES[i % ZONES.len()].parse().unwrap();
        let hour = 8 + (i % 10);
        let base = CalendarEvent {
            uid: format!("event-{}@bench", 2 * i),
            start_local: at("2026-01-05", hour, 0),
            zone,
            duration_minutes: 60,
            rrule: Some("FREQ=WEEKLY;BYDAY=MO".into()),
            exdates_local: vec![at("2027-01-04", hour, 0)],
            recurrence_id_local: None,
            summary: "Weekly clinic".into(),
            description: format!("Community {i:03} · Meetup · Remote\nJoin online: https://meet.example.com/room"),
            location: "https://meet.example.com/room".into(),
            url: Some(format!("https://copse.example/communities/community-{i:03}/events")),
            status_cancelled: false,
            last_modified: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
            sequence: 0,
        };
        events.push(CalendarEvent {
            exdates_local: Vec::new(),
            rrule: None,
            start_local: at("2027-01-12", hour, 0),
            duration_minutes: 90,
            recurrence_id_local: Some(at("2027-01-11", hour, 0)),
            ..base.clone()
        });
        events.push(CalendarEvent {
            uid: format!("event-{}@bench", 2 * i + 1),
            start_local: at("2026-01-06", hour, 30),
            rrule: Some("FREQ=MONTHLY;BYDAY=1TU;COUNT=24".into()),
            exdates_local: Vec::new(),
            summary: "Monthly review".into(),
            ..base.clone()
        });
        events.push(base);
    }
    events
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let (_db, app, token) = runtime.block_on(fixture());
    let router = copse_web::router(app);
    let path = format!("/calendars/people/{token}.ics");
    let get = || async {
        let request = Request::builder().uri(&path).header("host", "copse.example").body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.into_body().collect().await.unwrap().to_bytes()
    };
    let body = runtime.block_on(get());
    let text = std::str::from_utf8(&body).unwrap();
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 3 * COMMUNITIES, "400 series and 200 overrides");

    c.bench_function("calendar_feed/get_person_feed_200_communities", |b| b.iter(|| runtime.block_on(get())));

    let events = calendar_events();
    c.bench_function("calendar_feed/write_600_vevents_6_zones", |b| {
        b.iter(|| write_calendar(black_box("Bench Person"), black_box(&events)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = bench
}
criterion_main!(benches);
