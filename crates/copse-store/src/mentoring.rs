//! Mentoring (migration 0005_people): mentor offers and the skills they
//! offer, mentee requests and the skills they want, pairings
//! (`mentorships`) through their lifecycle, and check-ins.
//!
//! Capacity is enforced where proposals are written: [`Store::propose_mentorship`]
//! first touches the mentor's offer row (a row lock on PostgreSQL, the write
//! lock on SQLite) and then inserts only while the mentor's proposed and
//! active pairings are fewer than the offer's capacity, so two processes
//! matching at once can never push a mentor past it. Partial unique indexes
//! keep one open request per person and one live (proposed or active)
//! pairing per request.
//!
//! Skill keys are canonical (`lower(replace(trim(name), ' ', '-'))`, mapped
//! through `skill_synonyms` on write), so "k8s" offered meets "Kubernetes"
//! wanted. A pairing that belongs to a community writes the activity record
//! (`mentorship` when it starts, `mentorship-session` per check-in, both for
//! the mentor, in reply to the mentee). Every transition tells the other side
//! in-app (`notifications`, kind `mentorship`).

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, with_pool};

/// A mentor's offer with how many places are taken.
#[derive(Debug, Clone, FromRow)]
pub struct MentorOfferRow {
    pub person_id: i64,
    pub capacity: i64,
    pub note: String,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Proposed and active pairings as mentor.
    pub load: i64,
}

/// An offer in the list of mentors, with who offers it.
#[derive(Debug, Clone, FromRow)]
pub struct MentorOfferListRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub capacity: i64,
    pub note: String,
    pub load: i64,
}

/// One skill of an offer or a request: its key, the name to show (the
/// vocabulary's, else as typed) and, for offers, the mentor's declared level.
#[derive(Debug, Clone, FromRow)]
pub struct MentoringSkillRow {
    /// The offer's person or the request's id.
    pub owner_id: i64,
    pub skill_key: String,
    pub name: String,
    pub level: Option<String>,
}

/// An active offer with what matching needs of its mentor.
#[derive(Debug, Clone, FromRow)]
pub struct MentorCandidateRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub work_start_minute: i64,
    pub work_end_minute: i64,
    pub capacity: i64,
    pub load: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct MenteeRequestRow {
    pub id: i64,
    pub person_id: i64,
    pub goals: String,
    pub community_id: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub work_start_minute: i64,
    pub work_end_minute: i64,
    pub away_until: Option<i64>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
}

macro_rules! request_columns {
    () => {
        "r.id, r.person_id, r.goals, r.community_id, r.status, r.created_at, r.updated_at, p.handle, p.name, \
         p.team, p.location, p.time_zone, p.work_start_minute, p.work_end_minute, p.away_until, \
         c.slug AS community_slug, c.name AS community_name \
         FROM mentee_requests r JOIN people p ON p.id = r.person_id LEFT JOIN communities c ON c.id = r.community_id"
    };
}

/// A person's interest (for matching on shared interests).
#[derive(Debug, Clone, FromRow)]
pub struct InterestRow {
    pub person_id: i64,
    pub interest: String,
}

/// A pairing with both people, its community and the viewer's membership
/// there (for the policy), and the request's goals.
#[derive(Debug, Clone, FromRow)]
pub struct MentorshipRow {
    pub id: i64,
    pub mentor_id: i64,
    pub mentor_handle: String,
    pub mentor_name: String,
    pub mentor_team: String,
    pub mentor_location: String,
    pub mentee_id: i64,
    pub mentee_handle: String,
    pub mentee_name: String,
    pub mentee_team: String,
    pub mentee_location: String,
    pub request_id: Option<i64>,
    pub goals: Option<String>,
    pub community_id: Option<i64>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    pub community_visibility: Option<String>,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    pub status: String,
    pub score: i64,
    pub reasons: String,
    pub mentor_accepted_at: Option<i64>,
    pub mentee_accepted_at: Option<i64>,
    pub proposed_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub outcome: String,
    pub version: i64,
}

