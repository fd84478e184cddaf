//! The `/api/v1` routes for discussions, and their part of the OpenAPI document:
//! a community's threads (with kind, tag and unanswered filters), starting a
//! thread, a thread with its posts, replying, editing a post against the
//! version it started from (409 when stale), a post's history, reactions,
//! accepting an answer, recording time saved, and moderation.
//!
//! Bodies travel as the Markdown people wrote; clients render them (and must
//! sanitize, as copse's own pages do).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use copse_app::{ModerationInput, PostAuthor, PostView, ThreadPage, ThreadQuery, ThreadSummary, ThreadView};
use copse_domain::{PostEditInput, ThreadInput, TimeSavedInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/threads", get(list_threads).post(create_thread))
        .route("/threads/{id}", get(get_thread))
        .route("/threads/{id}/posts", post(create_post))
        .route("/threads/{id}/accept", post(accept_answer))
        .route("/threads/{id}/time-saved", post(record_time_saved))
        .route("/threads/{id}/moderation", post(moderate))
        .route("/posts/{id}", put(update_post).get(get_post))
        .route("/posts/{id}/history", get(post_history))
        .route("/posts/{id}/reactions", post(react))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_threads,
        create_thread,
        get_thread,
        create_post,
        get_post,
        update_post,
        post_history,
        react,
        accept_answer,
        record_time_saved,
        moderate
    ),
    components(schemas(
        ThreadOut,
        ThreadDetailOut,
        ThreadListOut,
        PostOut,
        AuthorOut,
        ReactionOut,
        ThreadWrite,
        PostWrite,
        PostEditWrite,
        PostVersionOut,
        ReactionIn,
        ReactionStateOut,
        AcceptIn,
        TimeSavedIn,
        TimeSavedOut,
        ModerationIn
    )),
    tags((name = "discussions", description = "Threads, posts, reactions, accepted answers, time saved and moderation"))
)]
pub struct Doc;

/// Who wrote something (absent when the person was removed).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorOut {
    pub handle: String,
    pub name: String,
}

fn author_out(author: &Option<PostAuthor>) -> Option<AuthorOut> {
    author.as_ref().map(|a| AuthorOut { handle: a.handle.clone(), name: a.name.clone() })
}

/// A thread without its posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadOut {
    pub id: i64,
    /// discussion, question, announcement or proposal.
    pub kind: String,
    pub title: String,
    pub author: Option<AuthorOut>,
    pub created_at: String,
    pub last_activity_at: String,
    /// Visible replies.
    pub reply_count: i64,
    pub locked: bool,
    pub pinned: bool,
    /// Set when a facilitator hid the thread; only facilitators see it then.
    pub hidden_reason: Option<String>,
    /// A question with an accepted answer.
    pub solved: bool,
    pub accepted_post_id: Option<i64>,
    /// For proposals: open, accepted or declined.
    pub proposal_status: Option<String>,
    pub tags: Vec<String>,
}

impl From<&ThreadSummary> for ThreadOut {
    fn from(t: &ThreadSummary) -> Self {
        ThreadOut {
            id: t.id,
            kind: t.kind.as_str().into(),
            title: t.title.clone(),
            author: author_out(&t.author),
            created_at: rfc3339(t.created_at),
            last_activity_at: rfc3339(t.last_activity_at),
            reply_count: t.reply_count,
            locked: t.locked,
            pinned: t.pinned,
            hidden_reason: t.hidden_reason.clone(),
            solved: t.solved(),
            accepted_post_id: t.accepted_post,
            proposal_status: t.proposal_status.clone(),
            tags: t.tags.clone(),
        }
    }
}

/// How many people gave one reaction, and whether the caller did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactionOut {
    /// thanks, agree, insightful or celebrate.
    pub reaction: String,
    pub count: i64,
    pub mine: bool,
}

/// A post, with its Markdown exactly as written.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostOut {
    pub id: i64,
    pub thread_id: i64,
    pub author: Option<AuthorOut>,
    /// Markdown as written; never HTML.
    pub body: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// Send it back with an edit; a newer stored version answers 409.
    pub version: i64,
    pub hidden_reason: Option<String>,
    /// The thread's opening post.
    pub opening: bool,
    /// The accepted answer of its question.
    pub accepted: bool,
    /// Reactions given to it (only those with at least one).
    pub reactions: Vec<ReactionOut>,
}

impl From<&PostView> for PostOut {
    fn from(p: &PostView) -> Self {
        PostOut {
            id: p.id,
            thread_id: p.thread_id,
            author: author_out(&p.author),
            body: p.body.clone(),
            created_at: rfc3339(p.created_at),
            edited_at: p.edited_at.map(rfc3339),
            version: p.version,
            hidden_reason: p.hidden_reason.clone(),
            opening: p.is_opening,
            accepted: p.is_accepted,
            reactions: p
                .reactions
                .iter()
                .filter(|r| r.count > 0)
                .map(|r| ReactionOut { reaction: r.reaction.as_str().into(), count: r.count, mine: r.mine })
                .collect(),
        }
    }
}

