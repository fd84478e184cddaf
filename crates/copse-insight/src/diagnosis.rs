//! The six challenges of the tutorial's table, each a detector with a
//! measured symptom, a tunable threshold, the evidence and concrete next
//! steps for this community.
//!
//! CONTRACT (scaffold): see the types below.

use copse_domain::Challenge;

use crate::activity::CommunityInput;
use crate::measure::Measure;
use crate::metrics::CommunityMetrics;

/// Where a next step points; the web layer turns it into a link.
#[derive(Debug, Clone, PartialEq)]
pub enum StepLink {
    MeetingPlanner,
    FacilitationRota,
    EditCharter,
    NewSurvey,
    NewEvent,
    NewThread,
    NewCommunity,
    ValueReport,
    OrganizationSide,
    Unanswered,
    Thread(i64),
    Artifact(i64),
    Person(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct NextStep {
    pub text: String,
    pub link: Option<StepLink>,
}

/// A small chart of the evidence: labelled values (bars or a trend).
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceChart {
    pub title: String,
    /// "bars" (categories) or "trend" (time, oldest first).
    pub style: &'static str,
    pub points: Vec<(String, f64)>,
    /// Unit suffix for the values ("%", " sessions", ...).
    pub unit: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Detected,
    Clear,
    NotEnoughData(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub challenge: Challenge,
    pub verdict: Verdict,
    /// One sentence with the numbers ("3 people wrote 71% of answers ...").
    pub symptom: String,
    /// The main measure and the threshold it is compared with.
    pub measure: Measure,
    pub threshold: f64,
    pub evidence: Vec<String>,
    pub chart: Option<EvidenceChart>,
    pub next_steps: Vec<NextStep>,
}

/// Admin-tunable thresholds; `settings` keys `diagnosis.<key>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub values: Vec<(&'static str, f64)>,
}

/// One tunable threshold: its settings key (without `diagnosis.`), what it
/// means, its default.
pub struct ThresholdSpec {
    pub key: &'static str,
    pub description: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
}

pub const THRESHOLDS: &[ThresholdSpec] = &[];

impl Thresholds {
    pub fn defaults() -> Self {
        Self { values: THRESHOLDS.iter().map(|s| (s.key, s.default)).collect() }
    }
    pub fn get(&self, key: &str) -> f64 {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .or_else(|| THRESHOLDS.iter().find(|s| s.key == key).map(|s| s.default))
            .unwrap_or(0.0)
    }
}

/// Runs all six detectors, in the order of `Challenge::ALL`.
pub fn diagnose(input: &CommunityInput, metrics: &CommunityMetrics, thresholds: &Thresholds) -> Vec<Finding> {
    let _ = (input, metrics, thresholds);
    todo!("diagnosis helper")
}
