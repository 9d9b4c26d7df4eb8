package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// BenchmarkPages renders the main pages on SQLite without a search engine:
// the cost of templates and store reads per request.
func BenchmarkPages(b *testing.B) {
	db := storagetest.OpenSQLite(b)
	seed(b, db)
	w, err := New(Deps{Store: db, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }, Industries: fakeNACE{}})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	for _, path := range []string{"/de/", "/zh/cities", "/en/cities/solingen", "/de/organisations/de-klingen", "/zh/listings/offer-blades", "/en/search?kind=offer"} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
