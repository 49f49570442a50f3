-- First answers of creating requests, by Idempotency-Key.
CREATE TABLE idempotency_keys (
    actor      uuid NOT NULL,
    route      text NOT NULL,
    key        text NOT NULL,
    status     integer,
    body       bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, route, key)
);
