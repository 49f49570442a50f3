-- The whole current agency DDL: a new agency schema is created from this file in one step.
-- Keep it equal to replaying every numbered file (a test checks).
-- Per-agency settings of this service, one row per setting.
CREATE TABLE agency_settings (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
