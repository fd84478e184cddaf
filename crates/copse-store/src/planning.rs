//! Planning a community's sessions: its active members' time zones and
//! working hours for the meeting-time planner, the facilitation rota's
//! volunteers, and who facilitated which occurrence (`occurrence_details`).

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

/// One active member's availability, as the planner needs it.
#[derive(Debug, Clone, FromRow)]
pub struct MemberAvailabilityRow {
    pub person_id: i64,
    pub time_zone: String,
    pub work_start_minute: i64,
    pub work_end_minute: i64,
    pub location: String,
}

/// Someone on a community's facilitation rota (an active member).
#[derive(Debug, Clone, FromRow)]
pub struct VolunteerRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub volunteered_at: i64,
}

/// Who facilitated (or is confirmed to facilitate) one occurrence, with what
/// the app needs to place the occurrence in time: the series' zone and, when
/// the occurrence was moved or cancelled, its exception.
#[derive(Debug, Clone, FromRow)]
pub struct FacilitationRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub time_zone: String,
    /// The moved occurrence's new local start, if it was moved.
    pub moved_start_local: Option<String>,
    /// 1 when this occurrence (or the whole series) is cancelled.
    pub cancelled: i64,
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
}

/// A confirmed facilitator for one occurrence.
#[derive(Debug, Clone)]
pub struct FacilitationAssignment<'a> {
    pub event: i64,
    /// The occurrence's original local start (`YYYY-MM-DDTHH:MM`).
    pub occurrence: &'a str,
    pub community: CommunityId,
    pub person: PersonId,
    /// When the session takes place: the activity record's time.
    pub session_start: Timestamp,
    pub actor: Option<PersonId>,
    pub at: Timestamp,
}

impl Store {
    /// Every active member's time zone, working hours and location, in one
    /// query (the `memberships_status` index, then people by primary key).
    pub async fn list_member_availability(
        &self,
        community: CommunityId,
    ) -> Result<Vec<MemberAvailabilityRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.time_zone, p.work_start_minute, p.work_end_minute, p.location \
                 FROM memberships m JOIN people p ON p.id = m.person_id \
                 WHERE m.community_id = $1 AND m.status = 'active' ORDER BY p.id",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The rota's volunteers who are still active members, by name.
    pub async fn list_facilitation_volunteers(&self, community: CommunityId) -> Result<Vec<VolunteerRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.handle, p.name, p.team, v.created_at AS volunteered_at \
                 FROM facilitation_volunteers v JOIN people p ON p.id = v.person_id \
                 JOIN memberships m ON m.community_id = v.community_id AND m.person_id = v.person_id \
                 WHERE v.community_id = $1 AND m.status = 'active' ORDER BY p.name, p.id",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Puts a person on the rota; `false` when they already were.
    pub async fn insert_facilitation_volunteer(
        &self,
        community: CommunityId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let added = sqlx::query(
                "INSERT INTO facilitation_volunteers (community_id, person_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (community_id, person_id) DO NOTHING",
            )
            .bind(community.0)
            .bind(person.0)
            .bind(at.millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added > 0 {
                audit!(tx, person.0, "rota.volunteer", "community", community.0, "", at.millis());
            }
            tx.commit().await?;
            added > 0
        }))
    }

    /// Takes a person off the rota; `false` when they were not on it.
    pub async fn delete_facilitation_volunteer(
        &self,
        community: CommunityId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query("DELETE FROM facilitation_volunteers WHERE community_id = $1 AND person_id = $2")
                .bind(community.0)
                .bind(person.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if removed > 0 {
                audit!(tx, person.0, "rota.withdraw", "community", community.0, "", at.millis());
            }
            tx.commit().await?;
            removed > 0
        }))
    }

    /// Every occurrence of the community's series with a recorded
    /// facilitator, past and upcoming.
    pub async fn list_facilitations(&self, community: CommunityId) -> Result<Vec<FacilitationRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT d.event_id, d.original_start_local, e.time_zone, x.start_local AS moved_start_local, \
                        CAST(CASE WHEN e.status = 'cancelled' OR COALESCE(x.cancelled, 0) <> 0 THEN 1 ELSE 0 END AS BIGINT) AS cancelled, \
                        p.id AS person_id, p.handle, p.name, p.team \
                 FROM occurrence_details d JOIN events e ON e.id = d.event_id \
                 JOIN people p ON p.id = d.facilitator_id \
                 LEFT JOIN event_exceptions x ON x.event_id = d.event_id AND x.original_start_local = d.original_start_local \
                 WHERE e.community_id = $1 ORDER BY d.event_id, d.original_start_local",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Records who facilitates one occurrence (replacing an earlier choice),
    /// and the matching activity record (kind `facilitation`, source `copse`,
    /// `facilitation:{event}:{occurrence}`, moved to the new person on a
    /// change), in one transaction. `NotFound` when the event is gone.
    pub async fn assign_facilitator(&self, change: &FacilitationAssignment<'_>) -> Result<(), StoreError> {
        let at = change.at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Locks the event row (PostgreSQL) or takes the write lock (SQLite).
            let bumped = sqlx::query(
                "UPDATE events SET version = version + 1, updated_at = $3 WHERE id = $1 AND community_id = $2",
            )
            .bind(change.event)
            .bind(change.community.0)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if bumped == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO occurrence_details (event_id, original_start_local, facilitator_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (event_id, original_start_local) DO UPDATE SET facilitator_id = excluded.facilitator_id",
            )
            .bind(change.event)
            .bind(change.occurrence)
            .bind(change.person.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO contributions (person_id, community_id, kind, at, source, source_ref) \
                 VALUES ($1, $2, 'facilitation', $3, 'copse', $4) ON CONFLICT (source, source_ref) DO UPDATE SET \
                 person_id = excluded.person_id, community_id = excluded.community_id, at = excluded.at",
            )
            .bind(change.person.0)
            .bind(change.community.0)
            .bind(change.session_start.millis())
            .bind(format!("facilitation:{}:{}", change.event, change.occurrence))
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                change.actor.map(|a| a.0),
                "rota.assign",
                "event",
                change.event,
                format!("{} -> person {}", change.occurrence, change.person.0),
                at
            );
            append_change!(tx, "event", change.event, at);
            tx.commit().await?;
        });
        Ok(())
    }
}
