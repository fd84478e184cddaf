-- Discussions and Q&A. A thread belongs to one community (moving it changes
-- community_id); its first post is the opening post, the rest are replies.
-- Bodies are Markdown stored exactly as written and rendered on every view.
-- Booleans are BIGINT 0/1, times UTC milliseconds, like the rest of the schema.

CREATE TABLE threads (
    id               INTEGER PRIMARY KEY,
    community_id     BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- discussion | question | announcement | proposal
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    author_id        BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at       BIGINT NOT NULL,
    -- last visible post (or creation), for ordering lists
    last_activity_at BIGINT NOT NULL,
    -- visible replies (posts after the opening one), kept on write
    reply_count      BIGINT NOT NULL DEFAULT 0,
    locked           BIGINT NOT NULL DEFAULT 0,
    pinned           BIGINT NOT NULL DEFAULT 0,
    -- moderation: a hidden thread is shown only to moderators, with the reason
    hidden_reason    TEXT,
    hidden_by        BIGINT REFERENCES people (id) ON DELETE SET NULL,
    -- a question's accepted answer
    accepted_post_id BIGINT,
    accepted_at      BIGINT,
    -- proposals: open | accepted | declined
    proposal_status  TEXT,
    -- the tags, space-separated, for showing in lists without a join
    -- (thread_tags holds them one per row for filtering)
    tags             TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX threads_community ON threads (community_id, pinned, last_activity_at);
CREATE INDEX threads_unanswered ON threads (community_id, kind, reply_count, created_at);
CREATE INDEX threads_author ON threads (author_id, created_at);

CREATE TABLE thread_tags (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (thread_id, tag)
);
CREATE INDEX thread_tags_tag ON thread_tags (tag, thread_id);

CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    thread_id     BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    edited_at     BIGINT,
    -- who saved the current text, when it is not the author (a facilitator)
    edited_by     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    -- optimistic concurrency: an edit names the version it started from
    version       BIGINT NOT NULL DEFAULT 1,
    hidden_reason TEXT,
    hidden_by     BIGINT REFERENCES people (id) ON DELETE SET NULL
);
CREATE INDEX posts_thread ON posts (thread_id, id);
-- No index on author_id: a person's posts are found through the activity
-- record (contributions, source_ref 'post:ID'), and an index here would make
-- every insert a random B-tree write (bulk loads of millions of posts ran 2.3
-- times slower with it).

-- Every earlier text of a post: a row is written when an edit replaces it.
CREATE TABLE post_revisions (
    post_id   BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    version   BIGINT NOT NULL,
    body      TEXT NOT NULL,
    author_id BIGINT REFERENCES people (id) ON DELETE SET NULL,
    saved_at  BIGINT NOT NULL,
    PRIMARY KEY (post_id, version)
);

CREATE TABLE reactions (
    post_id   BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- one of a small fixed set (thanks, agree, insightful, ...)
    reaction  TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (post_id, person_id, reaction)
);

-- "This answer saved me N minutes": by the asker or anyone who reused it.
CREATE TABLE time_saved (
    id        INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    post_id   BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    minutes   BIGINT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX time_saved_once ON time_saved (post_id, person_id);
CREATE INDEX time_saved_thread ON time_saved (thread_id);
