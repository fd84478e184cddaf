//! The demo organization's practice repository: artifacts with versions,
//! owners, stale review dates and reuse.
//!
//! About fifty artifacts across the communities: standards, checklists,
//! decision records, runbooks, templates, lessons learned from incidents,
//! tutorials and recordings. Several have two to five versions with notes;
//! some are past their review-by date (their owners are told, as the
//! periodic task would); one decision record is superseded by a newer one
//! and one guide is deprecated. Members say "I used this" and complete
//! checklist runs. The Rust Guild has a published "Release checklist" (the
//! browser journey runs it) and a code review standard with four versions.
//!
//! A body may link an earlier artifact as `[[Its title]]`, which becomes a
//! Markdown link to it, so backlinks show up too. Dates are relative to now;
//! choices come from the demo's seeded generator.

use std::collections::HashMap;

use copse_domain::links::artifact_ids_in;
use copse_domain::{CommunityId, MembershipStatus, PersonId, Timestamp, checklist_items};
use copse_store::{ArtifactCuration, NewArtifact, NewReuse, NewVersion, Store};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::{App, AppError};

/// One artifact: its versions (body and note, oldest first) and metadata.
struct Spec {
    slug: &'static str,
    kind: &'static str,
    title: &'static str,
    status: &'static str,
    tags: &'static [&'static str],
    /// A fixed demo person who owns it, if a member of the community.
    owner: Option<&'static str>,
    versions: &'static [(&'static str, &'static str)],
    /// Review-by date relative to today; negative means overdue.
    review_in_days: Option<i64>,
    /// When version 1 was written.
    age_days: i64,
}

const CODE_REVIEW_V1: &str = "# Code review standard\n\n\
Every change to a Rust service is reviewed by one other engineer before it merges.\n\n\
## What reviewers check\n\n\
- The change does what its description says.\n\
- Tests cover the new behaviour.\n\
- Errors are handled, not unwrapped.\n";

const CODE_REVIEW_V2: &str = "# Code review standard\n\n\
Every change to a Rust service is reviewed by one other engineer before it merges.\n\n\
## What reviewers check\n\n\
- The change does what its description says.\n\
- Tests cover the new behaviour.\n\
- Errors are handled, not unwrapped: `unwrap()` only in tests and with a comment proving it cannot fail.\n\
- Public APIs have doc comments.\n\n\
## Turnaround\n\n\
Reviewers answer within one working day. If you cannot, say so and hand it on.\n";

const CODE_REVIEW_V3: &str = "# Code review standard\n\n\
Every change to a Rust service is reviewed by one other engineer before it merges. \
Changes that touch `unsafe`, authentication or money need two reviewers, one of them from the Guild's reviewer list.\n\n\
## What reviewers check\n\n\
- The change does what its description says.\n\
- Tests cover the new behaviour.\n\
- Errors are handled, not unwrapped: `unwrap()` only in tests and with a comment proving it cannot fail.\n\
- Public APIs have doc comments.\n\
- Every `unsafe` block has a `// SAFETY:` comment.\n\n\
## Turnaround\n\n\
Reviewers answer within one working day. If you cannot, say so and hand it on.\n";

const CODE_REVIEW_V4: &str = "# Code review standard\n\n\
Every change to a Rust service is reviewed by one other engineer before it merges. \
Changes that touch `unsafe`, authentication or money need two reviewers, one of them from the Guild's reviewer list.\n\n\
## Before you ask for a review\n\n\
- `cargo fmt`, `cargo clippy -- -D warnings` and the tests pass locally.\n\
- The description says why, not only what.\n\
- Keep it under 400 changed lines; split bigger changes.\n\n\
## What reviewers check\n\n\
- The change does what its description says.\n\
- Tests cover the new behaviour.\n\
- Errors are handled, not unwrapped: `unwrap()` only in tests and with a comment proving it cannot fail.\n\
- Public APIs have doc comments.\n\
- Every `unsafe` block has a `// SAFETY:` comment.\n\n\
## Turnaround\n\n\
Reviewers answer within one working day. If you cannot, say so and hand it on.\n\n\
## Tone\n\n\
Ask questions rather than give orders. Mark optional suggestions with *nit:*.\n";

const RELEASE_V1: &str = "Run this for every release of a Rust service or crate.\n\n\
- [ ] All CI checks are green on the release commit\n\
- [ ] `cargo audit` reports no known vulnerabilities\n\
- [ ] Version bumped in `Cargo.toml`\n\
- [ ] Tag pushed (`vX.Y.Z`)\n\
- [ ] Release notes published\n";

const RELEASE_V2: &str = "Run this for every release of a Rust service or crate.\n\n\
## Before\n\n\
- [ ] All CI checks are green on the release commit\n\
- [ ] `cargo audit` and `cargo deny check` report nothing new\n\
- [ ] Version bumped in `Cargo.toml` and `CHANGELOG.md` updated\n\
- [ ] Database migrations reviewed for backwards compatibility\n\n\
## Release\n\n\
- [ ] Tag pushed (`vX.Y.Z`); the pipeline builds and signs the artifacts\n\
- [ ] Canary deployed to one region and watched for 30 minutes\n\n\
## After\n\n\
- [ ] Dashboards show normal error rates and latency\n\
- [ ] Release notes published in #releases\n";

