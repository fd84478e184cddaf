//! What readers produce: people, threads and their posts, accepted answers,
//! bare activity (commits, chat messages, reactions) and mentorships. Times
//! are UTC milliseconds, like the rest of copse. External ids are the
//! source's own ids (a commit id, a Message-ID, a post id), unique within one
//! source; the loader scopes them by source and community, which is what
//! makes a re-import change nothing.

/// Someone as one source knows them. The loader turns identities into
/// people: the same e-mail (in any source) is the same person, and an
/// administrator can merge and unmerge the rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    /// Unique within the source: the lower-cased e-mail for git and mbox,
    /// the user id for Slack (`U024BE7LH`) and Stack Exchange (`42`), the
    /// e-mail for the CSV directory.
    pub key: String,
    /// The display name the source gives; may be empty when unknown (a Stack
    /// Exchange post names only the user id: the `Person` record read from
    /// Users.xml carries the name).
    pub name: String,
    /// Lower-cased, when the source has one.
    pub email: Option<String>,
}

impl Identity {
    /// An identity known by e-mail (git, mbox, CSV): key and e-mail are the
    /// trimmed, lower-cased address.
    pub fn by_email(name: &str, email: &str) -> Self {
        let email = email.trim().to_lowercase();
        Identity { key: email.clone(), name: name.trim().to_string(), email: Some(email) }
    }

    /// An identity known by a source's user id (Slack, Stack Exchange).
    pub fn by_id(id: &str, name: &str) -> Self {
        Identity { key: id.trim().to_string(), name: name.trim().to_string(), email: None }
    }
}

/// A person as a directory or user list describes them. Fields the source
/// does not have are empty (`None` for the time zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub identity: Identity,
    pub team: String,
    pub location: String,
    /// An IANA zone name (`Europe/Berlin`), checked by the reader.
    pub time_zone: Option<String>,
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadKind {
    /// A Stack Exchange question: answers, an accepted answer, time to
    /// first response.
    Question,
    /// A mailing-list thread or any other conversation.
    Discussion,
}

/// The opening post of a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRecord {
    pub external_id: String,
    pub kind: ThreadKind,
    pub title: String,
    pub author: Identity,
    pub at: i64,
    pub tags: Vec<String>,
    /// Markdown or HTML as the source has it (copse sanitizes on render);
    /// the loader truncates what is over copse's limit and says so.
    pub body: String,
}

/// A reply in a thread read earlier (in this import or a previous one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRecord {
    pub external_id: String,
    /// The thread's `external_id`.
    pub thread: String,
    pub author: Identity,
    pub at: i64,
    pub body: String,
    /// The post (or thread) this one answers, when the source says: its
    /// author is who this reply went to. Without it, the thread's author.
    pub in_reply_to: Option<String>,
}

/// What kind of bare activity (no content kept in copse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    /// A commit, by its author (authorship).
    Commit,
    /// A merge commit, by its author (integration, not authorship).
    Merge,
    /// Reviewed-by, Acked-by, Tested-by: the reviewer, in reply to the author.
    Review,
    /// Helped-by, Suggested-by, Reported-by, Co-authored-by: the helper, in
    /// reply to the author.
    Collaboration,
    /// A chat message (Slack), in reply to the thread's author when in a
    /// thread.
    Message,
    /// A comment on a post (Stack Exchange), in reply to the post's author.
    Comment,
    /// A reaction (Slack emoji), in reply to the message's author.
    Reaction,
}

impl ActivityKind {
    /// The `contributions.kind` it is stored as.
    pub fn name(self) -> &'static str {
        match self {
            ActivityKind::Commit => "commit",
            ActivityKind::Merge => "merge",
            ActivityKind::Review => "review",
            ActivityKind::Collaboration => "collaboration",
            ActivityKind::Message => "message",
            ActivityKind::Comment => "comment",
            ActivityKind::Reaction => "reaction",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// Unique within the source for this kind of activity: a commit id, a
    /// commit id plus trailer and person, a Slack channel/ts (plus emoji and
    /// user for reactions), a comment id.
    pub external_id: String,
    pub who: Identity,
    pub kind: ActivityKind,
    pub at: i64,
    pub reply_to: Option<Identity>,
}

/// Evidence of mentoring (git's Mentored-by trailer): the loader keeps one
/// mentorship per pair, from the first to the last evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorshipRecord {
    /// Unique within the source (the commit id and the mentor's key).
    pub external_id: String,
    pub mentor: Identity,
    pub mentee: Identity,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Person(PersonRecord),
    Thread(ThreadRecord),
    Post(PostRecord),
    /// A question's accepted answer; both read earlier.
    Accepted {
        thread: String,
        post: String,
        at: i64,
    },
    Activity(ActivityRecord),
    Mentorship(MentorshipRecord),
    /// A chat channel (Slack): kept as one of the community's channels.
    Channel {
        name: String,
        purpose: String,
    },
}
