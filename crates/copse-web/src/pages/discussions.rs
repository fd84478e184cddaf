//! Pages for discussions and Q&A: a community's threads, the unanswered
//! questions, a thread with its posts, new thread, reply, edit with history,
//! reactions, moderation, accepting an answer, recording time saved.
//!
//! Post bodies are Markdown rendered through [`crate::markdown::render`] on
//! every view. Rendering (and ammonia's sanitizing) is the costly part of a
//! long thread, so rendered bodies are kept in a small per-router cache keyed
//! by post id and version: an edit bumps the version, so a stale rendering
//! is never shown, and the cache holds only output of the sanitizer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use copse_app::{
    AppError, DiscussionsPage, ModerationInput, PostAuthor, PostView, ThreadPage, ThreadQuery, ThreadSummary, Viewer,
};
use copse_domain::{
    FieldErrors, MembershipStatus, PostEditInput, ThreadInput, ThreadKind, TimeSavedInput, Timestamp, split_thread_tags,
};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::{PageViewer, urlencode};
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/discussions", get(list_threads))
        .route("/communities/{slug}/discussions/unanswered", get(list_unanswered))
        .route("/communities/{slug}/discussions/new", get(new_thread).post(create_thread))
        .route("/threads/{id}", get(show_thread))
        .route("/threads/{id}/reply", post(reply))
        .route("/threads/{id}/accept", post(accept_answer))
        .route("/threads/{id}/time-saved", post(record_time_saved))
        .route("/threads/{id}/moderate", post(moderate))
        .route("/threads/{id}/move", get(move_form).post(move_thread))
        .route("/posts/{id}", get(permalink))
        .route("/posts/{id}/edit", get(edit_post).post(update_post))
        .route("/posts/{id}/history", get(post_history))
        .route("/posts/{id}/react", post(react))
        .layer(Extension(Arc::new(RenderedPosts::new(RENDER_CACHE_BYTES))))
}

// ---------------------------------------------------------------------------
// Rendered bodies.
// ---------------------------------------------------------------------------

/// How much rendered HTML the cache keeps before starting over.
const RENDER_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Rendered HTML by (post id, version), and how many bytes it holds.
type RenderedMap = (HashMap<(i64, i64), Arc<str>>, usize);

/// Sanitized HTML of post bodies, by (post id, version).
pub struct RenderedPosts {
    inner: Mutex<RenderedMap>,
    max_bytes: usize,
}

impl RenderedPosts {
    fn new(max_bytes: usize) -> Self {
        Self { inner: Mutex::new((HashMap::new(), 0)), max_bytes }
    }

    /// The HTML of each post, rendering only those not seen before.
    fn render_all(&self, posts: &[PostView]) -> Vec<Arc<str>> {
        let mut out: Vec<Option<Arc<str>>> = match self.inner.lock() {
            Ok(guard) => posts.iter().map(|p| guard.0.get(&(p.id, p.version)).cloned()).collect(),
            Err(_) => vec![None; posts.len()],
        };
        let mut fresh = Vec::new();
        for (slot, post) in out.iter_mut().zip(posts) {
            if slot.is_none() {
                let html: Arc<str> = crate::markdown::render(&post.body).into();
                fresh.push(((post.id, post.version), html.clone()));
                *slot = Some(html);
            }
        }
        if !fresh.is_empty()
            && let Ok(mut guard) = self.inner.lock()
        {
            for (key, html) in fresh {
                if guard.1 + html.len() > self.max_bytes {
                    // Crude but bounded: start over rather than track recency.
                    guard.0.clear();
                    guard.1 = 0;
                }
                guard.1 += html.len();
                if let Some(old) = guard.0.insert(key, html) {
                    guard.1 -= old.len();
                }
            }
        }
        out.into_iter().map(Option::unwrap_or_default).collect()
    }
}

// ---------------------------------------------------------------------------
// Shared pieces.
// ---------------------------------------------------------------------------

