//! The demo organization and the scale generator.
//!
//! This module owns the data `copse demo` loads (Northwind Labs, a fictional
//! engineering organization with about 320 people, 16 hand-written
//! communities and their histories) and the generator that builds much larger,
//! plainer organizations for benchmarks. The browser tests and the screenshots
//! rely on the demo's fixed accounts and communities, so they are part of the
//! contract (`DEMO_ACCOUNTS`, `rust-guild`, ...).
//!
//! Both are deterministic: one fixed seed drives every choice and dates are
//! offsets from a fixed instant (2026-11-01), not from the clock. The one
//! exception is contributions: participation levels are derived from the last
//! 90 days of activity, so activity dated from a fixed instant would make the
//! demo look dead a few months later. Contributions are therefore placed at
//! seeded offsets before the real now.
//!
//! Everything is written through the ordinary `Store` calls, so the demo walks
//! the same paths as real use (member counts, facilitator terms, stage
//! history, version bumps, the change feed).

use copse_domain::{
    CommunityDraft, CommunityInput, CommunityType, ExperienceLevel, Handle, MembershipRole, MembershipStatus,
    OrgGoalId, OrgRole, PersonId, Profile, Skill, SkillLevel, Slug, Stage, StageChange, TimeZone, Timestamp,
    Visibility, WorkingHours,
};
use copse_store::{MembershipChange, NewCommunity, NewContribution, NewPerson, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::{App, AppError};

/// Password of every demo account, printed by `copse demo`.
pub const DEMO_PASSWORD: &str = "copse-demo-2026";

/// (handle, what they show) of the demo accounts that can sign in.
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("ada", "organization admin, facilitates the Rust Guild"),
    ("sam", "member of a few communities"),
    ("priya", "facilitator of the Data Science Circle"),
    ("guest", "a guest"),
];

/// Progress callback: (phase name, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, u64, u64) + Sync);

/// What a load created.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub people: u64,
    pub communities: u64,
    /// Membership rows of every status (active, requested, invited).
    pub memberships: u64,
    pub contributions: u64,
    /// Event series (recurring sessions and one-off workshops).
    pub events: u64,
    /// Discussion threads and their posts (opening posts and replies).
    pub threads: u64,
    pub posts: u64,
    /// Practice-repository artifacts.
    pub artifacts: u64,
}

const DEMO_SEED: u64 = 0x4e57_4c61_6273_2026;
const SCALE_SEED: u64 = 0x5343_414c_4520_2026;
/// The demo's "now" for everything except contributions: 2026-11-01T00:00:00Z.
const DEMO_NOW: i64 = 1_793_491_200_000;
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
const ORG_NAME: &str = "Northwind Labs";
const EMAIL_DOMAIN: &str = "northwind.example";
/// Generated people in the demo, besides the four fixed accounts.
const DEMO_GENERATED_PEOPLE: usize = 316;
/// Rows per store call in the scale generator: large enough that transaction
/// overhead vanishes, small enough that progress moves and memory stays flat.
const BATCH: usize = 1000;

/// True when the database already holds people (so `copse demo` must not load again).
pub async fn is_loaded(app: &App) -> Result<bool, AppError> {
    Ok(app.store().count_people().await? > 0)
}

/// Loading over existing people would clash on handles halfway through and
/// leave a half-loaded database, so refuse up front.
async fn ensure_empty(app: &App) -> Result<(), AppError> {
    if is_loaded(app).await? {
        return Err(AppError::Conflict {
            field: "",
            message: "the database already holds people; demo data loads only into an empty database".into(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The organization: places, teams, goals, the fixed accounts.
// ---------------------------------------------------------------------------

struct Place {
    name: &'static str,
    zone: &'static str,
    first_names: &'static [&'static str],
    last_names: &'static [&'static str],
}

const BERLIN: usize = 0;
const LONDON: usize = 1;
const NEW_YORK: usize = 2;
const SAN_FRANCISCO: usize = 3;
const BANGALORE: usize = 4;
const SYDNEY: usize = 5;

/// Each office has the names its people mostly have; a share of people in
/// every office draw from another office's lists, as in any real company.
#[rustfmt::skip]
const PLACES: [Place; 6] = [
    Place {
        name: "Berlin",
        zone: "Europe/Berlin",
        first_names: &[
            "Lukas", "Hannah", "Jonas", "Lea", "Felix", "Mia", "Tobias", "Sophie", "Emre", "Elif", "Katarzyna",
            "Piotr", "Jana", "Moritz", "Zeynep", "Matthias", "Anja", "Søren", "Leonie", "Niklas", "Greta", "Jürgen",
        ],
        last_names: &[
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann", "Yılmaz", "Kaya",
            "Nowak", "Kowalski", "Schulz", "Krüger", "Lehmann", "Şahin", "Neumann", "Braun", "Zimmermann", "Vogel",
            "Hartmann",
        ],
    },
    Place {
        name: "London",
        zone: "Europe/London",
        first_names: &[
            "Oliver", "Amelia", "Harry", "Isla", "George", "Chloe", "Chidi", "Ngozi", "Imran", "Aisha", "Siobhan",
            "Declan", "Tariq", "Fatima", "Rhys", "Eleanor", "Kwame", "Bethany", "Callum", "Nia",
        ],
        last_names: &[
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Evans", "Adeyemi", "Okonkwo", "Khan", "Hussain",
            "Murphy", "O'Brien", "Patel", "Campbell", "Hughes", "Walker", "Mensah", "Davies", "Thompson", "Clarke",
        ],
    },
    Place {
        name: "New York",
        zone: "America/New_York",
        first_names: &[
            "Marcus", "Olivia", "Daniel", "Sofia", "Jamal", "Gabriela", "Ethan", "Rachel", "José", "Maya", "Tyrone",
            "Hana", "Carlos", "Isabella", "Noah", "Keisha", "Miguel", "Leah", "Dominic", "Camila",
        ],
        last_names: &[
            "Johnson", "García", "Martinez", "Cohen", "Rodriguez", "Kim", "Park", "Washington", "Rossi", "Russo",
            "Goldberg", "Hernández", "Lopez", "Jackson", "Sullivan", "Perez", "Friedman", "Moreno", "Lee", "Bianchi",
        ],
    },
    Place {
        name: "San Francisco",
        zone: "America/Los_Angeles",
        first_names: &[
            "Emily", "Kevin", "Jessica", "Ryan", "Mei", "Wei", "Thanh", "Linh", "Diego", "Valentina", "Arash",
            "Shirin", "Jasmine", "Tyler", "Alicia", "Brandon", "Rosa", "Eric", "Nadia", "Paolo",
        ],
        last_names: &[
            "Chen", "Wong", "Nguyen", "Tran", "Santos", "Reyes", "Cruz", "Ahmadi", "Tehrani", "Miller", "Davis",
            "Wilson", "Anderson", "Huang", "Lin", "Flores", "Ramos", "Mendoza", "Bautista", "Yamamoto",
        ],
    },
    Place {
        name: "Bangalore",
        zone: "Asia/Kolkata",
        first_names: &[
            "Aarav", "Ananya", "Rohan", "Kavya", "Arjun", "Divya", "Vikram", "Meera", "Karthik", "Lakshmi", "Rahul",
            "Sneha", "Aditya", "Pooja", "Siddharth", "Deepa", "Nikhil", "Shreya", "Harish", "Anjali",
        ],
        last_names: &[
            "Sharma", "Iyer", "Reddy", "Rao", "Menon", "Kumar", "Gupta", "Krishnan", "Pillai", "Hegde", "Joshi",
            "Shetty", "Kulkarni", "Bhat", "Srinivasan", "Mehta", "Desai", "Naidu", "Chatterjee", "Banerjee",
        ],
    },
    Place {
        name: "Sydney",
        zone: "Australia/Sydney",
        first_names: &[
            "Jack", "Charlotte", "Liam", "Ruby", "Cooper", "Matilda", "Hamish", "Zoe", "Nikos", "Eleni", "Khalil",
            "Layla", "Tama", "Aroha", "Bao", "Lucy", "Finn", "Grace", "Xavier", "Sienna",
        ],
        last_names: &[
            "Wilson", "Martin", "Nguyen", "Papadopoulos", "Haddad", "Kelly", "Ryan", "Walsh", "Zhang", "Liu",
            "Anderson", "Ngata", "Tipene", "Murray", "Georgiou", "Fraser", "Mitchell", "Khoury", "Dang", "Robertson",
        ],
    },
];

struct Team {
    name: &'static str,
    places: &'static [usize],
    /// What people on the team know; communities draw their experts from here.
    skills: &'static [&'static str],
    /// Relative headcount.
    weight: usize,
}

const LEADERSHIP: &str = "Engineering Leadership";
const DELIVERY: &str = "Delivery Office";

const TEAMS: &[Team] = &[
    Team {
        name: "Platform",
        places: &[BERLIN, LONDON],
        skills: &["Rust", "Kubernetes", "Go", "Terraform", "Linux", "Distributed systems"],
        weight: 22,
    },
    Team {
        name: "Infrastructure",
        places: &[BERLIN, SYDNEY],
        skills: &["Kubernetes", "Terraform", "AWS", "Networking", "Linux", "Ansible"],
        weight: 18,
    },
    Team {
        name: "SRE",
        places: &[LONDON, SAN_FRANCISCO, SYDNEY],
        skills: &["Observability", "Incident management", "Kubernetes", "Go", "Prometheus", "Linux"],
        weight: 18,
    },
    Team {
        name: "Checkout",
        places: &[NEW_YORK, LONDON],
        skills: &["TypeScript", "React", "Java", "Payments", "Accessibility", "GraphQL"],
        weight: 20,
    },
    Team {
        name: "Payments Core",
        places: &[LONDON, NEW_YORK],
        skills: &["Java", "Kotlin", "Payments", "PostgreSQL", "Rust", "Kafka"],
        weight: 22,
    },
    Team {
        name: "Fraud & Risk",
        places: &[NEW_YORK, BANGALORE],
        skills: &["Python", "Machine learning", "Payments", "SQL", "Statistics"],
        weight: 14,
    },
    Team {
        name: "Data Platform",
        places: &[BANGALORE, BERLIN],
        skills: &["Python", "Spark", "Kafka", "SQL", "Rust", "Airflow"],
        weight: 20,
    },
    Team {
        name: "Data Science",
        places: &[BANGALORE, SAN_FRANCISCO],
        skills: &["Python", "Machine learning", "Statistics", "SQL", "Experimentation"],
        weight: 16,
    },
    Team {
        name: "Search & Discovery",
        places: &[BERLIN, SAN_FRANCISCO],
        skills: &["Rust", "Elasticsearch", "Python", "Machine learning", "Performance"],
        weight: 14,
    },
    Team {
        name: "Web Experience",
        places: &[SAN_FRANCISCO, BERLIN],
        skills: &["TypeScript", "React", "CSS", "Accessibility", "Web performance", "GraphQL"],
        weight: 20,
    },
    Team {
        name: "Mobile Apps",
        places: &[SAN_FRANCISCO, BANGALORE],
        skills: &["Kotlin", "Swift", "Accessibility", "Mobile testing", "GraphQL"],
        weight: 16,
    },
    Team {
        name: "Design Systems",
        places: &[LONDON, BERLIN],
        skills: &["CSS", "Accessibility", "React", "Figma", "TypeScript"],
        weight: 10,
    },
    Team {
        name: "Identity & Access",
        places: &[BERLIN, BANGALORE],
        skills: &["Security", "OAuth", "Rust", "Go", "Cryptography"],
        weight: 12,
    },
    Team {
        name: "Security Engineering",
        places: &[LONDON, SYDNEY],
        skills: &["Security", "Threat modeling", "Cloud security", "Go", "Incident management"],
        weight: 12,
    },
    Team {
        name: "Quality Engineering",
        places: &[BANGALORE, SYDNEY],
        skills: &["Test automation", "Playwright", "Performance testing", "Mobile testing", "Python"],
        weight: 16,
    },
    Team {
        name: "Developer Experience",
        places: &[SYDNEY, BERLIN],
        skills: &["CI/CD", "Rust", "Go", "Bazel", "Developer tooling"],
        weight: 12,
    },
    Team {
        name: "Customer Support Tools",
        places: &[SYDNEY, NEW_YORK],
        skills: &["Ruby", "PostgreSQL", "TypeScript", "React"],
        weight: 12,
    },
    Team {
        name: DELIVERY,
        places: &[LONDON, NEW_YORK, BANGALORE],
        skills: &["Agile coaching", "Facilitation", "Kanban", "Delivery management"],
        weight: 8,
    },
    Team {
        name: LEADERSHIP,
        places: &[BERLIN, LONDON, NEW_YORK, SAN_FRANCISCO, BANGALORE, SYDNEY],
        skills: &["Architecture", "Mentoring", "Distributed systems", "Delivery management", "Technical strategy"],
        weight: 10,
    },
];

/// Skills anyone may add next to their team's.
const GENERAL_SKILLS: &[&str] = &["Mentoring", "Technical writing", "Public speaking", "SQL", "Python", "Docker"];

const INTERESTS: &[&str] = &[
    "mentoring",
    "public speaking",
    "open source",
    "accessibility",
    "sustainability",
    "technical writing",
    "incident response",
    "career growth",
    "distributed systems",
    "observability",
    "functional programming",
    "data visualization",
    "security",
    "testing",
    "developer productivity",
    "machine learning",
    "systems design",
    "hiring and interviewing",
    "performance",
    "UX research",
];

const ORG_GOALS: [(&str, &str); 5] = [
    ("Cut time to onboard engineers", "New engineers ship their first change to production within two weeks."),
    ("Improve production reliability", "Meet the 99.95% availability objective and halve customer-facing incidents."),
    ("Ship accessible products", "Every customer-facing surface meets WCAG 2.2 AA."),
    (
        "Strengthen security posture",
        "Close critical findings within seven days; every product team has a security champion.",
    ),
    ("Grow internal talent", "Fill most senior roles from within through mentoring and clear career paths."),
];

struct FixedPerson {
    handle: &'static str,
    name: &'static str,
    team: &'static str,
    place: usize,
    role: OrgRole,
    experience: ExperienceLevel,
    skills: &'static [(&'static str, SkillLevel)],
    interests: &'static [&'static str],
    bio: &'static str,
    tenure_days: i64,
}

