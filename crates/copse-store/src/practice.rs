//! Artifacts, their versions, owners, tags, reuse records, checklist runs and
//! links (migration 0004_practice).
//!
//! `artifacts.current_version` is both the latest version's number and the
//! optimistic-concurrency check: saving a version updates the row only where
//! it still holds the version the editor started from, so two editors can
//! never overwrite each other. Counters (`view_count`, `reuse_count`) are
//! kept on write. Every write appends "artifact" to the change feed.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

/// The value `StoreError::Conflict` carries when a version save started from
/// a version that is no longer the latest.
pub const STALE_VERSION: &str = "artifacts.current_version";

#[derive(Debug, Clone, FromRow)]
pub struct ArtifactRow {
    pub id: i64,
    pub community_id: i64,
    pub community_slug: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub superseded_by: Option<i64>,
    pub superseded_by_title: Option<String>,
    pub review_by: Option<i64>,
    pub stale_notified_at: Option<i64>,
    pub current_version: i64,
    pub created_by: Option<i64>,
    pub creator_handle: Option<String>,
    pub creator_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub view_count: i64,
    pub reuse_count: i64,
}

macro_rules! artifact_columns {
    () => {
        "a.id, a.community_id, c.slug AS community_slug, a.kind, a.title, a.body, a.status, a.superseded_by, \
         s.title AS superseded_by_title, a.review_by, a.stale_notified_at, a.current_version, a.created_by, \
         p.handle AS creator_handle, p.name AS creator_name, a.created_at, a.updated_at, a.view_count, a.reuse_count \
         FROM artifacts a JOIN communities c ON c.id = a.community_id \
         LEFT JOIN artifacts s ON s.id = a.superseded_by LEFT JOIN people p ON p.id = a.created_by"
    };
}

/// An artifact in a list: no body.
#[derive(Debug, Clone, FromRow)]
pub struct ArtifactListRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub title: String,
    pub status: String,
    pub review_by: Option<i64>,
    pub current_version: i64,
    pub updated_at: i64,
    pub view_count: i64,
    pub reuse_count: i64,
}

macro_rules! artifact_list_columns {
    () => {
        "a.id, a.community_id, a.kind, a.title, a.status, a.review_by, a.current_version, a.updated_at, \
         a.view_count, a.reuse_count"
    };
}

/// Filters for a community's artifacts; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct ArtifactFilter {
    pub kind: String,
    pub status: String,
    pub tag: String,
}

/// A version without its body, for the history.
#[derive(Debug, Clone, FromRow)]
pub struct VersionSummaryRow {
    pub version: i64,
    pub title: String,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub message: String,
    pub created_at: i64,
    /// Characters of the body, so the history can say how big each was.
    pub body_chars: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub message: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct PersonRefRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct ReuseRow {
    pub id: i64,
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub kind: String,
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct ChecklistRunRow {
    pub id: i64,
    pub artifact_id: i64,
    pub version: i64,
    pub person_id: i64,
    pub ticked: String,
    pub note: String,
    pub started_at: i64,
    pub completed_at: Option<i64>,
}

/// A link to an artifact from a post or another artifact, with what the
/// viewer needs to decide whether they may see the source.
#[derive(Debug, Clone, FromRow)]
pub struct BacklinkRow {
    /// `post` or `artifact`.
    pub source_kind: String,
    pub source_id: i64,
    /// The post's thread; `None` for an artifact.
    pub thread_id: Option<i64>,
    /// The thread's or the artifact's title.
    pub title: String,
    pub community_id: i64,
    pub community_name: String,
    pub visibility: String,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    pub at: i64,
}

/// A new artifact: its first version and who writes it.
#[derive(Debug, Clone)]
pub struct NewArtifact<'a> {
    pub community: CommunityId,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub message: &'a str,
    pub status: &'a str,
    pub tags: &'a [String],
    pub review_by: Option<Timestamp>,
    pub author: PersonId,
    /// Artifacts the body links to.
    pub links: &'a [i64],
    pub at: Timestamp,
}

/// A new version of an artifact, saved only if `base_version` is still the
/// latest.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub artifact: i64,
    pub community: CommunityId,
    pub base_version: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub message: &'a str,
    pub tags: &'a [String],
    pub author: PersonId,
    pub links: &'a [i64],
    pub at: Timestamp,
}

