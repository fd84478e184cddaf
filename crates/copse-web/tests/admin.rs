//! Administrator routes: creating accounts and organizational goals.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

#[tokio::test]
async fn administrators_create_accounts_and_taken_handles_conflict() {
    let t = TestApp::new().await;
    t.person("root", true).await;
    t.person("mia", false).await;
    let admin = t.token("root").await;
    let member = t.token("mia").await;
    let body = json!({"handle": "newbie", "name": "New Person", "email": "new@example.com", "password": PASSWORD});

    let refused = t.api(Method::POST, "/api/v1/people", Some(&member), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["code"], "forbidden");

    let created = t.api(Method::POST, "/api/v1/people", Some(&admin), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["handle"], "newbie");
    t.sign_in("newbie").await;

    let same_handle =
        json!({"handle": "newbie", "name": "Another", "email": "another@example.com", "password": PASSWORD});
    let taken = t.api(Method::POST, "/api/v1/people", Some(&admin), Some(same_handle)).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["errors"][0]["field"], "handle");

    let same_email =
        json!({"handle": "other", "name": "Other", "email": "new@example.com", "password": "long enough pw"});
    let taken = t.api(Method::POST, "/api/v1/people", Some(&admin), Some(same_email)).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["errors"][0]["field"], "email");

    let invalid = json!({"handle": "no spaces allowed", "name": "", "password": "short"});
    let invalid = t.api(Method::POST, "/api/v1/people", Some(&admin), Some(invalid)).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        invalid.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["handle", "name", "password"]);
    assert_eq!(t.db.store.count_people().await.unwrap(), 3, "nothing half-created");
}

#[tokio::test]
async fn organizational_goals_are_managed_by_administrators_and_linked_from_charters() {
    let t = TestApp::new().await;
    t.person("root", true).await;
    t.person("mia", false).await;
    let admin = t.token("root").await;
    let member = t.token("mia").await;
    let goal = json!({"title": "Improve reliability", "description": "Fewer incidents"});
    assert_eq!(
        t.api(Method::POST, "/api/v1/org-goals", Some(&member), Some(goal.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let created = t.api(Method::POST, "/api/v1/org-goals", Some(&admin), Some(goal.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(t.api(Method::POST, "/api/v1/org-goals", Some(&admin), Some(goal)).await.status, StatusCode::CONFLICT);
    let listed = t.api(Method::GET, "/api/v1/org-goals", Some(&member), None).await.json();
    assert_eq!(listed[0]["title"], "Improve reliability");

    let community = json!({
        "name": "SRE", "domain": "Reliability", "kind": "process-oriented", "visibility": "open",
        "goals": [{"text": "Halve pages", "org_goal_id": id}]
    });
    let made = t.api(Method::POST, "/api/v1/communities", Some(&member), Some(community)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.json()["goals"][0]["org_goal"], "Improve reliability");
    let dangling = json!({
        "name": "Other", "domain": "x", "kind": "process-oriented", "visibility": "open",
        "goals": [{"text": "Nope", "org_goal_id": 999}]
    });
    let refused = t.api(Method::POST, "/api/v1/communities", Some(&member), Some(dangling)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["field"], "goals");
}
