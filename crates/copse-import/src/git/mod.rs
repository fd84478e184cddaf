//! git: a repository directory (bare or with a work tree) or a bundle file,
//! read with the pure-Rust gix crates (no `git` process).
//!
//! What comes out, per commit reachable from any ref (HEAD included), each
//! exactly once:
//!
//! - an [`ActivityKind::Commit`] by the author, or an [`ActivityKind::Merge`]
//!   (two or more parents: integration, not authorship), at the author time,
//!   with the commit id as external id;
//! - per trailer of the message (found as git finds them, see [`trailers`]):
//!   Reviewed-by, Acked-by, Tested-by → [`ActivityKind::Review`]; Helped-by,
//!   Suggested-by, Reported-by, Co-authored-by →
//!   [`ActivityKind::Collaboration`]; both by the trailer's person in reply
//!   to the author, external id `<commit>/<key lower-cased>/<email>`.
//!   Mentored-by → a [`Record::Mentorship`] (mentor: the trailer's person,
//!   mentee: the author), external id `<commit>/mentored-by/<email>`.
//!   Signed-off-by and other keys are ignored. A trailer naming the author
//!   (self-review) gives nothing; the same key and person twice in a commit
//!   counts once. A trailer value with no e-mail address (`Reported-by: the
//!   CI`) cannot become an identity: it is skipped with a warning.
//!
//! Identities: the `.mailmap` of the commit HEAD points to (from the object
//! database, never from a work tree, so a repository and its bundle read the
//! same) maps authors and trailer people, then [`Identity::by_email`]. Names
//! that are not UTF-8 (old commits) are read as Latin-1.
//!
//! Order: commits by committer time, oldest first, ties by commit id: the
//! same input gives the same records whatever the order of its refs. Records
//! of one commit: its activity, then its trailers in message order.
//!
//! Memory: the walk reads each commit once and keeps what its records need
//! in compact form (about 70 bytes a commit, people interned once), then
//! sorts and emits; commit messages are not kept. A bundle's pack is indexed
//! to a temporary directory first ([`bundle`]).
//!
//! Progress: `(commits emitted, Some(reachable commits))` every 1,000
//! commits, once the walk knows the total.

mod bundle;
pub mod trailers;

use crate::{
    ActivityKind, ActivityRecord, Identity, ImportError, Importer, MentorshipRecord, Position, Record, Sink, Source,
    Summary,
};
use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use gix::objs::{Find, FindHeader};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Reads a git repository or bundle.
#[derive(Debug, Clone)]
pub struct GitImporter {
    /// Longest bundle header line accepted.
    pub max_line_bytes: usize,
    /// Largest commit, tag or `.mailmap` object accepted (and, in a bundle,
    /// largest object resolved while indexing its pack).
    pub max_object_bytes: usize,
    /// Warnings kept in the summary; past this, one line says how many more.
    pub max_warnings: usize,
}

impl Default for GitImporter {
    fn default() -> Self {
        GitImporter { max_line_bytes: 16 << 20, max_object_bytes: 16 << 20, max_warnings: 1000 }
    }
}

/// Commits between two progress reports.
const PROGRESS_EVERY: u64 = 1000;

impl Importer for GitImporter {
    fn source(&self) -> Source {
        Source::Git
    }

    /// Every commit is read (and every object checked) before the first
    /// record is handed over, so the loader needs no checking pass.
    fn checks_before_emitting(&self) -> bool {
        true
    }

    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        let metadata = std::fs::metadata(path).map_err(|e| ImportError::io(path, &e))?;
        if metadata.is_dir() {
            return self.read_repository(path, sink);
        }
        if metadata.len() == 0 {
            return Err(ImportError::at(path, Position::Byte(0), "empty file: not a git repository or bundle"));
        }
        if !bundle::looks_like_bundle(path).map_err(|e| ImportError::io(path, &e))? {
            return Err(ImportError::at(
                path,
                Position::Line(1),
                "not a git repository or bundle (a bundle starts with '# v2 git bundle' or '# v3 git bundle')",
            ));
        }
        let indexed = bundle::index(path, self.max_line_bytes, self.max_object_bytes)?;
        let head = indexed.refs.iter().find(|(name, _)| name == "HEAD").map(|(_, id)| *id);
        Walk::new(self, path, &indexed.objects).run(&indexed.refs, head, sink)
    }
}

