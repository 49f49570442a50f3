-- The whole current agency DDL: a new agency schema is created from this file in one step.
-- Keep it equal to replaying every numbered file (a test checks).
\include agency_settings.sql

-- The agency's roster, catalog, training records, certifications, training events,
-- evidence and expenses. Hours are integer quarter-hours (1 = 0.25 h) everywhere,
-- so sums are exact; the API speaks decimal hours. Category splits are jsonb objects
-- from category code to quarter-hours ({"firearms": 16}); category codes never change.
-- Every user reference (created_by, user_id…) is an Identity user id of this agency.

-- Units form a tree (a supervisor of a unit sees every unit below it).
CREATE TABLE units (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    parent_id  uuid REFERENCES units (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX units_parent ON units (parent_id);

-- Identity users holding `supervisor` assigned to a unit.
CREATE TABLE unit_supervisors (
    unit_id    uuid NOT NULL REFERENCES units (id),
    user_id    uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid NOT NULL,
    PRIMARY KEY (unit_id, user_id)
);
CREATE INDEX unit_supervisors_user ON unit_supervisors (user_id);

CREATE TABLE personnel (
    id                uuid PRIMARY KEY,
    badge_number      text NOT NULL UNIQUE CHECK (length(badge_number) BETWEEN 1 AND 40),
    first_name        text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name         text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email             text CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    rank              text CHECK (length(rank) BETWEEN 1 AND 100),
    unit_id           uuid REFERENCES units (id),
    hire_date         date NOT NULL,
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'leave', 'separated')),
    separated_on      date,
    -- The person's login, at most one person per user.
    user_id           uuid UNIQUE,
    license_number    text CHECK (length(license_number) BETWEEN 1 AND 100),
    license_issued_on date,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'separated') = (separated_on IS NOT NULL))
);
CREATE INDEX personnel_unit ON personnel (unit_id);
-- Listing order and the `q` prefix search (name or badge, case-insensitive).
CREATE INDEX personnel_name_order ON personnel (lower(last_name), lower(first_name), id);
CREATE INDEX personnel_last_name_prefix ON personnel (lower(last_name) text_pattern_ops);
CREATE INDEX personnel_first_name_prefix ON personnel (lower(first_name) text_pattern_ops);
CREATE INDEX personnel_badge_prefix ON personnel (lower(badge_number) text_pattern_ops);

-- The agency's own vocabulary of training categories (state-mandated topics…).
CREATE TABLE categories (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE certification_types (
    id              uuid PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- NULL: never expires.
    validity_months integer CHECK (validity_months BETWEEN 1 AND 1200),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE courses (
    id                               uuid PRIMARY KEY,
    code                             text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
    title                            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    quarter_hours                    integer NOT NULL CHECK (quarter_hours BETWEEN 1 AND 4000),
    category_hours                   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(category_hours) = 'object'),
    provider                         text CHECK (length(provider) BETWEEN 1 AND 200),
    state_course_number              text CHECK (length(state_course_number) BETWEEN 1 AND 100),
    -- An instructor of this course must hold an unexpired certification of this type.
    instructor_certification_type_id uuid REFERENCES certification_types (id),
    version                          integer NOT NULL DEFAULT 1,
    created_at                       timestamptz NOT NULL DEFAULT now(),
    updated_at                       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_code_prefix ON courses (lower(code) text_pattern_ops);
CREATE INDEX courses_title_prefix ON courses (lower(title) text_pattern_ops);

-- Imports of CSV files (personnel or training records), each written in one transaction.
CREATE TABLE imports (
    id         uuid PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('personnel', 'training_records')),
    row_count  integer NOT NULL CHECK (row_count >= 0),
    sha256     bytea NOT NULL CHECK (length(sha256) = 32),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A training event (a class held on dates, with instructors and a roster); completing
-- it writes one approved training record per attendee.
CREATE TABLE training_events (
    id           uuid PRIMARY KEY,
    course_id    uuid NOT NULL REFERENCES courses (id),
    starts_on    date NOT NULL,
    ends_on      date NOT NULL,
    location     text CHECK (length(location) BETWEEN 1 AND 300),
    status       text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed')),
    completed_at timestamptz,
    completed_by uuid,
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX training_events_starts ON training_events (starts_on, id);

CREATE TABLE training_event_instructors (
    event_id  uuid NOT NULL REFERENCES training_events (id),
    person_id uuid NOT NULL REFERENCES personnel (id),
    PRIMARY KEY (event_id, person_id)
);

-- The roster; outcome, hours and score are filled when the event is completed.
CREATE TABLE training_event_roster (
    event_id           uuid NOT NULL REFERENCES training_events (id),
    person_id          uuid NOT NULL REFERENCES personnel (id),
    outcome            text CHECK (outcome IN ('completed', 'passed', 'failed', 'absent')),
    quarter_hours      integer CHECK (quarter_hours BETWEEN 1 AND 4000),
    score              numeric(6, 2),
    training_record_id uuid,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX training_event_roster_person ON training_event_roster (person_id);

CREATE TABLE training_records (
    id                   uuid PRIMARY KEY,
    person_id            uuid NOT NULL REFERENCES personnel (id),
    course_id            uuid REFERENCES courses (id),
    event_id             uuid REFERENCES training_events (id),
    import_id            uuid REFERENCES imports (id),
    title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    completed_on         date NOT NULL,
    quarter_hours        integer NOT NULL CHECK (quarter_hours BETWEEN 1 AND 4000),
    category_hours       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(category_hours) = 'object'),
    outcome              text NOT NULL CHECK (outcome IN ('completed', 'passed', 'failed')),
    score                numeric(6, 2),
    instructor_person_id uuid REFERENCES personnel (id),
    notes                text CHECK (length(notes) <= 4000),
    status               text NOT NULL CHECK (status IN ('approved', 'pending', 'rejected', 'voided')),
    -- How it came: entered by staff, submitted by the officer, an event, an import.
    source               text NOT NULL CHECK (source IN ('entry', 'submission', 'event', 'import')),
    version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by           uuid NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           uuid NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    decided_by           uuid,
    decided_at           timestamptz,
    rejection_reason     text CHECK (length(rejection_reason) BETWEEN 1 AND 1000),
    CHECK (instructor_person_id IS DISTINCT FROM person_id)
);
CREATE INDEX training_records_person ON training_records (person_id, completed_on, id);
CREATE INDEX training_records_completed ON training_records (completed_on, id);
CREATE INDEX training_records_pending ON training_records (created_at) WHERE status = 'pending';
CREATE INDEX training_records_event ON training_records (event_id) WHERE event_id IS NOT NULL;

-- Every version of every training record, append-only: who, when, what changed.
CREATE TABLE training_record_versions (
    record_id  uuid NOT NULL REFERENCES training_records (id),
    version    integer NOT NULL,
    action     text NOT NULL CHECK (action IN ('created', 'submitted', 'corrected', 'approved', 'rejected', 'voided', 'imported')),
    changed_by uuid NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    -- {"field": {"before": …, "after": …}} of what this version changed ({} for the first).
    changes    jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'object'),
    -- The record as this version left it.
    snapshot   jsonb NOT NULL,
    reason     text CHECK (length(reason) <= 1000),
    PRIMARY KEY (record_id, version)
);

CREATE TABLE certifications (
    id         uuid PRIMARY KEY,
    person_id  uuid NOT NULL REFERENCES personnel (id),
    type_id    uuid NOT NULL REFERENCES certification_types (id),
    number     text CHECK (length(number) BETWEEN 1 AND 100),
    issued_on  date NOT NULL,
    -- NULL: never expires.
    expires_on date CHECK (expires_on >= issued_on),
    -- The certification this one renews.
    renews_id  uuid REFERENCES certifications (id),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'voided')),
    version    integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (renews_id IS DISTINCT FROM id)
);
CREATE INDEX certifications_person ON certifications (person_id, type_id, issued_on);
CREATE INDEX certifications_expiry ON certifications (expires_on) WHERE status = 'active';

