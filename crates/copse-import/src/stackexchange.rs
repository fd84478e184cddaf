//! The Stack Exchange data dump reader: a directory holding a site's dump
//! files (`Users.xml`, `Posts.xml`, `Comments.xml`, `Votes.xml`,
//! `Tags.xml`; `PostHistory.xml`, `PostLinks.xml` and `Badges.xml` may be
//! there and are not read) turned into people, questions, answers, accepted
//! answers and comments.
//!
//! The format is the one Stack Exchange documents for its public dumps: each
//! file is `<posts><row Id="1" PostTypeId="1" .../>...</posts>`, one row per
//! line, every value an attribute, dates in UTC without a zone
//! (`2008-07-31T21:42:52.667`). The files are read in this order:
//!
//! 1. `Users.xml` (optional): one [`Record::Person`] per user, known by id;
//!    the `Community` bot (id -1) is left out.
//! 2. `Votes.xml` (optional): only `VoteTypeId="1"` (accepted by the asker),
//!    to date accepted answers. The map it fills is as large as the number
//!    of accepted answers.
//! 3. `Posts.xml` (required): questions (`PostTypeId="1"`) become
//!    [`Record::Thread`]s, answers (`PostTypeId="2"`) [`Record::Post`]s
//!    replying to their question, and a question's `AcceptedAnswerId` a
//!    [`Record::Accepted`] right after that answer. Other post types (tag
//!    wikis, moderator nominations...) are skipped and counted in one
//!    warning line.
//! 4. `Comments.xml` (optional): one [`Record::Activity`] of kind comment
//!    each, in reply to the commented post's owner.
//! 5. `Tags.xml` (optional): checked, nothing to emit (tags come with their
//!    questions).
//!
//! Choices where the dump leaves room:
//! - A post or comment whose user was deleted has no `OwnerUserId`/`UserId`
//!   but keeps the name shown on the site (`OwnerDisplayName`,
//!   `UserDisplayName`): its identity is keyed `name:<that name>` so the
//!   contribution is kept without being merged into a real account. A post
//!   with neither is skipped (warning).
//! - An answer must come after its question (a thread before its posts). In
//!   dumps posts are in id order and answers nearly always follow their
//!   question; an answer whose question was not read before it (or was
//!   skipped) is skipped and counted in one warning line.
//! - An accepted answer is dated by its accept vote when `Votes.xml` has
//!   one. Recent dumps keep only the day of a vote (time 00:00), which can be
//!   earlier than the answer itself on the same day, so the date used is the
//!   later of the vote and the answer; without a vote it is the answer's.
//! - A comment on a post that was not read (a tag wiki, a skipped post) is
//!   skipped (warning).
//!
//! Memory: rows are streamed; what is kept across rows is one small entry
//! per question and answer (its owner, for the comments' reply-to and the
//! answers' question check: 12 bytes plus hash table overhead), the pending
//! accepted answers and the accept-vote dates. The files themselves are
//! untrusted: the `rows` submodule holds the XML safety rules.

mod rows;

use crate::{
    ActivityKind, ActivityRecord, Identity, ImportError, Importer, PersonRecord, PostRecord, Record, Sink, Source,
    Summary, ThreadKind, ThreadRecord,
};
use rows::XmlRows;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads a Stack Exchange data dump directory.
#[derive(Debug, Clone)]
pub struct StackExchangeImporter {
    /// The largest piece of markup read at once, in bytes: one `<row>` with
    /// all its attributes (so every attribute value too), or a run of text.
    /// Dump rows are at most a few hundred kilobytes (post bodies are
    /// limited to 30,000 characters); anything over this is refused rather
    /// than buffered.
    pub max_row_bytes: u64,
}

impl Default for StackExchangeImporter {
    fn default() -> Self {
        StackExchangeImporter { max_row_bytes: 16 * 1024 * 1024 }
    }
}

impl Importer for StackExchangeImporter {
    fn source(&self) -> Source {
        Source::StackExchange
    }

    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        let files = DumpFiles::find(path)?;
        let total = files.total_bytes()?;
        let mut run = Run { sink, summary: Summary::default(), total, done_before: 0, last_progress: 0 };
        run.sink.progress(0, Some(total));

