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
