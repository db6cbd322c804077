-- The registry's seal (version 2). The persons table is outside the chain so that `erase` can empty it, which also
-- means the chain cannot vouch for it. Each row therefore carries an HMAC-SHA-256, under the ledger's pseudonym key,
-- of all its columns; `verify` recomputes it, so a name or ID number changed behind the ledger's back (or a byte
-- damaged on disk) is reported instead of being shown as the truth. The ledger computes it in Swift
-- (LedgerStore.registrySeal, over pseudonym, citizen_id, name, erased_at, erase_reason) and writes it with the row.
ALTER TABLE persons ADD COLUMN seal BLOB CHECK (seal IS NULL OR length(seal) = 32);
