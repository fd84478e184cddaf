//! Lack of management support: no time allocated, resources denied.

use copse_domain::Challenge;

use super::common::{Window, contributions_by_person, f, members, name, names, people, plural};
use super::low_participation::capitalize;
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::CommunityInput;
use crate::measure::Measure;

/// Detected with no sponsor, or with at least this many of the three other
/// signals.
const SIGNALS_NEEDED: f64 = 2.0;

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

pub(super) fn detect(input: &CommunityInput, _thresholds: &Thresholds) -> Finding {
    let members = members(input);
    if members.is_empty() {
        return Finding::not_enough(Challenge::ManagementSupport, "the community has no members yet", SIGNALS_NEEDED);
    }
    let org = &input.org;
    let sponsor = org.sponsor;
    let no_time = org.members_with_time <= 0;
    let budget_cut = org.budget_lines_cut > 0;
    let disengaged =
        sponsor.is_some() && org.sponsor_sessions_attended_last_year <= 0 && org.sponsor_reports_read_last_year <= 0;
    let signals = i64::from(no_time) + i64::from(budget_cut) + i64::from(disengaged);
    let detected = sponsor.is_none() || f(signals) >= SIGNALS_NEEDED;

    let mut problems = Vec::new();
    if sponsor.is_none() {
        problems.push("no executive sponsor".to_string());
    }
    if disengaged && let Some(id) = sponsor {
        problems.push(format!("the sponsor, {}, attended no session and read no report in a year", name(input, id)));
    }
    if no_time {
        problems.push("no member has time allocated for the community".to_string());
    }
    if budget_cut {
        problems.push(format!(
            "{} cut",
            if org.budget_lines_cut == 1 {
                "1 budget line was".to_string()
            } else {
                format!("{} budget lines were", org.budget_lines_cut)
            }
        ));
    }
    let symptom = if problems.is_empty() {
        let sponsor_text = sponsor
            .map(|id| {
                format!(
                    "sponsor {} attended {} and read {} in the last year",
                    name(input, id),
                    plural(org.sponsor_sessions_attended_last_year, "session"),
                    plural(org.sponsor_reports_read_last_year, "report")
                )
            })
            .unwrap_or_default();
        format!(
            "{}; {} {} time allocated ({} hours a month)",
            capitalize(&sponsor_text),
            plural(org.members_with_time, "member"),
            if org.members_with_time == 1 { "has" } else { "have" },
            org.hours_per_month
        )
    } else {
        let mut text = problems.join(", ");
        if problems.len() > 1
            && let Some(last) = text.rfind(", ")
        {
            text.replace_range(last..last + 2, " and ");
        }
        capitalize(&text)
    } + ".";

    let evidence = vec![
        match sponsor {
            Some(id) => format!(
                "Sponsor: {}; in the last year attended {}, read {}",
                name(input, id),
                plural(org.sponsor_sessions_attended_last_year, "session"),
                plural(org.sponsor_reports_read_last_year, "report")
            ),
            None => "Sponsor: none".to_string(),
        },
        format!(
            "Time allocated: {} with {} hours a month in all",
            plural(org.members_with_time.max(0), "member"),
            org.hours_per_month.max(0)
        ),
        format!(
            "Budget: requested {}, granted {}; {} cut, {} undecided",
            money(org.budget_requested_cents),
            money(org.budget_granted_cents),
            plural(org.budget_lines_cut.max(0), "line"),
            org.budget_lines_undecided.max(0)
        ),
        format!("Signals of missing support: {signals} of 3 (no time, budget cut, disengaged sponsor); threshold 2"),
    ];
    let chart = EvidenceChart {
        title: "Support from the organization".into(),
        style: "bars",
        points: vec![
            ("Members with time".into(), f(org.members_with_time.max(0))),
            ("Hours per month".into(), f(org.hours_per_month.max(0))),
            ("Sessions the sponsor attended".into(), f(org.sponsor_sessions_attended_last_year.max(0))),
            ("Reports the sponsor read".into(), f(org.sponsor_reports_read_last_year.max(0))),
        ],
        unit: "",
    };

    let mut next_steps = Vec::new();
    if detected {
        let window = Window::quarter(input.now);
        let solved = input.questions.iter().filter(|q| q.accepted_at.is_some_and(|at| window.contains_ms(at))).count();
        let artifacts = input.artifacts.iter().filter(|a| window.contains_ms(a.at)).count();
        let reuses = input.reuses.iter().filter(|r| window.contains_ms(r.at)).count();
        next_steps.push(NextStep::new(
            format!(
                "Demonstrate value through metrics: share the value report ({} solved, {} created, {} this quarter)",
                plural(solved as i64, "problem"),
                plural(artifacts as i64, "artifact"),
                plural(reuses as i64, "reuse")
            ),
            Some(StepLink::ValueReport),
        ));
        let unlinked: Vec<&str> =
            input.charter.goals.iter().filter(|(_, linked)| !linked).map(|(goal, _)| goal.as_str()).collect();
        let connect = if input.charter.goals.is_empty() {
            "Connect to business outcomes: the charter has no goals; add goals tied to organizational goals".to_string()
        } else if unlinked.is_empty() {
            format!(
                "Connect to business outcomes: report progress on the charter's {} linked to organizational goals",
                plural(input.charter.goals.len() as i64, "goal")
            )
        } else {
            format!(
                "Connect to business outcomes: link {} to an organizational goal: {}",
                if unlinked.len() == 1 {
                    "this charter goal".to_string()
                } else {
                    format!("these {} charter goals", unlinked.len())
                },
                unlinked.iter().map(|g| format!("\"{g}\"")).collect::<Vec<_>>().join(", ")
            )
        };
        next_steps.push(NextStep::new(connect, Some(StepLink::EditCharter)));
        match sponsor {
            None => next_steps.push(NextStep::new(
                "Find an executive sponsor: ask a director whose goals the community serves",
                Some(StepLink::OrganizationSide),
            )),
            Some(id) if disengaged => next_steps.push(NextStep::new(
                format!(
                    "Re-engage the sponsor: invite {} to the next session and send them the report",
                    name(input, id)
                ),
                Some(StepLink::OrganizationSide),
            )),
            Some(_) => {}
        }
        if no_time {
            let core: Vec<i64> = contributions_by_person(input, window)
                .into_iter()
                .filter(|(id, n)| *n >= 12 && members.contains_key(id))
                .map(|(id, _)| id)
                .collect();
            let text = if core.is_empty() {
                "Ask for time allocation: no member has hours granted for the community".to_string()
            } else {
                format!(
                    "Ask for time allocation: no member has hours granted; start with the {} at the core ({})",
                    people(core.len() as i64),
                    names(input, &core)
                )
            };
            next_steps.push(NextStep::new(text, Some(StepLink::OrganizationSide)));
        }
    }

    Finding {
        challenge: Challenge::ManagementSupport,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure: Measure::Value(f(signals)),
        threshold: SIGNALS_NEEDED,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}
