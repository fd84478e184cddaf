//! Communities of practice: the three elements of the tutorial (a domain, a
//! community of people, a shared practice), their charter, type, visibility,
//! channels and lifecycle stage, and membership in them.

use crate::error::FieldErrors;
use crate::values::{HttpUrl, Slug, parse_list, parse_name, parse_text};
use crate::word_enum;
use crate::{Handle, OrgGoalId};

word_enum!(
    /// The tutorial's "Common CoP Types in Technology".
    CommunityType {
        TechnicalPractice = "technical-practice" / "Technical practice",
        RoleBased = "role-based" / "Role-based",
        ProcessOriented = "process-oriented" / "Process-oriented",
        DomainSpecific = "domain-specific" / "Domain-specific",
        CrossCutting = "cross-cutting" / "Cross-cutting",
    }
);

impl CommunityType {
    pub fn description(self) -> &'static str {
        match self {
            CommunityType::TechnicalPractice => {
                "Specific technologies: code reviews, tutorials, troubleshooting sessions"
            }
            CommunityType::RoleBased => "Job functions: career development, skill sharing, standardization",
            CommunityType::ProcessOriented => "Methodologies: process improvement, tool evaluation, metrics review",
            CommunityType::DomainSpecific => "Business areas: regulatory updates, domain modeling, compliance",
            CommunityType::CrossCutting => "Organizational concerns: advocacy, standards development, training",
        }
    }
}

word_enum!(
    /// Who can see a community and how people get in.
    Visibility {
        Open = "open" / "Open",
        RequestToJoin = "request" / "Request to join",
        Private = "private" / "Private",
    }
);

impl Visibility {
    pub fn description(self) -> &'static str {
        match self {
            Visibility::Open => "Anyone in the organization can see it and join in one click.",
            Visibility::RequestToJoin => "Anyone can see it; a facilitator approves each request to join.",
            Visibility::Private => "Only members see it; people join by invitation.",
        }
    }
}

word_enum!(
    /// The tutorial's five stages of CoP development.
    Stage {
        Potential = "potential" / "Potential",
        Coalescing = "coalescing" / "Coalescing",
        Maturing = "maturing" / "Maturing",
        Stewardship = "stewardship" / "Stewardship",
        Transformation = "transformation" / "Transformation",
    }
);

impl Stage {
    pub fn description(self) -> &'static str {
        match self {
            Stage::Potential => "People with shared interests begin to recognize each other; no formal structure yet.",
            Stage::Coalescing => "Members identify as a community; first activities and channels emerge.",
            Stage::Maturing => "Regular rhythms establish themselves; membership grows and diversifies.",
            Stage::Stewardship => {
                "Well established and recognized; the focus is staying relevant and onboarding newcomers."
            }
            Stage::Transformation => "The community splits, merges or dissolves; its knowledge is preserved.",
        }
    }

    /// Position in the lifecycle, 1 to 5.
    pub fn number(self) -> u8 {
        match self {
            Stage::Potential => 1,
            Stage::Coalescing => 2,
            Stage::Maturing => 3,
            Stage::Stewardship => 4,
            Stage::Transformation => 5,
        }
    }
}

word_enum!(
    /// What someone does in a community.
    MembershipRole {
        Member = "member" / "Member",
        Facilitator = "facilitator" / "Facilitator",
    }
);

word_enum!(
    /// Where a membership stands: in, asked to be let in, or invited.
    MembershipStatus {
        Active = "active" / "Member",
        Requested = "requested" / "Requested to join",
        Invited = "invited" / "Invited",
    }
);

word_enum!(
    /// How much someone takes part, derived from what they actually do
    /// (never set by hand).
    ParticipationLevel {
        Core = "core" / "Core",
        Active = "active" / "Active",
        Peripheral = "peripheral" / "Peripheral",
        Inactive = "inactive" / "Inactive",
    }
);

/// A charter goal, optionally tied to one of the organization's goals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharterGoal {
    pub text: String,
    pub org_goal: Option<OrgGoalId>,
}

/// What the community exists to accomplish and where its domain ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Charter {
    pub purpose: String,
    pub in_scope: Vec<String>,
    pub out_of_scope: Vec<String>,
    pub goals: Vec<CharterGoal>,
}

/// A named link to where the community talks or keeps things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    pub url: HttpUrl,
}

/// The fields of the create/edit form as typed, before parsing.
#[derive(Debug, Clone, Default)]
pub struct CommunityInput {
    pub name: String,
    pub slug: String,
    pub domain: String,
    pub kind: String,
    pub visibility: String,
    pub purpose: String,
    pub in_scope: String,
    pub out_of_scope: String,
    /// Goal text and the id of the organizational goal it serves, if any.
    pub goals: Vec<(String, Option<i64>)>,
    /// Channel name and URL.
    pub channels: Vec<(String, String)>,
    /// Handle of the executive sponsor, empty for none.
    pub sponsor: String,
}

/// A validated community definition, ready to store.
#[derive(Debug, Clone)]
pub struct CommunityDraft {
    pub name: String,
    pub slug: Slug,
    pub domain: String,
    pub kind: CommunityType,
    pub visibility: Visibility,
    pub charter: Charter,
    pub channels: Vec<Channel>,
    pub sponsor: Option<Handle>,
}

