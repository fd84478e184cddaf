//! The skills vocabulary and the expertise directory: curating skills and
//! synonyms (and the declared keys that are in neither, "unmapped"), keeping
//! the `expertise` table current from the change feed, "who knows X?", and
//! a person's top skills for their profile.
//!
//! Expertise is derived data. [`App::catch_up_expertise`] follows the
//! `changes` feed from the position kept in `settings`
//! (`expertise.position`): each change names the people it may touch
//! (`Store::list_people_for_change`), and their rows are recomputed from
//! scratch (delete and insert in one transaction), so applying a change
//! twice is harmless. That is what makes the look-back safe and cheap to
//! reason about: on PostgreSQL, sequence numbers are handed out when a
//! transaction inserts its change but become visible when it commits, so a
//! transaction that took seq 10 can commit after the follower has read seq 11
//! and moved its position past 10. Each background pass therefore also
//! re-reads the changes of the last [`LOOK_BACK`] (bounded by
//! [`LOOK_BACK_SEQS`]); a commit later than that is taken to be a rolled-back
//! transaction, as the search indexer does. The same look-back repairs a
//! recomputation that lost a race with another process's newer one.
//!
//! Evidence counts only in communities that are not private; a community
//! turning private (or back) is noticed by comparing the private ids with
//! the set kept in `settings` (`expertise.private`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use copse_domain::{Action, FieldErrors, PersonId, SkillLevel, Timestamp, can, parse_name, parse_text, skill_key};
use copse_insight::expertise::{Candidate, Evidence, ScorePart, rank_for_asker, score};
use copse_store::{EvidenceBatch, EvidenceWrite, ExpertiseWrite, StoreError};

use crate::{App, AppError, Viewer};

const POSITION: &str = "expertise.position";
const PRIVATE_COMMUNITIES: &str = "expertise.private";
/// How far back each background pass reads the feed again (see the module
/// documentation).
pub const LOOK_BACK: i64 = 60_000;
/// At most this many changes are read again (a bulk load writes many more in
/// a minute; its rows are recomputed by the rebuild that follows it).
pub const LOOK_BACK_SEQS: i64 = 20_000;
const CHANGE_BATCH: i64 = 5_000;
/// People per id range in a rebuild.
const REBUILD_RANGE: i64 = 2_000;
/// When one pass touches more people than this, a rebuild is cheaper.
const REBUILD_OVER: usize = 5_000;
/// "Who knows" re-ranks this many of the best-scored people.
pub const EXPERTS_CONSIDERED: i64 = 200;
pub const EXPERTS_PAGE_SIZE: usize = 20;
/// Evidence links shown per person.
const EVIDENCE_LINKS: i64 = 3;
const MAX_TERM_CHARS: usize = 80;
const MAX_SKILL_KEY_CHARS: usize = 60;

/// A skill in short: what links and lists need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillRef {
    pub id: i64,
    pub key: String,
    pub name: String,
}

/// A skill of the vocabulary with its synonyms.
#[derive(Debug, Clone)]
pub struct SkillView {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub synonyms: Vec<String>,
}

/// A declared key in neither skills nor synonyms.
#[derive(Debug, Clone)]
pub struct UnmappedSkillView {
    pub key: String,
    pub people: i64,
    /// One text as someone typed it.
    pub example: String,
}

/// The vocabulary page: every skill, and for curators the unmapped keys.
#[derive(Debug, Clone)]
pub struct VocabularyPage {
    pub skills: Vec<SkillView>,
    pub unmapped: Vec<UnmappedSkillView>,
    /// Admins and facilitators of any community curate.
    pub can_curate: bool,
    /// Admins also configure question routing.
    pub can_configure_routing: bool,
}

/// A new skill as typed; an empty key is made from the name.
#[derive(Debug, Clone, Default)]
pub struct SkillInput {
    pub key: String,
    pub name: String,
    pub description: String,
}

/// A new synonym as typed: the term, and the skill (its key, name or a
/// synonym) it means.
#[derive(Debug, Clone, Default)]
pub struct SynonymInput {
    pub synonym: String,
    pub skill: String,
}

/// One line of a score's explanation, points in hundredths.
pub type ExpertiseScorePart = ScorePart;

/// A person's expertise in one skill, with its explanation.
#[derive(Debug, Clone)]
pub struct ExpertiseLine {
    pub skill: SkillRef,
    pub declared: Option<SkillLevel>,
    /// Hundredths of a point.
    pub score: i64,
    pub parts: Vec<ScorePart>,
}

/// Where a piece of evidence leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceTarget {
    /// An accepted answer: the thread and the post.
    Answer {
        thread: i64,
        post: i64,
    },
    Artifact {
        id: i64,
    },
}

#[derive(Debug, Clone)]
pub struct EvidenceLinkView {
    pub target: EvidenceTarget,
    pub title: String,
    pub at: Timestamp,
}

