//! The administrator's import pages: starting an import by uploading a file
//! (`/admin/imports`), following a run's progress (`/admin/imports/{id}`),
//! and the identity review: look-alike people to merge or tell apart
//! (`/admin/identities`) and one person's identities, each of which can be
//! unmerged again (`/admin/people/{id}/identities`).
//!
//! The upload is `multipart/form-data`, streamed chunk by chunk into a new
//! file in the configured uploads directory, then queued for the `serve`
//! process's import worker (`App::queue_import`). It is the one form that
//! cannot pass through the CSRF middleware, which reads bodies of at most
//! [`crate::MAX_BODY_BYTES`] as URL-encoded forms; so [`upload_routes`] sits
//! outside that middleware, raises the body limit for this route only, and
//! checks the `_csrf` field itself before it writes any file.
//!
//! The run page follows a running import without reloading: a small script
//! (served at [`PROGRESS_SCRIPT_PATH`], since the site's CSP allows no inline
//! script) polls `GET /api/v1/imports/{id}` every second.

use std::path::{Path as FsPath, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use askama::Template;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::{AppError, CommunityFilter, Viewer};
use copse_app::{IdentityRow, ImportRunRow, LookAlike, PersonSummary};
use copse_domain::{Action, FieldErrors, Timestamp, can};
use copse_import::Source;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use super::home::NoticeQuery;
use super::layout::{ErrorLink, Layout, error_links, form_title, render_status};
use crate::WebState;
use crate::auth::{CSRF_FIELD, PageViewer, csrf_binding};
use crate::error::PageError;
use crate::format;

/// The largest upload accepted (all files of one form together).
pub const MAX_UPLOAD_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// How the limit reads on the page.
const MAX_UPLOAD_TEXT: &str = "2 GiB";
/// The body limit of the upload route: the files plus room for the form's
/// other fields and the multipart framing.
const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD_BYTES as usize + 1024 * 1024;
/// The longest text field (CSRF token, source, community) read from the
/// upload form; anything longer is not something the form sends.
const MAX_TEXT_FIELD: usize = 1024;
/// How many recent runs the imports page lists.
const RECENT_RUNS: i64 = 50;
/// How many warnings a run page lists (the run keeps at most 200 anyway).
const SHOWN_WARNINGS: usize = 200;
/// How many look-alike pairs the review shows at once.
const LOOK_ALIKES: usize = 100;

pub const PROGRESS_SCRIPT_PATH: &str = "/static/import-progress.js";
const PROGRESS_SCRIPT: &str = include_str!("../../static/import-progress.js");

/// The Stack Exchange dump files the importer reads; an upload of a dump
/// keeps these (under these names) and skips the others.
const DUMP_FILES: [&str; 5] = ["Posts.xml", "Users.xml", "Comments.xml", "Votes.xml", "Tags.xml"];

/// Routes that go through the CSRF middleware like every other page.
pub fn routes() -> Router<crate::WebState> {
    Router::new()
        .route("/admin/imports/{id}", get(show_run))
        .route("/admin/imports/{id}/again", post(run_again))
        .route("/admin/identities", get(show_look_alikes))
        .route("/admin/identities/merge", post(merge))
        .route("/admin/identities/distinct", post(distinct))
        .route("/admin/identities/{id}/unmerge", post(unmerge))
        .route("/admin/people/{id}/identities", get(show_identities))
        .route(PROGRESS_SCRIPT_PATH, get(progress_script))
}

/// The upload form: outside the CSRF middleware (see the module doc), with
/// its own body limit.
pub fn upload_routes() -> Router<crate::WebState> {
    Router::new()
        .route("/admin/imports", get(show_imports).post(start_import).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
}

fn admin_layout(state: &WebState, viewer: &Viewer, csrf: &str, title: String) -> Layout {
    Layout::new(title, state.app.org_name(), Some(viewer), csrf, "admin")
}

fn forbidden_unless_admin(viewer: &Viewer) -> Result<(), PageError> {
    if can(&viewer.actor, Action::Administer) {
        Ok(())
    } else {
        Err(PageError::from(AppError::Forbidden("only administrators import and review identities")))
    }
}

// --- formatting ---------------------------------------------------------------

/// "82,413".
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// "3 Mar 2025, 14:05" in the reader's zone.
fn when(at: i64, viewer: &Viewer) -> String {
    let at = Timestamp(at);
    format!("{}, {}", format::date(at, viewer.time_zone), format::time(at, viewer.time_zone))
}

/// "2 min 5 s", "40 s", "1 h 3 min".
fn took(millis: i64) -> String {
    let secs = (millis.max(0) + 500) / 1000;
    match (secs / 3600, (secs % 3600) / 60, secs % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

fn source_title(name: &str) -> String {
    match Source::parse(name) {
        Some(Source::Git) => "Git repository".into(),
        Some(Source::Mbox) => "Mailing list (mbox)".into(),
        Some(Source::Slack) => "Slack export".into(),
        Some(Source::StackExchange) => "Stack Exchange dump".into(),
        Some(Source::PeopleCsv) => "People directory (CSV)".into(),
        None => name.to_string(),
    }
}

/// What to upload for a source, beyond `Source::describe`.
fn source_how(source: Source) -> &'static str {
    match source {
        Source::Git => {
            "Upload the repository as one bundle file. In a clone of it, run the command below and choose repo.bundle."
        }
        Source::Mbox => "One archive file, e.g. a month of the list as its archive page offers it.",
        Source::Slack => "The .zip file as a workspace administrator downloads it (Settings, Import/Export data).",
        Source::StackExchange => {
            "Choose Posts.xml together with Users.xml, Comments.xml, Votes.xml and Tags.xml from the unpacked dump \
             (select several files at once). The dump's other files are not needed and are skipped."
        }
        Source::PeopleCsv => "One .csv file with a header row naming its columns.",
    }
}

/// "a git repository" → "A git repository".
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn status_label(status: &str) -> &'static str {
    match status {
        "queued" => "Queued",
        "checking" => "Checking",
        "loading" => "Loading",
        "done" => "Done",
        "failed" => "Failed",
        "interrupted" => "Interrupted",
        _ => "Unknown",
    }
}

fn is_active(status: &str) -> bool {
    matches!(status, "queued" | "checking" | "loading")
}

/// A run as the list and the run page show it.
struct RunView {
    id: i64,
    community_name: String,
    community_slug: String,
    source: String,
    input: String,
    /// The stored status word, for CSS classes and the script.
    status: String,
    status_label: &'static str,
    active: bool,
    done: i64,
    total: Option<i64>,
    /// "1,200 of 5,000 records", "Reading the whole file first …".
    progress_text: String,
    records: String,
    added: String,
    queued: String,
    queued_iso: String,
    finished: Option<String>,
    finished_iso: String,
    took: Option<String>,
}

/// The words under a run's progress bar (the script computes the same).
fn progress_text(status: &str, done: i64, total: Option<i64>) -> String {
    match (status, total) {
        ("queued", _) => "Waiting for the import worker to start it".into(),
        ("checking", _) => "Reading the whole input once to check it; nothing is written yet".into(),
        (_, Some(total)) => format!("{} of {} records", grouped(done), grouped(total)),
        (_, None) => format!("{} records", grouped(done)),
    }
}

impl RunView {
    fn new(run: &ImportRunRow, viewer: &Viewer) -> Self {
        Self {
            id: run.id,
            community_name: run.community_name.clone(),
            community_slug: run.community_slug.clone(),
            source: source_title(&run.source),
            input: run.input.clone(),
            status: run.status.clone(),
            status_label: status_label(&run.status),
            active: is_active(&run.status),
            done: run.done_units,
            total: run.total_units,
            progress_text: progress_text(&run.status, run.done_units, run.total_units),
            records: grouped(run.records),
            added: grouped(run.added),
            queued: when(run.created_at, viewer),
            queued_iso: format::rfc3339(Timestamp(run.created_at)),
            finished: run.finished_at.map(|at| when(at, viewer)),
            finished_iso: run.finished_at.map(|at| format::rfc3339(Timestamp(at))).unwrap_or_default(),
            took: run.finished_at.map(|at| took(at - run.created_at)),
        }
    }

    /// The bar's value and maximum; none while the total is unknown (an
    /// indeterminate bar).
    fn bar(&self) -> Option<(i64, i64)> {
        match (self.status.as_str(), self.total) {
            ("done", Some(total)) => Some((total.max(1), total.max(1))),
            (_, Some(total)) if total > 0 => Some((self.done.min(total), total)),
            _ => None,
        }
    }
}

// --- the imports page and the upload -------------------------------------------

struct SourceChoice {
    name: &'static str,
    title: String,
    /// `Source::describe`, as a sentence.
    describe: String,
    how: &'static str,
}

/// What the upload form keeps when it is shown again with errors.
#[derive(Debug, Default)]
struct UploadForm {
    source: String,
    community: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    layout: Layout,
    admin_tab: &'static str,
    error_links: Vec<ErrorLink>,
    errors: FieldErrors,
    form: UploadForm,
    sources: Vec<SourceChoice>,
    /// (slug, name), by name.
    communities: Vec<(String, String)>,
    uploads_enabled: bool,
    max_upload: &'static str,
    runs: Vec<RunView>,
}

/// Every community, for the form's select (administrators see them all).
async fn all_communities(state: &WebState, viewer: &Viewer) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    let filter = CommunityFilter::default();
    // 200 a page; a thousand pages is far more communities than any
    // organization has, and keeps the loop bounded.
    for page in 1..=1000 {
        let found = state.app.discover_communities(viewer, &filter, page, 200).await?;
        out.extend(found.cards.into_iter().map(|c| (c.community.slug, c.community.name)));
        if !found.has_next {
            break;
        }
    }
    out.sort_by_key(|(_, name)| name.to_lowercase());
    Ok(out)
}

async fn imports_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    form: UploadForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let runs = match state.app.import_runs(viewer, RECENT_RUNS).await {
        Ok(runs) => runs,
        Err(error) => return PageError::from(error).into_response(),
    };
    let communities = match all_communities(state, viewer).await {
        Ok(list) => list,
        Err(error) => return PageError::from(error).into_response(),
    };
    let sources = Source::ALL
        .into_iter()
        .map(|s| SourceChoice {
            name: s.name(),
            title: source_title(s.name()),
            describe: sentence(s.describe()),
            how: source_how(s),
        })
        .collect();
    let links = error_links(&errors, |field| match field {
        "source" => Some(("source-git".to_string(), "Kind of history")),
        "community" => Some(("community".to_string(), "Community")),
        "file" => Some(("file".to_string(), "File")),
        _ => None,
    });
    let page = ImportsPage {
        layout: admin_layout(state, viewer, csrf, form_title("Imports", &errors)),
        admin_tab: "imports",
        error_links: links,
        errors,
        form,
        sources,
        communities,
        uploads_enabled: state.app.config().import_upload_dir.is_some(),
        max_upload: MAX_UPLOAD_TEXT,
        runs: runs.iter().map(|r| RunView::new(r, viewer)).collect(),
    };
    render_status(status, &page)
}

