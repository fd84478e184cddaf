//! The Slack reader: the zip a workspace administrator downloads (Workspace
//! settings → Import/Export data), turned into people, channels, messages
//! and reactions.
//!
//! The export holds `users.json` (`org_users.json` on Enterprise Grid),
//! `channels.json` and one folder per public channel with one file per day
//! (`general/2024-01-15.json`), each an array of messages. Records come in a
//! fixed order: people (as listed), channels (by name), then each channel's
//! messages (days in order, messages by `ts`), each message followed by its
//! reactions.
//!
//! What is read, and what is not:
//! - a message becomes a [`ActivityKind::Message`] by its author, in reply to
//!   the thread's author when it is a thread reply whose parent was read;
//!   its text is not kept (copse keeps activity, not the chat's content);
//! - a reaction becomes a [`ActivityKind::Reaction`] by the reacting user, in
//!   reply to the message's author, at the message's time (exports carry no
//!   reaction time);
//! - bot users (`is_bot`, and Slackbot) are not people; bot messages, joins,
//!   leaves and other system messages (topic changes, pins, …) are skipped,
//!   counted in one warning line per kind;
//! - private channels, group DMs and DMs (`groups.json`, `mpims.json`,
//!   `dms.json` and their folders) are not read: their members never agreed
//!   to have them shown in a community space, and copse has no private
//!   place to put them. Their folders are counted in one warning.
//!
//! Safety: the archive is never extracted to disk. Entries with absolute
//! names or `..` components are refused (the whole archive is, naming the
//! entry); each member is read in memory, one at a time, with its compressed
//! and uncompressed size capped (the uncompressed bytes actually read are
//! counted too, so a header that lies about its size cannot inflate a zip
//! bomb past the cap).

use crate::{ActivityKind, ActivityRecord, Identity, ImportError, Importer, PersonRecord, Position};
use crate::{Record, Sink, Source, Summary};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use zip::ZipArchive;

/// Reads a Slack workspace export. The cap is a field so tests can lower it.
#[derive(Debug, Clone)]
pub struct SlackImporter {
    /// The largest member accepted, in bytes, compressed and uncompressed.
    pub max_member_bytes: u64,
}

impl Default for SlackImporter {
    fn default() -> Self {
        // users.json of a large workspace runs to tens of megabytes.
        SlackImporter { max_member_bytes: 256 << 20 }
    }
}

impl Importer for SlackImporter {
    fn source(&self) -> Source {
        Source::Slack
    }

    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        let file = File::open(path).map_err(|e| ImportError::io(path, &e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| match e {
            zip::result::ZipError::Io(e) if e.kind() != std::io::ErrorKind::UnexpectedEof => ImportError::io(path, &e),
            e => ImportError::at(
                path,
                Position::Byte(size),
                format!("not a zip archive, or a truncated one (its directory at the end is missing or broken): {e}"),
            ),
        })?;
        let layout = Layout::scan(path, &archive)?;
        let mut export =
            Export { path, archive, max_member_bytes: self.max_member_bytes, summary: Summary::default(), sink };
        export.read(&layout)?;
        Ok(export.summary)
    }
}

/// Where things are in the archive, from its directory alone.
struct Layout {
    /// The folder the export sits in (`""`, or `name/` when it was zipped
    /// inside a folder).
    root: String,
    /// Top-level JSON files by name, with their index.
    top: HashMap<String, usize>,
    /// Folder name → day (`YYYY-MM-DD`) → index of its member.
    days: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Layout {
    fn scan(path: &Path, archive: &ZipArchive<BufReader<File>>) -> Result<Layout, ImportError> {
        let mut names = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let name = match archive.name_for_index(index) {
                Some(Ok(name)) => name.into_owned(),
                Some(Err(e)) => {
                    return Err(ImportError::at(path, Position::Entry(format!("entry {}", index + 1)), e.to_string()));
                }
                None => continue,
            };
            check_entry_name(path, &name)?;
            names.push((name, index));
        }
        // The export may sit at the root or in one folder (re-zipped by hand).
        let root = names
            .iter()
            .filter_map(|(name, _)| name.strip_suffix("channels.json"))
            .filter(|dir| dir.is_empty() || (dir.ends_with('/') && dir.matches('/').count() == 1))
            .min_by_key(|dir| dir.len())
            .map(str::to_string)
            .ok_or_else(|| {
                ImportError::at(
                    path,
                    Position::Entry("channels.json".to_string()),
                    "no channels.json: this is not a Slack workspace export",
                )
            })?;
        let mut layout = Layout { root, top: HashMap::new(), days: BTreeMap::new() };
        for (name, index) in names {
            let Some(relative) = name.strip_prefix(&layout.root) else { continue };
            match relative.split_once('/') {
                None => {
                    layout.top.insert(relative.to_string(), index);
                }
                Some((folder, file)) => {
                    if let Some(day) = file.strip_suffix(".json").filter(|day| is_day(day)) {
                        layout.days.entry(folder.to_string()).or_default().insert(day.to_string(), index);
                    }
                }
            }
        }
        Ok(layout)
    }
}

