//! The index, its writer, and the indexer that follows the change feed.
//!
//! Sequence numbers can commit out of order on PostgreSQL (a transaction
//! that took seq 10 may commit after one that took seq 11), so the indexer
//! keeps two marks: `high`, the largest seq applied, and `safe`, below which
//! nothing can still appear. Gaps between them are remembered as holes and
//! looked at again on each catch-up until they fill or are older than
//! [`HOLE_TIMEOUT`] (a rolled-back transaction leaves a hole forever). The
//! commit payload stores `safe`, so after a restart the indexer re-reads
//! from there; applying a change twice is harmless because every change is
//! applied by re-reading the entity's current state.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use copse_store::{ChangeRow, Store};
use tantivy::directory::MmapDirectory;
use tantivy::query::QueryParser;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::documents::{
    DocType, SearchDocument, artifact_document, community_document, event_document, key, person_document,
    post_document, thread_document, thread_group,
};
use crate::error::SearchError;
use crate::schema::{Fields, SCHEMA_VERSION};

/// Changes read and applied per commit.
const CHANGE_BATCH: i64 = 5_000;
/// Rows read per query during a rebuild.
const REBUILD_BATCH: i64 = 2_000;
/// A hole in the change feed older than this is taken to be a rolled-back
/// transaction.
const HOLE_TIMEOUT: Duration = Duration::from_secs(60);
/// After a rebuild, this many earlier changes are checked for holes.
const REBUILD_OVERLAP: i64 = 1_000;
const PAYLOAD_PREFIX: &str = "copse-search";

/// Where the index lives and how hard its writer works.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// `None`: in memory (tests).
    pub directory: Option<PathBuf>,
    pub writer_threads: usize,
    /// Bytes of indexing memory for all threads together.
    pub writer_memory: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self { directory: None, writer_threads: 1, writer_memory: 32 * 1024 * 1024 }
    }
}

/// Where a rebuild is.
#[derive(Debug, Clone, Copy)]
pub struct RebuildProgress {
    pub doc_type: DocType,
    /// Documents added so far, all kinds together.
    pub documents: u64,
    /// Rows to read in all (an estimate: hidden rows are skipped).
    pub total: u64,
}

#[derive(Debug, Default)]
struct Marks {
    safe: i64,
    high: i64,
    /// Missing seqs between `safe` and `high`, with when they were first seen.
    holes: BTreeMap<i64, Instant>,
    /// The index predates this schema or was never built: rebuild first.
    needs_rebuild: bool,
}

struct Inner {
    fields: Fields,
    reader: IndexReader,
    writer: Arc<Mutex<IndexWriter>>,
    parser: QueryParser,
    marks: Mutex<Marks>,
    /// One catch-up or rebuild at a time: each re-reads the database, and
    /// an older read must never be applied after a newer one.
    updating: tokio::sync::Mutex<()>,
}

/// The search index of one process. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("safe_seq", &self.safe_seq()).finish_non_exhaustive()
    }
}

fn parse_payload(payload: Option<&str>) -> Option<i64> {
    let rest = payload?.strip_prefix(PAYLOAD_PREFIX)?.trim_start();
    let (version, seq) = rest.split_once(' ')?;
    (version.strip_prefix('v')?.parse::<u32>().ok()? == SCHEMA_VERSION).then_some(())?;
    seq.strip_prefix("seq=")?.parse().ok()
}

fn payload(seq: i64) -> String {
    format!("{PAYLOAD_PREFIX} v{SCHEMA_VERSION} seq={seq}")
}

