-- Agencies this service keeps a chain for, recorded from Identity's provisioning
-- calls (`audit verify --agency SLUG` finds the id here).
CREATE TABLE agencies (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL,
    name           text NOT NULL,
    provisioned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agencies_slug ON agencies (slug);

-- When each chain's background work (checkpoint, digest email, retention) is next
-- due. Any replica claims due work by moving `next_at` forward
-- (UPDATE … FOR UPDATE SKIP LOCKED), so each job runs once per period.
CREATE TABLE jobs (
    agency_id uuid NOT NULL REFERENCES agencies (id),
    job       text NOT NULL CHECK (job IN ('checkpoint', 'digest', 'retention')),
    next_at   timestamptz NOT NULL,
    PRIMARY KEY (agency_id, job)
);
CREATE INDEX jobs_due ON jobs (job, next_at);

-- Audit's own Ed25519 checkpoint-signing keys. `kid` is the RFC 7638 thumbprint of
-- the public key; the private key is sealed under the master key (bound to the
-- kid). Keys are only ever added, or retired when a newer one takes over: a
-- trigger refuses deleting one or changing anything but `retired_at`.
CREATE TABLE signing_keys (
    kid                text PRIMARY KEY,
    public_key         bytea NOT NULL CHECK (octet_length(public_key) = 32),
    sealed_private_key text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at         timestamptz
);

CREATE FUNCTION signing_keys_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.kid = OLD.kid AND NEW.public_key = OLD.public_key AND NEW.sealed_private_key = OLD.sealed_private_key
           AND NEW.created_at = OLD.created_at AND OLD.retired_at IS NULL THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit signing keys are never changed or removed (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER signing_keys_keep BEFORE UPDATE OR DELETE ON signing_keys
    FOR EACH ROW EXECUTE FUNCTION signing_keys_keep();
CREATE TRIGGER signing_keys_no_truncate BEFORE TRUNCATE ON signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION signing_keys_keep();
REVOKE DELETE, TRUNCATE ON signing_keys FROM CURRENT_USER;

-- The transactional outbox (Shared/Outbox): the weekly checkpoint emails to Notify.
\include outbox.sql
