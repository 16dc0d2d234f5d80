-- Who did what through the console: every undo (one action or a rule's actions) and every kill
-- switch, with the person signed in, their role, and what the executor answered. The executor
-- audits the rollback itself on github.audit.v1; this table adds the person, which the executor's
-- admin API does not carry. Not rebuilt from the topics: it is the console's own record.
CREATE TABLE console_audit (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    person     text NOT NULL,
    role       text NOT NULL,
    what       text NOT NULL,          -- undo, undo_rule, kill_switch
    action_id  text,                   -- the action undone (one row per action of a bulk undo)
    subject    text NOT NULL,          -- owner/repo#12, or rule@1 on owner/repo within a range
    outcome    text NOT NULL,          -- the executor's status, or error
    detail     text
);
CREATE INDEX console_audit_by_action ON console_audit (action_id, at DESC);
CREATE INDEX console_audit_by_time ON console_audit (at DESC);
