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
