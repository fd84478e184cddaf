-- Importers: a community's history brought in from git, mailing lists,
-- Slack, Stack Exchange and CSV directories.
--
-- An identity is someone as one source knows them (an e-mail in git or a
-- mailing list, a Slack or Stack Exchange user id). Every identity points at
-- the person it is: the same e-mail in any source is the same person, and an
-- administrator can merge people that look alike and unmerge an identity
-- again. Identities known by e-mail have scope 0 (an address is global);
-- those known by a source's user id are scoped to the community they were
-- imported into (user 42 of one Stack Exchange site is not user 42 of
-- another).
CREATE TABLE identities (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    scope      BIGINT NOT NULL DEFAULT 0,
    key        TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    -- set when an administrator confirmed a merge that moved this identity
    merged_by  BIGINT REFERENCES people (id) ON DELETE SET NULL,
    merged_at  BIGINT
);
CREATE UNIQUE INDEX identities_key ON identities (source, scope, key);
CREATE INDEX identities_person ON identities (person_id);
CREATE INDEX identities_email ON identities (email);

-- Which row an imported item became, so that importing the same export
-- again changes nothing and a newer export adds only what is new. Scoped by
-- community and source; `entity` is thread, post or mentorship (an mbox
-- message is both a thread and its opening post). `identity_id` is who the
-- item is by as the source knows them, which is what an unmerge follows.
CREATE TABLE import_items (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    entity_id    BIGINT NOT NULL,
    identity_id  BIGINT REFERENCES identities (id) ON DELETE SET NULL,
    PRIMARY KEY (community_id, source, entity, external_id)
);
CREATE INDEX import_items_identity ON import_items (identity_id) WHERE identity_id IS NOT NULL;

-- The activity record remembers the identities of imported rows, whose and
-- to whom, for unmerges (only imported rows carry them, hence the partial
-- indexes).
ALTER TABLE contributions ADD COLUMN identity_id BIGINT REFERENCES identities (id) ON DELETE SET NULL;
ALTER TABLE contributions ADD COLUMN reply_identity_id BIGINT REFERENCES identities (id) ON DELETE SET NULL;
CREATE INDEX contributions_identity ON contributions (identity_id) WHERE identity_id IS NOT NULL;
CREATE INDEX contributions_reply_identity ON contributions (reply_identity_id) WHERE reply_identity_id IS NOT NULL;

-- One row per import, from the CLI or the admin UI's background job:
-- status queued -> checking -> loading -> done | failed. A row left in
-- checking or loading whose heartbeat is old was interrupted (the process
-- died); running the same import again resumes it, since every item already
-- written is skipped.
CREATE TABLE import_runs (
    id            INTEGER PRIMARY KEY,
    community_id  BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    -- what was read: a server path, or the uploaded file's name
    input         TEXT NOT NULL,
    -- where the uploaded file waits on the server (removed when done)
    upload_path   TEXT,
    status        TEXT NOT NULL,
    requested_by  BIGINT REFERENCES people (id) ON DELETE SET NULL,
    done_units    BIGINT NOT NULL DEFAULT 0,
    total_units   BIGINT,
    records       BIGINT NOT NULL DEFAULT 0,
    added         BIGINT NOT NULL DEFAULT 0,
    warnings      TEXT NOT NULL DEFAULT '',
    error         TEXT,
    created_at    BIGINT NOT NULL,
    heartbeat_at  BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX import_runs_recent ON import_runs (created_at);
CREATE INDEX import_runs_status ON import_runs (status, created_at);

-- Pairs of people an administrator has said are different people, so the
-- look-alike review does not offer them again (lower id first).
CREATE TABLE identity_distinct (
    person_a   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_b   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    decided_by BIGINT REFERENCES people (id) ON DELETE SET NULL,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (person_a, person_b)
);
