//! Pulse surveys and self-assessments over HTTP: a facilitator opens a
//! survey (one open at a time), active members answer once (409 the second
//! time; non-members refused; scale values outside 1-5 are field errors),
//! results show nothing but the count and rate below five responses and the
//! aggregates from five on, the same for members and admins, and no route
//! returns a single response. Self-assessments show a person's own change
//! per skill, and a community's "skills developed" only from five people.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus};
use serde_json::{Value, json};

/// fay facilitates the open community "rust" with members m1..m6; dan is
/// in no community; root is an admin; gus a guest member.
struct World {
    t: TestApp,
    fay: String,
    members: Vec<String>,
    dan: String,
    root: String,
    gus: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    t.person("dan", false).await;
    t.person("root", true).await;
    let gus = t.guest("gus").await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    let mut members = Vec::new();
    for n in 1..=6 {
        let handle = format!("m{n}");
        let id = t.person(&handle, false).await;
        t.add_member("rust", id, MembershipRole::Member, MembershipStatus::Active).await;
        members.push(t.token(&handle).await);
    }
    t.add_member("rust", gus, MembershipRole::Member, MembershipStatus::Active).await;
    World {
        fay: t.token("fay").await,
        dan: t.token("dan").await,
        root: t.token("root").await,
        gus: t.token("gus").await,
        members,
        t,
    }
}

async fn open(t: &TestApp, token: &str, body: Value) -> TestResponse {
    t.api(Method::POST, "/api/v1/communities/rust/surveys", Some(token), Some(body)).await
}

async fn answer(t: &TestApp, token: &str, survey: i64, answers: Value) -> TestResponse {
    t.api(
        Method::POST,
        &format!("/api/v1/surveys/{survey}/responses"),
        Some(token),
        Some(json!({ "answers": answers })),
    )
    .await
}