/// One person in "who knows X?".
#[derive(Debug, Clone)]
pub struct ExpertView {
    pub person: PersonId,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub declared: Option<SkillLevel>,
    /// Hundredths of a point.
    pub score: i64,
    pub parts: Vec<ScorePart>,
    /// Ranked with the outside-team preference (the asker has a team and
    /// this person is in another).
    pub outside_team: bool,
    pub evidence: Vec<EvidenceLinkView>,
}

/// How the typed term was understood.
#[derive(Debug, Clone)]
pub enum SkillResolution {
    /// Nothing typed yet.
    Empty,
    /// A skill, directly or through the synonym named.
    Skill { skill: SkillRef, via_synonym: Option<String> },
    /// Not in the vocabulary; close skills to try instead.
    Unknown { suggestions: Vec<SkillRef> },
}

/// "Who knows X?" as typed.
#[derive(Debug, Clone, Default)]
pub struct ExpertsQuery {
    pub skill: String,
    /// From 1.
    pub page: u32,
}

/// A question routed to the viewer.
#[derive(Debug, Clone)]
pub struct RoutedQuestionView {
    pub thread: i64,
    pub title: String,
    pub community_slug: String,
    pub community_name: String,
    pub skill: Option<String>,
    pub routed_at: Timestamp,
    /// offered | answered | declined
    pub outcome: String,
    pub replies: i64,
    pub solved: bool,
}

#[derive(Debug, Clone)]
pub struct ExpertsPage {
    pub term: String,
    pub resolution: SkillResolution,
    pub experts: Vec<ExpertView>,
    pub page: u32,
    pub has_next: bool,
    /// How many people were ranked (at most [`EXPERTS_CONSIDERED`]).
    pub ranked: usize,
    /// The asker's team ('' when they name none).
    pub asker_team: String,
    /// Every skill, for the search box's suggestions.
    pub vocabulary: Vec<SkillRef>,
    pub routed_to_me: Vec<RoutedQuestionView>,
}

/// The vocabulary in memory: keys and synonyms to skills, and the words of
/// every name, key and synonym for finding skills in session titles.
pub(crate) struct Vocabulary {
    pub(crate) skills: Vec<SkillRef>,
    pub(crate) synonyms: Vec<(String, i64)>,
    by_key: HashMap<String, i64>,
    phrases: HashMap<String, Vec<i64>>,
    longest_phrase: usize,
}

/// Words of a title or a term: lower case, split on anything that is not a
/// letter, a digit, '+' or '#' (so "C++", "C#" and "Node.js" survive as
/// "c++", "c#" and "node js").
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Vocabulary {
    pub(crate) fn new(skills: Vec<SkillRef>, synonyms: Vec<(String, i64)>) -> Self {
        let mut by_key = HashMap::new();
        let mut phrases: HashMap<String, Vec<i64>> = HashMap::new();
        let mut longest_phrase = 0;
        let mut add_phrase = |text: &str, id: i64| {
            let phrase = words(text);
            // One- or two-letter words ("go", "r") match too much prose.
            if phrase.is_empty() || (phrase.len() == 1 && phrase[0].chars().count() < 3) {
                return;
            }
            longest_phrase = longest_phrase.max(phrase.len());
            let ids = phrases.entry(phrase.join(" ")).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        };
        for skill in &skills {
            by_key.insert(skill.key.clone(), skill.id);
            add_phrase(&skill.name, skill.id);
            add_phrase(&skill.key, skill.id);
        }
        for (synonym, id) in &synonyms {
            by_key.entry(synonym.clone()).or_insert(*id);
            add_phrase(synonym, *id);
        }
        Self { skills, synonyms, by_key, phrases, longest_phrase }
    }

    pub(crate) fn skill_of(&self, key: &str) -> Option<i64> {
        self.by_key.get(key).copied()
    }

    pub(crate) fn get(&self, id: i64) -> Option<&SkillRef> {
        self.skills.iter().find(|s| s.id == id)
    }

    /// Skills whose name, key or a synonym appears in `title` as whole words.
    pub(crate) fn skills_in_title(&self, title: &str) -> BTreeSet<i64> {
        let words = words(title);
        let mut found = BTreeSet::new();
        for start in 0..words.len() {
            for len in 1..=self.longest_phrase.min(words.len() - start) {
                if let Some(ids) = self.phrases.get(&words[start..start + len].join(" ")) {
                    found.extend(ids.iter().copied());
                }
            }
        }
        found
    }
}

/// What one person has for one skill while evidence is gathered.
#[derive(Default)]
struct Gathered {
    declared: Option<SkillLevel>,
    /// (kind, ref) → (items, at)
    items: BTreeMap<(&'static str, i64), (i64, i64)>,
}

impl Gathered {
    fn add(&mut self, kind: &'static str, id: i64, items: i64, at: i64) {
        let entry = self.items.entry((kind, id)).or_insert((items, at));
        entry.0 = entry.0.max(items);
        entry.1 = entry.1.max(at);
    }

