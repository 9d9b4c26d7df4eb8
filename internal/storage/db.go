package storage

import (
	"context"

	"github.com/isa-alliance/isa"
)

// The methods of *DB run on a fresh conn: reads on the read pool, writes
// in a transaction of their own on the write pool.

func (db *DB) Cities(ctx context.Context) ([]isa.City, error) { return db.reader().Cities(ctx) }

func (db *DB) City(ctx context.Context, slug string) (isa.City, error) {
	return db.reader().City(ctx, slug)
}

func (db *DB) Organisation(ctx context.Context, ref string) (*isa.Organisation, error) {
	return db.reader().Organisation(ctx, ref)
}

func (db *DB) Organisations(ctx context.Context, f isa.OrgFilter) (isa.Page[isa.Organisation], error) {
	return db.reader().Organisations(ctx, f)
}

func (db *DB) UpsertOrganisation(ctx context.Context, o *isa.Organisation, contacts []isa.ContactPerson) (isa.Outcome, error) {
	return db.reader().UpsertOrganisation(ctx, o, contacts)
}

func (db *DB) Contacts(ctx context.Context, orgID int64) ([]isa.ContactPerson, error) {
	return db.reader().Contacts(ctx, orgID)
}

func (db *DB) Listing(ctx context.Context, ref string) (*isa.Listing, error) {
	return db.reader().Listing(ctx, ref)
}

func (db *DB) Listings(ctx context.Context, f isa.ListingFilter) (isa.Page[isa.Listing], error) {
	return db.reader().Listings(ctx, f)
}

func (db *DB) UpsertListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	return db.reader().UpsertListing(ctx, l)
}

func (db *DB) ExpireListings(ctx context.Context, today isa.Date) (int, error) {
	return db.reader().ExpireListings(ctx, today)
}

func (db *DB) ListingChanges(ctx context.Context, since int64, limit int) ([]string, int64, error) {
	return db.reader().ListingChanges(ctx, since, limit)
}

// UpsertListings upserts many listings in one transaction of its own; see
// (*conn).UpsertListings.
func (db *DB) UpsertListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error) {
	return db.reader().UpsertListings(ctx, ls)
}