/// The accounts in `DEMO_ACCOUNTS`, always the first four people.
const FIXED_PEOPLE: [FixedPerson; 4] = [
    FixedPerson {
        handle: "ada",
        name: "Ada Okafor",
        team: "Platform",
        place: BERLIN,
        role: OrgRole::Admin,
        experience: ExperienceLevel::Staff,
        skills: &[
            ("Rust", SkillLevel::Expert),
            ("Distributed systems", SkillLevel::Expert),
            ("Kubernetes", SkillLevel::Practitioner),
            ("Mentoring", SkillLevel::Practitioner),
        ],
        interests: &["mentoring", "developer productivity"],
        bio: "Staff engineer on Platform in Berlin. Started the Rust Guild; happy to pair on async Rust.",
        tenure_days: 2400,
    },
    FixedPerson {
        handle: "sam",
        name: "Sam Rivera",
        team: "Checkout",
        place: NEW_YORK,
        role: OrgRole::Member,
        experience: ExperienceLevel::Mid,
        skills: &[
            ("TypeScript", SkillLevel::Practitioner),
            ("React", SkillLevel::Practitioner),
            ("Payments", SkillLevel::Learning),
        ],
        interests: &["accessibility", "testing"],
        bio: "Frontend engineer on Checkout in New York, curious about Rust.",
        tenure_days: 420,
    },
    FixedPerson {
        handle: "priya",
        name: "Priya Nair",
        team: "Data Platform",
        place: BANGALORE,
        role: OrgRole::Member,
        experience: ExperienceLevel::Senior,
        skills: &[
            ("Python", SkillLevel::Expert),
            ("Machine learning", SkillLevel::Expert),
            ("SQL", SkillLevel::Expert),
            ("Spark", SkillLevel::Practitioner),
        ],
        interests: &["machine learning", "mentoring", "data visualization"],
        bio: "Senior engineer on Data Platform in Bangalore; facilitates the Data Science Circle.",
        tenure_days: 1500,
    },
    FixedPerson {
        handle: "guest",
        name: "Gus Guest",
        team: "Contractor",
        place: LONDON,
        role: OrgRole::Guest,
        experience: ExperienceLevel::Mid,
        skills: &[("Test automation", SkillLevel::Practitioner), ("Playwright", SkillLevel::Practitioner)],
        interests: &["testing"],
        bio: "Contract test engineer supporting Quality Engineering for a few months.",
        tenure_days: 45,
    },
];

// ---------------------------------------------------------------------------
// The demo's communities.
// ---------------------------------------------------------------------------

struct CommunitySpec {
    name: &'static str,
    slug: &'static str,
    domain: &'static str,
    kind: CommunityType,
    visibility: Visibility,
    stage: Stage,
    purpose: &'static str,
    in_scope: &'static [&'static str],
    out_of_scope: &'static [&'static str],
    /// Goal text and the index in `ORG_GOALS` it serves.
    goals: &'static [(&'static str, Option<usize>)],
    channels: &'static [(&'static str, &'static str)],
    /// Teams whose people are most likely to join.
    teams: &'static [&'static str],
    /// The fixed account that started it, if any.
    lead: Option<&'static str>,
    /// Fixed accounts who are members.
    members: &'static [&'static str],
    founded_months_ago: i64,
    size: usize,
    /// Only senior and staff engineers belong (a role-based circle).
    senior_only: bool,
    /// The note of the last stage change, when the generic ones do not fit.
    closing_note: Option<&'static str>,
}

