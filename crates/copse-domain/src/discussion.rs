//! Discussions and Q&A: thread kinds, validated thread and post drafts, tags,
//! reactions, moderation reasons.
//!
//! Bodies are Markdown and are kept exactly as written (leading spaces and
//! blank lines mean something in Markdown); they are only checked for length,
//! for being more than whitespace and for control characters that no text
//! needs (PostgreSQL cannot even store a NUL).

use crate::error::FieldErrors;
use crate::values::parse_text;
use crate::word_enum;

word_enum!(
    /// What a thread is for.
    ThreadKind {
        Discussion = "discussion" / "Discussion",
        Question = "question" / "Question",
        Announcement = "announcement" / "Announcement",
        Proposal = "proposal" / "Proposal",
    }
);

word_enum!(
    /// The small fixed set of reactions a post can get.
    Reaction {
        Thanks = "thanks" / "Thanks",
        Agree = "agree" / "Agree",
        Insightful = "insightful" / "Insightful",
        Celebrate = "celebrate" / "Celebrate",
    }
);

word_enum!(
    /// What a facilitator can do to a thread or one of its posts.
    ModerationAction {
        Lock = "lock" / "Lock",
        Unlock = "unlock" / "Unlock",
        Pin = "pin" / "Pin",
        Unpin = "unpin" / "Unpin",
        Hide = "hide" / "Hide",
        Unhide = "unhide" / "Unhide",
        Move = "move" / "Move",
    }
);

impl Reaction {
    /// The symbol shown on the reaction's button, beside its label.
    pub fn symbol(self) -> &'static str {
        match self {
            Reaction::Thanks => "🙏",
            Reaction::Agree => "👍",
            Reaction::Insightful => "💡",
            Reaction::Celebrate => "🎉",
        }
    }
}

/// The longest post body, in characters.
pub const MAX_POST_CHARS: usize = 100_000;
/// The most tags a thread carries.
pub const MAX_THREAD_TAGS: usize = 8;
/// The longest tag.
pub const MAX_THREAD_TAG_CHARS: usize = 40;
/// The most minutes one person can say one answer saved them.
pub const MAX_MINUTES_SAVED: u32 = 10_000;

/// A post body: Markdown, 1 to [`MAX_POST_CHARS`] characters, stored as written.
pub fn parse_post_body(input: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Err("Write something first: the post is empty".into());
    }
    let length = input.chars().count();
    if length > MAX_POST_CHARS {
        return Err(format!("Posts are limited to 100,000 characters; this one has {}.", with_thousands(length)));
    }
    if input.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("The post contains control characters".into());
    }
    Ok(input.to_string())
}

/// A thread title: one line of 3 to 200 characters.
pub fn parse_thread_title(input: &str) -> Result<String, String> {
    let title = input.trim();
    let length = title.chars().count();
    if length < 3 {
        return Err("A title has at least 3 characters".into());
    }
    if length > 200 {
        return Err(format!("A title has at most 200 characters; this one has {length}"));
    }
    if title.chars().any(char::is_control) {
        return Err("A title is one line of text".into());
    }
    Ok(title.to_string())
}

/// One tag: lowercased, 1 to 40 of `a-z 0-9 - + . #` (so `c++`, `c#`, `.net`).
pub fn parse_thread_tag(input: &str) -> Result<String, String> {
    let tag = input.trim().to_lowercase();
    if tag.is_empty() || tag.chars().count() > MAX_THREAD_TAG_CHARS {
        return Err(format!("a tag has 1 to {MAX_THREAD_TAG_CHARS} characters"));
    }
    if !tag.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | '#')) {
        return Err(format!("'{tag}' is not a tag: use letters, digits and - + . #"));
    }
    Ok(tag)
}

