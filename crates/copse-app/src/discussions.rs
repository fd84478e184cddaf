//! Use cases for discussions and Q&A: threads, posts, edits with history,
//! reactions, mentions, moderation, accepted answers and time saved.
//!
//! Who may do what: seeing a community's threads follows `ViewCommunity`
//! (refused: not found); hidden threads and posts are seen only by those who
//! `Moderate` (facilitators and admins), with the reason. Starting threads,
//! replying, reacting and recording time saved need `Participate` (active
//! members); announcements need `Moderate`; editing a post needs
//! `EditContent` (its author while a member, or a facilitator). A locked
//! thread takes replies only from those who moderate. The person who asked a
//! question (or a facilitator) accepts an answer; the asker, or anyone who
//! says they reused the answer, records the time it saved them.

use std::sync::Arc;

use copse_domain::links::{artifact_ids_in, mentioned_handles};
use copse_domain::{
    Action, Actor, CommunityAccess, CommunityId, MembershipRole, MembershipStatus, ModerationAction, OrgRole, PersonId,
    PostDraft, PostEdit, PostEditInput, Reaction, ThreadDraft, ThreadInput, ThreadKind, TimeSaved, TimeSavedInput,
    Timestamp, Visibility, can, parse_moderation_reason, parse_thread_tag,
};
use copse_store::{
    AcceptAnswer, Mentions, NewReply, NewThread, PostRow, PostUpdate, StoreError, ThreadFilter, ThreadForViewerRow,
    ThreadModeration, ThreadRow,
};

use crate::communities::{access_of, community_view, membership_of};
use crate::{App, AppError, CommunityView, Viewer};

/// Threads per page of a community's list.
pub const THREADS_PER_PAGE: i64 = 25;
/// Posts per page of a thread.
pub const POSTS_PER_PAGE: i64 = 100;
/// At most this many @mentions of one post notify anyone.
const MAX_MENTIONS: usize = 20;
/// Where mention notifications point: the post's permalink.
const POST_LINK_PREFIX: &str = "/posts/";

/// Who wrote something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostAuthor {
    pub handle: String,
    pub name: String,
}

fn author(handle: Option<String>, name: Option<String>) -> Option<PostAuthor> {
    Some(PostAuthor { handle: handle?, name: name? })
}

/// A thread as lists show it.
#[derive(Debug, Clone)]
pub struct ThreadSummary {
    pub id: i64,
    pub community_id: CommunityId,
    pub kind: ThreadKind,
    pub title: String,
    pub author: Option<PostAuthor>,
    pub author_id: Option<PersonId>,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    /// Visible replies.
    pub reply_count: i64,
    pub locked: bool,
    pub pinned: bool,
    /// Set when a facilitator hid it (only they see it then).
    pub hidden_reason: Option<String>,
    pub accepted_post: Option<i64>,
    pub proposal_status: Option<String>,
    pub tags: Vec<String>,
}

impl ThreadSummary {
    /// A question with an accepted answer.
    pub fn solved(&self) -> bool {
        self.accepted_post.is_some()
    }
}

fn thread_summary(row: &ThreadRow) -> ThreadSummary {
    ThreadSummary {
        id: row.id,
        community_id: CommunityId(row.community_id),
        kind: ThreadKind::parse(&row.kind).unwrap_or(ThreadKind::Discussion),
        title: row.title.clone(),
        author: author(row.author_handle.clone(), row.author_name.clone()),
        author_id: row.author_id.map(PersonId),
        created_at: Timestamp(row.created_at),
        last_activity_at: Timestamp(row.last_activity_at),
        reply_count: row.reply_count,
        locked: row.locked != 0,
        pinned: row.pinned != 0,
        hidden_reason: row.hidden_reason.clone(),
        accepted_post: row.accepted_post_id,
        proposal_status: row.proposal_status.clone(),
        tags: row.tags.split_whitespace().map(str::to_string).collect(),
    }
}

/// Which threads to list; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    pub kind: String,
    pub tag: String,
    /// Only questions nobody has answered yet, oldest first.
    pub unanswered: bool,
}

