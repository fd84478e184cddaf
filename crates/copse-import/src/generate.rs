//! A generator of Stack Exchange data dumps of any size, for the import
//! benchmark (a million posts) and the reader's round-trip tests. It owns
//! nothing else.
//!
//! The dump is shaped like a real one: `Users.xml` (one user per ten posts,
//! plus the Community bot), `Posts.xml` (about one question per three
//! posts, each question's answers right after it, about 60% of questions
//! with an accepted answer, 1% of posts by deleted users known only by
//! name, and a few tag wiki posts at the end), `Comments.xml` (one comment
//! per two posts), `Votes.xml` (an accept vote per accepted answer plus up
//! and down votes), `Tags.xml`. Bodies are a few hundred bytes of HTML with
//! code, quotes and non-ASCII text, escaped the way the dumps escape them
//! (newlines as `&#xA;`). Output is a pure function of `posts` and `seed`
//! (a splitmix64 stream), and is written row by row: memory does not grow
//! with the size of the dump.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// What was written, so a test can check the reader reads exactly this.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratedDump {
    /// Users, not counting the Community bot (id -1).
    pub users: u64,
    pub questions: u64,
    pub answers: u64,
    /// Questions with an `AcceptedAnswerId` (each with its accept vote).
    pub accepted: u64,
    pub comments: u64,
    /// Posts of other types (tag wikis), which readers skip.
    pub other_posts: u64,
    pub tags: u64,
    /// Bytes written across all files.
    pub bytes: u64,
}

impl GeneratedDump {
    /// Questions and answers.
    pub fn posts(&self) -> u64 {
        self.questions + self.answers
    }

    /// The records a reader emits for this dump: a person per user, a
    /// thread per question, a post per answer, an accepted mark, an
    /// activity per comment.
    pub fn records(&self) -> u64 {
        self.users + self.questions + self.answers + self.accepted + self.comments
    }
}

