//! Recognition use cases: kudos from one person to another for one
//! contribution (a post, an artifact, an event session, a mentorship), the
//! community's kudos feed, what a profile shows (kudos received and the
//! stewardship summary), and the export (per person and period) that
//! performance and recognition systems take in.
//!
//! Recognition here is about stewardship, not volume: the feed is a list of
//! thanks in time order, never a ranking, and profiles show what a person has
//! looked after (sessions facilitated, practice curated, reviews, mentoring)
//! beside the kudos they received by category. Nobody is counted against
//! anybody.
//!
//! Rules: members (not guests) thank people for contributions they can see;
//! kudos to oneself are refused; one kudos per giver, subject and receiver;
//! a mentorship is visible (and thankable) only to its two sides. Kudos in a
//! community are visible to whoever may view the community; kudos for a
//! mentorship outside any community only to its giver, its receiver and
//! admins. An export holds only kudos its reader is involved in, unless the
//! reader is an admin.

use chrono::NaiveDate;
use copse_domain::{Action, CommunityAccess, CommunityId, PersonId, Timestamp, Visibility, can, word_enum};
use copse_store::{KudosExportFilter, KudosPersonRow, KudosRow, KudosSubjectRow, NewKudos, StewardshipRow};

use crate::communities::{CommunityView, community_view, membership_of};
use crate::{App, AppError, Viewer};

word_enum!(
    /// What a kudos thanks someone for. Most of these are stewardship: the
    /// work that keeps a community alive rather than the work that is counted.
    KudosCategory {
        Answering = "answering" / "Answering questions",
        Sharing = "sharing" / "Sharing knowledge",
        Facilitating = "facilitating" / "Facilitating sessions",
        Curating = "curating" / "Curating practice",
        Reviewing = "reviewing" / "Reviewing",
        Mentoring = "mentoring" / "Mentoring",
        Organizing = "organizing" / "Organizing",
    }
);

/// Kudos on one page of a community's feed.
pub const KUDOS_PER_PAGE: i64 = 30;
/// Kudos received shown on a profile.
pub const PROFILE_KUDOS: i64 = 12;
/// The most rows one export holds.
pub const MAX_EXPORT_ROWS: i64 = 100_000;
const MESSAGE_MIN: usize = 3;
const MESSAGE_MAX: usize = 500;

/// What a kudos is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KudosSubject {
    /// An answer or reply; the receiver is its author.
    Post(i64),
    /// The receiver is one of its owners or authors.
    Artifact(i64),
    /// One session of a series (its key is the original local start); the
    /// receiver is its facilitator.
    Event { id: i64, key: String },
    /// The receiver is the other side.
    Mentorship(i64),
}

impl KudosSubject {
    /// Reads the subject from a form's or a query's fields: exactly one of
    /// post, artifact, event (with key) or mentorship.
    pub fn from_fields(
        post: Option<i64>,
        artifact: Option<i64>,
        event: Option<i64>,
        key: Option<&str>,
        mentorship: Option<i64>,
    ) -> Result<Self, AppError> {
        let given = [post.is_some(), artifact.is_some(), event.is_some(), mentorship.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(AppError::invalid(
                "subject",
                "say what the kudos is for: one of post, artifact, event (with key) or mentorship",
            ));
        }
        Ok(match (post, artifact, event, mentorship) {
            (Some(id), ..) => KudosSubject::Post(id),
            (_, Some(id), ..) => KudosSubject::Artifact(id),
            (_, _, Some(id), _) => {
                let key = key.map(str::trim).filter(|k| !k.is_empty());
                let key = key.ok_or_else(|| AppError::invalid("key", "an event needs the session's key"))?;
                KudosSubject::Event { id, key: key.to_string() }
            }
            (.., Some(id)) => KudosSubject::Mentorship(id),
            _ => unreachable!("exactly one is set"),
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            KudosSubject::Post(_) => "post",
            KudosSubject::Artifact(_) => "artifact",
            KudosSubject::Event { .. } => "event",
            KudosSubject::Mentorship(_) => "mentorship",
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            KudosSubject::Post(id)
            | KudosSubject::Artifact(id)
            | KudosSubject::Event { id, .. }
            | KudosSubject::Mentorship(id) => *id,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            KudosSubject::Event { key, .. } => key,
            _ => "",
        }
    }

    /// Where the subject lives in the pages.
    pub fn url(&self) -> String {
        subject_url(self.kind(), self.id(), self.key())
    }
}

fn subject_url(kind: &str, id: i64, key: &str) -> String {
    match kind {
        "post" => format!("/posts/{id}"),
        "artifact" => format!("/artifacts/{id}"),
        "event" => format!("/events/{id}/{key}"),
        _ => format!("/mentoring/{id}"),
    }
}

/// Someone named on a kudos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KudosPerson {
    pub id: PersonId,
    pub handle: String,
    pub name: String,
}