fn fields(response: &TestResponse) -> Vec<String> {
    response.json()["errors"]
        .as_array()
        .map(|e| e.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_facilitator_opens_a_survey_and_members_answer_it_once() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    let page = t.get("/communities/rust/surveys", Some(&fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Open a survey"), "facilitators get the form");
    let opened = t
        .post_form(
            "/communities/rust/surveys",
            Some(&fay),
            &[
                ("title", "November pulse"),
                ("question_1", "Did the clinic help you?"),
                ("kind_1", "scale"),
                ("question_2", "What should we try next?"),
                ("kind_2", "text"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    assert_eq!(opened.location(), "/communities/rust/surveys?notice=opened");

    let listed = t.api(Method::GET, "/api/v1/communities/rust/surveys", Some(&w.members[0]), None).await.json();
    let survey = listed["open"]["id"].as_i64().unwrap();
    assert_eq!(listed["open"]["audience"], 8, "fay, six members and gus were active when it opened");
    let questions = listed["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5, "the built-in three and two of fay's");
    assert_eq!(questions[0]["builtin"], "satisfaction");
    assert_eq!(questions[1]["prompt"], "How useful was this community to you this month?");
    assert_eq!(questions[2]["kind"], "text");
    assert_eq!(questions[3]["field"], "q4");
    assert!(listed["can_answer"].as_bool().unwrap());

    // A member answers through the form and is thanked with the count.
    let m1 = t.sign_in("m1").await;
    let form = t.get("/communities/rust/surveys", Some(&m1)).await;
    assert!(form.body.contains(&format!("action=\"/communities/rust/surveys/{survey}/answer\"")));
    assert!(!form.body.contains("Open a survey"), "members do not open surveys");
    let sent = t
        .post_form(
            &format!("/communities/rust/surveys/{survey}/answer"),
            Some(&m1),
            &[("q1", "4"), ("q2", "5"), ("q3", "More pairing please"), ("q4", ""), ("q5", "")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thanked = t.get(sent.location(), Some(&m1)).await;
    assert!(thanked.body.contains("Thank you for answering! 1 response so far"), "{}", thanked.body);
    assert!(thanked.body.contains("You answered this survey."));
    assert!(!thanked.body.contains("Send answers"), "no second form");

    let again = answer(t, &w.members[0], survey, json!({"q1": 3})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.json()["detail"].as_str().unwrap().contains("already answered"), "{}", again.body);
    let page_again =
        t.post_form(&format!("/communities/rust/surveys/{survey}/answer"), Some(&m1), &[("q1", "2")]).await;
    assert_eq!(page_again.status, StatusCode::CONFLICT);
    assert!(page_again.body.contains("already answered"));

    // One open survey per community.
    let second = open(t, &w.fay, json!({"title": "Another one"})).await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert_eq!(open(t, &w.members[1], json!({"title": "Mine"})).await.status, StatusCode::FORBIDDEN);

    // Closing: facilitators only; then nobody answers.
    let closing = t.api(Method::POST, &format!("/api/v1/surveys/{survey}/close"), Some(&w.members[1]), None).await;
    assert_eq!(closing.status, StatusCode::FORBIDDEN);
    let closed = t.post_form(&format!("/communities/rust/surveys/{survey}/close"), Some(&fay), &[]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let late = answer(t, &w.members[1], survey, json!({"q1": 3})).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let after = t.api(Method::GET, "/api/v1/communities/rust/surveys", Some(&w.fay), None).await.json();
    assert_eq!(after["open"], Value::Null);
    assert_eq!(after["past"][0]["responses"], 1);
    assert_eq!(after["past"][0]["response_rate_percent"], 13, "1 of 8");
    // Now another may open.
    assert_eq!(open(t, &w.fay, json!({"title": "December pulse"})).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn results_appear_only_from_five_responses_and_are_the_same_for_admins() {
    let w = world().await;
    let t = &w.t;
    let created =
        open(t, &w.fay, json!({"title": "Pulse", "questions": [{"kind": "scale", "prompt": "Pace of sessions?"}]}))
            .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let survey = created.json()["id"].as_i64().unwrap();
    let comments = ["zebra crossing talk", "Apples and oranges", "more katas", "", "better snacks"];
    for (i, token) in w.members.iter().take(4).enumerate() {
        let r = answer(t, token, survey, json!({"q1": (i % 5) + 1, "q2": 5, "q3": comments[i], "q4": 3})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["responses"], i as i64 + 1);
    }
    // Four: the count and the rate, nothing else, on the page and in the API.
    let m1 = t.sign_in("m1").await;
    let page = t.get(&format!("/communities/rust/surveys/{survey}"), Some(&m1)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Results are published when the survey closes, if at least 5 people have answered (4 so far)."),
        "{}",
        page.body
    );
    assert!(page.body.contains("4 of 8 members answered (50%)"), "{}", page.body);
    for hidden in ["Mean", "zebra", "Apples", "katas", "Pace of sessions?", "<progress"] {
        assert!(!page.body.contains(hidden), "{hidden} shown below the threshold");
    }
    let api = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.members[0]), None).await;
    assert_eq!(api.status, StatusCode::OK);
    let doc = api.json();
    assert_eq!(doc["results_shown"], false);
    assert_eq!(doc["survey"]["responses"], 4);
    assert!(doc.get("results").is_none());
    assert!(!api.body.contains("mean") && !api.body.contains("zebra") && !api.body.contains("counts"), "{}", api.body);
    assert!(doc["message"].as_str().unwrap().contains("(4 so far)"));

    // Five: counts per value, means, comments sorted by their text.
    let fifth = answer(t, &w.members[4], survey, json!({"q1": 5, "q3": comments[4]})).await;
    assert_eq!(fifth.status, StatusCode::CREATED);
    // Not while it is open: comparing results before and after one known
    // person answered would reveal that answer.
    let page = t.get(&format!("/communities/rust/surveys/{survey}"), Some(&m1)).await;
    assert!(page.body.contains("when the survey closes"), "{}", page.body);
    assert!(!page.body.contains("zebra") && !page.body.contains("Mean"));
    let api = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.members[0]), None).await.json();
    assert_eq!(api["results_shown"], false);
    let closed = t.api(Method::POST, &format!("/api/v1/surveys/{survey}/close"), Some(&w.fay), None).await;
    assert!(closed.status.is_success(), "{}", closed.body);
    let page = t.get(&format!("/communities/rust/surveys/{survey}"), Some(&m1)).await;
    assert!(!page.body.contains("when the survey closes") && !page.body.contains("Results appear when"));
    assert!(
        page.body.contains("Mean <strong>3.0</strong>") && page.body.contains("Mean <strong>5.0</strong>"),
        "{}",
        page.body
    );
    let order: Vec<usize> = ["Apples and oranges", "better snacks", "more katas", "zebra crossing talk"]
        .iter()
        .map(|c| page.body.find(c).unwrap())
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "comments sorted by text (Unicode order), not by time");
    let member_view = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.members[0]), None).await.json();
    assert_eq!(member_view["results_shown"], true);
    let scales = member_view["results"]["scales"].as_array().unwrap();
    assert_eq!(scales[0]["counts"], json!([1, 1, 1, 1, 1]));
    assert_eq!(scales[0]["mean"], 3.0);
    assert_eq!(scales[1]["counts"], json!([0, 0, 0, 0, 4]), "q2 skipped by the fifth");
    assert_eq!(scales[1]["answered"], 4);
    assert_eq!(scales[2]["question"]["prompt"], "Pace of sessions?");
    let comments = &member_view["results"]["comments"][0]["answers"];
    assert_eq!(comments, &json!(["Apples and oranges", "better snacks", "more katas", "zebra crossing talk"]));

    // Admins and facilitators read exactly the same aggregates.
    let admin_view = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.root), None).await.json();
    let fay_view = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.fay), None).await.json();
    assert_eq!(admin_view["results"], member_view["results"]);
    assert_eq!(fay_view["results"], member_view["results"]);
}

#[tokio::test]
async fn no_route_returns_individual_answers_not_even_to_admins() {
    let w = world().await;
    let t = &w.t;
    let survey = open(t, &w.fay, json!({"title": "Pulse"})).await.json()["id"].as_i64().unwrap();
    for token in w.members.iter().take(5) {
        assert_eq!(answer(t, token, survey, json!({"q1": 4, "q3": "fine"})).await.status, StatusCode::CREATED);
    }
    for path in [
        format!("/api/v1/surveys/{survey}/responses"),
        format!("/api/v1/surveys/{survey}/responses/1"),
        format!("/api/v1/surveys/{survey}/answers"),
        format!("/api/v1/surveys/{survey}/respondents"),
    ] {
        let response = t.api(Method::GET, &path, Some(&w.root), None).await;
        assert!(
            response.status == StatusCode::NOT_FOUND || response.status == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {}",
            response.status
        );
    }
    let root = t.sign_in("root").await;
    for path in [
        format!("/communities/rust/surveys/{survey}/responses"),
        format!("/communities/rust/surveys/{survey}/answer"),
        format!("/communities/rust/surveys/{survey}/respondents"),
    ] {
        let response = t.get(&path, Some(&root)).await;
        assert!(
            response.status == StatusCode::NOT_FOUND || response.status == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {}",
            response.status
        );
    }
    // The results name nobody: no handle of a respondent appears.
    let page = t.get(&format!("/communities/rust/surveys/{survey}"), Some(&root)).await;
    for handle in ["m1", "m2", "m3", "m4", "m5"] {
        assert!(!page.body.contains(&format!("/people/{handle}\"")), "{handle} named on the results");
    }
    let api = t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.root), None).await;
    assert!(!api.body.contains("token") && !api.body.contains("\"m1\""), "{}", api.body);
    // The OpenAPI document lists no GET of responses.
    let doc = t.api(Method::GET, "/api/openapi.json", None, None).await.json();
    let responses = &doc["paths"]["/surveys/{id}/responses"];
    assert!(responses.get("post").is_some() && responses.get("get").is_none());
    assert!(doc["paths"].get("/communities/{slug}/surveys").is_some());
}

