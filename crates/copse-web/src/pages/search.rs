//! The search page: one box over threads, posts, artifacts, events,
//! communities and people, with filters and highlighted snippets.
//!
//! Snippets arrive as text plus the byte ranges that matched; they are cut
//! into plain and marked pieces here and escaped by the template like any
//! other text, so no HTML is ever built from what people wrote.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use copse_app::{AppError, QueryNotice, SearchDocType, SearchHitView, SearchPage, SearchQuery, SearchTarget, Snippet};
use copse_domain::{FieldErrors, TimeZone};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, form_title, render_status};
use crate::WebState;
use crate::auth::{PageViewer, urlencode};
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(show_search))
}

/// Where a hit links to.
pub(crate) fn href(target: &SearchTarget) -> String {
    match target {
        SearchTarget::Thread { id } => format!("/threads/{id}"),
        SearchTarget::Post { thread, id } => format!("/threads/{thread}#post-{id}"),
        SearchTarget::Artifact { id } => format!("/artifacts/{id}"),
        SearchTarget::Event { id, key } => format!("/events/{id}/{}", urlencode(key)),
        SearchTarget::Community { slug } => format!("/communities/{}", urlencode(slug)),
        SearchTarget::Person { handle } => format!("/people/{}", urlencode(handle)),
    }
}

/// What a result is, as a reader says it.
fn type_label(doc_type: SearchDocType) -> &'static str {
    match doc_type {
        SearchDocType::Thread => "Thread",
        SearchDocType::Post => "Reply",
        SearchDocType::Artifact => "Artifact",
        SearchDocType::Event => "Event",
        SearchDocType::Community => "Community",
        SearchDocType::Person => "Person",
    }
}

/// What the page says about the query itself.
pub(crate) fn notice_text(notice: QueryNotice) -> &'static str {
    match notice {
        QueryNotice::Empty => "Type a few words to search, or choose a filter.",
        QueryNotice::NothingToSearch => {
            "There is nothing to search for in that query: it has no words, only quotes or operators. Try some words."
        }
        QueryNotice::Simplified => {
            "Some quotes or operators in the query could not be understood and were ignored; the words were searched."
        }
    }
}

/// Ranges cut to character boundaries, sorted and merged.
pub(crate) fn clean_ranges(snippet: &Snippet) -> Vec<(usize, usize)> {
    let text = &snippet.text;
    let mut ranges: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .map(|r| (r.start.min(text.len()), r.end.min(text.len())))
        .filter(|(start, end)| start < end && text.is_char_boundary(*start) && text.is_char_boundary(*end))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A piece of a snippet: its text and whether it matched.
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

fn pieces(snippet: &Snippet) -> Vec<Piece> {
    let text = &snippet.text;
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end) in clean_ranges(snippet) {
        if start > at {
            out.push(Piece { text: text[at..start].to_string(), marked: false });
        }
        out.push(Piece { text: text[start..end].to_string(), marked: true });
        at = end;
    }
    if at < text.len() {
        out.push(Piece { text: text[at..].to_string(), marked: false });
    }
    out
}

/// Line breaks of the plain text read as spaces in one paragraph.
fn flatten(mut snippet: Snippet) -> Snippet {
    snippet.text = snippet.text.replace(['\n', '\r', '\t'], " ");
    snippet
}

struct ResultRow {
    href: String,
    type_label: &'static str,
    kind: String,
    title: Vec<Piece>,
    snippet: Vec<Piece>,
    cut_before: bool,
    cut_after: bool,
    community: Option<(String, String)>,
    author: Option<String>,
    date: String,
    iso: String,
    /// Each tag with the search for it.
    tags: Vec<(String, String)>,
}

fn result_row(hit: &SearchHitView, zone: TimeZone) -> ResultRow {
    let title = if hit.title.text.trim().is_empty() {
        Snippet { text: "(untitled)".into(), ..Snippet::default() }
    } else {
        flatten(hit.title.clone())
    };
    let title_prefix = if hit.doc_type == SearchDocType::Post { "Re: " } else { "" };
    let mut title_pieces = pieces(&title);
    if !title_prefix.is_empty() {
        title_pieces.insert(0, Piece { text: title_prefix.into(), marked: false });
    }
    let snippet = flatten(hit.snippet.clone());
    ResultRow {
        href: href(&hit.target),
        type_label: type_label(hit.doc_type),
        kind: hit.kind.replace('-', " "),
        title: title_pieces,
        cut_before: snippet.cut_before,
        cut_after: snippet.cut_after,
        snippet: pieces(&snippet),
        community: hit.community.clone(),
        author: hit.author.clone(),
        date: format::date(hit.date, zone),
        iso: format::rfc3339(hit.date),
        tags: hit.tags.iter().map(|t| (t.clone(), format!("/search?q=&tag={}", urlencode(t)))).collect(),
    }
}

struct KindChoice {
    value: &'static str,
    label: &'static str,
}

struct KindGroup {
    label: &'static str,
    choices: Vec<KindChoice>,
}

