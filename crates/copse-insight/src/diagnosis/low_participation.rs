//! Low participation: few attendees, silent channels.

use copse_domain::Challenge;

use super::common::{
    Window, contributions_by_person, count_kind, distinct, f, last_months, members, pct, people, plural, sessions_in,
};
use super::{EvidenceChart, Finding, NextStep, StepLink, Thresholds, Verdict};
use crate::activity::{CommunityInput, ContributionKind};
use crate::measure::Measure;

pub(super) fn detect(input: &CommunityInput, thresholds: &Thresholds) -> Finding {
    let share_threshold = thresholds.get("low_participation.active_share");
    let attendance_threshold = thresholds.get("low_participation.attendance");
    let members = members(input);
    let member_count = members.len() as i64;
    if member_count < 3 {
        return Finding::not_enough(
            Challenge::LowParticipation,
            format!("the community has {} (at least 3 are needed)", plural(member_count, "member")),
            share_threshold,
        );
    }
    let window = Window::quarter(input.now);
    let active = contributions_by_person(input, window).len() as i64;
    let share = Measure::ratio(f(active), f(member_count), "no members");
    let sessions = sessions_in(input, window);
    let attended: i64 = sessions.iter().map(|s| distinct(&s.attended) as i64).sum();
    let mean_attendance = (sessions.len() >= 2).then(|| f(attended) / f(sessions.len()));
    let channel_30 = count_kind(input, Window::last_days(input.now, 30), ContributionKind::is_channel_activity);

    let low_share = share.value().is_some_and(|s| s < share_threshold);
    let low_attendance = mean_attendance.is_some_and(|a| a < attendance_threshold);
    let silent = member_count >= 5 && channel_30 == 0;
    let detected = low_share || low_attendance || silent;

    let share_text = format!(
        "{} contributed in the last 90 days, {} of the {}",
        people(active),
        share.value().map(pct).unwrap_or_default(),
        plural(member_count, "member")
    );
    let attendance_text = mean_attendance
        .map(|a| format!("the {} sessions drew {a:.1} attendees on average", sessions.len()))
        .unwrap_or_default();
    let silent_text = "the channels have been silent for 30 days".to_string();
    let mut parts = Vec::new();
    if !detected || low_share {
        parts.push(share_text);
    }
    if mean_attendance.is_some() && (!detected || low_attendance) {
        parts.push(attendance_text);
    }
    if silent {
        parts.push(silent_text);
    }
    let symptom = capitalize(&parts.join("; ")) + ".";

    let unanswered: Vec<_> = input.questions.iter().filter(|q| q.first_response_at.is_none()).collect();
    let mut evidence = vec![
        format!(
            "Active participants (90 days): {active} of {} ({}); threshold {}",
            plural(member_count, "member"),
            share.value().map(pct).unwrap_or_else(|| "-".into()),
            pct(share_threshold)
        ),
        match mean_attendance {
            Some(a) => format!(
                "Sessions (90 days): {}, {attended} attendances, {a:.1} per session; threshold {attendance_threshold}",
                sessions.len()
            ),
            None => format!("Sessions (90 days): {} (at least 2 are needed to judge attendance)", sessions.len()),
        },
        format!("Channel activity (30 days): {}", plural(channel_30, "post")),
    ];
    evidence.push(format!("Unanswered questions: {}", unanswered.len()));

    let points = last_months(input.now, 6)
        .into_iter()
        .map(|m| (m.label, f(contributions_by_person(input, m.window).len())))
        .collect();
    let chart =
        EvidenceChart { title: "Active participants per month".into(), style: "trend", points, unit: " people" };

    let mut next_steps = Vec::new();
    if detected {
        if let Some(a) = mean_attendance.filter(|_| low_attendance) {
            next_steps.push(NextStep::new(
                format!(
                    "Reduce barriers: sessions drew {a:.1} attendees on average; try a shorter 30-minute format or an \
                     asynchronous thread instead of a meeting"
                ),
                Some(StepLink::NewEvent),
            ));
        } else {
            next_steps.push(NextStep::new(
                "Reduce barriers: offer shorter or asynchronous ways to take part (a 30-minute session, a question \
                 of the week thread)",
                Some(StepLink::NewThread),
            ));
        }
        match unanswered.iter().min_by_key(|q| q.created_at) {
            Some(oldest) => next_steps.push(NextStep::new(
                format!(
                    "Create quick wins: {} still unanswered (oldest: \"{}\"); ask members to pick one each",
                    if unanswered.len() == 1 {
                        "1 question is".to_string()
                    } else {
                        format!("{} questions are", unanswered.len())
                    },
                    oldest.title
                ),
                Some(StepLink::Unanswered),
            )),
            None => next_steps.push(NextStep::new(
                "Create quick wins: post small questions or reviews anyone can answer in ten minutes",
                Some(StepLink::NewThread),
            )),
        }
        next_steps.push(NextStep::new(
            format!(
                "Solicit feedback on the format: ask the {} which format and time suit them",
                plural(member_count, "member")
            ),
            Some(StepLink::NewSurvey),
        ));
    }

    Finding {
        challenge: Challenge::LowParticipation,
        verdict: if detected { Verdict::Detected } else { Verdict::Clear },
        symptom,
        measure: share,
        threshold: share_threshold,
        evidence,
        chart: Some(chart),
        next_steps,
    }
}

pub(super) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
