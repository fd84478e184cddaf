//! HTTP integration tests: every page and API route, sign-in, CSRF, bad
//! input, and the authorization matrix (route x role x visibility).

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_come_back() {
    let t = TestApp::new().await;
    let response = t.get("/communities?q=rust", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), "/login?next=%2Fcommunities%3Fq%3Drust");
    let login = t.get("/login?next=/people", None).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("name=\"next\" value=\"/people\""));
}

#[tokio::test]
async fn sign_in_sets_a_hardened_session_cookie_and_sign_out_ends_it() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let login = t.get("/login", None).await;
    let anon = set_cookie_value(&login.headers, "copse_anon").unwrap();
    let csrf = hidden_csrf(&login.body);
    let body = encode(&[("_csrf", &csrf), ("login", "ada"), ("password", PASSWORD), ("next", "/people")]);
    let response =
        t.send(Method::POST, "/login", Some(&format!("copse_anon={anon}")), Body::from(body), Some(FORM)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), "/people");
    let cookie = response.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not configured for TLS");

    let session = t.sign_in("ada").await;
    assert_eq!(t.get("/", Some(&session)).await.status, StatusCode::OK);
    let out = t.post_form("/logout", Some(&session), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get("/", Some(&session)).await.status, StatusCode::SEE_OTHER, "the session no longer works");
}