/// `GET /admin/imports` (administrators).
async fn show_imports(State(state): State<WebState>, PageViewer { viewer, csrf }: PageViewer) -> Response {
    if let Err(error) = forbidden_unless_admin(&viewer) {
        return error.into_response();
    }
    imports_page(&state, &viewer, &csrf, UploadForm::default(), FieldErrors::new(), StatusCode::OK).await
}

/// Why an upload was refused before it could be queued.
#[derive(Debug)]
enum UploadFailure {
    /// The form's `_csrf` field is missing, wrong, or came after a file.
    Csrf,
    TooLarge,
    /// The body is not a well-formed multipart form.
    Malformed(String),
    /// The server could not write the upload.
    Io(String),
}

impl From<MultipartError> for UploadFailure {
    fn from(error: MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadFailure::TooLarge
        } else {
            UploadFailure::Malformed(error.body_text())
        }
    }
}

/// Bytes still allowed in this upload.
#[derive(Debug)]
struct Budget(u64);

impl Budget {
    fn take(&mut self, bytes: usize) -> Result<(), UploadFailure> {
        let bytes = bytes as u64;
        if bytes > self.0 {
            return Err(UploadFailure::TooLarge);
        }
        self.0 -= bytes;
        Ok(())
    }
}

/// One file written to the uploads directory.
#[derive(Debug)]
struct SavedFile {
    path: PathBuf,
    /// The name the browser gave, cleaned for display.
    label: String,
}

