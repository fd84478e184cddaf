//! The importers' loader (`App::import`) end to end on both databases:
//! copse-import's hand-written fixtures (a mailing list, a Slack export, a
//! Stack Exchange site) and a generated dump loaded into a community, with
//! every count, time and link checked against values worked out by hand
//! from the fixtures; re-imports and newer exports; malformed inputs that
//! must leave every table as it was; identity resolution across sources and
//! with accounts; the look-alike review with merge and unmerge, keeping the
//! activity rollups equal to the activity record; administrators only.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use copse_app::{AppError, ImportFailure, ImportReport, ImportRequest, NewAccount, QuietProgress, Viewer};
use copse_domain::{CommunityId, PersonId};
use copse_import::{ImportError, Source};
use copse_store::Backend;

// ---------------------------------------------------------------------------
// Reading the database: copse-web's tests have no SQL driver of their own,
// so a query's result is copied into a settings row by `execute_raw` and
// read back with `find_setting` (same SQL on both backends, apart from the
// string aggregate).
// ---------------------------------------------------------------------------

const RESULT_KEY: &str = "imports-test:result";

/// The single value `select` returns, as text ('' for NULL).
async fn text(t: &TestApp, select: &str) -> String {
    let sql = format!(
        "DELETE FROM settings WHERE key = '{RESULT_KEY}'; \
         INSERT INTO settings (key, value) SELECT '{RESULT_KEY}', COALESCE(CAST(({select}) AS TEXT), '')"
    );
    t.db.store.execute_raw(&sql).await.unwrap_or_else(|e| panic!("{select}: {e}"));
    t.db.store.find_setting(RESULT_KEY).await.unwrap().unwrap_or_default()
}

async fn int(t: &TestApp, select: &str) -> i64 {
    let value = text(t, select).await;
    value.parse().unwrap_or_else(|_| panic!("{select}: {value:?} is not a number"))
}

/// The `line` column of every row of `select`, sorted.
async fn lines(t: &TestApp, select: &str) -> Vec<String> {
    let aggregate = match t.db.store.backend() {
        Backend::Sqlite => "group_concat(line, char(10))",
        Backend::Postgres => "string_agg(line, chr(10))",
    };
    let joined = text(t, &format!("SELECT {aggregate} FROM ({select}) q")).await;
    let mut rows: Vec<String> = joined.lines().map(str::to_string).filter(|l| !l.is_empty()).collect();
    rows.sort();
    rows
}

/// Row counts of every table an import writes (sums for the rollups).
/// Counted here rather than with `Store::import_row_counts`, whose rollup
/// sums are NUMERIC on PostgreSQL and fail to decode as i64.
async fn table_counts(t: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for (table, sql) in [
        ("people", "SELECT COUNT(*) FROM people"),
        ("identities", "SELECT COUNT(*) FROM identities"),
        ("threads", "SELECT COUNT(*) FROM threads"),
        ("thread_tags", "SELECT COUNT(*) FROM thread_tags"),
        ("posts", "SELECT COUNT(*) FROM posts"),
        ("contributions", "SELECT COUNT(*) FROM contributions"),
        ("memberships", "SELECT COUNT(*) FROM memberships"),
        ("mentorships", "SELECT COUNT(*) FROM mentorships"),
        ("import_items", "SELECT COUNT(*) FROM import_items"),
        ("activity_daily", "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM activity_daily"),
        ("activity_pairs", "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM activity_pairs"),
        ("person_skills", "SELECT COUNT(*) FROM person_skills"),
        ("accounts", "SELECT COUNT(*) FROM accounts"),
        ("changes", "SELECT COUNT(*) FROM changes"),
        ("accepted", "SELECT COUNT(*) FROM threads WHERE accepted_post_id IS NOT NULL"),
        ("reply_counts", "SELECT CAST(COALESCE(SUM(reply_count), 0) AS BIGINT) FROM threads"),
        ("people_profiles", "SELECT COUNT(*) FROM people WHERE team <> '' OR location <> ''"),
    ] {
        counts.push((table, int(t, sql).await));
    }
    counts
}

/// The rollups must always equal a GROUP BY over the activity record.
async fn assert_rollups_match_the_record(t: &TestApp, step: &str) {
    const DAY: &str = "CASE WHEN at >= 0 THEN at / 86400000 ELSE (at - 86399999) / 86400000 END";
    let daily = lines(
        t,
        "SELECT CAST(community_id AS TEXT) || ' ' || CAST(day AS TEXT) || ' ' || CAST(person_id AS TEXT) || ' ' \
         || kind || ' ' || CAST(n AS TEXT) AS line FROM activity_daily WHERE n <> 0",
    )
    .await;
    let expected_daily = lines(
        t,
        &format!(
            "SELECT CAST(community_id AS TEXT) || ' ' || CAST(d AS TEXT) || ' ' || CAST(person_id AS TEXT) || ' ' \
             || kind || ' ' || CAST(COUNT(*) AS TEXT) AS line \
             FROM (SELECT community_id, {DAY} AS d, person_id, kind FROM contributions) x \
             GROUP BY community_id, d, person_id, kind"
        ),
    )
    .await;
    assert_eq!(daily, expected_daily, "{step}: activity_daily equals the activity record grouped by day");
    let pairs = lines(
        t,
        "SELECT CAST(community_id AS TEXT) || ' ' || CAST(day AS TEXT) || ' ' || CAST(person_id AS TEXT) || ' ' \
         || CAST(other_id AS TEXT) || ' ' || CAST(n AS TEXT) AS line FROM activity_pairs WHERE n <> 0",
    )
    .await;
    let expected_pairs = lines(
        t,
        &format!(
            "SELECT CAST(community_id AS TEXT) || ' ' || CAST(d AS TEXT) || ' ' || CAST(person_id AS TEXT) || ' ' \
             || CAST(reply_to_person AS TEXT) || ' ' || CAST(COUNT(*) AS TEXT) AS line \
             FROM (SELECT community_id, {DAY} AS d, person_id, reply_to_person FROM contributions \
             WHERE reply_to_person IS NOT NULL) x GROUP BY community_id, d, person_id, reply_to_person"
        ),
    )
    .await;
    assert_eq!(pairs, expected_pairs, "{step}: activity_pairs equals the activity record's replies grouped by day");
}

