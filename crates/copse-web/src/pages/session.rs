//! Signing in and out.

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use copse_app::{AppError, Credentials};
use serde::Deserialize;

use super::layout::{Layout, render_status};
use crate::WebState;
use crate::auth::{ANON_COOKIE, SESSION_COOKIE, cookie, csrf_binding, set_cookie};
use crate::error::PageError;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths are followed after sign-in, never another host.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn show_login(State(state): State<WebState>, headers: HeaderMap, Query(query): Query<NextQuery>) -> Response {
    // A signed-out visitor gets a random cookie to bind the form's CSRF token to.
    let (anon, set) = match cookie(&headers, ANON_COOKIE) {
        Some(value) if value.len() == 32 => (value.to_string(), None),
        _ => {
            let value = random_anon();
            let header = set_cookie(ANON_COOKIE, &value, 86_400, state.app.config().secure_cookies);
            (value, Some(header))
        }
    };
    let binding = csrf_binding(&headers).filter(|_| set.is_none()).unwrap_or_else(|| format!("a:{anon}"));
    let page = LoginPage {
        layout: Layout::new("Sign in", state.app.org_name(), None, &state.app.csrf_token(&binding), ""),
        next: safe_next(query.next.as_deref()),
        login: String::new(),
        error: None,
    };
    let mut response = render_status(StatusCode::OK, &page);
    if let Some(set) = set
        && let Ok(value) = set.parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn random_anon() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    // Not a secret: it only has to differ between visitors. The CSRF token
    // derived from it is an HMAC under the server secret.
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let counter = ANON_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:016x}{:016x}", nanos as u64, counter ^ std::process::id() as u64)
}

static ANON_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0x5eed);

#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<WebState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    Form(form): Form<SignInForm>,
) -> Response {
    let client_ip = peer.map(|Extension(ConnectInfo(addr))| addr.ip().to_string()).unwrap_or_else(|| "local".into());
    let credentials = Credentials { login: form.login.clone(), password: form.password, client_ip };
    match state.app.sign_in(&credentials).await {
        Ok((token, _viewer)) => {
            let max_age = state.app.config().session_days * 86_400;
            let cookie = set_cookie(SESSION_COOKIE, &token.0, max_age, state.app.config().secure_cookies);
            let mut response = Redirect::to(&safe_next(form.next.as_deref())).into_response();
            if let Ok(value) = cookie.parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(error @ (AppError::Invalid(_) | AppError::RateLimited { .. })) => {
            let status = crate::error::status_of(&error);
            let message = match &error {
                AppError::Invalid(fields) => fields.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; "),
                other => crate::error::public_message(other),
            };
            let binding = csrf_binding(&headers).unwrap_or_default();
            let page = LoginPage {
                layout: Layout::new("Sign in", state.app.org_name(), None, &state.app.csrf_token(&binding), ""),
                next: safe_next(form.next.as_deref()),
                login: form.login,
                error: Some(message),
            };
            render_status(status, &page)
        }
        Err(other) => PageError::from(other).into_response(),
    }
}

pub async fn sign_out(State(state): State<WebState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(error) = state.app.sign_out(token).await
    {
        return PageError::from(error).into_response();
    }
    let mut response = Redirect::to("/login").into_response();
    let expired = set_cookie(SESSION_COOKIE, "", 0, state.app.config().secure_cookies);
    if let Ok(value) = expired.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/communities/rust")), "/communities/rust");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