/// `$1` is the viewer, whose membership in the pairing's community comes along.
macro_rules! mentorship_columns {
    () => {
        "m.id, m.mentor_id, mp.handle AS mentor_handle, mp.name AS mentor_name, mp.team AS mentor_team, \
         mp.location AS mentor_location, m.mentee_id, ep.handle AS mentee_handle, ep.name AS mentee_name, \
         ep.team AS mentee_team, ep.location AS mentee_location, m.request_id, r.goals, m.community_id, \
         c.slug AS community_slug, c.name AS community_name, c.visibility AS community_visibility, \
         vm.role AS viewer_role, vm.status AS viewer_status, m.status, m.score, m.reasons, m.mentor_accepted_at, \
         m.mentee_accepted_at, m.proposed_at, m.started_at, m.ended_at, m.outcome, m.version \
         FROM mentorships m JOIN people mp ON mp.id = m.mentor_id JOIN people ep ON ep.id = m.mentee_id \
         LEFT JOIN mentee_requests r ON r.id = m.request_id LEFT JOIN communities c ON c.id = m.community_id \
         LEFT JOIN memberships vm ON vm.community_id = m.community_id AND vm.person_id = $1"
    };
}

#[derive(Debug, Clone, FromRow)]
pub struct MentorshipCheckinRow {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub note: String,
    pub at: i64,
}

/// (skill key, name as typed) pairs, keys already canonical.
pub type SkillNames<'a> = &'a [(String, String)];

/// An offer to save (created or replaced, skills and all).
#[derive(Debug, Clone)]
pub struct MentorOfferWrite<'a> {
    pub person: PersonId,
    pub capacity: i64,
    pub note: &'a str,
    pub active: bool,
    pub skills: SkillNames<'a>,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewMenteeRequest<'a> {
    pub person: PersonId,
    pub goals: &'a str,
    pub community: Option<CommunityId>,
    pub skills: SkillNames<'a>,
    pub at: Timestamp,
}

/// A proposal the matcher made, with the messages to send each side.
#[derive(Debug, Clone)]
pub struct NewProposal<'a> {
    pub mentor: PersonId,
    pub mentee: PersonId,
    pub request: i64,
    /// Hundredths.
    pub score: i64,
    /// One reason per line.
    pub reasons: &'a str,
    pub mentor_message: &'a str,
    pub mentee_message: &'a str,
    /// Notifications link to this followed by the new pairing's id.
    pub link_prefix: &'a str,
    pub at: Timestamp,
}

/// Which side of a pairing acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentorshipSide {
    Mentor,
    Mentee,
}

/// What an acceptance did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// The pairing was no longer a proposal; nothing changed.
    NotProposed,
    /// Accepted; the other side has not yet.
    Waiting,
    /// Both have accepted: the pairing is active.
    Activated,
}

/// The in-app message to the other side of a pairing, and where it links.
#[derive(Debug, Clone, Copy)]
pub struct MentorshipNotice<'a> {
    pub message: &'a str,
    pub link: &'a str,
}

/// A whole pairing as it happened (demo data and imports): written with its
/// dates, check-ins and activity record, and its request marked matched once
/// it started.
#[derive(Debug, Clone)]
pub struct MentorshipRecord<'a> {
    pub mentor: PersonId,
    pub mentee: PersonId,
    pub request: Option<i64>,
    pub community: Option<CommunityId>,
    pub status: &'a str,
    pub score: i64,
    pub reasons: &'a str,
    pub proposed_at: Timestamp,
    pub mentor_accepted_at: Option<Timestamp>,
    pub mentee_accepted_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub outcome: &'a str,
    /// (author, note, at)
    pub checkins: &'a [(PersonId, String, Timestamp)],
}

/// The display name of a skill key: the vocabulary's name, else as typed.
macro_rules! skill_name_expr {
    ($alias:literal) => {
        concat!(
            "COALESCE((SELECT k.name FROM skills k WHERE k.key = ",
            $alias,
            ".skill_key), NULLIF(",
            $alias,
            ".name, ''), ",
            $alias,
            ".skill_key)"
        )
    };
}