/// Refuses names that would escape a directory if anyone ever extracted
/// them: absolute paths, drive letters, `..` components, NUL bytes.
fn check_entry_name(path: &Path, name: &str) -> Result<(), ImportError> {
    let refuse = |why: &str| {
        Err(ImportError::at(path, Position::Entry(name.to_string()), format!("refusing this archive entry: {why}")))
    };
    if name.contains('\0') {
        return refuse("its name contains a NUL byte");
    }
    let bytes = name.as_bytes();
    if name.starts_with('/') || name.starts_with('\\') || (bytes.len() >= 2 && bytes[1] == b':') {
        return refuse("it has an absolute path");
    }
    if name.split(['/', '\\']).any(|component| component == "..") {
        return refuse("its path climbs out of the archive with `..` (path traversal)");
    }
    Ok(())
}

/// `YYYY-MM-DD`.
fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

// ---- the export's JSON, only the fields copse uses ----------------------

#[derive(Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    tz: Option<String>,
    #[serde(default)]
    is_bot: bool,
    #[serde(default)]
    profile: Profile,
}

#[derive(Deserialize, Default)]
struct Profile {
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize)]
struct Channel {
    name: String,
    #[serde(default)]
    purpose: Option<Purpose>,
}

#[derive(Deserialize)]
struct Purpose {
    #[serde(default)]
    value: String,
}

#[derive(Deserialize)]
struct Message {
    ts: String,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    thread_ts: Option<String>,
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    reactions: Vec<Reaction>,
}

#[derive(Deserialize)]
struct Reaction {
    name: String,
    #[serde(default)]
    users: Vec<String>,
}

/// Message subtypes that are someone saying something; every other subtype
/// is a system message (join, leave, topic, pin, bot, …) and is skipped.
const SPOKEN_SUBTYPES: [&str; 5] = ["thread_broadcast", "me_message", "file_share", "file_comment", "reply_broadcast"];

/// Slackbot is a user in users.json without `is_bot`.
const SLACKBOT: &str = "USLACKBOT";

/// A Slack `ts` (`1503435956.000247`): seconds and microseconds, which
/// order messages and identify them within a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Ts {
    seconds: u64,
    micros: u32,
}

impl Ts {
    fn parse(text: &str) -> Option<Ts> {
        let (seconds, fraction) = text.split_once('.').unwrap_or((text, ""));
        if seconds.is_empty()
            || fraction.len() > 6
            || !(seconds.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let seconds: u64 = seconds.parse().ok()?;
        // Right-pad to six digits: `.5` is half a second.
        let micros =
            if fraction.is_empty() { 0 } else { fraction.parse::<u32>().ok()? * 10u32.pow(6 - fraction.len() as u32) };
        // Past year 9999 is not a chat message.
        (seconds < 253_402_300_800).then_some(Ts { seconds, micros })
    }

    fn millis(self) -> i64 {
        // Bounded by the check in parse, so this cannot overflow.
        (self.seconds * 1000 + u64::from(self.micros / 1000)) as i64
    }
}

// ---- reading ------------------------------------------------------------

struct Export<'a> {
    path: &'a Path,
    archive: ZipArchive<BufReader<File>>,
    max_member_bytes: u64,
    summary: Summary,
    sink: &'a mut dyn Sink,
}

/// Counts what was skipped, for one warning line per kind.
#[derive(Default)]
struct Skipped(BTreeMap<String, u64>);

impl Skipped {
    fn add(&mut self, kind: impl Into<String>) {
        *self.0.entry(kind.into()).or_default() += 1;
    }
}

