//! Use cases for mentoring: offers to mentor, requests for a mentor, matching
//! (one request at once, or every open request for coordinators), and
//! pairings through their lifecycle (proposed, active, completed or ended,
//! declined) with check-ins.
//!
//! Who may do what: members (not guests) offer and ask
//! (`SeekOrOfferMentoring`); admins and facilitators coordinate matching
//! across the organization (`CoordinatePeople`). A pairing is seen by its
//! mentor, its mentee and admins, and once it has started (active, completed
//! or ended) by those who may see its community, if it belongs to one; a
//! proposal stays between the two people. Everyone else is told "not found".
//! Only the two people answer, check in and close a pairing. A request's goals
//! are read by the asker, the proposed mentor and coordinators; offers (skills
//! and places left) by members who may browse people.
//!
//! Matching builds [`copse_insight::matching`] profiles from the database: a
//! mentor's free places are capacity minus active and proposed pairings, the
//! level of each offered skill is the mentor's declared level (practitioner
//! when undeclared), people away are left out, and working hours become a UTC
//! window for today from each profile's zone. The store re-checks capacity in
//! the transaction that writes each proposal, so a mentor at capacity is never
//! proposed, even with several processes. Pairs already declined for a
//! request are not proposed again.

use std::collections::{HashMap, HashSet};

use chrono::{Offset, TimeZone as _};
use copse_domain::{
    Action, CommunityAccess, CommunityId, FieldErrors, MembershipStatus, PersonId, SkillLevel, TimeZone, Timestamp,
    Visibility, WorkingHours, can, parse_list, parse_text, skill_key,
};
use copse_insight::matching::{MatchOptions, MenteeProfile, MentorProfile, PairProposal, Unmatched, match_mentors};
use copse_store::{
    Acceptance, InterestRow, MenteeRequestRow, MentorOfferWrite, MentoringSkillRow, MentorshipCheckinRow,
    MentorshipNotice, MentorshipRow, MentorshipSide, NewMenteeRequest, NewProposal, StoreError,
};

use crate::communities::membership_of;
use crate::{App, AppError, Viewer};

/// Most people one mentor takes on at once.
pub const MAX_CAPACITY: i64 = 5;
/// Most skills one offer names.
pub const MAX_OFFERED_SKILLS: usize = 10;
/// Most skills one request names.
pub const MAX_WANTED_SKILLS: usize = 5;
pub const MAX_GOALS: usize = 1000;
pub const MAX_OFFER_NOTE: usize = 500;
pub const MAX_CHECKIN_NOTE: usize = 2000;
pub const MAX_OUTCOME: usize = 2000;
/// Mentors listed on one page of offers.
pub const OFFERS_PER_PAGE: usize = 12;
/// What a person is told when matching finds nobody for their request.
pub const NO_MATCH_MESSAGE: &str = "No mentor with free capacity offers these skills with enough shared working \
     time yet; your request stays open and matching runs again when mentors offer.";
const LINK_PREFIX: &str = "/mentoring/";

copse_domain::word_enum!(
    /// Where a pairing is in its life.
    MentorshipStatus {
        Proposed = "proposed" / "Proposed",
        Active = "active" / "Active",
        Completed = "completed" / "Completed",
        Ended = "ended" / "Ended",
        Declined = "declined" / "Declined",
    }
);

impl MentorshipStatus {
    /// Started at some point (what a community may see).
    pub fn has_started(self) -> bool {
        matches!(self, MentorshipStatus::Active | MentorshipStatus::Completed | MentorshipStatus::Ended)
    }
}

/// A person as mentoring pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentoringPerson {
    pub id: PersonId,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
}

/// A skill offered or wanted: its canonical key, the name to show and (for
/// offers) the mentor's declared level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentoringSkill {
    pub key: String,
    pub name: String,
    pub level: Option<SkillLevel>,
}

