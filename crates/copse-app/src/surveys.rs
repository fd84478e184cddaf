//! Pulse surveys and skill self-assessments.
//!
//! A facilitator opens a short survey for the community: the three built-in
//! questions (satisfaction 1-5, how useful this month 1-5, an open comment)
//! and up to five of their own. Active members answer once. Answers are
//! anonymous by construction: who answered and what was answered are stored
//! apart (see `copse_store::surveys`), and results are only ever aggregates:
//! the response rate always, and the counts per value, the mean and the
//! comments (sorted by their text) only from [`RESULTS_THRESHOLD`] responses
//! on, so nobody is identifiable. No use case returns a single response, to
//! anyone, admins included.
//!
//! Self-assessments (a skill rated 1-5 before and after) show a person their
//! own progress, and a community how many people developed a skill with it,
//! again only from [`RESULTS_THRESHOLD`] people on.

use copse_domain::{Action, CommunityAccess, CommunityId, FieldErrors, Timestamp, can, word_enum};
use copse_store::{NewAnswer, NewAssessment, NewResponse, NewSurvey, NewSurveyQuestion, SurveyQuestionRow, SurveyRow};

use crate::communities::{CommunityView, access_of, community_view, membership_of};
use crate::{App, AppError, Viewer};

/// Fewer responses than this and no result but the count and the rate is
/// shown; the same for "skills developed" and people assessed.
pub const RESULTS_THRESHOLD: i64 = 5;
/// Custom questions a survey may add to the built-in three.
pub const MAX_CUSTOM_QUESTIONS: usize = 5;
const TEXT_ANSWER_MAX: usize = 2000;

/// The built-in questions: (builtin word, kind, prompt).
pub const BUILTIN_QUESTIONS: [(&str, &str, &str); 3] = [
    ("satisfaction", "scale", "How satisfied are you with this community?"),
    ("usefulness", "scale", "How useful was this community to you this month?"),
    ("comment", "text", "Anything else you would like to tell the facilitators?"),
];

/// Form field names of the questions, by position (the API names its
/// errors the same way).
pub const QUESTION_FIELDS: [&str; 8] = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"];

word_enum!(
    /// How a survey question is answered.
    QuestionKind {
        Scale = "scale" / "Scale 1 to 5",
        Text = "text" / "Free text",
    }
);

word_enum!(
    /// When a self-assessment was made, relative to learning.
    AssessmentPhase {
        Before = "before" / "Before",
        After = "after" / "After",
    }
);

/// A survey as typed by a facilitator.
#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub title: String,
    /// (kind, prompt) of the custom questions; empty prompts are skipped.
    pub questions: Vec<(String, String)>,
}

/// A survey in lists.
#[derive(Debug, Clone)]
pub struct SurveySummary {
    pub id: i64,
    pub title: String,
    pub open: bool,
    /// Active members when it opened.
    pub audience: i64,
    pub responses: i64,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

impl SurveySummary {
    /// Responses per audience, in whole percent (0 with no audience).
    pub fn rate_percent(&self) -> i64 {
        if self.audience <= 0 { 0 } else { (self.responses * 100 + self.audience / 2) / self.audience }
    }

    /// Results are published once the survey is closed and has at least
    /// [`RESULTS_THRESHOLD`] responses. Not while it is open: anyone
    /// comparing the results just before and just after a known person
    /// answered could read that person's answer off the difference.
    pub fn threshold_met(&self) -> bool {
        !self.open && self.responses >= RESULTS_THRESHOLD
    }

