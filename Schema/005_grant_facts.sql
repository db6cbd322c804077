-- Grant facts (version 5): what the rules read of every subsidy.granted event, one short row per grant, kept beside
-- the chain so that a month-end run reads a million grants' entitlement, amount, month and evidence without reading
-- a million explanations. A projection, not a record: it is written from the event in the same transaction as the
-- event (LedgerStore.appendGrantFacts, the members picked by RulesInputRow), `verify` derives every row again from
-- the verified chain and fails on any difference (a missing, changed or extra row), and `skills-ledger rebuild`
-- writes it again from the chain. The members are text exactly as the event's data holds them.
CREATE TABLE grant_facts (
    seq            INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),   -- the grant's place in the chain (events.seq)
    id             TEXT    NOT NULL,                               -- the grant's event id
    entitlement    TEXT,
    amount         TEXT,                                           -- yuan, two decimals, as stored; negative for a clawback or 追回
    period         TEXT,                                           -- YYYY-MM
    jurisdiction   TEXT,
    version        TEXT,
    adjusts        TEXT,                                           -- a settlement adjustment's grant
    clawback_of    TEXT,                                           -- a clawback's grant
    first_evidence TEXT                                            -- the first id of the grant's evidence
) STRICT;
