//! Measurement use cases: the community health page (metrics, stage
//! evidence, diagnosis, alerts), the worker that keeps insight current as
//! contributions arrive, value stories and the value report.
//!
//! The view types below are what the web layer renders.

use std::sync::Arc;

use chrono::{NaiveDate, Timelike};
use copse_domain::recurrence::{SeriesTiming, expand, local_to_utc};
use copse_domain::{
    Action, AlertStatus, Challenge, CommunityId, FieldErrors, MembershipRole, MembershipStatus, PersonId, Stage,
    TimeZone, Timestamp, ValueCycle, can, local_key, parse_local_key,
};
use copse_insight::activity::{
    ArtifactCreated, Charter, CommunityInput, ContributionKind, DAY_MS, DailyCount, Membership, Occurrence, OrgSupport,
    PairCount, PersonInfo, Question, Reuse, SkillChange, SurveyFact, TimeSaved, Topic, ValueStoryFact, day_of,
};
use copse_insight::diagnosis::{self, Finding, Thresholds, Verdict};
use copse_insight::metrics::{CommunityMetrics, month_start_day};
use copse_insight::stage::StageSuggestion;
use copse_store::{CommunityRow, InsightSource, InsightSummary, InsightWindow, NewValueStory, StoreError};

use crate::communities::{access_of, community_view, membership_of};
use crate::{App, AppError, CommunityView, PersonRef, Viewer};

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

/// One line of `copse insight metrics --json`: a month of a community, or a
/// newcomer cohort.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricExportRow {
    Month {
        community: String,
        /// `YYYY-MM-DD`, the first day of the month (UTC).
        start: String,
        active_participants: i64,
        gini: Option<f64>,
        absence_factor: Option<f64>,
        median_hours_to_first_response: Option<f64>,
    },
    Cohort {
        community: String,
        cohort: String,
        joined: i64,
        active_month_1: Option<f64>,
        active_month_3: Option<f64>,
    },
}

/// What `copse insight recompute` did.
#[derive(Debug, Clone, Default)]
pub struct RecomputeReport {
    pub communities: usize,
    pub daily_rows: i64,
    pub pair_rows: i64,
}

/// The figures of one community computed at one instant: what the health
/// page, the value report and the worker read. Cached per process, checked
/// against (communities.version, insight_state.version), 60 s lifetime.
#[derive(Debug)]
pub struct ComputedInsight {
    pub input: CommunityInput,
    pub metrics: Arc<CommunityMetrics>,
    pub findings: Arc<Vec<Finding>>,
    pub stage: Arc<StageSuggestion>,
    pub computed_at: Timestamp,
}

/// How far back the input reaches: two years of rollups and sessions.
const HISTORY_DAYS: i64 = 730;
/// Topics for scope and repetition.
const TOPIC_DAYS: i64 = 180;
/// "This quarter".
const WINDOW_DAYS: i64 = 90;
/// A check older than this is redone even when nothing changed (metrics
/// drift with time alone).
const RECHECK_MS: i64 = 3_600_000;
const MAX_OCCURRENCES: usize = 5_000;
const VALUE_REPORT: &str = "value-report";
const LINKABLE: i64 = 40;

fn key_of(at: Timestamp) -> String {
    local_key(at.to_utc().naive_utc())
}

fn date_of_day(day: i64) -> String {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (epoch + chrono::Duration::days(day)).format("%Y-%m-%d").to_string()
}

fn split_tags(tags: &str) -> Vec<String> {
    tags.split_whitespace().map(str::to_string).collect()
}

fn scope_entries(text: &str) -> Vec<String> {
    text.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Parses an RFC 3339 instant (`2026-11-01T00:00:00Z`), for `--at`.
pub fn parse_instant(text: &str) -> Result<Timestamp, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| Timestamp(t.timestamp_millis()))
        .map_err(|e| format!("'{text}' is not an RFC 3339 instant: {e}"))
}

/// "healthy" / "watch" / "at risk" by the number of current alerts.
pub fn health_label(open_alerts: i64) -> &'static str {
    match open_alerts {
        0 => "healthy",
        1 => "watch",
        _ => "at risk",
    }
}

