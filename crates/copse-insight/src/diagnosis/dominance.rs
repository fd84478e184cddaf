//! Dominance by few voices: the same people always contribute.

use std::collections::BTreeMap;

use copse_domain::Challenge;

use super::common::{
    Window, contributions_by_person, counts_by_person, f, handle, members, name, names, pct, people, plural,
    started_sessions_recent_first,
};
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::{CommunityInput, ContributionKind};
use crate::measure::Measure;

/// Who led the last sessions.
struct Facilitation {
    /// Sessions with a facilitator among the last 10 started.
    considered: i64,
    top: i64,
    top_count: i64,
    share: f64,
    /// How many of the most recent facilitated sessions in a row `top` led.
    streak: i64,
    distinct: i64,
}

fn facilitation(input: &CommunityInput) -> Option<Facilitation> {
    let recent = started_sessions_recent_first(input);
    let led: Vec<i64> = recent.iter().take(10).filter_map(|s| s.facilitator).collect();
    if led.is_empty() {
        return None;
    }
    let mut counts: BTreeMap<i64, i64> = BTreeMap::new();
    for id in &led {
        *counts.entry(*id).or_default() += 1;
    }
    let (&top, &top_count) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    let streak = recent.iter().filter_map(|s| s.facilitator).take_while(|&id| Some(id) == led.first().copied()).count();
    let streak = if led.first() == Some(&top) { streak as i64 } else { 0 };
    Some(Facilitation {
        considered: led.len() as i64,
        top,
        top_count,
        share: f(top_count) / f(led.len()),
        streak,
        distinct: counts.len() as i64,
    })
}

