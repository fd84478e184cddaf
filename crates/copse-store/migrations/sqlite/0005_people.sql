-- Connecting people and the organization: the skills vocabulary and the
-- expertise it ranks, question routing, mentorship, kudos, pulse surveys and
-- self-assessments, sponsors' involvement, time allocation and budgets.

-- A managed vocabulary. `key` is the canonical form (lower case, spaces as
-- '-', e.g. 'machine-learning'), the same shape as thread and artifact tags,
-- so evidence on tagged threads and artifacts maps onto skills.
CREATE TABLE skills (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by  BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL
);

-- Other keys that mean the same skill ('k8s' for 'kubernetes').
CREATE TABLE skill_synonyms (
    synonym    TEXT PRIMARY KEY,
    skill_id   BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX skill_synonyms_skill ON skill_synonyms (skill_id);

-- Declared skills keep the text their holder typed (or an import brought);
-- skill_key is its canonical form. A key found neither in skills nor in
-- skill_synonyms is "unmapped" and listed for curation, never dropped.
ALTER TABLE person_skills ADD COLUMN skill_key TEXT NOT NULL DEFAULT '';
UPDATE person_skills SET skill_key = lower(replace(trim(skill), ' ', '-'));
CREATE INDEX person_skills_key ON person_skills (skill_key, person_id);

-- Until when a person is away (routing and matching skip them).
ALTER TABLE people ADD COLUMN away_until BIGINT;

-- Evidence per person and skill, kept current from the change feed so that
-- "who knows X" reads one index range. Counts come from non-private
-- communities only, so the directory never reveals private work. score is
-- in hundredths of a point.
CREATE TABLE expertise (
    person_id        BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id         BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    declared_level   TEXT,
    accepted_answers BIGINT NOT NULL DEFAULT 0,
    answers          BIGINT NOT NULL DEFAULT 0,
    artifacts        BIGINT NOT NULL DEFAULT 0,
    sessions         BIGINT NOT NULL DEFAULT 0,
    kudos            BIGINT NOT NULL DEFAULT 0,
    score            BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX expertise_rank ON expertise (skill_id, score DESC, person_id);
-- The items behind each expertise row (a post, an artifact, an event, a
-- kudos), so a change to one item finds everyone it counted for (an owner
-- removed, a facilitator replaced) and pages can link the evidence.
-- kind: answer | accepted-answer | artifact | session | kudos.
CREATE TABLE expertise_evidence (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id  BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    ref_id    BIGINT NOT NULL,
    -- sessions: the occurrences led in that series; 1 otherwise
    items     BIGINT NOT NULL DEFAULT 1,
    at        BIGINT NOT NULL,
    PRIMARY KEY (person_id, skill_id, kind, ref_id)
);
CREATE INDEX expertise_evidence_ref ON expertise_evidence (kind, ref_id);

-- A person's activity by kind (answers, accepted answers, facilitation),
-- which expertise and profiles count. (posts has no author index on purpose;
-- see 0003.)
CREATE INDEX contributions_person_kind ON contributions (person_id, kind, community_id);

-- Question routing: an unanswered question offered to a few people whose
-- expertise matches. routed_at on the thread claims it (one router wins).
ALTER TABLE threads ADD COLUMN routed_at BIGINT;
CREATE TABLE question_routes (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id  BIGINT REFERENCES skills (id) ON DELETE SET NULL,
    routed_at BIGINT NOT NULL,
    -- offered | answered | declined
    outcome   TEXT NOT NULL DEFAULT 'offered',
    PRIMARY KEY (thread_id, person_id)
);
CREATE INDEX question_routes_person ON question_routes (person_id, routed_at);

-- Mentorship: offers, requests, pairings and their check-ins.
CREATE TABLE mentor_offers (
    person_id  BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    capacity   BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    active     BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE mentor_offer_skills (
    person_id BIGINT NOT NULL REFERENCES mentor_offers (person_id) ON DELETE CASCADE,
    skill_key TEXT NOT NULL,
    -- the skill as the mentor typed it
    name      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, skill_key)
);
CREATE TABLE mentee_requests (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    goals      TEXT NOT NULL,
    -- the asker's community the pairing will belong to, if any
    community_id BIGINT REFERENCES communities (id) ON DELETE SET NULL,
    -- open | matched | withdrawn
    status     TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mentee_requests_person ON mentee_requests (person_id, status);
CREATE INDEX mentee_requests_status ON mentee_requests (status, created_at);
-- one open request per person
CREATE UNIQUE INDEX mentee_requests_one_open ON mentee_requests (person_id) WHERE status = 'open';
CREATE TABLE mentee_request_skills (
    request_id BIGINT NOT NULL REFERENCES mentee_requests (id) ON DELETE CASCADE,
    skill_key  TEXT NOT NULL,
    -- the skill as the asker typed it
    name       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (request_id, skill_key)
);
CREATE TABLE mentorships (
    id                 INTEGER PRIMARY KEY,
    mentor_id          BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    mentee_id          BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    request_id         BIGINT REFERENCES mentee_requests (id) ON DELETE SET NULL,
    -- the community the pairing belongs to, if any (who else may see it)
    community_id       BIGINT REFERENCES communities (id) ON DELETE SET NULL,
    -- proposed | active | completed | ended | declined
    status             TEXT NOT NULL,
    -- the matcher's score (hundredths) and its reasons, one per line
    score              BIGINT NOT NULL DEFAULT 0,
    reasons            TEXT NOT NULL DEFAULT '',
    mentor_accepted_at BIGINT,
    mentee_accepted_at BIGINT,
    proposed_at        BIGINT NOT NULL,
    started_at         BIGINT,
    ended_at           BIGINT,
    outcome            TEXT NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX mentorships_mentor ON mentorships (mentor_id, status);
CREATE INDEX mentorships_mentee ON mentorships (mentee_id, status);
-- at most one live (proposed or active) pairing per request
CREATE UNIQUE INDEX mentorships_one_live ON mentorships (request_id) WHERE status IN ('proposed', 'active');
CREATE TABLE mentorship_checkins (
    id            INTEGER PRIMARY KEY,
    mentorship_id BIGINT NOT NULL REFERENCES mentorships (id) ON DELETE CASCADE,
    author_id     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    note          TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX mentorship_checkins_mentorship ON mentorship_checkins (mentorship_id, at);

-- Kudos: thanks from one person to another for one contribution.
CREATE TABLE kudos (
    id           INTEGER PRIMARY KEY,
    giver_id     BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    receiver_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- NULL for a mentorship outside any community
    community_id BIGINT REFERENCES communities (id) ON DELETE CASCADE,
    -- post | artifact | event | mentorship
    subject_kind TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    -- an event occurrence's key (its original local start); '' otherwise
    subject_key  TEXT NOT NULL DEFAULT '',
    -- answering | sharing | facilitating | curating | reviewing | mentoring | organizing
    contribution TEXT NOT NULL,
    skill_id     BIGINT REFERENCES skills (id) ON DELETE SET NULL,
    message      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (giver_id, subject_kind, subject_id, subject_key, receiver_id)
);
CREATE INDEX kudos_receiver ON kudos (receiver_id, created_at);
CREATE INDEX kudos_community ON kudos (community_id, created_at);

-- Pulse surveys. Who responded (survey_respondents) is stored apart from
-- what was answered (survey_answers, grouped by a random response token, no
-- time, no person), so answers cannot be read individually.
CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    -- open | closed
    status         TEXT NOT NULL DEFAULT 'open',
    -- active members when it opened: the response rate's denominator
    audience_count BIGINT NOT NULL,
    response_count BIGINT NOT NULL DEFAULT 0,
    created_by     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    opens_at       BIGINT NOT NULL,
    closes_at      BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX surveys_community ON surveys (community_id, opens_at);
-- at most one open survey per community
CREATE UNIQUE INDEX surveys_one_open ON surveys (community_id) WHERE status = 'open';
CREATE TABLE survey_questions (
    id        INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    -- scale (1-5) | text
    kind      TEXT NOT NULL,
    -- satisfaction | usefulness | comment for the built-in three, else NULL
    builtin   TEXT,
    prompt    TEXT NOT NULL
);
CREATE INDEX survey_questions_survey ON survey_questions (survey_id, position);
CREATE TABLE survey_respondents (
    survey_id    BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- the day only (UTC midnight), so the order of answers cannot be matched
    responded_on BIGINT NOT NULL,
    PRIMARY KEY (survey_id, person_id)
);
CREATE TABLE survey_answers (
    response_token TEXT NOT NULL,
    question_id    BIGINT NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    survey_id      BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    scale_value    BIGINT,
    text_value     TEXT,
    PRIMARY KEY (response_token, question_id)
) WITHOUT ROWID;
CREATE INDEX survey_answers_question ON survey_answers (question_id);

-- Skill self-assessments (1-5), before and after, for "skills developed".
CREATE TABLE skill_assessments (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_key    TEXT NOT NULL,
    community_id BIGINT REFERENCES communities (id) ON DELETE SET NULL,
    -- before | after
    phase        TEXT NOT NULL,
    level        BIGINT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX skill_assessments_person ON skill_assessments (person_id, skill_key, at);
CREATE INDEX skill_assessments_community ON skill_assessments (community_id, at);

-- The organization side: what sponsors read, time granted, budgets.
CREATE TABLE report_reads (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    report       TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX report_reads_community ON report_reads (community_id, person_id, at);
CREATE TABLE time_allocations (
    community_id    BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    hours_per_month BIGINT NOT NULL,
    -- who granted it, as the member wrote it (their manager's name)
    granted_by      TEXT NOT NULL DEFAULT '',
    recorded_by     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (community_id, person_id)
);
CREATE TABLE budget_lines (
    id              INTEGER PRIMARY KEY,
    community_id    BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    -- e.g. '2026' or '2026-Q4'
    period          TEXT NOT NULL,
    -- amounts in cents of the organization's currency
    requested_cents BIGINT NOT NULL,
    granted_cents   BIGINT,
    spent_cents     BIGINT NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    created_by      BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX budget_lines_community ON budget_lines (community_id, period);
