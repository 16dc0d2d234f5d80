-- The policy in force per repository (github.config.v1, compacted by repo): the latest record, or
-- no row after a tombstone. Rebuilt from the topic like every indexed table.
CREATE TABLE policies (
    repo       text        PRIMARY KEY,
    updated_at timestamptz NOT NULL,
    written_at timestamptz NOT NULL,
    record     jsonb       NOT NULL
);