/// The session occurrences of the community that have started by `now`.
fn occurrences(
    events: &[copse_store::EventRow],
    exceptions: &[copse_store::ExceptionRow],
    source: &InsightSource,
    from: Timestamp,
    now: Timestamp,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let (from, to) = (from.to_utc(), now.to_utc());
    for event in events.iter().filter(|e| e.status != "cancelled") {
        let Ok(start_local) = parse_local_key(&event.start_local) else { continue };
        let zone = TimeZone::parse(&event.time_zone).unwrap_or_else(|_| TimeZone::utc());
        let timing = SeriesTiming {
            start_local,
            zone: zone.0,
            duration_minutes: event.duration_minutes.clamp(1, i64::from(u32::MAX)) as u32,
            recurrence: event.rrule.as_deref().and_then(|r| copse_domain::recurrence::Recurrence::parse(r).ok()),
            excluded: Vec::new(),
        };
        let theirs: Vec<&copse_store::ExceptionRow> = exceptions.iter().filter(|x| x.event_id == event.id).collect();
        let mut starts: Vec<(String, chrono::NaiveDateTime, i64)> = Vec::new();
        for o in expand(&timing, from, to, MAX_OCCURRENCES) {
            let key = local_key(o.original_start_local);
            match theirs.iter().find(|x| x.original_start_local == key) {
                Some(_) => {} // cancelled, or moved (added below)
                None => starts.push((key, o.original_start_local, o.start.timestamp_millis())),
            }
        }
        for x in theirs.iter().filter(|x| x.cancelled == 0) {
            let Some(local) = x.start_local.as_deref().and_then(|s| parse_local_key(s).ok()) else { continue };
            let start = local_to_utc(zone.0, local);
            if start >= from && start < to {
                starts.push((x.original_start_local.clone(), local, start.timestamp_millis()));
            }
        }
        for (key, local, start) in starts {
            let matches =
                |r: &&copse_store::OccurrencePersonRow| r.event_id == event.id && r.original_start_local == key;
            let details = source.details.iter().find(|d| d.event_id == event.id && d.original_start_local == key);
            out.push(Occurrence {
                event: event.id,
                title: event.title.clone(),
                start,
                time_zone: event.time_zone.clone(),
                local_start_minute: i64::from(local.hour()) * 60 + i64::from(local.minute()),
                format: event.format.clone(),
                facilitator: details.and_then(|d| d.facilitator_id).or(event.facilitator_id),
                going: source.going.iter().filter(matches).map(|r| r.person_id).collect(),
                attended: source.attended.iter().filter(matches).map(|r| r.person_id).collect(),
                recorded: details.is_some_and(|d| !d.recording_url.trim().is_empty()),
            });
        }
    }
    out.sort_by_key(|o| o.start);
    out
}

