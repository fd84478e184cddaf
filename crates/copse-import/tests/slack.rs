//! The Slack reader against an export written by hand from Slack's
//! documentation ("How to read Slack data exports"): tests/fixtures/slack/export
//! is zipped by each test (so the fixture stays readable), sometimes with a
//! member changed or added to make it bad. Expected times are the `ts`
//! seconds (computed by hand from the UTC dates in the comments) × 1000.

use copse_import::slack::SlackImporter;
use copse_import::{ActivityKind, ActivityRecord, CollectSink, Identity, ImportError, Importer, PersonRecord, Record};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slack/export")
}

/// The fixture's files as (archive name, bytes), sorted by name.
fn fixture_members() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("fixture dir") {
            let entry = entry.expect("fixture entry");
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().expect("file type").is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push((name, std::fs::read(entry.path()).expect("fixture file")));
            }
        }
    }
    let mut members = Vec::new();
    walk(&fixture_dir(), "", &mut members);
    members.sort();
    members
}

fn zip_bytes(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(name.as_str(), options).expect("start member");
        zip.write_all(bytes).expect("write member");
    }
    zip.finish().expect("finish zip").into_inner()
}

fn write_zip(dir: &tempfile::TempDir, members: &[(String, Vec<u8>)]) -> PathBuf {
    let path = dir.path().join("export.zip");
    std::fs::write(&path, zip_bytes(members)).expect("write zip");
    path
}

/// The fixture with one member replaced (or added).
fn with_member(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut members: Vec<_> = fixture_members().into_iter().filter(|(n, _)| n != name).collect();
    members.push((name.to_string(), bytes.to_vec()));
    members
}

fn read(importer: &SlackImporter, path: &Path) -> Result<(Vec<Record>, Vec<String>), ImportError> {
    let mut sink = CollectSink::default();
    let summary = importer.read(path, &mut sink)?;
    assert_eq!(summary.records, sink.records.len() as u64);
    Ok((sink.records, summary.warnings))
}

fn user(id: &str) -> Identity {
    Identity::by_id(id, "")
}

fn message(external_id: &str, who: &str, at: i64, reply_to: Option<&str>) -> Record {
    Record::Activity(ActivityRecord {
        external_id: external_id.to_string(),
        who: user(who),
        kind: ActivityKind::Message,
        at,
        reply_to: reply_to.map(user),
    })
}

fn reaction(external_id: &str, who: &str, at: i64, to: &str) -> Record {
    Record::Activity(ActivityRecord {
        external_id: external_id.to_string(),
        who: user(who),
        kind: ActivityKind::Reaction,
        at,
        reply_to: Some(user(to)),
    })
}

fn person(id: &str, name: &str, email: Option<&str>, time_zone: Option<&str>) -> Record {
    let mut identity = Identity::by_id(id, name);
    identity.email = email.map(str::to_string);
    Record::Person(PersonRecord {
        identity,
        team: String::new(),
        location: String::new(),
        time_zone: time_zone.map(str::to_string),
        skills: vec![],
    })
}

