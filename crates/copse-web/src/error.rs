//! AppError to HTTP, in one place: HTML error pages for people and
//! `application/problem+json` (RFC 9457) with a stable `code` for programs.

use axum::extract::OriginalUri;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_app::AppError;
use serde::Serialize;

use crate::pages::layout::ErrorPage;

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a person reads; internal details stay in the log.
pub fn public_message(error: &AppError) -> String {
    match error {
        AppError::NotFound(what) => format!("There is no such {what}, or it is not visible to you."),
        AppError::Internal(_) => "Something went wrong on our side. It has been logged; please try again.".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// An error shown as an HTML page.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn status(status: StatusCode, message: &str) -> Self {
        Self { status, message: message.to_string() }
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        Self { status: status_of(&error), message: public_message(&error) }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error").to_string();
        ErrorPage::render_response(self.status, &title, &self.message)
    }
}

/// One field's problem in a problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code: not_found, forbidden, unauthenticated,
    /// invalid_input, conflict, rate_limited, payload_too_large, bad_request,
    /// unsupported_media_type, internal.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

pub fn problem(status: StatusCode, code: &str, detail: String, errors: Vec<ProblemField>) -> Response {
    let body = Problem {
        kind: format!("https://copse.invalid/problems/{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        code: code.to_string(),
        errors,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/problem+json")], json).into_response()
}

/// An error answered as a problem document.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let errors = match &error {
            AppError::Invalid(fields) => fields
                .0
                .iter()
                .map(|f| ProblemField { field: f.field.to_string(), message: f.message.clone() })
                .collect(),
            AppError::Conflict { field, message } if !field.is_empty() => {
                vec![ProblemField { field: field.to_string(), message: message.clone() }]
            }
            _ => Vec::new(),
        };
        let mut response = problem(status_of(&error), error.code(), public_message(&error), errors);
        if let AppError::RateLimited { retry_after_secs } = error
            && let Ok(value) = retry_after_secs.to_string().parse()
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Unknown paths: a problem document under /api, a page elsewhere.
pub async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    if uri.path().starts_with("/api/") {
        problem(StatusCode::NOT_FOUND, "not_found", format!("no route for {}", uri.path()), Vec::new())
    } else {
        PageError::status(StatusCode::NOT_FOUND, "There is no page at this address.").into_response()
    }
}
