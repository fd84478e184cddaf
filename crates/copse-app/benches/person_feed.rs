//! A person's calendar feed when they belong to 200 communities, each with
//! two repeating series (weekly without end, monthly with a count) in six
//! zones and a cancelled and a moved occurrence: the app call that loads
//! the feed (`App::person_feed`: token, communities, series, exceptions),
//! and, for comparison, one community's public feed.
//!
//! The database is a fresh one from `copse_testkit` (SQLite in a temporary
//! file by default; `COPSE_TEST_BACKEND=postgres` for PostgreSQL). Writing
//! the iCalendar text is measured in copse-web's `calendar_feed` bench.
//!
//!     cargo bench -p copse-app --bench person_feed

use std::hint::black_box;

use copse_app::{App, AppConfig, NewAccount, Viewer};
use copse_domain::{Actor, CommunityInput, EventInput, OrgRole};
use copse_testkit::TestDb;
use criterion::{Criterion, criterion_group, criterion_main};

const COMMUNITIES: usize = 200;

const ZONES: [&str; 6] =
    ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC", "America/Sao_Paulo"];

struct Fixture {
    _db: TestDb,
    app: App,
    token: String,
}

async fn fixture() -> Fixture {
    let db = TestDb::new().await;
    let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
    let person = app
        .create_account(&NewAccount {
            handle: "bench".into(),
            name: "Bench Person".into(),
            email: "bench@example.com".into(),
            password: "correct horse battery".into(),
            admin: false,
        })
        .await
        .expect("account");
    let viewer = Viewer {
        actor: Actor::person(person, OrgRole::Member),
        handle: "bench".into(),
        name: "Bench Person".into(),
        time_zone: copse_domain::TimeZone::utc(),
    };
    for i in 0..COMMUNITIES {
        let slug = format!("community-{i:03}");
        app.create_community(
            &viewer,
            &CommunityInput {
                name: format!("Community {i:03}"),
                slug: slug.clone(),
                domain: "Benchmarks".into(),
                kind: "technical-practice".into(),
                visibility: if i % 4 == 0 { "private" } else { "open" }.into(),
                purpose: "Measure the calendar feed".into(),
                ..CommunityInput::default()
            },
        )
        .await
        .expect("community");
        let zone = ZONES[i % ZONES.len()];
        let event = |title: &str, date: &str, time: &str, rule: &str| EventInput {
            title: title.into(),
            description: "Bring questions; we work through them together.".into(),
            kind: "meetup".into(),
            format: "remote".into(),
            link: "https://meet.example.com/room".into(),
            date: date.into(),
            time: time.into(),
            duration_minutes: "60".into(),
            time_zone: zone.into(),
            recurrence: rule.into(),
            ..EventInput::default()
        };
        let hour = 8 + (i % 10);
        let weekly = app
            .create_event(
                &viewer,
                &slug,
                &event("Weekly clinic", "2026-01-05", &format!("{hour:02}:00"), "FREQ=WEEKLY;BYDAY=MO"),
            )
            .await
            .expect("weekly series");
        app.create_event(
            &viewer,
            &slug,
            &event("Monthly review", "2026-01-06", &format!("{hour:02}:30"), "FREQ=MONTHLY;BYDAY=1TU;COUNT=24"),
        )
        .await
        .expect("monthly series");
        let store = app.store();
        store.set_exception(weekly.id, &format!("2027-01-04T{hour:02}:00"), true, None, None).await.expect("cancel");
        store
            .set_exception(
                weekly.id,
                &format!("2027-01-11T{hour:02}:00"),
                false,
                Some((&format!("2027-01-12T{hour:02}:00"), 90)),
                None,
            )
            .await
            .expect("move");
    }
    let token = app.reset_calendar_token(&viewer).await.expect("token");
    Fixture { _db: db, app, token }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let fixture = runtime.block_on(fixture());
    let feed = runtime.block_on(fixture.app.person_feed(&fixture.token)).expect("feed");
    assert_eq!(feed.series.len(), 2 * COMMUNITIES, "every series of every community");
    assert!(feed.series.iter().all(|s| s.event.recurrence.is_some()));

    c.bench_function("person_feed/load_200_communities", |b| {
        b.iter(|| runtime.block_on(fixture.app.person_feed(black_box(&fixture.token))).expect("feed"))
    });
    c.bench_function("community_feed/load_one_community", |b| {
        b.iter(|| runtime.block_on(fixture.app.community_feed(black_box("community-001"))).expect("feed"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = bench
}
criterion_main!(benches);
