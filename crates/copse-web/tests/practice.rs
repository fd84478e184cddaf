//! The practice repository over HTTP: artifacts with versions, history and
//! diffs, optimistic concurrency (409, nothing overwritten), curation rights,
//! stale flags, reuse, checklist runs, backlinks, privacy and bad input.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{CommunityId, MembershipRole, MembershipStatus, PersonId, Timestamp};
use serde_json::{Value, json};

/// fay facilitates the open community "rust"; bob is a member; cy is not.
struct World {
    t: TestApp,
    fay: String,
    bob: String,
    cy: String,
    bob_id: PersonId,
}

async fn world() -> World {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob_id = t.person("bob", false).await;
    t.person("cy", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.add_member("rust", bob_id, MembershipRole::Member, MembershipStatus::Active).await;
    let (fay, bob, cy) = (t.token("fay").await, t.token("bob").await, t.token("cy").await);
    World { t, fay, bob, cy, bob_id }
}

fn checklist() -> Value {
    json!({
        "kind": "checklist", "title": "Release checklist",
        "body": "Before every release:\n\n- [ ] Run the tests\n- [ ] Tag the release\n- [ ] Publish the notes\n",
        "message": "First cut", "tags": ["release", "ci"], "status": "published"
    })
}

async fn create(t: &TestApp, token: &str, body: Value) -> Value {
    let created = t.api(Method::POST, "/api/v1/communities/rust/artifacts", Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()
}

async fn community_id(t: &TestApp, slug: &str) -> CommunityId {
    CommunityId(t.db.store.find_community_for_viewer(slug, None).await.unwrap().unwrap().community.id)
}

#[tokio::test]
async fn write_edit_history_and_diff_through_the_pages() {
    let w = world().await;
    let t = &w.t;
    let bob = t.sign_in("bob").await;
    let form = t.get("/communities/rust/practice/new", Some(&bob)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"body\""));
    let created = t
        .post_form(
            "/communities/rust/practice/new",
            Some(&bob),
            &[
                ("kind", "standard"),
                ("title", "Code review standard"),
                ("status", "published"),
                ("tags", "review, Rust"),
                ("review_by", "2099-01-31"),
                ("message", "First version"),
                ("body", "# Reviews\r\n\r\nEvery change gets one review.\r\nSmall changes are best.\r\n"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let href = created.location().split('?').next().unwrap().to_string();
    let id: i64 = href.trim_start_matches("/artifacts/").parse().unwrap();
    let page = t.get(&href, Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Code review standard</h1>"));
    assert!(page.body.contains("Every change gets one review."));
    assert!(page.body.contains("Published") && page.body.contains("review"));

    let edit = t.get(&format!("/artifacts/{id}/edit"), Some(&bob)).await;
    assert!(edit.body.contains("name=\"base_version\" value=\"1\""), "{}", edit.body);
    let saved = t
        .post_form(
            &format!("/artifacts/{id}/edit"),
            Some(&bob),
            &[
                ("base_version", "1"),
                ("kind", "standard"),
                ("title", "Code review standard"),
                ("tags", "review rust"),
                ("message", "Two reviews for risky changes"),
                (
                    "body",
                    "# Reviews\r\n\r\nEvery change gets one review.\r\nRisky changes get two.\r\nSmall changes are best.\r\n",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("/artifacts/{id}?notice=version"));

    let history = t.get(&format!("/artifacts/{id}/history"), Some(&bob)).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("Two reviews for risky changes") && history.body.contains("First version"));
    assert!(history.body.contains(&format!("/artifacts/{id}/diff?from=1&#38;to=2")), "{}", history.body);

    let diff = t.get(&format!("/artifacts/{id}/diff?from=1&to=2"), Some(&bob)).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(diff.body.contains("+1 line added") && diff.body.contains("−0 lines removed"), "{}", diff.body);
    assert!(diff.body.contains("<tr class=\"diff-add\">"));
    assert!(diff.body.contains("Risky changes get two."));
    assert!(diff.body.contains("<span class=\"visually-hidden\">added</span>"));

    let v1 = t.get(&format!("/artifacts/{id}/versions/1"), Some(&bob)).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(v1.body.contains("This is an earlier version") && !v1.body.contains("Risky changes"));
    assert_eq!(t.get(&format!("/artifacts/{id}/versions/9"), Some(&bob)).await.status, StatusCode::NOT_FOUND);

    let list = t.get("/communities/rust/practice", Some(&bob)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Code review standard") && list.body.contains("2 versions"));
    let filtered = t.get("/communities/rust/practice?kind=checklist", Some(&bob)).await;
    assert!(!filtered.body.contains("Code review standard"));
    let by_tag = t.get("/communities/rust/practice?tag=review", Some(&bob)).await;
    assert!(by_tag.body.contains("Code review standard"));

    // Each save wrote the activity record and the change feed.
    let counts = t.db.store.count_contributions_by_person(community_id(t, "rust").await, Timestamp(0)).await.unwrap();
    assert_eq!(counts.iter().find(|c| c.person_id == w.bob_id.0).map(|c| c.count), Some(2));
}

#[tokio::test]
async fn versions_and_diffs_through_the_api() {
    let w = world().await;
    let t = &w.t;
    let created = create(t, &w.bob, checklist()).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["version"], 1);
    assert_eq!(created["owners"], json!(["bob"]));
    assert_eq!(created["status"], "published");
    assert_eq!(created["tags"], json!(["ci", "release"]));
    let saved = t
        .api(
            Method::PUT,
            &format!("/api/v1/artifacts/{id}"),
            Some(&w.fay),
            Some(json!({
                "base_version": 1, "title": "Release checklist",
                "body": "Before every release:\n\n- [ ] Run the tests\n- [ ] Update the changelog\n- [ ] Tag the release\n",
                "message": "Changelog before tagging; notes are automatic now"
            })),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["version"], 2);
    assert_eq!(saved.json()["kind"], "checklist", "kind and tags stay when not sent");
    assert_eq!(saved.json()["tags"], json!(["ci", "release"]));
    let versions = t.api(Method::GET, &format!("/api/v1/artifacts/{id}/versions"), Some(&w.cy), None).await.json();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["author"], "fay");
    assert_eq!(versions[1]["message"], "First cut");
    let diff = t.api(Method::GET, &format!("/api/v1/artifacts/{id}/diff?from=1&to=2"), Some(&w.bob), None).await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let diff = diff.json();
    assert_eq!((diff["added"].as_u64(), diff["removed"].as_u64()), (Some(1), Some(1)));
    let lines: Vec<(String, String)> = diff["hunks"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] != "equal")
        .map(|l| (l["kind"].as_str().unwrap().to_string(), l["text"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("added".to_string(), "- [ ] Update the changelog".to_string()),
            ("removed".to_string(), "- [ ] Publish the notes".to_string())
        ]
    );
    let v1 = t.api(Method::GET, &format!("/api/v1/artifacts/{id}/versions/1"), Some(&w.bob), None).await.json();
    assert!(v1["body"].as_str().unwrap().contains("Publish the notes"));
    let list = t.api(Method::GET, "/api/v1/communities/rust/artifacts?kind=checklist", Some(&w.cy), None).await;
    assert_eq!(list.json()["artifacts"][0]["id"], id);
    assert_eq!(list.json()["next_page"], Value::Null);
    let bad = t.api(Method::GET, "/api/v1/communities/rust/artifacts?kind=poem", Some(&w.cy), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_stale_base_version_is_a_conflict_and_nothing_is_overwritten() {
    let w = world().await;
    let t = &w.t;
    let id = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let edit = |base: i64, body: &str| json!({"base_version": base, "title": "Release checklist", "body": body, "message": "edit"});
    let first =
        t.api(Method::PUT, &format!("/api/v1/artifacts/{id}"), Some(&w.fay), Some(edit(1, "- [ ] fay's"))).await;
    assert_eq!(first.status, StatusCode::OK);
    let late = t.api(Method::PUT, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), Some(edit(1, "- [ ] bob's"))).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(late.json()["code"], "conflict");
    assert_eq!(late.json()["errors"][0]["field"], "base_version");
    let now = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!((now["version"].as_i64(), now["body"].as_str()), (Some(2), Some("- [ ] fay's")));

    // The page keeps what bob typed, says so, and stores nothing.
    let bob = t.sign_in("bob").await;
    let page = t
        .post_form(
            &format!("/artifacts/{id}/edit"),
            Some(&bob),
            &[
                ("base_version", "1"),
                ("kind", "checklist"),
                ("title", "Release checklist"),
                ("body", "- [ ] typed by bob"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("Someone saved version 2 while you were editing"), "{}", page.body);
    assert!(page.body.contains("- [ ] typed by bob"));
    assert!(page.body.contains(&format!("/artifacts/{id}/diff?from=1&#38;to=2")));
    let versions = t.api(Method::GET, &format!("/api/v1/artifacts/{id}/versions"), Some(&w.bob), None).await.json();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    let now = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!(now["body"], "- [ ] fay's");
}

#[tokio::test]
async fn owners_and_facilitators_curate_plain_members_do_not() {
    let w = world().await;
    let t = &w.t;
    let dan = t.person("dan", false).await;
    t.add_member("rust", dan, MembershipRole::Member, MembershipStatus::Active).await;
    let dan_token = t.token("dan").await;
    let id = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let replacement = create(t, &w.bob, json!({"kind": "guide", "title": "Release guide", "body": "Use the bot."}))
        .await["id"]
        .as_i64()
        .unwrap();
    let curate = |token: &str, body: Value| {
        let token = token.to_string();
        async move { t.api(Method::POST, &format!("/api/v1/artifacts/{id}/curation"), Some(&token), Some(body)).await }
    };
    let publish = json!({"status": "in-review", "owners": ["bob"], "review_by": "2099-06-30"});
    assert_eq!(curate(&dan_token, publish.clone()).await.status, StatusCode::FORBIDDEN, "a plain member");
    assert_eq!(curate(&w.cy, publish.clone()).await.status, StatusCode::FORBIDDEN, "a non-member");
    let by_owner = curate(&w.bob, publish).await;
    assert_eq!(by_owner.status, StatusCode::OK, "{}", by_owner.body);
    assert_eq!(
        (by_owner.json()["status"].as_str(), by_owner.json()["review_by"].as_str()),
        (Some("in-review"), Some("2099-06-30"))
    );
    // The facilitator hands it to dan; bob is no longer an owner and may not curate.
    let by_facilitator = curate(&w.fay, json!({"status": "published", "owners": ["dan"]})).await;
    assert_eq!(by_facilitator.status, StatusCode::OK, "{}", by_facilitator.body);
    assert_eq!(by_facilitator.json()["owners"], json!(["dan"]));
    assert_eq!(curate(&w.bob, json!({"status": "draft", "owners": ["bob"]})).await.status, StatusCode::FORBIDDEN);
    // Owners must be members; superseded needs a replacement that exists.
    let bad = curate(&dan_token, json!({"status": "superseded", "owners": ["dan"]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "superseded_by");
    let bad = curate(&dan_token, json!({"status": "published", "owners": ["cy", "nobody"]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages: Vec<String> =
        bad.json()["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(messages, vec!["@cy is not a member of Community rust", "nobody has the handle 'nobody'"]);
    let missing = curate(&dan_token, json!({"status": "superseded", "superseded_by": 999, "owners": ["dan"]})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let superseded =
        curate(&dan_token, json!({"status": "superseded", "superseded_by": replacement, "owners": ["dan"]})).await;
    assert_eq!(superseded.status, StatusCode::OK, "{}", superseded.body);
    assert_eq!(superseded.json()["superseded_by"], replacement);

    // The page shows the banner with the replacement, and the form only to curators.
    let bob = t.sign_in("bob").await;
    let page = t.get(&format!("/artifacts/{id}"), Some(&bob)).await;
    assert!(page.body.contains("Superseded.") && page.body.contains(&format!("href=\"/artifacts/{replacement}\"")));
    assert!(!page.body.contains("/curation"), "bob no longer owns it");
    let fay = t.sign_in("fay").await;
    let page = t.get(&format!("/artifacts/{id}"), Some(&fay)).await;
    assert!(page.body.contains(&format!("action=\"/artifacts/{id}/curation\"")));
    let refused = t
        .post_form(&format!("/artifacts/{id}/curation"), Some(&fay), &[("status", "superseded"), ("owners", "dan")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("name the artifact that supersedes this one"));
    let ok = t
        .post_form(
            &format!("/artifacts/{id}/curation"),
            Some(&fay),
            &[("status", "deprecated"), ("owners", "dan, fay")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = t.get(&format!("/artifacts/{id}"), Some(&fay)).await;
    assert!(page.body.contains("Deprecated."));
}

#[tokio::test]
async fn stale_artifacts_notify_their_owners_once_and_are_listed_for_facilitators() {
    let w = world().await;
    let t = &w.t;
    let mut overdue = checklist();
    overdue["review_by"] = json!("2020-01-31");
    let stale = create(t, &w.bob, overdue).await;
    assert_eq!(stale["stale"], true);
    let id = stale["id"].as_i64().unwrap();
    create(t, &w.bob, json!({"kind": "guide", "title": "Fresh guide", "body": "x", "review_by": "2099-01-01"})).await;
    let mut retired = checklist();
    retired["review_by"] = json!("2020-01-31");
    let retired = create(t, &w.fay, retired).await["id"].as_i64().unwrap();
    t.api(
        Method::POST,
        &format!("/api/v1/artifacts/{retired}/curation"),
        Some(&w.fay),
        Some(json!({"status": "deprecated", "owners": ["fay"]})),
    )
    .await;
    // bob and fay both own the stale one.
    let shared = t
        .api(
            Method::POST,
            &format!("/api/v1/artifacts/{id}/curation"),
            Some(&w.bob),
            Some(json!({"status": "published", "owners": ["bob", "fay"], "review_by": "2020-01-31"})),
        )
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);

    assert_eq!(t.app.flag_stale_artifacts(Timestamp::now()).await.unwrap(), 1);
    assert_eq!(t.app.flag_stale_artifacts(Timestamp::now()).await.unwrap(), 0, "told once");
    for token in [&w.bob, &w.fay] {
        let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(token), None).await.json();
        let stale_notes: Vec<&Value> =
            notes.as_array().unwrap().iter().filter(|n| n["link"] == format!("/artifacts/{id}")).collect();
        assert_eq!(stale_notes.len(), 1, "{notes}");
        assert!(stale_notes[0]["message"].as_str().unwrap().contains("past its review-by date"));
    }
    // A new date re-arms the notice for when it passes again.
    t.api(
        Method::POST,
        &format!("/api/v1/artifacts/{id}/curation"),
        Some(&w.bob),
        Some(json!({"status": "published", "owners": ["bob", "fay"], "review_by": "2021-01-31"})),
    )
    .await;
    assert_eq!(t.app.flag_stale_artifacts(Timestamp::now()).await.unwrap(), 1);

    let list = t.api(Method::GET, "/api/v1/communities/rust/artifacts/stale", Some(&w.fay), None).await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "not the fresh or the deprecated one: {list}");
    assert_eq!(list[0]["owners"], json!(["bob", "fay"]));
    assert_eq!(
        t.api(Method::GET, "/api/v1/communities/rust/artifacts/stale", Some(&w.bob), None).await.status,
        StatusCode::FORBIDDEN
    );
    let fay = t.sign_in("fay").await;
    let page = t.get("/communities/rust/practice/stale", Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Release checklist") && !page.body.contains("Fresh guide"));
    let bob = t.sign_in("bob").await;
    assert_eq!(t.get("/communities/rust/practice/stale", Some(&bob)).await.status, StatusCode::FORBIDDEN);
    let practice = t.get("/communities/rust/practice", Some(&bob)).await;
    assert!(practice.body.contains("Your artifacts to review"), "bob sees his own");
    assert!(!practice.body.contains("/practice/stale"), "but not the facilitators' list");
    let practice = t.get("/communities/rust/practice", Some(&fay)).await;
    assert!(practice.body.contains("/communities/rust/practice/stale"));
}

#[tokio::test]
async fn i_used_this_counts_and_credits_the_author() {
    let w = world().await;
    let t = &w.t;
    let id = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let used = t
        .api(
            Method::POST,
            &format!("/api/v1/artifacts/{id}/reuses"),
            Some(&w.fay),
            Some(json!({"note": "payments-api 4.2"})),
        )
        .await;
    assert_eq!(used.status, StatusCode::CREATED, "{}", used.body);
    assert_eq!(used.json()["reuses"], 1);
    let fay = t.sign_in("fay").await;
    let posted = t.post_form(&format!("/artifacts/{id}/reuse"), Some(&fay), &[("note", "")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let too_long = "x".repeat(501);
    let refused = t.post_form(&format!("/artifacts/{id}/reuse"), Some(&fay), &[("note", &too_long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("at most 500 characters"));
    assert_eq!(
        t.api(Method::POST, &format!("/api/v1/artifacts/{id}/reuses"), Some(&w.cy), Some(json!({}))).await.status,
        StatusCode::FORBIDDEN
    );
    let artifact = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!(artifact["reuses"], 2);
    let page = t.get(&format!("/artifacts/{id}"), Some(&fay)).await;
    assert!(page.body.contains("payments-api 4.2") && page.body.contains("2 reuses"));
    // Views count, but not the author's own.
    let bob = t.sign_in("bob").await;
    t.get(&format!("/artifacts/{id}"), Some(&bob)).await;
    let artifact = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!(artifact["views"], 2, "fay's two views only");
    let community = community_id(t, "rust").await;
    let fay_id = t.db.store.find_person_by_handle("fay").await.unwrap().unwrap().id;
    let counts = t.db.store.count_contributions_by_person(community, Timestamp(0)).await.unwrap();
    assert_eq!(counts.iter().find(|c| c.person_id == fay_id).map(|c| c.count), Some(2));
}

#[tokio::test]
async fn a_checklist_run_is_ticked_completed_and_recorded_as_a_reuse() {
    let w = world().await;
    let t = &w.t;
    let id = create(t, &w.fay, checklist()).await["id"].as_i64().unwrap();
    let bob = t.sign_in("bob").await;
    let page = t.get(&format!("/artifacts/{id}"), Some(&bob)).await;
    assert!(page.body.contains("Run this checklist"));
    let started = t.post_form(&format!("/artifacts/{id}/run"), Some(&bob), &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let run_href = started.location().to_string();
    let run = t.get(&run_href, Some(&bob)).await;
    assert_eq!(run.status, StatusCode::OK);
    assert!(run.body.contains("Tag the release") && run.body.contains("0 of 3 done"));
    // Only the runner sees it.
    let fay = t.sign_in("fay").await;
    assert_eq!(t.get(&run_href, Some(&fay)).await.status, StatusCode::NOT_FOUND);
    let run_id: i64 = run_href.trim_start_matches("/checklist-runs/").parse().unwrap();
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/checklist-runs/{run_id}"), Some(&w.fay), None).await.status,
        StatusCode::NOT_FOUND
    );
    let hijack = t
        .post_raw(&run_href, Some(&fay), &encode(&[("tick", "0"), ("action", "complete"), ("_csrf", &fay.csrf)]))
        .await;
    assert_eq!(hijack.status, StatusCode::NOT_FOUND);

    let saved = t
        .post_raw(
            &run_href,
            Some(&bob),
            &encode(&[("tick", "0"), ("tick", "2"), ("note", ""), ("action", "save"), ("_csrf", &bob.csrf)]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let run = t.get(&run_href, Some(&bob)).await;
    assert!(run.body.contains("2 of 3 done"), "{}", run.body);
    // The checklist page offers to continue it.
    assert!(t.get(&format!("/artifacts/{id}"), Some(&bob)).await.body.contains(&format!("href=\"{run_href}\"")));
    let done = t
        .post_raw(
            &run_href,
            Some(&bob),
            &encode(&[
                ("tick", "0"),
                ("tick", "1"),
                ("tick", "2"),
                ("note", "release 1.4"),
                ("action", "complete"),
                ("_csrf", &bob.csrf),
            ]),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let run = t.get(&run_href, Some(&bob)).await;
    assert!(run.body.contains("Completed") && run.body.contains("3 of 3 done"));
    let again = t
        .api(
            Method::PUT,
            &format!("/api/v1/checklist-runs/{run_id}"),
            Some(&w.bob),
            Some(json!({"ticked": [], "complete": true})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a completed run does not change");
    let artifact = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!(artifact["reuses"], 1);
    let page = t.get(&format!("/artifacts/{id}"), Some(&fay)).await;
    assert!(page.body.contains("ran the checklist") && page.body.contains("release 1.4"));

    // The same through the API.
    let run = t.api(Method::POST, &format!("/api/v1/artifacts/{id}/runs"), Some(&w.bob), None).await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.body);
    let run_id = run.json()["id"].as_i64().unwrap();
    assert_eq!(run.json()["items"].as_array().unwrap().len(), 3);
    let ticked = t
        .api(
            Method::PUT,
            &format!("/api/v1/checklist-runs/{run_id}"),
            Some(&w.bob),
            Some(json!({"ticked": [1, 7], "complete": true})),
        )
        .await;
    assert_eq!(ticked.status, StatusCode::OK, "{}", ticked.body);
    let items: Vec<bool> =
        ticked.json()["items"].as_array().unwrap().iter().map(|i| i["ticked"].as_bool().unwrap()).collect();
    assert_eq!(items, vec![false, true, false]);
    assert!(ticked.json()["completed_at"].is_string());
    assert_eq!(t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json()["reuses"], 2);
    // A guide cannot be run; a non-member cannot run.
    let guide =
        create(t, &w.bob, json!({"kind": "guide", "title": "A guide", "body": "- step"})).await["id"].as_i64().unwrap();
    assert_eq!(
        t.api(Method::POST, &format!("/api/v1/artifacts/{guide}/runs"), Some(&w.bob), None).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        t.api(Method::POST, &format!("/api/v1/artifacts/{id}/runs"), Some(&w.cy), None).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn backlinks_from_other_artifacts_respect_visibility() {
    let w = world().await;
    let t = &w.t;
    let target = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let body = format!("Follow [the release checklist](/artifacts/{target}) first.");
    let source = create(t, &w.fay, json!({"kind": "runbook", "title": "Hotfix runbook", "body": body})).await["id"]
        .as_i64()
        .unwrap();
    // A link from a private community is not shown to those who cannot see it.
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let hidden = t
        .api(
            Method::POST,
            "/api/v1/communities/secret/artifacts",
            Some(&w.fay),
            Some(json!({"kind": "guide", "title": "Secret guide", "body": format!("see /artifacts/{target}")})),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::CREATED);
    let bob = t.sign_in("bob").await;
    let page = t.get(&format!("/artifacts/{target}"), Some(&bob)).await;
    assert!(page.body.contains(&format!("href=\"/artifacts/{source}\"")) && page.body.contains("Hotfix runbook"));
    assert!(!page.body.contains("Secret guide"), "bob is not in the private community");
    let page = t.get(&format!("/artifacts/{target}"), Some(&fay)).await;
    assert!(page.body.contains("Secret guide"));
    // Editing the link away removes the backlink.
    let saved = t
        .api(
            Method::PUT,
            &format!("/api/v1/artifacts/{source}"),
            Some(&w.fay),
            Some(json!({"base_version": 1, "title": "Hotfix runbook", "body": "No links now."})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    let page = t.get(&format!("/artifacts/{target}"), Some(&bob)).await;
    assert!(!page.body.contains("Hotfix runbook"));
}

#[tokio::test]
async fn private_community_artifacts_are_not_found_for_outsiders() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let created = t.api(Method::POST, "/api/v1/communities/secret/artifacts", Some(&w.fay), Some(checklist())).await;
    let id = created.json()["id"].as_i64().unwrap();
    let run = t.api(Method::POST, &format!("/api/v1/artifacts/{id}/runs"), Some(&w.fay), None).await.json()["id"]
        .as_i64()
        .unwrap();
    let cy = t.sign_in("cy").await;
    for path in [
        "/communities/secret/practice".to_string(),
        "/communities/secret/practice/new".to_string(),
        "/communities/secret/practice/stale".to_string(),
        format!("/artifacts/{id}"),
        format!("/artifacts/{id}/edit"),
        format!("/artifacts/{id}/history"),
        format!("/artifacts/{id}/versions/1"),
        format!("/artifacts/{id}/diff?from=1&to=1"),
        format!("/checklist-runs/{run}"),
    ] {
        let page = t.get(&path, Some(&cy)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Release checklist"), "{path}");
    }
    for (path, method, body) in [
        (format!("/api/v1/artifacts/{id}"), Method::GET, None),
        (format!("/api/v1/artifacts/{id}/versions"), Method::GET, None),
        (format!("/api/v1/artifacts/{id}/versions/1"), Method::GET, None),
        (format!("/api/v1/artifacts/{id}/diff?from=1&to=1"), Method::GET, None),
        ("/api/v1/communities/secret/artifacts".to_string(), Method::GET, None),
        ("/api/v1/communities/secret/artifacts/stale".to_string(), Method::GET, None),
        ("/api/v1/communities/secret/artifacts".to_string(), Method::POST, Some(checklist())),
        (
            format!("/api/v1/artifacts/{id}"),
            Method::PUT,
            Some(json!({"base_version": 1, "title": "Mine now", "body": "x"})),
        ),
        (format!("/api/v1/artifacts/{id}/reuses"), Method::POST, Some(json!({}))),
        (format!("/api/v1/artifacts/{id}/runs"), Method::POST, None),
        (format!("/api/v1/artifacts/{id}/curation"), Method::POST, Some(json!({"status": "draft", "owners": ["cy"]}))),
        (format!("/api/v1/checklist-runs/{run}"), Method::GET, None),
    ] {
        let response = t.api(method, &path, Some(&w.cy), body).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}: {}", response.body);
        assert!(!response.body.contains("Release checklist"));
    }
    for path in [
        format!("/artifacts/{id}/edit"),
        format!("/artifacts/{id}/reuse"),
        format!("/artifacts/{id}/run"),
        format!("/artifacts/{id}/curation"),
    ] {
        let posted = t.post_form(&path, Some(&cy), &[("base_version", "1"), ("title", "x"), ("body", "x")]).await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "{path}");
    }
    let now = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.fay), None).await.json();
    assert_eq!(
        (now["title"].as_str(), now["version"].as_i64(), now["reuses"].as_i64()),
        (Some("Release checklist"), Some(1), Some(0))
    );
}

#[tokio::test]
async fn signed_out_guests_and_non_members_are_refused() {
    let w = world().await;
    let t = &w.t;
    let id = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let signed_out = t.get(&format!("/artifacts/{id}"), None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert!(signed_out.location().starts_with("/login"));
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    t.guest("gus").await;
    let gus = t.token("gus").await;
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&gus), None).await.status,
        StatusCode::OK,
        "guests look"
    );
    assert_eq!(
        t.api(Method::POST, "/api/v1/communities/rust/artifacts", Some(&gus), Some(checklist())).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.api(Method::POST, "/api/v1/communities/rust/artifacts", Some(&w.cy), Some(checklist())).await.status,
        StatusCode::FORBIDDEN
    );
    let cy = t.sign_in("cy").await;
    assert_eq!(t.get("/communities/rust/practice/new", Some(&cy)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get(&format!("/artifacts/{id}/edit"), Some(&cy)).await.status, StatusCode::FORBIDDEN);
    let edit = t
        .post_form(
            &format!("/artifacts/{id}/edit"),
            Some(&cy),
            &[("base_version", "1"), ("kind", "checklist"), ("title", "Mine"), ("body", "x")],
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    // Without the CSRF token a form post is refused.
    let forged = t.post_raw(&format!("/artifacts/{id}/reuse"), Some(&cy), "note=x").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = t.get(&format!("/artifacts/{id}"), Some(&cy)).await;
    assert!(!page.body.contains(&format!("action=\"/artifacts/{id}/reuse\"")), "no reuse form for non-members");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_and_nothing_is_stored() {
    let w = world().await;
    let t = &w.t;
    let huge = "a".repeat(100_001);
    let mut body = checklist();
    body["body"] = json!(huge);
    let refused = t.api(Method::POST, "/api/v1/communities/rust/artifacts", Some(&w.bob), Some(body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.json();
    assert_eq!(problem["errors"][0]["field"], "body");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("the limit is 100000"), "{problem}");
    let list = t.api(Method::GET, "/api/v1/communities/rust/artifacts", Some(&w.bob), None).await.json();
    assert!(list["artifacts"].as_array().unwrap().is_empty());
    // A new version over the limit is refused too; version 1 stays.
    let id = create(t, &w.bob, checklist()).await["id"].as_i64().unwrap();
    let bob = t.sign_in("bob").await;
    let page = t
        .post_form(
            &format!("/artifacts/{id}/edit"),
            Some(&bob),
            &[("base_version", "1"), ("kind", "checklist"), ("title", "Release checklist"), ("body", &huge)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The body is 100001 characters long; the limit is 100000"));
    assert!(page.body.contains("aria-invalid=\"true\" aria-describedby=\"body-error\""));
    let now = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.bob), None).await.json();
    assert_eq!(now["version"], 1);
    // A short title and an unknown kind are named too.
    let bad = t
        .api(
            Method::POST,
            "/api/v1/communities/rust/artifacts",
            Some(&w.bob),
            Some(json!({"kind": "poem", "title": "ab", "body": "x"})),
        )
        .await;
    let fields: Vec<String> =
        bad.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["kind", "title"]);
}

#[tokio::test]
async fn hostile_markdown_is_stored_as_written_and_rendered_harmless() {
    let w = world().await;
    let t = &w.t;
    let hostile =
        "# Fine\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n";
    let id = create(t, &w.bob, json!({"kind": "guide", "title": "<b>Bold</b> title", "body": hostile})).await["id"]
        .as_i64()
        .unwrap();
    let raw = t.api(Method::GET, &format!("/api/v1/artifacts/{id}"), Some(&w.fay), None).await.json();
    assert_eq!(raw["body"], hostile);
    assert_eq!(raw["title"], "<b>Bold</b> title");
    let fay = t.sign_in("fay").await;
    for path in [format!("/artifacts/{id}"), format!("/artifacts/{id}/versions/1")] {
        let page = t.get(&path, Some(&fay)).await.body.to_lowercase();
        for bad in ["<script>alert", "javascript:", "onerror", "<b>bold</b>"] {
            assert!(!page.contains(bad), "{path} contains {bad}");
        }
        assert!(page.contains("<h1>fine</h1>"));
    }
}

#[tokio::test]
async fn the_api_document_lists_the_practice_routes() {
    let w = world().await;
    let doc = w.t.get("/api/openapi.json", None).await.json();
    for path in [
        "/communities/{slug}/artifacts",
        "/communities/{slug}/artifacts/stale",
        "/artifacts/{id}",
        "/artifacts/{id}/versions",
        "/artifacts/{id}/versions/{version}",
        "/artifacts/{id}/diff",
        "/artifacts/{id}/curation",
        "/artifacts/{id}/reuses",
        "/artifacts/{id}/runs",
        "/checklist-runs/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert_eq!(doc["paths"]["/artifacts/{id}"]["put"]["tags"][0], "practice");
    assert!(doc["paths"]["/artifacts/{id}"]["put"]["responses"]["409"].is_object());
    let _ = w.bob_id;
}

#[tokio::test]
async fn the_demo_has_a_practice_repository() {
    let t = TestApp::new().await;
    let summary = copse_app::demo::load_demo(&t.app, &|_, _, _| {}).await.unwrap();
    assert!((40..=60).contains(&summary.artifacts), "{}", summary.artifacts);
    let ada_id = PersonId(t.db.store.find_person_by_handle("ada").await.unwrap().unwrap().id);
    t.app.set_password(ada_id, PASSWORD).await.unwrap();
    let ada = t.token("ada").await;
    let list =
        t.api(Method::GET, "/api/v1/communities/rust-guild/artifacts?kind=checklist", Some(&ada), None).await.json();
    let release = list["artifacts"].as_array().unwrap().iter().find(|a| a["title"] == "Release checklist").unwrap();
    assert_eq!(release["status"], "published");
    assert!(release["reuses"].as_i64().unwrap() >= 1);
    let standards =
        t.api(Method::GET, "/api/v1/communities/rust-guild/artifacts?kind=standard", Some(&ada), None).await.json();
    let review =
        standards["artifacts"].as_array().unwrap().iter().find(|a| a["title"] == "Code review standard").unwrap();
    assert!(review["version"].as_i64().unwrap() >= 3);
    let adrs =
        t.api(Method::GET, "/api/v1/communities/rust-guild/artifacts?status=superseded", Some(&ada), None).await.json();
    assert_eq!(adrs["artifacts"][0]["title"], "ADR-003: Use async-std for async runtime");
    let stale = t.api(Method::GET, "/api/v1/communities/rust-guild/artifacts/stale", Some(&ada), None).await;
    assert_eq!(stale.status, StatusCode::OK);
    assert!(!stale.json().as_array().unwrap().is_empty());
    // The release checklist's page shows its backlinks and runs.
    let session = t.sign_in("ada").await;
    let id = release["id"].as_i64().unwrap();
    let page = t.get(&format!("/artifacts/{id}"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ran the checklist") || page.body.contains("used this"));
    assert!(page.body.contains("Run this checklist") || page.body.contains("Continue your run"));
}
