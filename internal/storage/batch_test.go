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
	for _, e := range dbEngines {
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

// TestBulkWritesCommitWithoutWaitingForTheDisk checks that on PostgreSQL
// a transaction relaxes synchronous_commit once it writes in bulk, and only
// that transaction.
func TestBulkWritesCommitWithoutWaitingForTheDisk(t *testing.T) {
	ctx := context.Background()
	db := storagetest.OpenPostgres(t)
	if _, err := db.UpsertOrganisation(ctx, &isa.Organisation{Ref: "o", Name: "O", Kind: isa.Company, City: "hamburg"}, nil); err != nil {
		t.Fatal(err)
	}
	show := func(tx isa.Store) string {
		v, err := storage.ShowInTx(ctx, tx, "synchronous_commit")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var server, before, after, single string
	err := db.InTx(ctx, func(tx isa.Store) error {
		server = show(tx)
		if _, err := tx.UpsertListing(ctx, &isa.Listing{Ref: "one", Org: "o", Kind: isa.Offer, Title: "T", Description: "D", State: isa.Published}); err != nil {
			return err
		}
		single = show(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx isa.Store) error {
		before = show(tx)
		us := []isa.OrgUpsert{{Org: &isa.Organisation{Ref: "p", Name: "P", Kind: isa.Company, City: "foshan"}}}
		if _, _, err := tx.(isa.OrganisationBatcher).UpsertOrganisations(ctx, us); err != nil {
			return err
		}
		after = show(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if server == "off" || single != server || before != server || after != "off" {
		t.Errorf("synchronous_commit: server %q, after a single write %q, before a bulk write %q, after it %q; want the server's, the server's, off",
			server, single, before, after)
	}
	if err := db.InTx(ctx, func(tx isa.Store) error { before = show(tx); return nil }); err != nil || before != server {
		t.Errorf("the next transaction sees synchronous_commit %q (%v), want the server's %q", before, err, server)
	}
}

// TestSQLiteWriterKeepsStatementJournalsInMemory checks the writer's
// temporary store, where bulk upserts keep their statement journals, and
// that readers keep theirs on disk; and the writer's checkpoint interval.
func TestSQLiteWriterKeepsStatementJournalsInMemory(t *testing.T) {
	db := storagetest.OpenSQLite(t)
	var w, r, ckpt int
	if err := db.SQL().QueryRow(`PRAGMA temp_store`).Scan(&w); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&ckpt); err != nil {
		t.Fatal(err)
	}
	if ckpt != 10000 {
		t.Errorf("writer checkpoints every %d pages, want 10000", ckpt)
	}
	if err := db.ReadSQL().QueryRow(`PRAGMA temp_store`).Scan(&r); err != nil {
		t.Fatal(err)
	}
	if w != 2 || r != 0 {
		t.Errorf("temp_store: writer %d, reader %d; want 2 (memory), 0 (default)", w, r)
	}
}
