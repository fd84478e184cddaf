//! Storage for importers: identities and the people they are, the map from
//! an import's external ids to the rows they became, the import runs with
//! their progress, and merging and unmerging people.
//!
//! An import arrives as batches of [`ImportOp`]s (already normalized by
//! `copse-app`'s loader); [`Store::apply_import_batch`] writes one batch in
//! one transaction, so an interrupted import leaves whole batches only, and
//! skips every item `import_items` says was written before, so running the
//! same import again changes nothing and resumes an interrupted one.
//! Imported posts and accepted answers enter the activity record exactly as
//! native ones do (source 'copse', `post:ID` / `accept:THREAD`), so
//! moderation and moves treat them alike; bare activity (commits, chat
//! messages, reactions, comments) is stored under the source's name with
//! `COMMUNITY:EXTERNAL_ID` as its reference. Every imported row remembers
//! the identity it came from, which is what an unmerge follows.

use std::collections::{HashMap, HashSet};

use copse_domain::{CommunityId, PersonId, skill_key};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, with_pool};

/// Someone as one source knows them, ready to be resolved to a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportIdentity {
    /// 0 for identities known by e-mail (global); the community's id for
    /// those known by a source's user id.
    pub scope: i64,
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    /// A valid handle to start from when a person must be created.
    pub handle_base: String,
}

/// One thing to write, identities given as indexes into
/// [`ImportBatch::identities`].
#[derive(Debug, Clone)]
pub enum ImportOp {
    /// Profile facts. A directory is `authoritative` (its team, location and
    /// zone replace what is there); other sources only fill blanks.
    Person {
        who: usize,
        team: String,
        location: String,
        time_zone: Option<String>,
        /// (name, level) pairs.
        skills: Vec<(String, String)>,
        authoritative: bool,
    },
    Thread {
        external_id: String,
        /// question | discussion
        kind: &'static str,
        title: String,
        author: usize,
        at: i64,
        tags: Vec<String>,
        body: String,
    },
    Post {
        external_id: String,
        thread: String,
        author: usize,
        at: i64,
        body: String,
        in_reply_to: Option<String>,
    },
    Accepted {
        thread: String,
        post: String,
        at: i64,
    },
    Activity {
        external_id: String,
        who: usize,
        kind: &'static str,
        at: i64,
        reply_to: Option<usize>,
    },
    Mentorship {
        external_id: String,
        mentor: usize,
        mentee: usize,
        at: i64,
    },
}

#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub identities: Vec<ImportIdentity>,
    pub ops: Vec<ImportOp>,
    /// Progress to record with the batch.
    pub done_units: u64,
    pub total_units: Option<u64>,
    /// Records read so far (including this batch).
    pub records: u64,
}

/// Which import a batch belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ImportTarget<'a> {
    pub run: i64,
    pub community: CommunityId,
    pub source: &'a str,
    pub now: i64,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Items written for the first time.
    pub added: u64,
    /// Items already there (an earlier import of the same data).
    pub already: u64,
    pub people_created: u64,
    /// Items that could not be placed (a reply to a thread never seen), one
    /// line each, for the run's warnings.
    pub warnings: Vec<String>,
}

/// What [`Store::apply_import_batch`] remembers between batches of one run:
/// resolved identities and the threads written, so most batches need no
/// lookups. Bounded: identities and threads of one import; recent posts are
/// forgotten past a limit and looked up again when needed.
#[derive(Debug, Default)]
pub struct ImportSession {
    identities: HashMap<(i64, String), (i64, i64)>,
    /// thread external id -> (thread id, author person, is a question)
    threads: HashMap<String, (i64, Option<i64>, bool)>,
    /// post external id -> (post id, author person)
    recent_posts: HashMap<String, (i64, Option<i64>)>,
    /// person -> the earliest membership time this run wrote for them
    joined: HashMap<i64, i64>,
}

/// One bare activity row as bound: person, kind, at, replied-to person,
/// source_ref, identity, replied-to identity.
type ActivityRow<'a> = (i64, &'a str, i64, Option<i64>, String, i64, Option<i64>);

/// Rows per multi-row INSERT of bare activity: 200 rows of 9 parameters
/// stay far below both databases' parameter limits.
const ACTIVITY_ROWS: usize = 200;

const INSERT_ACTIVITY_HEAD: &str = "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, \
     source, source_ref, identity_id, reply_identity_id) VALUES ";

/// Built once, so the statement text is `'static` (sqlx runs static SQL
/// only) and each connection prepares it once.
static INSERT_ACTIVITY_MANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use std::fmt::Write as _;
    let mut sql = String::from(INSERT_ACTIVITY_HEAD);
    for row in 0..ACTIVITY_ROWS {
        let b = row * 9;
        if row > 0 {
            sql.push_str(", ");
        }
        // Writing to a String cannot fail.
        let _ = write!(
            sql,
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8,
            b + 9
        );
    }
    sql.push_str(" ON CONFLICT (source, source_ref) DO NOTHING");
    sql
});

/// External ids per existence check; shorter lists are padded with ''
/// (never an external id).
const LOOKUP_IDS: usize = 100;

/// `SELECT external_id FROM import_items WHERE ... IN ($4, ..., $103)`.
static FIND_ITEMS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut sql = String::from(
        "SELECT external_id FROM import_items WHERE community_id = $1 AND source = $2 AND entity = $3 \
         AND external_id IN (",
    );
    for i in 0..LOOKUP_IDS {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("${}", i + 4));
    }
    sql.push(')');
    sql
});

const INSERT_ACTIVITY_ONE: &str = "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, \
     source, source_ref, identity_id, reply_identity_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (source, source_ref) DO NOTHING";

const RECENT_POSTS: usize = 200_000;

/// An import run as the progress view shows it.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ImportRunRow {
    pub id: i64,
    pub community_id: i64,
    pub community_slug: String,
    pub community_name: String,
    pub source: String,
    pub input: String,
    pub upload_path: Option<String>,
    pub status: String,
    pub requested_by: Option<i64>,
    pub done_units: i64,
    pub total_units: Option<i64>,
    pub records: i64,
    pub added: i64,
    pub warnings: String,
    pub error: Option<String>,
    pub created_at: i64,
    pub heartbeat_at: i64,
    pub finished_at: Option<i64>,
}

