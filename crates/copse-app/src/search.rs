//! Search over threads, posts, artifacts, events, communities and people,
//! filtered by what the person searching may see.
//!
//! Visibility is decided here, per search, from the database: the private
//! communities the viewer may not see are left out by the index's collector,
//! people only for those allowed to browse the directory. Each hit's
//! community is then loaded (to name it) and checked with the policy again,
//! so a hit can only show if `can(ViewCommunity)` says so at that moment.
//!
//! Before searching, the index catches up with the change feed when it is
//! behind (one `max(seq)` query), so people find what they just wrote.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use copse_domain::{Action, CommunityAccess, FieldErrors, TimeZone, Timestamp, Visibility, can};
pub use copse_search::{DocType as SearchDocType, QueryNotice, RebuildProgress, Snippet, SortOrder};
use copse_search::{Filters, MAX_OFFSET, MAX_QUERY_CHARS, SearchRequest};

use crate::communities::{access_of, membership_of};
use crate::{App, AppError, Viewer};

/// Results per page.
pub const SEARCH_PAGE_SIZE: usize = 10;

/// A search as typed: every field is text from the form or the query string.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: String,
    /// A community's slug.
    pub community: String,
    /// thread, post, artifact, event, community, person, or a thread's,
    /// artifact's or event's kind (question, runbook, workshop, ...).
    pub kind: String,
    pub tag: String,
    /// The author's handle (with or without `@`).
    pub author: String,
    /// `YYYY-MM-DD` in the viewer's zone, inclusive.
    pub from: String,
    pub to: String,
    /// From 1.
    pub page: u32,
}

/// Where a hit leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTarget {
    Thread {
        id: i64,
    },
    Post {
        thread: i64,
        id: i64,
    },
    Artifact {
        id: i64,
    },
    /// A series, by its first occurrence's key.
    Event {
        id: i64,
        key: String,
    },
    Community {
        slug: String,
    },
    Person {
        handle: String,
    },
}

/// One result as pages and the API show it.
#[derive(Debug, Clone)]
pub struct SearchHitView {
    pub doc_type: SearchDocType,
    /// The thread's, post's, artifact's, event's, community's or person's id.
    pub id: i64,
    pub target: SearchTarget,
    /// The title with matched words marked (a reply's is its thread's).
    pub title: Snippet,
    pub snippet: Snippet,
    pub kind: String,
    pub status: String,
    pub tags: Vec<String>,
    /// (slug, name); none for people.
    pub community: Option<(String, String)>,
    pub author: Option<String>,
    pub date: Timestamp,
}

#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<SearchHitView>,
    pub page: u32,
    pub has_more: bool,
    pub notice: Option<QueryNotice>,
    pub order: SortOrder,
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Kinds and tags are short lowercase words with dashes.
fn word(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let text = optional(text)?.trim_start_matches(['#', '@']).to_lowercase();
    let valid = !text.is_empty()
        && text.chars().count() <= 60
        && text.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'));
    if valid {
        Some(text)
    } else {
        errors.add(field, "use a single word (letters, digits, dashes)");
        None
    }
}

/// Midnight at the start of `date` in the viewer's zone, in UTC millis.
fn local_midnight(date: NaiveDate, zone: TimeZone) -> Option<i64> {
    use chrono::TimeZone as _;
    zone.0.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.timestamp_millis())
}

fn date(text: &str, field: &'static str, zone: TimeZone, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let text = optional(text)?;
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(date) if local_midnight(date, zone).is_some() => Some(date),
        _ => {
            errors.add(field, "use a date like 2026-03-05");
            None
        }
    }
}

