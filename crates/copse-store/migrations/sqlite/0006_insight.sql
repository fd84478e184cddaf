-- Measuring and diagnosing communities: rollups of the activity record kept
-- by triggers, the insight state per community (what the worker last
-- checked and the portfolio's summary), alerts with their lifecycle, and
-- value stories linked to their evidence.

-- The rollups the health pages read, kept exact by triggers on contributions
-- in the transaction that writes them; `copse insight recompute` rebuilds
-- them from scratch. A day is the UTC day number (at / 86400000, floored).
-- No foreign keys: a person or community deleted cascades its contributions,
-- whose delete triggers take the rows down to zero and remove them.
CREATE TABLE activity_daily (
    community_id BIGINT NOT NULL,
    day          BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (community_id, day, person_id, kind)
);

-- Who responded to whom (contributions with reply_to_person), per day.
CREATE TABLE activity_pairs (
    community_id BIGINT NOT NULL,
    day          BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    other_id     BIGINT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (community_id, day, person_id, other_id)
);

-- Per community: a version bumped by every contribution change (the worker
-- re-checks when it or communities.version moved), and the summary the
-- portfolio shows.
CREATE TABLE insight_state (
    community_id              BIGINT PRIMARY KEY,
    version                   BIGINT NOT NULL DEFAULT 1,
    checked_version           BIGINT NOT NULL DEFAULT 0,
    checked_community_version BIGINT NOT NULL DEFAULT 0,
    checked_at                BIGINT,
    -- healthy | watch | at risk
    health                    TEXT,
    open_alerts               BIGINT NOT NULL DEFAULT 0,
    active_90d                BIGINT NOT NULL DEFAULT 0,
    members                   BIGINT NOT NULL DEFAULT 0,
    problems_solved_90d       BIGINT NOT NULL DEFAULT 0,
    artifacts_90d             BIGINT NOT NULL DEFAULT 0,
    reuse_90d                 BIGINT NOT NULL DEFAULT 0,
    stories_90d               BIGINT NOT NULL DEFAULT 0,
    suggested_stage           TEXT,
    stage_summary             TEXT NOT NULL DEFAULT ''
);

-- An alert raised by a detector: open, acknowledged (with a note), resolved
-- when the metric recovers. At most one non-resolved alert per community
-- and challenge, so two workers never open the same alert twice.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    community_id    BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    challenge       TEXT NOT NULL,
    -- open | acknowledged | resolved
    status          TEXT NOT NULL DEFAULT 'open',
    symptom         TEXT NOT NULL,
    opened_at       BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by BIGINT REFERENCES people (id) ON DELETE SET NULL,
    note            TEXT NOT NULL DEFAULT '',
    resolved_at     BIGINT,
    last_checked_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX alerts_current ON alerts (community_id, challenge) WHERE status <> 'resolved';
CREATE INDEX alerts_community ON alerts (community_id, opened_at);

-- Value stories, tagged by Wenger-Trayner cycle (immediate | potential |
-- applied | realized | reframing), linked to the evidence they came from.
CREATE TABLE value_stories (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    author_id    BIGINT REFERENCES people (id) ON DELETE SET NULL,
    cycle        TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX value_stories_community ON value_stories (community_id, created_at);

CREATE TABLE value_story_links (
    story_id  BIGINT NOT NULL REFERENCES value_stories (id) ON DELETE CASCADE,
    -- thread | event | artifact
    target    TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (story_id, target, target_id)
);

-- The triggers. An update moves the row out of its old cell and into the
-- new one (a thread moved to another community moves its records).
CREATE TRIGGER contributions_rollup_insert AFTER INSERT ON contributions
BEGIN
    INSERT INTO activity_daily (community_id, day, person_id, kind, n)
    VALUES (NEW.community_id, CASE WHEN NEW.at >= 0 THEN NEW.at / 86400000 ELSE (NEW.at - 86399999) / 86400000 END, NEW.person_id, NEW.kind, 1)
    ON CONFLICT (community_id, day, person_id, kind) DO UPDATE SET n = n + 1;
    INSERT INTO activity_pairs (community_id, day, person_id, other_id, n)
    SELECT NEW.community_id, CASE WHEN NEW.at >= 0 THEN NEW.at / 86400000 ELSE (NEW.at - 86399999) / 86400000 END, NEW.person_id, NEW.reply_to_person, 1
    WHERE NEW.reply_to_person IS NOT NULL
    ON CONFLICT (community_id, day, person_id, other_id) DO UPDATE SET n = n + 1;
    INSERT INTO insight_state (community_id, version) VALUES (NEW.community_id, 2)
    ON CONFLICT (community_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER contributions_rollup_delete AFTER DELETE ON contributions
BEGIN
    UPDATE activity_daily SET n = n - 1
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND kind = OLD.kind;
    DELETE FROM activity_daily
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND kind = OLD.kind AND n <= 0;
    UPDATE activity_pairs SET n = n - 1
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND other_id = OLD.reply_to_person;
    DELETE FROM activity_pairs
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND other_id = OLD.reply_to_person AND n <= 0;
    INSERT INTO insight_state (community_id, version) VALUES (OLD.community_id, 2)
    ON CONFLICT (community_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER contributions_rollup_update AFTER UPDATE OF community_id, person_id, kind, at, reply_to_person ON contributions
WHEN OLD.community_id IS NOT NEW.community_id OR OLD.person_id IS NOT NEW.person_id OR OLD.kind IS NOT NEW.kind
  OR OLD.at IS NOT NEW.at OR OLD.reply_to_person IS NOT NEW.reply_to_person
BEGIN
    UPDATE activity_daily SET n = n - 1
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND kind = OLD.kind;
    DELETE FROM activity_daily
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND kind = OLD.kind AND n <= 0;
    UPDATE activity_pairs SET n = n - 1
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND other_id = OLD.reply_to_person;
    DELETE FROM activity_pairs
    WHERE community_id = OLD.community_id AND day = CASE WHEN OLD.at >= 0 THEN OLD.at / 86400000 ELSE (OLD.at - 86399999) / 86400000 END AND person_id = OLD.person_id AND other_id = OLD.reply_to_person AND n <= 0;
    INSERT INTO activity_daily (community_id, day, person_id, kind, n)
    VALUES (NEW.community_id, CASE WHEN NEW.at >= 0 THEN NEW.at / 86400000 ELSE (NEW.at - 86399999) / 86400000 END, NEW.person_id, NEW.kind, 1)
    ON CONFLICT (community_id, day, person_id, kind) DO UPDATE SET n = n + 1;
    INSERT INTO activity_pairs (community_id, day, person_id, other_id, n)
    SELECT NEW.community_id, CASE WHEN NEW.at >= 0 THEN NEW.at / 86400000 ELSE (NEW.at - 86399999) / 86400000 END, NEW.person_id, NEW.reply_to_person, 1
    WHERE NEW.reply_to_person IS NOT NULL
    ON CONFLICT (community_id, day, person_id, other_id) DO UPDATE SET n = n + 1;
    INSERT INTO insight_state (community_id, version) VALUES (OLD.community_id, 2)
    ON CONFLICT (community_id) DO UPDATE SET version = version + 1;
    INSERT INTO insight_state (community_id, version) VALUES (NEW.community_id, 2)
    ON CONFLICT (community_id) DO UPDATE SET version = version + 1;
END;

-- Backfill from the activity already recorded.
INSERT INTO activity_daily (community_id, day, person_id, kind, n)
SELECT community_id, CASE WHEN at >= 0 THEN at / 86400000 ELSE (at - 86399999) / 86400000 END, person_id, kind, COUNT(*) FROM contributions
GROUP BY community_id, CASE WHEN at >= 0 THEN at / 86400000 ELSE (at - 86399999) / 86400000 END, person_id, kind;
INSERT INTO activity_pairs (community_id, day, person_id, other_id, n)
SELECT community_id, CASE WHEN at >= 0 THEN at / 86400000 ELSE (at - 86399999) / 86400000 END, person_id, reply_to_person, COUNT(*) FROM contributions
WHERE reply_to_person IS NOT NULL
GROUP BY community_id, CASE WHEN at >= 0 THEN at / 86400000 ELSE (at - 86399999) / 86400000 END, person_id, reply_to_person;
INSERT INTO insight_state (community_id) SELECT id FROM communities;