    /// Why no results are shown yet, or `None` when they are.
    pub fn results_notice(&self) -> Option<String> {
        if self.threshold_met() {
            None
        } else if self.open {
            Some(format!(
                "Results are published when the survey closes, if at least {RESULTS_THRESHOLD} people have answered ({} so far).",
                self.responses
            ))
        } else {
            Some(format!(
                "Results appear when at least {RESULTS_THRESHOLD} people have answered ({} so far).",
                self.responses
            ))
        }
    }
}

fn summary(row: &SurveyRow) -> SurveySummary {
    SurveySummary {
        id: row.id,
        title: row.title.clone(),
        open: row.status == "open",
        audience: row.audience_count,
        responses: row.response_count,
        opened_at: Timestamp(row.opens_at),
        closed_at: row.closes_at.map(Timestamp),
    }
}

/// One question.
#[derive(Debug, Clone)]
pub struct QuestionView {
    pub id: i64,
    /// 1-based.
    pub position: usize,
    /// The form field (and error name) answering it: q1, q2, ...
    pub field: &'static str,
    pub kind: QuestionKind,
    pub builtin: Option<String>,
    pub prompt: String,
}

fn question_view(row: &SurveyQuestionRow, index: usize) -> QuestionView {
    QuestionView {
        id: row.id,
        position: index + 1,
        field: QUESTION_FIELDS.get(index).copied().unwrap_or("answers"),
        kind: QuestionKind::parse(&row.kind).unwrap_or(QuestionKind::Text),
        builtin: row.builtin.clone(),
        prompt: row.prompt.clone(),
    }
}

/// A community's surveys page.
#[derive(Debug, Clone)]
pub struct SurveysPage {
    pub community: CommunityView,
    pub open: Option<SurveySummary>,
    /// The open survey's questions (for the answer form).
    pub questions: Vec<QuestionView>,
    /// The viewer answered the open survey already.
    pub answered: bool,
    /// The viewer may answer (an active member who has not answered yet).
    pub can_answer: bool,
    /// The viewer may open and close surveys.
    pub can_run: bool,
    /// The viewer may read results (members, facilitators, admins).
    pub can_read_results: bool,
    /// Closed surveys, the newest first.
    pub past: Vec<SurveySummary>,
    /// People who assessed a skill with this community.
    pub assessed: i64,
    /// How many of them developed a skill; only from the threshold on.
    pub developed: Option<i64>,
}

/// The aggregate of one scale question.
#[derive(Debug, Clone)]
pub struct ScaleResult {
    pub question: QuestionView,
    /// How many answered 1, 2, 3, 4 and 5.
    pub counts: [i64; 5],
    pub answered: i64,
    /// The mean, rounded to one decimal.
    pub mean: f64,
}

/// The comments answering one text question, sorted by their text.
#[derive(Debug, Clone)]
pub struct TextResult {
    pub question: QuestionView,
    pub answers: Vec<String>,
}

/// A survey's results. Below the threshold only `survey` (the count and the
/// rate) is filled; the aggregates are not even read.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub community: CommunityView,
    pub survey: SurveySummary,
    pub threshold_met: bool,
    pub scales: Vec<ScaleResult>,
    pub texts: Vec<TextResult>,
    pub can_run: bool,
    pub can_answer: bool,
}

/// After answering: the new count and the audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerReceipt {
    pub responses: i64,
    pub audience: i64,
}

/// A self-assessment as typed.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    pub skill: String,
    /// before | after
    pub phase: String,
    /// 1 to 5
    pub level: String,
    /// A community slug, or empty.
    pub community: String,
}

/// One self-assessment.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub phase: AssessmentPhase,
    pub level: i64,
    pub at: Timestamp,
    /// (slug, name)
    pub community: Option<(String, String)>,
}

/// A person's assessments of one skill, oldest first, and the change from
/// the first 'before' to the latest 'after'.
#[derive(Debug, Clone)]
pub struct SkillProgress {
    pub skill_key: String,
    pub skill_name: String,
    pub entries: Vec<AssessmentView>,
    pub first_before: Option<i64>,
    pub latest_after: Option<i64>,
}

/// The self-assessment page: one's own history and the form's choices.
#[derive(Debug, Clone)]
pub struct AssessmentsPage {
    pub skills: Vec<SkillProgress>,
    /// (slug, name) of the viewer's communities.
    pub communities: Vec<(String, String)>,
}

fn parse_title(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let length = trimmed.chars().count();
    if length < 3 {
        return Err("give the survey a title of at least 3 characters, e.g. “November pulse”".into());
    }
    if length > 120 {
        return Err(format!("the title must be at most 120 characters (it has {length})"));
    }
    if trimmed.contains('\n') || trimmed.chars().any(char::is_control) {
        return Err("the title must be a single line".into());
    }
    Ok(trimmed.to_string())
}

