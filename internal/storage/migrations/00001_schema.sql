-- The domain schema: member cities, organisations with their contact
-- persons kept apart, listings with side tables for the filters, and the
-- counter behind the listing change feed. Macros ({{id}}, {{timestamp}},
-- {{bytewise}}) are expanded per engine before goose reads this file; see
-- README.md.

-- +goose Up
CREATE TABLE cities (
    slug        TEXT {{bytewise}} PRIMARY KEY,
    country     TEXT NOT NULL,
    names       TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Text
    region      TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Text
    profile     TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Text
    office      TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Office
    content_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cities_country ON cities (country);

CREATE TABLE city_memberships (
    city      TEXT {{bytewise}} NOT NULL REFERENCES cities (slug) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    joined_on TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' when not recorded
    event     TEXT NOT NULL DEFAULT '',
    left_on   TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (city, position)
);

CREATE TABLE organisations (
    id                  {{id}},
    ref                 TEXT {{bytewise}} NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    names               TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Text
    kind                TEXT NOT NULL,
    city                TEXT {{bytewise}} NOT NULL REFERENCES cities (slug),
    size                TEXT NOT NULL DEFAULT '',
    founded             INTEGER NOT NULL DEFAULT 0,
    website             TEXT NOT NULL DEFAULT '',
    industries          TEXT NOT NULL DEFAULT '[]',  -- JSON, in the order given; org_industries serves filters
    about               TEXT NOT NULL DEFAULT '{}',  -- JSON isa.Text
    verification_state  TEXT NOT NULL DEFAULT 'unverified',
    verified_by         TEXT NOT NULL DEFAULT '',
    verified_at         {{timestamp}},
    verification_method TEXT NOT NULL DEFAULT '',
    content_hash        TEXT NOT NULL,
    contacts_hash       TEXT NOT NULL DEFAULT '',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{timestamp}} NOT NULL,
    updated_at          {{timestamp}} NOT NULL
);
CREATE INDEX organisations_city ON organisations (city);
CREATE INDEX organisations_kind ON organisations (kind);

CREATE TABLE org_industries (
    org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    code   TEXT {{bytewise}} NOT NULL,
    PRIMARY KEY (org_id, code)
);
CREATE INDEX org_industries_code ON org_industries (code, org_id);

-- Personal data, apart from the organisation so that public queries never
-- touch it. source says who maintains a row: 'import' rows are replaced by
-- the next import of the organisation, others are kept.
CREATE TABLE contact_persons (
    id       {{id}},
    org_id   BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    source   TEXT NOT NULL DEFAULT 'import',
    name     TEXT NOT NULL DEFAULT '',
    role     TEXT NOT NULL DEFAULT '',
    email    TEXT NOT NULL DEFAULT '',
    phone    TEXT NOT NULL DEFAULT '',
    langs    TEXT NOT NULL DEFAULT '[]',  -- JSON list of language codes
    public   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX contact_persons_org ON contact_persons (org_id, source);

CREATE TABLE listings (
    id           {{id}},
    ref          TEXT {{bytewise}} NOT NULL UNIQUE,
    org_id       BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    lang         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    translations TEXT NOT NULL DEFAULT '{}',  -- JSON map lang → {title, description}
    cooperation  TEXT NOT NULL DEFAULT '[]',  -- JSON, as given; listing_cooperation serves filters
    industries   TEXT NOT NULL DEFAULT '[]',  -- JSON, as given; listing_industries serves filters
    keywords     TEXT NOT NULL DEFAULT '[]',  -- JSON list
    state        TEXT NOT NULL,
    published    TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    expires      TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    content_hash TEXT NOT NULL,
    change_seq   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   {{timestamp}} NOT NULL,
    updated_at   {{timestamp}} NOT NULL
);
CREATE INDEX listings_org ON listings (org_id);
CREATE INDEX listings_state_expires ON listings (state, expires);
CREATE UNIQUE INDEX listings_change_seq ON listings (change_seq);

-- The side tables are derived from the lists in listings (an index the
-- store maintains itself, rewritten on every change of the listing), so they
-- carry no foreign key: PostgreSQL's per-row key check tripled the cost of
-- writing them. Whoever deletes listings deletes their side rows too.
CREATE TABLE listing_industries (
    listing_id BIGINT NOT NULL,
    code       TEXT {{bytewise}} NOT NULL,
    PRIMARY KEY (listing_id, code)
);
CREATE INDEX listing_industries_code ON listing_industries (code, listing_id);

CREATE TABLE listing_cooperation (
    listing_id  BIGINT NOT NULL,
    cooperation TEXT NOT NULL,
    PRIMARY KEY (listing_id, cooperation)
);
CREATE INDEX listing_cooperation_type ON listing_cooperation (cooperation, listing_id);

-- Named counters. 'listing_change' hands out the change sequence numbers of
-- listings; a transaction holds its row lock from its first listing write
-- until commit, so numbers become visible in the order they were given out
-- and a reader of the change feed never skips one.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('listing_change', 0);

-- +goose Down
DROP TABLE counters;
DROP TABLE listing_cooperation;
DROP TABLE listing_industries;
DROP TABLE listings;
DROP TABLE contact_persons;
DROP TABLE org_industries;
DROP TABLE organisations;
DROP TABLE city_memberships;
DROP TABLE cities;
