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

-- Renewal reminders: one row per email a sweep queued, keyed so that each
-- (person, item, due date, threshold, recipient) is sent exactly once. The row is
-- written in the same transaction as the message it queues.
CREATE TABLE reminders (
    person_id      uuid NOT NULL,
    -- The requirement's id, or the certification type's for a held certification.
    item_id        uuid NOT NULL,
    item_kind      text NOT NULL CHECK (item_kind IN ('requirement', 'certification')),
    item_name      text NOT NULL,
    due_on         date NOT NULL,
    -- Days before due_on (negative: after it).
    threshold      integer NOT NULL,
    recipient_kind text NOT NULL CHECK (recipient_kind IN ('officer', 'supervisor')),
    -- The person for the officer's copy, the supervisor's login for theirs.
    recipient_id   uuid NOT NULL,
    message_id     uuid NOT NULL UNIQUE REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
    swept_on       date NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, item_id, due_on, recipient_kind, threshold, recipient_id)
);
CREATE INDEX reminders_by_person ON reminders (person_id, swept_on DESC);
CREATE INDEX reminders_by_day ON reminders (swept_on DESC);

-- The weekly coordinator digest: one email per coordinator and week.
CREATE TABLE reminder_digests (
    week_of      date NOT NULL,
    recipient_id uuid NOT NULL,
    message_id   uuid NOT NULL UNIQUE REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (week_of, recipient_id)
);

-- Requirements an officer muted (their own copy only; mandatory ones are never muted).
CREATE TABLE reminder_mutes (
    user_id        uuid NOT NULL,
    requirement_id uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, requirement_id)
);