/// Messages after a redirect, chosen by code so no request text is echoed.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "started" => "Your thread is started. Members who follow the community can now reply.",
        "replied" => "Your reply is posted.",
        "edited" => "Your changes are saved; the earlier text is in the post's history.",
        "accepted" => "Answer accepted: the question is marked solved.",
        "time-saved" => "Thanks: the time this answer saved is recorded.",
        "locked" => "The thread is locked: only facilitators can reply now.",
        "unlocked" => "The thread is open for replies again.",
        "pinned" => "The thread is pinned to the top of the list.",
        "unpinned" => "The thread is no longer pinned.",
        "hidden" => "Hidden. Only facilitators see it now, with your reason.",
        "shown" => "Shown again to everyone who can see the community.",
        "moved" => "The thread is moved; its address stays the same.",
        _ => return None,
    })
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: impl Into<String>, notice: Option<&str>) -> Layout {
    let mut layout = Layout::new(title, state.app.org_name(), Some(viewer), csrf, "communities");
    layout.notice = notice.and_then(notice_text).map(str::to_string);
    layout
}

fn page_error(error: AppError) -> Response {
    PageError::from(error).into_response()
}

fn when(at: Timestamp, viewer: &Viewer) -> String {
    format!("{}, {}", format::date(at, viewer.time_zone), format::time(at, viewer.time_zone))
}

fn minutes_text(minutes: i64) -> String {
    format::duration(minutes.clamp(0, i64::from(u32::MAX)) as u32)
}

fn time_saved_text(minutes: i64, records: i64) -> Option<String> {
    (records > 0).then(|| {
        format!(
            "It saved people {} in all ({}).",
            minutes_text(minutes),
            format::count(records, "person said so", "people said so")
        )
    })
}

fn tag_link(slug: &str, tag: &str) -> (String, String) {
    (tag.to_string(), format!("/communities/{slug}/discussions?tag={}", urlencode(tag)))
}

fn proposal_label(status: Option<&str>) -> Option<&'static str> {
    match status? {
        "open" => Some("Open proposal"),
        "accepted" => Some("Proposal accepted"),
        "declined" => Some("Proposal declined"),
        _ => None,
    }
}

fn kind_hint(kind: ThreadKind) -> &'static str {
    match kind {
        ThreadKind::Discussion => "share an idea, an experience or a link and talk it through",
        ThreadKind::Question => "ask for help; the answer that solves it can be accepted",
        ThreadKind::Announcement => "tell the community something (facilitators)",
        ThreadKind::Proposal => "suggest a change for the community to weigh",
    }
}

// ---------------------------------------------------------------------------
// The list and the unanswered questions.
// ---------------------------------------------------------------------------

struct ThreadItem {
    id: i64,
    title: String,
    kind: &'static str,
    kind_word: &'static str,
    solved: bool,
    pinned: bool,
    locked: bool,
    hidden: Option<String>,
    proposal: Option<&'static str>,
    author: Option<PostAuthor>,
    started: String,
    started_iso: String,
    active: String,
    active_iso: String,
    replies: i64,
    replies_word: &'static str,
    tags: Vec<(String, String)>,
}

fn thread_item(t: &ThreadSummary, slug: &str, viewer: &Viewer) -> ThreadItem {
    let answers = t.kind == ThreadKind::Question;
    ThreadItem {
        id: t.id,
        title: t.title.clone(),
        kind: t.kind.label(),
        kind_word: t.kind.as_str(),
        solved: t.solved(),
        pinned: t.pinned,
        locked: t.locked,
        hidden: t.hidden_reason.clone(),
        proposal: proposal_label(t.proposal_status.as_deref()),
        author: t.author.clone(),
        started: format::date(t.created_at, viewer.time_zone),
        started_iso: format::rfc3339(t.created_at),
        active: format::date(t.last_activity_at, viewer.time_zone),
        active_iso: format::rfc3339(t.last_activity_at),
        replies: t.reply_count,
        replies_word: match (answers, t.reply_count == 1) {
            (true, true) => "answer",
            (true, false) => "answers",
            (false, true) => "reply",
            (false, false) => "replies",
        },
        tags: t.tags.iter().map(|tag| tag_link(slug, tag)).collect(),
    }
}

struct FilterLink {
    label: String,
    href: String,
    count: Option<i64>,
    current: bool,
}

#[derive(Template)]
#[template(path = "discussions.html")]
struct ListTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    lead: String,
    unanswered: bool,
    can_start: bool,
    is_member: bool,
    kinds: Vec<FilterLink>,
    tags: Vec<FilterLink>,
    tag: String,
    clear_tag_href: Option<String>,
    threads: Vec<ThreadItem>,
    empty: String,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tag: String,
    page: Option<i64>,
    notice: Option<String>,
}

