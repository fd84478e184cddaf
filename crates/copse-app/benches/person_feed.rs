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

use copse_app::{App, AppConfig};
use copse_testkit::TestDb;
use criterion::{Criterion, criterion_group, criterion_main};

const COMMUNITIES: usize = 200;

struct Fixture {
    _db: TestDb,
    app: App,
    token: String,
}

async fn fixture() -> Fixture {
    let db = TestDb::new().await;
    let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
    let token = copse_app::demo::feed_fixture(&app, COMMUNITIES).await.expect("fixture");
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
