-- One open contact per organisation and listing, also when two members of
-- an organisation send theirs at the same moment: the service checks
-- first, and this index decides the race.

-- +goose Up
CREATE UNIQUE INDEX contact_threads_open ON contact_threads (listing_id, from_org_id) WHERE state IN ('pending', 'accepted');

-- +goose Down
DROP INDEX contact_threads_open;
