//! Mentoring over HTTP, pages and API: offers (capacity checked), requests
//! (matched at once, or told plainly that nobody fits), the pairing
//! lifecycle (both accept, decline, check-ins, complete with an outcome,
//! end), capacity never exceeded, self-matches impossible, coordinators'
//! preview and run, visibility (someone else's proposal and a private
//! community's pairing are not found), and guests refused.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_app::NO_MATCH_MESSAGE;
use copse_domain::{CommunityId, MembershipRole, MembershipStatus, PersonId, Timestamp};
use copse_store::NewProposal;
use serde_json::{Value, json};

async fn offer(t: &TestApp, token: &str, skills: &[&str], capacity: Value) -> TestResponse {
    t.api(Method::PUT, "/api/v1/mentoring/offer", Some(token), Some(json!({"skills": skills, "capacity": capacity})))
        .await
}

async fn request(t: &TestApp, token: &str, skills: &[&str], community: Option<&str>) -> TestResponse {
    let body = json!({"goals": "Grow into writing production services", "skills": skills, "community": community});
    t.api(Method::POST, "/api/v1/mentoring/request", Some(token), Some(body)).await
}

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> TestResponse {
    t.api(Method::POST, path, Some(token), Some(body)).await
}

async fn community_id(t: &TestApp, slug: &str) -> CommunityId {
    CommunityId(t.db.store.find_community_for_viewer(slug, None).await.unwrap().unwrap().community.id)
}

async fn contributions_of(t: &TestApp, slug: &str, person: PersonId) -> i64 {
    let counts = t.db.store.count_contributions_by_person(community_id(t, slug).await, Timestamp(0)).await.unwrap();
    counts.iter().find(|c| c.person_id == person.0).map_or(0, |c| c.count)
}