/// One identity of a person, for profiles and the merge review.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct IdentityRow {
    pub id: i64,
    pub source: String,
    pub scope: i64,
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    pub person_id: i64,
    pub merged_at: Option<i64>,
}

/// Two people the look-alike review offers for merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookAlike {
    pub a: PersonSummary,
    pub b: PersonSummary,
    /// Why they look alike, in words.
    pub reason: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PersonSummary {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub email: Option<String>,
    pub has_account: bool,
    pub identities: i64,
    pub contributions: i64,
}

macro_rules! run_select {
    () => {
        "SELECT r.id, r.community_id, c.slug AS community_slug, c.name AS community_name, r.source, r.input, \
     r.upload_path, r.status, r.requested_by, r.done_units, r.total_units, r.records, r.added, r.warnings, r.error, \
     r.created_at, r.heartbeat_at, r.finished_at FROM import_runs r JOIN communities c ON c.id = r.community_id "
    };
}

/// The activity kind of a post: the opening post of a question is a
/// question, a reply in one an answer (as native posts are recorded).
fn post_kind(question: bool, opening: bool) -> &'static str {
    match (question, opening) {
        (true, true) => "question",
        (false, true) => "thread",
        (true, false) => "answer",
        (false, false) => "reply",
    }
}

