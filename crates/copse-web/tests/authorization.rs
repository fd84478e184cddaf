//! The authorization matrix: every community route, for every kind of
//! person, on every visibility. Expected outcomes are written out here from
//! the rules in plain words, independently of `copse_domain::policy`.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Anonymous,
    Guest,
    Outsider,
    Member,
    Facilitator,
    Admin,
}

const ROLES: [Role; 6] = [Role::Anonymous, Role::Guest, Role::Outsider, Role::Member, Role::Facilitator, Role::Admin];

/// Whether `role` may see a community of this visibility at all.
fn sees(role: Role, visibility: &str) -> bool {
    match role {
        Role::Anonymous => false,
        Role::Member | Role::Facilitator | Role::Admin => true,
        Role::Guest | Role::Outsider => visibility != "private",
    }
}

fn manages(role: Role) -> bool {
    matches!(role, Role::Facilitator | Role::Admin)
}

/// The status a page route gives when the action needs management rights.
fn managed_page(role: Role, visibility: &str, success: StatusCode) -> StatusCode {
    if role == Role::Anonymous {
        StatusCode::SEE_OTHER
    } else if !sees(role, visibility) {
        StatusCode::NOT_FOUND
    } else if manages(role) {
        success
    } else {
        StatusCode::FORBIDDEN
    }
}

/// The same for a form post: anonymous posts fail the CSRF check first.
fn managed_post(role: Role, visibility: &str) -> StatusCode {
    if role == Role::Anonymous { StatusCode::FORBIDDEN } else { managed_page(role, visibility, StatusCode::SEE_OTHER) }
}

fn join_expected(role: Role, visibility: &str) -> StatusCode {
    match role {
        Role::Anonymous => StatusCode::FORBIDDEN,
        Role::Member | Role::Facilitator => StatusCode::CONFLICT,
        Role::Admin => StatusCode::SEE_OTHER,
        Role::Guest | Role::Outsider => match visibility {
            "open" => StatusCode::SEE_OTHER,
            "request" => StatusCode::FORBIDDEN,
            _ => StatusCode::NOT_FOUND,
        },
    }
}

fn request_expected(role: Role, visibility: &str) -> StatusCode {
    match role {
        Role::Anonymous => StatusCode::FORBIDDEN,
        _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
        Role::Guest | Role::Outsider | Role::Admin if visibility == "request" => StatusCode::SEE_OTHER,
        _ => StatusCode::CONFLICT,
    }
}

fn leave_expected(role: Role, visibility: &str) -> StatusCode {
    match role {
        Role::Anonymous => StatusCode::FORBIDDEN,
        Role::Member | Role::Facilitator => StatusCode::SEE_OTHER,
        _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
        _ => StatusCode::CONFLICT,
    }
}

fn api_read_expected(role: Role, visibility: &str) -> StatusCode {
    match role {
        Role::Anonymous => StatusCode::UNAUTHORIZED,
        _ if sees(role, visibility) => StatusCode::OK,
        _ => StatusCode::NOT_FOUND,
    }
}

fn api_write_expected(role: Role, visibility: &str) -> StatusCode {
    match role {
        Role::Anonymous => StatusCode::UNAUTHORIZED,
        _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
        _ if manages(role) => StatusCode::OK,
        _ => StatusCode::FORBIDDEN,
    }
}

struct World {
    t: TestApp,
    slug: String,
    sessions: Vec<(Role, Option<Session>, Option<String>)>,
}

async fn world(visibility: &str) -> World {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    let slug = t.community(&fay, "guild", visibility).await;
    t.guest("gus").await;
    t.person("oscar", false).await;
    let mia = t.person("mia", false).await;
    t.add_member(&slug, mia, MembershipRole::Member, MembershipStatus::Active).await;
    t.person("adam", true).await;
    for handle in
        ["target-guest", "target-outsider", "target-member", "target-facilitator", "target-admin", "target-anonymous"]
    {
        t.person(handle, false).await;
    }
    let mut sessions = Vec::new();
    for role in ROLES {
        let handle = match role {
            Role::Anonymous => None,
            Role::Guest => Some("gus"),
            Role::Outsider => Some("oscar"),
            Role::Member => Some("mia"),
            Role::Facilitator => Some("fay"),
            Role::Admin => Some("adam"),
        };
        let (session, token) = match handle {
            Some(h) => (Some(t.sign_in(h).await), Some(t.token(h).await)),
            None => (None, None),
        };
        sessions.push((role, session, token));
    }
    World { t, slug, sessions }
}

