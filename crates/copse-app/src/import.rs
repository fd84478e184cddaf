//! Importing a community's history: runs a `copse-import` reader and loads
//! what it reads, for the CLI (`copse import`) and the admin UI's background
//! job alike.
//!
//! Every import runs the reader twice. The checking pass only counts, so a
//! malformed file is refused with its position before anything is written.
//! The loading pass streams records from a blocking reader thread over a
//! bounded channel, normalizes them to copse's rules (titles, tags, body
//! length, handles) and writes them in batches of [`BATCH_RECORDS`], one
//! transaction each, through `Store::apply_import_batch`, which skips what
//! an earlier import wrote. So a re-import changes nothing, a newer export
//! adds only what is new, and an import killed mid-way leaves whole batches
//! and resumes when run again. The rollup triggers on the activity record
//! feed the measurements as the batches land.
//!
//! Identities: the same e-mail in any source is the same person; the
//! administrator reviews look-alikes (`look_alikes`) and merges or unmerges.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use copse_domain::discussion::{MAX_POST_CHARS, MAX_THREAD_TAGS, parse_thread_tag};
use copse_domain::{Action, CommunityId, PersonId, Skill, Timestamp, can};
use copse_import::{ActivityRecord, Identity, ImportError, Record, Sink, Source, ThreadKind};
use copse_store::{BatchOutcome, ImportBatch, ImportIdentity, ImportOp, ImportRunRow, ImportSession, ImportTarget};

use crate::{App, AppError, Viewer};

/// Records per transaction: large enough that commits are a small share of
/// the time, small enough that a batch is quick to redo after a crash.
pub const BATCH_RECORDS: usize = 2_000;

/// Batches in flight between the reader thread and the writer.
const CHANNEL_BATCHES: usize = 4;

/// A run that has not reported for this long was interrupted.
pub const STALE_RUN_MILLIS: i64 = 2 * 60 * 1000;

/// How an import reports progress (a terminal bar, the job's row).
pub trait ImportProgress: Send + Sync {
    /// A phase starts: "checking" or "loading", with the units' total if known.
    fn phase(&self, name: &str, total: Option<u64>);
    fn advance(&self, done: u64, total: Option<u64>);
}

/// No progress shown (tests).
#[derive(Debug, Default)]
pub struct QuietProgress;

impl ImportProgress for QuietProgress {
    fn phase(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _done: u64, _total: Option<u64>) {}
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub run: i64,
    pub records: u64,
    /// Items written for the first time.
    pub added: u64,
    /// Items an earlier import had written (skipped).
    pub already: u64,
    pub people_created: u64,
    pub warnings: Vec<String>,
    pub millis: u64,
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub source: Source,
    pub path: PathBuf,
    pub community: String,
    /// The name the run shows (the uploaded file's name; else the path).
    pub input_label: Option<String>,
    pub requested_by: Option<PersonId>,
}

/// Errors of an import, with the reader's file and position when the input
/// is at fault.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("{0}")]
    Input(ImportError),
    #[error("{0}")]
    App(#[from] AppError),
}

impl From<copse_store::StoreError> for ImportFailure {
    fn from(error: copse_store::StoreError) -> Self {
        ImportFailure::App(error.into())
    }
}

/// The loading pass's sink: groups records into batches for the writer.
struct ChannelSink {
    sender: tokio::sync::mpsc::Sender<Vec<Record>>,
    pending: Vec<Record>,
}

impl ChannelSink {
    fn flush(&mut self) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let records = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH_RECORDS));
        self.sender.blocking_send(records).map_err(|_| "the writer stopped".to_string())
    }
}

impl Sink for ChannelSink {
    fn record(&mut self, record: Record) -> Result<(), String> {
        self.pending.push(record);
        if self.pending.len() >= BATCH_RECORDS { self.flush() } else { Ok(()) }
    }
}

/// The checking pass's sink: counts, and passes progress on.
struct CheckSink<'a> {
    records: u64,
    progress: &'a dyn ImportProgress,
    last_report: u64,
}

impl Sink for CheckSink<'_> {
    fn record(&mut self, _record: Record) -> Result<(), String> {
        self.records += 1;
        Ok(())
    }

    fn progress(&mut self, done: u64, total: Option<u64>) {
        if done.saturating_sub(self.last_report) >= 1_000 || Some(done) == total {
            self.last_report = done;
            self.progress.advance(done, total);
        }
    }
}