/// Resolves `$ident` (an [`ImportIdentity`]) to (identity id, person id)
/// inside transaction `$tx`, creating the person and identity when new.
/// Evaluates to `((identity, person), person created, identity inserted)`.
macro_rules! resolve_identity {
    ($tx:expr, $source:expr, $now:expr, $ident:expr) => {{
        let ident: &ImportIdentity = $ident;
        let found: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, person_id FROM identities WHERE source = $1 AND scope = $2 AND key = $3")
                .bind($source)
                .bind(ident.scope)
                .bind(&ident.key)
                .fetch_optional(&mut *$tx)
                .await?;
        match found {
            Some(pair) => (pair, false, false),
            None => {
                // The same e-mail is the same person, in any source and for
                // people who signed up themselves.
                let mut person: Option<i64> = None;
                let mut created = false;
                if let Some(email) = &ident.email {
                    person = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
                        .bind(email)
                        .fetch_optional(&mut *$tx)
                        .await?;
                    if person.is_none() {
                        person = sqlx::query_scalar("SELECT person_id FROM identities WHERE email = $1 LIMIT 1")
                            .bind(email)
                            .fetch_optional(&mut *$tx)
                            .await?;
                    }
                }
                let person = match person {
                    Some(person) => person,
                    None => {
                        created = true;
                        let name = if ident.name.trim().is_empty() { ident.key.clone() } else { ident.name.clone() };
                        let mut attempt = 1u32;
                        loop {
                            let handle = if attempt == 1 {
                                ident.handle_base.clone()
                            } else {
                                format!("{}-{attempt}", ident.handle_base)
                            };
                            let id: Option<i64> = sqlx::query_scalar(
                                "INSERT INTO people (handle, name, email, search_text, created_at, updated_at) \
                                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (handle) DO NOTHING RETURNING id",
                            )
                            .bind(&handle)
                            .bind(&name)
                            .bind(&ident.email)
                            .bind(format!("{} {}", name, handle).to_lowercase())
                            .bind($now)
                            .fetch_optional(&mut *$tx)
                            .await?;
                            if let Some(id) = id {
                                append_change!($tx, "person", id, $now);
                                break id;
                            }
                            attempt += 1;
                            if attempt > 10_000 {
                                return Err(StoreError::Unsupported(format!(
                                    "no free handle for {}",
                                    ident.handle_base
                                )));
                            }
                        }
                    }
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO identities (source, scope, key, name, email, person_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind($source)
                .bind(ident.scope)
                .bind(&ident.key)
                .bind(&ident.name)
                .bind(&ident.email)
                .bind(person)
                .bind($now)
                .fetch_one(&mut *$tx)
                .await?;
                ((id, person), created, true)
            }
        }
    }};
}

/// The row an external id became, if it was written before.
macro_rules! find_item {
    ($tx:expr, $target:expr, $entity:expr, $external:expr) => {{
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT entity_id FROM import_items WHERE community_id = $1 AND source = $2 AND entity = $3 \
             AND external_id = $4",
        )
        .bind($target.community.0)
        .bind($target.source)
        .bind($entity)
        .bind($external)
        .fetch_optional(&mut *$tx)
        .await?;
        id
    }};
}

macro_rules! remember_item {
    ($tx:expr, $target:expr, $entity:expr, $external:expr, $id:expr, $identity:expr) => {{
        sqlx::query(
            "INSERT INTO import_items (community_id, source, entity, external_id, entity_id, identity_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($target.community.0)
        .bind($target.source)
        .bind($entity)
        .bind($external)
        .bind($id)
        .bind($identity)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Moves what belongs to person `$from` to `$into` inside `$tx` (for merges).
macro_rules! move_person_rows {
    ($tx:expr, $from:expr, $into:expr, $unused:expr) => {{
        for sql in [
            "UPDATE contributions SET person_id = $2 WHERE person_id = $1",
            "UPDATE contributions SET reply_to_person = $2 WHERE reply_to_person = $1",
            "UPDATE posts SET author_id = $2 WHERE author_id = $1",
            "UPDATE threads SET author_id = $2 WHERE author_id = $1",
            "UPDATE mentorships SET mentor_id = $2 WHERE mentor_id = $1",
            "UPDATE mentorships SET mentee_id = $2 WHERE mentee_id = $1",
            "INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) \
             SELECT community_id, $2, role, status, created_at, updated_at FROM memberships WHERE person_id = $1 \
             ON CONFLICT (community_id, person_id) DO NOTHING",
            "UPDATE memberships SET created_at = (SELECT m.created_at FROM memberships m \
             WHERE m.person_id = $1 AND m.community_id = memberships.community_id) \
             WHERE person_id = $2 AND created_at > (SELECT m.created_at FROM memberships m \
             WHERE m.person_id = $1 AND m.community_id = memberships.community_id)",
            "INSERT INTO person_skills (person_id, skill, level, skill_key) \
             SELECT $2, skill, level, skill_key FROM person_skills WHERE person_id = $1 ON CONFLICT DO NOTHING",
        ] {
            sqlx::query(sql).bind($from).bind($into).execute(&mut *$tx).await?;
        }
    }};
}

impl Store {
    /// Starts an import run with `status` (`checking` from the terminal,
    /// `queued` for the background job).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_import_run(
        &self,
        community: CommunityId,
        source: &str,
        input: &str,
        upload_path: Option<&str>,
        requested_by: Option<PersonId>,
        status: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "INSERT INTO import_runs (community_id, source, input, upload_path, status, requested_by, \
                 created_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(community.0)
            .bind(source)
            .bind(input)
            .bind(upload_path)
            .bind(status)
            .bind(requested_by.map(|p| p.0))
            .bind(now)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Records a run's status and progress (and, when finished, its end).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_import_run(
        &self,
        run: i64,
        status: &str,
        done_units: u64,
        total_units: Option<u64>,
        records: u64,
        error: Option<&str>,
        warnings: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let finished = matches!(status, "done" | "failed").then_some(now);
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE import_runs SET status = $2, done_units = $3, total_units = $4, records = $5, \
                 error = COALESCE($6, error), warnings = COALESCE($7, warnings), heartbeat_at = $8, \
                 finished_at = COALESCE($9, finished_at) WHERE id = $1",
            )
            .bind(run)
            .bind(status)
            .bind(done_units as i64)
            .bind(total_units.map(|t| t as i64))
            .bind(records as i64)
            .bind(error)
            .bind(warnings)
            .bind(now)
            .bind(finished)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Claims the oldest queued run for a worker (conditional update, so two
    /// workers never take the same run).
    pub async fn claim_queued_import_run(&self, now: i64) -> Result<Option<ImportRunRow>, StoreError> {
        loop {
            let candidate: Option<i64> = with_pool!(self, |pool| {
                sqlx::query_scalar("SELECT id FROM import_runs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1")
                    .fetch_optional(pool)
                    .await?
            });
            let Some(id) = candidate else { return Ok(None) };
            let claimed = with_pool!(self, |pool| {
                sqlx::query(
                    "UPDATE import_runs SET status = 'checking', heartbeat_at = $2 WHERE id = $1 AND status = 'queued'",
                )
                .bind(id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
            });
            if claimed == 1 {
                return self.import_run(id).await;
            }
        }
    }

    /// Runs left checking or loading with a heartbeat older than `stale_before`
    /// were interrupted (their process died): say so.
    pub async fn mark_interrupted_import_runs(&self, stale_before: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE import_runs SET status = 'interrupted', \
                 error = 'The import stopped before it finished (the process ended); run it again to resume: \
                 what was written is kept and skipped' \
                 WHERE status IN ('checking', 'loading') AND heartbeat_at < $1",
            )
            .bind(stale_before)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    pub async fn import_run(&self, id: i64) -> Result<Option<ImportRunRow>, StoreError> {
        const SQL: &str = concat!(run_select!(), "WHERE r.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as::<_, ImportRunRow>(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// The most recent runs, newest first.
    pub async fn recent_import_runs(&self, limit: i64) -> Result<Vec<ImportRunRow>, StoreError> {
        const SQL: &str = concat!(run_select!(), "ORDER BY r.created_at DESC, r.id DESC LIMIT $1");
        Ok(with_pool!(self, |pool| sqlx::query_as::<_, ImportRunRow>(SQL).bind(limit).fetch_all(pool).await?))
    }

    /// Writes one batch of an import in one transaction; see the module doc.
    pub async fn apply_import_batch(
        &self,
        target: ImportTarget<'_>,
        session: &mut ImportSession,
        batch: &ImportBatch,
    ) -> Result<BatchOutcome, StoreError> {
        let mut outcome = BatchOutcome::default();
        // Identities resolved in this batch go into the session only once
        // the transaction commits: a failed batch must leave no trace.
        let mut resolved: Vec<(i64, i64)> = Vec::with_capacity(batch.identities.len());
        // Identities (by index) this batch inserted: their profiles are new.
        let mut fresh: HashSet<usize> = HashSet::new();
        let mut new_identities: Vec<((i64, String), (i64, i64))> = Vec::new();
        let mut new_threads: HashMap<String, (i64, Option<i64>, bool)> = HashMap::new();
        let mut new_posts: HashMap<String, (i64, Option<i64>)> = HashMap::new();
        let mut first_seen: HashMap<i64, i64> = HashMap::new();
        let mut activity: Vec<ActivityRow<'_>> = Vec::new();
        let mut joined: Vec<(i64, i64)> = Vec::new();
        let community = target.community.0;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for ident in &batch.identities {
                let cache_key = (ident.scope, ident.key.clone());
                if let Some(pair) = session.identities.get(&cache_key) {
                    resolved.push(*pair);
                    continue;
                }
                let (pair, created, inserted) = resolve_identity!(tx, target.source, target.now, ident);
                if created {
                    outcome.people_created += 1;
                }
                if inserted {
                    fresh.insert(resolved.len());
                }
                resolved.push(pair);
                new_identities.push((cache_key, pair));
            }
            // Which threads and posts of this batch an earlier import wrote:
            // one query per hundred ids instead of one per item.
            let mut written_before: HashSet<(&str, &str)> = HashSet::new();
            for (entity, ids) in [
                (
                    "thread",
                    batch
                        .ops
                        .iter()
                        .filter_map(|op| match op {
                            ImportOp::Thread { external_id, .. } if !session.threads.contains_key(external_id) => {
                                Some(external_id.as_str())
                            }
                            _ => None,
                        })
                        .collect::<Vec<&str>>(),
                ),
                (
                    "post",
                    batch
                        .ops
                        .iter()
                        .filter_map(|op| match op {
                            ImportOp::Post { external_id, .. } => Some(external_id.as_str()),
                            _ => None,
                        })
                        .collect::<Vec<&str>>(),
                ),
            ] {
                for chunk in ids.chunks(LOOKUP_IDS) {
                    let mut query = sqlx::query_scalar::<_, String>(FIND_ITEMS.as_str())
                        .bind(community)
                        .bind(target.source)
                        .bind(entity);
                    for i in 0..LOOKUP_IDS {
                        query = query.bind(chunk.get(i).copied().unwrap_or(""));
                    }
                    for found in query.fetch_all(&mut *tx).await? {
                        if let Some(id) = chunk.iter().find(|id| **id == found) {
                            written_before.insert((entity, id));
                        }
                    }
                }
            }
            let person_of = |index: usize| resolved[index].1;
            let identity_of = |index: usize| resolved[index].0;

            for op in &batch.ops {
                match op {
                    ImportOp::Person { who, team, location, time_zone, skills, authoritative } => {
                        let person = person_of(*who);
                        // Only what changes is written (and fed to search),
                        // so reading the same directory again touches nothing.
                        let mut changed = if *authoritative {
                            sqlx::query(
                                "UPDATE people SET team = $2, location = $3, time_zone = COALESCE($4, time_zone), \
                                 updated_at = $5 WHERE id = $1 \
                                 AND (team <> $2 OR location <> $3 OR ($4 IS NOT NULL AND time_zone <> $4))",
                            )
                            .bind(person)
                            .bind(team)
                            .bind(location)
                            .bind(time_zone)
                            .bind(target.now)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected()
                        } else {
                            sqlx::query(
                                "UPDATE people SET \
                                 team = CASE WHEN team = '' THEN $2 ELSE team END, \
                                 location = CASE WHEN location = '' THEN $3 ELSE location END, \
                                 time_zone = CASE WHEN time_zone = 'UTC' AND $4 IS NOT NULL THEN $4 ELSE time_zone END, \
                                 updated_at = $5 WHERE id = $1 AND ((team = '' AND $2 <> '') \
                                 OR (location = '' AND $3 <> '') OR (time_zone = 'UTC' AND $4 IS NOT NULL AND $4 <> 'UTC'))",
                            )
                            .bind(person)
                            .bind(team)
                            .bind(location)
                            .bind(time_zone)
                            .bind(target.now)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected()
                        };
                        for (name, level) in skills {
                            changed += sqlx::query(
                                "INSERT INTO person_skills (person_id, skill, level, skill_key) VALUES ($1, $2, $3, $4) \
                                 ON CONFLICT DO NOTHING",
                            )
                            .bind(person)
                            .bind(name)
                            .bind(level)
                            .bind(skill_key(name))
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        }
                        if changed == 0 && !fresh.contains(who) {
                            outcome.already += 1;
                            continue;
                        }
                        // The directory's search text, as the profile editor writes it.
                        let (handle, name): (String, String) =
                            sqlx::query_as("SELECT handle, name FROM people WHERE id = $1")
                                .bind(person)
                                .fetch_one(&mut *tx)
                                .await?;
                        let (team_now, location_now): (String, String) =
                            sqlx::query_as("SELECT team, location FROM people WHERE id = $1")
                                .bind(person)
                                .fetch_one(&mut *tx)
                                .await?;
                        let skill_names: Vec<String> =
                            sqlx::query_scalar("SELECT skill FROM person_skills WHERE person_id = $1 ORDER BY skill")
                                .bind(person)
                                .fetch_all(&mut *tx)
                                .await?;
                        let interests: Vec<String> = sqlx::query_scalar(
                            "SELECT interest FROM person_interests WHERE person_id = $1 ORDER BY interest",
                        )
                        .bind(person)
                        .fetch_all(&mut *tx)
                        .await?;
                        let mut text = format!("{name} {handle} {team_now} {location_now}");
                        for word in skill_names.iter().chain(interests.iter()) {
                            text.push(' ');
                            text.push_str(word);
                        }
                        sqlx::query("UPDATE people SET search_text = $2 WHERE id = $1")
                            .bind(person)
                            .bind(text.to_lowercase())
                            .execute(&mut *tx)
                            .await?;
                        append_change!(tx, "person", person, target.now);
                        if fresh.contains(who) {
                            outcome.added += 1;
                        } else {
                            outcome.already += 1;
                        }
                    }
                    ImportOp::Thread { external_id, kind, title, author, at, tags, body } => {
                        if session.threads.contains_key(external_id) || new_threads.contains_key(external_id) {
                            outcome.already += 1;
                            continue;
                        }
                        let existing = if written_before.contains(&("thread", external_id.as_str())) {
                            find_item!(tx, target, "thread", external_id)
                        } else {
                            None
                        };
                        if let Some(existing) = existing {
                            let (author_id, thread_kind): (Option<i64>, String) =
                                sqlx::query_as("SELECT author_id, kind FROM threads WHERE id = $1")
                                    .bind(existing)
                                    .fetch_one(&mut *tx)
                                    .await?;
                            new_threads.insert(external_id.clone(), (existing, author_id, thread_kind == "question"));
                            outcome.already += 1;
                            continue;
                        }
                        let person = person_of(*author);
                        let thread_id: i64 = sqlx::query_scalar(
                            "INSERT INTO threads (community_id, kind, title, author_id, created_at, last_activity_at, tags) \
                             VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
                        )
                        .bind(community)
                        .bind(*kind)
                        .bind(title)
                        .bind(person)
                        .bind(*at)
                        .bind(tags.join(" "))
                        .fetch_one(&mut *tx)
                        .await?;
                        for tag in tags {
                            sqlx::query(
                                "INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            )
                            .bind(thread_id)
                            .bind(tag)
                            .execute(&mut *tx)
                            .await?;
                        }
                        let post_id: i64 = sqlx::query_scalar(
                            "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(thread_id)
                        .bind(person)
                        .bind(body)
                        .bind(*at)
                        .fetch_one(&mut *tx)
                        .await?;
                        remember_item!(tx, target, "thread", external_id, thread_id, identity_of(*author));
                        remember_item!(tx, target, "post", external_id, post_id, identity_of(*author));
                        sqlx::query(
                            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, \
                             source_ref, identity_id) VALUES ($1, $2, $3, $4, NULL, 'copse', $5, $6)",
                        )
                        .bind(person)
                        .bind(community)
                        .bind(post_kind(*kind == "question", true))
                        .bind(*at)
                        .bind(format!("post:{post_id}"))
                        .bind(identity_of(*author))
                        .execute(&mut *tx)
                        .await?;
                        append_change!(tx, "thread", thread_id, *at);
                        append_change!(tx, "post", post_id, *at);
                        first_seen.entry(person).and_modify(|t| *t = (*t).min(*at)).or_insert(*at);
                        new_threads.insert(external_id.clone(), (thread_id, Some(person), *kind == "question"));
                        new_posts.insert(external_id.clone(), (post_id, Some(person)));
                        outcome.added += 1;
                    }
                    ImportOp::Post { external_id, thread, author, at, body, in_reply_to } => {
                        if session.recent_posts.contains_key(external_id)
                            || new_posts.contains_key(external_id)
                            || written_before.contains(&("post", external_id.as_str()))
                        {
                            outcome.already += 1;
                            continue;
                        }
                        let known_thread = match session.threads.get(thread) {
                            Some(found) => Some(*found),
                            None => match new_threads.get(thread) {
                                Some(found) => Some(*found),
                                None => match find_item!(tx, target, "thread", thread) {
                                    Some(id) => {
                                        let (author_id, thread_kind): (Option<i64>, String) =
                                            sqlx::query_as("SELECT author_id, kind FROM threads WHERE id = $1")
                                                .bind(id)
                                                .fetch_one(&mut *tx)
                                                .await?;
                                        let found = (id, author_id, thread_kind == "question");
                                        new_threads.insert(thread.clone(), found);
                                        Some(found)
                                    }
                                    None => None,
                                },
                            },
                        };
                        let Some((thread_id, thread_author, question)) = known_thread else {
                            outcome
                                .warnings
                                .push(format!("{external_id}: a reply to {thread}, which was never imported; skipped"));
                            continue;
                        };
                        let person = person_of(*author);
                        // Who this reply went to: the post it answers when
                        // the source says, else the thread's author.
                        let mut replied_to = thread_author;
                        // The replied-to post's external id (the thread's
                        // opening post shares the thread's), for its identity.
                        let mut replied_post: &str = thread;
                        if let Some(parent) = in_reply_to.as_ref().filter(|p| *p != thread) {
                            let cached =
                                session.recent_posts.get(parent).copied().or_else(|| new_posts.get(parent).copied());
                            let parent_author = match cached {
                                Some((_, author)) => author,
                                None => match find_item!(tx, target, "post", parent) {
                                    Some(id) => sqlx::query_scalar("SELECT author_id FROM posts WHERE id = $1")
                                        .bind(id)
                                        .fetch_optional(&mut *tx)
                                        .await?
                                        .flatten(),
                                    None => None,
                                },
                            };
                            if parent_author.is_some() {
                                replied_to = parent_author;
                                replied_post = parent;
                            }
                        }
                        let reply_to = replied_to.filter(|p| *p != person);
                        let post_id: i64 = sqlx::query_scalar(
                            "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(thread_id)
                        .bind(person)
                        .bind(body)
                        .bind(*at)
                        .fetch_one(&mut *tx)
                        .await?;
                        sqlx::query(
                            "UPDATE threads SET reply_count = reply_count + 1, \
                             last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END, \
                             version = version + 1 WHERE id = $1",
                        )
                        .bind(thread_id)
                        .bind(*at)
                        .execute(&mut *tx)
                        .await?;
                        remember_item!(tx, target, "post", external_id, post_id, identity_of(*author));
                        sqlx::query(
                            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, \
                             source_ref, identity_id, reply_identity_id) VALUES ($1, $2, $3, $4, $5, 'copse', $6, $7, \
                             (SELECT identity_id FROM import_items WHERE community_id = $2 AND source = $8 \
                              AND entity = 'post' AND external_id = $9))",
                        )
                        .bind(person)
                        .bind(community)
                        .bind(post_kind(question, false))
                        .bind(*at)
                        .bind(reply_to)
                        .bind(format!("post:{post_id}"))
                        .bind(identity_of(*author))
                        .bind(target.source)
                        .bind(reply_to.map(|_| replied_post))
                        .execute(&mut *tx)
                        .await?;
                        append_change!(tx, "post", post_id, *at);
                        first_seen.entry(person).and_modify(|t| *t = (*t).min(*at)).or_insert(*at);
                        new_posts.insert(external_id.clone(), (post_id, Some(person)));
                        outcome.added += 1;
                    }
                    ImportOp::Accepted { thread, post, at } => {
                        let thread_id = match session.threads.get(thread) {
                            Some((id, _, _)) => Some(*id),
                            None => match new_threads.get(thread) {
                                Some((id, _, _)) => Some(*id),
                                None => find_item!(tx, target, "thread", thread),
                            },
                        };
                        let post_id = match session.recent_posts.get(post) {
                            Some((id, _)) => Some(*id),
                            None => match new_posts.get(post) {
                                Some((id, _)) => Some(*id),
                                None => find_item!(tx, target, "post", post),
                            },
                        };
                        let (Some(thread_id), Some(post_id)) = (thread_id, post_id) else {
                            outcome
                                .warnings
                                .push(format!("accepted answer {post} of {thread}: not both imported; skipped"));
                            continue;
                        };
                        let updated = sqlx::query(
                            "UPDATE threads SET accepted_post_id = $2, accepted_at = $3, version = version + 1 \
                             WHERE id = $1 AND accepted_post_id IS NULL",
                        )
                        .bind(thread_id)
                        .bind(post_id)
                        .bind(*at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if updated == 0 {
                            outcome.already += 1;
                            continue;
                        }
                        let (answer_author, asker): (Option<i64>, Option<i64>) = sqlx::query_as(
                            "SELECT p.author_id, t.author_id FROM posts p JOIN threads t ON t.id = p.thread_id \
                             WHERE p.id = $1",
                        )
                        .bind(post_id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if let Some(author) = answer_author {
                            // By external id: the key's order (an entity_id
                            // filter would scan every imported post).
                            let identity: Option<i64> = sqlx::query_scalar(
                                "SELECT identity_id FROM import_items WHERE community_id = $1 AND source = $2 \
                                 AND entity = 'post' AND external_id = $3",
                            )
                            .bind(community)
                            .bind(target.source)
                            .bind(post)
                            .fetch_optional(&mut *tx)
                            .await?
                            .flatten();
                            sqlx::query(
                                "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, \
                                 source, source_ref, identity_id, reply_identity_id) \
                                 VALUES ($1, $2, 'accepted-answer', $3, $4, 'copse', $5, $6, \
                                 (SELECT identity_id FROM import_items WHERE community_id = $2 AND source = $7 \
                                  AND entity = 'thread' AND external_id = $8)) \
                                 ON CONFLICT (source, source_ref) DO NOTHING",
                            )
                            .bind(author)
                            .bind(community)
                            .bind(*at)
                            .bind(asker.filter(|a| *a != author))
                            .bind(format!("accept:{thread_id}"))
                            .bind(identity)
                            .bind(target.source)
                            .bind(asker.filter(|a| *a != author).map(|_| thread.as_str()))
                            .execute(&mut *tx)
                            .await?;
                        }
                        outcome.added += 1;
                    }
                    ImportOp::Activity { external_id, who, kind, at, reply_to } => {
                        // Written in multi-row statements after the loop.
                        let person = person_of(*who);
                        let replied = reply_to.filter(|r| person_of(*r) != person);
                        first_seen.entry(person).and_modify(|t| *t = (*t).min(*at)).or_insert(*at);
                        activity.push((
                            person,
                            *kind,
                            *at,
                            replied.map(person_of),
                            format!("{community}:{external_id}"),
                            identity_of(*who),
                            replied.map(identity_of),
                        ));
                    }
                    ImportOp::Mentorship { external_id, mentor, mentee, at } => {
                        let (mentor_person, mentee_person) = (person_of(*mentor), person_of(*mentee));
                        if mentor_person == mentee_person
                            || find_item!(tx, target, "mentorship-evidence", external_id).is_some()
                        {
                            outcome.already += 1;
                            continue;
                        }
                        // One mentorship per pair of identities, from the
                        // first evidence to the last.
                        let pair = format!("{}>{}", identity_of(*mentor), identity_of(*mentee));
                        let mentorship = match find_item!(tx, target, "mentorship", &pair) {
                            Some(id) => {
                                sqlx::query(
                                    "UPDATE mentorships SET \
                                     started_at = CASE WHEN started_at > $2 THEN $2 ELSE started_at END, \
                                     proposed_at = CASE WHEN proposed_at > $2 THEN $2 ELSE proposed_at END, \
                                     ended_at = CASE WHEN ended_at < $2 THEN $2 ELSE ended_at END, \
                                     version = version + 1 WHERE id = $1",
                                )
                                .bind(id)
                                .bind(*at)
                                .execute(&mut *tx)
                                .await?;
                                id
                            }
                            None => {
                                let id: i64 = sqlx::query_scalar(
                                    "INSERT INTO mentorships (mentor_id, mentee_id, community_id, status, reasons, \
                                     mentor_accepted_at, mentee_accepted_at, proposed_at, started_at, ended_at, outcome) \
                                     VALUES ($1, $2, $3, 'completed', $4, $5, $5, $5, $5, $5, $6) RETURNING id",
                                )
                                .bind(mentor_person)
                                .bind(mentee_person)
                                .bind(community)
                                .bind(format!("Imported from {}", target.source))
                                .bind(*at)
                                .bind(format!("Recorded in the {} history (Mentored-by)", target.source))
                                .fetch_one(&mut *tx)
                                .await?;
                                remember_item!(tx, target, "mentorship", &pair, id, identity_of(*mentee));
                                id
                            }
                        };
                        remember_item!(
                            tx,
                            target,
                            "mentorship-evidence",
                            external_id,
                            mentorship,
                            identity_of(*mentor)
                        );
                        sqlx::query(
                            "INSERT INTO contributions (person_id, community_id, kind, at, reply_to_person, source, \
                             source_ref, identity_id, reply_identity_id) \
                             VALUES ($1, $2, 'mentorship-session', $3, $4, $5, $6, $7, $8) \
                             ON CONFLICT (source, source_ref) DO NOTHING",
                        )
                        .bind(mentor_person)
                        .bind(community)
                        .bind(*at)
                        .bind(mentee_person)
                        .bind(target.source)
                        .bind(format!("{community}:{external_id}"))
                        .bind(identity_of(*mentor))
                        .bind(identity_of(*mentee))
                        .execute(&mut *tx)
                        .await?;
                        first_seen.entry(mentor_person).and_modify(|t| *t = (*t).min(*at)).or_insert(*at);
                        outcome.added += 1;
                    }
                }
            }

            // Bare activity, ACTIVITY_ROWS rows per statement (the rest one
            // by one); rows written before are skipped by the unique index.
            let mut chunks = activity.chunks_exact(ACTIVITY_ROWS);
            for chunk in &mut chunks {
                let mut query = sqlx::query(INSERT_ACTIVITY_MANY.as_str());
                for (person, kind, at, reply_to, source_ref, identity, reply_identity) in chunk {
                    query = query
                        .bind(*person)
                        .bind(community)
                        .bind(*kind)
                        .bind(*at)
                        .bind(*reply_to)
                        .bind(target.source)
                        .bind(source_ref)
                        .bind(*identity)
                        .bind(*reply_identity);
                }
                let written = query.execute(&mut *tx).await?.rows_affected();
                outcome.added += written;
                outcome.already += chunk.len() as u64 - written;
            }
            for (person, kind, at, reply_to, source_ref, identity, reply_identity) in chunks.remainder() {
                let written = sqlx::query(INSERT_ACTIVITY_ONE)
                    .bind(*person)
                    .bind(community)
                    .bind(*kind)
                    .bind(*at)
                    .bind(*reply_to)
                    .bind(target.source)
                    .bind(source_ref)
                    .bind(*identity)
                    .bind(*reply_identity)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                outcome.added += written;
                outcome.already += 1 - written;
            }

            // Everyone who took part is a member, joined when they first did
            // (written only when this run has not already recorded an
            // earlier time for them).
            let mut people: Vec<(i64, i64)> = first_seen
                .into_iter()
                .filter(|(person, at)| session.joined.get(person).is_none_or(|known| at < known))
                .collect();
            people.sort_unstable();
            for (person, at) in &people {
                let (person, at) = (*person, *at);
                sqlx::query(
                    "INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) \
                     VALUES ($1, $2, 'member', 'active', $3, $4) ON CONFLICT (community_id, person_id) DO NOTHING",
                )
                .bind(community)
                .bind(person)
                .bind(at)
                .bind(target.now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE memberships SET created_at = $3 WHERE community_id = $1 AND person_id = $2 AND created_at > $3",
                )
                .bind(community)
                .bind(person)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            joined.extend(people.iter().copied());
            sqlx::query(
                "UPDATE import_runs SET status = 'loading', done_units = $2, total_units = $3, records = $4, \
                 added = added + $5, heartbeat_at = $6 WHERE id = $1",
            )
            .bind(target.run)
            .bind(batch.done_units as i64)
            .bind(batch.total_units.map(|t| t as i64))
            .bind(batch.records as i64)
            .bind(outcome.added as i64)
            .bind(target.now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        session.identities.extend(new_identities);
        session.joined.extend(joined);
        session.threads.extend(new_threads);
        if session.recent_posts.len() + new_posts.len() > RECENT_POSTS {
            session.recent_posts.clear();
        }
        session.recent_posts.extend(new_posts);
        Ok(outcome)
    }

    /// Row counts of the tables an import writes, for checks that a failed
    /// import lost and added nothing, and for import summaries.
    pub async fn import_row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        const TABLES: [(&str, &str); 11] = [
            ("people", "SELECT COUNT(*) FROM people"),
            ("identities", "SELECT COUNT(*) FROM identities"),
            ("threads", "SELECT COUNT(*) FROM threads"),
            ("thread_tags", "SELECT COUNT(*) FROM thread_tags"),
            ("posts", "SELECT COUNT(*) FROM posts"),
            ("contributions", "SELECT COUNT(*) FROM contributions"),
            ("memberships", "SELECT COUNT(*) FROM memberships"),
            ("mentorships", "SELECT COUNT(*) FROM mentorships"),
            ("import_items", "SELECT COUNT(*) FROM import_items"),
            ("activity_daily", "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM activity_daily"),
            ("activity_pairs", "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM activity_pairs"),
        ];
        let mut counts = Vec::with_capacity(TABLES.len());
        for (table, sql) in TABLES {
            let n: i64 = with_pool!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
            counts.push((table, n));
        }
        Ok(counts)
    }

    /// What a community's activity record holds, by kind: (kind, records,
    /// distinct people, first, last).
    pub async fn community_activity_by_kind(
        &self,
        community: CommunityId,
    ) -> Result<Vec<(String, i64, i64, i64, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, COUNT(*), COUNT(DISTINCT person_id), MIN(at), MAX(at) FROM contributions \
                 WHERE community_id = $1 GROUP BY kind ORDER BY kind",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Distinct people with any of `kinds` in a community.
    pub async fn community_people_with_kinds(&self, community: CommunityId, kinds: &[&str]) -> Result<i64, StoreError> {
        let mut people: HashSet<i64> = HashSet::new();
        for kind in kinds {
            let rows: Vec<i64> = with_pool!(self, |pool| {
                sqlx::query_scalar("SELECT DISTINCT person_id FROM contributions WHERE community_id = $1 AND kind = $2")
                    .bind(community.0)
                    .bind(*kind)
                    .fetch_all(pool)
                    .await?
            });
            people.extend(rows);
        }
        Ok(people.len() as i64)
    }

    /// A community's mentorships as (mentor, mentee) person pairs.
    pub async fn community_mentorship_pairs(&self, community: CommunityId) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT mentor_id, mentee_id FROM mentorships WHERE community_id = $1 ORDER BY 1, 2")
                .bind(community.0)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Every identity of a person.
    pub async fn identities_of(&self, person: PersonId) -> Result<Vec<IdentityRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as::<_, IdentityRow>(
                "SELECT id, source, scope, key, name, email, person_id, merged_at FROM identities \
                 WHERE person_id = $1 ORDER BY source, key",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn identity(&self, id: i64) -> Result<Option<IdentityRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as::<_, IdentityRow>(
                "SELECT id, source, scope, key, name, email, person_id, merged_at FROM identities WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// One person as the merge review shows them.
    pub async fn person_summary(&self, person: i64) -> Result<Option<PersonSummary>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as::<_, PersonSummary>(
                "SELECT p.id, p.handle, p.name, p.email, \
                 EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AS has_account, \
                 (SELECT COUNT(*) FROM identities i WHERE i.person_id = p.id) AS identities, \
                 (SELECT COUNT(*) FROM contributions k WHERE k.person_id = p.id) AS contributions \
                 FROM people p WHERE p.id = $1",
            )
            .bind(person)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// People with identities who look like the same person: the same name
    /// written alike (case, spaces and punctuation aside), or the same
    /// e-mail user name at different domains with the same name initial.
    /// Pairs an administrator said are different are left out.
    pub async fn look_alike_people(&self, limit: usize) -> Result<Vec<LookAlike>, StoreError> {
        let rows: Vec<(i64, String, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, p.name, p.email FROM people p \
                 WHERE EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id) ORDER BY p.id",
            )
            .fetch_all(pool)
            .await?
        });
        let distinct: HashSet<(i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as::<_, (i64, i64)>("SELECT person_a, person_b FROM identity_distinct")
                .fetch_all(pool)
                .await?
                .into_iter()
                .collect()
        });
        let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
        let mut by_local: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, name, email) in &rows {
            let folded = fold_name(name);
            if folded.len() >= 4 {
                by_name.entry(folded).or_default().push(*id);
            }
            if let Some(local) = email.as_deref().and_then(|e| e.split('@').next())
                && local.len() >= 4
            {
                by_local.entry(local.to_string()).or_default().push(*id);
            }
        }
        let mut pairs: Vec<(i64, i64, String)> = Vec::new();
        let mut seen: HashSet<(i64, i64)> = HashSet::new();
        for (reason, groups) in [("the same name", &by_name), ("the same e-mail user name", &by_local)] {
            let mut keys: Vec<&String> = groups.keys().collect();
            keys.sort();
            for key in keys {
                let ids = &groups[key];
                for (i, a) in ids.iter().enumerate() {
                    for b in &ids[i + 1..] {
                        let pair = ((*a).min(*b), (*a).max(*b));
                        if distinct.contains(&pair) || !seen.insert(pair) {
                            continue;
                        }
                        pairs.push((pair.0, pair.1, format!("{reason} ({key})")));
                    }
                }
            }
        }
        pairs.truncate(limit);
        let mut out = Vec::with_capacity(pairs.len());
        for (a, b, reason) in pairs {
            if let (Some(a), Some(b)) = (self.person_summary(a).await?, self.person_summary(b).await?) {
                out.push(LookAlike { a, b, reason });
            }
        }
        Ok(out)
    }

    /// Records that two people are different, so the review stops offering them.
    pub async fn mark_people_distinct(&self, a: i64, b: i64, by: PersonId, now: i64) -> Result<(), StoreError> {
        let (a, b) = (a.min(b), a.max(b));
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO identity_distinct (person_a, person_b, decided_by, decided_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (person_a, person_b) DO NOTHING",
            )
            .bind(a)
            .bind(b)
            .bind(by.0)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Merges person `from` into person `into`: every identity, imported
    /// post, thread, activity record, membership, mentorship and skill of
    /// `from` moves to `into`, and `from` is deleted. Only a person created
    /// by an import (no account) can be merged away; the caller checks that.
    pub async fn merge_people(&self, from: i64, into: i64, by: PersonId, now: i64) -> Result<(), StoreError> {
        if from == into {
            return Err(StoreError::Unsupported("a person cannot be merged into themselves".into()));
        }
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE identities SET person_id = $2, merged_by = $3, merged_at = $4 WHERE person_id = $1")
                .bind(from)
                .bind(into)
                .bind(by.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            move_person_rows!(tx, from, into, "");
            sqlx::query(
                "INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES ($1, 'merge', 'person', $2, $3, $4)",
            )
            .bind(by.0)
            .bind(into)
            .bind(format!("merged person {from} into {into}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM people WHERE id = $1").bind(from).execute(&mut *tx).await?;
            append_change!(tx, "person", into, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Takes identity `identity` out of the person it belongs to: a new
    /// person is created for it and everything imported under it (posts,
    /// threads, activity records, memberships where it took part) moves
    /// there. Returns the new person.
    pub async fn unmerge_identity(
        &self,
        identity: i64,
        handle_base: &str,
        by: PersonId,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (old_person, name, email): (i64, String, Option<String>) =
                sqlx::query_as("SELECT person_id, name, email FROM identities WHERE id = $1")
                    .bind(identity)
                    .fetch_one(&mut *tx)
                    .await?;
            let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM identities WHERE person_id = $1 AND id <> $2")
                .bind(old_person)
                .bind(identity)
                .fetch_one(&mut *tx)
                .await?;
            if others == 0 {
                return Err(StoreError::Unsupported("this is the person's only identity: nothing to unmerge".into()));
            }
            // The e-mail stays with the person who has it on their profile.
            let mut attempt = 1u32;
            let new_person: i64 = loop {
                let handle = if attempt == 1 { handle_base.to_string() } else { format!("{handle_base}-{attempt}") };
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO people (handle, name, search_text, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (handle) DO NOTHING RETURNING id",
                )
                .bind(&handle)
                .bind(if name.is_empty() { email.clone().unwrap_or_default() } else { name.clone() })
                .bind(format!("{name} {handle}").to_lowercase())
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = id {
                    break id;
                }
                attempt += 1;
                if attempt > 10_000 {
                    return Err(StoreError::Unsupported(format!("no free handle for {handle_base}")));
                }
            };
            sqlx::query("UPDATE identities SET person_id = $2, merged_by = $3, merged_at = $4 WHERE id = $1")
                .bind(identity)
                .bind(new_person)
                .bind(by.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE contributions SET person_id = $2 WHERE identity_id = $1")
                .bind(identity)
                .bind(new_person)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE posts SET author_id = $2 WHERE id IN \
                 (SELECT entity_id FROM import_items WHERE identity_id = $1 AND entity = 'post')",
            )
            .bind(identity)
            .bind(new_person)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE threads SET author_id = $2, version = version + 1 WHERE id IN \
                 (SELECT entity_id FROM import_items WHERE identity_id = $1 AND entity = 'thread')",
            )
            .bind(identity)
            .bind(new_person)
            .execute(&mut *tx)
            .await?;
            // What was done in reply to the identity now goes to the new person.
            sqlx::query("UPDATE contributions SET reply_to_person = $2 WHERE reply_identity_id = $1")
                .bind(identity)
                .bind(new_person)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) \
                 SELECT community_id, $2, 'member', 'active', MIN(at), $3 FROM contributions WHERE identity_id = $1 \
                 GROUP BY community_id ON CONFLICT (community_id, person_id) DO NOTHING",
            )
            .bind(identity)
            .bind(new_person)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES ($1, 'unmerge', 'person', $2, $3, $4)",
            )
            .bind(by.0)
            .bind(old_person)
            .bind(format!("identity {identity} moved out to person {new_person}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_change!(tx, "person", new_person, now);
            append_change!(tx, "person", old_person, now);
            tx.commit().await?;
            new_person
        }))
    }
}

/// A name folded for comparison: lower case, letters and digits only.
fn fold_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_spaces_and_punctuation() {
        assert_eq!(fold_name("Junio C. Hamano"), "juniochamano");
        assert_eq!(fold_name("junio c hamano"), "juniochamano");
        assert_ne!(fold_name("Jeff King"), fold_name("Jeff Hostetler"));
    }

    #[test]
    fn post_kinds_follow_native_posts() {
        assert_eq!(post_kind(true, true), "question");
        assert_eq!(post_kind(true, false), "answer");
        assert_eq!(post_kind(false, true), "thread");
        assert_eq!(post_kind(false, false), "reply");
    }
}