/// The mentor's declared level for an offered skill (`s` is the offer skill).
macro_rules! offer_level_expr {
    () => {
        "(SELECT ps.level FROM person_skills ps WHERE ps.person_id = s.person_id \
         AND (ps.skill_key = s.skill_key OR lower(replace(trim(ps.skill), ' ', '-')) = s.skill_key) \
         ORDER BY CASE ps.level WHEN 'expert' THEN 0 WHEN 'practitioner' THEN 1 ELSE 2 END LIMIT 1)"
    };
}

macro_rules! offer_skill_columns {
    () => {
        concat!(
            "s.person_id AS owner_id, s.skill_key, ",
            skill_name_expr!("s"),
            " AS name, ",
            offer_level_expr!(),
            " AS level FROM mentor_offer_skills s"
        )
    };
}

macro_rules! mentor_load {
    ($person:literal) => {
        concat!(
            "(SELECT COUNT(*) FROM mentorships ml WHERE ml.mentor_id = ",
            $person,
            " AND ml.status IN ('proposed', 'active'))"
        )
    };
}

/// Inserts skill keys inside `$tx`, mapping synonyms to their skill's key.
macro_rules! insert_skills {
    ($tx:expr, $sql:expr, $owner:expr, $skills:expr) => {{
        for (key, name) in $skills.iter() {
            sqlx::query($sql).bind($owner).bind(key).bind(name).execute(&mut *$tx).await?;
        }
    }};
}

