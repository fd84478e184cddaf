//! The activity record: one uniform row for anything a person does in a
//! community. Participation levels, metrics and diagnosis read from here, so a
//! new source of activity only has to write rows.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, with_pool};

/// One thing a person did.
#[derive(Debug, Clone)]
pub struct NewContribution {
    pub person: PersonId,
    pub community: CommunityId,
    /// What was done: post, answer, accepted-answer, artifact-version, reuse,
    /// rsvp, attendance, facilitation, kudos, mentoring, commit, message.
    pub kind: &'static str,
    pub at: Timestamp,
    pub reply_to: Option<PersonId>,
    /// Where the record came from (`copse`, `demo`, `git`, ...).
    pub source: &'static str,
    /// The source's own id for it, which makes re-imports idempotent.
    pub source_ref: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ContributionCountRow {
    pub person_id: i64,
    pub count: i64,
}

impl Store {
    /// Records contributions; one already recorded under the same
    /// `(source, source_ref)` is skipped. Returns how many were new.
    pub async fn insert_contributions(&self, items: &[NewContribution]) -> Result<u64, StoreError> {
        let mut inserted = 0;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for item in items {
                inserted += sqlx::query(
                    "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, source_ref) DO NOTHING",
                )
                .bind(item.person.0)
                .bind(item.community.0)
                .bind(item.kind)
                .bind(item.at.millis())
                .bind(item.reply_to.map(|p| p.0))
                .bind(item.source)
                .bind(&item.source_ref)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(inserted)
    }

    /// Contributions per person in a community since `since`.
    pub async fn count_contributions_by_person(
        &self,
        community: CommunityId,
        since: Timestamp,
    ) -> Result<Vec<ContributionCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT person_id, COUNT(*) AS count FROM contributions \
                 WHERE community_id = $1 AND at >= $2 GROUP BY person_id",
            )
            .bind(community.0)
            .bind(since.millis())
            .fetch_all(pool)
            .await?
        }))
    }
}