/// Writes a dump of `posts` questions and answers into `dir` (created if
/// missing; existing dump files are overwritten).
pub fn write_stackexchange_dump(dir: &Path, posts: u64, seed: u64) -> io::Result<GeneratedDump> {
    std::fs::create_dir_all(dir)?;
    let mut random = SplitMix64(seed);
    let mut dump = GeneratedDump { users: (posts / 10).max(1), tags: TAGS.len() as u64, ..Default::default() };

    let mut users = DumpFile::create(&dir.join("Users.xml"), "users")?;
    users.row(|row| {
        row.num("Id", -1)?;
        row.num("Reputation", 1)?;
        row.text("CreationDate", &dump_date(START))?;
        row.text("DisplayName", "Community")?;
        row.text("Location", "on the server farm")?;
        row.text("AboutMe", "<p>Hi, I'm not really a person.</p>")
    })?;
    for id in 1..=dump.users {
        let name = person_name(&mut random, id);
        let location = LOCATIONS[random.below(LOCATIONS.len() as u64) as usize];
        users.row(|row| {
            row.num("Id", id as i64)?;
            row.num("Reputation", 1 + random.below(5000) as i64)?;
            row.text("CreationDate", &dump_date(START + id as i64 * 3_600_000))?;
            row.text("DisplayName", &name)?;
            if !location.is_empty() {
                row.text("Location", location)?;
            }
            row.num("Views", random.below(300) as i64)?;
            row.num("UpVotes", random.below(100) as i64)?;
            row.num("DownVotes", random.below(10) as i64)?;
            row.num("AccountId", id as i64 + 1000)
        })?;
    }
    dump.bytes += users.finish()?;

    let mut post_file = DumpFile::create(&dir.join("Posts.xml"), "posts")?;
    let mut votes = DumpFile::create(&dir.join("Votes.xml"), "votes")?;
    let mut vote_id = 0i64;
    let mut id = 1u64;
    let mut body = String::new();
    while id <= posts {
        let question = id;
        let answers = random.below(5).min(posts - question);
        // Three in four answered questions have an accepted answer: with
        // one in five unanswered, that is 60% of all questions.
        let accepted = (answers > 0 && random.below(4) != 0).then(|| question + 1 + random.below(answers));
        let owner = post_owner(&mut random, dump.users);
        let title = title(&mut random);
        let tags = question_tags(&mut random, question);
        write_body(&mut random, &mut body);
        post_file.row(|row| {
            row.num("Id", question as i64)?;
            row.num("PostTypeId", 1)?;
            if let Some(answer) = accepted {
                row.num("AcceptedAnswerId", answer as i64)?;
            }
            row.text("CreationDate", &dump_date(post_time(question)))?;
            row.num("Score", random.below(40) as i64 - 3)?;
            row.num("ViewCount", random.below(10_000) as i64)?;
            row.text("Body", &body)?;
            owner.write(row)?;
            row.text("LastActivityDate", &dump_date(post_time(question + answers)))?;
            row.text("Title", &title)?;
            row.text("Tags", &tags)?;
            row.num("AnswerCount", answers as i64)?;
            row.num("CommentCount", 0)?;
            row.text("ContentLicense", "CC BY-SA 4.0")
        })?;
        dump.questions += 1;
        for answer in question + 1..=question + answers {
            let owner = post_owner(&mut random, dump.users);
            write_body(&mut random, &mut body);
            post_file.row(|row| {
                row.num("Id", answer as i64)?;
                row.num("PostTypeId", 2)?;
                row.num("ParentId", question as i64)?;
                row.text("CreationDate", &dump_date(post_time(answer)))?;
                row.num("Score", random.below(20) as i64 - 2)?;
                row.text("Body", &body)?;
                owner.write(row)?;
                row.text("LastActivityDate", &dump_date(post_time(answer)))?;
                row.num("CommentCount", 0)?;
                row.text("ContentLicense", "CC BY-SA 4.0")
            })?;
            dump.answers += 1;
            if random.below(2) == 0 {
                vote_id += 1;
                let kind = if random.below(5) == 0 { 3 } else { 2 };
                votes.row(|row| vote(row, vote_id, answer, kind, post_time(answer)))?;
            }
        }
        if let Some(answer) = accepted {
            vote_id += 1;
            // Accepted within three days of the answer; dumps keep the day only.
            let at = post_time(answer) + random.below(3) as i64 * DAY;
            votes.row(|row| vote(row, vote_id, answer, 1, at))?;
            dump.accepted += 1;
        }
        id = question + answers + 1;
    }
    // Tag wikis (excerpt and body) for the first tags: skipped by readers.
    for (n, tag) in TAGS.iter().take(5).enumerate() {
        for kind in [4, 5] {
            let wiki = posts + 1 + dump.other_posts;
            post_file.row(|row| {
                row.num("Id", wiki as i64)?;
                row.num("PostTypeId", kind)?;
                row.text("CreationDate", &dump_date(post_time(posts) + n as i64))?;
                row.num("Score", 0)?;
                row.text("Body", &format!("<p>Questions about {tag} & friends.</p>"))?;
                row.num("OwnerUserId", -1)?;
                row.text("ContentLicense", "CC BY-SA 4.0")
            })?;
            dump.other_posts += 1;
        }
    }
    dump.bytes += post_file.finish()?;
    dump.bytes += votes.finish()?;

    let mut comments = DumpFile::create(&dir.join("Comments.xml"), "comments")?;
    for id in 1..=posts / 2 {
        let post = 1 + random.below(posts.max(1));
        let deleted = random.below(100) == 0;
        let user = 1 + random.below(dump.users);
        let text = sentence(&mut random, 8, 30);
        comments.row(|row| {
            row.num("Id", id as i64)?;
            row.num("PostId", post as i64)?;
            row.num("Score", random.below(3) as i64)?;
            row.text("Text", &text)?;
            row.text("CreationDate", &dump_date(post_time(post) + random.below(DAY as u64) as i64))?;
            if deleted { row.text("UserDisplayName", &format!("gone{user}")) } else { row.num("UserId", user as i64) }?;
            row.text("ContentLicense", "CC BY-SA 4.0")
        })?;
        dump.comments += 1;
    }
    dump.bytes += comments.finish()?;

    let mut tags = DumpFile::create(&dir.join("Tags.xml"), "tags")?;
    for (n, tag) in TAGS.iter().enumerate() {
        tags.row(|row| {
            row.num("Id", n as i64 + 1)?;
            row.text("TagName", tag)?;
            row.num("Count", random.below(posts.max(1)) as i64)
        })?;
    }
    dump.bytes += tags.finish()?;
    Ok(dump)
}

