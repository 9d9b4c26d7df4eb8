package storage_test

import (
	"context"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func TestSQLiteAnalysisConformance(t *testing.T) {
	storagetest.RunAnalyses(t, func(t *testing.T) storagetest.AnalysisStore { return storagetest.OpenSQLite(t) })
}

func TestPostgresAnalysisConformance(t *testing.T) {
	storagetest.RunAnalyses(t, func(t *testing.T) storagetest.AnalysisStore { return storagetest.OpenPostgres(t) })
}

// TestAnalysisGoesWithItsListing proves the ON DELETE CASCADE: nothing in
// the program deletes listings yet, but a stored analysis must never
// outlive its listing (and hold its id for a later one).
func TestAnalysisGoesWithItsListing(t *testing.T) {
	for _, e := range dbEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			db := e.open(t)
			if _, err := db.UpsertOrganisation(ctx, &isa.Organisation{Ref: "o", Name: "O", Kind: isa.Company, City: "hamburg", Size: isa.Small}, nil); err != nil {
				t.Fatal(err)
			}
			l := &isa.Listing{Ref: "l", Org: "o", Kind: isa.Offer, Lang: isa.DE, Title: "T", Description: "D", State: isa.Published}
			if _, err := db.UpsertListing(ctx, l); err != nil {
				t.Fatal(err)
			}
			if err := db.PutListingAnalyses(ctx, []isa.ListingAnalysis{{ListingID: l.ID, Fingerprint: "fp", InputHash: "h", Data: []byte("x")}}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`DELETE FROM listings WHERE id = ?`), l.ID); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM listing_analysis`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d analyses left after their listing was deleted", n)
			}
		})
	}
}
