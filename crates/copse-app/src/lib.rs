//! copse's use cases. Every request from the web layer or the CLI goes through
//! an [`App`] method, which checks the policy (`copse_domain::can`) before it
//! reads or changes anything, parses input into domain values, calls the
//! store, and returns read models (`*View`, `*Page`) made of domain types.
//!
//! It owns: authentication (passwords, sessions, API tokens, CSRF tokens,
//! sign-in rate limits), communities and memberships, people and profiles,
//! events, discussions, the practice repository, search (deciding who may see
//! what, over the `copse-search` index it owns), the demo and scale generators, and the small in-process caches that keep hot
//! pages fast (each checked against a version the database keeps, so several
//! `copse serve` processes stay correct).
//!
//! It knows nothing of HTTP or HTML.

mod accounts;
mod cache;
mod calendars;
mod communities;
pub mod demo;
mod demo_discussions;
mod demo_events;
mod demo_expertise;
mod demo_insight;
mod demo_mentoring;
mod demo_organization;
mod demo_practice;
mod demo_recognition;
mod discussions;
mod error;
mod events;
mod expertise;
mod import;
mod insight;
mod mentoring;
mod organization;
mod people;
mod planning;
mod practice;
mod recognition;
mod routing;
pub mod scale_activity;
mod search;
mod surveys;

pub use accounts::{ApiTokenView, Credentials, NewAccount, SessionToken, Viewer};
pub use calendars::*;
pub use communities::*;
pub use copse_store::{
    Backend, CommunityFilter, IdentityRow, ImportRunRow, LookAlike, MAX_TEAM_CHOICES, PeopleFilter, PersonSummary,
    Store, StoreError, StoreOptions,
};
pub use discussions::*;
pub use error::AppError;
pub use events::*;
pub use expertise::*;
pub use import::*;
pub use insight::*;
pub use mentoring::*;
pub use organization::*;
pub use people::*;
pub use planning::*;
pub use practice::*;
pub use recognition::*;
pub use routing::*;
pub use search::*;
pub use surveys::*;

use std::sync::Arc;

/// Settings the application needs, already typed; the binary reads them from
/// files and environment.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// How long a sign-in lasts.
    pub session_days: i64,
    /// Mark cookies `Secure` (serve over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Failed sign-ins allowed per account in the window before refusing.
    pub login_failures_per_account: i64,
    /// Failed sign-ins allowed per client address in the window.
    pub login_failures_per_ip: i64,
    pub login_window_minutes: i64,
    /// Where this process keeps its search index; `None` keeps it in memory
    /// (tests), rebuilt from the database on start.
    pub search_index_dir: Option<std::path::PathBuf>,
    /// Where files uploaded for an import wait until the background job
    /// has read them; `None` refuses uploads (the CLI still imports).
    pub import_upload_dir: Option<std::path::PathBuf>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_days: 14,
            secure_cookies: false,
            login_failures_per_account: 5,
            login_failures_per_ip: 30,
            login_window_minutes: 15,
            search_index_dir: None,
            import_upload_dir: None,
        }
    }
}

/// The application: a store, its configuration, and the caches in front of it.
/// Cheap to clone; every clone shares the same pool and caches.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: AppConfig,
    /// The key for CSRF tokens, shared through the database by every process.
    server_secret: Vec<u8>,
    org_name: String,
    caches: cache::Caches,
    /// Derived from the database through the change feed.
    search: copse_search::SearchIndex,
}

impl App {
    /// Builds the application over a migrated store. Loads (or creates, once
    /// for all processes) the server secret.
    pub async fn new(store: Store, config: AppConfig) -> Result<Self, AppError> {
        let fresh = accounts::random_token(32);
        let secret = store.setting_or_insert("server_secret", &fresh).await?;
        let org_name = store.find_setting("org_name").await?.unwrap_or_else(|| "Your organization".into());
        let search = copse_search::SearchIndex::open(&copse_search::IndexOptions {
            directory: config.search_index_dir.clone(),
            ..Default::default()
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                config,
                server_secret: secret.into_bytes(),
                org_name,
                caches: cache::Caches::default(),
                search,
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub fn search_index(&self) -> &copse_search::SearchIndex {
        &self.inner.search
    }

    pub fn org_name(&self) -> &str {
        &self.inner.org_name
    }

    /// Whether the database answers, for health checks.
    pub async fn healthy(&self) -> bool {
        self.inner.store.ping().await.is_ok()
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("backend", &self.inner.store.backend()).finish_non_exhaustive()
    }
}
