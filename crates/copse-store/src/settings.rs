//! Organization-wide settings as key/value pairs (the organization's name, the
//! server secret shared by every `copse serve` process).

use crate::{Store, StoreError, with_pool};

impl Store {
    pub async fn find_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(pool).await?
        });
        Ok(row.map(|(v,)| v))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Stores `value` under `key` unless a value is there already, and returns
    /// whichever value won. Several processes starting at once agree on one.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(value)
                .execute(pool)
                .await?;
        });
        self.find_setting(key).await?.ok_or(StoreError::NotFound)
    }
}
