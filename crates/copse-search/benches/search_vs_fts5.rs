//! copse's search (tantivy) beside SQLite FTS5 on the same synthetic corpus,
//! in the same run.
//!
//! `cargo bench -p copse-search --bench search_vs_fts5`; `COPSE_BENCH_POSTS`
//! sets the corpus size (default 1,000,000), `COPSE_BENCH_ITERATIONS` the
//! timed searches per query class (default 300).
//!
//! The corpus is deterministic: posts of 60 to 120 words drawn from a
//! technical vocabulary with a Zipf distribution (s = 1.05), so there is one
//! clear commonest word ("the", in almost every post) and a long tail of rare
//! ones. Posts belong to 200 communities, 10 of them private.
//!
//! Both sides return the top 10 with a highlighted snippet:
//! - tantivy through copse's own code: [`SearchIndex::add`], `commit`,
//!   `merge_segments`, and [`SearchIndex::search`] with the visibility of an
//!   outsider to the private communities (the collector skips them);
//! - FTS5: `SELECT rowid, snippet(...) FROM fts WHERE fts MATCH ? ORDER BY
//!   rank LIMIT 10`, with no visibility filter at all (in FTS5's favour).

use std::time::{Duration, Instant};

use copse_search::{DocType, Filters, IndexOptions, SearchDocument, SearchIndex, SearchRequest, Visibility};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

const COMMUNITIES: u64 = 200;
const PRIVATE_COMMUNITIES: i64 = 10;
const VOCABULARY: usize = 60_000;
const ZIPF_S: f64 = 1.05;

