//! Who is asking: the session cookie for pages, a bearer token (or, for
//! reading only, the session cookie) for the API; and CSRF checking for every
//! state-changing page request.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use copse_app::{AppError, Viewer};

use crate::WebState;
use crate::error::{ApiError, PageError};

pub const SESSION_COOKIE: &str = "copse_session";
/// A random value given to signed-out visitors so the sign-in form has a
/// CSRF token bound to something.
pub const ANON_COOKIE: &str = "copse_anon";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The value CSRF tokens are bound to: the session if there is one, else the
/// signed-out visitor's cookie.
pub fn csrf_binding(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
        .map(|s| format!("s:{s}"))
        .or_else(|| cookie(headers, ANON_COOKIE).map(|a| format!("a:{a}")))
}

pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The signed-in person behind a page request; signed-out visitors are sent
/// to the sign-in page and come back afterwards.
pub struct PageViewer {
    pub viewer: Viewer,
    /// The CSRF token to embed in this page's forms.
    pub csrf: String,
}

impl FromRequestParts<WebState> for PageViewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let viewer = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => {
                state.app.authenticate_session(token).await.map_err(|e| PageError::from(e).into_response())?
            }
            None => None,
        };
        let Some(viewer) = viewer else {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next));
            return Err(Redirect::to(&target).into_response());
        };
        let csrf = csrf_binding(&parts.headers).map(|b| state.app.csrf_token(&b)).unwrap_or_default();
        Ok(PageViewer { viewer, csrf })
    }
}

/// The person behind an API request: `Authorization: Bearer copse_…`, or the
/// session cookie for safe (GET/HEAD) requests, which are not open to CSRF.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<WebState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
        let viewer = if let Some(token) = bearer {
            state.app.authenticate_api_token(token.trim()).await?
        } else if matches!(parts.method, Method::GET | Method::HEAD) {
            match cookie(&parts.headers, SESSION_COOKIE) {
                Some(token) => state.app.authenticate_session(token).await?,
                None => None,
            }
        } else {
            None
        };
        viewer.map(ApiViewer).ok_or(ApiError(AppError::Unauthenticated))
    }
}

/// Refuses any state-changing page request whose CSRF token (form field
/// `_csrf` or header `X-CSRF-Token`) does not match its session. The form body
/// is read here (within the body limit) and handed on untouched.
pub async fn require_csrf(State(state): State<WebState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return PageError::status(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "That request is too large.")
                .into_response();
        }
    };
    let submitted = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()));
    let valid = match (csrf_binding(&parts.headers), submitted) {
        (Some(binding), Some(token)) => state.app.verify_csrf(&binding, &token),
        _ => false,
    };
    if !valid {
        return PageError::status(
            axum::http::StatusCode::FORBIDDEN,
            "This form has expired or did not come from copse. Go back, reload the page and try again.",
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

pub fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