/// What the multipart form brought.
#[derive(Debug, Default)]
struct Received {
    form: UploadForm,
    files: Vec<SavedFile>,
    /// The directory made for a Stack Exchange dump's files.
    dump_dir: Option<PathBuf>,
    /// A file part named a file (the browser sends an empty part when no file
    /// was chosen).
    file_chosen: bool,
    /// Files chosen but empty.
    empty: Vec<String>,
    /// The same dump file chosen twice.
    duplicate: Option<String>,
}

impl Received {
    /// Removes everything written, when the upload is refused.
    async fn discard(&self) {
        for file in &self.files {
            let _ = tokio::fs::remove_file(&file.path).await;
        }
        if let Some(dir) = &self.dump_dir {
            let _ = tokio::fs::remove_dir_all(dir).await;
        }
    }
}

/// The browser's file name as the run shows it: the last path component
/// (old browsers send the whole client path), without control characters,
/// at most 120 characters.
fn clean_label(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    cleaned.trim().to_string()
}

/// A file name safe to put in the uploads directory, derived from the label
/// but never trusted as a path: ASCII letters, digits, `.`, `-` and `_`
/// only, no leading dot, at most 80 characters.
fn safe_file_name(label: &str) -> String {
    let mapped: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let trimmed = mapped.trim_start_matches('.');
    if trimmed.is_empty() { "upload".to_string() } else { trimmed.to_string() }
}

/// The canonical name of a Stack Exchange dump file, if `label` is one
/// (early dumps spell them in lower case).
fn dump_file_name(label: &str) -> Option<&'static str> {
    DUMP_FILES.into_iter().find(|name| name.eq_ignore_ascii_case(label))
}

