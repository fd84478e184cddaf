//! `TestApp`: the whole web application on a fresh database (SQLite, or
//! PostgreSQL with COPSE_TEST_BACKEND=postgres), driven through
//! `tower::ServiceExt::oneshot` without a socket.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use copse_app::{App, AppConfig, NewAccount};
use copse_domain::{CommunityInput, MembershipRole, MembershipStatus, PersonId, Timestamp};
use copse_store::MembershipChange;
use copse_testkit::TestDb;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub db: TestDb,
    pub app: App,
    pub router: Router,
}

/// A signed-in browser: its session cookie and the CSRF token for its forms.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(AppConfig::default()).await
    }

    pub async fn with_config(config: AppConfig) -> Self {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), config).await.expect("app starts");
        let router = copse_web::router(app.clone());
        Self { db, app, router }
    }

    /// A person with a local account.
    pub async fn person(&self, handle: &str, admin: bool) -> PersonId {
        self.app
            .create_account(&NewAccount {
                handle: handle.into(),
                name: format!("{} Tester", capitalize(handle)),
                email: format!("{handle}@example.com"),
                password: PASSWORD.into(),
                admin,
            })
            .await
            .expect("create account")
    }

    pub async fn guest(&self, handle: &str) -> PersonId {
        let id = self.person(handle, false).await;
        self.db.store.set_org_role(id, copse_domain::OrgRole::Guest).await.unwrap();
        id
    }

    /// Signs in through the real form and returns the browser's session.
    pub async fn sign_in(&self, handle: &str) -> Session {
        let login = self.send(Method::GET, "/login", None, Body::empty(), None).await;
        assert_eq!(login.status, StatusCode::OK);
        let anon = set_cookie_value(&login.headers, "copse_anon").expect("anon cookie");
        let csrf = hidden_csrf(&login.body);
        let body = format!("_csrf={csrf}&login={handle}&password={}&next=%2F", PASSWORD.replace(' ', "+"));
        let response =
            self.send(Method::POST, "/login", Some(&format!("copse_anon={anon}")), Body::from(body), Some(FORM)).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "sign-in failed: {}", response.body);
        let token = set_cookie_value(&response.headers, "copse_session").expect("session cookie");
        Session { cookie: format!("copse_session={token}"), csrf: self.app.csrf_token(&format!("s:{token}")) }
    }

    /// Creates a community through the app as `creator`, returning its slug.
    pub async fn community(&self, creator: &Session, slug: &str, visibility: &str) -> String {
        let response = self
            .post_form(
                "/communities/new",
                Some(creator),
                &[
                    ("name", &format!("Community {slug}")),
                    ("slug", slug),
                    ("domain", "Learning together"),
                    ("kind", "technical-practice"),
                    ("visibility", visibility),
                    ("purpose", "Share what works"),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "create failed: {}", response.body);
        slug.to_string()
    }

    /// Sets a membership directly (test setup).
    pub async fn add_member(&self, slug: &str, person: PersonId, role: MembershipRole, status: MembershipStatus) {
        let row = self.db.store.find_community_for_viewer(slug, None).await.unwrap().expect("community");
        self.db
            .store
            .set_membership(&MembershipChange {
                community: copse_domain::CommunityId(row.community.id),
                person,
                role,
                status,
                actor: None,
                at: Timestamp::now(),
            })
            .await
            .unwrap();
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        body: Body,
        content_type: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> TestResponse {
        self.send(Method::GET, path, session.map(|s| s.cookie.as_str()), Body::empty(), None).await
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, session: Option<&Session>, fields: &[(&str, &str)]) -> TestResponse {
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        if let Some(session) = session {
            pairs.push(("_csrf", &session.csrf));
        }
        self.post_raw(path, session, &encode(&pairs)).await
    }

    pub async fn post_raw(&self, path: &str, session: Option<&Session>, body: &str) -> TestResponse {
        self.send(Method::POST, path, session.map(|s| s.cookie.as_str()), Body::from(body.to_string()), Some(FORM))
            .await
    }

    /// An API call with a bearer token.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match json {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// An API token for a signed-in person.
    pub async fn token(&self, handle: &str) -> String {
        let session = self.sign_in(handle).await;
        let viewer =
            self.app.authenticate_session(session.cookie.trim_start_matches("copse_session=")).await.unwrap().unwrap();
        self.app.create_api_token(&viewer, "tests").await.unwrap()
    }

    pub async fn community_input(&self, slug: &str) -> CommunityInput {
        let row = self.db.store.find_community_for_viewer(slug, None).await.unwrap().expect("community");
        CommunityInput { name: row.community.name, slug: row.community.slug, ..Default::default() }
    }
}

pub const FORM: &str = "application/x-www-form-urlencoded";

pub fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn set_cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string()))
}

pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