/// A thread with one page of its posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDetailOut {
    pub thread: ThreadOut,
    /// The community's slug.
    pub community: String,
    pub posts: Vec<PostOut>,
    pub page: i64,
    pub has_next: bool,
    /// Minutes the thread's answers saved people, and how many records.
    pub time_saved_minutes: i64,
    pub time_saved_records: i64,
}

impl From<&ThreadPage> for ThreadDetailOut {
    fn from(page: &ThreadPage) -> Self {
        ThreadDetailOut {
            thread: ThreadOut::from(&page.thread.summary),
            community: page.thread.community_slug.clone(),
            posts: page.posts.iter().map(PostOut::from).collect(),
            page: page.page,
            has_next: page.has_next,
            time_saved_minutes: page.time_saved_minutes,
            time_saved_records: page.time_saved_records,
        }
    }
}

fn thread_out(view: &ThreadView) -> ThreadOut {
    ThreadOut::from(&view.summary)
}

/// One page of a community's threads.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadListOut {
    pub threads: Vec<ThreadOut>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ThreadListQuery {
    /// Only this kind: discussion, question, announcement or proposal.
    #[serde(default)]
    kind: String,
    /// Only threads with this tag.
    #[serde(default)]
    tag: String,
    /// Only questions without a visible reply, oldest first.
    #[serde(default)]
    unanswered: bool,
    /// From 1; 25 threads a page.
    page: Option<i64>,
}

/// A thread to start.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ThreadWrite {
    /// discussion, question, announcement (facilitators) or proposal.
    pub kind: String,
    /// 3 to 200 characters.
    pub title: String,
    /// Markdown, up to 100,000 characters.
    pub body: String,
    /// Up to 8 tags of a-z, 0-9 and - + . #
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A reply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PostWrite {
    /// Markdown, up to 100,000 characters.
    pub body: String,
}

/// An edit, made from a version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PostEditWrite {
    pub body: String,
    /// The version the edit started from (the post's `version` when read).
    pub version: i64,
    /// For the opening post: the thread's new title.
    pub title: Option<String>,
    /// For the opening post: the thread's new tags.
    pub tags: Option<Vec<String>>,
}

/// One version of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostVersionOut {
    pub version: i64,
    pub body: String,
    pub author: Option<AuthorOut>,
    pub saved_at: String,
    pub current: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReactionIn {
    /// thanks, agree, insightful or celebrate.
    pub reaction: String,
}

/// A reaction after toggling.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactionStateOut {
    pub post_id: i64,
    pub reaction: String,
    /// Whether the caller now has this reaction on the post.
    pub reacted: bool,
    pub count: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptIn {
    /// A visible reply of the thread.
    pub post_id: i64,
}

/// "This answer saved me N minutes".
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeSavedIn {
    /// 1 to 10,000.
    pub minutes: i64,
    #[serde(default)]
    pub note: String,
    /// Required (true) unless the caller asked the question.
    #[serde(default)]
    pub reused: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimeSavedOut {
    /// All minutes recorded for the thread.
    pub total_minutes: i64,
    /// How many records (one per person and answer).
    pub records: i64,
}

/// A moderation action (facilitators).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ModerationIn {
    /// lock, unlock, pin, unpin, hide, unhide or move.
    pub action: String,
    /// Required to hide (3 to 500 characters); kept in the audit log.
    #[serde(default)]
    pub reason: String,
    /// Hide or unhide this post instead of the thread.
    pub post_id: Option<i64>,
    /// For move: the target community's slug (you must facilitate it).
    #[serde(default)]
    pub target: String,
}

