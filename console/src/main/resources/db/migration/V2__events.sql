-- What the One action page shows of the events behind an action (github.events.v1): a projection,
-- not the payload, which stays in Kafka.
CREATE TABLE events (
    event_id    text        PRIMARY KEY,
    repo        text,
    type        text        NOT NULL,
    action      text,
    source      text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    sender      text,
    subject     text,
    subject_url text,
    written_at  timestamptz NOT NULL
);

-- An event indexed after the actions it caused refreshes their summaries (the item's title is part
-- of the text the Actions list searches): find them by the event ids they name.
CREATE INDEX actions_by_cause ON actions USING gin ((record -> 'caused_by') jsonb_path_ops);
CREATE INDEX audits_by_cause  ON audits  USING gin ((record -> 'caused_by') jsonb_path_ops);
