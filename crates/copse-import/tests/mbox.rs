//! The mbox reader against a hand-written archive (tests/fixtures/mbox/list.mbox,
//! written from RFC 4155, RFC 2045–2047 and RFC 5322) and a corpus of bad
//! inputs built in each test. Expected times were computed by hand from the
//! Date: headers (UTC), the synthetic id with an independent SHA-256.

use copse_import::mbox::MboxImporter;
use copse_import::{CollectSink, Identity, ImportError, Importer, PostRecord, Record, Sink, ThreadKind, ThreadRecord};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mbox/list.mbox")
}

fn read(importer: &MboxImporter, path: &Path) -> Result<(Vec<Record>, Vec<String>), ImportError> {
    let mut sink = CollectSink::default();
    let summary = importer.read(path, &mut sink)?;
    assert_eq!(summary.records, sink.records.len() as u64);
    Ok((sink.records, summary.warnings))
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn thread(id: &str, title: &str, author: Identity, at: i64, body: &str) -> Record {
    Record::Thread(ThreadRecord {
        external_id: id.to_string(),
        kind: ThreadKind::Discussion,
        title: title.to_string(),
        author,
        at,
        tags: vec![],
        body: body.to_string(),
    })
}

fn post(id: &str, thread: &str, parent: &str, author: Identity, at: i64, body: &str) -> Record {
    Record::Post(PostRecord {
        external_id: id.to_string(),
        thread: thread.to_string(),
        author,
        at,
        body: body.to_string(),
        in_reply_to: Some(parent.to_string()),
    })
}

const SYNTHETIC_ID: &str = "617bf36e3e4e6d6aa6afe275317f875e@mbox.copse.invalid";

fn expected_fixture_records() -> Vec<Record> {
    vec![
        thread(
            "a1@example.org",
            "Release planning",
            Identity::by_email("Alice Liddell", "alice@example.org"),
            1_740_988_800_000,
            "Shall we cut 1.0 this week?\nFrom the last release we learned to freeze early.\n>From here on, quoted.",
        ),
        post(
            "b2@example.org",
            "a1@example.org",
            "a1@example.org",
            Identity::by_email("Björn Ström", "bjorn@example.org"),
            1_740_996_930_000,
            "Ja, gerne. Grüße aus München, Björn",
        ),
        // No In-Reply-To: the last References id is the parent.
        post(
            "c3@example.org",
            "a1@example.org",
            "b2@example.org",
            Identity::by_email("Carol", "carol@example.org"),
            1_741_093_200_000,
            "Agreed. Let's ship on Friday — café first.",
        ),
        // In reply to a message the archive does not hold: a thread of its own.
        thread(
            "d4@example.org",
            "Café ☕ meetup",
            Identity::by_email("", "dave@example.org"),
            1_741_176_000_000,
            "“Bring a mug” – entry costs €5.",
        ),
        // Neither Message-ID nor Date: synthetic id, date of the "From " line.
        thread(
            SYNTHETIC_ID,
            "Notes without an id",
            Identity::by_email("Erin", "erin@example.org"),
            1_741_271_400_000,
            "No Message-ID and no Date here: the separator line dates it.",
        ),
        // (Mallory's message reuses a1's id: skipped.)
        post(
            "g7@example.org",
            "d4@example.org",
            "d4@example.org",
            Identity::by_email("Frank", "frank@example.org"),
            1_741_276_800_000,
            "Count me in.",
        ),
    ]
}

#[test]
fn reads_threads_posts_encodings_and_escapes() {
    let (records, warnings) = read(&MboxImporter::default(), &fixture()).expect("fixture reads");
    let expected = expected_fixture_records();
    for (got, want) in records.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(records.len(), expected.len());
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].contains("list.mbox: line 65:") && warnings[0].contains(SYNTHETIC_ID), "{warnings:#?}");
    assert!(warnings[1].contains("list.mbox: line 71:") && warnings[1].contains("a1@example.org was already seen"));
}

#[test]
fn identity_is_lower_cased_email() {
    let (records, _) = read(&MboxImporter::default(), &fixture()).expect("fixture reads");
    let Record::Thread(first) = &records[0] else { panic!("first record is a thread: {:?}", records[0]) };
    assert_eq!(first.author.key, "alice@example.org");
    assert_eq!(first.author.email.as_deref(), Some("alice@example.org"));
    assert_eq!(first.author.name, "Alice Liddell");
}