        if let Some(users) = &files.users {
            self.read_users(users, &mut run)?;
        }
        let accept_votes = match &files.votes {
            Some(votes) => self.read_accept_votes(votes, &mut run)?,
            None => HashMap::new(),
        };
        let posts = self.read_posts(&files.posts, &accept_votes, &mut run)?;
        drop(accept_votes);
        if let Some(comments) = &files.comments {
            self.read_comments(comments, &posts, &mut run)?;
        }
        if let Some(tags) = &files.tags {
            self.read_tags(tags, &mut run)?;
        }
        run.sink.progress(total, Some(total));
        Ok(run.summary)
    }
}

/// The dump files found in the directory. Dumps since 2009 capitalize the
/// names (`Posts.xml`); the first ones did not (`posts.xml`).
#[derive(Debug)]
struct DumpFiles {
    users: Option<PathBuf>,
    votes: Option<PathBuf>,
    posts: PathBuf,
    comments: Option<PathBuf>,
    tags: Option<PathBuf>,
}

impl DumpFiles {
    fn find(dir: &Path) -> Result<Self, ImportError> {
        let metadata = std::fs::metadata(dir).map_err(|e| ImportError::io(dir, &e))?;
        if !metadata.is_dir() {
            return Err(ImportError::input(
                dir,
                None,
                "not a directory: point the Stack Exchange importer at the unpacked dump folder holding Posts.xml",
            ));
        }
        let find = |name: &str| -> Option<PathBuf> {
            [name.to_string(), name.to_lowercase()]
                .into_iter()
                .map(|candidate| dir.join(candidate))
                .find(|p| p.is_file())
        };
        let posts = find("Posts.xml").ok_or_else(|| {
            ImportError::input(
                &dir.join("Posts.xml"),
                None,
                "Posts.xml is missing: a Stack Exchange dump directory holds Posts.xml (and usually Users.xml, \
                 Comments.xml, Votes.xml, Tags.xml)",
            )
        })?;
        Ok(DumpFiles {
            users: find("Users.xml"),
            votes: find("Votes.xml"),
            posts,
            comments: find("Comments.xml"),
            tags: find("Tags.xml"),
        })
    }

    fn total_bytes(&self) -> Result<u64, ImportError> {
        let mut total = 0;
        for file in
            [&self.users, &self.votes, &Some(self.posts.clone()), &self.comments, &self.tags].into_iter().flatten()
        {
            total += std::fs::metadata(file).map_err(|e| ImportError::io(file, &e))?.len();
        }
        Ok(total)
    }
}

/// What one read carries from file to file: the sink, the summary and the
/// progress across files.
struct Run<'s> {
    sink: &'s mut dyn Sink,
    summary: Summary,
    total: u64,
    /// Bytes of the files already read.
    done_before: u64,
    last_progress: u64,
}

/// Progress is reported each time this many more bytes have been read.
const PROGRESS_STEP: u64 = 1024 * 1024;

impl Run<'_> {
    fn emit(&mut self, record: Record) -> Result<(), ImportError> {
        self.sink.record(record).map_err(ImportError::Stopped)?;
        self.summary.records += 1;
        Ok(())
    }

    fn progress(&mut self, rows: &XmlRows) {
        let done = self.done_before + rows.bytes_read();
        if done >= self.last_progress + PROGRESS_STEP {
            self.last_progress = done;
            self.sink.progress(done, Some(self.total));
        }
    }

    fn finish_file(&mut self, rows: &XmlRows) {
        self.done_before += rows.bytes_read();
        self.last_progress = self.done_before;
        self.sink.progress(self.done_before, Some(self.total));
    }
}

/// Rows skipped for one reason: one warning line per reason and file.
#[derive(Debug, Default)]
struct Skipped {
    count: u64,
    first_line: u64,
}

impl Skipped {
    fn add(&mut self, line: u64) {
        if self.count == 0 {
            self.first_line = line;
        }
        self.count += 1;
    }

