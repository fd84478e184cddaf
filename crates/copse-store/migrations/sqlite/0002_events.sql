-- Events: a series is stored once (local start in the organizer's zone, a
-- duration, an optional RRULE) and expanded on demand. An occurrence is named
-- by its original local start ('YYYY-MM-DDTHH:MM'), like iCalendar's
-- RECURRENCE-ID. RSVPs, attendance and feedback are per occurrence.

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    community_id     BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    format           TEXT NOT NULL,
    location         TEXT NOT NULL DEFAULT '',
    link             TEXT NOT NULL DEFAULT '',
    start_local      TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    rrule            TEXT,
    -- UTC bounds of the whole series, for range queries; ends_at is NULL
    -- for a series without end.
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT,
    capacity         BIGINT,
    facilitator_id   BIGINT REFERENCES people (id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'scheduled',
    checkin_code     TEXT NOT NULL,
    created_by       BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX events_community ON events (community_id, starts_at);
CREATE INDEX events_ends ON events (ends_at);

-- One occurrence cancelled or moved (the rule stays untouched).
CREATE TABLE event_exceptions (
    event_id            BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start_local TEXT NOT NULL,
    cancelled           BIGINT NOT NULL DEFAULT 0,
    start_local         TEXT,
    duration_minutes    BIGINT,
    PRIMARY KEY (event_id, original_start_local)
);

-- What happened at one occurrence: who facilitated, notes, the recording.
CREATE TABLE occurrence_details (
    event_id             BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start_local TEXT NOT NULL,
    facilitator_id       BIGINT REFERENCES people (id) ON DELETE SET NULL,
    notes                TEXT NOT NULL DEFAULT '',
    recording_url        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, original_start_local)
);

-- answer: going, maybe, not-going; waitlisted marks a "going" beyond capacity,
-- queued in order of queued_at.
CREATE TABLE rsvps (
    event_id             BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start_local TEXT NOT NULL,
    person_id            BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    answer               TEXT NOT NULL,
    waitlisted           BIGINT NOT NULL DEFAULT 0,
    queued_at            BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    PRIMARY KEY (event_id, original_start_local, person_id)
);
CREATE INDEX rsvps_person ON rsvps (person_id, event_id);
CREATE INDEX rsvps_queue ON rsvps (event_id, original_start_local, waitlisted, queued_at);

CREATE TABLE attendance (
    event_id             BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start_local TEXT NOT NULL,
    person_id            BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    method               TEXT NOT NULL,
    checked_in_at        BIGINT NOT NULL,
    PRIMARY KEY (event_id, original_start_local, person_id)
);

CREATE TABLE event_feedback (
    event_id             BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start_local TEXT NOT NULL,
    person_id            BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    rating               BIGINT NOT NULL,
    comment              TEXT NOT NULL DEFAULT '',
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (event_id, original_start_local, person_id)
);

CREATE TABLE facilitation_volunteers (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, person_id)
);

-- The secret in a person's calendar feed URL, stored as a hash.
CREATE TABLE calendar_tokens (
    person_id  BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- In-app notifications (a freed seat, a mention, ...).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_person ON notifications (person_id, read_at, created_at);
