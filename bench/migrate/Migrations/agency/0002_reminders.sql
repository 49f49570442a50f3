-- One version up: a nullable column, an index and a new table (expand only).
ALTER TABLE officers ADD COLUMN reminder_email text;
CREATE INDEX officers_active ON officers (active) WHERE active;
CREATE TABLE reminders (
    id uuid PRIMARY KEY,
    officer_certification_expires_on date NOT NULL,
    officer_id uuid NOT NULL REFERENCES officers (id),
    sent_at timestamptz
);