pub(super) fn detect(input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    let top3_threshold = thresholds.get("dominance.top3_share");
    let facilitation_threshold = thresholds.get("dominance.facilitation_share");
    let window = Window::quarter(input.now);
    let responses = counts_by_person(input, window, ContributionKind::is_response);
    let total: i64 = responses.values().sum();
    let active = contributions_by_person(input, window).len() as i64;
    if total < 10 {
        return Finding::not_enough(
            Challenge::Dominance,
            format!("only {} in the last 90 days (at least 10 are needed)", responses_phrase(total)),
            top3_threshold,
        );
    }
    if active < 4 {
        return Finding::not_enough(
            Challenge::Dominance,
            format!("only {} contributed in the last 90 days (at least 4 are needed)", people(active)),
            top3_threshold,
        );
    }
    let mut ranked: Vec<(i64, i64)> = responses.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(input, a.0).cmp(&name(input, b.0))));
    let top: Vec<i64> = ranked.iter().take(3).map(|(id, _)| *id).collect();
    let top_total: i64 = ranked.iter().take(3).map(|(_, n)| n).sum();
    let share = Measure::ratio(f(top_total), f(total), "no replies or answers");
    let top3_detected = share.value().is_some_and(|s| s >= top3_threshold);

    let lead = facilitation(input);
    let facilitation_detected = lead.as_ref().is_some_and(|l| l.considered >= 6 && l.share >= facilitation_threshold);
    let detected = top3_detected || facilitation_detected;

    let top_text = format!(
        "{} ({}) wrote {} of the {total} replies and answers this quarter",
        people(top.len() as i64),
        names(input, &top),
        share.value().map(pct).unwrap_or_default()
    );
    let lead_text = lead.as_ref().map(|l| {
        if l.streak >= 6 {
            format!("the last {} sessions had the same facilitator ({})", l.streak, name(input, l.top))
        } else {
            format!(
                "{} facilitated {} of the last {} sessions with a facilitator",
                name(input, l.top),
                l.top_count,
                l.considered
            )
        }
    });
    let mut parts = Vec::new();
    if top3_detected || !detected {
        parts.push(top_text);
    }
    if let Some(text) = &lead_text
        && (facilitation_detected || !detected)
    {
        parts.push(text.clone());
    }
    let symptom = super::low_participation::capitalize(&parts.join("; ")) + ".";

    let mut evidence: Vec<String> = ranked
        .iter()
        .take(5)
        .map(|(id, n)| format!("{}: {} ({})", name(input, *id), responses_phrase(*n), pct(f(*n) / f(total))))
        .collect();
    evidence.insert(
        0,
        format!(
            "Top 3 responders' share (90 days): {} of {total}; threshold {}",
            share.value().map(pct).unwrap_or_else(|| "-".into()),
            pct(top3_threshold)
        ),
    );
    match &lead {
        Some(l) => evidence.push(format!(
            "Facilitation: {} led {} of the last {} sessions with a facilitator ({}), {} in all; threshold {} of at \
             least 6",
            name(input, l.top),
            l.top_count,
            l.considered,
            pct(l.share),
            plural(l.distinct, "facilitator"),
            pct(facilitation_threshold)
        )),
        None => evidence.push("Facilitation: no recent session has a facilitator recorded".into()),
    }

    let mut points: Vec<(String, f64)> =
        ranked.iter().take(5).map(|(id, n)| (name(input, *id), 100.0 * f(*n) / f(total))).collect();
    let rest: i64 = ranked.iter().skip(5).map(|(_, n)| n).sum();
    if rest > 0 {
        points.push(("Everyone else".into(), 100.0 * f(rest) / f(total)));
    }
    let chart =
        EvidenceChart { title: "Share of replies and answers (90 days)".into(), style: "bars", points, unit: "%" };

    let mut next_steps = Vec::new();
    if detected {
        let invitees = quiet_askers(input);
        if !invitees.is_empty() {
            next_steps.push(NextStep::new(
                format!(
                    "Actively invite others: {} asked questions but never answered one: {}; ask each to answer an \
                     open question",
                    people(invitees.len() as i64),
                    names(input, &invitees.iter().map(|(id, _)| *id).collect::<Vec<_>>())
                ),
                Some(StepLink::Unanswered),
            ));
            for (id, asked) in &invitees {
                if let Some(handle) = handle(input, *id) {
                    next_steps.push(NextStep::new(
                        format!("Invite {} (asked {}, answered none)", name(input, *id), plural(*asked, "question")),
                        Some(StepLink::Person(handle)),
                    ));
                }
            }
        } else {
            next_steps.push(NextStep::new(
                "Actively invite others: ask members who have not answered yet to take one open question each",
                Some(StepLink::Unanswered),
            ));
        }
        let rotate = match (&lead, &lead_text) {
            (Some(_), Some(text)) => format!("Rotate facilitation: {text}; set up a rota"),
            _ => "Rotate facilitation: set up a rota so a different member leads each session".to_string(),
        };
        next_steps.push(NextStep::new(rotate, Some(StepLink::FacilitationRota)));
        next_steps.push(NextStep::new(
            "Create smaller breakout discussions: split sessions into groups of 3 or 4 so quieter members speak",
            Some(StepLink::NewEvent),
        ));
    }

    Finding {
        challenge: Challenge::Dominance,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure: share,
        threshold: top3_threshold,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}

/// Up to 5 current members who asked (questions or threads) and never
/// responded, those who asked most first.
fn quiet_askers(input: &CommunityInput) -> Vec<(i64, i64)> {
    let all_time = Window { start_day: i64::MIN / 2, end_day: i64::MAX / 2 };
    let asked =
        counts_by_person(input, all_time, |k| matches!(k, ContributionKind::Question | ContributionKind::Thread));
    let responded = counts_by_person(input, all_time, ContributionKind::is_response);
    let members = members(input);
    let mut quiet: Vec<(i64, i64)> =
        asked.into_iter().filter(|(id, _)| members.contains_key(id) && !responded.contains_key(id)).collect();
    quiet.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(input, a.0).cmp(&name(input, b.0))));
    quiet.truncate(5);
    quiet
}

/// "1 reply or answer", "12 replies and answers".
fn responses_phrase(count: i64) -> String {
    if count == 1 { "1 reply or answer".to_string() } else { format!("{count} replies and answers") }
}