    fn evidence(&self) -> Evidence {
        let mut evidence = Evidence { declared: self.declared, ..Evidence::default() };
        for ((kind, _), (items, _)) in &self.items {
            let n = u32::try_from(*items).unwrap_or(u32::MAX);
            match *kind {
                "answer" => evidence.answers += 1,
                "accepted-answer" => evidence.accepted_answers += 1,
                "artifact" => evidence.artifacts += 1,
                "session" => evidence.sessions = evidence.sessions.saturating_add(n),
                "kudos" => evidence.kudos += 1,
                _ => {}
            }
        }
        evidence
    }
}

fn tagged_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "answer" => Some("answer"),
        "accepted-answer" => Some("accepted-answer"),
        "artifact" => Some("artifact"),
        _ => None,
    }
}

/// Turns a batch of raw evidence into expertise rows (scored) and the
/// items behind them. Pure, so the rules are tested without a database.
pub(crate) fn compute_expertise(
    batch: &EvidenceBatch,
    vocabulary: &Vocabulary,
) -> (Vec<ExpertiseWrite>, Vec<EvidenceWrite>) {
    let mut gathered: BTreeMap<(i64, i64), Gathered> = BTreeMap::new();
    for row in &batch.declared {
        let (Some(skill), Ok(level)) = (vocabulary.skill_of(&row.skill_key), SkillLevel::parse(&row.level)) else {
            continue;
        };
        let entry = gathered.entry((row.person_id, skill)).or_default();
        // "k8s" and "Kubernetes" declared by one person: the higher counts.
        entry.declared = entry.declared.max(Some(level));
    }
    for row in &batch.tagged {
        let (Some(skill), Some(kind)) = (vocabulary.skill_of(&row.tag), tagged_kind(&row.kind)) else { continue };
        gathered.entry((row.person_id, skill)).or_default().add(kind, row.ref_id, 1, row.at);
    }
    for row in &batch.sessions {
        for skill in vocabulary.skills_in_title(&row.title) {
            gathered.entry((row.person_id, skill)).or_default().add("session", row.event_id, row.items.max(1), row.at);
        }
    }
    for row in &batch.kudos {
        if vocabulary.get(row.skill_id).is_some() {
            gathered.entry((row.person_id, row.skill_id)).or_default().add("kudos", row.kudos_id, 1, row.at);
        }
    }
    let mut rows = Vec::with_capacity(gathered.len());
    let mut evidence = Vec::new();
    for ((person_id, skill_id), g) in gathered {
        let counts = g.evidence();
        let scored = score(&counts);
        if scored.total <= 0 {
            continue;
        }
        rows.push(ExpertiseWrite {
            person_id,
            skill_id,
            declared_level: counts.declared.map(|l| l.as_str().to_string()),
            accepted_answers: i64::from(counts.accepted_answers),
            answers: i64::from(counts.answers),
            artifacts: i64::from(counts.artifacts),
            sessions: i64::from(counts.sessions),
            kudos: i64::from(counts.kudos),
            score: scored.total,
        });
        for ((kind, ref_id), (items, at)) in g.items {
            evidence.push(EvidenceWrite { person_id, skill_id, kind, ref_id, items, at });
        }
    }
    (rows, evidence)
}

/// Edit distance, for suggesting skills close to an unknown term.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current[j + 1] = (previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Up to five skills whose key, name or a synonym is close to `key`:
/// sharing a prefix or containing it, or a few edits away.
pub(crate) fn suggestions(vocabulary: &Vocabulary, key: &str) -> Vec<SkillRef> {
    let mut scored: Vec<(usize, &SkillRef)> = Vec::new();
    let closeness = |candidate: &str| -> Option<usize> {
        if candidate.is_empty() || key.is_empty() {
            return None;
        }
        if candidate.starts_with(key) || key.starts_with(candidate) {
            return Some(0);
        }
        if key.chars().count() >= 3 && candidate.contains(key) {
            return Some(1);
        }
        let d = distance(key, candidate);
        (d <= 2.max(key.chars().count() / 4)).then_some(d + 1)
    };
    for skill in &vocabulary.skills {
        let best = [closeness(&skill.key), closeness(&skill_key(&skill.name))].into_iter().flatten().min();
        let via = vocabulary.synonyms.iter().filter(|(_, id)| *id == skill.id).filter_map(|(s, _)| closeness(s)).min();
        if let Some(d) = best.into_iter().chain(via).min() {
            scored.push((d, skill));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.name.cmp(&b.1.name)));
    scored.into_iter().take(5).map(|(_, s)| s.clone()).collect()
}

pub(crate) fn expertise_line(
    skill: SkillRef,
    declared_level: Option<&str>,
    counts: [i64; 5],
) -> (Option<SkillLevel>, i64, Vec<ScorePart>, SkillRef) {
    let declared = declared_level.and_then(|l| SkillLevel::parse(l).ok());
    let [accepted, answers, artifacts, sessions, kudos] = counts.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let scored = score(&Evidence { declared, accepted_answers: accepted, answers, artifacts, sessions, kudos });
    (declared, scored.total, scored.parts, skill)
}

