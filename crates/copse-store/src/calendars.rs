//! Calendar feeds: the secret tokens of personal feed URLs (stored only as
//! SHA-256 hashes, one per person) and the narrow list of a person's
//! communities a feed names. The feeds' series and exceptions come from
//! `list_member_events` / `list_member_exceptions` and their community
//! counterparts in `events.rs`.

use copse_domain::{PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, with_pool};

/// The owner of a calendar token, with what the policy needs to know of them.
#[derive(Debug, Clone, FromRow)]
pub struct CalendarOwnerRow {
    pub person_id: i64,
    pub org_role: String,
    pub name: String,
}

/// A community a person is an active member of, as a feed names it.
#[derive(Debug, Clone, FromRow)]
pub struct FeedCommunityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub visibility: String,
    pub role: String,
    pub status: String,
}

impl Store {
    /// Sets (or replaces) a person's calendar token; the old one stops working
    /// in the same statement.
    pub async fn replace_calendar_token(&self, person: PersonId, token_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO calendar_tokens (person_id, token_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
            )
            .bind(person.0)
            .bind(token_hash)
            .bind(Timestamp::now().millis())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Removes a person's calendar token. Returns whether there was one.
    pub async fn delete_calendar_token(&self, person: PersonId) -> Result<bool, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query("DELETE FROM calendar_tokens WHERE person_id = $1")
                .bind(person.0)
                .execute(pool)
                .await?
                .rows_affected()
                > 0
        }))
    }

    /// When a person's calendar token was made, if they have one.
    pub async fn find_calendar_token_created(&self, person: PersonId) -> Result<Option<Timestamp>, StoreError> {
        let row: Option<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT created_at FROM calendar_tokens WHERE person_id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(at,)| Timestamp(at)))
    }

    /// The person whose calendar token hashes to `token_hash`.
    pub async fn find_calendar_owner(&self, token_hash: &str) -> Result<Option<CalendarOwnerRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.org_role, p.name FROM calendar_tokens t \
                 JOIN people p ON p.id = t.person_id WHERE t.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Every community where `person` is an active member (the ones
    /// `list_member_events` reads), narrow rows for naming feed entries.
    pub async fn list_feed_communities(&self, person: PersonId) -> Result<Vec<FeedCommunityRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.slug, c.name, c.visibility, m.role, m.status FROM memberships m \
                 JOIN communities c ON c.id = m.community_id WHERE m.person_id = $1 AND m.status = 'active'",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }
}
