//! copse's full-text search over threads, replies, artifacts, events,
//! communities and people, built on tantivy.
//!
//! The index is derived data. [`SearchIndex::catch_up`] follows the database
//! through its change feed (`changes`): for every changed entity it re-reads
//! the entity and replaces its documents, then commits with the last applied
//! sequence number as the commit's payload, so the index knows where it left
//! off after a restart. [`SearchIndex::rebuild`] (`copse reindex`) drops the
//! documents and reads everything again. Each process keeps its own index
//! directory (tantivy allows one writer per directory), which is what lets
//! several `copse serve` processes share one PostgreSQL.
//!
//! Visibility is applied when searching, never when indexing: every document
//! carries its community's id (0 for people), and the collector skips
//! documents of communities the searcher may not see ([`Visibility`]), so a
//! community turned private, or a membership ended, takes effect at once.
//! The check sits in the collector rather than in the query so that the
//! commonest words keep tantivy's Block-WAND top-k pruning.
//!
//! This crate knows nothing of HTTP; `copse-app` decides who may see what.

mod collector;
mod documents;
mod error;
mod indexer;
mod query;
mod schema;
mod text;

pub use documents::{
    DocType, SearchDocument, artifact_document, community_document, event_document, person_document, post_document,
    thread_document,
};
pub use error::SearchError;
pub use indexer::{IndexOptions, RebuildProgress, SearchIndex};
pub use query::{
    Filters, Hit, MAX_OFFSET, MAX_QUERY_CHARS, QueryNotice, SearchRequest, SearchResults, Snippet, SortOrder,
    Visibility,
};
pub use schema::Fields;
pub use text::markdown_to_text;
