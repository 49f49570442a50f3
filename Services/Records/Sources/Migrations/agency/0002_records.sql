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
