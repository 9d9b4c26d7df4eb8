package search_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/search/searchtest"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// analysisStores are the stores with stored analyses, on both engines.
func analysisStores() map[string]func(t *testing.T) storagetest.AnalysisStore {
	return map[string]func(t *testing.T) storagetest.AnalysisStore{
		"sqlite":   func(t *testing.T) storagetest.AnalysisStore { return storagetest.OpenSQLite(t) },
		"postgres": func(t *testing.T) storagetest.AnalysisStore { return storagetest.OpenPostgres(t) },
	}
}

var storedQueries = []string{"热泵", "heat pump", "Wärmepumpe", "Getriebe", "减速机", "laser cutting", "Schneckengetriebe Bayern", ""}

// results runs the queries and returns every result whole: hits with
// scores and snippets, totals and facets.
func results(t *testing.T, idx search.Index) []*search.Result {
	t.Helper()
	var out []*search.Result
	for _, q := range storedQueries {
		res, err := idx.Search(context.Background(), search.Query{Text: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// newAnalyzer builds an analyser per index, as each process does: its
// lexicon learns only the corpus that index saw.
func newAnalyzer(t *testing.T, concepts []textanalysis.Concept) *textanalysis.Analyzer {
	t.Helper()
	an, err := textanalysis.New(concepts)
	if err != nil {
		t.Fatal(err)
	}
	return an
}

// rebuild loads a new index from st, as a process start does, and returns
// it with the loader's counts.
func rebuild(t *testing.T, st isa.Store, as isa.AnalysisStore, concepts []textanalysis.Concept) (*search.Memory, search.LoadStats) {
	t.Helper()
	idx := search.NewMemory(newAnalyzer(t, concepts), func() time.Time { return searchtest.Today })
	loader := search.NewLoader(st, idx, nil)
	if as != nil {
		loader.UseStoredAnalyses(as, true, 0)
	}
	if _, err := loader.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	return idx, loader.Stats()
}

func wantStats(t *testing.T, what string, got search.LoadStats, reused, computed int) {
	t.Helper()
	if got.Reused != reused || got.Computed != computed {
		t.Errorf("%s: reused %d, computed %d; want %d, %d", what, got.Reused, got.Computed, reused, computed)
	}
}

// TestStoredAnalysesAreReusedWhenFresh proves, on both engines, that a
// start reuses the analyses the previous one stored, that a changed
// listing, a changed analyser (fingerprint), a corrupt row and a changed
// compound split each cause that listing to be analysed again, and that
// the results are the same as those of an index that analysed everything.
func TestStoredAnalysesAreReusedWhenFresh(t *testing.T) {
	for name, open := range analysisStores() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			docs := searchtest.Fixture()
			searchtest.Seed(t, st, docs)
			const published = 8 // the fixture's listings but the withdrawn one

			plain, _ := rebuild(t, st, nil, searchtest.Concepts)
			want := results(t, plain)

			_, first := rebuild(t, st, st, searchtest.Concepts)
			wantStats(t, "first start", first, 0, published)
			if first.Stored != published {
				t.Errorf("first start stored %d analyses, want %d", first.Stored, published)
			}
			idx, second := rebuild(t, st, st, searchtest.Concepts)
			wantStats(t, "second start", second, published, 0)
			if got := results(t, idx); !reflect.DeepEqual(got, want) {
				t.Errorf("results with stored analyses differ from those of analysing:\n%+v\nwant\n%+v", got, want)
			}

			// A changed listing.
			changed := *docs[4].Listing // gear-de-off
			changed.Description = "Wir fertigen Schneckengetriebe und Kegelradgetriebe."
			if _, err := st.UpsertListing(ctx, &changed); err != nil {
				t.Fatal(err)
			}
			_, s := rebuild(t, st, st, searchtest.Concepts)
			wantStats(t, "after a change of one listing", s, published-1, 1)
			_, s = rebuild(t, st, st, searchtest.Concepts)
			wantStats(t, "after the changed listing was stored again", s, published, 0)

			// A corrupt row: one byte of one stored analysis changed.
			l, err := st.Listing(ctx, changed.Ref)
			if err != nil {
				t.Fatal(err)
			}
			fp := search.NewMemory(newAnalyzer(t, searchtest.Concepts), nil).AnalysisFingerprint()
			rows, err := st.ListingAnalyses(ctx, fp, []int64{l.ID})
			if err != nil || len(rows) != 1 {
				t.Fatalf("stored analysis of %s: %v, %v", l.Ref, rows, err)
			}
			rows[0].Data[len(rows[0].Data)/2] ^= 0x10
			if err := st.PutListingAnalyses(ctx, rows); err != nil {
				t.Fatal(err)
			}
			idx, s = rebuild(t, st, st, searchtest.Concepts)
			wantStats(t, "after corrupting one row", s, published-1, 1)

			// Another analyser: a vocabulary with one more concept.
			more := append(append([]textanalysis.Concept(nil), searchtest.Concepts...),
				textanalysis.Concept{ID: "worm_gear", Terms: map[isa.Lang][]string{isa.DE: {"Schneckenrad"}, isa.EN: {"worm wheel"}}})
			_, s = rebuild(t, st, st, more)
			wantStats(t, "after a change of the vocabulary", s, 0, published)
			_, s = rebuild(t, st, st, more)
			wantStats(t, "second start with the new vocabulary", s, published, 0)
		})
	}
}

// TestChangedSplitsCauseReanalysis: a word that enters the corpus can
// change how a German compound of another listing splits. The listing is
// unchanged, yet its stored analysis is stale and must be computed again,
// exactly as an index that analyses everything would see it.
func TestChangedSplitsCauseReanalysis(t *testing.T) {
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	docs := searchtest.Fixture()
	compound := *docs[0].Listing
	compound.Ref, compound.Title, compound.Description = "zz-compound", "Kühlaggregatbau", "Wir bieten Kühlaggregatbau."
	docs = append(docs, search.Document{Listing: &compound, OrgKind: docs[0].OrgKind, Country: docs[0].Country, City: docs[0].City})
	searchtest.Seed(t, st, docs)
	rebuild(t, st, st, searchtest.Concepts)
	_, s := rebuild(t, st, st, searchtest.Concepts)
	wantStats(t, "second start", s, 9, 0)

	// A listing stored before the compound (lower id) teaches the lexicon
	// its parts: re-publishing an old listing with new words does that.
	words := *docs[1].Listing // hp-zh-off, stored second
	words.Keywords = nil
	words.Translations = map[isa.Lang]isa.Translation{isa.DE: {Title: "Kühl Aggregat Bau", Description: "Kühl, Aggregat und Bau."}}
	if _, err := st.UpsertListing(ctx, &words); err != nil {
		t.Fatal(err)
	}
	idx, s := rebuild(t, st, st, searchtest.Concepts)
	// The changed listing and the compound listing whose split changed.
	wantStats(t, "after the lexicon learnt the parts", s, 7, 2)
	plain, _ := rebuild(t, st, nil, searchtest.Concepts)
	for _, q := range []string{"Aggregat", "Kühlaggregatbau", "Bau"} {
		a, _ := idx.Search(ctx, search.Query{Text: q})
		b, _ := plain.Search(ctx, search.Query{Text: q})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%q: with stored analyses %+v, analysing all %+v", q, a, b)
		}
	}
}