fn open_directory(path: &Path, schema: &Schema) -> Result<(Index, Option<i64>), SearchError> {
    std::fs::create_dir_all(path).map_err(|e| SearchError::Directory(format!("{}: {e}", path.display())))?;
    let exists = Index::exists(&MmapDirectory::open(path)?).map_err(|e| SearchError::Directory(e.to_string()))?;
    if exists {
        let index = Index::open_in_dir(path)?;
        let seq = parse_payload(index.load_metas()?.payload.as_deref());
        if Fields::of(&index.schema()).is_some() && seq.is_some() {
            return Ok((index, seq));
        }
        // Another schema version, or a build that never finished: start over.
        drop(index);
        tracing::info!(path = %path.display(), "search index is from another version; rebuilding it");
        std::fs::remove_dir_all(path).map_err(|e| SearchError::Directory(format!("{}: {e}", path.display())))?;
        std::fs::create_dir_all(path).map_err(|e| SearchError::Directory(format!("{}: {e}", path.display())))?;
    }
    Ok((Index::create_in_dir(path, schema.clone())?, None))
}

impl SearchIndex {
    /// Opens (or creates) the index. An index that is new, from another
    /// schema version or never finished is rebuilt by the first catch-up.
    pub fn open(options: &IndexOptions) -> Result<Self, SearchError> {
        let (schema, fields) = Fields::schema();
        let (index, seq) = match &options.directory {
            None => (Index::create_in_ram(schema), None),
            Some(path) => open_directory(path, &schema)?,
        };
        let writer: IndexWriter = index
            .writer_with_num_threads(options.writer_threads.max(1), options.writer_memory)
            .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Directory(format!(
                "the search index at {} is in use by another copse process; each process needs its own \
                         search_index_dir",
                options.directory.as_deref().unwrap_or(Path::new("(memory)")).display()
            )),
            other => SearchError::Index(other),
        })?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.context, fields.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.5);
        parser.set_field_boost(fields.context, 0.5);
        let marks = Marks {
            safe: seq.unwrap_or(0),
            high: seq.unwrap_or(0),
            holes: BTreeMap::new(),
            needs_rebuild: seq.is_none(),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                fields,
                reader,
                writer: Arc::new(Mutex::new(writer)),
                parser,
                marks: Mutex::new(marks),
                updating: tokio::sync::Mutex::new(()),
            }),
        })
    }

    pub fn fields(&self) -> Fields {
        self.inner.fields
    }

    pub(crate) fn query_parser(&self) -> &QueryParser {
        &self.inner.parser
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.inner.reader.searcher()
    }

    fn marks(&self) -> MutexGuard<'_, Marks> {
        self.inner.marks.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The seq below which every change is in the index (what the last
    /// commit recorded).
    pub fn safe_seq(&self) -> i64 {
        self.marks().safe
    }

    /// The largest seq applied.
    pub fn applied_seq(&self) -> i64 {
        self.marks().high
    }

    /// Whether the database has changes the index has not applied: one
    /// cheap query (`max(seq)`), for read-your-writes before a search.
    pub async fn is_behind(&self, store: &Store) -> Result<bool, SearchError> {
        // Holes are looked at by the background catch-up; a search waits
        // only for changes newer than any applied.
        let (high, rebuild) = {
            let marks = self.marks();
            (marks.high, marks.needs_rebuild)
        };
        Ok(rebuild || store.max_change_seq().await? > high)
    }

    /// The number of documents in the last reloaded state.
    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Applies every change since the last one applied (rebuilding first if
    /// the index is new), commits, and makes the result searchable. Returns
    /// the number of changes applied.
    pub async fn catch_up(&self, store: &Store) -> Result<usize, SearchError> {
        let _one_at_a_time = self.inner.updating.lock().await;
        if self.marks().needs_rebuild {
            self.rebuild_locked(store, &mut |_| {}).await?;
        }
        let mut applied = 0;
        loop {
            let mut fresh = self.filled_holes(store).await?;
            let high = self.marks().high;
            let changes = store.list_changes_after(high, CHANGE_BATCH).await?;
            self.note_new(&changes, high);
            fresh.extend(changes.iter().cloned());
            let mut seen: HashSet<(&str, i64)> = HashSet::new();
            for change in &fresh {
                if seen.insert((change.entity.as_str(), change.entity_id)) {
                    self.apply(store, change).await?;
                }
            }
            applied += fresh.len();
            let (safe, moved) = {
                let mut marks = self.marks();
                let now = Instant::now();
                marks.holes.retain(|_, first_seen| now.duration_since(*first_seen) < HOLE_TIMEOUT);
                let before = marks.safe;
                marks.safe = marks.holes.keys().next().map_or(marks.high, |first| first - 1).max(before);
                (marks.safe, marks.safe != before)
            };
            if moved || !fresh.is_empty() {
                self.commit(safe).await?;
            }
            if (changes.len() as i64) < CHANGE_BATCH {
                break;
            }
        }
        Ok(applied)
    }

    /// Changes that have appeared where the feed had holes.
    async fn filled_holes(&self, store: &Store) -> Result<Vec<ChangeRow>, SearchError> {
        let window = {
            let marks = self.marks();
            marks.holes.keys().next().zip(marks.holes.keys().next_back()).map(|(&a, &b)| (a, b))
        };
        let Some((first, last)) = window else { return Ok(Vec::new()) };
        let rows = store.list_changes_after(first - 1, (last - first + 1).min(CHANGE_BATCH)).await?;
        let mut marks = self.marks();
        Ok(rows.into_iter().filter(|change| marks.holes.remove(&change.seq).is_some()).collect())
    }

    /// Records new changes read after `high`: gaps become holes.
    fn note_new(&self, changes: &[ChangeRow], high: i64) {
        let mut marks = self.marks();
        let now = Instant::now();
        let mut expected = high + 1;
        for change in changes {
            for missing in expected..change.seq {
                marks.holes.entry(missing).or_insert(now);
            }
            expected = change.seq + 1;
        }
        if let Some(last) = changes.last() {
            marks.high = marks.high.max(last.seq);
        }
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        self.inner.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn delete(&self, field: tantivy::schema::Field, value: &str) {
        self.writer().delete_term(Term::from_field_text(field, value));
    }

    /// Adds documents (the caller has deleted any earlier versions).
    pub fn add(&self, documents: impl IntoIterator<Item = SearchDocument>) -> Result<(), SearchError> {
        let fields = self.inner.fields;
        let docs: Vec<TantivyDocument> = documents.into_iter().map(|d| d.to_tantivy(&fields)).collect();
        let writer = self.writer();
        for doc in docs {
            writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Re-reads one changed entity and replaces its documents.
    async fn apply(&self, store: &Store, change: &ChangeRow) -> Result<(), SearchError> {
        let fields = self.inner.fields;
        let id = change.entity_id;
        match change.entity.as_str() {
            "thread" => {
                // A move, rename, retag or hiding touches every reply too.
                self.delete(fields.group, &thread_group(id));
                if let Some(thread) = store.find_thread_doc(id).await?
                    && thread.hidden == 0
                {
                    let replies = store.list_thread_reply_docs(id).await?;
                    self.add(std::iter::once(thread_document(&thread)).chain(replies.iter().map(post_document)))?;
                }
            }
            "post" => {
                self.delete(fields.key, &key(DocType::Post, id));
                if let Some(post) = store.find_post_doc(id).await? {
                    if post.opening != 0 {
                        self.delete(fields.key, &key(DocType::Thread, post.thread_id));
                        if let Some(thread) = store.find_thread_doc(post.thread_id).await?
                            && thread.hidden == 0
                        {
                            self.add([thread_document(&thread)])?;
                        }
                    } else if post.hidden == 0 {
                        self.add([post_document(&post)])?;
                    }
                }
            }
            "artifact" => {
                self.delete(fields.key, &key(DocType::Artifact, id));
                if let Some(row) = store.find_artifact_doc(id).await? {
                    self.add([artifact_document(&row)])?;
                }
            }
            "event" => {
                self.delete(fields.key, &key(DocType::Event, id));
                if let Some(row) = store.find_event_doc(id).await? {
                    self.add([event_document(&row)])?;
                }
            }
            "community" => {
                self.delete(fields.key, &key(DocType::Community, id));
                if let Some(row) = store.find_community_doc(id).await? {
                    self.add([community_document(&row)])?;
                }
            }
            "person" => {
                self.delete(fields.key, &key(DocType::Person, id));
                if let Some(row) = store.find_person_doc(id).await? {
                    self.add([person_document(&row)])?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Commits what was added with `safe` as the payload, on a blocking
    /// thread (a commit writes and syncs files), and reloads the reader.
    pub async fn commit(&self, safe: i64) -> Result<(), SearchError> {
        let writer = Arc::clone(&self.inner.writer);
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
            let mut writer = writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload(safe));
            prepared.commit()?;
            drop(writer);
            inner.reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?
    }

    /// Merges the index into one segment, which makes searches faster after
    /// a bulk load; the commit payload is kept. Waits for the merge.
    pub async fn merge_segments(&self) -> Result<(), SearchError> {
        let writer = Arc::clone(&self.inner.writer);
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
            let mut writer = writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                // A merge the merge policy started already may hold some of
                // the segments; then the index stays as it is, still correct.
                if let Err(error) = writer.merge(&segments).wait() {
                    tracing::info!(%error, "search index not merged into one segment");
                }
            }
            drop(writer);
            inner.reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?
    }

    /// Drops every document and reads everything from the database again.
    /// Returns the number of documents indexed.
    pub async fn rebuild(
        &self,
        store: &Store,
        progress: &mut (dyn FnMut(RebuildProgress) + Send),
    ) -> Result<u64, SearchError> {
        let _one_at_a_time = self.inner.updating.lock().await;
        self.rebuild_locked(store, progress).await
    }

    async fn rebuild_locked(
        &self,
        store: &Store,
        progress: &mut (dyn FnMut(RebuildProgress) + Send),
    ) -> Result<u64, SearchError> {
        // Whatever changes after this seq is applied by the next catch-up.
        let start = store.max_change_seq().await?;
        let total = store.count_search_sources().await?.max(0) as u64;
        self.writer().delete_all_documents()?;
        let mut documents = 0_u64;
        macro_rules! load {
            ($doc_type:expr, $list:ident, $build:ident) => {{
                let mut after = 0;
                loop {
                    let rows = store.$list(after, REBUILD_BATCH).await?;
                    let Some(last) = rows.last() else { break };
                    after = last.id;
                    documents += rows.len() as u64;
                    self.add(rows.iter().map($build))?;
                    progress(RebuildProgress { doc_type: $doc_type, documents, total });
                    if (rows.len() as i64) < REBUILD_BATCH {
                        break;
                    }
                }
            }};
        }
        load!(DocType::Community, list_community_docs_after, community_document);
        load!(DocType::Person, list_person_docs_after, person_document);
        load!(DocType::Event, list_event_docs_after, event_document);
        load!(DocType::Artifact, list_artifact_docs_after, artifact_document);
        load!(DocType::Thread, list_thread_docs_after, thread_document);
        load!(DocType::Post, list_reply_docs_after, post_document);
        // Transactions that took a seq below `start` may not have committed
        // yet: treat the gaps just below it as holes to look at again.
        let overlap = store.list_changes_after((start - REBUILD_OVERLAP).max(0), REBUILD_OVERLAP).await?;
        let present: HashSet<i64> = overlap.iter().map(|c| c.seq).collect();
        let first = (start - REBUILD_OVERLAP).max(0) + 1;
        let now = Instant::now();
        let holes: BTreeMap<i64, Instant> =
            (first..=start).filter(|seq| !present.contains(seq)).map(|seq| (seq, now)).collect();
        let safe = holes.keys().next().map_or(start, |first| first - 1);
        self.commit(safe).await?;
        self.merge_segments().await?;
        *self.marks() = Marks { safe, high: start, holes, needs_rebuild: false };
        Ok(documents)
    }
}