/// One page of a community's threads, for one viewer.
#[derive(Debug, Clone)]
pub struct DiscussionsPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub threads: Vec<ThreadSummary>,
    pub kind: Option<ThreadKind>,
    pub tag: Option<String>,
    pub unanswered: bool,
    /// 1-based.
    pub page: i64,
    pub has_next: bool,
    /// The community's most used tags and how many threads carry each.
    pub popular_tags: Vec<(String, i64)>,
    pub can_start: bool,
    pub can_announce: bool,
    pub can_moderate: bool,
}

/// A thread with where it lives.
#[derive(Debug, Clone)]
pub struct ThreadView {
    pub summary: ThreadSummary,
    pub community_slug: String,
    pub community_name: String,
    pub hidden_by: Option<String>,
    pub opening_post: Option<i64>,
}

/// How many people gave one reaction, and whether the viewer is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionTally {
    pub reaction: Reaction,
    pub count: i64,
    pub mine: bool,
}

/// A post as a thread page shows it.
#[derive(Debug, Clone)]
pub struct PostView {
    pub id: i64,
    pub thread_id: i64,
    pub author: Option<PostAuthor>,
    pub author_id: Option<PersonId>,
    /// Markdown, exactly as written; rendered only when shown.
    pub body: String,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub editor: Option<PostAuthor>,
    pub version: i64,
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<String>,
    pub is_opening: bool,
    pub is_accepted: bool,
    /// Every reaction of the vocabulary, in its order, with its count.
    pub reactions: Vec<ReactionTally>,
    pub can_edit: bool,
    pub can_accept: bool,
}

/// Everything a thread page needs, for one viewer.
#[derive(Debug, Clone)]
pub struct ThreadPage {
    pub thread: ThreadView,
    pub posts: Vec<PostView>,
    pub page: i64,
    pub has_next: bool,
    /// Minutes the thread's answers saved people, and how many said so.
    pub time_saved_minutes: i64,
    pub time_saved_records: i64,
    /// The viewer's own record for the accepted answer.
    pub my_minutes_saved: Option<i64>,
    pub can_reply: bool,
    pub can_react: bool,
    pub can_moderate: bool,
    /// The viewer asked this thread's question.
    pub is_asker: bool,
    /// The viewer may record time saved (a member, and there is an accepted answer).
    pub can_record_time: bool,
}

/// What an edit form starts from.
#[derive(Debug, Clone)]
pub struct PostEditPage {
    pub thread: ThreadView,
    pub post: PostView,
}

/// One version of a post.
#[derive(Debug, Clone)]
pub struct PostVersionView {
    pub version: i64,
    pub body: String,
    pub author: Option<PostAuthor>,
    pub saved_at: Timestamp,
    pub current: bool,
}

/// Every version of a post, newest first.
#[derive(Debug, Clone)]
pub struct PostHistory {
    pub thread: ThreadView,
    pub post_id: i64,
    pub versions: Vec<PostVersionView>,
}

/// A reaction after toggling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionState {
    pub post_id: i64,
    pub thread_id: i64,
    pub reaction: Reaction,
    pub reacted: bool,
    pub count: i64,
}

/// A moderation request as typed.
#[derive(Debug, Clone, Default)]
pub struct ModerationInput {
    pub action: String,
    pub reason: String,
    /// Hide or show this post instead of the whole thread.
    pub post_id: Option<i64>,
    /// For a move: the target community's slug.
    pub target: String,
}

/// Totals after recording time saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSavedTotals {
    pub minutes: i64,
    pub records: i64,
}

/// Where a post is: its thread and the page of the thread it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostLocation {
    pub thread_id: i64,
    pub page: i64,
}

fn access_of_thread(row: &ThreadForViewerRow) -> CommunityAccess {
    CommunityAccess {
        visibility: Visibility::parse(&row.community_visibility).unwrap_or(Visibility::Private),
        membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
    }
}

fn thread_view(row: &ThreadForViewerRow) -> ThreadView {
    ThreadView {
        summary: thread_summary(&row.thread),
        community_slug: row.community_slug.clone(),
        community_name: row.community_name.clone(),
        hidden_by: row.hidden_by_name.clone(),
        opening_post: row.opening_post_id,
    }
}