impl GitImporter {
    fn read_repository(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        // Isolated: only the repository's own configuration counts, not the
        // user's or the environment's, so every machine reads the same.
        let repo = gix::open_opts(path, gix::open::Options::isolated())
            .map_err(|e| ImportError::input(path, None, format!("not a git repository or bundle: {e}")))?;
        if repo.object_hash() != gix::hash::Kind::Sha1 {
            return Err(ImportError::input(path, None, "only SHA-1 repositories are supported"));
        }
        let refs_error =
            |e: &dyn std::fmt::Display| ImportError::input(path, None, format!("cannot read the refs: {e}"));
        let mut tips = Vec::new();
        // An unborn HEAD (a fresh repository) has no id: nothing to add.
        let head = repo.head_id().ok().map(|id| id.detach());
        if let Some(head) = head {
            tips.push(("HEAD".to_string(), head));
        }
        let platform = repo.references().map_err(|e| refs_error(&e))?;
        for reference in platform.all().map_err(|e| refs_error(&e))? {
            let reference = reference.map_err(|e| refs_error(&e))?;
            // Symbolic refs point at refs that are listed themselves.
            if let Some(id) = reference.target().try_id() {
                tips.push((reference.name().as_bstr().to_string(), id.to_owned()));
            }
        }
        Walk::new(self, path, &repo.objects).run(&tips, head, sink)
    }
}

/// One read of one object database.
struct Walk<'a, O> {
    importer: &'a GitImporter,
    path: &'a Path,
    objects: &'a O,
    buffer: Vec<u8>,
    summary: Summary,
    warnings_left_off: u64,
    people: People,
    /// The kept trailers of all commits, each commit owning a range.
    trailers: Vec<KeptTrailer>,
}

/// A reachable commit, as the walk keeps it: everything its records need,
/// with people as indexes into [`People`] and its trailers as a range of
/// [`Walk::trailers`], so the records can be emitted in the documented order
/// without reading the commit again.
struct Commit {
    committer_seconds: i64,
    id: ObjectId,
    /// Author time, UTC milliseconds.
    at: i64,
    author: u32,
    merge: bool,
    trailers: std::ops::Range<u32>,
}

/// A trailer kept for emission: which key ([`TRAILER_KEYS`]) and who.
#[derive(Clone, Copy)]
struct KeptTrailer {
    key: u8,
    person: u32,
}

/// The identities met so far, each kept once (by name and e-mail after the
/// mailmap): a commit refers to them by index.
#[derive(Default)]
struct People {
    list: Vec<Identity>,
    index: HashMap<(String, String), u32>,
}

impl People {
    fn intern(&mut self, identity: Identity) -> u32 {
        let email = identity.email.clone().unwrap_or_default();
        let next = self.list.len() as u32;
        *self.index.entry((identity.name.clone(), email)).or_insert_with(|| {
            self.list.push(identity);
            next
        })
    }

    fn get(&self, index: u32) -> &Identity {
        &self.list[index as usize]
    }
}

/// The trailer keys that become records, lower-cased, as they appear in
/// external ids.
const TRAILER_KEYS: [&str; 8] = [
    "reviewed-by",
    "acked-by",
    "tested-by",
    "helped-by",
    "suggested-by",
    "reported-by",
    "co-authored-by",
    "mentored-by",
];

/// A trailer key and what it becomes.
enum TrailerKind {
    Activity(ActivityKind),
    Mentorship,
}

fn trailer_kind(key_lowercase: &str) -> TrailerKind {
    match key_lowercase {
        "mentored-by" => TrailerKind::Mentorship,
        "reviewed-by" | "acked-by" | "tested-by" => TrailerKind::Activity(ActivityKind::Review),
        _ => TrailerKind::Activity(ActivityKind::Collaboration),
    }
}

