//! Expertise over HTTP: the skills vocabulary and who may curate it,
//! synonyms, unmapped declared skills (kept, listed, mapped), evidence
//! following the change feed, privacy of private communities, the
//! outside-team preference, guests refused, question routing (weekly cap,
//! away, asker, private communities, one claim per question, answered
//! routes), routing settings and "away until" validation.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus, PersonId, Profile, ProfileInput, Timestamp};
use serde_json::{Value, json};

/// fay facilitates the open community "guild"; bob, dee, cy are members of
/// it; ada is an administrator; gus is a guest.
struct World {
    t: TestApp,
    ada: String,
    fay: String,
    bob: String,
    dee: String,
    cy: String,
    ids: Vec<(String, PersonId)>,
}

impl World {
    fn id(&self, handle: &str) -> PersonId {
        self.ids.iter().find(|(h, _)| h == handle).map(|(_, id)| *id).expect("a person of the world")
    }
}

async fn world() -> World {
    let t = TestApp::new().await;
    let mut ids = Vec::new();
    ids.push(("ada".to_string(), t.person("ada", true).await));
    for handle in ["fay", "bob", "dee", "cy"] {
        ids.push((handle.to_string(), t.person(handle, false).await));
    }
    ids.push(("gus".to_string(), t.guest("gus").await));
    let fay_session = t.sign_in("fay").await;
    t.community(&fay_session, "guild", "open").await;
    for (handle, id) in &ids {
        if ["bob", "dee", "cy"].contains(&handle.as_str()) {
            t.add_member("guild", *id, MembershipRole::Member, MembershipStatus::Active).await;
        }
    }
    let (ada, fay, bob, dee, cy) =
        (t.token("ada").await, t.token("fay").await, t.token("bob").await, t.token("dee").await, t.token("cy").await);
    World { t, ada, fay, bob, dee, cy, ids }
}

/// Sets a person's team and declared skills ("Rust:expert, k8s").
async fn profile(w: &World, handle: &str, team: &str, skills: &str) {
    let profile = Profile::parse(&ProfileInput {
        name: format!("{handle} Tester"),
        team: team.into(),
        time_zone: "UTC".into(),
        work_start: "09:00".into(),
        work_end: "17:00".into(),
        experience: "senior".into(),
        skills: skills.into(),
        ..Default::default()
    })
    .unwrap();
    w.t.db.store.update_profile(w.id(handle), &profile).await.unwrap();
}