/// Tags as typed in one field, separated by commas or spaces.
pub fn split_thread_tags(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Every tag parsed (a leading `#` dropped, so `#rust` is `rust`),
/// duplicates dropped, at most [`MAX_THREAD_TAGS`]. Threads and artifacts
/// share these rules.
pub fn parse_thread_tags(tags: &[String]) -> Result<Vec<String>, String> {
    let mut parsed: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| t.trim().trim_start_matches('#')).filter(|t| !t.is_empty()) {
        let tag = parse_thread_tag(tag)?;
        if !parsed.contains(&tag) {
            parsed.push(tag);
        }
    }
    if parsed.len() > MAX_THREAD_TAGS {
        return Err(format!("at most {MAX_THREAD_TAGS} tags; these are {}", parsed.len()));
    }
    Ok(parsed)
}

/// A moderation reason: 3 to 500 characters.
pub fn parse_moderation_reason(input: &str) -> Result<String, String> {
    let reason = input.trim();
    let length = reason.chars().count();
    if length < 3 {
        return Err("Give a reason of at least 3 characters; the author and other facilitators see it".into());
    }
    if length > 500 {
        return Err(format!("A reason has at most 500 characters; this one has {length}"));
    }
    parse_text(reason, "The reason", 500)
}

fn with_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The new-thread form as typed.
#[derive(Debug, Clone, Default)]
pub struct ThreadInput {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

/// A validated new thread: its kind, title, tags and opening post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadDraft {
    pub kind: ThreadKind,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

impl ThreadDraft {
    /// Parses every field and reports every problem at once.
    pub fn parse(input: &ThreadInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check("kind", ThreadKind::parse(&input.kind));
        let title = errors.check("title", parse_thread_title(&input.title));
        let body = errors.check("body", parse_post_body(&input.body));
        let tags = errors.check("tags", parse_thread_tags(&input.tags));
        errors.finish()?;
        let missing = || FieldErrors::single("title", "incomplete form");
        Ok(Self {
            kind: kind.ok_or_else(missing)?,
            title: title.ok_or_else(missing)?,
            body: body.ok_or_else(missing)?,
            tags: tags.unwrap_or_default(),
        })
    }
}

/// A validated reply or edited post body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub body: String,
}

impl PostDraft {
    pub fn parse(body: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = errors.check("body", parse_post_body(body));
        errors.finish()?;
        Ok(Self { body: body.unwrap_or_default() })
    }
}

/// An edit as typed: the new body, the version it started from, and for an
/// opening post optionally the thread's new title and tags.
#[derive(Debug, Clone, Default)]
pub struct PostEditInput {
    pub body: String,
    pub version: String,
    pub title: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// A validated edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostEdit {
    pub body: String,
    /// The version the editor started from; a newer stored one means someone
    /// else saved in between.
    pub base_version: i64,
    pub title: Option<String>,
    pub tags: Option<Vec<String>>,
}

impl PostEdit {
    pub fn parse(input: &PostEditInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = errors.check("body", parse_post_body(&input.body));
        let version =
            errors.check(
                "version",
                input.version.trim().parse::<i64>().ok().filter(|v| *v >= 1).ok_or_else(|| {
                    "the version this edit started from is missing; reload the post and edit again".into()
                }),
            );
        let title = match &input.title {
            Some(title) => errors.check("title", parse_thread_title(title)),
            None => None,
        };
        let tags = match &input.tags {
            Some(tags) => errors.check("tags", parse_thread_tags(tags)),
            None => None,
        };
        errors.finish()?;
        Ok(Self { body: body.unwrap_or_default(), base_version: version.unwrap_or(1), title, tags })
    }
}

/// "This answer saved me N minutes", as typed.
#[derive(Debug, Clone, Default)]
pub struct TimeSavedInput {
    pub minutes: String,
    pub note: String,
    /// The person says they reused the answer (needed unless they asked).
    pub reused: bool,
}

/// A validated time-saved record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSaved {
    pub minutes: u32,
    pub note: String,
}

