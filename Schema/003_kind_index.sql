-- Events by kind and date, for the questions a month-end asks of the whole ledger: who has a certificate, training
-- or apprenticeship event in this month (entitlements), which grants and payments exist (reconcile, rules context).
-- Without it each of these reads every row of the ledger.
CREATE INDEX events_by_kind ON events (kind, occurred_on);
