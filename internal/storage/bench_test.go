package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// BenchmarkUpsertListings measures an import: listings of realistic size
// upserted in transactions of 1000 records, one by one (UpsertListing) or
// batched (UpsertListings), into a store that starts empty (created) or
// already holds them (unchanged). Run with e.g. -benchtime=100000x to
// measure at scale.
//
// Besides listings/s it reports the CPU time per listing of this process
// (go-cpu-µs) and, on PostgreSQL, of the server processes serving the
// benchmark's own database (pg-cpu-µs): on a shared machine the wall-clock
// rate says more about the neighbours than about the code.
func BenchmarkUpsertListings(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) (*storage.DB, string)
	}{
		{"sqlite", func(tb testing.TB) (*storage.DB, string) { return storagetest.OpenSQLite(tb), "" }},
		{"postgres", openBenchPostgres},
	}
	modes := []struct {
		name  string
		batch bool
		want  isa.Outcome
	}{
		{"one-by-one", false, isa.Created},
		{"one-by-one-unchanged", false, isa.Unchanged},
		{"batch", true, isa.Created},
		{"batch-unchanged", true, isa.Unchanged},
	}
	for _, eng := range engines {
		for _, mode := range modes {
			b.Run(eng.name+"/"+mode.name, func(b *testing.B) {
				db, dbName := eng.open(b)
				benchUpsert(b, db, dbName, mode.batch, mode.want)
			})
		}
	}
}

func openBenchPostgres(tb testing.TB) (*storage.DB, string) {
	u := storagetest.PostgresURL(tb)
	ctx := context.Background()
	db, err := storage.Open(ctx, storage.Config{DatabaseURL: u})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	parsed, _ := url.Parse(u)
	return db, strings.TrimPrefix(parsed.Path, "/")
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

func benchUpsert(b *testing.B, db *storage.DB, pgDB string, batched bool, want isa.Outcome) {
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
	start, goStart, pgStart := time.Now(), processCPU(), serverCPU(pgDB)
	importN(b, db, b.N, batched, want)
	n := float64(b.N)
	b.ReportMetric(n/time.Since(start).Seconds(), "listings/s")
	b.ReportMetric(float64((processCPU()-goStart).Microseconds())/n, "go-cpu-µs/listing")
	if pgDB != "" {
		b.ReportMetric(float64((serverCPU(pgDB)-pgStart).Microseconds())/n, "pg-cpu-µs/listing")
	}
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

func processCPU() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// serverCPU sums the CPU time of the PostgreSQL backends connected to the
// database dbName (their command line names it), read from /proc; 0 where
// that is not possible.
func serverCPU(dbName string) time.Duration {
	if dbName == "" {
		return 0
	}
	var ticks int64
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmd, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || !bytes.Contains(cmd, []byte(" "+dbName+" ")) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// Fields after the parenthesised command: utime and stime are
		// the 12th and 13th.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ
}