/// Someone who may be thanked for a subject, and their part in it.
#[derive(Debug, Clone)]
pub struct KudosCandidate {
    pub person: KudosPerson,
    /// author, owner, facilitator, mentor or mentee
    pub part: String,
}

/// What the kudos form shows.
#[derive(Debug, Clone)]
pub struct KudosFormPage {
    pub subject: KudosSubject,
    /// "the answer by Ada Okafor in “How do I …”"
    pub subject_label: String,
    pub subject_url: String,
    /// (slug, name) of the community it belongs to.
    pub community: Option<(String, String)>,
    /// The people the viewer may thank for it (never the viewer).
    pub candidates: Vec<KudosCandidate>,
    /// The category the subject suggests.
    pub suggested: KudosCategory,
    /// Why nobody can be thanked here (only the viewer is involved, or no
    /// facilitator is recorded), when so.
    pub nobody_reason: Option<&'static str>,
}

/// A kudos as typed.
#[derive(Debug, Clone, Default)]
pub struct KudosInput {
    /// The receiver's handle; may be empty when there is one candidate.
    pub receiver: String,
    /// A category word; empty takes the one the subject suggests.
    pub contribution: String,
    /// Optional: a skill of the vocabulary, by key, name or synonym.
    pub skill: String,
    pub message: String,
}

/// A kudos as feeds, profiles and the API show it.
#[derive(Debug, Clone)]
pub struct KudosView {
    pub id: i64,
    pub at: Timestamp,
    pub giver: KudosPerson,
    pub receiver: KudosPerson,
    /// (slug, name)
    pub community: Option<(String, String)>,
    pub category: KudosCategory,
    /// (key, name)
    pub skill: Option<(String, String)>,
    pub message: String,
    /// post | artifact | event | mentorship
    pub subject_kind: String,
    /// "a post in “How do I …”"; hidden posts are named without their title.
    pub subject_label: String,
    /// `None` when the subject is hidden from view.
    pub subject_url: Option<String>,
}

/// One page of a community's kudos, newest first. No counts per person: the
/// feed thanks, it does not rank.
#[derive(Debug, Clone)]
pub struct CommunityKudosPage {
    pub community: CommunityView,
    pub kudos: Vec<KudosView>,
    pub page: i64,
    pub has_next: bool,
    /// The viewer may give kudos in this community (from a post, an artifact
    /// or a session page).
    pub can_give: bool,
}

/// What a person has looked after, counted in the communities the reader
/// may see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stewardship {
    pub sessions_facilitated: i64,
    /// Artifact versions written.
    pub versions_written: i64,
    pub artifacts_owned: i64,
    /// Kudos received for reviewing.
    pub reviews: i64,
    pub mentoring_active: i64,
    pub mentoring_completed: i64,
}

impl Stewardship {
    pub fn is_empty(&self) -> bool {
        *self == Stewardship::default()
    }
}

