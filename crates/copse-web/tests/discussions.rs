//! Discussions and Q&A over HTTP, through the pages and the API: asking,
//! answering, accepting and time saved; edits with history and stale-version
//! conflicts; mentions; reactions; moderation; privacy; size limits; and
//! hostile Markdown.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{CommunityId, MembershipRole, MembershipStatus, Timestamp};
use serde_json::{Value, json};

/// An open community "rust" facilitated by fay, with members bob and dee;
/// cy signs in but belongs nowhere.
struct World {
    t: TestApp,
    fay: String,
    bob: String,
    dee: String,
    cy: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    let dee = t.person("dee", false).await;
    t.person("cy", false).await;
    let fay_session = t.sign_in("fay").await;
    t.community(&fay_session, "rust", "open").await;
    t.add_member("rust", bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("rust", dee, MembershipRole::Member, MembershipStatus::Active).await;
    let fay = t.token("fay").await;
    let bob = t.token("bob").await;
    let dee = t.token("dee").await;
    let cy = t.token("cy").await;
    World { t, fay, bob, dee, cy }
}

fn question(title: &str) -> Value {
    json!({"kind": "question", "title": title, "body": "How do I pin **tokio**?", "tags": ["Rust", "tokio"]})
}

async fn start(t: &TestApp, token: &str, slug: &str, body: Value) -> (i64, i64) {
    let created = t.api(Method::POST, &format!("/api/v1/communities/{slug}/threads"), Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let json = created.json();
    (json["thread"]["id"].as_i64().unwrap(), json["posts"][0]["id"].as_i64().unwrap())
}

async fn reply(t: &TestApp, token: &str, thread: i64, body: &str) -> TestResponse {
    t.api(Method::POST, &format!("/api/v1/threads/{thread}/posts"), Some(token), Some(json!({"body": body}))).await
}

async fn thread_json(t: &TestApp, token: &str, thread: i64) -> Value {
    let got = t.api(Method::GET, &format!("/api/v1/threads/{thread}"), Some(token), None).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    got.json()
}

async fn community_id(t: &TestApp, slug: &str) -> CommunityId {
    CommunityId(t.db.store.find_community_for_viewer(slug, None).await.unwrap().unwrap().community.id)
}

#[tokio::test]
async fn a_question_is_asked_answered_accepted_and_saves_time() {
    let w = world().await;
    let t = &w.t;
    let bob = t.sign_in("bob").await;

    // Asked through the page.
    let asked = t
        .post_form(
            "/communities/rust/discussions/new",
            Some(&bob),
            &[
                ("kind", "question"),
                ("title", "How do we pin the tokio version across services?"),
                ("body", "We keep getting **two** tokio versions in one build."),
                ("tags", "tokio, Cargo"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let location = asked.location().to_string();
    assert!(location.starts_with("/threads/") && location.ends_with("?notice=started"), "{location}");
    let thread: i64 = location.trim_start_matches("/threads/").split('?').next().unwrap().parse().unwrap();

    // Unanswered, in the page and the API.
    let unanswered = t.get("/communities/rust/discussions/unanswered", Some(&bob)).await;
    assert_eq!(unanswered.status, StatusCode::OK);
    assert!(unanswered.body.contains("How do we pin the tokio version"), "{}", unanswered.body);
    let listed =
        t.api(Method::GET, "/api/v1/communities/rust/threads?unanswered=true", Some(&w.bob), None).await.json();
    assert_eq!(listed["threads"].as_array().unwrap().len(), 1);
    assert_eq!(listed["threads"][0]["tags"], json!(["tokio", "cargo"]));

    let answer = reply(t, &w.dee, thread, "Use `[workspace.dependencies]` and `cargo tree -d`.").await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let answer_id = answer.json()["id"].as_i64().unwrap();
    let listed =
        t.api(Method::GET, "/api/v1/communities/rust/threads?unanswered=true", Some(&w.bob), None).await.json();
    assert!(listed["threads"].as_array().unwrap().is_empty(), "answered now: {listed}");
    let unanswered = t.get("/communities/rust/discussions/unanswered", Some(&bob)).await;
    assert!(!unanswered.body.contains("How do we pin the tokio version"));

    // Only the asker (or a facilitator) accepts; the page offers the button to bob.
    let page = t.get(&format!("/threads/{thread}"), Some(&bob)).await;
    assert!(page.body.contains("Accept this answer"), "{}", page.body);
    let dee_page = t.get(&format!("/threads/{thread}"), Some(&t.sign_in("dee").await)).await;
    assert!(!dee_page.body.contains("Accept this answer"));
    let refused = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/accept"),
            Some(&w.dee),
            Some(json!({"post_id": answer_id})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let accepted =
        t.post_form(&format!("/threads/{thread}/accept"), Some(&bob), &[("post_id", &answer_id.to_string())]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let json = thread_json(t, &w.bob, thread).await;
    assert_eq!(json["thread"]["solved"], true);
    assert_eq!(json["thread"]["accepted_post_id"], answer_id);
    assert_eq!(json["posts"][1]["accepted"], true);
    let page = t.get(&format!("/threads/{thread}"), Some(&bob)).await;
    assert!(page.body.contains("Solved") && page.body.contains("the accepted answer"));

    // The activity record: bob asked; dee answered and was accepted, in reply to bob.
    let counts = t.db.store.count_contributions_by_person(community_id(t, "rust").await, Timestamp(0)).await.unwrap();
    let count_of = |handle_id: i64| counts.iter().find(|c| c.person_id == handle_id).map_or(0, |c| c.count);
    let bob_id = t.db.store.find_person_by_handle("bob").await.unwrap().unwrap().id;
    let dee_id = t.db.store.find_person_by_handle("dee").await.unwrap().unwrap().id;
    assert_eq!((count_of(bob_id), count_of(dee_id)), (1, 2));
    let dee_notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&w.dee), None).await.json();
    assert!(dee_notes[0]["message"].as_str().unwrap().contains("was accepted"), "{dee_notes}");

    // Time saved: the asker through the page, others only if they reused it.
    let saved = t
        .post_form(&format!("/threads/{thread}/time-saved"), Some(&bob), &[("minutes", "45"), ("note", "no more CI")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let not_reused = t
        .api(Method::POST, &format!("/api/v1/threads/{thread}/time-saved"), Some(&w.dee), Some(json!({"minutes": 30})))
        .await;
    assert_eq!(not_reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_reused.json()["errors"][0]["field"], "reused");
    let reused = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/time-saved"),
            Some(&w.dee),
            Some(json!({"minutes": 30, "reused": true})),
        )
        .await;
    assert_eq!(reused.json(), json!({"total_minutes": 75, "records": 2}));
    // Once per person: recording again replaces.
    let again = t
        .api(Method::POST, &format!("/api/v1/threads/{thread}/time-saved"), Some(&w.bob), Some(json!({"minutes": 60})))
        .await;
    assert_eq!(again.json(), json!({"total_minutes": 90, "records": 2}));
    let too_much = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/time-saved"),
            Some(&w.bob),
            Some(json!({"minutes": 10_001})),
        )
        .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    let outsider = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/time-saved"),
            Some(&w.cy),
            Some(json!({"minutes": 5, "reused": true})),
        )
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    let page = t.get(&format!("/threads/{thread}"), Some(&bob)).await;
    assert!(page.body.contains("It saved people 1 h 30 min in all (2 people said so)."), "{}", page.body);
    assert!(page.body.contains("This answer saved me"));
}

#[tokio::test]
async fn answers_need_a_question_and_a_reply_of_the_thread() {
    let w = world().await;
    let t = &w.t;
    let (discussion, opening) = start(
        t,
        &w.bob,
        "rust",
        json!({"kind": "discussion", "title": "Favourite crates of 2026", "body": "Mine is `jiff`."}),
    )
    .await;
    let r = reply(t, &w.dee, discussion, "serde, forever").await.json()["id"].as_i64().unwrap();
    let not_question = t
        .api(Method::POST, &format!("/api/v1/threads/{discussion}/accept"), Some(&w.bob), Some(json!({"post_id": r})))
        .await;
    assert_eq!(not_question.status, StatusCode::CONFLICT);
    let (q, q_opening) = start(t, &w.bob, "rust", question("Is there a lint for holding a lock across await?")).await;
    for wrong in [q_opening, opening] {
        let refused = t
            .api(Method::POST, &format!("/api/v1/threads/{q}/accept"), Some(&w.bob), Some(json!({"post_id": wrong})))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    }
    let no_accepted = t
        .api(Method::POST, &format!("/api/v1/threads/{q}/time-saved"), Some(&w.bob), Some(json!({"minutes": 10})))
        .await;
    assert_eq!(no_accepted.status, StatusCode::CONFLICT, "nothing accepted yet");
}

#[tokio::test]
async fn edits_keep_their_history_and_a_stale_version_overwrites_nothing() {
    let w = world().await;
    let t = &w.t;
    let (thread, post) = start(t, &w.bob, "rust", question("Why does my build take nine minutes?")).await;

    let first = t
        .api(
            Method::PUT,
            &format!("/api/v1/posts/{post}"),
            Some(&w.bob),
            Some(json!({"body": "Second text, with `sccache`.", "version": 1, "title": "Why does CI take nine minutes?", "tags": ["ci"]})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["version"], 2);
    let json = thread_json(t, &w.bob, thread).await;
    assert_eq!(json["thread"]["title"], "Why does CI take nine minutes?");
    assert_eq!(json["thread"]["tags"], json!(["ci"]));

    // Someone else's edit from version 1 is stale: 409 and nothing changes.
    let stale = t
        .api(
            Method::PUT,
            &format!("/api/v1/posts/{post}"),
            Some(&w.fay),
            Some(json!({"body": "Facilitator's rewrite", "version": 1})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.json()["code"], "conflict");
    let now = t.api(Method::GET, &format!("/api/v1/posts/{post}"), Some(&w.bob), None).await.json();
    assert_eq!((now["body"].as_str(), now["version"].as_i64()), (Some("Second text, with `sccache`."), Some(2)));

    // The page's form says so too and keeps what was typed.
    let bob = t.sign_in("bob").await;
    let form = t.get(&format!("/posts/{post}/edit"), Some(&bob)).await;
    assert!(form.body.contains("name=\"version\" value=\"2\""), "{}", form.body);
    let conflict =
        t.post_form(&format!("/posts/{post}/edit"), Some(&bob), &[("body", "My typed text"), ("version", "1")]).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.body.contains("Someone saved a newer version"), "{}", conflict.body);
    assert!(conflict.body.contains("My typed text") && conflict.body.contains("The current version"));
    let saved = t
        .post_form(
            &format!("/posts/{post}/edit"),
            Some(&bob),
            &[("body", "Third text"), ("version", "2"), ("title", "Why does CI take nine minutes?"), ("tags", "ci")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // History: every version, newest first, in the API and on its page.
    let history = t.api(Method::GET, &format!("/api/v1/posts/{post}/history"), Some(&w.dee), None).await.json();
    let bodies: Vec<&str> = history.as_array().unwrap().iter().map(|v| v["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, vec!["Third text", "Second text, with `sccache`.", "How do I pin **tokio**?"]);
    assert_eq!(history[0]["current"], true);
    assert_eq!(history[2]["author"]["handle"], "bob");
    let page = t.get(&format!("/posts/{post}/history"), Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<strong>tokio</strong>") && page.body.contains("<code>sccache</code>"),
        "{}",
        page.body
    );

    // Someone else's post is not yours to edit; a facilitator may.
    let not_yours = t
        .api(
            Method::PUT,
            &format!("/api/v1/posts/{post}"),
            Some(&w.dee),
            Some(json!({"body": "mine now", "version": 3})),
        )
        .await;
    assert_eq!(not_yours.status, StatusCode::FORBIDDEN);
    let facilitator = t
        .api(Method::PUT, &format!("/api/v1/posts/{post}"), Some(&w.fay), Some(json!({"body": "Tidied", "version": 3})))
        .await;
    assert_eq!(facilitator.status, StatusCode::OK, "{}", facilitator.body);
    let history = t.api(Method::GET, &format!("/api/v1/posts/{post}/history"), Some(&w.dee), None).await.json();
    assert_eq!(history[0]["author"]["handle"], "fay", "the editor is named");
}

#[tokio::test]
async fn mentions_notify_people_who_can_see_the_community_once() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let bob_id = t.db.store.find_person_by_handle("bob").await.unwrap().unwrap().id;
    t.add_member("secret", copse_domain::PersonId(bob_id), MembershipRole::Member, MembershipStatus::Active).await;

    let body = "Thoughts, @fay and @dee and @cy? cc @bob and @nobody, mail me at bob@example.com";
    let (thread, post) =
        start(t, &w.bob, "secret", json!({"kind": "discussion", "title": "Rotating the signing keys", "body": body}))
            .await;
    let notes =
        |token: String| async move { t.api(Method::GET, "/api/v1/me/notifications", Some(&token), None).await.json() };
    let fay_notes = notes(w.fay.clone()).await;
    assert_eq!(fay_notes.as_array().unwrap().len(), 1, "{fay_notes}");
    assert!(fay_notes[0]["message"].as_str().unwrap().contains("mentioned you in “Rotating the signing keys”"));
    assert_eq!(fay_notes[0]["link"], format!("/posts/{post}"));
    for outsider in [&w.dee, &w.cy, &w.bob] {
        assert!(notes(outsider.clone()).await.as_array().unwrap().is_empty(), "private: only who can see it");
    }
    // An edit that still mentions fay does not tell her twice.
    let edited = t
        .api(
            Method::PUT,
            &format!("/api/v1/posts/{post}"),
            Some(&w.bob),
            Some(json!({"body": "@fay, any news?", "version": 1})),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_eq!(notes(w.fay.clone()).await.as_array().unwrap().len(), 1);
    // In an open community everyone signed in can read, so cy is told.
    let (open_thread, _) = start(
        t,
        &w.bob,
        "rust",
        json!({"kind": "discussion", "title": "Async book club", "body": "@cy want to join?"}),
    )
    .await;
    let cy_notes = notes(w.cy.clone()).await;
    assert_eq!(cy_notes.as_array().unwrap().len(), 1, "{cy_notes}");
    // The permalink leads to the post's anchor on its thread page.
    let link = cy_notes[0]["link"].as_str().unwrap();
    let cy = t.sign_in("cy").await;
    let redirect = t.get(link, Some(&cy)).await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert!(redirect.location().starts_with(&format!("/threads/{open_thread}#post-")), "{}", redirect.location());
    assert_ne!(thread, open_thread);
}

#[tokio::test]
async fn reactions_toggle() {
    let w = world().await;
    let t = &w.t;
    let (thread, post) = start(t, &w.bob, "rust", question("Which error crate for libraries?")).await;
    let dee = t.sign_in("dee").await;
    // Seen once before reacting, so a cached page must not hide the change.
    let before = t.get(&format!("/threads/{thread}"), Some(&dee)).await;
    assert!(before.body.contains("aria-pressed=\"false\"") && !before.body.contains("aria-pressed=\"true\""));
    let given = t.post_form(&format!("/posts/{post}/react"), Some(&dee), &[("reaction", "thanks")]).await;
    assert_eq!(given.status, StatusCode::SEE_OTHER);
    assert_eq!(given.location(), format!("/posts/{post}"));
    let json = thread_json(t, &w.dee, thread).await;
    assert_eq!(json["posts"][0]["reactions"], json!([{"reaction": "thanks", "count": 1, "mine": true}]));
    let page = t.get(&format!("/threads/{thread}"), Some(&dee)).await;
    assert!(page.body.contains("aria-pressed=\"true\""), "{}", page.body);
    let by_bob = t
        .api(
            Method::POST,
            &format!("/api/v1/posts/{post}/reactions"),
            Some(&w.bob),
            Some(json!({"reaction": "thanks"})),
        )
        .await
        .json();
    assert_eq!((by_bob["reacted"].as_bool(), by_bob["count"].as_i64()), (Some(true), Some(2)));
    let taken_back = t
        .api(
            Method::POST,
            &format!("/api/v1/posts/{post}/reactions"),
            Some(&w.dee),
            Some(json!({"reaction": "thanks"})),
        )
        .await
        .json();
    assert_eq!((taken_back["reacted"].as_bool(), taken_back["count"].as_i64()), (Some(false), Some(1)));
    let page = t.get(&format!("/threads/{thread}"), Some(&dee)).await;
    assert!(!page.body.contains("aria-pressed=\"true\""), "taken back");
    assert!(page.body.contains("reaction-count\">1<"), "bob's is still counted");
    let unknown = t
        .api(Method::POST, &format!("/api/v1/posts/{post}/reactions"), Some(&w.dee), Some(json!({"reaction": "angry"})))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let outsider = t
        .api(Method::POST, &format!("/api/v1/posts/{post}/reactions"), Some(&w.cy), Some(json!({"reaction": "agree"})))
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn facilitators_lock_pin_hide_and_move_and_members_cannot() {
    let w = world().await;
    let t = &w.t;
    let (old, _) = start(t, &w.bob, "rust", question("First question")).await;
    let (thread, _) = start(t, &w.bob, "rust", question("Second question")).await;
    let moderate = |token: &str, thread: i64, body: Value| {
        let token = token.to_string();
        async move { t.api(Method::POST, &format!("/api/v1/threads/{thread}/moderation"), Some(&token), Some(body)).await }
    };

    // Members cannot moderate.
    for action in ["lock", "pin", "hide", "move"] {
        let refused = moderate(&w.bob, thread, json!({"action": action, "reason": "because", "target": "rust"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{action}");
    }

    // Locked: members' replies are refused with a clear message; facilitators may still reply.
    assert_eq!(moderate(&w.fay, thread, json!({"action": "lock"})).await.json()["locked"], true);
    let refused = reply(t, &w.dee, thread, "me too").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.json()["detail"].as_str().unwrap().contains("locked"), "{}", refused.body);
    let dee = t.sign_in("dee").await;
    let page = t.get(&format!("/threads/{thread}"), Some(&dee)).await;
    assert!(page.body.contains("This thread is locked") && !page.body.contains("Post your answer"));
    let by_page = t.post_form(&format!("/threads/{thread}/reply"), Some(&dee), &[("body", "me too")]).await;
    assert_eq!(by_page.status, StatusCode::CONFLICT);
    assert_eq!(reply(t, &w.fay, thread, "Locked while we move this.").await.status, StatusCode::CREATED);
    assert_eq!(moderate(&w.fay, thread, json!({"action": "unlock"})).await.json()["locked"], false);
    let answer = reply(t, &w.dee, thread, "Now it works").await.json()["id"].as_i64().unwrap();

    // Pinned threads come first, whatever their activity.
    let fay = t.sign_in("fay").await;
    let pinned = t.post_form(&format!("/threads/{old}/moderate"), Some(&fay), &[("action", "pin")]).await;
    assert_eq!(pinned.status, StatusCode::SEE_OTHER);
    let list = t.api(Method::GET, "/api/v1/communities/rust/threads", Some(&w.dee), None).await.json();
    let order: Vec<i64> = list["threads"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(order, vec![old, thread]);
    assert_eq!(list["threads"][0]["pinned"], true);

    // Hiding a post needs a reason; members no longer see it, facilitators see why.
    let no_reason = moderate(&w.fay, thread, json!({"action": "hide", "post_id": answer})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.json()["errors"][0]["field"], "reason");
    let hidden =
        moderate(&w.fay, thread, json!({"action": "hide", "post_id": answer, "reason": "Off-topic advert"})).await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
    assert_eq!(hidden.json()["reply_count"], 1, "the hidden reply no longer counts");
    let seen_by_dee = thread_json(t, &w.dee, thread).await;
    assert!(seen_by_dee["posts"].as_array().unwrap().iter().all(|p| p["id"] != answer));
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/posts/{answer}"), Some(&w.dee), None).await.status,
        StatusCode::NOT_FOUND
    );
    let fay_page = t.get(&format!("/threads/{thread}"), Some(&fay)).await;
    assert!(fay_page.body.contains("Hidden by Fay Tester: Off-topic advert"), "{}", fay_page.body);

    // Hiding the whole thread: members get 404 on the page and the API.
    let hide_page = t
        .post_form(
            &format!("/threads/{thread}/moderate"),
            Some(&fay),
            &[("action", "hide"), ("reason", "Duplicate of #1")],
        )
        .await;
    assert_eq!(hide_page.status, StatusCode::SEE_OTHER, "{}", hide_page.body);
    assert_eq!(t.get(&format!("/threads/{thread}"), Some(&dee)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/threads/{thread}"), Some(&w.dee), None).await.status,
        StatusCode::NOT_FOUND
    );
    let list = t.api(Method::GET, "/api/v1/communities/rust/threads", Some(&w.dee), None).await.json();
    assert_eq!(list["threads"].as_array().unwrap().len(), 1);
    let fay_list = t.get("/communities/rust/discussions", Some(&fay)).await;
    assert!(fay_list.body.contains("Hidden: Duplicate of #1"), "{}", fay_list.body);
    assert_eq!(moderate(&w.fay, thread, json!({"action": "unhide"})).await.status, StatusCode::OK);

    // Moving needs facilitation of the target too; activity moves along.
    let dee_token = w.dee.clone();
    t.api(
        Method::POST,
        "/api/v1/communities",
        Some(&dee_token),
        Some(json!({"name": "Python", "slug": "python", "domain": "Python", "kind": "technical-practice", "visibility": "open"})),
    )
    .await;
    let not_theirs = moderate(&w.fay, thread, json!({"action": "move", "target": "python"})).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN, "{}", not_theirs.body);
    t.community(&fay, "go", "open").await;
    let form = t.get(&format!("/threads/{thread}/move"), Some(&fay)).await;
    assert!(form.body.contains("<option value=\"go\""), "{}", form.body);
    let moved = t
        .post_form(&format!("/threads/{thread}/move"), Some(&fay), &[("target", "go"), ("reason", "Wrong community")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let json = thread_json(t, &w.fay, thread).await;
    assert_eq!(json["community"], "go");
    let in_go = t.db.store.count_contributions_by_person(community_id(t, "go").await, Timestamp(0)).await.unwrap();
    assert_eq!(in_go.iter().map(|c| c.count).sum::<i64>(), 3, "the question and its two replies moved: {in_go:?}");
}

#[tokio::test]
async fn private_threads_are_not_found_for_outsiders() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let (thread, post) = start(t, &w.fay, "secret", question("Where do we keep the HSM runbook?")).await;
    let cy = t.sign_in("cy").await;
    for path in [
        "/communities/secret/discussions".to_string(),
        "/communities/secret/discussions/unanswered".to_string(),
        "/communities/secret/discussions/new".to_string(),
        format!("/threads/{thread}"),
        format!("/threads/{thread}/move"),
        format!("/posts/{post}"),
        format!("/posts/{post}/edit"),
        format!("/posts/{post}/history"),
    ] {
        let page = t.get(&path, Some(&cy)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("HSM"), "{path}");
    }
    let posted = t.post_form(&format!("/threads/{thread}/reply"), Some(&cy), &[("body", "hello")]).await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    for (method, path, body) in [
        (Method::GET, "/api/v1/communities/secret/threads".to_string(), None),
        (Method::POST, "/api/v1/communities/secret/threads".to_string(), Some(question("Can I see this?"))),
        (Method::GET, format!("/api/v1/threads/{thread}"), None),
        (Method::POST, format!("/api/v1/threads/{thread}/posts"), Some(json!({"body": "hi"}))),
        (Method::GET, format!("/api/v1/posts/{post}"), None),
        (Method::PUT, format!("/api/v1/posts/{post}"), Some(json!({"body": "x", "version": 1}))),
        (Method::GET, format!("/api/v1/posts/{post}/history"), None),
        (Method::POST, format!("/api/v1/posts/{post}/reactions"), Some(json!({"reaction": "thanks"}))),
        (Method::POST, format!("/api/v1/threads/{thread}/accept"), Some(json!({"post_id": post}))),
        (Method::POST, format!("/api/v1/threads/{thread}/moderation"), Some(json!({"action": "lock"}))),
    ] {
        let got = t.api(method.clone(), &path, Some(&w.cy), body).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{method} {path}: {}", got.body);
        assert!(!got.body.contains("HSM"));
    }
    // Signed out: the page sends to sign-in, the API answers 401.
    let anonymous = t.get(&format!("/threads/{thread}"), None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/login?next="));
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/threads/{thread}"), None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn only_members_post_and_only_facilitators_announce() {
    let w = world().await;
    let t = &w.t;
    t.guest("gus").await;
    let gus = t.token("gus").await;
    let (thread, _) = start(t, &w.bob, "rust", question("Anyone using miri in CI?")).await;
    for token in [&w.cy, &gus] {
        let created = t
            .api(Method::POST, "/api/v1/communities/rust/threads", Some(token), Some(question("Outsider question")))
            .await;
        assert_eq!(created.status, StatusCode::FORBIDDEN, "{}", created.body);
        assert_eq!(reply(t, token, thread, "outsider reply").await.status, StatusCode::FORBIDDEN);
    }
    // Outsiders may read an open community's threads, but the page offers no reply form.
    let cy = t.sign_in("cy").await;
    let page = t.get(&format!("/threads/{thread}"), Some(&cy)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("to reply") && !page.body.contains("Post your answer"));
    assert_eq!(t.get("/communities/rust/discussions/new", Some(&cy)).await.status, StatusCode::FORBIDDEN);
    let by_page = t
        .post_form(
            "/communities/rust/discussions/new",
            Some(&cy),
            &[("kind", "question"), ("title", "Outsider"), ("body", "hello")],
        )
        .await;
    assert_eq!(by_page.status, StatusCode::FORBIDDEN);

    let announcement = json!({"kind": "announcement", "title": "Guild meetup moved", "body": "Now on Thursday."});
    let by_member =
        t.api(Method::POST, "/api/v1/communities/rust/threads", Some(&w.bob), Some(announcement.clone())).await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let bob = t.sign_in("bob").await;
    let form = t.get("/communities/rust/discussions/new", Some(&bob)).await;
    assert!(!form.body.contains("value=\"announcement\""));
    let (_, _) = start(t, &w.fay, "rust", announcement).await;
    let list =
        t.api(Method::GET, "/api/v1/communities/rust/threads?kind=announcement", Some(&w.bob), None).await.json();
    assert_eq!(list["threads"].as_array().unwrap().len(), 1);
    assert_eq!(list["threads"][0]["kind"], "announcement");
    let bad_kind = t.api(Method::GET, "/api/v1/communities/rust/threads?kind=rant", Some(&w.bob), None).await;
    assert_eq!(bad_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn long_bodies_are_refused_clearly_and_nothing_is_stored() {
    let w = world().await;
    let t = &w.t;
    let long = "a".repeat(100_001);
    let refused = t
        .api(
            Method::POST,
            "/api/v1/communities/rust/threads",
            Some(&w.bob),
            Some(json!({"kind": "question", "title": "A long one", "body": long})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &refused.json()["errors"];
    assert_eq!(errors[0]["field"], "body");
    assert_eq!(errors[0]["message"], "Posts are limited to 100,000 characters; this one has 100,001.");
    let bob = t.sign_in("bob").await;
    let by_page = t
        .post_form(
            "/communities/rust/discussions/new",
            Some(&bob),
            &[("kind", "question"), ("title", "A long one"), ("body", &long), ("tags", "big")],
        )
        .await;
    assert_eq!(by_page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(by_page.body.contains("Posts are limited to 100,000 characters; this one has 100,001."));
    assert!(by_page.body.contains("value=\"A long one\""), "the form keeps what was typed");
    let list = t.api(Method::GET, "/api/v1/communities/rust/threads", Some(&w.bob), None).await.json();
    assert!(list["threads"].as_array().unwrap().is_empty(), "nothing stored");

    let (thread, _) = start(t, &w.bob, "rust", question("Short question")).await;
    let long_reply = reply(t, &w.dee, thread, &long).await;
    assert_eq!(long_reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let empty_reply = t.post_form(&format!("/threads/{thread}/reply"), Some(&bob), &[("body", "   ")]).await;
    assert_eq!(empty_reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty_reply.body.contains("the post is empty"), "{}", empty_reply.body);

    // Over the request limit: 413 before anything is read.
    let huge = "b".repeat(300 * 1024);
    let too_large = t
        .api(
            Method::POST,
            "/api/v1/communities/rust/threads",
            Some(&w.bob),
            Some(json!({"kind": "question", "title": "Huge", "body": huge})),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    let page_too_large = t
        .send(
            Method::POST,
            &format!("/threads/{thread}/reply"),
            Some(&bob.cookie),
            Body::from(encode(&[("_csrf", &bob.csrf), ("body", &huge)])),
            Some(FORM),
        )
        .await;
    assert_eq!(page_too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(thread_json(t, &w.bob, thread).await["posts"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn hostile_markdown_is_stored_as_written_but_rendered_harmless() {
    let w = world().await;
    let t = &w.t;
    let hostile = "Look: <script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n\
                   | a | b |\n|---|---|\n| `x` | **y** |\n\n```rust\nfn main() {}\n```";
    let (thread, post) =
        start(t, &w.bob, "rust", json!({"kind": "discussion", "title": "Sanitizer test", "body": hostile})).await;
    let stored = t.api(Method::GET, &format!("/api/v1/posts/{post}"), Some(&w.dee), None).await.json();
    assert_eq!(stored["body"], hostile, "the API returns the body as written");
    let dee = t.sign_in("dee").await;
    let page = t.get(&format!("/threads/{thread}"), Some(&dee)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body.to_lowercase();
    for bad in ["<script>alert", "javascript:", "onerror", "alert(3)"] {
        assert!(!body.contains(bad), "{bad} survived: {}", page.body);
    }
    assert!(page.body.contains("<table>") && page.body.contains("<pre><code>fn main() {}"), "{}", page.body);
    let history = t.get(&format!("/posts/{post}/history"), Some(&dee)).await.body.to_lowercase();
    assert!(!history.contains("<script>alert") && !history.contains("onerror"));
}

#[tokio::test]
async fn lists_filter_by_tag_and_page_and_the_api_is_documented() {
    let w = world().await;
    let t = &w.t;
    for i in 0..27 {
        let tags = if i % 3 == 0 { json!(["async"]) } else { json!(["ci"]) };
        start(
            t,
            &w.bob,
            "rust",
            json!({"kind": "discussion", "title": format!("Thread number {i:02}"), "body": "text", "tags": tags}),
        )
        .await;
    }
    let first = t.api(Method::GET, "/api/v1/communities/rust/threads", Some(&w.dee), None).await.json();
    assert_eq!(first["threads"].as_array().unwrap().len(), 25);
    assert_eq!(first["has_next"], true);
    assert_eq!(first["threads"][0]["title"], "Thread number 26", "latest activity first");
    let second = t.api(Method::GET, "/api/v1/communities/rust/threads?page=2", Some(&w.dee), None).await.json();
    assert_eq!((second["threads"].as_array().unwrap().len(), second["has_next"].as_bool()), (2, Some(false)));
    let tagged = t.api(Method::GET, "/api/v1/communities/rust/threads?tag=async", Some(&w.dee), None).await.json();
    assert_eq!(tagged["threads"].as_array().unwrap().len(), 9);
    let dee = t.sign_in("dee").await;
    let page = t.get("/communities/rust/discussions?tag=async", Some(&dee)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Thread number 24") && !page.body.contains("Thread number 25"));
    assert!(page.body.contains("Next →") || !page.body.contains("rel=\"next\""));
    let paged = t.get("/communities/rust/discussions?page=2", Some(&dee)).await;
    assert!(paged.body.contains("Thread number 00") && paged.body.contains("rel=\"prev\""));
    assert_eq!(t.get("/communities/rust/discussions?tag=bad%20tag", Some(&dee)).await.status, StatusCode::BAD_REQUEST);

    let doc = t.get("/api/openapi.json", None).await.json();
    for path in [
        "/communities/{slug}/threads",
        "/threads/{id}",
        "/threads/{id}/posts",
        "/posts/{id}",
        "/posts/{id}/history",
        "/posts/{id}/reactions",
        "/threads/{id}/accept",
        "/threads/{id}/time-saved",
        "/threads/{id}/moderation",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
    assert_eq!(doc["paths"]["/posts/{id}"]["put"]["tags"][0], "discussions");
    assert!(doc["paths"]["/posts/{id}"]["put"]["responses"]["409"].is_object());
}
