-- SkillsLedger schema, version 1. This folder is the single source of truth: the migrator applies these files in
-- order (embedded into the binary by Scripts/embed-schema.sh; a test checks that what is embedded equals them).

-- Settings of this ledger file, written once by `init`: the pseudonym key (a random secret), the format version.
CREATE TABLE ledger_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value ANY NOT NULL
) STRICT;

-- The chain. One row per event, in recording order. Nothing here is ever updated or deleted (see the triggers);
-- hash = SHA-256(prev_hash || canonical envelope of the row), the envelope being the row's columns as canonical JSON.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
    id          TEXT    NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 64),
    kind        TEXT    NOT NULL CHECK (kind GLOB '[a-z]*.[a-z]*'),
    occurred_on TEXT    NOT NULL CHECK (occurred_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    source      TEXT    NOT NULL,
    worker      TEXT    CHECK (worker IS NULL OR worker GLOB 'ps_*'),   -- a pseudonym, never a 公民身份号码
    employer    TEXT,
    data        TEXT    NOT NULL CHECK (json_valid(data)),
    recorded_at TEXT    NOT NULL,
    operator    TEXT    NOT NULL,
    prev_hash   BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE INDEX events_by_worker ON events (worker) WHERE worker IS NOT NULL;
-- Small partial indexes for the checks `append` makes per row: is this event reversed already, which months are closed.
CREATE INDEX events_reversal_target ON events (json_extract(data, '$.target')) WHERE kind = 'event.reversed';
CREATE INDEX events_period_marks ON events (seq) WHERE kind IN ('period.closed', 'period.reopened');

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed; record an event.reversed instead');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be deleted; record an event.reversed instead');
END;

CREATE TRIGGER events_are_appended_in_order BEFORE INSERT ON events
WHEN NEW.seq <> (SELECT COALESCE(MAX(seq), 0) + 1 FROM events)
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: a new event must take the next sequence number');
END;

-- The personal-data registry (PIPL): outside the chain, keyed by the pseudonym the chain uses. `erase` clears a row's
-- personal fields; the chain, which holds only the pseudonym, still verifies.
CREATE TABLE persons (
    pseudonym    TEXT PRIMARY KEY NOT NULL CHECK (pseudonym GLOB 'ps_*'),
    citizen_id   TEXT UNIQUE CHECK (citizen_id IS NULL OR length(citizen_id) = 18),
    name         TEXT,
    erased_at    TEXT,
    erase_reason TEXT
) STRICT;