fn list_href(slug: &str, unanswered: bool, kind: &str, tag: &str, page: i64) -> String {
    let base = if unanswered {
        format!("/communities/{slug}/discussions/unanswered")
    } else {
        format!("/communities/{slug}/discussions")
    };
    let mut params = Vec::new();
    if !kind.is_empty() {
        params.push(format!("kind={}", urlencode(kind)));
    }
    if !tag.is_empty() {
        params.push(format!("tag={}", urlencode(tag)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() { base } else { format!("{base}?{}", params.join("&")) }
}

fn list_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &DiscussionsPage,
    notice: Option<&str>,
) -> ListTemplate {
    let slug = page.community.slug.as_str();
    let kind = page.kind.map(|k| k.as_str()).unwrap_or("");
    let tag = page.tag.clone().unwrap_or_default();
    let kinds = std::iter::once(("", "All"))
        .chain(ThreadKind::ALL.iter().map(|k| {
            (
                k.as_str(),
                match k {
                    ThreadKind::Discussion => "Discussions",
                    ThreadKind::Question => "Questions",
                    ThreadKind::Announcement => "Announcements",
                    ThreadKind::Proposal => "Proposals",
                },
            )
        }))
        .map(|(word, label)| FilterLink {
            label: label.to_string(),
            href: list_href(slug, false, word, &tag, 1),
            count: None,
            current: word == kind,
        })
        .collect();
    let tags = page
        .popular_tags
        .iter()
        .map(|(t, n)| FilterLink {
            label: t.clone(),
            href: list_href(slug, page.unanswered, kind, t, 1),
            count: Some(*n),
            current: *t == tag,
        })
        .collect();
    let title = if page.unanswered { "Unanswered questions" } else { "Discussions" };
    let lead = if page.unanswered {
        "Questions nobody has answered yet, the longest-waiting first. Can you help?".to_string()
    } else {
        format!("Questions, discussions, announcements and proposals in {}.", page.community.name)
    };
    let empty = match (page.unanswered, page.page > 1) {
        (_, true) => "No more threads.".to_string(),
        (true, false) => "Every question has an answer. Nice work!".to_string(),
        (false, false) if page.kind.is_some() || page.tag.is_some() => "No thread matches these filters.".to_string(),
        (false, false) => "No threads yet.".to_string(),
    };
    ListTemplate {
        layout: layout(state, viewer, csrf, format!("{title} · {}", page.community.name), notice),
        slug: slug.to_string(),
        community_name: page.community.name.clone(),
        lead,
        unanswered: page.unanswered,
        can_start: page.can_start,
        is_member: matches!(page.membership, Some((_, MembershipStatus::Active))),
        kinds,
        tags,
        clear_tag_href: page.tag.as_ref().map(|_| list_href(slug, page.unanswered, kind, "", 1)),
        tag,
        threads: page.threads.iter().map(|t| thread_item(t, slug, viewer)).collect(),
        empty,
        page: page.page,
        prev_href: (page.page > 1)
            .then(|| list_href(slug, page.unanswered, kind, page.tag.as_deref().unwrap_or(""), page.page - 1)),
        next_href: page
            .has_next
            .then(|| list_href(slug, page.unanswered, kind, page.tag.as_deref().unwrap_or(""), page.page + 1)),
    }
}

async fn list(
    state: WebState,
    viewer: Viewer,
    csrf: String,
    slug: String,
    query: ListQuery,
    unanswered: bool,
) -> Response {
    let filter = ThreadQuery { kind: query.kind, tag: query.tag, unanswered };
    match state.app.discussions(&viewer, &slug, &filter, query.page.unwrap_or(1)).await {
        Ok(page) => render(&list_template(&state, &viewer, &csrf, &page, query.notice.as_deref())),
        Err(AppError::Invalid(errors)) => {
            let message = errors.0.first().map(|e| e.message.clone()).unwrap_or_default();
            PageError::status(StatusCode::BAD_REQUEST, &format!("That filter cannot be used: {message}."))
                .into_response()
        }
        Err(error) => page_error(error),
    }
}

pub async fn list_threads(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    list(state, viewer, csrf, slug, query, false).await
}

pub async fn list_unanswered(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    list(state, viewer, csrf, slug, query, true).await
}

// ---------------------------------------------------------------------------
// Starting a thread.
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "discussion_form.html")]
struct ThreadForm {
    layout: Layout,
    slug: String,
    community_name: String,
    can_announce: bool,
    /// (word, label, hint)
    kinds: Vec<(&'static str, &'static str, &'static str)>,
    kind: String,
    title: String,
    body: String,
    tags: String,
    kind_error: Option<String>,
    title_error: Option<String>,
    body_error: Option<String>,
    tags_error: Option<String>,
    error_links: Vec<ErrorLink>,
}

#[derive(Deserialize, Default)]
pub struct ThreadFormData {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
}

const THREAD_FIELDS: [(&str, &str); 4] = [("kind", "Kind"), ("title", "Title"), ("body", "Message"), ("tags", "Tags")];

#[allow(clippy::too_many_arguments)]
fn thread_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    name: &str,
    can_announce: bool,
    data: &ThreadFormData,
    errors: &FieldErrors,
) -> ThreadForm {
    ThreadForm {
        layout: layout(state, viewer, csrf, form_title(&format!("Start a thread · {name}"), errors), None),
        slug: slug.to_string(),
        community_name: name.to_string(),
        can_announce,
        kinds: ThreadKind::ALL
            .iter()
            .filter(|k| can_announce || **k != ThreadKind::Announcement)
            .map(|k| (k.as_str(), k.label(), kind_hint(*k)))
            .collect(),
        kind: if data.kind.is_empty() { "question".into() } else { data.kind.clone() },
        title: data.title.clone(),
        body: data.body.clone(),
        tags: data.tags.clone(),
        kind_error: errors.get("kind").map(str::to_string),
        title_error: errors.get("title").map(str::to_string),
        body_error: errors.get("body").map(str::to_string),
        tags_error: errors.get("tags").map(str::to_string),
        error_links: error_links(errors, |field| {
            THREAD_FIELDS.iter().find(|f| f.0 == field).map(|f| (f.0.to_string(), f.1))
        }),
    }
}