/// A prefix no other upload has: the time, the process and a counter.
fn unique_stem() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{}-{n}", Timestamp::now().millis(), std::process::id())
}

async fn read_text(field: &mut Field<'_>) -> Result<String, UploadFailure> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD {
            return Err(UploadFailure::Malformed("a form field is longer than the form sends".into()));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_string())
}

/// Streams a file part into a new file at `path` (never overwriting one).
/// Returns the bytes written.
async fn write_file(field: &mut Field<'_>, path: &FsPath, budget: &mut Budget) -> Result<u64, UploadFailure> {
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await
        .map_err(|e| UploadFailure::Io(format!("cannot create {}: {e}", path.display())))?;
    let mut written = 0u64;
    let outcome = async {
        while let Some(chunk) = field.chunk().await? {
            budget.take(chunk.len())?;
            file.write_all(&chunk)
                .await
                .map_err(|e| UploadFailure::Io(format!("cannot write {}: {e}", path.display())))?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(|e| UploadFailure::Io(format!("cannot write {}: {e}", path.display())))?;
        Ok(written)
    }
    .await;
    if outcome.is_err() {
        drop(file);
        let _ = tokio::fs::remove_file(path).await;
    }
    outcome
}

/// Reads a part without keeping it (a file the import does not need, or one
/// sent with a form that will be refused anyway), still within the budget.
async fn skip_file(field: &mut Field<'_>, budget: &mut Budget) -> Result<u64, UploadFailure> {
    let mut read = 0u64;
    while let Some(chunk) = field.chunk().await? {
        budget.take(chunk.len())?;
        read += chunk.len() as u64;
    }
    Ok(read)
}

/// Reads the whole form, writing its files into `dir`. The `_csrf` field
/// must come before any file (it does: it is the form's first field).
async fn receive(
    state: &WebState,
    headers: &HeaderMap,
    multipart: &mut Multipart,
    dir: &FsPath,
    received: &mut Received,
) -> Result<(), UploadFailure> {
    let binding = csrf_binding(headers);
    let mut csrf_ok = false;
    let mut budget = Budget(MAX_UPLOAD_BYTES);
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            CSRF_FIELD => {
                let token = read_text(&mut field).await?;
                csrf_ok = binding.as_deref().is_some_and(|b| state.app.verify_csrf(b, &token));
            }
            "source" => received.form.source = read_text(&mut field).await?,
            "community" => received.form.community = read_text(&mut field).await?,
            "file" => {
                if !csrf_ok {
                    return Err(UploadFailure::Csrf);
                }
                let label = clean_label(field.file_name().unwrap_or(""));
                if label.is_empty() {
                    // No file chosen: the part is empty; read past it.
                    skip_file(&mut field, &mut budget).await?;
                    continue;
                }
                received.file_chosen = true;
                // The source comes before the files in the form; without a
                // valid one the form is refused, so the file is not kept.
                let Some(source) = Source::parse(&received.form.source) else {
                    skip_file(&mut field, &mut budget).await?;
                    continue;
                };
                let path = if source == Source::StackExchange {
                    let Some(canonical) = dump_file_name(&label) else {
                        skip_file(&mut field, &mut budget).await?;
                        continue;
                    };
                    let dump_dir = match &received.dump_dir {
                        Some(d) => d.clone(),
                        None => {
                            let d = dir.join(format!("{}-stackexchange", unique_stem()));
                            tokio::fs::create_dir(&d)
                                .await
                                .map_err(|e| UploadFailure::Io(format!("cannot create {}: {e}", d.display())))?;
                            received.dump_dir = Some(d.clone());
                            d
                        }
                    };
                    let path = dump_dir.join(canonical);
                    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                        received.duplicate = Some(canonical.to_string());
                        skip_file(&mut field, &mut budget).await?;
                        continue;
                    }
                    path
                } else {
                    dir.join(format!("{}-{}", unique_stem(), safe_file_name(&label)))
                };
                let written = write_file(&mut field, &path, &mut budget).await?;
                if written == 0 {
                    let _ = tokio::fs::remove_file(&path).await;
                    received.empty.push(label);
                } else {
                    received.files.push(SavedFile { path, label });
                }
            }
            // Unknown parts are read past and ignored.
            _ => {
                skip_file(&mut field, &mut budget).await?;
            }
        }
    }
    if csrf_ok { Ok(()) } else { Err(UploadFailure::Csrf) }
}

