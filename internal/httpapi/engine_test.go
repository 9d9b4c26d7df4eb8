package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/matching"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// The analyser loads dictionaries; one per test binary is enough.
var analyser = sync.OnceValues(textanalysis.Default)

// TestSearchAndMatchesOnTheRealEngineShowOnlyPublicListings wires the API to
// the real index and matcher over a seeded store, as the program does.
func TestSearchAndMatchesOnTheRealEngineShowOnlyPublicListings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store isa.Store) {
		an, err := analyser()
		if err != nil {
			t.Fatal(err)
		}
		now := func() time.Time { return testNow }
		idx := search.NewMemory(an, now)
		if _, err := search.NewLoader(store, idx, nil).Rebuild(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv := newServer(t, Deps{Store: store, Search: idx, Matcher: matching.New(idx, an, store, nil, now)})

		res := get(t, srv, "/api/v1/search?limit=100", "")
		if res.status != http.StatusOK {
			t.Fatalf("search: %d %s", res.status, res.body)
		}
		var sr search.Result
		if err := json.Unmarshal(res.body, &sr); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range sr.Hits {
			got = append(got, h.Ref)
		}
		slices.Sort(got)
		if want := sorted(publicListings...); !slices.Equal(got, want) || sr.Total != len(want) {
			t.Errorf("search everything: total %d, hits %v, want %v", sr.Total, got, want)
		}

		res = get(t, srv, "/api/v1/search?kind=request&country=CN", "")
		if err := json.Unmarshal(res.body, &sr); err != nil || res.status != http.StatusOK {
			t.Fatalf("filtered search: %d %s", res.status, res.body)
		}
		got = got[:0]
		for _, h := range sr.Hits {
			got = append(got, h.Ref)
		}
		slices.Sort(got)
		if want := sorted("l-zh-mould", "l-zh-battery"); !slices.Equal(got, want) {
			t.Errorf("requests from China: %v, want %v", got, want)
		}

		res = get(t, srv, "/api/v1/listings/l-zh-mould/matches", "de")
		if res.status != http.StatusOK {
			t.Fatalf("matches: %d %s", res.status, res.body)
		}
		var mr matching.Result
		if err := json.Unmarshal(res.body, &mr); err != nil {
			t.Fatal(err)
		}
		if mr.Ref != "l-zh-mould" || len(mr.Matches) == 0 {
			t.Errorf("matches of l-zh-mould: %s", res.body)
		}
		for _, m := range mr.Matches {
			if m.Kind != isa.Offer || m.Org == "org-fs-meida" || !slices.Contains(publicListings, m.Ref) {
				t.Errorf("match of a request: %+v", m)
			}
		}
	})
}
