//! Kudos over HTTP: giving them for an answer, an artifact, a session and a
//! mentorship (pages and API), the community feed and the profile, the
//! bad-input rules (kudos to oneself refused, a second kudos for the same
//! thing 409, unknown skills listed with close terms), privacy (a private
//! community's kudos never reach outsiders: not on profiles, feeds or
//! exports; mentorship kudos only to the two sides), and the export (CSV and
//! JSON shape, RFC 4180 quoting, the formula guard, the period, a member's
//! export holding only their own kudos).

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus, PersonId};
use serde_json::{Value, json};

/// fay facilitates the open community "rust" where bob and cy are members;
/// dan is in no community; root is an admin; gus a guest.
struct World {
    t: TestApp,
    fay: String,
    bob: String,
    cy: String,
    dan: String,
    root: String,
    gus: String,
    ids: Ids,
}

struct Ids {
    bob: PersonId,
    cy: PersonId,
    dan: PersonId,
}

async fn world() -> World {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    let cy = t.person("cy", false).await;
    let dan = t.person("dan", false).await;
    t.person("root", true).await;
    let gus = t.guest("gus").await;
    let fay_session = t.sign_in("fay").await;
    t.community(&fay_session, "rust", "open").await;
    t.add_member("rust", bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("rust", cy, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("rust", gus, MembershipRole::Member, MembershipStatus::Active).await;
    World {
        fay: t.token("fay").await,
        bob: t.token("bob").await,
        cy: t.token("cy").await,
        dan: t.token("dan").await,
        root: t.token("root").await,
        gus: t.token("gus").await,
        t,
        ids: Ids { bob, cy, dan },
    }
}

/// A question by `asker` in `slug` and an answer by `answerer`; returns (thread, answer post).
async fn question_and_answer(t: &TestApp, slug: &str, asker: &str, answerer: &str) -> (i64, i64) {
    let thread = t
        .api(
            Method::POST,
            &format!("/api/v1/communities/{slug}/threads"),
            Some(asker),
            Some(json!({"kind": "question", "title": "How do I cancel a task?", "body": "It ignores shutdown.", "tags": ["async"]})),
        )
        .await;
    assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
    let thread_id = thread.json()["thread"]["id"].as_i64().unwrap();
    let answer = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(answerer),
            Some(json!({"body": "Use a cancellation token and select on it."})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    (thread_id, answer.json()["id"].as_i64().unwrap())
}

async fn kudos(t: &TestApp, token: &str, body: Value) -> TestResponse {
    t.api(Method::POST, "/api/v1/kudos", Some(token), Some(body)).await
}

fn problem_fields(response: &TestResponse) -> Vec<(String, String)> {
    response.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (e["field"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn giving_kudos_for_an_answer_through_the_form_shows_it_in_the_feed_and_on_the_profile() {
    let w = world().await;
    let t = &w.t;
    let (_, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    let bob = t.sign_in("bob").await;

    let form = t.get(&format!("/kudos/new?post={answer}"), Some(&bob)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Give kudos"));
    assert!(form.body.contains("the answer by Fay Tester"), "{}", form.body);
    assert!(form.body.contains("<option value=\"answering\" selected>"), "an answer suggests answering");
    assert!(form.body.contains("name=\"receiver\" value=\"fay\""));

    let sent = t
        .post_form(
            "/kudos/new",
            Some(&bob),
            &[
                ("post", &answer.to_string()),
                ("receiver", "fay"),
                ("contribution", "answering"),
                ("message", "Saved my release, thank you!"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), "/communities/rust/kudos?notice=kudos");

    let feed = t.get("/communities/rust/kudos?notice=kudos", Some(&bob)).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("Kudos sent."), "the notice");
    assert!(feed.body.contains("Saved my release, thank you!"));
    assert!(feed.body.contains(&format!("href=\"/posts/{answer}\"")), "the subject is linked");
    assert!(feed.body.contains("Answering questions"));

    // On fay's profile, for anyone who may see the community, with stewardship.
    let cy = t.sign_in("cy").await;
    let profile = t.get("/people/fay", Some(&cy)).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Kudos received") && profile.body.contains("Saved my release, thank you!"));
    assert!(profile.body.contains("Stewardship"));

    // fay is told in-app; the activity record and the change feed have it.
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&w.fay), None).await;
    assert!(notes.body.contains("Bob Tester thanked you"), "{}", notes.body);
    let api_feed = t.api(Method::GET, "/api/v1/communities/rust/kudos", Some(&w.cy), None).await;
    assert_eq!(api_feed.status, StatusCode::OK);
    let items = api_feed.json()["kudos"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["receiver"]["handle"], "fay");
    assert_eq!(items[0]["contribution"], "answering");
    assert_eq!(items[0]["subject_url"], format!("/posts/{answer}"));
    let person = t.api(Method::GET, "/api/v1/people/fay/kudos", Some(&w.cy), None).await;
    assert_eq!(person.status, StatusCode::OK);
    assert_eq!(person.json()["by_contribution"][0]["contribution"], "answering");
    assert_eq!(person.json()["received"].as_array().unwrap().len(), 1);
    assert_eq!(t.db.store.count_kudos().await.unwrap(), 1);
    let changes = t.db.store.count_kudos_side_effects().await.unwrap();
    assert_eq!(changes, (1, 1, 1), "one change, one activity record, one notification");

    // The thread page offers "Give kudos" on fay's answer to bob, not on bob's own question.
    let thread = t.get(&format!("/posts/{answer}"), Some(&bob)).await;
    let location = thread.location().to_string();
    let page = t.get(&location, Some(&bob)).await;
    assert!(page.body.contains(&format!("/kudos/new?post={answer}")), "{}", page.body);
    assert_eq!(page.body.matches("/kudos/new?post=").count(), 1, "not on one's own post");
}

#[tokio::test]
async fn kudos_to_oneself_are_refused() {
    let w = world().await;
    let t = &w.t;
    let (thread, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    let own = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&w.bob),
            Some(json!({"body": "Thanks, that worked."})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let refused = kudos(t, &w.bob, json!({"post": own, "message": "Well done me"})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        problem_fields(&refused).iter().any(|(f, m)| f == "receiver" && m.contains("your own")),
        "{}",
        refused.body
    );
    // Naming oneself as the receiver of someone else's answer is refused too.
    let named = kudos(t, &w.bob, json!({"post": answer, "receiver": "bob", "message": "For me"})).await;
    assert_eq!(named.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_fields(&named).iter().any(|(f, m)| f == "receiver" && m.contains("yourself")), "{}", named.body);
    // The page says so too, and offers no form.
    let bob = t.sign_in("bob").await;
    let form = t.get(&format!("/kudos/new?post={own}"), Some(&bob)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Nobody to thank here") && !form.body.contains("Send kudos"), "{}", form.body);
    let posted = t
        .post_form(
            "/kudos/new",
            Some(&bob),
            &[("post", &answer.to_string()), ("receiver", "bob"), ("message", "For me")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(posted.body.contains("you cannot give kudos to yourself"), "{}", posted.body);
    assert_eq!(t.db.store.count_kudos().await.unwrap(), 0);
}

#[tokio::test]
async fn a_second_kudos_for_the_same_thing_is_a_conflict() {
    let w = world().await;
    let t = &w.t;
    let (_, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    let first = kudos(t, &w.bob, json!({"post": answer, "message": "Thank you!"})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["receiver"]["handle"], "fay");
    assert_eq!(first.json()["contribution"], "answering", "suggested from the subject");
    let again = kudos(t, &w.bob, json!({"post": answer, "message": "Thanks again!"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.json()["detail"].as_str().unwrap().contains("already given Fay Tester kudos"), "{}", again.body);
    let bob = t.sign_in("bob").await;
    let page =
        t.post_form("/kudos/new", Some(&bob), &[("post", &answer.to_string()), ("message", "Thanks again!")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("already given Fay Tester kudos"));
    // Someone else may thank her for the same answer.
    let cy = kudos(t, &w.cy, json!({"post": answer, "message": "Helped me too."})).await;
    assert_eq!(cy.status, StatusCode::CREATED);
    assert_eq!(t.db.store.count_kudos().await.unwrap(), 2);
}

#[tokio::test]
async fn bad_input_is_named_by_field_and_unknown_skills_list_close_terms() {
    let w = world().await;
    let t = &w.t;
    let (_, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    t.db.store
        .execute_raw(
            "INSERT INTO skills (key, name, created_at) VALUES ('kubernetes', 'Kubernetes', 0), ('rust', 'Rust', 0); \
             INSERT INTO skill_synonyms (synonym, skill_id, created_at) SELECT 'k8s', id, 0 FROM skills WHERE key = 'kubernetes';",
        )
        .await
        .unwrap();
    let bad =
        kudos(t, &w.bob, json!({"post": answer, "skill": "kubernets", "contribution": "cheering", "message": "ok"}))
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields = problem_fields(&bad);
    assert!(fields.iter().any(|(f, m)| f == "skill" && m.contains("Kubernetes")), "{fields:?}");
    assert!(fields.iter().any(|(f, _)| f == "contribution"), "{fields:?}");
    assert!(fields.iter().any(|(f, m)| f == "message" && m.contains("at least 3")), "{fields:?}");
    let long = kudos(t, &w.bob, json!({"post": answer, "message": "x".repeat(501)})).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let two = kudos(t, &w.bob, json!({"post": answer, "artifact": 1, "message": "Thanks a lot"})).await;
    assert_eq!(two.status, StatusCode::UNPROCESSABLE_ENTITY, "exactly one subject");
    // A synonym resolves to its skill.
    let ok =
        kudos(t, &w.bob, json!({"post": answer, "skill": "K8s", "contribution": "sharing", "message": "Great tip"}))
            .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["skill"], "kubernetes");
    assert_eq!(ok.json()["contribution"], "sharing");
    // The form keeps what was typed and marks the field.
    let bob = t.sign_in("bob").await;
    let form = t.post_form("/kudos/new", Some(&bob), &[("post", "999999"), ("message", "Thanks")]).await;
    assert_eq!(form.status, StatusCode::NOT_FOUND, "an unknown post");
    let cy = t.sign_in("cy").await;
    let page = t
        .post_form("/kudos/new", Some(&cy), &[("post", &answer.to_string()), ("skill", "rsut"), ("message", "Thanks!")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("aria-invalid=\"true\" aria-describedby=\"skill-error\""));
    assert!(page.body.contains("close terms: Rust"), "{}", page.body);
    assert!(page.body.contains("value=\"rsut\""), "keeps what was typed");
}

#[tokio::test]
async fn guests_and_hidden_posts_cannot_be_thanked() {
    let w = world().await;
    let t = &w.t;
    let (thread, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    let guest = kudos(t, &w.gus, json!({"post": answer, "message": "Thanks!"})).await;
    assert_eq!(guest.status, StatusCode::FORBIDDEN, "{}", guest.body);
    let hidden = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/moderation"),
            Some(&w.fay),
            Some(json!({"action": "hide", "reason": "Off topic here", "post_id": answer})),
        )
        .await;
    assert!(hidden.status.is_success(), "{}", hidden.body);
    let refused = kudos(t, &w.cy, json!({"post": answer, "message": "Thanks!"})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let cy = t.sign_in("cy").await;
    assert_eq!(t.get(&format!("/kudos/new?post={answer}"), Some(&cy)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn kudos_in_a_private_community_never_reach_outsiders() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "sec", "private").await;
    t.add_member("sec", w.ids.bob, MembershipRole::Member, MembershipStatus::Active).await;
    let (_, answer) = question_and_answer(t, "sec", &w.bob, &w.fay).await;
    let given = kudos(t, &w.bob, json!({"post": answer, "message": "Secret thanks for the patch"})).await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.body);
    // And a public one, which outsiders do see.
    let (_, public) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    assert_eq!(kudos(t, &w.bob, json!({"post": public, "message": "Public thanks"})).await.status, StatusCode::CREATED);

    // dan is in no community; cy only in the open one.
    for (token, handle) in [(&w.dan, "dan"), (&w.cy, "cy")] {
        let session = t.sign_in(handle).await;
        assert_eq!(t.get("/communities/sec/kudos", Some(&session)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(t.get(&format!("/kudos/new?post={answer}"), Some(&session)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            kudos(t, token, json!({"post": answer, "message": "Me too"})).await.status,
            StatusCode::NOT_FOUND,
            "cannot thank for what one cannot see"
        );
        assert_eq!(
            t.api(Method::GET, "/api/v1/communities/sec/kudos", Some(token), None).await.status,
            StatusCode::NOT_FOUND
        );
        let profile = t.get("/people/fay", Some(&session)).await;
        assert!(!profile.body.contains("Secret thanks"), "{handle} sees private kudos on the profile");
        assert!(profile.body.contains("Public thanks"));
        let api = t.api(Method::GET, "/api/v1/people/fay/kudos", Some(token), None).await;
        assert!(!api.body.contains("Secret thanks") && api.body.contains("Public thanks"));
        let export = t.get("/kudos/export.json", Some(&session)).await;
        assert!(!export.body.contains("Secret thanks"));
        let export = t.api(Method::GET, "/api/v1/kudos/export?format=csv", Some(token), None).await;
        assert!(!export.body.contains("Secret thanks"));
    }
    // Members and admins see it.
    let member = t.api(Method::GET, "/api/v1/people/fay/kudos", Some(&w.bob), None).await;
    assert!(member.body.contains("Secret thanks"));
    let admin = t.api(Method::GET, "/api/v1/communities/sec/kudos", Some(&w.root), None).await;
    assert!(admin.body.contains("Secret thanks"));
    let _ = w.ids.cy;
}

#[tokio::test]
async fn artifacts_and_sessions_thank_their_people() {
    let w = world().await;
    let t = &w.t;
    let created = t
        .api(
            Method::POST,
            "/api/v1/communities/rust/artifacts",
            Some(&w.bob),
            Some(json!({"kind": "guide", "title": "Async guide", "body": "# Async\n\nUse tokio.", "status": "published"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let artifact = created.json()["id"].as_i64().unwrap();
    // bob is its only owner and author: he has nobody to thank; cy thanks bob for curating.
    let own = kudos(t, &w.bob, json!({"artifact": artifact, "message": "Nice"})).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    let cy = t.sign_in("cy").await;
    let form = t.get(&format!("/kudos/new?artifact={artifact}"), Some(&cy)).await;
    assert!(form.body.contains("<option value=\"curating\" selected>"), "an artifact suggests curating");
    let page = t.get(&format!("/artifacts/{artifact}"), Some(&cy)).await;
    assert!(page.body.contains(&format!("/kudos/new?artifact={artifact}")), "the artifact page links the form");
    let bob_session = t.sign_in("bob").await;
    let own_page = t.get(&format!("/artifacts/{artifact}"), Some(&bob_session)).await;
    assert!(!own_page.body.contains("/kudos/new?artifact="), "not on one's own artifact");
    let thanked =
        kudos(t, &w.cy, json!({"artifact": artifact, "receiver": "bob", "message": "Clear and short."})).await;
    assert_eq!(thanked.status, StatusCode::CREATED, "{}", thanked.body);
    assert_eq!(thanked.json()["contribution"], "curating");
    let stranger =
        kudos(t, &w.cy, json!({"artifact": artifact, "receiver": "fay", "message": "Clear and short."})).await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY, "fay neither owns nor wrote it");

    // A past session of a series: its facilitator is thanked.
    let event = t
        .api(
            Method::POST,
            "/api/v1/communities/rust/events",
            Some(&w.fay),
            Some(json!({"title": "Rust clinic", "kind": "meetup", "format": "remote", "link": "https://meet.example/rust", "date": "2024-03-05", "time": "18:00",
                        "duration_minutes": 60, "time_zone": "UTC", "rrule": "FREQ=WEEKLY;COUNT=400"})),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.body);
    let event_id = event.json()["event_id"].as_i64().unwrap();
    let none = kudos(t, &w.cy, json!({"event": event_id, "key": "2024-03-12T18:00", "message": "Great session"})).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "nobody recorded as facilitating: {}", none.body);
    t.db.store
        .execute_raw("UPDATE events SET facilitator_id = (SELECT id FROM people WHERE handle = 'fay')")
        .await
        .unwrap();
    let form = t.get(&format!("/events/{event_id}/2024-03-12T18:00/kudos"), Some(&cy)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("<option value=\"facilitating\" selected>"));
    let session = t.get(&format!("/events/{event_id}/2024-03-12T18:00"), Some(&cy)).await;
    assert!(session.body.contains(&format!("/events/{event_id}/2024-03-12T18:00/kudos")), "the session page links it");
    let thanked =
        kudos(t, &w.cy, json!({"event": event_id, "key": "2024-03-12T18:00", "message": "Great session"})).await;
    assert_eq!(thanked.status, StatusCode::CREATED, "{}", thanked.body);
    assert_eq!(thanked.json()["receiver"]["handle"], "fay");
    assert_eq!(thanked.json()["subject_url"], format!("/events/{event_id}/2024-03-12T18:00"));
    // Another session of the same series is another thing to thank for.
    let next = kudos(t, &w.cy, json!({"event": event_id, "key": "2024-03-19T18:00", "message": "And again"})).await;
    assert_eq!(next.status, StatusCode::CREATED);
    let future = kudos(t, &w.cy, json!({"event": event_id, "key": "2030-03-12T18:00", "message": "In advance"})).await;
    assert_eq!(future.status, StatusCode::CONFLICT, "thanks come after the session");
    let missing = kudos(t, &w.cy, json!({"event": event_id, "key": "2024-03-13T18:00", "message": "Nope"})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "no such session");
    // fay attended-or-not, the stewardship summary counts her sessions once someone checked in.
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO attendance (event_id, original_start_local, person_id, method, checked_in_at) \
             VALUES ({event_id}, '2024-03-12T18:00', {}, 'code', 0)",
            w.ids.cy.0
        ))
        .await
        .unwrap();
    let person = t.api(Method::GET, "/api/v1/people/fay/kudos", Some(&w.cy), None).await;
    assert_eq!(person.json()["stewardship"]["sessions_facilitated"], 1, "{}", person.body);
    let bob_kudos = t.api(Method::GET, "/api/v1/people/bob/kudos", Some(&w.cy), None).await;
    assert_eq!(bob_kudos.json()["stewardship"]["artifacts_owned"], 1, "{}", bob_kudos.body);
    assert_eq!(bob_kudos.json()["stewardship"]["artifact_versions_written"], 1, "{}", bob_kudos.body);
}

#[tokio::test]
async fn mentorship_kudos_are_seen_by_its_two_sides_and_admins_only() {
    let w = world().await;
    let t = &w.t;
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO mentorships (mentor_id, mentee_id, status, proposed_at, started_at) VALUES ({}, {}, 'active', 0, 0)",
            w.ids.bob.0, w.ids.dan.0
        ))
        .await
        .unwrap();
    let id = 1;
    let outsider = kudos(t, &w.cy, json!({"mentorship": id, "message": "Good pairing"})).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND, "not part of it");
    let admin = kudos(t, &w.root, json!({"mentorship": id, "receiver": "bob", "message": "Good pairing"})).await;
    assert_eq!(admin.status, StatusCode::NOT_FOUND, "admins are not part of it either");
    let dan = t.sign_in("dan").await;
    let form = t.get(&format!("/kudos/new?mentorship={id}"), Some(&dan)).await;
    assert!(form.body.contains("<option value=\"mentoring\" selected>"), "{}", form.body);
    let sent =
        t.post_form("/kudos/new", Some(&dan), &[("mentorship", "1"), ("message", "You unblocked my career")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), "/kudos?notice=kudos", "no community: to one's own kudos");
    let mine = t.get("/kudos?notice=kudos", Some(&dan)).await;
    assert!(mine.body.contains("You unblocked my career") && mine.body.contains("Kudos sent."));

    let cy = t.api(Method::GET, "/api/v1/people/bob/kudos", Some(&w.cy), None).await;
    assert!(!cy.body.contains("You unblocked my career"), "outsiders do not see mentorship kudos");
    let bob = t.api(Method::GET, "/api/v1/people/bob/kudos", Some(&w.bob), None).await;
    assert!(bob.body.contains("You unblocked my career"));
    assert_eq!(bob.json()["stewardship"]["mentoring_active"], 1);
    let root = t.api(Method::GET, "/api/v1/people/bob/kudos", Some(&w.root), None).await;
    assert!(root.body.contains("You unblocked my career"));
    let profile = t.get("/people/bob", Some(&t.sign_in("cy").await)).await;
    assert!(!profile.body.contains("You unblocked my career"));
    let again = kudos(t, &w.dan, json!({"mentorship": id, "message": "Twice"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_export_is_csv_or_json_per_person_and_period_and_members_get_only_their_own() {
    let w = world().await;
    let t = &w.t;
    let (thread, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    let reply = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&w.cy),
            Some(json!({"body": "Also: join the handle."})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    // bob → fay (tricky text), cy → fay (formula), fay → cy (plain), dated apart.
    let a = kudos(t, &w.bob, json!({"post": answer, "message": "Thanks, \"really\"\nit worked"})).await.json()["id"]
        .as_i64()
        .unwrap();
    let b = kudos(t, &w.cy, json!({"post": answer, "message": "=HYPERLINK(\"http://x\",\"y\")"})).await.json()["id"]
        .as_i64()
        .unwrap();
    let c = kudos(t, &w.fay, json!({"post": reply, "message": "-1 for nothing, +1 for this"})).await.json()["id"]
        .as_i64()
        .unwrap();
    // 2026-10-05, 2026-10-20, 2026-11-02 (UTC noon).
    for (id, at) in [(a, 1_791_201_600_000_i64), (b, 1_792_497_600_000), (c, 1_794_139_200_000)] {
        t.db.store.execute_raw(&format!("UPDATE kudos SET created_at = {at} WHERE id = {id}")).await.unwrap();
    }

    let fay = t.sign_in("fay").await;
    let csv = t.get("/kudos/export.csv", Some(&fay)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.content_type().starts_with("text/csv"), "{}", csv.content_type());
    let disposition = csv.headers.get("content-disposition").unwrap().to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("kudos-fay"), "{disposition}");
    let lines: Vec<&str> = csv.body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,given_at,giver_handle,giver_name,receiver_handle,receiver_name,receiver_email,community,contribution,subject_type,subject_url,skill,message"
    );
    assert!(csv.body.ends_with("\r\n"));
    assert!(
        csv.body.contains(&format!(
            "{a},2026-10-05T12:00:00Z,bob,Bob Tester,fay,Fay Tester,fay@example.com,rust,answering,post,/posts/{answer},,\"Thanks, \"\"really\"\"\nit worked\""
        )),
        "RFC 4180 quoting: {}",
        csv.body
    );
    assert!(csv.body.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "formula guard: {}", csv.body);
    assert!(
        csv.body.contains(",'-1 for nothing, +1 for this") || csv.body.contains(",\"'-1 for nothing, +1 for this\"")
    );
    assert!(!csv.body.contains("cy@example.com"), "members do not get other people's e-mail addresses");
    // Three records, given or received by fay: 1 header + 3 (one spans two lines) + the final empty string.
    assert_eq!(csv.body.matches(",rust,").count(), 3);

    // The period: inclusive days.
    let october = t.get("/kudos/export.json?from=2026-10-01&to=2026-10-20", Some(&fay)).await;
    assert_eq!(october.status, StatusCode::OK);
    assert!(october.content_type().starts_with("application/json"));
    assert!(october.headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment;"));
    let doc = october.json();
    assert_eq!(doc["person"], "fay");
    assert_eq!(doc["from"], "2026-10-01");
    assert_eq!(doc["to"], "2026-10-20");
    let ids: Vec<i64> = doc["kudos"].as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![a, b]);
    let first = &doc["kudos"][0];
    for key in [
        "id",
        "given_at",
        "giver_handle",
        "giver_name",
        "receiver_handle",
        "receiver_name",
        "receiver_email",
        "community",
        "contribution",
        "subject_type",
        "subject_url",
        "skill",
        "message",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["message"], "Thanks, \"really\"\nit worked", "JSON carries the text unchanged");
    assert_eq!(first["given_at"], "2026-10-05T12:00:00Z");
    assert_eq!(doc["kudos"][1]["message"], "=HYPERLINK(\"http://x\",\"y\")", "no guard in JSON");

    // A member's export holds only their own kudos, whoever they ask for.
    let bob = t.sign_in("bob").await;
    let own = t.get("/kudos/export.json?person=fay", Some(&bob)).await.json();
    assert_eq!(own["person"], "bob");
    let own_ids: Vec<i64> = own["kudos"].as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()).collect();
    assert_eq!(own_ids, vec![a], "bob gave one and received none");
    let dan = t.api(Method::GET, "/api/v1/kudos/export?format=json", Some(&w.dan), None).await;
    assert_eq!(dan.json()["kudos"].as_array().unwrap().len(), 0);

    // Admins export everyone, or one person.
    let all = t.api(Method::GET, "/api/v1/kudos/export?format=json", Some(&w.root), None).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.json()["person"], Value::Null);
    assert_eq!(all.json()["kudos"].as_array().unwrap().len(), 3);
    assert!(all.body.contains("cy@example.com"), "admins get every receiver's e-mail address");
    let cy_only =
        t.api(Method::GET, "/api/v1/kudos/export?format=json&person=cy&to=2026-10-31", Some(&w.root), None).await;
    let cy_ids: Vec<i64> =
        cy_only.json()["kudos"].as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()).collect();
    assert_eq!(cy_ids, vec![b]);
    let api_csv = t.api(Method::GET, "/api/v1/kudos/export?person=bob", Some(&w.root), None).await;
    assert!(api_csv.content_type().starts_with("text/csv"));
    assert_eq!(api_csv.body.lines().next().unwrap().split(',').count(), 13);

    // Bad periods and formats.
    let bad = t.get("/kudos/export.csv?from=2026-13-01", Some(&fay)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("YYYY-MM-DD"));
    let backwards = t.api(Method::GET, "/api/v1/kudos/export?from=2026-11-01&to=2026-10-01", Some(&w.fay), None).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_fields(&backwards).iter().any(|(f, _)| f == "to"));
    let format = t.api(Method::GET, "/api/v1/kudos/export?format=xml", Some(&w.fay), None).await;
    assert_eq!(format.status, StatusCode::UNPROCESSABLE_ENTITY);
    let nobody = t.api(Method::GET, "/api/v1/kudos/export?person=nobody", Some(&w.root), None).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.get("/kudos/export.csv", None).await.status, StatusCode::SEE_OTHER, "sign in first");
    assert_eq!(t.api(Method::GET, "/api/v1/kudos/export", None, None).await.status, StatusCode::UNAUTHORIZED);

    // The export form is on one's own kudos page; admins get the person field.
    let mine = t.get("/kudos", Some(&fay)).await;
    assert!(mine.body.contains("action=\"/kudos/export.csv\"") && !mine.body.contains("name=\"person\""));
    let root = t.sign_in("root").await;
    assert!(t.get("/kudos", Some(&root)).await.body.contains("name=\"person\""));
}

#[tokio::test]
async fn the_community_feed_pages_and_ranks_nobody() {
    let w = world().await;
    let t = &w.t;
    let (thread, answer) = question_and_answer(t, "rust", &w.bob, &w.fay).await;
    for (token, message) in [(&w.bob, "one"), (&w.cy, "two"), (&w.root, "three")] {
        let message = format!("Thanks number {message}");
        assert_eq!(kudos(t, token, json!({"post": answer, "message": message})).await.status, StatusCode::CREATED);
    }
    let _ = thread;
    let cy = t.sign_in("cy").await;
    let page = t.get("/communities/rust/kudos", Some(&cy)).await;
    assert_eq!(page.status, StatusCode::OK);
    let (one, three) = (page.body.find("Thanks number one").unwrap(), page.body.find("Thanks number three").unwrap());
    assert!(three < one, "newest first");
    assert!(!page.body.contains("leaderboard") && !page.body.contains("Top "), "no ranking");
    assert_eq!(t.get("/communities/rust/kudos?page=2", Some(&cy)).await.status, StatusCode::OK);
    assert_eq!(t.get("/communities/nope/kudos", Some(&cy)).await.status, StatusCode::NOT_FOUND);
    let doc = t.api(Method::GET, "/api/openapi.json", None, None).await;
    for path in ["/kudos", "/kudos/export", "/communities/{slug}/kudos", "/people/{handle}/kudos"] {
        assert!(doc.json()["paths"].get(path).is_some(), "OpenAPI lists {path}");
    }
}
