//! Membership in communities: joining, requests, invitations, leaving, and
//! the facilitator role with its terms. `communities.member_count` counts
//! active memberships and is kept current here, in the same transaction.

use copse_domain::{CommunityId, MembershipRole, MembershipStatus, PersonId, Timestamp};
use sqlx::FromRow;

use crate::communities::record_community_change;
use crate::{Store, StoreError, with_pool};

/// A member as the community page lists them, with recent activity.
#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub role: String,
    pub status: String,
    pub joined_at: i64,
    /// Contributions since the window start given to the query.
    pub recent_contributions: i64,
    pub last_contribution_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct FacilitatorRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub term_started_at: i64,
}

/// Which members to list: one membership state, and a band of recent
/// activity (contributions since `window_start`, both bounds inclusive).
#[derive(Debug, Clone, Copy)]
pub struct MemberFilter {
    pub status: MembershipStatus,
    pub window_start: Timestamp,
    pub min_recent: i64,
    pub max_recent: i64,
}

impl MemberFilter {
    /// Everyone in `status`, however active.
    pub fn all(status: MembershipStatus, window_start: Timestamp) -> Self {
        Self { status, window_start, min_recent: 0, max_recent: i64::MAX }
    }
}

/// The `FROM ... WHERE` of listing members: `$1` community, `$2` status,
/// `$3` window start, `$4`/`$5` activity bounds.
macro_rules! members_matching {
    () => {
        "FROM memberships m JOIN people p ON p.id = m.person_id \
         LEFT JOIN (SELECT person_id, COUNT(*) AS n, MAX(at) AS last_at FROM contributions \
                    WHERE community_id = $1 AND at >= $3 GROUP BY person_id) a ON a.person_id = m.person_id \
         WHERE m.community_id = $1 AND m.status = $2 AND COALESCE(a.n, 0) BETWEEN $4 AND $5"
    };
}

/// A membership to set: who, where, in what role and state.
#[derive(Debug, Clone, Copy)]
pub struct MembershipChange {
    pub community: CommunityId,
    pub person: PersonId,
    pub role: MembershipRole,
    pub status: MembershipStatus,
    pub actor: Option<PersonId>,
    pub at: Timestamp,
}

