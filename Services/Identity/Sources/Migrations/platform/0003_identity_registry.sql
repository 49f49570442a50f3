-- Identity's own platform state: each agency's wrapped data key and provisioning
-- progress, the token signing keys, the revocation feed, per-address login counts
-- and idempotency records of platform routes.
ALTER TABLE agencies
    ADD COLUMN data_key text,
    ADD COLUMN provisioned_services text[] NOT NULL DEFAULT '{}',
    ADD COLUMN provisioning_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN next_provisioning_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_provisioning_error text,
    ADD COLUMN pending_admin_email text,
    ADD COLUMN pending_admin_name text;
CREATE INDEX agencies_provisioning ON agencies (next_provisioning_at) WHERE status = 'provisioning';

-- Ed25519 keys that sign access tokens; the private key sealed (AES-256-GCM) under a
-- data key that the master key wraps. The newest key signs; superseded keys stay
-- published until every token they signed has expired.
CREATE TABLE signing_keys (
    kid                text PRIMARY KEY,
    public_key         bytea NOT NULL CHECK (length(public_key) = 32),
    wrapped_key        text NOT NULL,
    sealed_private_key bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    superseded_at      timestamptz
);

-- Sessions revoked, in order, for the other services' pollers (GET /internal/revocations).
CREATE TABLE revocations (
    seq        bigserial PRIMARY KEY,
    agency_id  uuid NOT NULL,
    session_id uuid NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revocations_time ON revocations (revoked_at);

-- Failed logins per client address across every account and agency (password spraying).
CREATE TABLE address_failures (
    address           text PRIMARY KEY,
    window_started_at timestamptz NOT NULL,
    failures          integer NOT NULL
);

