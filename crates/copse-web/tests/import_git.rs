//! The git importer on real data: a four-month slice of the Git project's
//! history (shared/data/git-history.bundle, May to August 2024: about 1,500
//! commits and 134 Mentored-by trailers) imported into a community, with
//! every fact checked against `git log` on the same slice: commits, merges,
//! distinct authors after identity merging (by e-mail; the emptied trees
//! carry no .mailmap), Mentored-by pairs, the first and last author dates.
//! Then the same import again changes nothing.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::*;
use copse_app::{ImportRequest, QuietProgress};
use copse_domain::CommunityId;
use copse_import::Source;

fn bundle() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/git-history.bundle");
    assert!(
        path.exists(),
        "the Git project's history is expected at {} (the project's shared data); this test cannot run without it",
        path.display()
    );
    path
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("git prints UTF-8 here")
}

/// Builds the slice as its own repository (commits whose parents fall
/// before the window become roots) and bundles it.
fn slice_bundle(work: &Path) -> (PathBuf, PathBuf) {
    let clone = work.join("history.git");
    let status = Command::new("git")
        .args(["clone", "--quiet", "--bare"])
        .arg(bundle())
        .arg(&clone)
        .status()
        .expect("git clone runs");
    assert!(status.success());
    let start = git(&clone, &["rev-list", "-1", "--first-parent", "--before=2024-05-01", "main"]).trim().to_string();
    let end = git(&clone, &["rev-list", "-1", "--first-parent", "--before=2024-09-01", "main"]).trim().to_string();
    git(&clone, &["branch", "-f", "slice", &end]);
    let slice = work.join("slice.git");
    git(work, &["init", "--quiet", "--bare", slice.to_str().expect("utf-8 path")]);
    let export = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["fast-export", &format!("^{start}"), "refs/heads/slice"])
        .output()
        .expect("fast-export runs");
    assert!(export.status.success());
    let mut import = Command::new("git")
        .arg("-C")
        .arg(&slice)
        .args(["fast-import", "--quiet", "--force"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import runs");
    {
        use std::io::Write;
        import.stdin.take().expect("stdin").write_all(&export.stdout).expect("feed fast-import");
    }
    assert!(import.wait().expect("fast-import ends").success());
    let bundle = work.join("slice.bundle");
    git(&slice, &["bundle", "create", "--quiet", bundle.to_str().expect("utf-8 path"), "--all"]);
    (slice, bundle)
}

struct Facts {
    commits: i64,
    merges: i64,
    authors: i64,
    mentored_pairs: HashSet<(String, String)>,
    first_ms: i64,
    last_ms: i64,
}

/// The same facts as `git log` tells them.
fn facts_from_git(repo: &Path) -> Facts {
    let commits = git(repo, &["rev-list", "--all", "--count"]).trim().parse().expect("a count");
    let merges = git(repo, &["rev-list", "--all", "--merges", "--count"]).trim().parse().expect("a count");
    let log =
        git(repo, &["log", "--all", "--format=%aE%x09%at%x09%(trailers:key=Mentored-by,valueonly,separator=%x1f)"]);
    let mut authors = HashSet::new();
    let mut mentored_pairs = HashSet::new();
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for line in log.lines().filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let author = parts.next().unwrap_or("").to_lowercase();
        let at: i64 = parts.next().unwrap_or("0").parse().expect("a time");
        first = first.min(at);
        last = last.max(at);
        for mentor in parts.next().unwrap_or("").split('\u{1f}').filter(|m| !m.trim().is_empty()) {
            if let Some(email) = mentor.split('<').nth(1).and_then(|rest| rest.split('>').next()) {
                let email = email.trim().to_lowercase();
                if email != author {
                    mentored_pairs.insert((email, author.clone()));
                }
            }
        }
        authors.insert(author);
    }
    Facts {
        commits,
        merges,
        authors: authors.len() as i64,
        mentored_pairs,
        first_ms: first * 1000,
        last_ms: last * 1000,
    }
}

#[tokio::test]
async fn a_slice_of_the_git_project_imports_with_the_facts_git_log_tells() {
    let work = tempfile::tempdir().expect("temp dir");
    let (slice, bundle) = slice_bundle(work.path());
    let expected = facts_from_git(&slice);
    assert!(expected.commits > 1_000 && !expected.mentored_pairs.is_empty(), "the slice is the one described");

    let t = TestApp::new().await;
    t.person("ada", true).await;
    let ada = t.sign_in("ada").await;
    let slug = t.community(&ada, "git-project", "open").await;
    let community = CommunityId(t.db.store.find_community_for_viewer(&slug, None).await.unwrap().unwrap().community.id);
    let request = || ImportRequest {
        source: Source::Git,
        path: bundle.clone(),
        community: slug.clone(),
        input_label: None,
        requested_by: None,
    };
    let report = t.app.import(None, request(), Arc::new(QuietProgress)).await.expect("the slice imports");
    assert!(report.added > 0 && report.already == 0);

    let by_kind = t.db.store.community_activity_by_kind(community).await.unwrap();
    let count = |kind: &str| by_kind.iter().find(|k| k.0 == kind).map_or(0, |k| k.1);
    assert_eq!(count("commit") + count("merge"), expected.commits, "one record per commit");
    assert_eq!(count("merge"), expected.merges, "merges counted as integration");
    let authors = t.db.store.community_people_with_kinds(community, &["commit", "merge"]).await.unwrap();
    assert_eq!(authors, expected.authors, "distinct authors after merging identities by e-mail");
    let first = by_kind.iter().filter(|k| k.0 == "commit" || k.0 == "merge").map(|k| k.3).min().unwrap();
    let last = by_kind.iter().filter(|k| k.0 == "commit" || k.0 == "merge").map(|k| k.4).max().unwrap();
    assert_eq!((first, last), (expected.first_ms, expected.last_ms), "first and last author dates");
    let pairs = t.db.store.community_mentorship_pairs(community).await.unwrap();
    assert_eq!(pairs.len(), expected.mentored_pairs.len(), "one mentorship per Mentored-by pair");
    assert!(count("review") > 0 && count("collaboration") > 0, "trailers became interactions: {by_kind:?}");

    // Everyone who took part is a member of the community.
    let counts = t.db.store.import_row_counts().await.unwrap();
    let members = counts.iter().find(|c| c.0 == "memberships").map_or(0, |c| c.1);
    assert!(members > authors, "{members} memberships for {authors} authors and the facilitator");

    // The same import again changes nothing.
    let before = t.db.store.import_row_counts().await.unwrap();
    let again = t.app.import(None, request(), Arc::new(QuietProgress)).await.expect("imports again");
    assert_eq!(again.added, 0, "nothing new: {again:?}");
    assert_eq!(t.db.store.import_row_counts().await.unwrap(), before);
}