impl TimeSaved {
    pub fn parse(input: &TimeSavedInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let minutes = errors.check(
            "minutes",
            match input.minutes.trim().parse::<u32>() {
                Ok(0) => Err("at least 1 minute".to_string()),
                Ok(m) if m > MAX_MINUTES_SAVED => Err(format!("at most {MAX_MINUTES_SAVED} minutes")),
                Ok(m) => Ok(m),
                Err(_) => Err("a whole number of minutes, e.g. 45".to_string()),
            },
        );
        let note = errors.check("note", parse_text(&input.note, "The note", 500));
        errors.finish()?;
        Ok(Self { minutes: minutes.unwrap_or(1), note: note.unwrap_or_default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ThreadInput {
        ThreadInput {
            kind: "question".into(),
            title: "How do we pin the tokio version?".into(),
            body: "    indented code stays\n\nas written ".into(),
            tags: vec!["Rust".into(), "tokio".into(), "rust".into()],
        }
    }

    #[test]
    fn a_thread_parses_and_keeps_the_body_as_written() {
        let draft = ThreadDraft::parse(&input()).unwrap();
        assert_eq!(draft.kind, ThreadKind::Question);
        assert_eq!(draft.body, "    indented code stays\n\nas written ");
        assert_eq!(draft.tags, vec!["rust", "tokio"], "lowercased, duplicates dropped");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = ThreadInput {
            kind: "rant".into(),
            title: "Hi".into(),
            body: "  \n ".into(),
            tags: vec!["no spaces please!".into()],
        };
        let errors = ThreadDraft::parse(&bad).unwrap_err();
        for field in ["kind", "title", "body", "tags"] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors}");
        }
    }

    #[test]
    fn long_bodies_get_a_clear_message() {
        let at_limit = "a".repeat(MAX_POST_CHARS);
        assert!(parse_post_body(&at_limit).is_ok());
        let over = "é".repeat(MAX_POST_CHARS + 1);
        assert_eq!(
            parse_post_body(&over).unwrap_err(),
            "Posts are limited to 100,000 characters; this one has 100,001."
        );
        assert!(parse_post_body("nul\0byte").is_err());
    }

    #[test]
    fn tags_follow_the_alphabet_and_the_limit() {
        assert_eq!(parse_thread_tag(" C++ ").unwrap(), "c++");
        assert_eq!(parse_thread_tag("c#").unwrap(), "c#");
        assert_eq!(parse_thread_tag(".NET").unwrap(), ".net");
        assert!(parse_thread_tag("under_score").is_err());
        assert!(parse_thread_tag(&"x".repeat(41)).is_err());
        let nine: Vec<String> = (0..9).map(|i| format!("t{i}")).collect();
        assert!(parse_thread_tags(&nine).is_err());
        assert_eq!(split_thread_tags("rust, tokio  async,"), vec!["rust", "tokio", "async"]);
    }

    #[test]
    fn edits_need_their_version_and_time_saved_is_bounded() {
        let edit = PostEdit::parse(&PostEditInput { body: "new".into(), version: "3".into(), ..Default::default() });
        assert_eq!(edit.unwrap().base_version, 3);
        let stale = PostEdit::parse(&PostEditInput { body: "new".into(), version: "".into(), ..Default::default() });
        assert!(stale.unwrap_err().get("version").is_some());
        let ok = TimeSaved::parse(&TimeSavedInput { minutes: "90".into(), note: "".into(), reused: false });
        assert_eq!(ok.unwrap().minutes, 90);
        for bad in ["0", "10001", "lots"] {
            let errors = TimeSaved::parse(&TimeSavedInput { minutes: bad.into(), ..Default::default() }).unwrap_err();
            assert!(errors.get("minutes").is_some(), "{bad}");
        }
        assert!(parse_moderation_reason("no").is_err());
        assert!(parse_moderation_reason("off-topic spam").is_ok());
    }
}
