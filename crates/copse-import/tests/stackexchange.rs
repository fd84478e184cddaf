//! The Stack Exchange dump reader against hand-written fixtures (exact
//! records), a generated dump read back (exact counts), and bad input (an
//! error naming the file and a line, never a panic or a silent success).

use copse_import::generate::write_stackexchange_dump;
use copse_import::stackexchange::StackExchangeImporter;
use copse_import::{
    ActivityKind, ActivityRecord, CollectSink, CountSink, Identity, ImportError, Importer, PersonRecord, PostRecord,
    Record, Sink, ThreadKind, ThreadRecord,
};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stackexchange").join(name)
}

fn read(dir: &Path) -> Result<(Vec<Record>, Vec<String>), ImportError> {
    let mut sink = CollectSink::default();
    let summary = StackExchangeImporter::default().read(dir, &mut sink)?;
    assert_eq!(summary.records, sink.records.len() as u64);
    Ok((sink.records, summary.warnings))
}

fn person(id: &str, name: &str, location: &str) -> Record {
    Record::Person(PersonRecord {
        identity: Identity::by_id(id, name),
        team: String::new(),
        location: location.to_string(),
        time_zone: None,
        skills: vec![],
    })
}

fn user(id: &str) -> Identity {
    Identity::by_id(id, "")
}

fn answer(id: &str, thread: &str, author: Identity, at: i64, body: &str) -> Record {
    Record::Post(PostRecord {
        external_id: id.to_string(),
        thread: thread.to_string(),
        author,
        at,
        body: body.to_string(),
        in_reply_to: Some(thread.to_string()),
    })
}

fn comment(id: &str, who: Identity, at: i64, reply_to: Identity) -> Record {
    Record::Activity(ActivityRecord {
        external_id: format!("comment/{id}"),
        who,
        kind: ActivityKind::Comment,
        at,
        reply_to: Some(reply_to),
    })
}

#[test]
fn reads_the_fixture_dump_into_exact_records() {
    let (records, warnings) = read(&fixture("site")).expect("the fixture dump reads");
    // Times from `date -u -d 2010-07-19T19:12:12.510Z +%s%3N` and so on.
    let deleted_guy = Identity::by_id("name:deleted guy", "deleted guy");
    let expected = vec![
        // Users.xml: the Community user (-1) is left out; entities and
        // character references are unescaped.
        person("2", "Geoff Dalgas", "Corvallis, OR"),
        person("3", "Zoë O'Brien", "Tromsø & Bodø"),
        person("5", "Ada", ""),
        Record::Thread(ThreadRecord {
            external_id: "1".into(),
            kind: ThreadKind::Question,
            title: "Eliciting priors from experts".into(),
            author: user("2"),
            at: 1_279_566_732_510,
            tags: vec!["bayesian".into(), "prior".into()],
            body: "<p>How should I elicit prior distributions from experts?</p>\n".into(),
        }),
        answer("2", "1", user("3"), 1_279_566_883_050, "<p>Ask them for quantiles.</p>\n"),
        answer(
            "3",
            "1",
            deleted_guy.clone(),
            1_279_567_200_000,
            "<p>Use <code>a &amp; b</code></p>\n\n<p>Then check.</p>",
        ),
        // Accepted by a vote on 2010-07-21, later than the answer.
        Record::Accepted { thread: "1".into(), post: "3".into(), at: 1_279_670_400_000 },
        Record::Thread(ThreadRecord {
            external_id: "4".into(),
            kind: ThreadKind::Question,
            title: "What is a \"p-value\"?".into(),
            author: user("5"),
            at: 1_279_612_800_000,
            tags: vec!["hypothesis-testing".into(), "p-value".into()],
            body: "<p>What is it?</p>".into(),
        }),
        answer("5", "4", user("2"), 1_279_618_200_000, "<p>The chance of data this extreme under the null.</p>"),
        // No accept vote: dated by the answer.
        Record::Accepted { thread: "4".into(), post: "5".into(), at: 1_279_618_200_000 },
        comment("10", user("3"), 1_279_567_800_000, user("2")),
        comment("11", user("2"), 1_279_569_600_000, deleted_guy),
        comment("13", Identity::by_id("name:Gone Person", "Gone Person"), 1_279_620_000_000, user("2")),
    ];
    assert_eq!(records, expected);

    let posts = fixture("site").join("Posts.xml");
    let comments = fixture("site").join("Comments.xml");
    assert_eq!(
        warnings,
        vec![
            format!(
                "{}: line 8: skipped posts of other types than question and answer (tag wikis, ...): 2 (the first on this line)",
                posts.display()
            ),
            format!(
                "{}: line 11: skipped posts with neither OwnerUserId nor OwnerDisplayName: 1 (the first on this line)",
                posts.display()
            ),
            format!(
                "{}: line 10: skipped answers whose question was not read before them: 1 (the first on this line)",
                posts.display()
            ),
            format!(
                "{}: line 5: skipped comments on posts that were not read (tag wikis, skipped posts): 1 (the first on this line)",
                comments.display()
            ),
        ]
    );
}

