//! The top-k collector that applies visibility.
//!
//! It reads each candidate's `community_id` from the fast field and skips
//! documents the searcher may not see. Ranking by score, it drives the
//! query's `for_each_pruning` like tantivy's own top-docs collector, so
//! Block-WAND still skips blocks that cannot beat the k-th best visible
//! score; a filter clause in the query instead would turn the commonest
//! words into a full scan of their postings.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Which communities' documents a search may return.
#[derive(Debug, Clone, Default)]
pub(crate) struct Allowed {
    /// Community ids the searcher may not see.
    pub hidden_communities: HashSet<u64>,
    /// Whether people (community id 0) may be returned.
    pub people: bool,
}

impl Allowed {
    #[inline]
    fn admits(&self, community: Option<u64>) -> bool {
        match community {
            None => false,
            Some(0) => self.people,
            Some(id) => !self.hidden_communities.contains(&id),
        }
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Score,
    /// Newest first, by the `date` fast field (for filter-only searches).
    DateDesc,
}

/// One ranked candidate. The key is the score, or the date in milliseconds
/// (exact in an f64) when ordering by date; ties go to the lower address.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub key: f64,
    pub address: DocAddress,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.total_cmp(&other.key).then_with(|| other.address.cmp(&self.address))
    }
}

/// Keeps the best `k`; `threshold` is the k-th best key once full.
struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl TopK {
    fn new(k: usize) -> Self {
        Self { k, heap: BinaryHeap::with_capacity(k + 1) }
    }

    fn push(&mut self, ranked: Ranked) {
        if self.heap.len() < self.k {
            self.heap.push(Reverse(ranked));
        } else if let Some(Reverse(worst)) = self.heap.peek()
            && ranked > *worst
        {
            self.heap.pop();
            self.heap.push(Reverse(ranked));
        }
    }

    fn threshold(&self) -> Option<f64> {
        (self.heap.len() >= self.k).then(|| self.heap.peek().map(|r| r.0.key)).flatten()
    }

    fn into_sorted(self) -> Vec<Ranked> {
        let mut all: Vec<Ranked> = self.heap.into_iter().map(|r| r.0).collect();
        all.sort_by(|a, b| b.cmp(a));
        all
    }
}

/// The best `offset + limit` visible documents, best first.
pub(crate) struct VisibleTopDocs {
    pub allowed: Allowed,
    pub k: usize,
    pub order: Order,
}

pub(crate) struct SegmentTop;

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, _doc: DocId, _score: Score) {
        unreachable!("VisibleTopDocs collects whole segments itself")
    }

    fn harvest(self) -> Self::Fruit {
        Vec::new()
    }
}

impl Collector for VisibleTopDocs {
    type Fruit = Vec<Ranked>;
    type Child = SegmentTop;

    fn for_segment(&self, _segment: SegmentOrdinal, _reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop)
    }

    fn requires_scoring(&self) -> bool {
        self.order == Order::Score
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut top = TopK::new(self.k);
        for ranked in fruits.into_iter().flatten() {
            top.push(ranked);
        }
        Ok(top.into_sorted())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        if self.k == 0 {
            return Ok(Vec::new());
        }
        let community: Column<u64> = reader.fast_fields().u64("community_id")?;
        let alive = reader.alive_bitset();
        let visible =
            |doc: DocId| alive.is_none_or(|bits| bits.is_alive(doc)) && self.allowed.admits(community.first(doc));
        let mut top = TopK::new(self.k);
        match self.order {
            Order::Score => {
                // Block-WAND calls back only for documents scoring above the
                // threshold it was last given; skipping a document leaves the
                // threshold where it was.
                let mut threshold = Score::MIN;
                weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                    if visible(doc) {
                        top.push(Ranked { key: f64::from(score), address: DocAddress::new(segment, doc) });
                        if let Some(kth) = top.threshold() {
                            threshold = kth as Score;
                        }
                    }
                    threshold
                })?;
            }
            Order::DateDesc => {
                let date: Column<tantivy::DateTime> = reader.fast_fields().date("date")?;
                weight.for_each_no_score(reader, &mut |docs| {
                    for &doc in docs {
                        if visible(doc) {
                            let millis = date.first(doc).map_or(i64::MIN, |d| d.into_timestamp_millis());
                            top.push(Ranked { key: millis as f64, address: DocAddress::new(segment, doc) });
                        }
                    }
                })?;
            }
        }
        Ok(top.into_sorted())
    }
}