pub async fn new_thread(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.thread_form_access(&viewer, &slug).await {
        Ok((community, can_announce)) => render(&thread_form(
            &state,
            &viewer,
            &csrf,
            &community.slug,
            &community.name,
            can_announce,
            &ThreadFormData::default(),
            &FieldErrors::new(),
        )),
        Err(error) => page_error(error),
    }
}

pub async fn create_thread(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(data): Form<ThreadFormData>,
) -> Response {
    let input = ThreadInput {
        kind: data.kind.clone(),
        title: data.title.clone(),
        body: data.body.clone(),
        tags: split_thread_tags(&data.tags),
    };
    match state.app.start_thread(&viewer, &slug, &input).await {
        Ok((thread, _)) => Redirect::to(&format!("/threads/{thread}?notice=started")).into_response(),
        Err(AppError::Invalid(errors)) => match state.app.thread_form_access(&viewer, &slug).await {
            Ok((community, can_announce)) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &thread_form(&state, &viewer, &csrf, &community.slug, &community.name, can_announce, &data, &errors),
            ),
            Err(error) => page_error(error),
        },
        Err(error) => page_error(error),
    }
}

// ---------------------------------------------------------------------------
// A thread.
// ---------------------------------------------------------------------------

struct ReactionItem {
    word: &'static str,
    symbol: &'static str,
    label: &'static str,
    count: i64,
    mine: bool,
}

struct PostItem {
    id: i64,
    author_name: String,
    author_handle: Option<String>,
    initials: String,
    when: String,
    iso: String,
    edited: Option<String>,
    /// Rendered from Markdown and sanitized.
    html: Arc<str>,
    is_opening: bool,
    is_accepted: bool,
    hidden: Option<String>,
    reactions: Vec<ReactionItem>,
    has_reactions: bool,
    can_edit: bool,
    can_accept: bool,
}

fn author_name(author: &Option<PostAuthor>) -> String {
    author.as_ref().map_or_else(|| "A former member".to_string(), |a| a.name.clone())
}

