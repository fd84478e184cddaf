//! Events: series, their exceptions, RSVPs with a waitlist, and the in-app
//! notifications a freed seat sends.
//!
//! An occurrence is named by its original local start (`YYYY-MM-DDTHH:MM` in
//! the organizer's zone), as iCalendar's RECURRENCE-ID does; expansion of a
//! series into occurrences happens outside SQL, in `copse_domain::recurrence`.
//! Every RSVP write first bumps the event's `version`, which locks the event
//! row (PostgreSQL) or takes the write lock (SQLite), so two people answering
//! at once cannot both take the last seat.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub format: String,
    pub location: String,
    pub link: String,
    pub start_local: String,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub rrule: Option<String>,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub capacity: Option<i64>,
    pub facilitator_id: Option<i64>,
    pub status: String,
    pub checkin_code: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

macro_rules! event_columns {
    () => {
        "e.id, e.community_id, e.title, e.description, e.kind, e.format, e.location, e.link, e.start_local, \
         e.time_zone, e.duration_minutes, e.rrule, e.starts_at, e.ends_at, e.capacity, e.facilitator_id, e.status, \
         e.checkin_code, e.created_at, e.updated_at, e.version"
    };
}

/// A series to store (or the new definition of one).
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub community: CommunityId,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub format: String,
    pub location: String,
    pub link: String,
    pub start_local: String,
    pub time_zone: String,
    pub duration_minutes: i64,
    pub rrule: Option<String>,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub capacity: Option<i64>,
    pub facilitator: Option<PersonId>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ExceptionRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub cancelled: i64,
    pub start_local: Option<String>,
    pub duration_minutes: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct RsvpRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub answer: String,
    pub waitlisted: i64,
    pub queued_at: i64,
}

/// Counts for one occurrence, for lists.
#[derive(Debug, Clone, FromRow)]
pub struct RsvpCountRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub going: i64,
    pub waitlisted: i64,
}

/// Where an RSVP landed, and whom it freed a seat for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpOutcome {
    /// `going`, `maybe` or `not-going`.
    pub answer: String,
    pub waitlisted: bool,
    /// Someone moved from the waitlist to going because a seat came free.
    pub promoted: Option<PersonId>,
}

/// An RSVP to record.
#[derive(Debug, Clone)]
pub struct RsvpChange<'a> {
    pub event: i64,
    pub occurrence: &'a str,
    pub person: PersonId,
    pub community: CommunityId,
    /// `going`, `maybe` or `not-going`.
    pub answer: &'a str,
    /// Text and link of the notification a promoted person receives.
    pub promotion_message: &'a str,
    pub promotion_link: &'a str,
    pub at: Timestamp,
}

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub message: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