impl From<&MentoringSkillRow> for MentoringSkill {
    fn from(row: &MentoringSkillRow) -> Self {
        Self {
            key: row.skill_key.clone(),
            name: row.name.clone(),
            level: row.level.as_deref().and_then(|l| SkillLevel::parse(l).ok()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentoringCommunity {
    pub slug: String,
    pub name: String,
}

fn community_of(slug: Option<&str>, name: Option<&str>) -> Option<MentoringCommunity> {
    Some(MentoringCommunity { slug: slug?.to_string(), name: name?.to_string() })
}

/// The viewer's own offer.
#[derive(Debug, Clone)]
pub struct MentorOfferView {
    pub skills: Vec<MentoringSkill>,
    pub capacity: i64,
    /// Proposed and active pairings as mentor.
    pub taken: i64,
    pub note: String,
    /// False while paused.
    pub active: bool,
    pub updated_at: Timestamp,
}

impl MentorOfferView {
    pub fn free(&self) -> i64 {
        (self.capacity - self.taken).max(0)
    }
}

/// Someone's offer as others see it.
#[derive(Debug, Clone)]
pub struct MentorOfferSummary {
    pub mentor: MentoringPerson,
    pub time_zone: String,
    pub skills: Vec<MentoringSkill>,
    pub capacity: i64,
    pub free: i64,
    pub note: String,
}

/// A request for a mentor, as its asker sees it.
#[derive(Debug, Clone)]
pub struct MenteeRequestView {
    pub id: i64,
    pub goals: String,
    pub skills: Vec<MentoringSkill>,
    pub community: Option<MentoringCommunity>,
    pub created_at: Timestamp,
    /// The pairing proposed for it and not yet answered, if any.
    pub proposal: Option<i64>,
}

/// Which side of a pairing the viewer is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentoringRole {
    Mentor,
    Mentee,
}

/// A pairing as the viewer may see it.
#[derive(Debug, Clone)]
pub struct MentorshipView {
    pub id: i64,
    pub mentor: MentoringPerson,
    pub mentee: MentoringPerson,
    pub status: MentorshipStatus,
    /// The matcher's score, hundredths.
    pub score: i64,
    /// Why this match, in words.
    pub reasons: Vec<String>,
    pub community: Option<MentoringCommunity>,
    /// The request's goals, for those who may read them.
    pub goals: Option<String>,
    pub proposed_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// The outcome note (completed) or the reason (ended).
    pub outcome: String,
    pub mentor_accepted: bool,
    pub mentee_accepted: bool,
    pub viewer_role: Option<MentoringRole>,
}

impl MentorshipView {
    /// A proposal the viewer has still to answer.
    pub fn awaits_viewer(&self) -> bool {
        self.status == MentorshipStatus::Proposed
            && match self.viewer_role {
                Some(MentoringRole::Mentor) => !self.mentor_accepted,
                Some(MentoringRole::Mentee) => !self.mentee_accepted,
                None => false,
            }
    }

    /// The person on the other side from the viewer (the mentee for others).
    pub fn other(&self) -> &MentoringPerson {
        if self.viewer_role == Some(MentoringRole::Mentee) { &self.mentor } else { &self.mentee }
    }
}

#[derive(Debug, Clone)]
pub struct MentorshipCheckinView {
    pub id: i64,
    /// (handle, name); `None` when the author's account is gone.
    pub author: Option<(String, String)>,
    pub note: String,
    pub at: Timestamp,
}

/// One pairing's page.
#[derive(Debug, Clone)]
pub struct MentorshipPage {
    pub pairing: MentorshipView,
    /// The skills the request asked for (when the goals are visible).
    pub wanted_skills: Vec<MentoringSkill>,
    pub checkins: Vec<MentorshipCheckinView>,
    /// The viewer may accept or decline (a proposal they have not answered).
    pub can_answer: bool,
    /// The viewer may check in, complete or end (a party of an active pairing).
    pub can_work: bool,
}

/// The viewer's mentoring: their offer, their request, proposals, pairings.
#[derive(Debug, Clone)]
pub struct MentoringPage {
    pub offer: Option<MentorOfferView>,
    pub request: Option<MenteeRequestView>,
    /// Proposals the viewer has still to answer.
    pub waiting_for_you: Vec<MentorshipView>,
    /// Proposals the viewer accepted, waiting for the other side.
    pub waiting_for_other: Vec<MentorshipView>,
    pub active: Vec<MentorshipView>,
    /// Completed and ended pairings.
    pub past: Vec<MentorshipView>,
    /// The viewer's communities, for a request's optional context.
    pub communities: Vec<MentoringCommunity>,
    /// The viewer's time zone and working hours (from the profile), which
    /// matching uses.
    pub time_zone: String,
    pub working_hours: WorkingHours,
    pub is_coordinator: bool,
}

/// A person's mentoring on their profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileMentoring {
    /// Shown at all (the viewer may browse people, or it is their own).
    pub visible: bool,
    /// Their active offer.
    pub offer: Option<MentorOfferSummary>,
    /// Their started pairings the viewer may see.
    pub pairings: Vec<MentorshipView>,
}

/// The offer form as typed.
#[derive(Debug, Clone, Default)]
pub struct MentorOfferInput {
    /// "Rust, Kubernetes"
    pub skills: String,
    pub capacity: String,
    pub note: String,
    /// Active (`true`) or paused; `None` keeps the offer as it is (a new
    /// offer is active).
    pub active: Option<bool>,
}

/// The request form as typed.
#[derive(Debug, Clone, Default)]
pub struct MentorRequestInput {
    pub goals: String,
    /// "Rust, Kubernetes"
    pub skills: String,
    /// One of the asker's communities by slug, or empty.
    pub community: String,
}

/// What asking for a mentor did.
#[derive(Debug, Clone)]
pub struct MentorRequestOutcome {
    pub request: MenteeRequestView,
    /// The pairing proposed at once, if matching found one.
    pub proposal: Option<MentorshipView>,
    /// What to tell the asker in words.
    pub message: String,
}

/// One pair in a matching preview.
#[derive(Debug, Clone)]
pub struct PreviewPair {
    pub request_id: i64,
    pub mentor: MentoringPerson,
    pub mentee: MentoringPerson,
    pub wanted: Vec<MentoringSkill>,
    pub goals: String,
    pub score: i64,
    pub reasons: Vec<String>,
}

/// A request the preview found nobody for, and why.
#[derive(Debug, Clone)]
pub struct PreviewUnmatched {
    pub request_id: i64,
    pub mentee: MentoringPerson,
    pub wanted: Vec<MentoringSkill>,
    pub goals: String,
    pub reason: String,
}

/// The whole assignment matching would propose now.
#[derive(Debug, Clone)]
pub struct MatchPreview {
    pub pairs: Vec<PreviewPair>,
    pub unmatched: Vec<PreviewUnmatched>,
    /// Open requests without a proposal.
    pub open_requests: usize,
    /// Mentors with at least one free place.
    pub mentors_with_capacity: usize,
    pub free_places: u64,
    /// Pairings across the organization by status (proposed, active, ...).
    pub pairings_by_status: Vec<(MentorshipStatus, i64)>,
}

/// What a matching run proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchRun {
    pub proposed: usize,
    /// Pairs not written because capacity or the request changed meanwhile.
    pub skipped: usize,
    pub unmatched: usize,
}

struct ParsedOffer {
    skills: Vec<(String, String)>,
    capacity: i64,
    note: String,
}

struct ParsedRequest {
    goals: String,
    skills: Vec<(String, String)>,
    community: Option<(CommunityId, MentoringCommunity)>,
}

/// (key, name) pairs from a typed list, one per key.
fn parse_skills(text: &str, max: usize) -> Result<Vec<(String, String)>, String> {
    let mut skills: Vec<(String, String)> = Vec::new();
    for name in parse_list(text, "skill", max, 60)? {
        let key = skill_key(&name);
        if !key.is_empty() && !skills.iter().any(|(k, _)| *k == key) {
            skills.push((key, name));
        }
    }
    if skills.is_empty() {
        return Err(format!("name at least one skill (up to {max}), separated by commas"));
    }
    Ok(skills)
}

fn parse_capacity(text: &str) -> Result<i64, String> {
    let message =
        format!("capacity is how many people you can mentor at once: a whole number from 1 to {MAX_CAPACITY}");
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("{message}; it is required"));
    }
    match trimmed.parse::<i64>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(n),
        _ => Err(message),
    }
}

fn parse_offer(input: &MentorOfferInput) -> Result<ParsedOffer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let skills = errors.check("skills", parse_skills(&input.skills, MAX_OFFERED_SKILLS));
    let capacity = errors.check("capacity", parse_capacity(&input.capacity));
    let note = errors.check("note", parse_text(&input.note, "The note", MAX_OFFER_NOTE));
    errors.finish()?;
    Ok(ParsedOffer {
        skills: skills.unwrap_or_default(),
        capacity: capacity.unwrap_or(1),
        note: note.unwrap_or_default(),
    })
}

fn parse_required(text: &str, what: &str, max: usize) -> Result<String, String> {
    let value = parse_text(text, what, max)?;
    if value.is_empty() {
        return Err(format!("{what} is required"));
    }
    Ok(value)
}

