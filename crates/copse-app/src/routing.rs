//! Question routing: an unanswered question (no reply after a configurable
//! time) is offered, in-app, to a few people whose expertise matches its
//! tags, nobody more than a weekly cap, skipping the asker and people who
//! are away. Also the settings that govern it (`routing.*` in `settings`,
//! admins only), the viewer's routed questions, and "away until" on the
//! profile.
//!
//! Two guarantees hold with several `copse serve` processes on one
//! database: a question is routed once (each is claimed by a conditional
//! UPDATE of `threads.routed_at` in the transaction that writes its routes
//! and notifications), and the weekly cap is exact (a pass runs under a
//! lease kept in `settings`, so two routers never count the same person's
//! routes at the same time).

use chrono::{Duration, NaiveDate};
use copse_domain::{Action, FieldErrors, PersonId, Profile, ProfileInput, TimeZone, Timestamp, can};
use copse_insight::routing::{RoutingCandidate, choose_routees};

use crate::expertise::RoutedQuestionView;
use crate::people::person_view;
use crate::{App, AppError, PersonView, Viewer};

const AFTER_MINUTES: &str = "routing.after_minutes";
const PER_QUESTION: &str = "routing.per_question";
const WEEKLY_CAP: &str = "routing.weekly_cap";
/// Questions older than this are not routed: the first run after an
/// upgrade would otherwise offer every old unanswered question at once.
const MAX_AGE_DAYS: i64 = 14;
/// Questions routed per pass (the next pass takes the rest).
const QUESTIONS_PER_PASS: i64 = 200;
/// Candidates read per skill of a question.
const CANDIDATES_PER_SKILL: i64 = 50;
/// How long a routing pass may hold the lease before another process may
/// take it over (a crashed router).
const LEASE_MILLIS: i64 = 5 * 60_000;

/// How question routing behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingSettings {
    /// Minutes without a reply before a question is routed.
    pub after_minutes: i64,
    /// People each question is offered to.
    pub per_question: i64,
    /// Routed questions per person in 7 days, at most.
    pub weekly_cap: i64,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        Self { after_minutes: 240, per_question: 3, weekly_cap: 3 }
    }
}

/// The settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct RoutingSettingsInput {
    pub after_minutes: String,
    pub per_question: String,
    pub weekly_cap: String,
}

impl RoutingSettingsInput {
    pub fn from_settings(settings: &RoutingSettings) -> Self {
        Self {
            after_minutes: settings.after_minutes.to_string(),
            per_question: settings.per_question.to_string(),
            weekly_cap: settings.weekly_cap.to_string(),
        }
    }
}

fn whole_number(text: &str, low: i64, high: i64, what: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(n) if (low..=high).contains(&n) => Ok(n),
        _ => Err(format!("{what} is a whole number from {low} to {high}")),
    }
}

impl RoutingSettings {
    pub fn parse(input: &RoutingSettingsInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let after_minutes =
            errors.check("after_minutes", whole_number(&input.after_minutes, 5, 10_080, "The waiting time in minutes"));
        let per_question =
            errors.check("per_question", whole_number(&input.per_question, 1, 10, "People per question"));
        let weekly_cap =
            errors.check("weekly_cap", whole_number(&input.weekly_cap, 1, 50, "Routed questions per person a week"));
        errors.finish()?;
        let defaults = Self::default();
        Ok(Self {
            after_minutes: after_minutes.unwrap_or(defaults.after_minutes),
            per_question: per_question.unwrap_or(defaults.per_question),
            weekly_cap: weekly_cap.unwrap_or(defaults.weekly_cap),
        })
    }
}

/// What one routing pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoutingSummary {
    /// Questions claimed (with or without anyone to offer them to).
    pub questions: usize,
    /// Routes written.
    pub routes: usize,
}