fn parse_prompt(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let length = trimmed.chars().count();
    if length < 3 {
        return Err("a question needs at least 3 characters".into());
    }
    if length > 200 {
        return Err(format!("a question must be at most 200 characters (it has {length})"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("a question must be a single line".into());
    }
    Ok(trimmed.to_string())
}

/// Custom question fields, by position (q1..q5 of the custom part).
pub const CUSTOM_FIELDS: [&str; MAX_CUSTOM_QUESTIONS] =
    ["question_1", "question_2", "question_3", "question_4", "question_5"];

/// The mean of counts for values 1..=5, rounded to one decimal.
fn mean_of(counts: &[i64; 5]) -> f64 {
    let answered: i64 = counts.iter().sum();
    if answered == 0 {
        return 0.0;
    }
    let total: i64 = counts.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    (total as f64 * 10.0 / answered as f64).round() / 10.0
}

/// UTC midnight of `at`: respondents keep the day only.
fn day_of(at: Timestamp) -> Timestamp {
    const DAY: i64 = 86_400_000;
    Timestamp(at.millis().div_euclid(DAY) * DAY)
}

impl App {
    /// A survey of the community `slug` the viewer may see, with their access.
    async fn community_survey(
        &self,
        viewer: &Viewer,
        slug: &str,
        survey: i64,
    ) -> Result<(copse_store::CommunityForViewerRow, CommunityAccess, SurveyRow), AppError> {
        let community = self.visible_community(viewer, slug).await?;
        let access = access_of(&community);
        let row = self.store().find_survey(survey).await?.ok_or(AppError::NotFound("survey"))?;
        if row.community_id != community.community.id {
            return Err(AppError::NotFound("survey"));
        }
        Ok((community, access, row))
    }

    /// A survey by id alone (the API), with its community.
    pub async fn survey_slug(&self, viewer: &Viewer, survey: i64) -> Result<String, AppError> {
        viewer.require_person()?;
        let row = self.store().find_survey(survey).await?.ok_or(AppError::NotFound("survey"))?;
        let community = self.store().get_community(CommunityId(row.community_id)).await?;
        // Confirms the viewer may see it before telling them where it is.
        self.visible_community(viewer, &community.slug).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("survey"),
            other => other,
        })?;
        Ok(community.slug)
    }

    /// The community's surveys page.
    pub async fn surveys_page(&self, viewer: &Viewer, slug: &str) -> Result<SurveysPage, AppError> {
        let me = viewer.require_person()?;
        let community = self.visible_community(viewer, slug).await?;
        let access = access_of(&community);
        let id = CommunityId(community.community.id);
        let rows = self.store().list_surveys(id, 100).await?;
        let open_row = rows.iter().find(|r| r.status == "open");
        let (questions, answered) = match open_row {
            Some(open) => (
                self.store()
                    .list_survey_questions(open.id)
                    .await?
                    .iter()
                    .enumerate()
                    .map(|(i, q)| question_view(q, i))
                    .collect(),
                self.store().has_responded(open.id, me).await?,
            ),
            None => (Vec::new(), false),
        };
        let developed = self.store().skills_developed(id).await?;
        Ok(SurveysPage {
            community: community_view(&community.community),
            open: open_row.map(summary),
            can_answer: open_row.is_some() && !answered && can(&viewer.actor, Action::AnswerSurvey(&access)),
            answered,
            questions,
            can_run: can(&viewer.actor, Action::RunSurveys(&access)),
            can_read_results: may_read_results(viewer, &access),
            past: rows.iter().filter(|r| r.status != "open").map(summary).collect(),
            assessed: developed.assessed,
            developed: (developed.assessed >= RESULTS_THRESHOLD).then_some(developed.developed),
        })
    }

    /// Opens a survey (facilitators). One open survey per community.
    pub async fn open_survey(&self, viewer: &Viewer, slug: &str, input: &SurveyInput) -> Result<i64, AppError> {
        let me = viewer.require_person()?;
        let community = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::RunSurveys(&access_of(&community))) {
            return Err(AppError::Forbidden("only facilitators run surveys"));
        }
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_title(&input.title));
        let mut questions: Vec<NewSurveyQuestion> = BUILTIN_QUESTIONS
            .iter()
            .map(|(builtin, kind, prompt)| NewSurveyQuestion {
                kind: if *kind == "scale" { "scale" } else { "text" },
                builtin: Some(*builtin),
                prompt: prompt.to_string(),
            })
            .collect();
        let custom: Vec<&(String, String)> = input.questions.iter().filter(|(_, p)| !p.trim().is_empty()).collect();
        if custom.len() > MAX_CUSTOM_QUESTIONS {
            errors.add(
                "questions",
                format!("at most {MAX_CUSTOM_QUESTIONS} questions of your own (there are {})", custom.len()),
            );
        }
        for (index, (kind, prompt)) in custom.iter().take(MAX_CUSTOM_QUESTIONS).enumerate() {
            let field = CUSTOM_FIELDS[index];
            let kind = if kind.trim().is_empty() { Ok(QuestionKind::Scale) } else { QuestionKind::parse(kind) };
            match (kind, parse_prompt(prompt)) {
                (Ok(kind), Ok(prompt)) => questions.push(NewSurveyQuestion {
                    kind: if kind == QuestionKind::Scale { "scale" } else { "text" },
                    builtin: None,
                    prompt,
                }),
                (Err(message), _) | (_, Err(message)) => errors.add(field, message),
            }
        }
        errors.clone().finish()?;
        let title = title.ok_or(AppError::Invalid(errors))?;
        self.store()
            .insert_survey(&NewSurvey {
                community: CommunityId(community.community.id),
                title: &title,
                questions: &questions,
                creator: Some(me),
                at: Timestamp::now(),
            })
            .await
            .map_err(|error| match error {
                copse_store::StoreError::Conflict(_) => AppError::Conflict {
                    field: "",
                    message: "This community already has an open survey; close it before opening another.".into(),
                },
                other => other.into(),
            })
    }

    /// Closes the community's open survey (facilitators).
    pub async fn close_survey(&self, viewer: &Viewer, slug: &str, survey: i64) -> Result<(), AppError> {
        let me = viewer.require_person()?;
        let (_, access, _) = self.community_survey(viewer, slug, survey).await?;
        if !can(&viewer.actor, Action::RunSurveys(&access)) {
            return Err(AppError::Forbidden("only facilitators close surveys"));
        }
        if !self.store().close_survey(survey, Some(me), Timestamp::now()).await? {
            return Err(AppError::Conflict { field: "", message: "This survey is already closed.".into() });
        }
        Ok(())
    }

    /// Answers a survey once (active members). `answers` are (field, value)
    /// pairs as typed (q1, q2, ...); an empty value skips the question, but at
    /// least one must be answered.
    pub async fn answer_survey(
        &self,
        viewer: &Viewer,
        slug: &str,
        survey: i64,
        answers: &[(String, String)],
    ) -> Result<AnswerReceipt, AppError> {
        let me = viewer.require_person()?;
        let (_, access, row) = self.community_survey(viewer, slug, survey).await?;
        if !can(&viewer.actor, Action::AnswerSurvey(&access)) {
            return Err(AppError::Forbidden("only the community's members answer its survey"));
        }
        if row.status != "open" {
            return Err(AppError::Conflict { field: "", message: "This survey is closed.".into() });
        }
        if self.store().has_responded(survey, me).await? {
            return Err(already_answered());
        }
        let questions = self.store().list_survey_questions(survey).await?;
        let mut errors = FieldErrors::new();
        let mut parsed: Vec<NewAnswer> = Vec::new();
        for (index, question) in questions.iter().enumerate() {
            let view = question_view(question, index);
            let value =
                answers.iter().find(|(field, _)| field == view.field).map(|(_, v)| v.trim()).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            match view.kind {
                QuestionKind::Scale => match value.parse::<i64>() {
                    Ok(n) if (1..=5).contains(&n) => {
                        parsed.push(NewAnswer { question: question.id, scale: Some(n), text: None })
                    }
                    _ => errors.add(view.field, format!("'{value}' is not a whole number from 1 to 5")),
                },
                QuestionKind::Text => {
                    let length = value.chars().count();
                    if length > TEXT_ANSWER_MAX {
                        errors.add(view.field, format!("at most {TEXT_ANSWER_MAX} characters (it has {length})"));
                    } else {
                        parsed.push(NewAnswer { question: question.id, scale: None, text: Some(value.to_string()) });
                    }
                }
            }
        }
        if parsed.is_empty() && errors.is_empty() {
            errors.add("answers", "answer at least one question");
        }
        errors.finish()?;
        // The token only groups one response's answers; it is random and
        // stored with no person and no time.
        let token = crate::accounts::random_token(16);
        let responses = self
            .store()
            .insert_survey_response(&NewResponse {
                survey,
                person: me,
                day: day_of(Timestamp::now()),
                token: &token,
                answers: &parsed,
            })
            .await
            .map_err(|error| match error {
                copse_store::StoreError::Conflict(what) if what == "survey_respondents" => already_answered(),
                copse_store::StoreError::Conflict(_) => {
                    AppError::Conflict { field: "", message: "This survey is closed.".into() }
                }
                other => other.into(),
            })?;
        Ok(AnswerReceipt { responses, audience: row.audience_count })
    }

    /// A survey's results for members, facilitators and admins: always the
    /// count and the rate; the aggregates only from the threshold on.
    pub async fn survey_results(&self, viewer: &Viewer, slug: &str, survey: i64) -> Result<SurveyResults, AppError> {
        let me = viewer.require_person()?;
        let (community, access, row) = self.community_survey(viewer, slug, survey).await?;
        if !may_read_results(viewer, &access) {
            return Err(AppError::Forbidden("survey results are for the community's members"));
        }
        let survey_view = summary(&row);
        let threshold_met = survey_view.threshold_met();
        let mut scales = Vec::new();
        let mut texts = Vec::new();
        if threshold_met {
            let questions = self.store().list_survey_questions(survey).await?;
            let counts = self.store().count_survey_scale_values(survey).await?;
            let answers = self.store().list_survey_texts(survey).await?;
            for (index, question) in questions.iter().enumerate() {
                let view = question_view(question, index);
                match view.kind {
                    QuestionKind::Scale => {
                        let mut by_value = [0i64; 5];
                        for c in counts.iter().filter(|c| c.question_id == question.id) {
                            if let Some(slot) = usize::try_from(c.value - 1).ok().and_then(|i| by_value.get_mut(i)) {
                                *slot = c.count;
                            }
                        }
                        scales.push(ScaleResult {
                            answered: by_value.iter().sum(),
                            mean: mean_of(&by_value),
                            counts: by_value,
                            question: view,
                        });
                    }
                    QuestionKind::Text => {
                        // Sorted here too, so both databases (whose collations
                        // differ) list them in one order.
                        let mut texts_of: Vec<String> =
                            answers.iter().filter(|(q, _)| *q == question.id).map(|(_, t)| t.clone()).collect();
                        texts_of.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b)));
                        texts.push(TextResult { answers: texts_of, question: view });
                    }
                }
            }
        }
        let answered = if row.status == "open" { self.store().has_responded(survey, me).await? } else { true };
        Ok(SurveyResults {
            community: community_view(&community.community),
            can_answer: row.status == "open" && !answered && can(&viewer.actor, Action::AnswerSurvey(&access)),
            survey: survey_view,
            threshold_met,
            scales,
            texts,
            can_run: can(&viewer.actor, Action::RunSurveys(&access)),
        })
    }

    /// The viewer's self-assessments by skill and the communities to pick.
    pub async fn assessments_page(&self, viewer: &Viewer) -> Result<AssessmentsPage, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::SeekOrOfferMentoring) {
            return Err(AppError::Forbidden("guests do not record self-assessments"));
        }
        let rows = self.store().list_assessments(me).await?;
        let mut skills: Vec<SkillProgress> = Vec::new();
        for row in rows {
            let phase = AssessmentPhase::parse(&row.phase).unwrap_or(AssessmentPhase::Before);
            let entry = AssessmentView {
                phase,
                level: row.level,
                at: Timestamp(row.at),
                community: row.community_slug.zip(row.community_name),
            };
            match skills.last_mut() {
                Some(last) if last.skill_key == row.skill_key => last.entries.push(entry),
                _ => skills.push(SkillProgress {
                    skill_name: row.skill_name.unwrap_or_else(|| row.skill_key.replace('-', " ")),
                    skill_key: row.skill_key,
                    entries: vec![entry],
                    first_before: None,
                    latest_after: None,
                }),
            }
        }
        for skill in &mut skills {
            skill.first_before = skill.entries.iter().find(|e| e.phase == AssessmentPhase::Before).map(|e| e.level);
            skill.latest_after =
                skill.entries.iter().rev().find(|e| e.phase == AssessmentPhase::After).map(|e| e.level);
        }
        skills.sort_by_key(|s| s.skill_name.to_lowercase());
        let communities = self
            .store()
            .list_communities_of_person(me)
            .await?
            .into_iter()
            .filter(|c| c.viewer_status.as_deref() == Some("active"))
            .map(|c| (c.community.slug, c.community.name))
            .collect();
        Ok(AssessmentsPage { skills, communities })
    }

    /// Records one self-assessment. The skill is mapped onto the vocabulary
    /// when it names a skill or a synonym, and kept as typed otherwise; the
    /// community, if any, must be one of the viewer's.
    pub async fn record_assessment(&self, viewer: &Viewer, input: &AssessmentInput) -> Result<i64, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::SeekOrOfferMentoring) {
            return Err(AppError::Forbidden("guests do not record self-assessments"));
        }
        let mut errors = FieldErrors::new();
        let typed = input.skill.trim();
        let key = copse_domain::skill_key(typed);
        if key.is_empty() {
            errors.add("skill", "name the skill, e.g. Rust or Kubernetes");
        } else if key.chars().count() > 60 {
            errors.add("skill", "a skill's name must be at most 60 characters");
        }
        let phase = errors.check("phase", AssessmentPhase::parse(&input.phase.to_lowercase()));
        let level = match input.level.trim().parse::<i64>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                errors.add("level", "choose a level from 1 (beginner) to 5 (expert)");
                None
            }
        };
        let community = match input.community.trim() {
            "" => None,
            slug => {
                let mine = self.store().list_communities_of_person(me).await?;
                let found = mine.iter().find(|c| {
                    c.community.slug == slug
                        && matches!(
                            membership_of(c.viewer_role.as_deref(), c.viewer_status.as_deref()),
                            Some((_, copse_domain::MembershipStatus::Active))
                        )
                });
                if found.is_none() {
                    errors.add("community", "choose one of your communities, or none");
                }
                found.map(|c| CommunityId(c.community.id))
            }
        };
        errors.clone().finish()?;
        let (Some(phase), Some(level)) = (phase, level) else {
            return Err(AppError::Invalid(errors));
        };
        let key = match self.store().resolve_skill_term(&key).await? {
            Some(skill) => skill.key,
            None => key,
        };
        Ok(self
            .store()
            .insert_assessment(&NewAssessment {
                person: me,
                skill_key: &key,
                community,
                phase: phase.as_str(),
                level,
                at: Timestamp::now(),
            })
            .await?)
    }
}