impl Store {
    pub async fn insert_event(
        &self,
        event: &EventRecord,
        checkin_code: &str,
        creator: Option<PersonId>,
    ) -> Result<i64, StoreError> {
        let at = Timestamp::now().millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO events (community_id, title, description, kind, format, location, link, start_local, \
                 time_zone, duration_minutes, rrule, starts_at, ends_at, capacity, facilitator_id, checkin_code, \
                 created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
            )
            .bind(event.community.0)
            .bind(&event.title)
            .bind(&event.description)
            .bind(&event.kind)
            .bind(&event.format)
            .bind(&event.location)
            .bind(&event.link)
            .bind(&event.start_local)
            .bind(&event.time_zone)
            .bind(event.duration_minutes)
            .bind(&event.rrule)
            .bind(event.starts_at.millis())
            .bind(event.ends_at.map(Timestamp::millis))
            .bind(event.capacity)
            .bind(event.facilitator.map(|p| p.0))
            .bind(checkin_code)
            .bind(creator.map(|p| p.0))
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            append_change!(tx, "event", id, at);
            tx.commit().await?;
            id
        }))
    }

    /// Replaces a series' definition. Fails with `Conflict("events.capacity")`
    /// if the new capacity is below the going count of an upcoming occurrence.
    pub async fn update_event(&self, id: i64, event: &EventRecord, actor: Option<PersonId>) -> Result<(), StoreError> {
        let at = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(capacity) = event.capacity {
                let (most,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM rsvps WHERE event_id = $1 AND answer = 'going' \
                     AND waitlisted = 0 AND original_start_local >= $2 GROUP BY original_start_local) counts",
                )
                .bind(id)
                .bind(&event.start_local)
                .fetch_one(&mut *tx)
                .await?;
                if most.unwrap_or(0) > capacity {
                    return Err(StoreError::Conflict("events.capacity".into()));
                }
            }
            let updated = sqlx::query(
                "UPDATE events SET title = $2, description = $3, kind = $4, format = $5, location = $6, link = $7, \
                 start_local = $8, time_zone = $9, duration_minutes = $10, rrule = $11, starts_at = $12, ends_at = $13, \
                 capacity = $14, facilitator_id = $15, updated_at = $16, version = version + 1 WHERE id = $1",
            )
            .bind(id)
            .bind(&event.title)
            .bind(&event.description)
            .bind(&event.kind)
            .bind(&event.format)
            .bind(&event.location)
            .bind(&event.link)
            .bind(&event.start_local)
            .bind(&event.time_zone)
            .bind(event.duration_minutes)
            .bind(&event.rrule)
            .bind(event.starts_at.millis())
            .bind(event.ends_at.map(Timestamp::millis))
            .bind(event.capacity)
            .bind(event.facilitator.map(|p| p.0))
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            append_change!(tx, "event", id, at);
            audit!(tx, actor.map(|a| a.0), "event.update", "event", id, "", at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The largest "going" (seated) count among a series' occurrences whose
    /// original local start is at or after `from_local`.
    pub async fn most_going_from(&self, event: i64, from_local: &str) -> Result<i64, StoreError> {
        let (most,): (Option<i64>,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM rsvps WHERE event_id = $1 AND answer = 'going' \
                 AND waitlisted = 0 AND original_start_local >= $2 GROUP BY original_start_local) counts",
            )
            .bind(event)
            .bind(from_local)
            .fetch_one(pool)
            .await?
        });
        Ok(most.unwrap_or(0))
    }

    pub async fn find_event(&self, id: i64) -> Result<Option<EventRow>, StoreError> {
        let sql = concat!("SELECT ", event_columns!(), " FROM events e WHERE e.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Series of a community that may have occurrences in `[from, to)`.
    pub async fn list_community_events(
        &self,
        community: CommunityId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<EventRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            event_columns!(),
            " FROM events e WHERE e.community_id = $1 AND e.starts_at < $3 AND (e.ends_at IS NULL OR e.ends_at >= $2) \
             ORDER BY e.starts_at, e.id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(community.0).bind(from.millis()).bind(to.millis()).fetch_all(pool).await?
        }))
    }

    /// Series in every community where `person` is an active member, that may
    /// have occurrences in `[from, to)`.
    pub async fn list_member_events(
        &self,
        person: PersonId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<EventRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            event_columns!(),
            " FROM events e JOIN memberships m ON m.community_id = e.community_id \
             WHERE m.person_id = $1 AND m.status = 'active' AND e.starts_at < $3 AND (e.ends_at IS NULL OR e.ends_at >= $2) \
             ORDER BY e.starts_at, e.id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(person.0).bind(from.millis()).bind(to.millis()).fetch_all(pool).await?
        }))
    }

    /// Exceptions of every series of a community.
    pub async fn list_community_exceptions(&self, community: CommunityId) -> Result<Vec<ExceptionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT x.event_id, x.original_start_local, x.cancelled, x.start_local, x.duration_minutes \
                 FROM event_exceptions x JOIN events e ON e.id = x.event_id WHERE e.community_id = $1",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Exceptions of every series in the communities a person is active in.
    pub async fn list_member_exceptions(&self, person: PersonId) -> Result<Vec<ExceptionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT x.event_id, x.original_start_local, x.cancelled, x.start_local, x.duration_minutes \
                 FROM event_exceptions x JOIN events e ON e.id = x.event_id \
                 JOIN memberships m ON m.community_id = e.community_id AND m.person_id = $1 AND m.status = 'active'",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_event_exceptions(&self, event: i64) -> Result<Vec<ExceptionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT event_id, original_start_local, cancelled, start_local, duration_minutes \
                 FROM event_exceptions WHERE event_id = $1 ORDER BY original_start_local",
            )
            .bind(event)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Cancels one occurrence, or moves it (new local start and duration).
    pub async fn set_exception(
        &self,
        event: i64,
        original: &str,
        cancelled: bool,
        moved_to: Option<(&str, i64)>,
        actor: Option<PersonId>,
    ) -> Result<(), StoreError> {
        let at = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let bumped = sqlx::query("UPDATE events SET version = version + 1, updated_at = $2 WHERE id = $1")
                .bind(event)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if bumped == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO event_exceptions (event_id, original_start_local, cancelled, start_local, duration_minutes) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, original_start_local) DO UPDATE SET \
                 cancelled = excluded.cancelled, start_local = excluded.start_local, duration_minutes = excluded.duration_minutes",
            )
            .bind(event)
            .bind(original)
            .bind(i64::from(cancelled))
            .bind(moved_to.map(|m| m.0))
            .bind(moved_to.map(|m| m.1))
            .execute(&mut *tx)
            .await?;
            let action = if cancelled { "event.cancel_occurrence" } else { "event.move_occurrence" };
            audit!(tx, actor.map(|a| a.0), action, "event", event, original, at);
            append_change!(tx, "event", event, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records an answer for one occurrence. A "going" beyond capacity joins
    /// the waitlist; a "going" that turns into anything else frees its seat
    /// for the first person waiting, who is told in-app. Writes the activity
    /// record in the same transaction.
    pub async fn record_rsvp(&self, change: &RsvpChange<'_>) -> Result<RsvpOutcome, StoreError> {
        let at = change.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Serializes answers to the same event (row lock / write lock).
            let locked: Option<(Option<i64>,)> =
                sqlx::query_as("UPDATE events SET version = version + 1 WHERE id = $1 RETURNING capacity")
                    .bind(change.event)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((capacity,)) = locked else {
                return Err(StoreError::NotFound);
            };
            let before: Option<(String, i64)> = sqlx::query_as(
                "SELECT answer, waitlisted FROM rsvps WHERE event_id = $1 AND original_start_local = $2 AND person_id = $3",
            )
            .bind(change.event)
            .bind(change.occurrence)
            .bind(change.person.0)
            .fetch_optional(&mut *tx)
            .await?;
            let held_seat = matches!(&before, Some((answer, 0)) if answer == "going");
            let (going_others,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND original_start_local = $2 AND answer = 'going' \
                 AND waitlisted = 0 AND person_id <> $3",
            )
            .bind(change.event)
            .bind(change.occurrence)
            .bind(change.person.0)
            .fetch_one(&mut *tx)
            .await?;
            let waitlisted =
                change.answer == "going" && !held_seat && capacity.is_some_and(|capacity| going_others >= capacity);
            // Someone already going (seated or waiting) keeps their place.
            let keeps_queue = matches!(&before, Some((answer, _)) if answer == "going") && change.answer == "going";
            sqlx::query(
                "INSERT INTO rsvps (event_id, original_start_local, person_id, answer, waitlisted, queued_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (event_id, original_start_local, person_id) DO UPDATE SET \
                 answer = excluded.answer, waitlisted = excluded.waitlisted, updated_at = excluded.updated_at, \
                 queued_at = CASE WHEN $7 = 1 THEN rsvps.queued_at ELSE excluded.queued_at END",
            )
            .bind(change.event)
            .bind(change.occurrence)
            .bind(change.person.0)
            .bind(change.answer)
            .bind(i64::from(waitlisted))
            .bind(at)
            .bind(i64::from(keeps_queue))
            .execute(&mut *tx)
            .await?;
            let mut promoted = None;
            if held_seat && change.answer != "going" {
                let next: Option<(i64,)> = sqlx::query_as(
                    "SELECT person_id FROM rsvps WHERE event_id = $1 AND original_start_local = $2 AND answer = 'going' \
                     AND waitlisted = 1 ORDER BY queued_at, person_id LIMIT 1",
                )
                .bind(change.event)
                .bind(change.occurrence)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((next,)) = next {
                    sqlx::query(
                        "UPDATE rsvps SET waitlisted = 0, updated_at = $4 \
                         WHERE event_id = $1 AND original_start_local = $2 AND person_id = $3",
                    )
                    .bind(change.event)
                    .bind(change.occurrence)
                    .bind(next)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO notifications (person_id, kind, message, link, created_at) VALUES ($1, 'waitlist.promoted', $2, $3, $4)",
                    )
                    .bind(next)
                    .bind(change.promotion_message)
                    .bind(change.promotion_link)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    promoted = Some(PersonId(next));
                }
            }
            if change.answer == "going" {
                sqlx::query(
                    "INSERT INTO contributions (person_id, community_id, kind, at, source, source_ref) \
                     VALUES ($1, $2, 'rsvp', $3, 'copse', $4) ON CONFLICT (source, source_ref) DO NOTHING",
                )
                .bind(change.person.0)
                .bind(change.community.0)
                .bind(at)
                .bind(format!("rsvp:{}:{}:{}", change.event, change.occurrence, change.person.0))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            RsvpOutcome { answer: change.answer.to_string(), waitlisted, promoted }
        }))
    }

    /// Everyone's answer for one occurrence: going first, then the waitlist
    /// in order, then maybe and not going.
    pub async fn list_rsvps(&self, event: i64, occurrence: &str) -> Result<Vec<RsvpRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.person_id, p.handle, p.name, r.answer, r.waitlisted, r.queued_at FROM rsvps r \
                 JOIN people p ON p.id = r.person_id WHERE r.event_id = $1 AND r.original_start_local = $2 \
                 ORDER BY CASE r.answer WHEN 'going' THEN r.waitlisted ELSE 2 END, \
                          CASE r.answer WHEN 'maybe' THEN 0 ELSE 1 END, r.queued_at, p.name",
            )
            .bind(event)
            .bind(occurrence)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Going and waitlisted counts per occurrence of a community's events.
    pub async fn count_community_rsvps(&self, community: CommunityId) -> Result<Vec<RsvpCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.event_id, r.original_start_local, \
                        CAST(SUM(CASE WHEN r.waitlisted = 0 THEN 1 ELSE 0 END) AS BIGINT) AS going, \
                        CAST(SUM(CASE WHEN r.waitlisted = 1 THEN 1 ELSE 0 END) AS BIGINT) AS waitlisted \
                 FROM rsvps r JOIN events e ON e.id = r.event_id \
                 WHERE e.community_id = $1 AND r.answer = 'going' GROUP BY r.event_id, r.original_start_local",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One person's answers, keyed by (event, occurrence).
    pub async fn list_person_rsvps(&self, person: PersonId) -> Result<Vec<(i64, String, String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT event_id, original_start_local, answer, waitlisted FROM rsvps WHERE person_id = $1")
                .bind(person.0)
                .fetch_all(pool)
                .await?
        }))
    }

    pub async fn list_notifications(&self, person: PersonId, limit: i64) -> Result<Vec<NotificationRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, kind, message, link, created_at, read_at FROM notifications WHERE person_id = $1 \
                 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(person.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn mark_notifications_read(&self, person: PersonId) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE notifications SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL")
                .bind(person.0)
                .bind(Timestamp::now().millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct AttendeeRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub method: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct FeedbackRow {
    pub person_id: i64,
    pub rating: i64,
    pub comment: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct OccurrenceDetailsRow {
    pub facilitator_id: Option<i64>,
    pub notes: String,
    pub recording_url: String,
}

impl Store {
    /// Marks a person as present at an occurrence (idempotent) and writes the
    /// activity record in the same transaction. Returns false if they were
    /// already checked in.
    pub async fn record_attendance(
        &self,
        event: i64,
        occurrence: &str,
        person: PersonId,
        community: CommunityId,
        method: &str,
    ) -> Result<bool, StoreError> {
        let at = Timestamp::now().millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO attendance (event_id, original_start_local, person_id, method, checked_in_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, original_start_local, person_id) DO NOTHING",
            )
            .bind(event)
            .bind(occurrence)
            .bind(person.0)
            .bind(method)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "INSERT INTO contributions (person_id, community_id, kind, at, source, source_ref) \
                 VALUES ($1, $2, 'attendance', $3, 'copse', $4) ON CONFLICT (source, source_ref) DO NOTHING",
            )
            .bind(person.0)
            .bind(community.0)
            .bind(at)
            .bind(format!("attendance:{event}:{occurrence}:{}", person.0))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            inserted > 0
        }))
    }

    pub async fn list_attendance(&self, event: i64, occurrence: &str) -> Result<Vec<AttendeeRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT a.person_id, p.handle, p.name, a.method FROM attendance a JOIN people p ON p.id = a.person_id \
                 WHERE a.event_id = $1 AND a.original_start_local = $2 ORDER BY p.name",
            )
            .bind(event)
            .bind(occurrence)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Records (or replaces) one person's feedback on an occurrence.
    pub async fn record_feedback(
        &self,
        event: i64,
        occurrence: &str,
        person: PersonId,
        rating: i64,
        comment: &str,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO event_feedback (event_id, original_start_local, person_id, rating, comment, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, original_start_local, person_id) \
                 DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at",
            )
            .bind(event)
            .bind(occurrence)
            .bind(person.0)
            .bind(rating)
            .bind(comment)
            .bind(Timestamp::now().millis())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn list_feedback(&self, event: i64, occurrence: &str) -> Result<Vec<FeedbackRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT person_id, rating, comment, created_at FROM event_feedback \
                 WHERE event_id = $1 AND original_start_local = $2 ORDER BY created_at DESC",
            )
            .bind(event)
            .bind(occurrence)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn find_occurrence_details(
        &self,
        event: i64,
        occurrence: &str,
    ) -> Result<Option<OccurrenceDetailsRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT facilitator_id, notes, recording_url FROM occurrence_details WHERE event_id = $1 AND original_start_local = $2",
            )
            .bind(event)
            .bind(occurrence)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Saves what happened at an occurrence: session notes and the recording link.
    pub async fn set_occurrence_notes(
        &self,
        event: i64,
        occurrence: &str,
        notes: &str,
        recording_url: &str,
        actor: Option<PersonId>,
    ) -> Result<(), StoreError> {
        let at = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO occurrence_details (event_id, original_start_local, notes, recording_url) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (event_id, original_start_local) DO UPDATE SET notes = excluded.notes, recording_url = excluded.recording_url",
            )
            .bind(event)
            .bind(occurrence)
            .bind(notes)
            .bind(recording_url)
            .execute(&mut *tx)
            .await?;
            audit!(tx, actor.map(|a| a.0), "event.notes", "event", event, occurrence, at);
            tx.commit().await?;
        });
        Ok(())
    }
}
