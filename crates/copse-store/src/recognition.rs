//! Kudos (migration 0005_people): thanks from one person to another for one
//! contribution (a post, an artifact, an event occurrence, a mentorship), the
//! lookups that decide who may be thanked for what, the feeds and exports
//! that list them, and the stewardship counts a profile shows.
//!
//! Giving kudos is one transaction: the kudos row, the change feed (entity
//! `kudos`, which the expertise follower counts per skill), the audit log, the
//! activity record (kind `kudos`, source `copse`, `kudos:ID`, when the kudos
//! belongs to a community) and an in-app notification to the receiver.
//!
//! Lists that a viewer reads take the viewer as `$1` and return the viewer's
//! membership of each row's community, so the app can re-check every row with
//! the policy after SQL has pre-filtered by visibility.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

/// What a kudos is about, with its community and the viewer's membership
/// there (for the policy), and whether it is hidden.
#[derive(Debug, Clone, FromRow)]
pub struct KudosSubjectRow {
    pub community_id: Option<i64>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    pub community_visibility: Option<String>,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    /// A thread's title, an artifact's, an event's; empty for a mentorship.
    pub title: String,
    /// For a post: the thread's kind; for a mentorship: its status.
    pub detail: String,
    /// 1 when the post (or its thread) is hidden by moderation.
    pub hidden: i64,
    /// 1 for a thread's opening post.
    pub opening: i64,
}

/// Someone who may be thanked for a subject.
#[derive(Debug, Clone, FromRow)]
pub struct KudosPersonRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    /// Their part: author, owner, facilitator, mentor, mentee.
    pub part: String,
}

/// A skill of the vocabulary.
#[derive(Debug, Clone, FromRow)]
pub struct VocabularySkillRow {
    pub id: i64,
    pub key: String,
    pub name: String,
}

/// One kudos as feeds, profiles and exports show it.
#[derive(Debug, Clone, FromRow)]
pub struct KudosRow {
    pub id: i64,
    pub created_at: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub subject_key: String,
    pub contribution: String,
    pub message: String,
    pub giver_id: i64,
    pub giver_handle: String,
    pub giver_name: String,
    pub receiver_id: i64,
    pub receiver_handle: String,
    pub receiver_name: String,
    pub receiver_email: String,
    pub community_id: Option<i64>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    pub community_visibility: Option<String>,
    /// The reader's membership of the kudos' community.
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    pub skill_key: Option<String>,
    pub skill_name: Option<String>,
    pub subject_title: String,
    /// 1 when the post or thread thanked for is now hidden.
    pub subject_hidden: i64,
}

/// `$1` is the reader, whose membership comes back with each row.
macro_rules! kudos_select {
    () => {
        "SELECT k.id, k.created_at, k.subject_kind, k.subject_id, k.subject_key, k.contribution, k.message, \
         g.id AS giver_id, g.handle AS giver_handle, g.name AS giver_name, \
         r.id AS receiver_id, r.handle AS receiver_handle, r.name AS receiver_name, \
         COALESCE(r.email, '') AS receiver_email, \
         k.community_id, c.slug AS community_slug, c.name AS community_name, c.visibility AS community_visibility, \
         vm.role AS viewer_role, vm.status AS viewer_status, s.key AS skill_key, s.name AS skill_name, \
         COALESCE(t.title, a.title, e.title, '') AS subject_title, \
         CAST(CASE WHEN p.hidden_reason IS NOT NULL OR t.hidden_reason IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) \
         AS subject_hidden \
         FROM kudos k JOIN people g ON g.id = k.giver_id JOIN people r ON r.id = k.receiver_id \
         LEFT JOIN communities c ON c.id = k.community_id \
         LEFT JOIN memberships vm ON vm.community_id = k.community_id AND vm.person_id = $1 \
         LEFT JOIN skills s ON s.id = k.skill_id \
         LEFT JOIN posts p ON k.subject_kind = 'post' AND p.id = k.subject_id \
         LEFT JOIN threads t ON t.id = p.thread_id \
         LEFT JOIN artifacts a ON k.subject_kind = 'artifact' AND a.id = k.subject_id \
         LEFT JOIN events e ON k.subject_kind = 'event' AND e.id = k.subject_id "
    };
}