impl<'a, O: Find + FindHeader> Walk<'a, O> {
    fn new(importer: &'a GitImporter, path: &'a Path, objects: &'a O) -> Self {
        Walk {
            importer,
            path,
            objects,
            buffer: Vec::new(),
            summary: Summary::default(),
            warnings_left_off: 0,
            people: People::default(),
            trailers: Vec::new(),
        }
    }

    fn run(
        mut self,
        tips: &[(String, ObjectId)],
        head: Option<ObjectId>,
        sink: &mut dyn Sink,
    ) -> Result<Summary, ImportError> {
        let mut starts = Vec::new();
        for (name, id) in tips {
            if let Some(commit) = self.peel_to_commit(name, *id)? {
                starts.push(commit);
            }
        }
        let mailmap = match head {
            Some(head) => self.mailmap(head)?,
            None => gix_mailmap::Snapshot::default(),
        };
        let commits = self.reachable(starts, &mailmap)?;
        let total = commits.len() as u64;
        sink.progress(0, Some(total));
        for (done, commit) in commits.iter().enumerate() {
            self.emit(commit, sink)?;
            let done = done as u64 + 1;
            if done.is_multiple_of(PROGRESS_EVERY) {
                sink.progress(done, Some(total));
            }
        }
        sink.progress(total, Some(total));
        if self.warnings_left_off > 0 {
            let more = format!("{}: {} more warnings left off", self.path.display(), self.warnings_left_off);
            self.summary.warnings.push(more);
        }
        Ok(self.summary)
    }

    /// Reads object `id` after checking it exists, has `kind` and is within
    /// the size cap; the data is in `self.buffer`. `what` names it in errors
    /// ("commit", "tag"), followed by its id.
    fn load(&mut self, id: &ObjectId, kind: gix::objs::Kind, what: &str) -> Result<(), ImportError> {
        let fail = |message: String| ImportError::at(self.path, Position::Entry(id.to_string()), message);
        let header = self
            .objects
            .try_header(id)
            .map_err(|e| fail(format!("cannot read {what} {id}: {e}")))?
            .ok_or_else(|| fail(format!("{what} {id} is missing from the object database")))?;
        if header.kind != kind {
            return Err(fail(format!("{what} {id} is a {}, not a {kind}", header.kind)));
        }
        let max = self.importer.max_object_bytes;
        if header.size > max as u64 {
            return Err(fail(format!("{what} {id} is {} bytes, over the {max}-byte limit", header.size)));
        }
        self.objects
            .try_find(id, &mut self.buffer)
            .map_err(|e| fail(format!("cannot read {what} {id}: {e}")))?
            .ok_or_else(|| fail(format!("{what} {id} is missing from the object database")))?;
        Ok(())
    }

    /// The commit a ref leads to through annotated tags; `None` for refs to
    /// trees or blobs (which have no history).
    fn peel_to_commit(&mut self, name: &str, mut id: ObjectId) -> Result<Option<ObjectId>, ImportError> {
        // Tags of tags are legal; a cycle is not possible with hashes, but
        // a corrupt chain must still end.
        for _ in 0..64 {
            let header = self
                .objects
                .try_header(&id)
                .map_err(|e| {
                    ImportError::at(
                        self.path,
                        Position::Entry(name.to_string()),
                        format!("cannot read object {id}: {e}"),
                    )
                })?
                .ok_or_else(|| {
                    ImportError::at(
                        self.path,
                        Position::Entry(name.to_string()),
                        format!("points to object {id}, which is missing"),
                    )
                })?;
            match header.kind {
                gix::objs::Kind::Commit => return Ok(Some(id)),
                gix::objs::Kind::Tag => {
                    self.load(&id, gix::objs::Kind::Tag, &format!("tag (of {name})"))?;
                    let tag = gix::objs::TagRef::from_bytes(&self.buffer, gix::hash::Kind::Sha1).map_err(|e| {
                        ImportError::at(self.path, Position::Entry(id.to_string()), format!("malformed tag: {e}"))
                    })?;
                    id = tag.target();
                }
                gix::objs::Kind::Tree | gix::objs::Kind::Blob => return Ok(None),
            }
        }
        Err(ImportError::at(self.path, Position::Entry(name.to_string()), "more than 64 nested tags"))
    }