fn post_view(row: PostRow, thread: &ThreadView) -> PostView {
    PostView {
        is_opening: thread.opening_post == Some(row.id),
        is_accepted: thread.summary.accepted_post == Some(row.id),
        id: row.id,
        thread_id: row.thread_id,
        author_id: row.author_id.map(PersonId),
        author: author(row.author_handle, row.author_name),
        body: row.body,
        created_at: Timestamp(row.created_at),
        edited_at: row.edited_at.map(Timestamp),
        editor: author(row.editor_handle, row.editor_name),
        version: row.version,
        hidden_reason: row.hidden_reason,
        hidden_by: row.hidden_by_name,
        reactions: Reaction::ALL.iter().map(|&reaction| ReactionTally { reaction, count: 0, mine: false }).collect(),
        can_edit: false,
        can_accept: false,
    }
}

fn stale_version() -> AppError {
    AppError::Conflict {
        field: "version",
        message: "Someone saved a newer version of this post while you were editing; nothing was overwritten. \
                  Your text is kept below: compare it with the current version and save again."
            .into(),
    }
}

/// A page of a thread's posts and their reaction counts, the same for every
/// viewer (who may or may not see hidden posts).
pub(crate) struct CachedPosts {
    rows: Vec<PostRow>,
    /// (post, reaction, how many gave it)
    reactions: Vec<(i64, Reaction, i64)>,
    has_next: bool,
}

/// Threads whose first page holds more Markdown than this are not cached.
const MAX_CACHED_BYTES: usize = 256 * 1024;

/// A thread the viewer may see, with their access to its community.
struct SeenThread {
    row: ThreadForViewerRow,
    access: CommunityAccess,
    view: ThreadView,
    can_moderate: bool,
}

impl App {
    /// Loads a thread the viewer may see, or `NotFound` (also for hidden
    /// threads, unless the viewer moderates).
    async fn seen_thread(&self, viewer: &Viewer, id: i64) -> Result<SeenThread, AppError> {
        viewer.require_person()?;
        let row =
            self.store().find_thread_for_viewer(id, viewer.person()).await?.ok_or(AppError::NotFound("thread"))?;
        let access = access_of_thread(&row);
        if !can(&viewer.actor, Action::ViewCommunity(&access)) {
            return Err(AppError::NotFound("thread"));
        }
        let can_moderate = can(&viewer.actor, Action::Moderate(&access));
        if row.thread.hidden_reason.is_some() && !can_moderate {
            return Err(AppError::NotFound("thread"));
        }
        let view = thread_view(&row);
        Ok(SeenThread { row, access, view, can_moderate })
    }

    /// Loads a post the viewer may see, with its thread.
    async fn seen_post(&self, viewer: &Viewer, id: i64) -> Result<(SeenThread, PostRow), AppError> {
        viewer.require_person()?;
        let post = self.store().find_post(id).await?.ok_or(AppError::NotFound("post"))?;
        let thread = match self.seen_thread(viewer, post.thread_id).await {
            Err(AppError::NotFound(_)) => return Err(AppError::NotFound("post")),
            other => other?,
        };
        if post.hidden_reason.is_some() && !thread.can_moderate {
            return Err(AppError::NotFound("post"));
        }
        Ok((thread, post))
    }

    /// The people an @mention in `body` should tell: existing people who may
    /// see the community, other than the author.
    pub(crate) async fn mention_targets(
        &self,
        body: &str,
        community: CommunityId,
        visibility: Visibility,
        author: PersonId,
    ) -> Result<Vec<PersonId>, AppError> {
        let mut people = Vec::new();
        for handle in mentioned_handles(body).into_iter().take(MAX_MENTIONS) {
            let Some(row) = self.store().find_mentioned(&handle, community).await? else {
                continue;
            };
            let person = PersonId(row.id);
            let actor = Actor::person(person, OrgRole::parse(&row.org_role).unwrap_or(OrgRole::Guest));
            let access =
                CommunityAccess { visibility, membership: membership_of(row.role.as_deref(), row.status.as_deref()) };
            if person != author && !people.contains(&person) && can(&actor, Action::ViewCommunity(&access)) {
                people.push(person);
            }
        }
        Ok(people)
    }

