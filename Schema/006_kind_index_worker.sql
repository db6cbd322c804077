-- Events by kind and date, now with the worker (version 6): "who has a certificate, training or apprenticeship event in
-- this month" (the candidates of `entitlements` and `grant`) is answered from the index alone. With (kind,
-- occurred_on) only, each of the ~200,000 matching rows of a month at a million workers was fetched from the table
-- for its worker: 2.2 s of `entitlements`, on one thread, before any worker is computed.
DROP INDEX events_by_kind;
CREATE INDEX events_by_kind ON events (kind, occurred_on, worker);