/// A handle to start from for someone new: their name folded to ASCII
/// (`Nguyễn Thái Ngọc Duy` → `nguyen.thai.ngoc.duy`), else the e-mail's user
/// name, else the source's key; always a valid handle.
pub fn handle_base(identity: &Identity) -> String {
    let from_name = fold_handle(&identity.name);
    let candidate = if from_name.len() >= 2 {
        from_name
    } else {
        let local = identity.email.as_deref().and_then(|e| e.split('@').next()).unwrap_or(&identity.key);
        fold_handle(local)
    };
    let mut handle =
        if candidate.starts_with(|c: char| c.is_ascii_lowercase()) { candidate } else { format!("u{candidate}") };
    if handle.len() < 2 {
        handle = "imported".to_string();
    }
    // Room for a "-NNNN" suffix within the 32-character limit.
    handle.truncate(26);
    handle.trim_end_matches(['.', '-', '_']).to_string()
}

fn fold_handle(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if matches!(c, ' ' | '.' | '-' | '_') && !out.is_empty() && !out.ends_with('.') {
            out.push('.');
        }
    }
    out.trim_end_matches('.').to_string()
}

/// A title as copse requires: one line of 3 to 200 characters.
fn normalize_title(title: &str) -> String {
    let one_line: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let length = one_line.chars().count();
    if length == 0 {
        "(no subject)".to_string()
    } else if length < 3 {
        format!("{one_line} …")
    } else if length > 200 {
        let mut cut: String = one_line.chars().take(199).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

/// A body within copse's limit; longer ones are cut and say so.
fn normalize_body(body: &str) -> String {
    let trimmed = body.trim_end();
    if trimmed.trim().is_empty() {
        return "(empty message)".to_string();
    }
    const NOTE: &str = "\n\n*(cut to copse's length limit on import)*";
    if trimmed.chars().count() <= MAX_POST_CHARS {
        return trimmed.to_string();
    }
    let mut cut: String = trimmed.chars().take(MAX_POST_CHARS - NOTE.chars().count()).collect();
    cut.push_str(NOTE);
    cut
}

/// Tags copse accepts (lower case, `a-z 0-9 - + . #`), at most eight; the
/// rest are dropped rather than refusing the thread.
fn normalize_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        if let Ok(tag) = parse_thread_tag(tag.trim_start_matches('#'))
            && !out.contains(&tag)
        {
            out.push(tag);
        }
        if out.len() == MAX_THREAD_TAGS {
            break;
        }
    }
    out
}

/// Turns reader records into store operations, collecting the identities
/// each batch names once.
struct Normalizer {
    source: Source,
    community: CommunityId,
    channels: u64,
}

impl Normalizer {
    fn identity(
        &self,
        identities: &mut Vec<ImportIdentity>,
        index: &mut std::collections::HashMap<(i64, String), usize>,
        who: &Identity,
    ) -> usize {
        // Known by e-mail (the key is the address): global; known by a
        // source's user id (even with an e-mail on the profile): scoped.
        let scope = if who.email.as_deref() == Some(who.key.as_str()) { 0 } else { self.community.0 };
        let key = (scope, who.key.clone());
        if let Some(i) = index.get(&key) {
            // A later record may know the name the first did not.
            if identities[*i].name.is_empty() && !who.name.is_empty() {
                identities[*i].name = who.name.clone();
                identities[*i].handle_base = handle_base(who);
            }
            return *i;
        }
        identities.push(ImportIdentity {
            scope,
            key: who.key.clone(),
            name: who.name.clone(),
            email: who.email.clone(),
            handle_base: handle_base(who),
        });
        index.insert(key, identities.len() - 1);
        identities.len() - 1
    }

