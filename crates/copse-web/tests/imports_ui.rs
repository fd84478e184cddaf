//! The admin UI for imports and the identity review, through the real router
//! on both databases: who may use it, the multipart upload (streamed to the
//! uploads directory, CSRF-checked by the handler), the background run and
//! its progress page and JSON, failures with the file position, refused
//! uploads that queue nothing, and merging, unmerging and telling apart
//! look-alike people.

mod common;

use std::path::Path;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use copse_app::AppConfig;

const BOUNDARY: &str = "copse-test-boundary-7f3a";

/// A part of a multipart form.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(t: &TestApp, session: Option<&Session>, parts: &[Part<'_>]) -> TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    t.send(
        Method::POST,
        "/admin/imports",
        session.map(|s| s.cookie.as_str()),
        Body::from(multipart(parts)),
        Some(&content_type),
    )
    .await
}

/// The usual form: CSRF token first, then source, community and file(s).
async fn upload_files(
    t: &TestApp,
    session: &Session,
    source: &str,
    community: &str,
    files: &[(&str, &[u8])],
) -> TestResponse {
    let mut parts =
        vec![Part::Text("_csrf", &session.csrf), Part::Text("source", source), Part::Text("community", community)];
    parts.extend(files.iter().map(|(name, bytes)| Part::File("file", name, bytes)));
    upload(t, Some(session), &parts).await
}

/// Four messages: Grace Hopper writes from two addresses, so does Alan
/// Turing. Two threads ("Compilers" with two replies, "Machines").
const LIST: &str = "From grace@navy.example Mon Mar  3 08:00:00 2025\n\
From: Grace Hopper <grace@navy.example>\n\
Subject: Compilers\n\
Date: Mon, 03 Mar 2025 08:00:00 +0000\n\
Message-ID: <g1@navy.example>\n\
\n\
Programs should read like English.\n\
\n\
From alan@bletchley.example Mon Mar  3 09:00:00 2025\n\
From: Alan Turing <alan@bletchley.example>\n\
Subject: Re: Compilers\n\
Date: Mon, 03 Mar 2025 09:00:00 +0000\n\
Message-ID: <a1@bletchley.example>\n\
In-Reply-To: <g1@navy.example>\n\
\n\
Or like mathematics.\n\
\n\
From ghopper@yale.example Mon Mar  3 10:00:00 2025\n\
From: Grace Hopper <ghopper@yale.example>\n\
Subject: Re: Compilers\n\
Date: Mon, 03 Mar 2025 10:00:00 +0000\n\
Message-ID: <g2@yale.example>\n\
In-Reply-To: <a1@bletchley.example>\n\
\n\
English, for business people.\n\
\n\
From aturing@manchester.example Tue Mar  4 10:00:00 2025\n\
From: Alan Turing <aturing@manchester.example>\n\
Subject: Machines\n\
Date: Tue, 04 Mar 2025 10:00:00 +0000\n\
Message-ID: <a2@manchester.example>\n\
\n\
Can machines think?\n";

/// A good message, then one cut off inside its headers: the separator of the
/// second message is on line 9.
const TRUNCATED: &str = "From grace@navy.example Mon Mar  3 08:00:00 2025\n\
From: Grace Hopper <grace@navy.example>\n\
Subject: Compilers\n\
Date: Mon, 03 Mar 2025 08:00:00 +0000\n\
Message-ID: <g1@navy.example>\n\
\n\
Programs should read like English.\n\
\n\
From alan@bletchley.example Mon Mar  3 09:00:00 2025\n\
From: Alan Turing <alan@bletchley.example>\n\
Subject: Re: Compilers\n";

struct Setup {
    t: TestApp,
    uploads: tempfile::TempDir,
    admin: Session,
    slug: String,
}

async fn setup() -> Setup {
    let uploads = tempfile::tempdir().expect("temp dir");
    let config = AppConfig { import_upload_dir: Some(uploads.path().to_path_buf()), ..AppConfig::default() };
    let t = TestApp::with_config(config).await;
    t.person("ada", true).await;
    let admin = t.sign_in("ada").await;
    let slug = t.community(&admin, "compilers", "open").await;
    Setup { t, uploads, admin, slug }
}

/// Files left in the uploads directory (recursively).
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("uploads dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_in(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

fn run_id(location: &str) -> i64 {
    location
        .strip_prefix("/admin/imports/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a run page: {location}"))
}

