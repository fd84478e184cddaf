-- copse foundation: organization, people, accounts, communities, memberships,
-- stages, the activity record, the change feed and the audit log.
-- Times are UTC milliseconds since the Unix epoch (BIGINT) in both dialects.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE people (
    id                 INTEGER PRIMARY KEY,
    handle             TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    email              TEXT UNIQUE,
    org_role           TEXT NOT NULL DEFAULT 'member',
    team               TEXT NOT NULL DEFAULT '',
    location           TEXT NOT NULL DEFAULT '',
    time_zone          TEXT NOT NULL DEFAULT 'UTC',
    work_start_minute  BIGINT NOT NULL DEFAULT 540,
    work_end_minute    BIGINT NOT NULL DEFAULT 1020,
    experience         TEXT NOT NULL DEFAULT 'mid',
    bio                TEXT NOT NULL DEFAULT '',
    search_text        TEXT NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX people_name ON people (name, id);
CREATE INDEX people_team ON people (team, name);

CREATE TABLE person_skills (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill     TEXT NOT NULL,
    level     TEXT NOT NULL,
    PRIMARY KEY (person_id, skill)
);
CREATE INDEX person_skills_skill ON person_skills (skill);

CREATE TABLE person_interests (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    interest  TEXT NOT NULL,
    PRIMARY KEY (person_id, interest)
);

CREATE TABLE accounts (
    person_id     BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY,
    account_key TEXT NOT NULL,
    ip          TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account_key, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE org_goals (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE communities (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    domain       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    stage        TEXT NOT NULL DEFAULT 'potential',
    purpose      TEXT NOT NULL DEFAULT '',
    in_scope     TEXT NOT NULL DEFAULT '',
    out_of_scope TEXT NOT NULL DEFAULT '',
    sponsor_id   BIGINT REFERENCES people (id) ON DELETE SET NULL,
    member_count BIGINT NOT NULL DEFAULT 0,
    version      BIGINT NOT NULL DEFAULT 1,
    created_by   BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX communities_name ON communities (name);
-- Discovery lists the most-joined communities first.
CREATE INDEX communities_popular ON communities (member_count DESC, name);

CREATE TABLE community_goals (
    id           INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    text         TEXT NOT NULL,
    org_goal_id  BIGINT REFERENCES org_goals (id) ON DELETE SET NULL
);
CREATE INDEX community_goals_community ON community_goals (community_id, position);

CREATE TABLE community_channels (
    id           INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    name         TEXT NOT NULL,
    url          TEXT NOT NULL
);
CREATE INDEX community_channels_community ON community_channels (community_id, position);

CREATE TABLE memberships (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT 'member',
    status       TEXT NOT NULL DEFAULT 'active',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, person_id)
);
CREATE INDEX memberships_person ON memberships (person_id, status);
CREATE INDEX memberships_status ON memberships (community_id, status, role);

CREATE TABLE facilitator_terms (
    id           INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT
);
CREATE INDEX facilitator_terms_community ON facilitator_terms (community_id, starts_at);

CREATE TABLE stage_changes (
    id             INTEGER PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL,
    previous_stage TEXT,
    changed_by     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    note           TEXT NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX stage_changes_community ON stage_changes (community_id, at);

-- The activity record: one row for anything a person does in a community.
CREATE TABLE contributions (
    id              INTEGER PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    community_id    BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    at              BIGINT NOT NULL,
    reply_to_person BIGINT REFERENCES people (id) ON DELETE SET NULL,
    source          TEXT NOT NULL,
    source_ref      TEXT
);
CREATE INDEX contributions_community ON contributions (community_id, at);
CREATE INDEX contributions_person ON contributions (community_id, person_id, at);
CREATE UNIQUE INDEX contributions_source ON contributions (source, source_ref);

-- The change feed that derived data (search, rollups, notifications) follows.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    at        BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    actor_id  BIGINT REFERENCES people (id) ON DELETE SET NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    at        BIGINT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