/// Turns the store's rows into the brain's input, as of `now`: nothing
/// after `now` is included (so an export "as of" a past instant agrees
/// with a computation made then).
fn build_input(
    row: &CommunityRow,
    source: InsightSource,
    occurrences: Vec<Occurrence>,
    now: Timestamp,
) -> CommunityInput {
    let now_ms = now.millis();
    let today = day_of(now_ms);
    let mut input = CommunityInput::empty(row.id, now_ms);
    input.name = row.name.clone();
    input.created_at = row.created_at;
    input.stage = Stage::parse(&row.stage).unwrap_or(Stage::Potential);
    input.stage_history = source
        .stage_history
        .iter()
        .filter(|(at, _)| *at <= now_ms)
        .filter_map(|(at, s)| Stage::parse(s).ok().map(|s| (*at, s)))
        .collect();
    input.charter = Charter {
        domain: row.domain.clone(),
        purpose: row.purpose.clone(),
        in_scope: scope_entries(&row.in_scope),
        out_of_scope: scope_entries(&row.out_of_scope),
        goals: source.goals.clone(),
    };
    input.people = source
        .people
        .iter()
        .map(|p| PersonInfo {
            id: p.id,
            handle: p.handle.clone(),
            name: p.name.clone(),
            team: p.team.clone(),
            location: p.location.clone(),
            experience: p.experience.clone(),
            time_zone: if p.time_zone == "UTC" && p.location.trim().is_empty() {
                None
            } else {
                TimeZone::parse(&p.time_zone).ok().map(|z| z.0.name().to_string())
            },
            work_start_minute: p.work_start_minute,
            work_end_minute: p.work_end_minute,
        })
        .collect();
    input.memberships = source
        .memberships
        .iter()
        // Pending requests and invitations are not memberships yet (ended
        // ones are deleted rows), so a cohort counts only people who joined.
        .filter(|m| m.joined_at <= now_ms && m.status == "active")
        .map(|m| Membership {
            person: m.person_id,
            joined_at: m.joined_at,
            active: m.status == "active",
            facilitator: m.role == "facilitator",
        })
        .collect();
    input.activity = source
        .daily
        .iter()
        .filter(|d| d.day <= today)
        .map(|d| DailyCount { day: d.day, person: d.person_id, kind: ContributionKind::parse(&d.kind), count: d.n })
        .collect();
    let mut pairs: std::collections::BTreeMap<(i64, i64, i64), i64> = std::collections::BTreeMap::new();
    for p in source.pairs.iter().filter(|p| p.day <= today) {
        *pairs.entry((month_start_day(p.day), p.person_id, p.other_id)).or_default() += p.n;
    }
    input.interactions = pairs
        .into_iter()
        .map(|((month_start_day, person, other), count)| PairCount { month_start_day, person, other, count })
        .collect();
    input.occurrences = occurrences;
    input.questions = source
        .questions
        .iter()
        .filter(|q| q.created_at <= now_ms)
        .map(|q| Question {
            thread: q.id,
            title: q.title.clone(),
            asker: q.author_id,
            created_at: q.created_at,
            first_response_at: q.first_response_at.filter(|at| *at <= now_ms),
            accepted_at: q.accepted_at.filter(|at| *at <= now_ms),
            tags: split_tags(&q.tags),
        })
        .collect();
    input.topics = source
        .topics
        .iter()
        .filter(|t| t.at <= now_ms)
        .map(|t| Topic {
            at: t.at,
            source: match t.source.as_str() {
                "artifact" => "artifact",
                "event" => "event",
                _ => "thread",
            },
            id: t.id,
            title: t.title.clone(),
            tags: split_tags(&t.tags),
        })
        .collect();
    input.artifacts = source
        .artifacts
        .iter()
        .filter(|a| a.created_at <= now_ms)
        .map(|a| ArtifactCreated {
            artifact: a.id,
            at: a.created_at,
            author: a.created_by,
            published: a.status == "published",
        })
        .collect();
    input.reuses = source
        .reuses
        .iter()
        .filter(|r| r.at <= now_ms)
        .map(|r| Reuse { artifact: r.artifact_id, at: r.at, person: r.person_id, outside_author_team: r.outside != 0 })
        .collect();
    input.time_saved = source
        .time_saved
        .iter()
        .filter(|(at, _)| *at <= now_ms)
        .map(|(at, m)| TimeSaved { at: *at, minutes: *m })
        .collect();
    input.proposals_accepted = source.proposals_accepted.iter().copied().filter(|at| *at <= now_ms).collect();
    input.value_stories = source
        .value_stories
        .iter()
        .filter(|(at, _)| *at <= now_ms)
        .filter_map(|(at, cycle)| ValueCycle::parse(cycle).ok().map(|cycle| ValueStoryFact { at: *at, cycle }))
        .collect();
    // Per person and skill: the first "before", and the last "after" that
    // follows it.
    let mut changes: Vec<SkillChange> = Vec::new();
    let assessments: Vec<_> = source.skill_assessments.iter().filter(|a| a.at <= now_ms).collect();
    for a in assessments.iter().filter(|a| a.phase == "before") {
        if changes.iter().any(|c| c.person == a.person_id && c.skill == a.skill_key) {
            continue;
        }
        let after = assessments
            .iter()
            .filter(|b| b.phase == "after" && b.person_id == a.person_id && b.skill_key == a.skill_key && b.at >= a.at)
            .max_by_key(|b| b.at);
        if let Some(b) = after {
            changes.push(SkillChange {
                person: a.person_id,
                skill: a.skill_key.clone(),
                before: a.level,
                after: b.level,
                after_at: b.at,
            });
        }
    }
    input.skill_changes = changes;
    input.surveys = source
        .surveys
        .iter()
        .filter(|s| s.opens_at <= now_ms)
        .map(|s| {
            let published = s.status == "closed" && s.response_count >= crate::SURVEY_RESULTS_FLOOR;
            let mean = |sum: i64, count: i64| {
                (published && count >= crate::SURVEY_RESULTS_FLOOR).then(|| sum as f64 / count as f64)
            };
            SurveyFact {
                opened_at: s.opens_at,
                closed_at: if s.status == "closed" { s.closes_at.or(Some(s.opens_at)) } else { None },
                invited: s.audience_count,
                responses: s.response_count,
                satisfaction_mean: mean(s.satisfaction_sum, s.satisfaction_count),
                usefulness_mean: mean(s.usefulness_sum, s.usefulness_count),
            }
        })
        .collect();
    let org = &source.org;
    input.org = OrgSupport {
        sponsor: org.sponsor_id,
        sponsor_sessions_attended_last_year: org.sponsor_sessions_attended,
        sponsor_reports_read_last_year: org.sponsor_reports_read,
        members_with_time: org.members_with_time,
        hours_per_month: org.hours_per_month,
        budget_requested_cents: org.budget_requested_cents,
        budget_granted_cents: org.budget_granted_cents,
        budget_lines_cut: org.budget_lines_cut,
        budget_lines_undecided: org.budget_lines_undecided,
    };
    input
}

