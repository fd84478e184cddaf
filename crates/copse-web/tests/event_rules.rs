//! Rules about when an occurrence takes answers: a finished session refuses
//! RSVPs, and feedback waits until a session starts.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

#[tokio::test]
async fn finished_sessions_refuse_answers_and_future_ones_refuse_feedback() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    let token = t.token("fay").await;
    let past = json!({
        "title": "Old clinic", "kind": "meetup", "format": "remote", "link": "https://meet.example.com/x",
        "date": "2020-01-02", "time": "18:00", "duration_minutes": 60, "time_zone": "Europe/Berlin",
        "rrule": "FREQ=WEEKLY;BYDAY=TH;COUNT=3"
    });
    let id = t.api(Method::POST, "/api/v1/communities/rust/events", Some(&token), Some(past)).await.json()["event_id"]
        .as_i64()
        .unwrap();
    let answer = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2020-01-09T18:00/rsvp"),
            Some(&token),
            Some(json!({"answer": "going"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(answer.json()["detail"].as_str().unwrap().contains("over"), "{}", answer.body);
    let bad_answer = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{id}/occurrences/2020-01-09T18:00/rsvp"),
            Some(&token),
            Some(json!({"answer": "perhaps"})),
        )
        .await;
    assert_eq!(bad_answer.status, StatusCode::UNPROCESSABLE_ENTITY);

    let future = json!({
        "title": "Next clinic", "kind": "meetup", "format": "remote", "link": "https://meet.example.com/x",
        "date": "2031-01-02", "time": "18:00", "duration_minutes": 60, "time_zone": "Europe/Berlin"
    });
    let id =
        t.api(Method::POST, "/api/v1/communities/rust/events", Some(&token), Some(future)).await.json()["event_id"]
            .as_i64()
            .unwrap();
    let early = t.post_form(&format!("/events/{id}/2031-01-02T18:00/feedback"), Some(&fay), &[("rating", "5")]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let early_checkin =
        t.post_form(&format!("/events/{id}/2031-01-02T18:00/checkin"), Some(&fay), &[("handle", "fay")]).await;
    assert_eq!(early_checkin.status, StatusCode::CONFLICT, "check-in opens 30 minutes before");
    assert!(t.db.store.list_feedback(id, "2031-01-02T18:00").await.unwrap().is_empty());
}
