//! The meeting-time planner and the facilitation rota over HTTP: a fair
//! rotation for members in three regions, the current schedule's burden on
//! far-away regions, privacy, volunteering, confirming facilitators, and the
//! twelve-month facilitation table.

mod common;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::*;
use copse_domain::{
    CommunityId, ExperienceLevel, MembershipRole, MembershipStatus, PersonId, Profile, TimeZone, Timestamp,
    WorkingHours,
};
use serde_json::{Value, json};

/// Sets a person's zone, working hours and location (test setup).
async fn set_zone(t: &TestApp, person: PersonId, handle: &str, zone: &str, hours: (&str, &str), location: &str) {
    let mut name = handle.to_string();
    name[..1].make_ascii_uppercase();
    let profile = Profile {
        name: format!("{name} Tester"),
        team: String::new(),
        location: location.into(),
        time_zone: TimeZone::parse(zone).unwrap(),
        working_hours: WorkingHours::parse(hours.0, hours.1).unwrap(),
        experience: ExperienceLevel::Mid,
        skills: Vec::new(),
        interests: Vec::new(),
        bio: String::new(),
    };
    t.db.store.update_profile(person, &profile).await.unwrap();
}

/// fay (facilitator, Berlin) starts an open community; bob (New York), cy
/// (Sydney) and dee (Berlin) join it.
async fn three_regions(t: &TestApp, slug: &str) -> (Session, String) {
    let fay = t.person("fay", false).await;
    let session = t.sign_in("fay").await;
    t.community(&session, slug, "open").await;
    set_zone(t, fay, "fay", "Europe/Berlin", ("09:00", "17:00"), "").await;
    for (handle, zone) in [("bob", "America/New_York"), ("cy", "Australia/Sydney"), ("dee", "Europe/Berlin")] {
        let id = t.person(handle, false).await;
        set_zone(t, id, handle, zone, ("09:00", "17:00"), "").await;
        t.add_member(slug, id, MembershipRole::Member, MembershipStatus::Active).await;
    }
    let token = t.token("fay").await;
    (session, token)
}

fn weekly(title: &str, days_from_today: i64, time: &str, count: u32) -> Value {
    let date = (Utc::now() + Duration::days(days_from_today)).format("%Y-%m-%d").to_string();
    json!({
        "title": title, "kind": "meetup", "format": "remote", "link": "https://meet.example.com/cop",
        "date": date, "time": time, "duration_minutes": 60, "time_zone": "Europe/Berlin",
        "rrule": format!("FREQ=WEEKLY;COUNT={count}")
    })
}

async fn schedule(t: &TestApp, token: &str, slug: &str, event: Value) -> i64 {
    let created = t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(token), Some(event)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["event_id"].as_i64().unwrap()
}

async fn assign(t: &TestApp, session: &Session, event: i64, key: &str, handle: &str) -> TestResponse {
    let event = event.to_string();
    t.post_form("/communities/rust/rota/assign", Some(session), &[("event", &event), ("key", key), ("handle", handle)])
        .await
}

fn region<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|r| r["region"] == name).unwrap_or_else(|| panic!("no {name} in {list}"))
}

