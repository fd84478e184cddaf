//! What the measuring brain reads about one community: the uniform activity
//! record (rolled up per day, person and kind), the people, the sessions, the
//! questions, what was produced and reused, surveys, the charter and the
//! organization's support. The app loads it (`copse_app::insight`); every
//! metric, detector and stage rule is a pure function of it, so a new source
//! of activity (an importer) only has to write contributions.
//!
//! Times are UTC milliseconds since the Unix epoch; a day is the UTC day
//! number (`at.div_euclid(DAY_MS)`), the unit of the rollups.

use copse_domain::{Stage, ValueCycle};

pub const DAY_MS: i64 = 86_400_000;

/// The UTC day number of a timestamp.
pub fn day_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(DAY_MS)
}

/// What a contribution was, parsed from the activity record's `kind`.
/// Kinds written by future sources and not known here are `Other` and still
/// count as participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContributionKind {
    Rsvp,
    Attendance,
    Facilitation,
    Thread,
    Question,
    Reply,
    Answer,
    AcceptedAnswer,
    ArtifactVersion,
    ArtifactReuse,
    ChecklistRun,
    Kudos,
    Mentorship,
    MentorshipSession,
    /// Imported: a commit (authorship).
    Commit,
    /// Imported: a merge commit (integration, not authorship).
    Merge,
    /// Imported: a review, ack or test trailer.
    Review,
    /// Imported: a mailing-list or chat message.
    Message,
    Other,
}

impl ContributionKind {
    pub fn parse(kind: &str) -> Self {
        match kind {
            "rsvp" => Self::Rsvp,
            "attendance" => Self::Attendance,
            "facilitation" => Self::Facilitation,
            "thread" => Self::Thread,
            "question" => Self::Question,
            "reply" => Self::Reply,
            "answer" => Self::Answer,
            "accepted-answer" => Self::AcceptedAnswer,
            "artifact-version" => Self::ArtifactVersion,
            "artifact-reuse" => Self::ArtifactReuse,
            "checklist-run" => Self::ChecklistRun,
            "kudos" => Self::Kudos,
            "mentorship" => Self::Mentorship,
            "mentorship-session" => Self::MentorshipSession,
            "commit" => Self::Commit,
            "merge" => Self::Merge,
            "review" => Self::Review,
            "message" => Self::Message,
            _ => Self::Other,
        }
    }

    /// Whether the row counts as taking part. Saying "going" to a session is
    /// an intention, not participation; everything else counts. This is the
    /// one definition every metric (active participants, inequality,
    /// participation levels, retention) uses, and the cross-check script
    /// (`scripts/insight_crosscheck.py`) repeats it: `kind <> 'rsvp'`.
    pub fn counts_as_participation(self) -> bool {
        self != Self::Rsvp
    }

    /// Conversation in the community's channels: threads, questions, replies,
    /// answers, imported messages.
    pub fn is_channel_activity(self) -> bool {
        matches!(self, Self::Thread | Self::Question | Self::Reply | Self::Answer | Self::Message)
    }

    /// Contributions to the shared repository of practice (and, imported,
    /// to a shared code base).
    pub fn is_shared_resource(self) -> bool {
        matches!(self, Self::ArtifactVersion | Self::Commit)
    }

    /// Responding to someone else: replies, answers, reviews.
    pub fn is_response(self) -> bool {
        matches!(self, Self::Reply | Self::Answer | Self::Review)
    }
}

/// One rollup row: how many contributions of one kind one person made in
/// one community on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyCount {
    pub day: i64,
    pub person: i64,
    pub kind: ContributionKind,
    pub count: i64,
}

/// One interaction rollup row: `person` responded to `other` this many times
/// in the community in the month starting on `month_start_day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairCount {
    pub month_start_day: i64,
    pub person: i64,
    pub other: i64,
    pub count: i64,
}

/// Someone who appears in the community's data (a member, or a contributor
/// who is not, e.g. an imported author).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInfo {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    /// junior | mid | senior | staff | principal (as stored)
    pub experience: String,
    /// IANA zone; `None` when the profile never set one (stored as the
    /// default 'UTC' with no location, or unparseable).
    pub time_zone: Option<String>,
    /// Working hours, minutes after local midnight.
    pub work_start_minute: i64,
    pub work_end_minute: i64,
}

/// A membership, current or ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub person: i64,
    pub joined_at: i64,
    /// Still a member (status active) now.
    pub active: bool,
    pub facilitator: bool,
}

