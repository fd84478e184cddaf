//! The API's wire types, separate from the app's views so the stored shape
//! can change without breaking clients.

use copse_app::{CommunityCard, CommunityPage, MemberView, PersonView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::format::rfc3339;

/// The viewer's own membership in a community.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipOut {
    /// `member` or `facilitator`.
    pub role: String,
    /// `active`, `requested` or `invited`.
    pub status: String,
}

fn membership(m: Option<(copse_domain::MembershipRole, copse_domain::MembershipStatus)>) -> Option<MembershipOut> {
    m.map(|(role, status)| MembershipOut { role: role.as_str().into(), status: status.as_str().into() })
}

/// A community in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunitySummary {
    pub slug: String,
    pub name: String,
    /// The shared area of interest.
    pub domain: String,
    /// technical-practice, role-based, process-oriented, domain-specific or cross-cutting.
    pub kind: String,
    /// open, request or private.
    pub visibility: String,
    /// potential, coalescing, maturing, stewardship or transformation.
    pub stage: String,
    pub member_count: i64,
    pub membership: Option<MembershipOut>,
}

impl From<&CommunityCard> for CommunitySummary {
    fn from(card: &CommunityCard) -> Self {
        let c = &card.community;
        CommunitySummary {
            slug: c.slug.clone(),
            name: c.name.clone(),
            domain: c.domain.clone(),
            kind: c.kind.as_str().into(),
            visibility: c.visibility.as_str().into(),
            stage: c.stage.as_str().into(),
            member_count: c.member_count,
            membership: membership(card.membership),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalOut {
    pub text: String,
    pub org_goal_id: Option<i64>,
    pub org_goal: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelOut {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRefOut {
    pub handle: String,
    pub name: String,
    pub team: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitatorOut {
    pub person: PersonRefOut,
    pub term_started_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageChangeOut {
    pub stage: String,
    pub previous_stage: Option<String>,
    pub note: String,
    pub at: String,
    pub changed_by: Option<String>,
}

/// How many members sit at each participation level (last 90 days).
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationOut {
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
}

/// A community with its charter, people and history.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityDetail {
    #[serde(flatten)]
    pub summary: CommunitySummary,
    pub purpose: String,
    pub in_scope: Vec<String>,
    pub out_of_scope: Vec<String>,
    pub goals: Vec<GoalOut>,
    pub channels: Vec<ChannelOut>,
    pub sponsor: Option<PersonRefOut>,
    pub facilitators: Vec<FacilitatorOut>,
    pub participation: ParticipationOut,
    pub stage_history: Vec<StageChangeOut>,
    pub created_at: String,
}

fn person_ref(p: &copse_app::PersonRef) -> PersonRefOut {
    PersonRefOut { handle: p.handle.clone(), name: p.name.clone(), team: p.team.clone() }
}

impl From<&CommunityPage> for CommunityDetail {
    fn from(page: &CommunityPage) -> Self {
        let c = &page.community;
        let s = &page.shared;
        let card = CommunityCard { community: c.clone(), membership: page.membership };
        CommunityDetail {
            summary: CommunitySummary::from(&card),
            purpose: c.purpose.clone(),
            in_scope: c.in_scope.clone(),
            out_of_scope: c.out_of_scope.clone(),
            goals: s
                .goals
                .iter()
                .map(|g| GoalOut {
                    text: g.text.clone(),
                    org_goal_id: g.org_goal.as_ref().map(|o| o.0.0),
                    org_goal: g.org_goal.as_ref().map(|o| o.1.clone()),
                })
                .collect(),
            channels: s.channels.iter().map(|ch| ChannelOut { name: ch.name.clone(), url: ch.url.clone() }).collect(),
            sponsor: s.sponsor.as_ref().map(person_ref),
            facilitators: s
                .facilitators
                .iter()
                .map(|f| FacilitatorOut { person: person_ref(&f.person), term_started_at: rfc3339(f.term_started_at) })
                .collect(),
            participation: ParticipationOut {
                core: s.participation.core,
                active: s.participation.active,
                peripheral: s.participation.peripheral,
                inactive: s.participation.inactive,
            },
            stage_history: s
                .stage_history
                .iter()
                .map(|h| StageChangeOut {
                    stage: h.stage.as_str().into(),
                    previous_stage: h.previous.map(|p| p.as_str().into()),
                    note: h.note.clone(),
                    at: rfc3339(h.at),
                    changed_by: h.by.as_ref().map(|b| b.0.clone()),
                })
                .collect(),
            created_at: rfc3339(c.created_at),
        }
    }
}

/// A member and how much they take part.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    pub person: PersonRefOut,
    pub role: String,
    /// core, active, peripheral or inactive: derived from the last 90 days.
    pub participation: String,
    pub recent_contributions: i64,
    pub joined_at: String,
}

impl From<&MemberView> for MemberOut {
    fn from(m: &MemberView) -> Self {
        MemberOut {
            person: person_ref(&m.person),
            role: m.role.as_str().into(),
            participation: m.level.as_str().into(),
            recent_contributions: m.recent_contributions,
            joined_at: rfc3339(m.joined_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GoalIn {
    pub text: String,
    pub org_goal_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChannelIn {
    pub name: String,
    pub url: String,
}

/// A community's definition, to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommunityWrite {
    pub name: String,
    /// Derived from the name when empty.
    #[serde(default)]
    pub slug: String,
    pub domain: String,
    pub kind: String,
    pub visibility: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub in_scope: Vec<String>,
    #[serde(default)]
    pub out_of_scope: Vec<String>,
    #[serde(default)]
    pub goals: Vec<GoalIn>,
    #[serde(default)]
    pub channels: Vec<ChannelIn>,
    /// The executive sponsor's handle.
    #[serde(default)]
    pub sponsor: Option<String>,
}

impl CommunityWrite {
    pub fn into_input(self) -> copse_domain::CommunityInput {
        copse_domain::CommunityInput {
            name: self.name,
            slug: self.slug,
            domain: self.domain,
            kind: self.kind,
            visibility: self.visibility,
            purpose: self.purpose,
            in_scope: self.in_scope.join("\n"),
            out_of_scope: self.out_of_scope.join("\n"),
            goals: self.goals.into_iter().map(|g| (g.text, g.org_goal_id)).collect(),
            channels: self.channels.into_iter().map(|c| (c.name, c.url)).collect(),
            sponsor: self.sponsor.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StageChangeIn {
    pub stage: String,
    /// Why; recorded in the stage history.
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberDecisionIn {
    pub handle: String,
    /// approve, decline, invite, make-facilitator, make-member or remove.
    pub decision: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillOut {
    pub name: String,
    /// learning, practitioner or expert.
    pub level: String,
}

/// A person's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub handle: String,
    pub name: String,
    /// admin, member or guest.
    pub role: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub working_hours_start: String,
    pub working_hours_end: String,
    pub experience: String,
    pub bio: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interests: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communities: Option<Vec<CommunitySummary>>,
}

impl From<&PersonView> for PersonOut {
    fn from(p: &PersonView) -> Self {
        PersonOut {
            handle: p.handle.clone(),
            name: p.name.clone(),
            role: p.role.as_str().into(),
            team: p.team.clone(),
            location: p.location.clone(),
            time_zone: p.time_zone.clone(),
            working_hours_start: p.working_hours.start_text(),
            working_hours_end: p.working_hours.end_text(),
            experience: p.experience.as_str().into(),
            bio: p.bio.clone(),
            skills: None,
            interests: None,
            communities: None,
        }
    }
}

/// A page of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeoplePageOut {
    pub people: Vec<PersonOut>,
    pub page: i64,
    pub has_next: bool,
}

/// A profile to save. Skills as "Rust:expert" strings.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileWrite {
    pub name: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub location: String,
    pub time_zone: String,
    /// "09:00"
    pub working_hours_start: String,
    /// "17:00"
    pub working_hours_end: String,
    pub experience: String,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub interests: Vec<String>,
    #[serde(default)]
    pub bio: String,
}

/// Who the token or session belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    pub handle: String,
    pub name: String,
    pub role: String,
    pub time_zone: String,
}

/// A person with a local account, created by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonCreate {
    pub handle: String,
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// At least 8 characters.
    pub password: String,
    /// Make the person an organization administrator.
    #[serde(default)]
    pub admin: bool,
}

/// One of the organization's goals, which community charters link to.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgGoalOut {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrgGoalCreate {
    pub title: String,
    #[serde(default)]
    pub description: String,
}
