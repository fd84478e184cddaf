//! The vocabulary of measurement: the six common challenges of the tutorial's
//! table (what the diagnosis detects), the Wenger-Trayner value-creation
//! cycles that value stories are tagged with, and an alert's lifecycle.

use crate::word_enum;

word_enum!(
    /// The tutorial's "Common Challenges and Solutions", one detector each.
    Challenge {
        LowParticipation = "low-participation" / "Low participation",
        Dominance = "dominance" / "Dominance by few voices",
        ManagementSupport = "management-support" / "Lack of management support",
        ScopeCreep = "scope-creep" / "Scope creep",
        Stagnation = "stagnation" / "Stagnation",
        RemoteBarriers = "remote-barriers" / "Remote participation barriers",
    }
);

impl Challenge {
    /// The symptoms column of the tutorial's table.
    pub fn symptoms(self) -> &'static str {
        match self {
            Challenge::LowParticipation => "Few attendees, silent channels",
            Challenge::Dominance => "Same people always contribute",
            Challenge::ManagementSupport => "No time allocated, resources denied",
            Challenge::ScopeCreep => "Discussions drift off-topic, unclear boundaries",
            Challenge::Stagnation => "Repetitive content, declining interest",
            Challenge::RemoteBarriers => "In-person bias, timezone conflicts",
        }
    }

    /// The solutions column of the tutorial's table.
    pub fn solutions(self) -> &'static str {
        match self {
            Challenge::LowParticipation => {
                "Reduce barriers, create quick-win opportunities, solicit feedback on format"
            }
            Challenge::Dominance => "Actively invite others, rotate facilitation, create smaller breakout discussions",
            Challenge::ManagementSupport => {
                "Demonstrate value through metrics, connect to business outcomes, find executive sponsor"
            }
            Challenge::ScopeCreep => "Revisit charter, create spin-off communities, strengthen facilitation",
            Challenge::Stagnation => "Introduce new topics, bring external speakers, challenge assumptions",
            Challenge::RemoteBarriers => "Rotate meeting times, record sessions, emphasize asynchronous options",
        }
    }
}

word_enum!(
    /// Wenger-Trayner value-creation cycles, from what happened in the
    /// community to how it changed the way success is defined.
    ValueCycle {
        Immediate = "immediate" / "Immediate value",
        Potential = "potential" / "Potential value",
        Applied = "applied" / "Applied value",
        Realized = "realized" / "Realized value",
        Reframing = "reframing" / "Reframing value",
    }
);

impl ValueCycle {
    /// One line that helps a storyteller pick the right cycle.
    pub fn question(self) -> &'static str {
        match self {
            ValueCycle::Immediate => {
                "What happened, and was it useful in itself (a question answered, a good session)?"
            }
            ValueCycle::Potential => "What was produced that could be used later (an artifact, a skill, a connection)?",
            ValueCycle::Applied => "Where was it put to use in real work?",
            ValueCycle::Realized => "What difference did it make to a result the organization cares about?",
            ValueCycle::Reframing => "Did it change how success is defined or how the organization works?",
        }
    }
}

word_enum!(
    /// Where an alert stands: open when a detector fires, acknowledged by a
    /// facilitator who is acting on it, resolved when the measure recovers.
    AlertStatus {
        Open = "open" / "Open",
        Acknowledged = "acknowledged" / "Acknowledged",
        Resolved = "resolved" / "Resolved",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_challenge_round_trips_and_has_the_tutorial_text() {
        assert_eq!(Challenge::ALL.len(), 6);
        for challenge in Challenge::ALL {
            assert_eq!(Challenge::parse(challenge.as_str()), Ok(*challenge));
            assert!(!challenge.symptoms().is_empty() && !challenge.solutions().is_empty());
        }
        assert!(ValueCycle::parse("sideways").is_err());
    }
}