/// The recognition part of a profile.
#[derive(Debug, Clone)]
pub struct ProfileRecognition {
    /// The latest kudos received that the reader may see.
    pub received: Vec<KudosView>,
    pub stewardship: Stewardship,
    /// Kudos received per category (of those the reader may see), in the
    /// vocabulary's order, categories without any left out.
    pub by_category: Vec<(KudosCategory, i64)>,
}

/// The export's parameters as given (query strings).
#[derive(Debug, Clone, Default)]
pub struct KudosExportQuery {
    /// A handle; optional for admins (everyone), ignored for others (always
    /// themselves).
    pub person: String,
    /// YYYY-MM-DD, inclusive; empty for no bound.
    pub from: String,
    pub to: String,
}

/// One exported kudos.
#[derive(Debug, Clone)]
pub struct KudosExportRow {
    pub id: i64,
    pub given_at: Timestamp,
    pub giver_handle: String,
    pub giver_name: String,
    pub receiver_handle: String,
    pub receiver_name: String,
    pub receiver_email: String,
    /// The community's slug, or empty.
    pub community: String,
    pub contribution: String,
    pub subject_type: String,
    pub subject_url: String,
    pub skill: String,
    pub message: String,
}

/// An export: whose (None = everyone), which days, and the kudos.
#[derive(Debug, Clone)]
pub struct KudosExport {
    pub person: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub rows: Vec<KudosExportRow>,
}

/// The viewer's own kudos: received and given.
#[derive(Debug, Clone)]
pub struct MyKudosPage {
    pub received: Vec<KudosView>,
    pub given: Vec<KudosView>,
    pub is_admin: bool,
}

fn access_from(visibility: Option<&str>, role: Option<&str>, status: Option<&str>) -> CommunityAccess {
    CommunityAccess {
        visibility: visibility.and_then(|v| Visibility::parse(v).ok()).unwrap_or(Visibility::Private),
        membership: membership_of(role, status),
    }
}

/// Levenshtein distance, for suggesting vocabulary terms close to a typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (row[j + 1] + 1).min(row[j] + 1).min(previous + usize::from(ca != cb));
            previous = current;
        }
    }
    row[b.len()]
}

/// Up to five vocabulary names close to `key`: a small edit away, or one
/// containing the other. `terms` are (key, name, synonym or "").
pub(crate) fn close_terms(key: &str, terms: &[(String, String, String)]) -> Vec<String> {
    let limit = (key.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str, &str)> = Vec::new();
    for (skill_key, name, synonym) in terms {
        let term = if synonym.is_empty() { skill_key.as_str() } else { synonym.as_str() };
        let distance = edit_distance(key, term);
        let contains = key.len() >= 3 && (term.contains(key) || (term.len() >= 3 && key.contains(term)));
        if distance <= limit || contains {
            scored.push((if contains { distance.min(1) } else { distance }, skill_key, name));
        }
    }
    scored.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, _, name) in scored {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        if names.len() == 5 {
            break;
        }
    }
    names
}

/// The first characters of a message, for a notification.
fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out.replace('\n', " ")
}

fn parse_message(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let length = trimmed.chars().count();
    if length == 0 {
        return Err("write a short message: what did they do that helped?".into());
    }
    if length < MESSAGE_MIN {
        return Err(format!("the message must be at least {MESSAGE_MIN} characters"));
    }
    if length > MESSAGE_MAX {
        return Err(format!("the message must be at most {MESSAGE_MAX} characters (it has {length})"));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err("the message contains control characters".into());
    }
    Ok(trimmed.to_string())
}

/// Parses an export bound (YYYY-MM-DD); empty means none.
fn parse_day(text: &str, field: &'static str, errors: &mut copse_domain::FieldErrors) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            errors.add(field, format!("'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31"));
            None
        }
    }
}

