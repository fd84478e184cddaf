//! Expertise: a score per person and skill that explains itself, and the
//! ranking behind "who knows X?".
//!
//! The score adds points for each piece of evidence (declared level,
//! accepted answers, answers, artifacts, sessions led, kudos received for
//! the skill); every part is listed with its points so a page can show why a
//! person ranks where they do. Ranking prefers people outside the asker's own
//! team when scores are close.

use copse_domain::SkillLevel;

/// What copse knows about one person and one skill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub declared: Option<SkillLevel>,
    pub accepted_answers: u32,
    pub answers: u32,
    pub artifacts: u32,
    pub sessions: u32,
    pub kudos: u32,
}

/// One line of a score's explanation: "3 accepted answers: +24".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScorePart {
    pub label: String,
    /// In hundredths of a point.
    pub points: i64,
}

/// A score (hundredths of a point) with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertiseScore {
    pub total: i64,
    pub parts: Vec<ScorePart>,
}

/// Scores the evidence. Never negative; zero evidence scores zero.
pub fn score(evidence: &Evidence) -> ExpertiseScore {
    let _ = evidence;
    todo!("copse-insight helper")
}

/// One candidate for "who knows X?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub person_id: i64,
    pub team: String,
    /// From [`score`], hundredths.
    pub score: i64,
}

/// A ranked candidate: the score used for ordering and whether the
/// outside-team preference applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub person_id: i64,
    pub score: i64,
    pub ranking_score: i64,
    pub outside_asker_team: bool,
}

/// Orders candidates best first. When the asker has a team, people outside
/// it are preferred when scores are close (a bounded bonus, never enough to
/// jump a clearly stronger candidate). Ties break by person id so the order
/// is stable.
pub fn rank_for_asker(candidates: &[Candidate], asker_team: &str) -> Vec<Ranked> {
    let _ = (candidates, asker_team);
    todo!("copse-insight helper")
}