#[tokio::test]
async fn only_active_members_answer_and_read_results() {
    let w = world().await;
    let t = &w.t;
    let survey = open(t, &w.fay, json!({"title": "Pulse"})).await.json()["id"].as_i64().unwrap();
    let outsider = answer(t, &w.dan, survey, json!({"q1": 4})).await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN, "{}", outsider.body);
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/surveys/{survey}"), Some(&w.dan), None).await.status,
        StatusCode::FORBIDDEN
    );
    let dan = t.sign_in("dan").await;
    let page = t.get("/communities/rust/surveys", Some(&dan)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Send answers"), "no answer form for outsiders");
    let posted = t.post_form(&format!("/communities/rust/surveys/{survey}/answer"), Some(&dan), &[("q1", "4")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    // A guest member answers like any member.
    assert_eq!(answer(t, &w.gus, survey, json!({"q1": 4})).await.status, StatusCode::CREATED);

    // A private community's survey does not exist for outsiders.
    let fay = t.sign_in("fay").await;
    t.community(&fay, "sec", "private").await;
    let private = t
        .api(Method::POST, "/api/v1/communities/sec/surveys", Some(&w.fay), Some(json!({"title": "Secret pulse"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(answer(t, &w.dan, private, json!({"q1": 4})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/surveys/{private}"), Some(&w.dan), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.get("/communities/sec/surveys", Some(&dan)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get(&format!("/communities/rust/surveys/{private}"), Some(&fay)).await.status,
        StatusCode::NOT_FOUND,
        "wrong community"
    );
}

#[tokio::test]
async fn bad_answers_are_field_errors_and_nothing_is_stored() {
    let w = world().await;
    let t = &w.t;
    let survey = open(t, &w.fay, json!({"title": "Pulse"})).await.json()["id"].as_i64().unwrap();
    for bad in [json!({"q1": 6}), json!({"q1": 0}), json!({"q1": "lots"}), json!({"q2": -1})] {
        let r = answer(t, &w.members[0], survey, bad.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.body);
        assert!(!fields(&r).is_empty());
    }
    let r = answer(t, &w.members[0], survey, json!({"q1": 9, "q3": "ok"})).await;
    assert_eq!(fields(&r), vec!["q1"]);
    let nothing = answer(t, &w.members[0], survey, json!({})).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&nothing), vec!["answers"]);
    let long = answer(t, &w.members[0], survey, json!({"q3": "x".repeat(2001)})).await;
    assert_eq!(fields(&long), vec!["q3"]);
    // The form re-renders with the message next to the question.
    let m1 = t.sign_in("m1").await;
    let page = t
        .post_form(&format!("/communities/rust/surveys/{survey}/answer"), Some(&m1), &[("q1", "7"), ("q3", "kept")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"q1-error\"") && page.body.contains("not a whole number from 1 to 5"));
    assert!(page.body.contains(">kept</textarea>"), "keeps what was typed");
    // Nothing was stored: the member may still answer.
    assert_eq!(answer(t, &w.members[0], survey, json!({"q1": 5})).await.status, StatusCode::CREATED);
    // Bad survey definitions.
    let fay = t.sign_in("fay").await;
    t.post_form(&format!("/communities/rust/surveys/{survey}/close"), Some(&fay), &[]).await;
    let bad = open(
        t,
        &w.fay,
        json!({"title": "x", "questions": [{"kind": "essay", "prompt": "Why?"}, {"prompt": "ab"}, {"prompt": "1?"}, {"prompt": "2?"}, {"prompt": "3?"}, {"prompt": "4?"}]}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let names = fields(&bad);
    for expected in ["title", "questions", "question_1", "question_2"] {
        assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
    }
}

#[tokio::test]
async fn self_assessments_show_progress_and_skills_developed_needs_five_people() {
    let w = world().await;
    let t = &w.t;
    t.db.store.execute_raw("INSERT INTO skills (key, name, created_at) VALUES ('rust', 'Rust', 0)").await.unwrap();
    let m1 = t.sign_in("m1").await;
    let page = t.get("/assessments", Some(&m1)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No self-assessments yet"));
    for (phase, level) in [("before", "2"), ("after", "3"), ("after", "4")] {
        let saved = t
            .post_form(
                "/assessments",
                Some(&m1),
                &[("skill", "rust"), ("phase", phase), ("level", level), ("community", "rust")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let page = t.get("/assessments", Some(&m1)).await;
    assert!(
        page.body.contains("<strong>Rust</strong>: <span class=\"assessment-change improved\">2 → 4</span>"),
        "{}",
        page.body
    );
    let bad = t
        .post_form(
            "/assessments",
            Some(&m1),
            &[("skill", ""), ("phase", "during"), ("level", "9"), ("community", "nope")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["skill-error", "phase-error", "level-error", "community-error"] {
        assert!(bad.body.contains(&format!("id=\"{field}\"")), "{field}");
    }
    let api = t.api(Method::GET, "/api/v1/me/assessments", Some(&w.members[0]), None).await.json();
    assert_eq!(api[0]["skill"], "rust");
    assert_eq!(api[0]["first_before"], 2);
    assert_eq!(api[0]["latest_after"], 4);
    assert_eq!(
        t.api(
            Method::POST,
            "/api/v1/me/assessments",
            Some(&w.gus),
            Some(json!({"skill": "rust", "phase": "before", "level": 2}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "guests do not"
    );

    // Below five people nothing but the count; from five the number developed.
    let surveys = t.get("/communities/rust/surveys", Some(&m1)).await;
    assert!(
        surveys.body.contains("Shown when at least 5 people have assessed a skill with Community rust (1 so far)"),
        "{}",
        surveys.body
    );
    for (i, token) in w.members.iter().enumerate().skip(1).take(4) {
        for (phase, level) in [("before", 3), ("after", if i == 4 { 3 } else { 4 })] {
            let r = t
                .api(
                    Method::POST,
                    "/api/v1/me/assessments",
                    Some(token),
                    Some(json!({"skill": "Rust", "phase": phase, "level": level, "community": "rust"})),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    }
    let surveys = t.get("/communities/rust/surveys", Some(&m1)).await;
    assert!(surveys.body.contains("<strong>4</strong> of 5 people"), "{}", surveys.body);
    let api = t.api(Method::GET, "/api/v1/communities/rust/surveys", Some(&w.dan), None).await.json();
    assert_eq!(api["skills_developed"], json!({"assessed": 5, "developed": 4}));
}
