//! Bulk writes to the activity record, for generators and importers that
//! write millions of rows: multi-row `INSERT` statements inside one
//! transaction per call. The rollup triggers on `contributions` fire for
//! every row as usual, so `activity_daily`, `activity_pairs` and
//! `insight_state` stay exact.

use std::fmt::Write as _;
use std::sync::LazyLock;

use sqlx::FromRow;

use crate::{NewContribution, Store, StoreError, with_pool};

/// Rows per multi-row statement: 500 rows of 7 parameters (3,500) stay well
/// below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits.
pub const BULK_ROWS: usize = 500;

const INSERT_HEAD: &str =
    "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) VALUES ";
const INSERT_TAIL: &str = " ON CONFLICT (source, source_ref) DO NOTHING";

/// `INSERT ... VALUES ($1, ..., $7), ($8, ...), ...` for `rows` rows.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::with_capacity(INSERT_HEAD.len() + INSERT_TAIL.len() + rows * 48);
    sql.push_str(INSERT_HEAD);
    for row in 0..rows {
        let b = row * 7;
        if row > 0 {
            sql.push_str(", ");
        }
        // Writing to a String cannot fail.
        let _ = write!(sql, "(${}, ${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7);
    }
    sql.push_str(INSERT_TAIL);
    sql
}

/// Built once; a `static` so the statement text is `'static` (sqlx only
/// runs static SQL) and each connection prepares it once.
static INSERT_MANY: LazyLock<String> = LazyLock::new(|| insert_sql(BULK_ROWS));

/// The statement for the rows after the last full batch.
const INSERT_ONE: &str = "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, source_ref) DO NOTHING";

/// An active membership, for placing generated activity.
#[derive(Debug, Clone, FromRow)]
pub struct ActiveMembershipRow {
    pub community_id: i64,
    pub person_id: i64,
    pub joined_at: i64,
}

impl Store {
    /// Records many contributions in one transaction, [`BULK_ROWS`] per
    /// statement (the rest one by one); one already recorded under the same
    /// `(source, source_ref)` is skipped. Returns how many were new.
    pub async fn insert_contributions_bulk(&self, items: &[NewContribution]) -> Result<u64, StoreError> {
        let mut inserted = 0;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut batches = items.chunks_exact(BULK_ROWS);
            for batch in &mut batches {
                let mut query = sqlx::query(INSERT_MANY.as_str());
                for item in batch {
                    query = query
                        .bind(item.person.0)
                        .bind(item.community.0)
                        .bind(item.kind)
                        .bind(item.at.millis())
                        .bind(item.reply_to.map(|p| p.0))
                        .bind(item.source)
                        .bind(item.source_ref.as_deref());
                }
                inserted += query.execute(&mut *tx).await?.rows_affected();
            }
            for item in batches.remainder() {
                inserted += sqlx::query(INSERT_ONE)
                    .bind(item.person.0)
                    .bind(item.community.0)
                    .bind(item.kind)
                    .bind(item.at.millis())
                    .bind(item.reply_to.map(|p| p.0))
                    .bind(item.source)
                    .bind(item.source_ref.as_deref())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(inserted)
    }

    /// How many rows the activity record holds.
    pub async fn count_contributions(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            with_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*) FROM contributions").fetch_one(pool).await?);
        Ok(count)
    }

    /// Every active membership, ordered by community and person.
    pub async fn list_active_memberships(&self) -> Result<Vec<ActiveMembershipRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT community_id, person_id, created_at AS joined_at FROM memberships \
                 WHERE status = 'active' ORDER BY community_id, person_id",
            )
            .fetch_all(pool)
            .await?
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_multi_row_statement_numbers_every_parameter_once() {
        let sql = insert_sql(3);
        assert!(sql.contains("($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14), ($15,"));
        assert!(sql.ends_with("$21) ON CONFLICT (source, source_ref) DO NOTHING"));
        assert_eq!(INSERT_MANY.matches('$').count(), BULK_ROWS * 7);
    }
}
