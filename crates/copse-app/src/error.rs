//! The one error type of the use cases. Pick the kind by what the caller
//! should do about it; the web layer maps each kind to one HTTP status and a
//! stable problem code in one place.
//!
//! - `NotFound`: the thing does not exist *or the actor may not know it does*
//!   (private communities answer this, never `Forbidden`).
//! - `Forbidden`: the actor can see the thing but may not do this to it.
//! - `Unauthenticated`: sign in first.
//! - `Invalid`: the input was wrong; every field's message is included.
//! - `Conflict`: a unique name is taken, or the state does not allow it.
//! - `RateLimited`: slow down; try again after the given seconds.
//! - `Internal`: our fault; details are logged, not shown.

use copse_domain::FieldErrors;
use copse_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("sign in first")]
    Unauthenticated,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("{message}")]
    Conflict { field: &'static str, message: String },
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::single(field, message))
    }

    /// A short stable code for the API's problem documents.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Invalid(_) => "invalid_input",
            AppError::Conflict { .. } => "conflict",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound("record"),
            StoreError::Conflict(what) => {
                let (field, message) = match what.as_str() {
                    "communities.slug" => ("slug", "that slug is taken by another community"),
                    "people.handle" => ("handle", "that handle is taken"),
                    "people.email" => ("email", "that e-mail address is already in use"),
                    "org_goals.title" => ("title", "a goal with that title exists"),
                    "events.capacity" => (
                        "capacity",
                        "more people are already going to an upcoming session; the capacity cannot be lower",
                    ),
                    _ => ("", "that already exists"),
                };
                AppError::Conflict { field, message: message.to_string() }
            }
            other => {
                tracing::error!(error = %other, "store error");
                AppError::Internal(other.to_string())
            }
        }
    }
}