/// Checks what was received; on success, the source and the path and label
/// to queue.
fn validate(received: &Received) -> Result<(Source, PathBuf, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let source = if received.form.source.is_empty() {
        errors.add("source", "choose what kind of history the file holds");
        None
    } else {
        let parsed = Source::parse(&received.form.source);
        if parsed.is_none() {
            errors.add("source", format!("copse does not import '{}'", received.form.source));
        }
        parsed
    };
    if received.form.community.is_empty() {
        errors.add("community", "choose the community the history belongs to");
    }
    let mut target = None;
    if !received.file_chosen {
        errors.add("file", "choose a file to upload");
    } else if let Some(source) = source {
        if let Some(name) = &received.duplicate {
            errors.add("file", format!("{name} was chosen twice; choose each dump file once"));
        } else if source == Source::StackExchange {
            let has_posts = received
                .files
                .iter()
                .any(|f| f.path.file_name().is_some_and(|n| n == std::ffi::OsStr::new("Posts.xml")));
            if has_posts {
                let names: Vec<&str> = received.files.iter().map(|f| f.label.as_str()).collect();
                if let Some(dir) = &received.dump_dir {
                    target = Some((dir.clone(), format!("Stack Exchange dump: {}", names.join(", "))));
                }
            } else if received.files.is_empty() && !received.empty.is_empty() {
                errors.add("file", format!("{} is empty", received.empty.join(", ")));
            } else {
                errors.add(
                    "file",
                    "Posts.xml is missing: choose the dump's Posts.xml together with its other files \
                     (Users.xml, Comments.xml, Votes.xml, Tags.xml)",
                );
            }
        } else if received.files.len() + received.empty.len() > 1 {
            errors.add("file", "choose one file: only a Stack Exchange dump is uploaded as several");
        } else if let Some(file) = received.files.first() {
            target = Some((file.path.clone(), file.label.clone()));
        } else {
            let name = received.empty.first().map(String::as_str).unwrap_or("the file");
            errors.add("file", format!("{name} is empty: there is nothing to import"));
        }
    }
    match (source, target) {
        (Some(source), Some((path, label))) if errors.is_empty() => Ok((source, path, label)),
        _ => Err(errors),
    }
}