/// The worker's summary of a community, straight from the input (so it does
/// not depend on how the metrics are laid out).
fn summarize(input: &CommunityInput, stage: &StageSuggestion, open_alerts: i64, computed: bool) -> InsightSummary {
    let since = input.now - WINDOW_DAYS * DAY_MS;
    let since_day = day_of(since);
    let mut active: Vec<i64> = input
        .activity
        .iter()
        .filter(|d| d.day >= since_day && d.kind.counts_as_participation() && d.count > 0)
        .map(|d| d.person)
        .collect();
    active.sort_unstable();
    active.dedup();
    InsightSummary {
        health: computed.then(|| health_label(open_alerts).to_string()),
        open_alerts,
        active_90d: active.len() as i64,
        members: input.memberships.iter().filter(|m| m.active).count() as i64,
        problems_solved_90d: input.questions.iter().filter(|q| q.accepted_at.is_some_and(|a| a >= since)).count()
            as i64,
        artifacts_90d: input.artifacts.iter().filter(|a| a.at >= since).count() as i64,
        reuse_90d: input.reuses.iter().filter(|r| r.at >= since).count() as i64,
        stories_90d: input.value_stories.iter().filter(|s| s.at >= since).count() as i64,
        suggested_stage: Some(stage.stage.as_str().to_string()),
        stage_summary: stage.summary.clone(),
    }
}

fn alert_view(row: copse_store::AlertRow) -> Option<AlertView> {
    Some(AlertView {
        id: row.id,
        challenge: Challenge::parse(&row.challenge).ok()?,
        status: AlertStatus::parse(&row.status).ok()?,
        symptom: row.symptom,
        opened_at: Timestamp(row.opened_at),
        acknowledged_at: row.acknowledged_at.map(Timestamp),
        acknowledged_by: match (row.acknowledged_by, row.acknowledged_by_handle, row.acknowledged_by_name) {
            (Some(id), Some(handle), Some(name)) => {
                Some(PersonRef { id: PersonId(id), handle, name, team: String::new() })
            }
            _ => None,
        },
        note: row.note,
        resolved_at: row.resolved_at.map(Timestamp),
        last_checked_at: Timestamp(row.last_checked_at),
    })
}

fn is_sponsor(viewer: &Viewer, row: &CommunityRow) -> bool {
    viewer.person().is_some_and(|p| row.sponsor_id == Some(p.0))
}

/// Combines the two versions a computation depends on into the cache's key.
fn cache_version(community_version: i64, insight_version: i64) -> i64 {
    (community_version as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) as i64 ^ insight_version
}

/// Parses `"thread:12"`, `"event:5"`, `"artifact:3"`.
fn parse_link(text: &str) -> Result<(&'static str, i64), String> {
    let (kind, id) = text.trim().split_once(':').ok_or_else(|| format!("'{text}' is not a link: use thread:ID"))?;
    let kind = match kind.trim() {
        "thread" => "thread",
        "event" => "event",
        "artifact" => "artifact",
        other => return Err(format!("'{other}' cannot be linked: use a thread, event or artifact")),
    };
    let id = id.trim().parse::<i64>().map_err(|_| format!("'{text}' does not name a {kind}"))?;
    Ok((kind, id))
}

impl App {
    /// The in-process cache of computed insight: every request within a
    /// minute with unchanged versions reuses the computation.
    fn insight_cache(&self) -> Option<&crate::cache::VersionedCache<ComputedInsight>> {
        Some(&self.inner.caches.insight)
    }