// ---------------------------------------------------------------------------
// The world: an administrator "root" and an open community "copse-dev" they
// facilitate (its only member before any import).
// ---------------------------------------------------------------------------

struct World {
    t: TestApp,
    root: Session,
    admin: Viewer,
    admin_id: PersonId,
    slug: String,
    community: i64,
}

async fn viewer_of(t: &TestApp, session: &Session) -> Viewer {
    let token = session.cookie.trim_start_matches("copse_session=");
    t.app.authenticate_session(token).await.unwrap().expect("a signed-in viewer")
}

async fn world() -> World {
    let t = TestApp::new().await;
    let admin_id = t.person("root", true).await;
    let root = t.sign_in("root").await;
    let slug = t.community(&root, "copse-dev", "open").await;
    let community = t.db.store.find_community_for_viewer(&slug, None).await.unwrap().unwrap().community.id;
    let admin = viewer_of(&t, &root).await;
    World { t, root, admin, admin_id, slug, community }
}

impl World {
    async fn import(&self, source: Source, path: &Path) -> Result<ImportReport, ImportFailure> {
        let request = ImportRequest {
            source,
            path: path.to_path_buf(),
            community: self.slug.clone(),
            input_label: None,
            requested_by: Some(self.admin_id),
        };
        self.t.app.import(Some(&self.admin), request, Arc::new(QuietProgress)).await
    }

    async fn count(&self, select: &str) -> i64 {
        int(&self.t, &select.replace("{c}", &self.community.to_string())).await
    }

    async fn lines(&self, select: &str) -> Vec<String> {
        lines(&self.t, &select.replace("{c}", &self.community.to_string())).await
    }

    async fn threads(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM threads WHERE community_id = {c}").await
    }

    async fn posts(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.community_id = {c}").await
    }

    async fn kinds(&self) -> Vec<(String, i64)> {
        let rows = self.t.db.store.community_activity_by_kind(CommunityId(self.community)).await.unwrap();
        rows.into_iter().map(|(kind, n, ..)| (kind, n)).collect()
    }

    /// external id = reply_count, for every imported thread.
    async fn reply_counts(&self) -> Vec<String> {
        self.lines(
            "SELECT ii.external_id || '=' || CAST(t.reply_count AS TEXT) AS line FROM import_items ii \
             JOIN threads t ON t.id = ii.entity_id WHERE ii.entity = 'thread' AND ii.community_id = {c}",
        )
        .await
    }

    /// The thread an external id became.
    async fn thread_id(&self, external_id: &str) -> i64 {
        self.count(&format!(
            "SELECT entity_id FROM import_items WHERE community_id = {{c}} AND entity = 'thread' \
             AND external_id = '{external_id}'"
        ))
        .await
    }

    /// The person an identity key (an e-mail, a user id) belongs to.
    /// (Every identity with that key must be the same person.)
    async fn person_of_key(&self, key: &str) -> i64 {
        let people = self.count(&format!("SELECT COUNT(DISTINCT person_id) FROM identities WHERE key = '{key}'")).await;
        assert_eq!(people, 1, "the identities keyed {key} are one person");
        self.count(&format!("SELECT MIN(person_id) FROM identities WHERE key = '{key}'")).await
    }

    /// The latest import run.
    async fn last_run(&self) -> copse_store::ImportRunRow {
        self.t.app.import_runs(&self.admin, 1).await.unwrap().into_iter().next().expect("a run")
    }
}

fn import_fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../copse-import/tests/fixtures").join(relative)
}

fn own_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports").join(name)
}