#[tokio::test]
async fn the_planner_proposes_a_rotation_that_serves_every_region() {
    let t = TestApp::new().await;
    let (fay, token) = three_regions(&t, "global").await;

    // Berlin and New York overlap in the afternoon; Sydney's day is the
    // European night: one slot cannot serve everyone, two can.
    let one = t.api(Method::GET, "/api/v1/communities/global/planner?slots=1", Some(&token), None).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let one = one.json();
    assert_eq!(one["max_slots"], 1);
    assert_eq!(one["members"], 4);
    assert_eq!(one["rotation"]["slots"].as_array().unwrap().len(), 1);
    assert_eq!(one["rotation"]["worst_region_share"], 0.0);
    assert_eq!(one["rotation"]["coverage"], 0.75);

    let two = t.api(Method::GET, "/api/v1/communities/global/planner", Some(&token), None).await.json();
    assert_eq!(two["max_slots"], 2, "two slots by default");
    assert_eq!(two["rotation"]["slots"].as_array().unwrap().len(), 2);
    assert_eq!(two["rotation"]["coverage"], 1.0);
    assert_eq!(two["rotation"]["worst_region_share"], 1.0);
    let regions = &two["rotation"]["regions"];
    assert_eq!(regions.as_array().unwrap().len(), 3);
    assert_eq!(region(regions, "Europe & Africa")["members"], 2);
    assert_eq!(region(regions, "Americas")["served"], 1);
    assert_eq!(region(regions, "Asia-Pacific")["share"], 1.0);
    let candidates = two["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 4 * 48, "Monday to Thursday in 30-minute steps");
    assert!(candidates.iter().any(|c| c["convenient"] == 3), "an afternoon slot suits Berlin and New York");
    let label = two["rotation"]["slots"][0]["label"].as_str().unwrap().to_string();
    assert!(label.ends_with(" UTC"), "{label}");

    let page = t.get("/communities/global/planner", Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in
        ["Proposed rotation", "Europe &#38; Africa", "Americas", "Asia-Pacific", "Your time:", "Candidate times"]
    {
        assert!(page.body.contains(text), "{text} missing");
    }
    assert!(page.body.contains(&label), "the proposed slot in UTC");
    assert!(page.body.contains("CET") || page.body.contains("CEST"), "and in fay's own zone");
    assert!(page.body.contains("<table class=\"heatmap\">"));
    assert!(page.body.contains("<td class=\"heat heat-4\">75%</td>"), "Berlin and New York overlap");
    assert!(page.body.contains("No sessions in the last or next 90 days"));
    // Linked from the events page.
    let events = t.get("/communities/global/events", Some(&fay)).await;
    assert!(events.body.contains("/communities/global/planner") && events.body.contains("/communities/global/rota"));
}

#[tokio::test]
async fn a_schedule_always_at_seven_in_berlin_is_called_out_for_far_regions() {
    let t = TestApp::new().await;
    let fay = t.person("fay", false).await;
    let session = t.sign_in("fay").await;
    t.community(&session, "early", "open").await;
    set_zone(&t, fay, "fay", "Europe/Berlin", ("07:00", "15:00"), "").await;
    // Auckland, not Sydney: 07:00 in Berlin is 17:00 to 19:00 in Auckland
    // all year, while in Sydney it is 15:00 in the northern summer.
    for (handle, zone) in [("bob", "America/New_York"), ("cy", "Pacific/Auckland"), ("dee", "Europe/Berlin")] {
        let id = t.person(handle, false).await;
        set_zone(&t, id, handle, zone, if handle == "dee" { ("07:00", "15:00") } else { ("09:00", "17:00") }, "").await;
        t.add_member("early", id, MembershipRole::Member, MembershipStatus::Active).await;
    }
    let token = t.token("fay").await;
    // Eight weekly sessions at 07:00 Berlin time, all in the past.
    schedule(&t, &token, "early", weekly("Early stand-up", -57, "07:00", 8)).await;

    let planner = t.api(Method::GET, "/api/v1/communities/early/planner", Some(&token), None).await;
    assert_eq!(planner.status, StatusCode::OK, "{}", planner.body);
    let schedule = &planner.json()["schedule"];
    assert_eq!((schedule["past_sessions"].as_u64(), schedule["upcoming_sessions"].as_u64()), (Some(8), Some(0)));
    let regions = &schedule["regions"];
    assert!(region(regions, "Asia-Pacific")["inconvenient_share"].as_f64().unwrap() >= 0.75);
    assert!(region(regions, "Americas")["inconvenient_share"].as_f64().unwrap() >= 0.75);
    assert_eq!(region(regions, "Americas")["always_inconvenient"], 1);
    assert_eq!(region(regions, "Europe & Africa")["inconvenient_share"], 0.0);
    assert_eq!(region(regions, "Europe & Africa")["typical_local_start"], "07:00");
    let headlines: Vec<String> =
        schedule["headlines"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect();
    assert_eq!(headlines.len(), 2, "{headlines:?}");
    let apac = headlines.iter().find(|h| h.contains("for Asia-Pacific members")).expect("an Asia-Pacific headline");
    assert!(apac.starts_with("The last 8 sessions were"), "{apac}");
    assert!(headlines.iter().any(|h| h.contains("for Americas members")));

    let page = t.get("/communities/early/planner", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<p class=\"headline\">The last 8 sessions were"), "the headline is shown");
    assert!(page.body.contains("for Asia-Pacific members"));
    assert!(page.body.contains("Sessions outside working hours, by region"));
}

#[tokio::test]
async fn outsiders_get_not_found_for_a_private_communitys_planner_and_rota() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let eve = t.sign_in("eve").await;
    let eve_token = t.token("eve").await;
    for path in ["/communities/secret/planner", "/communities/secret/rota", "/communities/nowhere/planner"] {
        assert_eq!(t.get(path, Some(&eve)).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in ["/api/v1/communities/secret/planner", "/api/v1/communities/secret/rota"] {
        let response = t.api(Method::GET, path, Some(&eve_token), None).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.json()["code"], "not_found");
    }
    for path in ["/communities/secret/rota/volunteer", "/communities/secret/rota/withdraw"] {
        assert_eq!(t.post_form(path, Some(&eve), &[]).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let assign = t
        .post_form("/communities/secret/rota/assign", Some(&eve), &[("event", "1"), ("key", "x"), ("handle", "eve")])
        .await;
    assert_eq!(assign.status, StatusCode::NOT_FOUND);
    // Members see them; signed-out visitors sign in first.
    assert_eq!(t.get("/communities/secret/planner", Some(&fay)).await.status, StatusCode::OK);
    assert_eq!(t.get("/communities/secret/rota", Some(&fay)).await.status, StatusCode::OK);
    assert_eq!(t.get("/communities/secret/planner", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.api(Method::GET, "/api/v1/communities/secret/rota", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn members_volunteer_and_withdraw() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.add_member("rust", bob, MembershipRole::Member, MembershipStatus::Active).await;
    let bob_session = t.sign_in("bob").await;
    let bob_token = t.token("bob").await;

    let page = t.get("/communities/rust/rota", Some(&bob_session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Volunteer to facilitate") && page.body.contains("Nobody has volunteered yet."));

    for _ in 0..2 {
        let joined = t.post_form("/communities/rust/rota/volunteer", Some(&bob_session), &[]).await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "volunteering twice is harmless");
        assert_eq!(joined.location(), "/communities/rust/rota?notice=volunteered");
    }
    let page = t.get("/communities/rust/rota?notice=volunteered", Some(&bob_session)).await;
    assert!(page.body.contains("You are on the rota."));
    assert!(page.body.contains("Withdraw from the rota") && page.body.contains("Bob Tester"));
    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&bob_token), None).await.json();
    assert_eq!(rota["is_volunteer"], true);
    assert_eq!(rota["volunteers"].as_array().unwrap().len(), 1);
    assert_eq!(rota["volunteers"][0]["person"]["handle"], "bob");
    assert_eq!(rota["volunteers"][0]["last_facilitated"], Value::Null);

    let left = t.post_form("/communities/rust/rota/withdraw", Some(&bob_session), &[]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(left.location(), "/communities/rust/rota?notice=withdrawn");
    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&bob_token), None).await.json();
    assert_eq!(rota["is_volunteer"], false);
    assert!(rota["volunteers"].as_array().unwrap().is_empty());

    // Someone who has not joined may look but not volunteer.
    let eve = t.sign_in("eve").await;
    let page = t.get("/communities/rust/rota", Some(&eve)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Volunteer to facilitate"));
    assert_eq!(t.post_form("/communities/rust/rota/volunteer", Some(&eve), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.post_form("/communities/rust/rota/withdraw", Some(&eve), &[]).await.status, StatusCode::FORBIDDEN);
    // The CSRF check covers these forms.
    let forged = t.post_raw("/communities/rust/rota/volunteer", Some(&bob_session), "").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn volunteers_are_proposed_in_turn_and_only_facilitators_confirm() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    let cy = t.person("cy", false).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.community(&fay, "other", "open").await;
    for person in [bob, cy] {
        t.add_member("rust", person, MembershipRole::Member, MembershipStatus::Active).await;
    }
    let token = t.token("fay").await;
    let event = schedule(&t, &token, "rust", weekly("Rust clinic", 7, "18:00", 10)).await;
    let other_event = schedule(&t, &token, "other", weekly("Other clinic", 7, "18:00", 3)).await;
    let bob_session = t.sign_in("bob").await;
    let cy_session = t.sign_in("cy").await;
    t.post_form("/communities/rust/rota/volunteer", Some(&bob_session), &[]).await;
    t.post_form("/communities/rust/rota/volunteer", Some(&cy_session), &[]).await;

    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&token), None).await.json();
    let upcoming = rota["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 8, "the next eight sessions");
    let proposed: Vec<&str> = upcoming.iter().map(|o| o["proposed"]["handle"].as_str().unwrap()).collect();
    assert_eq!(proposed, ["bob", "cy", "bob", "cy", "bob", "cy", "bob", "cy"]);
    let first_key = upcoming[0]["key"].as_str().unwrap().to_string();
    assert_eq!(upcoming[0]["event_id"], event);

    // A member who is not a facilitator may not confirm.
    let refused = assign(&t, &bob_session, event, &first_key, "bob").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The facilitator confirms cy for the first session, out of turn.
    let confirmed = assign(&t, &fay, event, &first_key, "cy").await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    assert_eq!(confirmed.location(), "/communities/rust/rota?notice=assigned");
    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&token), None).await.json();
    let upcoming = rota["upcoming"].as_array().unwrap();
    assert_eq!(upcoming[0]["confirmed"]["handle"], "cy");
    assert_eq!(upcoming[0]["proposed"], Value::Null);
    let proposed: Vec<&str> = upcoming[1..].iter().map(|o| o["proposed"]["handle"].as_str().unwrap()).collect();
    assert_eq!(proposed, ["bob", "cy", "bob", "cy", "bob", "cy", "bob"], "the confirmed turn counts");
    let page = t.get("/communities/rust/rota?notice=assigned", Some(&fay)).await;
    assert!(page.body.contains("Confirmed") && page.body.contains("Facilitator confirmed."));
    assert!(page.body.contains("name=\"handle\""), "facilitators get the confirm forms");
    assert!(!t.get("/communities/rust/rota", Some(&bob_session)).await.body.contains("name=\"handle\""));

    // The activity record follows the confirmed person.
    let community =
        CommunityId(t.db.store.find_community_for_viewer("rust", None).await.unwrap().unwrap().community.id);
    let counts = |rows: Vec<copse_store::ContributionCountRow>| {
        let mut list: Vec<(i64, i64)> = rows.into_iter().map(|r| (r.person_id, r.count)).collect();
        list.sort();
        list
    };
    let before = counts(t.db.store.count_contributions_by_person(community, Timestamp(0)).await.unwrap());
    assert_eq!(before, [(cy.0, 1)]);
    assert_eq!(assign(&t, &fay, event, &first_key, "bob").await.status, StatusCode::SEE_OTHER);
    let after = counts(t.db.store.count_contributions_by_person(community, Timestamp(0)).await.unwrap());
    assert_eq!(after, [(bob.0, 1)], "reassigning moves the record, never duplicates it");

    // Bad input: not a member, unknown handle, another community's session.
    let not_member = assign(&t, &fay, event, &first_key, "eve").await;
    assert_eq!(not_member.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_member.body.contains("not an active member"), "{}", not_member.body);
    assert_eq!(assign(&t, &fay, event, &first_key, "nobody").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(assign(&t, &fay, other_event, &first_key, "bob").await.status, StatusCode::NOT_FOUND);
    assert_eq!(assign(&t, &fay, event, "2001-01-01T18:00", "bob").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_slots_value_is_refused_with_422() {
    let t = TestApp::new().await;
    let (fay, token) = three_regions(&t, "global").await;
    for bad in ["9", "0", "two"] {
        let api =
            t.api(Method::GET, &format!("/api/v1/communities/global/planner?slots={bad}"), Some(&token), None).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(api.json()["errors"][0]["field"], "slots");
        let page = t.get(&format!("/communities/global/planner?slots={bad}"), Some(&fay)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.body.contains("a whole number from 1 to 4"), "the problem is named");
        assert!(page.body.contains("Showing 2 slots."), "and the default is shown instead");
        assert!(page.body.contains("aria-invalid=\"true\""));
        assert!(page.body.contains("<title>Error: Meeting planner"));
    }
    let three = t.get("/communities/global/planner?slots=3", Some(&fay)).await;
    assert_eq!(three.status, StatusCode::OK);
    assert!(three.body.contains("<option value=\"3\" selected>3</option>"));
}

#[tokio::test]
async fn a_confirmed_facilitation_appears_in_the_twelve_month_table() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.add_member("rust", bob, MembershipRole::Member, MembershipStatus::Active).await;
    let token = t.token("fay").await;
    // Weekly from 22 days ago: four sessions are over.
    let event = schedule(&t, &token, "rust", weekly("Rust clinic", -22, "18:00", 6)).await;
    let bob_session = t.sign_in("bob").await;
    t.post_form("/communities/rust/rota/volunteer", Some(&bob_session), &[]).await;

    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&token), None).await.json();
    assert_eq!(rota["last_12_months"]["total"], 0);
    let recent = rota["recent"].as_array().unwrap();
    assert_eq!(recent.len(), 4, "the sessions that are over, latest first");
    let key = recent[1]["key"].as_str().unwrap().to_string();
    let page = t.get("/communities/rust/rota", Some(&fay)).await;
    assert!(page.body.contains("No facilitations recorded since"));

    let recorded = assign(&t, &fay, event, &key, "bob").await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);

    let rota = t.api(Method::GET, "/api/v1/communities/rust/rota", Some(&token), None).await.json();
    let year = &rota["last_12_months"];
    assert_eq!((year["total"].as_u64(), year["distinct"].as_u64()), (Some(1), Some(1)));
    assert_eq!(year["top_share"], 1.0);
    assert_eq!(year["counts"][0]["person"]["handle"], "bob");
    assert_eq!(year["counts"][0]["count"], 1);
    assert_eq!(rota["recent"][1]["confirmed"]["handle"], "bob");
    assert_eq!(rota["volunteers"][0]["count_12_months"], 1);
    assert!(rota["volunteers"][0]["last_facilitated"].is_string());

    let page = t.get("/communities/rust/rota", Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 session facilitated by 1 person"), "{}", page.body);
    let table = page.body.split("Facilitations per person in the last 12 months").nth(1).expect("the table");
    assert!(table.contains("Bob Tester") && table.contains("100%"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_planner_and_the_rota() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await.json();
    for path in ["/communities/{slug}/planner", "/communities/{slug}/rota"] {
        assert!(doc["paths"][path]["get"].is_object(), "OpenAPI lacks {path}");
    }
    for schema in ["PlannerOut", "RotaOut"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "OpenAPI lacks {schema}");
    }
    let slots = &doc["paths"]["/communities/{slug}/planner"]["get"]["parameters"];
    assert!(slots.as_array().unwrap().iter().any(|p| p["name"] == "slots"));
}
