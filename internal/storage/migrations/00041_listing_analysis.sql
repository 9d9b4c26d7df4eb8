-- The search index's analysis of each listing (weighted terms, length),
-- kept so that a start of the index reads it instead of analysing every
-- text again. fingerprint names the analyser that made it and input_hash
-- the listing fields it read; the index uses a row only when both match,
-- so a stale row costs a re-analysis, never a wrong result. data is the
-- index's own encoding (package search). The row goes with its listing.

-- +goose Up
CREATE TABLE listing_analysis (
    listing_id  BIGINT PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    input_hash  TEXT NOT NULL,
    data        {{blob}} NOT NULL
);

-- +goose Down
DROP TABLE listing_analysis;
