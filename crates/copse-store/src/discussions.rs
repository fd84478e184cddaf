//! Threads, posts, revisions, tags, reactions and time saved (migration
//! 0003_discussions).
//!
//! A thread's first post (the lowest id) is its opening post; the rest are
//! replies. Counters that lists show (`reply_count`, `last_activity_at`) are
//! kept on write, in the transaction of the change, and count only visible
//! posts. An edit first bumps the post's `version` where it still equals the
//! version the editor started from, which takes the row lock (PostgreSQL) or
//! the write lock (SQLite), so of two edits from the same version exactly one
//! wins and the other changes nothing.
//!
//! `threads.version` moves with every change to what the thread page shows
//! (a reply, an edit, a hidden post, a reaction, moderation), so a cached
//! page of posts is checked against the thread row that is read anyway.
//!
//! Every write appends to the change feed ("thread", "post") and writes the
//! activity record (`contributions`, source 'copse', `source_ref` 'post:ID'
//! or 'accept:THREAD') in its own transaction. The bulk loaders at the end
//! (demo and scale data) use multi-row INSERTs and set-based follow-ups, so
//! millions of posts load at tens of thousands per second.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

/// A thread as lists show it, with its author.
#[derive(Debug, Clone, FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub title: String,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub created_at: i64,
    pub last_activity_at: i64,
    pub reply_count: i64,
    pub locked: i64,
    pub pinned: i64,
    pub hidden_reason: Option<String>,
    pub accepted_post_id: Option<i64>,
    pub accepted_at: Option<i64>,
    pub proposal_status: Option<String>,
    /// Space-separated.
    pub tags: String,
    pub version: i64,
}

macro_rules! thread_columns {
    () => {
        "t.id, t.community_id, t.kind, t.title, t.author_id, a.handle AS author_handle, a.name AS author_name, \
         t.created_at, t.last_activity_at, t.reply_count, t.locked, t.pinned, t.hidden_reason, t.accepted_post_id, \
         t.accepted_at, t.proposal_status, t.tags, t.version"
    };
}

/// A thread with its community, the viewer's membership there, and the
/// figures its page shows, in one round trip.
#[derive(Debug, Clone, FromRow)]
pub struct ThreadForViewerRow {
    #[sqlx(flatten)]
    pub thread: ThreadRow,
    pub community_slug: String,
    pub community_name: String,
    pub community_visibility: String,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    pub hidden_by_name: Option<String>,
    /// The lowest post id of the thread (hidden or not).
    pub opening_post_id: Option<i64>,
    /// Minutes recorded as saved by the thread's answers, and by how many records.
    pub time_saved_minutes: i64,
    pub time_saved_records: i64,
    /// The viewer's own record for the accepted answer.
    pub my_minutes_saved: Option<i64>,
}

/// A post with its author's and editor's names.
#[derive(Debug, Clone, FromRow)]
pub struct PostRow {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub editor_handle: Option<String>,
    pub editor_name: Option<String>,
    pub version: i64,
    pub hidden_reason: Option<String>,
    pub hidden_by_name: Option<String>,
}

macro_rules! post_columns {
    () => {
        "p.id, p.thread_id, p.author_id, a.handle AS author_handle, a.name AS author_name, p.body, p.created_at, \
         p.edited_at, e.handle AS editor_handle, e.name AS editor_name, p.version, p.hidden_reason, \
         h.name AS hidden_by_name FROM posts p LEFT JOIN people a ON a.id = p.author_id \
         LEFT JOIN people e ON e.id = p.edited_by LEFT JOIN people h ON h.id = p.hidden_by"
    };
}

/// How many people gave one reaction to one post, and whether the viewer did.
#[derive(Debug, Clone, FromRow)]
pub struct ReactionCountRow {
    pub post_id: i64,
    pub reaction: String,
    pub count: i64,
    pub mine: i64,
}

/// An earlier text of a post.
#[derive(Debug, Clone, FromRow)]
pub struct RevisionRow {
    pub version: i64,
    pub body: String,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub saved_at: i64,
}

/// A person named in a mention, with what the policy needs to know.
#[derive(Debug, Clone, FromRow)]
pub struct MentionedRow {
    pub id: i64,
    pub org_role: String,
    pub role: Option<String>,
    pub status: Option<String>,
}

/// A tag and how many visible threads of a community carry it.
#[derive(Debug, Clone, FromRow)]
pub struct TagCountRow {
    pub tag: String,
    pub count: i64,
}

/// A community a thread could be moved to.
#[derive(Debug, Clone, FromRow)]
pub struct CommunityNameRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// Which threads of a community to list; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    pub kind: String,
    pub tag: String,
    /// Only questions without a visible reply, oldest first.
    pub unanswered: bool,
    /// Include hidden threads (for those who moderate).
    pub include_hidden: bool,
}

/// The in-app notifications a post's @mentions send.
#[derive(Debug, Clone, Copy)]
pub struct Mentions<'a> {
    /// People to tell; anyone already told about this post is skipped.
    pub people: &'a [PersonId],
    pub message: &'a str,
    /// The notification links to this followed by the post's id
    /// (e.g. "/threads/7#post-"), because a new post's id is only known inside
    /// the transaction.
    pub link_prefix: &'a str,
}

/// A new thread and its opening post.
#[derive(Debug, Clone, Copy)]
pub struct NewThread<'a> {
    pub community: CommunityId,
    pub author: PersonId,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub tags: &'a [String],
    pub proposal_status: Option<&'a str>,
    /// The activity record's kind: 'question' or 'thread'.
    pub contribution_kind: &'static str,
    pub mentions: Mentions<'a>,
    pub at: Timestamp,
}