fn day_start(day: NaiveDate) -> Timestamp {
    Timestamp::from(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// A subject as the kudos form and the use case load it.
struct LoadedSubject {
    row: KudosSubjectRow,
    people: Vec<KudosPersonRow>,
    access: CommunityAccess,
    label: String,
    suggested: KudosCategory,
}

pub(crate) fn kudos_view(row: KudosRow) -> KudosView {
    let category = KudosCategory::parse(&row.contribution).unwrap_or(KudosCategory::Sharing);
    let hidden = row.subject_hidden != 0;
    let subject_label = match row.subject_kind.as_str() {
        "post" if hidden => "a post that is now hidden".to_string(),
        "post" => format!("a post in “{}”", row.subject_title),
        "artifact" => format!("“{}”", row.subject_title),
        "event" => format!("the session “{}” of {}", row.subject_title, session_day(&row.subject_key)),
        _ => "their mentorship".to_string(),
    };
    KudosView {
        subject_url: (!hidden).then(|| subject_url(&row.subject_kind, row.subject_id, &row.subject_key)),
        id: row.id,
        at: Timestamp(row.created_at),
        giver: KudosPerson { id: PersonId(row.giver_id), handle: row.giver_handle, name: row.giver_name },
        receiver: KudosPerson { id: PersonId(row.receiver_id), handle: row.receiver_handle, name: row.receiver_name },
        community: row.community_slug.zip(row.community_name),
        category,
        skill: row.skill_key.zip(row.skill_name),
        message: row.message,
        subject_kind: row.subject_kind,
        subject_label,
    }
}

/// Whether the reader may see a kudos row (the SQL pre-filter, re-checked
/// with the policy).
fn may_see(viewer: &Viewer, row: &KudosRow) -> bool {
    match row.community_id {
        Some(_) => can(
            &viewer.actor,
            Action::ViewCommunity(&access_from(
                row.community_visibility.as_deref(),
                row.viewer_role.as_deref(),
                row.viewer_status.as_deref(),
            )),
        ),
        None => {
            viewer.actor.is_admin()
                || viewer.person() == Some(PersonId(row.giver_id))
                || viewer.person() == Some(PersonId(row.receiver_id))
        }
    }
}

impl App {
    /// Loads a subject the viewer may see and thank people for, or
    /// `NotFound` (hidden posts, communities they may not see, mentorships
    /// they are not part of).
    async fn kudos_subject(&self, viewer: &Viewer, subject: &KudosSubject) -> Result<LoadedSubject, AppError> {
        let me = viewer.require_person()?;
        let store = self.store();
        let found = match subject {
            KudosSubject::Post(id) => store.find_kudos_post(*id, me).await?,
            KudosSubject::Artifact(id) => store.find_kudos_artifact(*id, me).await?,
            KudosSubject::Event { id, key } => store.find_kudos_event(*id, key, me).await?,
            KudosSubject::Mentorship(id) => store.find_kudos_mentorship(*id, me).await?,
        };
        let what = subject.kind();
        let (row, people) = found.ok_or(AppError::NotFound(what))?;
        let access = if let KudosSubject::Mentorship(_) = subject {
            // A mentorship is seen by its two sides only (admins included:
            // they are not part of it), wherever it belongs.
            if !people.iter().any(|p| PersonId(p.id) == me) {
                return Err(AppError::NotFound(what));
            }
            // Only the organization role matters for thanking one's mentor.
            CommunityAccess { visibility: Visibility::Open, membership: None }
        } else {
            let access = access_from(
                row.community_visibility.as_deref(),
                row.viewer_role.as_deref(),
                row.viewer_status.as_deref(),
            );
            if !can(&viewer.actor, Action::ViewCommunity(&access)) || row.hidden != 0 {
                return Err(AppError::NotFound(what));
            }
            access
        };
        let (label, suggested) = match subject {
            KudosSubject::Post(_) => {
                let author = people.first().map_or("a former member", |p| p.name.as_str());
                if row.detail == "question" && row.opening == 0 {
                    (format!("the answer by {author} in “{}”", row.title), KudosCategory::Answering)
                } else {
                    (format!("the post by {author} in “{}”", row.title), KudosCategory::Sharing)
                }
            }
            KudosSubject::Artifact(_) => (format!("the artifact “{}”", row.title), KudosCategory::Curating),
            KudosSubject::Event { key, .. } => {
                // The session must exist and have started: thanks come after.
                let page = self.occurrence_page(viewer, subject.id(), key).await?;
                if !page.started || page.occurrence.cancelled {
                    return Err(AppError::Conflict {
                        field: "",
                        message: "Kudos for a session can be given once it has taken place.".into(),
                    });
                }
                (format!("the session “{}” of {}", row.title, session_day(key)), KudosCategory::Facilitating)
            }
            KudosSubject::Mentorship(_) => {
                if !matches!(row.detail.as_str(), "active" | "completed" | "ended") {
                    return Err(AppError::Conflict {
                        field: "",
                        message: "Kudos for a mentorship can be given once the pairing has started.".into(),
                    });
                }
                let other = people.iter().find(|p| PersonId(p.id) != me).map_or("", |p| p.name.as_str());
                (format!("your mentorship with {other}"), KudosCategory::Mentoring)
            }
        };
        Ok(LoadedSubject { row, people, access, label, suggested })
    }

    /// The kudos form for a subject.
    pub async fn kudos_form(&self, viewer: &Viewer, subject: &KudosSubject) -> Result<KudosFormPage, AppError> {
        let me = viewer.require_person()?;
        let loaded = self.kudos_subject(viewer, subject).await?;
        if !can(&viewer.actor, Action::GiveKudos(&loaded.access)) {
            return Err(AppError::Forbidden("guests do not give kudos"));
        }
        let candidates: Vec<KudosCandidate> = loaded
            .people
            .iter()
            .filter(|p| PersonId(p.id) != me)
            .map(|p| KudosCandidate {
                person: KudosPerson { id: PersonId(p.id), handle: p.handle.clone(), name: p.name.clone() },
                part: p.part.clone(),
            })
            .collect();
        let nobody_reason = candidates.is_empty().then(|| nobody_reason(subject, &loaded.people));
        Ok(KudosFormPage {
            subject: subject.clone(),
            subject_label: loaded.label,
            subject_url: subject.url(),
            community: loaded.row.community_slug.clone().zip(loaded.row.community_name.clone()),
            candidates,
            suggested: loaded.suggested,
            nobody_reason,
        })
    }

    /// Thanks someone for a subject. Refused: for oneself (422), twice for
    /// the same subject and person (409), by guests (403), for what the
    /// viewer may not see (404).
    pub async fn give_kudos(
        &self,
        viewer: &Viewer,
        subject: &KudosSubject,
        input: &KudosInput,
    ) -> Result<KudosView, AppError> {
        let me = viewer.require_person()?;
        let loaded = self.kudos_subject(viewer, subject).await?;
        if !can(&viewer.actor, Action::GiveKudos(&loaded.access)) {
            return Err(AppError::Forbidden("guests do not give kudos"));
        }
        let mut errors = copse_domain::FieldErrors::new();
        let wanted = input.receiver.trim().trim_start_matches('@').to_lowercase();
        let others: Vec<&KudosPersonRow> = loaded.people.iter().filter(|p| PersonId(p.id) != me).collect();
        let receiver = if wanted == viewer.handle.to_lowercase() {
            errors.add("receiver", "you cannot give kudos to yourself: kudos thank someone else");
            None
        } else if others.is_empty() {
            errors.add("receiver", nobody_reason(subject, &loaded.people));
            None
        } else if wanted.is_empty() {
            if others.len() == 1 {
                Some(others[0])
            } else {
                errors.add("receiver", format!("choose who to thank: {}", handles(&others)));
                None
            }
        } else {
            let found = others.iter().find(|p| p.handle.to_lowercase() == wanted).copied();
            if found.is_none() {
                errors.add(
                    "receiver",
                    format!("'{wanted}' is not among those you can thank for this: {}", handles(&others)),
                );
            }
            found
        };
        let category = if input.contribution.trim().is_empty() {
            Some(loaded.suggested)
        } else {
            errors.check("contribution", KudosCategory::parse(&input.contribution.to_lowercase()))
        };
        let skill = match input.skill.trim() {
            "" => None,
            typed => {
                let key = copse_domain::skill_key(typed);
                match self.store().resolve_skill_term(&key).await? {
                    Some(skill) => Some(skill),
                    None => {
                        let close = close_terms(&key, &self.store().list_skill_terms().await?);
                        let hint = if close.is_empty() {
                            "no term of the vocabulary is close; leave it empty or ask a facilitator to add it"
                                .to_string()
                        } else {
                            format!("close terms: {}", close.join(", "))
                        };
                        errors.add("skill", format!("'{typed}' is not in the skills vocabulary; {hint}"));
                        None
                    }
                }
            }
        };
        let message = errors.check("message", parse_message(&input.message));
        errors.clone().finish()?;
        let (Some(receiver), Some(category), Some(message)) = (receiver, category, message) else {
            return Err(AppError::Invalid(errors));
        };
        let community = loaded.row.community_id.map(CommunityId);
        let link = match &loaded.row.community_slug {
            Some(slug) => format!("/communities/{slug}/kudos"),
            None => "/kudos".to_string(),
        };
        let notification = format!("{} thanked you for {}: “{}”", viewer.name, loaded.label, excerpt(&message, 120));
        let id = self
            .store()
            .insert_kudos(&NewKudos {
                giver: me,
                receiver: PersonId(receiver.id),
                community,
                subject_kind: subject.kind(),
                subject_id: subject.id(),
                subject_key: subject.key(),
                contribution: category.as_str(),
                skill: skill.as_ref().map(|s| s.id),
                message: &message,
                notification: &notification,
                link: &link,
                at: Timestamp::now(),
            })
            .await
            .map_err(|error| match error {
                copse_store::StoreError::Conflict(_) => AppError::Conflict {
                    field: "receiver",
                    message: format!(
                        "You have already given {} kudos for this; thank them for something else next time.",
                        receiver.name
                    ),
                },
                other => other.into(),
            })?;
        Ok(KudosView {
            id,
            at: Timestamp::now(),
            giver: KudosPerson { id: me, handle: viewer.handle.clone(), name: viewer.name.clone() },
            receiver: KudosPerson {
                id: PersonId(receiver.id),
                handle: receiver.handle.clone(),
                name: receiver.name.clone(),
            },
            community: loaded.row.community_slug.clone().zip(loaded.row.community_name.clone()),
            category,
            skill: skill.map(|s| (s.key, s.name)),
            message,
            subject_kind: subject.kind().to_string(),
            subject_label: loaded.label,
            subject_url: Some(subject.url()),
        })
    }

    /// A page (from 1) of a community's kudos, newest first.
    pub async fn community_kudos(
        &self,
        viewer: &Viewer,
        slug: &str,
        page: i64,
    ) -> Result<CommunityKudosPage, AppError> {
        let me = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let access = crate::communities::access_of(&row);
        let page = page.clamp(1, 10_000);
        let mut rows = self
            .store()
            .list_community_kudos(CommunityId(row.community.id), me, (page - 1) * KUDOS_PER_PAGE, KUDOS_PER_PAGE + 1)
            .await?;
        let has_next = rows.len() as i64 > KUDOS_PER_PAGE;
        rows.truncate(KUDOS_PER_PAGE as usize);
        Ok(CommunityKudosPage {
            community: community_view(&row.community),
            kudos: rows.into_iter().filter(|r| may_see(viewer, r)).map(kudos_view).collect(),
            page,
            has_next,
            can_give: can(&viewer.actor, Action::GiveKudos(&access)),
        })
    }

    /// The recognition part of `person`'s profile, as `viewer` may see it.
    pub async fn profile_recognition(&self, viewer: &Viewer, person: PersonId) -> Result<ProfileRecognition, AppError> {
        let me = viewer.require_person()?;
        let admin = viewer.actor.is_admin();
        let store = self.store();
        let received = store.list_kudos_received(person, me, admin, PROFILE_KUDOS).await?;
        let counts = store.count_kudos_received_by_category(person, me, admin).await?;
        let row: StewardshipRow = store.stewardship(person, me, admin, Timestamp::now()).await?;
        let count_of = |category: KudosCategory| {
            counts.iter().filter(|c| c.contribution == category.as_str()).map(|c| c.count).sum::<i64>()
        };
        Ok(ProfileRecognition {
            received: received.into_iter().filter(|r| may_see(viewer, r)).map(kudos_view).collect(),
            stewardship: Stewardship {
                sessions_facilitated: row.sessions_facilitated,
                versions_written: row.versions_written,
                artifacts_owned: row.artifacts_owned,
                reviews: count_of(KudosCategory::Reviewing),
                mentoring_active: row.mentoring_active,
                mentoring_completed: row.mentoring_completed,
            },
            by_category: KudosCategory::ALL.iter().map(|c| (*c, count_of(*c))).filter(|(_, n)| *n > 0).collect(),
        })
    }

    /// The recognition part of a profile by handle (for the API).
    pub async fn person_recognition(&self, viewer: &Viewer, handle: &str) -> Result<ProfileRecognition, AppError> {
        let me = viewer.require_person()?;
        let row =
            self.store().find_person_by_handle(&handle.to_lowercase()).await?.ok_or(AppError::NotFound("person"))?;
        if PersonId(row.id) != me && !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::NotFound("person"));
        }
        self.profile_recognition(viewer, PersonId(row.id)).await
    }

    /// The viewer's own kudos, received and given (the latest of each).
    pub async fn my_kudos(&self, viewer: &Viewer) -> Result<MyKudosPage, AppError> {
        let me = viewer.require_person()?;
        let filter = KudosExportFilter {
            person: Some(me),
            from: Timestamp(i64::MIN / 2),
            to: Timestamp(i64::MAX / 2),
            limit: 100_000,
        };
        let rows = self.store().list_kudos_for_export(me, &filter).await?;
        let mut received = Vec::new();
        let mut given = Vec::new();
        for row in rows.into_iter().rev() {
            if PersonId(row.receiver_id) == me && received.len() < 50 {
                received.push(kudos_view(row));
            } else if PersonId(row.giver_id) == me && given.len() < 50 {
                given.push(kudos_view(row));
            }
        }
        Ok(MyKudosPage { received, given, is_admin: viewer.actor.is_admin() })
    }

    /// Kudos for an export, per person and period. Admins may export anyone
    /// or everyone; everybody else exports exactly their own kudos (given and
    /// received), whatever `person` says, with the receiver's e-mail address
    /// only on the kudos they received.
    pub async fn export_kudos(&self, viewer: &Viewer, query: &KudosExportQuery) -> Result<KudosExport, AppError> {
        let me = viewer.require_person()?;
        let mut errors = copse_domain::FieldErrors::new();
        let from = parse_day(&query.from, "from", &mut errors);
        let to = parse_day(&query.to, "to", &mut errors);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.add("to", format!("the period ends ({t}) before it starts ({f})"));
        }
        errors.finish()?;
        let (person, handle) = if viewer.actor.is_admin() {
            match query.person.trim().trim_start_matches('@') {
                "" => (None, None),
                handle => {
                    let row = self
                        .store()
                        .find_person_by_handle(&handle.to_lowercase())
                        .await?
                        .ok_or_else(|| AppError::invalid("person", format!("nobody has the handle '{handle}'")))?;
                    (Some(PersonId(row.id)), Some(row.handle))
                }
            }
        } else {
            (Some(me), Some(viewer.handle.clone()))
        };
        let filter = KudosExportFilter {
            person,
            from: from.map_or(Timestamp(i64::MIN / 2), day_start),
            to: to.map_or(Timestamp(i64::MAX / 2), |d| day_start(d + chrono::Duration::days(1))),
            limit: MAX_EXPORT_ROWS,
        };
        let rows = self.store().list_kudos_for_export(me, &filter).await?;
        let admin = viewer.actor.is_admin();
        Ok(KudosExport {
            person: handle,
            from,
            to,
            rows: rows
                .into_iter()
                .map(|r| KudosExportRow {
                    subject_url: subject_url(&r.subject_kind, r.subject_id, &r.subject_key),
                    id: r.id,
                    given_at: Timestamp(r.created_at),
                    giver_handle: r.giver_handle,
                    giver_name: r.giver_name,
                    receiver_handle: r.receiver_handle,
                    receiver_name: r.receiver_name,
                    // E-mail addresses are shown nowhere else: only admins
                    // (who feed HR systems) and the receiver get them.
                    receiver_email: if admin || PersonId(r.receiver_id) == me {
                        r.receiver_email
                    } else {
                        String::new()
                    },
                    community: r.community_slug.unwrap_or_default(),
                    contribution: r.contribution,
                    subject_type: r.subject_kind,
                    skill: r.skill_key.unwrap_or_default(),
                    message: r.message,
                })
                .collect(),
        })
    }
}

