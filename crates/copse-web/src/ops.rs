//! Operations: `/healthz`, `/metrics` in the Prometheus text format, the
//! static assets embedded in the binary, and the request-tracking middleware
//! that feeds the metrics and the log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::WebState;

/// Latency bucket bounds in milliseconds.
const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000];

/// Request counters since the process started.
#[derive(Debug, Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; BUCKETS_MS.len()],
    total_micros: AtomicU64,
    count: AtomicU64,
}

impl Metrics {
    fn observe(&self, status: StatusCode, micros: u64) {
        let class = (status.as_u16() / 100).clamp(1, 5) as usize - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.total_micros.fetch_add(micros, Ordering::Relaxed);
        for (i, bound) in BUCKETS_MS.iter().enumerate() {
            if micros <= bound * 1000 {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn render(&self, database_up: bool) -> String {
        let mut out = String::new();
        out.push_str("# HELP copse_up Whether the database answers (1) or not (0).\n# TYPE copse_up gauge\n");
        out.push_str(&format!("copse_up {}\n", u8::from(database_up)));
        out.push_str("# HELP copse_http_requests_total HTTP requests answered, by status class.\n");
        out.push_str("# TYPE copse_http_requests_total counter\n");
        for (i, counter) in self.by_class.iter().enumerate() {
            out.push_str(&format!(
                "copse_http_requests_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                counter.load(Ordering::Relaxed)
            ));
        }
        out.push_str("# HELP copse_http_request_duration_seconds Time to answer HTTP requests.\n");
        out.push_str("# TYPE copse_http_request_duration_seconds histogram\n");
        for (i, bound) in BUCKETS_MS.iter().enumerate() {
            out.push_str(&format!(
                "copse_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                *bound as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!("copse_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"));
        out.push_str(&format!(
            "copse_http_request_duration_seconds_sum {}\n",
            self.total_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str(&format!("copse_http_request_duration_seconds_count {count}\n"));
        out
    }
}

/// Times every request, counts it, and logs it at debug level (errors at warn).
pub async fn track(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let micros = started.elapsed().as_micros() as u64;
    state.metrics.observe(response.status(), micros);
    let status = response.status().as_u16();
    let route = route.as_deref().unwrap_or(&path);
    if status >= 500 {
        tracing::warn!(%method, route, status, micros, "request failed");
    } else {
        tracing::debug!(%method, route, status, micros, "request");
    }
    // Pages are personal (they show who is signed in): never store them in
    // shared caches.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("same-origin"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/static/copse.css", get(stylesheet))
        .route("/static/favicon.svg", get(favicon))
}

async fn healthz(State(state): State<WebState>) -> Response {
    if state.app.healthy().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
    }
}

async fn metrics(State(state): State<WebState>) -> Response {
    let body = state.metrics.render(state.app.healthy().await);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

const STYLESHEET: &str = include_str!("../static/copse.css");
const FAVICON: &str = include_str!("../static/favicon.svg");

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
        .into_response()
}

async fn favicon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], FAVICON)
        .into_response()
}