const DAY: i64 = 86_400_000;
/// 2010-01-01T00:00:00Z.
const START: i64 = 1_262_304_000_000;

/// Posts are dated in id order, about three minutes apart.
fn post_time(id: u64) -> i64 {
    START + id as i64 * 173_000 + (id as i64 * 7919) % 60_000
}

fn dump_date(millis: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(millis) {
        Some(time) => time.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        None => String::from("2010-01-01T00:00:00.000"),
    }
}

/// splitmix64: tiny, fast, and good enough to make data look varied.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

enum Owner {
    User(u64),
    /// A deleted user: the dump keeps only the name shown.
    Deleted(String),
}

impl Owner {
    fn write(&self, row: &mut Row<'_>) -> io::Result<()> {
        match self {
            Owner::User(id) => row.num("OwnerUserId", *id as i64),
            Owner::Deleted(name) => row.text("OwnerDisplayName", name),
        }
    }
}

fn post_owner(random: &mut SplitMix64, users: u64) -> Owner {
    if random.below(100) == 0 {
        Owner::Deleted(format!("user{}", 100_000 + random.below(users)))
    } else {
        Owner::User(1 + random.below(users))
    }
}

const FIRST_NAMES: [&str; 12] =
    ["Ada", "Zoë", "Jürgen", "Marta", "Kenji", "Amara", "Olu", "Siobhán", "Wei", "Priya", "Lars", "Noor"];
const LAST_NAMES: [&str; 10] =
    ["Lovelace", "O'Brien", "Müller", "Okafor", "Tanaka", "García", "Nguyen", "Smith & Sons", "Østergaard", "Ng"];
const LOCATIONS: [&str; 8] =
    ["", "Berlin, Germany", "Tromsø, Norway", "São Paulo", "Lagos", "Salt Lake City, UT", "東京", "<unknown>"];
const TAGS: [&str; 24] = [
    "rust",
    "c#",
    "c++",
    ".net",
    "python",
    "java",
    "javascript",
    "sql",
    "xml",
    "regex",
    "git",
    "linux",
    "html",
    "css",
    "performance",
    "unicode",
    "async",
    "memory",
    "testing",
    "parsing",
    "networking",
    "security",
    "json",
    "build",
];
const WORDS: [&str; 40] = [
    "the", "a", "function", "returns", "value", "when", "I", "call", "it", "with", "an", "empty", "list", "but",
    "compiler", "says", "borrow", "lifetime", "thread", "panics", "index", "out", "of", "range", "because", "string",
    "naïve", "café", "résumé", "über", "loop", "never", "ends", "after", "update", "version", "works", "fine",
    "locally", "server",
];
const CODE: [&str; 5] = [
    "let x = a < b && c > d;",
    "if (s == \"\") { return null; }",
    "for i in 0..n {\n    total += v[i];\n}",
    "SELECT * FROM t WHERE a <> 'x';",
    "printf(\"%d\\n\", x & 0xff);",
];

fn person_name(random: &mut SplitMix64, id: u64) -> String {
    if random.below(4) == 0 {
        format!("user{id}")
    } else {
        format!("{} {}", random.pick(&FIRST_NAMES), random.pick(&LAST_NAMES))
    }
}

fn sentence(random: &mut SplitMix64, min: u64, max: u64) -> String {
    let count = min + random.below(max - min + 1);
    let mut text = String::new();
    for n in 0..count {
        if n > 0 {
            text.push(' ');
        }
        text.push_str(random.pick(&WORDS));
    }
    text.push('.');
    text
}