// TestSyncStoresAnalyses proves that the change feed path stores the
// analysis of a changed listing, so that the next start reuses it.
func TestSyncStoresAnalyses(t *testing.T) {
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	docs := searchtest.Fixture()
	searchtest.Seed(t, st, docs)
	idx := search.NewMemory(newAnalyzer(t, searchtest.Concepts), func() time.Time { return searchtest.Today })
	loader := search.NewLoader(st, idx, nil)
	loader.UseStoredAnalyses(st, true, 0)
	if _, err := loader.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	added := *docs[0].Listing
	added.Ref, added.Title, added.Description = "new-de", "Kältemaschine gesucht", "Wir suchen eine Kältemaschine."
	if _, err := st.UpsertListing(ctx, &added); err != nil {
		t.Fatal(err)
	}
	before := loader.Stats()
	if _, err := loader.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	after := loader.Stats()
	if after.Computed-before.Computed != 1 || after.Stored-before.Stored != 1 {
		t.Errorf("sync of one new listing: computed %d, stored %d; want 1, 1", after.Computed-before.Computed, after.Stored-before.Stored)
	}
	rows, err := st.ListingAnalyses(ctx, idx.AnalysisFingerprint(), []int64{added.ID})
	if err != nil || len(rows) != 1 {
		t.Fatalf("stored analysis of the new listing: %v, %v", rows, err)
	}
	// The new listing's words are learnt by the next start too, before
	// the listings of its batch are analysed: all reused.
	_, s := rebuild(t, st, st, searchtest.Concepts)
	wantStats(t, "start after the sync", s, 9, 0)
}