    async fn diagnosis_settings(&self) -> Result<Thresholds, AppError> {
        let mut values = Vec::with_capacity(diagnosis::THRESHOLDS.len());
        for spec in diagnosis::THRESHOLDS {
            let stored = self.store().find_setting(&format!("diagnosis.{}", spec.key)).await?;
            let value = stored
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= spec.min && *v <= spec.max)
                .unwrap_or(spec.default);
            values.push((spec.key, value));
        }
        Ok(Thresholds { values })
    }

    /// Reads everything about one community and builds the brain's input.
    pub async fn insight_input(&self, community: CommunityId, now: Timestamp) -> Result<CommunityInput, AppError> {
        let row = self.store().get_community(community).await?;
        self.input_for(&row, now).await
    }

    async fn input_for(&self, row: &CommunityRow, now: Timestamp) -> Result<CommunityInput, AppError> {
        let since = now.minus_days(HISTORY_DAYS);
        let window = InsightWindow {
            community: CommunityId(row.id),
            since,
            topics_since: now.minus_days(TOPIC_DAYS),
            since_key: key_of(since.minus_days(2)),
            sponsor_since: now.minus_days(365),
            sponsor_since_key: key_of(now.minus_days(366)),
        };
        let source = self.store().load_insight_source(&window).await?;
        let events = self.store().list_community_events(CommunityId(row.id), since, now).await?;
        let exceptions = self.store().list_community_exceptions(CommunityId(row.id)).await?;
        let occurrences = occurrences(&events, &exceptions, &source, since, now);
        Ok(build_input(row, source, occurrences, now))
    }

    async fn compute_insight(&self, row: &CommunityRow, now: Timestamp) -> Result<ComputedInsight, AppError> {
        let input = self.input_for(row, now).await?;
        let thresholds = self.diagnosis_settings().await?;
        let metrics = copse_insight::metrics::compute(&input);
        let findings = diagnosis::diagnose(&input, &metrics, &thresholds);
        let stage = copse_insight::stage::suggest_stage(&input, &metrics);
        Ok(ComputedInsight {
            input,
            metrics: Arc::new(metrics),
            findings: Arc::new(findings),
            stage: Arc::new(stage),
            computed_at: now,
        })
    }

    /// The computed insight of a community, from the cache when neither the
    /// community nor its activity changed within the last minute.
    async fn insight_of(&self, row: &CommunityRow) -> Result<Arc<ComputedInsight>, AppError> {
        let insight_version = self.store().insight_version(CommunityId(row.id)).await?;
        let version = cache_version(row.version, insight_version);
        if let Some(hit) = self.insight_cache().and_then(|c| c.get(row.id, version)) {
            return Ok(hit);
        }
        let computed = Arc::new(self.compute_insight(row, Timestamp::now()).await?);
        if let Some(cache) = self.insight_cache() {
            cache.put(row.id, version, computed.clone());
        }
        Ok(computed)
    }

    /// The community health page: metrics, stage evidence, which challenges
    /// are detected; findings with their evidence and the alerts only for
    /// those who may see the diagnosis (facilitators, the sponsor, admins).
    pub async fn community_health(&self, viewer: &Viewer, slug: &str) -> Result<HealthPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::ViewHealth(&access)) {
            return Err(AppError::NotFound("community"));
        }
        let sponsor = is_sponsor(viewer, &row.community);
        let can_view_diagnosis = can(&viewer.actor, Action::ViewDiagnosis(&access, sponsor));
        let computed = self.insight_of(&row.community).await?;
        let detected: Vec<Challenge> =
            computed.findings.iter().filter(|f| f.verdict == Verdict::Detected).map(|f| f.challenge).collect();
        let alerts = if can_view_diagnosis {
            self.store()
                .list_alerts(CommunityId(row.community.id), Timestamp::now().minus_days(WINDOW_DAYS))
                .await?
                .into_iter()
                .filter_map(alert_view)
                .collect()
        } else {
            Vec::new()
        };
        Ok(HealthPage {
            community: community_view(&row.community),
            membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
            metrics: computed.metrics.clone(),
            stage: computed.stage.clone(),
            detected,
            findings: if can_view_diagnosis { computed.findings.clone() } else { Arc::new(Vec::new()) },
            alerts,
            can_view_diagnosis,
            can_manage_alerts: can(&viewer.actor, Action::ManageAlerts(&access)),
            can_record_story: can(&viewer.actor, Action::RecordValueStory(&access)),
            can_view_report: can(&viewer.actor, Action::ViewValueReport(&access, sponsor)),
            computed_at: computed.computed_at,
        })
    }

    /// Checks one community now: computes, moves its alerts through their
    /// lifecycle and writes its insight state.
    async fn check_community(&self, community: CommunityId) -> Result<(), AppError> {
        let insight_version = self.store().insight_version(community).await?;
        let row = match self.store().get_community(community).await {
            Ok(row) => row,
            Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let now = Timestamp::now();
        let computed = self.compute_insight(&row, now).await?;
        for finding in computed.findings.iter() {
            let challenge = finding.challenge.as_str();
            match &finding.verdict {
                Verdict::Detected => {
                    self.store().raise_alert(community, challenge, &finding.symptom, now).await?;
                }
                Verdict::Clear => {
                    self.store().resolve_alert(community, challenge, now).await?;
                }
                Verdict::NotEnoughData(_) => self.store().touch_alert(community, challenge, now).await?,
            }
        }
        let open = self
            .store()
            .list_alerts(community, now)
            .await?
            .iter()
            .filter(|a| a.status != AlertStatus::Resolved.as_str())
            .count() as i64;
        let summary = summarize(&computed.input, &computed.stage, open, true);
        self.store().write_insight_state(community, insight_version, row.version, &summary, now).await?;
        if let Some(cache) = self.insight_cache() {
            cache.put(row.id, cache_version(row.version, insight_version), Arc::new(computed));
        }
        Ok(())
    }

    /// The worker: checks up to `limit` communities whose activity or
    /// definition changed since their last check (or whose check is over an
    /// hour old). Returns how many were checked. Two processes may check the
    /// same community; the alerts' unique index keeps one current alert per
    /// challenge.
    pub async fn check_insights(&self, limit: i64) -> Result<usize, AppError> {
        let due = self.store().list_insight_due(Timestamp(Timestamp::now().millis() - RECHECK_MS), limit).await?;
        for row in &due {
            self.check_community(CommunityId(row.community_id)).await?;
        }
        Ok(due.len())
    }

    /// Rebuilds the rollups from the activity record, then checks every
    /// community. `progress(done, total)` follows the checks.
    pub async fn recompute_insights(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<RecomputeReport, AppError> {
        let (daily_rows, pair_rows) = self.store().rebuild_rollups().await?;
        let communities = self.store().list_community_ids().await?;
        let total = communities.len() as u64;
        progress(0, total);
        for (i, (id, _)) in communities.iter().enumerate() {
            self.check_community(CommunityId(*id)).await?;
            progress(i as u64 + 1, total);
        }
        Ok(RecomputeReport { communities: communities.len(), daily_rows, pair_rows })
    }

    /// Acknowledges an open alert with a note (facilitators, admins).
    pub async fn acknowledge_alert(&self, viewer: &Viewer, id: i64, note: &str) -> Result<(), AppError> {
        let me = viewer.require_person()?;
        let alert = self.store().find_alert(id).await?.ok_or(AppError::NotFound("alert"))?;
        let community = self.store().get_community(CommunityId(alert.community_id)).await?;
        let row = self.visible_community(viewer, &community.slug).await.map_err(|_| AppError::NotFound("alert"))?;
        let access = access_of(&row);
        let sponsor = is_sponsor(viewer, &row.community);
        if !can(&viewer.actor, Action::ViewDiagnosis(&access, sponsor)) {
            return Err(AppError::NotFound("alert"));
        }
        if !can(&viewer.actor, Action::ManageAlerts(&access)) {
            return Err(AppError::Forbidden("only facilitators and administrators acknowledge alerts"));
        }
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(AppError::invalid("note", "A note is at most 2,000 characters"));
        }
        if alert.status == AlertStatus::Resolved.as_str() {
            return Err(AppError::Conflict { field: "alert", message: "the alert is already resolved".into() });
        }
        match self.store().acknowledge_alert(id, CommunityId(alert.community_id), me, note, Timestamp::now()).await {
            Err(StoreError::NotFound) => {
                Err(AppError::Conflict { field: "alert", message: "the alert is already resolved".into() })
            }
            other => Ok(other?),
        }
    }

    /// Moves the community to the stage its data supports, with the
    /// suggestion's summary as the note (facilitators, admins). Returns the
    /// new stage.
    pub async fn accept_stage_suggestion(&self, viewer: &Viewer, slug: &str) -> Result<Stage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::ManageAlerts(&access)) {
            return Err(AppError::Forbidden("only facilitators and administrators accept a stage suggestion"));
        }
        let computed = self.insight_of(&row.community).await?;
        let suggested = computed.stage.stage;
        if suggested.as_str() == row.community.stage {
            return Err(AppError::Conflict {
                field: "stage",
                message: format!("the community is already {}", suggested.label()),
            });
        }
        let mut note = format!("accepted copse's suggestion: {}", computed.stage.summary);
        if note.chars().count() > 1000 {
            note = note.chars().take(999).collect::<String>() + "…";
        }
        self.change_stage(viewer, slug, suggested.as_str(), &note).await?;
        Ok(suggested)
    }

    async fn story_views(&self, community: CommunityId) -> Result<Vec<ValueStoryView>, AppError> {
        let rows = self.store().list_value_stories(community).await?;
        let links = self.store().list_value_story_links(community).await?;
        Ok(rows
            .into_iter()
            .filter_map(|s| {
                let cycle = ValueCycle::parse(&s.cycle).ok()?;
                let links = links
                    .iter()
                    .filter(|l| l.story_id == s.id && l.community_id == Some(community.0) && l.hidden == 0)
                    .filter_map(|l| {
                        let kind = match l.target.as_str() {
                            "thread" => "thread",
                            "event" => "event",
                            "artifact" => "artifact",
                            _ => return None,
                        };
                        Some(EvidenceLink { kind, id: l.target_id, title: l.title.clone()? })
                    })
                    .collect();
                Some(ValueStoryView {
                    id: s.id,
                    cycle,
                    title: s.title,
                    body: s.body,
                    author: match (s.author_id, s.author_handle, s.author_name) {
                        (Some(id), Some(handle), Some(name)) => {
                            Some(PersonRef { id: PersonId(id), handle, name, team: s.author_team.unwrap_or_default() })
                        }
                        _ => None,
                    },
                    created_at: Timestamp(s.created_at),
                    links,
                })
            })
            .collect())
    }

    /// A community's value stories, with what a new story can link to.
    pub async fn value_stories_page(&self, viewer: &Viewer, slug: &str) -> Result<ValueStoriesPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::ViewHealth(&access)) {
            return Err(AppError::NotFound("community"));
        }
        let id = CommunityId(row.community.id);
        let can_record = can(&viewer.actor, Action::RecordValueStory(&access));
        let linkable = if can_record {
            self.store()
                .list_link_targets(id, LINKABLE)
                .await?
                .into_iter()
                .filter_map(|t| {
                    let kind = match t.target.as_str() {
                        "thread" => "thread",
                        "event" => "event",
                        "artifact" => "artifact",
                        _ => return None,
                    };
                    Some(EvidenceLink { kind, id: t.id, title: t.title })
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(ValueStoriesPage {
            community: community_view(&row.community),
            membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
            stories: self.story_views(id).await?,
            can_record,
            can_view_report: can(&viewer.actor, Action::ViewValueReport(&access, is_sponsor(viewer, &row.community))),
            linkable,
        })
    }

    /// Records a value story (active members). The cycle must be one of the
    /// five, the title 3-200 characters, the body at most 20,000, and every
    /// link a thread, event or artifact of this community the viewer may see.
    /// Returns the story's id.
    pub async fn record_value_story(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &ValueStoryInput,
    ) -> Result<i64, AppError> {
        let me = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::RecordValueStory(&access)) {
            return Err(AppError::Forbidden("only active members record value stories"));
        }
        let community = CommunityId(row.community.id);
        let mut errors = FieldErrors::new();
        let cycle = errors.check("cycle", ValueCycle::parse(input.cycle.trim()));
        let title = input.title.trim();
        let title_len = title.chars().count();
        if !(3..=200).contains(&title_len) {
            errors.add("title", "A title is 3 to 200 characters");
        }
        if input.body.chars().count() > 20_000 {
            errors.add("body", "A story is at most 20,000 characters");
        }
        let mut links: Vec<(&'static str, i64)> = Vec::new();
        for text in input.links.iter().filter(|l| !l.trim().is_empty()) {
            match parse_link(text) {
                Err(message) => errors.add("links", message),
                Ok((kind, id)) => match self.store().find_link_target(kind, id).await? {
                    Some(t) if t.community_id == community.0 && t.hidden == 0 => {
                        if !links.contains(&(kind, id)) {
                            links.push((kind, id));
                        }
                    }
                    _ => errors.add("links", format!("{kind} {id} is not part of this community")),
                },
            }
        }
        if links.len() > 20 {
            errors.add("links", "A story links to at most 20 pieces of evidence");
        }
        errors.finish()?;
        let Some(cycle) = cycle else { return Err(AppError::invalid("cycle", "choose a value cycle")) };
        Ok(self
            .store()
            .insert_value_story(&NewValueStory {
                community,
                author: me,
                cycle: cycle.as_str(),
                title,
                body: &input.body,
                links: &links,
                at: Timestamp::now(),
            })
            .await?)
    }

    /// The value report for sponsors (the sponsor, facilitators, admins):
    /// stories by cycle, the metrics, the stage evidence. Opening it is
    /// recorded as a report read.
    pub async fn value_report(&self, viewer: &Viewer, slug: &str) -> Result<ValueReport, AppError> {
        let me = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let sponsor_viewing = is_sponsor(viewer, &row.community);
        if !can(&viewer.actor, Action::ViewValueReport(&access, sponsor_viewing)) {
            return Err(AppError::Forbidden("the value report is for the sponsor, facilitators and administrators"));
        }
        let id = CommunityId(row.community.id);
        let now = Timestamp::now();
        self.store().insert_report_read(id, me, VALUE_REPORT, now).await?;
        let computed = self.insight_of(&row.community).await?;
        let stories = self.story_views(id).await?;
        let cycles =
            ValueCycle::ALL.iter().map(|c| (*c, stories.iter().filter(|s| s.cycle == *c).cloned().collect())).collect();
        let sponsor = match row.community.sponsor_id {
            Some(s) => {
                let p = self.store().get_person(PersonId(s)).await?;
                Some(PersonRef { id: PersonId(p.id), handle: p.handle, name: p.name, team: p.team })
            }
            None => None,
        };
        Ok(ValueReport {
            community: community_view(&row.community),
            sponsor,
            generated_at: now,
            cycles,
            metrics: computed.metrics.clone(),
            stage: computed.stage.clone(),
            detected: computed
                .findings
                .iter()
                .filter(|f| f.verdict == Verdict::Detected)
                .map(|f| f.challenge)
                .collect(),
        })
    }

    /// The detectors' thresholds with their current values (admins).
    pub async fn diagnosis_thresholds(&self, viewer: &Viewer) -> Result<Vec<ThresholdView>, AppError> {
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators tune the diagnosis"));
        }
        let current = self.diagnosis_settings().await?;
        Ok(diagnosis::THRESHOLDS
            .iter()
            .map(|s| ThresholdView {
                key: s.key,
                description: s.description,
                value: current.get(s.key),
                default: s.default,
                min: s.min,
                max: s.max,
            })
            .collect())
    }

    /// Sets one threshold (admins); `value` as typed, checked against the
    /// threshold's bounds. Every community is re-checked by the worker
    /// within the hour (at once for those whose activity moves).
    pub async fn set_diagnosis_threshold(&self, viewer: &Viewer, key: &str, value: &str) -> Result<f64, AppError> {
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators tune the diagnosis"));
        }
        let spec = diagnosis::THRESHOLDS
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| AppError::invalid("key", format!("'{key}' is not a threshold")))?;
        let parsed = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| AppError::invalid("value", format!("'{}' is not a number", value.trim())))?;
        if parsed < spec.min || parsed > spec.max {
            return Err(AppError::invalid("value", format!("use a value from {} to {}", spec.min, spec.max)));
        }
        self.store().set_setting(&format!("diagnosis.{}", spec.key), &parsed.to_string()).await?;
        Ok(parsed)
    }

    /// The key metric definitions for every community, as of `at` (now when
    /// `None`): the last 12 months (active participants, Gini, Contributor
    /// Absence Factor, median hours to first response) and the newcomer
    /// cohorts. For the CLI and the DuckDB cross-check.
    pub async fn insight_metrics_export(&self, at: Option<Timestamp>) -> Result<Vec<MetricExportRow>, AppError> {
        let now = at.unwrap_or_else(Timestamp::now);
        let mut out = Vec::new();
        for (id, slug) in self.store().list_community_ids().await? {
            let row = self.store().get_community(CommunityId(id)).await?;
            let input = self.input_for(&row, now).await?;
            let metrics = copse_insight::metrics::compute(&input);
            for m in &metrics.months {
                out.push(MetricExportRow::Month {
                    community: slug.clone(),
                    start: date_of_day(m.period.start_day),
                    active_participants: m.active_participants,
                    gini: m.gini.value(),
                    absence_factor: m.absence_factor.value(),
                    median_hours_to_first_response: m.median_hours_to_first_response.value(),
                });
            }
            for c in &metrics.cohorts {
                out.push(MetricExportRow::Cohort {
                    community: slug.clone(),
                    cohort: date_of_day(c.month_start_day),
                    joined: c.joined,
                    active_month_1: c.active_month_1.value(),
                    active_month_3: c.active_month_3.value(),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_the_first() {
        // 2026-10-15 is day 20_741; the month starts on 2026-10-01 (20_727).
        assert_eq!(date_of_day(20_741), "2026-10-15");
        assert_eq!(month_start_day(20_741), 20_727);
        assert_eq!(date_of_day(20_727), "2026-10-01");
    }

    #[test]
    fn links_name_a_kind_and_an_id() {
        assert_eq!(parse_link("thread:12"), Ok(("thread", 12)));
        assert_eq!(parse_link(" artifact : 3 "), Ok(("artifact", 3)));
        assert!(parse_link("post:1").is_err());
        assert!(parse_link("thread:x").is_err());
        assert!(parse_link("12").is_err());
    }

    #[test]
    fn health_follows_the_number_of_current_alerts() {
        assert_eq!(health_label(0), "healthy");
        assert_eq!(health_label(1), "watch");
        assert_eq!(health_label(2), "at risk");
        assert_eq!(health_label(5), "at risk");
    }

    #[test]
    fn the_cache_version_changes_with_either_version() {
        assert_ne!(cache_version(1, 2), cache_version(1, 3));
        assert_ne!(cache_version(1, 2), cache_version(2, 2));
        assert_ne!(cache_version(1, 2), cache_version(2, 1));
    }
}