/// Writes one in-app notification inside `$tx`.
macro_rules! notify {
    ($tx:expr, $person:expr, $message:expr, $link:expr, $at:expr) => {{
        sqlx::query(
            "INSERT INTO notifications (person_id, kind, message, link, created_at) VALUES ($1, 'mentorship', $2, $3, $4)",
        )
        .bind($person)
        .bind($message)
        .bind($link)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Writes one activity-record row inside `$tx` (idempotent by source_ref).
macro_rules! record_mentoring {
    ($tx:expr, $mentor:expr, $community:expr, $kind:expr, $mentee:expr, $source_ref:expr, $at:expr) => {{
        sqlx::query(
            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
             VALUES ($1, $2, $3, $4, $5, 'copse', $6) ON CONFLICT (source, source_ref) DO NOTHING",
        )
        .bind($mentor)
        .bind($community)
        .bind($kind)
        .bind($at)
        .bind($mentee)
        .bind($source_ref)
        .execute(&mut *$tx)
        .await?;
    }};
}

const OFFER_SKILL_INSERT: &str = "INSERT INTO mentor_offer_skills (person_id, skill_key, name) \
     VALUES ($1, COALESCE((SELECT k.key FROM skill_synonyms y JOIN skills k ON k.id = y.skill_id \
     WHERE y.synonym = $2), $2), $3) ON CONFLICT DO NOTHING";

const REQUEST_SKILL_INSERT: &str = "INSERT INTO mentee_request_skills (request_id, skill_key, name) \
     VALUES ($1, COALESCE((SELECT k.key FROM skill_synonyms y JOIN skills k ON k.id = y.skill_id \
     WHERE y.synonym = $2), $2), $3) ON CONFLICT DO NOTHING";

impl Store {
    // --- offers -------------------------------------------------------------

    pub async fn find_mentor_offer(&self, person: PersonId) -> Result<Option<MentorOfferRow>, StoreError> {
        let sql = concat!(
            "SELECT o.person_id, o.capacity, o.note, o.active, o.created_at, o.updated_at, ",
            mentor_load!("o.person_id"),
            " AS load FROM mentor_offers o WHERE o.person_id = $1"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(person.0).fetch_optional(pool).await?))
    }

    pub async fn list_mentor_offer_skills(&self, person: PersonId) -> Result<Vec<MentoringSkillRow>, StoreError> {
        let sql = concat!("SELECT ", offer_skill_columns!(), " WHERE s.person_id = $1 ORDER BY s.skill_key");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(person.0).fetch_all(pool).await?))
    }

    /// Creates or replaces a person's offer and its skills.
    pub async fn save_mentor_offer(&self, offer: &MentorOfferWrite<'_>) -> Result<(), StoreError> {
        let at = offer.at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO mentor_offers (person_id, capacity, note, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (person_id) DO UPDATE SET \
                 capacity = excluded.capacity, note = excluded.note, active = excluded.active, \
                 updated_at = excluded.updated_at",
            )
            .bind(offer.person.0)
            .bind(offer.capacity)
            .bind(offer.note)
            .bind(i64::from(offer.active))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM mentor_offer_skills WHERE person_id = $1")
                .bind(offer.person.0)
                .execute(&mut *tx)
                .await?;
            insert_skills!(tx, OFFER_SKILL_INSERT, offer.person.0, offer.skills);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Pauses or resumes an offer; `NotFound` when there is none.
    pub async fn set_mentor_offer_active(
        &self,
        person: PersonId,
        active: bool,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let done = with_pool!(self, |pool| {
            sqlx::query("UPDATE mentor_offers SET active = $2, updated_at = $3 WHERE person_id = $1")
                .bind(person.0)
                .bind(i64::from(active))
                .bind(at.millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// A page of active offers by the mentor's name, optionally only those
    /// offering `skill_key`.
    pub async fn list_mentor_offers(
        &self,
        skill_key: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<MentorOfferListRow>, StoreError> {
        let sql = concat!(
            "SELECT o.person_id, p.handle, p.name, p.team, p.location, p.time_zone, o.capacity, o.note, ",
            mentor_load!("o.person_id"),
            " AS load FROM mentor_offers o JOIN people p ON p.id = o.person_id WHERE o.active = 1 \
             AND ($1 = '' OR EXISTS (SELECT 1 FROM mentor_offer_skills s WHERE s.person_id = o.person_id \
             AND s.skill_key = $1)) ORDER BY p.name, p.id LIMIT $2 OFFSET $3"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(skill_key).bind(limit).bind(offset).fetch_all(pool).await?
        }))
    }

    /// The skills of the offers on the same page as [`Store::list_mentor_offers`].
    pub async fn list_mentor_offers_skills(
        &self,
        skill_key: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<MentoringSkillRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            offer_skill_columns!(),
            " WHERE s.person_id IN (SELECT o.person_id FROM mentor_offers o JOIN people p ON p.id = o.person_id \
             WHERE o.active = 1 AND ($1 = '' OR EXISTS (SELECT 1 FROM mentor_offer_skills f \
             WHERE f.person_id = o.person_id AND f.skill_key = $1)) ORDER BY p.name, p.id LIMIT $2 OFFSET $3) \
             ORDER BY s.person_id, s.skill_key"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(skill_key).bind(limit).bind(offset).fetch_all(pool).await?
        }))
    }

    // --- what matching reads ----------------------------------------------

    /// Active offers of people not away at `now`, with their load.
    pub async fn list_mentor_candidates(&self, now: Timestamp) -> Result<Vec<MentorCandidateRow>, StoreError> {
        let sql = concat!(
            "SELECT o.person_id, p.handle, p.name, p.team, p.location, p.time_zone, p.work_start_minute, \
             p.work_end_minute, o.capacity, ",
            mentor_load!("o.person_id"),
            " AS load FROM mentor_offers o JOIN people p ON p.id = o.person_id \
             WHERE o.active = 1 AND (p.away_until IS NULL OR p.away_until <= $1) ORDER BY o.person_id"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(now.millis()).fetch_all(pool).await?))
    }

    /// The skills (with levels) of every active offer.
    pub async fn list_active_offer_skills(&self) -> Result<Vec<MentoringSkillRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            offer_skill_columns!(),
            " JOIN mentor_offers o ON o.person_id = s.person_id WHERE o.active = 1 ORDER BY s.person_id, s.skill_key"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// The interests of everyone with an active offer.
    pub async fn list_mentor_interests(&self) -> Result<Vec<InterestRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT i.person_id, i.interest FROM person_interests i \
                 JOIN mentor_offers o ON o.person_id = i.person_id WHERE o.active = 1",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Open requests without a live pairing, oldest first; all of them, or
    /// only `request` when it is not 0.
    pub async fn list_unpaired_requests(&self, request: i64) -> Result<Vec<MenteeRequestRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            request_columns!(),
            " WHERE r.status = 'open' AND ($1 = 0 OR r.id = $1) AND NOT EXISTS (SELECT 1 FROM mentorships m \
             WHERE m.request_id = r.id AND m.status IN ('proposed', 'active')) ORDER BY r.created_at, r.id"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(request).fetch_all(pool).await?))
    }

    /// The wanted skills of open requests (all, or only `request` when not 0).
    pub async fn list_open_request_skills(&self, request: i64) -> Result<Vec<MentoringSkillRow>, StoreError> {
        let sql = concat!(
            "SELECT rs.request_id AS owner_id, rs.skill_key, ",
            skill_name_expr!("rs"),
            " AS name, NULL AS level FROM mentee_request_skills rs JOIN mentee_requests r ON r.id = rs.request_id \
             WHERE r.status = 'open' AND ($1 = 0 OR r.id = $1) ORDER BY rs.request_id, rs.skill_key"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(request).fetch_all(pool).await?))
    }

    /// The interests of people with open requests (all, or only `request`'s asker).
    pub async fn list_mentee_interests(&self, request: i64) -> Result<Vec<InterestRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT i.person_id, i.interest FROM person_interests i WHERE i.person_id IN \
                 (SELECT r.person_id FROM mentee_requests r WHERE r.status = 'open' AND ($1 = 0 OR r.id = $1))",
            )
            .bind(request)
            .fetch_all(pool)
            .await?
        }))
    }

    /// (request, mentor) pairs already declined for open requests, which
    /// matching must not propose again.
    pub async fn list_declined_pairs(&self, request: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.request_id, m.mentor_id FROM mentorships m JOIN mentee_requests r ON r.id = m.request_id \
                 WHERE r.status = 'open' AND m.status = 'declined' AND ($1 = 0 OR r.id = $1)",
            )
            .bind(request)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether a person facilitates at least one community (coordinators).
    pub async fn mentoring_is_facilitator_anywhere(&self, person: PersonId) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT person_id FROM memberships WHERE person_id = $1 AND role = 'facilitator' AND status = 'active' \
                 LIMIT 1",
            )
            .bind(person.0)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.is_some())
    }

    /// How many pairings are in each status, across the organization.
    pub async fn count_mentorships_by_status(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT status, COUNT(*) FROM mentorships GROUP BY status ORDER BY status")
                .fetch_all(pool)
                .await?
        }))
    }

    // --- requests -----------------------------------------------------------

    /// Opens a request; `Conflict` when the person already has an open one.
    pub async fn insert_mentee_request(&self, request: &NewMenteeRequest<'_>) -> Result<i64, StoreError> {
        let at = request.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO mentee_requests (person_id, goals, community_id, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'open', $4, $4) RETURNING id",
            )
            .bind(request.person.0)
            .bind(request.goals)
            .bind(request.community.map(|c| c.0))
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            insert_skills!(tx, REQUEST_SKILL_INSERT, id, request.skills);
            tx.commit().await?;
            id
        }))
    }

    pub async fn find_open_mentee_request(&self, person: PersonId) -> Result<Option<MenteeRequestRow>, StoreError> {
        let sql = concat!("SELECT ", request_columns!(), " WHERE r.person_id = $1 AND r.status = 'open'");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(person.0).fetch_optional(pool).await?))
    }

    pub async fn list_mentee_request_skills(&self, request: i64) -> Result<Vec<MentoringSkillRow>, StoreError> {
        let sql = concat!(
            "SELECT rs.request_id AS owner_id, rs.skill_key, ",
            skill_name_expr!("rs"),
            " AS name, NULL AS level FROM mentee_request_skills rs WHERE rs.request_id = $1 ORDER BY rs.skill_key"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(request).fetch_all(pool).await?))
    }

    /// Withdraws a person's open request and closes its pending proposal,
    /// telling the proposed mentor. `NotFound` when nothing is open.
    pub async fn withdraw_mentee_request(
        &self,
        person: PersonId,
        notice: MentorshipNotice<'_>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64,)> = sqlx::query_as(
                "UPDATE mentee_requests SET status = 'withdrawn', updated_at = $2 \
                 WHERE person_id = $1 AND status = 'open' RETURNING id",
            )
            .bind(person.0)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((request,)) = row else {
                return Err(StoreError::NotFound);
            };
            let closed: Vec<(i64, i64)> = sqlx::query_as(
                "UPDATE mentorships SET status = 'declined', ended_at = $2, version = version + 1 \
                 WHERE request_id = $1 AND status = 'proposed' RETURNING id, mentor_id",
            )
            .bind(request)
            .bind(at)
            .fetch_all(&mut *tx)
            .await?;
            for (id, mentor) in closed {
                notify!(tx, mentor, notice.message, format!("{}{id}", notice.link), at);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    // --- pairings -----------------------------------------------------------

    /// Proposes a pair if the mentor still has a free place, the request is
    /// still open without a live pairing, and the two are different people;
    /// tells both. `None` when any of that no longer holds.
    pub async fn propose_mentorship(&self, proposal: &NewProposal<'_>) -> Result<Option<i64>, StoreError> {
        let at = proposal.at.millis();
        let inserted = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Lock the mentor's offer first: every proposal for this mentor
            // queues here, so the count below cannot go stale before the insert.
            let locked = sqlx::query("UPDATE mentor_offers SET updated_at = updated_at WHERE person_id = $1")
                .bind(proposal.mentor.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if locked == 0 {
                return Ok(None);
            }
            let row: Result<Option<(i64,)>, sqlx::Error> = sqlx::query_as(concat!(
                "INSERT INTO mentorships (mentor_id, mentee_id, request_id, community_id, status, score, reasons, \
                 proposed_at) SELECT $1, $2, $3, r.community_id, 'proposed', $4, $5, $6 FROM mentee_requests r \
                 WHERE r.id = $3 AND r.person_id = $2 AND r.status = 'open' AND $1 <> $2 \
                 AND NOT EXISTS (SELECT 1 FROM mentorships l WHERE l.request_id = $3 \
                 AND l.status IN ('proposed', 'active')) \
                 AND ",
                mentor_load!("$1"),
                " < (SELECT o.capacity FROM mentor_offers o WHERE o.person_id = $1 AND o.active = 1) RETURNING id"
            ))
            .bind(proposal.mentor.0)
            .bind(proposal.mentee.0)
            .bind(proposal.request)
            .bind(proposal.score)
            .bind(proposal.reasons)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await;
            let id = match row.map_err(StoreError::from) {
                Ok(Some((id,))) => id,
                Ok(None) | Err(StoreError::Conflict(_)) => return Ok(None),
                Err(other) => return Err(other),
            };
            let link = format!("{}{id}", proposal.link_prefix);
            notify!(tx, proposal.mentor.0, proposal.mentor_message, &link, at);
            notify!(tx, proposal.mentee.0, proposal.mentee_message, &link, at);
            tx.commit().await?;
            Some(id)
        });
        Ok(inserted)
    }

    /// One side accepts a proposal; the second acceptance activates the
    /// pairing, marks its request matched and, for a pairing in a community,
    /// writes the activity record. The other side is told either way
    /// (`waiting` or `activated` message).
    pub async fn accept_mentorship(
        &self,
        id: i64,
        side: MentorshipSide,
        waiting: MentorshipNotice<'_>,
        activated: MentorshipNotice<'_>,
        at: Timestamp,
    ) -> Result<Acceptance, StoreError> {
        type Accepted = (Option<i64>, Option<i64>, i64, i64, Option<i64>, Option<i64>);
        let at = at.millis();
        let sql = match side {
            MentorshipSide::Mentor => {
                "UPDATE mentorships SET mentor_accepted_at = COALESCE(mentor_accepted_at, $2), version = version + 1 \
                 WHERE id = $1 AND status = 'proposed' \
                 RETURNING mentor_accepted_at, mentee_accepted_at, mentor_id, mentee_id, request_id, community_id"
            }
            MentorshipSide::Mentee => {
                "UPDATE mentorships SET mentee_accepted_at = COALESCE(mentee_accepted_at, $2), version = version + 1 \
                 WHERE id = $1 AND status = 'proposed' \
                 RETURNING mentor_accepted_at, mentee_accepted_at, mentor_id, mentee_id, request_id, community_id"
            }
        };
        let outcome = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<Accepted> = sqlx::query_as(sql).bind(id).bind(at).fetch_optional(&mut *tx).await?;
            let Some((mentor_at, mentee_at, mentor, mentee, request, community)) = row else {
                return Ok(Acceptance::NotProposed);
            };
            let other = if side == MentorshipSide::Mentor { mentee } else { mentor };
            let outcome = if mentor_at.is_some() && mentee_at.is_some() {
                sqlx::query("UPDATE mentorships SET status = 'active', started_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                if let Some(request) = request {
                    sqlx::query("UPDATE mentee_requests SET status = 'matched', updated_at = $2 WHERE id = $1")
                        .bind(request)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(community) = community {
                    record_mentoring!(tx, mentor, community, "mentorship", mentee, format!("mentorship:{id}"), at);
                }
                notify!(tx, other, activated.message, activated.link, at);
                Acceptance::Activated
            } else {
                notify!(tx, other, waiting.message, waiting.link, at);
                Acceptance::Waiting
            };
            tx.commit().await?;
            outcome
        });
        Ok(outcome)
    }

    /// Declines a proposal (its request stays open for matching, without
    /// this mentor); tells the other side. False when it was no proposal.
    pub async fn decline_mentorship(
        &self,
        id: i64,
        side: MentorshipSide,
        notice: MentorshipNotice<'_>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE mentorships SET status = 'declined', ended_at = $2, version = version + 1 \
                 WHERE id = $1 AND status = 'proposed' RETURNING mentor_id, mentee_id",
            )
            .bind(id)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((mentor, mentee)) = row else {
                return Ok(false);
            };
            let other = if side == MentorshipSide::Mentor { mentee } else { mentor };
            notify!(tx, other, notice.message, notice.link, at);
            tx.commit().await?;
            true
        }))
    }

    /// Closes an active pairing as `completed` (with its outcome note) or
    /// `ended` (with the reason); tells the other side. False when it was not
    /// active.
    pub async fn close_mentorship(
        &self,
        id: i64,
        side: MentorshipSide,
        status: &str,
        note: &str,
        notice: MentorshipNotice<'_>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE mentorships SET status = $3, ended_at = $2, outcome = $4, version = version + 1 \
                 WHERE id = $1 AND status = 'active' RETURNING mentor_id, mentee_id",
            )
            .bind(id)
            .bind(at)
            .bind(status)
            .bind(note)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((mentor, mentee)) = row else {
                return Ok(false);
            };
            let other = if side == MentorshipSide::Mentor { mentee } else { mentor };
            notify!(tx, other, notice.message, notice.link, at);
            tx.commit().await?;
            true
        }))
    }

    /// Adds a check-in to an active pairing (activity record for a pairing in
    /// a community); tells the other side. `None` when it is not active.
    pub async fn insert_mentorship_checkin(
        &self,
        id: i64,
        author: PersonId,
        note: &str,
        notice: MentorshipNotice<'_>,
        at: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
                "UPDATE mentorships SET version = version + 1 WHERE id = $1 AND status = 'active' \
                 RETURNING mentor_id, mentee_id, community_id",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((mentor, mentee, community)) = row else {
                return Ok(None);
            };
            let (checkin,): (i64,) = sqlx::query_as(
                "INSERT INTO mentorship_checkins (mentorship_id, author_id, note, at) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(id)
            .bind(author.0)
            .bind(note)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(community) = community {
                let source_ref = format!("mentorship-checkin:{checkin}");
                record_mentoring!(tx, mentor, community, "mentorship-session", mentee, source_ref, at);
            }
            let other = if author.0 == mentor { mentee } else { mentor };
            notify!(tx, other, notice.message, notice.link, at);
            tx.commit().await?;
            Some(checkin)
        }))
    }

    /// One pairing, with `viewer`'s membership in its community.
    pub async fn find_mentorship(
        &self,
        id: i64,
        viewer: Option<PersonId>,
    ) -> Result<Option<MentorshipRow>, StoreError> {
        let sql = concat!("SELECT ", mentorship_columns!(), " WHERE m.id = $2");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(viewer.map_or(-1, |p| p.0)).bind(id).fetch_optional(pool).await?
        }))
    }

    /// Every pairing a person is in, as mentor or mentee, newest first, with
    /// `viewer`'s membership in each community.
    pub async fn list_person_mentorships(
        &self,
        person: PersonId,
        viewer: Option<PersonId>,
    ) -> Result<Vec<MentorshipRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            mentorship_columns!(),
            " WHERE m.mentor_id = $2 OR m.mentee_id = $2 ORDER BY m.proposed_at DESC, m.id DESC LIMIT 200"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(viewer.map_or(-1, |p| p.0)).bind(person.0).fetch_all(pool).await?
        }))
    }

    pub async fn list_mentorship_checkins(&self, id: i64) -> Result<Vec<MentorshipCheckinRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT k.id, k.author_id, p.handle AS author_handle, p.name AS author_name, k.note, k.at \
                 FROM mentorship_checkins k LEFT JOIN people p ON p.id = k.author_id \
                 WHERE k.mentorship_id = $1 ORDER BY k.at DESC, k.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Writes a whole pairing as it happened (demo data, imports).
    pub async fn insert_mentorship_record(&self, record: &MentorshipRecord<'_>) -> Result<i64, StoreError> {
        let millis = |t: Option<Timestamp>| t.map(Timestamp::millis);
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO mentorships (mentor_id, mentee_id, request_id, community_id, status, score, reasons, \
                 mentor_accepted_at, mentee_accepted_at, proposed_at, started_at, ended_at, outcome) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(record.mentor.0)
            .bind(record.mentee.0)
            .bind(record.request)
            .bind(record.community.map(|c| c.0))
            .bind(record.status)
            .bind(record.score)
            .bind(record.reasons)
            .bind(millis(record.mentor_accepted_at))
            .bind(millis(record.mentee_accepted_at))
            .bind(record.proposed_at.millis())
            .bind(millis(record.started_at))
            .bind(millis(record.ended_at))
            .bind(record.outcome)
            .fetch_one(&mut *tx)
            .await?;
            if let (Some(request), Some(started)) = (record.request, record.started_at) {
                sqlx::query("UPDATE mentee_requests SET status = 'matched', updated_at = $2 WHERE id = $1")
                    .bind(request)
                    .bind(started.millis())
                    .execute(&mut *tx)
                    .await?;
            }
            if let (Some(community), Some(started)) = (record.community, record.started_at) {
                let source_ref = format!("mentorship:{id}");
                record_mentoring!(
                    tx,
                    record.mentor.0,
                    community.0,
                    "mentorship",
                    record.mentee.0,
                    source_ref,
                    started.millis()
                );
            }
            for (author, note, at) in record.checkins {
                let (checkin,): (i64,) = sqlx::query_as(
                    "INSERT INTO mentorship_checkins (mentorship_id, author_id, note, at) VALUES ($1, $2, $3, $4) \
                     RETURNING id",
                )
                .bind(id)
                .bind(author.0)
                .bind(note)
                .bind(at.millis())
                .fetch_one(&mut *tx)
                .await?;
                if let Some(community) = record.community {
                    let source_ref = format!("mentorship-checkin:{checkin}");
                    record_mentoring!(
                        tx,
                        record.mentor.0,
                        community.0,
                        "mentorship-session",
                        record.mentee.0,
                        source_ref,
                        at.millis()
                    );
                }
            }
            tx.commit().await?;
            id
        }))
    }
}