    fn warn(&self, summary: &mut Summary, file: &Path, what: &str) {
        if self.count > 0 {
            summary.warnings.push(format!(
                "{}: line {}: {what}: {} (the first on this line)",
                file.display(),
                self.first_line,
                self.count
            ));
        }
    }
}

/// Who owns a question or answer, kept for the comments' reply-to: a user
/// id, or [`OWNER_BY_NAME`] with the name in [`Posts::owner_names`].
#[derive(Debug, Clone, Copy)]
struct PostInfo {
    owner: i32,
    is_question: bool,
}

/// `PostInfo::owner` of a post by a deleted user, known only by name.
const OWNER_BY_NAME: i32 = i32::MIN;

/// What Posts.xml leaves for Comments.xml.
#[derive(Debug, Default)]
struct Posts {
    info: HashMap<u32, PostInfo>,
    owner_names: HashMap<u32, Box<str>>,
}

impl Posts {
    fn owner_identity(&self, post: u32, info: PostInfo) -> Option<Identity> {
        if info.owner == OWNER_BY_NAME {
            self.owner_names.get(&post).map(|name| name_identity(name))
        } else {
            Some(Identity::by_id(&info.owner.to_string(), ""))
        }
    }
}

/// Someone known by user id (`"42"`), or by name when the account was
/// deleted (`name:Jane`). `None` when the row names neither.
enum Author {
    Id(i32, String),
    Name(String),
}

impl Author {
    fn identity(&self) -> Identity {
        match self {
            Author::Id(id, name) => Identity::by_id(&id.to_string(), name),
            Author::Name(name) => name_identity(name),
        }
    }
}

fn name_identity(name: &str) -> Identity {
    Identity::by_id(&format!("name:{}", name.trim()), name)
}

/// Reads one attribute that must be there.
fn required<'v>(
    values: &'v [Option<String>],
    slot: usize,
    name: &str,
    rows: &XmlRows,
    line: u64,
) -> Result<&'v str, ImportError> {
    values[slot].as_deref().ok_or_else(|| {
        ImportError::at(rows.file(), crate::Position::Line(line), format!("the row has no {name} attribute"))
    })
}

fn bad_value(rows: &XmlRows, line: u64, name: &str, value: &str, expected: &str) -> ImportError {
    let shown: String = value.chars().take(40).collect();
    ImportError::at(rows.file(), crate::Position::Line(line), format!("{name}=\"{shown}\" is not {expected}"))
}

fn post_id(value: &str, name: &str, rows: &XmlRows, line: u64) -> Result<u32, ImportError> {
    value.trim().parse::<u32>().map_err(|_| bad_value(rows, line, name, value, "a post id"))
}

fn user_id(value: &str, name: &str, rows: &XmlRows, line: u64) -> Result<i32, ImportError> {
    match value.trim().parse::<i32>() {
        Ok(id) if id != OWNER_BY_NAME => Ok(id),
        _ => Err(bad_value(rows, line, name, value, "a user id")),
    }
}

fn date(value: &str, name: &str, rows: &XmlRows, line: u64) -> Result<i64, ImportError> {
    parse_dump_date(value).ok_or_else(|| bad_value(rows, line, name, value, "a date like 2008-07-31T21:42:52.667"))
}

/// The author of a post or comment from its id and name attributes.
fn author(
    id: Option<&str>,
    name: Option<&str>,
    id_attribute: &str,
    rows: &XmlRows,
    line: u64,
) -> Result<Option<Author>, ImportError> {
    let name = name.map(str::trim).unwrap_or("");
    match id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => Ok(Some(Author::Id(user_id(id, id_attribute, rows, line)?, name.to_string()))),
        None if !name.is_empty() => Ok(Some(Author::Name(name.to_string()))),
        None => Ok(None),
    }
}

impl StackExchangeImporter {
    fn open(&self, file: &Path, root: &'static str) -> Result<XmlRows, ImportError> {
        XmlRows::open(file, root, self.max_row_bytes)
    }