/// A community's threads: pinned first, then by last activity; or only its
/// unanswered questions, oldest first.
#[utoipa::path(get, path = "/communities/{slug}/threads", tag = "discussions", params(("slug" = String, Path), ThreadListQuery),
    responses((status = 200, body = ThreadListOut), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_threads(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    Query(query): Query<ThreadListQuery>,
) -> Result<Json<ThreadListOut>, ApiError> {
    let filter = ThreadQuery { kind: query.kind, tag: query.tag, unanswered: query.unanswered };
    let page = state.app.discussions(&viewer, &slug, &filter, query.page.unwrap_or(1)).await?;
    Ok(Json(ThreadListOut {
        threads: page.threads.iter().map(ThreadOut::from).collect(),
        page: page.page,
        has_next: page.has_next,
    }))
}

/// Starts a thread (members; announcements only facilitators).
#[utoipa::path(post, path = "/communities/{slug}/threads", tag = "discussions", params(("slug" = String, Path)), request_body = ThreadWrite,
    responses((status = 201, body = ThreadDetailOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create_thread(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ThreadWrite>,
) -> Result<(StatusCode, Json<ThreadDetailOut>), ApiError> {
    let input = ThreadInput { kind: body.kind, title: body.title, body: body.body, tags: body.tags };
    let (thread, _) = state.app.start_thread(&viewer, &slug, &input).await?;
    let page = state.app.thread_page(&viewer, thread, 1).await?;
    Ok((StatusCode::CREATED, Json(ThreadDetailOut::from(&page))))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// From 1; 100 posts a page.
    page: Option<i64>,
}

/// A thread with a page of its posts (hidden ones only for facilitators).
#[utoipa::path(get, path = "/threads/{id}", tag = "discussions", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ThreadDetailOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_thread(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Json<ThreadDetailOut>, ApiError> {
    let page = state.app.thread_page(&viewer, id, query.page.unwrap_or(1)).await?;
    Ok(Json(ThreadDetailOut::from(&page)))
}

/// Replies to a thread (members; a locked thread only facilitators: 409).
#[utoipa::path(post, path = "/threads/{id}/posts", tag = "discussions", params(("id" = i64, Path)), request_body = PostWrite,
    responses((status = 201, body = PostOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create_post(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PostWrite>,
) -> Result<(StatusCode, Json<PostOut>), ApiError> {
    let post = state.app.reply(&viewer, id, &body.body).await?;
    let view = state.app.post(&viewer, post).await?;
    Ok((StatusCode::CREATED, Json(PostOut::from(&view))))
}

/// One post.
#[utoipa::path(get, path = "/posts/{id}", tag = "discussions", params(("id" = i64, Path)),
    responses((status = 200, body = PostOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_post(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<PostOut>, ApiError> {
    Ok(Json(PostOut::from(&state.app.post(&viewer, id).await?)))
}

/// Edits a post (its author or a facilitator). `version` names the version
/// the edit started from: if someone saved since, the answer is 409 and
/// nothing is overwritten. The replaced text joins the post's history.
#[utoipa::path(put, path = "/posts/{id}", tag = "discussions", params(("id" = i64, Path)), request_body = PostEditWrite,
    responses((status = 200, body = PostOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn update_post(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PostEditWrite>,
) -> Result<Json<PostOut>, ApiError> {
    let input =
        PostEditInput { body: body.body, version: body.version.to_string(), title: body.title, tags: body.tags };
    state.app.edit_post(&viewer, id, &input).await?;
    Ok(Json(PostOut::from(&state.app.post(&viewer, id).await?)))
}

/// Every version of a post, newest first.
#[utoipa::path(get, path = "/posts/{id}/history", tag = "discussions", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PostVersionOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn post_history(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PostVersionOut>>, ApiError> {
    let history = state.app.post_history(&viewer, id).await?;
    Ok(Json(
        history
            .versions
            .iter()
            .map(|v| PostVersionOut {
                version: v.version,
                body: v.body.clone(),
                author: author_out(&v.author),
                saved_at: rfc3339(v.saved_at),
                current: v.current,
            })
            .collect(),
    ))
}

/// Gives a reaction, or takes it back if the caller already gave it (members).
#[utoipa::path(post, path = "/posts/{id}/reactions", tag = "discussions", params(("id" = i64, Path)), request_body = ReactionIn,
    responses((status = 200, body = ReactionStateOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn react(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReactionIn>,
) -> Result<Json<ReactionStateOut>, ApiError> {
    let r = state.app.react(&viewer, id, &body.reaction).await?;
    Ok(Json(ReactionStateOut {
        post_id: r.post_id,
        reaction: r.reaction.as_str().into(),
        reacted: r.reacted,
        count: r.count,
    }))
}

/// Marks a question solved by one of its replies (the asker or a facilitator).
#[utoipa::path(post, path = "/threads/{id}/accept", tag = "discussions", params(("id" = i64, Path)), request_body = AcceptIn,
    responses((status = 200, body = ThreadOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept_answer(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<Json<ThreadOut>, ApiError> {
    let view = state.app.accept_answer(&viewer, id, body.post_id).await?;
    Ok(Json(thread_out(&view)))
}

/// Records the minutes the accepted answer saved the caller: the asker, or a
/// member who reused it (`reused: true`). Once per person; again replaces it.
#[utoipa::path(post, path = "/threads/{id}/time-saved", tag = "discussions", params(("id" = i64, Path)), request_body = TimeSavedIn,
    responses((status = 200, body = TimeSavedOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_time_saved(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TimeSavedIn>,
) -> Result<Json<TimeSavedOut>, ApiError> {
    let input = TimeSavedInput { minutes: body.minutes.to_string(), note: body.note, reused: body.reused };
    let totals = state.app.record_time_saved(&viewer, id, &input).await?;
    Ok(Json(TimeSavedOut { total_minutes: totals.minutes, records: totals.records }))
}

/// Locks, pins, hides (with a reason) or moves a thread, or hides one of its
/// posts (facilitators; a move needs facilitation of the target too).
#[utoipa::path(post, path = "/threads/{id}/moderation", tag = "discussions", params(("id" = i64, Path)), request_body = ModerationIn,
    responses((status = 200, body = ThreadOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn moderate(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ModerationIn>,
) -> Result<Json<ThreadOut>, ApiError> {
    let input =
        ModerationInput { action: body.action, reason: body.reason, post_id: body.post_id, target: body.target };
    let view = state.app.moderate(&viewer, id, &input).await?;
    Ok(Json(thread_out(&view)))
}