/// One session (an occurrence of an event) that has started.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub event: i64,
    pub title: String,
    pub start: i64,
    /// The organizer's zone and the local wall-clock start in it, e.g. 17:00.
    pub time_zone: String,
    pub local_start_minute: i64,
    /// in-person | remote | hybrid
    pub format: String,
    pub facilitator: Option<i64>,
    /// People who said "going" (not waitlisted).
    pub going: Vec<i64>,
    pub attended: Vec<i64>,
    pub recorded: bool,
}

/// A question thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub thread: i64,
    pub title: String,
    pub asker: Option<i64>,
    pub created_at: i64,
    /// The first visible reply by someone other than the asker.
    pub first_response_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub tags: Vec<String>,
}

/// Something the community talked about or produced, for scope and
/// repetition: a thread, an artifact or an event, with its tags.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub at: i64,
    /// thread | artifact | event
    pub source: &'static str,
    pub id: i64,
    pub title: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArtifactCreated {
    pub artifact: i64,
    pub at: i64,
    pub author: Option<i64>,
    pub published: bool,
}

/// A reuse signal ("I used this", a checklist run, a link) by someone other
/// than the artifact's author.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    pub artifact: i64,
    pub at: i64,
    pub person: i64,
    /// Whether the reuser's team differs from the author's.
    pub outside_author_team: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeSaved {
    pub at: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueStoryFact {
    pub at: i64,
    pub cycle: ValueCycle,
}

/// A before/after self-assessment pair of one person for one skill.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillChange {
    pub person: i64,
    pub skill: String,
    pub before: i64,
    pub after: i64,
    pub after_at: i64,
}

/// A pulse survey; the satisfaction mean is known only once it is published
/// (closed with at least the anonymity minimum of responses).
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyFact {
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub invited: i64,
    pub responses: i64,
    pub satisfaction_mean: Option<f64>,
    pub usefulness_mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Charter {
    pub domain: String,
    pub purpose: String,
    /// Topics, one per line or comma, as the charter lists them.
    pub in_scope: Vec<String>,
    pub out_of_scope: Vec<String>,
    /// Charter goals, and whether each links to an organizational goal.
    pub goals: Vec<(String, bool)>,
}

/// What the organization gives the community.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrgSupport {
    pub sponsor: Option<i64>,
    pub sponsor_sessions_attended_last_year: i64,
    pub sponsor_reports_read_last_year: i64,
    /// Members with hours granted, and the hours per month in all.
    pub members_with_time: i64,
    pub hours_per_month: i64,
    pub budget_requested_cents: i64,
    /// Lines decided: granted in all, and lines granted less than asked.
    pub budget_granted_cents: i64,
    pub budget_lines_cut: i64,
    pub budget_lines_undecided: i64,
}

/// Everything about one community that metrics, diagnosis and stage
/// evidence read.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityInput {
    pub community: i64,
    pub name: String,
    pub now: i64,
    pub created_at: i64,
    pub stage: Stage,
    /// Stage history, oldest first: (when, stage).
    pub stage_history: Vec<(i64, Stage)>,
    pub charter: Charter,
    pub people: Vec<PersonInfo>,
    pub memberships: Vec<Membership>,
    /// The daily rollup, oldest first (any order is accepted).
    pub activity: Vec<DailyCount>,
    pub interactions: Vec<PairCount>,
    pub occurrences: Vec<Occurrence>,
    pub questions: Vec<Question>,
    pub topics: Vec<Topic>,
    pub artifacts: Vec<ArtifactCreated>,
    pub reuses: Vec<Reuse>,
    pub time_saved: Vec<TimeSaved>,
    pub proposals_accepted: Vec<i64>,
    pub value_stories: Vec<ValueStoryFact>,
    pub skill_changes: Vec<SkillChange>,
    pub surveys: Vec<SurveyFact>,
    pub org: OrgSupport,
}

impl CommunityInput {
    /// An empty community created at `now`, for tests and as a base.
    pub fn empty(community: i64, now: i64) -> Self {
        Self {
            community,
            name: String::new(),
            now,
            created_at: now,
            stage: Stage::Potential,
            stage_history: Vec::new(),
            charter: Charter::default(),
            people: Vec::new(),
            memberships: Vec::new(),
            activity: Vec::new(),
            interactions: Vec::new(),
            occurrences: Vec::new(),
            questions: Vec::new(),
            topics: Vec::new(),
            artifacts: Vec::new(),
            reuses: Vec::new(),
            time_saved: Vec::new(),
            proposals_accepted: Vec::new(),
            value_stories: Vec::new(),
            skill_changes: Vec::new(),
            surveys: Vec::new(),
            org: OrgSupport::default(),
        }
    }

    pub fn person(&self, id: i64) -> Option<&PersonInfo> {
        self.people.iter().find(|p| p.id == id)
    }
}