fn kind_groups() -> Vec<KindGroup> {
    let group = |label, choices: &[(&'static str, &'static str)]| KindGroup {
        label,
        choices: choices.iter().map(|&(value, label)| KindChoice { value, label }).collect(),
    };
    vec![
        group(
            "What",
            &[
                ("thread", "Threads"),
                ("post", "Replies"),
                ("artifact", "Artifacts"),
                ("event", "Events"),
                ("community", "Communities"),
                ("person", "People"),
            ],
        ),
        group(
            "Threads",
            &[
                ("question", "Questions"),
                ("discussion", "Discussions"),
                ("announcement", "Announcements"),
                ("proposal", "Proposals"),
            ],
        ),
        group(
            "Artifacts",
            &[
                ("guide", "Guides"),
                ("standard", "Standards"),
                ("checklist", "Checklists"),
                ("adr", "Decision records"),
                ("runbook", "Runbooks"),
                ("template", "Templates"),
                ("lessons-learned", "Lessons learned"),
                ("recording", "Recordings"),
                ("tutorial", "Tutorials"),
            ],
        ),
    ]
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTemplate {
    layout: Layout,
    q: String,
    community: String,
    kind: String,
    tag: String,
    author: String,
    from: String,
    to: String,
    kind_groups: Vec<KindGroup>,
    /// How many of the filters under "More filters" are set.
    more_set: usize,
    errors: FieldErrors,
    error_links: Vec<ErrorLink>,
    searched: bool,
    notice: Option<&'static str>,
    newest_first: bool,
    results: Vec<ResultRow>,
    page: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The query string; every field is text so that nothing typed into the
/// address bar can make the page fail before it is read.
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

impl SearchParams {
    pub fn to_query(&self) -> SearchQuery {
        SearchQuery {
            q: self.q.clone(),
            community: self.community.clone(),
            kind: self.kind.clone(),
            tag: self.tag.clone(),
            author: self.author.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            page: self.page.trim().parse::<u32>().unwrap_or(1).max(1),
        }
    }

    fn href(&self, page: u32) -> String {
        let mut href = format!("/search?q={}", urlencode(&self.q));
        for (name, value) in [
            ("community", &self.community),
            ("kind", &self.kind),
            ("tag", &self.tag),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                href.push_str(&format!("&{name}={}", urlencode(value)));
            }
        }
        if page > 1 {
            href.push_str(&format!("&page={page}"));
        }
        href
    }
}

fn field_label(field: &'static str) -> Option<(String, &'static str)> {
    let label = match field {
        "q" => "Search",
        "community" => "Community",
        "kind" => "Kind",
        "tag" => "Tag",
        "author" => "Author",
        "from" => "From",
        "to" => "To",
        "page" => "Page",
        _ => return None,
    };
    Some((if field == "page" { "q".to_string() } else { field.to_string() }, label))
}

pub async fn show_search(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(params): Query<SearchParams>,
) -> Response {
    let query = params.to_query();
    let searched = !params.q.trim().is_empty()
        || [&params.community, &params.kind, &params.tag, &params.author, &params.from, &params.to]
            .iter()
            .any(|v| !v.trim().is_empty());
    let (outcome, status) = if searched {
        match state.app.search(&viewer, &query).await {
            Ok(page) => (Ok(page), StatusCode::OK),
            Err(AppError::Invalid(errors)) => (Err(errors), StatusCode::UNPROCESSABLE_ENTITY),
            Err(other) => return PageError::from(other).into_response(),
        }
    } else {
        (
            Ok(SearchPage {
                hits: Vec::new(),
                page: 1,
                has_more: false,
                notice: None,
                order: copse_app::SortOrder::Relevance,
            }),
            StatusCode::OK,
        )
    };
    let (page, errors) = match outcome {
        Ok(page) => (Some(page), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let title = if params.q.trim().is_empty() { "Search".to_string() } else { format!("Search: {}", params.q.trim()) };
    let more_set = [&params.community, &params.kind, &params.tag, &params.author, &params.from, &params.to]
        .iter()
        .filter(|v| !v.trim().is_empty())
        .count();
    let current = page.as_ref().map_or(1, |p| p.page);
    let template = SearchTemplate {
        layout: Layout::new(form_title(&title, &errors), state.app.org_name(), Some(&viewer), &csrf, "search"),
        q: params.q.clone(),
        community: params.community.clone(),
        kind: params.kind.trim().to_string(),
        tag: params.tag.clone(),
        author: params.author.clone(),
        from: params.from.clone(),
        to: params.to.clone(),
        kind_groups: kind_groups(),
        more_set,
        error_links: error_links(&errors, field_label),
        errors,
        searched: searched && page.is_some(),
        notice: page.as_ref().and_then(|p| p.notice).map(notice_text),
        newest_first: page.as_ref().is_some_and(|p| p.order == copse_app::SortOrder::Newest),
        results: page
            .as_ref()
            .map(|p| p.hits.iter().map(|h| result_row(h, viewer.time_zone)).collect())
            .unwrap_or_default(),
        page: current,
        prev_href: (current > 1 && page.is_some()).then(|| params.href(current - 1)),
        next_href: page.as_ref().filter(|p| p.has_more).map(|p| params.href(p.page + 1)),
    };
    render_status(status, &template)
}