#[tokio::test]
async fn capacity_outside_one_to_five_is_a_field_error_on_both_surfaces() {
    let t = TestApp::new().await;
    t.person("mia", false).await;
    let mia = t.token("mia").await;
    let page = t.sign_in("mia").await;
    for bad in ["0", "6", "abc"] {
        let form = t.post_form("/mentoring/offer", Some(&page), &[("skills", "Rust"), ("capacity", bad)]).await;
        assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", form.body);
        assert!(form.body.contains("id=\"capacity-error\""), "{bad}: the field says what is wrong");
        assert!(form.body.contains("a whole number from 1 to 5"), "{bad}");
        assert!(form.body.contains(&format!("value=\"{bad}\"")), "the form keeps what was typed");
    }
    for bad in [json!(0), json!(6), json!("abc"), json!(2.5)] {
        let api = offer(&t, &mia, &["Rust"], bad.clone()).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", api.body);
        assert_eq!(api.json()["errors"][0]["field"], "capacity", "{bad}");
    }
    let no_skills = offer(&t, &mia, &[], json!(2)).await;
    assert_eq!(no_skills.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_skills.json()["errors"][0]["field"], "skills");
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring/offer", Some(&mia), None).await.status, StatusCode::NOT_FOUND);

    let saved = offer(&t, &mia, &["Rust", " rust", "Machine learning"], json!("3")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved = saved.json();
    assert_eq!(saved["capacity"], 3);
    assert_eq!(saved["free"], 3);
    let keys: Vec<&str> = saved["skills"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["machine-learning", "rust"]);
    let shown = t.get("/mentoring", Some(&page)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Your time zone and working hours come from"), "the form says where time comes from");
    assert!(shown.body.contains("UTC, 09:00–17:00"));
}

#[tokio::test]
async fn a_request_nobody_can_take_says_so_and_stays_open() {
    let t = TestApp::new().await;
    t.person("sue", false).await;
    t.person("bob", false).await;
    let sue = t.sign_in("sue").await;
    let asked = t
        .post_form("/mentoring/request", Some(&sue), &[("goals", "Learn Go"), ("skills", "Go"), ("community", "")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(asked.location(), "/mentoring?notice=no-match");
    let page = t.get(asked.location(), Some(&sue)).await;
    assert!(page.body.contains(NO_MATCH_MESSAGE), "the page says plainly why: {}", page.body);
    assert!(page.body.contains("Your request is open"));

    let bob = t.token("bob").await;
    let api = request(&t, &bob, &["Haskell"], None).await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    assert_eq!(api.json()["proposal"], Value::Null);
    assert_eq!(api.json()["message"], NO_MATCH_MESSAGE);
    let open = t.api(Method::GET, "/api/v1/mentoring/request", Some(&bob), None).await;
    assert_eq!(open.json()["skills"][0]["name"], "Haskell");

    // One open request at a time, with a clear message.
    let again = request(&t, &bob, &["Go"], None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.json()["detail"].as_str().unwrap().contains("already have an open request"));
    let again_page = t.post_form("/mentoring/request", Some(&sue), &[("goals", "More Go"), ("skills", "Go")]).await;
    assert_eq!(again_page.status, StatusCode::CONFLICT);
    assert!(again_page.body.contains("already have an open request"));

    // Bad input names its field.
    let withdrawn = t.api(Method::DELETE, "/api/v1/mentoring/request", Some(&bob), None).await;
    assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
    let bad = t
        .api(
            Method::POST,
            "/api/v1/mentoring/request",
            Some(&bob),
            Some(json!({"goals": " ", "skills": ["a", "b", "c", "d", "e", "f"]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = bad.json();
    let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["goals", "skills"]);
    let long = "x".repeat(1001);
    let too_long = t
        .api(Method::POST, "/api/v1/mentoring/request", Some(&bob), Some(json!({"goals": long, "skills": ["Go"]})))
        .await;
    assert_eq!(too_long.json()["errors"][0]["field"], "goals");
    let not_mine = request(&t, &bob, &["Go"], Some("nowhere")).await;
    assert_eq!(not_mine.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_mine.json()["errors"][0]["field"], "community");
    let form_errors =
        t.post_form("/mentoring/request", Some(&t.sign_in("bob").await), &[("goals", ""), ("skills", "")]).await;
    assert_eq!(form_errors.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_errors.body.contains("id=\"goals-error\"") && form_errors.body.contains("id=\"wanted-error\""));
}

#[tokio::test]
async fn a_request_is_proposed_at_once_and_starts_when_both_accept() {
    let t = TestApp::new().await;
    let mia_id = t.person("mia", false).await;
    let sue_id = t.person("sue", false).await;
    t.person("fay", false).await;
    let fay_page = t.sign_in("fay").await;
    t.community(&fay_page, "rust", "open").await;
    t.add_member("rust", sue_id, MembershipRole::Member, MembershipStatus::Active).await;
    let mia = t.token("mia").await;
    assert_eq!(offer(&t, &mia, &["Rust", "Go"], json!(2)).await.status, StatusCode::OK);

    let sue = t.sign_in("sue").await;
    let form = t.get("/mentoring", Some(&sue)).await;
    assert!(form.body.contains("<option value=\"rust\""), "the asker's communities are offered");
    let asked = t
        .post_form(
            "/mentoring/request",
            Some(&sue),
            &[("goals", "Ship my first Rust service"), ("skills", "Rust"), ("community", "rust")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert!(asked.location().starts_with("/mentoring?notice=proposed"), "{}", asked.location());
    let page = t.get("/mentoring", Some(&sue)).await;
    assert!(page.body.contains("Mia Tester could mentor you"), "{}", page.body);
    assert!(page.body.contains("Why this match") && page.body.contains("offers Rust (practitioner)"), "{}", page.body);
    assert!(page.body.contains("Ship my first Rust service"));

    // The mentor was told in-app, and sees the proposal with the goals.
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&mia), None).await.json();
    assert!(notes[0]["message"].as_str().unwrap().contains("proposed as a mentor for Sue Tester"), "{notes}");
    let proposals = t.api(Method::GET, "/api/v1/mentoring/proposals", Some(&mia), None).await.json();
    assert_eq!(proposals.as_array().unwrap().len(), 1);
    let id = proposals[0]["id"].as_i64().unwrap();
    assert_eq!(proposals[0]["mentee"]["handle"], "sue");
    assert_eq!(proposals[0]["goals"], "Ship my first Rust service");
    assert_eq!(proposals[0]["community"], "rust");
    assert!(proposals[0]["reasons"].as_array().unwrap().iter().any(|r| r == "offers Rust (practitioner)"));

    // The mentee accepts first (page), the mentor second (API): active.
    let accepted = t.post_form(&format!("/mentoring/{id}/accept"), Some(&sue), &[]).await;
    assert_eq!(accepted.location(), format!("/mentoring/{id}?notice=accepted"));
    let waiting = t.get(&format!("/mentoring/{id}"), Some(&sue)).await;
    assert!(waiting.body.contains("waiting for Mia Tester to accept"), "{}", waiting.body);
    assert_eq!(contributions_of(&t, "rust", mia_id).await, 0, "nothing is recorded before it starts");
    let active = post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await;
    assert_eq!(active.status, StatusCode::OK, "{}", active.body);
    assert_eq!(active.json()["status"], "active");
    assert!(active.json()["started_at"].is_string());
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&t.token("sue").await), None).await.json();
    assert!(notes[0]["message"].as_str().unwrap().contains("your mentorship has started"), "{notes}");
    assert_eq!(
        t.api(Method::GET, "/api/v1/mentoring/request", Some(&t.token("sue").await), None).await.status,
        StatusCode::NOT_FOUND,
        "the request is matched"
    );
    assert_eq!(contributions_of(&t, "rust", mia_id).await, 1, "the mentorship is in the activity record");
    let again = post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Check-ins by either side, listed with dates.
    let checked = t
        .post_form(&format!("/mentoring/{id}/checkins"), Some(&sue), &[("note", "Read the async book, chapter 3")])
        .await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER, "{}", checked.body);
    let empty = t.post_form(&format!("/mentoring/{id}/checkins"), Some(&sue), &[("note", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"checkin-note-error\""));
    let by_api = post(
        &t,
        &mia,
        &format!("/api/v1/mentoring/pairings/{id}/checkins"),
        json!({"note": "Paired on error handling"}),
    )
    .await;
    assert_eq!(by_api.status, StatusCode::CREATED, "{}", by_api.body);
    let pairing = t.get(&format!("/mentoring/{id}"), Some(&sue)).await;
    assert!(
        pairing.body.contains("Read the async book, chapter 3") && pairing.body.contains("Paired on error handling")
    );
    assert!(pairing.body.contains("<time"), "check-ins show their dates");
    assert_eq!(contributions_of(&t, "rust", mia_id).await, 3, "each check-in is a mentorship session");
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&mia), None).await.json();
    assert!(notes[0]["message"].as_str().unwrap().contains("added a check-in"), "{notes}");

    // Completing needs an outcome.
    let no_outcome = t.post_form(&format!("/mentoring/{id}/complete"), Some(&sue), &[("outcome", "")]).await;
    assert_eq!(no_outcome.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_outcome.body.contains("id=\"outcome-error\""));
    let no_outcome = post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/complete"), json!({})).await;
    assert_eq!(no_outcome.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_outcome.json()["errors"][0]["field"], "outcome");
    let done = post(
        &t,
        &mia,
        &format!("/api/v1/mentoring/pairings/{id}/complete"),
        json!({"outcome": "Sue ships services alone now"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["status"], "completed");
    assert_eq!(done.json()["outcome"], "Sue ships services alone now");
    let late = post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/checkins"), json!({"note": "late"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "no check-ins after the end");
    let profile = t.get("/people/mia", Some(&sue)).await;
    assert!(
        profile.body.contains("Mentor of Sue Tester") && profile.body.contains("Offers to mentor"),
        "{}",
        profile.body
    );
    let _ = sue_id;
}

#[tokio::test]
async fn a_mentor_at_capacity_is_never_proposed() {
    let t = TestApp::new().await;
    let mia_id = t.person("mia", false).await;
    for handle in ["sue", "bob", "cat"] {
        t.person(handle, false).await;
    }
    let mia = t.token("mia").await;
    assert_eq!(offer(&t, &mia, &["Rust"], json!(1)).await.status, StatusCode::OK);
    let sue = t.token("sue").await;
    let first = request(&t, &sue, &["Rust"], None).await.json();
    assert_eq!(first["proposal"]["mentor"]["handle"], "mia", "{first}");
    // A proposal takes the place: the next request finds nobody.
    let bob = t.token("bob").await;
    let second = request(&t, &bob, &["Rust"], None).await.json();
    assert_eq!(second["proposal"], Value::Null, "{second}");
    assert_eq!(second["message"], NO_MATCH_MESSAGE);
    let offer_now = t.api(Method::GET, "/api/v1/mentoring/offer", Some(&mia), None).await.json();
    assert_eq!((offer_now["taken"].as_i64(), offer_now["free"].as_i64()), (Some(1), Some(0)));

    // Even a proposal written straight to the store is refused at capacity
    // (the check runs inside the inserting transaction).
    let bob_request = second["request"]["id"].as_i64().unwrap();
    let bob_id = PersonId(t.db.store.find_person_by_handle("bob").await.unwrap().unwrap().id);
    let forced =
        t.db.store
            .propose_mentorship(&NewProposal {
                mentor: mia_id,
                mentee: bob_id,
                request: bob_request,
                score: 1,
                reasons: "",
                mentor_message: "m",
                mentee_message: "m",
                link_prefix: "/mentoring/",
                at: Timestamp::now(),
            })
            .await
            .unwrap();
    assert_eq!(forced, None, "a mentor at capacity is never proposed");

    // Capacity cannot be lowered below what is taken.
    let lower = offer(&t, &mia, &["Rust"], json!(1)).await;
    assert_eq!(lower.status, StatusCode::OK);
    // Raising it runs matching again for the waiting request.
    let raised = offer(&t, &mia, &["Rust"], json!(2)).await.json();
    assert_eq!(raised["proposals_made"], 1, "{raised}");
    let cat = t.token("cat").await;
    assert_eq!(request(&t, &cat, &["Rust"], None).await.json()["proposal"], Value::Null, "full again");
    let mia_page = t.get("/mentoring", Some(&t.sign_in("mia").await)).await;
    assert!(mia_page.body.contains("2 of 2 places taken"), "{}", mia_page.body);
}

#[tokio::test]
async fn nobody_is_matched_with_themselves_or_while_away_or_paused() {
    let t = TestApp::new().await;
    let sue_id = t.person("sue", false).await;
    t.person("mia", false).await;
    let sue = t.token("sue").await;
    assert_eq!(offer(&t, &sue, &["Rust"], json!(3)).await.status, StatusCode::OK);
    let alone = request(&t, &sue, &["Rust"], None).await.json();
    assert_eq!(alone["proposal"], Value::Null, "sue offers Rust but is never her own mentor: {alone}");
    // A paused offer is not proposed; resuming runs matching again.
    let mia = t.token("mia").await;
    assert_eq!(offer(&t, &mia, &["Rust"], json!(1)).await.json()["proposals_made"], 1);
    let proposals = t.api(Method::GET, "/api/v1/mentoring/proposals", Some(&sue), None).await.json();
    assert_eq!(proposals[0]["mentor"]["handle"], "mia");
    assert_eq!(proposals[0]["mentee"]["handle"], "sue");
    let declined =
        post(&t, &sue, &format!("/api/v1/mentoring/pairings/{}/decline", proposals[0]["id"]), json!({})).await;
    assert_eq!(declined.json()["status"], "declined");
    let pause = t.post_form("/mentoring/offer/pause", Some(&t.sign_in("sue").await), &[]).await;
    assert_eq!(pause.location(), "/mentoring?notice=paused");
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring/offer", Some(&sue), None).await.json()["active"], false);
    // Away people are left out of matching.
    t.db.store
        .execute_raw(&format!("UPDATE people SET away_until = 9999999999999 WHERE id = {}", sue_id.0))
        .await
        .unwrap();
    t.person("ann", false).await;
    let ann = t.token("ann").await;
    assert_eq!(offer(&t, &ann, &["Rust"], json!(1)).await.json()["proposals_made"], 0, "sue is away");
}

#[tokio::test]
async fn declining_returns_the_request_to_matching_without_that_mentor() {
    let t = TestApp::new().await;
    for handle in ["mia", "sue", "bob", "max"] {
        t.person(handle, false).await;
    }
    t.person("ada", true).await;
    let mia = t.token("mia").await;
    offer(&t, &mia, &["Rust"], json!(1)).await;
    let sue = t.token("sue").await;
    let asked = request(&t, &sue, &["Rust"], None).await.json();
    let id = asked["proposal"]["id"].as_i64().unwrap();
    // The mentor declines from the page.
    let mia_page = t.sign_in("mia").await;
    let declined = t.post_form(&format!("/mentoring/{id}/decline"), Some(&mia_page), &[]).await;
    assert_eq!(declined.location(), "/mentoring?notice=declined");
    let open = t.api(Method::GET, "/api/v1/mentoring/request", Some(&sue), None).await;
    assert_eq!(open.status, StatusCode::OK, "the request is open again");
    assert_eq!(open.json()["proposal"], Value::Null);
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&sue), None).await.json();
    assert!(notes[0]["message"].as_str().unwrap().contains("declined"), "{notes}");
    assert_eq!(
        post(&t, &sue, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await.status,
        StatusCode::CONFLICT,
        "a declined proposal cannot be accepted"
    );

    // mia has room again; bob asks later. The coordinator's preview pairs bob
    // with mia and leaves sue out (she declined... mia declined her).
    let bob = t.token("bob").await;
    assert_eq!(request(&t, &bob, &["Rust"], None).await.json()["proposal"]["mentor"]["handle"], "mia");
    post(
        &t,
        &bob,
        &format!(
            "/api/v1/mentoring/pairings/{}/decline",
            t.api(Method::GET, "/api/v1/mentoring/proposals", Some(&bob), None).await.json()[0]["id"]
        ),
        json!({}),
    )
    .await;
    let ada = t.token("ada").await;
    let preview = t.api(Method::GET, "/api/v1/mentoring/match", Some(&ada), None).await.json();
    assert_eq!(preview["open_requests"], 2, "{preview}");
    assert_eq!(preview["pairs"].as_array().unwrap().len(), 0, "both declined mia: {preview}");
    assert_eq!(preview["unmatched"].as_array().unwrap().len(), 2);
    // A new mentor offers: matching runs, and one of the two gets max.
    let max = t.token("max").await;
    assert_eq!(offer(&t, &max, &["Rust"], json!(1)).await.json()["proposals_made"], 1);
    let preview = t.api(Method::GET, "/api/v1/mentoring/match", Some(&ada), None).await.json();
    assert_eq!(preview["open_requests"], 1);
    let page = t.get("/mentoring/match", Some(&t.sign_in("ada").await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No pair can be proposed now"), "{}", page.body);
}

#[tokio::test]
async fn coordinators_preview_and_propose_the_whole_assignment() {
    let t = TestApp::new().await;
    for handle in ["mia", "max", "sue", "bob", "cy"] {
        t.person(handle, false).await;
    }
    t.person("fay", false).await;
    let fay_page = t.sign_in("fay").await;
    t.community(&fay_page, "rust", "open").await;
    // Requests first, offers paused: nothing is proposed yet.
    let (sue, bob) = (t.token("sue").await, t.token("bob").await);
    request(&t, &sue, &["Rust"], None).await;
    request(&t, &bob, &["Go", "Rust"], None).await;
    let (mia, max) = (t.token("mia").await, t.token("max").await);
    t.api(
        Method::PUT,
        "/api/v1/mentoring/offer",
        Some(&mia),
        Some(json!({"skills": ["Rust"], "capacity": 1, "active": false})),
    )
    .await;
    let paused = t
        .api(
            Method::PUT,
            "/api/v1/mentoring/offer",
            Some(&max),
            Some(json!({"skills": ["Go"], "capacity": 1, "active": false})),
        )
        .await;
    assert_eq!(paused.json()["active"], false, "{}", paused.body);
    // Un-pause without triggering matching, as if capacity had freed up.
    t.db.store.execute_raw("UPDATE mentor_offers SET active = 1").await.unwrap();

    let cy = t.token("cy").await;
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring/match", Some(&cy), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get("/mentoring/match", Some(&t.sign_in("cy").await)).await.status, StatusCode::FORBIDDEN);
    let fay = t.token("fay").await;
    let preview = t.api(Method::GET, "/api/v1/mentoring/match", Some(&fay), None).await;
    assert_eq!(preview.status, StatusCode::OK, "a facilitator coordinates: {}", preview.body);
    let preview = preview.json();
    let pairs: Vec<(String, String)> = preview["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["mentor"]["handle"].as_str().unwrap().into(), p["mentee"]["handle"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        pairs,
        vec![("mia".to_string(), "sue".to_string()), ("max".to_string(), "bob".to_string())],
        "{preview}"
    );
    assert_eq!(preview["free_places"], 2);
    assert_eq!(preview["pairs"][0]["goals"], "Grow into writing production services", "coordinators read goals");
    let page = t.get("/mentoring/match", Some(&fay_page)).await;
    assert!(page.body.contains("Propose 2 pairs"), "{}", page.body);
    let run = t.post_form("/mentoring/match", Some(&fay_page), &[]).await;
    assert_eq!(run.location(), "/mentoring/match?notice=matched&n=2");
    let after = t.get(run.location(), Some(&fay_page)).await;
    assert!(after.body.contains("2 pairs proposed"));
    let again = post(&t, &fay, "/api/v1/mentoring/match", json!({})).await.json();
    assert_eq!(again["proposed"], 0);
    assert_eq!(
        t.api(Method::GET, "/api/v1/mentoring/proposals", Some(&bob), None).await.json()[0]["mentor"]["handle"],
        "max"
    );
}

#[tokio::test]
async fn someone_elses_proposal_is_not_found_and_only_the_two_act() {
    let t = TestApp::new().await;
    for handle in ["mia", "sue", "cy"] {
        t.person(handle, false).await;
    }
    t.person("ada", true).await;
    let mia = t.token("mia").await;
    offer(&t, &mia, &["Rust"], json!(1)).await;
    let sue = t.token("sue").await;
    let id = request(&t, &sue, &["Rust"], None).await.json()["proposal"]["id"].as_i64().unwrap();
    let cy = t.token("cy").await;
    let cy_page = t.sign_in("cy").await;
    assert_eq!(t.get(&format!("/mentoring/{id}"), Some(&cy_page)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.post_form(&format!("/mentoring/{id}/accept"), Some(&cy_page), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    for path in ["", "/accept", "/decline"] {
        let method = if path.is_empty() { Method::GET } else { Method::POST };
        let body = if path.is_empty() { None } else { Some(json!({})) };
        let r = t.api(method, &format!("/api/v1/mentoring/pairings/{id}{path}"), Some(&cy), body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        t.api(Method::GET, "/api/v1/mentoring/pairings/999999", Some(&cy), None).await.status,
        StatusCode::NOT_FOUND
    );
    // The mentee's goals are not in the mentor list that members browse.
    let offers = t.api(Method::GET, "/api/v1/mentoring/offers?skill=rust", Some(&cy), None).await;
    assert_eq!(offers.json()[0]["mentor"]["handle"], "mia");
    assert!(!offers.body.contains("production services"));
    // An admin sees it but does not answer for them.
    let ada = t.token("ada").await;
    let seen = t.api(Method::GET, &format!("/api/v1/mentoring/pairings/{id}"), Some(&ada), None).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["pairing"]["goals"], "Grow into writing production services");
    assert_eq!(
        post(&t, &ada, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    // Both accept, in the other order: mentor first.
    assert_eq!(
        post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await.json()["status"],
        "proposed"
    );
    assert_eq!(
        post(&t, &sue, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await.json()["status"],
        "active"
    );
    // A started pairing outside any community is still only theirs.
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/mentoring/pairings/{id}"), Some(&cy), None).await.status,
        StatusCode::NOT_FOUND
    );
    let ended = post(&t, &sue, &format!("/api/v1/mentoring/pairings/{id}/end"), json!({"reason": ""})).await;
    assert_eq!(ended.json()["errors"][0]["field"], "reason");
    let ended =
        post(&t, &sue, &format!("/api/v1/mentoring/pairings/{id}/end"), json!({"reason": "Changed teams"})).await;
    assert_eq!(ended.json()["status"], "ended");
}

#[tokio::test]
async fn a_private_communitys_pairing_is_invisible_to_outsiders() {
    let t = TestApp::new().await;
    let sue_id = t.person("sue", false).await;
    let pat_id = t.person("pat", false).await;
    for handle in ["mia", "cy", "fay"] {
        t.person(handle, false).await;
    }
    let fay_page = t.sign_in("fay").await;
    t.community(&fay_page, "secret", "private").await;
    t.add_member("secret", sue_id, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("secret", pat_id, MembershipRole::Member, MembershipStatus::Active).await;
    let mia = t.token("mia").await;
    offer(&t, &mia, &["Rust"], json!(1)).await;
    let sue = t.token("sue").await;
    let asked = request(&t, &sue, &["Rust"], Some("secret")).await.json();
    let id = asked["proposal"]["id"].as_i64().unwrap();
    assert_eq!(asked["request"]["community"], "secret");
    let pat = t.token("pat").await;
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/mentoring/pairings/{id}"), Some(&pat), None).await.status,
        StatusCode::NOT_FOUND,
        "a proposal stays between the two"
    );
    post(&t, &mia, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await;
    post(&t, &sue, &format!("/api/v1/mentoring/pairings/{id}/accept"), json!({})).await;
    // Started: members of the community see it (without the goals), outsiders do not.
    let seen = t.api(Method::GET, &format!("/api/v1/mentoring/pairings/{id}"), Some(&pat), None).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.json()["pairing"]["goals"], Value::Null, "goals are for the two and coordinators");
    let cy = t.token("cy").await;
    let cy_page = t.sign_in("cy").await;
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/mentoring/pairings/{id}"), Some(&cy), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.get(&format!("/mentoring/{id}"), Some(&cy_page)).await.status, StatusCode::NOT_FOUND);
    let profile = t.get("/people/mia", Some(&cy_page)).await;
    assert!(!profile.body.contains("Mentor of Sue Tester"), "the profile does not leak it");
    assert!(!profile.body.contains("Community secret"));
    let profile = t.get("/people/mia", Some(&t.sign_in("pat").await)).await;
    assert!(profile.body.contains("Mentor of Sue Tester"), "{}", profile.body);
    // Members of the community cannot act on it.
    assert_eq!(
        post(&t, &pat, &format!("/api/v1/mentoring/pairings/{id}/checkins"), json!({"note": "hi"})).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn guests_and_visitors_are_refused() {
    let t = TestApp::new().await;
    t.guest("gus").await;
    let gus = t.token("gus").await;
    let gus_page = t.sign_in("gus").await;
    assert_eq!(t.get("/mentoring", Some(&gus_page)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.post_form("/mentoring/offer", Some(&gus_page), &[("skills", "Rust"), ("capacity", "1")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(offer(&t, &gus, &["Rust"], json!(1)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(request(&t, &gus, &["Rust"], None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring/offers", Some(&gus), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring/match", Some(&gus), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.api(Method::GET, "/api/v1/mentoring", None, None).await.status, StatusCode::UNAUTHORIZED);
    let visitor = t.get("/mentoring", None).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location().starts_with("/login"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_mentoring_routes() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await.json();
    for path in [
        "/mentoring",
        "/mentoring/offer",
        "/mentoring/offers",
        "/mentoring/request",
        "/mentoring/proposals",
        "/mentoring/pairings/{id}",
        "/mentoring/pairings/{id}/accept",
        "/mentoring/pairings/{id}/decline",
        "/mentoring/pairings/{id}/checkins",
        "/mentoring/pairings/{id}/complete",
        "/mentoring/pairings/{id}/end",
        "/mentoring/match",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
}

#[tokio::test]
async fn two_proposals_racing_for_a_mentors_last_place_get_it_once() {
    let t = TestApp::new().await;
    let mia_id = t.person("mia", false).await;
    let sue_id = t.person("sue", false).await;
    let bob_id = t.person("bob", false).await;
    let (sue, bob, mia) = (t.token("sue").await, t.token("bob").await, t.token("mia").await);
    let sue_request = request(&t, &sue, &["Rust"], None).await.json()["request"]["id"].as_i64().unwrap();
    let bob_request = request(&t, &bob, &["Rust"], None).await.json()["request"]["id"].as_i64().unwrap();
    let paused = t
        .api(
            Method::PUT,
            "/api/v1/mentoring/offer",
            Some(&mia),
            Some(json!({"skills": ["Rust"], "capacity": 1, "active": false})),
        )
        .await;
    assert_eq!(paused.json()["proposals_made"], 0);
    t.db.store.execute_raw("UPDATE mentor_offers SET active = 1").await.unwrap();
    let proposal = |mentee: PersonId, request: i64| NewProposal {
        mentor: mia_id,
        mentee,
        request,
        score: 5000,
        reasons: "offers Rust (practitioner)",
        mentor_message: "proposed",
        mentee_message: "proposed",
        link_prefix: "/mentoring/",
        at: Timestamp::now(),
    };
    let (first, second) = (proposal(sue_id, sue_request), proposal(bob_id, bob_request));
    let (a, b) = tokio::join!(t.db.store.propose_mentorship(&first), t.db.store.propose_mentorship(&second));
    let written = [a.unwrap(), b.unwrap()].iter().filter(|id| id.is_some()).count();
    assert_eq!(written, 1, "one place, one proposal");
    let offer_now = t.api(Method::GET, "/api/v1/mentoring/offer", Some(&mia), None).await.json();
    assert_eq!(offer_now["taken"], 1);
}