/// `POST /admin/imports` (multipart): saves the upload and queues the run.
async fn start_import(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(error) = forbidden_unless_admin(&viewer) {
        return error.into_response();
    }
    let Ok(mut multipart) = multipart else {
        return PageError::status(StatusCode::BAD_REQUEST, "The upload form must be sent as multipart/form-data.")
            .into_response();
    };
    let Some(dir) = state.app.config().import_upload_dir.clone() else {
        let errors = FieldErrors::single(
            "file",
            "uploads are turned off on this server (no uploads directory is set); import from the command line \
             with copse import",
        );
        return imports_page(&state, &viewer, &csrf, UploadForm::default(), errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    if let Err(error) = tokio::fs::create_dir_all(&dir).await {
        tracing::error!(%error, dir = %dir.display(), "cannot create the uploads directory");
        return PageError::from(AppError::Internal(format!("uploads directory: {error}"))).into_response();
    }
    let mut received = Received::default();
    let outcome = receive(&state, &headers, &mut multipart, &dir, &mut received).await;
    if let Err(failure) = outcome {
        received.discard().await;
        return match failure {
            UploadFailure::Csrf => PageError::status(
                StatusCode::FORBIDDEN,
                "This form has expired or did not come from copse. Go back, reload the page and try again.",
            )
            .into_response(),
            UploadFailure::TooLarge => {
                let errors = FieldErrors::single(
                    "file",
                    format!(
                        "the upload is larger than {MAX_UPLOAD_TEXT}; import larger files from the command line with copse import"
                    ),
                );
                imports_page(&state, &viewer, &csrf, received.form, errors, StatusCode::PAYLOAD_TOO_LARGE).await
            }
            UploadFailure::Malformed(detail) => {
                PageError::status(StatusCode::BAD_REQUEST, &format!("The upload could not be read: {detail}"))
                    .into_response()
            }
            UploadFailure::Io(detail) => {
                tracing::error!(detail, "cannot save an upload");
                PageError::from(AppError::Internal(detail)).into_response()
            }
        };
    }
    let (source, path, label) = match validate(&received) {
        Ok(target) => target,
        Err(errors) => {
            received.discard().await;
            return imports_page(&state, &viewer, &csrf, received.form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state.app.queue_import(&viewer, source, &received.form.community, &label, &path, true).await {
        Ok(id) => Redirect::to(&format!("/admin/imports/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            received.discard().await;
            imports_page(&state, &viewer, &csrf, received.form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => {
            received.discard().await;
            PageError::from(error).into_response()
        }
    }
}

// --- one run --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "import_run.html")]
struct RunPage {
    layout: Layout,
    admin_tab: &'static str,
    run: RunView,
    bar: Option<(i64, i64)>,
    warnings: Vec<String>,
    more_warnings: usize,
    error: Option<String>,
    /// Nothing was written before the failure.
    nothing_written: bool,
    /// The uploaded file is still there, so the run can be queued again.
    can_run_again: bool,
}

/// An error as the run page shows it: the server's path of the upload is
/// replaced by the name the administrator knows it by.
fn readable_error(error: &str, run: &ImportRunRow) -> String {
    match run.upload_path.as_deref() {
        Some(path) if !path.is_empty() => {
            let inside = format!("{path}/");
            if error.contains(&inside) { error.replace(&inside, "") } else { error.replace(path, &run.input) }
        }
        _ => error.to_string(),
    }
}

/// Whether a run's upload can be imported again: it was interrupted and its
/// file is still in the uploads directory.
fn upload_still_there(state: &WebState, run: &ImportRunRow) -> Option<PathBuf> {
    let dir = state.app.config().import_upload_dir.as_ref()?;
    let path = PathBuf::from(run.upload_path.as_deref()?);
    (run.status == "interrupted" && path.starts_with(dir) && path.exists()).then_some(path)
}

/// `GET /admin/imports/{id}`: the run's progress view.
async fn show_run(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let run = match state.app.import_run(&viewer, id).await {
        Ok(run) => run,
        Err(error) => return PageError::from(error).into_response(),
    };
    let view = RunView::new(&run, &viewer);
    let all: Vec<&str> = run.warnings.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut layout = admin_layout(&state, &viewer, &csrf, format!("Import of {}", run.input));
    if query.notice.as_deref() == Some("again") {
        layout.notice = Some("The import is queued again; it carries on where it stopped.".into());
    }
    let page = RunPage {
        layout,
        admin_tab: "imports",
        bar: view.bar(),
        warnings: all.iter().take(SHOWN_WARNINGS).map(|w| w.to_string()).collect(),
        more_warnings: all.len().saturating_sub(SHOWN_WARNINGS),
        // An interrupted run's message is the interrupted section's to tell.
        error: run.error.as_deref().filter(|_| run.status == "failed").map(|e| readable_error(e, &run)),
        nothing_written: run.done_units == 0,
        can_run_again: upload_still_there(&state, &run).is_some(),
        run: view,
    };
    render_status(StatusCode::OK, &page)
}

/// `POST /admin/imports/{id}/again`: queues an interrupted run's file again.
async fn run_again(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    let run = match state.app.import_run(&viewer, id).await {
        Ok(run) => run,
        Err(error) => return PageError::from(error).into_response(),
    };
    let (Some(path), Some(source)) = (upload_still_there(&state, &run), Source::parse(&run.source)) else {
        return PageError::status(
            StatusCode::CONFLICT,
            "This import cannot be run again: only an interrupted import whose file is still on the server can. \
             Upload the file again instead.",
        )
        .into_response();
    };
    match state.app.queue_import(&viewer, source, &run.community_slug, &run.input, &path, true).await {
        Ok(new_id) => Redirect::to(&format!("/admin/imports/{new_id}?notice=again")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

async fn progress_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        PROGRESS_SCRIPT,
    )
        .into_response()
}

// --- identities -------------------------------------------------------------------

/// A person as the review shows them.
struct PersonCard {
    id: i64,
    handle: String,
    name: String,
    email: String,
    has_account: bool,
    identities: String,
    contributions: String,
}

impl From<&PersonSummary> for PersonCard {
    fn from(p: &PersonSummary) -> Self {
        Self {
            id: p.id,
            handle: p.handle.clone(),
            name: p.name.clone(),
            email: p.email.clone().unwrap_or_default(),
            has_account: p.has_account,
            identities: format::count(p.identities, "identity", "identities"),
            contributions: format::count(p.contributions, "contribution", "contributions"),
        }
    }
}

/// One merge the review offers: `from` goes into `into`.
struct MergeOffer {
    from: i64,
    into: i64,
    label: String,
}

struct PairView {
    index: usize,
    a_id: i64,
    b_id: i64,
    a_name: String,
    b_name: String,
    /// The two, side by side.
    people: Vec<PersonCard>,
    reason: String,
    merges: Vec<MergeOffer>,
}

/// A person told apart from a namesake: their e-mail address, else their
/// handle (look-alikes often share the name).
fn who(p: &PersonSummary) -> String {
    p.email.clone().filter(|e| !e.is_empty()).unwrap_or_else(|| format!("@{}", p.handle))
}

/// The merges that keep a person who signs in: the one without an account
/// goes into the one with it; with neither, both ways; with both, none.
fn merge_offers(a: &PersonSummary, b: &PersonSummary) -> Vec<MergeOffer> {
    let offer = |from: &PersonSummary, into: &PersonSummary| MergeOffer {
        from: from.id,
        into: into.id,
        label: format!("Same person: merge {} into {}", who(from), who(into)),
    };
    match (a.has_account, b.has_account) {
        (true, false) => vec![offer(b, a)],
        (false, true) => vec![offer(a, b)],
        (false, false) => vec![offer(b, a), offer(a, b)],
        (true, true) => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "identities.html")]
struct LookAlikesPage {
    layout: Layout,
    admin_tab: &'static str,
    error: Option<String>,
    pairs: Vec<PairView>,
}

async fn look_alikes_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    notice: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let pairs: Vec<LookAlike> = match state.app.look_alikes(viewer, LOOK_ALIKES).await {
        Ok(pairs) => pairs,
        Err(error) => return PageError::from(error).into_response(),
    };
    let title = if error.is_some() { "Error: Identity review" } else { "Identity review" };
    let mut layout = admin_layout(state, viewer, csrf, title.to_string());
    layout.notice = match notice {
        Some("merged") => Some("Merged: everything of the one person now belongs to the other. An unmerge on the person's identities page undoes it.".into()),
        Some("distinct") => Some("Noted: they are different people, and the review no longer offers them.".into()),
        _ => None,
    };
    let pairs = pairs
        .iter()
        .enumerate()
        .map(|(index, pair)| PairView {
            index,
            a_id: pair.a.id,
            b_id: pair.b.id,
            a_name: pair.a.name.clone(),
            b_name: pair.b.name.clone(),
            people: vec![PersonCard::from(&pair.a), PersonCard::from(&pair.b)],
            reason: pair.reason.clone(),
            merges: merge_offers(&pair.a, &pair.b),
        })
        .collect();
    render_status(status, &LookAlikesPage { layout, admin_tab: "identities", error, pairs })
}

/// `GET /admin/identities`: the look-alike review.
async fn show_look_alikes(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    look_alikes_page(&state, &viewer, &csrf, query.notice.as_deref(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    into: String,
}

#[derive(Deserialize)]
struct DistinctForm {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

/// A person id from a form; the forms send numbers, so anything else is an
/// altered form.
fn person_id(field: &'static str, text: &str) -> Result<i64, AppError> {
    text.trim().parse().map_err(|_| AppError::invalid(field, "not a person's id"))
}

/// The review again with the error, or the error page for errors that are
/// not about the form.
async fn review_error(state: &WebState, viewer: &Viewer, csrf: &str, error: AppError) -> Response {
    match error {
        AppError::Invalid(errors) => {
            let message = errors.0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
            look_alikes_page(state, viewer, csrf, None, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        other => PageError::from(other).into_response(),
    }
}

/// `POST /admin/identities/merge` (from, into).
async fn merge(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<MergeForm>,
) -> Response {
    let outcome = async {
        let from = person_id("from", &form.from)?;
        let into = person_id("into", &form.into)?;
        state.app.merge_people(&viewer, from, into).await
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to("/admin/identities?notice=merged").into_response(),
        Err(error) => review_error(&state, &viewer, &csrf, error).await,
    }
}

/// `POST /admin/identities/distinct` (a, b).
async fn distinct(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<DistinctForm>,
) -> Response {
    let outcome = async {
        let a = person_id("a", &form.a)?;
        let b = person_id("b", &form.b)?;
        state.app.mark_people_distinct(&viewer, a, b).await
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to("/admin/identities?notice=distinct").into_response(),
        Err(error) => review_error(&state, &viewer, &csrf, error).await,
    }
}

struct IdentityView {
    id: i64,
    source: String,
    key: String,
    name: String,
    email: String,
    merged: Option<String>,
    merged_iso: String,
}

impl IdentityView {
    fn new(row: &IdentityRow, viewer: &Viewer) -> Self {
        Self {
            id: row.id,
            source: source_title(&row.source),
            key: row.key.clone(),
            name: row.name.clone(),
            email: row.email.clone().unwrap_or_default(),
            merged: row.merged_at.map(|at| when(at, viewer)),
            merged_iso: row.merged_at.map(|at| format::rfc3339(Timestamp(at))).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "person_identities.html")]
struct IdentitiesPage {
    layout: Layout,
    admin_tab: &'static str,
    person: PersonCard,
    identities: Vec<IdentityView>,
    error: Option<String>,
}

/// `GET /admin/people/{id}/identities`.
async fn show_identities(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    identities_page(&state, &viewer, &csrf, id, query.notice.as_deref(), None, StatusCode::OK).await
}

async fn identities_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    person: i64,
    notice: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let found = match state.app.person_identities(viewer, person).await {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let title = format!("{}Identities of {}", if error.is_some() { "Error: " } else { "" }, found.person.name);
    let mut layout = admin_layout(state, viewer, csrf, title);
    if notice == Some("unmerged") {
        layout.notice =
            Some("Unmerged: the identity is a person of their own again, with everything imported under it.".into());
    }
    let page = IdentitiesPage {
        layout,
        admin_tab: "identities",
        person: PersonCard::from(&found.person),
        identities: found.identities.iter().map(|i| IdentityView::new(i, viewer)).collect(),
        error,
    };
    render_status(status, &page)
}

/// `POST /admin/identities/{id}/unmerge`: the identity becomes a person of
/// its own; shows the new person's identities.
async fn unmerge(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.unmerge_identity(&viewer, id).await {
        Ok(person) => Redirect::to(&format!("/admin/people/{person}/identities?notice=unmerged")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations_read_well() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(82_413), "82,413");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-4_500), "-4,500");
        assert_eq!(took(40_200), "40 s");
        assert_eq!(took(125_000), "2 min 5 s");
        assert_eq!(took(3_780_000), "1 h 3 min");
    }

    #[test]
    fn client_file_names_are_labels_never_paths() {
        assert_eq!(clean_label("C:\\Users\\ada\\list.mbox"), "list.mbox");
        assert_eq!(clean_label("../../etc/passwd"), "passwd");
        assert_eq!(clean_label("a\u{0}b\nc.csv"), "abc.csv");
        assert_eq!(safe_file_name("../secret"), "_secret");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("März Liste.mbox"), "M_rz_Liste.mbox");
        assert_eq!(safe_file_name(""), "upload");
        assert_eq!(safe_file_name("..."), "upload");
        assert!(!safe_file_name("a/b\\c").contains(['/', '\\']));
        assert_eq!(dump_file_name("posts.xml"), Some("Posts.xml"));
        assert_eq!(dump_file_name("Badges.xml"), None);
    }

    #[test]
    fn the_budget_refuses_the_byte_past_the_limit() {
        let mut budget = Budget(10);
        assert!(budget.take(4).is_ok());
        assert!(budget.take(6).is_ok());
        assert!(matches!(budget.take(1), Err(UploadFailure::TooLarge)));
        let mut budget = Budget(MAX_UPLOAD_BYTES);
        assert!(matches!(budget.take(usize::MAX), Err(UploadFailure::TooLarge)));
    }

    fn person(id: i64, name: &str, has_account: bool) -> PersonSummary {
        PersonSummary {
            id,
            handle: name.to_lowercase(),
            name: name.into(),
            email: None,
            has_account,
            identities: 1,
            contributions: 0,
        }
    }

    #[test]
    fn merges_keep_the_person_who_signs_in() {
        let ada = person(1, "Ada", true);
        let imported = person(2, "Ada L", false);
        let other = person(3, "Ada M", false);
        let offers = merge_offers(&ada, &imported);
        assert_eq!(offers.iter().map(|o| (o.from, o.into)).collect::<Vec<_>>(), vec![(2, 1)]);
        assert_eq!(offers[0].label, "Same person: merge @ada l into @ada");
        let with_email = PersonSummary { email: Some("ada@navy.example".into()), ..imported.clone() };
        assert_eq!(merge_offers(&ada, &with_email)[0].label, "Same person: merge ada@navy.example into @ada");
        let offers = merge_offers(&imported, &ada);
        assert_eq!(offers.iter().map(|o| (o.from, o.into)).collect::<Vec<_>>(), vec![(2, 1)]);
        let offers = merge_offers(&imported, &other);
        assert_eq!(offers.iter().map(|o| (o.from, o.into)).collect::<Vec<_>>(), vec![(3, 2), (2, 3)]);
        assert!(merge_offers(&ada, &person(4, "Ada N", true)).is_empty());
    }

    #[test]
    fn errors_name_the_file_as_the_administrator_knows_it() {
        let run = ImportRunRow {
            id: 1,
            community_id: 1,
            community_slug: "c".into(),
            community_name: "C".into(),
            source: "mbox".into(),
            input: "list.mbox".into(),
            upload_path: Some("/srv/uploads/1-2-3-list.mbox".into()),
            status: "failed".into(),
            requested_by: None,
            done_units: 0,
            total_units: None,
            records: 0,
            added: 0,
            warnings: String::new(),
            error: None,
            created_at: 0,
            heartbeat_at: 0,
            finished_at: None,
        };
        assert_eq!(
            readable_error("/srv/uploads/1-2-3-list.mbox: line 3: not an mbox", &run),
            "list.mbox: line 3: not an mbox"
        );
        let dump = ImportRunRow { upload_path: Some("/srv/uploads/9-stackexchange".into()), ..run };
        assert_eq!(
            readable_error("/srv/uploads/9-stackexchange/Posts.xml: line 2, column 5: bad", &dump),
            "Posts.xml: line 2, column 5: bad"
        );
    }
}