const COMMUNITIES: &[CommunitySpec] = &[
    CommunitySpec {
        name: "Rust Guild",
        slug: "rust-guild",
        domain: "Writing, reviewing and operating Rust services and tools at Northwind",
        kind: CommunityType::TechnicalPractice,
        visibility: Visibility::Open,
        stage: Stage::Maturing,
        purpose: "We help everyone who writes Rust at Northwind write it well and with less friction. Members \
                  review each other's code, share patterns for async services, keep the internal crate registry \
                  healthy and help newcomers get productive fast. Our output is practical: a Rust style guide, a \
                  service template and a monthly troubleshooting clinic.",
        in_scope: &[
            "async services with tokio",
            "error handling and API design",
            "unsafe code review",
            "build times and CI",
            "internal crates and templates",
            "onboarding new Rust developers",
        ],
        out_of_scope: &["choosing languages for other teams", "team-specific product decisions", "hiring decisions"],
        goals: &[
            ("Maintain a Rust service template that every new Rust service starts from", Some(0)),
            ("Get every new Rust developer to a merged change in their first week", Some(0)),
            ("Run a monthly troubleshooting clinic open to all engineers", None),
        ],
        channels: &[
            ("#rust on chat", "https://chat.northwind.example/rust"),
            ("Service template", "https://git.northwind.example/guilds/rust-service-template"),
        ],
        teams: &["Platform", "Search & Discovery", "Identity & Access", "Developer Experience", "Data Platform"],
        lead: Some("ada"),
        members: &[],
        founded_months_ago: 22,
        size: 70,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Kubernetes & Platform",
        slug: "kubernetes-platform",
        domain: "Running workloads on Northwind's Kubernetes platform: clusters, deployments, networking and cost",
        kind: CommunityType::TechnicalPractice,
        visibility: Visibility::Open,
        stage: Stage::Stewardship,
        purpose: "The place where platform builders and platform users meet. We share how to deploy, scale and \
                  debug services on our clusters, agree on golden paths, and feed what product teams struggle \
                  with back into the platform roadmap. Newcomers get a buddy and a hands-on lab in their first \
                  month.",
        in_scope: &[
            "Helm charts and deployment patterns",
            "cluster upgrades",
            "autoscaling and capacity",
            "service mesh and ingress",
            "cost visibility",
            "platform golden paths",
        ],
        out_of_scope: &["on-call rotations of individual teams", "vendor contracts", "application business logic"],
        goals: &[
            ("Every service deploys through the golden path by the end of the year", Some(1)),
            ("Cut the time to a first deployment for new engineers to one day", Some(0)),
        ],
        channels: &[
            ("#k8s-platform", "https://chat.northwind.example/k8s-platform"),
            ("Platform docs", "https://docs.northwind.example/platform"),
            ("Office hours", "https://meet.northwind.example/platform-office-hours"),
        ],
        teams: &["Platform", "Infrastructure", "SRE", "Developer Experience"],
        lead: None,
        members: &["ada"],
        founded_months_ago: 34,
        size: 110,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Frontend Craft",
        slug: "frontend-craft",
        domain: "Building fast, accessible, maintainable web frontends with TypeScript and React",
        kind: CommunityType::TechnicalPractice,
        visibility: Visibility::Open,
        stage: Stage::Maturing,
        purpose: "Frontend engineers across product teams compare notes on component architecture, state \
                  management, testing and web performance. We run code-review sessions on real pull requests, \
                  maintain the frontend handbook, and make sure design-system changes land smoothly in product \
                  code.",
        in_scope: &[
            "TypeScript and React patterns",
            "component testing",
            "web performance budgets",
            "design system adoption",
            "build tooling",
        ],
        out_of_scope: &["visual design decisions", "backend API ownership", "native mobile code"],
        goals: &[
            ("Keep every product page within its Core Web Vitals budget", None),
            ("Make the frontend handbook the first stop for new frontend hires", Some(0)),
        ],
        channels: &[
            ("#frontend-craft", "https://chat.northwind.example/frontend-craft"),
            ("Frontend handbook", "https://docs.northwind.example/frontend-handbook"),
        ],
        teams: &["Web Experience", "Checkout", "Design Systems", "Customer Support Tools"],
        lead: None,
        members: &["sam"],
        founded_months_ago: 20,
        size: 75,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Architects' Forum",
        slug: "architects-forum",
        domain: "Software and solution architecture across Northwind's product lines",
        kind: CommunityType::RoleBased,
        visibility: Visibility::RequestToJoin,
        stage: Stage::Stewardship,
        purpose: "Architects and senior engineers who make cross-team design decisions review architecture \
                  decision records together, share reference architectures and grow the next generation of \
                  architects. Joining is by request so that discussions of unreleased plans stay focused, but \
                  every decision record we publish is open to all.",
        in_scope: &[
            "architecture decision records",
            "reference architectures",
            "system boundaries and integration",
            "technical debt strategy",
            "architecture mentoring",
        ],
        out_of_scope: &["approving individual team designs", "tool procurement", "people management"],
        goals: &[
            ("Review every cross-team decision record within two weeks of submission", Some(1)),
            ("Mentor five engineers into architecture roles each year", Some(4)),
        ],
        channels: &[
            ("#architects-forum", "https://chat.northwind.example/architects-forum"),
            ("Decision records", "https://git.northwind.example/architecture/adr"),
        ],
        teams: &[LEADERSHIP, "Platform", "Payments Core", "Data Platform", "Security Engineering"],
        lead: None,
        members: &["ada"],
        founded_months_ago: 33,
        size: 40,
        senior_only: true,
        closing_note: None,
    },
    CommunitySpec {
        name: "QA & Test Engineering",
        slug: "qa-test-engineering",
        domain: "Test strategy, automation and quality engineering as a shared craft",
        kind: CommunityType::RoleBased,
        visibility: Visibility::Open,
        stage: Stage::Coalescing,
        purpose: "Quality engineers embedded in product teams often work alone. This community gives them peers: \
                  we compare test strategies, share automation frameworks and agree on what good looks like for \
                  end-to-end and contract testing, so quality practice does not depend on which team you happen \
                  to sit in.",
        in_scope: &[
            "test strategy",
            "end-to-end automation with Playwright",
            "contract testing",
            "flaky test triage",
            "exploratory testing",
        ],
        out_of_scope: &["release approvals", "staffing of QA roles"],
        goals: &[
            ("Halve the rate of flaky tests in the main CI pipelines", Some(1)),
            ("Agree on a shared test strategy template", None),
        ],
        channels: &[
            ("#qa-community", "https://chat.northwind.example/qa"),
            ("Test strategy template", "https://docs.northwind.example/testing/strategy-template"),
        ],
        teams: &["Quality Engineering", "Checkout", "Mobile Apps", "Customer Support Tools"],
        lead: None,
        members: &["guest"],
        founded_months_ago: 12,
        size: 35,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Data Science Circle",
        slug: "data-science-circle",
        domain: "Applied data science, experimentation and machine learning in production",
        kind: CommunityType::RoleBased,
        visibility: Visibility::Open,
        stage: Stage::Maturing,
        purpose: "Data scientists and ML engineers share methods, review each other's experiments and bring \
                  models from notebooks to production responsibly. Fortnightly sessions alternate between a \
                  research paper and a retrospective of a real project.",
        in_scope: &[
            "experiment design and A/B testing",
            "feature stores",
            "model monitoring",
            "responsible AI",
            "from notebook to production",
        ],
        out_of_scope: &["data platform operations", "prioritizing analytics requests"],
        goals: &[
            ("Publish an experimentation playbook that all product teams use", None),
            ("Pair every junior data scientist with a mentor", Some(4)),
        ],
        channels: &[
            ("#data-science-circle", "https://chat.northwind.example/data-science"),
            ("Experiment library", "https://git.northwind.example/data/experiments"),
            ("Paper club calendar", "https://calendar.northwind.example/data-science-circle"),
        ],
        teams: &["Data Science", "Data Platform", "Fraud & Risk", "Search & Discovery"],
        lead: Some("priya"),
        members: &[],
        founded_months_ago: 18,
        size: 55,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "SRE Practice",
        slug: "sre-practice",
        domain: "Site reliability engineering: service level objectives, incident response and learning from failure",
        kind: CommunityType::ProcessOriented,
        visibility: Visibility::Open,
        stage: Stage::Maturing,
        purpose: "We spread reliability practice beyond the SRE team. Members define service level objectives \
                  with product teams, run blameless post-incident reviews, rehearse incident response in game \
                  days, and keep the runbook collection honest.",
        in_scope: &[
            "service level objectives and error budgets",
            "incident command",
            "post-incident reviews",
            "runbooks",
            "chaos experiments",
        ],
        out_of_scope: &["staffing on-call rotations", "choosing monitoring vendors"],
        goals: &[
            ("Every tier-1 service has an SLO and an error budget policy", Some(1)),
            ("Run a game day every quarter", Some(1)),
        ],
        channels: &[
            ("#sre-practice", "https://chat.northwind.example/sre"),
            ("Runbooks", "https://docs.northwind.example/runbooks"),
        ],
        teams: &["SRE", "Platform", "Infrastructure", "Payments Core", "Checkout"],
        lead: None,
        members: &["ada"],
        founded_months_ago: 24,
        size: 65,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Agile Coaching Network",
        slug: "agile-coaching-network",
        domain: "Agile coaching, team facilitation and continuous improvement of delivery",
        kind: CommunityType::ProcessOriented,
        visibility: Visibility::Open,
        stage: Stage::Transformation,
        purpose: "Agile coaches and delivery leads share retrospective formats, coaching approaches and flow \
                  metrics, and support teams that want to improve how they deliver. Most of what we started is \
                  now simply how teams work, so the network is winding down and preserving its playbook.",
        in_scope: &["retrospective formats", "flow metrics", "team coaching", "facilitation techniques"],
        out_of_scope: &["performance reviews", "mandating a company-wide framework"],
        goals: &[("Keep the coaching playbook available as a reusable archive", Some(4))],
        channels: &[
            ("#agile-coaching", "https://chat.northwind.example/agile-coaching"),
            ("Coaching playbook (archive)", "https://wiki.northwind.example/agile-coaching/playbook"),
        ],
        teams: &[DELIVERY, LEADERSHIP, "Customer Support Tools"],
        lead: None,
        members: &[],
        founded_months_ago: 35,
        size: 30,
        senior_only: false,
        closing_note: Some(
            "Agile practice is now part of every team's routine; members agreed to fold the network into a light \
             delivery-practices channel and keep the coaching playbook as a read-only archive.",
        ),
    },
    CommunitySpec {
        name: "Payments Domain",
        slug: "payments-domain",
        domain: "Payments, card schemes and the regulation around them",
        kind: CommunityType::DomainSpecific,
        visibility: Visibility::RequestToJoin,
        stage: Stage::Maturing,
        purpose: "Engineers, analysts and product people who work on money movement keep one shared model of \
                  the payments domain. We track regulatory changes such as PSD3 and PCI DSS 4.0, maintain the \
                  payments glossary and domain model, and review changes that cross the checkout, ledger and \
                  fraud boundaries.",
        in_scope: &[
            "payments domain model and glossary",
            "PCI DSS compliance",
            "strong customer authentication",
            "settlement and reconciliation",
            "fraud signals",
        ],
        out_of_scope: &["pricing and commercial terms", "handling individual incidents"],
        goals: &[
            ("Keep the payments domain model current with every scheme change", None),
            ("Pass the yearly PCI DSS assessment without major findings", Some(3)),
        ],
        channels: &[
            ("#payments-domain", "https://chat.northwind.example/payments"),
            ("Payments domain model", "https://wiki.northwind.example/payments/domain-model"),
        ],
        teams: &["Payments Core", "Checkout", "Fraud & Risk"],
        lead: None,
        members: &["sam"],
        founded_months_ago: 19,
        size: 50,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Security Champions",
        slug: "security-champions",
        domain: "Application security: threat modeling, secure code review and vulnerability handling",
        kind: CommunityType::DomainSpecific,
        visibility: Visibility::Private,
        stage: Stage::Stewardship,
        purpose: "One security champion per product team, supported by the security engineering team. \
                  Champions learn threat modeling, triage findings for their team and share what they see. The \
                  community is private because members discuss unpatched vulnerabilities; its guides are \
                  published to everyone once fixes ship.",
        in_scope: &[
            "threat modeling",
            "secure code review",
            "dependency and supply-chain risk",
            "vulnerability triage",
            "security training for teams",
        ],
        out_of_scope: &["scheduling penetration tests", "incident forensics"],
        goals: &[
            ("Every product team has a trained security champion", Some(3)),
            ("Close critical findings within seven days", Some(3)),
        ],
        channels: &[
            ("#security-champions", "https://chat.northwind.example/security-champions"),
            ("Threat model library", "https://git.northwind.example/security/threat-models"),
        ],
        teams: &["Security Engineering", "Identity & Access", "Platform", "Payments Core", "Checkout"],
        lead: None,
        members: &[],
        founded_months_ago: 30,
        size: 45,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Accessibility Guild",
        slug: "accessibility-guild",
        domain: "Making Northwind's products usable by everyone, including people with disabilities",
        kind: CommunityType::CrossCutting,
        visibility: Visibility::Open,
        stage: Stage::Potential,
        purpose: "A handful of designers and engineers who keep running into the same accessibility questions \
                  want to pool what they know: screen reader testing, accessible components, the WCAG 2.2 \
                  criteria. For now we are a chat channel and an occasional lunch session; if enough people \
                  join we will start a regular audit clinic.",
        in_scope: &["WCAG 2.2 AA", "screen reader testing", "accessible components", "inclusive design reviews"],
        out_of_scope: &["legal compliance sign-off"],
        goals: &[("Bring the checkout flow to WCAG 2.2 AA", Some(2))],
        channels: &[("#a11y", "https://chat.northwind.example/a11y")],
        teams: &["Design Systems", "Web Experience", "Mobile Apps", "Quality Engineering"],
        lead: None,
        members: &[],
        founded_months_ago: 7,
        size: 16,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Performance Guild",
        slug: "performance-guild",
        domain: "Performance engineering from the browser to the database",
        kind: CommunityType::CrossCutting,
        visibility: Visibility::Open,
        stage: Stage::Coalescing,
        purpose: "Engineers who care about latency and throughput pool their tools and findings: profiling \
                  techniques, load-testing setups and performance budgets. We are still finding our rhythm; so \
                  far there is a monthly profiling clinic where someone brings a slow endpoint and we dig in \
                  together.",
        in_scope: &[
            "profiling and flame graphs",
            "load testing",
            "performance budgets",
            "database query tuning",
            "caching strategies",
        ],
        out_of_scope: &["hardware purchasing", "visual design"],
        goals: &[
            ("Give every customer-facing service a latency budget", Some(1)),
            ("Run a monthly profiling clinic", None),
        ],
        channels: &[("#performance", "https://chat.northwind.example/performance")],
        teams: &["Web Experience", "Search & Discovery", "Platform", "Quality Engineering"],
        lead: None,
        members: &[],
        founded_months_ago: 11,
        size: 28,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Green Software",
        slug: "green-software",
        domain: "Reducing the energy use and carbon footprint of our software and infrastructure",
        kind: CommunityType::CrossCutting,
        visibility: Visibility::Open,
        stage: Stage::Coalescing,
        purpose: "We measure and reduce the carbon cost of what we build: right-sizing workloads, scheduling \
                  batch jobs when the grid is cleaner, and making energy a visible trade-off in design reviews. \
                  Members follow the Green Software Foundation's principles and adapt them to our platform.",
        in_scope: &[
            "carbon-aware scheduling",
            "workload right-sizing",
            "energy measurement",
            "sustainable design reviews",
        ],
        out_of_scope: &["corporate carbon reporting", "office facilities"],
        goals: &[
            ("Publish carbon estimates for the ten largest workloads", None),
            ("Cut idle compute in non-production clusters by a third", None),
        ],
        channels: &[
            ("#green-software", "https://chat.northwind.example/green-software"),
            ("Reading list", "https://wiki.northwind.example/green-software"),
        ],
        teams: &["Infrastructure", "Platform", "Data Platform", "Developer Experience"],
        lead: None,
        members: &["priya"],
        founded_months_ago: 10,
        size: 24,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Staff Engineers",
        slug: "staff-engineers",
        domain: "The staff-plus engineering role: technical leadership beyond a single team",
        kind: CommunityType::RoleBased,
        visibility: Visibility::Private,
        stage: Stage::Maturing,
        purpose: "Staff and principal engineers compare notes on the parts of the role nobody writes down: \
                  setting technical direction, sponsoring others, writing strategy documents and saying no. \
                  Private so that members can talk candidly about organizational problems; outcomes such as the \
                  staff engineering guide are shared with everyone.",
        in_scope: &[
            "technical strategy documents",
            "sponsorship and mentoring",
            "cross-team initiatives",
            "the staff-plus career path",
        ],
        out_of_scope: &["compensation", "individual performance cases"],
        goals: &[
            ("Publish a staff engineering guide for engineers considering the path", Some(4)),
            ("Sponsor at least one senior engineer per member each year", Some(4)),
        ],
        channels: &[("#staff-engineers", "https://chat.northwind.example/staff-engineers")],
        teams: &[LEADERSHIP, "Platform", "Payments Core", "Data Platform", "SRE"],
        lead: None,
        members: &["ada"],
        founded_months_ago: 21,
        size: 25,
        senior_only: true,
        closing_note: None,
    },
    CommunitySpec {
        name: "Mobile Guild",
        slug: "mobile-guild",
        domain: "Native and cross-platform mobile development for iOS and Android",
        kind: CommunityType::TechnicalPractice,
        visibility: Visibility::Open,
        stage: Stage::Coalescing,
        purpose: "Mobile engineers from the app teams share architecture, release practices and testing on real \
                  devices. The guild formed after the two app teams discovered they had solved the same \
                  crash-reporting problem twice.",
        in_scope: &[
            "Swift and Kotlin patterns",
            "release trains and store reviews",
            "device testing",
            "crash reporting",
            "offline-first design",
        ],
        out_of_scope: &["web frontend", "app store marketing"],
        goals: &[("Share one release checklist across both app teams", Some(1))],
        channels: &[("#mobile-guild", "https://chat.northwind.example/mobile")],
        teams: &["Mobile Apps", "Design Systems", "Quality Engineering"],
        lead: None,
        members: &[],
        founded_months_ago: 13,
        size: 30,
        senior_only: false,
        closing_note: None,
    },
    CommunitySpec {
        name: "Privacy & Compliance",
        slug: "privacy-compliance",
        domain: "Privacy engineering and data protection: GDPR, DPDP and privacy by design",
        kind: CommunityType::DomainSpecific,
        visibility: Visibility::RequestToJoin,
        stage: Stage::Coalescing,
        purpose: "Engineers who handle personal data learn together how to build privacy in from the start: data \
                  minimization, retention, consent and subject access requests. We translate requirements from \
                  the privacy office into engineering patterns. Membership is by request while we agree how to \
                  handle sensitive case discussions.",
        in_scope: &[
            "data minimization and retention",
            "subject access requests",
            "consent management",
            "privacy impact assessments",
            "pseudonymization",
        ],
        out_of_scope: &["legal advice", "contract review"],
        goals: &[
            ("Automate subject access requests end to end", Some(3)),
            ("Add a privacy checklist to every design review", None),
        ],
        channels: &[
            ("#privacy-engineering", "https://chat.northwind.example/privacy"),
            ("Privacy patterns", "https://wiki.northwind.example/privacy-patterns"),
        ],
        teams: &["Identity & Access", "Data Platform", "Security Engineering", "Customer Support Tools"],
        lead: None,
        members: &["priya"],
        founded_months_ago: 9,
        size: 22,
        senior_only: false,
        closing_note: None,
    },
];