fn may_read_results(viewer: &Viewer, access: &CommunityAccess) -> bool {
    can(&viewer.actor, Action::RunSurveys(access)) || can(&viewer.actor, Action::AnswerSurvey(access))
}

fn already_answered() -> AppError {
    AppError::Conflict { field: "", message: "You have already answered this survey; each member answers once.".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_have_one_decimal() {
        assert_eq!(mean_of(&[0, 0, 0, 0, 0]), 0.0);
        assert_eq!(mean_of(&[1, 0, 0, 0, 1]), 3.0);
        assert_eq!(mean_of(&[0, 0, 1, 1, 1]), 4.0);
        assert_eq!(mean_of(&[0, 1, 1, 1, 0]), 3.0);
        assert_eq!(mean_of(&[0, 0, 2, 0, 1]), 3.7);
    }

    #[test]
    fn rates_round_to_whole_percent() {
        let s = SurveySummary {
            id: 1,
            title: String::new(),
            open: true,
            audience: 3,
            responses: 2,
            opened_at: Timestamp(0),
            closed_at: None,
        };
        assert_eq!(s.rate_percent(), 67);
        assert!(!s.threshold_met());
        assert_eq!(SurveySummary { audience: 0, ..s.clone() }.rate_percent(), 0);
        assert!(!SurveySummary { responses: 5, ..s.clone() }.threshold_met(), "never while open");
        assert!(SurveySummary { responses: 5, open: false, ..s.clone() }.threshold_met());
        assert!(!SurveySummary { responses: 4, open: false, ..s.clone() }.threshold_met());
        assert!(s.results_notice().unwrap().contains("when the survey closes"));
    }

    #[test]
    fn respondents_keep_the_day_only() {
        assert_eq!(day_of(Timestamp(86_400_000 * 3 + 12_345)), Timestamp(86_400_000 * 3));
    }
}