    fn batch(&mut self, records: Vec<Record>) -> ImportBatch {
        let mut batch = ImportBatch::default();
        let mut index = std::collections::HashMap::new();
        for record in records {
            let op = match record {
                Record::Person(person) => {
                    let who = self.identity(&mut batch.identities, &mut index, &person.identity);
                    let skills = Skill::parse_list(&person.skills.join(","))
                        .unwrap_or_default()
                        .into_iter()
                        .map(|s| (s.name, s.level.as_str().to_string()))
                        .collect();
                    ImportOp::Person {
                        who,
                        team: person.team,
                        location: person.location,
                        time_zone: person.time_zone.filter(|z| z.parse::<chrono_tz::Tz>().is_ok()),
                        skills,
                        authoritative: self.source == Source::PeopleCsv,
                    }
                }
                Record::Thread(thread) => ImportOp::Thread {
                    author: self.identity(&mut batch.identities, &mut index, &thread.author),
                    external_id: thread.external_id,
                    kind: match thread.kind {
                        ThreadKind::Question => "question",
                        ThreadKind::Discussion => "discussion",
                    },
                    title: normalize_title(&thread.title),
                    at: thread.at,
                    tags: normalize_tags(&thread.tags),
                    body: normalize_body(&thread.body),
                },
                Record::Post(post) => ImportOp::Post {
                    author: self.identity(&mut batch.identities, &mut index, &post.author),
                    external_id: post.external_id,
                    thread: post.thread,
                    at: post.at,
                    body: normalize_body(&post.body),
                    in_reply_to: post.in_reply_to,
                },
                Record::Accepted { thread, post, at } => ImportOp::Accepted { thread, post, at },
                Record::Activity(ActivityRecord { external_id, who, kind, at, reply_to }) => ImportOp::Activity {
                    who: self.identity(&mut batch.identities, &mut index, &who),
                    reply_to: reply_to.as_ref().map(|r| self.identity(&mut batch.identities, &mut index, r)),
                    external_id,
                    kind: kind.name(),
                    at,
                },
                Record::Mentorship(m) => ImportOp::Mentorship {
                    mentor: self.identity(&mut batch.identities, &mut index, &m.mentor),
                    mentee: self.identity(&mut batch.identities, &mut index, &m.mentee),
                    external_id: m.external_id,
                    at: m.at,
                },
                Record::Channel { .. } => {
                    self.channels += 1;
                    continue;
                }
            };
            batch.ops.push(op);
        }
        batch
    }
}

impl App {
    /// Imports `request` from the terminal or a worker; see the module doc.
    /// Administrators only when a viewer asks; the CLI passes `None`
    /// (whoever runs it on the server is trusted).
    pub async fn import(
        &self,
        viewer: Option<&Viewer>,
        request: ImportRequest,
        progress: Arc<dyn ImportProgress>,
    ) -> Result<ImportReport, ImportFailure> {
        if let Some(viewer) = viewer
            && !can(&viewer.actor, Action::Administer)
        {
            return Err(AppError::Forbidden("only administrators import").into());
        }
        let community = self.import_community(&request.community).await?;
        let label = request.input_label.clone().unwrap_or_else(|| request.path.display().to_string());
        let now = Timestamp::now().millis();
        let run = self
            .store()
            .create_import_run(community, request.source.name(), &label, None, request.requested_by, "checking", now)
            .await?;
        self.run_import(run, community, request.source, &request.path, progress).await
    }