fn validated_key(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let key = skill_key(text.trim().trim_start_matches('#'));
    if key.is_empty() {
        errors.add(field, "give a key, e.g. kubernetes");
        return None;
    }
    if key.chars().count() > MAX_SKILL_KEY_CHARS {
        errors.add(field, format!("a key has at most {MAX_SKILL_KEY_CHARS} characters"));
        return None;
    }
    if key.chars().any(|c| c.is_control() || c == ',') {
        errors.add(field, "a key has no commas or control characters");
        return None;
    }
    Some(key)
}

fn conflict_as_field(error: StoreError, field: &'static str, message: String) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::invalid(field, message),
        other => other.into(),
    }
}

impl App {
    /// May the viewer curate the vocabulary? (admins, and facilitators of
    /// any community)
    pub(crate) async fn may_coordinate_people(&self, viewer: &Viewer) -> Result<bool, AppError> {
        let me = viewer.require_person()?;
        // Admins need no facilitation; skip the query for them.
        let facilitates_somewhere = viewer.actor.is_admin() || self.store().facilitates_any_community(me).await?;
        Ok(can(&viewer.actor, Action::CoordinatePeople { facilitates_somewhere }))
    }

    async fn require_curator(&self, viewer: &Viewer) -> Result<PersonId, AppError> {
        let me = viewer.require_person()?;
        if !self.may_coordinate_people(viewer).await? {
            return Err(AppError::Forbidden("only administrators and facilitators curate the skills vocabulary"));
        }
        Ok(me)
    }

    pub(crate) async fn load_vocabulary(&self) -> Result<Vocabulary, AppError> {
        let skills = self
            .store()
            .list_vocabulary()
            .await?
            .into_iter()
            .map(|s| SkillRef { id: s.id, key: s.key, name: s.name })
            .collect();
        let synonyms =
            self.store().list_vocabulary_synonyms().await?.into_iter().map(|s| (s.synonym, s.skill_id)).collect();
        Ok(Vocabulary::new(skills, synonyms))
    }

