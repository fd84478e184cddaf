//! All of copse's SQL, for SQLite and PostgreSQL.
//!
//! One concrete [`Store`] wraps whichever pool the database URL chose. Queries
//! are written once in the dialect both databases share (`$1` parameters,
//! `RETURNING`, `ON CONFLICT`); the [`with_pool!`] macro runs the same
//! expression on the live pool, so each query exists exactly once. Where the
//! dialects differ (the DDL's identity columns), the difference lives in the
//! two migration folders, which must hold the same file names.
//!
//! Rows come back as plain `*Row` structs of primitive fields; `copse-app`
//! turns them into domain values. Every write that changes what a community
//! page shows bumps `communities.version` in the same transaction, which is
//! what page caches check.
//!
//! Times are UTC milliseconds since the Unix epoch in `BIGINT` columns.

mod auth;
pub mod bulk;
mod calendars;
mod communities;
mod contributions;
mod discussions;
mod error;
mod events;
mod imports;
mod insight;
mod memberships;
mod mentoring;
mod migrations;
mod organization;
mod people;
mod planning;
mod practice;
mod recognition;
mod search_docs;
mod settings;
mod skills;
mod surveys;

pub use auth::*;
pub use calendars::*;
pub use communities::*;
pub use contributions::*;
pub use discussions::*;
pub use error::StoreError;
pub use events::*;
pub use imports::*;
pub use insight::*;
pub use memberships::*;
pub use mentoring::*;
pub use migrations::{MIGRATIONS, Migration};
pub use organization::*;
pub use people::*;
pub use planning::*;
pub use practice::*;
pub use recognition::*;
pub use search_docs::*;
pub use skills::*;
pub use surveys::*;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

/// The live connection pool, one variant per supported database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `$body` with `$pool` bound to whichever pool is live. The body is
/// compiled once per backend, so sqlx's types line up on each side.
#[macro_export]
#[doc(hidden)]
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Appends `(entity, id)` to the change feed inside transaction `$tx`;
/// derived data (search, rollups, notifications) follows the feed.
macro_rules! append_change {
    ($tx:expr, $entity:expr, $id:expr, $at:expr) => {{
        sqlx::query("INSERT INTO changes (entity, entity_id, at) VALUES ($1, $2, $3)")
            .bind($entity)
            .bind($id)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use append_change;

/// Records who did what to which entity inside transaction `$tx`.
macro_rules! audit {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $id:expr, $detail:expr, $at:expr) => {{
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($actor)
        .bind($action)
        .bind($entity)
        .bind($id)
        .bind($detail)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use audit;

/// How to open the database.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub max_connections: u32,
    /// For SQLite: create the file (and its directory) when missing.
    pub create_if_missing: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { max_connections: 16, create_if_missing: true }
    }
}

/// copse's database.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens the database named by `url` (`sqlite://path` or `postgres://...`).
    /// Any other scheme is an error: a typo must never silently create a new,
    /// empty database somewhere else.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => Self::connect_sqlite(url, options).await,
            "postgres" | "postgresql" => {
                let connect = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl(format!("{url}: {e}")))?;
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(connect)
                    .await?;
                Ok(Self { db: Db::Postgres(pool) })
            }
            other => Err(StoreError::BadUrl(format!(
                "unsupported database URL scheme '{other}': use sqlite://PATH or postgres://USER@HOST/DB"
            ))),
        }
    }

    async fn connect_sqlite(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if options.create_if_missing && !in_memory {
            let path =
                url.trim_start_matches("sqlite://").trim_start_matches("sqlite:").split('?').next().unwrap_or("");
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::BadUrl(format!("cannot create {}: {e}", parent.display())))?;
            }
        }
        // WAL lets readers proceed while one writer commits. synchronous=NORMAL
        // in WAL mode keeps the database consistent after a power loss and
        // loses at most the last transactions before it, the usual trade for
        // a server; foreign keys are off by default in SQLite, so turn them on.
        let connect = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl(format!("{url}: {e}")))?
            .create_if_missing(options.create_if_missing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-16000")
            .pragma("temp_store", "memory");
        let max = if in_memory { 1 } else { options.max_connections };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory { None } else { Some(Duration::from_secs(600)) })
            .max_lifetime(if in_memory { None } else { Some(Duration::from_secs(3600)) })
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect)
            .await?;
        Ok(Self { db: Db::Sqlite(pool) })
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every migration not yet applied, in order; returns their names.
    pub async fn migrate(&self) -> Result<Vec<&'static str>, StoreError> {
        migrations::run(self).await
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }

    /// Writes a consistent copy of a SQLite database to `path` while it is in
    /// use (`VACUUM INTO`). PostgreSQL has its own tools (pg_dump).
    pub async fn backup_to(&self, path: &str) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Unsupported("online backup of PostgreSQL: use pg_dump".into())),
        }
    }
}

impl Store {
    /// Runs SQL text that is not a query of the application (test setup,
    /// administrative statements). Never pass user input here.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        let sql = sql.to_string();
        with_pool!(self, |pool| {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        });
        Ok(())
    }
}