/// Notes for moving into each stage after Potential, phrased the way a
/// facilitator would justify the move with evidence.
const STAGE_NOTES: [&[&str]; 4] = [
    &[
        "Kick-off session drew people from five teams; we agreed on a name, drafted a charter and opened a chat channel.",
        "Three lunch sessions in a row were full; members asked for a regular slot and a shared notes space.",
        "An interest survey got over forty answers; first brown-bag talk held and the domain statement agreed.",
    ],
    &[
        "Sessions have run every two weeks for six months without a gap, and the first practice guide is published.",
        "Membership doubled and now spans four locations; meeting times rotate so no region always gets the early slot.",
        "The practice repository holds a reviewed standard and two runbooks; facilitation is shared by two people.",
    ],
    &[
        "Named in the engineering strategy as the owner of its standards; an onboarding buddy scheme for newcomers started.",
        "Most product teams now use the community's guides; the focus moves to keeping them current and mentoring newcomers.",
        "The sponsor agreed a 10% time allocation for core members; mentoring pairs and a facilitator rotation are in place.",
    ],
    &[
        "The domain has become mainstream practice in every team; members agreed to merge and keep the repository as a legacy archive.",
    ],
];

// ---------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------

/// Lowercase ASCII for handles: folds the accents our name lists use and
/// drops everything else that is not a letter or digit ("O'Brien" -> "obrien").
fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ñ' | 'ń' => out.push('n'),
            'ş' | 'ś' | 'š' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ğ' => out.push('g'),
            'ł' => out.push('l'),
            'ř' => out.push('r'),
            'ý' => out.push('y'),
            'ß' => out.push_str("ss"),
            _ => {}
        }
    }
    out
}

/// "Cloud security" -> "Cloud Security", for generated community names.
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(text: &str, max: usize) -> &str {
    // ASCII only (after folding), so byte slicing is safe.
    &text[..text.len().min(max)]
}

fn handle(text: &str) -> Result<Handle, AppError> {
    Handle::parse(text).map_err(|e| AppError::Internal(format!("demo handle '{text}': {e}")))
}

fn zone(place: usize) -> Result<TimeZone, AppError> {
    TimeZone::parse(PLACES[place].zone).map_err(|e| AppError::Internal(format!("demo time zone: {e}")))
}

fn team_index(name: &str) -> Option<usize> {
    TEAMS.iter().position(|t| t.name == name)
}