fn edit_fields(visibility: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Guild".into()),
        ("slug", "guild".into()),
        ("domain", "Shared practice".into()),
        ("kind", "technical-practice".into()),
        ("visibility", visibility.into()),
    ]
}

#[tokio::test]
async fn every_community_route_for_every_role_and_visibility() {
    let mut failures = Vec::new();
    for visibility in ["open", "request", "private"] {
        let w = world(visibility).await;
        let t = &w.t;
        let slug = &w.slug;
        for (role, session, token) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let mut check = |route: &str, got: StatusCode, expected: StatusCode| {
                if got != expected {
                    failures.push(format!("{visibility:>8} {role:?} {route}: got {got}, expected {expected}"));
                }
            };
            let page = t.get(&format!("/communities/{slug}"), s).await.status;
            let expected_page = match role {
                Role::Anonymous => StatusCode::SEE_OTHER,
                _ if sees(role, visibility) => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            check("GET page", page, expected_page);
            check("GET members page", t.get(&format!("/communities/{slug}/members"), s).await.status, expected_page);
            for sub in ["events", "planner", "rota", "calendar"] {
                check(
                    &format!("GET {sub} page"),
                    t.get(&format!("/communities/{slug}/{sub}"), s).await.status,
                    expected_page,
                );
            }
            check(
                "GET schedule form",
                t.get(&format!("/communities/{slug}/events/new"), s).await.status,
                managed_page(role, visibility, StatusCode::OK),
            );
            for api in ["events", "planner", "rota"] {
                check(
                    &format!("GET api {api}"),
                    t.api(Method::GET, &format!("/api/v1/communities/{slug}/{api}"), token.as_deref(), None)
                        .await
                        .status,
                    api_read_expected(role, visibility),
                );
            }
            // The public feed needs no sign-in, and exists only for non-private communities.
            let feed = t.get(&format!("/calendars/communities/{slug}.ics"), s).await.status;
            check(
                "GET community feed",
                feed,
                if visibility == "private" { StatusCode::NOT_FOUND } else { StatusCode::OK },
            );
            check(
                "GET edit",
                t.get(&format!("/communities/{slug}/edit"), s).await.status,
                managed_page(role, visibility, StatusCode::OK),
            );
            check(
                "GET api",
                t.api(Method::GET, &format!("/api/v1/communities/{slug}"), token.as_deref(), None).await.status,
                api_read_expected(role, visibility),
            );
            check(
                "GET api members",
                t.api(Method::GET, &format!("/api/v1/communities/{slug}/members"), token.as_deref(), None).await.status,
                api_read_expected(role, visibility),
            );

            let fields = edit_fields(visibility);
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            check(
                "POST edit",
                t.post_form(&format!("/communities/{slug}/edit"), s, &pairs).await.status,
                managed_post(role, visibility),
            );
            let target_stage = if role == Role::Admin { "stewardship" } else { "maturing" };
            check(
                "POST stage",
                t.post_form(&format!("/communities/{slug}/stage"), s, &[("stage", target_stage), ("note", "matrix")])
                    .await
                    .status,
                managed_post(role, visibility),
            );
            let target = format!("target-{}", format!("{role:?}").to_lowercase());
            check(
                "POST members invite",
                t.post_form(&format!("/communities/{slug}/members"), s, &[("handle", &target), ("decision", "invite")])
                    .await
                    .status,
                managed_post(role, visibility),
            );
            let session = json!({
                "title": "Matrix session", "kind": "meetup", "format": "remote", "link": "https://meet.example.com/m",
                "date": "2031-01-09", "time": "18:00", "duration_minutes": 60, "time_zone": "UTC"
            });
            check(
                "POST api schedule",
                t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), token.as_deref(), Some(session))
                    .await
                    .status,
                match role {
                    Role::Anonymous => StatusCode::UNAUTHORIZED,
                    _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
                    _ if manages(role) => StatusCode::CREATED,
                    _ => StatusCode::FORBIDDEN,
                },
            );
            let body = json!({"name": "Guild", "slug": "guild", "domain": "Shared practice", "kind": "technical-practice", "visibility": visibility});
            check(
                "PUT api",
                t.api(Method::PUT, &format!("/api/v1/communities/{slug}"), token.as_deref(), Some(body)).await.status,
                api_write_expected(role, visibility),
            );
        }
        // The facilitator's iteration scheduled event 1 above; only active
        // members answer for it.
        for (role, _, token) in &w.sessions {
            let role = *role;
            let got = t
                .api(
                    Method::POST,
                    "/api/v1/events/1/occurrences/2031-01-09T18:00/rsvp",
                    token.as_deref(),
                    Some(json!({"answer": "going"})),
                )
                .await
                .status;
            let expected = match role {
                Role::Anonymous => StatusCode::UNAUTHORIZED,
                _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
                Role::Member | Role::Facilitator => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            if got != expected {
                failures.push(format!("{visibility:>8} {role:?} POST api rsvp: got {got}, expected {expected}"));
            }
        }
        // Membership changes last, since they change who sees what.
        for (role, session, _) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let request = t.post_form(&format!("/communities/{slug}/request"), s, &[]).await.status;
            let expected = request_expected(role, visibility);
            if request != expected {
                failures.push(format!("{visibility:>8} {role:?} POST request: got {request}, expected {expected}"));
            }
        }
        let w = world(visibility).await;
        for (role, session, _) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let join = w.t.post_form(&format!("/communities/{}/join", w.slug), s, &[]).await.status;
            let expected = join_expected(role, visibility);
            if join != expected {
                failures.push(format!("{visibility:>8} {role:?} POST join: got {join}, expected {expected}"));
            }
        }
        let w = world(visibility).await;
        for (role, session, _) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let leave = w.t.post_form(&format!("/communities/{}/leave", w.slug), s, &[]).await.status;
            let expected = leave_expected(role, visibility);
            if leave != expected {
                failures.push(format!("{visibility:>8} {role:?} POST leave: got {leave}, expected {expected}"));
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn people_routes_by_role() {
    let t = TestApp::new().await;
    t.guest("gus").await;
    t.person("mia", false).await;
    let gus = t.sign_in("gus").await;
    let mia = t.sign_in("mia").await;
    assert_eq!(t.get("/people", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get("/people", Some(&gus)).await.status, StatusCode::FORBIDDEN, "guests do not browse the directory");
    assert_eq!(t.get("/people/mia", Some(&gus)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/people/gus", Some(&gus)).await.status, StatusCode::OK, "but see themselves");
    assert_eq!(t.get("/people", Some(&mia)).await.status, StatusCode::OK);
    assert_eq!(t.get("/people/gus", Some(&mia)).await.status, StatusCode::OK);
    assert_eq!(
        t.get("/communities/new", Some(&gus)).await.status,
        StatusCode::FORBIDDEN,
        "guests do not start communities"
    );
    assert_eq!(t.get("/communities/new", Some(&mia)).await.status, StatusCode::OK);
    assert_eq!(t.get("/profile/edit", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get("/settings/tokens", None).await.status, StatusCode::SEE_OTHER);
}

/// What a person who takes part (replies, says "I used this") should get:
/// active members and admins may, others who can see are refused, the rest
/// do not learn the community exists.
fn participate_expected(role: Role, visibility: &str, success: StatusCode, api: bool) -> StatusCode {
    match role {
        Role::Anonymous if api => StatusCode::UNAUTHORIZED,
        Role::Anonymous => StatusCode::FORBIDDEN,
        _ if !sees(role, visibility) => StatusCode::NOT_FOUND,
        Role::Member | Role::Facilitator | Role::Admin => success,
        _ => StatusCode::FORBIDDEN,
    }
}

#[tokio::test]
async fn discussion_practice_and_search_routes_for_every_role_and_visibility() {
    let mut failures = Vec::new();
    for visibility in ["open", "request", "private"] {
        let w = world(visibility).await;
        let t = &w.t;
        let slug = &w.slug;
        let fay_token = w.sessions.iter().find(|(r, _, _)| *r == Role::Facilitator).and_then(|s| s.2.clone());
        let made = t
            .api(
                Method::POST,
                &format!("/api/v1/communities/{slug}/threads"),
                fay_token.as_deref(),
                Some(
                    json!({"kind": "question", "title": "Matrix zebrafinch question", "body": "How do we zebrafinch?"}),
                ),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = t
            .api(
                Method::POST,
                &format!("/api/v1/communities/{slug}/artifacts"),
                fay_token.as_deref(),
                Some(json!({"kind": "checklist", "title": "Zebrafinch checklist", "body": "- [ ] one\n- [ ] two"})),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        for (role, session, token) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let token = token.as_deref();
            let mut check = |route: &str, got: StatusCode, expected: StatusCode| {
                if got != expected {
                    failures.push(format!("{visibility:>8} {role:?} {route}: got {got}, expected {expected}"));
                }
            };
            let expected_page = match role {
                Role::Anonymous => StatusCode::SEE_OTHER,
                _ if sees(role, visibility) => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            for path in [
                format!("/communities/{slug}/discussions"),
                format!("/communities/{slug}/discussions/unanswered"),
                "/threads/1".to_string(),
                format!("/communities/{slug}/practice"),
                "/artifacts/1".to_string(),
                "/artifacts/1/history".to_string(),
            ] {
                check(&format!("GET {path}"), t.get(&path, s).await.status, expected_page);
            }
            check(
                "GET stale list",
                t.get(&format!("/communities/{slug}/practice/stale"), s).await.status,
                managed_page(role, visibility, StatusCode::OK),
            );
            for path in [
                format!("/api/v1/communities/{slug}/threads"),
                "/api/v1/threads/1".into(),
                "/api/v1/artifacts/1".into(),
            ] {
                check(
                    &format!("GET api {path}"),
                    t.api(Method::GET, &path, token, None).await.status,
                    api_read_expected(role, visibility),
                );
            }
            check(
                "POST reply",
                t.post_form("/threads/1/reply", s, &[("body", "A reply from the matrix")]).await.status,
                participate_expected(role, visibility, StatusCode::SEE_OTHER, false),
            );
            check(
                "POST api reply",
                t.api(Method::POST, "/api/v1/threads/1/posts", token, Some(json!({"body": "API reply"}))).await.status,
                participate_expected(role, visibility, StatusCode::CREATED, true),
            );
            check(
                "POST I used this",
                t.post_form("/artifacts/1/reuse", s, &[("note", "matrix")]).await.status,
                participate_expected(role, visibility, StatusCode::SEE_OTHER, false),
            );
            check(
                "POST moderate pin",
                t.post_form("/threads/1/moderate", s, &[("action", "pin")]).await.status,
                managed_post(role, visibility),
            );
            check(
                "POST api curation",
                t.api(
                    Method::POST,
                    "/api/v1/artifacts/1/curation",
                    token,
                    Some(json!({"status": "published", "owners": ["fay"]})),
                )
                .await
                .status,
                api_write_expected(role, visibility),
            );
            // Search: the private community's thread is found only by those who see it.
            let search = t.get("/search?q=zebrafinch", s).await;
            match role {
                Role::Anonymous => check("GET search", search.status, StatusCode::SEE_OTHER),
                _ => {
                    check("GET search", search.status, StatusCode::OK);
                    let found = search.body.contains(r#"href="/threads/1""#);
                    if found != sees(role, visibility) {
                        failures.push(format!("{visibility:>8} {role:?} search finds the thread: {found}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix mismatches:\n{}", failures.join("\n"));
}

/// The people side of a community (kudos, surveys, organization, sponsor
/// report) and the organization-wide pages, for every role and visibility.
#[tokio::test]
async fn people_side_routes_for_every_role_and_visibility() {
    let mut failures = Vec::new();
    for visibility in ["open", "request", "private"] {
        let w = world(visibility).await;
        let t = &w.t;
        let slug = &w.slug;
        for (role, session, token) in &w.sessions {
            let role = *role;
            let s = session.as_ref();
            let token = token.as_deref();
            let mut check = |route: &str, got: StatusCode, expected: StatusCode| {
                if got != expected {
                    failures.push(format!("{visibility:>8} {role:?} {route}: got {got}, expected {expected}"));
                }
            };
            let expected_page = match role {
                Role::Anonymous => StatusCode::SEE_OTHER,
                _ if sees(role, visibility) => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            for sub in ["kudos", "surveys", "organization"] {
                check(
                    &format!("GET {sub}"),
                    t.get(&format!("/communities/{slug}/{sub}"), s).await.status,
                    expected_page,
                );
            }
            // Sponsor, facilitators and admins only (the world has no sponsor).
            check(
                "GET report",
                t.get(&format!("/communities/{slug}/report"), s).await.status,
                managed_page(role, visibility, StatusCode::OK),
            );
            for sub in ["kudos", "surveys", "organization"] {
                check(
                    &format!("GET api {sub}"),
                    t.api(Method::GET, &format!("/api/v1/communities/{slug}/{sub}"), token, None).await.status,
                    api_read_expected(role, visibility),
                );
            }
            check(
                "GET api budget-lines",
                t.api(Method::GET, &format!("/api/v1/communities/{slug}/budget-lines"), token, None).await.status,
                api_write_expected(role, visibility),
            );
            // The facilitator (earlier in ROLES) opens one; the admin then
            // meets the one-open-survey rule.
            let expected = match role {
                Role::Admin => StatusCode::CONFLICT,
                _ => managed_post(role, visibility),
            };
            check(
                "POST open survey",
                t.post_form(&format!("/communities/{slug}/surveys"), s, &[("title", "Matrix pulse")]).await.status,
                expected,
            );
        }
    }
    assert!(failures.is_empty(), "authorization matrix mismatches:\n{}", failures.join("\n"));
}
