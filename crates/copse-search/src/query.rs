//! Searching: the request (text, filters, page, visibility), how the text is
//! parsed, and hits with highlighted snippets.
//!
//! Text goes through tantivy's query parser in lenient mode over the title
//! (boosted), a reply's thread title (lowered) and the body, with AND between
//! words so that two words narrow. Quotes make phrases, `-word` excludes,
//! `OR` widens. Whatever the parser cannot use is dropped; when nothing usable
//! is left, the words of the text are searched plainly; when there are no
//! words at all, the result is empty with a notice saying so.

use std::collections::BTreeSet;
use std::ops::{Bound, Range};

use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use crate::collector::{Allowed, Order, VisibleTopDocs};
use crate::documents::DocType;
use crate::error::SearchError;
use crate::indexer::SearchIndex;
use crate::schema::Fields;

/// Longer queries are refused (by the caller, with a message); the index
/// cuts anything longer than this.
pub const MAX_QUERY_CHARS: usize = 500;
/// How deep paging may go.
pub const MAX_OFFSET: usize = 1_000;
/// Characters of body text around the matches.
const SNIPPET_CHARS: usize = 220;

/// What the searcher may see.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    /// Communities whose documents must not be returned (private ones the
    /// searcher is not in).
    pub hidden_communities: Vec<i64>,
    /// Whether people's profiles may be returned.
    pub people: bool,
}

/// Narrowing a search; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub community: Option<i64>,
    pub doc_type: Option<DocType>,
    /// A thread's, artifact's or event's kind (`question`, `runbook`, ...).
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// The author's handle.
    pub author: Option<String>,
    /// UTC milliseconds, inclusive.
    pub from: Option<i64>,
    /// UTC milliseconds, exclusive.
    pub to: Option<i64>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.community.is_none()
            && self.doc_type.is_none()
            && self.kind.is_none()
            && self.tag.is_none()
            && self.author.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
    pub visibility: Visibility,
}

/// Why a result looks the way it does, for the page to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryNotice {
    /// No text and no filter: nothing was searched.
    Empty,
    /// The text has no words to search for (only quotes or operators).
    NothingToSearch,
    /// Some operators or quotes could not be used and were ignored.
    Simplified,
}

/// Whether results are ranked by relevance or listed newest first (when
/// only filters were given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Relevance,
    Newest,
}

/// A piece of text with the byte ranges that matched the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
    /// The text starts (ends) inside the original, not at its start (end).
    pub cut_before: bool,
    pub cut_after: bool,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc_type: DocType,
    pub entity_id: i64,
    pub community_id: i64,
    pub kind: String,
    pub status: String,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// UTC milliseconds.
    pub date: i64,
    /// Thread id (replies), occurrence key (events), slug, handle.
    pub locator: String,
    /// The title with matched words marked (empty for replies).
    pub title: Snippet,
    /// A reply's thread title.
    pub context: String,
    pub snippet: Snippet,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Another page follows.
    pub has_more: bool,
    pub notice: Option<QueryNotice>,
    pub order: SortOrder,
}

impl SearchResults {
    fn empty(notice: QueryNotice) -> Self {
        Self { hits: Vec::new(), has_more: false, notice: Some(notice), order: SortOrder::Relevance }
    }
}

fn term_count(query: &dyn Query) -> usize {
    let mut count = 0;
    query.query_terms(&mut |_, _| count += 1);
    count
}

/// The words of a text, lowercased so `AND`/`OR`/`NOT` are words again.
fn plain_words(text: &str) -> String {
    text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect::<String>().to_lowercase()
}

fn cut_to_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn raw_term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

impl SearchIndex {
    /// Parses the text; `None` when it holds nothing to search for.
    fn text_query(&self, text: &str) -> (Option<Box<dyn Query>>, Option<QueryNotice>) {
        let parser = self.query_parser();
        let (query, errors) = parser.parse_query_lenient(text);
        if term_count(query.as_ref()) > 0 {
            return (Some(query), (!errors.is_empty()).then_some(QueryNotice::Simplified));
        }
        let words = plain_words(text);
        let (query, _) = parser.parse_query_lenient(&words);
        if term_count(query.as_ref()) > 0 {
            (Some(query), Some(QueryNotice::Simplified))
        } else {
            (None, Some(QueryNotice::NothingToSearch))
        }
    }

