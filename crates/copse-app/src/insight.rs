//! Measurement use cases: the community health page (metrics, stage
//! evidence, diagnosis, alerts), the worker that keeps insight current as
//! contributions arrive, value stories and the value report.
//!
//! CONTRACT (scaffold by the lead): the view types below are what the web
//! layer renders. The plumbing helper fills in the behaviour and may add
//! fields; do not rename or remove.

use std::sync::Arc;

use copse_domain::{AlertStatus, Challenge, MembershipRole, MembershipStatus, Timestamp, ValueCycle};
use copse_insight::diagnosis::Finding;
use copse_insight::metrics::CommunityMetrics;
use copse_insight::stage::StageSuggestion;

use crate::{CommunityView, PersonRef};

/// An alert raised by a detector, with its lifecycle.
#[derive(Debug, Clone)]
pub struct AlertView {
    pub id: i64,
    pub challenge: Challenge,
    pub status: AlertStatus,
    /// The symptom sentence when it was last checked.
    pub symptom: String,
    pub opened_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    pub acknowledged_by: Option<PersonRef>,
    pub note: String,
    pub resolved_at: Option<Timestamp>,
    pub last_checked_at: Timestamp,
}

/// The community health page for one viewer.
#[derive(Debug, Clone)]
pub struct HealthPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub metrics: Arc<CommunityMetrics>,
    pub stage: Arc<StageSuggestion>,
    /// Which challenges are detected now, in `Challenge::ALL` order (shown
    /// to everyone who may see the health page; no evidence).
    pub detected: Vec<Challenge>,
    /// The full findings (evidence names people): only with
    /// `can_view_diagnosis`, otherwise empty.
    pub findings: Arc<Vec<Finding>>,
    /// Open and acknowledged alerts, then those resolved in the last 90
    /// days: only with `can_view_diagnosis`.
    pub alerts: Vec<AlertView>,
    pub can_view_diagnosis: bool,
    pub can_manage_alerts: bool,
    pub can_record_story: bool,
    pub can_view_report: bool,
    /// When the figures were computed.
    pub computed_at: Timestamp,
}

/// A piece of evidence a value story links to.
#[derive(Debug, Clone)]
pub struct EvidenceLink {
    /// thread | event | artifact
    pub kind: &'static str,
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct ValueStoryView {
    pub id: i64,
    pub cycle: ValueCycle,
    pub title: String,
    /// Markdown, rendered by the web layer.
    pub body: String,
    pub author: Option<PersonRef>,
    pub created_at: Timestamp,
    pub links: Vec<EvidenceLink>,
}

/// What someone types to record a value story. `links` are
/// `"thread:12"`, `"event:5"`, `"artifact:3"`.
#[derive(Debug, Clone, Default)]
pub struct ValueStoryInput {
    pub cycle: String,
    pub title: String,
    pub body: String,
    pub links: Vec<String>,
}

/// Recent threads, events and artifacts a new story can link to.
#[derive(Debug, Clone)]
pub struct ValueStoriesPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub stories: Vec<ValueStoryView>,
    pub can_record: bool,
    pub can_view_report: bool,
    /// Candidates for linking, newest first (a few dozen).
    pub linkable: Vec<EvidenceLink>,
}

/// The value report for sponsors: stories by cycle with their evidence,
/// plus the metrics, printable to PDF.
#[derive(Debug, Clone)]
pub struct ValueReport {
    pub community: CommunityView,
    pub sponsor: Option<PersonRef>,
    pub generated_at: Timestamp,
    /// Every cycle in order, with its stories (possibly none).
    pub cycles: Vec<(ValueCycle, Vec<ValueStoryView>)>,
    pub metrics: Arc<CommunityMetrics>,
    pub stage: Arc<StageSuggestion>,
    pub detected: Vec<Challenge>,
}

/// One tunable detector threshold, for the admin page.
#[derive(Debug, Clone)]
pub struct ThresholdView {
    pub key: &'static str,
    pub description: &'static str,
    pub value: f64,
    pub default: f64,
    pub min: f64,
    pub max: f64,
}
