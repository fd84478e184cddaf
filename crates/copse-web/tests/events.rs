//! Events over HTTP: scheduling, occurrences across daylight-saving changes,
//! RSVP with a waitlist and promotion, cancelling one occurrence, privacy,
//! and bad input.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus};
use serde_json::{Value, json};

async fn setup() -> (TestApp, String, String) {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    let token = t.token("fay").await;
    (t, "rust".into(), token)
}

fn weekly(capacity: Option<u32>) -> Value {
    json!({
        "title": "Rust clinic", "kind": "troubleshooting", "format": "remote", "link": "https://meet.example.com/rust",
        "date": "2030-03-07", "time": "18:00", "duration_minutes": 60, "time_zone": "Europe/Berlin",
        "capacity": capacity, "rrule": "FREQ=WEEKLY;BYDAY=TH;COUNT=6"
    })
}

#[tokio::test]
async fn weekly_sessions_keep_their_wall_clock_time_across_daylight_saving() {
    let (t, slug, token) = setup().await;
    let created =
        t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(&token), Some(weekly(None))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/communities/{slug}/events?from=2030-03-01T00:00:00Z&to=2030-05-01T00:00:00Z"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let starts: Vec<String> =
        list.json().as_array().unwrap().iter().map(|o| o["start"].as_str().unwrap().to_string()).collect();
    // Berlin switches to summer time on 31 March 2030: 18:00 local is 17:00 UTC before, 16:00 UTC after.
    assert_eq!(
        starts,
        vec![
            "2030-03-07T17:00:00Z",
            "2030-03-14T17:00:00Z",
            "2030-03-21T17:00:00Z",
            "2030-03-28T17:00:00Z",
            "2030-04-04T16:00:00Z",
            "2030-04-11T16:00:00Z"
        ]
    );
    let first = &list.json()[0];
    assert_eq!(first["key"], "2030-03-07T18:00");
    assert_eq!(first["time_zone"], "Europe/Berlin");
}

