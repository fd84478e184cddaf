//! What the search indexer reads: the change feed after a sequence number,
//! and searchable documents (threads, posts, artifacts, events, communities,
//! people) by id or in batches for a full rebuild; and what a search needs to
//! apply visibility: the private communities with the viewer's membership.
//!
//! Lists of tags and skills come back joined with [`LIST_SEPARATOR`], a
//! control character no tag or skill contains, so one query per batch
//! suffices on both databases (`string_agg` exists in PostgreSQL and in
//! SQLite since 3.44).

use copse_domain::PersonId;
use sqlx::FromRow;

use crate::{CommunityForViewerRow, Store, StoreError, with_pool};

/// Separates the items of a joined tag or skill list (ASCII unit separator).
pub const LIST_SEPARATOR: &str = "\u{1f}";

/// At most this many replies of one thread are re-indexed when the thread
/// changes (a thread this long is an outlier; a full reindex covers it).
const MAX_REPLIES_INDEXED: i64 = 100_000;

/// Splits a list joined with [`LIST_SEPARATOR`].
pub fn split_list(joined: &str) -> Vec<String> {
    joined.split(LIST_SEPARATOR).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// One entry of the change feed.
#[derive(Debug, Clone, FromRow)]
pub struct ChangeRow {
    pub seq: i64,
    pub entity: String,
    pub entity_id: i64,
}

/// A thread with its opening post's text, for the index.
#[derive(Debug, Clone, FromRow)]
pub struct ThreadDocRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub title: String,
    /// The opening post's Markdown ("" while the thread has no post).
    pub body: String,
    /// Joined with [`LIST_SEPARATOR`].
    pub tags: String,
    pub author_handle: Option<String>,
    pub created_at: i64,
    /// Hidden by a moderator: not searchable.
    pub hidden: i64,
}

/// A reply (any post after a thread's opening one), for the index.
#[derive(Debug, Clone, FromRow)]
pub struct PostDocRow {
    pub id: i64,
    pub thread_id: i64,
    pub community_id: i64,
    pub thread_kind: String,
    pub thread_title: String,
    pub body: String,
    /// The thread's tags, joined with [`LIST_SEPARATOR`].
    pub tags: String,
    pub author_handle: Option<String>,
    pub created_at: i64,
    /// The post or its thread is hidden.
    pub hidden: i64,
    /// The thread's opening post, indexed as part of the thread.
    pub opening: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct ArtifactDocRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub author_handle: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct EventDocRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub description: String,
    pub kind: String,
    /// The first occurrence's key (`YYYY-MM-DDTHH:MM`), which names its page.
    pub start_local: String,
    pub author_handle: Option<String>,
    pub starts_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct CommunityDocRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub domain: String,
    pub kind: String,
    pub purpose: String,
    pub in_scope: String,
    pub out_of_scope: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct PersonDocRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub bio: String,
    /// Declared skills, joined with [`LIST_SEPARATOR`].
    pub skills: String,
    pub created_at: i64,
}

/// A private community and the viewer's membership in it, if any.
#[derive(Debug, Clone, FromRow)]
pub struct PrivateCommunityRow {
    pub id: i64,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
}

macro_rules! thread_doc_select {
    () => {
        "SELECT t.id, t.community_id, t.kind, t.title, \
         COALESCE((SELECT p.body FROM posts p WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1), '') AS body, \
         COALESCE((SELECT string_agg(g.tag, $3) FROM thread_tags g WHERE g.thread_id = t.id), '') AS tags, \
         a.handle AS author_handle, t.created_at, \
         CAST(CASE WHEN t.hidden_reason IS NULL THEN 0 ELSE 1 END AS BIGINT) AS hidden \
         FROM threads t LEFT JOIN people a ON a.id = t.author_id "
    };
}

macro_rules! post_doc_select {
    () => {
        "SELECT p.id, p.thread_id, t.community_id, t.kind AS thread_kind, t.title AS thread_title, p.body, \
         COALESCE((SELECT string_agg(g.tag, $3) FROM thread_tags g WHERE g.thread_id = t.id), '') AS tags, \
         a.handle AS author_handle, p.created_at, \
         CAST(CASE WHEN p.hidden_reason IS NULL AND t.hidden_reason IS NULL THEN 0 ELSE 1 END AS BIGINT) AS hidden, \
         CAST(CASE WHEN p.id = (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = p.thread_id) THEN 1 ELSE 0 END AS BIGINT) \
         AS opening \
         FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN people a ON a.id = p.author_id "
    };
}

macro_rules! artifact_doc_select {
    () => {
        "SELECT r.id, r.community_id, r.kind, r.status, r.title, r.body, \
         COALESCE((SELECT string_agg(g.tag, $3) FROM artifact_tags g WHERE g.artifact_id = r.id), '') AS tags, \
         a.handle AS author_handle, r.updated_at \
         FROM artifacts r LEFT JOIN people a ON a.id = r.created_by "
    };
}

macro_rules! event_doc_select {
    () => {
        "SELECT e.id, e.community_id, e.title, e.description, e.kind, e.start_local, a.handle AS author_handle, \
         e.starts_at FROM events e LEFT JOIN people a ON a.id = e.created_by "
    };
}

macro_rules! community_doc_select {
    () => {
        "SELECT c.id, c.slug, c.name, c.domain, c.kind, c.purpose, c.in_scope, c.out_of_scope, c.created_at \
         FROM communities c "
    };
}

macro_rules! person_doc_select {
    () => {
        "SELECT p.id, p.handle, p.name, p.team, p.location, p.bio, \
         COALESCE((SELECT string_agg(s.skill, $3) FROM person_skills s WHERE s.person_id = p.id), '') AS skills, \
         p.created_at FROM people p "
    };
}