fn hidden_text(reason: Option<&str>, by: Option<&str>) -> Option<String> {
    let reason = reason?;
    Some(match by {
        Some(by) => format!("Hidden by {by}: {reason}"),
        None => format!("Hidden: {reason}"),
    })
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadTemplate {
    layout: Layout,
    thread_id: i64,
    slug: String,
    community_name: String,
    title: String,
    kind: &'static str,
    kind_word: &'static str,
    is_question: bool,
    solved: bool,
    pinned: bool,
    locked: bool,
    hidden: Option<String>,
    proposal: Option<&'static str>,
    tags: Vec<(String, String)>,
    /// (link, author name) of the accepted answer.
    accepted: Option<(String, String)>,
    time_saved: Option<String>,
    my_minutes: Option<String>,
    started_by: Option<(String, String)>,
    started: String,
    started_iso: String,
    active: String,
    active_iso: String,
    replies: i64,
    posts: Vec<PostItem>,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    can_reply: bool,
    can_react: bool,
    can_moderate: bool,
    can_record_time: bool,
    is_asker: bool,
    reply_body: String,
    reply_error: Option<String>,
    minutes_value: String,
    note_value: String,
    minutes_error: Option<String>,
    note_error: Option<String>,
    reused_error: Option<String>,
    moderation_error: Option<String>,
}

/// What a thread page re-shows after a refused form.
#[derive(Default)]
struct ThreadFormState {
    reply_body: String,
    minutes: String,
    note: String,
    errors: FieldErrors,
}

fn thread_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: ThreadPage,
    rendered: &RenderedPosts,
    notice: Option<&str>,
    form: ThreadFormState,
) -> ThreadTemplate {
    let t = &page.thread.summary;
    let html = rendered.render_all(&page.posts);
    let accepted = t.accepted_post.map(|id| {
        let by = page.posts.iter().find(|p| p.id == id).map(|p| author_name(&p.author));
        (format!("/posts/{id}"), by.unwrap_or_else(|| "a member".into()))
    });
    let base = format!("/threads/{}", t.id);
    let title = t.title.clone();
    let errors = &form.errors;
    let posts = page
        .posts
        .iter()
        .zip(html)
        .map(|(p, html)| PostItem {
            id: p.id,
            author_name: author_name(&p.author),
            author_handle: p.author.as_ref().map(|a| a.handle.clone()),
            initials: p.author.as_ref().map_or_else(|| "?".into(), |a| initials(&a.name)),
            when: when(p.created_at, viewer),
            iso: format::rfc3339(p.created_at),
            edited: p.edited_at.map(|at| format!("edited {}", format::date(at, viewer.time_zone))),
            html,
            is_opening: p.is_opening,
            is_accepted: p.is_accepted,
            hidden: hidden_text(p.hidden_reason.as_deref(), p.hidden_by.as_deref()),
            has_reactions: p.reactions.iter().any(|r| r.count > 0),
            reactions: p
                .reactions
                .iter()
                .map(|r| ReactionItem {
                    word: r.reaction.as_str(),
                    symbol: r.reaction.symbol(),
                    label: r.reaction.label(),
                    count: r.count,
                    mine: r.mine,
                })
                .collect(),
            can_edit: p.can_edit,
            can_accept: p.can_accept,
        })
        .collect();
    ThreadTemplate {
        layout: layout(state, viewer, csrf, form_title(&title, errors), notice),
        thread_id: t.id,
        slug: page.thread.community_slug.clone(),
        community_name: page.thread.community_name.clone(),
        title,
        kind: t.kind.label(),
        kind_word: t.kind.as_str(),
        is_question: t.kind == ThreadKind::Question,
        solved: t.solved(),
        pinned: t.pinned,
        locked: t.locked,
        hidden: hidden_text(t.hidden_reason.as_deref(), page.thread.hidden_by.as_deref()),
        proposal: proposal_label(t.proposal_status.as_deref()),
        tags: t.tags.iter().map(|tag| tag_link(&page.thread.community_slug, tag)).collect(),
        accepted,
        time_saved: time_saved_text(page.time_saved_minutes, page.time_saved_records),
        my_minutes: page.my_minutes_saved.map(minutes_text),
        started_by: t.author.as_ref().map(|a| (a.handle.clone(), a.name.clone())),
        started: format::date(t.created_at, viewer.time_zone),
        started_iso: format::rfc3339(t.created_at),
        active: when(t.last_activity_at, viewer),
        active_iso: format::rfc3339(t.last_activity_at),
        replies: t.reply_count,
        posts,
        page: page.page,
        prev_href: (page.page > 1).then(|| format!("{base}?page={}", page.page - 1)),
        next_href: page.has_next.then(|| format!("{base}?page={}", page.page + 1)),
        can_reply: page.can_reply,
        can_react: page.can_react,
        can_moderate: page.can_moderate,
        can_record_time: page.can_record_time,
        is_asker: page.is_asker,
        reply_body: form.reply_body,
        reply_error: errors.get("body").map(str::to_string),
        minutes_value: form.minutes,
        note_value: form.note,
        minutes_error: errors.get("minutes").map(str::to_string),
        note_error: errors.get("note").map(str::to_string),
        reused_error: errors.get("reused").map(str::to_string),
        moderation_error: errors.get("reason").map(str::to_string),
    }
}

