-- Accounts: users with their roles, server-side sessions, API tokens,
-- single-use e-mail tokens (confirmation, password reset), the failed
-- logins the rate limit counts, and the city officers' review decisions.
-- Every secret (session, API and e-mail token) is stored as its SHA-256
-- only, so that a copy of the database opens no account.

-- +goose Up
CREATE TABLE users (
    id            {{id}},
    email         TEXT {{bytewise}} NOT NULL UNIQUE,  -- lower-cased: unique without regard to case
    name          TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'en',
    role          TEXT NOT NULL,                   -- member, officer, admin
    org_id        BIGINT REFERENCES organisations (id) ON DELETE SET NULL,
    city          TEXT {{bytewise}} REFERENCES cities (slug),
    state         TEXT NOT NULL,                   -- pending, active, disabled
    password_hash TEXT NOT NULL,
    created_at    {{timestamp}} NOT NULL,
    last_login_at {{timestamp}}
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    token_hash   TEXT {{bytewise}} PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}} NOT NULL,
    expires_at   {{timestamp}} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           {{id}},
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT {{bytewise}} NOT NULL UNIQUE,
    created_at   {{timestamp}} NOT NULL,
    last_used_at {{timestamp}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE account_tokens (
    token_hash TEXT {{bytewise}} PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,                      -- confirm, reset
    expires_at {{timestamp}} NOT NULL,
    used_at    {{timestamp}}
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- key is "account:<sha256 of the e-mail>" or "addr:<client address>":
-- hashed so that the table holds no e-mail address of a stranger.
CREATE TABLE login_failures (
    id  {{id}},
    key TEXT {{bytewise}} NOT NULL,
    at  {{timestamp}} NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- Decisions of city officers on organisations and listings: the latest
-- decision on a subject is what its organisation sees (a returned one
-- with its reason).
CREATE TABLE reviews (
    id          {{id}},
    subject     TEXT NOT NULL,                     -- organisation, listing
    ref         TEXT {{bytewise}} NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL,                     -- verified, returned
    reason      TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    at          {{timestamp}} NOT NULL
);
CREATE INDEX reviews_subject ON reviews (subject, ref, id);
CREATE INDEX reviews_org ON reviews (org_id, id);

-- +goose Down
DROP TABLE reviews;
DROP TABLE login_failures;
DROP TABLE account_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