#[tokio::test]
async fn cookies_are_secure_when_configured_for_tls() {
    let t = TestApp::with_config(copse_app::AppConfig { secure_cookies: true, ..Default::default() }).await;
    let login = t.get("/login", None).await;
    let cookie = login.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_are_rate_limited() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let login = t.get("/login", None).await;
    let anon = set_cookie_value(&login.headers, "copse_anon").unwrap();
    let csrf = hidden_csrf(&login.body);
    let cookie = format!("copse_anon={anon}");
    let attempt = |password: &'static str| {
        let body = encode(&[("_csrf", &csrf), ("login", "ada"), ("password", password)]);
        t.send(Method::POST, "/login", Some(&cookie), Body::from(body), Some(FORM))
    };
    let first = attempt("wrong password").await;
    assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(first.body.contains("do not match"));
    assert!(first.body.contains("value=\"ada\""), "the handle is kept");
    for _ in 0..4 {
        assert_eq!(attempt("wrong password").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = attempt(PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits after 5 failures");
    assert!(limited.body.contains("try again"));
}

#[tokio::test]
async fn unknown_accounts_fail_like_wrong_passwords() {
    let t = TestApp::new().await;
    let login = t.get("/login", None).await;
    let anon = set_cookie_value(&login.headers, "copse_anon").unwrap();
    let body = encode(&[("_csrf", &hidden_csrf(&login.body)), ("login", "nobody"), ("password", "whatever1")]);
    let response =
        t.send(Method::POST, "/login", Some(&format!("copse_anon={anon}")), Body::from(body), Some(FORM)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("do not match"));
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let fields = [("name", "Sneaky"), ("domain", "x"), ("kind", "technical-practice"), ("visibility", "open")];
    let missing = t.post_raw("/communities/new", Some(&ada), &encode(&fields)).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let mut wrong = fields.to_vec();
    wrong.push(("_csrf", "00ff"));
    let wrong = t.post_raw("/communities/new", Some(&ada), &encode(&wrong)).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("expired"));
    // Another person's token does not work either.
    t.person("bob", false).await;
    let bob = t.sign_in("bob").await;
    let mut stolen = fields.to_vec();
    stolen.push(("_csrf", &bob.csrf));
    assert_eq!(t.post_raw("/communities/new", Some(&ada), &encode(&stolen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.db.store.count_communities().await.unwrap(), 0);
}

#[tokio::test]
async fn a_community_can_be_created_joined_and_left() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    let created = t
        .post_form(
            "/communities/new",
            Some(&ada),
            &[
                ("name", "Rust Guild"),
                ("domain", "Writing Rust services"),
                ("kind", "technical-practice"),
                ("visibility", "open"),
                ("purpose", "Share what works"),
                ("in_scope", "async, testing"),
                ("goal_text_0", "Halve onboarding time"),
                ("channel_name_0", "Chat"),
                ("channel_url_0", "https://chat.example.com/rust"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location(), "/communities/rust-guild?notice=created");

    let page = t.get("/communities/rust-guild", Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Rust Guild",
        "Writing Rust services",
        "Halve onboarding time",
        "https://chat.example.com/rust",
        "Join community",
        "Ada Tester",
    ] {
        assert!(page.body.contains(text), "page lacks {text}");
    }
    let joined = t.post_form("/communities/rust-guild/join", Some(&bob), &[]).await;
    assert_eq!(joined.location(), "/communities/rust-guild?notice=joined");
    let home = t.get("/", Some(&bob)).await;
    assert!(home.body.contains("Your communities") && home.body.contains("/communities/rust-guild"));
    let again = t.post_form("/communities/rust-guild/join", Some(&bob), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let left = t.post_form("/communities/rust-guild/leave", Some(&bob), &[]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    let row = t.db.store.find_community_for_viewer("rust-guild", None).await.unwrap().unwrap();
    assert_eq!(row.community.member_count, 1);
}

#[tokio::test]
async fn invalid_community_forms_rerender_with_values_and_messages() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let response = t
        .post_form(
            "/communities/new",
            Some(&ada),
            &[
                ("name", "Good Name"),
                ("slug", "Bad Slug!"),
                ("domain", ""),
                ("kind", "hobby"),
                ("visibility", "open"),
                ("channel_url_0", "javascript:alert(1)"),
                ("channel_name_0", "x"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("value=\"Good Name\""), "values are kept");
    assert!(response.body.contains("id=\"slug-error\""));
    assert!(response.body.contains("id=\"domain-error\""));
    assert!(response.body.contains("id=\"kind-error\""));
    assert!(response.body.contains("id=\"channels-error\""));
    assert!(response.body.contains("aria-invalid=\"true\""));
    assert_eq!(t.db.store.count_communities().await.unwrap(), 0);
}

#[tokio::test]
async fn a_taken_slug_is_a_conflict_and_the_original_is_untouched() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    t.community(&ada, "rust", "open").await;
    let response = t
        .post_form(
            "/communities/new",
            Some(&ada),
            &[("name", "Other"), ("slug", "rust"), ("domain", "d"), ("kind", "role-based"), ("visibility", "open")],
        )
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert!(response.body.contains("that slug is taken"));
    let row = t.db.store.find_community_for_viewer("rust", None).await.unwrap().unwrap();
    assert_eq!(row.community.name, "Community rust");
}

#[tokio::test]
async fn facilitators_edit_the_charter_and_change_the_stage_with_a_note() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    t.community(&ada, "rust", "open").await;
    let edit = t.get("/communities/rust/edit", Some(&ada)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"Community rust\""));
    let saved = t
        .post_form(
            "/communities/rust/edit",
            Some(&ada),
            &[
                ("name", "Rustaceans"),
                ("slug", "rust"),
                ("domain", "Rust everywhere"),
                ("kind", "technical-practice"),
                ("visibility", "request"),
                ("out_of_scope", "C++"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = t.get("/communities/rust", Some(&ada)).await;
    assert!(page.body.contains("Rustaceans") && page.body.contains("C++") && page.body.contains("Request to join"));

    let no_note = t.post_form("/communities/rust/stage", Some(&ada), &[("stage", "coalescing"), ("note", " ")]).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.body.contains("A note saying why is required"));
    let moved = t
        .post_form("/communities/rust/stage", Some(&ada), &[("stage", "coalescing"), ("note", "First meetups held")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let page = t.get("/communities/rust", Some(&ada)).await;
    assert!(page.body.contains("First meetups held") && page.body.contains("Stage: Coalescing"));
}

#[tokio::test]
async fn request_to_join_is_approved_by_a_facilitator() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    t.community(&ada, "arch", "request").await;
    assert_eq!(t.post_form("/communities/arch/join", Some(&bob), &[]).await.status, StatusCode::FORBIDDEN);
    let requested = t.post_form("/communities/arch/request", Some(&bob), &[]).await;
    assert_eq!(requested.location(), "/communities/arch?notice=requested");
    let page = t.get("/communities/arch", Some(&ada)).await;
    assert!(page.body.contains("Requests to join") && page.body.contains("Bob Tester"));
    let approve =
        t.post_form("/communities/arch/members", Some(&ada), &[("handle", "bob"), ("decision", "approve")]).await;
    assert_eq!(approve.status, StatusCode::SEE_OTHER);
    let member = t.db.store.find_membership(copse_domain::CommunityId(1), copse_domain::PersonId(2)).await.unwrap();
    assert_eq!(member, Some(("member".into(), "active".into())));
    let unknown =
        t.post_form("/communities/arch/members", Some(&ada), &[("handle", "nobody"), ("decision", "invite")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn private_communities_are_invisible_to_outsiders_everywhere() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("eve", false).await;
    let ada = t.sign_in("ada").await;
    let eve = t.sign_in("eve").await;
    t.community(&ada, "secret-club", "private").await;
    assert_eq!(t.get("/communities/secret-club", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/communities/no-such-thing", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    assert!(!t.get("/communities", Some(&eve)).await.body.contains("secret-club"));
    assert!(!t.get("/communities?q=secret", Some(&eve)).await.body.contains("secret-club"));
    assert!(!t.get("/", Some(&eve)).await.body.contains("secret-club"));
    assert!(!t.get("/people/ada", Some(&eve)).await.body.contains("secret-club"), "not through profiles");
    let token = t.token("eve").await;
    let api = t.api(Method::GET, "/api/v1/communities/secret-club", Some(&token), None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["code"], "not_found");
    let list = t.api(Method::GET, "/api/v1/communities", Some(&token), None).await;
    assert!(!list.body.contains("secret-club"));
    let profile = t.api(Method::GET, "/api/v1/people/ada", Some(&token), None).await;
    assert!(!profile.body.contains("secret-club"));
    // Members see it.
    assert!(t.get("/communities", Some(&ada)).await.body.contains("secret-club"));
}

#[tokio::test]
async fn invitations_open_private_communities() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    t.community(&ada, "secret", "private").await;
    assert_eq!(t.post_form("/communities/secret/join", Some(&bob), &[]).await.status, StatusCode::NOT_FOUND);
    t.post_form("/communities/secret/members", Some(&ada), &[("handle", "bob"), ("decision", "invite")]).await;
    let page = t.get("/communities/secret", Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Accept invitation"));
    assert_eq!(t.post_form("/communities/secret/join", Some(&bob), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(t.get("/communities/secret", Some(&bob)).await.body.contains("Leave community"));
}

#[tokio::test]
async fn the_people_directory_filters_and_profiles_edit() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let directory = t.get("/people", Some(&ada)).await;
    assert_eq!(directory.status, StatusCode::OK);
    assert!(directory.body.contains("Ada Tester") && directory.body.contains("Bob Tester"));
    let filtered = t.get("/people?q=bob", Some(&ada)).await;
    assert!(filtered.body.contains("Bob Tester"));
    assert_eq!(filtered.body.matches("class=\"person-card\"").count(), 1);

    let form = t.get("/profile/edit", Some(&ada)).await;
    assert_eq!(form.status, StatusCode::OK);
    let fields = [
        ("name", "Ada Lovelace"),
        ("team", "Platform"),
        ("location", "London"),
        ("time_zone", "Europe/London"),
        ("work_start", "08:30"),
        ("work_end", "16:30"),
        ("experience", "staff"),
        ("skills", "Rust:expert, Kubernetes"),
        ("interests", "mentoring"),
        ("bio", "Engines."),
    ];
    let saved = t.post_form("/profile/edit", Some(&ada), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let profile = t.get("/people/ada", Some(&ada)).await;
    for text in ["Ada Lovelace", "Platform", "Europe/London", "08:30–16:30", "Rust", "Expert", "mentoring"] {
        assert!(profile.body.contains(text), "profile lacks {text}");
    }

    let mut bad = fields.to_vec();
    bad[3] = ("time_zone", "Mars/Olympus");
    let refused = t.post_form("/profile/edit", Some(&ada), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Mars/Olympus") && refused.body.contains("id=\"time_zone-error\""));
    assert_eq!(t.db.store.find_person_by_handle("ada").await.unwrap().unwrap().time_zone, "Europe/London", "unchanged");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let huge = "x".repeat(copse_web::MAX_BODY_BYTES + 10);
    let form = t.post_form("/communities/new", Some(&ada), &[("name", "Big"), ("purpose", &huge)]).await;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
    let token = t.token("ada").await;
    let api = t
        .api(
            Method::POST,
            "/api/v1/communities",
            Some(&token),
            Some(json!({"name": "Big", "domain": "d", "kind": "role-based", "visibility": "open", "purpose": huge})),
        )
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.content_type(), "application/problem+json");
    assert_eq!(t.db.store.count_communities().await.unwrap(), 0);
}

#[tokio::test]
async fn the_api_creates_reads_and_updates_communities() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let token = t.token("ada").await;
    let body = json!({
        "name": "Platform Guild",
        "domain": "Running the platform",
        "kind": "process-oriented",
        "visibility": "open",
        "purpose": "Keep it boring",
        "in_scope": ["kubernetes", "observability"],
        "goals": [{"text": "Fewer incidents"}],
        "channels": [{"name": "Chat", "url": "https://chat.example.com/platform"}]
    });
    let created = t.api(Method::POST, "/api/v1/communities", Some(&token), Some(body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    assert_eq!(created["slug"], "platform-guild");
    assert_eq!(created["stage"], "potential");
    assert_eq!(created["membership"]["role"], "facilitator");
    assert_eq!(created["in_scope"][1], "observability");
    assert_eq!(created["facilitators"][0]["person"]["handle"], "ada");

    let conflict = t.api(Method::POST, "/api/v1/communities", Some(&token), Some(body)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.json()["code"], "conflict");
    assert_eq!(conflict.json()["errors"][0]["field"], "slug");

    let stage = t
        .api(
            Method::POST,
            "/api/v1/communities/platform-guild/stage",
            Some(&token),
            Some(json!({"stage": "coalescing", "note": "Kick-off done"})),
        )
        .await;
    assert_eq!(stage.status, StatusCode::NO_CONTENT);
    let read = t.api(Method::GET, "/api/v1/communities/platform-guild", Some(&token), None).await.json();
    assert_eq!(read["stage"], "coalescing");
    assert_eq!(read["stage_history"][0]["note"], "Kick-off done");
    assert_eq!(read["stage_history"].as_array().unwrap().len(), 2);

    let members = t.api(Method::GET, "/api/v1/communities/platform-guild/members", Some(&token), None).await.json();
    assert_eq!(members[0]["participation"], "inactive");
    let me = t.api(Method::GET, "/api/v1/me", Some(&token), None).await.json();
    assert_eq!(me["handle"], "ada");
}

#[tokio::test]
async fn api_errors_are_problem_documents() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let token = t.token("ada").await;
    let unauthenticated = t.api(Method::GET, "/api/v1/communities", None, None).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unauthenticated.content_type(), "application/problem+json");
    assert_eq!(unauthenticated.json()["code"], "unauthenticated");
    let bad_token = t.api(Method::GET, "/api/v1/communities", Some("copse_not-a-token"), None).await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);

    let malformed =
        t.send(Method::POST, "/api/v1/communities", None, Body::from("{\"name\": "), Some("application/json")).await;
    assert_eq!(malformed.status, StatusCode::UNAUTHORIZED, "authentication comes first");
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/communities")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from("{\"name\": "))
        .unwrap();
    let response = tower::ServiceExt::oneshot(t.router.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()["content-type"], "application/problem+json");

    let invalid = t
        .api(
            Method::POST,
            "/api/v1/communities",
            Some(&token),
            Some(json!({"name": "", "domain": "d", "kind": "nope", "visibility": "open"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = invalid.json();
    assert_eq!(problem["code"], "invalid_input");
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"name") && fields.contains(&"kind"), "{fields:?}");

    let missing_field = t.api(Method::POST, "/api/v1/communities", Some(&token), Some(json!({"name": "x"}))).await;
    assert_eq!(missing_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing_field.json()["code"], "invalid_input");

    let unknown = t.api(Method::GET, "/api/v1/communities/nope", Some(&token), None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let no_route = t.api(Method::GET, "/api/v1/nothing-here", Some(&token), None).await;
    assert_eq!(no_route.status, StatusCode::NOT_FOUND);
    assert_eq!(no_route.json()["code"], "not_found");
    let bad_zone = t
        .api(
            Method::PUT,
            "/api/v1/people/ada",
            Some(&token),
            Some(json!({"name": "Ada", "time_zone": "Nowhere/Land", "working_hours_start": "09:00", "working_hours_end": "17:00", "experience": "senior"})),
        )
        .await;
    assert_eq!(bad_zone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_zone.json()["errors"][0]["field"], "time_zone");
    assert_eq!(t.db.store.count_communities().await.unwrap(), 0);
}

#[tokio::test]
async fn the_api_reads_people_and_writes_only_ones_own_profile() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let token = t.token("ada").await;
    let people = t.api(Method::GET, "/api/v1/people?q=bob", Some(&token), None).await.json();
    assert_eq!(people["people"][0]["handle"], "bob");
    let profile = json!({"name": "Bob Hacked", "time_zone": "UTC", "working_hours_start": "09:00", "working_hours_end": "17:00", "experience": "senior"});
    let forbidden = t.api(Method::PUT, "/api/v1/people/bob", Some(&token), Some(profile.clone())).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(t.db.store.find_person_by_handle("bob").await.unwrap().unwrap().name, "Bob Tester");
    let own = t.api(Method::PUT, "/api/v1/people/ada", Some(&token), Some(profile)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.json()["name"], "Bob Hacked");
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in
        ["/communities", "/communities/{slug}", "/communities/{slug}/stage", "/people", "/people/{handle}", "/me"]
    {
        assert!(doc["paths"][path].is_object(), "OpenAPI lacks {path}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn operations_endpoints_answer() {
    let t = TestApp::new().await;
    let health = t.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    t.get("/nowhere", None).await;
    let metrics = t.get("/metrics", None).await;
    assert!(metrics.content_type().starts_with("text/plain"));
    assert!(metrics.body.contains("copse_up 1"));
    assert!(metrics.body.contains("copse_http_requests_total{class=\"4xx\"} 1"), "{}", metrics.body);
    let css = t.get("/static/copse.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    let page = t.get("/login", None).await;
    assert!(page.headers.get("content-security-policy").is_some());
    assert_eq!(page.headers["x-frame-options"], "DENY");
}

#[tokio::test]
async fn tokens_are_made_and_revoked_on_the_settings_page() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let made = t.post_form("/settings/tokens", Some(&ada), &[("name", "script")]).await;
    assert_eq!(made.status, StatusCode::OK);
    let start = made.body.find("copse_").expect("the token is shown once");
    let token: String = made.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    assert_eq!(t.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::OK);
    let list = t.get("/settings/tokens", Some(&ada)).await;
    assert!(list.body.contains("script") && !list.body.contains(&token), "the secret is not shown again");
    let revoked = t.post_form("/settings/tokens/1/revoke", Some(&ada), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(t.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    let other = t.post_form("/settings/tokens/999/revoke", Some(&ada), &[]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn stored_text_is_escaped_in_pages() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let created = t
        .post_form(
            "/communities/new",
            Some(&ada),
            &[
                ("name", "<script>alert(1)</script>"),
                ("slug", "xss"),
                ("domain", "\"><img src=x onerror=alert(1)>"),
                ("kind", "technical-practice"),
                ("visibility", "open"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = t.get("/communities/xss", Some(&ada)).await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "shown as text");
}

/// Adds `count` active members to `slug` straight through the store (no
/// password hashing, so it is quick): `m00`, `m01`, ... named "Member 00",
/// ... with `contributions(i)` contributions each in the last day.
async fn crowd(t: &TestApp, slug: &str, count: usize, contributions: impl Fn(usize) -> usize) {
    use copse_domain::{CommunityId, Handle, OrgRole, Profile, ProfileInput, Timestamp};
    use copse_store::{MembershipChange, NewContribution, NewPerson};
    let row = t.db.store.find_community_for_viewer(slug, None).await.unwrap().expect("community");
    let community = CommunityId(row.community.id);
    let people: Vec<NewPerson> = (0..count)
        .map(|i| NewPerson {
            handle: Handle::parse(&format!("m{i:02}")).unwrap(),
            email: Some(format!("m{i:02}@example.com")),
            role: OrgRole::Member,
            profile: Profile::parse(&ProfileInput {
                name: format!("Member {i:02}"),
                team: "Platform".into(),
                location: "Berlin".into(),
                time_zone: "Europe/Berlin".into(),
                work_start: "09:00".into(),
                work_end: "17:00".into(),
                experience: "senior".into(),
                ..Default::default()
            })
            .unwrap(),
            created_at: Timestamp::now(),
        })
        .collect();
    let ids = t.db.store.insert_people(&people).await.unwrap();
    let changes: Vec<MembershipChange> = ids
        .iter()
        .map(|&person| MembershipChange {
            community,
            person,
            role: copse_domain::MembershipRole::Member,
            status: copse_domain::MembershipStatus::Active,
            actor: None,
            at: Timestamp::now(),
        })
        .collect();
    t.db.store.set_memberships(&changes).await.unwrap();
    let items: Vec<NewContribution> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, &person)| {
            (0..contributions(i)).map(move |n| NewContribution {
                person,
                community,
                kind: "post",
                at: Timestamp::now(),
                reply_to: None,
                source: "test",
                source_ref: Some(format!("{i}-{n}")),
            })
        })
        .collect();
    if !items.is_empty() {
        t.db.store.insert_contributions(&items).await.unwrap();
    }
}

/// Rows on a members page (each has exactly one role cell).
fn member_rows(body: &str) -> usize {
    body.matches("<span class=\"role").count()
}

#[tokio::test]
async fn the_members_page_lists_everyone_a_page_at_a_time_and_filters_by_level() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    t.community(&ada, "big", "open").await;
    // 69 more members: 5 core (12 contributions), 10 active (3), 10
    // peripheral (1) and 44 silent; with ada (silent too) 70 in all.
    crowd(&t, "big", 69, |i| match i {
        0..5 => 12,
        5..15 => 3,
        15..25 => 1,
        _ => 0,
    })
    .await;

    // The community page shows the 12 most active and links to the rest.
    let community = t.get("/communities/big", Some(&bob)).await;
    assert_eq!(community.status, StatusCode::OK);
    let list = community.body.split("class=\"member-list\"").nth(1).unwrap().split("</ul>").next().unwrap();
    assert_eq!(list.matches("<li>").count(), 12, "12 members on the community page");
    assert!(list.contains("Member 00"), "the most active first");
    assert!(community.body.contains("href=\"/communities/big/members\">See all 70 members"));
    assert!(community.body.contains("href=\"/communities/big/members?level=core\""), "the legend links to levels");

    // An outsider of an open community sees all members, 60 at a time.
    let first = t.get("/communities/big/members", Some(&bob)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("<title>Members · Community big · copse</title>"));
    assert!(first.body.contains("Members of Community big"));
    assert_eq!(member_rows(&first.body), 60);
    assert!(first.body.contains("Page 1 of 2"));
    assert!(first.body.contains("href=\"/communities/big/members?page=2\" rel=\"next\""));
    assert!(!first.body.contains("rel=\"prev\""));
    let row_of = |body: &str, name: &str| body.find(name).unwrap_or_else(|| panic!("{name} is missing"));
    assert!(row_of(&first.body, "Member 00") < row_of(&first.body, "Member 05"), "core before active");
    assert!(row_of(&first.body, "Member 05") < row_of(&first.body, "Member 15"), "active before peripheral");
    assert!(first.body.contains("Facilitator"), "roles are shown");
    assert!(first.body.contains("Platform ·</span> <span class=\"nowrap\">Berlin"), "team and location");

    let second = t.get("/communities/big/members?page=2", Some(&bob)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(member_rows(&second.body), 10);
    assert!(second.body.contains("Page 2 of 2"));
    assert!(second.body.contains("href=\"/communities/big/members\" rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));
    // Nobody is on two pages.
    for i in 0..69 {
        let name = format!("Member {i:02}<");
        assert_eq!(
            usize::from(first.body.contains(&name)) + usize::from(second.body.contains(&name)),
            1,
            "{name} appears on exactly one page"
        );
    }
    let beyond = t.get("/communities/big/members?page=9", Some(&bob)).await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert_eq!(member_rows(&beyond.body), 0);
    assert!(beyond.body.contains("There is nobody on this page."));

    // One level at a time.
    let core = t.get("/communities/big/members?level=core", Some(&bob)).await;
    assert_eq!(core.status, StatusCode::OK);
    assert_eq!(member_rows(&core.body), 5);
    assert!(core.body.contains("5 members at core level"));
    assert!(core.body.contains("href=\"/communities/big/members?level=core\" aria-current=\"page\""));
    assert!(core.body.contains("12 contributions"));
    assert_eq!(member_rows(&t.get("/communities/big/members?level=active", Some(&bob)).await.body), 10);
    assert_eq!(member_rows(&t.get("/communities/big/members?level=peripheral", Some(&bob)).await.body), 10);
    let inactive = t.get("/communities/big/members?level=inactive", Some(&bob)).await;
    assert_eq!(member_rows(&inactive.body), 45, "the silent 44 and ada");
    assert!(!inactive.body.contains("rel=\"next\""));
    assert!(inactive.body.contains("Ada Tester"));
    let bogus = t.get("/communities/big/members?level=superstar", Some(&bob)).await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_private_communitys_members_page_is_not_found_for_outsiders() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let bob_id = t.person("bob", false).await;
    t.person("eve", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    let eve = t.sign_in("eve").await;
    t.community(&ada, "secret", "private").await;
    t.add_member("secret", bob_id, copse_domain::MembershipRole::Member, copse_domain::MembershipStatus::Active).await;
    let outsider = t.get("/communities/secret/members", Some(&eve)).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    assert!(!outsider.body.contains("Ada Tester"), "nothing about its members leaks");
    assert_eq!(t.get("/communities/secret/members?level=core", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/communities/nothing-here/members", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    let signed_out = t.get("/communities/secret/members", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    let member = t.get("/communities/secret/members", Some(&bob)).await;
    assert_eq!(member.status, StatusCode::OK);
    assert!(member.body.contains("Ada Tester") && member.body.contains("Bob Tester"));
    assert_eq!(member_rows(&member.body), 2);
}

#[tokio::test]
async fn form_errors_are_summarized_as_links_and_named_in_the_title() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let fields = [
        ("name", "Ada"),
        ("time_zone", "Mars/Olympus"),
        ("work_start", "09:00"),
        ("work_end", "17:00"),
        ("experience", "senior"),
        ("skills", "Rust:wizard"),
    ];
    let profile = t.post_form("/profile/edit", Some(&ada), &fields).await;
    assert_eq!(profile.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(profile.body.contains("<title>Error: Edit profile · copse</title>"), "{}", profile.body);
    assert!(profile.body.contains("Please fix 2 problems below"));
    assert!(profile.body.contains("<a href=\"#time_zone\">Time zone: "));
    assert!(profile.body.contains("<a href=\"#skills\">Skills: "));
    assert!(profile.body.contains("id=\"skills-error\""));
    let clean = t.get("/profile/edit", Some(&ada)).await;
    assert!(clean.body.contains("<title>Edit profile · copse</title>"));
    assert!(!clean.body.contains("error-summary"));

    let community = t
        .post_form(
            "/communities/new",
            Some(&ada),
            &[
                ("name", "Good Name"),
                ("slug", "Bad Slug!"),
                ("domain", ""),
                ("kind", "hobby"),
                ("visibility", "open"),
                ("channel_name_0", "Chat"),
                ("channel_url_0", "https://chat.example.com"),
                ("channel_name_1", "Wiki"),
                ("channel_url_1", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(community.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(community.body.contains("<title>Error: Start a community · copse</title>"));
    assert!(community.body.contains("Please fix 4 problems below"));
    assert!(community.body.contains("<a href=\"#channel_url_1\">Channels: "), "links to the wrong link");
    assert_eq!(community.body.matches("aria-describedby=\"channels-error\"").count(), 1, "only that field is marked");
    assert!(community.body.contains("<a href=\"#slug\">Address: "));
    assert!(community.body.contains("<a href=\"#domain\">Domain: "));
    assert!(community.body.contains("<a href=\"#kind-technical-practice\">Type: "));
    assert!(community.body.contains("id=\"kind-technical-practice\""), "the link has a target");
}

#[tokio::test]
async fn pages_speak_to_the_viewer_and_hide_what_they_already_know() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    t.person("bob", false).await;
    let ada = t.sign_in("ada").await;
    let bob = t.sign_in("bob").await;
    t.community(&ada, "arch", "request").await;
    // The visibility badge is for people who are not in yet.
    let badge = "class=\"badge vis\">Request to join";
    assert!(t.get("/communities", Some(&bob)).await.body.contains(badge));
    assert!(!t.get("/communities", Some(&ada)).await.body.contains(badge), "ada is in already");
    // Working hours are "your time" on one's own profile.
    let own = t.get("/people/ada", Some(&ada)).await;
    assert!(own.body.contains("your time") && !own.body.contains("their time"));
    assert!(own.body.contains("class=\"me\" href=\"/people/ada\" aria-current=\"page\""));
    assert!(t.get("/people/ada", Some(&bob)).await.body.contains("their time"));
    // More people filters fold away unless one of them is in use.
    assert!(t.get("/people", Some(&ada)).await.body.contains("<details class=\"more-filters\">"));
    let filtered = t.get("/people?team=Platform", Some(&ada)).await;
    assert!(filtered.body.contains("<details class=\"more-filters\" open>"));
    // The communities list has a heading between the page's h1 and the cards' h3s.
    assert!(t.get("/communities", Some(&ada)).await.body.contains("<h2 class=\"visually-hidden\">"));
}

#[tokio::test]
async fn the_communities_list_pages_through_many_communities() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let token = t.token("ada").await;
    for i in 0..50 {
        let body = json!({"name": format!("Guild {i:02}"), "domain": "d", "kind": "role-based", "visibility": "open"});
        assert_eq!(
            t.api(Method::POST, "/api/v1/communities", Some(&token), Some(body)).await.status,
            StatusCode::CREATED
        );
    }
    let ada = t.sign_in("ada").await;
    let first = t.get("/communities?kind=role-based", Some(&ada)).await;
    let cards = |body: &str| body.matches("<li class=\"card").count();
    assert_eq!(cards(&first.body), 48);
    assert!(first.body.contains("Communities 1–48"));
    assert!(
        first.body.contains("href=\"/communities?q=&#38;kind=role-based&#38;stage=&#38;page=2\""),
        "a next link keeps the filters: {}",
        first.body
    );
    let second = t.get("/communities?kind=role-based&page=2", Some(&ada)).await;
    assert_eq!(cards(&second.body), 2);
    assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
    let api = t.api(Method::GET, "/api/v1/communities?per_page=20&page=3", Some(&token), None).await.json();
    assert_eq!(api.as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn the_team_filter_is_a_list_for_a_few_teams_and_a_text_field_for_many() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let few = t.get("/people", Some(&ada)).await;
    assert!(few.body.contains("<select id=\"team\""));
    let mut many = Vec::new();
    for i in 0..=copse_app::MAX_TEAM_CHOICES {
        many.push(copse_store::NewPerson {
            handle: copse_domain::Handle::parse(&format!("p{i}")).unwrap(),
            email: None,
            role: copse_domain::OrgRole::Member,
            profile: copse_domain::Profile::parse(&copse_domain::ProfileInput {
                name: format!("Person {i}"),
                team: format!("Team {i:03}"),
                time_zone: "UTC".into(),
                work_start: "09:00".into(),
                work_end: "17:00".into(),
                experience: "mid".into(),
                ..Default::default()
            })
            .unwrap(),
            created_at: copse_domain::Timestamp::now(),
        });
    }
    t.db.store.insert_people(&many).await.unwrap();
    // The filter lists are cached for a minute; a fresh app sees the new teams.
    let fresh = copse_web::router(copse_app::App::new(t.db.store.clone(), Default::default()).await.unwrap());
    let request = axum::http::Request::builder()
        .uri("/people?team=team+007")
        .header("cookie", &ada.cookie)
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(fresh, request).await.unwrap();
    let body =
        String::from_utf8(http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec())
            .unwrap();
    assert!(
        body.contains("<input id=\"team\" name=\"team\" type=\"text\" value=\"team 007\""),
        "a text field keeps the query"
    );
    assert_eq!(body.matches("class=\"person-card\"").count(), 1, "matched case-insensitively");
}

#[tokio::test]
async fn home_offers_discovery_by_type_and_by_stage() {
    let t = TestApp::new().await;
    t.person("ada", false).await;
    let ada = t.sign_in("ada").await;
    let home = t.get("/", Some(&ada)).await;
    for link in [
        "/communities?kind=technical-practice",
        "/communities?kind=cross-cutting",
        "/communities?stage=potential",
        "/communities?stage=transformation",
    ] {
        assert!(home.body.contains(&format!("href=\"{link}\"")), "home lacks {link}");
    }
}