impl Export<'_> {
    fn emit(&mut self, record: Record) -> Result<(), ImportError> {
        self.sink.record(record).map_err(ImportError::Stopped)?;
        self.summary.records += 1;
        Ok(())
    }

    fn warn(&mut self, what: String) {
        self.summary.warnings.push(format!("{}: {what}", self.path.display()));
    }

    fn read(&mut self, layout: &Layout) -> Result<(), ImportError> {
        let root = &layout.root;
        let users_file =
            ["users.json", "org_users.json"].into_iter().find_map(|name| Some((name, *layout.top.get(name)?)));
        // Layout::scan found channels.json where it put the root.
        let channels_index = layout.top.get("channels.json").copied().unwrap_or_default();
        let mut channels: Vec<Channel> = self.read_json(channels_index, &format!("{root}channels.json"))?;
        channels.sort_by(|a, b| a.name.cmp(&b.name));
        let listed: HashSet<&str> = channels.iter().map(|c| c.name.as_str()).collect();
        let total = layout
            .days
            .iter()
            .filter(|(folder, _)| listed.contains(folder.as_str()))
            .map(|(_, d)| d.len())
            .sum::<usize>() as u64
            + 2;
        let mut done = 0;

        let mut bots: HashSet<String> = HashSet::from([SLACKBOT.to_string()]);
        match users_file {
            Some((name, index)) => {
                let users: Vec<User> = self.read_json(index, &format!("{root}{name}"))?;
                for user in users {
                    if user.is_bot || user.id == SLACKBOT {
                        bots.insert(user.id);
                        continue;
                    }
                    let person = self.person(user);
                    self.emit(Record::Person(person))?;
                }
            }
            None => self.warn("no users.json: people are known by their Slack id only".to_string()),
        }
        done += 1;
        self.sink.progress(done, Some(total));

        for channel in &channels {
            let purpose = channel.purpose.as_ref().map(|p| p.value.trim().to_string()).unwrap_or_default();
            self.emit(Record::Channel { name: channel.name.clone(), purpose })?;
        }
        done += 1;
        self.sink.progress(done, Some(total));

        let mut skipped = Skipped::default();
        for channel in &channels {
            let Some(days) = layout.days.get(&channel.name) else { continue };
            let mut state = ChannelState::default();
            for (day, &index) in days {
                let member = format!("{root}{}/{day}.json", channel.name);
                let messages: Vec<Message> = self.read_json(index, &member)?;
                self.messages(&channel.name, &member, messages, &bots, &mut state, &mut skipped)?;
                done += 1;
                self.sink.progress(done, Some(total));
            }
        }

        for (kind, count) in skipped.0 {
            self.warn(format!("{count} {kind} skipped"));
        }
        let private: Vec<&str> = ["groups.json", "mpims.json", "dms.json"]
            .into_iter()
            .filter(|name| layout.top.contains_key(*name))
            .collect();
        let unlisted = layout.days.keys().filter(|folder| !listed.contains(folder.as_str())).count();
        if !private.is_empty() || unlisted > 0 {
            self.warn(format!(
                "private conversations not imported: {unlisted} folder(s) not listed in channels.json{}",
                if private.is_empty() { String::new() } else { format!(" (the export has {})", private.join(", ")) }
            ));
        }
        Ok(())
    }

    fn person(&mut self, user: User) -> PersonRecord {
        let name = [&user.real_name, &user.profile.real_name, &user.profile.display_name, &user.name]
            .into_iter()
            .flatten()
            .map(|name| name.trim())
            .find(|name| !name.is_empty())
            .unwrap_or("");
        let mut identity = Identity::by_id(&user.id, name);
        identity.email = user.profile.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
        let time_zone = match user.tz.as_deref().map(str::trim).filter(|tz| !tz.is_empty()) {
            Some(tz) if tz.parse::<chrono_tz::Tz>().is_ok() => Some(tz.to_string()),
            Some(tz) => {
                self.warn(format!("user {}: time zone {tz:?} is not an IANA zone name: left empty", user.id));
                None
            }
            None => None,
        };
        // profile.title is a job title, not a team: no team is read.
        PersonRecord { identity, team: String::new(), location: String::new(), time_zone, skills: Vec::new() }
    }

    fn messages(
        &mut self,
        channel: &str,
        member: &str,
        messages: Vec<Message>,
        bots: &HashSet<String>,
        state: &mut ChannelState,
        skipped: &mut Skipped,
    ) -> Result<(), ImportError> {
        let mut timed = Vec::with_capacity(messages.len());
        for (n, message) in messages.into_iter().enumerate() {
            let Some(ts) = Ts::parse(&message.ts) else {
                return Err(ImportError::at(
                    self.path,
                    Position::Entry(format!("{member}, message {}", n + 1)),
                    format!("ts {:?} is not a Slack timestamp", message.ts),
                ));
            };
            timed.push((ts, message));
        }
        // Stable: messages sharing a ts keep the file's order.
        timed.sort_by_key(|(ts, _)| *ts);
        for (ts, message) in timed {
            let user = message.user.as_deref().map(str::trim).unwrap_or("");
            let subtype = message.subtype.as_deref();
            if subtype == Some("bot_message") || message.bot_id.is_some() || bots.contains(user) {
                skipped.add("bot messages");
                continue;
            }
            if let Some(subtype) = subtype.filter(|s| !SPOKEN_SUBTYPES.contains(s)) {
                skipped.add(format!("{subtype} messages"));
                continue;
            }
            if user.is_empty() {
                skipped.add("messages without a user");
                continue;
            }
            if !state.seen.insert(ts) {
                skipped.add("repeated messages (same ts twice in a channel)");
                continue;
            }
            let thread = message.thread_ts.as_deref().and_then(Ts::parse);
            let reply_to = match thread {
                Some(parent) if parent != ts => {
                    state.thread_authors.get(&parent).map(|author| Identity::by_id(author, ""))
                }
                _ => None,
            };
            if thread == Some(ts) {
                state.thread_authors.insert(ts, user.to_string());
            }
            let author = Identity::by_id(user, "");
            let at = ts.millis();
            self.emit(Record::Activity(ActivityRecord {
                external_id: format!("{channel}/{}", message.ts),
                who: author.clone(),
                kind: ActivityKind::Message,
                at,
                reply_to,
            }))?;
            for reaction in &message.reactions {
                for reactor in &reaction.users {
                    if bots.contains(reactor) {
                        skipped.add("bot reactions");
                        continue;
                    }
                    self.emit(Record::Activity(ActivityRecord {
                        external_id: format!("{channel}/{}/{}/{reactor}", message.ts, reaction.name),
                        who: Identity::by_id(reactor, ""),
                        kind: ActivityKind::Reaction,
                        at,
                        reply_to: Some(author.clone()),
                    }))?;
                }
            }
        }
        Ok(())
    }

    /// Reads one member as JSON, in memory, within the size cap.
    fn read_json<T: DeserializeOwned>(&mut self, index: usize, member: &str) -> Result<T, ImportError> {
        let path = self.path;
        let at = || Position::Entry(member.to_string());
        let cap = self.max_member_bytes;
        let file = self
            .archive
            .by_index(index)
            .map_err(|e| ImportError::at(path, at(), format!("cannot read this member: {e}")))?;
        let (size, compressed) = (file.size(), file.compressed_size());
        if size > cap || compressed > cap {
            return Err(ImportError::at(
                path,
                at(),
                format!("this member is {size} bytes ({compressed} compressed), over the limit of {cap} bytes"),
            ));
        }
        let mut capped = Capped { inner: file, left: cap, over: false };
        let parsed = serde_json::from_reader(BufReader::new(&mut capped));
        parsed.map_err(|e| {
            if capped.over {
                ImportError::at(path, at(), format!("this member inflates past the limit of {cap} bytes"))
            } else if e.is_io() {
                ImportError::at(path, at(), format!("cannot read this member (corrupt or truncated archive): {e}"))
            } else {
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                ImportError::at(
                    path,
                    Position::Entry(format!("{member}, line {}, column {}", e.line(), e.column())),
                    format!("invalid JSON: {message}"),
                )
            }
        })
    }
}