fn expected_records() -> Vec<Record> {
    vec![
        person("U01ALICE", "Alice Liddell", Some("alice@example.org"), Some("Europe/London")),
        // No real name: the display name; an invalid zone is left empty.
        person("U02BOB", "Bobby", None, None),
        // Deleted, but a real participant: kept.
        person("U03CAROL", "Carol Danvers", None, Some("America/New_York")),
        // (deploybot is_bot, Slackbot: not people.)
        Record::Channel {
            name: "general".to_string(),
            purpose: "Company-wide announcements and work-based matters".to_string(),
        },
        Record::Channel { name: "random".to_string(), purpose: "Non-work banter".to_string() },
        // general, 2024-05-01 (Bob's join at 08:00 skipped), sorted by ts:
        // 10:00 Alice opens a thread, two reactions.
        message("general/1714557600.000100", "U01ALICE", 1_714_557_600_000, None),
        reaction("general/1714557600.000100/tada/U02BOB", "U02BOB", 1_714_557_600_000, "U01ALICE"),
        reaction("general/1714557600.000100/tada/U03CAROL", "U03CAROL", 1_714_557_600_000, "U01ALICE"),
        // 11:00 Bob replies in the thread.
        message("general/1714561200.000300", "U02BOB", 1_714_561_200_000, Some("U01ALICE")),
        // (12:00 the deploy bot: skipped.)
        // 2024-05-02 10:00 Carol replies in the thread the day after; Alice reacts.
        message("general/1714644000.000500", "U03CAROL", 1_714_644_000_000, Some("U01ALICE")),
        reaction("general/1714644000.000500/+1/U01ALICE", "U01ALICE", 1_714_644_000_000, "U03CAROL"),
        // 11:00:00.123456 Bob, top level.
        message("general/1714647600.123456", "U02BOB", 1_714_647_600_123, None),
        // 12:00 Alice in a thread whose parent predates the export: no reply_to.
        message("general/1714651200.000700", "U01ALICE", 1_714_651_200_000, None),
        // (13:00 Carol leaves: skipped.)
        // random, 2024-05-01 10:40 Bob; Alice waves (Slackbot's wave skipped).
        message("random/1714560000.000000", "U02BOB", 1_714_560_000_000, None),
        reaction("random/1714560000.000000/wave/U01ALICE", "U01ALICE", 1_714_560_000_000, "U02BOB"),
    ]
}

#[test]
fn reads_people_channels_messages_threads_and_reactions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &fixture_members());
    let (records, warnings) = read(&SlackImporter::default(), &path).expect("export reads");
    let expected = expected_records();
    for (got, want) in records.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(records.len(), expected.len());
    let shown = path.display().to_string();
    assert_eq!(
        warnings,
        vec![
            format!("{shown}: user U02BOB: time zone \"Not/AZone\" is not an IANA zone name: left empty"),
            format!("{shown}: 1 bot messages skipped"),
            format!("{shown}: 1 bot reactions skipped"),
            format!("{shown}: 1 channel_join messages skipped"),
            format!("{shown}: 1 channel_leave messages skipped"),
            format!(
                "{shown}: private conversations not imported: 1 folder(s) not listed in channels.json (the export has groups.json)"
            ),
        ]
    );
}

#[test]
fn reads_the_same_twice_and_in_any_member_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &fixture_members());
    let first = read(&SlackImporter::default(), &path).expect("first pass");
    let second = read(&SlackImporter::default(), &path).expect("second pass");
    assert_eq!(first, second);
    let mut reversed = fixture_members();
    reversed.reverse();
    let other = tempfile::tempdir().expect("temp dir");
    let (records, _) = read(&SlackImporter::default(), &write_zip(&other, &reversed)).expect("reversed reads");
    assert_eq!(records, first.0);
}

#[test]
fn export_zipped_inside_a_folder_reads_the_same() {
    let members: Vec<_> = fixture_members().into_iter().map(|(n, b)| (format!("Copse Slack export/{n}"), b)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let (records, _) = read(&SlackImporter::default(), &write_zip(&dir, &members)).expect("reads");
    assert_eq!(records, expected_records());
}

#[test]
fn org_users_json_is_read_on_enterprise_grid() {
    let mut members = fixture_members();
    for (name, _) in &mut members {
        if name == "users.json" {
            *name = "org_users.json".to_string();
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (records, _) = read(&SlackImporter::default(), &write_zip(&dir, &members)).expect("reads");
    assert_eq!(records, expected_records());
}

// ---- bad input ----------------------------------------------------------

fn assert_error(error: &ImportError, path: &Path, position: &str, words: &str) {
    let shown = error.to_string();
    assert!(shown.starts_with(&format!("{}: ", path.display())), "names the file: {shown}");
    assert!(shown.contains(position), "names the position {position:?}: {shown}");
    assert!(shown.contains(words), "says {words:?}: {shown}");
}

#[test]
fn not_a_zip_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.zip");
    std::fs::write(&path, b"[{\"id\": \"U01\"}]\n").expect("write");
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": byte 16:", "not a zip archive");
}

#[test]
fn truncated_zip_is_an_error() {
    let bytes = zip_bytes(&fixture_members());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.zip");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, &format!(": byte {}:", bytes.len() / 2), "truncated");
}

#[test]
fn corrupt_member_data_is_an_error_naming_the_member() {
    // Stored (not compressed) so the member's bytes can be found and broken.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in fixture_members() {
        zip.start_file(name.as_str(), stored).expect("start");
        zip.write_all(&bytes).expect("write");
    }
    let mut bytes = zip.finish().expect("finish").into_inner();
    let needle = b"Hello, random!";
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("member data");
    bytes[at] = b'J'; // same length, wrong CRC
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.zip");
    std::fs::write(&path, &bytes).expect("write");
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": random/2024-05-01.json:", "corrupt or truncated");
}

