//! Test-only helpers: a fresh, migrated database per test on either backend.
//!
//! The backend comes from `COPSE_TEST_BACKEND` (`sqlite`, the default, or
//! `postgres`). On PostgreSQL each test gets its own schema in the database
//! named by `COPSE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/copse_test`), so tests run in parallel
//! without `#[serial]`. A plain `cargo test` (no backend named) runs on SQLite
//! and says loudly that PostgreSQL was skipped; `scripts/test` and CI name
//! each backend and always run the suite a second time on PostgreSQL.

use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use copse_domain::{Handle, OrgRole, PersonId, Profile, ProfileInput, Timestamp};
use copse_store::{Backend, NewPerson, Store, StoreOptions};

static COUNTER: AtomicU64 = AtomicU64::new(0);
static SKIP_NOTICE: Once = Once::new();

/// Which backend this test run uses.
pub fn backend() -> Backend {
    match std::env::var("COPSE_TEST_BACKEND").as_deref() {
        Ok("postgres") | Ok("postgresql") => Backend::Postgres,
        Ok("sqlite") => Backend::Sqlite,
        Ok("") | Err(_) => {
            SKIP_NOTICE.call_once(|| {
                eprintln!(
                    "\n*** copse tests: running on SQLite only; PostgreSQL SKIPPED. \
                     Run `scripts/test` (or set COPSE_TEST_BACKEND=postgres) for the PostgreSQL run. ***\n"
                )
            });
            Backend::Sqlite
        }
        Ok(other) => panic!("COPSE_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

/// A database that exists for one test. Dropping it removes a SQLite file;
/// PostgreSQL schemas are left for the run's database to be dropped whole.
pub struct TestDb {
    pub url: String,
    pub store: Store,
    sqlite_path: Option<PathBuf>,
}

impl TestDb {
    /// A fresh, migrated database on the configured backend.
    pub async fn new() -> Self {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let unique = format!("{}_{}_{}", std::process::id(), n, nanos());
        let (url, sqlite_path) = match backend() {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("copse-tests");
                std::fs::create_dir_all(&dir).expect("create temp dir");
                let path = dir.join(format!("t{unique}.db"));
                (format!("sqlite://{}", path.display()), Some(path))
            }
            Backend::Postgres => {
                let base = std::env::var("COPSE_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/copse_test".into());
                let schema = format!("t{unique}");
                let admin = Store::connect(&base, &StoreOptions { max_connections: 1, create_if_missing: false })
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {base}: {e}"));
                admin.execute_raw(&format!("CREATE SCHEMA {schema}")).await.expect("create schema");
                admin.close().await;
                let separator = if base.contains('?') { '&' } else { '?' };
                (format!("{base}{separator}options=-c%20search_path%3D{schema}"), None)
            }
        };
        let store = Store::connect(&url, &StoreOptions { max_connections: 4, create_if_missing: true })
            .await
            .unwrap_or_else(|e| panic!("cannot open test database {url}: {e}"));
        store.migrate().await.expect("migrations apply");
        Self { url, store, sqlite_path }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() % 1_000_000_000)
        .unwrap_or(0)
}

/// A person with a plain member's profile (Berlin, 09:00–17:00), for store
/// tests that need someone to own or write things.
pub async fn person(store: &Store, handle: &str) -> PersonId {
    let profile = Profile::parse(&ProfileInput {
        name: handle.into(),
        time_zone: "Europe/Berlin".into(),
        work_start: "09:00".into(),
        work_end: "17:00".into(),
        experience: "mid".into(),
        ..Default::default()
    })
    .unwrap();
    store
        .insert_person(&NewPerson {
            handle: Handle::parse(handle).unwrap(),
            email: None,
            role: OrgRole::Member,
            profile,
            created_at: Timestamp::now(),
        })
        .await
        .unwrap()
}