/// Picks one of `items` with probability proportional to its weight.
fn pick<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for &(item, weight) in items {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

/// `k` distinct indices drawn without replacement, each with probability
/// proportional to its weight (Efraimidis-Spirakis keys), in draw order.
fn weighted_sample(rng: &mut StdRng, candidates: &[(usize, f64)], k: usize) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> =
        candidates.iter().filter(|(_, w)| *w > 0.0).map(|&(i, w)| (rng.r#gen::<f64>().powf(1.0 / w), i)).collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    keyed.truncate(k);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// A uniform draw in (0, 1], safe to raise to negative powers.
fn unit(rng: &mut StdRng) -> f64 {
    1.0 - rng.r#gen::<f64>()
}

/// A draw in `[low, high)` that consumes the same randomness whatever the
/// bounds, so offsets from the real clock do not shift later draws.
fn offset_between(rng: &mut StdRng, low: i64, high: i64) -> i64 {
    low + ((high - low).max(0) as f64 * rng.r#gen::<f64>()) as i64
}

fn random_between(rng: &mut StdRng, low: i64, high: i64) -> i64 {
    if high <= low { low } else { rng.gen_range(low..high) }
}

fn experience_for(rng: &mut StdRng, team: &str) -> ExperienceLevel {
    use ExperienceLevel::*;
    match team {
        LEADERSHIP => pick(rng, &[(Senior, 4), (Staff, 6)]),
        DELIVERY => pick(rng, &[(Mid, 3), (Senior, 5), (Staff, 2)]),
        _ => pick(rng, &[(Junior, 20), (Mid, 40), (Senior, 30), (Staff, 10)]),
    }
}

fn skill_level_for(rng: &mut StdRng, experience: ExperienceLevel) -> SkillLevel {
    use SkillLevel::*;
    match experience {
        ExperienceLevel::Junior => pick(rng, &[(Learning, 6), (Practitioner, 4)]),
        ExperienceLevel::Mid => pick(rng, &[(Learning, 2), (Practitioner, 13), (Expert, 3)]),
        ExperienceLevel::Senior => pick(rng, &[(Learning, 1), (Practitioner, 5), (Expert, 4)]),
        ExperienceLevel::Staff => pick(rng, &[(Practitioner, 2), (Expert, 3)]),
    }
}

/// Mostly nine to five, with the early starters, late starters and
/// part-timers every office has.
fn working_hours(rng: &mut StdRng) -> WorkingHours {
    let start = pick(rng, &[(8 * 60, 15), (8 * 60 + 30, 15), (9 * 60, 40), (9 * 60 + 30, 15), (10 * 60, 15)]);
    let length = pick(rng, &[(8 * 60, 80), (8 * 60 + 30, 15), (5 * 60, 5)]);
    WorkingHours::from_minutes(start, start + length)
}

fn job_title(team: &str, experience: ExperienceLevel) -> &'static str {
    match (team, experience) {
        (LEADERSHIP, ExperienceLevel::Staff) => "Engineering director",
        (LEADERSHIP, _) => "Engineering manager",
        (DELIVERY, _) => "Delivery lead",
        (_, ExperienceLevel::Junior) => "Junior engineer",
        (_, ExperienceLevel::Mid) => "Engineer",
        (_, ExperienceLevel::Senior) => "Senior engineer",
        (_, ExperienceLevel::Staff) => "Staff engineer",
    }
}

async fn insert_org_goals(store: &Store) -> Result<Vec<OrgGoalId>, AppError> {
    let mut ids = Vec::with_capacity(ORG_GOALS.len());
    for (title, description) in ORG_GOALS {
        ids.push(store.insert_org_goal(title, description).await?);
    }
    Ok(ids)
}

fn fixed_new_people() -> Result<Vec<NewPerson>, AppError> {
    FIXED_PEOPLE
        .iter()
        .map(|f| {
            Ok(NewPerson {
                handle: handle(f.handle)?,
                email: Some(format!("{}@{EMAIL_DOMAIN}", f.handle)),
                role: f.role,
                profile: Profile {
                    name: f.name.into(),
                    team: f.team.into(),
                    location: PLACES[f.place].name.into(),
                    time_zone: zone(f.place)?,
                    working_hours: WorkingHours::default(),
                    experience: f.experience,
                    skills: f.skills.iter().map(|&(name, level)| Skill { name: name.into(), level }).collect(),
                    interests: f.interests.iter().map(|i| i.to_string()).collect(),
                    bio: f.bio.into(),
                },
                created_at: Timestamp(DEMO_NOW - f.tenure_days * DAY),
            })
        })
        .collect()
}

/// Argon2 is slow on purpose, so the four hashes run side by side.
async fn set_demo_passwords(app: &App, ids: &[PersonId]) -> Result<(), AppError> {
    let [ada, sam, priya, guest] = ids else {
        return Err(AppError::Internal(format!("expected 4 demo accounts, got {}", ids.len())));
    };
    tokio::try_join!(
        app.set_password(*ada, DEMO_PASSWORD),
        app.set_password(*sam, DEMO_PASSWORD),
        app.set_password(*priya, DEMO_PASSWORD),
        app.set_password(*guest, DEMO_PASSWORD),
    )?;
    Ok(())
}

fn stage_note(rng: &mut StdRng, stage: Stage) -> String {
    let notes = STAGE_NOTES[usize::from(stage.number()).saturating_sub(2).min(3)];
    notes.choose(rng).copied().unwrap_or("Moved on by the facilitators.").to_string()
}

const KINDS_ENGAGED: &[(&str, u32)] = &[
    ("post", 28),
    ("answer", 20),
    ("accepted-answer", 7),
    ("artifact-version", 10),
    ("rsvp", 13),
    ("attendance", 14),
    ("kudos", 8),
];
/// People on the edge mostly show up and react; they rarely write artifacts.
const KINDS_PERIPHERAL: &[(&str, u32)] =
    &[("post", 20), ("answer", 5), ("rsvp", 35), ("attendance", 30), ("kudos", 10)];

/// Whether a contribution of this kind is aimed at someone else.
fn replies(rng: &mut StdRng, kind: &str) -> bool {
    match kind {
        "answer" | "accepted-answer" | "kudos" => true,
        "post" => rng.gen_bool(0.4),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// The demo organization.
// ---------------------------------------------------------------------------

/// A person as the generator keeps them in memory.
struct DemoPerson {
    new: NewPerson,
    team: Option<usize>,
    fixed: bool,
}

/// The demo's people: the four fixed accounts first, then the generated
/// staff, spread over the teams by headcount weight.
fn plan_demo_people(rng: &mut StdRng) -> Result<Vec<DemoPerson>, AppError> {
    let mut people: Vec<DemoPerson> = fixed_new_people()?
        .into_iter()
        .zip(FIXED_PEOPLE.iter())
        .map(|(new, f)| DemoPerson { new, team: team_index(f.team), fixed: true })
        .collect();
    let mut taken: std::collections::HashSet<String> =
        people.iter().map(|p| p.new.handle.as_str().to_string()).collect();
    let mut names_taken: std::collections::HashSet<String> =
        people.iter().map(|p| p.new.profile.name.clone()).collect();

    let total_weight: usize = TEAMS.iter().map(|t| t.weight).sum();
    let mut counts: Vec<usize> = TEAMS.iter().map(|t| t.weight * DEMO_GENERATED_PEOPLE / total_weight).collect();
    let mut short = DEMO_GENERATED_PEOPLE - counts.iter().sum::<usize>();
    for count in counts.iter_mut() {
        if short == 0 {
            break;
        }
        *count += 1;
        short -= 1;
    }

    for (team_idx, team) in TEAMS.iter().enumerate() {
        for _ in 0..counts[team_idx] {
            let place = *team.places.choose(rng).unwrap_or(&BERLIN);
            // Three in four carry names common where they work.
            let names_from = if rng.gen_bool(0.75) { place } else { rng.gen_range(0..PLACES.len()) };
            let (mut first, mut last);
            // Retry a few times so the directory does not show the same full
            // name twice; handles are de-duplicated regardless.
            let mut attempts = 0;
            loop {
                first = *PLACES[names_from].first_names.choose(rng).unwrap_or(&"Alex");
                last = *PLACES[names_from].last_names.choose(rng).unwrap_or(&"Smith");
                attempts += 1;
                if !names_taken.contains(&format!("{first} {last}")) || attempts > 10 {
                    break;
                }
            }
            let name = format!("{first} {last}");
            names_taken.insert(name.clone());
            let base = format!("{}.{}", ascii_fold(first), ascii_fold(last));
            let base = truncate(&base, 29).to_string();
            let mut candidate = base.clone();
            let mut suffix = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}{suffix}");
                suffix += 1;
            }
            taken.insert(candidate.clone());

            let experience = experience_for(rng, team.name);
            let skill_count = rng.gen_range(2..=5usize).min(team.skills.len());
            let mut skills: Vec<Skill> = team
                .skills
                .choose_multiple(rng, skill_count)
                .map(|name| Skill { name: name.to_string(), level: skill_level_for(rng, experience) })
                .collect();
            if skills.len() < 5 && rng.gen_bool(0.25) {
                let extra = *GENERAL_SKILLS.choose(rng).unwrap_or(&"Mentoring");
                if !skills.iter().any(|s| s.name.eq_ignore_ascii_case(extra)) {
                    skills.push(Skill { name: extra.into(), level: skill_level_for(rng, experience) });
                }
            }
            let interest_count = rng.gen_range(1..=3);
            let interests: Vec<String> =
                INTERESTS.choose_multiple(rng, interest_count).map(|i| i.to_string()).collect();
            let mut bio = format!("{} on {} in {}.", job_title(team.name, experience), team.name, PLACES[place].name);
            if let Some(expert) = skills.iter().find(|s| s.level == SkillLevel::Expert) {
                bio.push_str(&format!(" Happy to help with {}.", expert.name));
            }
            let tenure_days = rng.gen_range(60..2600);
            people.push(DemoPerson {
                new: NewPerson {
                    email: Some(format!("{candidate}@{EMAIL_DOMAIN}")),
                    handle: handle(&candidate)?,
                    role: OrgRole::Member,
                    profile: Profile {
                        name,
                        team: team.name.into(),
                        location: PLACES[place].name.into(),
                        time_zone: zone(place)?,
                        working_hours: working_hours(rng),
                        experience,
                        skills,
                        interests,
                        bio,
                    },
                    created_at: Timestamp(DEMO_NOW - tenure_days * DAY),
                },
                team: Some(team_idx),
                fixed: false,
            });
        }
    }
    Ok(people)
}

/// How much a member takes part, decided up front so that the contributions
/// produce the participation spread the tutorial describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Quiet,
    Peripheral,
    Active,
    Core,
}

fn draw_tier(rng: &mut StdRng, stage: Stage) -> Tier {
    // Percent of members at core, active and peripheral; the rest are quiet.
    let (core, active, peripheral) = match stage {
        Stage::Potential => (5, 15, 45),
        Stage::Coalescing => (9, 17, 44),
        Stage::Maturing => (11, 17, 44),
        Stage::Stewardship => (10, 16, 46),
        // A community winding down: few people still carry it.
        Stage::Transformation => (3, 9, 30),
    };
    pick(
        rng,
        &[
            (Tier::Core, core),
            (Tier::Active, active),
            (Tier::Peripheral, peripheral),
            (Tier::Quiet, 100 - core - active - peripheral),
        ],
    )
}

/// Contributions in the last 90 days and in the 90 days before, for a tier.
/// Core counts have a long tail: a few people do a great deal.
fn contribution_counts(rng: &mut StdRng, tier: Tier) -> (u32, u32) {
    match tier {
        Tier::Core => {
            let tail = (6.0 * (unit(rng).powf(-0.7) - 1.0)).min(40.0) as u32;
            let recent = 12 + tail;
            let older = (f64::from(recent) * rng.gen_range(0.3..1.1)) as u32;
            (recent, older)
        }
        Tier::Active => (3 + (9.0 * rng.r#gen::<f64>().powf(1.6)).min(8.0) as u32, rng.gen_range(0..=6)),
        Tier::Peripheral => (rng.gen_range(1..=2), rng.gen_range(0..=2)),
        Tier::Quiet => (0, u32::from(rng.gen_bool(0.25))),
    }
}

struct PlannedMember {
    person: usize,
    tier: Tier,
    joined: i64,
}

struct CommunityPlan {
    id: copse_domain::CommunityId,
    members: Vec<PlannedMember>,
}

/// What every demo community draws on.
struct DemoOrg<'a> {
    people: &'a [DemoPerson],
    ids: &'a [PersonId],
    goals: &'a [OrgGoalId],
    /// Engineering leaders, who sponsor the established communities.
    leaders: Vec<usize>,
}

impl DemoOrg<'_> {
    fn by_handle(&self, handle: &str) -> Option<usize> {
        self.people.iter().position(|p| p.new.handle.as_str() == handle)
    }
}

/// Creates one hand-written community with its stage history and members;
/// returns its plan for contributions and how many membership rows it made.
async fn load_community(
    store: &Store,
    rng: &mut StdRng,
    org: &DemoOrg<'_>,
    spec: &CommunitySpec,
) -> Result<(CommunityPlan, u64), AppError> {
    let related: Vec<usize> = spec.teams.iter().filter_map(|t| team_index(t)).collect();
    let founded = DEMO_NOW - spec.founded_months_ago * 30 * DAY - rng.gen_range(0..10) * DAY;
    let since = |i: usize| org.people[i].new.created_at.millis();
    let eligible = |i: usize| {
        let p = &org.people[i];
        !spec.senior_only || p.new.profile.experience >= ExperienceLevel::Senior
    };
    let affinity = |i: usize| {
        let p = &org.people[i];
        let mut weight = 1.0;
        if p.team.is_some_and(|t| related.contains(&t)) {
            weight += 8.0;
        }
        if spec.senior_only && p.new.profile.experience == ExperienceLevel::Staff {
            weight *= 3.0;
        }
        weight
    };

    // The lead started the community, so they were already at the company
    // and are senior people from a related team.
    let lead = match spec.lead.and_then(|h| org.by_handle(h)) {
        Some(i) => i,
        None => {
            let candidates: Vec<(usize, f64)> = (0..org.people.len())
                .filter(|&i| !org.people[i].fixed && eligible(i) && since(i) < founded)
                .map(|i| {
                    let senior = org.people[i].new.profile.experience >= ExperienceLevel::Senior;
                    (i, affinity(i) * if senior { 4.0 } else { 0.5 })
                })
                .collect();
            weighted_sample(rng, &candidates, 1)
                .first()
                .copied()
                .ok_or_else(|| AppError::Internal(format!("no lead for {}", spec.slug)))?
        }
    };
    let fixed_members: Vec<usize> = spec.members.iter().filter_map(|h| org.by_handle(h)).collect();
    let target = ((spec.size as f64 * rng.gen_range(0.9..1.1)).round() as usize).clamp(12, 120);
    let pool: Vec<(usize, f64)> = (0..org.people.len())
        .filter(|&i| !org.people[i].fixed && i != lead && eligible(i))
        .map(|i| (i, affinity(i)))
        .collect();
    let drawn = weighted_sample(rng, &pool, target.saturating_sub(1 + fixed_members.len()));

    let facilitator_count = match spec.stage {
        Stage::Potential | Stage::Transformation => 1,
        Stage::Coalescing => rng.gen_range(1..=2),
        Stage::Maturing => 2,
        Stage::Stewardship => rng.gen_range(2..=3),
    };
    let co_candidates: Vec<(usize, f64)> = drawn
        .iter()
        .map(|&i| {
            let senior = org.people[i].new.profile.experience >= ExperienceLevel::Senior;
            (i, affinity(i) * if senior { 3.0 } else { 1.0 })
        })
        .collect();
    let mut facilitators = vec![lead];
    facilitators.extend(weighted_sample(rng, &co_candidates, facilitator_count - 1));

    let sponsor = if spec.stage >= Stage::Maturing { org.leaders.choose(rng).copied() } else { None };
    let input = CommunityInput {
        name: spec.name.into(),
        slug: spec.slug.into(),
        domain: spec.domain.into(),
        kind: spec.kind.as_str().into(),
        visibility: spec.visibility.as_str().into(),
        purpose: spec.purpose.into(),
        in_scope: spec.in_scope.join("\n"),
        out_of_scope: spec.out_of_scope.join("\n"),
        goals: spec
            .goals
            .iter()
            .map(|&(text, goal)| (text.to_string(), goal.and_then(|g| org.goals.get(g)).map(|g| g.0)))
            .collect(),
        channels: spec.channels.iter().map(|&(n, u)| (n.to_string(), u.to_string())).collect(),
        sponsor: sponsor.map(|s| org.people[s].new.handle.as_str().to_string()).unwrap_or_default(),
    };
    let draft = CommunityDraft::parse(&input)?;
    let id = store
        .insert_community(&NewCommunity {
            draft: &draft,
            sponsor: sponsor.map(|s| org.ids[s]),
            creator: org.ids[lead],
            stage: Stage::Potential,
            at: Timestamp(founded),
        })
        .await?;

    // Walk the lifecycle forward at increasing dates, the last move a few
    // weeks before "now".
    let steps = usize::from(spec.stage.number()) - 1;
    let span = (DEMO_NOW - 20 * DAY - founded) as f64;
    for step in 1..=steps {
        let fraction = (step as f64 + rng.gen_range(-0.2..0.2)) / (steps as f64 + 0.5);
        let at = founded + (span * fraction) as i64;
        let stage = Stage::ALL[step];
        let note = match spec.closing_note {
            Some(note) if step == steps => note.to_string(),
            _ => stage_note(rng, stage),
        };
        let actor = *facilitators.choose(rng).unwrap_or(&lead);
        store.change_stage(id, &StageChange { stage, note }, Some(org.ids[actor]), Timestamp(at)).await?;
    }

    // Memberships: the lead joined at founding, co-facilitators soon
    // after; everyone else over the community's life, core and active
    // people earlier than the rest.
    let mut members = vec![PlannedMember {
        person: lead,
        tier: if spec.stage == Stage::Transformation { Tier::Active } else { Tier::Core },
        joined: founded,
    }];
    let mut changes: Vec<MembershipChange> = Vec::new();
    let lead_id = org.ids[lead];
    let self_joins = spec.visibility == Visibility::Open;
    for &person in drawn.iter().chain(fixed_members.iter()) {
        let is_facilitator = facilitators.contains(&person);
        let mut tier = if is_facilitator { members[0].tier } else { draw_tier(rng, spec.stage) };
        if org.people[person].fixed {
            tier = tier.max(Tier::Peripheral);
        }
        let low = (founded + 7 * DAY).max(since(person) + DAY);
        let high = DEMO_NOW - DAY;
        let joined = if is_facilitator {
            random_between(rng, founded.max(since(person)) + DAY, founded + 45 * DAY)
        } else if tier >= Tier::Active {
            low + ((high - low).max(0) as f64 * rng.r#gen::<f64>().powi(2)) as i64
        } else {
            random_between(rng, low, high)
        };
        members.push(PlannedMember { person, tier, joined });
        changes.push(MembershipChange {
            community: id,
            person: org.ids[person],
            role: if is_facilitator { MembershipRole::Facilitator } else { MembershipRole::Member },
            status: MembershipStatus::Active,
            actor: Some(if self_joins && !is_facilitator { org.ids[person] } else { lead_id }),
            at: Timestamp(joined),
        });
    }
    // Pending requests and invitations, recent so they look like work to do.
    let pending = match spec.visibility {
        Visibility::Open => None,
        Visibility::RequestToJoin => Some((MembershipStatus::Requested, rng.gen_range(2..=4), 21)),
        Visibility::Private => Some((MembershipStatus::Invited, 2, 14)),
    };
    if let Some((status, count, within_days)) = pending {
        let outside: Vec<(usize, f64)> = pool.iter().filter(|(i, _)| !drawn.contains(i)).copied().collect();
        for person in weighted_sample(rng, &outside, count) {
            let at = DEMO_NOW - rng.gen_range(1..within_days) * DAY - rng.gen_range(0..DAY);
            let actor = if status == MembershipStatus::Requested { org.ids[person] } else { lead_id };
            changes.push(MembershipChange {
                community: id,
                person: org.ids[person],
                role: MembershipRole::Member,
                status,
                actor: Some(actor),
                at: Timestamp(at),
            });
        }
    }
    // In date order, so the community's last change is its latest join.
    changes.sort_by_key(|c| (c.at, c.person));
    store.set_memberships(&changes).await?;
    // The lead's membership came with the community.
    Ok((CommunityPlan { id, members }, changes.len() as u64 + 1))
}

/// Loads the demo organization into an empty database. Deterministic: the
/// same data every run, except that contributions are dated relative to the
/// real now so participation looks alive.
pub async fn load_demo(app: &App, progress: Progress<'_>) -> Result<DemoSummary, AppError> {
    ensure_empty(app).await?;
    let store = app.store();
    let mut rng = StdRng::seed_from_u64(DEMO_SEED);

    progress("organization", 0, 1);
    store.set_setting("org_name", ORG_NAME).await?;
    let goals = insert_org_goals(store).await?;
    progress("organization", 1, 1);

    let planned = plan_demo_people(&mut rng)?;
    let total_people = planned.len() as u64;
    let mut ids: Vec<PersonId> = Vec::with_capacity(planned.len());
    progress("people", 0, total_people);
    for chunk in planned.chunks(100) {
        let news: Vec<NewPerson> = chunk.iter().map(|p| p.new.clone()).collect();
        ids.extend(store.insert_people(&news).await?);
        progress("people", ids.len() as u64, total_people);
    }

    progress("accounts", 0, 1);
    set_demo_passwords(app, &ids[..FIXED_PEOPLE.len()]).await?;
    progress("accounts", 1, 1);

    let leaders: Vec<usize> =
        (0..planned.len()).filter(|&i| !planned[i].fixed && planned[i].team == team_index(LEADERSHIP)).collect();
    let org = DemoOrg { people: &planned, ids: &ids, goals: &goals, leaders };

    let mut plans: Vec<CommunityPlan> = Vec::with_capacity(COMMUNITIES.len());
    let mut membership_rows = 0u64;
    let total_communities = COMMUNITIES.len() as u64;
    progress("communities", 0, total_communities);
    for (done, spec) in COMMUNITIES.iter().enumerate() {
        let (plan, rows) = load_community(store, &mut rng, &org, spec).await?;
        membership_rows += rows;
        plans.push(plan);
        progress("communities", done as u64 + 1, total_communities);
    }

    let contributions = plan_demo_contributions(&mut rng, &plans, &ids, Timestamp::now().millis());
    let total = contributions.len() as u64;
    let mut inserted = 0u64;
    let mut done = 0u64;
    progress("contributions", 0, total);
    for chunk in contributions.chunks(BATCH) {
        inserted += store.insert_contributions(chunk).await?;
        done += chunk.len() as u64;
        progress("contributions", done, total);
    }

    progress("events", 0, 1);
    let events = crate::demo_events::load(app, &mut rng).await?;
    progress("events", 1, 1);

    progress("discussions", 0, 1);
    let (threads, posts) = crate::demo_discussions::load(app, &mut rng).await?;
    progress("discussions", 1, 1);

    progress("practice", 0, 1);
    let artifacts = crate::demo_practice::load(app, &mut rng).await?;
    progress("practice", 1, 1);

    // Connecting people and the organization (issue 5): the skills
    // vocabulary and expertise first (the others name skills), then
    // mentoring, recognition and surveys, and the organization side.
    progress("people side", 0, 4);
    crate::demo_expertise::load(app).await?;
    progress("people side", 1, 4);
    crate::demo_mentoring::load(app).await?;
    progress("people side", 2, 4);
    crate::demo_recognition::load(app).await?;
    progress("people side", 3, 4);
    crate::demo_organization::load(app).await?;
    progress("people side", 4, 4);

    // Measurement (issue 6): the communities that show each challenge, the
    // healthy one, value stories; then insight is computed once.
    progress("insight", 0, 1);
    crate::demo_insight::load(app).await?;
    progress("insight", 1, 1);

    Ok(DemoSummary {
        events,
        threads,
        posts,
        artifacts,
        people: total_people,
        communities: total_communities,
        memberships: membership_rows,
        contributions: inserted,
    })
}

/// Contributions at seeded offsets before `now`: each member's tier sets how
/// many fall in the last 90 days (what the participation level reads) and in
/// the 90 days before (so trends have something to compare against).
fn plan_demo_contributions(
    rng: &mut StdRng,
    plans: &[CommunityPlan],
    ids: &[PersonId],
    now: i64,
) -> Vec<NewContribution> {
    let mut items = Vec::new();
    let mut next_ref = 1u64;
    for plan in plans {
        // Replies go mostly to the people who are around.
        let reply_weights: Vec<(usize, f64)> = plan
            .members
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let w = match m.tier {
                    Tier::Core => 6.0,
                    Tier::Active => 3.0,
                    Tier::Peripheral => 1.0,
                    Tier::Quiet => 0.2,
                };
                (k, w)
            })
            .collect();
        let total_weight: f64 = reply_weights.iter().map(|(_, w)| w).sum();
        for (index, member) in plan.members.iter().enumerate() {
            let (recent, older) = contribution_counts(rng, member.tier);
            let kinds = if member.tier >= Tier::Active { KINDS_ENGAGED } else { KINDS_PERIPHERAL };
            // Time in the community, measured at the fixed demo instant and
            // carried over to the real now: nobody contributes before they
            // joined, and every run draws the same offsets.
            let tenure = (DEMO_NOW - member.joined).max(DAY);
            let older = if tenure > 90 * DAY { older } else { 0 };
            let windows = [(5 * MINUTE, tenure.min(90 * DAY), recent), (90 * DAY, tenure.min(180 * DAY), older)];
            for (nearest, farthest, count) in windows {
                for _ in 0..count {
                    let at = now - offset_between(rng, nearest, farthest);
                    let kind = pick(rng, kinds);
                    let reply_to = if replies(rng, kind) {
                        let mut roll = rng.r#gen::<f64>() * total_weight;
                        let mut chosen = None;
                        for &(k, w) in &reply_weights {
                            if roll < w {
                                chosen = Some(k);
                                break;
                            }
                            roll -= w;
                        }
                        chosen.filter(|&k| k != index).map(|k| ids[plan.members[k].person])
                    } else {
                        None
                    };
                    items.push(NewContribution {
                        person: ids[member.person],
                        community: plan.id,
                        kind,
                        at: Timestamp(at),
                        reply_to,
                        source: "demo",
                        source_ref: Some(format!("demo:{next_ref}")),
                    });
                    next_ref += 1;
                }
            }
        }
    }
    items
}

// ---------------------------------------------------------------------------
// The scale generator.
// ---------------------------------------------------------------------------

/// Second words for generated team names ("Checkout Aurora").
#[rustfmt::skip]
const SQUADS: &[&str] = &[
    "Aurora", "Beacon", "Comet", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Kestrel",
    "Lumen", "Meridian", "Nimbus", "Orbit", "Pioneer", "Quartz", "Raven", "Summit", "Tundra", "Umbra", "Vector",
    "Willow", "Zephyr", "Atlas", "Bramble", "Cobalt", "Dune", "Echo", "Fjord",
];

const COMMUNITY_SUFFIXES: &[&str] =
    &["Guild", "Circle", "Forum", "Practice", "Network", "Chapter", "Collective", "Lab"];

/// Cumulative weights of a Zipf-like popularity over `n` ranks: the first
/// communities are much larger than the long tail, as in real organizations.
fn zipf_cdf(n: usize) -> Vec<f64> {
    let mut total = 0.0;
    (0..n)
        .map(|rank| {
            total += 1.0 / ((rank + 1) as f64).powf(0.9);
            total
        })
        .collect()
}

fn sample_cdf(rng: &mut StdRng, cdf: &[f64]) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let roll = rng.r#gen::<f64>() * total;
    cdf.partition_point(|&c| c <= roll).min(cdf.len().saturating_sub(1))
}

