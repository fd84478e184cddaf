//! Mentor matching: an assignment of mentees to mentors that maximizes the
//! total compatibility, respecting each mentor's free capacity.
//!
//! Compatibility is built from complementary skills (what the mentee wants
//! to learn against what the mentor offers, weighted by the mentor's level),
//! shared interests, different teams and locations (cross-pollination) and
//! working-hour overlap across time zones (no overlap below the minimum means
//! no pair). The assignment is a min-cost flow over the sparse graph of
//! compatible pairs, so it is exact and stays quick at 10,000 people.

use copse_domain::SkillLevel;

/// Someone offering to mentor, with the slots they have left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorProfile {
    pub person_id: i64,
    pub team: String,
    pub location: String,
    /// Working hours as minutes after UTC midnight, `start < end`, `end` may
    /// exceed 1440 when the day wraps.
    pub work_utc: (i32, i32),
    /// Skill keys offered, with the mentor's declared level for each.
    pub skills: Vec<(String, SkillLevel)>,
    pub interests: Vec<String>,
    /// Capacity minus active and proposed pairings; 0 means never proposed.
    pub free_slots: u32,
}

/// Someone asking for a mentor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenteeProfile {
    pub person_id: i64,
    pub team: String,
    pub location: String,
    pub work_utc: (i32, i32),
    /// Skill keys they want to grow in.
    pub wanted_skills: Vec<String>,
    pub interests: Vec<String>,
}

/// Knobs, with defaults that suit an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchOptions {
    /// Fewest shared working minutes a pair needs.
    pub min_overlap_minutes: i32,
    /// Candidate mentors kept per mentee (best by compatibility) to keep the
    /// graph sparse.
    pub max_candidates_per_mentee: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self { min_overlap_minutes: 60, max_candidates_per_mentee: 30 }
    }
}

/// One proposed pair with its score (hundredths) and reasons in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairProposal {
    pub mentor_id: i64,
    pub mentee_id: i64,
    pub score: i64,
    pub reasons: Vec<String>,
}

/// Why a mentee got no proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// No mentor with free capacity offers a wanted skill with enough
    /// working-hour overlap.
    NoCompatibleMentor,
    /// Compatible mentors exist but their capacity went to better pairs.
    CapacityTaken,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchOutcome {
    pub pairs: Vec<PairProposal>,
    pub unmatched: Vec<(i64, Unmatched)>,
}

/// The compatibility of one pair, or `None` when they cannot pair (same
/// person, no wanted skill offered, too little overlap, no free slot).
pub fn compatibility(mentor: &MentorProfile, mentee: &MenteeProfile, options: &MatchOptions) -> Option<PairProposal> {
    let _ = (mentor, mentee, options);
    todo!("copse-insight helper")
}

/// The best assignment: total compatibility is maximal, no mentor gets more
/// than `free_slots` mentees, nobody is paired with themselves.
pub fn match_mentors(mentors: &[MentorProfile], mentees: &[MenteeProfile], options: &MatchOptions) -> MatchOutcome {
    let _ = (mentors, mentees, options);
    todo!("copse-insight helper")
}
