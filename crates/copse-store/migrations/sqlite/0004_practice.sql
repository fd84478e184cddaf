-- The practice repository: artifacts (guides, standards, checklists, ADRs,
-- runbooks, templates, lessons learned, recordings, tutorials). Every save
-- is a new row in artifact_versions; artifacts.current_version names the
-- latest and doubles as the optimistic-concurrency check for edits.

CREATE TABLE artifacts (
    id              INTEGER PRIMARY KEY,
    community_id    BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- guide | standard | checklist | adr | runbook | template |
    -- lessons-learned | recording | tutorial
    kind            TEXT NOT NULL,
    -- title and body of the current version, copied here for fast reads
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- draft | in-review | published | deprecated | superseded
    status          TEXT NOT NULL DEFAULT 'draft',
    superseded_by   BIGINT REFERENCES artifacts (id) ON DELETE SET NULL,
    -- review-by date (UTC millis); past it the artifact is stale
    review_by       BIGINT,
    -- when owners were last told it is stale, so they are told once
    stale_notified_at BIGINT,
    current_version BIGINT NOT NULL DEFAULT 1,
    created_by      BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- counters kept on write
    view_count      BIGINT NOT NULL DEFAULT 0,
    reuse_count     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX artifacts_community ON artifacts (community_id, updated_at);
CREATE INDEX artifacts_review ON artifacts (review_by);

CREATE TABLE artifact_versions (
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   BIGINT REFERENCES people (id) ON DELETE SET NULL,
    message     TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (artifact_id, version)
);

CREATE TABLE artifact_owners (
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (artifact_id, person_id)
);
CREATE INDEX artifact_owners_person ON artifact_owners (person_id);

CREATE TABLE artifact_tags (
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (artifact_id, tag)
);
CREATE INDEX artifact_tags_tag ON artifact_tags (tag, artifact_id);

-- Reuse signals: "I used this" (kind 'used', with an optional note of where)
-- and completed checklist runs (kind 'checklist-run').
CREATE TABLE artifact_reuses (
    id          INTEGER PRIMARY KEY,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX artifact_reuses_artifact ON artifact_reuses (artifact_id, at);
CREATE INDEX artifact_reuses_person ON artifact_reuses (person_id, at);

-- A member ticking through a copy of a checklist version. ticked holds the
-- indexes of ticked items, comma-separated ("0,2,5").
CREATE TABLE checklist_runs (
    id           INTEGER PRIMARY KEY,
    artifact_id  BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    version      BIGINT NOT NULL,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    ticked       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    started_at   BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX checklist_runs_person ON checklist_runs (person_id, started_at);
CREATE INDEX checklist_runs_artifact ON checklist_runs (artifact_id, started_at);

-- Links to an artifact from a post or another artifact, found in their
-- Markdown when saved; shown as backlinks on the artifact.
CREATE TABLE artifact_links (
    -- 'post' | 'artifact'
    source_kind TEXT NOT NULL,
    source_id   BIGINT NOT NULL,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    PRIMARY KEY (source_kind, source_id, artifact_id)
);
CREATE INDEX artifact_links_target ON artifact_links (artifact_id);
