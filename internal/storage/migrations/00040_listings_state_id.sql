-- Paging through the listings of one state (the search index loads every
-- published listing page by page, `state = ? AND id > ? ORDER BY id`) must
-- read each page in id order instead of sorting all listings of the state
-- for every page, which made a rebuild at a million listings take hours on
-- SQLite.

-- +goose Up
CREATE INDEX listings_state_id ON listings (state, id);

-- +goose Down
DROP INDEX listings_state_id;
