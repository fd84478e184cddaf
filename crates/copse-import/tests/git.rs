//! The git reader against repositories and bundles built here with the `git`
//! command (the reader itself never runs git), and against the real history
//! of the Git project in `shared/data/git-history.bundle`, whose facts are
//! computed with `git log` on the same input in the same test.

use copse_import::git::GitImporter;
use copse_import::{
    ActivityKind, ActivityRecord, CollectSink, Identity, ImportError, Importer, MentorshipRecord, Position, Record,
};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git` in `dir` with no user or system configuration, with `env`
/// added; returns stdout, panicking (with stderr) when git fails.
fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.org")
        .env("GIT_AUTHOR_NAME", "Nobody")
        .env("GIT_AUTHOR_EMAIL", "nobody@example.org")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// 2020-01-01T10:00:00Z; commit n of the fixture is authored n-1 days later.
const DAY0: i64 = 1_577_872_800;

/// Commits in `repo` as `name <email>` on day `day`, committed a minute
/// later (so the reader must take the author date); returns the commit id.
fn commit(repo: &Path, day: i64, name: &str, email: &str, message: &str, extra: &[&str]) -> String {
    let author_date = format!("@{} +0200", DAY0 + day * 86_400);
    let committer_date = format!("@{} +0000", DAY0 + day * 86_400 + 60);
    let env = [
        ("GIT_AUTHOR_NAME", name),
        ("GIT_AUTHOR_EMAIL", email),
        ("GIT_AUTHOR_DATE", author_date.as_str()),
        ("GIT_COMMITTER_DATE", committer_date.as_str()),
    ];
    let mut args = vec!["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-m", message];
    args.extend_from_slice(extra);
    git(repo, &args, &env);
    git(repo, &["rev-parse", "HEAD"], &[]).trim().to_string()
}

/// The hand-made repository: ids of its six commits.
struct Fixture {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    ids: Vec<String>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).expect("repo dir");
    git(&repo, &["init", "-q", "-b", "main"], &[]);
    // Bob has written as "bob <Bob@Work.Example>" and "Robert B
    // <bob@home.example>": the mailmap makes both Robert Builder at home.
    std::fs::write(
        repo.join(".mailmap"),
        "Robert Builder <bob@home.example>\nRobert Builder <bob@home.example> <bob@work.example>\n",
    )
    .expect("mailmap");
    git(&repo, &["add", ".mailmap"], &[]);
    let c1 = commit(&repo, 0, "Alice Example", "alice@example.org", "Add the mailmap", &[]);
    let c2 = commit(
        &repo,
        1,
        "bob",
        "Bob@Work.Example",
        "Add a feature\n\nBody text.\n\nReviewed-by: Alice Example <alice@example.org>\nAcked-by: Carol <carol@example.org>\nTested-by: Dave <DAVE@Example.org>\nSigned-off-by: bob <bob@work.example>\n",
        &[],
    );
    git(&repo, &["tag", "-a", "v1", "-m", "version 1"], &[("GIT_COMMITTER_DATE", "@1577959300 +0000")]);
    git(&repo, &["checkout", "-q", "-b", "topic"], &[]);
    let c3 = commit(
        &repo,
        2,
        "Robert B",
        "bob@home.example",
        "Topic work\n\nHelped-by: Carol <carol@example.org>\nSuggested-by: Dave <dave@example.org>\nReported-by: Erin <erin@example.org>\nCo-authored-by: Frank <frank@example.org>\nMentored-by: Alice Example <ALICE@example.org>\nReviewed-by: bob <bob@work.example>\nReported-by: the CI bot\nHelped-by: Carol <carol@example.org>\n",
        &[],
    );
    git(&repo, &["checkout", "-q", "main"], &[]);
    // The last paragraph mixes a trailer with prose and has no git-generated
    // line: git sees no trailers there, and neither may the reader.
    let c4 = commit(
        &repo,
        3,
        "Alice Example",
        "alice@example.org",
        "Fix: main work\n\nReviewed-by: Xavier <x@example.org>\nThis line makes the paragraph prose.\n",
        &[],
    );
    let merge_env = [
        ("GIT_AUTHOR_NAME", "Alice Example"),
        ("GIT_AUTHOR_EMAIL", "alice@example.org"),
        ("GIT_AUTHOR_DATE", "@1578218400 +0000"),
        ("GIT_COMMITTER_DATE", "@1578218460 +0000"),
    ];
    git(&repo, &["merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic"], &merge_env);
    let c5 = git(&repo, &["rev-parse", "HEAD"], &[]).trim().to_string();
    // A branch HEAD does not reach: still read (every ref counts).
    git(&repo, &["checkout", "-q", "-b", "side", &c1], &[]);
    let c6 = commit(&repo, 5, "Erin", "erin@example.org", "Side work", &[]);
    git(&repo, &["checkout", "-q", "main"], &[]);
    Fixture { _dir: dir, repo, ids: vec![c1, c2, c3, c4, c5, c6] }
}

fn person(name: &str, email: &str) -> Identity {
    Identity::by_email(name, email)
}

fn activity(id: &str, who: Identity, kind: ActivityKind, day: i64, reply_to: Option<Identity>) -> Record {
    Record::Activity(ActivityRecord {
        external_id: id.to_string(),
        who,
        kind,
        at: (DAY0 + day * 86_400) * 1000,
        reply_to,
    })
}

/// What the fixture must give, worked out by hand.
fn expected(ids: &[String]) -> Vec<Record> {
    let alice = person("Alice Example", "alice@example.org");
    let robert = person("Robert Builder", "bob@home.example");
    let carol = person("Carol", "carol@example.org");
    let dave = person("Dave", "dave@example.org");
    let erin = person("Erin", "erin@example.org");
    let frank = person("Frank", "frank@example.org");
    let (c1, c2, c3, c4, c5, c6) = (&ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &ids[5]);
    let review = |c: &str, key: &str, who: &Identity, author: &Identity, kind: ActivityKind, day: i64| {
        activity(&format!("{c}/{key}/{}", who.key), who.clone(), kind, day, Some(author.clone()))
    };
    use ActivityKind::{Collaboration, Commit, Merge, Review};
    vec![
        activity(c1, alice.clone(), Commit, 0, None),
        activity(c2, robert.clone(), Commit, 1, None),
        review(c2, "reviewed-by", &alice, &robert, Review, 1),
        review(c2, "acked-by", &carol, &robert, Review, 1),
        review(c2, "tested-by", &dave, &robert, Review, 1),
        activity(c3, robert.clone(), Commit, 2, None),
        review(c3, "helped-by", &carol, &robert, Collaboration, 2),
        review(c3, "suggested-by", &dave, &robert, Collaboration, 2),
        review(c3, "reported-by", &erin, &robert, Collaboration, 2),
        review(c3, "co-authored-by", &frank, &robert, Collaboration, 2),
        Record::Mentorship(MentorshipRecord {
            external_id: format!("{c3}/mentored-by/alice@example.org"),
            mentor: alice.clone(),
            mentee: robert.clone(),
            at: (DAY0 + 2 * 86_400) * 1000,
        }),
        activity(c4, alice.clone(), Commit, 3, None),
        activity(c5, alice.clone(), Merge, 4, None),
        activity(c6, erin.clone(), Commit, 5, None),
    ]
}

fn read(importer: &GitImporter, path: &Path) -> Result<(Vec<Record>, Vec<String>), ImportError> {
    let mut sink = CollectSink::default();
    let summary = importer.read(path, &mut sink)?;
    assert_eq!(summary.records, sink.records.len() as u64);
    Ok((sink.records, summary.warnings))
}

#[test]
fn repository_gives_the_hand_worked_records() {
    let fixture = fixture();
    let (records, warnings) = read(&GitImporter::default(), &fixture.repo).expect("reads");
    assert_eq!(records, expected(&fixture.ids));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(&fixture.ids[2]) && warnings[0].contains("the CI bot"), "{warnings:?}");
    // Deterministic: the loader reads twice.
    assert_eq!(read(&GitImporter::default(), &fixture.repo).expect("reads again").0, records);
}

#[test]
fn bare_clone_and_bundle_give_the_same_records() {
    let fixture = fixture();
    let base = fixture.repo.parent().expect("parent");
    git(base, &["clone", "-q", "--bare", "--mirror", "repo", "bare.git"], &[]);
    let (bare, _) = read(&GitImporter::default(), &base.join("bare.git")).expect("reads the bare clone");
    assert_eq!(bare, expected(&fixture.ids));

    git(&fixture.repo, &["bundle", "create", "-q", "../all.bundle", "--all"], &[]);
    let (bundled, warnings) = read(&GitImporter::default(), &base.join("all.bundle")).expect("reads the bundle");
    assert_eq!(bundled, expected(&fixture.ids));
    assert_eq!(warnings.len(), 1);
}

/// Facts of the whole Git history, from `git log` on a clone of the bundle,
/// against what the reader makes of the bundle itself.
#[test]
fn the_git_project_history_matches_git_log() {
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/git-history.bundle");
    assert!(bundle.is_file(), "{} is missing", bundle.display());
    let dir = tempfile::tempdir().expect("temp dir");
    let clone = dir.path().join("history.git");
    let clone_arg = clone.to_str().expect("UTF-8 temp path");
    git(dir.path(), &["clone", "-q", "--bare", bundle.to_str().expect("UTF-8 path"), clone_arg], &[]);

    let count = |args: &[&str]| -> usize { git(&clone, args, &[]).trim().parse().expect("a count") };
    let commits = count(&["rev-list", "--all", "--count"]);
    let merges = count(&["rev-list", "--all", "--merges", "--count"]);
    // One pass of `git log`: id, author e-mail (after git's own mailmap
    // handling), author time, and every interaction trailer as git finds it
    // ("Key: value", unfolded, separated by U+001F).
    let keys = [
        "reviewed-by",
        "acked-by",
        "tested-by",
        "helped-by",
        "suggested-by",
        "reported-by",
        "co-authored-by",
        "mentored-by",
    ];
    let trailer_keys: Vec<String> = keys.iter().map(|key| format!("key={key}")).collect();
    let format =
        format!("--format=%x1e%H%x09%aE%x09%at%x09%(trailers:{},unfold,separator=%x1f)", trailer_keys.join(","));
    let log = git(&clone, &["log", "--all", &format], &[]);
    let mut authors = HashSet::new();
    let mut times = Vec::new();
    // Shaped as the reader's external ids: the rules (skip self-reference,
    // no usable e-mail, repeats) are the reader's documented ones, applied
    // here to git's trailer values.
    let mut expected_trailers = BTreeSet::new();
    let mut mentored_by_trailers = 0;
    for entry in log.split('\x1e').filter(|entry| !entry.trim().is_empty()) {
        let fields: Vec<&str> = entry.trim_end_matches('\n').splitn(4, '\t').collect();
        let [id, author, time, trailers] = fields[..] else { panic!("unexpected log entry {entry:?}") };
        let author = author.trim().to_lowercase();
        authors.insert(author.clone());
        times.push(time.parse::<i64>().expect("a time") * 1000);
        for trailer in trailers.split('\x1f').filter(|t| !t.trim().is_empty()) {
            let (key, value) = trailer.split_once(':').expect("Key: value");
            let key = key.trim().to_lowercase();
            if key == "mentored-by" {
                mentored_by_trailers += 1;
            }
            let value = value.trim();
            let email = match (value.find('<'), value.rfind('>')) {
                (Some(open), Some(close)) if open < close => value[open + 1..close].trim().to_lowercase(),
                (Some(_), _) => continue,
                _ if value.contains('@') && !value.contains(' ') => value.to_lowercase(),
                _ => continue,
            };
            if email.is_empty() || email.contains(char::is_whitespace) || email == author {
                continue;
            }
            expected_trailers.insert(format!("{id}/{key}/{email}"));
        }
    }

    let (records, _) = read(&GitImporter::default(), &bundle).expect("reads the bundle");
    let mut read_commits = 0;
    let mut read_merges = 0;
    let mut read_authors = HashSet::new();
    let mut read_times = Vec::new();
    let mut read_trailers = BTreeSet::new();
    let mut mentorships = 0;
    for record in &records {
        match record {
            Record::Activity(a) if matches!(a.kind, ActivityKind::Commit | ActivityKind::Merge) => {
                read_commits += 1;
                read_merges += usize::from(a.kind == ActivityKind::Merge);
                read_authors.insert(a.who.key.clone());
                read_times.push(a.at);
            }
            Record::Activity(a) => {
                assert!(matches!(a.kind, ActivityKind::Review | ActivityKind::Collaboration));
                read_trailers.insert(a.external_id.clone());
            }
            Record::Mentorship(m) => {
                mentorships += 1;
                read_trailers.insert(m.external_id.clone());
            }
            other => panic!("unexpected record {other:?}"),
        }
    }
    assert_eq!(read_commits, commits);
    assert_eq!(read_merges, merges);
    assert_eq!(read_authors, authors);
    assert_eq!(read_times.iter().min(), times.iter().min());
    assert_eq!(read_times.iter().max(), times.iter().max());
    let only_read: Vec<_> = read_trailers.difference(&expected_trailers).take(20).collect();
    let only_git: Vec<_> = expected_trailers.difference(&read_trailers).take(20).collect();
    assert!(only_read.is_empty() && only_git.is_empty(), "only read: {only_read:?}\nonly in git log: {only_git:?}");
    assert_eq!(read_trailers.len(), expected_trailers.len());
    let expected_mentorships = expected_trailers.iter().filter(|id| id.contains("/mentored-by/")).count();
    assert_eq!(mentorships, expected_mentorships);
    // The figures the data's README gives, as a cross-check of the above.
    assert_eq!(commits, 81_966);
    assert_eq!(mentored_by_trailers, 854);
    assert!((2_600..2_800).contains(&authors.len()), "{} authors", authors.len());
}

/// The error for `path`: an input error naming the file, at `position`.
fn input_error(importer: &GitImporter, path: &Path, position: Option<Position>, words: &str) {
    let error = read(importer, path).expect_err("refused");
    match &error {
        ImportError::Input { file, position: at, message } => {
            assert_eq!(file, path);
            assert_eq!(at, &position, "{error}");
            assert!(message.contains(words), "{error}");
        }
        ImportError::Stopped(_) => panic!("{error}"),
    }
    assert!(error.to_string().contains(&path.display().to_string()));
}

/// The fixture as a bundle, its bytes and where its pack starts.
fn bundle_bytes(fixture: &Fixture) -> (Vec<u8>, usize) {
    let path = fixture.repo.parent().expect("parent").join("bytes.bundle");
    git(&fixture.repo, &["bundle", "create", "-q", path.to_str().expect("UTF-8"), "--all"], &[]);
    let bytes = std::fs::read(&path).expect("bundle bytes");
    let pack = bytes.windows(6).position(|w| w == b"\n\nPACK").expect("a pack") + 2;
    (bytes, pack)
}

#[test]
fn bad_input_is_refused_with_file_and_position() {
    let fixture = fixture();
    let dir = fixture.repo.parent().expect("parent").to_path_buf();
    let importer = GitImporter::default();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    };

    input_error(&importer, &write("empty", b""), Some(Position::Byte(0)), "not a git repository or bundle");
    input_error(
        &importer,
        &write("text.txt", b"hello\nworld\n"),
        Some(Position::Line(1)),
        "not a git repository or bundle",
    );
    let not_a_repo = dir.join("plain-dir");
    std::fs::create_dir(&not_a_repo).expect("dir");
    input_error(&importer, &not_a_repo, None, "not a git repository or bundle");
    input_error(&importer, &dir.join("missing"), None, "No such file");

    let (bytes, pack) = bundle_bytes(&fixture);
    let header = String::from_utf8(bytes[..pack].to_vec()).expect("text header");

    // A ref line whose id is not hex.
    let mut lines: Vec<String> = header.trim_end().lines().map(str::to_string).collect();
    lines[2] = format!("zz{}", &lines[2][2..]);
    let mut bad = (lines.join("\n") + "\n\n").into_bytes();
    bad.extend_from_slice(&bytes[pack..]);
    input_error(&importer, &write("bad-ref.bundle", &bad), Some(Position::Line(3)), "not a SHA-1 object id");

    // A header that never ends.
    input_error(
        &importer,
        &write("no-pack.bundle", &bytes[..pack - 1]),
        Some(Position::Line(lines.len() as u64 + 1)),
        "ends inside its header",
    );

    // No pack after the blank line.
    let mut no_pack = bytes[..pack].to_vec();
    no_pack.extend_from_slice(b"KCAP");
    input_error(&importer, &write("not-pack.bundle", &no_pack), Some(Position::Byte(pack as u64)), "no pack data");

    // Cut in the middle of the pack.
    let middle = pack + (bytes.len() - pack) / 2;
    input_error(
        &importer,
        &write("cut.bundle", &bytes[..middle]),
        Some(Position::Byte(pack as u64)),
        "truncated or corrupt",
    );

    // Bytes flipped inside the pack (past its 12-byte header).
    let mut flipped = bytes.clone();
    for byte in &mut flipped[pack + 20..pack + 40] {
        *byte ^= 0xff;
    }
    input_error(
        &importer,
        &write("flipped.bundle", &flipped),
        Some(Position::Byte(pack as u64)),
        "truncated or corrupt",
    );

    // Only the checksum at the end of the pack damaged.
    let mut checksum = bytes.clone();
    let last = checksum.len() - 1;
    checksum[last] ^= 0x01;
    input_error(
        &importer,
        &write("checksum.bundle", &checksum),
        Some(Position::Byte(pack as u64)),
        "truncated or corrupt",
    );

    // A header line over the cap.
    let small_lines = GitImporter { max_line_bytes: 30, ..GitImporter::default() };
    input_error(&small_lines, &write("long-line.bundle", &bytes), Some(Position::Line(2)), "longer than 30 bytes");

    // A commit over the object cap, in a repository.
    let small_objects = GitImporter { max_object_bytes: 100, ..GitImporter::default() };
    let error = read(&small_objects, &fixture.repo).expect_err("refused");
    assert!(matches!(&error, ImportError::Input { position: Some(Position::Entry(_)), .. }), "{error}");
    assert!(error.to_string().contains("over the 100-byte limit"), "{error}");
}

#[test]
fn incremental_bundle_is_refused_clearly() {
    let fixture = fixture();
    git(&fixture.repo, &["bundle", "create", "-q", "../thin.bundle", "main~1..main"], &[]);
    let path = fixture.repo.parent().expect("parent").join("thin.bundle");
    input_error(&GitImporter::default(), &path, Some(Position::Line(2)), "incremental");
}

#[test]
fn sink_refusal_stops_the_reader() {
    struct Refuse;
    impl copse_import::Sink for Refuse {
        fn record(&mut self, _record: Record) -> Result<(), String> {
            Err("database is full".to_string())
        }
    }
    let fixture = fixture();
    let error = GitImporter::default().read(&fixture.repo, &mut Refuse).expect_err("stops");
    assert_eq!(error, ImportError::Stopped("database is full".to_string()));
}

#[test]
fn progress_counts_commits_of_a_known_total() {
    #[derive(Default)]
    struct Progress(Vec<(u64, Option<u64>)>);
    impl copse_import::Sink for Progress {
        fn record(&mut self, _record: Record) -> Result<(), String> {
            Ok(())
        }
        fn progress(&mut self, done: u64, total: Option<u64>) {
            self.0.push((done, total));
        }
    }
    let fixture = fixture();
    let mut sink = Progress::default();
    GitImporter::default().read(&fixture.repo, &mut sink).expect("reads");
    assert_eq!(sink.0, vec![(0, Some(6)), (6, Some(6))]);
}