#[derive(Deserialize)]
pub struct ThreadQueryParams {
    page: Option<i64>,
    notice: Option<String>,
}

pub async fn show_thread(
    State(state): State<WebState>,
    Extension(rendered): Extension<Arc<RenderedPosts>>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<ThreadQueryParams>,
) -> Response {
    match state.app.thread_page(&viewer, id, query.page.unwrap_or(1)).await {
        Ok(page) => render(&thread_template(
            &state,
            &viewer,
            &csrf,
            page,
            &rendered,
            query.notice.as_deref(),
            ThreadFormState::default(),
        )),
        Err(error) => page_error(error),
    }
}

/// Shows the thread again with a refused form's values and messages.
async fn rerender_thread(
    state: &WebState,
    rendered: &RenderedPosts,
    viewer: &Viewer,
    csrf: &str,
    id: i64,
    status: StatusCode,
    form: ThreadFormState,
) -> Response {
    match state.app.thread_page(viewer, id, 1).await {
        Ok(page) => render_status(status, &thread_template(state, viewer, csrf, page, rendered, None, form)),
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<WebState>,
    Extension(rendered): Extension<Arc<RenderedPosts>>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> Response {
    match state.app.reply(&viewer, id, &form.body).await {
        Ok(post) => Redirect::to(&format!("/posts/{post}?notice=replied")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let state_form = ThreadFormState { reply_body: form.body, errors, ..Default::default() };
            rerender_thread(&state, &rendered, &viewer, &csrf, id, StatusCode::UNPROCESSABLE_ENTITY, state_form).await
        }
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    post_id: String,
}

pub async fn accept_answer(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<AcceptForm>,
) -> Response {
    let Ok(post) = form.post_id.trim().parse::<i64>() else {
        return PageError::status(StatusCode::UNPROCESSABLE_ENTITY, "Choose the answer to accept.").into_response();
    };
    match state.app.accept_answer(&viewer, id, post).await {
        Ok(_) => Redirect::to(&format!("/posts/{post}?notice=accepted")).into_response(),
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct TimeSavedForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reused: String,
}

pub async fn record_time_saved(
    State(state): State<WebState>,
    Extension(rendered): Extension<Arc<RenderedPosts>>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<TimeSavedForm>,
) -> Response {
    let input =
        TimeSavedInput { minutes: form.minutes.clone(), note: form.note.clone(), reused: !form.reused.is_empty() };
    match state.app.record_time_saved(&viewer, id, &input).await {
        Ok(_) => Redirect::to(&format!("/threads/{id}?notice=time-saved#time-saved")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let state_form = ThreadFormState { minutes: form.minutes, note: form.note, errors, ..Default::default() };
            rerender_thread(&state, &rendered, &viewer, &csrf, id, StatusCode::UNPROCESSABLE_ENTITY, state_form).await
        }
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct ModerationForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    post_id: String,
    #[serde(default)]
    target: String,
}

impl ModerationForm {
    fn input(&self) -> ModerationInput {
        ModerationInput {
            action: self.action.clone(),
            reason: self.reason.clone(),
            post_id: self.post_id.trim().parse().ok(),
            target: self.target.clone(),
        }
    }
}

fn moderation_notice(action: &str) -> &'static str {
    match action {
        "lock" => "locked",
        "unlock" => "unlocked",
        "pin" => "pinned",
        "unpin" => "unpinned",
        "hide" => "hidden",
        "unhide" => "shown",
        _ => "moved",
    }
}

pub async fn moderate(
    State(state): State<WebState>,
    Extension(rendered): Extension<Arc<RenderedPosts>>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ModerationForm>,
) -> Response {
    let input = form.input();
    match state.app.moderate(&viewer, id, &input).await {
        Ok(_) => {
            let anchor = input.post_id.map(|p| format!("#post-{p}")).unwrap_or_default();
            Redirect::to(&format!("/threads/{id}?notice={}{anchor}", moderation_notice(&form.action))).into_response()
        }
        Err(AppError::Invalid(errors)) if input.post_id.is_none() => {
            let state_form = ThreadFormState { errors, ..Default::default() };
            rerender_thread(&state, &rendered, &viewer, &csrf, id, StatusCode::UNPROCESSABLE_ENTITY, state_form).await
        }
        Err(AppError::Invalid(errors)) => {
            let message = errors.0.first().map(|e| e.message.clone()).unwrap_or_default();
            PageError::status(StatusCode::UNPROCESSABLE_ENTITY, &format!("Not hidden: {message}.")).into_response()
        }
        Err(error) => page_error(error),
    }
}

#[derive(Template)]
#[template(path = "thread_move.html")]
struct MoveTemplate {
    layout: Layout,
    thread_id: i64,
    thread_title: String,
    slug: String,
    community_name: String,
    targets: Vec<(String, String)>,
    target: String,
    reason: String,
    target_error: Option<String>,
    reason_error: Option<String>,
    error_links: Vec<ErrorLink>,
}

async fn move_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    id: i64,
    form: &ModerationForm,
    errors: &FieldErrors,
) -> Result<MoveTemplate, AppError> {
    let thread = state.app.thread(viewer, id).await?;
    let targets = state.app.move_targets(viewer, id).await?;
    Ok(MoveTemplate {
        layout: layout(state, viewer, csrf, form_title(&format!("Move · {}", thread.summary.title), errors), None),
        thread_id: id,
        thread_title: thread.summary.title,
        slug: thread.community_slug,
        community_name: thread.community_name,
        targets,
        target: form.target.clone(),
        reason: form.reason.clone(),
        target_error: errors.get("target").map(str::to_string),
        reason_error: errors.get("reason").map(str::to_string),
        error_links: error_links(errors, |field| match field {
            "target" => Some(("target".into(), "Move to")),
            "reason" => Some(("reason".into(), "Reason")),
            _ => None,
        }),
    })
}

pub async fn move_form(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    let empty =
        ModerationForm { action: String::new(), reason: String::new(), post_id: String::new(), target: String::new() };
    match move_page(&state, &viewer, &csrf, id, &empty, &FieldErrors::new()).await {
        Ok(page) => render(&page),
        Err(error) => page_error(error),
    }
}

pub async fn move_thread(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(mut form): Form<ModerationForm>,
) -> Response {
    form.action = "move".into();
    form.post_id = String::new();
    match state.app.moderate(&viewer, id, &form.input()).await {
        Ok(_) => Redirect::to(&format!("/threads/{id}?notice=moved")).into_response(),
        Err(AppError::Invalid(errors)) => match move_page(&state, &viewer, &csrf, id, &form, &errors).await {
            Ok(page) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &page),
            Err(error) => page_error(error),
        },
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct ReactForm {
    #[serde(default)]
    reaction: String,
}

pub async fn react(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ReactForm>,
) -> Response {
    match state.app.react(&viewer, id, &form.reaction).await {
        Ok(_) => Redirect::to(&format!("/posts/{id}")).into_response(),
        Err(error) => page_error(error),
    }
}

#[derive(Deserialize)]
pub struct PermalinkQuery {
    notice: Option<String>,
}

/// A post's permanent address: the page of its thread it is on, at its anchor.
pub async fn permalink(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<PermalinkQuery>,
) -> Response {
    match state.app.post_location(&viewer, id).await {
        Ok(location) => {
            let mut params = Vec::new();
            if location.page > 1 {
                params.push(format!("page={}", location.page));
            }
            if let Some(code) = query.notice.as_deref().filter(|c| notice_text(c).is_some()) {
                params.push(format!("notice={code}"));
            }
            let query = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
            Redirect::to(&format!("/threads/{}{query}#post-{id}", location.thread_id)).into_response()
        }
        Err(error) => page_error(error),
    }
}

// ---------------------------------------------------------------------------
// Editing and history.
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "post_edit.html")]
struct EditTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    thread_id: i64,
    thread_title: String,
    post_id: i64,
    is_opening: bool,
    version: i64,
    title: String,
    tags: String,
    body: String,
    /// After a conflict: the version now stored, rendered.
    current_html: Option<String>,
    title_error: Option<String>,
    tags_error: Option<String>,
    body_error: Option<String>,
    error_links: Vec<ErrorLink>,
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    version: String,
    title: Option<String>,
    tags: Option<String>,
}

const EDIT_FIELDS: [(&str, &str); 4] =
    [("title", "Title"), ("tags", "Tags"), ("body", "Message"), ("version", "Message")];

async fn edit_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    id: i64,
    typed: Option<&EditForm>,
    errors: &FieldErrors,
) -> Result<EditTemplate, AppError> {
    let page = state.app.post_for_edit(viewer, id).await?;
    let summary = &page.thread.summary;
    let conflict = errors.get("version").is_some();
    let heading = if page.post.is_opening { "Edit the thread" } else { "Edit a post" };
    Ok(EditTemplate {
        layout: layout(state, viewer, csrf, form_title(&format!("{heading} · {}", summary.title), errors), None),
        slug: page.thread.community_slug.clone(),
        community_name: page.thread.community_name.clone(),
        thread_id: summary.id,
        thread_title: summary.title.clone(),
        post_id: id,
        is_opening: page.post.is_opening,
        // After a conflict the form carries the stored version, so saving
        // again is a deliberate choice made after seeing it.
        version: page.post.version,
        title: typed.and_then(|t| t.title.clone()).unwrap_or_else(|| summary.title.clone()),
        tags: typed.and_then(|t| t.tags.clone()).unwrap_or_else(|| summary.tags.join(", ")),
        body: typed.map_or_else(|| page.post.body.clone(), |t| t.body.clone()),
        current_html: conflict.then(|| crate::markdown::render(&page.post.body)),
        title_error: errors.get("title").map(str::to_string),
        tags_error: errors.get("tags").map(str::to_string),
        body_error: errors.get("body").map(str::to_string),
        error_links: error_links(errors, |field| {
            EDIT_FIELDS
                .iter()
                .find(|f| f.0 == field)
                .map(|f| (if f.0 == "version" { "body" } else { f.0 }.to_string(), f.1))
        }),
    })
}

