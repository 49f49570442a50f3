-- Mail that belongs to no agency (e.g. to platform operators): the same tables as in
-- each agency schema.
CREATE TABLE messages (
    id                uuid PRIMARY KEY,
    template          text NOT NULL,
    recipient_user_id uuid,
    recipient_address text NOT NULL,
    recipient_name    text,
    sealed_data       bytea,
    requested_by      text NOT NULL,
    status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed')),
    attempts          integer NOT NULL DEFAULT 0,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    next_attempt_at   timestamptz,
    sent_at           timestamptz
);
CREATE INDEX messages_newest ON messages (created_at DESC, id DESC);

CREATE TABLE message_attempts (
    message_id  uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    number      integer NOT NULL,
    replica     text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    outcome     text CHECK (outcome IN ('sent', 'temporary_failure', 'permanent_failure', 'abandoned')),
    reply_code  integer,
    reply       text,
    PRIMARY KEY (message_id, number)
);

CREATE TABLE data_key (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    wrapped    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The delivery queue of every schema: one row per message that still has to go out.
-- Replicas claim due rows here (FOR UPDATE SKIP LOCKED), so that finding work costs one
-- index scan, however many agency schemas there are. A claim moves due_at to the end of
-- its lease: a replica that dies leaves the row to become due again on its own.
CREATE TABLE delivery_queue (
    message_id uuid PRIMARY KEY,
    -- NULL for platform.messages.
    agency_id  uuid,
    due_at     timestamptz NOT NULL DEFAULT now(),
    -- The current claim: a replica records an outcome only while its claim stands.
    claim_id   uuid,
    claimed_by text
);
CREATE INDEX delivery_queue_due ON delivery_queue (due_at);
