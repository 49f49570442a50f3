CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    topic           text NOT NULL CHECK (topic IN ('audit_events', 'emails')),
    agency_id       uuid,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_error      text
);
CREATE INDEX outbox_due ON outbox (topic, next_attempt_at, created_at);