#[tokio::test]
async fn only_administrators_use_imports_and_the_identity_review() {
    let s = setup().await;
    let t = &s.t;
    t.person("mia", false).await;
    let member = t.sign_in("mia").await;
    let mia_token = t.token("mia").await;
    let admin_token = t.token("ada").await;
    // A real run, so "not found" cannot stand in for "forbidden".
    let queued = upload_files(t, &s.admin, "mbox", &s.slug, &[("list.mbox", LIST.as_bytes())]).await;
    assert_eq!(queued.status, StatusCode::SEE_OTHER, "{}", queued.body);
    let id = run_id(queued.location());
    let ada = t.db.store.find_person_by_handle("ada").await.unwrap().expect("ada").id;

    let pages = [
        "/admin/imports".to_string(),
        format!("/admin/imports/{id}"),
        "/admin/identities".to_string(),
        format!("/admin/people/{ada}/identities"),
    ];
    for page in &pages {
        let refused = t.get(page, Some(&member)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{page} for a member");
        assert!(refused.body.contains("administrators"), "{page} says why: {}", refused.body);
        let anonymous = t.get(page, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{page} for a visitor");
        assert!(anonymous.location().starts_with("/login?next="), "{page}: {}", anonymous.location());
    }
    let member_upload = upload_files(t, &member, "mbox", &s.slug, &[("list.mbox", LIST.as_bytes())]).await;
    assert_eq!(member_upload.status, StatusCode::FORBIDDEN);
    let anonymous_upload = upload(t, None, &[Part::File("file", "list.mbox", LIST.as_bytes())]).await;
    assert_eq!(anonymous_upload.status, StatusCode::SEE_OTHER);
    assert!(anonymous_upload.location().starts_with("/login"), "{}", anonymous_upload.location());
    for (path, fields) in [
        ("/admin/identities/merge", vec![("from", "1"), ("into", "2")]),
        ("/admin/identities/distinct", vec![("a", "1"), ("b", "2")]),
        ("/admin/identities/1/unmerge", vec![]),
        (&*format!("/admin/imports/{id}/again"), vec![]),
    ] {
        let refused = t.post_form(path, Some(&member), &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path} for a member: {}", refused.body);
    }
    let api = format!("/api/v1/imports/{id}");
    assert_eq!(t.api(Method::GET, &api, Some(&mia_token), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.api(Method::GET, &api, None, None).await.status, StatusCode::UNAUTHORIZED);
    let seen = t.api(Method::GET, &api, Some(&admin_token), None).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    // The member's attempts queued nothing: only the administrator's run.
    assert_eq!(t.db.store.recent_import_runs(10).await.unwrap().len(), 1);
    let admin_page = t.get("/admin/imports", Some(&s.admin)).await;
    assert!(admin_page.body.contains("href=\"/admin/imports\""), "the header links administrators to imports");
    let member_home = t.get("/", Some(&member)).await;
    assert!(!member_home.body.contains("href=\"/admin/imports\""), "members see no admin link");
}

#[tokio::test]
async fn an_uploaded_mbox_is_queued_run_by_the_worker_and_followed_on_its_page() {
    let s = setup().await;
    let t = &s.t;
    // Old browsers send the client's whole path: it is only a label.
    let response =
        upload_files(t, &s.admin, "mbox", &s.slug, &[("C:\\Users\\ada\\..\\..\\list.mbox", LIST.as_bytes())]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id = run_id(response.location());

    let runs = t.db.store.recent_import_runs(10).await.unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!((run.id, run.status.as_str(), run.source.as_str()), (id, "queued", "mbox"));
    assert_eq!(run.community_slug, "compilers");
    assert_eq!(run.input, "list.mbox");
    let stored = run.upload_path.clone().expect("the upload's path");
    assert!(Path::new(&stored).starts_with(s.uploads.path()), "{stored} is inside the uploads directory");
    assert!(stored.ends_with("-list.mbox"), "{stored}");
    assert_eq!(std::fs::read(&stored).unwrap(), LIST.as_bytes(), "the file arrived whole");

    let queued_page = t.get(&format!("/admin/imports/{id}"), Some(&s.admin)).await;
    assert_eq!(queued_page.status, StatusCode::OK);
    assert!(queued_page.body.contains("run-queued"), "a queued badge");
    assert!(queued_page.body.contains("Waiting for the import worker"));
    assert!(queued_page.body.contains("/static/import-progress.js"), "the page follows the run");
    let script = t.get("/static/import-progress.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.content_type().starts_with("text/javascript"), "{}", script.content_type());
    assert!(script.body.contains("/api/v1/imports/"));

    assert_eq!(t.app.run_queued_imports().await.unwrap(), 1);

    let token = t.token("ada").await;
    let json = t.api(Method::GET, &format!("/api/v1/imports/{id}"), Some(&token), None).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let json = json.json();
    assert_eq!(json["status"], "done");
    assert_eq!(json["finished"], true);
    // Four messages: two threads and two replies, one record each.
    assert_eq!(json["records"], 4);
    assert_eq!(json["total_units"], 4);
    assert_eq!(json["done_units"], 4);
    assert_eq!(json["community"], "compilers");
    assert_eq!(json["input"], "list.mbox");
    assert!(json["error"].is_null());
    let added = json["added"].as_i64().expect("added");
    assert!(added >= 4, "at least the four messages were added: {added}");

    let page = t.get(&format!("/admin/imports/{id}"), Some(&s.admin)).await;
    assert!(page.body.contains("run-done"), "a done badge");
    assert!(page.body.contains("4 of 4 records"), "the counts");
    assert!(page.body.contains(&format!("id=\"run-added\">{added}<")), "the added count");
    assert!(page.body.contains("/communities/compilers/health"), "the way to the health page");
    assert!(!page.body.contains("/static/import-progress.js"), "a finished run is not polled");
    assert!(files_in(s.uploads.path()).is_empty(), "the worker removed the upload");

    let list = t.get("/admin/imports", Some(&s.admin)).await;
    assert!(list.body.contains(&format!("href=\"/admin/imports/{id}\">list.mbox</a>")), "the run is listed");
    assert!(list.body.contains("4 records"));

    // The same file again changes nothing.
    let again = upload_files(t, &s.admin, "mbox", &s.slug, &[("list.mbox", LIST.as_bytes())]).await;
    let again_id = run_id(again.location());
    t.app.run_queued_imports().await.unwrap();
    let json = t.api(Method::GET, &format!("/api/v1/imports/{again_id}"), Some(&token), None).await.json();
    assert_eq!(
        (json["status"].as_str(), json["records"].as_i64(), json["added"].as_i64()),
        (Some("done"), Some(4), Some(0))
    );

    let doc = t.get("/api/openapi.json", None).await.json();
    assert!(doc["paths"]["/imports/{id}"]["get"].is_object(), "the endpoint is documented");
}

#[tokio::test]
async fn a_malformed_file_fails_and_its_page_names_the_place() {
    let s = setup().await;
    let t = &s.t;
    let truncated = upload_files(t, &s.admin, "mbox", &s.slug, &[("archive.mbox", TRUNCATED.as_bytes())]).await;
    assert_eq!(truncated.status, StatusCode::SEE_OTHER, "{}", truncated.body);
    let not_mbox = upload_files(t, &s.admin, "mbox", &s.slug, &[("notes.txt", b"not an mbox\nat all\n")]).await;
    assert_eq!(not_mbox.status, StatusCode::SEE_OTHER, "{}", not_mbox.body);
    assert_eq!(t.app.run_queued_imports().await.unwrap(), 2);

    let page = t.get(truncated.location(), Some(&s.admin)).await;
    assert!(page.body.contains("run-failed"), "a failed badge");
    assert!(
        page.body.contains("archive.mbox: line 9: the message starting on this line ends inside its headers"),
        "the error with the file and line: {}",
        page.body
    );
    assert!(page.body.contains("Nothing from this file was written"));
    let uploads = s.uploads.path().display().to_string();
    assert!(!page.body.contains(&uploads), "the server's path is not shown");

    let page = t.get(not_mbox.location(), Some(&s.admin)).await;
    assert!(page.body.contains("notes.txt: line 1: this is not an mbox file"), "{}", page.body);

    let token = t.token("ada").await;
    let json =
        t.api(Method::GET, &format!("/api/v1/imports/{}", run_id(truncated.location())), Some(&token), None).await;
    let json = json.json();
    assert_eq!(json["status"], "failed");
    assert!(json["error"].as_str().unwrap_or("").contains("line 9"), "{json}");
    // Nothing was written: no thread from the good first message either.
    let people = t.db.store.look_alike_people(10).await.unwrap();
    assert!(people.is_empty(), "no imported people: {people:?}");
}

#[tokio::test]
async fn refused_uploads_show_the_form_again_and_queue_nothing() {
    let s = setup().await;
    let t = &s.t;
    let csrf = s.admin.csrf.clone();
    let list = LIST.as_bytes();

    // No file chosen: the browser still sends an empty file part.
    let none = upload_files(t, &s.admin, "mbox", &s.slug, &[("", b"")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("choose a file to upload"), "{}", none.body);
    assert!(none.body.contains("<title>Error: Imports"), "the title says there is an error");
    assert!(none.body.contains("value=\"mbox\" checked"), "the chosen source is kept");

    let empty = upload_files(t, &s.admin, "mbox", &s.slug, &[("list.mbox", b"")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("list.mbox is empty"), "{}", empty.body);

    let nowhere = upload_files(t, &s.admin, "mbox", "no-such-community", &[("list.mbox", list)]).await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nowhere.body.contains("there is no community"), "{}", nowhere.body);

    let unknown = upload_files(t, &s.admin, "fax", &s.slug, &[("list.mbox", list)]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("copse does not import"), "{}", unknown.body);

    let no_source = upload(
        t,
        Some(&s.admin),
        &[Part::Text("_csrf", &csrf), Part::Text("community", &s.slug), Part::File("file", "list.mbox", list)],
    )
    .await;
    assert_eq!(no_source.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_source.body.contains("choose what kind of history"), "{}", no_source.body);

    let two = upload_files(t, &s.admin, "mbox", &s.slug, &[("a.mbox", list), ("b.mbox", list)]).await;
    assert_eq!(two.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(two.body.contains("choose one file"), "{}", two.body);

    let no_posts = upload_files(t, &s.admin, "stackexchange", &s.slug, &[("Users.xml", b"<users/>")]).await;
    assert_eq!(no_posts.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_posts.body.contains("Posts.xml is missing"), "{}", no_posts.body);

    let forged = upload(
        t,
        Some(&s.admin),
        &[
            Part::Text("_csrf", "0123abcd"),
            Part::Text("source", "mbox"),
            Part::Text("community", &s.slug),
            Part::File("file", "list.mbox", list),
        ],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let missing = upload(
        t,
        Some(&s.admin),
        &[Part::Text("source", "mbox"), Part::Text("community", &s.slug), Part::File("file", "list.mbox", list)],
    )
    .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    // The token must come before the file, so no file is written unchecked.
    let late = upload(
        t,
        Some(&s.admin),
        &[
            Part::Text("source", "mbox"),
            Part::Text("community", &s.slug),
            Part::File("file", "list.mbox", list),
            Part::Text("_csrf", &csrf),
        ],
    )
    .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    let not_multipart = t.post_form("/admin/imports", Some(&s.admin), &[("source", "mbox")]).await;
    assert_eq!(not_multipart.status, StatusCode::BAD_REQUEST);

    assert!(t.db.store.recent_import_runs(10).await.unwrap().is_empty(), "nothing was queued");
    assert!(files_in(s.uploads.path()).is_empty(), "nothing was left in the uploads directory");

    // A server without an uploads directory says so and refuses uploads.
    let t = TestApp::new().await;
    t.person("ada", true).await;
    let admin = t.sign_in("ada").await;
    let slug = t.community(&admin, "compilers", "open").await;
    let page = t.get("/admin/imports", Some(&admin)).await;
    assert!(page.body.contains("Uploads are turned off"), "{}", page.body);
    let refused = upload_files(&t, &admin, "mbox", &slug, &[("list.mbox", list)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("uploads are turned off"), "{}", refused.body);
    assert!(t.db.store.recent_import_runs(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stack_exchange_dump_is_uploaded_as_several_files() {
    let s = setup().await;
    let t = &s.t;
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../copse-import/tests/fixtures/stackexchange/site");
    let read = |name: &str| std::fs::read(site.join(name)).expect("fixture");
    let (posts, users, badges) = (read("Posts.xml"), read("Users.xml"), read("Badges.xml"));
    let response = upload_files(
        t,
        &s.admin,
        "stackexchange",
        &s.slug,
        &[("posts.xml", &posts), ("Users.xml", &users), ("Badges.xml", &badges)],
    )
    .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let run = t.db.store.import_run(run_id(response.location())).await.unwrap().expect("run");
    assert_eq!(run.input, "Stack Exchange dump: posts.xml, Users.xml");
    let dir = Path::new(run.upload_path.as_deref().expect("a directory"));
    assert!(dir.starts_with(s.uploads.path()) && dir.is_dir(), "{}", dir.display());
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, vec!["Posts.xml", "Users.xml"], "the dump's names; Badges.xml is not needed");
    assert_eq!(std::fs::read(dir.join("Posts.xml")).unwrap(), posts);

    assert_eq!(t.app.run_queued_imports().await.unwrap(), 1);
    let run = t.db.store.import_run(run.id).await.unwrap().expect("run");
    assert_eq!(run.status, "done", "{:?}", run.error);
    assert_eq!(Some(run.records), run.total_units);
    assert!(run.records > 0);
}

#[tokio::test]
async fn an_interrupted_run_is_run_again_from_its_upload() {
    let s = setup().await;
    let t = &s.t;
    let response = upload_files(t, &s.admin, "mbox", &s.slug, &[("list.mbox", LIST.as_bytes())]).await;
    let id = run_id(response.location());
    // The worker claims the run, then its process dies: the next worker
    // finds it stale.
    let now = copse_domain::Timestamp::now().millis();
    assert_eq!(t.db.store.claim_queued_import_run(now).await.unwrap().map(|r| r.id), Some(id));
    assert_eq!(t.db.store.mark_interrupted_import_runs(now + 1).await.unwrap(), 1);

    let page = t.get(&format!("/admin/imports/{id}"), Some(&s.admin)).await;
    assert!(page.body.contains("run-interrupted"), "an interrupted badge");
    assert!(page.body.contains("The import was interrupted"));
    assert!(!page.body.contains("The import failed"), "interrupted is not failed");
    assert!(page.body.contains(&format!("action=\"/admin/imports/{id}/again\"")), "the file is still there");

    let again = t.post_form(&format!("/admin/imports/{id}/again"), Some(&s.admin), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let new_id = run_id(again.location());
    assert_ne!(new_id, id);
    assert!(again.location().ends_with("?notice=again"), "{}", again.location());
    let page = t.get(again.location(), Some(&s.admin)).await;
    assert!(page.body.contains("queued again"), "the notice");
    assert_eq!(t.app.run_queued_imports().await.unwrap(), 1);
    let run = t.db.store.import_run(new_id).await.unwrap().expect("run");
    assert_eq!((run.status.as_str(), run.records, run.input.as_str()), ("done", 4, "list.mbox"));

    // Its file is gone now: a done run cannot be run again.
    let refused = t.post_form(&format!("/admin/imports/{new_id}/again"), Some(&s.admin), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let refused = t.post_form(&format!("/admin/imports/{id}/again"), Some(&s.admin), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "the upload was removed after the second run");
}

/// Imports LIST and returns the two look-alike pairs' people, Grace's pair
/// first: ((grace at navy, grace at yale), (alan at bletchley, alan at manchester)).
async fn import_look_alikes(s: &Setup) -> ((i64, i64), (i64, i64)) {
    let response = upload_files(&s.t, &s.admin, "mbox", &s.slug, &[("list.mbox", LIST.as_bytes())]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(s.t.app.run_queued_imports().await.unwrap(), 1);
    let pairs = s.t.db.store.look_alike_people(10).await.unwrap();
    let by_email = |email: &str| {
        pairs
            .iter()
            .flat_map(|p| [&p.a, &p.b])
            .find(|p| p.email.as_deref() == Some(email))
            .unwrap_or_else(|| panic!("{email} among the look-alikes: {pairs:?}"))
            .id
    };
    assert_eq!(pairs.len(), 2, "Grace's pair and Alan's: {pairs:?}");
    (
        (by_email("grace@navy.example"), by_email("ghopper@yale.example")),
        (by_email("alan@bletchley.example"), by_email("aturing@manchester.example")),
    )
}

#[tokio::test]
async fn look_alikes_are_merged_unmerged_and_told_apart() {
    let s = setup().await;
    let t = &s.t;
    let ((grace, grace_yale), (alan, alan_m)) = import_look_alikes(&s).await;
    let summary = |id: i64| async move { t.db.store.person_summary(id).await.unwrap().expect("person") };
    // One message each.
    for id in [grace, grace_yale, alan, alan_m] {
        let p = summary(id).await;
        assert_eq!((p.identities, p.contributions, p.has_account), (1, 1, false), "{p:?}");
    }

    let review = t.get("/admin/identities", Some(&s.admin)).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("2 pairs to review"), "{}", review.body);
    for email in ["grace@navy.example", "ghopper@yale.example", "alan@bletchley.example", "aturing@manchester.example"]
    {
        assert!(review.body.contains(email), "{email} shown");
    }
    assert!(review.body.contains("the same name"), "the reason");
    // Neither signs in, so both directions are offered.
    assert!(review.body.contains(&format!(
        "name=\"from\" value=\"{grace_yale}\">\n        <input type=\"hidden\" name=\"into\" value=\"{grace}\""
    )));
    assert!(review.body.contains(&format!(
        "name=\"from\" value=\"{grace}\">\n        <input type=\"hidden\" name=\"into\" value=\"{grace_yale}\""
    )));

    // Someone who signs in is never merged away.
    let ada = t.db.store.find_person_by_handle("ada").await.unwrap().expect("ada").id;
    let refused = t
        .post_form(
            "/admin/identities/merge",
            Some(&s.admin),
            &[("from", &ada.to_string()), ("into", &grace.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("signs in to copse"), "{}", refused.body);
    assert_eq!(summary(grace).await.contributions, 1, "nothing moved");

    let merged = t
        .post_form(
            "/admin/identities/merge",
            Some(&s.admin),
            &[("from", &grace_yale.to_string()), ("into", &grace.to_string())],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    assert_eq!(merged.location(), "/admin/identities?notice=merged");
    let p = summary(grace).await;
    assert_eq!((p.identities, p.contributions), (2, 2), "both identities and both messages: {p:?}");
    assert!(
        t.db.store.person_summary(grace_yale).await.unwrap().is_none_or(|p| p.identities == 0 && p.contributions == 0)
    );
    let review = t.get("/admin/identities?notice=merged", Some(&s.admin)).await;
    assert!(review.body.contains("Merged:"), "the notice");
    assert!(review.body.contains("1 pair to review"), "only Alan's pair is left");
    assert!(!review.body.contains("ghopper@yale.example"));

    let identities = t.get(&format!("/admin/people/{grace}/identities"), Some(&s.admin)).await;
    assert_eq!(identities.status, StatusCode::OK);
    assert!(identities.body.contains("grace@navy.example") && identities.body.contains("ghopper@yale.example"));
    assert_eq!(identities.body.matches(">Unmerge</button>").count(), 2, "each identity can be unmerged");
    let yale =
        t.db.store
            .identities_of(copse_domain::PersonId(grace))
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.email.as_deref() == Some("ghopper@yale.example"))
            .expect("the yale identity")
            .id;
    assert!(identities.body.contains(&format!("action=\"/admin/identities/{yale}/unmerge\"")));

    let unmerged = t.post_form(&format!("/admin/identities/{yale}/unmerge"), Some(&s.admin), &[]).await;
    assert_eq!(unmerged.status, StatusCode::SEE_OTHER, "{}", unmerged.body);
    let location = unmerged.location().to_string();
    let new_person: i64 = location
        .strip_prefix("/admin/people/")
        .and_then(|rest| rest.strip_suffix("/identities?notice=unmerged"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    assert_ne!(new_person, grace);
    let page = t.get(&location, Some(&s.admin)).await;
    assert!(page.body.contains("Unmerged:") && page.body.contains("ghopper@yale.example"), "{}", page.body);
    assert!(!page.body.contains(">Unmerge</button>"), "a single identity has nothing to unmerge");
    assert_eq!((summary(grace).await.identities, summary(grace).await.contributions), (1, 1));
    assert_eq!((summary(new_person).await.identities, summary(new_person).await.contributions), (1, 1));
    let review = t.get("/admin/identities", Some(&s.admin)).await;
    assert!(review.body.contains("2 pairs to review"), "Grace's pair is offered again");

    let told_apart = t
        .post_form(
            "/admin/identities/distinct",
            Some(&s.admin),
            &[("a", &alan.to_string()), ("b", &alan_m.to_string())],
        )
        .await;
    assert_eq!(told_apart.status, StatusCode::SEE_OTHER, "{}", told_apart.body);
    let review = t.get("/admin/identities?notice=distinct", Some(&s.admin)).await;
    assert!(review.body.contains("1 pair to review"), "{}", review.body);
    assert!(!review.body.contains("aturing@manchester.example"), "Alan's pair is gone");
    let pairs = t.db.store.look_alike_people(10).await.unwrap();
    assert_eq!(pairs.len(), 1);
    assert!(pairs.iter().all(|p| p.a.name == "Grace Hopper" && p.b.name == "Grace Hopper"));

    let forged = t
        .send(
            Method::POST,
            "/admin/identities/distinct",
            Some(&s.admin.cookie),
            Body::from(encode(&[("a", &grace.to_string()), ("b", &new_person.to_string()), ("_csrf", "bad")])),
            Some(FORM),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(t.db.store.look_alike_people(10).await.unwrap().len(), 1, "the forged form changed nothing");
}
