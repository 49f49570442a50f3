-- The daily reminder sweep of each agency: when it is next due (its local send hour,
-- as an instant) and the last local day swept. A replica claims due rows with
-- FOR UPDATE SKIP LOCKED and a lease, so only one sweeps an agency a day; finding the
-- due agencies is one index scan however many there are.
CREATE TABLE reminder_sweeps (
    agency_id     uuid PRIMARY KEY,
    next_at       timestamptz NOT NULL DEFAULT now(),
    last_swept_on date,
    -- The agency's zone as Records last answered it (Records owns the setting).
    time_zone     text NOT NULL DEFAULT 'America/Chicago',
    -- The slug provisioning gave (for `notify sweep-reminders --agency SLUG`).
    slug          text,
    claimed_by    text,
    claimed_until timestamptz
);
CREATE INDEX reminder_sweeps_due ON reminder_sweeps (next_at);
