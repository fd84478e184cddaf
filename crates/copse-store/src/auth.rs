//! Accounts (password hashes), sessions, API tokens and failed sign-ins.
//! Secrets are stored only as hashes; hashing happens in `copse-app`.

use copse_domain::{ApiTokenId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, with_pool};

/// The person behind a valid session or token.
#[derive(Debug, Clone, FromRow)]
pub struct AuthenticatedRow {
    pub person_id: i64,
    pub org_role: String,
    pub handle: String,
    pub name: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl Store {
    /// Creates or replaces the password hash of a person's local account.
    pub async fn set_password_hash(&self, person: PersonId, hash: &str) -> Result<(), StoreError> {
        let now = Timestamp::now().millis();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO accounts (person_id, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at",
            )
            .bind(person.0)
            .bind(hash)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn find_password_hash(&self, person: PersonId) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT password_hash FROM accounts WHERE person_id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(h,)| h))
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(person.0)
                .bind(Timestamp::now().millis())
                .bind(expires_at.millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The person a live session belongs to; expired sessions find nobody.
    pub async fn find_session(&self, token_hash: &str, now: Timestamp) -> Result<Option<AuthenticatedRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.org_role, p.handle, p.name, p.time_zone FROM sessions s \
                 JOIN people p ON p.id = s.person_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(now.millis())
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2")
                .bind(token_hash)
                .bind(Timestamp::now().millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn insert_api_token(
        &self,
        person: PersonId,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiTokenId, StoreError> {
        let (id,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO api_tokens (person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(person.0)
            .bind(name)
            .bind(token_hash)
            .bind(Timestamp::now().millis())
            .fetch_one(pool)
            .await?
        });
        Ok(ApiTokenId(id))
    }

    /// The person an unrevoked API token belongs to.
    pub async fn find_api_token(&self, token_hash: &str) -> Result<Option<AuthenticatedRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.org_role, p.handle, p.name, p.time_zone FROM api_tokens t \
                 JOIN people p ON p.id = t.person_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn list_api_tokens(&self, person: PersonId) -> Result<Vec<ApiTokenRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, created_at, last_used_at FROM api_tokens \
                 WHERE person_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn revoke_api_token(&self, person: PersonId, id: ApiTokenId) -> Result<(), StoreError> {
        let done = with_pool!(self, |pool| {
            sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL")
                .bind(id.0)
                .bind(person.0)
                .bind(Timestamp::now().millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn insert_login_failure(&self, account_key: &str, ip: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO login_failures (account_key, ip, at) VALUES ($1, $2, $3)")
                .bind(account_key)
                .bind(ip)
                .bind(Timestamp::now().millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Failed sign-ins since `since`, for the account and for the address.
    pub async fn count_login_failures(
        &self,
        account_key: &str,
        ip: &str,
        since: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND at > $3), \
                        (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at > $3)",
            )
            .bind(account_key)
            .bind(ip)
            .bind(since.millis())
            .fetch_one(pool)
            .await?
        }))
    }

    /// A successful sign-in clears the account's failures.
    pub async fn clear_login_failures(&self, account_key: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM login_failures WHERE account_key = $1 OR at < $2")
                .bind(account_key)
                .bind(Timestamp::now().minus_days(1).millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