    fn read_users(&self, file: &Path, run: &mut Run<'_>) -> Result<(), ImportError> {
        const WANTED: [&str; 3] = ["Id", "DisplayName", "Location"];
        let mut rows = self.open(file, "users")?;
        let mut values: [Option<String>; 3] = Default::default();
        while let Some(line) = rows.next_row(&WANTED, &mut values)? {
            let id = user_id(required(&values, 0, "Id", &rows, line)?, "Id", &rows, line)?;
            // -1 is the Community bot, which owns tag wikis and housekeeping.
            if id < 0 {
                continue;
            }
            let name = values[1].as_deref().unwrap_or("");
            run.emit(Record::Person(PersonRecord {
                identity: Identity::by_id(&id.to_string(), name),
                team: String::new(),
                location: values[2].as_deref().unwrap_or("").trim().to_string(),
                time_zone: None,
                skills: Vec::new(),
            }))?;
            run.progress(&rows);
        }
        run.finish_file(&rows);
        Ok(())
    }

    /// Accept votes (`VoteTypeId="1"`): answer id → date.
    fn read_accept_votes(&self, file: &Path, run: &mut Run<'_>) -> Result<HashMap<u32, i64>, ImportError> {
        const WANTED: [&str; 3] = ["PostId", "VoteTypeId", "CreationDate"];
        let mut rows = self.open(file, "votes")?;
        let mut values: [Option<String>; 3] = Default::default();
        let mut accepted = HashMap::new();
        while let Some(line) = rows.next_row(&WANTED, &mut values)? {
            let kind = required(&values, 1, "VoteTypeId", &rows, line)?;
            if kind.trim() != "1" {
                if kind.trim().parse::<u32>().is_err() {
                    return Err(bad_value(&rows, line, "VoteTypeId", kind, "a vote type number"));
                }
                run.progress(&rows);
                continue;
            }
            let post = post_id(required(&values, 0, "PostId", &rows, line)?, "PostId", &rows, line)?;
            let at = date(required(&values, 2, "CreationDate", &rows, line)?, "CreationDate", &rows, line)?;
            // An answer accepted, unaccepted and accepted again has several
            // such votes: the last acceptance stands.
            let slot = accepted.entry(post).or_insert(at);
            *slot = (*slot).max(at);
            run.progress(&rows);
        }
        run.finish_file(&rows);
        Ok(accepted)
    }

