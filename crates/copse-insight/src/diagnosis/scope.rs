//! Scope creep: discussions drift off-topic, unclear boundaries.

use std::collections::{BTreeMap, BTreeSet};

use copse_domain::Challenge;

use super::common::{Window, f, normalize, pct, plural, words};
use super::low_participation::capitalize;
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::{CommunityInput, Topic};
use crate::measure::Measure;

/// One topic of the charter's scope, with the keys a topic can match.
struct Entry {
    keys: BTreeSet<String>,
}

/// Splits the charter's list on commas, semicolons and new lines; each entry
/// matches its whole normalized form and each of its words.
fn entries(items: &[String]) -> Vec<Entry> {
    items
        .iter()
        .flat_map(|item| item.split([',', ';', '\n']))
        .filter_map(|part| {
            let normalized = normalize(part);
            if normalized.is_empty() {
                return None;
            }
            let mut keys: BTreeSet<String> = words(&normalized).map(str::to_string).collect();
            keys.insert(normalized);
            Some(Entry { keys })
        })
        .collect()
}

/// A topic's keys: its normalized tags and the words of its title.
fn topic_keys(topic: &Topic) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = topic.tags.iter().map(|t| normalize(t)).filter(|t| !t.is_empty()).collect();
    let title = normalize(&topic.title);
    keys.extend(words(&title).map(str::to_string));
    keys
}

fn matches_any(keys: &BTreeSet<String>, entries: &[Entry]) -> bool {
    entries.iter().any(|e| !e.keys.is_disjoint(keys))
}