    /// The `.mailmap` at the root of the tree of commit `head`, or an empty
    /// one when there is none (or, in a filtered bundle, its blob is absent).
    fn mailmap(&mut self, head: ObjectId) -> Result<gix_mailmap::Snapshot, ImportError> {
        let Some(head) = self.peel_to_commit("HEAD", head)? else {
            return Ok(gix_mailmap::Snapshot::default());
        };
        self.load(&head, gix::objs::Kind::Commit, "commit")?;
        let tree = gix::objs::CommitRef::from_bytes(&self.buffer, gix::hash::Kind::Sha1)
            .map_err(|e| {
                ImportError::at(self.path, Position::Entry(head.to_string()), format!("malformed commit: {e}"))
            })?
            .tree();
        self.load(&tree, gix::objs::Kind::Tree, "tree")?;
        let entries = gix::objs::TreeRef::from_bytes(&self.buffer, gix::hash::Kind::Sha1).map_err(|e| {
            ImportError::at(self.path, Position::Entry(tree.to_string()), format!("malformed tree: {e}"))
        })?;
        let Some(blob) = entries
            .entries
            .iter()
            .find(|entry| entry.filename == ".mailmap" && entry.mode.is_blob())
            .map(|entry| entry.oid.to_owned())
        else {
            return Ok(gix_mailmap::Snapshot::default());
        };
        if self.objects.try_header(&blob).ok().flatten().is_none() {
            self.warn(format!("{}: {blob}: .mailmap is not in the bundle; names are not mapped", self.path.display()));
            return Ok(gix_mailmap::Snapshot::default());
        }
        self.load(&blob, gix::objs::Kind::Blob, ".mailmap")?;
        Ok(gix_mailmap::Snapshot::from_bytes(&self.buffer))
    }

