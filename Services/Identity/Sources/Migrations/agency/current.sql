-- The whole current agency DDL: a new agency schema is created from this file in one step.
-- Keep it equal to replaying every numbered file (a test checks).
\include agency_settings.sql

-- People of the agency, their credentials and sessions.
CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    email               text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    roles               text[] NOT NULL,
    status              text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
    password_hash       text,
    password_changed_at timestamptz,
    totp_secret         bytea,
    totp_pending_secret bytea,
    totp_last_step      bigint,
    mfa_enrolled_at     timestamptz,
    -- An admin reset this user's MFA: the next login may only enrol it again.
    mfa_reset_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_roles ON users USING gin (roles);

-- A login: the current refresh token's hash, its lifetimes and how the user authenticated.
CREATE TABLE sessions (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    refresh_hash     bytea NOT NULL UNIQUE,
    amr              text[] NOT NULL,
    scope            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_used_at     timestamptz NOT NULL DEFAULT now(),
    authenticated_at timestamptz NOT NULL DEFAULT now(),
    idle_expires_at  timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_reason   text,
    client_address   text,
    user_agent       text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens already rotated away: presenting one again revokes its session.
CREATE TABLE used_refresh_tokens (
    hash       bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id),
    used_at    timestamptz NOT NULL DEFAULT now()
);

-- Single-use tokens: invitations (72 h), password resets (30 min), MFA steps of a login (5 min).
CREATE TABLE user_tokens (
    hash       bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL CHECK (kind IN ('invitation', 'password_reset', 'mfa')),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    attempts   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, kind);

CREATE TABLE recovery_codes (
    user_id   uuid NOT NULL REFERENCES users (id),
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- Consecutive failed logins per account and client address (per-address backoff).
CREATE TABLE login_attempts (
    email           text NOT NULL,
    address         text NOT NULL,
    failures        integer NOT NULL,
    blocked_until   timestamptz,
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (email, address)
);

-- Consecutive failed logins per account from anywhere (100 within 30 days lock it).
-- Keyed by the email as typed, so unknown accounts are counted exactly like known ones.
CREATE TABLE account_failures (
    email            text PRIMARY KEY,
    failures         integer NOT NULL,
    first_failure_at timestamptz NOT NULL DEFAULT now(),
    locked_at        timestamptz
);

-- Vendor access that the agency's admins grant, and every use of it.
CREATE TABLE support_grants (
    id         uuid PRIMARY KEY,
    created_by uuid NOT NULL REFERENCES users (id),
    reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_by uuid
);

CREATE TABLE support_sessions (
    id          uuid PRIMARY KEY,
    grant_id    uuid NOT NULL REFERENCES support_grants (id),
    operator_id uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE TABLE support_grant_uses (
    id          uuid PRIMARY KEY,
    grant_id    uuid NOT NULL REFERENCES support_grants (id),
    operator_id uuid NOT NULL,
    action      text NOT NULL,
    target      text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_grant_uses_grant ON support_grant_uses (grant_id, at);

\include idempotency_keys.sql
