-- Access to the service (`skills-ledger token`, `serve`), outside the chain like the registry: the chain records who
-- was granted and revoked access (access.granted, access.revoked) and never a token; these tables hold only what
-- checking a request needs. A token itself is never stored: only its SHA-256.
CREATE TABLE access_tokens (
    name         TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_sha256 BLOB NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    role         TEXT NOT NULL CHECK (role IN ('institution', 'bureau', 'finance', 'auditor', 'admin')),
    scope        TEXT,                                   -- a 统一社会信用代码, a jurisdiction code or national; NULL for admin
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;

-- `Idempotency-Key` on the service's writes: the key, per token, with the SHA-256 of the request (method, path,
-- query and body) and the response first given, so that a replay gets that response and another request under the
-- same key is refused.
CREATE TABLE idempotency_keys (
    token_name     TEXT NOT NULL,
    key            TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_sha256 BLOB NOT NULL CHECK (length(request_sha256) = 32),
    status         INTEGER NOT NULL,
    content_type   TEXT NOT NULL,
    body           BLOB NOT NULL,
    recorded_at    TEXT NOT NULL,
    PRIMARY KEY (token_name, key)
) STRICT;