/// A reply to a thread.
#[derive(Debug, Clone, Copy)]
pub struct NewReply<'a> {
    pub thread: i64,
    pub community: CommunityId,
    pub author: PersonId,
    pub body: &'a str,
    /// The activity record's kind: 'answer' or 'reply'.
    pub contribution_kind: &'static str,
    /// The thread's author, unless they reply to themselves.
    pub reply_to: Option<PersonId>,
    pub mentions: Mentions<'a>,
    pub at: Timestamp,
}

/// An edit of a post, checked against the version it started from; for an
/// opening post it may also retitle and retag the thread.
#[derive(Debug, Clone, Copy)]
pub struct PostUpdate<'a> {
    pub post: i64,
    pub thread: i64,
    pub base_version: i64,
    pub body: &'a str,
    pub editor: PersonId,
    pub title: Option<&'a str>,
    pub tags: Option<&'a [String]>,
    pub mentions: Mentions<'a>,
    pub at: Timestamp,
}

/// Accepting an answer: which post, who wrote it, who asked.
#[derive(Debug, Clone, Copy)]
pub struct AcceptAnswer<'a> {
    pub thread: i64,
    pub post: i64,
    pub community: CommunityId,
    pub answer_author: Option<PersonId>,
    pub asker: Option<PersonId>,
    pub actor: PersonId,
    /// Told to the answer's author (unless they accepted it themselves).
    pub message: &'a str,
    pub link: &'a str,
    pub at: Timestamp,
}

/// What moderation changes on a thread (or one of its posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadModeration<'a> {
    Lock(bool),
    Pin(bool),
    /// Hide with a reason, or show again with `None`.
    HideThread(Option<&'a str>),
    HidePost {
        post: i64,
        reason: Option<&'a str>,
    },
    Move {
        from: CommunityId,
        to: CommunityId,
    },
}