/// "5 Mar 2026" from an occurrence key ("2026-03-05T18:00"), the day in the
/// organizer's zone.
fn session_day(key: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(key, "%Y-%m-%dT%H:%M")
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_else(|_| key.to_string())
}

fn handles(people: &[&KudosPersonRow]) -> String {
    people.iter().map(|p| p.handle.as_str()).collect::<Vec<_>>().join(", ")
}

fn nobody_reason(subject: &KudosSubject, people: &[KudosPersonRow]) -> &'static str {
    match subject {
        KudosSubject::Event { .. } if people.is_empty() => "nobody is recorded as facilitating this session",
        KudosSubject::Post(_) if people.is_empty() => "its author is no longer here",
        _ => "this is your own contribution: kudos thank someone else",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_terms_suggest_typos_and_parts() {
        let terms = vec![
            ("kubernetes".to_string(), "Kubernetes".to_string(), String::new()),
            ("kubernetes".to_string(), "Kubernetes".to_string(), "k8s".to_string()),
            ("rust".to_string(), "Rust".to_string(), String::new()),
            ("machine-learning".to_string(), "Machine learning".to_string(), String::new()),
        ];
        assert_eq!(close_terms("kubernets", &terms), vec!["Kubernetes"]);
        assert_eq!(close_terms("rsut", &terms), vec!["Rust"]);
        assert_eq!(close_terms("machine", &terms), vec!["Machine learning"]);
        assert!(close_terms("cobol", &terms).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn messages_are_bounded() {
        assert!(parse_message("  ").is_err());
        assert!(parse_message("ok").is_err());
        assert_eq!(parse_message(" Thanks! ").unwrap(), "Thanks!");
        assert!(parse_message(&"x".repeat(501)).is_err());
        assert!(parse_message(&"é".repeat(500)).is_ok());
    }

    #[test]
    fn a_subject_is_exactly_one_thing() {
        assert_eq!(KudosSubject::from_fields(Some(3), None, None, None, None).unwrap(), KudosSubject::Post(3));
        assert!(KudosSubject::from_fields(Some(3), Some(4), None, None, None).is_err());
        assert!(KudosSubject::from_fields(None, None, None, None, None).is_err());
        assert!(KudosSubject::from_fields(None, None, Some(5), None, None).is_err(), "an event needs its key");
        let event = KudosSubject::from_fields(None, None, Some(5), Some("2026-10-01T18:00"), None).unwrap();
        assert_eq!(event.url(), "/events/5/2026-10-01T18:00");
    }
}