#[test]
fn reading_twice_gives_the_same_records() {
    let first = read(&fixture("site")).expect("reads");
    let second = read(&fixture("site")).expect("reads");
    assert_eq!(first, second);
}

#[derive(Default)]
struct Progress {
    calls: Vec<(u64, Option<u64>)>,
}

impl Sink for Progress {
    fn record(&mut self, _record: Record) -> Result<(), String> {
        Ok(())
    }
    fn progress(&mut self, done: u64, total: Option<u64>) {
        self.calls.push((done, total));
    }
}

#[test]
fn progress_counts_the_bytes_of_the_files_read() {
    let dir = fixture("site");
    let read_files = ["Users.xml", "Votes.xml", "Posts.xml", "Comments.xml", "Tags.xml"];
    let total: u64 = read_files.iter().map(|f| std::fs::metadata(dir.join(f)).expect("fixture").len()).sum();
    let mut sink = Progress::default();
    StackExchangeImporter::default().read(&dir, &mut sink).expect("reads");
    assert_eq!(sink.calls.first(), Some(&(0, Some(total))));
    assert_eq!(sink.calls.last(), Some(&(total, Some(total))));
    assert!(sink.calls.windows(2).all(|w| w[0].0 <= w[1].0), "progress never goes back: {:?}", sink.calls);
}

struct Refuse;

impl Sink for Refuse {
    fn record(&mut self, _record: Record) -> Result<(), String> {
        Err("disk full".into())
    }
}

#[test]
fn a_refusing_sink_stops_the_reader() {
    let error = StackExchangeImporter::default().read(&fixture("site"), &mut Refuse).expect_err("stops");
    assert_eq!(error, ImportError::Stopped("disk full".into()));
}

#[test]
fn a_generated_dump_reads_back_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dump = write_stackexchange_dump(dir.path(), 2_000, 7).expect("writes");
    assert_eq!(dump.posts(), 2_000);
    assert_eq!(dump.users, 200);
    // Roughly the promised shape: one question per three posts, 60% accepted.
    assert!((550..=800).contains(&dump.questions), "{dump:?}");
    assert!(dump.accepted * 100 / dump.questions >= 50 && dump.accepted * 100 / dump.questions <= 70, "{dump:?}");
    assert_eq!(dump.comments, 1_000);

    let (records, warnings) = read(dir.path()).expect("the generated dump reads");
    let count = |pick: fn(&Record) -> bool| records.iter().filter(|r| pick(r)).count() as u64;
    assert_eq!(count(|r| matches!(r, Record::Person(_))), dump.users);
    assert_eq!(count(|r| matches!(r, Record::Thread(_))), dump.questions);
    assert_eq!(count(|r| matches!(r, Record::Post(_))), dump.answers);
    assert_eq!(count(|r| matches!(r, Record::Accepted { .. })), dump.accepted);
    assert_eq!(count(|r| matches!(r, Record::Activity(_))), dump.comments);
    assert_eq!(records.len() as u64, dump.records());
    // Only the tag wikis are skipped.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(&format!("(tag wikis, ...): {} (", dump.other_posts)), "{warnings:?}");

    // Deterministic: the same seed writes the same bytes.
    let again = tempfile::tempdir().expect("temp dir");
    assert_eq!(write_stackexchange_dump(again.path(), 2_000, 7).expect("writes"), dump);
    for file in ["Users.xml", "Posts.xml", "Comments.xml", "Votes.xml", "Tags.xml"] {
        let a = std::fs::read(dir.path().join(file)).expect("read");
        let b = std::fs::read(again.path().join(file)).expect("read");
        assert!(a == b, "{file} differs between two runs with the same seed");
    }
    let mut counter = CountSink::default();
    StackExchangeImporter::default().read(again.path(), &mut counter).expect("reads");
    assert_eq!(counter.records, dump.records());
}

/// Reads a bad dump and returns the error's text, checked to name the file
/// and a line.
fn error_for(dir: &Path, file: &str, line: u64) -> String {
    let error = read(dir).expect_err("bad input must fail");
    let text = error.to_string();
    let path = dir.join(file);
    assert!(text.starts_with(&format!("{}: line {line}: ", path.display())), "{text}");
    text
}

