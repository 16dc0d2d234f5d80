-- The console's index of github.actions.v1, github.snapshots.v1 and github.audit.v1.
-- Everything here can be rebuilt from the topics: drop the rows and the offsets, and the indexer
-- reads the topics again from their beginning.

-- trusted since PostgreSQL 13: the database owner may create it
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Where the indexer goes on after a restart: written in the same transaction as the rows.
CREATE TABLE indexer_offsets (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- One row per proposed action (github.actions.v1), the record as written.
CREATE TABLE actions (
    action_id   text             PRIMARY KEY,
    repo        text             NOT NULL,
    target      bigint           NOT NULL,
    action_type text             NOT NULL,
    produced_by text             NOT NULL,
    reason      text             NOT NULL,
    confidence  double precision NOT NULL,
    created_at  timestamptz      NOT NULL,
    not_before  timestamptz,
    expires_at  timestamptz,
    dry_run     boolean          NOT NULL,
    written_at  timestamptz      NOT NULL,
    record      jsonb            NOT NULL
);

-- Every audit record (github.audit.v1): outcomes of actions and of their rollbacks, and the
-- actions the Flink job's governors dropped.
CREATE TABLE audits (
    audit_id      text        PRIMARY KEY,
    action_id     text        NOT NULL,
    repo          text        NOT NULL,
    target        bigint      NOT NULL,
    action_type   text        NOT NULL,
    outcome       text        NOT NULL,
    produced_by   text        NOT NULL,
    github_status int,
    error         text,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    written_at    timestamptz NOT NULL,
    record        jsonb       NOT NULL
);
CREATE INDEX audits_by_action ON audits (action_id, finished_at);

-- The before-state of each mutation (github.snapshots.v1, compacted by action id).
CREATE TABLE snapshots (
    action_id  text        PRIMARY KEY,
    taken_at   timestamptz NOT NULL,
    written_at timestamptz NOT NULL,
    record     jsonb       NOT NULL
);

-- What the Actions page lists and filters: one row per action id, with its latest outcome
-- ('pending' while nothing was audited yet). Derived from the three tables above by the indexer.
CREATE TABLE action_summary (
    action_id      text        PRIMARY KEY,
    repo           text        NOT NULL,
    target         bigint      NOT NULL,
    action_type    text        NOT NULL,
    produced_by    text        NOT NULL,
    rule           text        NOT NULL,
    outcome        text        NOT NULL,
    deferred_until timestamptz,
    reason         text,
    error          text,
    dry_run        boolean     NOT NULL,
    updated_at     timestamptz NOT NULL,
    search_text    text        NOT NULL
);
CREATE INDEX action_summary_by_time    ON action_summary (updated_at DESC, action_id DESC);
CREATE INDEX action_summary_by_repo    ON action_summary (repo, updated_at DESC);
CREATE INDEX action_summary_by_rule    ON action_summary (rule, updated_at DESC);
CREATE INDEX action_summary_by_type    ON action_summary (action_type, updated_at DESC);
CREATE INDEX action_summary_by_outcome ON action_summary (outcome, updated_at DESC);
CREATE INDEX action_summary_search     ON action_summary USING gin (search_text gin_trgm_ops);