/// A curation change: status, replacement, owners, review-by.
#[derive(Debug, Clone)]
pub struct ArtifactCuration<'a> {
    pub artifact: i64,
    pub status: &'a str,
    pub superseded_by: Option<i64>,
    pub owners: &'a [PersonId],
    pub review_by: Option<Timestamp>,
    pub actor: Option<PersonId>,
    pub at: Timestamp,
}

/// A reuse to record: "I used this" or a completed checklist run.
#[derive(Debug, Clone)]
pub struct NewReuse<'a> {
    pub artifact: i64,
    pub community: CommunityId,
    pub person: PersonId,
    /// `used` or `checklist-run`.
    pub kind: &'a str,
    pub note: &'a str,
    /// Who gets the credit in the activity record: the artifact's creator.
    pub credit_to: Option<PersonId>,
    /// The checklist run this reuse completes, if it is one.
    pub run: Option<i64>,
    pub at: Timestamp,
}

/// One artifact whose owners were told it is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedArtifact {
    pub artifact: i64,
    pub notified: Vec<PersonId>,
}

/// Replaces the artifact links of one source inside transaction `$tx`; ids
/// of artifacts that do not exist, and a link of an artifact to itself, are
/// skipped.
macro_rules! replace_links {
    ($tx:expr, $source_kind:expr, $source_id:expr, $ids:expr, $at:expr) => {{
        sqlx::query("DELETE FROM artifact_links WHERE source_kind = $1 AND source_id = $2")
            .bind($source_kind)
            .bind($source_id)
            .execute(&mut *$tx)
            .await?;
        for &artifact_id in $ids {
            if $source_kind == "artifact" && artifact_id == $source_id {
                continue;
            }
            sqlx::query(
                "INSERT INTO artifact_links (source_kind, source_id, artifact_id, at) \
                 SELECT $1, $2, id, $4 FROM artifacts WHERE id = $3 \
                 ON CONFLICT (source_kind, source_id, artifact_id) DO NOTHING",
            )
            .bind($source_kind)
            .bind($source_id)
            .bind(artifact_id)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! replace_tags {
    ($tx:expr, $artifact:expr, $tags:expr) => {{
        sqlx::query("DELETE FROM artifact_tags WHERE artifact_id = $1").bind($artifact).execute(&mut *$tx).await?;
        for tag in $tags {
            sqlx::query("INSERT INTO artifact_tags (artifact_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind($artifact)
                .bind(tag)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

macro_rules! insert_version_contribution {
    ($tx:expr, $person:expr, $community:expr, $artifact:expr, $version:expr, $at:expr) => {{
        sqlx::query(
            "INSERT INTO contributions (person_id, community_id, kind, at, source, source_ref) \
             VALUES ($1, $2, 'artifact-version', $3, 'copse', $4) ON CONFLICT (source, source_ref) DO NOTHING",
        )
        .bind($person)
        .bind($community)
        .bind($at)
        .bind(format!("artifact:{}:v{}", $artifact, $version))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Inserts a reuse row, bumps the artifact's counter and writes the
/// activity record (`artifact-reuse` for "I used this", `checklist-run` for
/// a completed run) inside transaction `$tx`; evaluates to the reuse's id.
macro_rules! insert_reuse {
    ($tx:expr, $reuse:expr, $at:expr) => {{
        let reuse: &NewReuse<'_> = $reuse;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO artifact_reuses (artifact_id, person_id, kind, note, at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id",
        )
        .bind(reuse.artifact)
        .bind(reuse.person.0)
        .bind(reuse.kind)
        .bind(reuse.note)
        .bind($at)
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query("UPDATE artifacts SET reuse_count = reuse_count + 1 WHERE id = $1")
            .bind(reuse.artifact)
            .execute(&mut *$tx)
            .await?;
        let (kind, source_ref) = match reuse.run {
            Some(run) => ("checklist-run", format!("checklist-run:{run}")),
            None => ("artifact-reuse", format!("reuse:{id}")),
        };
        sqlx::query(
            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
             VALUES ($1, $2, $3, $4, $5, 'copse', $6) ON CONFLICT (source, source_ref) DO NOTHING",
        )
        .bind(reuse.person.0)
        .bind(reuse.community.0)
        .bind(kind)
        .bind($at)
        .bind(reuse.credit_to.map(|p| p.0))
        .bind(source_ref)
        .execute(&mut *$tx)
        .await?;
        id
    }};
}

impl Store {
    /// Replaces the artifact links recorded for one source (`"post"` or
    /// `"artifact"`) with `artifact_ids`; ids of artifacts that do not exist
    /// are skipped.
    pub async fn set_artifact_links(
        &self,
        source_kind: &'static str,
        source_id: i64,
        artifact_ids: &[i64],
        at: i64,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            replace_links!(tx, source_kind, source_id, artifact_ids, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Creates an artifact with its first version; the author becomes its
    /// owner. Writes the activity record and the change feed.
    pub async fn insert_artifact(&self, new: &NewArtifact<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO artifacts (community_id, kind, title, body, status, review_by, current_version, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) RETURNING id",
            )
            .bind(new.community.0)
            .bind(new.kind)
            .bind(new.title)
            .bind(new.body)
            .bind(new.status)
            .bind(new.review_by.map(Timestamp::millis))
            .bind(new.author.0)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO artifact_versions (artifact_id, version, title, body, author_id, message, created_at) \
                 VALUES ($1, 1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(new.title)
            .bind(new.body)
            .bind(new.author.0)
            .bind(new.message)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO artifact_owners (artifact_id, person_id) VALUES ($1, $2)")
                .bind(id)
                .bind(new.author.0)
                .execute(&mut *tx)
                .await?;
            replace_tags!(tx, id, new.tags);
            replace_links!(tx, "artifact", id, new.links, at);
            insert_version_contribution!(tx, new.author.0, new.community.0, id, 1, at);
            append_change!(tx, "artifact", id, at);
            tx.commit().await?;
            id
        }))
    }

    /// Saves a new version if `base_version` is still the latest and returns
    /// its number. A stale base fails with `Conflict(STALE_VERSION)` and
    /// changes nothing; a missing artifact with `NotFound`.
    pub async fn insert_artifact_version(&self, new: &NewVersion<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let saved: Option<(i64,)> = sqlx::query_as(
                "UPDATE artifacts SET kind = $3, title = $4, body = $5, current_version = current_version + 1, \
                 updated_at = $6 WHERE id = $1 AND current_version = $2 RETURNING current_version",
            )
            .bind(new.artifact)
            .bind(new.base_version)
            .bind(new.kind)
            .bind(new.title)
            .bind(new.body)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((version,)) = saved else {
                let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM artifacts WHERE id = $1")
                    .bind(new.artifact)
                    .fetch_optional(&mut *tx)
                    .await?;
                return Err(match exists {
                    Some(_) => StoreError::Conflict(STALE_VERSION.into()),
                    None => StoreError::NotFound,
                });
            };
            sqlx::query(
                "INSERT INTO artifact_versions (artifact_id, version, title, body, author_id, message, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new.artifact)
            .bind(version)
            .bind(new.title)
            .bind(new.body)
            .bind(new.author.0)
            .bind(new.message)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            replace_tags!(tx, new.artifact, new.tags);
            replace_links!(tx, "artifact", new.artifact, new.links, at);
            insert_version_contribution!(tx, new.author.0, new.community.0, new.artifact, version, at);
            append_change!(tx, "artifact", new.artifact, at);
            tx.commit().await?;
            version
        }))
    }

    pub async fn find_artifact(&self, id: i64) -> Result<Option<ArtifactRow>, StoreError> {
        let sql = concat!("SELECT ", artifact_columns!(), " WHERE a.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// One page of a community's artifacts, most recently changed first.
    /// Asks for `limit` rows; callers ask one more than they show to learn
    /// whether a next page exists.
    pub async fn list_artifacts(
        &self,
        community: CommunityId,
        filter: &ArtifactFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ArtifactListRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            artifact_list_columns!(),
            " FROM artifacts a WHERE a.community_id = $1 AND ($2 = '' OR a.kind = $2) AND ($3 = '' OR a.status = $3) \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM artifact_tags t WHERE t.artifact_id = a.id AND t.tag = $4)) \
             ORDER BY a.updated_at DESC, a.id DESC LIMIT $5 OFFSET $6"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(community.0)
                .bind(&filter.kind)
                .bind(&filter.status)
                .bind(&filter.tag)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Every (artifact, tag) pair of a community, for list badges and the
    /// tag filter.
    pub async fn list_community_artifact_tags(&self, community: CommunityId) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT t.artifact_id, t.tag FROM artifact_tags t JOIN artifacts a ON a.id = t.artifact_id \
                 WHERE a.community_id = $1 ORDER BY t.tag, t.artifact_id",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_artifact_tags(&self, artifact: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT tag FROM artifact_tags WHERE artifact_id = $1 ORDER BY tag")
                .bind(artifact)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    pub async fn list_artifact_owners(&self, artifact: i64) -> Result<Vec<PersonRefRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id AS person_id, p.handle, p.name FROM artifact_owners o JOIN people p ON p.id = o.person_id \
                 WHERE o.artifact_id = $1 ORDER BY p.name",
            )
            .bind(artifact)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_artifact_versions(&self, artifact: i64) -> Result<Vec<VersionSummaryRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.version, v.title, v.author_id, p.handle AS author_handle, p.name AS author_name, v.message, \
                 v.created_at, CAST(LENGTH(v.body) AS BIGINT) AS body_chars \
                 FROM artifact_versions v LEFT JOIN people p ON p.id = v.author_id \
                 WHERE v.artifact_id = $1 ORDER BY v.version DESC",
            )
            .bind(artifact)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn find_artifact_version(&self, artifact: i64, version: i64) -> Result<Option<VersionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.version, v.title, v.body, v.author_id, p.handle AS author_handle, p.name AS author_name, \
                 v.message, v.created_at FROM artifact_versions v LEFT JOIN people p ON p.id = v.author_id \
                 WHERE v.artifact_id = $1 AND v.version = $2",
            )
            .bind(artifact)
            .bind(version)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Changes status, replacement, owners and review-by in one transaction,
    /// with an audit row for each of them that changed. A new review-by date
    /// re-arms the stale notice.
    pub async fn update_artifact_curation(&self, change: &ArtifactCuration<'_>) -> Result<(), StoreError> {
        let at = change.at.millis();
        let actor = change.actor.map(|a| a.0);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let before: Option<(String, Option<i64>, Option<i64>)> =
                sqlx::query_as("SELECT status, superseded_by, review_by FROM artifacts WHERE id = $1")
                    .bind(change.artifact)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((status, superseded_by, review_by)) = before else {
                return Err(StoreError::NotFound);
            };
            let review_by_new = change.review_by.map(Timestamp::millis);
            sqlx::query(
                "UPDATE artifacts SET status = $2, superseded_by = $3, review_by = $4, updated_at = $5, \
                 stale_notified_at = CASE WHEN $6 = 1 THEN NULL ELSE stale_notified_at END WHERE id = $1",
            )
            .bind(change.artifact)
            .bind(change.status)
            .bind(change.superseded_by)
            .bind(review_by_new)
            .bind(at)
            .bind(i64::from(review_by != review_by_new))
            .execute(&mut *tx)
            .await?;
            if status != change.status || superseded_by != change.superseded_by {
                let detail = match change.superseded_by {
                    Some(by) => format!("{status} -> {} by {by}", change.status),
                    None => format!("{status} -> {}", change.status),
                };
                audit!(tx, actor, "artifact.status", "artifact", change.artifact, &detail, at);
            }
            if review_by != review_by_new {
                let detail = review_by_new.map(|r| r.to_string()).unwrap_or_default();
                audit!(tx, actor, "artifact.review_by", "artifact", change.artifact, &detail, at);
            }
            let old_owners: Vec<(i64,)> =
                sqlx::query_as("SELECT person_id FROM artifact_owners WHERE artifact_id = $1 ORDER BY person_id")
                    .bind(change.artifact)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut new_owners: Vec<i64> = change.owners.iter().map(|p| p.0).collect();
            new_owners.sort_unstable();
            new_owners.dedup();
            if old_owners.iter().map(|(p,)| *p).collect::<Vec<_>>() != new_owners {
                sqlx::query("DELETE FROM artifact_owners WHERE artifact_id = $1")
                    .bind(change.artifact)
                    .execute(&mut *tx)
                    .await?;
                for owner in &new_owners {
                    sqlx::query("INSERT INTO artifact_owners (artifact_id, person_id) VALUES ($1, $2)")
                        .bind(change.artifact)
                        .bind(owner)
                        .execute(&mut *tx)
                        .await?;
                }
                let detail = new_owners.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                audit!(tx, actor, "artifact.owners", "artifact", change.artifact, &detail, at);
            }
            append_change!(tx, "artifact", change.artifact, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Counts one view: a single indexed UPDATE, no read.
    pub async fn record_artifact_view(&self, artifact: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE artifacts SET view_count = view_count + 1 WHERE id = $1")
                .bind(artifact)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Adds `views` views at once (imports and the demo).
    pub async fn add_artifact_views(&self, artifact: i64, views: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE artifacts SET view_count = view_count + $2 WHERE id = $1")
                .bind(artifact)
                .bind(views)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Records a reuse, bumps the artifact's reuse counter and writes the
    /// activity record, in one transaction. Returns the reuse's id.
    pub async fn insert_artifact_reuse(&self, reuse: &NewReuse<'_>) -> Result<i64, StoreError> {
        let at = reuse.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = insert_reuse!(tx, reuse, at);
            tx.commit().await?;
            id
        }))
    }

    /// Recent reuses of an artifact, newest first.
    pub async fn list_artifact_reuses(&self, artifact: i64, limit: i64) -> Result<Vec<ReuseRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.person_id, p.handle, p.name, r.kind, r.note, r.at FROM artifact_reuses r \
                 JOIN people p ON p.id = r.person_id WHERE r.artifact_id = $1 ORDER BY r.at DESC, r.id DESC LIMIT $2",
            )
            .bind(artifact)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Links to an artifact from posts (with their thread) and from other
    /// artifacts, with the source's community and the viewer's membership in
    /// it, newest first. Hidden posts and threads are left out.
    pub async fn list_artifact_backlinks(
        &self,
        artifact: i64,
        viewer: Option<PersonId>,
    ) -> Result<Vec<BacklinkRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT l.source_kind, l.source_id, th.id AS thread_id, th.title, c.id AS community_id, \
                 c.name AS community_name, c.visibility, m.role AS viewer_role, m.status AS viewer_status, l.at \
                 FROM artifact_links l JOIN posts po ON po.id = l.source_id JOIN threads th ON th.id = po.thread_id \
                 JOIN communities c ON c.id = th.community_id \
                 LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $2 \
                 WHERE l.artifact_id = $1 AND l.source_kind = 'post' AND po.hidden_reason IS NULL \
                 AND th.hidden_reason IS NULL \
                 UNION ALL \
                 SELECT l.source_kind, l.source_id, NULL, a.title, c.id, c.name, c.visibility, m.role, m.status, l.at \
                 FROM artifact_links l JOIN artifacts a ON a.id = l.source_id JOIN communities c ON c.id = a.community_id \
                 LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $2 \
                 WHERE l.artifact_id = $1 AND l.source_kind = 'artifact' \
                 ORDER BY at DESC LIMIT 100",
            )
            .bind(artifact)
            .bind(viewer.map(|p| p.0))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Artifacts of a community whose review-by instant is before `cutoff`,
    /// the oldest deadline first (retired ones are never stale).
    pub async fn list_stale_artifacts(
        &self,
        community: CommunityId,
        cutoff: Timestamp,
    ) -> Result<Vec<ArtifactListRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            artifact_list_columns!(),
            " FROM artifacts a WHERE a.community_id = $1 AND a.review_by < $2 \
             AND a.status NOT IN ('deprecated', 'superseded') ORDER BY a.review_by, a.id LIMIT 500"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(community.0).bind(cutoff.millis()).fetch_all(pool).await?
        }))
    }

    /// The stale artifacts of a community that `owner` owns.
    pub async fn list_owned_stale_artifacts(
        &self,
        community: CommunityId,
        owner: PersonId,
        cutoff: Timestamp,
    ) -> Result<Vec<ArtifactListRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            artifact_list_columns!(),
            " FROM artifacts a JOIN artifact_owners o ON o.artifact_id = a.id AND o.person_id = $2 \
             WHERE a.community_id = $1 AND a.review_by < $3 AND a.status NOT IN ('deprecated', 'superseded') \
             ORDER BY a.review_by, a.id LIMIT 100"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(community.0).bind(owner.0).bind(cutoff.millis()).fetch_all(pool).await?
        }))
    }

    /// Tells the owners of every artifact whose review-by instant is before
    /// `cutoff` and that was not yet flagged, once: each artifact is claimed
    /// (its `stale_notified_at` set to `now`) and its owners notified in one
    /// transaction, so concurrent runs never notify twice. `message` words
    /// the notice from the title.
    pub async fn flag_stale_artifacts(
        &self,
        cutoff: Timestamp,
        now: Timestamp,
        message: impl Fn(&str) -> String,
    ) -> Result<Vec<FlaggedArtifact>, StoreError> {
        let at = now.millis();
        let candidates: Vec<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id FROM artifacts WHERE review_by < $1 AND stale_notified_at IS NULL \
                 AND status NOT IN ('deprecated', 'superseded') ORDER BY id LIMIT 1000",
            )
            .bind(cutoff.millis())
            .fetch_all(pool)
            .await?
        });
        let mut flagged = Vec::new();
        for (id,) in candidates {
            let notified: Option<Vec<PersonId>> = with_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                // The claim re-checks the condition under the row lock, so a
                // second process skips what the first already flagged.
                let claimed: Option<(String,)> = sqlx::query_as(
                    "UPDATE artifacts SET stale_notified_at = $2 WHERE id = $1 AND stale_notified_at IS NULL \
                     AND review_by < $3 AND status NOT IN ('deprecated', 'superseded') RETURNING title",
                )
                .bind(id)
                .bind(at)
                .bind(cutoff.millis())
                .fetch_optional(&mut *tx)
                .await?;
                match claimed {
                    None => None,
                    Some((title,)) => {
                        let owners: Vec<(i64,)> =
                            sqlx::query_as("SELECT person_id FROM artifact_owners WHERE artifact_id = $1")
                                .bind(id)
                                .fetch_all(&mut *tx)
                                .await?;
                        let text = message(&title);
                        for (owner,) in &owners {
                            sqlx::query(
                                "INSERT INTO notifications (person_id, kind, message, link, created_at) \
                                 VALUES ($1, 'artifact-stale', $2, $3, $4)",
                            )
                            .bind(owner)
                            .bind(&text)
                            .bind(format!("/artifacts/{id}"))
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                        }
                        tx.commit().await?;
                        Some(owners.into_iter().map(|(p,)| PersonId(p)).collect())
                    }
                }
            });
            if let Some(notified) = notified {
                flagged.push(FlaggedArtifact { artifact: id, notified });
            }
        }
        Ok(flagged)
    }

    /// Starts a run of a checklist version for `person`; returns its id.
    pub async fn insert_checklist_run(
        &self,
        artifact: i64,
        version: i64,
        person: PersonId,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let (id,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO checklist_runs (artifact_id, version, person_id, started_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(artifact)
            .bind(version)
            .bind(person.0)
            .bind(at.millis())
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    pub async fn find_checklist_run(&self, id: i64) -> Result<Option<ChecklistRunRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, artifact_id, version, person_id, ticked, note, started_at, completed_at \
                 FROM checklist_runs WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// A person's unfinished runs of one artifact, newest first.
    pub async fn list_open_checklist_runs(
        &self,
        artifact: i64,
        person: PersonId,
    ) -> Result<Vec<ChecklistRunRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, artifact_id, version, person_id, ticked, note, started_at, completed_at \
                 FROM checklist_runs WHERE artifact_id = $1 AND person_id = $2 AND completed_at IS NULL \
                 ORDER BY started_at DESC, id DESC LIMIT 5",
            )
            .bind(artifact)
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Saves the ticks and note of a run that is not completed; false if it
    /// was completed meanwhile (nothing changes then).
    pub async fn update_checklist_run(&self, id: i64, ticked: &str, note: &str) -> Result<bool, StoreError> {
        let updated = with_pool!(self, |pool| {
            sqlx::query("UPDATE checklist_runs SET ticked = $2, note = $3 WHERE id = $1 AND completed_at IS NULL")
                .bind(id)
                .bind(ticked)
                .bind(note)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated > 0)
    }

    /// Completes a run with its final ticks and records it as a reuse of the
    /// artifact (with the activity record), in one transaction. False if it
    /// was already completed (nothing is recorded twice).
    pub async fn complete_checklist_run(
        &self,
        id: i64,
        ticked: &str,
        reuse: &NewReuse<'_>,
    ) -> Result<bool, StoreError> {
        let at = reuse.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE checklist_runs SET ticked = $2, note = $3, completed_at = $4 \
                 WHERE id = $1 AND completed_at IS NULL",
            )
            .bind(id)
            .bind(ticked)
            .bind(reuse.note)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                false
            } else {
                insert_reuse!(tx, reuse, at);
                tx.commit().await?;
                true
            }
        }))
    }
}