    /// Queues an import for the background worker (the admin UI); the file
    /// is already on the server at `path` (an upload is removed when done).
    pub async fn queue_import(
        &self,
        viewer: &Viewer,
        source: Source,
        community: &str,
        label: &str,
        path: &Path,
        uploaded: bool,
    ) -> Result<i64, AppError> {
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators import"));
        }
        let community = self.import_community(community).await?;
        let path = path.display().to_string();
        let upload = uploaded.then_some(path.as_str());
        Ok(self
            .store()
            .create_import_run(
                community,
                source.name(),
                label,
                upload.or(Some(path.as_str())),
                viewer.actor.person,
                "queued",
                Timestamp::now().millis(),
            )
            .await?)
    }

    /// Runs queued imports one after the other (the `serve` worker calls
    /// this on a timer). Returns how many it ran.
    pub async fn run_queued_imports(&self) -> Result<usize, AppError> {
        let now = Timestamp::now().millis();
        self.store().mark_interrupted_import_runs(now - STALE_RUN_MILLIS).await?;
        let mut ran = 0;
        while let Some(run) = self.store().claim_queued_import_run(Timestamp::now().millis()).await? {
            ran += 1;
            let Some(source) = Source::parse(&run.source) else {
                self.fail_run(run.id, &format!("unknown source '{}'", run.source)).await?;
                continue;
            };
            let Some(path) = run.upload_path.clone() else {
                self.fail_run(run.id, "the run names no file").await?;
                continue;
            };
            let progress: Arc<dyn ImportProgress> = Arc::new(RunProgress {
                app: self.clone(),
                run: run.id,
                runtime: tokio::runtime::Handle::current(),
                checking: Mutex::new(None),
            });
            let outcome =
                self.run_import(run.id, CommunityId(run.community_id), source, Path::new(&path), progress).await;
            if let Err(error) = &outcome {
                tracing::warn!(run = run.id, %error, "import failed");
            }
            // An uploaded file (or a dump's directory) lives in the uploads
            // directory; remove it.
            if let Some(dir) = self.config().import_upload_dir.as_ref()
                && Path::new(&path).starts_with(dir)
            {
                let removed = if Path::new(&path).is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                if let Err(error) = removed {
                    tracing::warn!(run = run.id, %error, "could not remove the uploaded file");
                }
            }
        }
        Ok(ran)
    }

    pub async fn import_runs(&self, viewer: &Viewer, limit: i64) -> Result<Vec<ImportRunRow>, AppError> {
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators see imports"));
        }
        Ok(self.store().recent_import_runs(limit).await?)
    }

    pub async fn import_run(&self, viewer: &Viewer, id: i64) -> Result<ImportRunRow, AppError> {
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators see imports"));
        }
        self.store().import_run(id).await?.ok_or(AppError::NotFound("import"))
    }

    async fn import_community(&self, slug: &str) -> Result<CommunityId, AppError> {
        let row = self
            .store()
            .find_community_for_viewer(slug, None)
            .await?
            .ok_or_else(|| AppError::invalid("community", format!("there is no community '{slug}'")))?;
        Ok(CommunityId(row.community.id))
    }

    async fn fail_run(&self, run: i64, message: &str) -> Result<(), AppError> {
        let now = Timestamp::now().millis();
        self.store().update_import_run(run, "failed", 0, None, 0, Some(message), None, now).await?;
        Ok(())
    }

    async fn run_import(
        &self,
        run: i64,
        community: CommunityId,
        source: Source,
        path: &Path,
        progress: Arc<dyn ImportProgress>,
    ) -> Result<ImportReport, ImportFailure> {
        let started = Instant::now();
        // Checking pass: nothing is written unless the whole input reads
        // (skipped for readers that check everything before their first
        // record, like git's).
        let total_records = if source.importer().checks_before_emitting() {
            None
        } else {
            progress.phase("checking", None);
            let path = path.to_path_buf();
            let reporter = progress.clone();
            let checked = tokio::task::spawn_blocking(move || {
                let mut sink = CheckSink { records: 0, progress: reporter.as_ref(), last_report: 0 };
                source.importer().read(&path, &mut sink)
            })
            .await
            .map_err(|e| AppError::Internal(format!("the reader stopped: {e}")))?;
            match checked {
                Ok(summary) => Some(summary.records),
                Err(error) => {
                    self.fail_run(run, &error.to_string()).await?;
                    return Err(ImportFailure::Input(error));
                }
            }
        };
        progress.phase("loading", total_records);

        // Loading pass: the reader thread feeds batches; this task writes.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Record>>(CHANNEL_BATCHES);
        let reader = {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || {
                let mut sink = ChannelSink { sender, pending: Vec::with_capacity(BATCH_RECORDS) };
                let summary = source.importer().read(&path, &mut sink)?;
                sink.flush().map_err(ImportError::Stopped)?;
                Ok::<_, ImportError>(summary)
            })
        };
        let mut normalizer = Normalizer { source, community, channels: 0 };
        let mut session = ImportSession::default();
        let mut report = ImportReport { run, ..ImportReport::default() };
        let mut failure: Option<ImportFailure> = None;
        // Progress counts records against the checking pass's total.
        while let Some(records) = receiver.recv().await {
            let count = records.len() as u64;
            let mut batch = normalizer.batch(records);
            report.records += count;
            batch.records = report.records;
            batch.done_units = report.records;
            batch.total_units = total_records;
            let target = ImportTarget { run, community, source: source.name(), now: Timestamp::now().millis() };
            match self.store().apply_import_batch(target, &mut session, &batch).await {
                Ok(BatchOutcome { added, already, people_created, warnings }) => {
                    report.added += added;
                    report.already += already;
                    report.people_created += people_created;
                    report.warnings.extend(warnings);
                }
                Err(error) => {
                    failure = Some(error.into());
                    break;
                }
            }
            progress.advance(report.records, total_records);
        }
        // Dropping the receiver stops the reader if the writer failed.
        drop(receiver);
        let read = reader.await.map_err(|e| AppError::Internal(format!("the reader stopped: {e}")))?;
        if let Some(failure) = failure {
            self.fail_run(run, &failure.to_string()).await?;
            return Err(failure);
        }
        let read_summary = match read {
            Ok(summary) => summary,
            Err(error) => {
                self.fail_run(run, &error.to_string()).await?;
                return Err(ImportFailure::Input(error));
            }
        };
        report.warnings.extend(read_summary.warnings);
        if normalizer.channels > 0 {
            report.warnings.push(format!(
                "{} channels read; copse lists a community's channels by address, which an export does not give, \
                 so add the ones members should use on the community's page",
                normalizer.channels
            ));
        }
        report.millis = started.elapsed().as_millis() as u64;
        let warnings = report.warnings.iter().take(200).cloned().collect::<Vec<_>>().join("\n");
        self.store()
            .update_import_run(
                run,
                "done",
                report.records,
                Some(report.records),
                report.records,
                None,
                Some(&warnings),
                Timestamp::now().millis(),
            )
            .await?;
        Ok(report)
    }
}