#[test]
fn deterministic_and_reports_progress_to_the_end() {
    #[derive(Default)]
    struct Progress {
        records: Vec<Record>,
        last: Option<(u64, Option<u64>)>,
        calls: usize,
    }
    impl Sink for Progress {
        fn record(&mut self, record: Record) -> Result<(), String> {
            self.records.push(record);
            Ok(())
        }
        fn progress(&mut self, done: u64, total: Option<u64>) {
            self.calls += 1;
            self.last = Some((done, total));
        }
    }
    let size = std::fs::metadata(fixture()).expect("fixture").len();
    let mut first = Progress::default();
    MboxImporter::default().read(&fixture(), &mut first).expect("first pass");
    let mut second = Progress::default();
    MboxImporter::default().read(&fixture(), &mut second).expect("second pass");
    assert_eq!(first.records, second.records);
    assert_eq!(first.last, Some((size, Some(size))));
    assert_eq!(first.calls, 7, "one progress call per message");
}

#[test]
fn crlf_line_endings_give_the_same_records() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "crlf.mbox", text.replace('\n', "\r\n").as_bytes());
    let (records, _) = read(&MboxImporter::default(), &path).expect("CRLF reads");
    assert_eq!(records, expected_fixture_records());
}

#[test]
fn a_sink_error_stops_the_reader() {
    struct Refuse;
    impl Sink for Refuse {
        fn record(&mut self, _record: Record) -> Result<(), String> {
            Err("disk full".to_string())
        }
    }
    let error = MboxImporter::default().read(&fixture(), &mut Refuse).expect_err("stops");
    assert_eq!(error, ImportError::Stopped("disk full".to_string()));
}

#[test]
fn empty_file_has_no_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "empty.mbox", b"");
    let (records, warnings) = read(&MboxImporter::default(), &path).expect("empty reads");
    assert!(records.is_empty() && warnings.is_empty());
}

#[test]
fn html_only_message_keeps_its_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mbox = b"From x@example.org Sat Jan  4 10:00:00 2025\n\
From: X <x@example.org>\n\
Subject: Hello\n\
Date: Sat, 04 Jan 2025 10:00:00 +0000\n\
Message-ID: <h1@example.org>\n\
Content-Type: text/html; charset=utf-8\n\
\n\
<p>Hello <b>world</b></p>\n\
\n";
    let path = write_temp(&dir, "html.mbox", mbox);
    let (records, _) = read(&MboxImporter::default(), &path).expect("reads");
    let [Record::Thread(thread)] = records.as_slice() else { panic!("one thread: {records:?}") };
    assert!(thread.body.contains("Hello") && thread.body.contains("world"), "{:?}", thread.body);
    assert_eq!(thread.at, 1_735_984_800_000);
}

// ---- bad input ----------------------------------------------------------

fn assert_error(error: &ImportError, path: &Path, position: &str, words: &str) {
    let shown = error.to_string();
    assert!(shown.contains(&path.display().to_string()), "names the file: {shown}");
    assert!(shown.contains(position), "names the position {position:?}: {shown}");
    assert!(shown.contains(words), "says {words:?}: {shown}");
}

#[test]
fn not_an_mbox_is_an_error_at_line_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "notes.txt", b"Subject: hello\n\nThis is a plain e-mail, not an archive.\n");
    let error = read(&MboxImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": line 1:", "not an mbox file");
}

#[test]
fn binary_file_is_an_error_at_line_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "archive.gz", &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x01]);
    let error = read(&MboxImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": line 1:", "not an mbox file");
}

#[test]
fn missing_file_names_the_file() {
    let path = Path::new("/nonexistent/copse/list.mbox");
    let error = read(&MboxImporter::default(), path).expect_err("refused");
    assert!(error.to_string().starts_with("/nonexistent/copse/list.mbox: "), "{error}");
}

#[test]
fn truncated_inside_headers_is_an_error_at_the_message() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    // Cut in the middle of Björn's headers (the message starting on line 12).
    let cut =
        text.find("Subject: Re: [copse-dev] Release planning\nDate: Mon, 03 Mar 2025 10:15").expect("cut point") + 20;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "cut.mbox", &text.as_bytes()[..cut]);
    let error = read(&MboxImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": line 12:", "ends inside its headers");
}