const RELEASE_V3: &str = "Run this for every release of a Rust service or crate. \
If a step fails, stop and follow [[Runbook: rolling back a bad deploy]].\n\n\
## Before\n\n\
- [ ] All CI checks are green on the release commit\n\
- [ ] `cargo audit` and `cargo deny check` report nothing new\n\
- [ ] Version bumped in `Cargo.toml` and `CHANGELOG.md` updated\n\
- [ ] Database migrations reviewed for backwards compatibility\n\
- [ ] Feature flags for unfinished work are off by default\n\n\
## Release\n\n\
- [ ] Tag pushed (`vX.Y.Z`); the pipeline builds and signs the artifacts\n\
- [ ] Canary deployed to one region and watched for 30 minutes\n\
- [ ] Rolled out to the remaining regions\n\n\
## After\n\n\
- [ ] Dashboards show normal error rates and latency\n\
- [ ] Release notes published in #releases\n";

const ROLLBACK_V1: &str = "# Rolling back a bad deploy\n\n\
Use when a release raises error rates or latency and a fix is not minutes away.\n\n\
1. Announce in #incidents: what, where, who is on it.\n\
2. `deployctl rollback <service> --to previous` in each affected region.\n\
3. Confirm the previous version is serving (`/healthz` shows its commit).\n\
4. Watch the dashboards for 15 minutes.\n\
5. Open an issue for the fix and link the incident.\n";

const ROLLBACK_V2: &str = "# Rolling back a bad deploy\n\n\
Use when a release raises error rates or latency and a fix is not minutes away. \
Rolling back is always allowed; you do not need to ask.\n\n\
1. Announce in #incidents: what, where, who is on it.\n\
2. Pause the rollout: `deployctl pause <service>`.\n\
3. `deployctl rollback <service> --to previous` in each affected region.\n\
4. Confirm the previous version is serving (`/healthz` shows its commit).\n\
5. If the release ran a migration, check the migration notes before rolling back: most are expand-only and safe.\n\
6. Watch the dashboards for 15 minutes.\n\
7. Open an issue for the fix and link the incident.\n";

const ADR_3: &str = "# ADR-003: Use async-std for async runtime\n\n\
**Status:** superseded by ADR-007\n\n\
## Context\n\nOur first async services needed a runtime. async-std mirrors the standard library's API.\n\n\
## Decision\n\nNew services use async-std.\n\n\
## Consequences\n\nSmall ecosystem of compatible crates; several libraries we need assume tokio.\n";

const ADR_7_V1: &str = "# ADR-007: Use tokio for async runtime\n\n\
## Context\n\n\
Most of the crates we depend on (hyper, tonic, sqlx, the AWS SDK) run on tokio. \
Running two runtimes in one process caused subtle bugs in the search service (see [[ADR-003: Use async-std for async runtime]]).\n\n\
## Decision\n\n\
All services use tokio with the multi-threaded scheduler. Blocking work goes to `spawn_blocking`.\n\n\
## Consequences\n\n\
- One runtime to learn, profile and tune.\n\
- async-std services migrate when they are next changed substantially.\n";

const ADR_7_V2: &str = "# ADR-007: Use tokio for async runtime\n\n\
## Context\n\n\
Most of the crates we depend on (hyper, tonic, sqlx, the AWS SDK) run on tokio. \
Running two runtimes in one process caused subtle bugs in the search service (see [[ADR-003: Use async-std for async runtime]]).\n\n\
## Decision\n\n\
All services use tokio with the multi-threaded scheduler. Blocking work goes to `spawn_blocking`. \
Command-line tools may use the current-thread scheduler.\n\n\
## Consequences\n\n\
- One runtime to learn, profile and tune; `tokio-console` is enabled in staging.\n\
- async-std services migrate when they are next changed substantially; the last one moved in Q3.\n";

const INCIDENT: &str = "# Lessons learned: checkout outage of 14 March\n\n\
**Impact:** 47 minutes of failed payments for 18% of customers in the EU region.\n\n\
## What happened\n\n\
A connection-pool limit was lowered in a config change that looked cosmetic. Under the lunchtime peak, \
requests queued for a connection until they timed out.\n\n\
## What went well\n\n\
- The on-call engineer was paged within two minutes.\n\
- Rolling back was quick once the change was found.\n\n\
## What we change\n\n\
- Config changes go through the same review as code ([[Code review standard]]).\n\
- Pool saturation has an alert at 80%.\n\
- Dashboards show the config version next to the deploy version.\n";

