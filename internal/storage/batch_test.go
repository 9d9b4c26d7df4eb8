package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// TestLargeBatchTransaction writes more listings in one transaction than
// the store keeps side rows pending for, so that the pending rows are
// flushed in the middle of a bulk upsert. On PostgreSQL that flush once ran
// while the rows of the upsert's RETURNING were still open, and every
// batch of 2000 records failed with "bad connection".
func TestLargeBatchTransaction(t *testing.T) {
	const n = 4500 // above the flush threshold twice over
	for _, e := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", storagetest.OpenSQLite}, {"postgres", storagetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			db := e.open(t)
			if _, err := db.UpsertOrganisation(ctx, &isa.Organisation{Ref: "o", Name: "O", Kind: isa.Company, City: "hamburg"}, nil); err != nil {
				t.Fatal(err)
			}
			ls := make([]*isa.Listing, n)
			for i := range ls {
				ls[i] = &isa.Listing{Ref: fmt.Sprintf("l-%d", i), Org: "o", Kind: isa.Offer, Lang: isa.DE, Title: "T", Description: "D",
					State: isa.Published, Industries: []string{"C28.15"}, Cooperation: []string{"supply"}}
			}
			err := db.InTx(ctx, func(tx isa.Store) error {
				_, errs, err := tx.(isa.ListingBatcher).UpsertListings(ctx, ls)
				if err != nil {
					return err
				}
				for i, err := range errs {
					if err != nil {
						return fmt.Errorf("listing %d: %w", i, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []isa.ListingFilter{{Industry: "C28"}, {Cooperation: "supply"}} {
				got, after := 0, ""
				for {
					f.After, f.Limit = after, 500
					p, err := db.Listings(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					got += len(p.Items)
					if after = p.Next; after == "" {
						break
					}
				}
				if got != n {
					t.Errorf("filter %+v finds %d listings, want %d", f, got, n)
				}
			}
		})
	}
}
