//! Stage evidence: which of the five stages the data supports, with the
//! reasons in plain words, shown beside the recorded stage.
//!
//! CONTRACT (scaffold).

use copse_domain::Stage;

use crate::activity::CommunityInput;
use crate::metrics::CommunityMetrics;

#[derive(Debug, Clone, PartialEq)]
pub struct StageSuggestion {
    pub stage: Stage,
    /// Plain-word reasons, e.g. "regular monthly rhythm for 7 months".
    pub reasons: Vec<String>,
    /// One sentence: "regular monthly rhythm for 7 months, 14 artifacts
    /// published, membership from 6 teams: maturing".
    pub summary: String,
    /// Whether it differs from the recorded stage.
    pub differs: bool,
}

pub fn suggest_stage(input: &CommunityInput, metrics: &CommunityMetrics) -> StageSuggestion {
    let _ = (input, metrics);
    todo!("stage helper")
}