/// A person's identities with what each brought in, for the admin review.
#[derive(Debug, Clone)]
pub struct PersonIdentities {
    pub person: copse_store::PersonSummary,
    pub identities: Vec<copse_store::IdentityRow>,
}

impl App {
    fn require_admin(viewer: &Viewer, what: &'static str) -> Result<PersonId, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden(what));
        }
        Ok(me)
    }

    /// People who look like the same person (administrators).
    pub async fn look_alikes(&self, viewer: &Viewer, limit: usize) -> Result<Vec<copse_store::LookAlike>, AppError> {
        Self::require_admin(viewer, "only administrators review identities")?;
        Ok(self.store().look_alike_people(limit).await?)
    }

    /// A person and their identities (administrators).
    pub async fn person_identities(&self, viewer: &Viewer, person: i64) -> Result<PersonIdentities, AppError> {
        Self::require_admin(viewer, "only administrators review identities")?;
        let summary = self.store().person_summary(person).await?.ok_or(AppError::NotFound("person"))?;
        let identities = self.store().identities_of(PersonId(person)).await?;
        Ok(PersonIdentities { person: summary, identities })
    }

    /// Confirms that `from` and `into` are one person: everything of `from`
    /// moves to `into`. `from` must be a person an import created (no
    /// account: a person who signs in is never merged away).
    pub async fn merge_people(&self, viewer: &Viewer, from: i64, into: i64) -> Result<(), AppError> {
        let me = Self::require_admin(viewer, "only administrators merge people")?;
        if from == into {
            return Err(AppError::invalid("into", "a person cannot be merged into themselves"));
        }
        let source = self.store().person_summary(from).await?.ok_or(AppError::NotFound("person"))?;
        self.store().person_summary(into).await?.ok_or(AppError::NotFound("person"))?;
        if source.has_account {
            return Err(AppError::invalid(
                "from",
                format!(
                    "{} signs in to copse; merge the other way round (keep the person with the account)",
                    source.name
                ),
            ));
        }
        self.store().merge_people(from, into, me, Timestamp::now().millis()).await?;
        Ok(())
    }

    /// Records that two look-alike people are different people.
    pub async fn mark_people_distinct(&self, viewer: &Viewer, a: i64, b: i64) -> Result<(), AppError> {
        let me = Self::require_admin(viewer, "only administrators review identities")?;
        if a == b {
            return Err(AppError::invalid("b", "pick two different people"));
        }
        self.store().mark_people_distinct(a, b, me, Timestamp::now().millis()).await?;
        Ok(())
    }

    /// Takes an identity out of its person again (undoing a merge): it gets
    /// a person of its own with everything imported under it. Returns the
    /// new person's id.
    pub async fn unmerge_identity(&self, viewer: &Viewer, identity: i64) -> Result<i64, AppError> {
        let me = Self::require_admin(viewer, "only administrators unmerge identities")?;
        let row = self.store().identity(identity).await?.ok_or(AppError::NotFound("identity"))?;
        let base = handle_base(&Identity { key: row.key.clone(), name: row.name.clone(), email: row.email.clone() });
        match self.store().unmerge_identity(identity, &base, me, Timestamp::now().millis()).await {
            Ok(person) => Ok(person),
            Err(copse_store::StoreError::Unsupported(message)) => Err(AppError::invalid("identity", message)),
            Err(error) => Err(error.into()),
        }
    }
}

