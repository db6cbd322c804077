-- Grants and payments by payee (version 7): a person's page (`worker`, `/v1/workers/{id}`) shows the subsidies granted
-- and paid to them, and those name the person only in their data (`payee`, also an employer's 统一社会信用代码). Without
-- this index each page read every grant and payment of the ledger to find theirs: two million rows, and about 20 s, at
-- a million workers. The expression and the condition are those of the query (`LedgerStore.events(person:)`).
CREATE INDEX events_by_payee ON events (json_extract(data, '$.payee')) WHERE kind IN ('subsidy.granted', 'subsidy.paid');