impl Store {
    pub async fn find_membership(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT role, status FROM memberships WHERE community_id = $1 AND person_id = $2")
                .bind(community.0)
                .bind(person.0)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Creates or changes a membership, keeping the member count, the
    /// facilitator terms and the community's version current.
    pub async fn set_membership(&self, change: &MembershipChange) -> Result<(), StoreError> {
        self.set_memberships(std::slice::from_ref(change)).await
    }

    /// [`Store::set_membership`] for many at once, in one transaction.
    pub async fn set_memberships(&self, changes: &[MembershipChange]) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for change in changes {
                let (c, p, at) = (change.community.0, change.person.0, change.at.millis());
                let before: Option<(String, String)> =
                    sqlx::query_as("SELECT role, status FROM memberships WHERE community_id = $1 AND person_id = $2")
                        .bind(c)
                        .bind(p)
                        .fetch_optional(&mut *tx)
                        .await?;
                let was_active = before.as_ref().is_some_and(|(_, s)| s == "active");
                let was_facilitator = before.as_ref().is_some_and(|(r, s)| r == "facilitator" && s == "active");
                let is_active = change.status == MembershipStatus::Active;
                let is_facilitator = is_active && change.role == MembershipRole::Facilitator;
                sqlx::query(
                    "INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (community_id, person_id) \
                     DO UPDATE SET role = excluded.role, status = excluded.status, updated_at = excluded.updated_at",
                )
                .bind(c)
                .bind(p)
                .bind(change.role.as_str())
                .bind(change.status.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let delta = i64::from(is_active) - i64::from(was_active);
                if delta != 0 {
                    sqlx::query("UPDATE communities SET member_count = member_count + $2 WHERE id = $1")
                        .bind(c)
                        .bind(delta)
                        .execute(&mut *tx)
                        .await?;
                }
                if is_facilitator && !was_facilitator {
                    sqlx::query(
                        "INSERT INTO facilitator_terms (community_id, person_id, starts_at) VALUES ($1, $2, $3)",
                    )
                    .bind(c)
                    .bind(p)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                } else if was_facilitator && !is_facilitator {
                    sqlx::query(
                        "UPDATE facilitator_terms SET ends_at = $3 WHERE community_id = $1 AND person_id = $2 AND ends_at IS NULL",
                    )
                    .bind(c)
                    .bind(p)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                let detail = format!("person {p}: {} {}", change.role.as_str(), change.status.as_str());
                record_community_change!(tx, c, change.actor.map(|a| a.0), "membership.set", &detail, at);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends a membership (leave, withdraw a request, decline an invitation).
    pub async fn delete_membership(
        &self,
        community: CommunityId,
        person: PersonId,
        actor: Option<PersonId>,
    ) -> Result<(), StoreError> {
        let at = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let before: Option<(String, String)> = sqlx::query_as(
                "DELETE FROM memberships WHERE community_id = $1 AND person_id = $2 RETURNING role, status",
            )
            .bind(community.0)
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((role, status)) = before else {
                return Err(StoreError::NotFound);
            };
            if status == "active" {
                sqlx::query("UPDATE communities SET member_count = member_count - 1 WHERE id = $1")
                    .bind(community.0)
                    .execute(&mut *tx)
                    .await?;
                if role == "facilitator" {
                    sqlx::query(
                        "UPDATE facilitator_terms SET ends_at = $3 WHERE community_id = $1 AND person_id = $2 AND ends_at IS NULL",
                    )
                    .bind(community.0)
                    .bind(person.0)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let detail = format!("person {}: left ({status})", person.0);
            record_community_change!(tx, community.0, actor.map(|a| a.0), "membership.end", &detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Members in one state, most active first, with their contribution count
    /// since `window_start`.
    pub async fn list_members(
        &self,
        community: CommunityId,
        status: MembershipStatus,
        window_start: Timestamp,
        limit: i64,
    ) -> Result<Vec<MemberRow>, StoreError> {
        let filter = MemberFilter::all(status, window_start);
        self.list_members_page(community, &filter, limit, 0).await
    }

    /// One page of members matching `filter`, most active first, then by name.
    pub async fn list_members_page(
        &self,
        community: CommunityId,
        filter: &MemberFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<MemberRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT p.id AS person_id, p.handle, p.name, p.team, p.location, p.time_zone, m.role, m.status, \
                        m.created_at AS joined_at, COALESCE(a.n, 0) AS recent_contributions, a.last_at AS last_contribution_at ",
                members_matching!(),
                " ORDER BY recent_contributions DESC, p.name, p.id LIMIT $6 OFFSET $7"
            ))
            .bind(community.0)
            .bind(filter.status.as_str())
            .bind(filter.window_start.millis())
            .bind(filter.min_recent)
            .bind(filter.max_recent)
            .bind(limit)
            .bind(offset.max(0))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Current facilitators with the start of their present term.
    pub async fn list_facilitators(&self, community: CommunityId) -> Result<Vec<FacilitatorRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.handle, p.name, p.team, \
                        COALESCE((SELECT MAX(t.starts_at) FROM facilitator_terms t \
                                  WHERE t.community_id = m.community_id AND t.person_id = m.person_id AND t.ends_at IS NULL), \
                                 m.created_at) AS term_started_at \
                 FROM memberships m JOIN people p ON p.id = m.person_id \
                 WHERE m.community_id = $1 AND m.status = 'active' AND m.role = 'facilitator' ORDER BY p.name",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// How many memberships are in each state, e.g. to show pending requests.
    pub async fn count_memberships_with_status(
        &self,
        community: CommunityId,
        status: MembershipStatus,
    ) -> Result<i64, StoreError> {
        let (count,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND status = $2")
                .bind(community.0)
                .bind(status.as_str())
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }
}
