//! `copse import` as an administrator runs it, on SQLite files in a
//! temporary directory: clear refusals for a wrong source, path or
//! community; and an import killed with SIGKILL in the middle of loading,
//! which must leave a consistent database and finish when run again with
//! exactly what a clean import of the same dump gives.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

fn copse(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copse"));
    command
        .current_dir(dir)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .env("COPSE_LOG", "warn")
        .env("COPSE_NEW_PASSWORD", "correct horse battery");
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    copse(dir).args(args).output().expect("copse runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copse-import-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

/// A database with an administrator "ada" and a community "stats" she
/// facilitates, made with the CLI.
fn prepare(dir: &Path, db: &Path) {
    let url = url(db);
    let out = run(dir, &["--database-url", &url, "admin", "create-user", "ada", "--name", "Ada Admin", "--admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(
        dir,
        &["--database-url", &url, "admin", "create-community", "stats", "--name", "Statistics", "--facilitator", "ada"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

fn mbox_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../copse-import/tests/fixtures/mbox/list.mbox")
}

#[test]
fn wrong_source_path_or_community_is_refused_clearly() {
    let dir = temp_dir("refusals");
    let db = dir.join("copse.db");
    let url = url(&db);

    let out =
        run(&dir, &["--database-url", &url, "import", "jira", mbox_fixture().to_str().unwrap(), "--community", "x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("'jira' is not a source; use one of: git, mbox, slack, stackexchange, people-csv"),
        "{}",
        stderr(&out)
    );
    assert!(!db.exists(), "a refused command opens no database");

    let missing = dir.join("nowhere.mbox");
    let out = run(&dir, &["--database-url", &url, "import", "mbox", missing.to_str().unwrap(), "--community", "x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("{}: no such file or directory", missing.display())), "{}", stderr(&out));
    assert!(stderr(&out).contains("an mbox mailing-list archive"), "says what to point at: {}", stderr(&out));
    assert!(!db.exists());

    prepare(&dir, &db);
    let out =
        run(&dir, &["--database-url", &url, "import", "mbox", mbox_fixture().to_str().unwrap(), "--community", "nope"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("there is no community 'nope'"), "{}", stderr(&out));

    // And the right community imports.
    let out = run(
        &dir,
        &["--database-url", &url, "import", "mbox", mbox_fixture().to_str().unwrap(), "--community", "stats"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Imported 6 records"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A read-only view of the database the binary writes.
struct Db {
    runtime: tokio::runtime::Runtime,
    pool: SqlitePool,
}

impl Db {
    fn open(db: &Path) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let options = SqliteConnectOptions::from_str(&url(db))
            .expect("url")
            .read_only(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = runtime
            .block_on(SqlitePoolOptions::new().max_connections(1).connect_with(options))
            .expect("the database opens read-only");
        Db { runtime, pool }
    }

    fn count(&self, sql: &str) -> i64 {
        self.runtime
            .block_on(sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn rows(&self, sql: &str) -> Vec<(String, i64)> {
        self.runtime
            .block_on(sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql.to_string())).fetch_all(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// What the import wrote, for comparing two databases.
    fn summary(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for table in
            ["threads", "posts", "contributions", "people", "identities", "memberships", "import_items", "thread_tags"]
        {
            out.push((table.to_string(), self.count(&format!("SELECT COUNT(*) FROM {table}"))));
        }
        out.push(("accepted".into(), self.count("SELECT COUNT(*) FROM threads WHERE accepted_post_id IS NOT NULL")));
        out.push(("replies".into(), self.count("SELECT COALESCE(SUM(reply_count), 0) FROM threads")));
        out.push(("activity_daily".into(), self.count("SELECT COALESCE(SUM(n), 0) FROM activity_daily")));
        for (kind, n) in self.rows("SELECT kind, COUNT(*) FROM contributions GROUP BY kind ORDER BY kind") {
            out.push((format!("kind {kind}"), n));
        }
        out
    }

    /// The invariants every committed batch keeps.
    fn assert_consistent(&self, when: &str) {
        let checks = [
            (
                "posts without their contribution",
                "SELECT COUNT(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM contributions c \
                 WHERE c.source = 'copse' AND c.source_ref = 'post:' || p.id)",
            ),
            (
                "threads whose reply_count is not their posts minus one",
                "SELECT COUNT(*) FROM threads t WHERE t.reply_count <> \
                 (SELECT COUNT(*) - 1 FROM posts p WHERE p.thread_id = t.id)",
            ),
            (
                "import_items pointing at no thread",
                "SELECT COUNT(*) FROM import_items i WHERE i.entity = 'thread' \
                 AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.id = i.entity_id)",
            ),
            (
                "import_items pointing at no post",
                "SELECT COUNT(*) FROM import_items i WHERE i.entity = 'post' \
                 AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = i.entity_id)",
            ),
            (
                "imported posts not in import_items",
                "SELECT COUNT(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM import_items i \
                 WHERE i.entity = 'post' AND i.entity_id = p.id)",
            ),
            (
                "accepted answers without their contribution",
                "SELECT COUNT(*) FROM threads t WHERE t.accepted_post_id IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM contributions c WHERE c.source_ref = 'accept:' || t.id)",
            ),
            (
                "participants who are not members",
                "SELECT COUNT(DISTINCT c.person_id) FROM contributions c WHERE NOT EXISTS \
                 (SELECT 1 FROM memberships m WHERE m.person_id = c.person_id AND m.community_id = c.community_id)",
            ),
            (
                "rollup days that differ from the activity record",
                "SELECT COUNT(*) FROM (SELECT community_id, at / 86400000 AS day, person_id, kind, COUNT(*) AS n \
                 FROM contributions GROUP BY 1, 2, 3, 4) r WHERE NOT EXISTS (SELECT 1 FROM activity_daily d \
                 WHERE d.community_id = r.community_id AND d.day = r.day AND d.person_id = r.person_id \
                 AND d.kind = r.kind AND d.n = r.n)",
            ),
        ];
        for (what, sql) in checks {
            assert_eq!(self.count(sql), 0, "{when}: {what}");
        }
    }
}

/// Posts in the generated dump: about 9,000 records, five batches of the
/// loader's 2,000, so a kill after the first batch with posts lands
/// mid-load (a debug build loads about 500 records/s on a busy machine:
/// some 15 s per import).
const DUMP_POSTS: u64 = 5_000;

#[test]
fn an_import_killed_mid_load_leaves_a_consistent_database_and_resumes_to_a_clean_result() {
    let dir = temp_dir("kill");
    let dump_dir = dir.join("dump");
    let dump = copse_import::generate::write_stackexchange_dump(&dump_dir, DUMP_POSTS, 3).expect("generates");
    let dump_arg = dump_dir.to_str().expect("utf-8 path");

    let db = dir.join("killed.db");
    prepare(&dir, &db);
    let mut child = copse(&dir)
        .args(["--database-url", &url(&db), "import", "stackexchange", dump_arg, "--community", "stats"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the import starts");
    let reader = Db::open(&db);
    let started = Instant::now();
    let mut seen = 0;
    // Poll until some batches are in, then kill.
    while seen == 0 {
        assert!(child.try_wait().expect("wait").is_none(), "the import ended before a batch was seen");
        assert!(started.elapsed() < Duration::from_secs(300), "no batch within five minutes");
        std::thread::sleep(Duration::from_millis(20));
        seen = reader.count("SELECT COUNT(*) FROM posts");
    }
    assert!(child.try_wait().expect("wait").is_none(), "still loading when killed");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let posts_at_kill = reader.count("SELECT COUNT(*) FROM posts");
    assert!(
        posts_at_kill > 0 && posts_at_kill < dump.posts() as i64,
        "killed mid-load: {posts_at_kill} of {} posts",
        dump.posts()
    );
    reader.assert_consistent("after SIGKILL");
    assert_eq!(
        reader.count("SELECT COUNT(*) FROM import_runs WHERE status IN ('checking', 'loading')"),
        1,
        "the killed run is left unfinished (the worker marks it interrupted)"
    );

    // Run again: it completes.
    let out = run(&dir, &["--database-url", &url(&db), "import", "stackexchange", dump_arg, "--community", "stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    reader.assert_consistent("after resuming");
    let resumed = reader.summary();

    // A clean import of the same dump into a fresh database.
    let clean_db = dir.join("clean.db");
    prepare(&dir, &clean_db);
    let out =
        run(&dir, &["--database-url", &url(&clean_db), "import", "stackexchange", dump_arg, "--community", "stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clean = Db::open(&clean_db);
    clean.assert_consistent("clean import");
    let expected = clean.summary();
    assert_eq!(resumed, expected, "killed and resumed equals clean");

    // Both hold the whole dump.
    let count = |name: &str| expected.iter().find(|(k, _)| k == name).map_or(-1, |(_, n)| *n);
    assert_eq!(count("threads"), dump.questions as i64);
    assert_eq!(count("posts"), dump.posts() as i64);
    assert_eq!(count("kind comment"), dump.comments as i64);
    assert_eq!(count("kind accepted-answer"), dump.accepted as i64);
    reader.runtime.block_on(reader.pool.close());
    clean.runtime.block_on(clean.pool.close());
    let _ = std::fs::remove_dir_all(&dir);
}