fn title(random: &mut SplitMix64) -> String {
    let mut title = sentence(random, 4, 10);
    title.pop();
    title.push('?');
    title
}

/// Tags in the format of the dump's era: `<a><b>` for even questions,
/// `|a|b|` for odd ones, so readers meet both.
fn question_tags(random: &mut SplitMix64, question: u64) -> String {
    let count = 1 + random.below(4);
    let bars = !question.is_multiple_of(2);
    let mut tags = String::new();
    if bars {
        tags.push('|');
    }
    for _ in 0..count {
        let tag = random.pick(&TAGS);
        if bars {
            tags.push_str(tag);
            tags.push('|');
        } else {
            tags.push('<');
            tags.push_str(tag);
            tags.push('>');
        }
    }
    tags
}

/// A post body as rendered HTML: paragraphs and sometimes a code block
/// (HTML-escaped, as the site renders it).
fn write_body(random: &mut SplitMix64, body: &mut String) {
    body.clear();
    let paragraphs = 1 + random.below(3);
    for _ in 0..paragraphs {
        body.push_str("<p>");
        body.push_str(&sentence(random, 15, 45));
        body.push_str("</p>\n");
        if random.below(3) == 0 {
            body.push_str("<pre><code>");
            for c in random.pick(&CODE).chars() {
                match c {
                    '<' => body.push_str("&lt;"),
                    '>' => body.push_str("&gt;"),
                    '&' => body.push_str("&amp;"),
                    c => body.push(c),
                }
            }
            body.push_str("\n</code></pre>\n");
        }
    }
}

fn vote(row: &mut Row<'_>, id: i64, post: u64, kind: i64, at: i64) -> io::Result<()> {
    row.num("Id", id)?;
    row.num("PostId", post as i64)?;
    row.num("VoteTypeId", kind)?;
    // Dumps keep only the day of a vote.
    row.text("CreationDate", &dump_date(at - at.rem_euclid(DAY)))
}

/// One dump file being written: `<root>`, rows, `</root>`.
struct DumpFile {
    out: CountingWriter<BufWriter<File>>,
    root: &'static str,
}

impl DumpFile {
    fn create(path: &Path, root: &'static str) -> io::Result<Self> {
        let mut out = CountingWriter { inner: BufWriter::with_capacity(256 * 1024, File::create(path)?), bytes: 0 };
        write!(out, "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{root}>\n")?;
        Ok(DumpFile { out, root })
    }

    fn row(&mut self, attributes: impl FnOnce(&mut Row<'_>) -> io::Result<()>) -> io::Result<()> {
        self.out.write_all(b"  <row")?;
        attributes(&mut Row { out: &mut self.out })?;
        self.out.write_all(b" />\n")
    }

    /// Closes the root element and flushes; the bytes written.
    fn finish(mut self) -> io::Result<u64> {
        writeln!(self.out, "</{}>", self.root)?;
        self.out.flush()?;
        Ok(self.out.bytes)
    }
}

struct CountingWriter<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(data)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

struct Row<'w> {
    out: &'w mut dyn Write,
}

impl Row<'_> {
    fn num(&mut self, name: &str, value: i64) -> io::Result<()> {
        write!(self.out, " {name}=\"{value}\"")
    }

    /// An attribute escaped as the dumps do: markup characters as entities,
    /// line breaks and tabs as character references (so they survive
    /// attribute-value normalization).
    fn text(&mut self, name: &str, value: &str) -> io::Result<()> {
        write!(self.out, " {name}=\"")?;
        let bytes = value.as_bytes();
        let mut start = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let escaped: &[u8] = match byte {
                b'&' => b"&amp;",
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'"' => b"&quot;",
                b'\n' => b"&#xA;",
                b'\r' => b"&#xD;",
                b'\t' => b"&#x9;",
                _ => continue,
            };
            self.out.write_all(&bytes[start..at])?;
            self.out.write_all(escaped)?;
            start = at + 1;
        }
        self.out.write_all(&bytes[start..])?;
        self.out.write_all(b"\"")
    }
}