    fn filter_clauses(&self, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields();
        let mut clauses = Vec::new();
        if let Some(community) = filters.community {
            let term = Term::from_field_u64(f.community_id, community.max(0) as u64);
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(doc_type) = filters.doc_type {
            clauses.push(filter(raw_term(f.doc_type, doc_type.as_str())));
        }
        if let Some(kind) = &filters.kind {
            clauses.push(filter(raw_term(f.kind, kind)));
        }
        if let Some(tag) = &filters.tag {
            clauses.push(filter(raw_term(f.tag, tag)));
        }
        if let Some(author) = &filters.author {
            clauses.push(filter(raw_term(f.author, author)));
        }
        if filters.from.is_some() || filters.to.is_some() {
            let bound = |millis: Option<i64>, inclusive: bool| match millis {
                None => Bound::Unbounded,
                Some(m) => {
                    let term = Term::from_field_date(f.date, DateTime::from_timestamp_millis(m));
                    if inclusive { Bound::Included(term) } else { Bound::Excluded(term) }
                }
            };
            clauses.push(filter(Box::new(RangeQuery::new(bound(filters.from, true), bound(filters.to, false)))));
        }
        clauses
    }

    /// Runs a search on the last reloaded state of the index. CPU-bound:
    /// call it from a blocking thread.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let text = cut_to_chars(request.text.trim(), MAX_QUERY_CHARS);
        let filters = self.filter_clauses(&request.filters);
        let (text_query, mut notice) = if text.is_empty() { (None, None) } else { self.text_query(text) };
        let (query, order): (Box<dyn Query>, Order) = match text_query {
            None if !text.is_empty() => return Ok(SearchResults::empty(QueryNotice::NothingToSearch)),
            None if filters.is_empty() => return Ok(SearchResults::empty(QueryNotice::Empty)),
            None => {
                let mut clauses = filters;
                clauses.push((Occur::Must, Box::new(AllQuery)));
                (Box::new(BooleanQuery::new(clauses)), Order::DateDesc)
            }
            // The text query alone keeps Block-WAND pruning.
            Some(text_query) if filters.is_empty() => (text_query, Order::Score),
            Some(text_query) => {
                let mut clauses = filters;
                clauses.push((Occur::Must, text_query));
                (Box::new(BooleanQuery::new(clauses)), Order::Score)
            }
        };
        let offset = request.offset.min(MAX_OFFSET);
        let limit = request.limit.clamp(1, 100);
        let collector = VisibleTopDocs {
            allowed: Allowed {
                hidden_communities: request.visibility.hidden_communities.iter().map(|&id| id.max(0) as u64).collect(),
                people: request.visibility.people,
            },
            // One more than the page, to know whether another follows.
            k: offset + limit + 1,
            order,
        };
        let searcher = self.searcher();
        let ranked = searcher.search(query.as_ref(), &collector)?;
        let has_more = ranked.len() > offset + limit;
        let page: Vec<_> = ranked.into_iter().skip(offset).take(limit).collect();
        let highlighter = Highlighter::new(&searcher, query.as_ref(), self.fields())?;
        let mut hits = Vec::with_capacity(page.len());
        for ranked in page {
            let doc: TantivyDocument = searcher.doc(ranked.address)?;
            hits.push(highlighter.hit(&doc, ranked.key as f32));
        }
        if notice.is_none() && hits.is_empty() && text.is_empty() && request.filters.is_empty() {
            notice = Some(QueryNotice::Empty);
        }
        let order = if order == Order::Score { SortOrder::Relevance } else { SortOrder::Newest };
        Ok(SearchResults { hits, has_more, notice, order })
    }
}

/// Builds hits from stored documents, marking the query's words.
struct Highlighter {
    fields: Fields,
    title: SnippetGenerator,
    body: SnippetGenerator,
}