const SERVICE_TEMPLATE: &str = "# Rust service template\n\n\
Start every new service from `guilds/rust-service-template`:\n\n\
```\ncargo generate --git https://git.northwind.example/guilds/rust-service-template\n```\n\n\
It gives you: tokio and axum, structured logging, `/healthz` and `/metrics`, graceful shutdown, \
a CI pipeline with clippy and `cargo deny`, and a Dockerfile that builds a small image.\n\n\
Follow [[Code review standard]] for changes to the template itself.\n";

const SPECS: &[Spec] = &[
    // Rust Guild
    Spec {
        slug: "rust-guild",
        kind: "adr",
        title: "ADR-003: Use async-std for async runtime",
        status: "superseded",
        tags: &["adr", "async"],
        owner: Some("ada"),
        versions: &[(ADR_3, "Record the runtime decision")],
        review_in_days: None,
        age_days: 600,
    },
    Spec {
        slug: "rust-guild",
        kind: "standard",
        title: "Code review standard",
        status: "published",
        tags: &["review", "quality"],
        owner: Some("ada"),
        versions: &[
            (CODE_REVIEW_V1, "First version, agreed at the March guild meeting"),
            (CODE_REVIEW_V2, "Stricter on unwrap(); add doc comments and a turnaround time"),
            (CODE_REVIEW_V3, "Two reviewers for unsafe, auth and money; SAFETY comments"),
            (CODE_REVIEW_V4, "Add preparation steps and a note on tone, from the retro"),
        ],
        review_in_days: Some(120),
        age_days: 420,
    },
    Spec {
        slug: "rust-guild",
        kind: "runbook",
        title: "Runbook: rolling back a bad deploy",
        status: "published",
        tags: &["deploy", "incident"],
        owner: None,
        versions: &[
            (ROLLBACK_V1, "First version"),
            (ROLLBACK_V2, "Pause the rollout first; say what to do about migrations"),
        ],
        review_in_days: Some(-20),
        age_days: 300,
    },
    Spec {
        slug: "rust-guild",
        kind: "checklist",
        title: "Release checklist",
        status: "published",
        tags: &["release", "ci"],
        owner: Some("ada"),
        versions: &[
            (RELEASE_V1, "Checklist from the release guild session"),
            (RELEASE_V2, "Split into before/release/after; add canary and migrations"),
            (RELEASE_V3, "Feature flags, full rollout step, link to the rollback runbook"),
        ],
        review_in_days: Some(90),
        age_days: 360,
    },
    Spec {
        slug: "rust-guild",
        kind: "adr",
        title: "ADR-007: Use tokio for async runtime",
        status: "published",
        tags: &["adr", "async", "tokio"],
        owner: Some("ada"),
        versions: &[(ADR_7_V1, "Proposed"), (ADR_7_V2, "Accepted; CLI tools may use the current-thread scheduler")],
        review_in_days: Some(200),
        age_days: 400,
    },
    Spec {
        slug: "rust-guild",
        kind: "template",
        title: "Rust service template",
        status: "published",
        tags: &["template", "onboarding"],
        owner: None,
        versions: &[(SERVICE_TEMPLATE, "Describe the template")],
        review_in_days: Some(45),
        age_days: 250,
    },
    Spec {
        slug: "rust-guild",
        kind: "guide",
        title: "Error handling in Rust services",
        status: "published",
        tags: &["errors", "api-design"],
        owner: None,
        versions: &[
            ("# Error handling\n\nLibraries return `thiserror` enums; binaries use `anyhow` at the top.\n", "Start"),
            (
                "# Error handling\n\nLibraries return `thiserror` enums that name what the caller can act on; \
                 binaries use `anyhow` at the top and add context with `.context(\"while ...\")`.\n\n\
                 Never log and return the same error: do one or the other.\n",
                "Say what an error type is for; log or return, not both",
            ),
        ],
        review_in_days: Some(-45),
        age_days: 500,
    },
    Spec {
        slug: "rust-guild",
        kind: "tutorial",
        title: "Your first week with Rust at Northwind",
        status: "in-review",
        tags: &["onboarding"],
        owner: None,
        versions: &[(
            "# Your first week\n\n1. Install rustup and the toolchain pinned in `rust-toolchain.toml`.\n\
             2. Clone the [[Rust service template]] and run it.\n3. Pick a `good-first-issue` from your team's board.\n\
             4. Ask for a review following the [[Code review standard]].\n5. Come to the Rust clinic on Thursday.\n",
            "Draft for review by the guild",
        )],
        review_in_days: None,
        age_days: 20,
    },
    Spec {
        slug: "rust-guild",
        kind: "lessons-learned",
        title: "Lessons learned: the 9-minute CI build",
        status: "published",
        tags: &["ci", "build-times"],
        owner: None,
        versions: &[(
            "# Lessons learned: the 9-minute CI build\n\nOur main workspace took 9 minutes in CI. We cut it to 3:\n\n\
             - Cache `target/` keyed by the lockfile (sccache for cross-job reuse).\n\
             - Turn off default features of heavy dependencies.\n\
             - `debug = \"line-tables-only\"` in the dev profile.\n\
             - Split integration tests into one binary.\n",
            "Write up the build-time work",
        )],
        review_in_days: Some(30),
        age_days: 150,
    },
    Spec {
        slug: "rust-guild",
        kind: "recording",
        title: "Recording: async cancellation deep dive",
        status: "published",
        tags: &["async", "talk"],
        owner: None,
        versions: &[(
            "Recording of the March clinic: what happens to a future when it is dropped, `select!` pitfalls, \
             and cancellation-safe APIs.\n\nhttps://video.northwind.example/rust/async-cancellation\n",
            "Add the recording",
        )],
        review_in_days: None,
        age_days: 90,
    },
    // Kubernetes & Platform
    Spec {
        slug: "kubernetes-platform",
        kind: "checklist",
        title: "Deployment checklist for the golden path",
        status: "published",
        tags: &["deploy", "golden-path"],
        owner: Some("ada"),
        versions: &[
            (
                "- [ ] Service has a Helm chart from the platform library\n- [ ] Resource requests and limits set\n\
                 - [ ] Liveness and readiness probes configured\n- [ ] Dashboards linked in the service catalog\n",
                "First version",
            ),
            (
                "- [ ] Service has a Helm chart from the platform library\n- [ ] Resource requests and limits set\n\
                 - [ ] Liveness and readiness probes configured\n- [ ] PodDisruptionBudget allows one pod down\n\
                 - [ ] Dashboards and alerts linked in the service catalog\n- [ ] Cost-center label present\n",
                "PDBs and cost labels are required now",
            ),
        ],
        review_in_days: Some(60),
        age_days: 330,
    },
    Spec {
        slug: "kubernetes-platform",
        kind: "runbook",
        title: "Runbook: node pool upgrade",
        status: "published",
        tags: &["cluster-upgrades"],
        owner: None,
        versions: &[(
            "1. Announce the window in #k8s-platform.\n2. Cordon the old pool: `kubectl cordon -l pool=old`.\n\
             3. Drain one node at a time with `--ignore-daemonsets --delete-emptydir-data`.\n\
             4. Watch PodDisruptionBudgets; stop if one blocks for more than 10 minutes.\n5. Delete the old pool.\n",
            "Written after the 1.29 upgrade",
        )],
        review_in_days: Some(-60),
        age_days: 400,
    },
    Spec {
        slug: "kubernetes-platform",
        kind: "guide",
        title: "Jenkins pipelines for Kubernetes deploys",
        status: "deprecated",
        tags: &["ci", "deploy"],
        owner: None,
        versions: &[(
            "How to deploy from Jenkins with `kubectl apply`. Replaced by the golden path pipeline.\n",
            "Old guide",
        )],
        review_in_days: None,
        age_days: 900,
    },
    Spec {
        slug: "kubernetes-platform",
        kind: "guide",
        title: "Autoscaling with HPA and KEDA",
        status: "published",
        tags: &["autoscaling"],
        owner: None,
        versions: &[(
            "Use HPA on CPU for stateless web services; KEDA on queue length for workers. \
             Set `minReplicas` to survive a zone outage.\n",
            "First version",
        )],
        review_in_days: Some(100),
        age_days: 200,
    },
    Spec {
        slug: "kubernetes-platform",
        kind: "lessons-learned",
        title: "Lessons learned: the ingress certificate expiry",
        status: "published",
        tags: &["incident", "ingress"],
        owner: None,
        versions: &[(
            "A wildcard certificate expired because renewal mail went to a former employee. \
             Now cert-manager renews every certificate and an alert fires 21 days before expiry.\n",
            "Post-incident write-up",
        )],
        review_in_days: None,
        age_days: 240,
    },
    // Frontend Craft
    Spec {
        slug: "frontend-craft",
        kind: "standard",
        title: "Frontend code review standard",
        status: "published",
        tags: &["review"],
        owner: Some("sam"),
        versions: &[
            ("Reviews check behaviour, tests, and bundle size.\n", "First version"),
            (
                "Reviews check behaviour, tests, bundle size and accessibility (keyboard and screen reader).\n",
                "Accessibility is part of every review",
            ),
        ],
        review_in_days: Some(-10),
        age_days: 380,
    },
    Spec {
        slug: "frontend-craft",
        kind: "guide",
        title: "State management: when to reach for a store",
        status: "published",
        tags: &["react", "state"],
        owner: None,
        versions: &[(
            "Keep state local until two distant components need it; then lift it, then consider a store.\n",
            "First version",
        )],
        review_in_days: Some(150),
        age_days: 160,
    },
    Spec {
        slug: "frontend-craft",
        kind: "template",
        title: "Component README template",
        status: "published",
        tags: &["template", "design-system"],
        owner: None,
        versions: &[("## Purpose\n\n## Props\n\n## Accessibility\n\n## Examples\n", "Template")],
        review_in_days: None,
        age_days: 210,
    },
    // Architects' Forum
    Spec {
        slug: "architects-forum",
        kind: "template",
        title: "Architecture decision record template",
        status: "published",
        tags: &["adr", "template"],
        owner: Some("ada"),
        versions: &[
            ("# ADR-NNN: Title\n\n## Context\n\n## Decision\n\n## Consequences\n", "Template"),
            (
                "# ADR-NNN: Title\n\n**Status:** proposed | accepted | superseded by ADR-MMM\n\n## Context\n\n## Options considered\n\n## Decision\n\n## Consequences\n",
                "Add status and options considered",
            ),
        ],
        review_in_days: Some(300),
        age_days: 500,
    },
    Spec {
        slug: "architects-forum",
        kind: "adr",
        title: "ADR-012: Events over shared databases between domains",
        status: "published",
        tags: &["adr", "integration"],
        owner: None,
        versions: &[(
            "## Decision\n\nDomains share data through published events, never by reading another domain's tables.\n\n\
             ## Consequences\n\nEventual consistency between domains; each event schema is versioned.\n",
            "Accepted at the forum",
        )],
        review_in_days: Some(-90),
        age_days: 450,
    },
    Spec {
        slug: "architects-forum",
        kind: "guide",
        title: "Writing a good design document",
        status: "in-review",
        tags: &["design-docs"],
        owner: None,
        versions: &[("Say the problem before the solution; list options you rejected and why.\n", "Draft")],
        review_in_days: None,
        age_days: 15,
    },
    // QA & Test Engineering
    Spec {
        slug: "qa-test-engineering",
        kind: "guide",
        title: "Test pyramid at Northwind",
        status: "published",
        tags: &["testing"],
        owner: None,
        versions: &[(
            "Many unit tests, fewer integration tests against real databases, a handful of browser journeys.\n",
            "First version",
        )],
        review_in_days: Some(80),
        age_days: 260,
    },
    Spec {
        slug: "qa-test-engineering",
        kind: "checklist",
        title: "Exploratory testing session checklist",
        status: "published",
        tags: &["exploratory"],
        owner: None,
        versions: &[(
            "- [ ] Charter written: what to explore and why\n- [ ] Time box set (60–90 minutes)\n\
             - [ ] Notes taken as you go\n- [ ] Bugs filed with steps to reproduce\n- [ ] Debrief with the team\n",
            "First version",
        )],
        review_in_days: Some(120),
        age_days: 180,
    },
    Spec {
        slug: "qa-test-engineering",
        kind: "lessons-learned",
        title: "Lessons learned: flaky tests in the payments suite",
        status: "published",
        tags: &["flaky-tests"],
        owner: None,
        versions: &[(
            "Most flakes came from shared fixtures and wall-clock sleeps. Fixtures per test and explicit waits fixed 90%.\n",
            "Write-up",
        )],
        review_in_days: None,
        age_days: 140,
    },
    // Data Science Circle
    Spec {
        slug: "data-science-circle",
        kind: "standard",
        title: "Model card standard",
        status: "published",
        tags: &["ml", "documentation"],
        owner: Some("priya"),
        versions: &[
            ("Every model in production has a model card: purpose, data, metrics.\n", "First version"),
            (
                "Every model in production has a model card: purpose, training data and its date, metrics per segment, known limits.\n",
                "Per-segment metrics and known limits",
            ),
            (
                "Every model in production has a model card: purpose, training data and its date, metrics per segment, known limits, and who to ask.\n",
                "Add an owner contact",
            ),
        ],
        review_in_days: Some(60),
        age_days: 300,
    },
    Spec {
        slug: "data-science-circle",
        kind: "checklist",
        title: "Experiment launch checklist",
        status: "published",
        tags: &["experiments"],
        owner: Some("priya"),
        versions: &[(
            "- [ ] Hypothesis and primary metric written down\n- [ ] Sample size computed\n\
             - [ ] Guardrail metrics chosen\n- [ ] Assignment checked for imbalance after one day\n",
            "First version",
        )],
        review_in_days: Some(-5),
        age_days: 200,
    },
    Spec {
        slug: "data-science-circle",
        kind: "tutorial",
        title: "Feature store in 30 minutes",
        status: "published",
        tags: &["feature-store", "onboarding"],
        owner: None,
        versions: &[("Define a feature view, materialize it, read it online and offline.\n", "First version")],
        review_in_days: Some(40),
        age_days: 100,
    },
    // SRE Practice
    Spec {
        slug: "sre-practice",
        kind: "template",
        title: "Postmortem template",
        status: "published",
        tags: &["incident", "template"],
        owner: Some("ada"),
        versions: &[
            ("## Summary\n\n## Impact\n\n## Timeline\n\n## Root causes\n\n## Action items\n", "Template"),
            (
                "## Summary\n\n## Impact\n\n## Timeline\n\n## Contributing factors\n\n## What went well\n\n## Action items (owner, due date)\n",
                "Blameless wording; owners and dates for actions",
            ),
        ],
        review_in_days: Some(180),
        age_days: 420,
    },
    Spec {
        slug: "sre-practice",
        kind: "lessons-learned",
        title: "Lessons learned: checkout outage of 14 March",
        status: "published",
        tags: &["incident", "payments"],
        owner: None,
        versions: &[(INCIDENT, "Postmortem published")],
        review_in_days: None,
        age_days: 120,
    },
    Spec {
        slug: "sre-practice",
        kind: "runbook",
        title: "Runbook: database failover",
        status: "published",
        tags: &["database", "incident"],
        owner: None,
        versions: &[
            (
                "1. Confirm the primary is down.\n2. Promote the replica.\n3. Point the service at the new primary.\n",
                "First version",
            ),
            (
                "1. Confirm the primary is down from two vantage points.\n2. Promote the replica with `pgctl promote`.\n3. Update the DNS record; services reconnect within 30 s.\n4. Rebuild a new replica.\n",
                "Precise commands; DNS instead of config changes",
            ),
        ],
        review_in_days: Some(-30),
        age_days: 380,
    },
    Spec {
        slug: "sre-practice",
        kind: "guide",
        title: "Writing SLOs that matter",
        status: "published",
        tags: &["slo"],
        owner: None,
        versions: &[(
            "Measure what users feel (latency, errors) at the edge; set targets from history, not hope.\n",
            "First version",
        )],
        review_in_days: Some(200),
        age_days: 220,
    },
    Spec {
        slug: "sre-practice",
        kind: "checklist",
        title: "On-call handover checklist",
        status: "published",
        tags: &["on-call"],
        owner: None,
        versions: &[(
            "- [ ] Open incidents and their state\n- [ ] Alerts that fired and were silenced\n\
             - [ ] Risky changes planned this week\n- [ ] Pager tested on the new phone\n",
            "First version",
        )],
        review_in_days: Some(70),
        age_days: 160,
    },
    // Agile Coaching Network
    Spec {
        slug: "agile-coaching-network",
        kind: "guide",
        title: "Running a retrospective that changes something",
        status: "published",
        tags: &["retrospectives"],
        owner: None,
        versions: &[(
            "End with at most two actions, each with an owner; start the next retro by checking them.\n",
            "First version",
        )],
        review_in_days: Some(90),
        age_days: 190,
    },
    Spec {
        slug: "agile-coaching-network",
        kind: "template",
        title: "Team working agreement template",
        status: "published",
        tags: &["teams", "template"],
        owner: None,
        versions: &[(
            "## How we communicate\n\n## Meetings we keep\n\n## How we decide\n\n## How we review work\n",
            "Template",
        )],
        review_in_days: None,
        age_days: 240,
    },
    // Payments Domain
    Spec {
        slug: "payments-domain",
        kind: "standard",
        title: "Idempotency keys for payment APIs",
        status: "published",
        tags: &["api-design", "payments"],
        owner: Some("sam"),
        versions: &[
            ("Every POST that moves money takes an `Idempotency-Key` header.\n", "First version"),
            (
                "Every POST that moves money takes an `Idempotency-Key` header; keys are kept 24 hours and a reused key with a different body is a 409.\n",
                "Retention and conflicting reuse",
            ),
        ],
        review_in_days: Some(100),
        age_days: 330,
    },
    Spec {
        slug: "payments-domain",
        kind: "runbook",
        title: "Runbook: stuck settlement batch",
        status: "published",
        tags: &["settlement"],
        owner: None,
        versions: &[(
            "1. Check the batch state in the admin console.\n2. If it is `locked` for more than 30 minutes, release the lock.\n3. Re-run the batch; it is idempotent.\n",
            "First version",
        )],
        review_in_days: Some(-15),
        age_days: 260,
    },
    // Security Champions
    Spec {
        slug: "security-champions",
        kind: "checklist",
        title: "Threat modelling checklist",
        status: "published",
        tags: &["threat-modelling"],
        owner: None,
        versions: &[(
            "- [ ] Data flow diagram drawn\n- [ ] Trust boundaries marked\n- [ ] STRIDE applied per element\n\
             - [ ] Mitigations ticketed\n",
            "First version",
        )],
        review_in_days: Some(120),
        age_days: 230,
    },
    Spec {
        slug: "security-champions",
        kind: "guide",
        title: "Handling secrets in services",
        status: "published",
        tags: &["secrets"],
        owner: None,
        versions: &[(
            "Secrets come from the vault at start-up; never from the repository or the image.\n",
            "First version",
        )],
        review_in_days: Some(150),
        age_days: 210,
    },
    // Accessibility Guild
    Spec {
        slug: "accessibility-guild",
        kind: "checklist",
        title: "Accessibility checklist for new pages",
        status: "published",
        tags: &["wcag"],
        owner: None,
        versions: &[(
            "- [ ] Everything works with the keyboard alone\n- [ ] Focus is always visible\n\
             - [ ] Colour contrast meets WCAG AA\n- [ ] Images have text alternatives\n\
             - [ ] Forms name their fields and errors\n- [ ] axe-core reports no violations\n",
            "First version",
        )],
        review_in_days: Some(200),
        age_days: 170,
    },
    Spec {
        slug: "accessibility-guild",
        kind: "recording",
        title: "Recording: screen reader basics for developers",
        status: "published",
        tags: &["screen-readers", "talk"],
        owner: None,
        versions: &[(
            "Forty minutes with NVDA and VoiceOver: landmarks, headings, forms.\n\nhttps://video.northwind.example/a11y/screen-readers\n",
            "Add the recording",
        )],
        review_in_days: None,
        age_days: 80,
    },
    // Performance Guild
    Spec {
        slug: "performance-guild",
        kind: "guide",
        title: "Profiling a slow endpoint",
        status: "published",
        tags: &["profiling"],
        owner: None,
        versions: &[(
            "Reproduce with a load test, take a flame graph, fix the widest frame, measure again.\n",
            "First version",
        )],
        review_in_days: Some(110),
        age_days: 150,
    },
    // Green Software
    Spec {
        slug: "green-software",
        kind: "guide",
        title: "Carbon-aware batch scheduling",
        status: "draft",
        tags: &["carbon"],
        owner: Some("priya"),
        versions: &[(
            "Run flexible batch jobs when the grid is cleanest; the scheduler reads the carbon-intensity API.\n",
            "Draft",
        )],
        review_in_days: None,
        age_days: 25,
    },
    // Staff Engineers
    Spec {
        slug: "staff-engineers",
        kind: "guide",
        title: "Writing an engineering strategy",
        status: "published",
        tags: &["strategy"],
        owner: Some("ada"),
        versions: &[(
            "Diagnose, then set guiding policies, then name coherent actions. Keep it to two pages.\n",
            "First version",
        )],
        review_in_days: Some(-120),
        age_days: 480,
    },
    // Mobile Guild
    Spec {
        slug: "mobile-guild",
        kind: "checklist",
        title: "App store release checklist",
        status: "published",
        tags: &["release", "mobile"],
        owner: None,
        versions: &[(
            "- [ ] Version and build number bumped\n- [ ] Release notes in every store language\n\
             - [ ] Staged rollout set to 10%\n- [ ] Crash-free rate watched for 24 hours\n",
            "First version",
        )],
        review_in_days: Some(90),
        age_days: 200,
    },
    // Privacy & Compliance
    Spec {
        slug: "privacy-compliance",
        kind: "checklist",
        title: "Data protection impact assessment checklist",
        status: "published",
        tags: &["gdpr", "dpia"],
        owner: Some("priya"),
        versions: &[(
            "- [ ] Purpose and lawful basis stated\n- [ ] Data minimised\n- [ ] Retention period set\n\
             - [ ] Risks to people assessed\n- [ ] DPO consulted\n",
            "First version",
        )],
        review_in_days: Some(-40),
        age_days: 350,
    },
];