/// Generates an organization of `people` people with proportionate
/// communities (about one per 50 people, at least 12), for benchmarks.
/// Deterministic; creates the four demo accounts (with passwords) first so
/// benchmarks can sign in.
pub async fn generate_scale(app: &App, people: u64, progress: Progress<'_>) -> Result<DemoSummary, AppError> {
    generate_scale_with_posts(app, people, 0, progress).await
}

/// [`generate_scale`] plus `posts` discussion posts spread over the generated
/// communities (see `demo_discussions::scale_posts`).
pub async fn generate_scale_with_posts(
    app: &App,
    people: u64,
    posts: u64,
    progress: Progress<'_>,
) -> Result<DemoSummary, AppError> {
    ensure_empty(app).await?;
    let store = app.store();
    let mut rng = StdRng::seed_from_u64(SCALE_SEED);
    let n = usize::try_from(people).map_err(|_| AppError::invalid("people", "too many people for this machine"))?;

    progress("organization", 0, 1);
    store.set_setting("org_name", ORG_NAME).await?;
    let goals = insert_org_goals(store).await?;
    progress("organization", 1, 1);

    let staff = scale_people(app, &mut rng, n, progress).await?;
    let communities = scale_communities(store, &mut rng, &staff, &goals, 12usize.max(n / 50), progress).await?;
    let plan = plan_scale_memberships(&mut rng, &staff, &communities);

    let total_changes = plan.changes.len() as u64;
    progress("memberships", 0, total_changes);
    let mut done = 0u64;
    for chunk in plan.changes.chunks(BATCH) {
        store.set_memberships(chunk).await?;
        done += chunk.len() as u64;
        progress("memberships", done, total_changes);
    }

    let contributions = scale_contributions(store, &mut rng, &staff, &communities, &plan, progress).await?;
    let target = crate::demo_discussions::ScaleTarget {
        communities: &communities.ids,
        founded: &communities.founded,
        members_of: &plan.members_of,
        people: &staff.ids,
    };
    let (threads, posts) = crate::demo_discussions::scale_posts(store, &target, posts, progress).await?;
    // The skills vocabulary from what people declared, and their expertise.
    progress("expertise", 0, 1);
    crate::demo_expertise::load_scale(app).await?;
    progress("expertise", 1, 1);
    Ok(DemoSummary {
        events: 0,
        threads,
        posts,
        artifacts: 0,
        people: staff.ids.len() as u64,
        communities: communities.ids.len() as u64,
        // The creators' memberships came with their communities.
        memberships: total_changes + communities.ids.len() as u64,
        contributions,
    })
}

/// The generated people, indexed alike: the four demo accounts first.
struct ScalePeople {
    ids: Vec<PersonId>,
    /// The demo team each person's team is modeled on, which decides the
    /// communities close to their work.
    template: Vec<usize>,
    /// When they joined the company.
    since: Vec<i64>,
}

