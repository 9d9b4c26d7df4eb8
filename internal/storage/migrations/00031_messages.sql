-- Contacts between organisations: a thread starts with a first contact
-- about a listing, which the receiving organisation accepts or declines;
-- only an accepted thread shows both sides' contact persons and takes
-- replies. contact_quota counts the first contacts an organisation sent
-- per day, for the rate limit (an upsert counts atomically on both engines).

-- +goose Up
CREATE TABLE contact_threads (
    id          {{id}},
    from_org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    to_org_id   BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    listing_id  BIGINT REFERENCES listings (id) ON DELETE SET NULL,
    state       TEXT NOT NULL DEFAULT 'pending',  -- pending, accepted, declined
    created_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at  {{timestamp}} NOT NULL,
    decided_at  {{timestamp}},
    updated_at  {{timestamp}} NOT NULL              -- last message or decision
);
CREATE INDEX contact_threads_to ON contact_threads (to_org_id, updated_at);
CREATE INDEX contact_threads_from ON contact_threads (from_org_id, updated_at);
CREATE INDEX contact_threads_listing ON contact_threads (listing_id, from_org_id);

CREATE TABLE contact_messages (
    id          {{id}},
    thread_id   BIGINT NOT NULL REFERENCES contact_threads (id) ON DELETE CASCADE,
    from_org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    author_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    created_at  {{timestamp}} NOT NULL
);
CREATE INDEX contact_messages_thread ON contact_messages (thread_id, id);

CREATE TABLE contact_quota (
    org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day    TEXT NOT NULL,                           -- YYYY-MM-DD, UTC
    sent   INTEGER NOT NULL,
    PRIMARY KEY (org_id, day)
);

-- +goose Down
DROP TABLE contact_quota;
DROP TABLE contact_messages;
DROP TABLE contact_threads;