pub async fn edit_post(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match edit_page(&state, &viewer, &csrf, id, None, &FieldErrors::new()).await {
        Ok(page) => render(&page),
        Err(error) => page_error(error),
    }
}

pub async fn update_post(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<EditForm>,
) -> Response {
    let input = PostEditInput {
        body: form.body.clone(),
        version: form.version.clone(),
        title: form.title.clone(),
        tags: form.tags.as_deref().map(split_thread_tags),
    };
    let (status, errors) = match state.app.edit_post(&viewer, id, &input).await {
        Ok(_) => return Redirect::to(&format!("/posts/{id}?notice=edited")).into_response(),
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(AppError::Conflict { field, message }) if !field.is_empty() => {
            (StatusCode::CONFLICT, FieldErrors::single(field, message))
        }
        Err(error) => return page_error(error),
    };
    match edit_page(&state, &viewer, &csrf, id, Some(&form), &errors).await {
        Ok(page) => render_status(status, &page),
        Err(error) => page_error(error),
    }
}

struct VersionItem {
    version: i64,
    current: bool,
    author: Option<(String, String)>,
    when: String,
    iso: String,
    html: String,
}

#[derive(Template)]
#[template(path = "post_history.html")]
struct HistoryTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    thread_id: i64,
    thread_title: String,
    post_id: i64,
    lead: String,
    versions: Vec<VersionItem>,
}

pub async fn post_history(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    let history = match state.app.post_history(&viewer, id).await {
        Ok(history) => history,
        Err(error) => return page_error(error),
    };
    let summary = &history.thread.summary;
    let count = history.versions.len() as i64;
    let template = HistoryTemplate {
        layout: layout(&state, &viewer, &csrf, format!("History · {}", summary.title), None),
        slug: history.thread.community_slug.clone(),
        community_name: history.thread.community_name.clone(),
        thread_id: summary.id,
        thread_title: summary.title.clone(),
        post_id: id,
        lead: if count == 1 {
            "This post has not been edited.".to_string()
        } else {
            format!("{}, newest first.", format::count(count, "version", "versions"))
        },
        versions: history
            .versions
            .iter()
            .map(|v| VersionItem {
                version: v.version,
                current: v.current,
                author: v.author.as_ref().map(|a| (a.handle.clone(), a.name.clone())),
                when: when(v.saved_at, &viewer),
                iso: format::rfc3339(v.saved_at),
                html: crate::markdown::render(&v.body),
            })
            .collect(),
    };
    render(&template)
}