impl App {
    /// Searches what the viewer may see. Signed-out viewers may not search.
    pub async fn search(&self, viewer: &Viewer, query: &SearchQuery) -> Result<SearchPage, AppError> {
        let person = viewer.require_person()?;
        let mut errors = FieldErrors::default();
        let text = query.q.trim().to_string();
        if text.chars().count() > MAX_QUERY_CHARS {
            errors.add(
                "q",
                format!("a search has at most {MAX_QUERY_CHARS} characters; this one has {}", text.chars().count()),
            );
        }
        let mut filters = Filters::default();
        if let Some(kind) = word(&query.kind, "kind", &mut errors) {
            match SearchDocType::parse(&kind) {
                Some(doc_type) => filters.doc_type = Some(doc_type),
                None => filters.kind = Some(kind),
            }
        }
        filters.tag = word(&query.tag, "tag", &mut errors);
        filters.author = word(&query.author, "author", &mut errors);
        let zone = viewer.time_zone;
        let from = date(&query.from, "from", zone, &mut errors);
        let to = date(&query.to, "to", zone, &mut errors);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", "the end date is before the start date");
        }
        filters.from = from.and_then(|d| local_midnight(d, zone));
        filters.to = to.and_then(|d| local_midnight(d + Duration::days(1), zone));
        let page = query.page.max(1);
        let offset = (page as usize - 1) * SEARCH_PAGE_SIZE;
        if offset > MAX_OFFSET {
            errors.add(
                "page",
                format!("results go {} pages deep; narrow the search instead", MAX_OFFSET / SEARCH_PAGE_SIZE + 1),
            );
        }
        if let Some(slug) = optional(&query.community) {
            match self.visible_community(viewer, &slug).await {
                Ok(row) => filters.community = Some(row.community.id),
                Err(AppError::NotFound(_)) => {
                    errors.add("community", "there is no community you can see with that name")
                }
                Err(other) => return Err(other),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }

        let store = self.store();
        let hidden_communities = store
            .list_private_communities_for_viewer(Some(person))
            .await?
            .into_iter()
            .filter(|row| {
                let access = CommunityAccess {
                    visibility: Visibility::Private,
                    membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
                };
                !can(&viewer.actor, Action::ViewCommunity(&access))
            })
            .map(|row| row.id)
            .collect();
        let people = can(&viewer.actor, Action::ViewPeople);
        let request = SearchRequest {
            text,
            filters,
            offset,
            limit: SEARCH_PAGE_SIZE,
            visibility: copse_search::Visibility { hidden_communities, people },
        };

        let index = self.search_index().clone();
        if index.is_behind(store).await.map_err(search_error)? {
            index.catch_up(store).await.map_err(search_error)?;
        }
        let results = tokio::task::spawn_blocking(move || index.search(&request))
            .await
            .map_err(|e| AppError::Internal(format!("search task: {e}")))?
            .map_err(search_error)?;

        // Name each hit's community, and check once more that the viewer
        // may see it: the index may lag behind a deleted community.
        let mut communities: HashMap<i64, Option<(String, String)>> = HashMap::new();
        let mut hits = Vec::with_capacity(results.hits.len());
        for hit in results.hits {
            let community = if hit.doc_type == SearchDocType::Person {
                if !people {
                    continue;
                }
                None
            } else {
                let named = match communities.get(&hit.community_id) {
                    Some(named) => named.clone(),
                    None => {
                        let row = store.find_community_by_id_for_viewer(hit.community_id, Some(person)).await?;
                        let named = row
                            .filter(|row| can(&viewer.actor, Action::ViewCommunity(&access_of(row))))
                            .map(|row| (row.community.slug, row.community.name));
                        communities.insert(hit.community_id, named.clone());
                        named
                    }
                };
                match named {
                    Some(named) => Some(named),
                    None => continue,
                }
            };
            let target = match hit.doc_type {
                SearchDocType::Thread => SearchTarget::Thread { id: hit.entity_id },
                SearchDocType::Post => {
                    SearchTarget::Post { thread: hit.locator.parse().unwrap_or_default(), id: hit.entity_id }
                }
                SearchDocType::Artifact => SearchTarget::Artifact { id: hit.entity_id },
                SearchDocType::Event => SearchTarget::Event { id: hit.entity_id, key: hit.locator.clone() },
                SearchDocType::Community => SearchTarget::Community { slug: hit.locator.clone() },
                SearchDocType::Person => SearchTarget::Person { handle: hit.locator.clone() },
            };
            let title = if hit.doc_type == SearchDocType::Post {
                Snippet { text: hit.context.clone(), ..Snippet::default() }
            } else {
                hit.title
            };
            hits.push(SearchHitView {
                doc_type: hit.doc_type,
                id: hit.entity_id,
                target,
                title,
                snippet: hit.snippet,
                kind: hit.kind,
                status: hit.status,
                tags: hit.tags,
                community,
                author: hit.author,
                date: Timestamp::from_millis(hit.date),
            });
        }
        Ok(SearchPage { hits, page, has_more: results.has_more, notice: results.notice, order: results.order })
    }

    /// Applies the changes the search index has not seen yet.
    pub async fn index_catch_up(&self) -> Result<usize, AppError> {
        self.search_index().catch_up(self.store()).await.map_err(search_error)
    }

    /// Drops the search index and rebuilds it from the database; returns the
    /// number of documents indexed.
    pub async fn reindex(&self, progress: &mut (dyn FnMut(RebuildProgress) + Send)) -> Result<u64, AppError> {
        self.search_index().rebuild(self.store(), progress).await.map_err(search_error)
    }

    /// Keeps the search index following the database: catches up every
    /// `every` until the runtime stops. Errors are logged and retried.
    pub fn spawn_indexer(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match app.index_catch_up().await {
                    Ok(0) => {}
                    Ok(applied) => tracing::debug!(applied, "search index caught up"),
                    Err(error) => tracing::warn!(%error, "search index catch-up failed; retrying"),
                }
            }
        })
    }
}

fn search_error(error: copse_search::SearchError) -> AppError {
    match error {
        copse_search::SearchError::Store(store) => AppError::from(store),
        other => {
            tracing::error!(error = %other, "search failed");
            AppError::Internal(other.to_string())
        }
    }
}
