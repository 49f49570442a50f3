-- The whole current agency DDL: a new agency schema is created from this file in one step.
-- Keep it equal to replaying every numbered file (a test checks).
\include agency_settings.sql

-- Email messages of this agency: what was asked, where it is, and every attempt.
CREATE TABLE messages (
    id                uuid PRIMARY KEY,
    template          text NOT NULL,
    recipient_user_id uuid,
    recipient_address text NOT NULL,
    recipient_name    text,
    -- The template data sealed (AES-256-GCM) under data_key: it may hold invitation and
    -- reset tokens. Erased once the message is sent or has failed.
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
CREATE INDEX messages_status_newest ON messages (status, created_at DESC, id DESC);

-- One row per attempt; an attempt without an outcome was cut short (its replica died).
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

-- The agency admins' own subject and body per template.
CREATE TABLE template_overrides (
    name       text PRIMARY KEY,
    subject    text NOT NULL,
    body       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL
);

-- The key that seals message data, wrapped by the master key (one row).
CREATE TABLE data_key (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    wrapped    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
