-- Sign-in sessions, shared by every replica and kept across restarts. The cookie carries the
-- session id; only its SHA-256 is stored, so a copy of this table signs nobody in. A row ends at
-- expires_at (last request + the session timeout), at sign-out, or when the id is renewed at
-- sign-in; expired rows are deleted by every replica now and then.
CREATE TABLE console_sessions (
    id_sha256     text        PRIMARY KEY,
    data          jsonb       NOT NULL,  -- login, role, CSRF token, pending sign-in states
    timeout_ms    bigint      NOT NULL,
    last_accessed timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