/// The pre-filter of what reader `$1` may see (`$2` = 1 for an admin): kudos
/// in communities they may view, and kudos outside any community only when
/// they gave or received them. The app re-checks each row with the policy.
macro_rules! kudos_visible {
    () => {
        "(($2 = 1) OR (k.community_id IS NULL AND (k.giver_id = $1 OR k.receiver_id = $1)) \
          OR (k.community_id IS NOT NULL AND (c.visibility <> 'private' OR vm.status IN ('active', 'invited'))))"
    };
}

/// A kudos to record.
#[derive(Debug, Clone, Copy)]
pub struct NewKudos<'a> {
    pub giver: PersonId,
    pub receiver: PersonId,
    pub community: Option<CommunityId>,
    /// post | artifact | event | mentorship
    pub subject_kind: &'a str,
    pub subject_id: i64,
    /// An event occurrence's key; "" for the other kinds.
    pub subject_key: &'a str,
    pub contribution: &'a str,
    pub skill: Option<i64>,
    pub message: &'a str,
    /// The receiver's in-app notification.
    pub notification: &'a str,
    pub link: &'a str,
    pub at: Timestamp,
}

/// Which kudos an export takes: involving `person` (all when `None`), given
/// in `[from, to)`.
#[derive(Debug, Clone, Copy)]
pub struct KudosExportFilter {
    pub person: Option<PersonId>,
    pub from: Timestamp,
    pub to: Timestamp,
    pub limit: i64,
}

/// What a person has looked after, for their profile: counts in the
/// communities the reader may see.
#[derive(Debug, Clone, FromRow)]
pub struct StewardshipRow {
    /// Sessions held (someone checked in) or assigned on the rota, already
    /// started, with this person as facilitator.
    pub sessions_facilitated: i64,
    pub versions_written: i64,
    pub artifacts_owned: i64,
    pub mentoring_active: i64,
    pub mentoring_completed: i64,
}

/// Kudos received per contribution category.
#[derive(Debug, Clone, FromRow)]
pub struct KudosCategoryCountRow {
    pub contribution: String,
    pub count: i64,
}

/// Something the demo may thank someone for: a reply, an artifact (with an
/// owner), a session that took place (with its facilitator).
#[derive(Debug, Clone, FromRow)]
pub struct KudosDemoSubjectRow {
    /// post | artifact | event
    pub kind: String,
    pub subject_id: i64,
    pub subject_key: String,
    pub receiver_id: i64,
    /// When it was written or held (for events: when the first person checked in).
    pub at: i64,
    /// A post's thread kind; an artifact's status; '' for events.
    pub detail: String,
}

/// A mentorship that started, for the demo.
#[derive(Debug, Clone, FromRow)]
pub struct KudosDemoMentorshipRow {
    pub id: i64,
    pub mentor_id: i64,
    pub mentee_id: i64,
    pub community_id: Option<i64>,
    pub started_at: Option<i64>,
}

/// The communities a reader (`$2`, admin when `$3` = 1) may see, as a
/// condition on community id expression `c.id` of a joined `communities c`.
macro_rules! community_visible_to_reader {
    () => {
        "($3 = 1 OR c.visibility <> 'private' OR EXISTS (SELECT 1 FROM memberships rm WHERE rm.community_id = c.id \
          AND rm.person_id = $2 AND rm.status IN ('active', 'invited')))"
    };
}

