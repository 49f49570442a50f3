-- Compliance: the agency's requirements (versioned), waivers, and policies with their
-- sealed documents and acknowledgements. The engine (Domain/Compliance) judges people
-- from these tables and the records of 0002; nothing here caches a status.

-- A requirement: what never changes (its code and kind). What it asks lives in its versions.
CREATE TABLE requirements (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,59}$'),
    kind       text NOT NULL CHECK (kind IN ('hours', 'completion', 'recurring', 'certification', 'policy')),
    -- The rule pack it came from (applying a pack again finds it by code).
    pack       text CHECK (length(pack) BETWEEN 1 AND 40),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Each version of a requirement, in force from effective_from to effective_to (both
-- inclusive, NULL: open). A change adds a version whose effective_from is after the
-- previous one's and ends the previous one the day before; a period is judged by the
-- version in force on its last day, so old versions keep judging the periods they governed.
CREATE TABLE requirement_versions (
    requirement_id   uuid NOT NULL REFERENCES requirements (id),
    version          integer NOT NULL CHECK (version >= 1),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The spec's parameters for the requirement's kind, as validated (spec field names).
    params           jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    -- applies_to: NULL is everyone; unit ids cover the units below them.
    applies_ranks    text[],
    applies_unit_ids uuid[],
    effective_from   date NOT NULL,
    effective_to     date CHECK (effective_to >= effective_from),
    due_soon_days    integer NOT NULL DEFAULT 60 CHECK (due_soon_days BETWEEN 0 AND 3650),
    mandatory        boolean NOT NULL DEFAULT true,
    created_by       uuid NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (requirement_id, version)
);

-- Policies an officer must read and acknowledge.
CREATE TABLE policies (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,59}$'),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A published version of a policy: the document sealed with AES-256-GCM under data_key
-- like attachments (nonce || ciphertext || tag, the version's id as associated data).
CREATE TABLE policy_versions (
    id           uuid PRIMARY KEY,
    policy_id    uuid NOT NULL REFERENCES policies (id),
    version      integer NOT NULL CHECK (version >= 1),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'text/markdown')),
    size         integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    -- Of the plaintext: what an acknowledgement binds to.
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    sealed       bytea NOT NULL,
    published_on date NOT NULL,
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (policy_id, version)
);

-- A person's acknowledgement of one policy version, bound to the document's hash, the
-- time and the client's address; once per version and person.
CREATE TABLE policy_acknowledgements (
    policy_version_id uuid NOT NULL REFERENCES policy_versions (id),
    person_id         uuid NOT NULL REFERENCES personnel (id),
    sha256            bytea NOT NULL CHECK (length(sha256) = 32),
    acknowledged_at   timestamptz NOT NULL DEFAULT now(),
    -- The agency's local date of acknowledged_at: what the engine compares with as_of.
    acknowledged_on   date NOT NULL,
    client_address    text CHECK (length(client_address) BETWEEN 1 AND 100),
    user_id           uuid NOT NULL,
    PRIMARY KEY (policy_version_id, person_id)
);
CREATE INDEX policy_acknowledgements_person ON policy_acknowledgements (person_id);

-- A coordinator's waiver of one requirement for one person: one period of a period kind
-- (period_ends_on) or the other kinds until a date (inclusive). Revoking keeps the row.
CREATE TABLE waivers (
    id             uuid PRIMARY KEY,
    person_id      uuid NOT NULL REFERENCES personnel (id),
    requirement_id uuid NOT NULL REFERENCES requirements (id),
    period_ends_on date,
    until          date,
    reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_by     uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoked_by     uuid,
    CHECK (num_nonnulls(period_ends_on, until) = 1),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX waivers_person ON waivers (person_id, created_at);

-- Version rows are history, never rewritten (a new version ends the previous one by
-- its effective_to, the one column a later change may set).
CREATE FUNCTION requirement_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'effective_to') IS DISTINCT FROM (to_jsonb(OLD) - 'effective_to') THEN
        RAISE EXCEPTION 'requirement_versions: only effective_to changes (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER requirement_versions_guard BEFORE UPDATE OR DELETE ON requirement_versions
    FOR EACH ROW EXECUTE FUNCTION requirement_versions_guard();
CREATE TRIGGER policy_versions_append_only BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION versions_append_only();
CREATE TRIGGER policy_acknowledgements_append_only BEFORE UPDATE OR DELETE ON policy_acknowledgements
    FOR EACH ROW EXECUTE FUNCTION versions_append_only();