pub(super) fn detect(input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    let out_threshold = thresholds.get("scope_creep.out_of_scope_share");
    let unmatched_threshold = thresholds.get("scope_creep.unmatched_share");
    let in_scope = entries(&input.charter.in_scope);
    let out_of_scope = entries(&input.charter.out_of_scope);
    if in_scope.is_empty() && out_of_scope.is_empty() {
        return Finding::not_enough(
            Challenge::ScopeCreep,
            "the charter lists no in-scope or out-of-scope topics",
            out_threshold,
        );
    }
    let window = Window::quarter(input.now);
    let mut threads: Vec<&Topic> =
        input.topics.iter().filter(|t| t.source == "thread" && t.at <= input.now && window.contains_ms(t.at)).collect();
    threads.sort_by_key(|t| t.at);
    let total = threads.len() as i64;
    if total < 8 {
        return Finding::not_enough(
            Challenge::ScopeCreep,
            format!("only {} in the last 90 days (at least 8 are needed)", plural(total, "thread")),
            if out_of_scope.is_empty() { unmatched_threshold } else { out_threshold },
        );
    }

    let mut off: Vec<&Topic> = Vec::new();
    let mut unmatched: Vec<&Topic> = Vec::new();
    let mut drifting: BTreeMap<String, i64> = BTreeMap::new();
    for topic in &threads {
        let keys = topic_keys(topic);
        let is_off = !out_of_scope.is_empty() && matches_any(&keys, &out_of_scope);
        let is_unmatched = !in_scope.is_empty() && !matches_any(&keys, &in_scope);
        if is_off {
            off.push(topic);
        }
        if is_unmatched {
            unmatched.push(topic);
        }
        if is_off || is_unmatched {
            for tag in topic.tags.iter().map(|t| normalize(t)).filter(|t| !t.is_empty()).collect::<BTreeSet<_>>() {
                if !in_scope.iter().any(|e| e.keys.contains(&tag)) {
                    *drifting.entry(tag).or_default() += 1;
                }
            }
        }
    }
    let off_share = if out_of_scope.is_empty() {
        Measure::missing("the charter lists no out-of-scope topics")
    } else {
        Measure::ratio(f(off.len()), f(total), "no threads")
    };
    let unmatched_share = if in_scope.is_empty() {
        Measure::missing("the charter lists no in-scope topics")
    } else {
        Measure::ratio(f(unmatched.len()), f(total), "no threads")
    };
    let off_detected = off_share.value().is_some_and(|s| s >= out_threshold);
    let unmatched_detected = unmatched_share.value().is_some_and(|s| s >= unmatched_threshold);
    let detected = off_detected || unmatched_detected;
    let mut top_tags: Vec<(String, i64)> = drifting.into_iter().collect();
    top_tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top_tags.truncate(5);

    let off_text = off_share.value().map(|s| {
        format!("{} of the {total} threads this quarter ({}) are about out-of-scope topics", off.len(), pct(s))
    });
    let unmatched_text = unmatched_share.value().map(|s| {
        format!("{} of the {total} threads this quarter ({}) match no in-scope topic", unmatched.len(), pct(s))
    });
    let mut parts = Vec::new();
    if let Some(text) = off_text.filter(|_| off_detected || !detected) {
        parts.push(text);
    }
    if let Some(text) = unmatched_text.filter(|_| unmatched_detected || !detected) {
        parts.push(text);
    }
    let mut symptom = capitalize(&parts.join("; "));
    if detected && let Some((tag, n)) = top_tags.first() {
        symptom.push_str(&format!(", most often \"{tag}\" ({})", plural(*n, "thread")));
    }
    symptom.push('.');

    let (measure, threshold) = if off_detected || (!unmatched_detected && off_share.value().is_some()) {
        (off_share.clone(), out_threshold)
    } else {
        (unmatched_share.clone(), unmatched_threshold)
    };
    let mut evidence = vec![
        match off_share.value() {
            Some(s) => {
                format!("Out of scope: {} of {total} threads ({}); threshold {}", off.len(), pct(s), pct(out_threshold))
            }
            None => "Out of scope: the charter lists no out-of-scope topics".to_string(),
        },
        match unmatched_share.value() {
            Some(s) => format!(
                "Matching no in-scope topic: {} of {total} threads ({}); threshold {}",
                unmatched.len(),
                pct(s),
                pct(unmatched_threshold)
            ),
            None => "In scope: the charter lists no in-scope topics".to_string(),
        },
    ];
    if !top_tags.is_empty() {
        evidence.push(format!(
            "Drifting tags: {}",
            top_tags.iter().map(|(tag, n)| format!("{tag} ({n})")).collect::<Vec<_>>().join(", ")
        ));
    }
    let chart = EvidenceChart {
        title: "Tags of off-scope threads (90 days)".into(),
        style: "bars",
        points: top_tags.iter().map(|(tag, n)| (tag.clone(), f(*n))).collect(),
        unit: " threads",
    };

    let mut next_steps = Vec::new();
    if detected {
        let drifted = off.len().max(unmatched.len());
        next_steps.push(NextStep::new(
            match top_tags.first() {
                Some((tag, _)) => format!(
                    "Revisit the charter: {drifted} of {total} threads were outside its scope; decide whether \
                     \"{tag}\" belongs in scope or out of it"
                ),
                None => format!("Revisit the charter: {drifted} of {total} threads were outside its scope"),
            },
            Some(StepLink::EditCharter),
        ));
        if let Some((tag, n)) = top_tags.first().filter(|(_, n)| *n >= 2) {
            next_steps.push(NextStep::new(
                format!("Create a spin-off community for \"{tag}\": {} this quarter", plural(*n, "thread")),
                Some(StepLink::NewCommunity),
            ));
        }
        let mut steer: Vec<&Topic> = off.iter().chain(unmatched.iter()).copied().collect();
        steer.sort_by(|a, b| b.at.cmp(&a.at).then(a.id.cmp(&b.id)));
        steer.dedup_by_key(|t| t.id);
        for topic in steer.into_iter().take(3) {
            next_steps.push(NextStep::new(
                format!("Strengthen facilitation: steer or move \"{}\"", topic.title),
                Some(StepLink::Thread(topic.id)),
            ));
        }
    }

    Finding {
        challenge: Challenge::ScopeCreep,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure,
        threshold,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}

/// Whether a thread titled `title` (no tags) matches one of `scope`.
#[cfg(test)]
pub(super) fn title_matches(title: &str, scope: &[&str]) -> bool {
    let topic = Topic { at: 0, source: "thread", id: 0, title: title.into(), tags: Vec::new() };
    matches_any(&topic_keys(&topic), &entries(&scope.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
}