pub const MAX_GOALS: usize = 8;
pub const MAX_CHANNELS: usize = 8;

impl CommunityDraft {
    /// Parses every field and reports every problem at once. An empty slug is
    /// derived from the name.
    pub fn parse(input: &CommunityInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", parse_name(&input.name, "Name", 80));
        let slug = if input.slug.trim().is_empty() {
            match Slug::from_name(&input.name) {
                Some(slug) => Some(slug),
                None => {
                    if name.is_some() {
                        errors.add("slug", "choose a slug: the name gives none");
                    }
                    None
                }
            }
        } else {
            errors.check("slug", Slug::parse(&input.slug))
        };
        let domain = errors.check("domain", parse_name(&input.domain, "The domain statement", 200));
        let kind = errors.check("kind", CommunityType::parse(&input.kind));
        let visibility = errors.check("visibility", Visibility::parse(&input.visibility));
        let purpose = errors.check("purpose", parse_text(&input.purpose, "The purpose", 4000));
        let in_scope = errors.check("in_scope", parse_list(&input.in_scope, "topic", 30, 80));
        let out_of_scope = errors.check("out_of_scope", parse_list(&input.out_of_scope, "topic", 30, 80));

        let mut goals = Vec::new();
        for (text, org_goal) in &input.goals {
            if text.trim().is_empty() {
                continue;
            }
            if let Some(text) = errors.check("goals", parse_name(text, "A goal", 200)) {
                goals.push(CharterGoal { text, org_goal: org_goal.map(OrgGoalId) });
            }
        }
        if goals.len() > MAX_GOALS {
            errors.add("goals", format!("at most {MAX_GOALS} goals"));
        }

        let mut channels = Vec::new();
        for (channel_name, url) in &input.channels {
            if channel_name.trim().is_empty() && url.trim().is_empty() {
                continue;
            }
            let channel_name = errors.check("channels", parse_name(channel_name, "A channel name", 60));
            let url = errors.check("channels", HttpUrl::parse(url));
            if let (Some(name), Some(url)) = (channel_name, url) {
                channels.push(Channel { name, url });
            }
        }
        if channels.len() > MAX_CHANNELS {
            errors.add("channels", format!("at most {MAX_CHANNELS} channels"));
        }

        let sponsor =
            if input.sponsor.trim().is_empty() { None } else { errors.check("sponsor", Handle::parse(&input.sponsor)) };

        errors.finish()?;
        // All parses succeeded, so every Option is Some.
        Ok(Self {
            name: name.unwrap_or_default(),
            slug: slug.ok_or_else(|| FieldErrors::single("slug", "a slug is required"))?,
            domain: domain.unwrap_or_default(),
            kind: kind.unwrap_or(CommunityType::TechnicalPractice),
            visibility: visibility.unwrap_or(Visibility::Open),
            charter: Charter {
                purpose: purpose.unwrap_or_default(),
                in_scope: in_scope.unwrap_or_default(),
                out_of_scope: out_of_scope.unwrap_or_default(),
                goals,
            },
            channels,
            sponsor,
        })
    }
}

/// A move to another lifecycle stage, with the reason recorded in the history.
#[derive(Debug, Clone)]
pub struct StageChange {
    pub stage: Stage,
    pub note: String,
}

impl StageChange {
    pub fn parse(stage: &str, note: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stage = errors.check("stage", Stage::parse(stage));
        let note = errors.check("note", parse_name(note, "A note saying why", 1000));
        errors.finish()?;
        Ok(Self { stage: stage.unwrap_or(Stage::Potential), note: note.unwrap_or_default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CommunityInput {
        CommunityInput {
            name: "Rust Guild".into(),
            domain: "Writing and operating Rust services".into(),
            kind: "technical-practice".into(),
            visibility: "open".into(),
            purpose: "Share what works".into(),
            in_scope: "async, testing".into(),
            goals: vec![("Halve onboarding time".into(), Some(3)), ("".into(), None)],
            channels: vec![("Chat".into(), "https://chat.example.com/rust".into())],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_parses_and_derives_the_slug() {
        let draft = CommunityDraft::parse(&input()).unwrap();
        assert_eq!(draft.slug.as_str(), "rust-guild");
        assert_eq!(draft.charter.in_scope, vec!["async", "testing"]);
        assert_eq!(draft.charter.goals.len(), 1);
        assert_eq!(draft.charter.goals[0].org_goal, Some(OrgGoalId(3)));
        assert_eq!(draft.channels[0].url.as_str(), "https://chat.example.com/rust");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = input();
        bad.name = " ".into();
        bad.kind = "hobby".into();
        bad.visibility = "secret".into();
        bad.channels = vec![("Chat".into(), "javascript:alert(1)".into())];
        let errors = CommunityDraft::parse(&bad).unwrap_err();
        assert!(errors.get("name").is_some());
        assert!(errors.get("kind").is_some());
        assert!(errors.get("visibility").is_some());
        assert!(errors.get("channels").is_some());
    }

    #[test]
    fn a_stage_change_needs_a_note() {
        assert!(StageChange::parse("maturing", "monthly rhythm for 6 months").is_ok());
        let errors = StageChange::parse("maturing", "  ").unwrap_err();
        assert!(errors.get("note").is_some());
        assert!(StageChange::parse("adolescent", "x").is_err());
    }
}