fn side_of(role: MentoringRole) -> MentorshipSide {
    match role {
        MentoringRole::Mentor => MentorshipSide::Mentor,
        MentoringRole::Mentee => MentorshipSide::Mentee,
    }
}

fn status_of(text: &str) -> MentorshipStatus {
    MentorshipStatus::parse(text).unwrap_or(MentorshipStatus::Ended)
}

/// A working day in the profile's zone as minutes after UTC midnight today:
/// the start folded into one day, the end after it (past 1440 when it wraps).
pub fn work_window_utc(zone: &str, start_minute: i64, end_minute: i64, now: Timestamp) -> (i32, i32) {
    let zone = TimeZone::parse(zone).unwrap_or_else(|_| TimeZone::utc());
    let offset = zone.0.offset_from_utc_datetime(&now.to_utc().naive_utc()).fix().local_minus_utc() / 60;
    let hours = WorkingHours::from_minutes(start_minute, end_minute);
    let (start, end) = (i32::from(hours.start_minute), i32::from(hours.end_minute));
    let length = if end > start { end - start } else { end + 24 * 60 - start };
    let utc_start = (start - offset).rem_euclid(24 * 60);
    (utc_start, utc_start + length)
}

fn unmatched_text(reason: Unmatched) -> &'static str {
    match reason {
        Unmatched::NoCompatibleMentor => {
            "No mentor with free capacity offers these skills with enough shared working time."
        }
        Unmatched::CapacityTaken => "Compatible mentors' places went to better-matching requests in this round.",
    }
}

/// What matching works from: mentors with free places and unpaired open
/// requests (those whose asker is away are set aside).
struct Pool {
    mentors: Vec<MentorProfile>,
    mentor_people: HashMap<i64, MentoringPerson>,
    requests: Vec<MenteeRequestRow>,
    mentees: Vec<MenteeProfile>,
    wanted: HashMap<i64, Vec<MentoringSkill>>,
    away: Vec<MenteeRequestRow>,
    /// (request, mentor) already declined.
    declined: HashSet<(i64, i64)>,
}

/// Pairs (index into the pool's requests, proposal) and the unmatched.
struct Plan {
    pairs: Vec<(usize, PairProposal)>,
    unmatched: Vec<(usize, Unmatched)>,
}

fn group_interests(rows: Vec<InterestRow>) -> HashMap<i64, Vec<String>> {
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        map.entry(row.person_id).or_default().push(row.interest.trim().to_lowercase());
    }
    map
}

fn group_skills(rows: &[MentoringSkillRow]) -> HashMap<i64, Vec<MentoringSkill>> {
    let mut map: HashMap<i64, Vec<MentoringSkill>> = HashMap::new();
    for row in rows {
        map.entry(row.owner_id).or_default().push(MentoringSkill::from(row));
    }
    map
}

/// The matcher names skills by key ("offers machine-learning (expert)");
/// say them as the asker wrote them.
fn reasons_in_words(reasons: &[String], wanted: &[MentoringSkill]) -> Vec<String> {
    reasons
        .iter()
        .map(|reason| {
            wanted
                .iter()
                .find_map(|s| reason.strip_prefix(&format!("offers {} (", s.key)).map(|rest| (s, rest)))
                .map_or_else(|| reason.clone(), |(s, rest)| format!("offers {} ({rest}", s.name))
        })
        .collect()
}

fn request_person(row: &MenteeRequestRow) -> MentoringPerson {
    MentoringPerson {
        id: PersonId(row.person_id),
        handle: row.handle.clone(),
        name: row.name.clone(),
        team: row.team.clone(),
        location: row.location.clone(),
    }
}

/// The best assignment for the pool, leaving out declined pairs: a mentee
/// whose best pair was declined before is matched again on its own against
/// the places left.
fn plan(pool: &Pool, options: &MatchOptions) -> Plan {
    let outcome = match_mentors(&pool.mentors, &pool.mentees, options);
    let index: HashMap<i64, usize> = pool.mentees.iter().enumerate().map(|(i, m)| (m.person_id, i)).collect();
    let mut free: HashMap<i64, u32> = pool.mentors.iter().map(|m| (m.person_id, m.free_slots)).collect();
    let mut pairs = Vec::new();
    let mut retry = Vec::new();
    let mut unmatched = Vec::new();
    for pair in outcome.pairs {
        let Some(&i) = index.get(&pair.mentee_id) else { continue };
        let slots = free.get(&pair.mentor_id).copied().unwrap_or(0);
        if pool.declined.contains(&(pool.requests[i].id, pair.mentor_id)) || slots == 0 {
            retry.push(i);
        } else {
            free.insert(pair.mentor_id, slots - 1);
            pairs.push((i, pair));
        }
    }
    for (person, reason) in outcome.unmatched {
        if let Some(&i) = index.get(&person) {
            unmatched.push((i, reason));
        }
    }
    for i in retry {
        let request = pool.requests[i].id;
        let mentors: Vec<MentorProfile> = pool
            .mentors
            .iter()
            .filter(|m| !pool.declined.contains(&(request, m.person_id)))
            .filter_map(|m| {
                let slots = free.get(&m.person_id).copied().unwrap_or(0);
                (slots > 0).then(|| MentorProfile { free_slots: slots, ..m.clone() })
            })
            .collect();
        let single = match_mentors(&mentors, std::slice::from_ref(&pool.mentees[i]), options);
        match single.pairs.into_iter().next() {
            Some(pair) => {
                if let Some(slots) = free.get_mut(&pair.mentor_id) {
                    *slots = slots.saturating_sub(1);
                }
                pairs.push((i, pair));
            }
            None => unmatched.push((i, single.unmatched.first().map_or(Unmatched::NoCompatibleMentor, |u| u.1))),
        }
    }
    pairs.sort_by_key(|(i, _)| *i);
    unmatched.sort_by_key(|(i, _)| *i);
    Plan { pairs, unmatched }
}

/// Who the viewer is to a pairing.
enum Standing {
    Party(MentoringRole),
    Observer,
}