/// Common words first, roughly by how often technical writing uses them.
const BASE_WORDS: &[&str] = &[
    "the",
    "to",
    "and",
    "of",
    "a",
    "in",
    "is",
    "it",
    "for",
    "we",
    "that",
    "this",
    "on",
    "with",
    "be",
    "not",
    "can",
    "if",
    "you",
    "are",
    "as",
    "but",
    "have",
    "from",
    "or",
    "at",
    "so",
    "when",
    "test",
    "build",
    "code",
    "use",
    "change",
    "run",
    "error",
    "service",
    "deploy",
    "data",
    "team",
    "review",
    "release",
    "config",
    "issue",
    "api",
    "server",
    "database",
    "query",
    "cache",
    "request",
    "version",
    "branch",
    "merge",
    "pipeline",
    "latency",
    "memory",
    "thread",
    "process",
    "queue",
    "message",
    "schema",
    "index",
    "migration",
    "cluster",
    "node",
    "container",
    "image",
    "network",
    "timeout",
    "retry",
    "log",
    "metric",
    "alert",
    "dashboard",
    "incident",
    "rollback",
    "feature",
    "flag",
    "library",
    "dependency",
    "upgrade",
    "performance",
    "benchmark",
    "profile",
    "security",
    "token",
    "secret",
    "certificate",
    "proxy",
    "load",
    "balancer",
    "storage",
    "disk",
    "backup",
    "restore",
    "replica",
    "shard",
    "partition",
    "transaction",
    "lock",
    "deadlock",
    "race",
    "async",
    "await",
    "compile",
    "linker",
    "warning",
    "lint",
    "format",
    "style",
    "guide",
    "standard",
    "checklist",
    "runbook",
    "decision",
    "architecture",
    "design",
    "document",
    "pattern",
    "interface",
    "module",
    "crate",
    "package",
    "function",
    "method",
    "struct",
    "trait",
    "generic",
    "macro",
    "closure",
    "iterator",
    "stream",
    "future",
    "runtime",
    "scheduler",
    "worker",
    "job",
    "cron",
    "batch",
    "event",
    "handler",
    "callback",
    "hook",
    "plugin",
    "frontend",
    "backend",
    "browser",
    "render",
    "layout",
    "component",
    "state",
    "store",
    "reducer",
    "router",
    "endpoint",
    "payload",
    "header",
    "cookie",
    "session",
    "auth",
    "oauth",
    "permission",
    "role",
    "audit",
    "kubernetes",
    "terraform",
    "ansible",
    "docker",
    "helm",
    "grafana",
    "prometheus",
    "postgres",
    "sqlite",
    "redis",
    "kafka",
    "rabbitmq",
    "nginx",
    "envoy",
    "istio",
    "rust",
    "python",
    "java",
    "golang",
    "typescript",
    "flaky",
    "regression",
    "coverage",
    "fixture",
    "mock",
    "stub",
    "snapshot",
    "property",
    "fuzzing",
    "mutation",
    "observability",
    "tracing",
    "span",
    "sampling",
    "histogram",
    "percentile",
    "quantile",
    "throughput",
];

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The vocabulary: the base words, then made-up technical-looking words
/// (`kubelator`, `zorvex`...) for the long tail.
fn vocabulary() -> Vec<String> {
    let syllables = [
        "ka", "lo", "mi", "ne", "ro", "ta", "vi", "zu", "pex", "tor", "lat", "dex", "gri", "mon", "sul", "bar", "qui",
        "fen", "hol", "jas", "wix", "yor", "cal", "dru",
    ];
    let mut words: Vec<String> = BASE_WORDS.iter().map(|w| w.to_string()).collect();
    let mut rng = Rng(7);
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    while words.len() < VOCABULARY {
        let parts = 2 + rng.below(3);
        let word: String = (0..parts).map(|_| syllables[rng.below(syllables.len() as u64) as usize]).collect();
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

/// Cumulative Zipf weights over ranks 1..=n.
fn zipf_cdf(n: usize) -> Vec<f64> {
    let mut total = 0.0;
    let mut cdf = Vec::with_capacity(n);
    for rank in 1..=n {
        total += 1.0 / (rank as f64).powf(ZIPF_S);
        cdf.push(total);
    }
    cdf.iter().map(|c| c / total).collect()
}

struct Corpus {
    words: Vec<String>,
    titles: Vec<String>,
    bodies: Vec<String>,
    communities: Vec<i64>,
    /// How many posts each word occurs in.
    doc_freq: Vec<u32>,
}

fn corpus(posts: usize) -> Corpus {
    let words = vocabulary();
    let cdf = zipf_cdf(words.len());
    let mut rng = Rng(42);
    let mut titles = Vec::with_capacity(posts);
    let mut bodies = Vec::with_capacity(posts);
    let mut communities = Vec::with_capacity(posts);
    let mut doc_freq = vec![0_u32; words.len()];
    let mut last_seen = vec![usize::MAX; words.len()];
    let draw = |rng: &mut Rng| {
        let u = rng.unit();
        cdf.partition_point(|&c| c < u).min(words.len() - 1)
    };
    for post in 0..posts {
        let length = 60 + rng.below(61) as usize;
        let mut body = String::with_capacity(length * 8);
        for i in 0..length {
            let w = draw(&mut rng);
            if last_seen[w] != post {
                last_seen[w] = post;
                doc_freq[w] += 1;
            }
            if i > 0 {
                body.push_str(if i % 14 == 0 { ". " } else { " " });
            }
            body.push_str(&words[w]);
        }
        body.push('.');
        // Titles are short and lean on the mid-frequency words.
        let title: Vec<&str> = (0..6).map(|_| words[30 + rng.below(400) as usize].as_str()).collect();
        titles.push(title.join(" "));
        bodies.push(body);
        communities.push(1 + rng.below(COMMUNITIES) as i64);
    }
    Corpus { words, titles, bodies, communities, doc_freq }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Class {
    name: &'static str,
    queries: Vec<String>,
}

fn query_classes(c: &Corpus) -> Vec<Class> {
    // Rare: occurs in 20 to 200 posts per million.
    let scale = c.bodies.len() as f64 / 1_000_000.0;
    let (low, high) = ((20.0 * scale).max(3.0) as u32, (200.0 * scale).max(10.0) as u32);
    let rare: Vec<String> = (BASE_WORDS.len()..c.words.len())
        .filter(|&w| (low..=high).contains(&c.doc_freq[w]))
        .step_by(97)
        .take(10)
        .map(|w| c.words[w].clone())
        .collect();
    // Two terms: pairs of real words of middling frequency.
    let two: Vec<String> = (0..10).map(|i| format!("{} {}", BASE_WORDS[40 + i * 7], BASE_WORDS[45 + i * 11])).collect();
    let commonest = (0..c.words.len()).max_by_key(|&w| c.doc_freq[w]).map(|w| c.words[w].clone()).unwrap_or_default();
    vec![
        Class { name: "rare term", queries: rare },
        Class { name: "two terms", queries: two },
        Class { name: "commonest word", queries: vec![commonest] },
    ]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let posts: usize = std::env::var("COPSE_BENCH_POSTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let iterations: usize = std::env::var("COPSE_BENCH_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let dir = std::env::temp_dir().join(format!("copse-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    eprintln!("generating {posts} posts ...");
    let started = Instant::now();
    let c = corpus(posts);
    let words: u64 = c.bodies.iter().map(|b| b.split(' ').count() as u64).sum();
    eprintln!(
        "generated in {:.1} s: {} words, {:.0} MB of text",
        started.elapsed().as_secs_f64(),
        words,
        c.bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6
    );

    // --- tantivy, through copse's code ---
    let index = SearchIndex::open(&IndexOptions {
        directory: Some(dir.join("tantivy")),
        writer_threads: 2,
        writer_memory: 1024 * 1024 * 1024,
    })
    .expect("open index");
    let started = Instant::now();
    const CHUNK: usize = 10_000;
    for start in (0..posts).step_by(CHUNK) {
        let docs = (start..(start + CHUNK).min(posts)).map(|i| SearchDocument {
            doc_type: DocType::Post,
            entity_id: i as i64 + 1,
            group: format!("thread:{}", i / 10 + 1),
            community_id: c.communities[i],
            kind: "discussion".into(),
            status: String::new(),
            tags: Vec::new(),
            author: Some(format!("person{}", i % 5_000)),
            date: 1_700_000_000_000 + i as i64 * 1_000,
            locator: (i / 10 + 1).to_string(),
            title: String::new(),
            context: c.titles[i].clone(),
            body: c.bodies[i].clone(),
        });
        index.add(docs).expect("add");
    }
    index.commit(1).await.expect("commit");
    let tantivy_index_time = started.elapsed();
    let started = Instant::now();
    index.merge_segments().await.expect("merge");
    let tantivy_merge_time = started.elapsed();
    let tantivy_size = dir_size(&dir.join("tantivy"));
    eprintln!(
        "tantivy: indexed in {:.1} s ({:.0} docs/s), merged in {:.1} s, {:.0} MB",
        tantivy_index_time.as_secs_f64(),
        posts as f64 / tantivy_index_time.as_secs_f64(),
        tantivy_merge_time.as_secs_f64(),
        tantivy_size as f64 / 1e6
    );

    // --- SQLite FTS5 ---
    let options = SqliteConnectOptions::new()
        .filename(dir.join("fts5.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-262144");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("open sqlite");
    sqlx::query("CREATE VIRTUAL TABLE fts USING fts5(title, body)").execute(&pool).await.expect("fts5 available");
    let started = Instant::now();
    for start in (0..posts).step_by(CHUNK) {
        let mut tx = pool.begin().await.expect("begin");
        for i in start..(start + CHUNK).min(posts) {
            sqlx::query("INSERT INTO fts (rowid, title, body) VALUES ($1, $2, $3)")
                .bind(i as i64 + 1)
                .bind(&c.titles[i])
                .bind(&c.bodies[i])
                .execute(&mut *tx)
                .await
                .expect("insert");
        }
        tx.commit().await.expect("commit");
    }
    let fts_index_time = started.elapsed();
    let started = Instant::now();
    sqlx::query("INSERT INTO fts (fts) VALUES ('optimize')").execute(&pool).await.expect("optimize");
    let fts_merge_time = started.elapsed();
    let fts_size = std::fs::metadata(dir.join("fts5.db")).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "fts5: indexed in {:.1} s ({:.0} docs/s), optimized in {:.1} s, {:.0} MB",
        fts_index_time.as_secs_f64(),
        posts as f64 / fts_index_time.as_secs_f64(),
        fts_merge_time.as_secs_f64(),
        fts_size as f64 / 1e6
    );

    let visibility = Visibility { hidden_communities: (1..=PRIVATE_COMMUNITIES).collect(), people: true };
    let classes = query_classes(&c);
    println!();
    println!(
        "copse search benchmark: {posts} posts, {words} words; top 10 with snippets; {iterations} searches per class"
    );
    println!(
        "indexing: tantivy {:.0} docs/s ({:.1} s + {:.1} s merge, {:.0} MB) | FTS5 {:.0} docs/s ({:.1} s + {:.1} s optimize, {:.0} MB)",
        posts as f64 / tantivy_index_time.as_secs_f64(),
        tantivy_index_time.as_secs_f64(),
        tantivy_merge_time.as_secs_f64(),
        tantivy_size as f64 / 1e6,
        posts as f64 / fts_index_time.as_secs_f64(),
        fts_index_time.as_secs_f64(),
        fts_merge_time.as_secs_f64(),
        fts_size as f64 / 1e6
    );
    println!();
    println!(
        "{:<16} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9}  queries",
        "class", "tantivy p50", "tantivy p99", "FTS5 p50", "FTS5 p99", "x p50", "x p99"
    );
    for class in &classes {
        let mut tantivy_times = Vec::with_capacity(iterations);
        let mut fts_times = Vec::with_capacity(iterations);
        let mut tantivy_hits = 0;
        let mut fts_hits = 0;
        // Warm both (page cache, first-use allocations).
        for q in &class.queries {
            search_tantivy(&index, q, &visibility);
            search_fts(&pool, q).await;
        }
        for i in 0..iterations {
            let q = &class.queries[i % class.queries.len()];
            let started = Instant::now();
            tantivy_hits += search_tantivy(&index, q, &visibility);
            tantivy_times.push(started.elapsed());
            let started = Instant::now();
            fts_hits += search_fts(&pool, q).await;
            fts_times.push(started.elapsed());
        }
        tantivy_times.sort();
        fts_times.sort();
        let (t50, t99) = (percentile(&tantivy_times, 50.0), percentile(&tantivy_times, 99.0));
        let (f50, f99) = (percentile(&fts_times, 50.0), percentile(&fts_times, 99.0));
        println!(
            "{:<16} {:>9.2} ms {:>9.2} ms {:>9.2} ms {:>9.2} ms {:>8.1}x {:>8.1}x  {} (avg hits {:.1} / {:.1})",
            class.name,
            ms(t50),
            ms(t99),
            ms(f50),
            ms(f99),
            ms(f50) / ms(t50).max(1e-6),
            ms(f99) / ms(t99).max(1e-6),
            class.queries.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
                + if class.queries.len() > 4 { ", ..." } else { "" },
            tantivy_hits as f64 / iterations as f64,
            fts_hits as f64 / iterations as f64,
        );
    }
    let commonest = &classes[2].queries[0];
    let share = c.doc_freq[c.words.iter().position(|w| w == commonest).unwrap_or(0)] as f64 / posts as f64;
    println!();
    println!("the commonest word \"{commonest}\" occurs in {:.0}% of posts", share * 100.0);
    pool.close().await;
    drop(index);
    std::fs::remove_dir_all(&dir).ok();
}

fn search_tantivy(index: &SearchIndex, q: &str, visibility: &Visibility) -> usize {
    let request = SearchRequest {
        text: q.to_string(),
        filters: Filters::default(),
        offset: 0,
        limit: 10,
        visibility: visibility.clone(),
    };
    let results = index.search(&request).expect("search");
    assert!(results.hits.iter().all(|h| h.community_id > PRIVATE_COMMUNITIES), "visibility holds");
    results.hits.iter().filter(|h| !h.snippet.text.is_empty()).count()
}

async fn search_fts(pool: &sqlx::SqlitePool, q: &str) -> usize {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT rowid, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts WHERE fts MATCH $1 ORDER BY rank LIMIT 10",
    )
    .bind(q)
    .fetch_all(pool)
    .await
    .expect("fts query");
    rows.len()
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}