/// "Away until" as typed: a date (`YYYY-MM-DD`); empty or past clears it.
/// The person is away through the end of that day in their time zone.
pub fn parse_away_until(text: &str, zone: TimeZone, now: Timestamp) -> Result<Option<Timestamp>, String> {
    use chrono::TimeZone as _;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date =
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("'{text}' is not a date like 2026-09-30"))?;
    let next_midnight = (date + Duration::days(1)).and_hms_opt(0, 0, 0).ok_or("that date is out of range")?;
    let until = zone
        .0
        .from_local_datetime(&next_midnight)
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or("that date is out of range")?;
    Ok((until > now.millis()).then_some(Timestamp(until)))
}

impl App {
    /// The routing settings (defaults where none are stored).
    pub(crate) async fn current_routing_settings(&self) -> Result<RoutingSettings, AppError> {
        let store = self.store();
        let defaults = RoutingSettings::default();
        let read = |value: Option<String>, default: i64| value.and_then(|v| v.parse().ok()).unwrap_or(default);
        Ok(RoutingSettings {
            after_minutes: read(store.find_setting(AFTER_MINUTES).await?, defaults.after_minutes),
            per_question: read(store.find_setting(PER_QUESTION).await?, defaults.per_question),
            weekly_cap: read(store.find_setting(WEEKLY_CAP).await?, defaults.weekly_cap),
        })
    }