/// Defines `find_*` (one document by id) and `list_*_after` (the next batch
/// in id order, for a rebuild) for one document kind. `$1` is an id, `$2` a
/// row limit, `$3` (bound only when `$joins_lists`) the list separator.
macro_rules! doc_queries {
    ($row:ty, $find:ident, $list:ident, $select:ident, $alias:literal, $visible:literal, $joins_lists:literal) => {
        impl Store {
            pub async fn $find(&self, id: i64) -> Result<Option<$row>, StoreError> {
                let sql = concat!($select!(), "WHERE ", $alias, ".id = $1 LIMIT $2");
                Ok(with_pool!(self, |pool| {
                    let query = sqlx::query_as(sql).bind(id).bind(1_i64);
                    let query = if $joins_lists { query.bind(LIST_SEPARATOR) } else { query };
                    query.fetch_optional(pool).await?
                }))
            }

            /// The next `limit` searchable documents with ids above `after`.
            pub async fn $list(&self, after: i64, limit: i64) -> Result<Vec<$row>, StoreError> {
                let sql =
                    concat!($select!(), "WHERE ", $alias, ".id > $1 ", $visible, " ORDER BY ", $alias, ".id LIMIT $2");
                Ok(with_pool!(self, |pool| {
                    let query = sqlx::query_as(sql).bind(after).bind(limit);
                    let query = if $joins_lists { query.bind(LIST_SEPARATOR) } else { query };
                    query.fetch_all(pool).await?
                }))
            }
        }
    };
}

doc_queries!(
    ThreadDocRow,
    find_thread_doc,
    list_thread_docs_after,
    thread_doc_select,
    "t",
    "AND t.hidden_reason IS NULL",
    true
);
doc_queries!(
    PostDocRow,
    find_post_doc,
    list_reply_docs_after,
    post_doc_select,
    "p",
    "AND p.hidden_reason IS NULL AND t.hidden_reason IS NULL \
     AND p.id <> (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = p.thread_id)",
    true
);
doc_queries!(ArtifactDocRow, find_artifact_doc, list_artifact_docs_after, artifact_doc_select, "r", "", true);
doc_queries!(EventDocRow, find_event_doc, list_event_docs_after, event_doc_select, "e", "", false);
doc_queries!(CommunityDocRow, find_community_doc, list_community_docs_after, community_doc_select, "c", "", false);
doc_queries!(PersonDocRow, find_person_doc, list_person_docs_after, person_doc_select, "p", "", true);

impl Store {
    /// The newest change's sequence number (0 when the feed is empty).
    pub async fn max_change_seq(&self) -> Result<i64, StoreError> {
        let (seq,): (Option<i64>,) =
            with_pool!(self, |pool| sqlx::query_as("SELECT MAX(seq) FROM changes").fetch_one(pool).await?);
        Ok(seq.unwrap_or(0))
    }

    /// How many rows a rebuild reads (threads, posts, artifacts, events,
    /// communities, people), for its progress bar.
    pub async fn count_search_sources(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM threads) + (SELECT COUNT(*) FROM posts) \
                 + (SELECT COUNT(*) FROM artifacts) + (SELECT COUNT(*) FROM events) \
                 + (SELECT COUNT(*) FROM communities) + (SELECT COUNT(*) FROM people)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(count)
    }

    /// Up to `limit` changes after `seq`, oldest first.
    pub async fn list_changes_after(&self, seq: i64, limit: i64) -> Result<Vec<ChangeRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT seq, entity, entity_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(seq)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// A thread's visible replies (not its opening post), in order, for
    /// re-indexing the thread as a whole.
    pub async fn list_thread_reply_docs(&self, thread: i64) -> Result<Vec<PostDocRow>, StoreError> {
        let sql = concat!(
            post_doc_select!(),
            "WHERE p.thread_id = $1 AND p.hidden_reason IS NULL AND t.hidden_reason IS NULL \
             AND p.id <> (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = p.thread_id) ORDER BY p.id LIMIT $2"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(thread).bind(MAX_REPLIES_INDEXED).bind(LIST_SEPARATOR).fetch_all(pool).await?
        }))
    }

    /// Every private community with the viewer's membership in it (none for
    /// a signed-out viewer): what a search must leave out unless the policy
    /// lets the viewer see it.
    pub async fn list_private_communities_for_viewer(
        &self,
        viewer: Option<PersonId>,
    ) -> Result<Vec<PrivateCommunityRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, m.role AS viewer_role, m.status AS viewer_status FROM communities c \
                 LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $1 \
                 WHERE c.visibility = 'private'",
            )
            .bind(viewer.map_or(-1, |p| p.0))
            .fetch_all(pool)
            .await?
        }))
    }

    /// A community by id with the viewer's membership, for re-checking a
    /// search hit's visibility and naming its community.
    pub async fn find_community_by_id_for_viewer(
        &self,
        id: i64,
        viewer: Option<PersonId>,
    ) -> Result<Option<CommunityForViewerRow>, StoreError> {
        let sql = "SELECT c.id, c.slug, c.name, c.domain, c.kind, c.visibility, c.stage, c.purpose, c.in_scope, \
                   c.out_of_scope, c.sponsor_id, c.member_count, c.version, c.created_at, c.updated_at, \
                   m.role AS viewer_role, m.status AS viewer_status FROM communities c \
                   LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $2 WHERE c.id = $1";
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).bind(viewer.map_or(-1, |p| p.0)).fetch_optional(pool).await?
        }))
    }
}
