//! Embedded, forward-only schema migrations. Each migration has one file per
//! dialect with the same name; a test checks both folders list exactly the
//! files named here. Never edit a migration that has been released: add a new
//! one.

use crate::{Db, Store, StoreError};

pub struct Migration {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($name:literal) => {
        Migration {
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in the order they apply.
pub const MIGRATIONS: &[Migration] = &[
    migration!("0001_foundation"),
    migration!("0002_events"),
    migration!("0003_discussions"),
    migration!("0004_practice"),
    migration!("0005_people"),
    migration!("0006_insight"),
    migration!("0007_imports"),
];

const CREATE_LEDGER: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)";

const RECORD: &str = "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)";

fn now() -> i64 {
    copse_domain::Timestamp::now().millis()
}

pub(crate) async fn run(store: &Store) -> Result<Vec<&'static str>, StoreError> {
    let mut applied_now = Vec::new();
    match &store.db {
        Db::Sqlite(pool) => {
            sqlx::query(CREATE_LEDGER).execute(pool).await?;
            for migration in MIGRATIONS {
                let mut tx = pool.begin().await?;
                let done: Option<(String,)> = sqlx::query_as("SELECT name FROM schema_migrations WHERE name = $1")
                    .bind(migration.name)
                    .fetch_optional(&mut *tx)
                    .await?;
                if done.is_some() {
                    continue;
                }
                sqlx::raw_sql(migration.sqlite)
                    .execute(&mut *tx)
                    .await
                    .map_err(|source| StoreError::Migration { name: migration.name, source })?;
                sqlx::query(RECORD).bind(migration.name).bind(now()).execute(&mut *tx).await?;
                tx.commit().await?;
                applied_now.push(migration.name);
            }
        }
        Db::Postgres(pool) => {
            // One server at a time migrates: others wait on the advisory lock
            // and then find nothing left to do.
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(7236001)").execute(&mut *tx).await?;
            sqlx::query(CREATE_LEDGER).execute(&mut *tx).await?;
            for migration in MIGRATIONS {
                let done: Option<(String,)> = sqlx::query_as("SELECT name FROM schema_migrations WHERE name = $1")
                    .bind(migration.name)
                    .fetch_optional(&mut *tx)
                    .await?;
                if done.is_some() {
                    continue;
                }
                sqlx::raw_sql(migration.postgres)
                    .execute(&mut *tx)
                    .await
                    .map_err(|source| StoreError::Migration { name: migration.name, source })?;
                sqlx::query(RECORD).bind(migration.name).bind(now()).execute(&mut *tx).await?;
                applied_now.push(migration.name);
            }
            tx.commit().await?;
        }
    }
    Ok(applied_now)
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    fn listed(dialect: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dialect);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().trim_end_matches(".sql").to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_dialects_have_the_same_migrations_and_all_are_embedded() {
        let embedded: Vec<String> = MIGRATIONS.iter().map(|m| m.name.to_string()).collect();
        assert_eq!(listed("sqlite"), embedded, "sqlite folder differs from MIGRATIONS");
        assert_eq!(listed("postgres"), embedded, "postgres folder differs from MIGRATIONS");
    }
}