fn list_mbox() -> PathBuf {
    import_fixture("mbox/list.mbox")
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

/// list.mbox's messages as the reader gives them (see copse-import's
/// tests/mbox.rs): three threads (a1, d4 and Erin's message without an id,
/// which gets a synthetic one) and three replies; Mallory's message reuses
/// a1's id and is skipped. Times are the Date: headers in UTC milliseconds.
const SYNTHETIC_ID: &str = "617bf36e3e4e6d6aa6afe275317f875e@mbox.copse.invalid";
const ALICE_AT: i64 = 1_740_988_800_000;
const BJORN_AT: i64 = 1_740_996_930_000;
const CAROL_AT: i64 = 1_741_093_200_000;
const DAVE_AT: i64 = 1_741_176_000_000;
const ERIN_AT: i64 = 1_741_271_400_000;
const FRANK_AT: i64 = 1_741_276_800_000;

// ---------------------------------------------------------------------------
// 1. A mailing list.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_mailing_list_becomes_threads_posts_people_members_and_replies() {
    let w = world().await;
    let t = &w.t;
    let report = w.import(Source::Mbox, &list_mbox()).await.expect("the archive imports");
    assert_eq!(report.records, 6, "{report:?}");
    assert_eq!(report.added, 6, "three threads and three replies: {report:?}");
    assert_eq!(report.already, 0);
    assert_eq!(report.people_created, 6, "alice, björn, carol, dave, erin, frank (not mallory): {report:?}");
    assert!(report.warnings.iter().any(|w| w.contains("a1@example.org was already seen")), "{:?}", report.warnings);

    assert_eq!(w.threads().await, 3);
    assert_eq!(w.posts().await, 6, "each thread's opening post and three replies");
    assert_eq!(w.kinds().await, vec![("reply".to_string(), 3), ("thread".to_string(), 3)]);
    assert_eq!(int(t, "SELECT COUNT(*) FROM identities").await, 6);
    assert_eq!(int(t, "SELECT COUNT(*) FROM people").await, 7, "root and six senders");
    assert_eq!(
        w.reply_counts().await,
        vec![format!("{SYNTHETIC_ID}=0"), "a1@example.org=2".to_string(), "d4@example.org=1".to_string()]
    );

    // Every participant is a member, joined when they first wrote; root is
    // the facilitator who started the community.
    assert_eq!(w.count("SELECT COUNT(*) FROM memberships WHERE community_id = {c}").await, 7);
    let joined = w
        .lines(
            "SELECT i.key || ' ' || CAST(m.created_at AS TEXT) AS line FROM memberships m \
             JOIN identities i ON i.person_id = m.person_id WHERE m.community_id = {c} AND m.status = 'active'",
        )
        .await;
    let mut expected: Vec<String> = [
        ("alice@example.org", ALICE_AT),
        ("bjorn@example.org", BJORN_AT),
        ("carol@example.org", CAROL_AT),
        ("dave@example.org", DAVE_AT),
        ("erin@example.org", ERIN_AT),
        ("frank@example.org", FRANK_AT),
    ]
    .iter()
    .map(|(key, at)| format!("{key} {at}"))
    .collect();
    expected.sort();
    assert_eq!(joined, expected);

    // A reply went to the author of the message it answers (c3 answers b2,
    // by Björn, though it sits in Alice's thread); an opening post to no one.
    let replies = w
        .lines(
            "SELECT ii.external_id || ' ' || c.kind || ' ' || COALESCE(ri.key, '-') AS line FROM import_items ii \
             JOIN contributions c ON c.source_ref = 'post:' || CAST(ii.entity_id AS TEXT) \
             LEFT JOIN identities ri ON ri.person_id = c.reply_to_person \
             WHERE ii.entity = 'post' AND ii.community_id = {c}",
        )
        .await;
    let mut expected = vec![
        "a1@example.org thread -".to_string(),
        "b2@example.org reply alice@example.org".to_string(),
        "c3@example.org reply bjorn@example.org".to_string(),
        "d4@example.org thread -".to_string(),
        format!("{SYNTHETIC_ID} thread -"),
        "g7@example.org reply dave@example.org".to_string(),
    ];
    expected.sort();
    assert_eq!(replies, expected);
    // Contributions are dated by the messages.
    assert_eq!(
        w.count("SELECT MIN(at) FROM contributions WHERE community_id = {c} AND kind IN ('thread', 'reply')").await,
        ALICE_AT
    );
    assert_eq!(w.count("SELECT MAX(at) FROM contributions WHERE community_id = {c}").await, FRANK_AT);
    assert_rollups_match_the_record(t, "after the import").await;

    let run = w.last_run().await;
    assert_eq!((run.status.as_str(), run.records, run.added), ("done", 6, 6), "{run:?}");

    // The pages show the imported conversation.
    let list = t.get(&format!("/communities/{}/discussions", w.slug), Some(&w.root)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Release planning") && list.body.contains("Café ☕ meetup"), "{}", list.body);
    let thread = w.thread_id("a1@example.org").await;
    let page = t.get(&format!("/threads/{thread}"), Some(&w.root)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in ["Release planning", "Shall we cut 1.0 this week?", "Grüße aus München", "café first", "Björn Ström"]
    {
        assert!(page.body.contains(text), "the thread page shows {text:?}");
    }

    // Imported bodies are rendered like any post: sanitized.
    let dir = tempfile::tempdir().unwrap();
    let hostile = write(
        &dir,
        "hostile.mbox",
        b"From eve@example.net Fri Mar  7 10:00:00 2025\n\
From: Eve <eve@example.net>\n\
Subject: Tricks\n\
Date: Fri, 07 Mar 2025 10:00:00 +0000\n\
Message-ID: <x1@example.net>\n\
\n\
Hello from the archive.\n\
\n\
<script>alert(\"imported\")</script>\n\
\n\
<img src=\"x\" onerror=\"alert(2)\">\n\
\n\
[click me](javascript:alert(3))\n\
\n",
    );
    w.import(Source::Mbox, &hostile).await.expect("imports");
    let thread = w.thread_id("x1@example.net").await;
    let page = t.get(&format!("/threads/{thread}"), Some(&w.root)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hello from the archive."));
    assert!(page.body.contains("click me"), "the link text stays");
    for bad in ["alert(\"imported\")", "onerror", "javascript:alert"] {
        assert!(!page.body.contains(bad), "the page must not carry {bad:?}");
    }
}

// ---------------------------------------------------------------------------
// 2. Idempotent, and a newer export adds only what is new.
// ---------------------------------------------------------------------------

/// Two messages appended to list.mbox: Heidi answers Carol's c3 in the
/// release thread, and Alice starts a new thread.
const NEWER: &str = "\nFrom heidi@example.org Fri Mar  7 09:00:00 2025\n\
From: Heidi <heidi@example.org>\n\
Subject: Re: [copse-dev] Release planning\n\
Date: Fri, 07 Mar 2025 09:00:00 +0000\n\
Message-ID: <h8@example.org>\n\
In-Reply-To: <c3@example.org>\n\
References: <a1@example.org> <c3@example.org>\n\
\n\
Shipped.\n\
\n\
From alice@example.org Sat Mar  8 09:00:00 2025\n\
From: Alice Liddell <alice@example.org>\n\
Subject: [copse-dev] Retrospective\n\
Date: Sat, 08 Mar 2025 09:00:00 +0000\n\
Message-ID: <i9@example.org>\n\
\n\
What went well?\n";

#[tokio::test]
async fn importing_again_changes_nothing_and_a_newer_export_adds_only_the_new_messages() {
    let w = world().await;
    let t = &w.t;
    w.import(Source::Mbox, &list_mbox()).await.expect("first import");
    let before = table_counts(t).await;
    let replies_before = w.reply_counts().await;

    let again = w.import(Source::Mbox, &list_mbox()).await.expect("second import");
    assert_eq!(again.added, 0, "{again:?}");
    assert_eq!(again.already, 6, "every thread and post was there: {again:?}");
    assert_eq!(again.people_created, 0);
    assert_eq!(table_counts(t).await, before);
    assert_eq!(w.reply_counts().await, replies_before);

    let dir = tempfile::tempdir().unwrap();
    let mut newer = std::fs::read(list_mbox()).unwrap();
    newer.extend_from_slice(NEWER.as_bytes());
    let newer = write(&dir, "list-newer.mbox", &newer);
    let report = w.import(Source::Mbox, &newer).await.expect("the newer export imports");
    assert_eq!(report.added, 2, "exactly the two new messages: {report:?}");
    assert_eq!(report.already, 6);
    assert_eq!(report.people_created, 1, "heidi is new; alice is known: {report:?}");
    assert_eq!(w.threads().await, 4);
    assert_eq!(w.posts().await, 8);
    assert_eq!(w.kinds().await, vec![("reply".to_string(), 4), ("thread".to_string(), 4)]);
    let mut expected = vec![
        format!("{SYNTHETIC_ID}=0"),
        "a1@example.org=3".to_string(),
        "d4@example.org=1".to_string(),
        "i9@example.org=0".to_string(),
    ];
    expected.sort();
    assert_eq!(w.reply_counts().await, expected, "the release thread has one reply more");
    // Heidi answered Carol.
    let heidi = w.person_of_key("heidi@example.org").await;
    let carol = w.person_of_key("carol@example.org").await;
    assert_eq!(
        w.count(&format!("SELECT reply_to_person FROM contributions WHERE person_id = {heidi} AND kind = 'reply'"))
            .await,
        carol
    );
    // And the newer export again: nothing.
    let after = table_counts(t).await;
    let last = w.import(Source::Mbox, &newer).await.expect("imports");
    assert_eq!((last.added, last.already), (0, 8));
    assert_eq!(table_counts(t).await, after);
    assert_rollups_match_the_record(t, "after the newer export").await;
}

// ---------------------------------------------------------------------------
// 3. Bad input loses nothing.
// ---------------------------------------------------------------------------

/// Imports `path`, expects an input error naming `file` and `position`, and
/// checks that no table changed and the run says failed with that error.
async fn assert_refused(w: &World, source: Source, path: &Path, file: &Path, position: &str, words: &str) {
    let before = table_counts(&w.t).await;
    let failure = w.import(source, path).await.expect_err("malformed input is refused");
    let shown = failure.to_string();
    match &failure {
        ImportFailure::Input(ImportError::Input { file: named, position: Some(_), .. }) => {
            assert_eq!(named, file, "names the file: {shown}");
        }
        other => panic!("expected an input error with a position, got {other:?}"),
    }
    assert!(shown.starts_with(&format!("{}: ", file.display())), "{shown}");
    assert!(shown.contains(position), "names the position {position:?}: {shown}");
    assert!(shown.contains(words), "says {words:?}: {shown}");
    assert_eq!(table_counts(&w.t).await, before, "nothing written for {}", path.display());
    let run = w.last_run().await;
    assert_eq!(run.status, "failed", "{run:?}");
    assert_eq!(run.error.as_deref(), Some(shown.as_str()));
    assert!(run.finished_at.is_some());
}

#[tokio::test]
async fn malformed_inputs_fail_with_file_and_position_and_write_nothing() {
    let w = world().await;
    w.import(Source::Mbox, &list_mbox()).await.expect("a good import first");
    let dir = tempfile::tempdir().unwrap();

    // A Slack export cut in half (a broken download).
    let zip = std::fs::read(own_fixture("slack-export.zip")).unwrap();
    let half = zip.len() / 2;
    let truncated = write(&dir, "export.zip", &zip[..half]);
    assert_refused(&w, Source::Slack, &truncated, &truncated, &format!("byte {half}"), "truncated").await;

    // A Stack Exchange dump whose Posts.xml declares a DTD (the way to an
    // entity bomb): refused at line 2.
    let dump = dir.path().join("dump");
    let posts = write(
        &dir,
        "dump/Posts.xml",
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE posts [<!ENTITY x \"lol\">]>\n<posts>\n  \
<row Id=\"1\" PostTypeId=\"1\" CreationDate=\"2010-07-19T19:12:12.510\" Body=\"&x;\" OwnerUserId=\"2\" \
Title=\"Bombs\" Tags=\"&lt;xml&gt;\" />\n</posts>\n",
    );
    assert_refused(&w, Source::StackExchange, &dump, &posts, "line 2", "DTD").await;

    // A CSV directory with a stray quote after a quoted field on line 3.
    let csv = write(&dir, "people.csv", b"name,email,team\nAda,ada@example.org,Core\nBob,\"bob@example.org\"x,Core\n");
    assert_refused(&w, Source::PeopleCsv, &csv, &csv, "line 3", "quote").await;

    // The good data is all still there.
    assert_eq!((w.threads().await, w.posts().await), (3, 6));
    assert_rollups_match_the_record(&w.t, "after refused imports").await;
}

// ---------------------------------------------------------------------------
// 4. Identity resolution across sources and with accounts.
// ---------------------------------------------------------------------------

const DIRECTORY: &str = "name,email,team,location,time_zone,skills\n\
Alice Liddell,ALICE@Example.org,Core,\"London, UK\",Europe/London,Rust; SQL\n\
Frank Zappa,frank@example.org,Platform,Berlin,Europe/Berlin,Go\n";

#[tokio::test]
async fn the_same_email_is_the_same_person_in_every_source_and_for_accounts() {
    let w = world().await;
    let t = &w.t;
    // Carol signed up herself, with her address in another case.
    let carol_account = t
        .app
        .create_account(&NewAccount {
            handle: "carol".into(),
            name: "Carol Signed-Up".into(),
            email: "Carol@Example.org".into(),
            password: PASSWORD.into(),
            admin: false,
        })
        .await
        .expect("carol signs up");

    let dir = tempfile::tempdir().unwrap();
    let csv = write(&dir, "people.csv", DIRECTORY.as_bytes());
    let report = w.import(Source::PeopleCsv, &csv).await.expect("the directory imports");
    assert_eq!((report.added, report.people_created), (2, 2), "{report:?}");
    let alice = w.person_of_key("alice@example.org").await;
    assert_eq!(
        text(t, &format!("SELECT team || '|' || location || '|' || time_zone FROM people WHERE id = {alice}")).await,
        "Core|London, UK|Europe/London"
    );
    assert_eq!(
        lines(t, &format!("SELECT skill AS line FROM person_skills WHERE person_id = {alice}")).await,
        vec!["Rust".to_string(), "SQL".to_string()]
    );

    // The mailing list: Alice (Alice@Example.org in the archive) and Frank
    // are the directory's people, Carol is the account; three are new.
    let report = w.import(Source::Mbox, &list_mbox()).await.expect("the archive imports");
    assert_eq!(report.people_created, 3, "björn, dave and erin only: {report:?}");
    assert_eq!(w.person_of_key("alice@example.org").await, alice);
    assert_eq!(int(t, "SELECT COUNT(DISTINCT person_id) FROM identities WHERE key = 'alice@example.org'").await, 1);
    assert_eq!(
        int(t, &format!("SELECT COUNT(*) FROM identities WHERE person_id = {alice}")).await,
        2,
        "the directory's and the list's identity"
    );
    assert_eq!(
        int(t, "SELECT COUNT(DISTINCT person_id) FROM identities WHERE key = 'frank@example.org'").await,
        1,
        "frank: one person"
    );
    let carol = w.person_of_key("carol@example.org").await;
    assert_eq!(carol, carol_account.0, "the list's carol is the account's carol");
    assert_eq!(
        int(t, &format!("SELECT COUNT(*) FROM contributions WHERE person_id = {carol} AND kind = 'reply'")).await,
        1
    );
    assert_eq!(
        int(
            t,
            &format!("SELECT created_at FROM memberships WHERE person_id = {carol} AND community_id = {}", w.community)
        )
        .await,
        CAROL_AT,
        "carol joined when she first wrote"
    );
    assert_eq!(int(t, "SELECT COUNT(*) FROM people").await, 1 + 1 + 2 + 3, "root, carol, the directory, three new");
    // The list did not touch the directory's facts.
    assert_eq!(
        text(t, &format!("SELECT team || '|' || location || '|' || time_zone FROM people WHERE id = {alice}")).await,
        "Core|London, UK|Europe/London"
    );

    // The Slack export: U01ALICE has alice@example.org on her profile, so
    // she and everything she wrote or reacted are Alice's; Bob (no e-mail)
    // and Carol Danvers (deleted, no e-mail) are new people.
    let people_before = int(t, "SELECT COUNT(*) FROM people").await;
    let report = w.import(Source::Slack, &own_fixture("slack-export.zip")).await.expect("the export imports");
    assert_eq!(
        int(t, "SELECT COUNT(DISTINCT person_id) FROM identities WHERE source = 'slack' AND key = 'U01ALICE'").await,
        1,
        "one person behind U01ALICE's records (profile and messages)"
    );
    assert_eq!(w.person_of_key("U01ALICE").await, alice, "U01ALICE's profile e-mail is Alice's");
    assert_eq!(
        lines(
            t,
            &format!(
                "SELECT kind || ' ' || CAST(COUNT(*) AS TEXT) AS line FROM contributions \
                 WHERE person_id = {alice} AND source = 'slack' GROUP BY kind"
            )
        )
        .await,
        vec!["message 2".to_string(), "reaction 2".to_string()],
        "Alice's two messages and two reactions are hers"
    );
    assert_eq!(report.people_created, 2, "bob and carol danvers only: {report:?}");
    assert_eq!(int(t, "SELECT COUNT(*) FROM people").await, people_before + 2);
    // A non-directory source never overwrites the directory's zone.
    assert_eq!(text(t, &format!("SELECT time_zone FROM people WHERE id = {alice}")).await, "Europe/London");
    assert_rollups_match_the_record(t, "after three sources").await;
}

// ---------------------------------------------------------------------------
// 5. Look-alikes: merge and unmerge.
// ---------------------------------------------------------------------------

/// Sam Lee writes from work (s1) and from home (s2, s4); Pat answers both.
const SAMS: &str = "From sam@work.example Mon Mar  3 09:00:00 2025\n\
From: Sam Lee <sam@work.example>\n\
Subject: Build times\n\
Date: Mon, 03 Mar 2025 09:00:00 +0000\n\
Message-ID: <s1@example.org>\n\
\n\
Our builds take an hour.\n\
\n\
From sam.lee@home.example Tue Mar  4 09:00:00 2025\n\
From: Sam Lee <sam.lee@home.example>\n\
Subject: Re: Build times\n\
Date: Tue, 04 Mar 2025 09:00:00 +0000\n\
Message-ID: <s2@example.org>\n\
In-Reply-To: <s1@example.org>\n\
\n\
(From home) caching helped.\n\
\n\
From pat@example.org Wed Mar  5 09:00:00 2025\n\
From: Pat Kim <pat@example.org>\n\
Subject: Re: Build times\n\
Date: Wed, 05 Mar 2025 09:00:00 +0000\n\
Message-ID: <s3@example.org>\n\
In-Reply-To: <s2@example.org>\n\
\n\
Which cache?\n\
\n\
From sam.lee@home.example Thu Mar  6 09:00:00 2025\n\
From: Sam Lee <sam.lee@home.example>\n\
Subject: Test flakiness\n\
Date: Thu, 06 Mar 2025 09:00:00 +0000\n\
Message-ID: <s4@example.org>\n\
\n\
Retries hide bugs.\n\
\n\
From pat@example.org Fri Mar  7 09:00:00 2025\n\
From: Pat Kim <pat@example.org>\n\
Subject: Re: Test flakiness\n\
Date: Fri, 07 Mar 2025 09:00:00 +0000\n\
Message-ID: <s5@example.org>\n\
In-Reply-To: <s4@example.org>\n\
\n\
Agreed.\n";

/// Every imported post as `person kind external-id reply-to author`
/// (contribution's person and kind, the person it replied to or `-`, the
/// post's author), for comparing who did what and to whom.
async fn who_did_what(w: &World) -> Vec<String> {
    w.lines(
        "SELECT CAST(c.person_id AS TEXT) || ' ' || c.kind || ' ' || ii.external_id || ' ' \
         || COALESCE(CAST(c.reply_to_person AS TEXT), '-') || ' ' || CAST(p.author_id AS TEXT) AS line \
         FROM import_items ii JOIN contributions c ON c.source_ref = 'post:' || CAST(ii.entity_id AS TEXT) \
         JOIN posts p ON p.id = ii.entity_id WHERE ii.entity = 'post' AND ii.community_id = {c}",
    )
    .await
}

#[tokio::test]
async fn look_alikes_are_listed_merged_and_unmerged_with_the_rollups_kept_equal() {
    let w = world().await;
    let t = &w.t;
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "sams.mbox", SAMS.as_bytes());
    let report = w.import(Source::Mbox, &path).await.expect("imports");
    assert_eq!(report.people_created, 3, "two Sams and Pat: {report:?}");
    let work = w.person_of_key("sam@work.example").await;
    let home = w.person_of_key("sam.lee@home.example").await;
    let pat = w.person_of_key("pat@example.org").await;
    assert_ne!(work, home);
    let s = |x: i64| x.to_string();
    let mut imported = vec![
        format!("{} thread s1@example.org - {}", s(work), s(work)),
        format!("{} reply s2@example.org {} {}", s(home), s(work), s(home)),
        format!("{} reply s3@example.org {} {}", s(pat), s(home), s(pat)),
        format!("{} thread s4@example.org - {}", s(home), s(home)),
        format!("{} reply s5@example.org {} {}", s(pat), s(home), s(pat)),
    ];
    imported.sort();
    assert_eq!(who_did_what(&w).await, imported, "as imported");
    assert_rollups_match_the_record(t, "after the import").await;

    // The review lists the two Sams, and only them.
    let alikes = t.app.look_alikes(&w.admin, 50).await.expect("admins review");
    assert_eq!(alikes.len(), 1, "{alikes:#?}");
    let pair = (alikes[0].a.id.min(alikes[0].b.id), alikes[0].a.id.max(alikes[0].b.id));
    assert_eq!(pair, (work.min(home), work.max(home)));
    assert!(alikes[0].reason.contains("the same name"), "{}", alikes[0].reason);

    // Merge home into work: everything moves, the home person is gone.
    t.app.merge_people(&w.admin, home, work).await.expect("merges");
    assert!(t.db.store.person_summary(home).await.unwrap().is_none(), "the merged person is deleted");
    let mut merged = vec![
        format!("{} thread s1@example.org - {}", s(work), s(work)),
        // s2 keeps its reply-to (now Sam himself), so an unmerge can give
        // it back.
        format!("{} reply s2@example.org {} {}", s(work), s(work), s(work)),
        format!("{} reply s3@example.org {} {}", s(pat), s(work), s(pat)),
        format!("{} thread s4@example.org - {}", s(work), s(work)),
        format!("{} reply s5@example.org {} {}", s(pat), s(work), s(pat)),
    ];
    merged.sort();
    assert_eq!(who_did_what(&w).await, merged, "after the merge");
    assert_eq!(int(t, &format!("SELECT COUNT(*) FROM threads WHERE author_id = {work}")).await, 2);
    assert_eq!(int(t, &format!("SELECT COUNT(*) FROM identities WHERE person_id = {work}")).await, 2);
    assert_eq!(int(t, &format!("SELECT COUNT(*) FROM memberships WHERE person_id = {home}")).await, 0);
    assert_eq!(
        int(
            t,
            &format!("SELECT created_at FROM memberships WHERE person_id = {work} AND community_id = {}", w.community)
        )
        .await,
        1_740_992_400_000,
        "joined with the earlier of the two (s1, 2025-03-03 09:00 UTC)"
    );
    assert_rollups_match_the_record(t, "after the merge").await;
    assert!(t.app.look_alikes(&w.admin, 50).await.unwrap().is_empty(), "nothing left to review");

    // Unmerge the home identity: a new person with exactly what it brought.
    let identities = t.db.store.identities_of(PersonId(work)).await.unwrap();
    let home_identity = identities.iter().find(|i| i.key == "sam.lee@home.example").expect("the home identity");
    let again = t.app.unmerge_identity(&w.admin, home_identity.id).await.expect("unmerges");
    assert_ne!(again, work);
    assert_eq!(w.person_of_key("sam.lee@home.example").await, again);
    assert_eq!(w.person_of_key("sam@work.example").await, work);
    assert_eq!(
        int(t, &format!("SELECT COUNT(*) FROM posts WHERE author_id = {again}")).await,
        2,
        "s2 and s4 are the home identity's again"
    );
    assert_eq!(int(t, &format!("SELECT COUNT(*) FROM posts WHERE author_id = {work}")).await, 1);
    assert_eq!(int(t, &format!("SELECT COUNT(*) FROM threads WHERE author_id = {again}")).await, 1);
    assert_eq!(
        lines(t, &format!("SELECT kind AS line FROM contributions WHERE person_id = {again}")).await,
        vec!["reply".to_string(), "thread".to_string()]
    );
    assert_eq!(
        int(
            t,
            &format!("SELECT created_at FROM memberships WHERE person_id = {again} AND community_id = {}", w.community)
        )
        .await,
        1_741_078_800_000,
        "a member again from s2 (2025-03-04 09:00 UTC)"
    );
    assert_rollups_match_the_record(t, "after the unmerge").await;
    // Everything as it was imported, with the new person in the home
    // identity's place: its posts and threads, and the replies to them
    // (Pat's s3 answered s2, Pat's s5 answered s4).
    let mut restored = imported.clone();
    for line in &mut restored {
        *line = line
            .split(' ')
            .map(|word| if word == s(home) { s(again) } else { word.to_string() })
            .collect::<Vec<_>>()
            .join(" ");
    }
    restored.sort();
    assert_eq!(who_did_what(&w).await, restored, "after the unmerge, as imported");

    // They look alike again; once said to be different, no longer.
    assert_eq!(t.app.look_alikes(&w.admin, 50).await.unwrap().len(), 1);
    t.app.mark_people_distinct(&w.admin, work, again).await.expect("marks distinct");
    assert!(t.app.look_alikes(&w.admin, 50).await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------
// 6. Stack Exchange.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_stack_exchange_site_becomes_questions_answers_accepted_answers_and_comments() {
    let w = world().await;
    let t = &w.t;
    let report = w.import(Source::StackExchange, &import_fixture("stackexchange/site")).await.expect("imports");
    // Users 2, 3, 5; questions 1 and 4; answers 2, 3, 5; two accepted;
    // comments 10, 11, 13 (12 is on a tag wiki). Skipped with warnings:
    // the tag wikis 6 and 7, answer 8 (its question is not in the dump),
    // question 9 (no owner at all), comment 12.
    assert_eq!(report.records, 3 + 2 + 3 + 2 + 3, "{report:?}");
    assert_eq!(report.people_created, 5, "users 2, 3, 5 and the deleted 'deleted guy' and 'Gone Person'");
    assert!(report.warnings.len() >= 4, "{:#?}", report.warnings);

    assert_eq!(w.threads().await, 2);
    assert_eq!(w.posts().await, 5);
    assert_eq!(
        w.kinds().await,
        vec![
            ("accepted-answer".to_string(), 2),
            ("answer".to_string(), 3),
            ("comment".to_string(), 3),
            ("question".to_string(), 2),
        ]
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM threads WHERE community_id = {c} AND kind = 'question'").await, 2);
    assert_eq!(w.reply_counts().await, vec!["1=2".to_string(), "4=1".to_string()]);
    let q1 = w.thread_id("1").await;
    let q4 = w.thread_id("4").await;
    assert_eq!(
        lines(t, &format!("SELECT tag AS line FROM thread_tags WHERE thread_id = {q1}")).await,
        vec!["bayesian".to_string(), "prior".to_string()]
    );
    assert_eq!(
        lines(t, &format!("SELECT tag AS line FROM thread_tags WHERE thread_id = {q4}")).await,
        vec!["hypothesis-testing".to_string(), "p-value".to_string()]
    );
    assert_eq!(text(t, &format!("SELECT title FROM threads WHERE id = {q4}")).await, "What is a \"p-value\"?");

    // Accepted answers: 3 for question 1 (dated by its vote, 2010-07-21),
    // 5 for question 4 (no vote: dated by the answer, 2010-07-20 09:30).
    let post = |external: &str| {
        format!(
            "SELECT entity_id FROM import_items WHERE community_id = {} AND entity = 'post' AND external_id = '{external}'",
            w.community
        )
    };
    assert_eq!(
        int(t, &format!("SELECT accepted_post_id FROM threads WHERE id = {q1}")).await,
        int(t, &post("3")).await
    );
    assert_eq!(
        int(t, &format!("SELECT accepted_post_id FROM threads WHERE id = {q4}")).await,
        int(t, &post("5")).await
    );
    assert_eq!(int(t, &format!("SELECT accepted_at FROM threads WHERE id = {q1}")).await, 1_279_670_400_000);
    assert_eq!(int(t, &format!("SELECT accepted_at FROM threads WHERE id = {q4}")).await, 1_279_618_200_000);
    let user2 = w.person_of_key("2").await;
    let user3 = w.person_of_key("3").await;
    let user5 = w.person_of_key("5").await;
    let deleted = w.person_of_key("name:deleted guy").await;
    let gone = w.person_of_key("name:Gone Person").await;
    let by_kind = |kind: &str| {
        format!(
            "SELECT CAST(person_id AS TEXT) || '>' || COALESCE(CAST(reply_to_person AS TEXT), '-') || ' ' || \
             CAST(at AS TEXT) AS line FROM contributions WHERE community_id = {} AND kind = '{kind}'",
            w.community
        )
    };
    let mut expected = vec![format!("{deleted}>{user2} 1279670400000"), format!("{user2}>{user5} 1279618200000")];
    expected.sort();
    assert_eq!(lines(t, &by_kind("accepted-answer")).await, expected, "the answerer, in reply to the asker");
    // Comments 10 (user 3 on question 1 by user 2), 11 (user 2 on answer 3
    // by 'deleted guy'), 13 ('Gone Person' on answer 5 by user 2).
    let mut expected = vec![
        format!("{user3}>{user2} 1279567800000"),
        format!("{user2}>{deleted} 1279569600000"),
        format!("{gone}>{user2} 1279620000000"),
    ];
    expected.sort();
    assert_eq!(lines(t, &by_kind("comment")).await, expected);
    assert_eq!(
        text(t, &format!("SELECT location FROM people WHERE id = {user3}")).await,
        "Tromsø & Bodø",
        "Users.xml's location, unescaped"
    );
    assert_rollups_match_the_record(t, "after the site").await;

    // The question page shows the answers, the accepted one marked.
    let page = t.get(&format!("/threads/{q1}"), Some(&w.root)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Eliciting priors from experts") && page.body.contains("Ask them for quantiles."));
    assert!(page.body.contains("<code>a &amp; b</code>"), "the answer's HTML, sanitized and kept");

    // Again: nothing new.
    let before = table_counts(t).await;
    let again = w.import(Source::StackExchange, &import_fixture("stackexchange/site")).await.expect("imports");
    // (Users.xml's people are Person records: re-reading them must not
    // count as added nor touch the change feed when nothing changed.)
    assert_eq!(again.added, 0, "a re-import adds nothing: {again:?}");
    assert_eq!(table_counts(t).await, before);
}

#[tokio::test]
async fn a_generated_dump_loads_every_question_answer_acceptance_and_comment() {
    let w = world().await;
    let dir = tempfile::tempdir().unwrap();
    let dump = copse_import::generate::write_stackexchange_dump(dir.path(), 3_000, 11).expect("generates");
    let report = w.import(Source::StackExchange, dir.path()).await.expect("imports");
    // The generator's answers always follow their question and its comments
    // are all on questions and answers, so the reader skips only the tag
    // wikis (other_posts).
    assert_eq!(report.records, dump.records(), "{report:?} for {dump:?}");
    assert_eq!(w.threads().await, dump.questions as i64);
    assert_eq!(w.posts().await, dump.posts() as i64);
    assert_eq!(
        w.kinds().await,
        vec![
            ("accepted-answer".to_string(), dump.accepted as i64),
            ("answer".to_string(), dump.answers as i64),
            ("comment".to_string(), dump.comments as i64),
            ("question".to_string(), dump.questions as i64),
        ]
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM threads WHERE community_id = {c} AND accepted_post_id IS NOT NULL").await,
        dump.accepted as i64
    );
    assert_eq!(
        w.count("SELECT CAST(COALESCE(SUM(reply_count), 0) AS BIGINT) FROM threads WHERE community_id = {c}").await,
        dump.answers as i64
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM identities WHERE source = 'stackexchange' AND key NOT LIKE 'name:%'").await,
        dump.users as i64,
        "every user of Users.xml (without the Community bot)"
    );
    assert!(report.warnings.iter().any(|w| w.contains("other types")), "{:#?}", report.warnings);
    assert_rollups_match_the_record(&w.t, "after the generated dump").await;
}

// ---------------------------------------------------------------------------
// 7. Administrators only.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn only_administrators_import_and_review_identities() {
    let w = world().await;
    let t = &w.t;
    let member = t.person("mo", false).await;
    t.add_member(&w.slug, member, copse_domain::MembershipRole::Member, copse_domain::MembershipStatus::Active).await;
    let mo = viewer_of(t, &t.sign_in("mo").await).await;
    let before = table_counts(t).await;
    let request = ImportRequest {
        source: Source::Mbox,
        path: list_mbox(),
        community: w.slug.clone(),
        input_label: None,
        requested_by: Some(member),
    };
    let refused = t.app.import(Some(&mo), request, Arc::new(QuietProgress)).await.expect_err("refused");
    assert!(matches!(refused, ImportFailure::App(AppError::Forbidden(_))), "{refused:?}");
    assert_eq!(table_counts(t).await, before, "nothing written");
    assert!(t.app.import_runs(&w.admin, 10).await.unwrap().is_empty(), "not even a run");
    assert!(matches!(t.app.import_runs(&mo, 10).await, Err(AppError::Forbidden(_))));
    assert!(matches!(t.app.look_alikes(&mo, 10).await, Err(AppError::Forbidden(_))));
    assert!(matches!(t.app.merge_people(&mo, member.0, w.admin_id.0).await, Err(AppError::Forbidden(_))));
    assert!(matches!(t.app.unmerge_identity(&mo, 1).await, Err(AppError::Forbidden(_))));
}
