-- The whole current agency DDL: a new agency schema is created from this file in one step.
-- Keep it equal to replaying every numbered file (a test checks).
\include agency_settings.sql

-- The agency's audit trail: append-only and hash-chained (Services/Audit/README.md
-- documents the canonical encoding, so an auditor can recompute every hash).
--
-- Append-only, three ways: the service's own role gives up UPDATE, DELETE and
-- TRUNCATE on the event and checkpoint tables (REVOKE … FROM CURRENT_USER: the
-- table owner's privileges are revocable); a trigger refuses them for everyone
-- whose triggers fire, owner included; and the chain itself makes any change
-- that bypasses both (a superuser in replica mode) visible to `verify`.
CREATE TABLE events (
    seq                    bigint PRIMARY KEY CHECK (seq > 0),
    id                     uuid NOT NULL UNIQUE,
    occurred_at            timestamptz NOT NULL,
    recorded_at            timestamptz NOT NULL,
    actor_kind             text NOT NULL,
    actor_user_id          uuid,
    actor_roles            text[],
    actor_service          text,
    actor_support_grant_id text,
    actor_claimed          text,
    action                 text COLLATE "C" NOT NULL,
    target_type            text,
    target_id              text,
    outcome                text NOT NULL,
    source_ip              text,
    source_user_agent      text,
    source_request_id      text,
    changes                text,
    reason                 text,
    prev_hash              bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash                   bytea NOT NULL CHECK (octet_length(hash) = 32)
);
-- Reading is newest first by occurrence, optionally narrowed by actor, action prefix or target.
CREATE INDEX events_occurred ON events (occurred_at, seq);
CREATE INDEX events_actor ON events (actor_user_id, occurred_at, seq) WHERE actor_user_id IS NOT NULL;
CREATE INDEX events_action ON events (action, occurred_at, seq);
CREATE INDEX events_target ON events (target_type, target_id, occurred_at, seq) WHERE target_type IS NOT NULL;
-- recorded_at grows with seq, so a BRIN index finds an export's seq range for the price of reading it.
CREATE INDEX events_recorded ON events USING brin (recorded_at);

-- The newest link: one row, locked FOR UPDATE by each append (one writer per agency).
CREATE TABLE chain_head (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq         bigint NOT NULL CHECK (seq >= 0),
    hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
    recorded_at timestamptz NOT NULL
);
INSERT INTO chain_head (seq, hash, recorded_at) VALUES (0, decode(repeat('00', 32), 'hex'), 'epoch');

-- Signed statements "event `seq` of this chain has hash `hash`" (Ed25519, key `kid`).
CREATE TABLE checkpoints (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq       bigint NOT NULL CHECK (seq >= 0),
    hash      bytea NOT NULL CHECK (octet_length(hash) = 32),
    kind      text NOT NULL CHECK (kind IN ('periodic', 'on_demand', 'digest', 'export', 'retention_cut')),
    signed_at timestamptz NOT NULL,
    kid       text NOT NULL,
    signature bytea NOT NULL CHECK (octet_length(signature) = 64)
);
CREATE INDEX checkpoints_seq ON checkpoints (seq);

-- The retention purge is the only deletion: it names the last purged seq in a
-- transaction-local setting after signing a checkpoint at that cut, and even then
-- nothing recorded less than a year ago can go.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.seq <= coalesce(nullif(current_setting('muster.audit_purge_through', true), '')::bigint, 0)
           AND OLD.recorded_at < now() - interval '1 year' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER chain_head_kept BEFORE DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON events, checkpoints FROM CURRENT_USER;
REVOKE DELETE, TRUNCATE ON chain_head FROM CURRENT_USER;