#[tokio::test]
async fn a_full_session_waitlists_and_a_freed_seat_promotes_and_notifies() {
    let (t, slug, fay_token) = setup().await;
    let created = t
        .api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(&fay_token), Some(weekly(Some(1))))
        .await
        .json();
    let id = created["event_id"].as_i64().unwrap();
    let bob = t.person("bob", false).await;
    let cy = t.person("cy", false).await;
    t.add_member(&slug, bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member(&slug, cy, MembershipRole::Member, MembershipStatus::Active).await;
    let bob_token = t.token("bob").await;
    let cy_token = t.token("cy").await;
    let rsvp = |token: &str, answer: &str| {
        let token = token.to_string();
        let body = json!({"answer": answer});
        let t = &t;
        async move {
            t.api(
                Method::POST,
                &format!("/api/v1/events/{id}/occurrences/2030-03-14T18:00/rsvp"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(rsvp(&bob_token, "going").await.json()["status"], "going");
    assert_eq!(rsvp(&cy_token, "going").await.json()["status"], "waitlisted");
    let occurrence = t
        .api(Method::GET, &format!("/api/v1/events/{id}/occurrences/2030-03-14T18:00"), Some(&cy_token), None)
        .await
        .json();
    assert_eq!((occurrence["going"].as_i64(), occurrence["waitlisted"].as_i64()), (Some(1), Some(1)));
    assert_eq!(occurrence["my_answer"], "waitlisted");
    // Another week is independent.
    assert_eq!(
        t.api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2030-03-21T18:00/rsvp"),
            Some(&cy_token),
            Some(json!({"answer": "going"}))
        )
        .await
        .json()["status"],
        "going"
    );

    assert_eq!(rsvp(&bob_token, "not-going").await.json()["status"], "not-going");
    let occurrence = t
        .api(Method::GET, &format!("/api/v1/events/{id}/occurrences/2030-03-14T18:00"), Some(&cy_token), None)
        .await
        .json();
    assert_eq!(occurrence["my_answer"], "going", "promoted from the waitlist");
    let notes = t.api(Method::GET, "/api/v1/me/notifications", Some(&cy_token), None).await.json();
    assert!(notes[0]["message"].as_str().unwrap().contains("A seat came free"), "{notes}");
    assert_eq!(notes[0]["link"], format!("/events/{id}/2030-03-14T18:00"));

    // The page shows it too, and the home page tells cy once.
    let cy_session = t.sign_in("cy").await;
    let page = t.get(&format!("/events/{id}/2030-03-14T18:00"), Some(&cy_session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("You&#39;re going") || page.body.contains("You're going"), "{}", page.body);
    let home = t.get("/", Some(&cy_session)).await;
    assert!(home.body.contains("A seat came free"));
}

#[tokio::test]
async fn rsvps_through_the_page_and_cancelled_sessions_refuse_answers() {
    let (t, slug, fay_token) = setup().await;
    let id = t
        .api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(&fay_token), Some(weekly(None)))
        .await
        .json()["event_id"]
        .as_i64()
        .unwrap();
    let fay = t.sign_in("fay").await;
    let answered =
        t.post_form(&format!("/events/{id}/2030-03-07T18:00/rsvp"), Some(&fay), &[("answer", "going")]).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    assert_eq!(answered.location(), format!("/events/{id}/2030-03-07T18:00?notice=going"));
    let cancelled = t.post_form(&format!("/events/{id}/2030-03-14T18:00/cancel"), Some(&fay), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let refused = t.post_form(&format!("/events/{id}/2030-03-14T18:00/rsvp"), Some(&fay), &[("answer", "going")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/communities/{slug}/events?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z"),
            Some(&fay_token),
            None,
        )
        .await
        .json();
    let cancelled_flags: Vec<bool> =
        list.as_array().unwrap().iter().map(|o| o["cancelled"].as_bool().unwrap()).collect();
    assert_eq!(cancelled_flags, vec![false, true, false, false], "only that week is cancelled");
    let events_page = t.get(&format!("/communities/{slug}/events?month=2030-03"), Some(&fay)).await;
    assert_eq!(events_page.status, StatusCode::OK);
    assert!(events_page.body.contains("March 2030") && events_page.body.contains("Rust clinic"));
    let unknown = t.post_form(&format!("/events/{id}/2030-03-15T18:00/rsvp"), Some(&fay), &[("answer", "going")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "not an occurrence of the series");
}

#[tokio::test]
async fn only_members_answer_and_private_events_stay_private() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "open-one", "open").await;
    t.community(&fay, "secret", "private").await;
    let fay_token = t.token("fay").await;
    let eve_token = t.token("eve").await;
    let open_id = t
        .api(Method::POST, "/api/v1/communities/open-one/events", Some(&fay_token), Some(weekly(None)))
        .await
        .json()["event_id"]
        .as_i64()
        .unwrap();
    let secret_id = t
        .api(Method::POST, "/api/v1/communities/secret/events", Some(&fay_token), Some(weekly(None)))
        .await
        .json()["event_id"]
        .as_i64()
        .unwrap();
    let answer = json!({"answer": "going"});
    let outsider = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{open_id}/occurrences/2030-03-07T18:00/rsvp"),
            Some(&eve_token),
            Some(answer.clone()),
        )
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN, "join first");
    let hidden = t
        .api(Method::GET, &format!("/api/v1/events/{secret_id}/occurrences/2030-03-07T18:00"), Some(&eve_token), None)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let hidden = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{secret_id}/occurrences/2030-03-07T18:00/rsvp"),
            Some(&eve_token),
            Some(answer),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.api(Method::GET, "/api/v1/communities/secret/events", Some(&eve_token), None).await.status,
        StatusCode::NOT_FOUND
    );
    let eve = t.sign_in("eve").await;
    assert_eq!(t.get(&format!("/events/{secret_id}/2030-03-07T18:00"), Some(&eve)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/communities/secret/events", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    let members_only =
        t.api(Method::POST, "/api/v1/communities/open-one/events", Some(&eve_token), Some(weekly(None))).await;
    assert_eq!(members_only.status, StatusCode::FORBIDDEN, "only facilitators schedule");
}

#[tokio::test]
async fn bad_schedules_are_refused_and_nothing_is_stored() {
    let (t, slug, token) = setup().await;
    let path = format!("/api/v1/communities/{slug}/events");
    let mut secondly = weekly(None);
    secondly["rrule"] = json!("FREQ=SECONDLY");
    let mut huge = weekly(None);
    huge["rrule"] = json!("FREQ=DAILY;COUNT=100000");
    let mut zone = weekly(None);
    zone["time_zone"] = json!("Mars/Olympus");
    let mut zero = weekly(None);
    zero["duration_minutes"] = json!(0);
    let mut until_before = weekly(None);
    until_before["rrule"] = json!("FREQ=WEEKLY;UNTIL=20200101T000000Z");
    for (body, field) in [
        (secondly, "recurrence"),
        (huge, "recurrence"),
        (zone, "time_zone"),
        (zero, "duration_minutes"),
        (until_before, "recurrence"),
    ] {
        let refused = t.api(Method::POST, &path, Some(&token), Some(body)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let fields: Vec<String> = refused.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        assert!(fields.contains(&field.to_string()), "{field} not in {fields:?}");
    }
    let list = t
        .api(Method::GET, &format!("{path}?from=2020-01-01T00:00:00Z&to=2020-12-31T00:00:00Z"), Some(&token), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let bad_window = t.api(Method::GET, &format!("{path}?from=yesterday"), Some(&token), None).await;
    assert_eq!(bad_window.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fay = t.sign_in("fay").await;
    let form = t
        .post_form(
            &format!("/communities/{slug}/events/new"),
            Some(&fay),
            &[
                ("title", "x"),
                ("kind", "meetup"),
                ("format", "remote"),
                ("date", "2030-03-07"),
                ("time", "25:00"),
                ("duration_minutes", "60"),
                ("time_zone", "UTC"),
                ("link", "https://x.example"),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("id=\"time-error\"") && form.body.contains("value=\"25:00\""));
    assert_eq!(t.api(Method::GET, "/api/v1/me/upcoming", Some(&token), None).await.json(), json!([]));
}

/// A one-off session in UTC starting at `start`.
fn one_off(start: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "title": "Live review", "kind": "code-review", "format": "remote", "link": "https://meet.example.com/live",
        "date": start.format("%Y-%m-%d").to_string(), "time": start.format("%H:%M").to_string(),
        "duration_minutes": 60, "time_zone": "UTC"
    })
}

#[tokio::test]
async fn attendance_feedback_and_notes_during_a_session() {
    let (t, slug, fay_token) = setup().await;
    let start = chrono::Utc::now() - chrono::Duration::minutes(10);
    let created = t
        .api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(&fay_token), Some(one_off(start)))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["event_id"].as_i64().unwrap();
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/communities/{slug}/events?from=2000-01-01T00:00:00Z&to=2000-12-01T00:00:00Z"),
            Some(&fay_token),
            None,
        )
        .await;
    assert_eq!(list.json(), json!([]));
    let key = start.format("%Y-%m-%dT%H:%M").to_string();
    let base = format!("/events/{id}/{key}");
    let bob = t.person("bob", false).await;
    t.add_member(&slug, bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    let bob_session = t.sign_in("bob").await;
    let eve = t.sign_in("eve").await;

    let page = t.get(&base, Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let code_start = page.body.find("Check-in code: <code class=\"token\">").expect("facilitators see the code") + 35;
    let code: String = page.body[code_start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    assert!(!t.get(&base, Some(&bob_session)).await.body.contains(&code), "members do not see the code");

    let wrong = t.post_form(&format!("{base}/checkin"), Some(&bob_session), &[("code", "NOPE00")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let right = t.post_form(&format!("{base}/checkin"), Some(&bob_session), &[("code", &code.to_lowercase())]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert!(t.get(&base, Some(&bob_session)).await.body.contains("You are checked in"));
    let outsider = t.post_form(&format!("{base}/checkin"), Some(&eve), &[("code", &code)]).await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    let by_facilitator = t.post_form(&format!("{base}/checkin"), Some(&fay), &[("handle", "fay")]).await;
    assert_eq!(by_facilitator.status, StatusCode::SEE_OTHER);
    let not_member = t.post_form(&format!("{base}/checkin"), Some(&fay), &[("handle", "eve")]).await;
    assert_eq!(not_member.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.post_form(&format!("{base}/checkin"), Some(&bob_session), &[("handle", "fay")]).await.status,
        StatusCode::FORBIDDEN
    );

    let bad = t.post_form(&format!("{base}/feedback"), Some(&bob_session), &[("rating", "9")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.post_form(&format!("{base}/feedback"), Some(&bob_session), &[("rating", "4"), ("comment", "Useful")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        t.post_form(&format!("{base}/feedback"), Some(&fay), &[("rating", "5")]).await.status,
        StatusCode::SEE_OTHER
    );
    let notes = t
        .post_form(
            &format!("{base}/notes"),
            Some(&fay),
            &[("notes", "We reviewed the parser."), ("recording_url", "https://video.example.com/1")],
        )
        .await;
    assert_eq!(notes.status, StatusCode::SEE_OTHER);
    let bad_link = t
        .post_form(&format!("{base}/notes"), Some(&fay), &[("notes", "x"), ("recording_url", "javascript:alert(1)")])
        .await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = t.get(&base, Some(&bob_session)).await;
    assert!(page.body.contains("4.5 out of 5 from 2 ratings"), "{}", page.body);
    assert!(page.body.contains("We reviewed the parser.") && page.body.contains("https://video.example.com/1"));
    assert!(page.body.contains("Useful"));
    // Attendance feeds the activity record.
    let activity =
        t.db.store
            .count_contributions_by_person(copse_domain::CommunityId(1), copse_domain::Timestamp(0))
            .await
            .unwrap();
    assert_eq!(activity.len(), 2, "fay and bob attended");
}

#[tokio::test]
async fn descriptions_render_markdown_and_hostile_markup_is_neutralized() {
    let (t, slug, token) = setup().await;
    let mut body = weekly(None);
    body["description"] = json!(
        "**Bring** a laptop.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(2)>"
    );
    let id = t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(&token), Some(body)).await.json()
        ["event_id"]
        .as_i64()
        .unwrap();
    let fay = t.sign_in("fay").await;
    let page = t.get(&format!("/events/{id}/2030-03-07T18:00"), Some(&fay)).await;
    assert!(page.body.contains("<strong>Bring</strong> a laptop."), "Markdown renders");
    let lower = page.body.to_lowercase();
    assert!(
        !lower.contains("<script>alert") && !lower.contains("javascript:") && !lower.contains("onerror"),
        "sanitized"
    );
    let stored = t.db.store.find_event(id).await.unwrap().unwrap();
    assert!(stored.description.contains("<script>alert(1)</script>"), "stored as written");
}

/// Creates the weekly series in `slug` and returns its id.
async fn create(t: &TestApp, slug: &str, token: &str, body: Value) -> i64 {
    let created = t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["event_id"].as_i64().unwrap()
}

async fn occurrences(t: &TestApp, slug: &str, token: &str, from: &str, to: &str) -> Vec<Value> {
    let list =
        t.api(Method::GET, &format!("/api/v1/communities/{slug}/events?from={from}&to={to}"), Some(token), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.json().as_array().unwrap().clone()
}

fn field_names(body: &Value) -> Vec<String> {
    body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn facilitators_edit_a_series_through_the_api_and_the_page() {
    let (t, slug, fay_token) = setup().await;
    let id = create(&t, &slug, &fay_token, weekly(None)).await;
    let mut changed = weekly(Some(10));
    changed["title"] = json!("Rust office hours");
    changed["time"] = json!("19:00");
    let put = t.api(Method::PUT, &format!("/api/v1/events/{id}"), Some(&fay_token), Some(changed)).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.json()["event_id"], id);
    let list = occurrences(&t, &slug, &fay_token, "2030-03-01T00:00:00Z", "2030-03-10T00:00:00Z").await;
    assert_eq!(list[0]["title"], "Rust office hours");
    assert_eq!(list[0]["start"], "2030-03-07T18:00:00Z");
    assert_eq!(list[0]["capacity"], 10);

    // The page is prefilled from what is stored.
    let fay = t.sign_in("fay").await;
    let form = t.get(&format!("/events/{id}/edit"), Some(&fay)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"Rust office hours\"") && form.body.contains("value=\"19:00\""));
    assert!(form.body.contains(&format!("action=\"/events/{id}/edit\"")) && form.body.contains("Save changes"));
    assert!(!form.body.contains("name=\"scope\""), "no scope choice without an occurrence");

    let fields = [
        ("title", "Rust evening"),
        ("kind", "meetup"),
        ("format", "remote"),
        ("link", "https://meet.example.com/rust"),
        ("date", "2030-03-07"),
        ("time", "18:30"),
        ("duration_minutes", "90"),
        ("time_zone", "Europe/Berlin"),
        ("capacity", ""),
        ("recurrence", "FREQ=WEEKLY;BYDAY=TH;COUNT=6"),
    ];
    let saved = t.post_form(&format!("/events/{id}/edit"), Some(&fay), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("/communities/{slug}/events?notice=event-saved"));
    let stored = t.db.store.find_event(id).await.unwrap().unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.start_local.as_str(), stored.capacity),
        ("Rust evening", "2030-03-07T18:30", None)
    );

    // Bad input re-renders the form with what was typed, and nothing changes.
    let mut bad = fields.to_vec();
    bad[0] = ("title", "Broken");
    bad[5] = ("time", "25:00");
    let refused = t.post_form(&format!("/events/{id}/edit"), Some(&fay), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"time-error\"") && refused.body.contains("value=\"25:00\""));
    assert!(refused.body.contains("value=\"Broken\""));
    let mut bad_api = weekly(None);
    bad_api["date"] = json!("7 March");
    let refused = t.api(Method::PUT, &format!("/api/v1/events/{id}"), Some(&fay_token), Some(bad_api)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_names(&refused.json()).contains(&"date".to_string()));
    assert_eq!(t.db.store.find_event(id).await.unwrap().unwrap().title, "Rust evening");
}

#[tokio::test]
async fn editing_is_for_facilitators_and_private_series_stay_hidden() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "open-one", "open").await;
    t.community(&fay, "secret", "private").await;
    let fay_token = t.token("fay").await;
    let open_id = create(&t, "open-one", &fay_token, weekly(None)).await;
    let secret_id = create(&t, "secret", &fay_token, weekly(None)).await;
    let bob = t.person("bob", false).await;
    t.add_member("open-one", bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.person("eve", false).await;
    let bob_token = t.token("bob").await;
    let eve_token = t.token("eve").await;
    let bob_session = t.sign_in("bob").await;
    let eve = t.sign_in("eve").await;

    let put = t.api(Method::PUT, &format!("/api/v1/events/{open_id}"), Some(&bob_token), Some(weekly(Some(3)))).await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get(&format!("/events/{open_id}/edit"), Some(&bob_session)).await.status, StatusCode::FORBIDDEN);
    let moved = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{open_id}/occurrences/2030-03-14T18:00/move"),
            Some(&bob_token),
            Some(json!({"date": "2030-03-15", "time": "18:00"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::FORBIDDEN);
    let moved = t
        .post_form(
            &format!("/events/{open_id}/2030-03-14T18:00/move"),
            Some(&bob_session),
            &[("date", "2030-03-15"), ("time", "18:00")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::FORBIDDEN);

    let put = t.api(Method::PUT, &format!("/api/v1/events/{secret_id}"), Some(&eve_token), Some(weekly(None))).await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&format!("/events/{secret_id}/edit"), Some(&eve)).await.status, StatusCode::NOT_FOUND);
    let series = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{secret_id}/rsvp"),
            Some(&eve_token),
            Some(json!({"answer": "going"})),
        )
        .await;
    assert_eq!(series.status, StatusCode::NOT_FOUND);
    let moved = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{secret_id}/occurrences/2030-03-14T18:00/move"),
            Some(&eve_token),
            Some(json!({"date": "2030-03-15", "time": "18:00"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NOT_FOUND);
    let series = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{open_id}/rsvp"),
            Some(&eve_token),
            Some(json!({"answer": "going"})),
        )
        .await;
    assert_eq!(series.status, StatusCode::FORBIDDEN, "join first");
    let stored = t.db.store.find_event(open_id).await.unwrap().unwrap();
    assert_eq!(stored.capacity, None, "nothing changed");
    assert!(t.db.store.list_event_exceptions(open_id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_capacity_below_those_already_going_is_refused_and_nothing_changes() {
    let (t, slug, fay_token) = setup().await;
    let id = create(&t, &slug, &fay_token, weekly(Some(5))).await;
    for handle in ["bob", "cy", "dee"] {
        let person = t.person(handle, false).await;
        t.add_member(&slug, person, MembershipRole::Member, MembershipStatus::Active).await;
        let token = t.token(handle).await;
        let answered = t
            .api(
                Method::POST,
                &format!("/api/v1/events/{id}/occurrences/2030-03-21T18:00/rsvp"),
                Some(&token),
                Some(json!({"answer": "going"})),
            )
            .await;
        assert_eq!(answered.json()["status"], "going");
    }
    let mut lower = weekly(Some(2));
    lower["title"] = json!("Renamed");
    let refused = t.api(Method::PUT, &format!("/api/v1/events/{id}"), Some(&fay_token), Some(lower)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let body = refused.json();
    assert_eq!(body["code"], "conflict", "{body}");
    assert_eq!(body["errors"][0]["field"], "capacity");
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("3 people are already going to an upcoming session"),
        "{body}"
    );
    let stored = t.db.store.find_event(id).await.unwrap().unwrap();
    assert_eq!((stored.title.as_str(), stored.capacity), ("Rust clinic", Some(5)), "nothing changed");

    let fay = t.sign_in("fay").await;
    let form = t
        .post_form(
            &format!("/events/{id}/edit"),
            Some(&fay),
            &[
                ("title", "Renamed"),
                ("kind", "troubleshooting"),
                ("format", "remote"),
                ("link", "https://meet.example.com/rust"),
                ("date", "2030-03-07"),
                ("time", "18:00"),
                ("duration_minutes", "60"),
                ("time_zone", "Europe/Berlin"),
                ("capacity", "1"),
                ("recurrence", "FREQ=WEEKLY;BYDAY=TH;COUNT=6"),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::CONFLICT);
    assert!(form.body.contains("id=\"capacity-error\"") && form.body.contains("3 people are already going"));
    assert!(form.body.contains("value=\"Renamed\""), "values kept");
    assert_eq!(t.db.store.find_event(id).await.unwrap().unwrap().capacity, Some(5));
    // Exactly the number going is fine.
    let same = t.api(Method::PUT, &format!("/api/v1/events/{id}"), Some(&fay_token), Some(weekly(Some(3)))).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
}

#[tokio::test]
async fn one_moved_session_keeps_its_key_and_answers() {
    let (t, slug, fay_token) = setup().await;
    let id = create(&t, &slug, &fay_token, weekly(None)).await;
    let bob = t.person("bob", false).await;
    t.add_member(&slug, bob, MembershipRole::Member, MembershipStatus::Active).await;
    let bob_token = t.token("bob").await;
    t.api(
        Method::POST,
        &format!("/api/v1/events/{id}/occurrences/2030-03-14T18:00/rsvp"),
        Some(&bob_token),
        Some(json!({"answer": "going"})),
    )
    .await;
    let moved = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2030-03-14T18:00/move"),
            Some(&fay_token),
            Some(json!({"date": "2030-03-15", "time": "19:30", "duration_minutes": 90})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let moved = moved.json();
    assert_eq!(
        (moved["key"].as_str(), moved["start"].as_str()),
        (Some("2030-03-14T18:00"), Some("2030-03-15T18:30:00Z"))
    );
    assert_eq!(moved["end"], "2030-03-15T20:00:00Z");
    let list = occurrences(&t, &slug, &bob_token, "2030-03-01T00:00:00Z", "2030-03-25T00:00:00Z").await;
    let summary: Vec<(String, String, bool)> = list
        .iter()
        .map(|o| {
            (o["key"].as_str().unwrap().into(), o["start"].as_str().unwrap().into(), o["moved"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("2030-03-07T18:00".into(), "2030-03-07T17:00:00Z".into(), false),
            ("2030-03-14T18:00".into(), "2030-03-15T18:30:00Z".into(), true),
            ("2030-03-21T18:00".into(), "2030-03-21T17:00:00Z".into(), false),
        ]
    );
    assert_eq!(list[1]["my_answer"], "going", "answers stay with the session");
    assert_eq!(list[1]["going"], 1);

    // Through the page, and bad input.
    let fay = t.sign_in("fay").await;
    let page = t.get(&format!("/events/{id}/2030-03-21T18:00"), Some(&fay)).await;
    assert!(page.body.contains("Move this session") && page.body.contains("value=\"2030-03-21\""));
    let moved = t
        .post_form(
            &format!("/events/{id}/2030-03-21T18:00/move"),
            Some(&fay),
            &[("date", "2030-03-22"), ("time", "10:00")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location(), format!("/events/{id}/2030-03-21T18:00?notice=session-moved"));
    let page = t.get(moved.location(), Some(&fay)).await;
    assert!(page.body.contains("This session is moved") && page.body.contains("Moved"));
    let bad = t
        .post_form(
            &format!("/events/{id}/2030-03-28T18:00/move"),
            Some(&fay),
            &[("date", "next week"), ("time", "10:00")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2030-03-28T18:00/move"),
            Some(&fay_token),
            Some(json!({"date": "2030-03-29", "time": "7pm", "duration_minutes": 0})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = field_names(&bad.json());
    assert!(fields.contains(&"time".to_string()) && fields.contains(&"duration_minutes".to_string()), "{fields:?}");
    let unknown = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2030-03-29T18:00/move"),
            Some(&fay_token),
            Some(json!({"date": "2030-03-30", "time": "18:00"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(t.db.store.list_event_exceptions(id).await.unwrap().len(), 2, "only the two good moves are stored");
}

#[tokio::test]
async fn this_and_following_ends_the_series_and_continues_at_the_new_time_across_daylight_saving() {
    let (t, slug, fay_token) = setup().await;
    let id = create(&t, &slug, &fay_token, weekly(None)).await;
    let fay = t.sign_in("fay").await;
    let form = t.get(&format!("/events/{id}/edit?from=2030-04-04T18:00"), Some(&fay)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"scope\"") && form.body.contains("value=\"2030-04-04\""));
    let page = t.get(&format!("/events/{id}/2030-04-04T18:00"), Some(&fay)).await;
    assert!(page.body.contains(&format!("/events/{id}/edit?from=2030-04-04T18:00")));

    // After Berlin moves to summer time (31 March 2030), sessions go to 19:00 local.
    let saved = t
        .post_form(
            &format!("/events/{id}/edit"),
            Some(&fay),
            &[
                ("from", "2030-04-04T18:00"),
                ("scope", "following"),
                ("title", "Rust clinic (late)"),
                ("kind", "troubleshooting"),
                ("format", "remote"),
                ("link", "https://meet.example.com/rust"),
                ("date", "2030-04-04"),
                ("time", "19:00"),
                ("duration_minutes", "60"),
                ("time_zone", "Europe/Berlin"),
                ("recurrence", "FREQ=WEEKLY;BYDAY=TH;COUNT=3"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = occurrences(&t, &slug, &fay_token, "2030-03-01T00:00:00Z", "2030-06-01T00:00:00Z").await;
    let summary: Vec<(i64, String, String)> = list
        .iter()
        .map(|o| {
            (o["event_id"].as_i64().unwrap(), o["key"].as_str().unwrap().into(), o["start"].as_str().unwrap().into())
        })
        .collect();
    let new_id = summary.last().unwrap().0;
    assert_ne!(new_id, id, "a new series");
    assert_eq!(
        summary,
        vec![
            (id, "2030-03-07T18:00".into(), "2030-03-07T17:00:00Z".into()),
            (id, "2030-03-14T18:00".into(), "2030-03-14T17:00:00Z".into()),
            (id, "2030-03-21T18:00".into(), "2030-03-21T17:00:00Z".into()),
            (id, "2030-03-28T18:00".into(), "2030-03-28T17:00:00Z".into()),
            (new_id, "2030-04-04T19:00".into(), "2030-04-04T17:00:00Z".into()),
            (new_id, "2030-04-11T19:00".into(), "2030-04-11T17:00:00Z".into()),
            (new_id, "2030-04-18T19:00".into(), "2030-04-18T17:00:00Z".into()),
        ]
    );
    let old = t.db.store.find_event(id).await.unwrap().unwrap();
    assert!(old.rrule.as_deref().unwrap().contains("UNTIL=") && !old.rrule.as_deref().unwrap().contains("COUNT"));
    assert_eq!(old.title, "Rust clinic", "the old part keeps its details");
    assert!(old.ends_at.unwrap() < t.db.store.find_event(new_id).await.unwrap().unwrap().starts_at);

    // Through the API, splitting the new series again from its second session.
    let mut later = weekly(None);
    later["date"] = json!("2030-04-11");
    later["time"] = json!("20:00");
    later["rrule"] = json!("FREQ=WEEKLY;BYDAY=TH;COUNT=2");
    let split = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{new_id}/occurrences/2030-04-11T19:00/split"),
            Some(&fay_token),
            Some(later),
        )
        .await;
    assert_eq!(split.status, StatusCode::OK, "{}", split.body);
    let list = occurrences(&t, &slug, &fay_token, "2030-04-01T00:00:00Z", "2030-06-01T00:00:00Z").await;
    let starts: Vec<&str> = list.iter().map(|o| o["start"].as_str().unwrap()).collect();
    assert_eq!(starts, vec!["2030-04-04T17:00:00Z", "2030-04-11T18:00:00Z", "2030-04-18T18:00:00Z"]);
    // Bad input changes nothing.
    let mut bad = weekly(None);
    bad["time"] = json!("noon");
    let refused = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2030-03-21T18:00/split"),
            Some(&fay_token),
            Some(bad),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.db.store.find_event(id).await.unwrap().unwrap().rrule, old.rrule);
}

#[tokio::test]
async fn answering_for_the_whole_series_follows_each_sessions_capacity() {
    let (t, slug, fay_token) = setup().await;
    let start = chrono::Utc::now() + chrono::Duration::days(1);
    let mut body = one_off(start);
    body["capacity"] = json!(1);
    body["rrule"] = json!("FREQ=WEEKLY;COUNT=4");
    let id = create(&t, &slug, &fay_token, body).await;
    let second = (start + chrono::Duration::days(7)).format("%Y-%m-%dT%H:%M").to_string();
    let third = (start + chrono::Duration::days(14)).format("%Y-%m-%dT%H:%M").to_string();
    let bob = t.person("bob", false).await;
    t.add_member(&slug, bob, MembershipRole::Member, MembershipStatus::Active).await;
    let bob_token = t.token("bob").await;
    // Fay takes the only seat of the second session; the third is cancelled.
    t.api(
        Method::POST,
        &format!("/api/v1/events/{id}/occurrences/{second}/rsvp"),
        Some(&fay_token),
        Some(json!({"answer": "going"})),
    )
    .await;
    let cancelled =
        t.api(Method::POST, &format!("/api/v1/events/{id}/occurrences/{third}/cancel"), Some(&fay_token), None).await;
    assert_eq!(cancelled.status, StatusCode::NO_CONTENT);

    let series = t
        .api(Method::POST, &format!("/api/v1/events/{id}/rsvp"), Some(&bob_token), Some(json!({"answer": "going"})))
        .await;
    assert_eq!(series.status, StatusCode::OK, "{}", series.body);
    assert_eq!(series.json(), json!({"going": 2, "waitlisted": 1, "updated": 3}));
    let mine = t.api(Method::GET, &format!("/api/v1/events/{id}/occurrences/{second}"), Some(&bob_token), None).await;
    assert_eq!(mine.json()["my_answer"], "waitlisted");
    let bad = t
        .api(Method::POST, &format!("/api/v1/events/{id}/rsvp"), Some(&bob_token), Some(json!({"answer": "perhaps"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Through the page: "not going" for all frees bob's seats.
    let bob_session = t.sign_in("bob").await;
    let first = start.format("%Y-%m-%dT%H:%M").to_string();
    let page = t.get(&format!("/events/{id}/{first}"), Some(&bob_session)).await;
    assert!(page.body.contains("For all upcoming sessions"));
    let answered = t
        .post_form(
            &format!("/events/{id}/{first}/rsvp"),
            Some(&bob_session),
            &[("answer", "not-going"), ("series", "1")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    assert_eq!(answered.location(), format!("/events/{id}/{first}?notice=series&going=0&waitlisted=0&updated=3"));
    let page = t.get(answered.location(), Some(&bob_session)).await;
    assert!(page.body.contains("Answered for 3 upcoming sessions."), "{}", page.body);
    let going = t
        .post_form(&format!("/events/{id}/{first}/rsvp"), Some(&bob_session), &[("answer", "going"), ("series", "1")])
        .await;
    let page = t.get(going.location(), Some(&bob_session)).await;
    assert!(page.body.contains("going to 2, on the waitlist for 1"), "{}", page.body);
}
