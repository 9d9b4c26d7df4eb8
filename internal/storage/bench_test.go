package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// BenchmarkUpsertListings measures an import: listings of realistic size
// upserted in transactions of batch records, as the importer does.
// Run with e.g. -benchtime=100000x to measure at scale.
func BenchmarkUpsertListings(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", storagetest.OpenSQLite}, {"postgres", storagetest.OpenPostgres}} {
		for _, mode := range []struct {
			name  string
			batch bool
			want  isa.Outcome
		}{
			{"one-by-one", false, isa.Created},
			{"one-by-one-unchanged", false, isa.Unchanged},
			{"batch", true, isa.Created},
			{"batch-unchanged", true, isa.Unchanged},
		} {
			b.Run(eng.name+"/"+mode.name, func(b *testing.B) {
				benchUpsert(b, eng.open(b), mode.batch, mode.want)
			})
		}
	}
}

const batch = 1000

func benchListing(i int) *isa.Listing {
	return &isa.Listing{
		Ref: fmt.Sprintf("bench-%08d", i), Org: fmt.Sprintf("bench-org-%04d", i%1000),
		Kind: []isa.ListingKind{isa.Offer, isa.Request}[i%2], Lang: isa.DE,
		Title:       fmt.Sprintf("Kunststoffspritzguss für Automobilzulieferer, Serie %d", i),
		Description: strings.Repeat("Wir fertigen technische Kunststoffteile in mittleren und großen Serien. ", 8),
		Translations: map[isa.Lang]isa.Translation{
			isa.ZH: {Title: "汽车零部件注塑加工", Description: strings.Repeat("我们生产中大批量的工程塑料零件。", 6)},
		},
		Cooperation: []string{"supply", "manufacturing"},
		Industries:  []string{"C22.29", fmt.Sprintf("C%02d", 10+i%23)},
		Keywords:    []string{"Spritzguss", "注塑", "injection moulding", "PA6", "Automotive"},
		State:       isa.Published, Published: "2026-01-10", Expires: "2027-01-10",
	}
}

func benchUpsert(b *testing.B, db *storage.DB, batched bool, want isa.Outcome) {
	ctx := context.Background()
	err := db.InTx(ctx, func(tx isa.Store) error {
		for i := range 1000 {
			o := &isa.Organisation{Ref: fmt.Sprintf("bench-org-%04d", i), Name: "Bench", Kind: isa.Company, City: []string{"hamburg", "foshan"}[i%2]}
			if _, err := tx.UpsertOrganisation(ctx, o, []isa.ContactPerson{{Email: "x@example.com"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if want == isa.Unchanged {
		importN(b, db, b.N, batched, isa.Created)
	}
	b.ResetTimer()
	start := time.Now()
	importN(b, db, b.N, batched, want)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "listings/s")
}

func importN(b *testing.B, db *storage.DB, n int, batched bool, want isa.Outcome) {
	ctx := context.Background()
	for lo := 0; lo < n; lo += batch {
		err := db.InTx(ctx, func(tx isa.Store) error {
			if batched {
				ls := make([]*isa.Listing, 0, batch)
				for i := lo; i < min(lo+batch, n); i++ {
					ls = append(ls, benchListing(i))
				}
				outs, errs, err := tx.(isa.ListingBatcher).UpsertListings(ctx, ls)
				if err != nil {
					return err
				}
				for i := range ls {
					if errs[i] != nil || outs[i] != want {
						return fmt.Errorf("listing %d: %v, %v; want %v", lo+i, outs[i], errs[i], want)
					}
				}
				return nil
			}
			for i := lo; i < min(lo+batch, n); i++ {
				out, err := tx.UpsertListing(ctx, benchListing(i))
				if err != nil {
					return err
				}
				if out != want {
					return fmt.Errorf("listing %d: %v, want %v", i, out, want)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
