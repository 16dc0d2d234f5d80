-- Personal API tokens for scripts, created and revoked by admins on the Tokens page. The token
-- itself is shown once and never stored: only its SHA-256 (the tokens are 256 random bits, so a
-- plain digest cannot be reversed) and its first characters, to tell tokens apart on the page.
CREATE TABLE api_tokens (
    id           bigserial   PRIMARY KEY,
    owner        text        NOT NULL,  -- the admin who created it; its undos are audited as theirs
    name         text        NOT NULL,
    role         text        NOT NULL,  -- viewer, operator or admin: what the token may do
    token_sha256 text        NOT NULL UNIQUE,
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   text
);
CREATE INDEX api_tokens_by_created ON api_tokens (created_at DESC);
