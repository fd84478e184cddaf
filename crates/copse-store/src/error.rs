//! The store's error type: callers care whether a row was missing, whether a
//! unique value was taken, or whether the database itself failed.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; names what was taken
    /// (e.g. `communities.slug`).
    #[error("already taken: {0}")]
    Conflict(String),
    #[error("bad database URL: {0}")]
    BadUrl(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("migration {name} failed: {source}")]
    Migration {
        name: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(unique_target(db.message(), db.constraint()))
            }
            _ => StoreError::Database(error),
        }
    }
}

/// Names the column a unique violation was about, in the same words on both
/// databases: SQLite says "UNIQUE constraint failed: people.handle",
/// PostgreSQL names the constraint ("people_handle_key").
fn unique_target(message: &str, constraint: Option<&str>) -> String {
    if let Some(rest) = message.split("UNIQUE constraint failed: ").nth(1) {
        return rest.split(',').next().unwrap_or(rest).trim().to_string();
    }
    if let Some(constraint) = constraint {
        let trimmed = constraint.trim_end_matches("_key").trim_end_matches("_pkey");
        if let Some((table, column)) = trimmed.split_once('_') {
            return format!("{table}.{column}");
        }
        return trimmed.to_string();
    }
    message.to_string()
}
