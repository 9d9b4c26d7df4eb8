package httpapi

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// BenchmarkReadRoutes measures the API's handlers with the store, without
// the network: go test -run '^$' -bench ReadRoutes ./internal/httpapi/
func BenchmarkReadRoutes(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(testing.TB) isa.Store
	}{
		{"sqlite", func(t testing.TB) isa.Store { return storagetest.OpenSQLite(t) }},
		{"postgres", func(t testing.TB) isa.Store { return storagetest.OpenPostgres(t) }},
	} {
		b.Run(backend.name, func(b *testing.B) {
			store := backend.open(b)
			ctx := context.Background()
			cities := []string{"hamburg", "foshan", "solingen", "liuzhou"}
			for i := range 200 {
				o := &isa.Organisation{Ref: fmt.Sprintf("bo-%d", i), Name: "Bench org", Kind: isa.Company, City: cities[i%len(cities)]}
				if _, err := store.UpsertOrganisation(ctx, o, nil); err != nil {
					b.Fatal(err)
				}
			}
			for i := range 2000 {
				l := &isa.Listing{Ref: fmt.Sprintf("bl-%d", i), Org: fmt.Sprintf("bo-%d", i%200), Kind: isa.Offer, Lang: isa.DE,
					State: isa.Published, Title: "Spritzgusswerkzeuge", Description: "Werkzeugbau für Kunststoffteile",
					Industries: []string{"C22.29"}, Cooperation: []string{"supply"}, Published: "2026-01-01", Expires: "2027-01-01"}
				if _, err := store.UpsertListing(ctx, l); err != nil {
					b.Fatal(err)
				}
			}
			// A bulk load leaves PostgreSQL without statistics until
			// autovacuum comes by; without them the planner picks plans 70
			// times slower for combined filters. Measure the settled state.
			if db, ok := store.(interface{ SQL() *sql.DB }); ok {
				if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			mux := http.NewServeMux()
			New(Deps{Store: store, Now: func() time.Time { return testNow }}).Register(mux)
			for _, target := range []string{
				"/api/v1/listings?limit=50",
				"/api/v1/listings?city=foshan&industry=C22&limit=50",
				"/api/v1/listings/bl-1234",
				"/api/v1/organisations?limit=50",
				"/api/v1/cities",
			} {
				b.Run(target, func(b *testing.B) {
					for b.Loop() {
						w := httptest.NewRecorder()
						mux.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
						if w.Code != http.StatusOK {
							b.Fatalf("%d %s", w.Code, w.Body)
						}
					}
				})
			}
		})
	}
}
