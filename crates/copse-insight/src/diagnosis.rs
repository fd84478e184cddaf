//! The six challenges of the tutorial's table, each a detector with a
//! measured symptom, a tunable threshold, the evidence and concrete next
//! steps for this community.
//!
//! Every detector reads the [`CommunityInput`] directly: the window is the
//! last 90 days ending now ("this quarter", the UTC days `today - 89` to
//! `today`), compared with the 90 days before. A detector answers Detected,
//! Clear or NotEnoughData(reason) when its minimum data is not there; it
//! never panics and never yields NaN. The thresholds are admin-tunable
//! (settings `diagnosis.<key>`, see [`THRESHOLDS`]).

use copse_domain::Challenge;

use crate::activity::CommunityInput;
use crate::measure::Measure;
use crate::metrics::CommunityMetrics;

pub(crate) mod common;
mod dominance;
mod low_participation;
mod remote;
mod scope;
mod stagnation;
mod support;
#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;

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

impl NextStep {
    pub(crate) fn new(text: impl Into<String>, link: Option<StepLink>) -> Self {
        Self { text: text.into(), link }
    }
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

impl Finding {
    /// A finding that cannot be judged, with the reason as its symptom.
    pub(crate) fn not_enough(challenge: Challenge, reason: impl Into<String>, threshold: f64) -> Self {
        let reason = reason.into();
        Self {
            challenge,
            verdict: Verdict::NotEnoughData(reason.clone()),
            symptom: format!("Not enough data: {reason}."),
            measure: Measure::missing(reason),
            threshold,
            evidence: Vec::new(),
            chart: None,
            next_steps: Vec::new(),
        }
    }

    pub fn detected(&self) -> bool {
        self.verdict == Verdict::Detected
    }
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

pub const THRESHOLDS: &[ThresholdSpec] = &[
    ThresholdSpec {
        key: "low_participation.active_share",
        description: "Low participation: flagged when fewer than this share of members contributed anything in the \
                      last 90 days (0.20 = 20 %)",
        default: 0.20,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "low_participation.attendance",
        description: "Low participation: flagged when the sessions of the last 90 days (at least 2) drew fewer \
                      attendees than this on average",
        default: 3.0,
        min: 0.0,
        max: 1000.0,
    },
    ThresholdSpec {
        key: "dominance.top3_share",
        description: "Dominance: flagged when the top 3 responders wrote at least this share of the replies, \
                      answers and reviews of the last 90 days",
        default: 0.60,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "dominance.facilitation_share",
        description: "Dominance: flagged when one person facilitated at least this share of the last sessions (at \
                      least 6 of the last 10 with a facilitator)",
        default: 0.80,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "scope_creep.out_of_scope_share",
        description: "Scope creep: flagged when at least this share of the threads of the last 90 days match the \
                      charter's out-of-scope topics",
        default: 0.20,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "scope_creep.unmatched_share",
        description: "Scope creep: flagged when at least this share of the threads of the last 90 days match none \
                      of the charter's in-scope topics",
        default: 0.50,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "stagnation.decline",
        description: "Stagnation: flagged when contributions fell by at least this share against the 90 days \
                      before (0.40 = 40 %)",
        default: 0.40,
        min: 0.0,
        max: 1.0,
    },
    ThresholdSpec {
        key: "remote_barriers.gap",
        description: "Remote barriers: flagged when a region that has most sessions outside 08:00-19:00 attends \
                      at a rate this much below the other regions (0.20 = 20 points)",
        default: 0.20,
        min: 0.0,
        max: 1.0,
    },
];

impl Thresholds {
    pub fn defaults() -> Self {
        Self { values: THRESHOLDS.iter().map(|s| (s.key, s.default)).collect() }
    }

    /// The value for `key`: the configured one clamped to the spec's range
    /// (a non-finite one is ignored), else the default, else 0.
    pub fn get(&self, key: &str) -> f64 {
        let spec = THRESHOLDS.iter().find(|s| s.key == key);
        let configured = self.values.iter().find(|(k, v)| *k == key && v.is_finite()).map(|(_, v)| *v);
        match (configured, spec) {
            (Some(value), Some(spec)) => value.clamp(spec.min, spec.max),
            (Some(value), None) => value,
            (None, Some(spec)) => spec.default,
            (None, None) => 0.0,
        }
    }

    /// Replaces (or adds) one threshold.
    pub fn set(&mut self, key: &'static str, value: f64) {
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.values.push((key, value)),
        }
    }
}

/// Runs all six detectors, in the order of `Challenge::ALL`. The detectors
/// read `input` directly; `metrics` is not needed.
pub fn diagnose(input: &CommunityInput, _metrics: &CommunityMetrics, thresholds: &Thresholds) -> Vec<Finding> {
    diagnose_input(input, thresholds)
}

/// [`diagnose`] without precomputed metrics.
pub fn diagnose_input(input: &CommunityInput, thresholds: &Thresholds) -> Vec<Finding> {
    Challenge::ALL.iter().map(|&challenge| detect(challenge, input, thresholds)).collect()
}

/// Runs one detector.
pub fn detect(challenge: Challenge, input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    match challenge {
        Challenge::LowParticipation => low_participation::detect(input, thresholds),
        Challenge::Dominance => dominance::detect(input, thresholds),
        Challenge::ManagementSupport => support::detect(input, thresholds),
        Challenge::ScopeCreep => scope::detect(input, thresholds),
        Challenge::Stagnation => stagnation::detect(input, thresholds),
        Challenge::RemoteBarriers => remote::detect(input, thresholds),
    }
}
