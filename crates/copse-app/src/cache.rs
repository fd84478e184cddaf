//! Small in-process caches for hot read paths. Each entry remembers the
//! database version it was built from, and readers compare it with the
//! version they fetched anyway (one indexed row), so a change made through any
//! process is seen at once. Entries also expire, because some of what they
//! hold (participation levels) drifts with time alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A cached value with the version it was built from and when.
type Entry<V> = (i64, Arc<V>, Instant);

/// A bounded map from key to (version, value, built at).
pub(crate) struct VersionedCache<V> {
    entries: Mutex<HashMap<i64, Entry<V>>>,
    max_entries: usize,
    ttl: Duration,
}

impl<V> VersionedCache<V> {
    pub(crate) fn new(max_entries: usize, ttl: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::new()), max_entries, ttl }
    }

    pub(crate) fn get(&self, key: i64, version: i64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let (v, value, at) = entries.get(&key)?;
        (*v == version && at.elapsed() < self.ttl).then(|| value.clone())
    }

    pub(crate) fn put(&self, key: i64, version: i64, value: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.max_entries {
                // Crude but bounded: start over rather than track recency.
                entries.clear();
            }
            entries.insert(key, (version, value, Instant::now()));
        }
    }
}

/// A single value rebuilt after a fixed time (filter lists and the like).
pub(crate) struct TimedValue<V> {
    slot: Mutex<Option<(Arc<V>, Instant)>>,
    ttl: Duration,
}

impl<V> TimedValue<V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self { slot: Mutex::new(None), ttl }
    }

    pub(crate) fn get(&self) -> Option<Arc<V>> {
        let slot = self.slot.lock().ok()?;
        slot.as_ref().filter(|(_, at)| at.elapsed() < self.ttl).map(|(v, _)| v.clone())
    }

    pub(crate) fn put(&self, value: Arc<V>) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((value, Instant::now()));
        }
    }
}

pub(crate) struct Caches {
    pub(crate) community_pages: VersionedCache<crate::communities::CommunityShared>,
    pub(crate) directory_filters: TimedValue<(Vec<String>, Vec<String>)>,
    /// The first page of a thread's posts with reaction counts, by thread
    /// (and whether hidden posts are included), checked against `threads.version`.
    pub(crate) thread_posts: VersionedCache<crate::discussions::CachedPosts>,
    /// A community's computed metrics, diagnosis and stage evidence, checked
    /// against `communities.version` combined with `insight_state.version`
    /// (bumped by the rollup triggers), so the health page is served from
    /// memory until something it reads changes; a minute's lifetime because
    /// the figures drift with time alone.
    pub(crate) insight: VersionedCache<crate::insight::ComputedInsight>,
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            community_pages: VersionedCache::new(2048, Duration::from_secs(60)),
            directory_filters: TimedValue::new(Duration::from_secs(60)),
            thread_posts: VersionedCache::new(512, Duration::from_secs(300)),
            insight: VersionedCache::new(512, Duration::from_secs(60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_version_misses_and_entries_expire() {
        let cache = VersionedCache::new(2, Duration::from_millis(50));
        cache.put(1, 7, Arc::new("page"));
        assert!(cache.get(1, 7).is_some());
        assert!(cache.get(1, 8).is_none(), "a changed community is rebuilt");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get(1, 7).is_none(), "old entries expire");
        cache.put(1, 1, Arc::new("a"));
        cache.put(2, 1, Arc::new("b"));
        cache.put(3, 1, Arc::new("c"));
        assert!(cache.get(3, 1).is_some());
        assert!(cache.get(1, 1).is_none(), "the cache stays bounded");
    }
}
