package interchange

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/search/searchtest"
)

// TestReimportOfWithdrawnListingStaysOutOfSearch follows the change feed
// as the server does: the re-import's content change reaches the index,
// which must still not list the withdrawn listing, while a listing renewed
// by the file becomes searchable again.
func TestReimportOfWithdrawnListingStaysOutOfSearch(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		ctx := context.Background()
		st := open(t)
		importString(t, st, Options{}, "every.jsonl", everyField)
		idx := search.NewMemory(searchtest.Analyzer(t), func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) })
		loader := search.NewLoader(st, idx, nil)
		if _, err := loader.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		find := func(text string) []string {
			t.Helper()
			r, err := idx.Search(ctx, search.Query{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, h := range r.Hits {
				refs = append(refs, h.Ref)
			}
			return refs
		}
		if got := find("Kegelradgetriebe"); !slices.Contains(got, "t-lst-1") {
			t.Fatalf("before: Kegelradgetriebe finds %v, want t-lst-1", got)
		}
		if got := find("distributor"); slices.Contains(got, "t-lst-3") {
			t.Fatalf("before: the expired t-lst-3 is listed: %v", got)
		}

		l, err := st.Listing(ctx, "t-lst-1")
		if err != nil {
			t.Fatal(err)
		}
		l.State = isa.Withdrawn
		if _, err := st.UpsertListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		if _, err := loader.Sync(ctx); err != nil {
			t.Fatal(err)
		}

		second := strings.Replace(everyField, `"title":"Kegelradgetriebe in Kleinserie"`, `"title":"Kegelradgetriebe in Klein- und Großserie"`, 1)
		second = strings.Replace(second, `"expires":"2026-05-01"`, `"expires":"2027-05-01"`, 1)
		if sum := importString(t, st, Options{}, "every.jsonl", second); sum.Updated != 2 || sum.Warnings != 1 {
			t.Fatalf("re-import: %s, want 2 updated, 1 warning", sum)
		}
		n, err := loader.Sync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("the change feed brought %d listings after the re-import, want 2 (t-lst-1, t-lst-3)", n)
		}
		for _, q := range []string{"Kegelradgetriebe", "Großserie"} {
			if got := find(q); slices.Contains(got, "t-lst-1") {
				t.Errorf("after the re-import %q finds the withdrawn t-lst-1: %v", q, got)
			}
		}
		if got := find("distributor"); !slices.Contains(got, "t-lst-3") {
			t.Errorf("after the re-import the renewed t-lst-3 is not listed: %v", got)
		}
	})
}
