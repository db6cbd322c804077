-- SkillsLedger on PostgreSQL (15 or later), version 1: the same ledger as Schema/*.sql on SQLite, the same columns
-- and the same guarantees, enforced by this database. Applied by PostgresLedgerStore.open(create: true) in one
-- transaction (embedded into the binary by Scripts/embed-postgres-schema.sh; a test checks that what is embedded
-- equals this file).
--
-- Roles. Create the tables as an owner role; let the service and the CLI connect as a role that may only add and
-- read the chain:
--     GRANT SELECT, INSERT ON events, ledger_meta, grant_facts TO skills_service;   -- grant_facts: see below
--     GRANT SELECT, UPDATE ON chain_head TO skills_service;           -- the lock row and the head it keeps
--     GRANT SELECT, INSERT, UPDATE ON persons TO skills_service;      -- the registry: erase clears a row in place
--     GRANT SELECT, INSERT, UPDATE ON access_tokens TO skills_service;
--     GRANT SELECT, INSERT, DELETE ON idempotency_keys TO skills_service;  -- erase deletes answers holding an ID number
-- and nothing else: no UPDATE, DELETE or TRUNCATE on events (the triggers below refuse them even for the owner, and
-- the owner alone can drop a trigger).

-- Settings of this ledger, written once when it is created: the pseudonym key (a random secret), the format.
CREATE TABLE ledger_meta (
    key   text  PRIMARY KEY,
    value bytea NOT NULL
);

-- The chain. One row per event, in recording order; hash = SHA-256(prev_hash || canonical envelope of the row).
-- `data` is text, not jsonb: the canonical JSON bytes are hashed, and jsonb would reorder and respace them. The
-- columns the reads order or range over are COLLATE "C" (byte order, as SQLite compares), so that their indexes
-- serve the ledger's ORDER BY and BETWEEN whatever the database's default collation.
CREATE TABLE events (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    id          text   COLLATE "C" NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 64),
    kind        text   NOT NULL CHECK (kind ~ '^[a-z][a-z-]*\.[a-z][a-z-]*$'),
    occurred_on text   COLLATE "C" NOT NULL CHECK (occurred_on ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
    source      text   NOT NULL,
    worker      text   COLLATE "C" CHECK (worker IS NULL OR worker LIKE 'ps\_%'),   -- a pseudonym, never a 公民身份号码
    employer    text,
    data        text   NOT NULL,
    recorded_at text   NOT NULL,
    operator    text   NOT NULL,
    prev_hash   bytea  NOT NULL CHECK (length(prev_hash) = 32),
    hash        bytea  NOT NULL CHECK (length(hash) = 32)
);

-- (worker, seq): a worker's events come out of the index in recording order (SQLite's index has the rowid last).
CREATE INDEX events_by_worker ON events (worker, seq) WHERE worker IS NOT NULL;
CREATE INDEX events_by_kind ON events (kind, occurred_on);
CREATE INDEX events_period_marks ON events (seq) WHERE kind IN ('period.closed', 'period.reopened');
-- The data column is text, so the reversal target is pulled out of it as JSON only to choose the row.
CREATE INDEX events_reversal_target ON events (((data::jsonb) ->> 'target')) WHERE kind = 'event.reversed';
-- Grants and payments by payee, for a person's page: the same expression and condition as its query. A ledger made
-- before it gains it when it is opened (`addPayeeIndexIfMissing`).
CREATE INDEX events_by_payee ON events (((data::jsonb) ->> 'payee')) WHERE kind IN ('subsidy.granted', 'subsidy.paid');

-- The head of the chain: one row, taken FOR UPDATE by every batch so that writers in several processes (several
-- service instances) append one after the other, and moved to the batch's last event before it commits.
CREATE TABLE chain_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint  NOT NULL CHECK (seq >= 0),
    hash     bytea   NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO chain_head (only_row, seq, hash) VALUES (true, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only, enforced here whoever connects: no UPDATE, DELETE or TRUNCATE of events, and a new event must take
-- the next sequence number and link to the hash of the event before it (so even a writer that skips the lock row
-- cannot fork the chain: the second of two events with the same seq fails on the primary key).
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: events cannot be changed or deleted; record an event.reversed instead'
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE FUNCTION events_check_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    SELECT seq, hash INTO last_seq, last_hash FROM events ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <> COALESCE(last_seq, 0) + 1
       OR NEW.prev_hash <> COALESCE(last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) THEN
        RAISE EXCEPTION 'the ledger is append-only: a new event must take the next sequence number and link to the hash before it'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_are_appended_in_order BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_check_order();

-- Grant facts: what the rules read of every subsidy.granted event, one short row per grant, kept beside the chain so
-- that a month-end run reads a million grants without their explanations. A projection, not a record: written from the
-- event in the same transaction (the multi-row insert of events), derived again from the verified chain by `verify`
-- (any missing, changed or extra row is an integrity failure), written again by `skills-ledger rebuild`. The members
-- are text exactly as the event's data holds them (SQLite's Schema/005_grant_facts.sql). A ledger created before this
-- table gains it, filled from the chain, the first time it is opened. `rebuild` deletes and writes the rows again: run
-- it as the owner (the service role needs no DELETE here).
CREATE TABLE grant_facts (
    seq            bigint PRIMARY KEY CHECK (seq >= 1),
    id             text   NOT NULL,
    entitlement    text,
    amount         text,
    period         text,
    jurisdiction   text,
    version        text,
    adjusts        text,
    clawback_of    text,
    first_evidence text
);

-- The personal-data registry (PIPL): outside the chain, keyed by the pseudonym the chain uses, each row sealed with
-- an HMAC-SHA-256 under the pseudonym key (the same seal as SQLite's, computed in Swift). `erase` clears a row's
-- personal fields in place. PostgreSQL keeps the old row version as a dead tuple until VACUUM, and in WAL and base
-- backups until they expire: the operator must VACUUM persons after an erase and age out WAL archives and backups.
CREATE TABLE persons (
    pseudonym    text  PRIMARY KEY CHECK (pseudonym LIKE 'ps\_%'),
    citizen_id   text  UNIQUE CHECK (citizen_id IS NULL OR length(citizen_id) = 18),
    name         text,
    erased_at    text,
    erase_reason text,
    seal         bytea CHECK (seal IS NULL OR length(seal) = 32)
);

-- Access to the service, outside the chain: a token's SHA-256, never the token.
CREATE TABLE access_tokens (
    name         text  PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    role         text  NOT NULL CHECK (role IN ('institution', 'bureau', 'finance', 'auditor', 'admin')),
    scope        text,
    created_at   text  NOT NULL,
    last_used_at text,
    revoked_at   text
);

-- `Idempotency-Key` on the service's writes: the first response per token and key.
CREATE TABLE idempotency_keys (
    token_name     text    NOT NULL,
    key            text    NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_sha256 bytea   NOT NULL CHECK (length(request_sha256) = 32),
    status         integer NOT NULL,
    content_type   text    NOT NULL,
    body           bytea   NOT NULL,
    recorded_at    text    NOT NULL,
    PRIMARY KEY (token_name, key)
);