impl App {
    fn require_mentoring(&self, viewer: &Viewer) -> Result<PersonId, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::SeekOrOfferMentoring) {
            return Err(AppError::Forbidden("mentoring is for members of the organization"));
        }
        Ok(me)
    }

    /// Whether the viewer coordinates people (admins and facilitators).
    pub async fn is_mentoring_coordinator(&self, viewer: &Viewer) -> Result<bool, AppError> {
        let Some(me) = viewer.person() else { return Ok(false) };
        let facilitates_somewhere =
            viewer.actor.is_admin() || self.store().mentoring_is_facilitator_anywhere(me).await?;
        Ok(can(&viewer.actor, Action::CoordinatePeople { facilitates_somewhere }))
    }

    fn standing(&self, viewer: &Viewer, row: &MentorshipRow) -> Option<Standing> {
        let me = viewer.person()?;
        if me.0 == row.mentor_id {
            return Some(Standing::Party(MentoringRole::Mentor));
        }
        if me.0 == row.mentee_id {
            return Some(Standing::Party(MentoringRole::Mentee));
        }
        if viewer.actor.is_admin() {
            return Some(Standing::Observer);
        }
        if !status_of(&row.status).has_started() {
            return None;
        }
        let visibility = row.community_visibility.as_deref()?;
        let access = CommunityAccess {
            visibility: Visibility::parse(visibility).unwrap_or(Visibility::Private),
            membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
        };
        can(&viewer.actor, Action::ViewCommunity(&access)).then_some(Standing::Observer)
    }

    fn mentorship_view(row: &MentorshipRow, role: Option<MentoringRole>, goals_visible: bool) -> MentorshipView {
        MentorshipView {
            id: row.id,
            mentor: MentoringPerson {
                id: PersonId(row.mentor_id),
                handle: row.mentor_handle.clone(),
                name: row.mentor_name.clone(),
                team: row.mentor_team.clone(),
                location: row.mentor_location.clone(),
            },
            mentee: MentoringPerson {
                id: PersonId(row.mentee_id),
                handle: row.mentee_handle.clone(),
                name: row.mentee_name.clone(),
                team: row.mentee_team.clone(),
                location: row.mentee_location.clone(),
            },
            status: status_of(&row.status),
            score: row.score,
            reasons: row.reasons.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
            community: community_of(row.community_slug.as_deref(), row.community_name.as_deref()),
            goals: if goals_visible { row.goals.clone() } else { None },
            proposed_at: Timestamp(row.proposed_at),
            started_at: row.started_at.map(Timestamp),
            ended_at: row.ended_at.map(Timestamp),
            outcome: row.outcome.clone(),
            mentor_accepted: row.mentor_accepted_at.is_some(),
            mentee_accepted: row.mentee_accepted_at.is_some(),
            viewer_role: role,
        }
    }

    /// A pairing the viewer may see, with their standing; `NotFound` otherwise.
    async fn locate_mentorship(&self, viewer: &Viewer, id: i64) -> Result<(MentorshipRow, Standing), AppError> {
        viewer.require_person()?;
        let row = self.store().find_mentorship(id, viewer.person()).await?.ok_or(AppError::NotFound("mentorship"))?;
        let standing = self.standing(viewer, &row).ok_or(AppError::NotFound("mentorship"))?;
        Ok((row, standing))
    }

    /// The viewer's part in a pairing they act on: only its two people.
    async fn party_of(&self, viewer: &Viewer, id: i64) -> Result<(MentorshipRow, MentoringRole), AppError> {
        let (row, standing) = self.locate_mentorship(viewer, id).await?;
        match standing {
            Standing::Party(role) => Ok((row, role)),
            Standing::Observer => Err(AppError::Forbidden("only the mentor and the mentee act on a mentorship")),
        }
    }

    async fn offer_view(&self, person: PersonId) -> Result<Option<MentorOfferView>, AppError> {
        let Some(row) = self.store().find_mentor_offer(person).await? else { return Ok(None) };
        let skills = self.store().list_mentor_offer_skills(person).await?;
        Ok(Some(MentorOfferView {
            skills: skills.iter().map(MentoringSkill::from).collect(),
            capacity: row.capacity,
            taken: row.load,
            note: row.note,
            active: row.active != 0,
            updated_at: Timestamp(row.updated_at),
        }))
    }

    async fn request_view(&self, row: &MenteeRequestRow) -> Result<MenteeRequestView, AppError> {
        let skills = self.store().list_mentee_request_skills(row.id).await?;
        let proposal = self
            .store()
            .list_person_mentorships(PersonId(row.person_id), None)
            .await?
            .into_iter()
            .find(|m| m.request_id == Some(row.id) && m.status == "proposed")
            .map(|m| m.id);
        Ok(MenteeRequestView {
            id: row.id,
            goals: row.goals.clone(),
            skills: skills.iter().map(MentoringSkill::from).collect(),
            community: community_of(row.community_slug.as_deref(), row.community_name.as_deref()),
            created_at: Timestamp(row.created_at),
            proposal,
        })
    }

    // --- the overview ---------------------------------------------------------

    /// The viewer's mentoring page.
    pub async fn mentoring_page(&self, viewer: &Viewer) -> Result<MentoringPage, AppError> {
        let me = self.require_mentoring(viewer)?;
        let store = self.store();
        let person = store.get_person(me).await?;
        let offer = self.offer_view(me).await?;
        let request = match store.find_open_mentee_request(me).await? {
            Some(row) => Some(self.request_view(&row).await?),
            None => None,
        };
        let mut page = MentoringPage {
            offer,
            request,
            waiting_for_you: Vec::new(),
            waiting_for_other: Vec::new(),
            active: Vec::new(),
            past: Vec::new(),
            communities: Vec::new(),
            time_zone: person.time_zone.clone(),
            working_hours: WorkingHours::from_minutes(person.work_start_minute, person.work_end_minute),
            is_coordinator: self.is_mentoring_coordinator(viewer).await?,
        };
        for row in store.list_person_mentorships(me, Some(me)).await? {
            let role = if row.mentor_id == me.0 { MentoringRole::Mentor } else { MentoringRole::Mentee };
            let view = Self::mentorship_view(&row, Some(role), true);
            match view.status {
                MentorshipStatus::Proposed if view.awaits_viewer() => page.waiting_for_you.push(view),
                MentorshipStatus::Proposed => page.waiting_for_other.push(view),
                MentorshipStatus::Active => page.active.push(view),
                MentorshipStatus::Completed | MentorshipStatus::Ended => page.past.push(view),
                MentorshipStatus::Declined => {}
            }
        }
        page.communities = store
            .list_communities_of_person(me)
            .await?
            .into_iter()
            .filter(|c| c.viewer_status.as_deref() == Some(MembershipStatus::Active.as_str()))
            .map(|c| MentoringCommunity { slug: c.community.slug, name: c.community.name })
            .collect();
        Ok(page)
    }

    // --- offers -------------------------------------------------------------

    /// The viewer's own offer, if they made one.
    pub async fn my_mentor_offer(&self, viewer: &Viewer) -> Result<Option<MentorOfferView>, AppError> {
        let me = self.require_mentoring(viewer)?;
        self.offer_view(me).await
    }

    /// Creates or replaces the viewer's offer, then (while it is active) runs
    /// matching for the open requests that want one of its skills. Returns
    /// the offer and how many proposals that made.
    pub async fn save_mentor_offer(
        &self,
        viewer: &Viewer,
        input: &MentorOfferInput,
    ) -> Result<(MentorOfferView, usize), AppError> {
        let me = self.require_mentoring(viewer)?;
        let offer = parse_offer(input)?;
        let existing = self.store().find_mentor_offer(me).await?;
        let taken = existing.as_ref().map_or(0, |o| o.load);
        let active = input.active.unwrap_or_else(|| existing.as_ref().is_none_or(|o| o.active != 0));
        if offer.capacity < taken {
            return Err(AppError::invalid(
                "capacity",
                format!("you already have {taken} active or proposed pairings; capacity cannot be lower than that"),
            ));
        }
        self.store()
            .save_mentor_offer(&MentorOfferWrite {
                person: me,
                capacity: offer.capacity,
                note: &offer.note,
                active,
                skills: &offer.skills,
                at: Timestamp::now(),
            })
            .await?;
        let proposed = if active {
            let keys: HashSet<String> = offer.skills.iter().map(|(k, _)| k.clone()).collect();
            self.run_matching(0, Some(&keys)).await?.proposed
        } else {
            0
        };
        let view = self.offer_view(me).await?.ok_or(AppError::NotFound("offer"))?;
        Ok((view, proposed))
    }

    /// Pauses (no new proposals) or resumes the viewer's offer; resuming runs
    /// matching for the requests that want its skills. Returns proposals made.
    pub async fn set_mentor_offer_active(&self, viewer: &Viewer, active: bool) -> Result<usize, AppError> {
        let me = self.require_mentoring(viewer)?;
        match self.store().set_mentor_offer_active(me, active, Timestamp::now()).await {
            Err(StoreError::NotFound) => return Err(AppError::NotFound("offer")),
            other => other?,
        }
        if !active {
            return Ok(0);
        }
        let keys: HashSet<String> =
            self.store().list_mentor_offer_skills(me).await?.into_iter().map(|s| s.skill_key).collect();
        Ok(self.run_matching(0, Some(&keys)).await?.proposed)
    }

    /// A page of active offers, optionally only those offering a skill
    /// (members who may browse people). Returns the offers and whether more
    /// follow.
    pub async fn mentor_offers(
        &self,
        viewer: &Viewer,
        skill: &str,
        page: u32,
    ) -> Result<(Vec<MentorOfferSummary>, bool), AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::Forbidden("the list of mentors is for members of the organization"));
        }
        let key = skill_key(skill);
        let offset = i64::from(page.min(10_000)) * OFFERS_PER_PAGE as i64;
        let limit = OFFERS_PER_PAGE as i64 + 1;
        let mut rows = self.store().list_mentor_offers(&key, offset, limit).await?;
        let has_next = rows.len() > OFFERS_PER_PAGE;
        rows.truncate(OFFERS_PER_PAGE);
        let skills = group_skills(&self.store().list_mentor_offers_skills(&key, offset, limit).await?);
        let offers = rows
            .into_iter()
            .map(|row| MentorOfferSummary {
                skills: skills.get(&row.person_id).cloned().unwrap_or_default(),
                mentor: MentoringPerson {
                    id: PersonId(row.person_id),
                    handle: row.handle,
                    name: row.name,
                    team: row.team,
                    location: row.location,
                },
                time_zone: row.time_zone,
                capacity: row.capacity,
                free: (row.capacity - row.load).max(0),
                note: row.note,
            })
            .collect();
        Ok((offers, has_next))
    }

    // --- requests -----------------------------------------------------------

    async fn parse_request(&self, me: PersonId, input: &MentorRequestInput) -> Result<ParsedRequest, AppError> {
        let mut errors = FieldErrors::new();
        let goals = errors.check("goals", parse_required(&input.goals, "Goals", MAX_GOALS));
        let skills = errors.check("skills", parse_skills(&input.skills, MAX_WANTED_SKILLS));
        let slug = input.community.trim();
        let mut community = None;
        if !slug.is_empty() {
            let mine = self.store().list_communities_of_person(me).await?;
            match mine.into_iter().find(|c| {
                c.community.slug == slug && c.viewer_status.as_deref() == Some(MembershipStatus::Active.as_str())
            }) {
                Some(c) => {
                    community = Some((
                        CommunityId(c.community.id),
                        MentoringCommunity { slug: c.community.slug, name: c.community.name },
                    ))
                }
                None => errors.add("community", "choose one of your own communities, or none"),
            }
        }
        errors.finish()?;
        Ok(ParsedRequest { goals: goals.unwrap_or_default(), skills: skills.unwrap_or_default(), community })
    }

    /// Asks for a mentor and runs matching for this request at once: the
    /// best mentor with a free place is proposed, or the asker is told that
    /// nobody fits yet and the request stays open.
    pub async fn request_mentor(
        &self,
        viewer: &Viewer,
        input: &MentorRequestInput,
    ) -> Result<MentorRequestOutcome, AppError> {
        let me = self.require_mentoring(viewer)?;
        let parsed = self.parse_request(me, input).await?;
        if self.store().find_open_mentee_request(me).await?.is_some() {
            return Err(open_request_conflict());
        }
        let id = match self
            .store()
            .insert_mentee_request(&NewMenteeRequest {
                person: me,
                goals: &parsed.goals,
                community: parsed.community.as_ref().map(|(id, _)| *id),
                skills: &parsed.skills,
                at: Timestamp::now(),
            })
            .await
        {
            Err(StoreError::Conflict(_)) => return Err(open_request_conflict()),
            other => other?,
        };
        // A proposal lost to a race (the mentor's last place taken by another
        // process) is retried against what is left.
        let mut message = NO_MATCH_MESSAGE.to_string();
        let mut proposal = None;
        for _ in 0..3 {
            let pool = self.matching_pool(id, None).await?;
            if let Some(away) = pool.away.first() {
                let until = away.away_until.map(Timestamp).unwrap_or(Timestamp::now());
                message = format!(
                    "You are marked away until {}; your request stays open and matching proposes a mentor once \
                     you are back.",
                    until.to_utc().format("%-d %B %Y")
                );
                break;
            }
            if pool.requests.is_empty() {
                break;
            }
            let plan = plan(&pool, &MatchOptions::default());
            let Some((i, pair)) = plan.pairs.first() else { break };
            if let Some(pairing) = self.write_proposal(&pool, *i, pair).await? {
                let row =
                    self.store().find_mentorship(pairing, Some(me)).await?.ok_or(AppError::NotFound("mentorship"))?;
                proposal = Some(Self::mentorship_view(&row, Some(MentoringRole::Mentee), true));
                message = format!(
                    "{} is proposed as your mentor. Accept below to start; the pairing begins when you both accept.",
                    row.mentor_name
                );
                break;
            }
        }
        let row = self.store().find_open_mentee_request(me).await?.ok_or(AppError::NotFound("request"))?;
        Ok(MentorRequestOutcome { request: self.request_view(&row).await?, proposal, message })
    }

    /// The viewer's open request, if any.
    pub async fn my_mentor_request(&self, viewer: &Viewer) -> Result<Option<MenteeRequestView>, AppError> {
        let me = self.require_mentoring(viewer)?;
        match self.store().find_open_mentee_request(me).await? {
            Some(row) => Ok(Some(self.request_view(&row).await?)),
            None => Ok(None),
        }
    }

    /// Withdraws the viewer's open request (and its unanswered proposal).
    pub async fn withdraw_mentor_request(&self, viewer: &Viewer) -> Result<(), AppError> {
        let me = self.require_mentoring(viewer)?;
        let message = format!("{} withdrew their request for a mentor; the proposal is closed.", viewer.name);
        let notice = MentorshipNotice { message: &message, link: LINK_PREFIX };
        match self.store().withdraw_mentee_request(me, notice, Timestamp::now()).await {
            Err(StoreError::NotFound) => Err(AppError::NotFound("open request")),
            other => Ok(other?),
        }
    }

    // --- matching -----------------------------------------------------------

    /// Loads the pool: every unpaired open request (or only `request` when
    /// not 0; or only those wanting one of `keys`) and every mentor with a
    /// free place who is not away.
    async fn matching_pool(&self, request: i64, keys: Option<&HashSet<String>>) -> Result<Pool, AppError> {
        let store = self.store();
        let now = Timestamp::now();
        let candidates = store.list_mentor_candidates(now).await?;
        let offer_skills = group_skills(&store.list_active_offer_skills().await?);
        let mentor_interests = group_interests(store.list_mentor_interests().await?);
        let mut mentors = Vec::new();
        let mut mentor_people = HashMap::new();
        for c in candidates {
            let free = (c.capacity - c.load).max(0);
            if free == 0 {
                continue;
            }
            mentors.push(MentorProfile {
                person_id: c.person_id,
                team: c.team.clone(),
                location: c.location.clone(),
                work_utc: work_window_utc(&c.time_zone, c.work_start_minute, c.work_end_minute, now),
                skills: offer_skills
                    .get(&c.person_id)
                    .map(|s| s.iter().map(|s| (s.key.clone(), s.level.unwrap_or(SkillLevel::Practitioner))).collect())
                    .unwrap_or_default(),
                interests: mentor_interests.get(&c.person_id).cloned().unwrap_or_default(),
                free_slots: u32::try_from(free).unwrap_or(0),
            });
            mentor_people.insert(
                c.person_id,
                MentoringPerson {
                    id: PersonId(c.person_id),
                    handle: c.handle,
                    name: c.name,
                    team: c.team,
                    location: c.location,
                },
            );
        }
        let wanted = group_skills(&store.list_open_request_skills(request).await?);
        let mentee_interests = group_interests(store.list_mentee_interests(request).await?);
        let declined: HashSet<(i64, i64)> = store.list_declined_pairs(request).await?.into_iter().collect();
        let mut requests = Vec::new();
        let mut mentees = Vec::new();
        let mut away = Vec::new();
        for row in store.list_unpaired_requests(request).await? {
            let skills: Vec<String> =
                wanted.get(&row.id).map(|s| s.iter().map(|s| s.key.clone()).collect()).unwrap_or_default();
            if let Some(keys) = keys
                && !skills.iter().any(|s| keys.contains(s))
            {
                continue;
            }
            if row.away_until.is_some_and(|until| until > now.millis()) {
                away.push(row);
                continue;
            }
            mentees.push(MenteeProfile {
                person_id: row.person_id,
                team: row.team.clone(),
                location: row.location.clone(),
                work_utc: work_window_utc(&row.time_zone, row.work_start_minute, row.work_end_minute, now),
                wanted_skills: skills,
                interests: mentee_interests.get(&row.person_id).cloned().unwrap_or_default(),
            });
            requests.push(row);
        }
        Ok(Pool { mentors, mentor_people, requests, mentees, wanted, away, declined })
    }

    /// Writes one planned pair as a proposal (capacity re-checked in the
    /// store's transaction); `None` when it no longer fits.
    async fn write_proposal(&self, pool: &Pool, i: usize, pair: &PairProposal) -> Result<Option<i64>, AppError> {
        let request = &pool.requests[i];
        let mentor_name = pool.mentor_people.get(&pair.mentor_id).map_or("A mentor", |p| p.name.as_str());
        let wanted = pool.wanted.get(&request.id).map(Vec::as_slice).unwrap_or_default();
        let skills: Vec<String> = wanted.iter().map(|s| s.name.clone()).collect();
        let mentor_message = format!(
            "You are proposed as a mentor for {} ({}). Accept or decline on the pairing page.",
            request.name,
            skills.join(", ")
        );
        let mentee_message =
            format!("{mentor_name} is proposed as your mentor. Accept or decline on the pairing page.");
        let reasons = reasons_in_words(&pair.reasons, wanted).join("\n");
        Ok(self
            .store()
            .propose_mentorship(&NewProposal {
                mentor: PersonId(pair.mentor_id),
                mentee: PersonId(request.person_id),
                request: request.id,
                score: pair.score,
                reasons: &reasons,
                mentor_message: &mentor_message,
                mentee_message: &mentee_message,
                link_prefix: LINK_PREFIX,
                at: Timestamp::now(),
            })
            .await?)
    }

    async fn run_matching(&self, request: i64, keys: Option<&HashSet<String>>) -> Result<MatchRun, AppError> {
        let pool = self.matching_pool(request, keys).await?;
        let plan = plan(&pool, &MatchOptions::default());
        let mut run = MatchRun { proposed: 0, skipped: 0, unmatched: plan.unmatched.len() + pool.away.len() };
        for (i, pair) in &plan.pairs {
            match self.write_proposal(&pool, *i, pair).await? {
                Some(_) => run.proposed += 1,
                None => run.skipped += 1,
            }
        }
        Ok(run)
    }

    async fn require_coordinator(&self, viewer: &Viewer) -> Result<(), AppError> {
        viewer.require_person()?;
        if !self.is_mentoring_coordinator(viewer).await? {
            return Err(AppError::Forbidden("matching across the organization is for admins and facilitators"));
        }
        Ok(())
    }

    /// What matching would propose now for every open request without a
    /// proposal (coordinators).
    pub async fn mentor_match_preview(&self, viewer: &Viewer) -> Result<MatchPreview, AppError> {
        self.require_coordinator(viewer).await?;
        let pool = self.matching_pool(0, None).await?;
        let plan = plan(&pool, &MatchOptions::default());
        let wanted = |id: i64| pool.wanted.get(&id).cloned().unwrap_or_default();
        let mut preview = MatchPreview {
            pairs: Vec::new(),
            unmatched: Vec::new(),
            open_requests: pool.requests.len() + pool.away.len(),
            mentors_with_capacity: pool.mentors.len(),
            free_places: pool.mentors.iter().map(|m| u64::from(m.free_slots)).sum(),
            pairings_by_status: self
                .store()
                .count_mentorships_by_status()
                .await?
                .into_iter()
                .filter_map(|(status, n)| MentorshipStatus::parse(&status).ok().map(|s| (s, n)))
                .collect(),
        };
        for (i, pair) in &plan.pairs {
            let request = &pool.requests[*i];
            let Some(mentor) = pool.mentor_people.get(&pair.mentor_id) else { continue };
            preview.pairs.push(PreviewPair {
                request_id: request.id,
                mentor: mentor.clone(),
                mentee: request_person(request),
                wanted: wanted(request.id),
                goals: request.goals.clone(),
                score: pair.score,
                reasons: reasons_in_words(&pair.reasons, &wanted(request.id)),
            });
        }
        for (i, reason) in &plan.unmatched {
            let request = &pool.requests[*i];
            preview.unmatched.push(PreviewUnmatched {
                request_id: request.id,
                mentee: request_person(request),
                wanted: wanted(request.id),
                goals: request.goals.clone(),
                reason: unmatched_text(*reason).to_string(),
            });
        }
        for request in &pool.away {
            let until = request.away_until.map(Timestamp).unwrap_or(Timestamp::now());
            preview.unmatched.push(PreviewUnmatched {
                request_id: request.id,
                mentee: request_person(request),
                wanted: wanted(request.id),
                goals: request.goals.clone(),
                reason: format!("Away until {}.", until.to_utc().format("%-d %B %Y")),
            });
        }
        Ok(preview)
    }

    /// Proposes the whole assignment for every open request without a
    /// proposal (coordinators).
    pub async fn propose_mentor_matches(&self, viewer: &Viewer) -> Result<MatchRun, AppError> {
        self.require_coordinator(viewer).await?;
        self.run_matching(0, None).await
    }

    // --- pairings -----------------------------------------------------------

    /// One pairing with its check-ins.
    pub async fn mentorship_page(&self, viewer: &Viewer, id: i64) -> Result<MentorshipPage, AppError> {
        let (row, standing) = self.locate_mentorship(viewer, id).await?;
        let role = match standing {
            Standing::Party(role) => Some(role),
            Standing::Observer => None,
        };
        let goals_visible = role.is_some() || self.is_mentoring_coordinator(viewer).await?;
        let pairing = Self::mentorship_view(&row, role, goals_visible);
        let wanted_skills = match (goals_visible, row.request_id) {
            (true, Some(request)) => {
                self.store().list_mentee_request_skills(request).await?.iter().map(MentoringSkill::from).collect()
            }
            _ => Vec::new(),
        };
        let checkins = self.store().list_mentorship_checkins(id).await?.into_iter().map(checkin_view).collect();
        Ok(MentorshipPage {
            can_answer: pairing.awaits_viewer(),
            can_work: role.is_some() && pairing.status == MentorshipStatus::Active,
            pairing,
            wanted_skills,
            checkins,
        })
    }

    /// The viewer's pairings (all but declined ones), newest first.
    pub async fn my_mentorships(&self, viewer: &Viewer) -> Result<Vec<MentorshipView>, AppError> {
        let me = self.require_mentoring(viewer)?;
        Ok(self
            .store()
            .list_person_mentorships(me, Some(me))
            .await?
            .iter()
            .filter(|row| row.status != "declined")
            .map(|row| {
                let role = if row.mentor_id == me.0 { MentoringRole::Mentor } else { MentoringRole::Mentee };
                Self::mentorship_view(row, Some(role), true)
            })
            .collect())
    }

    async fn reload(&self, viewer: &Viewer, id: i64) -> Result<MentorshipView, AppError> {
        Ok(self.mentorship_page(viewer, id).await?.pairing)
    }

    /// Accepts a proposal as its mentor or mentee; the second acceptance
    /// starts the pairing.
    pub async fn accept_mentorship(&self, viewer: &Viewer, id: i64) -> Result<MentorshipView, AppError> {
        let (row, role) = self.party_of(viewer, id).await?;
        let link = format!("{LINK_PREFIX}{id}");
        let waiting = format!("{} accepted your mentorship proposal; it starts when you accept too.", viewer.name);
        let started = format!("{} accepted: your mentorship has started.", viewer.name);
        let outcome = self
            .store()
            .accept_mentorship(
                row.id,
                side_of(role),
                MentorshipNotice { message: &waiting, link: &link },
                MentorshipNotice { message: &started, link: &link },
                Timestamp::now(),
            )
            .await?;
        if outcome == Acceptance::NotProposed {
            return Err(AppError::Conflict { field: "", message: "this mentorship is no longer a proposal".into() });
        }
        self.reload(viewer, id).await
    }

    /// Declines a proposal; its request goes back to matching (without this
    /// mentor).
    pub async fn decline_mentorship(&self, viewer: &Viewer, id: i64) -> Result<MentorshipView, AppError> {
        let (row, role) = self.party_of(viewer, id).await?;
        let link = format!("{LINK_PREFIX}{id}");
        let message = match role {
            MentoringRole::Mentor => {
                format!("{} declined to mentor you this time; your request stays open for matching.", viewer.name)
            }
            MentoringRole::Mentee => format!("{} declined the mentorship proposal.", viewer.name),
        };
        let notice = MentorshipNotice { message: &message, link: &link };
        if !self.store().decline_mentorship(row.id, side_of(role), notice, Timestamp::now()).await? {
            return Err(AppError::Conflict { field: "", message: "this mentorship is no longer a proposal".into() });
        }
        self.reload(viewer, id).await
    }

    /// Records a check-in on an active pairing.
    pub async fn add_mentorship_checkin(
        &self,
        viewer: &Viewer,
        id: i64,
        note: &str,
    ) -> Result<MentorshipCheckinView, AppError> {
        let (row, _) = self.party_of(viewer, id).await?;
        let me = viewer.require_person()?;
        let note =
            parse_required(note, "The check-in note", MAX_CHECKIN_NOTE).map_err(|m| AppError::invalid("note", m))?;
        let link = format!("{LINK_PREFIX}{id}");
        let message = format!("{} added a check-in to your mentorship.", viewer.name);
        let at = Timestamp::now();
        let notice = MentorshipNotice { message: &message, link: &link };
        let Some(checkin) = self.store().insert_mentorship_checkin(row.id, me, &note, notice, at).await? else {
            return Err(AppError::Conflict { field: "", message: "check-ins are for active mentorships".into() });
        };
        Ok(MentorshipCheckinView { id: checkin, author: Some((viewer.handle.clone(), viewer.name.clone())), note, at })
    }

    /// Completes an active pairing with an outcome note (required).
    pub async fn complete_mentorship(
        &self,
        viewer: &Viewer,
        id: i64,
        outcome: &str,
    ) -> Result<MentorshipView, AppError> {
        let outcome = parse_required(outcome, "The outcome", MAX_OUTCOME).map_err(|m| AppError::invalid("outcome", m));
        self.close(viewer, id, MentorshipStatus::Completed, outcome).await
    }

    /// Ends an active pairing early, with a reason (required).
    pub async fn end_mentorship(&self, viewer: &Viewer, id: i64, reason: &str) -> Result<MentorshipView, AppError> {
        let reason = parse_required(reason, "The reason", MAX_OUTCOME).map_err(|m| AppError::invalid("reason", m));
        self.close(viewer, id, MentorshipStatus::Ended, reason).await
    }

    async fn close(
        &self,
        viewer: &Viewer,
        id: i64,
        status: MentorshipStatus,
        note: Result<String, AppError>,
    ) -> Result<MentorshipView, AppError> {
        let (row, role) = self.party_of(viewer, id).await?;
        let note = note?;
        let link = format!("{LINK_PREFIX}{id}");
        let message = match status {
            MentorshipStatus::Completed => format!("{} marked your mentorship completed.", viewer.name),
            _ => format!("{} ended your mentorship.", viewer.name),
        };
        let notice = MentorshipNotice { message: &message, link: &link };
        let closed = self
            .store()
            .close_mentorship(row.id, side_of(role), status.as_str(), &note, notice, Timestamp::now())
            .await?;
        if !closed {
            return Err(AppError::Conflict { field: "", message: "only an active mentorship can be closed".into() });
        }
        self.reload(viewer, id).await
    }

    // --- profiles -------------------------------------------------------------

    /// A person's mentoring for their profile: their active offer and the
    /// started pairings the viewer may see.
    pub async fn profile_mentoring(&self, viewer: &Viewer, person: PersonId) -> Result<ProfileMentoring, AppError> {
        let me = viewer.require_person()?;
        if me != person && !can(&viewer.actor, Action::ViewPeople) {
            return Ok(ProfileMentoring::default());
        }
        let store = self.store();
        let offer = match store.find_mentor_offer(person).await? {
            Some(row) if row.active != 0 => {
                let p = store.get_person(person).await?;
                Some(MentorOfferSummary {
                    mentor: MentoringPerson {
                        id: person,
                        handle: p.handle,
                        name: p.name,
                        team: p.team,
                        location: p.location,
                    },
                    time_zone: p.time_zone,
                    skills: store.list_mentor_offer_skills(person).await?.iter().map(MentoringSkill::from).collect(),
                    capacity: row.capacity,
                    free: (row.capacity - row.load).max(0),
                    note: row.note,
                })
            }
            _ => None,
        };
        let mut pairings = Vec::new();
        for row in store.list_person_mentorships(person, Some(me)).await? {
            if !status_of(&row.status).has_started() {
                continue;
            }
            if let Some(standing) = self.standing(viewer, &row) {
                let role = match standing {
                    Standing::Party(role) => Some(role),
                    Standing::Observer => None,
                };
                pairings.push(Self::mentorship_view(&row, role, role.is_some()));
            }
        }
        Ok(ProfileMentoring { visible: true, offer, pairings })
    }
}