/// The background job's progress: during the checking pass (which runs on
/// a blocking thread and writes nothing else) it records how far the check
/// is and keeps the run's heartbeat, at most once a second, so the progress
/// view moves and no other process takes the run for interrupted. The
/// loading pass records progress with each batch.
struct RunProgress {
    app: App,
    run: i64,
    runtime: tokio::runtime::Handle,
    /// Set while checking: when progress was last written.
    checking: Mutex<Option<Instant>>,
}

impl ImportProgress for RunProgress {
    fn phase(&self, name: &str, _total: Option<u64>) {
        if let Ok(mut checking) = self.checking.lock() {
            *checking = (name == "checking").then(|| Instant::now() - std::time::Duration::from_secs(2));
        }
    }

    fn advance(&self, done: u64, total: Option<u64>) {
        let Ok(mut checking) = self.checking.lock() else { return };
        let Some(last) = checking.as_mut() else { return };
        if last.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        *last = Instant::now();
        let now = Timestamp::now().millis();
        let written = self
            .runtime
            .block_on(self.app.store().update_import_run(self.run, "checking", done, total, 0, None, None, now));
        if let Err(error) = written {
            tracing::warn!(run = self.run, %error, "could not record import progress");
        }
    }
}

/// Progress that a test or the CLI can read back.
#[derive(Debug, Default)]
pub struct RecordedProgress {
    pub events: Mutex<Vec<(String, u64, Option<u64>)>>,
}

impl ImportProgress for RecordedProgress {
    fn phase(&self, name: &str, total: Option<u64>) {
        if let Ok(mut events) = self.events.lock() {
            events.push((name.to_string(), 0, total));
        }
    }

    fn advance(&self, done: u64, total: Option<u64>) {
        if let Ok(mut events) = self.events.lock() {
            events.push(("advance".to_string(), done, total));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_fold_names_to_ascii() {
        assert_eq!(
            handle_base(&Identity::by_email("Nguyễn Thái Ngọc Duy", "pclouds@gmail.com")),
            "nguyen.thai.ngoc.duy"
        );
        assert_eq!(handle_base(&Identity::by_email("", "jane.doe@example.com")), "jane.doe");
        assert_eq!(handle_base(&Identity::by_id("42", "")), "u42");
        assert_eq!(
            handle_base(&Identity::by_email("Ævar Arnfjörð Bjarmason", "avarab@gmail.com")),
            "aevar.arnfjord.bjarmason"
        );
        let long = handle_base(&Identity::by_email("A Very Long Name That Goes On And On Forever", "x@y.z"));
        assert!(long.len() <= 26, "{long}");
        assert!(copse_domain::Handle::parse(&format!("{long}-9999")).is_ok());
    }

    #[test]
    fn titles_bodies_and_tags_follow_copse_rules() {
        assert_eq!(normalize_title(""), "(no subject)");
        assert_eq!(normalize_title("Hi"), "Hi …");
        assert_eq!(normalize_title("a\nb\tc  d"), "a b c d");
        assert_eq!(normalize_title(&"x".repeat(300)).chars().count(), 200);
        assert_eq!(normalize_body("  "), "(empty message)");
        let long = normalize_body(&"é".repeat(MAX_POST_CHARS + 10));
        assert_eq!(long.chars().count(), MAX_POST_CHARS);
        assert!(long.ends_with("on import)*"));
        let tags: Vec<String> = ["Rust", "c++", "bad tag!", "#go", "rust", "a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(normalize_tags(&tags), vec!["rust", "c++", "go", "a", "b", "c", "d", "e"]);
    }
}