    /// A page (from 1) of a community's threads, or of its unanswered questions.
    pub async fn discussions(
        &self,
        viewer: &Viewer,
        slug: &str,
        query: &ThreadQuery,
        page: i64,
    ) -> Result<DiscussionsPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let kind = match query.kind.trim() {
            "" => None,
            text => Some(ThreadKind::parse(text).map_err(|m| AppError::invalid("kind", m))?),
        };
        let tag = match query.tag.trim() {
            "" => None,
            text => Some(parse_thread_tag(text).map_err(|m| AppError::invalid("tag", m))?),
        };
        let can_moderate = can(&viewer.actor, Action::Moderate(&access));
        let page = page.clamp(1, 100_000);
        let community = CommunityId(row.community.id);
        let filter = ThreadFilter {
            kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            tag: tag.clone().unwrap_or_default(),
            unanswered: query.unanswered,
            include_hidden: can_moderate,
        };
        let mut rows =
            self.store().list_threads(community, &filter, THREADS_PER_PAGE + 1, (page - 1) * THREADS_PER_PAGE).await?;
        let has_next = rows.len() as i64 > THREADS_PER_PAGE;
        rows.truncate(THREADS_PER_PAGE as usize);
        let popular_tags = self.store().list_community_tags(community, 10).await?;
        let can_start = can(&viewer.actor, Action::Participate(&access));
        Ok(DiscussionsPage {
            community: community_view(&row.community),
            membership: access.membership,
            threads: rows.iter().map(thread_summary).collect(),
            kind,
            tag,
            unanswered: query.unanswered,
            page,
            has_next,
            popular_tags: popular_tags.into_iter().map(|t| (t.tag, t.count)).collect(),
            can_start,
            can_announce: can_start && can_moderate,
            can_moderate,
        })
    }

    /// Whether the viewer may start threads in a community, and announcements;
    /// for the new-thread form.
    pub async fn thread_form_access(&self, viewer: &Viewer, slug: &str) -> Result<(CommunityView, bool), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::Participate(&access)) {
            return Err(AppError::Forbidden("join the community to start a thread"));
        }
        Ok((community_view(&row.community), can(&viewer.actor, Action::Moderate(&access))))
    }

    /// Starts a thread; returns (thread id, opening post id).
    pub async fn start_thread(&self, viewer: &Viewer, slug: &str, input: &ThreadInput) -> Result<(i64, i64), AppError> {
        let person = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::Participate(&access)) {
            return Err(AppError::Forbidden("join the community to start a thread"));
        }
        let draft = ThreadDraft::parse(input)?;
        if draft.kind == ThreadKind::Announcement && !can(&viewer.actor, Action::Moderate(&access)) {
            return Err(AppError::Forbidden("only facilitators post announcements"));
        }
        let community = CommunityId(row.community.id);
        let people = self.mention_targets(&draft.body, community, access.visibility, person).await?;
        let message = format!("{} mentioned you in “{}”", viewer.name, draft.title);
        let at = Timestamp::now();
        let (thread, post) = self
            .store()
            .insert_thread(&NewThread {
                community,
                author: person,
                kind: draft.kind.as_str(),
                title: &draft.title,
                body: &draft.body,
                tags: &draft.tags,
                proposal_status: (draft.kind == ThreadKind::Proposal).then_some("open"),
                contribution_kind: if draft.kind == ThreadKind::Question { "question" } else { "thread" },
                mentions: Mentions { people: &people, message: &message, link_prefix: POST_LINK_PREFIX },
                at,
            })
            .await?;
        self.store().set_artifact_links("post", post, &artifact_ids_in(&draft.body), at.millis()).await?;
        Ok((thread, post))
    }

    /// One page of a thread's posts with reaction counts. The first page is
    /// cached, checked against the thread's version (which every reply, edit,
    /// hidden post and reaction moves).
    async fn thread_posts(&self, seen: &SeenThread, page: i64) -> Result<Arc<CachedPosts>, AppError> {
        let id = seen.view.summary.id;
        let key = id * 2 + i64::from(seen.can_moderate);
        let version = seen.row.thread.version;
        if page == 1
            && let Some(cached) = self.inner.caches.thread_posts.get(key, version)
        {
            return Ok(cached);
        }
        let offset = (page - 1) * POSTS_PER_PAGE;
        let mut rows = self.store().list_thread_posts(id, seen.can_moderate, POSTS_PER_PAGE + 1, offset).await?;
        let has_next = rows.len() as i64 > POSTS_PER_PAGE;
        rows.truncate(POSTS_PER_PAGE as usize);
        let reactions = self
            .store()
            .list_thread_reactions(id, None)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.post_id, Reaction::parse(&r.reaction).ok()?, r.count)))
            .collect();
        let posts = Arc::new(CachedPosts { rows, reactions, has_next });
        let bytes: usize = posts.rows.iter().map(|r| r.body.len()).sum();
        if page == 1 && bytes <= MAX_CACHED_BYTES {
            self.inner.caches.thread_posts.put(key, version, posts.clone());
        }
        Ok(posts)
    }

    /// A page (from 1) of a thread's posts with reactions and what the viewer may do.
    pub async fn thread_page(&self, viewer: &Viewer, id: i64, page: i64) -> Result<ThreadPage, AppError> {
        let seen = self.seen_thread(viewer, id).await?;
        let me = viewer.person();
        let page = page.clamp(1, 100_000);
        let cached = self.thread_posts(&seen, page).await?;
        let has_next = cached.has_next;
        let rows = cached.rows.clone();
        let mine = match me {
            Some(person) if !cached.reactions.is_empty() => self.store().list_my_thread_reactions(id, person).await?,
            _ => Vec::new(),
        };
        let summary = &seen.view.summary;
        let is_asker = me.is_some() && summary.author_id == me;
        let can_participate = can(&viewer.actor, Action::Participate(&seen.access));
        let may_accept = summary.kind == ThreadKind::Question && (is_asker || seen.can_moderate);
        let mut posts: Vec<PostView> = rows.into_iter().map(|row| post_view(row, &seen.view)).collect();
        for post in &mut posts {
            let is_author = me.is_some() && post.author_id == me;
            post.can_edit = can(&viewer.actor, Action::EditContent(&seen.access, is_author));
            post.can_accept = may_accept && !post.is_opening && !post.is_accepted && post.hidden_reason.is_none();
        }
        for &(post_id, reaction, count) in &cached.reactions {
            if let Some(post) = posts.iter_mut().find(|p| p.id == post_id)
                && let Some(tally) = post.reactions.iter_mut().find(|t| t.reaction == reaction)
            {
                tally.count = count;
                tally.mine = mine.iter().any(|(p, r)| *p == post_id && r == reaction.as_str());
            }
        }
        Ok(ThreadPage {
            can_reply: can_participate && (!summary.locked || seen.can_moderate),
            can_react: can_participate,
            can_record_time: can_participate && summary.accepted_post.is_some(),
            can_moderate: seen.can_moderate,
            is_asker,
            time_saved_minutes: seen.row.time_saved_minutes,
            time_saved_records: seen.row.time_saved_records,
            my_minutes_saved: seen.row.my_minutes_saved,
            thread: seen.view,
            posts,
            page,
            has_next,
        })
    }

    /// One thread without its posts.
    pub async fn thread(&self, viewer: &Viewer, id: i64) -> Result<ThreadView, AppError> {
        Ok(self.seen_thread(viewer, id).await?.view)
    }

    /// Replies to a thread; returns the new post's id.
    pub async fn reply(&self, viewer: &Viewer, thread_id: i64, body: &str) -> Result<i64, AppError> {
        let person = viewer.require_person()?;
        let seen = self.seen_thread(viewer, thread_id).await?;
        if !can(&viewer.actor, Action::Participate(&seen.access)) {
            return Err(AppError::Forbidden("join the community to reply"));
        }
        let summary = &seen.view.summary;
        if summary.locked && !seen.can_moderate {
            return Err(AppError::Conflict {
                field: "body",
                message: "This thread is locked: only facilitators can reply to it now.".into(),
            });
        }
        let draft = PostDraft::parse(body)?;
        let people = self.mention_targets(&draft.body, summary.community_id, seen.access.visibility, person).await?;
        let message = format!("{} mentioned you in “{}”", viewer.name, summary.title);
        let at = Timestamp::now();
        let post = self
            .store()
            .insert_reply(&NewReply {
                thread: thread_id,
                community: summary.community_id,
                author: person,
                body: &draft.body,
                contribution_kind: if summary.kind == ThreadKind::Question { "answer" } else { "reply" },
                reply_to: summary.author_id.filter(|a| *a != person),
                mentions: Mentions { people: &people, message: &message, link_prefix: POST_LINK_PREFIX },
                at,
            })
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound("thread"),
                other => other.into(),
            })?;
        self.store().set_artifact_links("post", post, &artifact_ids_in(&draft.body), at.millis()).await?;
        Ok(post)
    }

    /// One post the viewer may see.
    pub async fn post(&self, viewer: &Viewer, id: i64) -> Result<PostView, AppError> {
        let (seen, row) = self.seen_post(viewer, id).await?;
        let is_author = viewer.person().is_some() && row.author_id == viewer.person().map(|p| p.0);
        let mut post = post_view(row, &seen.view);
        post.can_edit = can(&viewer.actor, Action::EditContent(&seen.access, is_author));
        Ok(post)
    }

    /// Where a post is, for its permalink.
    pub async fn post_location(&self, viewer: &Viewer, id: i64) -> Result<PostLocation, AppError> {
        let (seen, row) = self.seen_post(viewer, id).await?;
        let before = self.store().count_posts_before(row.thread_id, row.id, seen.can_moderate).await?;
        Ok(PostLocation { thread_id: row.thread_id, page: before / POSTS_PER_PAGE + 1 })
    }

    /// A post and its thread, for the edit form (its author or a facilitator).
    pub async fn post_for_edit(&self, viewer: &Viewer, id: i64) -> Result<PostEditPage, AppError> {
        let (seen, row) = self.seen_post(viewer, id).await?;
        let is_author = viewer.person().is_some() && row.author_id == viewer.person().map(|p| p.0);
        if !can(&viewer.actor, Action::EditContent(&seen.access, is_author)) {
            return Err(AppError::Forbidden("only the author or a facilitator can edit this post"));
        }
        let mut post = post_view(row, &seen.view);
        post.can_edit = true;
        Ok(PostEditPage { thread: seen.view, post })
    }

    /// Saves an edit made from `input.version`; a newer stored version is a
    /// conflict and nothing is overwritten. For an opening post, a title and
    /// tags retitle and retag the thread. Returns the new version.
    pub async fn edit_post(&self, viewer: &Viewer, id: i64, input: &PostEditInput) -> Result<i64, AppError> {
        let person = viewer.require_person()?;
        let (seen, row) = self.seen_post(viewer, id).await?;
        let is_author = row.author_id == Some(person.0);
        if !can(&viewer.actor, Action::EditContent(&seen.access, is_author)) {
            return Err(AppError::Forbidden("only the author or a facilitator can edit this post"));
        }
        let is_opening = seen.view.opening_post == Some(id);
        let input = if is_opening { input.clone() } else { PostEditInput { title: None, tags: None, ..input.clone() } };
        let edit = PostEdit::parse(&input)?;
        if edit.base_version != row.version {
            return Err(stale_version());
        }
        let summary = &seen.view.summary;
        let people = self.mention_targets(&edit.body, summary.community_id, seen.access.visibility, person).await?;
        let message = format!("{} mentioned you in “{}”", viewer.name, edit.title.as_deref().unwrap_or(&summary.title));
        let at = Timestamp::now();
        let version = self
            .store()
            .update_post(&PostUpdate {
                post: id,
                thread: row.thread_id,
                base_version: edit.base_version,
                body: &edit.body,
                editor: person,
                title: edit.title.as_deref(),
                tags: edit.tags.as_deref(),
                mentions: Mentions { people: &people, message: &message, link_prefix: POST_LINK_PREFIX },
                at,
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => stale_version(),
                StoreError::NotFound => AppError::NotFound("post"),
                other => other.into(),
            })?;
        self.store().set_artifact_links("post", id, &artifact_ids_in(&edit.body), at.millis()).await?;
        Ok(version)
    }

    /// Every version of a post, newest first, with who saved it and when.
    pub async fn post_history(&self, viewer: &Viewer, id: i64) -> Result<PostHistory, AppError> {
        let (seen, row) = self.seen_post(viewer, id).await?;
        let revisions = self.store().list_post_revisions(id).await?;
        let mut versions = vec![PostVersionView {
            version: row.version,
            body: row.body.clone(),
            author: author(row.editor_handle.clone(), row.editor_name.clone())
                .or_else(|| author(row.author_handle.clone(), row.author_name.clone())),
            saved_at: Timestamp(row.edited_at.unwrap_or(row.created_at)),
            current: true,
        }];
        versions.extend(revisions.into_iter().map(|r| PostVersionView {
            version: r.version,
            body: r.body,
            author: author(r.author_handle, r.author_name),
            saved_at: Timestamp(r.saved_at),
            current: false,
        }));
        Ok(PostHistory { thread: seen.view, post_id: id, versions })
    }

    /// Gives or takes back a reaction.
    pub async fn react(&self, viewer: &Viewer, post_id: i64, reaction: &str) -> Result<ReactionState, AppError> {
        let person = viewer.require_person()?;
        let reaction = Reaction::parse(reaction).map_err(|m| AppError::invalid("reaction", m))?;
        let (seen, row) = self.seen_post(viewer, post_id).await?;
        if !can(&viewer.actor, Action::Participate(&seen.access)) {
            return Err(AppError::Forbidden("join the community to react"));
        }
        let (reacted, count) =
            self.store().toggle_reaction(post_id, person, reaction.as_str(), Timestamp::now()).await?;
        Ok(ReactionState { post_id, thread_id: row.thread_id, reaction, reacted, count })
    }

    /// Marks a question solved by one of its replies (the asker or a facilitator).
    pub async fn accept_answer(&self, viewer: &Viewer, thread_id: i64, post_id: i64) -> Result<ThreadView, AppError> {
        let person = viewer.require_person()?;
        let seen = self.seen_thread(viewer, thread_id).await?;
        let summary = &seen.view.summary;
        let is_asker = summary.author_id == Some(person);
        if !is_asker && !seen.can_moderate {
            return Err(AppError::Forbidden("only the person who asked, or a facilitator, can accept an answer"));
        }
        if summary.kind != ThreadKind::Question {
            return Err(AppError::Conflict {
                field: "post_id",
                message: "Only questions have accepted answers.".into(),
            });
        }
        let post = self
            .store()
            .find_post(post_id)
            .await?
            .filter(|p| p.thread_id == thread_id && p.hidden_reason.is_none())
            .ok_or_else(|| AppError::invalid("post_id", "that post is not a visible reply in this thread"))?;
        if seen.view.opening_post == Some(post_id) {
            return Err(AppError::invalid("post_id", "the question itself cannot be its answer"));
        }
        if summary.accepted_post != Some(post_id) {
            let message = format!("Your answer to “{}” was accepted.", summary.title);
            let link = format!("{POST_LINK_PREFIX}{post_id}");
            self.store()
                .accept_answer(&AcceptAnswer {
                    thread: thread_id,
                    post: post_id,
                    community: summary.community_id,
                    answer_author: post.author_id.map(PersonId),
                    asker: summary.author_id,
                    actor: person,
                    message: &message,
                    link: &link,
                    at: Timestamp::now(),
                })
                .await?;
        }
        self.thread(viewer, thread_id).await
    }

    /// "This answer saved me N minutes", against the accepted answer: by the
    /// asker, or by a member who says they reused it. Once per person (a new
    /// record replaces their earlier one).
    pub async fn record_time_saved(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        input: &TimeSavedInput,
    ) -> Result<TimeSavedTotals, AppError> {
        let person = viewer.require_person()?;
        let seen = self.seen_thread(viewer, thread_id).await?;
        if !can(&viewer.actor, Action::Participate(&seen.access)) {
            return Err(AppError::Forbidden("join the community to record time saved"));
        }
        let summary = &seen.view.summary;
        let Some(accepted) = summary.accepted_post else {
            return Err(AppError::Conflict {
                field: "minutes",
                message: "Time saved is recorded against the accepted answer, and this thread has none yet.".into(),
            });
        };
        let saved = TimeSaved::parse(input)?;
        if summary.author_id != Some(person) && !input.reused {
            return Err(AppError::invalid("reused", "tick “I reused this answer” to record the time it saved you"));
        }
        let (minutes, records) = self
            .store()
            .record_time_saved(thread_id, accepted, person, i64::from(saved.minutes), &saved.note, Timestamp::now())
            .await?;
        Ok(TimeSavedTotals { minutes, records })
    }

    /// Locks, pins, hides (with a reason) or moves a thread, or hides one of
    /// its posts (facilitators; a move also needs facilitation of the target).
    pub async fn moderate(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        input: &ModerationInput,
    ) -> Result<ThreadView, AppError> {
        let person = viewer.require_person()?;
        let seen = self.seen_thread(viewer, thread_id).await?;
        if !seen.can_moderate {
            return Err(AppError::Forbidden("only facilitators moderate threads"));
        }
        let action = ModerationAction::parse(&input.action).map_err(|m| AppError::invalid("action", m))?;
        let reason = if input.reason.trim().is_empty() && action != ModerationAction::Hide {
            String::new()
        } else {
            parse_moderation_reason(&input.reason).map_err(|m| AppError::invalid("reason", m))?
        };
        let summary = &seen.view.summary;
        let change = match (action, input.post_id) {
            (ModerationAction::Lock, _) => ThreadModeration::Lock(true),
            (ModerationAction::Unlock, _) => ThreadModeration::Lock(false),
            (ModerationAction::Pin, _) => ThreadModeration::Pin(true),
            (ModerationAction::Unpin, _) => ThreadModeration::Pin(false),
            (ModerationAction::Hide, None) => ThreadModeration::HideThread(Some(&reason)),
            (ModerationAction::Unhide, None) => ThreadModeration::HideThread(None),
            (ModerationAction::Hide | ModerationAction::Unhide, Some(post)) => {
                let found = self.store().find_post(post).await?.filter(|p| p.thread_id == thread_id);
                if found.is_none() {
                    return Err(AppError::invalid("post_id", "that post is not in this thread"));
                }
                let hidden = (action == ModerationAction::Hide).then_some(reason.as_str());
                ThreadModeration::HidePost { post, reason: hidden }
            }
            (ModerationAction::Move, _) => {
                let slug = input.target.trim();
                if slug.is_empty() {
                    return Err(AppError::invalid("target", "choose the community to move the thread to"));
                }
                let target = match self.visible_community(viewer, slug).await {
                    Err(AppError::NotFound(_)) => {
                        return Err(AppError::invalid("target", format!("there is no community '{slug}'")));
                    }
                    other => other?,
                };
                if !can(&viewer.actor, Action::Moderate(&access_of(&target))) {
                    return Err(AppError::Forbidden("you can move threads only to communities you facilitate"));
                }
                let to = CommunityId(target.community.id);
                if to == summary.community_id {
                    return Err(AppError::invalid("target", "the thread is already in that community"));
                }
                ThreadModeration::Move { from: summary.community_id, to }
            }
        };
        self.store().moderate_thread(thread_id, change, person, &reason, Timestamp::now()).await.map_err(
            |e| match e {
                StoreError::NotFound => AppError::NotFound("thread"),
                other => other.into(),
            },
        )?;
        self.thread(viewer, thread_id).await
    }

    /// Communities the viewer may move a thread to (other than its own).
    pub async fn move_targets(&self, viewer: &Viewer, thread_id: i64) -> Result<Vec<(String, String)>, AppError> {
        let person = viewer.require_person()?;
        let seen = self.seen_thread(viewer, thread_id).await?;
        if !seen.can_moderate {
            return Err(AppError::Forbidden("only facilitators moderate threads"));
        }
        let rows = if viewer.actor.is_admin() {
            self.store().list_community_names(2_000).await?
        } else {
            self.store().list_facilitated_communities(person).await?
        };
        Ok(rows.into_iter().filter(|r| r.id != seen.view.summary.community_id.0).map(|r| (r.slug, r.name)).collect())
    }
}