// failingAnalyses is a store of analyses that cannot read or write (a
// read-only file, a busy database).
type failingAnalyses struct {
	reads, writes int
}

var errUnavailable = errors.New("database is locked")

func (f *failingAnalyses) ListingAnalyses(ctx context.Context, fp string, ids []int64) ([]isa.ListingAnalysis, error) {
	f.reads++
	return nil, errUnavailable
}

func (f *failingAnalyses) PutListingAnalyses(ctx context.Context, as []isa.ListingAnalysis) error {
	f.writes++
	return errUnavailable
}

// TestUnavailableAnalysesNeverFailLoading: a store of analyses that fails
// costs analysing, not the index.
func TestUnavailableAnalysesNeverFailLoading(t *testing.T) {
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	searchtest.Seed(t, st, searchtest.Fixture())
	failing := &failingAnalyses{}
	idx := search.NewMemory(newAnalyzer(t, searchtest.Concepts), func() time.Time { return searchtest.Today })
	loader := search.NewLoader(st, idx, nil)
	loader.UseStoredAnalyses(failing, true, 0)
	n, err := loader.Rebuild(ctx)
	if err != nil {
		t.Fatalf("rebuild failed with the analyses unavailable: %v", err)
	}
	s := loader.Stats()
	if n != 8 || s.Computed != 8 || s.Reused != 0 || s.WriteErrors != 1 || failing.writes != 1 {
		t.Errorf("loaded %d, stats %+v, %d writes; want 8 computed and one failed write", n, s, failing.writes)
	}
	plain, _ := rebuild(t, st, nil, searchtest.Concepts)
	if a, b := results(t, idx), results(t, plain); !reflect.DeepEqual(a, b) {
		t.Error("results differ from those of an index without stored analyses")
	}
}

// storedRoundTrip is an index whose every listing passes through the
// stored form: it is analysed by a scratch index, encoded, and the index
// under test takes it from there instead of analysing it. Running the
// conformance suite on it proves stored analyses search exactly alike.
type storedRoundTrip struct {
	*search.Memory
	scratch *search.Memory
	ids     map[string]int64
	t       *testing.T
}

func (s *storedRoundTrip) Put(ctx context.Context, docs ...search.Document) error {
	withIDs := make([]search.Document, len(docs))
	published := 0
	for i, d := range docs {
		l := *d.Listing
		if s.ids[l.Ref] == 0 {
			s.ids[l.Ref] = int64(len(s.ids) + 1)
		}
		l.ID = s.ids[l.Ref]
		d.Listing = &l
		withIDs[i] = d
		if l.State == isa.Published {
			published++
		}
	}
	computed, _, err := s.scratch.PutStored(ctx, withIDs, nil)
	if err != nil {
		return err
	}
	prior := map[int64]*isa.ListingAnalysis{}
	for i := range computed {
		prior[computed[i].ListingID] = &computed[i]
	}
	_, reused, err := s.Memory.PutStored(ctx, withIDs, prior)
	if err != nil {
		return err
	}
	if reused != published {
		return fmt.Errorf("reused %d stored analyses of %d published listings", reused, published)
	}
	return nil
}

func TestStoredAnalysesConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T, an *textanalysis.Analyzer, now func() time.Time) search.Index {
		return &storedRoundTrip{Memory: search.NewMemory(an, now), scratch: search.NewMemory(an, now), ids: map[string]int64{}, t: t}
	})
}