#[test]
fn a_billion_laughs_dtd_is_refused() {
    let text = error_for(&fixture("bad/billion-laughs"), "Posts.xml", 2);
    assert!(text.contains("DTDs are not allowed"), "{text}");
}

#[test]
fn an_external_entity_dtd_is_refused() {
    let text = error_for(&fixture("bad/external-entity"), "Posts.xml", 2);
    assert!(text.contains("DTDs are not allowed"), "{text}");
    assert!(!text.contains("root:"), "nothing of /etc/passwd may leak: {text}");
}

#[test]
fn an_unknown_entity_is_an_error() {
    let text = error_for(&fixture("bad/unknown-entity"), "Posts.xml", 4);
    assert!(text.contains("Body") && text.contains("foo"), "{text}");
}

#[test]
fn a_truncated_file_is_an_error() {
    let text = error_for(&fixture("bad/truncated"), "Posts.xml", 4);
    assert!(text.contains("not closed"), "{text}");
    // Cut right after a row: well-formed so far, but no </posts>.
    let text = error_for(&fixture("bad/truncated-after-row"), "Posts.xml", 4);
    assert!(text.contains("truncated"), "{text}");
}

#[test]
fn a_file_that_is_not_xml_is_an_error() {
    let text = error_for(&fixture("bad/not-xml"), "Posts.xml", 1);
    assert!(text.contains("does not look like a Stack Exchange dump"), "{text}");
}

#[test]
fn a_file_with_the_wrong_root_is_an_error() {
    let text = error_for(&fixture("bad/wrong-root"), "Posts.xml", 2);
    assert!(text.contains("expected <posts>"), "{text}");
}

#[test]
fn a_bad_date_names_the_attribute_and_line() {
    let text = error_for(&fixture("bad/bad-date"), "Posts.xml", 5);
    assert!(text.contains("CreationDate=\"19/07/2010\""), "{text}");
}

#[test]
fn a_missing_posts_file_is_an_error() {
    let dir = fixture("bad/missing-posts");
    let text = read(&dir).expect_err("no Posts.xml").to_string();
    assert!(text.starts_with(&format!("{}: Posts.xml is missing", dir.join("Posts.xml").display())), "{text}");
}

#[test]
fn a_file_instead_of_a_directory_is_an_error() {
    let file = fixture("site").join("Posts.xml");
    let text = read(&file).expect_err("not a directory").to_string();
    assert!(text.starts_with(&format!("{}: not a directory", file.display())), "{text}");
}

#[test]
fn invalid_utf8_in_an_attribute_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut posts = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n".to_vec();
    posts.extend_from_slice(b"  <row Id=\"1\" PostTypeId=\"1\" CreationDate=\"2010-07-19T19:12:12.510\" Body=\"caf\xe9\" OwnerUserId=\"2\" />\n");
    posts.extend_from_slice(b"</posts>\n");
    std::fs::write(dir.path().join("Posts.xml"), posts).expect("write");
    let text = error_for(dir.path(), "Posts.xml", 3);
    assert!(text.to_lowercase().contains("utf-8"), "{text}");
}

#[test]
fn a_row_over_the_cap_is_refused_without_buffering_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = "x".repeat(100_000);
    let posts = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n  <row Id=\"1\" PostTypeId=\"1\" \
         CreationDate=\"2010-07-19T19:12:12.510\" Body=\"{body}\" OwnerUserId=\"2\" />\n</posts>\n"
    );
    std::fs::write(dir.path().join("Posts.xml"), posts).expect("write");
    let importer = StackExchangeImporter { max_row_bytes: 10_000 };
    let text = importer.read(dir.path(), &mut CountSink::default()).expect_err("too large").to_string();
    let expected_start = format!("{}: line 3: ", dir.path().join("Posts.xml").display());
    assert!(text.starts_with(&expected_start) && text.contains("larger than 10000 bytes"), "{text}");
    // The default cap reads it.
    let mut sink = CountSink::default();
    StackExchangeImporter::default().read(dir.path(), &mut sink).expect("fits the default cap");
    assert_eq!(sink.records, 1);
}

#[test]
fn bad_optional_files_are_errors_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["Posts.xml", "Users.xml"] {
        std::fs::copy(fixture("site").join(file), dir.path().join(file)).expect("copy");
    }
    std::fs::write(dir.path().join("Comments.xml"), "<comments>\n  <row Id=\"1\" PostId=\"1\" />\n</comments>\n")
        .expect("write");
    let text = error_for(dir.path(), "Comments.xml", 2);
    assert!(text.contains("no CreationDate attribute"), "{text}");
}
