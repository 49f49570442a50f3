-- Thirteen tables shaped like a Records agency schema, for the migration benchmark.
CREATE TABLE units (
    id uuid PRIMARY KEY,
    parent_id uuid REFERENCES units (id),
    name text NOT NULL,
    code text NOT NULL UNIQUE
);
CREATE TABLE officers (
    id uuid PRIMARY KEY,
    unit_id uuid REFERENCES units (id),
    badge text NOT NULL UNIQUE,
    full_name text NOT NULL,
    email text,
    hired_on date NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX officers_unit ON officers (unit_id);
CREATE TABLE supervisors (
    officer_id uuid NOT NULL REFERENCES officers (id),
    unit_id uuid NOT NULL REFERENCES units (id),
    PRIMARY KEY (officer_id, unit_id)
);
CREATE TABLE courses (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    title text NOT NULL,
    hours numeric(6, 2) NOT NULL CHECK (hours >= 0),
    retired boolean NOT NULL DEFAULT false
);
CREATE TABLE training_records (
    id uuid PRIMARY KEY,
    officer_id uuid NOT NULL REFERENCES officers (id),
    course_id uuid NOT NULL REFERENCES courses (id),
    completed_on date NOT NULL,
    score integer,
    notes text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_records_officer ON training_records (officer_id, completed_on DESC);
CREATE INDEX training_records_course ON training_records (course_id);
CREATE TABLE certifications (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,
    valid_months integer NOT NULL CHECK (valid_months > 0)
);
CREATE TABLE officer_certifications (
    officer_id uuid NOT NULL REFERENCES officers (id),
    certification_id uuid NOT NULL REFERENCES certifications (id),
    issued_on date NOT NULL,
    expires_on date NOT NULL,
    PRIMARY KEY (officer_id, certification_id, issued_on)
);
CREATE INDEX officer_certifications_expiry ON officer_certifications (expires_on);
CREATE TABLE requirements (
    id uuid PRIMARY KEY,
    course_id uuid REFERENCES courses (id),
    certification_id uuid REFERENCES certifications (id),
    unit_id uuid REFERENCES units (id),
    every_months integer NOT NULL
);
CREATE TABLE policies (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    published_at timestamptz
);
CREATE TABLE acknowledgements (
    policy_id uuid NOT NULL REFERENCES policies (id),
    officer_id uuid NOT NULL REFERENCES officers (id),
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_id, officer_id)
);
CREATE TABLE expenses (
    id uuid PRIMARY KEY,
    officer_id uuid NOT NULL REFERENCES officers (id),
    training_record_id uuid REFERENCES training_records (id),
    amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
    description text NOT NULL
);
CREATE TABLE imports (
    id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    rows_total integer NOT NULL DEFAULT 0,
    rows_failed integer NOT NULL DEFAULT 0,
    report jsonb
);
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL;