/// Sends mention notifications inside transaction `$tx` to each of `$mentions.people` not yet told about this link.
macro_rules! notify_mentions {
    ($tx:expr, $mentions:expr, $post:expr, $at:expr) => {{
        let link = format!("{}{}", $mentions.link_prefix, $post);
        for person in $mentions.people {
            sqlx::query(
                "INSERT INTO notifications (person_id, kind, message, link, created_at) \
                 SELECT $1, 'mention', $2, $3, $4 WHERE NOT EXISTS \
                 (SELECT 1 FROM notifications WHERE person_id = $1 AND kind = 'mention' AND link = $3)",
            )
            .bind(person.0)
            .bind($mentions.message)
            .bind(&link)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Writes one activity-record row inside `$tx` (idempotent by source_ref).
macro_rules! contribution {
    ($tx:expr, $person:expr, $community:expr, $kind:expr, $at:expr, $reply_to:expr, $source_ref:expr) => {{
        sqlx::query(
            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
             VALUES ($1, $2, $3, $4, $5, 'copse', $6) ON CONFLICT (source, source_ref) DO NOTHING",
        )
        .bind($person)
        .bind($community)
        .bind($kind)
        .bind($at)
        .bind($reply_to)
        .bind($source_ref)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Replaces a thread's tags (both the display column and the rows) inside `$tx`.
macro_rules! replace_tags {
    ($tx:expr, $thread:expr, $tags:expr) => {{
        sqlx::query("DELETE FROM thread_tags WHERE thread_id = $1").bind($thread).execute(&mut *$tx).await?;
        for tag in $tags {
            sqlx::query(
                "INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT (thread_id, tag) DO NOTHING",
            )
            .bind($thread)
            .bind(tag)
            .execute(&mut *$tx)
            .await?;
        }
        sqlx::query("UPDATE threads SET tags = $2 WHERE id = $1")
            .bind($thread)
            .bind($tags.join(" "))
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Recounts a thread's visible replies and its last visible activity inside
/// `$tx` (after hiding or showing a post).
macro_rules! recount_thread {
    ($tx:expr, $thread:expr) => {{
        sqlx::query(
            "UPDATE threads SET \
             reply_count = (SELECT COUNT(*) FROM posts p WHERE p.thread_id = threads.id AND p.hidden_reason IS NULL \
                            AND p.id > (SELECT MIN(q.id) FROM posts q WHERE q.thread_id = threads.id)), \
             last_activity_at = COALESCE((SELECT MAX(p.created_at) FROM posts p \
                                          WHERE p.thread_id = threads.id AND p.hidden_reason IS NULL), created_at), \
             version = version + 1 WHERE id = $1",
        )
        .bind($thread)
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// Starts a thread with its opening post; returns (thread id, post id).
    pub async fn insert_thread(&self, new: &NewThread<'_>) -> Result<(i64, i64), StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (thread,): (i64,) = sqlx::query_as(
                "INSERT INTO threads (community_id, kind, title, author_id, created_at, last_activity_at, proposal_status) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
            )
            .bind(new.community.0)
            .bind(new.kind)
            .bind(new.title)
            .bind(new.author.0)
            .bind(at)
            .bind(new.proposal_status)
            .fetch_one(&mut *tx)
            .await?;
            replace_tags!(tx, thread, new.tags);
            let (post,): (i64,) = sqlx::query_as(
                "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(thread)
            .bind(new.author.0)
            .bind(new.body)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            contribution!(
                tx,
                new.author.0,
                new.community.0,
                new.contribution_kind,
                at,
                None::<i64>,
                format!("post:{post}")
            );
            notify_mentions!(tx, new.mentions, post, at);
            append_change!(tx, "thread", thread, at);
            append_change!(tx, "post", post, at);
            tx.commit().await?;
            (thread, post)
        }))
    }

    /// Adds a reply and moves the thread's counters; returns the post id.
    pub async fn insert_reply(&self, new: &NewReply<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(
                "UPDATE threads SET reply_count = reply_count + 1, last_activity_at = $2, version = version + 1 \
                 WHERE id = $1",
            )
            .bind(new.thread)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if touched == 0 {
                return Err(StoreError::NotFound);
            }
            let (post,): (i64,) = sqlx::query_as(
                "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(new.thread)
            .bind(new.author.0)
            .bind(new.body)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            contribution!(
                tx,
                new.author.0,
                new.community.0,
                new.contribution_kind,
                at,
                new.reply_to.map(|p| p.0),
                format!("post:{post}")
            );
            notify_mentions!(tx, new.mentions, post, at);
            append_change!(tx, "post", post, at);
            tx.commit().await?;
            post
        }))
    }

    /// Saves an edit if the post is still at `base_version`; the replaced text
    /// goes to `post_revisions`. Returns the new version. A post that moved on
    /// answers `Conflict("posts.version")` and nothing is written.
    pub async fn update_post(&self, edit: &PostUpdate<'_>) -> Result<i64, StoreError> {
        let at = edit.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let bumped = sqlx::query("UPDATE posts SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(edit.post)
                .bind(edit.base_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if bumped == 0 {
                let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM posts WHERE id = $1")
                    .bind(edit.post)
                    .fetch_optional(&mut *tx)
                    .await?;
                return Err(if exists.is_some() {
                    StoreError::Conflict("posts.version".into())
                } else {
                    StoreError::NotFound
                });
            }
            sqlx::query(
                "INSERT INTO post_revisions (post_id, version, body, author_id, saved_at) \
                 SELECT id, version - 1, body, COALESCE(edited_by, author_id), COALESCE(edited_at, created_at) \
                 FROM posts WHERE id = $1",
            )
            .bind(edit.post)
            .execute(&mut *tx)
            .await?;
            let (version,): (i64,) = sqlx::query_as(
                "UPDATE posts SET body = $2, edited_at = $3, edited_by = $4 WHERE id = $1 RETURNING version",
            )
            .bind(edit.post)
            .bind(edit.body)
            .bind(at)
            .bind(edit.editor.0)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE threads SET title = COALESCE($2, title), version = version + 1 WHERE id = $1")
                .bind(edit.thread)
                .bind(edit.title)
                .execute(&mut *tx)
                .await?;
            if edit.title.is_some() || edit.tags.is_some() {
                if let Some(tags) = edit.tags {
                    replace_tags!(tx, edit.thread, tags);
                }
                append_change!(tx, "thread", edit.thread, at);
            }
            notify_mentions!(tx, edit.mentions, edit.post, at);
            append_change!(tx, "post", edit.post, at);
            tx.commit().await?;
            version
        }))
    }

    /// One thread with its community, the viewer's membership and its figures.
    pub async fn find_thread_for_viewer(
        &self,
        id: i64,
        viewer: Option<PersonId>,
    ) -> Result<Option<ThreadForViewerRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            thread_columns!(),
            ", c.slug AS community_slug, c.name AS community_name, c.visibility AS community_visibility, \
             m.role AS viewer_role, m.status AS viewer_status, h.name AS hidden_by_name, \
             (SELECT MIN(p.id) FROM posts p WHERE p.thread_id = t.id) AS opening_post_id, \
             COALESCE((SELECT CAST(SUM(s.minutes) AS BIGINT) FROM time_saved s WHERE s.thread_id = t.id), 0) \
                 AS time_saved_minutes, \
             (SELECT COUNT(*) FROM time_saved s WHERE s.thread_id = t.id) AS time_saved_records, \
             (SELECT s.minutes FROM time_saved s WHERE s.post_id = t.accepted_post_id AND s.person_id = $2) \
                 AS my_minutes_saved \
             FROM threads t JOIN communities c ON c.id = t.community_id LEFT JOIN people a ON a.id = t.author_id \
             LEFT JOIN people h ON h.id = t.hidden_by \
             LEFT JOIN memberships m ON m.community_id = t.community_id AND m.person_id = $2 WHERE t.id = $1"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).bind(viewer.map_or(-1, |p| p.0)).fetch_optional(pool).await?
        }))
    }

    /// A page of a thread's posts in order, hidden ones only when asked.
    pub async fn list_thread_posts(
        &self,
        thread: i64,
        include_hidden: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<PostRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            post_columns!(),
            " WHERE p.thread_id = $1 AND ($2 = 1 OR p.hidden_reason IS NULL) ORDER BY p.id LIMIT $3 OFFSET $4"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(thread)
                .bind(i64::from(include_hidden))
                .bind(limit)
                .bind(offset.max(0))
                .fetch_all(pool)
                .await?
        }))
    }

    pub async fn find_post(&self, id: i64) -> Result<Option<PostRow>, StoreError> {
        let sql = concat!("SELECT ", post_columns!(), " WHERE p.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// How many posts of a thread come before `post` (hidden ones only when
    /// counted), to find the page a post is on.
    pub async fn count_posts_before(&self, thread: i64, post: i64, include_hidden: bool) -> Result<i64, StoreError> {
        let (count,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM posts WHERE thread_id = $1 AND id < $2 AND ($3 = 1 OR hidden_reason IS NULL)",
            )
            .bind(thread)
            .bind(post)
            .bind(i64::from(include_hidden))
            .fetch_one(pool)
            .await?
        });
        Ok(count)
    }

    /// Reaction counts for every post of a thread, with the viewer's own.
    pub async fn list_thread_reactions(
        &self,
        thread: i64,
        viewer: Option<PersonId>,
    ) -> Result<Vec<ReactionCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.post_id, r.reaction, COUNT(*) AS count, \
                        CAST(SUM(CASE WHEN r.person_id = $2 THEN 1 ELSE 0 END) AS BIGINT) AS mine \
                 FROM posts p JOIN reactions r ON r.post_id = p.id WHERE p.thread_id = $1 \
                 GROUP BY r.post_id, r.reaction",
            )
            .bind(thread)
            .bind(viewer.map_or(-1, |p| p.0))
            .fetch_all(pool)
            .await?
        }))
    }

    /// The reactions one person gave to a thread's posts: (post, reaction).
    pub async fn list_my_thread_reactions(
        &self,
        thread: i64,
        person: PersonId,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.post_id, r.reaction FROM reactions r JOIN posts p ON p.id = r.post_id \
                 WHERE r.person_id = $2 AND p.thread_id = $1",
            )
            .bind(thread)
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Earlier texts of a post, newest first.
    pub async fn list_post_revisions(&self, post: i64) -> Result<Vec<RevisionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.version, r.body, p.handle AS author_handle, p.name AS author_name, r.saved_at \
                 FROM post_revisions r LEFT JOIN people p ON p.id = r.author_id WHERE r.post_id = $1 \
                 ORDER BY r.version DESC",
            )
            .bind(post)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A page of a community's threads: pinned first, then by last activity;
    /// or with `unanswered`, questions without a visible reply, oldest first.
    pub async fn list_threads(
        &self,
        community: CommunityId,
        filter: &ThreadFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ThreadRow>, StoreError> {
        const LATEST: &str = concat!(
            "SELECT ",
            thread_columns!(),
            " FROM threads t LEFT JOIN people a ON a.id = t.author_id \
             WHERE t.community_id = $1 AND ($2 = 1 OR t.hidden_reason IS NULL) AND ($3 = '' OR t.kind = $3) \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM thread_tags g WHERE g.thread_id = t.id AND g.tag = $4)) \
             ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT $5 OFFSET $6"
        );
        const UNANSWERED: &str = concat!(
            "SELECT ",
            thread_columns!(),
            " FROM threads t LEFT JOIN people a ON a.id = t.author_id \
             WHERE t.community_id = $1 AND t.kind = 'question' AND t.reply_count = 0 AND t.hidden_reason IS NULL \
             AND ($2 = 1 OR $2 = 0) AND ($3 = '' OR $3 = 'question') \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM thread_tags g WHERE g.thread_id = t.id AND g.tag = $4)) \
             ORDER BY t.created_at, t.id LIMIT $5 OFFSET $6"
        );
        let sql = if filter.unanswered { UNANSWERED } else { LATEST };
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(community.0)
                .bind(i64::from(filter.include_hidden))
                .bind(&filter.kind)
                .bind(&filter.tag)
                .bind(limit)
                .bind(offset.max(0))
                .fetch_all(pool)
                .await?
        }))
    }

    /// The tags most used on a community's visible threads.
    pub async fn list_community_tags(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<TagCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT g.tag, COUNT(*) AS count FROM threads t JOIN thread_tags g ON g.thread_id = t.id \
                 WHERE t.community_id = $1 AND t.hidden_reason IS NULL GROUP BY g.tag ORDER BY count DESC, g.tag LIMIT $2",
            )
            .bind(community.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A person by handle with their membership in `community`, for mentions.
    pub async fn find_mentioned(
        &self,
        handle: &str,
        community: CommunityId,
    ) -> Result<Option<MentionedRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, p.org_role, m.role, m.status FROM people p \
                 LEFT JOIN memberships m ON m.person_id = p.id AND m.community_id = $2 WHERE p.handle = $1",
            )
            .bind(handle)
            .bind(community.0)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Adds the reaction if the person has not given it, removes it if they
    /// have. Returns whether they now have it and how many people do.
    pub async fn toggle_reaction(
        &self,
        post: i64,
        person: PersonId,
        reaction: &str,
        at: Timestamp,
    ) -> Result<(bool, i64), StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query("DELETE FROM reactions WHERE post_id = $1 AND person_id = $2 AND reaction = $3")
                .bind(post)
                .bind(person.0)
                .bind(reaction)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if removed == 0 {
                sqlx::query(
                    "INSERT INTO reactions (post_id, person_id, reaction, at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (post_id, person_id, reaction) DO NOTHING",
                )
                .bind(post)
                .bind(person.0)
                .bind(reaction)
                .bind(at.millis())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE threads SET version = version + 1 WHERE id = (SELECT thread_id FROM posts WHERE id = $1)",
            )
            .bind(post)
            .execute(&mut *tx)
            .await?;
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM reactions WHERE post_id = $1 AND reaction = $2")
                    .bind(post)
                    .bind(reaction)
                    .fetch_one(&mut *tx)
                    .await?;
            tx.commit().await?;
            (removed == 0, count)
        }))
    }

    /// Marks a question solved by `post`. The answer's author gets the
    /// 'accepted-answer' activity record (one per thread, moved when the
    /// accepted answer changes) and a notification.
    pub async fn accept_answer(&self, accept: &AcceptAnswer<'_>) -> Result<(), StoreError> {
        let at = accept.at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE threads SET accepted_post_id = $2, accepted_at = $3, version = version + 1 WHERE id = $1",
            )
            .bind(accept.thread)
            .bind(accept.post)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            let source_ref = format!("accept:{}", accept.thread);
            match accept.answer_author {
                Some(author) => {
                    let reply_to = accept.asker.filter(|asker| *asker != author).map(|p| p.0);
                    sqlx::query(
                        "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
                         VALUES ($1, $2, 'accepted-answer', $3, $4, 'copse', $5) ON CONFLICT (source, source_ref) DO UPDATE \
                         SET person_id = excluded.person_id, community_id = excluded.community_id, at = excluded.at, \
                         reply_to_person = excluded.reply_to_person",
                    )
                    .bind(author.0)
                    .bind(accept.community.0)
                    .bind(at)
                    .bind(reply_to)
                    .bind(&source_ref)
                    .execute(&mut *tx)
                    .await?;
                    if author != accept.actor {
                        sqlx::query(
                            "INSERT INTO notifications (person_id, kind, message, link, created_at) \
                             VALUES ($1, 'accepted', $2, $3, $4)",
                        )
                        .bind(author.0)
                        .bind(accept.message)
                        .bind(accept.link)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                None => {
                    sqlx::query("DELETE FROM contributions WHERE source = 'copse' AND source_ref = $1")
                        .bind(&source_ref)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            audit!(
                tx,
                Some(accept.actor.0),
                "thread.accept",
                "thread",
                accept.thread,
                format!("post {}", accept.post),
                at
            );
            append_change!(tx, "thread", accept.thread, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records (or corrects) how many minutes `post` saved `person`; one
    /// record per person and post. Returns the thread's total minutes and
    /// number of records.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_time_saved(
        &self,
        thread: i64,
        post: i64,
        person: PersonId,
        minutes: i64,
        note: &str,
        at: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO time_saved (thread_id, post_id, person_id, minutes, note, at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (post_id, person_id) DO UPDATE SET minutes = excluded.minutes, note = excluded.note, at = excluded.at",
            )
            .bind(thread)
            .bind(post)
            .bind(person.0)
            .bind(minutes)
            .bind(note)
            .bind(at.millis())
            .execute(&mut *tx)
            .await?;
            let totals: (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(CAST(SUM(minutes) AS BIGINT), 0), COUNT(*) FROM time_saved WHERE thread_id = $1",
            )
            .bind(thread)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            totals
        }))
    }

    /// Locks, pins, hides or moves a thread, or hides one of its posts, with
    /// an audit-log row (the reason as its detail) and change-feed entries.
    pub async fn moderate_thread(
        &self,
        thread: i64,
        change: ThreadModeration<'_>,
        actor: PersonId,
        reason: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        let actor_id = Some(actor.0);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (touched, action) = match change {
                ThreadModeration::Lock(on) => {
                    let n = sqlx::query("UPDATE threads SET locked = $2, version = version + 1 WHERE id = $1")
                        .bind(thread)
                        .bind(i64::from(on))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    (n, if on { "thread.lock" } else { "thread.unlock" })
                }
                ThreadModeration::Pin(on) => {
                    let n = sqlx::query("UPDATE threads SET pinned = $2, version = version + 1 WHERE id = $1")
                        .bind(thread)
                        .bind(i64::from(on))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    (n, if on { "thread.pin" } else { "thread.unpin" })
                }
                ThreadModeration::HideThread(hidden) => {
                    let n = sqlx::query(
                        "UPDATE threads SET hidden_reason = $2, hidden_by = $3, version = version + 1 WHERE id = $1",
                    )
                    .bind(thread)
                    .bind(hidden)
                    .bind(hidden.map(|_| actor.0))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    // The posts' visibility follows the thread's.
                    sqlx::query("INSERT INTO changes (entity, entity_id, at) SELECT 'post', id, $2 FROM posts WHERE thread_id = $1")
                        .bind(thread)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    (n, if hidden.is_some() { "thread.hide" } else { "thread.unhide" })
                }
                ThreadModeration::HidePost { post, reason: hidden } => {
                    let n = sqlx::query(
                        "UPDATE posts SET hidden_reason = $3, hidden_by = $4 WHERE id = $1 AND thread_id = $2",
                    )
                    .bind(post)
                    .bind(thread)
                    .bind(hidden)
                    .bind(hidden.map(|_| actor.0))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n > 0 {
                        recount_thread!(tx, thread);
                        append_change!(tx, "post", post, at);
                        let action = if hidden.is_some() { "post.hide" } else { "post.unhide" };
                        audit!(tx, actor_id, action, "post", post, reason, at);
                    }
                    (n, "")
                }
                ThreadModeration::Move { from, to } => {
                    let n = sqlx::query("UPDATE threads SET community_id = $2, version = version + 1 WHERE id = $1")
                        .bind(thread)
                        .bind(to.0)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    sqlx::query(
                        "UPDATE contributions SET community_id = $2 WHERE source = 'copse' AND \
                         (source_ref = $3 OR source_ref IN \
                          (SELECT 'post:' || CAST(p.id AS TEXT) FROM posts p WHERE p.thread_id = $1))",
                    )
                    .bind(thread)
                    .bind(to.0)
                    .bind(format!("accept:{thread}"))
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("INSERT INTO changes (entity, entity_id, at) SELECT 'post', id, $2 FROM posts WHERE thread_id = $1")
                        .bind(thread)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    let detail = format!("community {} -> {}: {reason}", from.0, to.0);
                    audit!(tx, actor_id, "thread.move", "thread", thread, &detail, at);
                    (n, "")
                }
            };
            if touched == 0 {
                return Err(StoreError::NotFound);
            }
            if !action.is_empty() {
                audit!(tx, actor_id, action, "thread", thread, reason, at);
            }
            append_change!(tx, "thread", thread, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Communities where `person` is an active facilitator, by name.
    pub async fn list_facilitated_communities(&self, person: PersonId) -> Result<Vec<CommunityNameRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.slug, c.name FROM memberships m JOIN communities c ON c.id = m.community_id \
                 WHERE m.person_id = $1 AND m.status = 'active' AND m.role = 'facilitator' ORDER BY c.name, c.id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every community by name (at most `limit`), for administrators.
    pub async fn list_community_names(&self, limit: i64) -> Result<Vec<CommunityNameRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, slug, name FROM communities ORDER BY name, id LIMIT $1")
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Sends mention notifications for an existing post (demo data).
    pub async fn notify_mentions(&self, post: i64, mentions: &Mentions<'_>, at: Timestamp) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            notify_mentions!(tx, mentions, post, at);
            tx.commit().await?;
        });
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Bulk loading, for the demo and the scale generator.
// ---------------------------------------------------------------------------

/// A thread to load with its posts (the first is the opening post).
#[derive(Debug, Clone)]
pub struct BulkThread {
    pub community: CommunityId,
    pub kind: &'static str,
    pub title: String,
    pub author: Option<PersonId>,
    pub tags: Vec<String>,
    pub pinned: bool,
    pub locked: bool,
    pub proposal_status: Option<&'static str>,
    pub posts: Vec<BulkPost>,
    /// Index into `posts` of the accepted answer, and when it was accepted.
    pub accepted: Option<(usize, i64)>,
}

#[derive(Debug, Clone)]
pub struct BulkPost {
    pub author: Option<PersonId>,
    pub body: String,
    pub at: i64,
}

/// What [`Store::load_threads`] writes besides the threads and posts.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// The activity record of every post and accepted answer.
    pub contributions: bool,
    /// Return every post's id.
    pub post_ids: bool,
}

/// A loaded thread: its id and (when asked for) its posts' ids, in order.
#[derive(Debug, Clone)]
pub struct LoadedThread {
    pub id: i64,
    pub posts: Vec<i64>,
}

/// Binds one thread's twelve columns, in the order of the INSERTs below.
macro_rules! bind_thread {
    ($query:expr, $t:expr) => {{
        let t: &BulkThread = $t;
        let first = t.posts.first().map_or(0, |p| p.at);
        let last = t.posts.iter().map(|p| p.at).max().unwrap_or(first);
        $query
            .bind(t.community.0)
            .bind(t.kind)
            .bind(&t.title)
            .bind(t.author.map(|a| a.0))
            .bind(first)
            .bind(last)
            .bind(t.posts.len().saturating_sub(1) as i64)
            .bind(i64::from(t.locked))
            .bind(i64::from(t.pinned))
            .bind(None::<String>)
            .bind(t.proposal_status)
            .bind(t.tags.join(" "))
    }};
}

/// Rows per multi-row INSERT; the statements below have exactly this many.
const THREAD_ROWS: usize = 32;
const POST_ROWS: usize = 64;
const PAIR_ROWS: usize = 64;

impl Store {
    /// Loads threads with their posts and tags in one transaction, appends
    /// them to the change feed and, with `options.contributions`, writes their
    /// activity records (set-based, by the batch's thread ids). Threads must
    /// come with at least one post each. Post ids come back only with
    /// `options.post_ids`: streaming an id back per row costs as much as
    /// inserting it.
    pub async fn load_threads(
        &self,
        threads: &[BulkThread],
        options: LoadOptions,
    ) -> Result<Vec<LoadedThread>, StoreError> {
        if threads.iter().any(|t| t.posts.is_empty()) {
            return Err(StoreError::Unsupported("a thread needs its opening post".into()));
        }
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut thread_ids: Vec<i64> = Vec::with_capacity(threads.len());
            for chunk in threads.chunks(THREAD_ROWS) {
                if chunk.len() == THREAD_ROWS {
                    let mut query = sqlx::query_as::<_, (i64,)>(INSERT_THREADS_32);
                    for t in chunk {
                        query = bind_thread!(query, t);
                    }
                    let mut ids: Vec<i64> = query.fetch_all(&mut *tx).await?.into_iter().map(|(id,)| id).collect();
                    // Ids are handed out in VALUES order; RETURNING's order is not promised.
                    ids.sort_unstable();
                    thread_ids.extend(ids);
                } else {
                    for t in chunk {
                        let query = sqlx::query_as::<_, (i64,)>(INSERT_THREAD_1);
                        let (id,) = bind_thread!(query, t).fetch_one(&mut *tx).await?;
                        thread_ids.push(id);
                    }
                }
            }
            let flat: Vec<(i64, &BulkPost)> =
                threads.iter().zip(&thread_ids).flat_map(|(t, &id)| t.posts.iter().map(move |p| (id, p))).collect();
            let mut post_ids: Vec<i64> = Vec::with_capacity(if options.post_ids { flat.len() } else { 0 });
            for chunk in flat.chunks(POST_ROWS) {
                if chunk.len() == POST_ROWS && !options.post_ids {
                    let mut query = sqlx::query(INSERT_POSTS_64);
                    for (thread, p) in chunk {
                        query = query.bind(*thread).bind(p.author.map(|a| a.0)).bind(&p.body).bind(p.at);
                    }
                    query.execute(&mut *tx).await?;
                } else if chunk.len() == POST_ROWS {
                    let mut query = sqlx::query_as::<_, (i64,)>(INSERT_POSTS_64_RETURNING);
                    for (thread, p) in chunk {
                        query = query.bind(*thread).bind(p.author.map(|a| a.0)).bind(&p.body).bind(p.at);
                    }
                    let mut ids: Vec<i64> = query.fetch_all(&mut *tx).await?.into_iter().map(|(id,)| id).collect();
                    ids.sort_unstable();
                    post_ids.extend(ids);
                } else {
                    for (thread, p) in chunk {
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(*thread)
                        .bind(p.author.map(|a| a.0))
                        .bind(&p.body)
                        .bind(p.at)
                        .fetch_one(&mut *tx)
                        .await?;
                        if options.post_ids {
                            post_ids.push(id);
                        }
                    }
                }
            }
            let tags: Vec<(i64, &String)> =
                threads.iter().zip(&thread_ids).flat_map(|(t, &id)| t.tags.iter().map(move |tag| (id, tag))).collect();
            for chunk in tags.chunks(PAIR_ROWS) {
                if chunk.len() == PAIR_ROWS {
                    let mut query = sqlx::query(INSERT_TAGS_64);
                    for (thread, tag) in chunk {
                        query = query.bind(*thread).bind(*tag);
                    }
                    query.execute(&mut *tx).await?;
                } else {
                    for (thread, tag) in chunk {
                        sqlx::query(
                            "INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT (thread_id, tag) DO NOTHING",
                        )
                        .bind(*thread)
                        .bind(*tag)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            let mut loaded = Vec::with_capacity(threads.len());
            let mut next = 0;
            for (t, &id) in threads.iter().zip(&thread_ids) {
                let posts = if options.post_ids { post_ids[next..next + t.posts.len()].to_vec() } else { Vec::new() };
                next += t.posts.len();
                if let Some((index, accepted_at)) = t.accepted
                    && index < t.posts.len()
                {
                    // The accepted answer is the thread's post at `index`,
                    // found by the (thread_id, id) index.
                    sqlx::query(
                        "UPDATE threads SET accepted_at = $3, accepted_post_id = \
                         (SELECT p.id FROM posts p WHERE p.thread_id = $1 ORDER BY p.id LIMIT 1 OFFSET $2) WHERE id = $1",
                    )
                    .bind(id)
                    .bind(index as i64)
                    .bind(accepted_at)
                    .execute(&mut *tx)
                    .await?;
                    if options.contributions
                        && let Some(author) = t.posts[index].author
                    {
                        contribution!(
                            tx,
                            author.0,
                            t.community.0,
                            "accepted-answer",
                            accepted_at,
                            t.author.filter(|a| *a != author).map(|a| a.0),
                            format!("accept:{id}")
                        );
                    }
                }
                loaded.push(LoadedThread { id, posts });
            }
            if let (Some(first), Some(last)) = (thread_ids.first(), thread_ids.last()) {
                sqlx::query(
                    "INSERT INTO changes (entity, entity_id, at) SELECT 'thread', id, created_at FROM threads \
                     WHERE id BETWEEN $1 AND $2 ORDER BY id",
                )
                .bind(*first)
                .bind(*last)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO changes (entity, entity_id, at) SELECT 'post', id, created_at FROM posts \
                     WHERE thread_id BETWEEN $1 AND $2 ORDER BY id",
                )
                .bind(*first)
                .bind(*last)
                .execute(&mut *tx)
                .await?;
                if options.contributions {
                    sqlx::query(
                        "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, source_ref) \
                         SELECT p.author_id, t.community_id, \
                                CASE WHEN p.id = o.first_id THEN \
                                     CASE WHEN t.kind = 'question' THEN 'question' ELSE 'thread' END \
                                ELSE CASE WHEN t.kind = 'question' THEN 'answer' ELSE 'reply' END END, \
                                p.created_at, \
                                CASE WHEN p.id = o.first_id OR p.author_id = t.author_id THEN NULL ELSE t.author_id END, \
                                'copse', 'post:' || CAST(p.id AS TEXT) \
                         FROM posts p JOIN threads t ON t.id = p.thread_id \
                         JOIN (SELECT thread_id, MIN(id) AS first_id FROM posts WHERE thread_id BETWEEN $1 AND $2 \
                               GROUP BY thread_id) o ON o.thread_id = p.thread_id \
                         WHERE p.thread_id BETWEEN $1 AND $2 AND p.author_id IS NOT NULL \
                         ON CONFLICT (source, source_ref) DO NOTHING",
                    )
                    .bind(*first)
                    .bind(*last)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            loaded
        }))
    }

    /// Loads reactions (post, person, reaction, at); existing ones are kept.
    /// The threads of the posts get a new version, as with one reaction.
    pub async fn load_reactions(&self, reactions: &[(i64, PersonId, &str, i64)]) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in reactions.chunks(PAIR_ROWS) {
                if chunk.len() == PAIR_ROWS {
                    let mut query = sqlx::query(INSERT_REACTIONS_64);
                    for (post, person, reaction, at) in chunk {
                        query = query.bind(*post).bind(person.0).bind(*reaction).bind(*at);
                    }
                    query.execute(&mut *tx).await?;
                } else {
                    for (post, person, reaction, at) in chunk {
                        sqlx::query(
                            "INSERT INTO reactions (post_id, person_id, reaction, at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (post_id, person_id, reaction) DO NOTHING",
                        )
                        .bind(*post)
                        .bind(person.0)
                        .bind(*reaction)
                        .bind(*at)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            if let (Some(first), Some(last)) =
                (reactions.iter().map(|r| r.0).min(), reactions.iter().map(|r| r.0).max())
            {
                sqlx::query(
                    "UPDATE threads SET version = version + 1 \
                     WHERE id IN (SELECT thread_id FROM posts WHERE id BETWEEN $1 AND $2)",
                )
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

const INSERT_THREAD_1: &str = "INSERT INTO threads (community_id, kind, title, author_id, created_at, last_activity_at, \
     reply_count, locked, pinned, hidden_reason, proposal_status, tags) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";

const INSERT_THREADS_32: &str = concat!(
    "INSERT INTO threads (community_id, kind, title, author_id, created_at, last_activity_at, reply_count, ",
    "locked, pinned, hidden_reason, proposal_status, tags) VALUES ",
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), ",
    "($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24), ",
    "($25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36), ",
    "($37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48), ",
    "($49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60), ",
    "($61, $62, $63, $64, $65, $66, $67, $68, $69, $70, $71, $72), ",
    "($73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84), ",
    "($85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96), ",
    "($97, $98, $99, $100, $101, $102, $103, $104, $105, $106, $107, $108), ",
    "($109, $110, $111, $112, $113, $114, $115, $116, $117, $118, $119, $120), ",
    "($121, $122, $123, $124, $125, $126, $127, $128, $129, $130, $131, $132), ",
    "($133, $134, $135, $136, $137, $138, $139, $140, $141, $142, $143, $144), ",
    "($145, $146, $147, $148, $149, $150, $151, $152, $153, $154, $155, $156), ",
    "($157, $158, $159, $160, $161, $162, $163, $164, $165, $166, $167, $168), ",
    "($169, $170, $171, $172, $173, $174, $175, $176, $177, $178, $179, $180), ",
    "($181, $182, $183, $184, $185, $186, $187, $188, $189, $190, $191, $192), ",
    "($193, $194, $195, $196, $197, $198, $199, $200, $201, $202, $203, $204), ",
    "($205, $206, $207, $208, $209, $210, $211, $212, $213, $214, $215, $216), ",
    "($217, $218, $219, $220, $221, $222, $223, $224, $225, $226, $227, $228), ",
    "($229, $230, $231, $232, $233, $234, $235, $236, $237, $238, $239, $240), ",
    "($241, $242, $243, $244, $245, $246, $247, $248, $249, $250, $251, $252), ",
    "($253, $254, $255, $256, $257, $258, $259, $260, $261, $262, $263, $264), ",
    "($265, $266, $267, $268, $269, $270, $271, $272, $273, $274, $275, $276), ",
    "($277, $278, $279, $280, $281, $282, $283, $284, $285, $286, $287, $288), ",
    "($289, $290, $291, $292, $293, $294, $295, $296, $297, $298, $299, $300), ",
    "($301, $302, $303, $304, $305, $306, $307, $308, $309, $310, $311, $312), ",
    "($313, $314, $315, $316, $317, $318, $319, $320, $321, $322, $323, $324), ",
    "($325, $326, $327, $328, $329, $330, $331, $332, $333, $334, $335, $336), ",
    "($337, $338, $339, $340, $341, $342, $343, $344, $345, $346, $347, $348), ",
    "($349, $350, $351, $352, $353, $354, $355, $356, $357, $358, $359, $360), ",
    "($361, $362, $363, $364, $365, $366, $367, $368, $369, $370, $371, $372), ",
    "($373, $374, $375, $376, $377, $378, $379, $380, $381, $382, $383, $384)",
    " RETURNING id"
);

/// 64 rows of four placeholders, for the bulk inserts of posts and reactions
/// (`concat!` needs literals, hence a macro).
macro_rules! rows_of_four_x64 {
    () => {
        concat!(
            "($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12), ($13, $14, $15, $16), ",
            "($17, $18, $19, $20), ($21, $22, $23, $24), ($25, $26, $27, $28), ($29, $30, $31, $32), ",
            "($33, $34, $35, $36), ($37, $38, $39, $40), ($41, $42, $43, $44), ($45, $46, $47, $48), ",
            "($49, $50, $51, $52), ($53, $54, $55, $56), ($57, $58, $59, $60), ($61, $62, $63, $64), ",
            "($65, $66, $67, $68), ($69, $70, $71, $72), ($73, $74, $75, $76), ($77, $78, $79, $80), ",
            "($81, $82, $83, $84), ($85, $86, $87, $88), ($89, $90, $91, $92), ($93, $94, $95, $96), ",
            "($97, $98, $99, $100), ($101, $102, $103, $104), ($105, $106, $107, $108), ($109, $110, $111, $112), ",
            "($113, $114, $115, $116), ($117, $118, $119, $120), ($121, $122, $123, $124), ($125, $126, $127, $128), ",
            "($129, $130, $131, $132), ($133, $134, $135, $136), ($137, $138, $139, $140), ($141, $142, $143, $144), ",
            "($145, $146, $147, $148), ($149, $150, $151, $152), ($153, $154, $155, $156), ($157, $158, $159, $160), ",
            "($161, $162, $163, $164), ($165, $166, $167, $168), ($169, $170, $171, $172), ($173, $174, $175, $176), ",
            "($177, $178, $179, $180), ($181, $182, $183, $184), ($185, $186, $187, $188), ($189, $190, $191, $192), ",
            "($193, $194, $195, $196), ($197, $198, $199, $200), ($201, $202, $203, $204), ($205, $206, $207, $208), ",
            "($209, $210, $211, $212), ($213, $214, $215, $216), ($217, $218, $219, $220), ($221, $222, $223, $224), ",
            "($225, $226, $227, $228), ($229, $230, $231, $232), ($233, $234, $235, $236), ($237, $238, $239, $240), ",
            "($241, $242, $243, $244), ($245, $246, $247, $248), ($249, $250, $251, $252), ($253, $254, $255, $256)",
        )
    };
}

const INSERT_POSTS_64: &str =
    concat!("INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ", rows_of_four_x64!());

const INSERT_POSTS_64_RETURNING: &str =
    concat!("INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ", rows_of_four_x64!(), " RETURNING id");

const INSERT_TAGS_64: &str = concat!(
    "INSERT INTO thread_tags (thread_id, tag) VALUES ",
    "($1, $2), ($3, $4), ($5, $6), ($7, $8), ($9, $10), ($11, $12), ($13, $14), ($15, $16), ",
    "($17, $18), ($19, $20), ($21, $22), ($23, $24), ($25, $26), ($27, $28), ($29, $30), ($31, $32), ",
    "($33, $34), ($35, $36), ($37, $38), ($39, $40), ($41, $42), ($43, $44), ($45, $46), ($47, $48), ",
    "($49, $50), ($51, $52), ($53, $54), ($55, $56), ($57, $58), ($59, $60), ($61, $62), ($63, $64), ",
    "($65, $66), ($67, $68), ($69, $70), ($71, $72), ($73, $74), ($75, $76), ($77, $78), ($79, $80), ",
    "($81, $82), ($83, $84), ($85, $86), ($87, $88), ($89, $90), ($91, $92), ($93, $94), ($95, $96), ",
    "($97, $98), ($99, $100), ($101, $102), ($103, $104), ($105, $106), ($107, $108), ($109, $110), ($111, $112), ",
    "($113, $114), ($115, $116), ($117, $118), ($119, $120), ($121, $122), ($123, $124), ($125, $126), ($127, $128)",
    " ON CONFLICT (thread_id, tag) DO NOTHING"
);

const INSERT_REACTIONS_64: &str = concat!(
    "INSERT INTO reactions (post_id, person_id, reaction, at) VALUES ",
    rows_of_four_x64!(),
    " ON CONFLICT (post_id, person_id, reaction) DO NOTHING"
);