    fn read_posts(
        &self,
        file: &Path,
        accept_votes: &HashMap<u32, i64>,
        run: &mut Run<'_>,
    ) -> Result<Posts, ImportError> {
        const ID: usize = 0;
        const TYPE: usize = 1;
        const PARENT: usize = 2;
        const ACCEPTED: usize = 3;
        const CREATED: usize = 4;
        const BODY: usize = 5;
        const OWNER: usize = 6;
        const OWNER_NAME: usize = 7;
        const TITLE: usize = 8;
        const TAGS: usize = 9;
        const WANTED: [&str; 10] = [
            "Id",
            "PostTypeId",
            "ParentId",
            "AcceptedAnswerId",
            "CreationDate",
            "Body",
            "OwnerUserId",
            "OwnerDisplayName",
            "Title",
            "Tags",
        ];
        let mut rows = self.open(file, "posts")?;
        let mut values: [Option<String>; 10] = Default::default();
        let mut posts = Posts::default();
        // Accepted answer id → its question, until the answer is read.
        let mut pending_accepts: HashMap<u32, u32> = HashMap::new();
        let mut other_types = Skipped::default();
        let mut no_owner = Skipped::default();
        let mut orphans = Skipped::default();

        while let Some(line) = rows.next_row(&WANTED, &mut values)? {
            let id = post_id(required(&values, ID, "Id", &rows, line)?, "Id", &rows, line)?;
            let kind = required(&values, TYPE, "PostTypeId", &rows, line)?.trim();
            let is_question = match kind {
                "1" => true,
                "2" => false,
                other if other.parse::<u32>().is_ok() => {
                    other_types.add(line);
                    run.progress(&rows);
                    continue;
                }
                other => return Err(bad_value(&rows, line, "PostTypeId", other, "a post type number")),
            };
            let at = date(required(&values, CREATED, "CreationDate", &rows, line)?, "CreationDate", &rows, line)?;
            let Some(author) =
                author(values[OWNER].as_deref(), values[OWNER_NAME].as_deref(), "OwnerUserId", &rows, line)?
            else {
                no_owner.add(line);
                run.progress(&rows);
                continue;
            };
            let owner = match &author {
                Author::Id(user, _) => *user,
                Author::Name(_) => OWNER_BY_NAME,
            };
            let body = values[BODY].take().unwrap_or_default();
            let remember = |posts: &mut Posts| {
                posts.info.insert(id, PostInfo { owner, is_question });
                if let Author::Name(name) = &author {
                    posts.owner_names.insert(id, name.as_str().into());
                }
            };

            if is_question {
                if let Some(answer) = values[ACCEPTED].as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                    let answer = post_id(answer, "AcceptedAnswerId", &rows, line)?;
                    pending_accepts.insert(answer, id);
                }
                remember(&mut posts);
                run.emit(Record::Thread(ThreadRecord {
                    external_id: id.to_string(),
                    kind: ThreadKind::Question,
                    title: values[TITLE].take().unwrap_or_default(),
                    author: author.identity(),
                    at,
                    tags: values[TAGS].as_deref().map(parse_tags).unwrap_or_default(),
                    body,
                }))?;
            } else {
                let parent = post_id(required(&values, PARENT, "ParentId", &rows, line)?, "ParentId", &rows, line)?;
                if !posts.info.get(&parent).is_some_and(|info| info.is_question) {
                    orphans.add(line);
                    run.progress(&rows);
                    continue;
                }
                remember(&mut posts);
                run.emit(Record::Post(PostRecord {
                    external_id: id.to_string(),
                    thread: parent.to_string(),
                    author: author.identity(),
                    at,
                    body,
                    in_reply_to: Some(parent.to_string()),
                }))?;
                if pending_accepts.get(&id) == Some(&parent) {
                    pending_accepts.remove(&id);
                    let accepted_at = accept_votes.get(&id).map_or(at, |&vote| vote.max(at));
                    run.emit(Record::Accepted { thread: parent.to_string(), post: id.to_string(), at: accepted_at })?;
                }
            }
            run.progress(&rows);
        }
        let summary = &mut run.summary;
        other_types.warn(summary, file, "skipped posts of other types than question and answer (tag wikis, ...)");
        no_owner.warn(summary, file, "skipped posts with neither OwnerUserId nor OwnerDisplayName");
        orphans.warn(summary, file, "skipped answers whose question was not read before them");
        if !pending_accepts.is_empty() {
            summary.warnings.push(format!(
                "{}: {} accepted answers (AcceptedAnswerId) not found after their question: not marked accepted",
                file.display(),
                pending_accepts.len()
            ));
        }
        run.finish_file(&rows);
        Ok(posts)
    }

    fn read_comments(&self, file: &Path, posts: &Posts, run: &mut Run<'_>) -> Result<(), ImportError> {
        const WANTED: [&str; 5] = ["Id", "PostId", "CreationDate", "UserId", "UserDisplayName"];
        let mut rows = self.open(file, "comments")?;
        let mut values: [Option<String>; 5] = Default::default();
        let mut unknown_post = Skipped::default();
        let mut no_author = Skipped::default();
        while let Some(line) = rows.next_row(&WANTED, &mut values)? {
            let id = post_id(required(&values, 0, "Id", &rows, line)?, "Id", &rows, line)?;
            let post = post_id(required(&values, 1, "PostId", &rows, line)?, "PostId", &rows, line)?;
            let at = date(required(&values, 2, "CreationDate", &rows, line)?, "CreationDate", &rows, line)?;
            let who = author(values[3].as_deref(), values[4].as_deref(), "UserId", &rows, line)?;
            let Some(&info) = posts.info.get(&post) else {
                unknown_post.add(line);
                run.progress(&rows);
                continue;
            };
            let Some(who) = who else {
                no_author.add(line);
                run.progress(&rows);
                continue;
            };
            run.emit(Record::Activity(ActivityRecord {
                external_id: format!("comment/{id}"),
                who: who.identity(),
                kind: ActivityKind::Comment,
                at,
                reply_to: posts.owner_identity(post, info),
            }))?;
            run.progress(&rows);
        }
        unknown_post.warn(
            &mut run.summary,
            file,
            "skipped comments on posts that were not read (tag wikis, skipped posts)",
        );
        no_author.warn(&mut run.summary, file, "skipped comments with neither UserId nor UserDisplayName");
        run.finish_file(&rows);
        Ok(())
    }

    /// Tags come with their questions; the file is only checked.
    fn read_tags(&self, file: &Path, run: &mut Run<'_>) -> Result<(), ImportError> {
        const WANTED: [&str; 1] = ["TagName"];
        let mut rows = self.open(file, "tags")?;
        let mut values: [Option<String>; 1] = Default::default();
        while rows.next_row(&WANTED, &mut values)?.is_some() {
            run.progress(&rows);
        }
        run.finish_file(&rows);
        Ok(())
    }
}