    async fn skill_view(&self, id: i64) -> Result<SkillView, AppError> {
        let skills = self.store().list_vocabulary().await?;
        let skill = skills.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound("skill"))?;
        let synonyms = self
            .store()
            .list_vocabulary_synonyms()
            .await?
            .into_iter()
            .filter(|s| s.skill_id == id)
            .map(|s| s.synonym)
            .collect();
        Ok(SkillView { id: skill.id, key: skill.key, name: skill.name, description: skill.description, synonyms })
    }

    /// Every skill with its synonyms; curators also get the unmapped keys.
    pub async fn vocabulary_page(&self, viewer: &Viewer) -> Result<VocabularyPage, AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::Forbidden("guests do not browse people's skills"));
        }
        let store = self.store();
        let mut synonyms: HashMap<i64, Vec<String>> = HashMap::new();
        for s in store.list_vocabulary_synonyms().await? {
            synonyms.entry(s.skill_id).or_default().push(s.synonym);
        }
        let skills = store
            .list_vocabulary()
            .await?
            .into_iter()
            .map(|s| SkillView {
                synonyms: synonyms.remove(&s.id).unwrap_or_default(),
                id: s.id,
                key: s.key,
                name: s.name,
                description: s.description,
            })
            .collect();
        let can_curate = self.may_coordinate_people(viewer).await?;
        let unmapped = if can_curate { self.unmapped_skills(viewer).await? } else { Vec::new() };
        Ok(VocabularyPage {
            skills,
            unmapped,
            can_curate,
            can_configure_routing: can(&viewer.actor, Action::Administer),
        })
    }

    /// Declared keys in neither skills nor synonyms, most declared first
    /// (curators only). They stay on people's profiles as typed; mapping or
    /// promoting them makes them count.
    pub async fn unmapped_skills(&self, viewer: &Viewer) -> Result<Vec<UnmappedSkillView>, AppError> {
        self.require_curator(viewer).await?;
        Ok(self
            .store()
            .list_unmapped_skill_keys(200)
            .await?
            .into_iter()
            .map(|u| UnmappedSkillView { key: u.key, people: u.people, example: u.example })
            .collect())
    }

    /// The skills, for the API.
    pub async fn list_skills(&self, viewer: &Viewer) -> Result<Vec<SkillView>, AppError> {
        Ok(self.vocabulary_page(viewer).await?.skills)
    }

    /// Adds a skill to the vocabulary.
    pub async fn add_skill(&self, viewer: &Viewer, input: &SkillInput) -> Result<SkillView, AppError> {
        let me = self.require_curator(viewer).await?;
        let mut errors = FieldErrors::new();
        let name = errors.check("name", parse_name(&input.name, "The name", 60));
        let description = errors.check("description", parse_text(&input.description, "The description", 500));
        // The key is made from the name unless one is given.
        let (field, key_text) =
            if input.key.trim().is_empty() { ("name", name.clone()) } else { ("key", Some(input.key.clone())) };
        let key = key_text.and_then(|text| validated_key(&text, field, &mut errors));
        errors.finish()?;
        let (Some(key), Some(name)) = (key, name) else { return Err(AppError::invalid("name", "give a name")) };
        let id = self
            .store()
            .insert_vocabulary_skill(&key, &name, &description.unwrap_or_default(), Some(me), Timestamp::now())
            .await
            .map_err(|e| conflict_as_field(e, field, format!("'{key}' is already a skill or a synonym")))?;
        self.skill_view(id).await
    }

    /// Resolves what a curator typed for "which skill" (a key, a synonym or
    /// a name) or says which field is wrong.
    async fn skill_named(&self, text: &str, field: &'static str) -> Result<SkillRef, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid(field, "choose a skill"));
        }
        let key = skill_key(text);
        if let Some(row) = self.store().resolve_vocabulary_key(&key).await? {
            return Ok(SkillRef { id: row.id, key: row.key, name: row.name });
        }
        let vocabulary = self.load_vocabulary().await?;
        vocabulary
            .skills
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(text))
            .cloned()
            .ok_or_else(|| AppError::invalid(field, format!("'{text}' is not a skill of the vocabulary")))
    }

    /// Makes a term a synonym of a skill ("k8s" for Kubernetes).
    pub async fn add_synonym(&self, viewer: &Viewer, input: &SynonymInput) -> Result<SkillView, AppError> {
        let me = self.require_curator(viewer).await?;
        let mut errors = FieldErrors::new();
        let synonym = validated_key(&input.synonym, "synonym", &mut errors);
        let skill = match self.skill_named(&input.skill, "skill").await {
            Ok(skill) => Some(skill),
            Err(AppError::Invalid(e)) => {
                for error in e.0 {
                    errors.add("skill", error.message);
                }
                None
            }
            Err(other) => return Err(other),
        };
        errors.finish()?;
        let (Some(synonym), Some(skill)) = (synonym, skill) else {
            return Err(AppError::invalid("skill", "choose a skill"));
        };
        self.store()
            .insert_vocabulary_synonym(&synonym, skill.id, Some(me), Timestamp::now())
            .await
            .map_err(|e| conflict_as_field(e, "synonym", format!("'{synonym}' is already a skill or a synonym")))?;
        self.skill_view(skill.id).await
    }

    /// Removes a synonym. People who declared it keep their text; it is
    /// listed as unmapped again.
    pub async fn remove_synonym(&self, viewer: &Viewer, synonym: &str) -> Result<(), AppError> {
        self.require_curator(viewer).await?;
        match self.store().delete_vocabulary_synonym(&skill_key(synonym), Timestamp::now()).await? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound("synonym")),
        }
    }

    async fn require_unmapped(&self, key: &str) -> Result<String, AppError> {
        let key = skill_key(key);
        if self.store().is_unmapped_skill_key(&key).await? {
            Ok(key)
        } else {
            Err(AppError::NotFound("unmapped skill"))
        }
    }

    /// Maps an unmapped key as a synonym of a skill: the people who declared
    /// it keep their text, and it counts for that skill from now on.
    pub async fn map_unmapped_skill(&self, viewer: &Viewer, key: &str, skill: &str) -> Result<SkillView, AppError> {
        self.require_curator(viewer).await?;
        let key = self.require_unmapped(key).await?;
        self.add_synonym(viewer, &SynonymInput { synonym: key, skill: skill.to_string() }).await
    }

    /// Makes an unmapped key a skill of its own.
    pub async fn promote_unmapped_skill(
        &self,
        viewer: &Viewer,
        key: &str,
        name: &str,
        description: &str,
    ) -> Result<SkillView, AppError> {
        self.require_curator(viewer).await?;
        let key = self.require_unmapped(key).await?;
        self.add_skill(viewer, &SkillInput { key, name: name.to_string(), description: description.to_string() }).await
    }

    // --- The follower -------------------------------------------------------

    /// Recomputes the expertise of people with ids in `lo..=hi`. With
    /// `only_changes`, what is stored already is compared first and nothing
    /// is written when it is the same (the follower's look-back recomputes
    /// the same people for a minute; on SQLite every write takes the one
    /// write lock).
    async fn recompute_expertise(
        &self,
        lo: i64,
        hi: i64,
        vocabulary: &Vocabulary,
        only_changes: bool,
    ) -> Result<usize, AppError> {
        let batch = self.store().list_evidence(lo, hi).await?;
        let (rows, evidence) = compute_expertise(&batch, vocabulary);
        if only_changes {
            let (stored_rows, stored_evidence) = self.store().list_expertise_state(lo, hi).await?;
            if stored_rows == rows && stored_evidence == evidence {
                return Ok(0);
            }
        }
        self.store().replace_expertise(lo, hi, &rows, &evidence, Timestamp::now()).await?;
        Ok(rows.len())
    }

    /// Whether the change feed has moved past the expertise position (one
    /// `max(seq)` and one settings read).
    pub async fn expertise_is_behind(&self) -> Result<bool, AppError> {
        let position = self.store().find_setting(POSITION).await?.and_then(|v| v.parse::<i64>().ok());
        Ok(match position {
            None => true,
            Some(position) => self.store().max_change_seq().await? > position,
        })
    }

    /// Applies the changes since the last pass, and reads the last minute's
    /// again (see the module documentation). Returns how many people were
    /// recomputed. Builds the table first if it never was.
    pub async fn catch_up_expertise(&self) -> Result<usize, AppError> {
        self.follow_expertise(true).await
    }

    async fn follow_expertise(&self, look_back: bool) -> Result<usize, AppError> {
        let store = self.store();
        let Some(position) = store.find_setting(POSITION).await?.and_then(|v| v.parse::<i64>().ok()) else {
            self.rebuild_expertise().await?;
            return Ok(0);
        };
        let mut changes = Vec::new();
        let mut high = position;
        loop {
            let batch = store.list_changes_after(high, CHANGE_BATCH).await?;
            let done = (batch.len() as i64) < CHANGE_BATCH;
            if let Some(last) = batch.last() {
                high = last.seq;
            }
            changes.extend(batch);
            if done || changes.len() > REBUILD_OVER * 4 {
                break;
            }
        }
        if look_back {
            let since = Timestamp(Timestamp::now().millis() - LOOK_BACK);
            changes.extend(
                store.list_recent_changes((position - LOOK_BACK_SEQS).max(0), position, since, LOOK_BACK_SEQS).await?,
            );
        }
        let mut seen: HashSet<(&str, i64)> = HashSet::new();
        let mut people: BTreeSet<i64> = BTreeSet::new();
        let mut communities_changed = false;
        for change in &changes {
            if !seen.insert((change.entity.as_str(), change.entity_id)) {
                continue;
            }
            match change.entity.as_str() {
                "community" => communities_changed = true,
                "post" => {
                    // A routed person who replies has answered their route.
                    store.mark_route_answered(change.entity_id).await?;
                    people.extend(store.list_people_for_change("post", change.entity_id).await?);
                }
                entity @ ("thread" | "artifact" | "event" | "kudos" | "person" | "skill") => {
                    people.extend(store.list_people_for_change(entity, change.entity_id).await?);
                }
                _ => {}
            }
        }
        if communities_changed {
            let now_private = store.list_private_community_ids().await?;
            let known = store.find_setting(PRIVATE_COMMUNITIES).await?;
            if let Some(known) = known {
                let before: BTreeSet<i64> = known.split(',').filter_map(|id| id.parse().ok()).collect();
                let after: BTreeSet<i64> = now_private.iter().copied().collect();
                for flipped in before.symmetric_difference(&after) {
                    people.extend(store.list_people_for_change("community", *flipped).await?);
                }
            }
            store.set_setting(PRIVATE_COMMUNITIES, &join_ids(&now_private)).await?;
        }
        let recomputed = people.len();
        if recomputed > REBUILD_OVER {
            self.rebuild_expertise().await?;
        } else if recomputed > 0 {
            let vocabulary = self.load_vocabulary().await?;
            for person in people {
                self.recompute_expertise(person, person, &vocabulary, true).await?;
            }
        }
        if high > position {
            store.raise_setting(POSITION, high).await?;
        }
        Ok(recomputed)
    }

    /// Recomputes every person's expertise from the database, in id ranges;
    /// returns the number of rows written. The demo and scale generators run
    /// it after loading; the follower runs it when a pass touches many.
    pub async fn rebuild_expertise(&self) -> Result<usize, AppError> {
        let store = self.store();
        // Whatever changes after this seq is applied by the next catch-up.
        let start = store.max_change_seq().await?;
        let private = store.list_private_community_ids().await?;
        let vocabulary = self.load_vocabulary().await?;
        let last = store.max_person_id().await?;
        let mut rows = 0;
        let mut lo = 0;
        while lo <= last {
            let hi = lo + REBUILD_RANGE - 1;
            rows += self.recompute_expertise(lo, hi, &vocabulary, false).await?;
            lo = hi + 1;
        }
        store.set_setting(PRIVATE_COMMUNITIES, &join_ids(&private)).await?;
        store.raise_setting(POSITION, start).await?;
        Ok(rows)
    }

    /// Keeps the expertise table following the change feed: a pass every
    /// `every` until the runtime stops. Errors are logged and retried.
    pub fn spawn_expertise_follower(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match app.catch_up_expertise().await {
                    Ok(0) => {}
                    Ok(people) => tracing::debug!(people, "expertise caught up"),
                    Err(error) => tracing::warn!(%error, "expertise catch-up failed; retrying"),
                }
            }
        })
    }

    // --- Who knows X? --------------------------------------------------------

    /// Resolves a typed term: a skill's key, a synonym, or a skill's name,
    /// case-insensitively, from the vocabulary already loaded.
    pub(crate) fn resolve_skill_term(term: &str, vocabulary: &Vocabulary) -> SkillResolution {
        let term = term.trim().trim_start_matches('#');
        if term.is_empty() {
            return SkillResolution::Empty;
        }
        let key = skill_key(term);
        if let Some(skill) = vocabulary.skills.iter().find(|s| s.key == key) {
            return SkillResolution::Skill { skill: skill.clone(), via_synonym: None };
        }
        if let Some(skill) = vocabulary.synonyms.iter().find(|(s, _)| *s == key).and_then(|(_, id)| vocabulary.get(*id))
        {
            return SkillResolution::Skill { skill: skill.clone(), via_synonym: Some(key) };
        }
        if let Some(skill) =
            vocabulary.skills.iter().find(|s| s.name.eq_ignore_ascii_case(term) || skill_key(&s.name) == key)
        {
            return SkillResolution::Skill { skill: skill.clone(), via_synonym: None };
        }
        SkillResolution::Unknown { suggestions: suggestions(vocabulary, &key) }
    }

    /// "Who knows X?": people ranked by their expertise in the skill the
    /// term names, preferring people outside the asker's team when scores
    /// are close, 20 a page, with a few pieces of evidence each. Members
    /// and admins only (guests do not browse people).
    pub async fn who_knows(&self, viewer: &Viewer, query: &ExpertsQuery) -> Result<ExpertsPage, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::Forbidden("guests do not browse people"));
        }
        let term = query.skill.trim().to_string();
        if term.chars().count() > MAX_TERM_CHARS {
            return Err(AppError::invalid("skill", format!("a skill has at most {MAX_TERM_CHARS} characters")));
        }
        // Read your own writes: an answer accepted a moment ago counts.
        if self.expertise_is_behind().await? {
            self.follow_expertise(false).await?;
        }
        let store = self.store();
        let vocabulary = self.load_vocabulary().await?;
        let resolution = Self::resolve_skill_term(&term, &vocabulary);
        let asker_team = store.get_person(me).await?.team;
        let page = query.page.max(1);
        let mut experts = Vec::new();
        let mut has_next = false;
        let mut ranked_count = 0;
        if let SkillResolution::Skill { skill, .. } = &resolution {
            // Rank the best-scored few hundred by (person, team, score),
            // then read the details of the page's 20 only.
            let candidates: Vec<Candidate> = store
                .list_expert_candidates(skill.id, EXPERTS_CONSIDERED)
                .await?
                .into_iter()
                .map(|r| Candidate { person_id: r.person_id, team: r.team, score: r.score })
                .collect();
            let ranked = rank_for_asker(&candidates, &asker_team);
            ranked_count = ranked.len();
            let start = (page as usize - 1) * EXPERTS_PAGE_SIZE;
            has_next = ranked.len() > start + EXPERTS_PAGE_SIZE;
            let shown: Vec<&copse_insight::expertise::Ranked> =
                ranked.iter().skip(start).take(EXPERTS_PAGE_SIZE).collect();
            let ids: Vec<i64> = shown.iter().map(|r| r.person_id).collect();
            let rows = store.list_experts_by_id(skill.id, &ids).await?;
            let by_id: HashMap<i64, &copse_store::ExpertRow> = rows.iter().map(|r| (r.person_id, r)).collect();
            for r in shown {
                let Some(row) = by_id.get(&r.person_id) else { continue };
                let (declared, total, parts, _) = expertise_line(
                    skill.clone(),
                    row.declared_level.as_deref(),
                    [row.accepted_answers, row.answers, row.artifacts, row.sessions, row.kudos],
                );
                // Only accepted answers and artifacts are linked; most
                // people have neither, and need no query.
                let evidence = if row.accepted_answers > 0 || row.artifacts > 0 {
                    self.evidence_links(PersonId(row.person_id), skill.id).await?
                } else {
                    Vec::new()
                };
                experts.push(ExpertView {
                    person: PersonId(row.person_id),
                    handle: row.handle.clone(),
                    name: row.name.clone(),
                    team: row.team.clone(),
                    location: row.location.clone(),
                    declared,
                    score: total,
                    parts,
                    outside_team: r.outside_asker_team,
                    evidence,
                });
            }
        }
        let routed_to_me = self.routed_to_me(viewer).await?;
        Ok(ExpertsPage {
            term,
            resolution,
            experts,
            page,
            has_next,
            ranked: ranked_count,
            asker_team,
            vocabulary: vocabulary.skills,
            routed_to_me,
        })
    }

    /// A few recent accepted answers and artifacts behind a person's
    /// expertise. Evidence comes only from communities that are not private;
    /// a community that turned private since is left out here as well.
    async fn evidence_links(&self, person: PersonId, skill: i64) -> Result<Vec<EvidenceLinkView>, AppError> {
        Ok(self
            .store()
            .list_evidence_links(person, skill, EVIDENCE_LINKS)
            .await?
            .into_iter()
            .filter(|l| l.community_visibility != "private")
            .map(|l| EvidenceLinkView {
                target: match l.thread_id {
                    Some(thread) if l.kind == "accepted-answer" => EvidenceTarget::Answer { thread, post: l.ref_id },
                    _ => EvidenceTarget::Artifact { id: l.ref_id },
                },
                title: l.title,
                at: Timestamp(l.at),
            })
            .collect())
    }

    /// A person's best skills with their explanations, for the profile.
    /// Only evidence from communities that are not private is in the table.
    pub(crate) async fn person_expertise(&self, person: PersonId) -> Result<Vec<ExpertiseLine>, AppError> {
        Ok(self
            .store()
            .list_person_expertise(person, 8)
            .await?
            .into_iter()
            .map(|row| {
                let skill = SkillRef { id: row.skill_id, key: row.skill_key, name: row.skill_name };
                let (declared, score, parts, skill) = expertise_line(
                    skill,
                    row.declared_level.as_deref(),
                    [row.accepted_answers, row.answers, row.artifacts, row.sessions, row.kudos],
                );
                ExpertiseLine { skill, declared, score, parts }
            })
            .collect())
    }
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use copse_store::{DeclaredSkillRow, KudosEvidenceRow, SessionEvidenceRow, TaggedEvidenceRow};

    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(
            vec![
                SkillRef { id: 1, key: "kubernetes".into(), name: "Kubernetes".into() },
                SkillRef { id: 2, key: "rust".into(), name: "Rust".into() },
                SkillRef { id: 3, key: "machine-learning".into(), name: "Machine learning".into() },
                SkillRef { id: 4, key: "go".into(), name: "Go".into() },
            ],
            vec![("k8s".into(), 1), ("ml".into(), 3), ("golang".into(), 4)],
        )
    }

    fn tagged(person: i64, kind: &str, id: i64, tag: &str) -> TaggedEvidenceRow {
        TaggedEvidenceRow { person_id: person, kind: kind.into(), ref_id: id, tag: tag.into(), at: id }
    }

    #[test]
    fn titles_name_skills_as_whole_words() {
        let v = vocabulary();
        assert_eq!(v.skills_in_title("Kubernetes office hours"), BTreeSet::from([1]));
        assert_eq!(v.skills_in_title("K8s upgrade clinic: bring your clusters"), BTreeSet::from([1]));
        assert_eq!(v.skills_in_title("Intro to machine learning"), BTreeSet::from([3]));
        assert_eq!(v.skills_in_title("Rustic bread baking"), BTreeSet::new());
        // "go" is too short to find in prose; "golang" is not.
        assert_eq!(v.skills_in_title("Let's go!"), BTreeSet::new());
        assert_eq!(v.skills_in_title("Golang generics"), BTreeSet::from([4]));
    }

    #[test]
    fn evidence_is_resolved_through_synonyms_and_counted_once_per_item() {
        let v = vocabulary();
        let batch = EvidenceBatch {
            declared: vec![
                DeclaredSkillRow { person_id: 7, skill_key: "k8s".into(), level: "practitioner".into() },
                DeclaredSkillRow { person_id: 7, skill_key: "kubernetes".into(), level: "expert".into() },
                DeclaredSkillRow { person_id: 7, skill_key: "k8s-ops".into(), level: "expert".into() },
            ],
            tagged: vec![
                // One answer on a thread tagged both k8s and kubernetes.
                tagged(7, "answer", 10, "k8s"),
                tagged(7, "answer", 10, "kubernetes"),
                tagged(7, "accepted-answer", 10, "kubernetes"),
                tagged(7, "answer", 11, "rust"),
                tagged(7, "artifact", 3, "kubernetes"),
                tagged(7, "artifact", 3, "kubernetes"),
                tagged(7, "answer", 12, "cooking"),
            ],
            sessions: vec![SessionEvidenceRow {
                person_id: 7,
                event_id: 5,
                title: "Kubernetes clinic".into(),
                items: 3,
                at: 1,
            }],
            kudos: vec![KudosEvidenceRow { person_id: 7, kudos_id: 9, skill_id: 1, at: 1 }],
        };
        let (rows, evidence) = compute_expertise(&batch, &v);
        let k8s = rows.iter().find(|r| r.skill_id == 1).unwrap();
        assert_eq!(k8s.declared_level.as_deref(), Some("expert"));
        assert_eq!((k8s.answers, k8s.accepted_answers, k8s.artifacts, k8s.sessions, k8s.kudos), (1, 1, 1, 3, 1));
        assert!(k8s.score > 0);
        let rust = rows.iter().find(|r| r.skill_id == 2).unwrap();
        assert_eq!((rust.answers, rust.declared_level.as_deref()), (1, None));
        assert_eq!(rows.len(), 2, "unmapped keys and tags count for nothing: {rows:?}");
        assert_eq!(evidence.iter().filter(|e| e.skill_id == 1).count(), 5);
    }

    #[test]
    fn unknown_terms_get_close_suggestions() {
        let v = vocabulary();
        let names = |key: &str| suggestions(&v, key).into_iter().map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(names("kubernets"), vec!["Kubernetes"]);
        assert_eq!(names("kube"), vec!["Kubernetes"]);
        assert!(names("machine").contains(&"Machine learning".to_string()));
        assert!(names("zzzzzz").is_empty());
    }
}
