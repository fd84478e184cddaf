//! The `/api/v1` routes for search, and their part of the OpenAPI document.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use copse_app::{QueryNotice, SearchHitView, SearchPage, SortOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;
use crate::pages::search::{SearchParams, clean_ranges, href, notice_text};

pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(search))
}

#[derive(OpenApi)]
#[openapi(
    paths(search),
    components(schemas(SearchOut, SearchHitOut, SnippetOut)),
    tags((name = "search", description = "Search over what the caller may see"))
)]
pub struct Doc;

/// Text with the parts that matched the query.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetOut {
    pub text: String,
    /// `[start, end)` character offsets (Unicode scalar values) into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The text is cut from a longer one at its start / end.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl From<&copse_app::Snippet> for SnippetOut {
    fn from(snippet: &copse_app::Snippet) -> Self {
        let text = &snippet.text;
        let chars = |byte: usize| text[..byte].chars().count();
        SnippetOut {
            highlights: clean_ranges(snippet).into_iter().map(|(start, end)| [chars(start), chars(end)]).collect(),
            text: text.clone(),
            cut_before: snippet.cut_before,
            cut_after: snippet.cut_after,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitOut {
    /// thread, post, artifact, event, community or person.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The thread's, post's, artifact's, event's, community's or person's id.
    pub id: i64,
    /// Where the result is shown in the web interface.
    pub url: String,
    /// The title with matched words (a reply's is its thread's title).
    pub title: SnippetOut,
    pub snippet: SnippetOut,
    /// A thread's, artifact's or event's kind.
    pub kind: String,
    /// An artifact's status.
    pub status: String,
    pub tags: Vec<String>,
    /// The community's slug; none for people.
    pub community: Option<String>,
    pub community_name: Option<String>,
    /// The author's handle.
    pub author: Option<String>,
    /// Created (threads, replies, communities, people), last updated
    /// (artifacts) or first session (events).
    pub date: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub results: Vec<SearchHitOut>,
    pub page: u32,
    pub has_more: bool,
    /// "relevance", or "newest" when only filters were given.
    pub order: String,
    /// empty, nothing-to-search or simplified, when the query needs a word.
    pub notice: Option<String>,
    pub message: Option<String>,
}

fn hit_out(hit: &SearchHitView) -> SearchHitOut {
    SearchHitOut {
        doc_type: hit.doc_type.as_str().to_string(),
        id: hit.id,
        url: href(&hit.target),
        title: SnippetOut::from(&hit.title),
        snippet: SnippetOut::from(&hit.snippet),
        kind: hit.kind.clone(),
        status: hit.status.clone(),
        tags: hit.tags.clone(),
        community: hit.community.as_ref().map(|(slug, _)| slug.clone()),
        community_name: hit.community.as_ref().map(|(_, name)| name.clone()),
        author: hit.author.clone(),
        date: rfc3339(hit.date),
    }
}

impl From<&SearchPage> for SearchOut {
    fn from(page: &SearchPage) -> Self {
        SearchOut {
            results: page.hits.iter().map(hit_out).collect(),
            page: page.page,
            has_more: page.has_more,
            order: match page.order {
                SortOrder::Relevance => "relevance",
                SortOrder::Newest => "newest",
            }
            .to_string(),
            notice: page.notice.map(|n| {
                match n {
                    QueryNotice::Empty => "empty",
                    QueryNotice::NothingToSearch => "nothing-to-search",
                    QueryNotice::Simplified => "simplified",
                }
                .to_string()
            }),
            message: page.notice.map(|n| notice_text(n).to_string()),
        }
    }
}

/// The search's parameters; all optional.
#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct SearchParamsDoc {
    /// Words to find (at most 500 characters). Quotes make a phrase, `-word`
    /// leaves out, `OR` widens; words are otherwise all required.
    q: Option<String>,
    /// A community's slug.
    community: Option<String>,
    /// thread, post, artifact, event, community, person, or a kind of thread
    /// (question, ...), artifact (runbook, ...) or event (workshop, ...).
    kind: Option<String>,
    /// A tag (threads, replies, artifacts) or skill (people).
    tag: Option<String>,
    /// The author's handle.
    author: Option<String>,
    /// `YYYY-MM-DD` in the caller's time zone, inclusive.
    from: Option<String>,
    /// `YYYY-MM-DD` in the caller's time zone, inclusive.
    to: Option<String>,
    /// From 1; 10 results a page.
    page: Option<u32>,
}

/// Searches threads, replies, artifacts, events, communities and people
/// that the caller may see. Private communities' content appears only for
/// their members; people only for those who may browse the directory.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchParamsDoc),
    responses((status = 200, body = SearchOut), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchOut>, ApiError> {
    let page = state.app.search(&viewer, &params.to_query()).await?;
    Ok(Json(SearchOut::from(&page)))
}