#[test]
fn path_traversal_entry_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("../evil.json", b"[]"));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": ../evil.json:", "path traversal");

    let nested = write_zip(&dir, &with_member("general/../../evil.json", b"[]"));
    let error = read(&SlackImporter::default(), &nested).expect_err("refused");
    assert_error(&error, &nested, ": general/../../evil.json:", "path traversal");
}

#[test]
fn absolute_entry_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("/etc/x", b"root:x:0:0"));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": /etc/x:", "absolute path");

    let windows = write_zip(&dir, &with_member("C:\\Windows\\x.json", b"[]"));
    let error = read(&SlackImporter::default(), &windows).expect_err("refused");
    assert_error(&error, &windows, ": C:\\Windows\\x.json:", "absolute path");
}

#[test]
fn malformed_json_names_member_line_and_column() {
    let day = b"[\n    {\"type\": \"message\", \"user\": \"U03CAROL\", \"ts\": \"1714644000.000500\"},\n    {\"type\": \"message\" \"user\": \"U02BOB\", \"ts\": \"1714647600.123456\"}\n]\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("general/2024-05-02.json", day));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    // Line 3, the opening quote of "user" is column 24.
    assert_error(&error, &path, ": general/2024-05-02.json, line 3, column 24:", "invalid JSON: expected `,` or `}`");
}

#[test]
fn invalid_utf8_in_json_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("channels.json", b"[\n  {\"name\": \"caf\xe9\"}\n]\n"));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": channels.json, line 2,", "invalid JSON");
}

#[test]
fn truncated_json_member_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("random/2024-05-01.json", b"[\n  {\"user\": \"U02BOB\", \"ts\": \"17"));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": random/2024-05-01.json, line 2, column", "EOF");
}

#[test]
fn bad_ts_is_an_error_naming_the_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let day = br#"[{"user": "U02BOB", "ts": "1714560000.000000"}, {"user": "U02BOB", "ts": "yesterday"}]"#;
    let path = write_zip(&dir, &with_member("random/2024-05-01.json", day));
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": random/2024-05-01.json, message 2:", "\"yesterday\" is not a Slack timestamp");
}

#[test]
fn member_over_the_size_cap_is_an_error() {
    let mut day = b"[".to_vec();
    for n in 0..200 {
        if n > 0 {
            day.push(b',');
        }
        day.extend_from_slice(format!("{{\"user\": \"U02BOB\", \"ts\": \"17145600{n:02}.000000\"}}").as_bytes());
    }
    day.push(b']');
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &with_member("random/2024-05-01.json", &day));
    let importer = SlackImporter { max_member_bytes: 4096 };
    let error = read(&importer, &path).expect_err("refused");
    assert_error(&error, &path, ": random/2024-05-01.json:", "over the limit of 4096 bytes");
    // The default cap reads it.
    read(&SlackImporter::default(), &path).expect("reads under the default cap");
}

#[test]
fn zip_without_channels_json_is_not_an_export() {
    let members: Vec<_> = fixture_members().into_iter().filter(|(n, _)| n != "channels.json").collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_zip(&dir, &members);
    let error = read(&SlackImporter::default(), &path).expect_err("refused");
    assert_error(&error, &path, ": channels.json:", "not a Slack workspace export");
}

#[test]
fn missing_file_names_the_file() {
    let path = Path::new("/nonexistent/copse/export.zip");
    let error = read(&SlackImporter::default(), path).expect_err("refused");
    assert!(error.to_string().starts_with("/nonexistent/copse/export.zip: "), "{error}");
}
