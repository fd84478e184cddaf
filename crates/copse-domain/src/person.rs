//! People and their profiles: where they work from, when, and what they know.

use crate::error::FieldErrors;
use crate::values::{ExperienceLevel, SkillLevel, TimeZone, WorkingHours, parse_list, parse_name, parse_text};

/// One declared skill with the level its holder claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub level: SkillLevel,
}

impl Skill {
    /// Parses "Rust:expert, Go:learning, Kubernetes" (level defaults to
    /// practitioner).
    pub fn parse_list(input: &str) -> Result<Vec<Skill>, String> {
        let mut skills: Vec<Skill> = Vec::new();
        for item in parse_list(input, "skill", 40, 60)? {
            let (name, level) = match item.rsplit_once(':') {
                Some((name, level)) => (name.trim().to_string(), SkillLevel::parse(&level.to_ascii_lowercase())?),
                None => (item.clone(), SkillLevel::Practitioner),
            };
            if name.is_empty() {
                return Err("a skill needs a name before the ':'".into());
            }
            if !skills.iter().any(|s| s.name.eq_ignore_ascii_case(&name)) {
                skills.push(Skill { name, level });
            }
        }
        Ok(skills)
    }

    /// The inverse of [`Skill::parse_list`], for refilling a form.
    pub fn list_text(skills: &[Skill]) -> String {
        skills.iter().map(|s| format!("{}:{}", s.name, s.level.as_str())).collect::<Vec<_>>().join(", ")
    }
}

/// The canonical key of a skill name as typed: trimmed, lower case, each run
/// of whitespace one '-' ("Machine  learning" is `machine-learning`). For
/// names with single spaces it equals the migration's
/// `lower(replace(trim(skill), ' ', '-'))`, so keys written before and after
/// agree; keys are what the vocabulary, synonyms and tags are matched on.
pub fn skill_key(name: &str) -> String {
    name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join("-")
}

/// The profile form as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub work_start: String,
    pub work_end: String,
    pub experience: String,
    pub skills: String,
    pub interests: String,
    pub bio: String,
}

/// A validated profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub team: String,
    pub location: String,
    pub time_zone: TimeZone,
    pub working_hours: WorkingHours,
    pub experience: ExperienceLevel,
    pub skills: Vec<Skill>,
    pub interests: Vec<String>,
    pub bio: String,
}

impl Profile {
    pub fn parse(input: &ProfileInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", parse_name(&input.name, "Name", 80));
        let team = errors.check("team", parse_text(&input.team, "Team", 80));
        let location = errors.check("location", parse_text(&input.location, "Location", 80));
        let time_zone = errors.check("time_zone", TimeZone::parse(&input.time_zone));
        let working_hours = errors.check("working_hours", WorkingHours::parse(&input.work_start, &input.work_end));
        let experience = errors.check("experience", ExperienceLevel::parse(&input.experience));
        let skills = errors.check("skills", Skill::parse_list(&input.skills));
        let interests = errors.check("interests", parse_list(&input.interests, "interest", 30, 60));
        let bio = errors.check("bio", parse_text(&input.bio, "About", 2000));
        errors.finish()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            team: team.unwrap_or_default(),
            location: location.unwrap_or_default(),
            time_zone: time_zone.unwrap_or_else(TimeZone::utc),
            working_hours: working_hours.unwrap_or_default(),
            experience: experience.unwrap_or(ExperienceLevel::Mid),
            skills: skills.unwrap_or_default(),
            interests: interests.unwrap_or_default(),
            bio: bio.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_parse_with_levels_and_round_trip() {
        let skills = Skill::parse_list("Rust:expert, Go:Learning, Kubernetes").unwrap();
        assert_eq!(skills.len(), 3);
        assert_eq!(skills[0].level, SkillLevel::Expert);
        assert_eq!(skills[1].level, SkillLevel::Learning);
        assert_eq!(skills[2].level, SkillLevel::Practitioner);
        assert_eq!(Skill::parse_list(&Skill::list_text(&skills)).unwrap(), skills);
        assert!(Skill::parse_list("Rust:wizard").is_err());
    }

    #[test]
    fn skill_keys_are_trimmed_lower_case_with_dashes() {
        assert_eq!(skill_key("Rust"), "rust");
        assert_eq!(skill_key("  Machine learning "), "machine-learning");
        assert_eq!(skill_key("Machine \t  Learning"), "machine-learning");
        assert_eq!(skill_key("CI/CD"), "ci/cd");
        assert_eq!(skill_key("k8s-ops"), "k8s-ops");
        assert_eq!(skill_key("   "), "");
        // The migration's SQL for names with single spaces.
        for name in ["Distributed systems", "TypeScript", "Incident management"] {
            assert_eq!(skill_key(name), name.trim().replace(' ', "-").to_lowercase());
        }
    }

    #[test]
    fn a_profile_with_a_bad_zone_names_the_field() {
        let input = ProfileInput {
            name: "Ada".into(),
            time_zone: "Europe/Atlantis".into(),
            work_start: "09:00".into(),
            work_end: "17:00".into(),
            experience: "senior".into(),
            ..Default::default()
        };
        let errors = Profile::parse(&input).unwrap_err();
        assert!(errors.get("time_zone").unwrap().contains("Europe/Atlantis"));
        assert_eq!(errors.0.len(), 1);
    }
}