fn open_request_conflict() -> AppError {
    AppError::Conflict {
        field: "goals",
        message: "You already have an open request for a mentor. Withdraw it before asking again.".into(),
    }
}

fn checkin_view(row: MentorshipCheckinRow) -> MentorshipCheckinView {
    MentorshipCheckinView {
        id: row.id,
        author: row.author_handle.zip(row.author_name),
        note: row.note,
        at: Timestamp(row.at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_must_be_one_to_five() {
        assert_eq!(parse_capacity(" 3 "), Ok(3));
        for bad in ["0", "6", "abc", "", "2.5", "-1"] {
            assert!(parse_capacity(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn skills_become_keys_once_each() {
        let skills = parse_skills("Rust, rust ,Machine learning, machine learning", 5).unwrap();
        assert_eq!(
            skills,
            vec![("rust".to_string(), "Rust".to_string()), ("machine-learning".into(), "Machine learning".into())]
        );
        assert!(parse_skills(" , ", 5).is_err());
        assert!(parse_skills("a, b, c, d, e, f", 5).is_err());
    }

    #[test]
    fn reasons_name_skills_as_written() {
        let wanted =
            vec![MentoringSkill { key: "machine-learning".into(), name: "Machine learning".into(), level: None }];
        let reasons = vec!["offers machine-learning (expert)".to_string(), "different location".to_string()];
        assert_eq!(
            reasons_in_words(&reasons, &wanted),
            vec!["offers Machine learning (expert)".to_string(), "different location".to_string()]
        );
    }

    #[test]
    fn working_hours_become_a_utc_window_for_today() {
        // 2026-01-15 12:00 UTC: Berlin is UTC+1, New York UTC-5.
        let winter = Timestamp(1_768_478_400_000);
        assert_eq!(work_window_utc("Europe/Berlin", 540, 1020, winter), (480, 960));
        assert_eq!(work_window_utc("America/New_York", 540, 1020, winter), (840, 1320));
        // Sydney (UTC+11 in January): 09:00 local is 22:00 UTC the day before.
        assert_eq!(work_window_utc("Australia/Sydney", 540, 1020, winter), (1320, 1800));
        // A night shift wraps past midnight.
        assert_eq!(work_window_utc("UTC", 22 * 60, 6 * 60, winter), (1320, 1800));
        // 2026-07-15: Berlin is UTC+2.
        let summer = Timestamp(1_784_116_800_000);
        assert_eq!(work_window_utc("Europe/Berlin", 540, 1020, summer), (420, 900));
    }
}