impl Highlighter {
    fn new(searcher: &Searcher, query: &dyn Query, fields: Fields) -> Result<Self, SearchError> {
        let mut title = SnippetGenerator::create(searcher, query, fields.title)?;
        title.set_max_num_chars(1_000);
        let mut body = SnippetGenerator::create(searcher, query, fields.body)?;
        body.set_max_num_chars(SNIPPET_CHARS);
        Ok(Self { fields, title, body })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let f = &self.fields;
        let title_text = stored_str(doc, f.title);
        let body_text = stored_str(doc, f.body);
        Hit {
            doc_type: DocType::parse(&stored_str(doc, f.doc_type)).unwrap_or(DocType::Thread),
            entity_id: doc.get_first(f.entity_id).and_then(|v| v.as_u64()).unwrap_or(0) as i64,
            community_id: doc.get_first(f.community_id).and_then(|v| v.as_u64()).unwrap_or(0) as i64,
            kind: stored_str(doc, f.kind),
            status: stored_str(doc, f.status),
            tags: doc.get_all(f.tag).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            author: doc.get_first(f.author).and_then(|v| v.as_str().map(str::to_string)),
            date: doc.get_first(f.date).and_then(|v| v.as_datetime()).map_or(0, |d| d.into_timestamp_millis()),
            locator: stored_str(doc, f.locator),
            title: whole_with_marks(&self.title, &title_text),
            context: stored_str(doc, f.context),
            snippet: snippet_of(&self.body, &body_text, SNIPPET_CHARS),
            score,
        }
    }
}

/// All of `text` (a title), with the query's words marked.
fn whole_with_marks(generator: &SnippetGenerator, text: &str) -> Snippet {
    let snippet = generator.snippet(text);
    let shift = snippet.fragment_range().start;
    let highlights: BTreeSet<(usize, usize)> =
        snippet.highlighted().iter().map(|r| (r.start + shift, r.end + shift)).collect();
    Snippet {
        text: text.to_string(),
        highlights: highlights.into_iter().map(|(start, end)| start..end).collect(),
        cut_before: false,
        cut_after: false,
    }
}

/// The best fragment of `text` with its matches; the start of the text
/// when nothing in it matched (a title-only match, say).
fn snippet_of(generator: &SnippetGenerator, text: &str, max_chars: usize) -> Snippet {
    let snippet = generator.snippet(text);
    if snippet.is_empty() || snippet.fragment().is_empty() {
        let head = cut_to_chars(text, max_chars);
        return Snippet {
            text: head.to_string(),
            highlights: Vec::new(),
            cut_before: false,
            cut_after: head.len() < text.len(),
        };
    }
    let range = snippet.fragment_range();
    let highlights: BTreeSet<(usize, usize)> = snippet.highlighted().iter().map(|r| (r.start, r.end)).collect();
    Snippet {
        text: snippet.fragment().to_string(),
        highlights: highlights.into_iter().map(|(start, end)| start..end).collect(),
        cut_before: range.start > 0,
        cut_after: range.end < text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::IndexOptions;

    #[test]
    fn broken_queries_fall_back_to_their_words_or_say_there_are_none() {
        let index = SearchIndex::open(&IndexOptions::default()).unwrap();
        for usable in ["rust", "rust async", "\"rust", "AND OR (", "foo:bar", "title:rust", "-rust"] {
            let (query, _) = index.text_query(usable);
            assert!(query.is_some(), "{usable:?} should search something");
        }
        assert_eq!(index.text_query("rust").1, None);
        assert_eq!(index.text_query("\"rust").1, Some(QueryNotice::Simplified));
        for nothing in ["*", "\"", "(((", "-", "+", ":", ""] {
            let (query, notice) = index.text_query(nothing);
            assert!(query.is_none(), "{nothing:?}");
            assert_eq!(notice, Some(QueryNotice::NothingToSearch), "{nothing:?}");
        }
    }

    #[test]
    fn an_empty_search_says_so() {
        let index = SearchIndex::open(&IndexOptions::default()).unwrap();
        let request = SearchRequest {
            text: "  ".into(),
            filters: Filters::default(),
            offset: 0,
            limit: 10,
            visibility: Visibility::default(),
        };
        assert_eq!(index.search(&request).unwrap().notice, Some(QueryNotice::Empty));
    }
}
