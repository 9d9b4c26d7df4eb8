package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/search/searchtest"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func stores(t *testing.T) map[string]func(t *testing.T) isa.Store {
	return map[string]func(t *testing.T) isa.Store{
		"sqlite":   func(t *testing.T) isa.Store { return storagetest.OpenSQLite(t) },
		"postgres": func(t *testing.T) isa.Store { return storagetest.OpenPostgres(t) },
	}
}

func hitRefs(t *testing.T, idx search.Index, text string) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), search.Query{Text: text, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Ref)
	}
	slices.Sort(out)
	return out
}

// TestLoaderFollowsTheDatabase proves that the index holds exactly the
// database's published listings after a rebuild, that a change becomes
// searchable within a second, and that a fresh rebuild (the start after a
// crash) agrees with the database.
func TestLoaderFollowsTheDatabase(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			docs := searchtest.Fixture()
			docs[len(docs)-1].Listing.State = isa.Withdrawn
			searchtest.Seed(t, st, docs)
			now := func() time.Time { return searchtest.Today }
			an := searchtest.Analyzer(t)

			idx := search.NewMemory(an, now)
			loader := search.NewLoader(st, idx, nil)
			n, err := loader.Rebuild(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != 7 || idx.Len() != 7 {
				t.Fatalf("rebuild loaded %d, index holds %d; want 7 published listings", n, idx.Len())
			}
			if got := hitRefs(t, idx, "热泵"); !slices.Equal(got, []string{"hp-de-req", "hp-en-off", "hp-zh-off"}) {
				t.Errorf("after rebuild: %v", got)
			}

			fctx, cancel := context.WithCancel(ctx)
			defer cancel()
			go loader.Follow(fctx, 50*time.Millisecond)

			changed := *docs[2].Listing // hp-en-off
			changed.State = isa.Withdrawn
			if _, err := st.UpsertListing(ctx, &changed); err != nil {
				t.Fatal(err)
			}
			added := *docs[0].Listing
			added.Ref, added.Title, added.Description = "new-de", "Kältemaschine gesucht", "Wir suchen eine Kältemaschine."
			if _, err := st.UpsertListing(ctx, &added); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Second)
			for {
				gone := !slices.Contains(hitRefs(t, idx, "heat pump"), "hp-en-off")
				found := slices.Equal(hitRefs(t, idx, "Kältemaschine"), []string{"new-de"})
				if gone && found {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("changes not searchable within a second: withdrawn gone %v, new found %v", gone, found)
				}
				time.Sleep(20 * time.Millisecond)
			}
			cancel()

			fresh := search.NewMemory(an, now)
			if _, err := search.NewLoader(st, fresh, nil).Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"heat pump", "Kältemaschine", "Getriebe", ""} {
				if a, b := hitRefs(t, idx, q), hitRefs(t, fresh, q); !slices.Equal(a, b) {
					t.Errorf("%q: followed index %v, rebuilt index %v", q, a, b)
				}
			}
		})
	}
}

// TestSnippetsFromTheDatabase proves that an index that keeps no texts
// still cuts marked snippets, reading the texts of the hits from the store.
func TestSnippetsFromTheDatabase(t *testing.T) {
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	searchtest.Seed(t, st, searchtest.Fixture())
	idx := search.NewMemory(searchtest.Analyzer(t), func() time.Time { return searchtest.Today })
	idx.ReadTextsFrom(st)
	if _, err := search.NewLoader(st, idx, nil).Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(ctx, search.Query{Text: "heat pumps", Lang: isa.EN})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits %+v", res.Hits)
	}
	html := search.SnippetHTML(res.Hits[0].Snippet)
	if !strings.Contains(html, "<mark>heat pumps</mark>") || strings.Contains(html, "<script>") {
		t.Errorf("snippet %q", html)
	}
}