    /// The routing settings, for admins.
    pub async fn routing_settings(&self, viewer: &Viewer) -> Result<RoutingSettings, AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators configure question routing"));
        }
        self.current_routing_settings().await
    }

    /// Saves the routing settings (admins).
    pub async fn update_routing_settings(
        &self,
        viewer: &Viewer,
        input: &RoutingSettingsInput,
    ) -> Result<RoutingSettings, AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators configure question routing"));
        }
        let settings = RoutingSettings::parse(input)?;
        let store = self.store();
        store.set_setting(AFTER_MINUTES, &settings.after_minutes.to_string()).await?;
        store.set_setting(PER_QUESTION, &settings.per_question.to_string()).await?;
        store.set_setting(WEEKLY_CAP, &settings.weekly_cap.to_string()).await?;
        Ok(settings)
    }

    /// Offers questions that have waited long enough without a reply to a
    /// few people who know their tags. Skips the pass when another process
    /// is routing.
    pub async fn route_unanswered_questions(&self, now: Timestamp) -> Result<RoutingSummary, AppError> {
        self.route_questions_up_to(now, MAX_AGE_DAYS).await
    }

    /// [`App::route_unanswered_questions`] for questions up to `max_age_days`
    /// old (the demo routes its older questions once).
    pub(crate) async fn route_questions_up_to(
        &self,
        now: Timestamp,
        max_age_days: i64,
    ) -> Result<RoutingSummary, AppError> {
        let store = self.store();
        if !store.acquire_routing_lease(now, Timestamp(now.millis() + LEASE_MILLIS)).await? {
            return Ok(RoutingSummary::default());
        }
        let result = self.route_under_lease(now, max_age_days).await;
        store.release_routing_lease().await?;
        result
    }

    async fn route_under_lease(&self, now: Timestamp, max_age_days: i64) -> Result<RoutingSummary, AppError> {
        let store = self.store();
        let settings = self.current_routing_settings().await?;
        let waited = Timestamp(now.millis() - settings.after_minutes * 60_000);
        let questions = store.list_questions_to_route(now.minus_days(max_age_days), waited, QUESTIONS_PER_PASS).await?;
        let mut summary = RoutingSummary::default();
        if questions.is_empty() {
            return Ok(summary);
        }
        // Routing reads the expertise table: bring it up to date first.
        if self.expertise_is_behind().await? {
            self.catch_up_expertise().await?;
        }
        let vocabulary = self.load_vocabulary().await?;
        let week_ago = now.minus_days(7);
        let per_question = usize::try_from(settings.per_question).unwrap_or(3);
        let weekly_cap = u32::try_from(settings.weekly_cap).unwrap_or(3);
        for question in questions {
            let mut skills: Vec<i64> = Vec::new();
            for tag in store.list_thread_tag_keys(question.id).await? {
                if let Some(skill) = vocabulary.skill_of(&tag)
                    && !skills.contains(&skill)
                {
                    skills.push(skill);
                }
            }
            // Each person once, with their scores summed over the question's
            // skills and the skill they know best (recorded on the route).
            let mut candidates: Vec<RoutingCandidate> = Vec::new();
            let mut best_skill: Vec<(i64, i64, i64)> = Vec::new();
            for &skill in &skills {
                let rows = store
                    .list_routing_candidates(
                        skill,
                        question.community_id,
                        question.visibility == "private",
                        now,
                        week_ago,
                        CANDIDATES_PER_SKILL,
                    )
                    .await?;
                for row in rows {
                    match candidates.iter_mut().position(|c| c.person_id == row.person_id) {
                        Some(k) => {
                            candidates[k].score += row.score;
                            if row.score > best_skill[k].2 {
                                best_skill[k] = (row.person_id, skill, row.score);
                            }
                        }
                        None => {
                            candidates.push(RoutingCandidate {
                                person_id: row.person_id,
                                score: row.score,
                                routed_this_week: u32::try_from(row.routed_this_week).unwrap_or(u32::MAX),
                                away: row.away != 0,
                                is_asker: question.author_id == Some(row.person_id),
                            });
                            best_skill.push((row.person_id, skill, row.score));
                        }
                    }
                }
            }
            let choice = choose_routees(&candidates, per_question, weekly_cap);
            let routes: Vec<(PersonId, Option<i64>)> = choice
                .chosen
                .iter()
                .map(|id| (PersonId(*id), best_skill.iter().find(|b| b.0 == *id).map(|b| b.1)))
                .collect();
            let message = format!("A question you may know the answer to: {}", question.title);
            let link = format!("/threads/{}", question.id);
            if !store.route_question(question.id, &routes, &message, &link, now).await? {
                continue;
            }
            summary.questions += 1;
            summary.routes += routes.len();
            if routes.is_empty() {
                tracing::info!(
                    thread = question.id,
                    tags = skills.len(),
                    skipped = choice.skipped.len(),
                    "question claimed for routing with nobody to offer it to"
                );
            } else {
                tracing::info!(thread = question.id, people = routes.len(), "question routed");
            }
        }
        Ok(summary)
    }

    /// Routes questions every `every` until the runtime stops.
    pub fn spawn_question_router(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match app.route_unanswered_questions(Timestamp::now()).await {
                    Ok(summary) if summary.questions == 0 => {}
                    Ok(summary) => {
                        tracing::info!(questions = summary.questions, routes = summary.routes, "routed questions")
                    }
                    Err(error) => tracing::warn!(%error, "question routing failed; retrying"),
                }
            }
        })
    }

    /// Questions routed to the viewer, newest first, where they may still
    /// see the community.
    pub async fn routed_to_me(&self, viewer: &Viewer) -> Result<Vec<RoutedQuestionView>, AppError> {
        let me = viewer.require_person()?;
        let rows = self.store().list_routes_for_person(me, 20).await?;
        Ok(rows
            .into_iter()
            .filter(|row| {
                let access = copse_domain::CommunityAccess {
                    visibility: copse_domain::Visibility::parse(&row.visibility)
                        .unwrap_or(copse_domain::Visibility::Private),
                    membership: crate::communities::membership_of(
                        row.viewer_role.as_deref(),
                        row.viewer_status.as_deref(),
                    ),
                };
                can(&viewer.actor, Action::ViewCommunity(&access))
            })
            .map(|row| RoutedQuestionView {
                thread: row.thread_id,
                title: row.title,
                community_slug: row.community_slug,
                community_name: row.community_name,
                skill: row.skill_name,
                routed_at: Timestamp(row.routed_at),
                outcome: row.outcome,
                replies: row.reply_count,
                solved: row.solved != 0,
            })
            .collect())
    }

    /// The viewer's "away until" for the profile form (`YYYY-MM-DD` in
    /// their zone, the last day away), or '' when not away.
    pub async fn away_until_input(&self, viewer: &Viewer) -> Result<String, AppError> {
        let me = viewer.require_person()?;
        let Some(until) = self.store().find_away_until(me).await? else { return Ok(String::new()) };
        if until <= Timestamp::now().millis() {
            return Ok(String::new());
        }
        // Stored as the midnight after the last day away.
        let local = Timestamp(until - 1).to_utc().with_timezone(&viewer.time_zone.0);
        Ok(local.format("%Y-%m-%d").to_string())
    }

    /// Saves a profile together with "away until" (one form). Errors of both
    /// are reported together; nothing is saved when any field is wrong.
    pub async fn update_profile_with_away(
        &self,
        viewer: &Viewer,
        handle: &str,
        input: &ProfileInput,
        away_until: &str,
    ) -> Result<PersonView, AppError> {
        viewer.require_person()?;
        let row =
            self.store().find_person_by_handle(&handle.to_lowercase()).await?.ok_or(AppError::NotFound("person"))?;
        let id = PersonId(row.id);
        if !can(&viewer.actor, Action::EditProfile(id)) {
            return Err(AppError::Forbidden("you may edit only your own profile"));
        }
        let parsed = Profile::parse(input);
        let zone = match &parsed {
            Ok(profile) => profile.time_zone,
            Err(_) => TimeZone::parse(&row.time_zone).unwrap_or_else(|_| TimeZone::utc()),
        };
        let away = parse_away_until(away_until, zone, Timestamp::now());
        let profile = match (parsed, away.as_ref()) {
            (Ok(profile), Ok(_)) => profile,
            (parsed, away) => {
                let mut errors = parsed.err().unwrap_or_default();
                if let Err(message) = away {
                    errors.add("away_until", message.clone());
                }
                return Err(AppError::Invalid(errors));
            }
        };
        self.store().update_profile(id, &profile).await?;
        self.store().set_away_until(id, away.ok().flatten()).await?;
        Ok(person_view(self.store().get_person(id).await?))
    }

    /// Sets or clears "away until" alone (the API).
    pub async fn set_away_until(&self, viewer: &Viewer, away_until: &str) -> Result<Option<Timestamp>, AppError> {
        let me = viewer.require_person()?;
        let away = parse_away_until(away_until, viewer.time_zone, Timestamp::now())
            .map_err(|message| AppError::invalid("away_until", message))?;
        self.store().set_away_until(me, away).await?;
        Ok(away)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_whole_numbers_in_range_and_name_their_field() {
        let ok = RoutingSettings::parse(&RoutingSettingsInput {
            after_minutes: "60".into(),
            per_question: "2".into(),
            weekly_cap: "4".into(),
        })
        .unwrap();
        assert_eq!(ok, RoutingSettings { after_minutes: 60, per_question: 2, weekly_cap: 4 });
        let bad = RoutingSettings::parse(&RoutingSettingsInput {
            after_minutes: "soon".into(),
            per_question: "0".into(),
            weekly_cap: "3".into(),
        })
        .unwrap_err();
        assert!(bad.get("after_minutes").is_some());
        assert!(bad.get("per_question").is_some());
        assert!(bad.get("weekly_cap").is_none());
    }

    #[test]
    fn away_until_is_the_end_of_the_day_and_past_dates_clear_it() {
        let zone = TimeZone::parse("Europe/Berlin").unwrap();
        let now = Timestamp(1_780_000_000_000); // 2026-05-28
        let until = parse_away_until("2026-06-01", zone, now).unwrap().unwrap();
        // Midnight after 1 June in Berlin (UTC+2) is 22:00 UTC on 1 June.
        assert_eq!(until.to_utc().format("%Y-%m-%d %H:%M").to_string(), "2026-06-01 22:00");
        assert_eq!(parse_away_until("2020-01-01", zone, now).unwrap(), None);
        assert_eq!(parse_away_until("  ", zone, now).unwrap(), None);
        assert!(parse_away_until("next week", zone, now).is_err());
    }
}