/// Inserts the four demo accounts and `n` generated people in batches.
/// Teams are modeled on the demo's teams (their skills and offices) so that
/// generated people still cluster sensibly.
async fn scale_people(app: &App, rng: &mut StdRng, n: usize, progress: Progress<'_>) -> Result<ScalePeople, AppError> {
    let store = app.store();
    let fixed = fixed_new_people()?;
    let mut staff = ScalePeople {
        ids: store.insert_people(&fixed).await?,
        template: FIXED_PEOPLE.iter().map(|f| team_index(f.team).unwrap_or(0)).collect(),
        since: fixed.iter().map(|p| p.created_at.millis()).collect(),
    };
    set_demo_passwords(app, &staff.ids).await?;

    let team_count = TEAMS.len().max(n / 25);
    let teams: Vec<(String, usize, usize)> = (0..team_count)
        .map(|t| {
            let template = t % TEAMS.len();
            let round = t / TEAMS.len();
            let squad = SQUADS[round % SQUADS.len()];
            let name = match round / SQUADS.len() {
                0 => format!("{} {squad}", TEAMS[template].name),
                k => format!("{} {squad} {}", TEAMS[template].name, k + 1),
            };
            let place = *TEAMS[template].places.choose(rng).unwrap_or(&BERLIN);
            (name, template, place)
        })
        .collect();
    let zones: Vec<TimeZone> = (0..PLACES.len()).map(zone).collect::<Result<_, _>>()?;

    let total = (n + FIXED_PEOPLE.len()) as u64;
    progress("people", staff.ids.len() as u64, total);
    let mut next = 0usize;
    while next < n {
        let end = (next + BATCH).min(n);
        let mut batch = Vec::with_capacity(end - next);
        for i in next..end {
            let (team_name, template, place) = &teams[rng.gen_range(0..team_count)];
            let names = &PLACES[if rng.gen_bool(0.7) { *place } else { rng.gen_range(0..PLACES.len()) }];
            let first = *names.first_names.choose(rng).unwrap_or(&"Alex");
            let last = *names.last_names.choose(rng).unwrap_or(&"Smith");
            // The running number keeps handles unique without a lookup.
            let handle_text =
                format!("{}.{}.{}", truncate(&ascii_fold(first), 12), truncate(&ascii_fold(last), 12), i + 1);
            let experience = experience_for(rng, TEAMS[*template].name);
            let skill_names: Vec<&str> = TEAMS[*template].skills.choose_multiple(rng, 2).copied().collect();
            let skills = skill_names
                .into_iter()
                .map(|name| Skill { name: name.into(), level: skill_level_for(rng, experience) })
                .collect();
            let created = DEMO_NOW - rng.gen_range(30..3000) * DAY;
            batch.push(NewPerson {
                email: Some(format!("{handle_text}@{EMAIL_DOMAIN}")),
                handle: handle(&handle_text)?,
                role: OrgRole::Member,
                profile: Profile {
                    name: format!("{first} {last}"),
                    team: team_name.clone(),
                    location: PLACES[*place].name.into(),
                    time_zone: zones[*place],
                    working_hours: working_hours(rng),
                    experience,
                    skills,
                    interests: vec![INTERESTS.choose(rng).unwrap_or(&"mentoring").to_string()],
                    bio: String::new(),
                },
                created_at: Timestamp(created),
            });
            staff.template.push(*template);
            staff.since.push(created);
        }
        staff.ids.extend(store.insert_people(&batch).await?);
        next = end;
        progress("people", staff.ids.len() as u64, total);
    }
    Ok(staff)
}

/// The generated communities, indexed alike in popularity order (the first
/// is the most popular).
struct ScaleCommunities {
    ids: Vec<copse_domain::CommunityId>,
    founded: Vec<i64>,
    /// Index into `ScalePeople` of the person who started each one.
    creators: Vec<usize>,
    visibility: Vec<Visibility>,
    /// Community indices by the team template they are closest to.
    by_template: Vec<Vec<usize>>,
}

/// Creates `count` communities, each with one or two recorded stage moves
/// instead of a full history: enough for history pages to have rows, cheap
/// enough for thousands. The first few cycle through every type, visibility
/// and stage so even the smallest scale covers them all.
async fn scale_communities(
    store: &Store,
    rng: &mut StdRng,
    staff: &ScalePeople,
    goals: &[OrgGoalId],
    count: usize,
    progress: Progress<'_>,
) -> Result<ScaleCommunities, AppError> {
    let mut people_by_template: Vec<Vec<usize>> = vec![Vec::new(); TEAMS.len()];
    for (person, &template) in staff.template.iter().enumerate().skip(FIXED_PEOPLE.len()) {
        people_by_template[template].push(person);
    }
    let mut made = ScaleCommunities {
        ids: Vec::with_capacity(count),
        founded: Vec::with_capacity(count),
        creators: Vec::with_capacity(count),
        visibility: Vec::with_capacity(count),
        by_template: vec![Vec::new(); TEAMS.len()],
    };
    let mut slugs_taken = std::collections::HashSet::new();
    progress("communities", 0, count as u64);
    for c in 0..count {
        let template = rng.gen_range(0..TEAMS.len());
        let topic = *TEAMS[template].skills.choose(rng).unwrap_or(&"Engineering");
        let suffix = *COMMUNITY_SUFFIXES.choose(rng).unwrap_or(&"Guild");
        let mut name = format!("{} {suffix}", title_case(topic));
        let mut slug = Slug::from_name(&name).map(|s| s.as_str().to_string()).unwrap_or_else(|| format!("c{c}"));
        if !slugs_taken.insert(slug.clone()) {
            name = format!("{name} {}", c + 1);
            slug = format!("{slug}-{}", c + 1);
            slugs_taken.insert(slug.clone());
        }
        let kind = match CommunityType::ALL.get(c) {
            Some(&kind) => kind,
            None => {
                use CommunityType::*;
                let weights = [
                    (TechnicalPractice, 40),
                    (RoleBased, 15),
                    (ProcessOriented, 15),
                    (DomainSpecific, 15),
                    (CrossCutting, 15),
                ];
                pick(rng, &weights)
            }
        };
        let visibility = match Visibility::ALL.get(c) {
            Some(&visibility) => visibility,
            None => pick(rng, &[(Visibility::Open, 80), (Visibility::RequestToJoin, 12), (Visibility::Private, 8)]),
        };
        let stage = match Stage::ALL.get(c) {
            Some(&stage) => stage,
            None => {
                use Stage::*;
                pick(rng, &[(Potential, 15), (Coalescing, 25), (Maturing, 35), (Stewardship, 20), (Transformation, 5)])
            }
        };
        // Someone whose work is close to the topic started it; with very few
        // people that may be anyone.
        let creator = match people_by_template[template].choose(rng) {
            Some(&person) => person,
            None => rng.gen_range(0..staff.ids.len()),
        };
        let founded = (DEMO_NOW - rng.gen_range(180..1100) * DAY).max(staff.since[creator] + DAY);
        let input = CommunityInput {
            name,
            slug: slug.clone(),
            domain: format!("{topic} at Northwind: practices, tools and lessons learned"),
            kind: kind.as_str().into(),
            visibility: visibility.as_str().into(),
            purpose: format!(
                "People across Northwind who work with {topic} share practices, review each other's work and help \
                 newcomers get started."
            ),
            in_scope: format!("{topic}\ncode review\ntutorials\ntroubleshooting"),
            out_of_scope: "team-specific roadmaps".into(),
            goals: vec![(format!("Make {topic} easier to adopt for every team"), goals.choose(rng).map(|g| g.0))],
            channels: vec![("Chat".into(), format!("https://chat.northwind.example/{slug}"))],
            sponsor: String::new(),
        };
        let draft = CommunityDraft::parse(&input)?;
        let creator_id = staff.ids[creator];
        let id = store
            .insert_community(&NewCommunity {
                draft: &draft,
                sponsor: None,
                creator: creator_id,
                stage: Stage::Potential,
                at: Timestamp(founded),
            })
            .await?;
        let span = DEMO_NOW - 20 * DAY - founded;
        if stage >= Stage::Maturing {
            let change = StageChange { stage: Stage::Coalescing, note: stage_note(rng, Stage::Coalescing) };
            store.change_stage(id, &change, Some(creator_id), Timestamp(founded + span / 3)).await?;
        }
        if stage > Stage::Potential {
            let change = StageChange { stage, note: stage_note(rng, stage) };
            store.change_stage(id, &change, Some(creator_id), Timestamp(founded + span * 2 / 3)).await?;
        }
        made.ids.push(id);
        made.founded.push(founded);
        made.creators.push(creator);
        made.visibility.push(visibility);
        made.by_template[template].push(c);
        progress("communities", c as u64 + 1, count as u64);
    }
    Ok(made)
}

struct ScaleMemberships {
    changes: Vec<MembershipChange>,
    /// (person, community, joined) of every active membership, creators
    /// included, for placing contributions.
    active: Vec<(u32, u32, i64)>,
    /// Active members of each community, for replies.
    members_of: Vec<Vec<u32>>,
}

/// Every person in one to four communities, mostly popular ones and ones
/// close to their team's work. The first active members of a community after
/// its creator become its co-facilitators.
fn plan_scale_memberships(rng: &mut StdRng, staff: &ScalePeople, made: &ScaleCommunities) -> ScaleMemberships {
    let count = made.ids.len();
    let global_cdf = zipf_cdf(count);
    let template_cdfs: Vec<Vec<f64>> = made.by_template.iter().map(|list| zipf_cdf(list.len())).collect();
    let extra_facilitators: Vec<u8> = (0..count).map(|_| rng.gen_range(0..=2)).collect();
    let mut facilitators_so_far = vec![0u8; count];
    // u32 indices keep these lists small at a million memberships.
    let mut plan = ScaleMemberships {
        changes: Vec::with_capacity(staff.ids.len() * 2),
        active: (0..count).map(|c| (made.creators[c] as u32, c as u32, made.founded[c])).collect(),
        members_of: (0..count).map(|c| vec![made.creators[c] as u32]).collect(),
    };
    for person in 0..staff.ids.len() {
        let wanted = pick(rng, &[(1usize, 40), (2, 30), (3, 20), (4, 10)]);
        let template = staff.template[person];
        let nearby = &made.by_template[template];
        let mut mine: Vec<usize> = Vec::with_capacity(wanted);
        // Bounded retries: with very few communities a person may end up in
        // fewer than they wanted rather than loop.
        for _ in 0..wanted * 4 {
            if mine.len() == wanted {
                break;
            }
            let c = if !nearby.is_empty() && rng.gen_bool(0.6) {
                nearby[sample_cdf(rng, &template_cdfs[template])]
            } else {
                sample_cdf(rng, &global_cdf)
            };
            // The creator already belongs; setting them again would end their
            // facilitator term.
            if made.creators[c] != person && !mine.contains(&c) {
                mine.push(c);
            }
        }
        for c in mine {
            let status = match made.visibility[c] {
                Visibility::RequestToJoin if rng.gen_bool(0.04) => MembershipStatus::Requested,
                Visibility::Private if rng.gen_bool(0.03) => MembershipStatus::Invited,
                _ => MembershipStatus::Active,
            };
            let is_active = status == MembershipStatus::Active;
            let facilitator = is_active && facilitators_so_far[c] < extra_facilitators[c];
            let low = made.founded[c].max(staff.since[person]) + DAY;
            let joined = if facilitator {
                facilitators_so_far[c] += 1;
                random_between(rng, low, low + 30 * DAY)
            } else {
                random_between(rng, low, DEMO_NOW - DAY)
            };
            if is_active {
                plan.members_of[c].push(person as u32);
                plan.active.push((person as u32, c as u32, joined));
            }
            plan.changes.push(MembershipChange {
                community: made.ids[c],
                person: staff.ids[person],
                role: if facilitator { MembershipRole::Facilitator } else { MembershipRole::Member },
                status,
                actor: Some(staff.ids[person]),
                at: Timestamp(joined),
            });
        }
    }
    plan
}