#[test]
fn truncated_inside_a_body_keeps_the_message() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let cut = text.find("M=FCnchen").expect("cut point");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "cut.mbox", &text.as_bytes()[..cut]);
    let (records, _) = read(&MboxImporter::default(), &path).expect("reads");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0], expected_fixture_records()[0]);
    let Record::Post(post) = &records[1] else { panic!("a post: {:?}", records[1]) };
    assert_eq!(post.body, "Ja, gerne. Grüße aus");
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    let mut mbox = Vec::new();
    mbox.extend_from_slice(b"From \xff\xfe@example.org Sat Jan  4 10:00:00 2025\n");
    mbox.extend_from_slice(b"From: J\xf6rg <joerg@example.org>\n");
    mbox.extend_from_slice(b"Subject: Caf\xe9 \xc3\n");
    mbox.extend_from_slice(b"Date: Sat, 04 Jan 2025 10:00:00 +0000\n");
    mbox.extend_from_slice(b"Message-ID: <u1@example.org>\n");
    mbox.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\n");
    mbox.extend_from_slice(b"Content-Transfer-Encoding: 8bit\n\n");
    mbox.extend_from_slice(b"Bad \xc3\x28 byte and \xff end\n\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "bad-utf8.mbox", &mbox);
    let (records, _) = read(&MboxImporter::default(), &path).expect("never an error");
    let [Record::Thread(thread)] = records.as_slice() else { panic!("one thread: {records:?}") };
    assert_eq!(thread.body, "Bad \u{FFFD}( byte and \u{FFFD} end");
    assert!(thread.title.starts_with("Caf") && thread.title.contains('\u{FFFD}'), "{:?}", thread.title);
    assert!(thread.author.name.starts_with('J') && thread.author.name.ends_with("rg"), "{:?}", thread.author.name);
    assert_eq!(thread.author.key, "joerg@example.org");
}

#[test]
fn overlong_line_is_an_error_at_its_line() {
    let mut mbox = b"From a@example.org Sat Jan  4 10:00:00 2025\nFrom: a@example.org\nSubject: long\n\n".to_vec();
    mbox.extend(std::iter::repeat_n(b'x', 5000));
    mbox.extend_from_slice(b"\n\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "long.mbox", &mbox);
    let importer = MboxImporter { max_line_bytes: 1024, ..MboxImporter::default() };
    let error = read(&importer, &path).expect_err("refused");
    assert_error(&error, &path, ": line 5:", "longer than the limit of 1024 bytes");
    assert!(error.to_string().contains("byte 79"), "{error}");
    // The default cap reads it.
    let (records, _) = read(&MboxImporter::default(), &path).expect("reads under the default cap");
    assert_eq!(records.len(), 1);
}

#[test]
fn overlong_line_without_newline_is_an_error() {
    let mut mbox = b"From a@example.org Sat Jan  4 10:00:00 2025\n".to_vec();
    mbox.extend(std::iter::repeat_n(b'y', 3000));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "long.mbox", &mbox);
    let importer = MboxImporter { max_line_bytes: 1024, ..MboxImporter::default() };
    let error = read(&importer, &path).expect_err("refused");
    assert_error(&error, &path, ": line 2:", "longer than the limit");
}

#[test]
fn oversized_message_is_an_error_at_its_first_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let importer = MboxImporter { max_message_bytes: 500, ..MboxImporter::default() };
    let error = read(&importer, &fixture()).expect_err("refused");
    // Carol's multipart message (line 27) is the first over 500 bytes.
    assert_error(&error, &fixture(), ": line 27:", "larger than the limit of 500 bytes");
    drop(dir);
}

#[test]
fn message_without_sender_or_date_is_skipped_with_a_warning() {
    let mbox = b"From nobody Sat Jan  4 10:00:00 2025\n\
Subject: no sender\n\
Message-ID: <s1@example.org>\n\
\n\
body\n\
\n\
From someone garbage-date\n\
From: someone@example.org\n\
Subject: no date anywhere\n\
Message-ID: <s2@example.org>\n\
Date: not a date\n\
\n\
body\n\
\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_temp(&dir, "skips.mbox", mbox);
    let (records, warnings) = read(&MboxImporter::default(), &path).expect("reads");
    assert!(records.is_empty(), "{records:?}");
    assert_eq!(warnings.len(), 2);
    assert!(warnings[0].contains(": line 1:") && warnings[0].contains("no sender"), "{warnings:?}");
    assert!(warnings[1].contains(": line 7:") && warnings[1].contains("readable date"), "{warnings:?}");
}