    /// Every commit reachable from `starts`, once each, read and kept, in
    /// the documented order.
    fn reachable(
        &mut self,
        starts: Vec<ObjectId>,
        mailmap: &gix_mailmap::Snapshot,
    ) -> Result<Vec<Commit>, ImportError> {
        let mut seen: HashSet<ObjectId> = HashSet::new();
        let mut stack = starts;
        let mut commits = Vec::new();
        let mut parents = Vec::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            commits.push(self.read_commit(id, mailmap, &mut parents)?);
            stack.extend(parents.drain(..).filter(|parent| !seen.contains(parent)));
        }
        commits.sort_unstable_by_key(|commit| (commit.committer_seconds, commit.id));
        Ok(commits)
    }

    /// Reads commit `id`: what its records need, with its parents pushed on
    /// `parents`.
    fn read_commit(
        &mut self,
        id: ObjectId,
        mailmap: &gix_mailmap::Snapshot,
        parents: &mut Vec<ObjectId>,
    ) -> Result<Commit, ImportError> {
        let at_commit = || Position::Entry(id.to_string());
        self.load(&id, gix::objs::Kind::Commit, "commit")?;
        // The buffer is taken for the time the decoded commit borrows it.
        let buffer = std::mem::take(&mut self.buffer);
        let result = self.keep_commit(id, &buffer, mailmap, parents);
        self.buffer = buffer;
        result.map_err(|message| ImportError::at(self.path, at_commit(), message))
    }

    fn keep_commit(
        &mut self,
        id: ObjectId,
        data: &[u8],
        mailmap: &gix_mailmap::Snapshot,
        parents: &mut Vec<ObjectId>,
    ) -> Result<Commit, String> {
        let commit = gix::objs::CommitRef::from_bytes(data, gix::hash::Kind::Sha1)
            .map_err(|e| format!("malformed commit: {e}"))?;
        let committer = commit.committer().map_err(|e| format!("malformed committer: {e}"))?;
        let signature = commit.author().map_err(|e| format!("malformed author: {e}"))?;
        let time = signature.time().map_err(|e| format!("malformed author date: {e}"))?;
        parents.extend(commit.parents());
        let author_identity = identity(mailmap, signature.name, signature.email);
        let author_key = author_identity.key.clone();
        let author = self.people.intern(author_identity);

        let start = self.trailers.len() as u32;
        let mut counted: HashSet<(u8, String)> = HashSet::new();
        for trailer in trailers::parse(&text(commit.message)) {
            let key = trailer.key.to_ascii_lowercase();
            let Some(key_index) = TRAILER_KEYS.iter().position(|known| *known == key) else { continue };
            let Some((name, email)) = trailers::person(&trailer.value) else {
                let warning = format!(
                    "{}: {id}: {}: '{}' has no e-mail address; skipped",
                    self.path.display(),
                    trailer.key,
                    trailer.value
                );
                self.warn(warning);
                continue;
            };
            let person = identity(mailmap, name.as_bytes().as_bstr(), email.as_bytes().as_bstr());
            // Self-review gives nothing; the same key and person twice counts once.
            if person.key == author_key || !counted.insert((key_index as u8, person.key.clone())) {
                continue;
            }
            let person = self.people.intern(person);
            self.trailers.push(KeptTrailer { key: key_index as u8, person });
        }
        Ok(Commit {
            committer_seconds: committer.seconds(),
            id,
            at: time.seconds.saturating_mul(1000),
            author,
            merge: commit.parents.len() >= 2,
            trailers: start..self.trailers.len() as u32,
        })
    }

    /// The records of one commit: its activity, then its trailers.
    fn emit(&mut self, commit: &Commit, sink: &mut dyn Sink) -> Result<(), ImportError> {
        let hex = commit.id.to_string();
        let author = self.people.get(commit.author);
        let kind = if commit.merge { ActivityKind::Merge } else { ActivityKind::Commit };
        let mut records = vec![Record::Activity(ActivityRecord {
            external_id: hex.clone(),
            who: author.clone(),
            kind,
            at: commit.at,
            reply_to: None,
        })];
        for trailer in &self.trailers[commit.trailers.start as usize..commit.trailers.end as usize] {
            let key = TRAILER_KEYS[trailer.key as usize];
            let person = self.people.get(trailer.person).clone();
            let external_id = format!("{hex}/{key}/{}", person.key);
            records.push(match trailer_kind(key) {
                TrailerKind::Activity(kind) => Record::Activity(ActivityRecord {
                    external_id,
                    who: person,
                    kind,
                    at: commit.at,
                    reply_to: Some(author.clone()),
                }),
                TrailerKind::Mentorship => Record::Mentorship(MentorshipRecord {
                    external_id,
                    mentor: person,
                    mentee: author.clone(),
                    at: commit.at,
                }),
            });
        }
        for record in records {
            sink.record(record).map_err(ImportError::Stopped)?;
            self.summary.records += 1;
        }
        Ok(())
    }

    fn warn(&mut self, warning: String) {
        if self.summary.warnings.len() < self.importer.max_warnings {
            self.summary.warnings.push(warning);
        } else {
            self.warnings_left_off += 1;
        }
    }
}

/// A person after the mailmap.
fn identity(mailmap: &gix_mailmap::Snapshot, name: &BStr, email: &BStr) -> Identity {
    let signature = gix::actor::SignatureRef { name, email, time: "" };
    let (name, email) = match mailmap.try_resolve_ref(signature) {
        Some(resolved) => (resolved.name.unwrap_or(name), resolved.email.unwrap_or(email)),
        None => (name, email),
    };
    Identity::by_email(&text(name), &text(email))
}

/// Bytes as text: UTF-8 when they are, else Latin-1 (what old commits
/// without an encoding header mostly are); never fails.
fn text(bytes: &BStr) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
