-- The mail outbox: every e-mail the application sends is first a row here,
-- written in the same transaction as the event that causes it (a first
-- contact, a registration), so that a crash or a dead mail server loses
-- nothing. A delivery worker claims rows with a lease, sends them and marks
-- them sent; a claim whose lease ran out (the worker died) is taken again.
-- The recipient address is personal data: it is kept here only and never
-- written to logs.

-- +goose Up
CREATE TABLE mail_outbox (
    id              {{id}},
    dedupe_key      TEXT {{bytewise}} NOT NULL UNIQUE, -- one mail per event, however often enqueued
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'en',
    state           TEXT NOT NULL DEFAULT 'pending',   -- pending, sent, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {{timestamp}} NOT NULL,
    claim_token     TEXT NOT NULL DEFAULT '',
    claimed_until   {{timestamp}},
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      {{timestamp}} NOT NULL,
    sent_at         {{timestamp}}
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);

-- +goose Down
DROP TABLE mail_outbox;
