//! Stagnation: repetitive content, declining interest.

use std::collections::{BTreeMap, BTreeSet};

use copse_domain::Challenge;

use super::common::{Window, count_kind, f, last_months, normalize, pct, plural};
use super::low_participation::capitalize;
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::{CommunityInput, ContributionKind, DAY_MS};
use crate::measure::Measure;

pub(super) fn detect(input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    let decline_threshold = thresholds.get("stagnation.decline");
    let window = Window::quarter(input.now);
    let previous = window.previous();
    let participation = ContributionKind::counts_as_participation;
    let before = count_kind(input, previous, participation);
    if before < 20 {
        return Finding::not_enough(
            Challenge::Stagnation,
            format!(
                "only {} in the 90 days before this quarter (at least 20 are needed)",
                plural(before, "contribution")
            ),
            decline_threshold,
        );
    }
    let now_count = count_kind(input, window, participation);
    let decline = Measure::of(1.0 - f(now_count) / f(before));
    let declined = decline.value().is_some_and(|d| d >= decline_threshold);

    let topics: Vec<_> = input.topics.iter().filter(|t| t.at <= input.now && window.contains_ms(t.at)).collect();
    let seen_before: BTreeSet<String> = input
        .topics
        .iter()
        .filter(|t| crate::activity::day_of(t.at) < window.start_day)
        .flat_map(|t| t.tags.iter().map(|tag| normalize(tag)))
        .collect();
    let mut tag_counts: BTreeMap<String, i64> = BTreeMap::new();
    for topic in &topics {
        for tag in topic.tags.iter().map(|t| normalize(t)).filter(|t| !t.is_empty()).collect::<BTreeSet<_>>() {
            *tag_counts.entry(tag).or_default() += 1;
        }
    }
    let new_tags: Vec<&String> = tag_counts.keys().filter(|t| !seen_before.contains(*t)).collect();
    let new_artifacts = input.artifacts.iter().filter(|a| a.at <= input.now && window.contains_ms(a.at)).count();
    let repetitive = topics.len() >= 5 && new_tags.is_empty() && new_artifacts == 0;
    let detected = declined || repetitive;
    let mut common_tags: Vec<(&String, &i64)> = tag_counts.iter().collect();
    common_tags.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let common_list = common_tags.iter().take(3).map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(", ");

    let change = decline.value().unwrap_or(0.0);
    let trend_text = if change > 0.0 {
        format!("contributions fell {} this quarter: {now_count} against {before} in the 90 days before", pct(change))
    } else {
        format!("contributions rose {} this quarter: {now_count} against {before} in the 90 days before", pct(-change))
    };
    let repeat_text = if common_list.is_empty() {
        format!("the {} of this quarter brought no new tag and no new artifact", plural(topics.len() as i64, "topic"))
    } else {
        format!(
            "the {} of this quarter brought no new tag (only {common_list}, all discussed before) and no new artifact",
            plural(topics.len() as i64, "topic")
        )
    };
    let mut parts = Vec::new();
    if declined || !detected {
        parts.push(trend_text);
    }
    if repetitive {
        parts.push(repeat_text);
    }
    let symptom = capitalize(&parts.join("; ")) + ".";

    let evidence = vec![
        format!(
            "Contributions: {now_count} in the last 90 days, {before} in the 90 days before; decline {}; threshold {}",
            pct(change),
            pct(decline_threshold)
        ),
        format!(
            "Topics this quarter: {}; new tags: {}; new artifacts: {new_artifacts}",
            topics.len(),
            if new_tags.is_empty() {
                "none".to_string()
            } else {
                new_tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
            }
        ),
    ];
    let chart = EvidenceChart {
        title: "Contributions per month".into(),
        style: "trend",
        points: last_months(input.now, 6)
            .into_iter()
            .map(|m| (m.label, f(count_kind(input, m.window, participation))))
            .collect(),
        unit: " contributions",
    };

    let mut next_steps = Vec::new();
    if detected {
        next_steps.push(NextStep::new(
            if common_list.is_empty() {
                "Introduce new topics: ask members what they want to learn next and open a thread on it".to_string()
            } else {
                format!(
                    "Introduce new topics: this quarter kept to {common_list}; ask members what they want to learn \
                     next and open a thread on it"
                )
            },
            Some(StepLink::NewThread),
        ));
        next_steps.push(NextStep::new(
            match common_tags.first() {
                Some((tag, _)) => {
                    format!("Bring an external speaker: invite someone from outside the community to challenge how you do \"{tag}\"")
                }
                None => "Bring an external speaker from another team or community".to_string(),
            },
            Some(StepLink::NewEvent),
        ));
        let oldest =
            input.artifacts.iter().filter(|a| a.published && a.at <= input.now).min_by_key(|a| (a.at, a.artifact));
        match oldest {
            Some(artifact) => {
                let title = input
                    .topics
                    .iter()
                    .find(|t| t.source == "artifact" && t.id == artifact.artifact)
                    .map(|t| format!("\"{}\"", t.title))
                    .unwrap_or_else(|| format!("artifact #{}", artifact.artifact));
                let months = (input.now - artifact.at).max(0) / (30 * DAY_MS);
                next_steps.push(NextStep::new(
                    format!(
                        "Challenge assumptions: open a proposal thread questioning {title}, the oldest published \
                         standard ({} old)",
                        plural(months, "month")
                    ),
                    Some(StepLink::Artifact(artifact.artifact)),
                ));
            }
            None => next_steps.push(NextStep::new(
                "Challenge assumptions: open a proposal thread questioning a practice the community takes for granted",
                Some(StepLink::NewThread),
            )),
        }
    }

    Finding {
        challenge: Challenge::Stagnation,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure: decline,
        threshold: decline_threshold,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}