/// A question's tags, in either of the dumps' formats: `<c#><.net>` (until
/// 2023) or `|c#|.net|` (since).
pub fn parse_tags(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let separators: &[char] = if raw.starts_with('<') {
        &['<', '>']
    } else if raw.starts_with('|') {
        &['|']
    } else {
        &[' ']
    };
    raw.split(separators).map(str::trim).filter(|tag| !tag.is_empty()).map(str::to_string).collect()
}

/// A dump date (`2008-07-31T21:42:52.667`, UTC without a zone; a trailing
/// `Z`, fewer or more fraction digits, or a date alone are accepted too) as
/// UTC milliseconds.
pub fn parse_dump_date(text: &str) -> Option<i64> {
    let bytes = text.trim().as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    let year = number(0..4)?;
    let month = number(5..7)?;
    let day = number(8..10)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let mut rest = &bytes[10..];
    let (mut hour, mut minute, mut second, mut milli) = (0, 0, 0, 0);
    if let Some((&separator, time)) = rest.split_first() {
        if separator != b'T' && separator != b' ' {
            return None;
        }
        let clock = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = time.get(range)?;
            digits.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
        };
        hour = clock(0..2)?;
        minute = clock(3..5)?;
        second = clock(6..8)?;
        if time.get(2) != Some(&b':') || time.get(5) != Some(&b':') {
            return None;
        }
        rest = &time[8..];
        if let Some(fraction) = rest.strip_prefix(b".") {
            let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            for (place, &digit) in [100, 10, 1].iter().zip(&fraction[..digits]) {
                milli += place * u32::from(digit - b'0');
            }
            rest = &fraction[digits..];
        }
        if rest == b"Z" {
            rest = &[];
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = date.and_hms_milli_opt(hour, minute, second, milli)?;
    Some(time.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_dates_are_utc_milliseconds() {
        // 2008-07-31T21:42:52.667Z: 1217540572667 (date -u -d @1217540572).
        assert_eq!(parse_dump_date("2008-07-31T21:42:52.667"), Some(1_217_540_572_667));
        assert_eq!(parse_dump_date("2008-07-31T21:42:52.667Z"), Some(1_217_540_572_667));
        assert_eq!(parse_dump_date("2008-07-31T21:42:52.6"), Some(1_217_540_572_600));
        assert_eq!(parse_dump_date("2008-07-31T21:42:52"), Some(1_217_540_572_000));
        assert_eq!(parse_dump_date("2008-07-31"), Some(1_217_462_400_000));
        assert_eq!(parse_dump_date("2008-02-30T00:00:00.000"), None);
        assert_eq!(parse_dump_date("2008-07-31T25:00:00"), None);
        assert_eq!(parse_dump_date("31/07/2008"), None);
        assert_eq!(parse_dump_date("2008-07-31T21:42:52.667+02:00"), None);
        assert_eq!(parse_dump_date(""), None);
    }

    #[test]
    fn tags_in_both_formats() {
        assert_eq!(parse_tags("<c#><.net><floating-point>"), ["c#", ".net", "floating-point"]);
        assert_eq!(parse_tags("|c#|.net|floating-point|"), ["c#", ".net", "floating-point"]);
        assert_eq!(parse_tags(""), Vec::<String>::new());
    }
}