CREATE TABLE certification_versions (
    certification_id uuid NOT NULL REFERENCES certifications (id),
    version          integer NOT NULL,
    action           text NOT NULL CHECK (action IN ('created', 'corrected', 'voided', 'imported')),
    changed_by       uuid NOT NULL,
    changed_at       timestamptz NOT NULL DEFAULT now(),
    changes          jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'object'),
    snapshot         jsonb NOT NULL,
    reason           text CHECK (length(reason) <= 1000),
    PRIMARY KEY (certification_id, version)
);

CREATE TABLE expenses (
    id                 uuid PRIMARY KEY,
    incurred_on        date NOT NULL,
    amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
    currency           text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    category           text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
    vendor             text CHECK (length(vendor) BETWEEN 1 AND 200),
    funding_source     text NOT NULL CHECK (funding_source IN ('budget', 'grant', 'state_reimbursement', 'other')),
    person_id          uuid REFERENCES personnel (id),
    training_record_id uuid REFERENCES training_records (id),
    notes              text CHECK (length(notes) <= 4000),
    version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    voided_at          timestamptz,
    voided_by          uuid,
    created_by         uuid NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX expenses_incurred ON expenses (incurred_on, id);
CREATE INDEX expenses_person ON expenses (person_id, incurred_on);

-- Evidence (certificates, sign-in sheets, receipts): the file sealed with AES-256-GCM
-- under data_key (no plaintext here), owned by exactly one record, certification or expense.
CREATE TABLE attachments (
    id                 uuid PRIMARY KEY,
    owner_kind         text NOT NULL CHECK (owner_kind IN ('training_record', 'certification', 'expense')),
    training_record_id uuid REFERENCES training_records (id),
    certification_id   uuid REFERENCES certifications (id),
    expense_id         uuid REFERENCES expenses (id),
    file_name          text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type       text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size               integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    -- Of the plaintext.
    sha256             bytea NOT NULL CHECK (length(sha256) = 32),
    -- nonce || ciphertext || tag, sealed with the attachment id as associated data.
    sealed             bytea NOT NULL,
    created_by         uuid NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz,
    deleted_by         uuid,
    CHECK (num_nonnulls(training_record_id, certification_id, expense_id) = 1),
    CHECK ((owner_kind = 'training_record') = (training_record_id IS NOT NULL)),
    CHECK ((owner_kind = 'certification') = (certification_id IS NOT NULL)),
    CHECK ((owner_kind = 'expense') = (expense_id IS NOT NULL))
);
CREATE INDEX attachments_training_record ON attachments (training_record_id) WHERE training_record_id IS NOT NULL;
CREATE INDEX attachments_certification ON attachments (certification_id) WHERE certification_id IS NOT NULL;
CREATE INDEX attachments_expense ON attachments (expense_id) WHERE expense_id IS NOT NULL;

-- The key that seals attachments, wrapped by the master key (one row).
CREATE TABLE data_key (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    wrapped    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

\include idempotency_keys.sql

-- History is never rewritten: versions are only ever added.
CREATE FUNCTION versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER training_record_versions_append_only BEFORE UPDATE OR DELETE ON training_record_versions
    FOR EACH ROW EXECUTE FUNCTION versions_append_only();
CREATE TRIGGER certification_versions_append_only BEFORE UPDATE OR DELETE ON certification_versions
    FOR EACH ROW EXECUTE FUNCTION versions_append_only();

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