impl Store {
    /// A post as a kudos subject, with its author as the one to thank.
    pub async fn find_kudos_post(
        &self,
        post: i64,
        viewer: PersonId,
    ) -> Result<Option<(KudosSubjectRow, Vec<KudosPersonRow>)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            let subject: Option<KudosSubjectRow> = sqlx::query_as(
                "SELECT t.community_id, c.slug AS community_slug, c.name AS community_name, \
                 c.visibility AS community_visibility, vm.role AS viewer_role, vm.status AS viewer_status, \
                 t.title, t.kind AS detail, \
                 CAST(CASE WHEN p.hidden_reason IS NOT NULL OR t.hidden_reason IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) \
                 AS hidden, \
                 CAST(CASE WHEN p.id = (SELECT MIN(q.id) FROM posts q WHERE q.thread_id = t.id) THEN 1 ELSE 0 END \
                 AS BIGINT) AS opening \
                 FROM posts p JOIN threads t ON t.id = p.thread_id JOIN communities c ON c.id = t.community_id \
                 LEFT JOIN memberships vm ON vm.community_id = c.id AND vm.person_id = $2 WHERE p.id = $1",
            )
            .bind(post)
            .bind(viewer.0)
            .fetch_optional(pool)
            .await?;
            match subject {
                None => None,
                Some(subject) => {
                    let people = sqlx::query_as(
                        "SELECT a.id, a.handle, a.name, 'author' AS part FROM posts p JOIN people a ON a.id = p.author_id \
                         WHERE p.id = $1",
                    )
                    .bind(post)
                    .fetch_all(pool)
                    .await?;
                    Some((subject, people))
                }
            }
        }))
    }

    /// An artifact as a kudos subject, with its owners and the authors of
    /// its versions as the people who may be thanked (owners first).
    pub async fn find_kudos_artifact(
        &self,
        artifact: i64,
        viewer: PersonId,
    ) -> Result<Option<(KudosSubjectRow, Vec<KudosPersonRow>)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            let subject: Option<KudosSubjectRow> = sqlx::query_as(
                "SELECT a.community_id, c.slug AS community_slug, c.name AS community_name, \
                 c.visibility AS community_visibility, vm.role AS viewer_role, vm.status AS viewer_status, \
                 a.title, a.status AS detail, CAST(0 AS BIGINT) AS hidden, CAST(0 AS BIGINT) AS opening \
                 FROM artifacts a JOIN communities c ON c.id = a.community_id \
                 LEFT JOIN memberships vm ON vm.community_id = c.id AND vm.person_id = $2 WHERE a.id = $1",
            )
            .bind(artifact)
            .bind(viewer.0)
            .fetch_optional(pool)
            .await?;
            match subject {
                None => None,
                Some(subject) => {
                    let people: Vec<KudosPersonRow> = sqlx::query_as(
                        "SELECT p.id, p.handle, p.name, x.part FROM ( \
                           SELECT person_id, 'owner' AS part, 0 AS rank FROM artifact_owners WHERE artifact_id = $1 \
                           UNION SELECT author_id AS person_id, 'author' AS part, 1 AS rank FROM artifact_versions \
                           WHERE artifact_id = $1 AND author_id IS NOT NULL \
                           UNION SELECT created_by AS person_id, 'author' AS part, 1 AS rank FROM artifacts \
                           WHERE id = $1 AND created_by IS NOT NULL) x \
                         JOIN people p ON p.id = x.person_id ORDER BY x.rank, p.name, p.id",
                    )
                    .bind(artifact)
                    .fetch_all(pool)
                    .await?;
                    // One line per person: an owner who also wrote is an owner.
                    let mut seen = std::collections::HashSet::new();
                    Some((subject, people.into_iter().filter(|p| seen.insert(p.id)).collect()))
                }
            }
        }))
    }

    /// An event as a kudos subject, with the facilitator of occurrence `key`
    /// (the rota's choice for it, else the series' facilitator).
    pub async fn find_kudos_event(
        &self,
        event: i64,
        key: &str,
        viewer: PersonId,
    ) -> Result<Option<(KudosSubjectRow, Vec<KudosPersonRow>)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            let subject: Option<KudosSubjectRow> = sqlx::query_as(
                "SELECT e.community_id, c.slug AS community_slug, c.name AS community_name, \
                 c.visibility AS community_visibility, vm.role AS viewer_role, vm.status AS viewer_status, \
                 e.title, e.status AS detail, CAST(0 AS BIGINT) AS hidden, CAST(0 AS BIGINT) AS opening \
                 FROM events e JOIN communities c ON c.id = e.community_id \
                 LEFT JOIN memberships vm ON vm.community_id = c.id AND vm.person_id = $2 WHERE e.id = $1",
            )
            .bind(event)
            .bind(viewer.0)
            .fetch_optional(pool)
            .await?;
            match subject {
                None => None,
                Some(subject) => {
                    let people = sqlx::query_as(
                        "SELECT p.id, p.handle, p.name, 'facilitator' AS part FROM events e \
                         LEFT JOIN occurrence_details d ON d.event_id = e.id AND d.original_start_local = $2 \
                         JOIN people p ON p.id = COALESCE(d.facilitator_id, e.facilitator_id) WHERE e.id = $1",
                    )
                    .bind(event)
                    .bind(key)
                    .fetch_all(pool)
                    .await?;
                    Some((subject, people))
                }
            }
        }))
    }

    /// A mentorship as a kudos subject, with both sides (the app keeps the
    /// one who is not the giver).
    pub async fn find_kudos_mentorship(
        &self,
        mentorship: i64,
        viewer: PersonId,
    ) -> Result<Option<(KudosSubjectRow, Vec<KudosPersonRow>)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            let subject: Option<KudosSubjectRow> = sqlx::query_as(
                "SELECT m.community_id, c.slug AS community_slug, c.name AS community_name, \
                 c.visibility AS community_visibility, vm.role AS viewer_role, vm.status AS viewer_status, \
                 '' AS title, m.status AS detail, CAST(0 AS BIGINT) AS hidden, CAST(0 AS BIGINT) AS opening \
                 FROM mentorships m LEFT JOIN communities c ON c.id = m.community_id \
                 LEFT JOIN memberships vm ON vm.community_id = c.id AND vm.person_id = $2 WHERE m.id = $1",
            )
            .bind(mentorship)
            .bind(viewer.0)
            .fetch_optional(pool)
            .await?;
            match subject {
                None => None,
                Some(subject) => {
                    let people = sqlx::query_as(
                        "SELECT p.id, p.handle, p.name, 'mentor' AS part FROM mentorships m \
                         JOIN people p ON p.id = m.mentor_id WHERE m.id = $1 \
                         UNION ALL SELECT p.id, p.handle, p.name, 'mentee' AS part FROM mentorships m \
                         JOIN people p ON p.id = m.mentee_id WHERE m.id = $1",
                    )
                    .bind(mentorship)
                    .fetch_all(pool)
                    .await?;
                    Some((subject, people))
                }
            }
        }))
    }

    /// The skill a typed term names: its key, or a synonym of it (both in
    /// canonical form: lower case, spaces as '-').
    pub async fn resolve_skill_term(&self, canonical: &str) -> Result<Option<VocabularySkillRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.key, s.name FROM skills s WHERE s.key = $1 \
                 UNION ALL SELECT s.id, s.key, s.name FROM skill_synonyms y JOIN skills s ON s.id = y.skill_id \
                 WHERE y.synonym = $1 LIMIT 1",
            )
            .bind(canonical)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The whole skills vocabulary with synonyms (key, name, synonym or ''),
    /// for suggesting close terms; it is curated, so small.
    pub async fn list_skill_terms(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.key, s.name, '' AS synonym FROM skills s \
                 UNION ALL SELECT s.key, s.name, y.synonym FROM skill_synonyms y JOIN skills s ON s.id = y.skill_id \
                 ORDER BY 1, 3 LIMIT 20000",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Records a kudos with its change-feed entry, audit row, activity record
    /// (when it has a community) and the receiver's notification, in one
    /// transaction. The same giver thanking the same person for the same
    /// subject twice is `Conflict("kudos.subject")`, and nothing is written.
    pub async fn insert_kudos(&self, new: &NewKudos<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO kudos (giver_id, receiver_id, community_id, subject_kind, subject_id, subject_key, \
                 contribution, skill_id, message, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(new.giver.0)
            .bind(new.receiver.0)
            .bind(new.community.map(|c| c.0))
            .bind(new.subject_kind)
            .bind(new.subject_id)
            .bind(new.subject_key)
            .bind(new.contribution)
            .bind(new.skill)
            .bind(new.message)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                return Err(StoreError::Conflict("kudos.subject".into()));
            };
            append_change!(tx, "kudos", id, at);
            audit!(tx, Some(new.giver.0), "kudos.give", "kudos", id, new.contribution, at);
            if let Some(community) = new.community {
                sqlx::query(
                    "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
                     VALUES ($1, $2, 'kudos', $3, $4, 'copse', $5) ON CONFLICT (source, source_ref) DO NOTHING",
                )
                .bind(new.giver.0)
                .bind(community.0)
                .bind(at)
                .bind(new.receiver.0)
                .bind(format!("kudos:{id}"))
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO notifications (person_id, kind, message, link, created_at) VALUES ($1, 'kudos', $2, $3, $4)",
            )
            .bind(new.receiver.0)
            .bind(new.notification)
            .bind(new.link)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        }))
    }

    /// A page of a community's kudos, newest first, with the reader's
    /// membership on each row.
    pub async fn list_community_kudos(
        &self,
        community: CommunityId,
        reader: PersonId,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<KudosRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                kudos_select!(),
                "WHERE k.community_id = $2 ORDER BY k.created_at DESC, k.id DESC LIMIT $3 OFFSET $4"
            ))
            .bind(reader.0)
            .bind(community.0)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The latest kudos a person received that the reader may see
    /// (pre-filtered; the app re-checks each row).
    pub async fn list_kudos_received(
        &self,
        person: PersonId,
        reader: PersonId,
        reader_is_admin: bool,
        limit: i64,
    ) -> Result<Vec<KudosRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                kudos_select!(),
                "WHERE k.receiver_id = $3 AND ",
                kudos_visible!(),
                " ORDER BY k.created_at DESC, k.id DESC LIMIT $4"
            ))
            .bind(reader.0)
            .bind(i64::from(reader_is_admin))
            .bind(person.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// How many kudos a person received per contribution category, of
    /// those the reader may see.
    pub async fn count_kudos_received_by_category(
        &self,
        person: PersonId,
        reader: PersonId,
        reader_is_admin: bool,
    ) -> Result<Vec<KudosCategoryCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT k.contribution, COUNT(*) AS count FROM kudos k \
                 LEFT JOIN communities c ON c.id = k.community_id \
                 LEFT JOIN memberships vm ON vm.community_id = k.community_id AND vm.person_id = $1 \
                 WHERE k.receiver_id = $3 AND ",
                kudos_visible!(),
                " GROUP BY k.contribution ORDER BY k.contribution"
            ))
            .bind(reader.0)
            .bind(i64::from(reader_is_admin))
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Kudos for an export, oldest first: those involving `filter.person`
    /// (as giver or receiver), or all when `None`. The reader is `$1` only so
    /// the shared column list has its membership; exports are checked by the
    /// app before this is called.
    pub async fn list_kudos_for_export(
        &self,
        reader: PersonId,
        filter: &KudosExportFilter,
    ) -> Result<Vec<KudosRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                kudos_select!(),
                "WHERE ($2 = 0 OR k.giver_id = $3 OR k.receiver_id = $3) AND k.created_at >= $4 AND k.created_at < $5 \
                 ORDER BY k.created_at, k.id LIMIT $6"
            ))
            .bind(reader.0)
            .bind(i64::from(filter.person.is_some()))
            .bind(filter.person.map_or(0, |p| p.0))
            .bind(filter.from.millis())
            .bind(filter.to.millis())
            .bind(filter.limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// What `person` has looked after, counted in the communities the reader
    /// may see (all for an admin), up to `now`.
    pub async fn stewardship(
        &self,
        person: PersonId,
        reader: PersonId,
        reader_is_admin: bool,
        now: Timestamp,
    ) -> Result<StewardshipRow, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT \
                 (SELECT COUNT(*) FROM ( \
                    SELECT a.event_id, a.original_start_local FROM events e \
                    JOIN communities c ON c.id = e.community_id JOIN attendance a ON a.event_id = e.id \
                    LEFT JOIN occurrence_details d ON d.event_id = a.event_id \
                      AND d.original_start_local = a.original_start_local \
                    WHERE (e.facilitator_id = $1 OR e.id IN (SELECT event_id FROM occurrence_details \
                      WHERE facilitator_id = $1)) AND COALESCE(d.facilitator_id, e.facilitator_id) = $1 AND ",
                community_visible_to_reader!(),
                "   UNION SELECT d.event_id, d.original_start_local FROM occurrence_details d \
                    JOIN events e ON e.id = d.event_id JOIN communities c ON c.id = e.community_id \
                    WHERE d.facilitator_id = $1 AND EXISTS (SELECT 1 FROM contributions f WHERE f.source = 'copse' \
                      AND f.source_ref = 'facilitation:' || CAST(d.event_id AS TEXT) || ':' || d.original_start_local \
                      AND f.at <= $4) AND ",
                community_visible_to_reader!(),
                " ) s) AS sessions_facilitated, \
                 (SELECT COUNT(*) FROM contributions v JOIN communities c ON c.id = v.community_id \
                  WHERE v.person_id = $1 AND v.kind = 'artifact-version' AND ",
                community_visible_to_reader!(),
                ") AS versions_written, \
                 (SELECT COUNT(*) FROM artifact_owners o JOIN artifacts x ON x.id = o.artifact_id \
                  JOIN communities c ON c.id = x.community_id WHERE o.person_id = $1 AND ",
                community_visible_to_reader!(),
                ") AS artifacts_owned, \
                 (SELECT COUNT(*) FROM mentorships m LEFT JOIN communities c ON c.id = m.community_id \
                  WHERE m.mentor_id = $1 AND m.status = 'active' AND (m.community_id IS NULL OR ",
                community_visible_to_reader!(),
                ")) AS mentoring_active, \
                 (SELECT COUNT(*) FROM mentorships m LEFT JOIN communities c ON c.id = m.community_id \
                  WHERE m.mentor_id = $1 AND m.status = 'completed' AND (m.community_id IS NULL OR ",
                community_visible_to_reader!(),
                ")) AS mentoring_completed"
            ))
            .bind(person.0)
            .bind(reader.0)
            .bind(i64::from(reader_is_admin))
            .bind(now.millis())
            .fetch_one(pool)
            .await?
        }))
    }

    /// What giving kudos wrote besides the kudos rows: (change-feed entries
    /// for 'kudos', activity records of kind 'kudos', notifications of kind
    /// 'kudos'), for tests and the demo's checks.
    pub async fn count_kudos_side_effects(&self) -> Result<(i64, i64, i64), StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM changes WHERE entity = 'kudos'), \
                 (SELECT COUNT(*) FROM contributions WHERE kind = 'kudos'), \
                 (SELECT COUNT(*) FROM notifications WHERE kind = 'kudos')",
            )
            .fetch_one(pool)
            .await?
        }))
    }

    /// A community's replies, owned artifacts and held sessions with a
    /// facilitator, the newest first (up to `limit` of each), for the demo.
    pub async fn list_kudos_demo_subjects(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<KudosDemoSubjectRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT * FROM (SELECT 'post' AS kind, p.id AS subject_id, '' AS subject_key, p.author_id AS receiver_id, \
                   p.created_at AS at, t.kind AS detail FROM posts p JOIN threads t ON t.id = p.thread_id \
                   WHERE t.community_id = $1 AND p.author_id IS NOT NULL AND p.hidden_reason IS NULL \
                   AND t.hidden_reason IS NULL AND p.id > (SELECT MIN(q.id) FROM posts q WHERE q.thread_id = t.id) \
                   ORDER BY p.id DESC LIMIT $2) posts_part \
                 UNION ALL SELECT * FROM (SELECT 'artifact' AS kind, a.id AS subject_id, '' AS subject_key, \
                   o.person_id AS receiver_id, a.updated_at AS at, a.status AS detail FROM artifacts a \
                   JOIN artifact_owners o ON o.artifact_id = a.id WHERE a.community_id = $1 \
                   ORDER BY a.id DESC LIMIT $2) artifacts_part \
                 UNION ALL SELECT * FROM (SELECT 'event' AS kind, s.event_id AS subject_id, \
                   s.original_start_local AS subject_key, s.receiver_id, s.at, '' AS detail FROM ( \
                     SELECT a.event_id, a.original_start_local, COALESCE(d.facilitator_id, e.facilitator_id) AS receiver_id, \
                     MIN(a.checked_in_at) AS at FROM attendance a JOIN events e ON e.id = a.event_id \
                     LEFT JOIN occurrence_details d ON d.event_id = a.event_id \
                       AND d.original_start_local = a.original_start_local \
                     WHERE e.community_id = $1 AND COALESCE(d.facilitator_id, e.facilitator_id) IS NOT NULL \
                     GROUP BY a.event_id, a.original_start_local, COALESCE(d.facilitator_id, e.facilitator_id)) s \
                   ORDER BY s.original_start_local DESC LIMIT $2) events_part",
            )
            .bind(community.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Mentorships that started (active, completed or ended), for the demo.
    pub async fn list_kudos_demo_mentorships(&self) -> Result<Vec<KudosDemoMentorshipRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, mentor_id, mentee_id, community_id, started_at FROM mentorships \
                 WHERE status IN ('active', 'completed', 'ended') ORDER BY id LIMIT 1000",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// How many kudos there are, for the demo's summary and tests.
    pub async fn count_kudos(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM kudos").fetch_one(pool).await?;
            n
        }))
    }
}