const REUSE_NOTES: &[&str] = &[
    "",
    "",
    "payments-api release 4.2",
    "onboarding a new team member",
    "search indexer migration",
    "our team's quarterly planning",
    "incident on the checkout service",
    "used it as the template for our own",
    "mobile backend refactor",
    "identity service launch",
];

async fn active_members(store: &Store, community: CommunityId) -> Result<Vec<PersonId>, AppError> {
    Ok(store
        .list_members(community, MembershipStatus::Active, Timestamp(0), 300)
        .await?
        .into_iter()
        .map(|m| PersonId(m.person_id))
        .collect())
}

/// Replaces `[[Title]]` with a Markdown link to the artifact of that title.
fn resolve_links(body: &str, ids: &HashMap<&'static str, i64>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("[[") {
        let Some(end) = rest[start..].find("]]") else { break };
        let title = &rest[start + 2..start + end];
        out.push_str(&rest[..start]);
        match ids.get(title) {
            Some(id) => out.push_str(&format!("[{title}](/artifacts/{id})")),
            None => out.push_str(title),
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// Loads the demo practice repository; returns the number of artifacts.
pub(crate) async fn load(app: &App, rng: &mut StdRng) -> Result<u64, AppError> {
    let store = app.store();
    let now = Timestamp::now();
    let today = now.to_utc().date_naive();
    let mut ids: HashMap<&'static str, i64> = HashMap::new();
    let mut handles: HashMap<&'static str, Option<PersonId>> = HashMap::new();
    for handle in ["ada", "sam", "priya"] {
        handles.insert(handle, store.find_person_by_handle(handle).await?.map(|p| PersonId(p.id)));
    }
    let mut members_of: HashMap<&'static str, (CommunityId, Vec<PersonId>)> = HashMap::new();
    let mut created = 0;
    for spec in SPECS {
        if !members_of.contains_key(spec.slug) {
            let Some(row) = store.find_community_for_viewer(spec.slug, None).await? else {
                continue;
            };
            let id = CommunityId(row.community.id);
            members_of.insert(spec.slug, (id, active_members(store, id).await?));
        }
        let Some((community, members)) = members_of.get(spec.slug).cloned() else { continue };
        if members.is_empty() {
            continue;
        }
        let owner = spec
            .owner
            .and_then(|h| handles.get(h).copied().flatten())
            .filter(|p| members.contains(p))
            .unwrap_or_else(|| *members.choose(rng).unwrap_or(&members[0]));
        let created_at = now.minus_days(spec.age_days);
        let review_by = spec.review_in_days.map(|days| {
            let date = today + chrono::Duration::days(days);
            Timestamp(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis())
        });
        let tags: Vec<String> = spec.tags.iter().map(|t| t.to_string()).collect();
        let (first_body, first_message) = spec.versions[0];
        let body = resolve_links(first_body, &ids);
        let links = artifact_ids_in(&body);
        // Statuses that need a replacement are set after creation.
        let initial_status =
            if spec.status == "superseded" || spec.status == "deprecated" { "published" } else { spec.status };
        let id = store
            .insert_artifact(&NewArtifact {
                community,
                kind: spec.kind,
                title: spec.title,
                body: &body,
                message: first_message,
                status: initial_status,
                tags: &tags,
                review_by,
                author: owner,
                links: &links,
                at: created_at,
            })
            .await?;
        ids.insert(spec.title, id);
        created += 1;
        // Later versions, spread over the artifact's life, by the owner or
        // another member.
        let later = spec.versions.len() as i64 - 1;
        for (n, (text, message)) in spec.versions.iter().enumerate().skip(1) {
            let author = if rng.gen_bool(0.6) { owner } else { *members.choose(rng).unwrap_or(&owner) };
            let body = resolve_links(text, &ids);
            let links = artifact_ids_in(&body);
            let at = created_at.plus_days(spec.age_days * n as i64 / (later + 1)).plus_days(rng.gen_range(0..3));
            store
                .insert_artifact_version(&NewVersion {
                    artifact: id,
                    community,
                    base_version: n as i64,
                    kind: spec.kind,
                    title: spec.title,
                    body: &body,
                    message,
                    tags: &tags,
                    author,
                    links: &links,
                    at: Timestamp(at.0.min(now.0)),
                })
                .await?;
        }
        // Reuse for what is in use: views, "I used this", completed runs.
        if matches!(spec.status, "published" | "in-review") {
            store.add_artifact_views(id, rng.gen_range(8..160)).await?;
            let uses = rng.gen_range(0..=6);
            for _ in 0..uses {
                let person = *members.choose(rng).unwrap_or(&owner);
                let note = REUSE_NOTES.choose(rng).copied().unwrap_or("");
                store
                    .insert_artifact_reuse(&NewReuse {
                        artifact: id,
                        community,
                        person,
                        kind: "used",
                        note,
                        credit_to: Some(owner),
                        run: None,
                        at: now.minus_days(rng.gen_range(1..spec.age_days.max(2))),
                    })
                    .await?;
            }
            if spec.kind == "checklist" && spec.status == "published" {
                let version = spec.versions.len() as i64;
                let items = checklist_items(&resolve_links(spec.versions[spec.versions.len() - 1].0, &ids)).len();
                let runs = rng.gen_range(1..=5);
                for _ in 0..runs {
                    let person = *members.choose(rng).unwrap_or(&owner);
                    let started = now.minus_days(rng.gen_range(1..30));
                    let run = store.insert_checklist_run(id, version, person, started).await?;
                    let ticks: Vec<String> = (0..items).map(|i| i.to_string()).collect();
                    let note = ["", "", "release 2.3", "hotfix after the incident"][rng.gen_range(0..4)];
                    store
                        .complete_checklist_run(
                            run,
                            &ticks.join(","),
                            &NewReuse {
                                artifact: id,
                                community,
                                person,
                                kind: "checklist-run",
                                note,
                                credit_to: Some(owner),
                                run: Some(run),
                                at: Timestamp(started.0 + 3_600_000),
                            },
                        )
                        .await?;
                }
            }
        }
    }
    // The retired ones, now that their replacements exist.
    for spec in SPECS.iter().filter(|s| s.status == "superseded" || s.status == "deprecated") {
        let Some(&id) = ids.get(spec.title) else { continue };
        let replacement = match spec.title {
            "ADR-003: Use async-std for async runtime" => ids.get("ADR-007: Use tokio for async runtime").copied(),
            "Jenkins pipelines for Kubernetes deploys" => ids.get("Deployment checklist for the golden path").copied(),
            _ => None,
        };
        let status = if spec.status == "superseded" && replacement.is_none() { "deprecated" } else { spec.status };
        let owners: Vec<PersonId> =
            store.list_artifact_owners(id).await?.iter().map(|o| PersonId(o.person_id)).collect();
        store
            .update_artifact_curation(&ArtifactCuration {
                artifact: id,
                status,
                superseded_by: if status == "superseded" { replacement } else { None },
                owners: &owners,
                review_by: None,
                actor: owners.first().copied(),
                at: now.minus_days(60),
            })
            .await?;
    }
    // Owners of overdue artifacts hear about them, as from the periodic task.
    app.flag_stale_artifacts(now).await?;
    Ok(created)
}
