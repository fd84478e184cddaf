//! Question routing: which few people an unanswered question is offered to.
//!
//! Candidates come ranked by expertise for the question's tags; routing
//! skips the asker, people who are away and people who already had their
//! weekly share of routed questions, and spreads load so the same experts
//! are not asked every time.

/// One person who might be offered a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingCandidate {
    pub person_id: i64,
    /// Expertise score for the question's tags, hundredths.
    pub score: i64,
    /// Questions routed to them in the last 7 days.
    pub routed_this_week: u32,
    pub away: bool,
    pub is_asker: bool,
}

/// Why a candidate was passed over, for the routing log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    Asker,
    Away,
    AtWeeklyCap,
    NoEvidence,
}

/// The outcome: who is offered the question, and who was skipped and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutingChoice {
    pub chosen: Vec<i64>,
    pub skipped: Vec<(i64, Skipped)>,
}

/// Chooses at most `how_many` people, never anyone at `weekly_cap`.
pub fn choose_routees(candidates: &[RoutingCandidate], how_many: usize, weekly_cap: u32) -> RoutingChoice {
    let _ = (candidates, how_many, weekly_cap);
    todo!("copse-insight helper")
}
