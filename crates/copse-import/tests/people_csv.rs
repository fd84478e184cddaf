//! The CSV people directory reader against hand-written fixtures: exact
//! records for a good file (BOM, CRLF, columns in any order and case,
//! quoted fields with commas, quotes and a line break, a blank line), and
//! one error per kind of bad input, naming the file, line and column.

use copse_import::people_csv::PeopleCsvImporter;
use copse_import::{CollectSink, CountSink, Identity, ImportError, Importer, PersonRecord, Record};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/people_csv").join(name)
}

fn read(path: &Path) -> Result<(Vec<Record>, Vec<String>), ImportError> {
    let mut sink = CollectSink::default();
    let summary = PeopleCsvImporter::default().read(path, &mut sink)?;
    assert_eq!(summary.records, sink.records.len() as u64);
    Ok((sink.records, summary.warnings))
}

fn person(name: &str, email: &str, team: &str, location: &str, zone: Option<&str>, skills: &[&str]) -> Record {
    Record::Person(PersonRecord {
        identity: Identity::by_email(name, email),
        team: team.to_string(),
        location: location.to_string(),
        time_zone: zone.map(str::to_string),
        skills: skills.iter().map(|s| s.to_string()).collect(),
    })
}

#[test]
fn reads_the_directory_into_exact_records() {
    let path = fixture("people.csv");
    let (records, warnings) = read(&path).expect("the fixture reads");
    assert_eq!(
        records,
        vec![
            person(
                "Ada Lovelace",
                "ada.lovelace@example.org",
                "Core",
                "London, UK",
                Some("Europe/London"),
                &["Rust", "SQL", "mentoring"]
            ),
            person(
                "Grace \"Amazing\" Hopper",
                "grace@example.org",
                "Compilers",
                "Arlington,\r\nVirginia",
                Some("America/New_York"),
                &[]
            ),
            person("", "linus@example.org", "Kernel", "Portland", None, &["git", "kernel"]),
            person("Zoë Ørsted", "zoe@example.org", "", "Tromsø", Some("Asia/Kolkata"), &["Go", "Rust"]),
        ]
    );
    // The identity is keyed by the lower-cased e-mail.
    let Record::Person(ada) = &records[0] else { panic!("a person") };
    assert_eq!(ada.identity.key, "ada.lovelace@example.org");
    assert_eq!(
        warnings,
        vec![format!(
            "{}: line 1: columns ignored (not name, email, team, location, time_zone, skills): Manager",
            path.display()
        )]
    );
    assert_eq!(read(&path).expect("reads again"), (records, warnings));
}

/// The error's full text for a bad fixture, checked to start with the file
/// and position.
fn error_for(name: &str, position: &str) -> String {
    let path = fixture(name);
    let text = read(&path).expect_err("bad input must fail").to_string();
    assert!(text.starts_with(&format!("{}: {position}: ", path.display())), "{text}");
    text
}

#[test]
fn a_missing_required_column_is_named_at_line_1() {
    let text = error_for("bad/missing-column.csv", "line 1");
    assert!(text.contains("no \"email\" column (it has: name, team, location)"), "{text}");
}

#[test]
fn text_after_a_closing_quote_is_an_error() {
    let text = error_for("bad/extra-quotes.csv", "line 3, column 22");
    assert!(text.contains("after a closing quote"), "{text}");
}

#[test]
fn a_quote_inside_an_unquoted_field_is_an_error() {
    let text = error_for("bad/stray-quote.csv", "line 3, column 12");
    assert!(text.contains("quote inside an unquoted field"), "{text}");
}

#[test]
fn an_unclosed_quote_names_where_it_opened() {
    let text = error_for("bad/unclosed-quote.csv", "line 3, column 5");
    assert!(text.contains("never closed"), "{text}");
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_an_error() {
    let text = error_for("bad/field-count.csv", "line 3");
    assert!(text.contains("this row has 2 fields, the header has 3"), "{text}");
}

#[test]
fn an_unknown_time_zone_is_an_error() {
    let text = error_for("bad/time-zone.csv", "line 3, column 21");
    assert!(text.contains("column \"time_zone\": \"Mars/Olympus_Mons\" is not an IANA time zone"), "{text}");
}

#[test]
fn a_duplicate_email_names_both_lines() {
    let text = error_for("bad/duplicate-email.csv", "line 4, column 8");
    assert!(text.contains("ada@example.org is already on line 2"), "{text}");
}

#[test]
fn an_empty_or_invalid_email_is_an_error() {
    let text = error_for("bad/empty-email.csv", "line 2, column 5");
    assert!(text.contains("column \"email\" is empty"), "{text}");
    let text = error_for("bad/invalid-email.csv", "line 2, column 5");
    assert!(text.contains("\"Core\" is not an e-mail address"), "{text}");
}

#[test]
fn an_empty_file_is_an_error() {
    let text = error_for("bad/empty.csv", "line 1");
    assert!(text.contains("empty"), "{text}");
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("people.csv");
    std::fs::write(&path, b"name,email,team\nAda,ada@example.org,Caf\xe9\n").expect("write");
    let text = PeopleCsvImporter::default().read(&path, &mut CountSink::default()).expect_err("bad").to_string();
    assert!(
        text.starts_with(&format!("{}: line 2, column 21: invalid UTF-8 in column \"team\"", path.display())),
        "{text}"
    );
}

#[test]
fn a_field_over_the_cap_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("people.csv");
    let long = "x".repeat(5_000);
    std::fs::write(&path, format!("name,email,team\nAda,ada@example.org,Core\nBob,bob@example.org,{long}\n"))
        .expect("write");
    let importer = PeopleCsvImporter { max_field_bytes: 1_000 };
    let text = importer.read(&path, &mut CountSink::default()).expect_err("too long").to_string();
    assert!(
        text.starts_with(&format!("{}: line 3, column 21: a field longer than 1000 bytes", path.display())),
        "{text}"
    );
    let mut sink = CountSink::default();
    PeopleCsvImporter::default().read(&path, &mut sink).expect("fits the default cap");
    assert_eq!(sink.records, 2);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let path = fixture("no-such-file.csv");
    let text = read(&path).expect_err("missing").to_string();
    assert!(text.starts_with(&format!("{}: ", path.display())), "{text}");
}