async fn add_skill(w: &World, name: &str) {
    let created = w.t.api(Method::POST, "/api/v1/skills", Some(&w.ada), Some(json!({"name": name}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

async fn ask(w: &World, token: &str, slug: &str, title: &str, tags: &[&str]) -> i64 {
    let body = json!({"kind": "question", "title": title, "body": "Any advice?", "tags": tags});
    let created = w.t.api(Method::POST, &format!("/api/v1/communities/{slug}/threads"), Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["thread"]["id"].as_i64().unwrap()
}

async fn reply(w: &World, token: &str, thread: i64, body: &str) -> i64 {
    let posted =
        w.t.api(Method::POST, &format!("/api/v1/threads/{thread}/posts"), Some(token), Some(json!({"body": body})))
            .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    posted.json()["id"].as_i64().unwrap()
}

async fn accept(w: &World, token: &str, thread: i64, post: i64) {
    let accepted =
        w.t.api(Method::POST, &format!("/api/v1/threads/{thread}/accept"), Some(token), Some(json!({"post_id": post})))
            .await;
    assert!(accepted.status.is_success(), "{}", accepted.body);
}

async fn experts(w: &World, token: &str, skill: &str) -> Value {
    let found = w.t.api(Method::GET, &format!("/api/v1/experts?skill={skill}"), Some(token), None).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    found.json()
}

fn handles(found: &Value) -> Vec<String> {
    found["experts"].as_array().unwrap().iter().map(|e| e["handle"].as_str().unwrap().to_string()).collect()
}

fn expert<'a>(found: &'a Value, handle: &str) -> &'a Value {
    found["experts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["handle"] == handle)
        .unwrap_or_else(|| panic!("{handle} in {found}"))
}

fn error_fields(response: &TestResponse) -> Vec<String> {
    response.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_vocabulary_is_curated_by_admins_and_facilitators_only() {
    let w = world().await;
    let t = &w.t;
    let refused = t.api(Method::POST, "/api/v1/skills", Some(&w.bob), Some(json!({"name": "Kubernetes"}))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a plain member does not curate");
    let by_facilitator = t.api(Method::POST, "/api/v1/skills", Some(&w.fay), Some(json!({"name": "Kubernetes"}))).await;
    assert_eq!(by_facilitator.status, StatusCode::CREATED, "{}", by_facilitator.body);
    assert_eq!(by_facilitator.json()["key"], "kubernetes");
    let by_admin = t
        .api(
            Method::POST,
            "/api/v1/skills",
            Some(&w.ada),
            Some(json!({"name": "Machine learning", "description": "Models"})),
        )
        .await;
    assert_eq!(by_admin.json()["key"], "machine-learning");

    let synonym = t
        .api(
            Method::POST,
            "/api/v1/skills/synonyms",
            Some(&w.fay),
            Some(json!({"synonym": "K8s", "skill": "Kubernetes"})),
        )
        .await;
    assert_eq!(synonym.status, StatusCode::CREATED, "{}", synonym.body);
    assert_eq!(synonym.json()["synonyms"], json!(["k8s"]));
    let again = t
        .api(
            Method::POST,
            "/api/v1/skills/synonyms",
            Some(&w.fay),
            Some(json!({"synonym": "k8s", "skill": "kubernetes"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&again), ["synonym"]);
    let a_key = t
        .api(
            Method::POST,
            "/api/v1/skills/synonyms",
            Some(&w.fay),
            Some(json!({"synonym": "kubernetes", "skill": "machine-learning"})),
        )
        .await;
    assert_eq!(a_key.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&a_key), ["synonym"], "{}", a_key.body);
    let no_skill =
        t.api(Method::POST, "/api/v1/skills/synonyms", Some(&w.fay), Some(json!({"synonym": "", "skill": "ml"}))).await;
    assert_eq!(error_fields(&no_skill), ["synonym", "skill"], "{}", no_skill.body);
    let bad_member = t
        .api(Method::POST, "/api/v1/skills/synonyms", Some(&w.bob), Some(json!({"synonym": "kube", "skill": "k8s"})))
        .await;
    assert_eq!(bad_member.status, StatusCode::FORBIDDEN);
    let duplicate_skill = t.api(Method::POST, "/api/v1/skills", Some(&w.fay), Some(json!({"name": "k8s"}))).await;
    assert_eq!(duplicate_skill.status, StatusCode::UNPROCESSABLE_ENTITY, "a synonym is not a new skill");
    let nameless = t.api(Method::POST, "/api/v1/skills", Some(&w.fay), Some(json!({"name": "  "}))).await;
    assert_eq!(error_fields(&nameless), ["name"]);

    // Everyone (but guests) reads the vocabulary.
    let skills = t.api(Method::GET, "/api/v1/skills", Some(&w.cy), None).await.json();
    assert_eq!(skills.as_array().unwrap().len(), 2);
    let synonyms = t.api(Method::GET, "/api/v1/skills/synonyms", Some(&w.cy), None).await.json();
    assert_eq!(synonyms, json!([{"synonym": "k8s", "skill": "kubernetes"}]));
    assert_eq!(t.api(Method::GET, "/api/v1/skills/unmapped", Some(&w.cy), None).await.status, StatusCode::FORBIDDEN);

    // The page: forms for curators only; guests refused.
    let fay = t.sign_in("fay").await;
    let page = t.get("/skills", Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Add a synonym") && page.body.contains("Unmapped skills"));
    assert!(!page.body.contains("/admin/routing"), "routing settings are for admins");
    let bob = t.sign_in("bob").await;
    let read_only = t.get("/skills", Some(&bob)).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert!(read_only.body.contains("Kubernetes") && !read_only.body.contains("Add a synonym"));
    let refused_form = t.post_form("/skills", Some(&bob), &[("name", "Go")]).await;
    assert_eq!(refused_form.status, StatusCode::FORBIDDEN);
    let gus = t.sign_in("gus").await;
    assert_eq!(t.get("/skills", Some(&gus)).await.status, StatusCode::FORBIDDEN);

    // Page forms: a bad synonym re-renders with the field's error.
    let bad = t.post_form("/skills/synonyms", Some(&fay), &[("synonym", "k8s"), ("skill", "kubernetes")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"synonym-error\"") && bad.body.contains("already a skill or a synonym"));
    let added = t.post_form("/skills/synonyms", Some(&fay), &[("synonym", "ML"), ("skill", "machine-learning")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(t.get("/skills?notice=synonym-added", Some(&fay)).await.body.contains("<li>ml<form"));
    let removed = t.post_form("/skills/synonyms/remove", Some(&fay), &[("synonym", "ml")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let gone = t.api(Method::DELETE, "/api/v1/skills/synonyms/ml", Some(&w.fay), None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let ada = t.sign_in("ada").await;
    assert!(t.get("/skills", Some(&ada)).await.body.contains("/admin/routing"));
}

#[tokio::test]
async fn synonyms_resolve_and_unmapped_skills_are_listed_then_mapped_keeping_what_people_typed() {
    let w = world().await;
    let t = &w.t;
    add_skill(&w, "Kubernetes").await;
    profile(&w, "dee", "Platform", "k8s:expert").await;
    profile(&w, "bob", "Platform", "Kubernetes:practitioner").await;
    profile(&w, "cy", "Payments", "K8s ops:learning, Rust").await;
    t.app.catch_up_expertise().await.unwrap();

    let unmapped = t.api(Method::GET, "/api/v1/skills/unmapped", Some(&w.fay), None).await.json();
    let keys: Vec<&str> = unmapped.as_array().unwrap().iter().map(|u| u["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["k8s", "k8s-ops", "rust"], "{unmapped}");
    assert_eq!(unmapped[1]["example"], "K8s ops", "the text as typed is kept");
    assert_eq!(unmapped[0]["people"], 1);

    // Before mapping, "k8s" is unknown and only bob shows for Kubernetes.
    let before = experts(&w, &w.cy, "k8s").await;
    assert!(before["skill"].is_null() && before["experts"].as_array().unwrap().is_empty(), "{before}");
    let misspelt = experts(&w, &w.cy, "kubernets").await;
    assert_eq!(misspelt["suggestions"][0]["key"], "kubernetes", "{misspelt}");
    assert_eq!(handles(&experts(&w, &w.cy, "Kubernetes").await), ["bob"]);

    let mapped = t
        .api(Method::POST, "/api/v1/skills/unmapped/k8s/map", Some(&w.fay), Some(json!({"skill": "Kubernetes"})))
        .await;
    assert_eq!(mapped.status, StatusCode::OK, "{}", mapped.body);
    let after = experts(&w, &w.cy, "K8S").await;
    assert_eq!(after["skill"]["key"], "kubernetes");
    assert_eq!(after["via_synonym"], "k8s");
    assert_eq!(handles(&after), ["dee", "bob"], "the expert first: {after}");
    assert_eq!(expert(&after, "dee")["declared_level"], "expert");

    // dee's profile still says what she typed; the expertise section names the skill.
    let cy = t.sign_in("cy").await;
    let dee_page = t.get("/people/dee", Some(&cy)).await;
    assert!(dee_page.body.contains("<span>k8s</span>"), "declared text kept");
    assert!(dee_page.body.contains("id=\"expertise-h\"") && dee_page.body.contains("/experts?skill=kubernetes"));
    let page = t.get("/experts?skill=k8s", Some(&cy)).await;
    assert!(page.body.contains("is a synonym of Kubernetes"), "{}", page.body);

    let left = t.api(Method::GET, "/api/v1/skills/unmapped", Some(&w.fay), None).await.json();
    assert_eq!(
        left.as_array().unwrap().iter().map(|u| u["key"].as_str().unwrap()).collect::<Vec<_>>(),
        ["k8s-ops", "rust"]
    );
    let not_unmapped = t
        .api(Method::POST, "/api/v1/skills/unmapped/kubernetes/map", Some(&w.fay), Some(json!({"skill": "Kubernetes"})))
        .await;
    assert_eq!(not_unmapped.status, StatusCode::NOT_FOUND);
    let refused =
        t.api(Method::POST, "/api/v1/skills/unmapped/rust/promote", Some(&w.bob), Some(json!({"name": "Rust"}))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Promoting through the page form.
    let fay = t.sign_in("fay").await;
    let promoted = t.post_form("/skills/unmapped/promote", Some(&fay), &[("key", "rust"), ("name", "Rust")]).await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER, "{}", promoted.body);
    assert_eq!(handles(&experts(&w, &w.bob, "rust").await), ["cy"]);
    let bad_map = t.post_form("/skills/unmapped/map", Some(&fay), &[("key", "k8s-ops"), ("skill", "")]).await;
    assert_eq!(bad_map.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_map.body.contains("href=\"#unmapped-k8s-ops\""));

    // Unknown terms: a clear message and close suggestions.
    let unknown = t.get("/experts?skill=kubernets", Some(&cy)).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.body.contains("is not a skill in the vocabulary yet") && unknown.body.contains(">Kubernetes</a>"));
    let too_long = t.get(&format!("/experts?skill={}", "x".repeat(81)), Some(&cy)).await;
    assert_eq!(too_long.status, StatusCode::OK);
    assert!(too_long.body.contains("id=\"skill-error\""));
}

#[tokio::test]
async fn evidence_follows_answers_acceptance_and_artifacts() {
    let w = world().await;
    let t = &w.t;
    add_skill(&w, "Rust").await;
    let thread = ask(&w, &w.bob, "guild", "Pinning tokio versions?", &["rust", "tokio"]).await;
    let answer = reply(&w, &w.dee, thread, "Use a workspace dependency.").await;
    // The API catches up by itself because the feed moved.
    let found = experts(&w, &w.cy, "rust").await;
    assert_eq!(handles(&found), ["dee"]);
    assert_eq!(expert(&found, "dee")["explanation"][0]["label"], "1 answer");
    assert!(expert(&found, "dee")["evidence"].as_array().unwrap().is_empty(), "answers are counted, not linked");

    accept(&w, &w.bob, thread, answer).await;
    let found = experts(&w, &w.cy, "rust").await;
    let dee = expert(&found, "dee");
    let labels: Vec<&str> =
        dee["explanation"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1 accepted answer", "1 answer"]);
    assert_eq!(dee["evidence"][0]["kind"], "accepted-answer");
    assert_eq!(dee["evidence"][0]["id"], answer);
    assert_eq!(dee["evidence"][0]["title"], "Pinning tokio versions?");

    let artifact = t
        .api(
            Method::POST,
            "/api/v1/communities/guild/artifacts",
            Some(&w.cy),
            Some(json!({"kind": "guide", "title": "Rust error handling", "body": "Use thiserror.", "tags": ["rust"]})),
        )
        .await;
    assert_eq!(artifact.status, StatusCode::CREATED, "{}", artifact.body);
    t.app.catch_up_expertise().await.unwrap();
    let found = experts(&w, &w.bob, "rust").await;
    assert_eq!(expert(&found, "cy")["explanation"][0]["label"], "1 artifact");
    assert_eq!(expert(&found, "cy")["evidence"][0]["kind"], "artifact");

    // The page shows the explanation and links the evidence.
    let bob = t.sign_in("bob").await;
    let page = t.get("/experts?skill=Rust", Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("href=\"/posts/{answer}\"")), "{}", page.body);
    assert!(page.body.contains("1 accepted answer") && page.body.contains("Rust error handling"));
    assert!(page.body.contains("href=\"/people/dee\""));

    // Catching up again changes nothing (recomputation is idempotent).
    t.app.catch_up_expertise().await.unwrap();
    let rebuilt = t.app.rebuild_expertise().await.unwrap();
    assert_eq!(rebuilt, 2);
    assert_eq!(experts(&w, &w.bob, "rust").await["experts"], found["experts"]);
}

#[tokio::test]
async fn private_community_evidence_is_never_counted_or_linked() {
    let w = world().await;
    let t = &w.t;
    add_skill(&w, "Rust").await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    t.add_member("secret", w.id("dee"), MembershipRole::Member, MembershipStatus::Active).await;
    let hidden_question = ask(&w, &w.fay, "secret", "Secret project question", &["rust"]).await;
    let hidden_answer = reply(&w, &w.dee, hidden_question, "The secret answer").await;
    accept(&w, &w.fay, hidden_question, hidden_answer).await;
    let open_question = ask(&w, &w.bob, "guild", "Open question", &["rust"]).await;
    reply(&w, &w.dee, open_question, "An open answer").await;

    let found = experts(&w, &w.cy, "rust").await;
    let dee = expert(&found, "dee");
    assert_eq!(dee["explanation"].as_array().unwrap().len(), 1, "only the open answer counts: {dee}");
    assert_eq!(dee["explanation"][0]["label"], "1 answer");
    let cy = t.sign_in("cy").await;
    let page = t.get("/experts?skill=rust", Some(&cy)).await;
    assert!(!page.body.contains("Secret project") && !page.body.contains(&format!("/posts/{hidden_answer}")));
    // Even the admin and the private community's members see only open evidence.
    let ada_view = experts(&w, &w.ada, "rust").await;
    assert_eq!(expert(&ada_view, "dee")["explanation"].as_array().unwrap().len(), 1);

    // An open community that turns private takes its evidence with it.
    let update = json!({"name": "Community guild", "slug": "guild", "domain": "Learning together",
        "kind": "technical-practice", "visibility": "private", "purpose": "Share what works"});
    let changed = t.api(Method::PUT, "/api/v1/communities/guild", Some(&w.fay), Some(update)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    t.app.catch_up_expertise().await.unwrap();
    assert!(handles(&experts(&w, &w.cy, "rust").await).is_empty());
}

#[tokio::test]
async fn people_outside_the_askers_team_come_first_when_scores_are_close() {
    let w = world().await;
    let t = &w.t;
    add_skill(&w, "Rust").await;
    profile(&w, "cy", "Payments", "").await; // the asker
    profile(&w, "bob", "Payments", "Rust:expert").await;
    profile(&w, "dee", "Platform", "Rust:expert").await;
    profile(&w, "fay", "Payments", "Rust:practitioner").await;
    t.app.catch_up_expertise().await.unwrap();

    let for_cy = experts(&w, &w.cy, "rust").await;
    assert_eq!(handles(&for_cy), ["dee", "bob", "fay"], "dee is outside Payments: {for_cy}");
    assert_eq!(expert(&for_cy, "dee")["outside_your_team"], true);
    assert_eq!(expert(&for_cy, "bob")["outside_your_team"], false);
    assert_eq!(expert(&for_cy, "dee")["score"], expert(&for_cy, "bob")["score"]);

    // Someone in Platform sees the Payments experts first instead; a clearly
    // weaker outsider (fay) does not jump the stronger insider.
    profile(&w, "ada", "Platform", "").await;
    let for_ada = experts(&w, &w.ada, "rust").await;
    assert_eq!(handles(&for_ada), ["bob", "dee", "fay"], "{for_ada}");

    let cy = t.sign_in("cy").await;
    let page = t.get("/experts?skill=rust", Some(&cy)).await;
    assert_eq!(page.body.matches("Outside your team").count(), 1, "only dee is marked");
}

#[tokio::test]
async fn guests_may_not_ask_who_knows() {
    let w = world().await;
    let t = &w.t;
    let gus = t.sign_in("gus").await;
    assert_eq!(t.get("/experts?skill=rust", Some(&gus)).await.status, StatusCode::FORBIDDEN);
    let token = t.token("gus").await;
    assert_eq!(
        t.api(Method::GET, "/api/v1/experts?skill=rust", Some(&token), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.get("/experts", None).await.status, StatusCode::SEE_OTHER, "signed-out visitors sign in first");
    let openapi = t.get("/api/openapi.json", None).await.json();
    for path in ["/experts", "/skills", "/skills/synonyms", "/skills/unmapped", "/routing/settings", "/me/away"] {
        assert!(openapi["paths"].get(path).is_some(), "the API document lists {path}");
    }
}

/// Five Rust people of descending strength; bob (the asker) is the best.
async fn routing_world() -> World {
    let w = world().await;
    add_skill(&w, "Rust").await;
    for handle in ["ann", "ben", "cat", "dan", "eve"] {
        let id = w.t.person(handle, false).await;
        w.t.add_member("guild", id, MembershipRole::Member, MembershipStatus::Active).await;
    }
    let mut w = w;
    for handle in ["ann", "ben", "cat", "dan", "eve"] {
        let id = w.t.db.store.find_person_by_handle(handle).await.unwrap().unwrap().id;
        w.ids.push((handle.to_string(), PersonId(id)));
    }
    profile(&w, "bob", "", "Rust:expert").await;
    profile(&w, "ann", "", "Rust:expert").await;
    profile(&w, "ben", "", "Rust:expert").await;
    profile(&w, "cat", "", "Rust:practitioner").await;
    profile(&w, "dan", "", "Rust:practitioner").await;
    profile(&w, "eve", "", "Rust:learning").await;
    w
}

fn later() -> Timestamp {
    Timestamp(Timestamp::now().millis() + 5 * 3_600_000)
}

async fn routed(w: &World, thread: i64) -> Vec<String> {
    let rows = w.t.db.store.list_thread_routes(thread).await.unwrap();
    let mut names: Vec<String> = rows
        .iter()
        .map(|(id, _)| w.ids.iter().find(|(_, p)| p.0 == *id).map(|(h, _)| h.clone()).unwrap_or_default())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn unanswered_questions_are_routed_skipping_the_asker_and_people_away() {
    let w = routing_world().await;
    let t = &w.t;
    // ben is away until well after the routing pass.
    let ben = t.sign_in("ben").await;
    let mut form: Vec<(&str, &str)> = vec![
        ("name", "Ben Tester"),
        ("time_zone", "UTC"),
        ("work_start", "09:00"),
        ("work_end", "17:00"),
        ("experience", "senior"),
        ("skills", "Rust:expert"),
    ];
    form.push(("away_until", "2099-01-31"));
    let saved = t.post_form("/profile/edit", Some(&ben), &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(t.get("/profile/edit", Some(&ben)).await.body.contains("value=\"2099-01-31\""));

    let thread = ask(&w, &w.bob, "guild", "Lifetimes in async traits?", &["rust"]).await;
    // Too early: nothing happens before the waiting time.
    assert_eq!(t.app.route_unanswered_questions(Timestamp::now()).await.unwrap().questions, 0);
    let summary = t.app.route_unanswered_questions(later()).await.unwrap();
    assert_eq!((summary.questions, summary.routes), (1, 3));
    assert_eq!(routed(&w, thread).await, ["ann", "cat", "dan"], "not bob (asker), not ben (away)");

    // Routed people are told in-app and see it on /experts.
    let ann = t.token("ann").await;
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&ann), None).await.json();
    let note = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["message"].as_str().unwrap().contains("Lifetimes"))
        .expect("a note");
    assert_eq!(note["link"], format!("/threads/{thread}"));
    let ann_session = t.sign_in("ann").await;
    let page = t.get("/experts", Some(&ann_session)).await;
    assert!(page.body.contains("Lifetimes in async traits?") && page.body.contains("Waiting for an answer"));

    // Routing again routes nothing twice.
    assert_eq!(t.app.route_unanswered_questions(later()).await.unwrap().questions, 0);
    assert_eq!(routed(&w, thread).await.len(), 3);

    // ann answers: her route is answered.
    reply(&w, &ann, thread, "Box the future.").await;
    t.app.catch_up_expertise().await.unwrap();
    let mine = t.api(Method::GET, "/api/v1/me/routed-questions", Some(&ann), None).await.json();
    assert_eq!(mine[0]["outcome"], "answered", "{mine}");

    // A past date clears "away"; a bad one names the field.
    let mut clear = form.clone();
    clear.pop();
    clear.push(("away_until", "2001-01-01"));
    assert_eq!(t.post_form("/profile/edit", Some(&ben), &clear).await.status, StatusCode::SEE_OTHER);
    assert!(t.get("/profile/edit", Some(&ben)).await.body.contains("name=\"away_until\" type=\"date\" value=\"\""));
    let mut bad: Vec<(&str, &str)> =
        form.iter().map(|&(k, v)| if k == "time_zone" { (k, "Nowhere/Land") } else { (k, v) }).collect();
    bad.pop();
    bad.push(("away_until", "soon"));
    let rejected = t.post_form("/profile/edit", Some(&ben), &bad).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rejected.body.contains("id=\"away_until-error\"") && rejected.body.contains("id=\"time_zone-error\""));
    let api_bad = t.api(Method::PUT, "/api/v1/me/away", Some(&ann), Some(json!({"until": "31/01/2099"}))).await;
    assert_eq!(error_fields(&api_bad), ["away_until"]);
}

#[tokio::test]
async fn the_weekly_cap_spreads_questions_and_a_claim_routes_once() {
    let w = routing_world().await;
    let t = &w.t;
    let capped = t
        .api(
            Method::PUT,
            "/api/v1/routing/settings",
            Some(&w.ada),
            Some(json!({"after_minutes": 60, "per_question": 2, "weekly_cap": 1})),
        )
        .await;
    assert_eq!(capped.status, StatusCode::OK, "{}", capped.body);
    let first = ask(&w, &w.cy, "guild", "First question", &["rust"]).await;
    let second = ask(&w, &w.cy, "guild", "Second question", &["rust"]).await;
    let third = ask(&w, &w.cy, "guild", "Third question", &["rust"]).await;
    let fourth = ask(&w, &w.cy, "guild", "Fourth question", &["rust"]).await;
    // Two routers at once: one holds the lease, the other skips its pass;
    // nothing is routed twice either way.
    let (a, b) = tokio::join!(t.app.route_unanswered_questions(later()), t.app.route_unanswered_questions(later()));
    let total = a.unwrap().questions + b.unwrap().questions;
    assert_eq!(total, 4);
    let mut everyone: Vec<String> = Vec::new();
    for thread in [first, second, third] {
        everyone.extend(routed(&w, thread).await);
    }
    everyone.sort();
    assert_eq!(everyone, ["ann", "ben", "bob", "cat", "dan", "eve"], "each person once a week");
    assert!(routed(&w, fourth).await.is_empty(), "everyone is at the cap");
    // A claimed question is never claimed again.
    assert!(!t.db.store.route_question(fourth, &[(w.id("ann"), None)], "again", "/", later()).await.unwrap());
    assert!(routed(&w, fourth).await.is_empty());
}

#[tokio::test]
async fn questions_in_private_communities_go_only_to_members() {
    let w = routing_world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    t.add_member("secret", w.id("eve"), MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("secret", w.id("dan"), MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("secret", w.id("ann"), MembershipRole::Member, MembershipStatus::Requested).await;
    let question = ask(&w, &w.fay, "secret", "A private question", &["rust"]).await;
    let untagged = ask(&w, &w.bob, "guild", "A question without tags", &[]).await;
    let summary = t.app.route_unanswered_questions(later()).await.unwrap();
    assert_eq!(summary.questions, 2, "the untagged question is claimed with no routes");
    assert_eq!(routed(&w, question).await, ["dan", "eve"]);
    assert!(routed(&w, untagged).await.is_empty());
    let pending = t.db.store.list_questions_to_route(Timestamp(0), later(), 10).await.unwrap();
    assert!(pending.is_empty(), "both are claimed");
    // Someone who left the private community no longer sees the route.
    let dan = t.token("dan").await;
    assert_eq!(
        t.api(Method::GET, "/api/v1/me/routed-questions", Some(&dan), None).await.json()[0]["title"],
        "A private question"
    );
    let left = t.api(Method::POST, "/api/v1/communities/secret/leave", Some(&dan), None).await;
    assert!(left.status.is_success(), "{}", left.body);
    assert_eq!(t.api(Method::GET, "/api/v1/me/routed-questions", Some(&dan), None).await.json(), json!([]));
}

#[tokio::test]
async fn routing_settings_are_for_admins_and_validated() {
    let w = world().await;
    let t = &w.t;
    let defaults = t.api(Method::GET, "/api/v1/routing/settings", Some(&w.ada), None).await;
    assert_eq!(defaults.json(), json!({"after_minutes": 240, "per_question": 3, "weekly_cap": 3}));
    assert_eq!(t.api(Method::GET, "/api/v1/routing/settings", Some(&w.fay), None).await.status, StatusCode::FORBIDDEN);
    let bad = t
        .api(
            Method::PUT,
            "/api/v1/routing/settings",
            Some(&w.ada),
            Some(json!({"after_minutes": "soon", "per_question": 0, "weekly_cap": 3})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&bad), ["after_minutes", "per_question"]);
    let member = t
        .api(
            Method::PUT,
            "/api/v1/routing/settings",
            Some(&w.dee),
            Some(json!({"after_minutes": 60, "per_question": 2, "weekly_cap": 2})),
        )
        .await;
    assert_eq!(member.status, StatusCode::FORBIDDEN);

    let ada = t.sign_in("ada").await;
    let form = t.get("/admin/routing", Some(&ada)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"240\""));
    let rejected = t
        .post_form(
            "/admin/routing",
            Some(&ada),
            &[("after_minutes", "60"), ("per_question", "3"), ("weekly_cap", "500")],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rejected.body.contains("id=\"weekly_cap-error\"") && rejected.body.contains("value=\"500\""));
    let saved = t
        .post_form("/admin/routing", Some(&ada), &[("after_minutes", "60"), ("per_question", "2"), ("weekly_cap", "5")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let now = t.api(Method::GET, "/api/v1/routing/settings", Some(&w.ada), None).await.json();
    assert_eq!(now, json!({"after_minutes": 60, "per_question": 2, "weekly_cap": 5}));
    let dee = t.sign_in("dee").await;
    assert_eq!(t.get("/admin/routing", Some(&dee)).await.status, StatusCode::FORBIDDEN);
    let _ = (&w.bob, &w.cy);
}