/// What a channel's messages need of the ones before them.
#[derive(Default)]
struct ChannelState {
    /// Thread parent ts → its author (only parents are kept).
    thread_authors: HashMap<Ts, String>,
    /// Every ts read, to drop repeats.
    seen: HashSet<Ts>,
}

/// A reader that fails once more than `left` bytes come out of it: the
/// decompressed size actually read, whatever the zip header claims.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Ask for one byte more than allowed, to notice going over.
        let want = buf.len().min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.over = true;
            return Err(std::io::Error::other("member larger than the limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_parses_seconds_and_microseconds() {
        assert_eq!(Ts::parse("1503435956.000247"), Some(Ts { seconds: 1_503_435_956, micros: 247 }));
        assert_eq!(Ts::parse("1503435956.000247").map(Ts::millis), Some(1_503_435_956_000));
        assert_eq!(Ts::parse("1503435956.5").map(Ts::millis), Some(1_503_435_956_500));
        assert_eq!(Ts::parse("1503435956"), Some(Ts { seconds: 1_503_435_956, micros: 0 }));
        for bad in ["", ".5", "-1.0", "1.0000001", "1e9", "99999999999999999999.0", "253402300800.0"] {
            assert_eq!(Ts::parse(bad), None, "{bad:?}");
        }
        assert!(Ts::parse("9.000001") < Ts::parse("10.0"));
    }

    #[test]
    fn capped_reader_counts_what_comes_out() {
        let mut under = Capped { inner: &b"0123456789"[..], left: 10, over: false };
        let mut out = Vec::new();
        under.read_to_end(&mut out).expect("ten bytes fit a cap of ten");
        assert_eq!(out.len(), 10);

        let mut over = Capped { inner: &b"0123456789A"[..], left: 10, over: false };
        let error = over.read_to_end(&mut Vec::new()).expect_err("eleven bytes do not");
        assert!(over.over, "{error}");
    }

    #[test]
    fn entry_names_that_escape_are_refused() {
        let path = Path::new("export.zip");
        for good in ["users.json", "general/2024-01-01.json", "a..b/c.json", "general/"] {
            assert!(check_entry_name(path, good).is_ok(), "{good}");
        }
        for bad in ["/etc/passwd", "\\x", "C:/x", "../x", "a/../../x", "a\\..\\x", "a\0b"] {
            assert!(check_entry_name(path, bad).is_err(), "{bad}");
        }
    }
}