/// About two contributions per person, concentrated the way real activity
/// is: each person's weight follows a Pareto law, so a few do most of it.
/// Returns how many were inserted.
async fn scale_contributions(
    store: &Store,
    rng: &mut StdRng,
    staff: &ScalePeople,
    made: &ScaleCommunities,
    plan: &ScaleMemberships,
    progress: Progress<'_>,
) -> Result<u64, AppError> {
    let weight_of: Vec<f64> = (0..staff.ids.len()).map(|_| unit(rng).powf(-1.0 / 1.2).min(50.0)).collect();
    let mut running = 0.0;
    let cdf: Vec<f64> = plan
        .active
        .iter()
        .map(|&(person, _, _)| {
            running += weight_of[person as usize];
            running
        })
        .collect();
    let now = Timestamp::now().millis();
    let total = staff.ids.len() as u64 * 2;
    let mut inserted = 0u64;
    let mut written = 0u64;
    progress("contributions", 0, total);
    while written < total {
        let size = (total - written).min(BATCH as u64);
        let mut batch = Vec::with_capacity(size as usize);
        for k in 0..size {
            let (person, c, joined) = plan.active[sample_cdf(rng, &cdf)];
            let kind = pick(rng, KINDS_ENGAGED);
            // As in the demo: offsets within the membership's age at the
            // fixed instant, counted back from the real now.
            let at = now - offset_between(rng, 5 * MINUTE, (DEMO_NOW - joined).clamp(DAY, 180 * DAY));
            let reply_to = if replies(rng, kind) {
                plan.members_of[c as usize]
                    .choose(rng)
                    .filter(|&&other| other != person)
                    .map(|&other| staff.ids[other as usize])
            } else {
                None
            };
            batch.push(NewContribution {
                person: staff.ids[person as usize],
                community: made.ids[c as usize],
                kind,
                at: Timestamp(at),
                reply_to,
                source: "demo",
                source_ref: Some(format!("scale:{}", written + k + 1)),
            });
        }
        inserted += store.insert_contributions(&batch).await?;
        written += size;
        progress("contributions", written, total);
    }
    Ok(inserted)
}

/// Time zones of the feed fixture's communities.
const FEED_FIXTURE_ZONES: [&str; 6] =
    ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC", "America/Sao_Paulo"];

/// For the calendar-feed benchmarks: one person ("bench") who starts
/// `communities` communities (every fourth private), each with a weekly series
/// without end and a monthly one with a count, in six zones, with one
/// cancelled and one moved occurrence. Returns the person's feed token.
pub async fn feed_fixture(app: &App, communities: usize) -> Result<String, AppError> {
    let person = app
        .create_account(&crate::NewAccount {
            handle: "bench".into(),
            name: "Bench Person".into(),
            email: "bench@example.com".into(),
            password: "correct horse battery".into(),
            admin: false,
        })
        .await?;
    let viewer = crate::Viewer {
        actor: copse_domain::Actor::person(person, OrgRole::Member),
        handle: "bench".into(),
        name: "Bench Person".into(),
        time_zone: TimeZone::utc(),
    };
    for i in 0..communities {
        let slug = format!("community-{i:03}");
        app.create_community(
            &viewer,
            &CommunityInput {
                name: format!("Community {i:03}"),
                slug: slug.clone(),
                domain: "Benchmarks".into(),
                kind: "technical-practice".into(),
                visibility: if i % 4 == 0 { "private" } else { "open" }.into(),
                purpose: "Measure the calendar feed".into(),
                ..CommunityInput::default()
            },
        )
        .await?;
        let zone = FEED_FIXTURE_ZONES[i % FEED_FIXTURE_ZONES.len()];
        let event = |title: &str, date: &str, time: &str, rule: &str| copse_domain::EventInput {
            title: title.into(),
            description: "Bring questions; we work through them together.".into(),
            kind: "meetup".into(),
            format: "remote".into(),
            link: "https://meet.example.com/room".into(),
            date: date.into(),
            time: time.into(),
            duration_minutes: "60".into(),
            time_zone: zone.into(),
            recurrence: rule.into(),
            ..copse_domain::EventInput::default()
        };
        let hour = 8 + (i % 10);
        let weekly = app
            .create_event(
                &viewer,
                &slug,
                &event("Weekly clinic", "2026-01-05", &format!("{hour:02}:00"), "FREQ=WEEKLY;BYDAY=MO"),
            )
            .await?;
        app.create_event(
            &viewer,
            &slug,
            &event("Monthly review", "2026-01-06", &format!("{hour:02}:30"), "FREQ=MONTHLY;BYDAY=1TU;COUNT=24"),
        )
        .await?;
        let store = app.store();
        store.set_exception(weekly.id, &format!("2027-01-04T{hour:02}:00"), true, None, None).await?;
        store
            .set_exception(
                weekly.id,
                &format!("2027-01-11T{hour:02}:00"),
                false,
                Some((&format!("2027-01-12T{hour:02}:00"), 90)),
                None,
            )
            .await?;
    }
    app.reset_calendar_token(&viewer).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppConfig;
    use copse_store::CommunityFilter;
    use copse_testkit::TestDb;
    use std::collections::BTreeSet;

    fn quiet(_: &str, _: u64, _: u64) {}

    async fn app(db: &TestDb) -> App {
        App::new(db.store.clone(), AppConfig::default()).await.expect("app")
    }

    #[test]
    fn demo_people_are_deterministic_valid_and_unique() {
        let first = plan_demo_people(&mut StdRng::seed_from_u64(DEMO_SEED)).unwrap();
        let again = plan_demo_people(&mut StdRng::seed_from_u64(DEMO_SEED)).unwrap();
        assert!(first.len() >= 300);
        let handles: Vec<&str> = first.iter().map(|p| p.new.handle.as_str()).collect();
        let handles_again: Vec<&str> = again.iter().map(|p| p.new.handle.as_str()).collect();
        assert_eq!(handles, handles_again);
        assert_eq!(handles.iter().collect::<BTreeSet<_>>().len(), handles.len(), "handles are unique");
        let fixed: Vec<&str> = DEMO_ACCOUNTS.iter().map(|(h, _)| *h).collect();
        assert_eq!(&handles[..4], &fixed[..]);
        let places: BTreeSet<&str> = first.iter().map(|p| p.new.profile.location.as_str()).collect();
        assert!(places.len() >= 4);
        for person in &first {
            assert!((1..=5).contains(&person.new.profile.skills.len()) || person.fixed);
            assert!(!person.new.profile.interests.is_empty());
        }
    }

    #[test]
    fn contributions_keep_their_offsets_whatever_the_clock_says() {
        let plan = CommunityPlan {
            id: copse_domain::CommunityId(1),
            members: [(Tier::Core, 400), (Tier::Active, 120), (Tier::Peripheral, 30), (Tier::Quiet, 200)]
                .iter()
                .enumerate()
                .map(|(person, &(tier, days))| PlannedMember { person, tier, joined: DEMO_NOW - days * DAY })
                .collect(),
        };
        let ids: Vec<PersonId> = (1..=4).map(PersonId).collect();
        let plan_at = |now: i64| {
            plan_demo_contributions(&mut StdRng::seed_from_u64(7), std::slice::from_ref(&plan), &ids, now)
                .into_iter()
                .map(|c| (c.person, c.kind, now - c.at.millis(), c.reply_to, c.source_ref))
                .collect::<Vec<_>>()
        };
        let early = plan_at(DEMO_NOW + DAY);
        assert_eq!(early, plan_at(DEMO_NOW + 400 * DAY));
        assert!(early.iter().all(|(_, _, offset, _, _)| (0..=180 * DAY).contains(offset)));
        // The member who joined 30 days before the demo's now has nothing older.
        assert!(early.iter().filter(|c| c.0 == ids[2]).all(|c| c.2 <= 30 * DAY));
        let core_recent = early.iter().filter(|c| c.0 == ids[0] && c.2 <= 90 * DAY).count();
        assert!(core_recent >= 12);
    }

    #[test]
    fn community_specs_name_real_teams_and_valid_charters() {
        for spec in COMMUNITIES {
            for team in spec.teams {
                assert!(team_index(team).is_some(), "{}: unknown team {team}", spec.slug);
            }
            assert!(Slug::parse(spec.slug).is_ok(), "{}", spec.slug);
            assert!((1..=3).contains(&spec.goals.len()) && (1..=3).contains(&spec.channels.len()), "{}", spec.slug);
        }
        let rust = COMMUNITIES.iter().find(|s| s.slug == "rust-guild").unwrap();
        assert_eq!(rust.lead, Some("ada"));
        let sam_in: Vec<&str> = COMMUNITIES
            .iter()
            .filter(|s| s.members.contains(&"sam") || s.lead == Some("sam"))
            .map(|s| s.slug)
            .collect();
        assert!((2..=3).contains(&sam_in.len()));
        assert!(!sam_in.contains(&"rust-guild"));
    }

    #[tokio::test]
    async fn the_demo_covers_every_type_stage_and_visibility() {
        let db = TestDb::new().await;
        let app = app(&db).await;
        assert!(!is_loaded(&app).await.unwrap());
        let summary = load_demo(&app, &quiet).await.unwrap();
        assert!(is_loaded(&app).await.unwrap());
        assert!(summary.people >= 300 && summary.communities >= 12, "{summary:?}");
        assert!(summary.contributions > 1000, "{summary:?}");

        let store = app.store();
        assert!(store.count_people().await.unwrap() >= 300);
        let ada = store.find_person_by_handle("ada").await.unwrap().expect("ada");
        assert_eq!(ada.org_role, "admin");
        let sam = store.find_person_by_handle("sam").await.unwrap().expect("sam");
        assert_eq!(sam.org_role, "member");
        assert_eq!(store.find_person_by_handle("guest").await.unwrap().expect("guest").org_role, "guest");

        let all = store.list_communities(&CommunityFilter::default(), PersonId(ada.id), true, 1000, 0).await.unwrap();
        assert!(all.len() >= 12);
        let kinds: BTreeSet<&str> = all.iter().map(|c| c.community.kind.as_str()).collect();
        let stages: BTreeSet<&str> = all.iter().map(|c| c.community.stage.as_str()).collect();
        let visibilities: BTreeSet<&str> = all.iter().map(|c| c.community.visibility.as_str()).collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        assert_eq!(stages.len(), 5, "{stages:?}");
        assert_eq!(visibilities.len(), 3, "{visibilities:?}");
        for row in &all {
            let id = copse_domain::CommunityId(row.community.id);
            let facilitators = store.list_facilitators(id).await.unwrap();
            assert!(!facilitators.is_empty(), "{} has no facilitator", row.community.slug);
            let history = store.list_stage_changes(id).await.unwrap();
            assert_eq!(history.len(), usize::from(Stage::parse(&row.community.stage).unwrap().number()));
        }

        let rust = store.find_community_for_viewer("rust-guild", Some(PersonId(sam.id))).await.unwrap().unwrap();
        assert!(rust.viewer_status.is_none(), "sam must not be in the Rust Guild");
        let rust_id = copse_domain::CommunityId(rust.community.id);
        let rust_facilitators = store.list_facilitators(rust_id).await.unwrap();
        assert!(rust_facilitators.iter().any(|f| f.handle == "ada"));
        let sams = store.list_communities_of_person(PersonId(sam.id)).await.unwrap();
        assert!((2..=3).contains(&sams.len()), "{}", sams.len());
        assert!(
            all.iter()
                .any(|c| c.community.visibility == "private" && !sams.iter().any(|s| s.community.id == c.community.id))
        );

        // The participation spread: some core members, many on the periphery.
        let counts = store.count_contributions_by_person(rust_id, Timestamp::now().minus_days(90)).await.unwrap();
        assert!(counts.iter().any(|c| c.count >= 12), "a core group exists");
        assert!(counts.iter().any(|c| c.count <= 2), "a periphery exists");
    }

    #[tokio::test]
    async fn a_loaded_database_is_not_loaded_again() {
        let db = TestDb::new().await;
        let app = app(&db).await;
        load_demo(&app, &quiet).await.unwrap();
        assert!(is_loaded(&app).await.unwrap());
        let people = app.store().count_people().await.unwrap();
        assert!(matches!(load_demo(&app, &quiet).await, Err(AppError::Conflict { .. })));
        assert!(matches!(generate_scale(&app, 50, &quiet).await, Err(AppError::Conflict { .. })));
        assert_eq!(app.store().count_people().await.unwrap(), people);
    }

    #[tokio::test]
    async fn the_scale_generator_makes_the_people_and_communities_asked_for() {
        let db = TestDb::new().await;
        let app = app(&db).await;
        let summary = generate_scale(&app, 2000, &quiet).await.unwrap();
        assert_eq!(summary.people, 2004);
        assert_eq!(app.store().count_people().await.unwrap(), 2004);
        assert!(app.store().count_communities().await.unwrap() >= 40);
        assert!(summary.contributions >= 3000, "{summary:?}");
        assert!(app.store().find_person_by_handle("priya").await.unwrap().is_some());
    }
}
